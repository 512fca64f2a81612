"""Scalar and aggregating functions of the embedded engine, with Neo4j's null rules.

A scalar function returns null when a required argument is null (``coalesce`` aside).
Unknown functions are refused by name, spatial ones as a feature; the temporal functions
come from :mod:`mechgraph.cypher.temporal`.

>>> java_string(1.0), java_string(1e7), java_string(0.0001)
('1.0', '1.0E7', '1.0E-4')
"""

from __future__ import annotations

import decimal
import math
import random
from typing import Any
from collections.abc import Callable

from .errors import CypherArgumentError, CypherError, CypherTypeError, InvalidQuery, UnsupportedFeature
from .limits import current
from .semantics import compare, group_key, is_number, order_key, type_name
from .temporal.functions import TEMPORAL_FUNCTIONS
from .temporal.values import Temporal
from .values import Node, Path, Relationship

#: aggregating functions
AGGREGATES = frozenset({"count", "sum", "avg", "min", "max", "collect", "stdev", "stdevp", "percentilecont",
                        "percentiledisc"})
_SPATIAL = {"point", "point.distance", "distance", "point.withinbbox"}


def java_string(value: float) -> str:
    """A float as Java's Double.toString writes it (and so Neo4j's toString)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(decimal.Decimal(text), "f")
        return text if "." in text else text + ".0"
    digits, exponent = decimal.Decimal(repr(value)).normalize().as_tuple()[1:]
    assert isinstance(exponent, int)  # a finite number: NaN and the infinities are written above
    sign = "-" if value < 0 else ""
    text = "".join(map(str, digits))
    power = exponent + len(text) - 1
    mantissa = text[0] + "." + (text[1:] or "0")
    return f"{sign}{mantissa}E{power}"


def number_string(value: int | float) -> str:
    """A number as ``toString()`` writes it."""
    return java_string(value) if isinstance(value, float) else str(value)


def to_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return java_string(value)
    if isinstance(value, (int, str, Temporal)):
        return str(value)
    raise CypherTypeError(f"toString() cannot convert {type_name(value)}")


def _to_integer(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            try:
                number = float(value.strip())
            except ValueError:
                return None
            return None if math.isnan(number) or math.isinf(number) else int(number)
    raise CypherTypeError(f"toInteger() cannot convert {type_name(value)}")


def _to_float(value: Any) -> float | None:
    if value is None:
        return None
    if is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    raise CypherTypeError(f"toFloat() cannot convert {type_name(value)}")


def _to_boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    if isinstance(value, int):
        return value != 0
    raise CypherTypeError(f"toBoolean() cannot convert {type_name(value)}")


def _or_null(convert: Callable) -> Callable:
    def safe(value):
        try:
            return convert(value)
        except CypherError:
            return None
    return safe


def _round(value, precision=None, mode=None):
    number = _number(value, "round")
    if precision is None:
        return float(math.floor(number + 0.5)) if math.isfinite(number) else float(number)
    if not isinstance(precision, int) or isinstance(precision, bool):
        raise CypherTypeError("round(): the precision must be an integer")
    if not math.isfinite(number):
        return float(number)
    modes = {"HALF_UP": decimal.ROUND_HALF_UP, "HALF_DOWN": decimal.ROUND_HALF_DOWN,
             "HALF_EVEN": decimal.ROUND_HALF_EVEN, "UP": decimal.ROUND_UP, "DOWN": decimal.ROUND_DOWN,
             "CEILING": decimal.ROUND_CEILING, "FLOOR": decimal.ROUND_FLOOR}
    rounding = modes.get(str(mode).upper() if mode is not None else "HALF_UP")
    if rounding is None:
        raise CypherArgumentError(f"round(): unknown rounding mode {mode!r}")
    # a float has no digit beyond the 400th place either side of the point: rounding
    # there changes nothing (or, to the left, leaves 0 or a number too big for a float)
    precision = max(-_ROUND_PLACES, min(precision, _ROUND_PLACES))
    exact = decimal.Decimal(repr(float(number)))
    with decimal.localcontext() as context:
        context.prec = 2 * _ROUND_PLACES
        rounded = exact.quantize(decimal.Decimal(1).scaleb(-precision), rounding=rounding)
    return float(rounded)


#: the decimal places beyond which round() leaves a float as it is
_ROUND_PLACES = 400


def _number(value, name: str):
    if not is_number(value):
        raise CypherTypeError(f"{name}() expects a number, not {type_name(value)}")
    return value


def _string(value, name: str) -> str:
    if not isinstance(value, str):
        raise CypherTypeError(f"{name}() expects a string, not {type_name(value)}")
    return value


def _integer(value, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise CypherTypeError(f"{name}() expects an integer, not {type_name(value)}")
    return value


def _list(value, name: str) -> list:
    if not isinstance(value, list):
        raise CypherTypeError(f"{name}() expects a list, not {type_name(value)}")
    return value


def _size(value):
    if isinstance(value, (list, str)):
        return len(value)
    if isinstance(value, Path):
        raise CypherTypeError("size() of a path: use length()")
    raise CypherTypeError(f"size() expects a list or a string, not {type_name(value)}")


def _length(value):
    if isinstance(value, Path):
        return len(value.relationships)
    raise CypherTypeError(f"length() expects a path, not {type_name(value)}")


def _labels(value):
    if not isinstance(value, Node):
        raise CypherTypeError(f"labels() expects a node, not {type_name(value)}")
    return list(value.labels)


def _type(value):
    if not isinstance(value, Relationship):
        raise CypherTypeError(f"type() expects a relationship, not {type_name(value)}")
    return value.type


def _keys(value):
    if isinstance(value, (Node, Relationship)):
        return list(value.properties)
    if isinstance(value, dict):
        return list(value)
    raise CypherTypeError(f"keys() expects a node, relationship or map, not {type_name(value)}")


def _properties(value):
    if isinstance(value, (Node, Relationship)):
        return dict(value.properties)
    if isinstance(value, dict):
        return dict(value)
    raise CypherTypeError(f"properties() expects a node, relationship or map, not {type_name(value)}")


def lazy_range(start, end, step=1) -> range:
    """``range(start, end, step)`` as a Python range, not yet a list. A bound or step of
    another type than an integer is an ArgumentError (openCypher's InvalidArgumentType)."""
    for value in (start, end, step):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise CypherArgumentError(f"range() expects integers, not {type_name(value)} ({value!r})")
    start, end, step = (_integer(v, "range") for v in (start, end, step))
    if step == 0:
        raise CypherArgumentError("range(): the step cannot be 0")
    return range(start, end + (1 if step > 0 else -1), step)


def _range(start, end, step=1):
    numbers = lazy_range(start, end, step)
    current().rows(len(numbers), "list items")
    return list(numbers)


def _substring(text, start, length=None):
    text = _string(text, "substring")
    start = _integer(start, "substring")
    if start < 0 or (length is not None and _integer(length, "substring") < 0):
        raise CypherArgumentError("substring(): the start and length cannot be negative")
    return text[start:] if length is None else text[start:start + length]


def _split(text, delimiter):
    text = _string(text, "split")
    if isinstance(delimiter, list):
        parts = [text]
        for d in delimiter:
            parts = [piece for part in parts for piece in (part.split(d) if d else list(part))]
        return parts
    delimiter = _string(delimiter, "split")
    return text.split(delimiter) if delimiter else list(text)


def _reverse(value):
    if isinstance(value, (str, list)):
        return value[::-1]
    raise CypherTypeError(f"reverse() expects a string or a list, not {type_name(value)}")


def _is_empty(value):
    if isinstance(value, (str, list, dict)):
        return len(value) == 0
    raise CypherTypeError(f"isEmpty() expects a string, list or map, not {type_name(value)}")


def _math(fn: Callable, name: str) -> Callable:
    def apply(value):
        try:
            return float(fn(float(_number(value, name))))
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf
    return apply


def _log(fn):
    def apply(value):
        number = float(_number(value, "log"))
        if number == 0:
            return -math.inf
        if number < 0:
            return math.nan
        return fn(number)
    return apply


def _node_of_relationship(end: str):
    def apply(value):
        if not isinstance(value, Relationship):
            raise CypherTypeError(f"{end}Node() expects a relationship, not {type_name(value)}")
        return value.start if end == "start" else value.end
    return apply


def _identity(value):
    if isinstance(value, (Node, Relationship)):
        return value.element_id
    raise CypherTypeError(f"elementId() expects a node or relationship, not {type_name(value)}")


def _head(value):
    value = _list(value, "head")
    return value[0] if value else None


def _last(value):
    value = _list(value, "last")
    return value[-1] if value else None


#: name (lower case) -> (function, smallest and largest number of arguments)
SCALARS: dict[str, tuple[Callable, int, int]] = {
    "size": (_size, 1, 1), "length": (_length, 1, 1),
    "nodes": (lambda p: list(p.nodes) if isinstance(p, Path) else _length(p), 1, 1),
    "relationships": (lambda p: list(p.relationships) if isinstance(p, Path) else _length(p), 1, 1),
    "startnode": (_node_of_relationship("start"), 1, 1), "endnode": (_node_of_relationship("end"), 1, 1),
    "labels": (_labels, 1, 1), "type": (_type, 1, 1), "keys": (_keys, 1, 1), "properties": (_properties, 1, 1),
    "elementid": (_identity, 1, 1),
    "head": (_head, 1, 1), "last": (_last, 1, 1),
    "tail": (lambda v: _list(v, "tail")[1:], 1, 1), "range": (_range, 2, 3), "reverse": (_reverse, 1, 1),
    "tolower": (lambda s: _string(s, "toLower").lower(), 1, 1),
    "lower": (lambda s: _string(s, "lower").lower(), 1, 1),
    "toupper": (lambda s: _string(s, "toUpper").upper(), 1, 1),
    "upper": (lambda s: _string(s, "upper").upper(), 1, 1),
    "trim": (lambda s: _string(s, "trim").strip(), 1, 1), "ltrim": (lambda s: _string(s, "ltrim").lstrip(), 1, 1),
    "rtrim": (lambda s: _string(s, "rtrim").rstrip(), 1, 1), "substring": (_substring, 2, 3),
    "left": (lambda s, n: _string(s, "left")[:_integer(n, "left")], 2, 2),
    "right": (lambda s, n: _string(s, "right")[max(0, len(s) - _integer(n, "right")):] if n else "", 2, 2),
    "replace": (lambda s, a, b: _string(s, "replace").replace(_string(a, "replace"), _string(b, "replace")), 3, 3),
    "split": (_split, 2, 2), "tostring": (to_string, 1, 1), "tostringornull": (_or_null(to_string), 1, 1),
    "tointeger": (_to_integer, 1, 1), "tointegerornull": (_or_null(_to_integer), 1, 1),
    "tofloat": (_to_float, 1, 1), "tofloatornull": (_or_null(_to_float), 1, 1),
    "toboolean": (_to_boolean, 1, 1), "tobooleanornull": (_or_null(_to_boolean), 1, 1),
    "abs": (lambda x: abs(_number(x, "abs")), 1, 1),
    "ceil": (lambda x: float(math.ceil(_number(x, "ceil"))) if math.isfinite(x) else float(x), 1, 1),
    "floor": (lambda x: float(math.floor(_number(x, "floor"))) if math.isfinite(x) else float(x), 1, 1),
    "round": (_round, 1, 3),
    "sign": (lambda x: (_number(x, "sign") > 0) - (x < 0), 1, 1),
    "sqrt": (_math(math.sqrt, "sqrt"), 1, 1), "exp": (_math(math.exp, "exp"), 1, 1),
    "log": (_log(math.log), 1, 1), "log10": (_log(math.log10), 1, 1),
    "sin": (_math(math.sin, "sin"), 1, 1), "cos": (_math(math.cos, "cos"), 1, 1),
    "tan": (_math(math.tan, "tan"), 1, 1), "asin": (_math(math.asin, "asin"), 1, 1),
    "acos": (_math(math.acos, "acos"), 1, 1), "atan": (_math(math.atan, "atan"), 1, 1),
    "atan2": (lambda y, x: math.atan2(_number(y, "atan2"), _number(x, "atan2")), 2, 2),
    "degrees": (_math(math.degrees, "degrees"), 1, 1), "radians": (_math(math.radians, "radians"), 1, 1),
    "pi": (lambda: math.pi, 0, 0), "e": (lambda: math.e, 0, 0), "rand": (random.random, 0, 0),
    "isempty": (_is_empty, 1, 1),
    **TEMPORAL_FUNCTIONS,
}


def call_scalar(name: str, args: list) -> Any:
    """Apply a scalar function (``name`` in lower case)."""
    if name == "coalesce":
        return next((a for a in args if a is not None), None)
    entry = SCALARS.get(name)
    if entry is None:
        raise unknown_function(name)
    fn, low, high = entry
    if not low <= len(args) <= high:
        raise InvalidQuery(f"{name}() takes {low if low == high else f'{low} to {high}'} argument(s), "
                          f"not {len(args)}")
    if args and args[0] is None and name not in ("range",):
        return None
    if any(a is None for a in args[1:]):
        return None
    return fn(*args)


def unknown_function(name: str) -> Exception:
    if name in _SPATIAL:
        return UnsupportedFeature(f"spatial values ({name}())")
    if name in ("id",):
        return UnsupportedFeature("id() (deprecated in Neo4j 5; use elementId())")
    if "." in name:
        return UnsupportedFeature(f"the function {name}() (a plugin or namespaced function)")
    if name not in NEO4J_FUNCTIONS:
        return InvalidQuery(f"unknown function {name}()")
    return UnsupportedFeature(f"the function {name}()")


#: every function Neo4j 5 has outside a namespace (user-defined functions must have one,
#: so a name outside this list and without a dot is unknown to Neo4j too)
NEO4J_FUNCTIONS = frozenset({
    "abs", "acos", "all", "allshortestpaths", "any", "asin", "atan", "atan2", "avg", "btrim", "ceil",
    "char_length", "character_length", "coalesce", "collect", "cos", "cot", "count", "date", "datetime",
    "degrees", "distance", "duration", "e", "elementid", "endnode", "exists", "exp", "file", "floor",
    "haversin", "head", "id", "isempty", "isnan", "keys", "labels", "last", "left", "length", "linenumber",
    "localdatetime", "localtime", "log", "log10", "lower", "ltrim", "max", "min", "nodes", "none", "normalize",
    "nullif", "percentilecont", "percentiledisc", "pi", "point", "properties", "radians", "rand", "randomuuid",
    "range", "reduce", "relationships", "replace", "reverse", "right", "round", "rtrim", "shortestpath",
    "sign", "sin", "single", "size", "split", "sqrt", "startnode", "stdev", "stdevp", "substring", "sum",
    "tail", "tan", "time", "timestamp", "toboolean", "tobooleanlist", "tobooleanornull", "tofloat",
    "tofloatlist", "tofloatornull", "tointeger", "tointegerlist", "tointegerornull", "tolower", "tostring",
    "tostringlist", "tostringornull", "toupper", "trim", "type", "upper", "valuetype",
    "vector_dimension_count", "vector_distance", "vector_norm"
})


# -- aggregation ------------------------------------------------------------------------

def aggregate(name: str, values: list, distinct: bool, extra: list) -> Any:
    """Combine the values of one group (nulls already removed, except for count(*))."""
    if distinct:
        seen: dict[Any, Any] = {}
        for v in values:
            seen.setdefault(group_key(v), v)
        values = list(seen.values())
    if name == "count":
        return len(values)
    if name == "collect":
        return list(values)
    if name in ("min", "max"):
        if not values:
            return None
        best = values[0]
        for v in values[1:]:
            c = compare(v, best)
            if c is None:
                c = (order_key(v) > order_key(best)) - (order_key(v) < order_key(best))
            if (c < 0) if name == "min" else (c > 0):
                best = v
        return best
    numbers = [_number(v, name) for v in values]
    if name == "sum":
        return sum(numbers) if numbers else 0
    if not numbers:
        return None
    if name == "avg":
        return math.fsum(numbers) / len(numbers)
    if name in ("stdev", "stdevp"):
        mean = math.fsum(numbers) / len(numbers)
        n = len(numbers) - (1 if name == "stdev" else 0)
        return math.sqrt(math.fsum((x - mean) ** 2 for x in numbers) / n) if n > 0 else 0.0
    if name in ("percentilecont", "percentiledisc"):
        p: Any = extra[0] if extra else None
        if not is_number(p):
            raise CypherTypeError(f"{name}(): the percentile must be a number between 0.0 and 1.0")
        if not 0 <= p <= 1:
            raise CypherArgumentError(f"{name}(): the percentile must be a number between 0.0 and 1.0")
        ordered = sorted(numbers)
        if name == "percentiledisc":
            index = max(0, math.ceil(p * len(ordered)) - 1) if p > 0 else 0
            return ordered[index]
        position = p * (len(ordered) - 1)
        low = math.floor(position)
        high = math.ceil(position)
        return float(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
    raise unknown_function(name)
