"""Cypher's value semantics: equality and comparison with null (three-valued logic), the
global sort order of ORDER BY, and the equivalence that DISTINCT and grouping use.

>>> equals(1, 1.0), equals([1, None], [1, None]), compare("a", 1)
(True, None, None)
>>> sorted([None, "b", 2, True, [1]], key=order_key)
[[1], 'b', True, 2, None]
"""

from __future__ import annotations

import math
from typing import Any

from .temporal.values import ORDER_RANK as _TEMPORAL_RANK
from .temporal.values import Temporal, compare_key
from .temporal.values import order_key as temporal_order_key
from .values import Node, Path, Relationship


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def type_name(value: Any) -> str:
    """The Cypher name of a value's type, for error messages."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INTEGER"
    if isinstance(value, float):
        return "FLOAT"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        return "LIST"
    if isinstance(value, dict):
        return "MAP"
    if isinstance(value, Node):
        return "NODE"
    if isinstance(value, Relationship):
        return "RELATIONSHIP"
    if isinstance(value, Path):
        return "PATH"
    if isinstance(value, Temporal):
        return value.cypher_type
    return type(value).__name__


def equals(a: Any, b: Any) -> bool | None:
    """``a = b``: None when either side is null (or a list holding null decides it)."""
    if a is None or b is None:
        return None
    if is_number(a) and is_number(b):
        return a == b  # NaN = NaN is false, as in Cypher
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        unknown = False
        for x, y in zip(a, b, strict=False):
            same = equals(x, y)
            if same is False:
                return False
            if same is None:
                unknown = True
        return None if unknown else True
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return False
        unknown = False
        for key in a:
            same = equals(a[key], b[key])
            if same is False:
                return False
            if same is None:
                unknown = True
        return None if unknown else True
    if isinstance(a, Path) and isinstance(b, Path):
        return a.nodes == b.nodes and a.relationships == b.relationships
    if type(a) is not type(b) and not (isinstance(a, str) and isinstance(b, str)):
        return False
    return a == b


def compare(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 for ``<``, ``=``, ``>`` between comparable values; None otherwise
    (null, NaN, or values of different types)."""
    if a is None or b is None:
        return None
    if is_number(a) and is_number(b):
        if (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
            return None
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, bool) and isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            c = compare(x, y)
            if c is None:
                return None
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    if isinstance(a, Temporal) and type(a) is type(b):
        x, y = compare_key(a), compare_key(b)
        return None if x is None else (x > y) - (x < y)
    return None


#: the rank of each type in ORDER BY's global order (ascending; null sorts last)
_RANK = {"MAP": 0, "NODE": 1, "RELATIONSHIP": 2, "LIST": 3, "PATH": 4, "STRING": 5, "BOOLEAN": 6,
         "INTEGER": 7, "FLOAT": 7, "NULL": 9}


def order_key(value: Any):
    """A key that sorts values in Cypher's global order (ORDER BY ascending)."""
    if isinstance(value, Temporal):
        return (_TEMPORAL_RANK[type(value)], temporal_order_key(value))
    kind = type_name(value)
    rank = _RANK.get(kind, 8)
    if value is None:
        return (rank,)
    if kind in ("INTEGER", "FLOAT"):
        if isinstance(value, float) and math.isnan(value):
            return (rank, 1, 0.0)  # NaN after every other number
        return (rank, 0, value)
    if kind in ("STRING", "BOOLEAN"):
        return (rank, value)
    if kind == "LIST":
        return (rank, tuple(order_key(v) for v in value))
    if kind == "MAP":
        return (rank, tuple(sorted((k, order_key(v)) for k, v in value.items())))
    if kind == "NODE":
        return (rank, value.element_id)
    if kind == "RELATIONSHIP":
        return (rank, value.element_id)
    if kind == "PATH":
        return (rank, tuple(n.element_id for n in value.nodes), tuple(r.element_id for r in value.relationships))
    return (rank, repr(value))


def group_key(value: Any):
    """A hashable key under which equivalent values (DISTINCT, grouping) collide:
    null equals null, 1 equals 1.0."""
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("bool", value)
    if is_number(value):
        if isinstance(value, float):
            if math.isnan(value):
                return ("nan",)
            if value.is_integer() and abs(value) < 2 ** 63:
                return ("num", int(value))
        return ("num", value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, list):
        return ("list", tuple(group_key(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, group_key(v)) for k, v in value.items())))
    if isinstance(value, Node):
        return ("node", value.element_id)
    if isinstance(value, Relationship):
        return ("rel", value.element_id)
    if isinstance(value, Path):
        return ("path", tuple(n.element_id for n in value.nodes), tuple(r.element_id for r in value.relationships))
    if isinstance(value, Temporal):
        return ("temporal", value)
    return ("other", repr(value))


def truth(value: Any, what: str = "a predicate") -> bool | None:
    """A value used as a boolean: True, False or None (null); raise on other types."""
    if value is None or isinstance(value, bool):
        return value
    from .errors import CypherTypeError
    raise CypherTypeError(f"type mismatch: {what} must be a boolean, not {type_name(value)} ({value!r})")
