"""Evaluate expressions on a row (a dict of variables), with Cypher's null rules."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import regex

from . import ast as A
from .errors import CypherArgumentError, CypherError, CypherTypeError, InvalidQuery, ParameterMissing
from .functions import AGGREGATES, call_scalar, number_string
from .limits import QueryLimit, current
from .semantics import compare, equals, is_number, truth, type_name
from .temporal import arithmetic as temporal_arithmetic
from .temporal.values import Duration, Temporal
from .values import Node, Relationship

_INT_MIN, _INT_MAX = -2 ** 63, 2 ** 63 - 1


def _checked(value: int) -> int:
    if not _INT_MIN <= value <= _INT_MAX:
        raise CypherArgumentError("integer overflow")
    return value


def _java_div(a: int, b: int) -> int:
    if b == 0:
        raise CypherArgumentError("/ by zero")
    q = abs(a) // abs(b)
    return _checked(q if (a >= 0) == (b >= 0) else -q)


def _java_mod(a: int, b: int) -> int:
    if b == 0:
        raise CypherArgumentError("/ by zero")
    return a - b * _java_div(a, b)


def _float_div(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1, b)
    return a / b


def arithmetic(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if op == "+":
        if isinstance(a, list) and isinstance(b, list):
            return a + b
        if isinstance(a, list):
            return a + [b]
        if isinstance(b, list):
            return [a] + b
        if isinstance(a, str) and isinstance(b, str):
            return a + b
        if isinstance(a, str) and is_number(b):
            return a + number_string(b)
        if isinstance(b, str) and is_number(a):
            return number_string(a) + b
    if isinstance(a, Temporal) or isinstance(b, Temporal):
        return _temporal_arithmetic(op, a, b)
    if not (is_number(a) and is_number(b)):
        raise CypherTypeError(f"type mismatch: cannot apply {op} to {type_name(a)} and {type_name(b)}")
    both_int = isinstance(a, int) and isinstance(b, int)
    if op == "+":
        return _checked(a + b) if both_int else float(a) + float(b)
    if op == "-":
        return _checked(a - b) if both_int else float(a) - float(b)
    if op == "*":
        return _checked(a * b) if both_int else float(a) * float(b)
    if op == "/":
        return _java_div(a, b) if both_int else _float_div(float(a), float(b))
    if op == "%":
        if both_int:
            return _java_mod(a, b)
        return math.fmod(a, b) if b != 0 else math.nan
    if op == "^":
        try:
            result = float(a) ** float(b)
        except OverflowError:
            return math.inf
        except ZeroDivisionError:
            return math.inf
        return math.nan if isinstance(result, complex) else result
    raise CypherError(f"unknown operator {op}")


def _temporal_arithmetic(op: str, a: Any, b: Any) -> Any:
    """``temporal ± duration``, ``duration ± duration``, ``duration * number``,
    ``number * duration`` and ``duration / number``."""
    if op in ("+", "-") and isinstance(b, Duration):
        sign = 1 if op == "+" else -1
        if isinstance(a, Duration):
            return temporal_arithmetic.add_durations(a, b, sign)
        if isinstance(a, Temporal):
            return temporal_arithmetic.add(a, b, sign)
    if op == "+" and isinstance(a, Duration) and isinstance(b, Temporal):
        return temporal_arithmetic.add(b, a)
    if op == "*" and isinstance(a, Duration) and is_number(b):
        return temporal_arithmetic.multiply(a, b)
    if op == "*" and isinstance(b, Duration) and is_number(a):
        return temporal_arithmetic.multiply(b, a)
    if op == "/" and isinstance(a, Duration) and is_number(b):
        return temporal_arithmetic.divide(a, b)
    raise CypherTypeError(f"type mismatch: cannot apply {op} to {type_name(a)} and {type_name(b)}")


@lru_cache(maxsize=256)
def _regex(pattern: str):
    try:
        return regex.compile(pattern, regex.DOTALL if pattern.startswith("(?s)") else 0)
    except (regex.error, ValueError) as exc:
        raise CypherArgumentError(f"invalid regular expression {pattern!r}: {exc}") from None


def _fullmatch(pattern: str, text: str) -> bool:
    """``text =~ pattern``, given only the time the query has left (a pattern such as
    ``(a+)+$`` can take exponential time)."""
    budget = current()
    try:
        return _regex(pattern).fullmatch(text, timeout=budget.left()) is not None
    except TimeoutError:
        raise QueryLimit(f"the regular expression {pattern!r} ran past the query's time limit of "
                         f"{budget.timeout:g} s (raise it with --timeout)") from None


def _and(values) -> bool | None:
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


class Evaluator:
    """Evaluates expressions; ``matcher`` answers pattern predicates and comprehensions."""

    def __init__(self, params: dict, matcher=None):
        self.params = params
        self.matcher = matcher

    def __call__(self, expr: A.Expr, row: dict) -> Any:
        return self.ev(expr, row)

    def ev(self, expr: A.Expr, row: dict) -> Any:
        method = _DISPATCH.get(type(expr))
        if method is None:
            raise CypherError(f"cannot evaluate {type(expr).__name__}")
        return method(self, expr, row)

    # -- atoms -------------------------------------------------------------------------
    def literal(self, e: A.Literal, row):
        return e.value

    def param(self, e: A.Param, row):
        if e.name not in self.params:
            raise ParameterMissing(f"expected parameter ${e.name} (pass it with -p {e.name}=VALUE)")
        return self.params[e.name]

    def var(self, e: A.Var, row):
        try:
            return row[e.name]
        except KeyError:
            raise InvalidQuery(f"variable `{e.name}` not defined") from None

    def prop(self, e: A.Prop, row):
        subject = self.ev(e.subject, row)
        if subject is None:
            return None
        if isinstance(subject, (Node, Relationship)):
            return subject.value(e.key)
        if isinstance(subject, dict):
            return subject.get(e.key)
        if isinstance(subject, Temporal):
            return subject.field(e.key)
        raise CypherTypeError(f"type mismatch: cannot read property {e.key!r} of {type_name(subject)}")

    def index(self, e: A.Index, row):
        subject = self.ev(e.subject, row)
        key = self.ev(e.index, row)
        if subject is None or key is None:
            return None
        if isinstance(subject, list):
            if not isinstance(key, int) or isinstance(key, bool):
                raise CypherTypeError(f"a list index must be an integer, not {type_name(key)}")
            return subject[key] if -len(subject) <= key < len(subject) else None
        if isinstance(subject, (dict, Node, Relationship)):
            if not isinstance(key, str):
                raise CypherTypeError(f"a map key must be a string, not {type_name(key)}")
            return subject.get(key) if isinstance(subject, dict) else subject.value(key)
        raise CypherTypeError(f"type mismatch: cannot index {type_name(subject)}")

    def slice(self, e: A.Slice, row):
        subject = self.ev(e.subject, row)
        start = self.ev(e.start, row) if e.start is not None else 0
        stop = self.ev(e.stop, row) if e.stop is not None else None
        if subject is None or start is None or (e.stop is not None and stop is None):
            return None
        if not isinstance(subject, list):
            raise CypherTypeError(f"type mismatch: cannot slice {type_name(subject)}")
        return subject[start:stop]

    def list_lit(self, e: A.ListLit, row):
        return [self.ev(item, row) for item in e.items]

    def map_lit(self, e: A.MapLit, row):
        return {key: self.ev(value, row) for key, value in e.items}

    def map_projection(self, e: A.MapProjection, row):
        subject = self.ev(e.subject, row)
        if subject is None:
            return None
        props = subject.properties if isinstance(subject, (Node, Relationship)) else subject
        if not isinstance(props, dict):
            raise CypherTypeError(f"type mismatch: cannot project {type_name(subject)} as a map")
        out: dict = {}
        for kind, key, expr in e.items:
            if kind == "all":
                out.update(props)
            elif kind == "prop":
                out[key] = props.get(key)
            elif kind == "key":
                assert expr is not None  # ("key", key, expr) always has one
                out[key] = self.ev(expr, row)
            else:
                out[key] = self.var(A.Var(key), row)
        return out

    # -- operators ------------------------------------------------------------------------
    def unary(self, e: A.Unary, row):
        value = self.ev(e.operand, row)
        if e.op == "NOT":
            value = truth(value, "the operand of NOT")
            return None if value is None else not value
        if value is None:
            return None
        if isinstance(value, Duration):
            return temporal_arithmetic.negate(value) if e.op == "-" else value
        if not is_number(value):
            raise CypherTypeError(f"type mismatch: cannot apply unary {e.op} to {type_name(value)}")
        return _checked(-value) if e.op == "-" and isinstance(value, int) else (-value if e.op == "-" else value)

    def binary(self, e: A.Binary, row):
        op = e.op
        if op in ("AND", "OR", "XOR"):
            left = truth(self.ev(e.left, row), f"the operand of {op}")
            if op == "AND" and left is False:
                return False
            if op == "OR" and left is True:
                return True
            right = truth(self.ev(e.right, row), f"the operand of {op}")
            if op == "AND":
                return _and([left, right])
            if op == "OR":
                if right is True:
                    return True
                return None if left is None or right is None else False
            return None if left is None or right is None else left != right
        left = self.ev(e.left, row)
        right = self.ev(e.right, row)
        if op == "IN":
            return self._in(left, right)
        if op in ("STARTS WITH", "ENDS WITH", "CONTAINS", "=~"):
            if not isinstance(left, str) or not isinstance(right, str):
                return None
            if op == "STARTS WITH":
                return left.startswith(right)
            if op == "ENDS WITH":
                return left.endswith(right)
            if op == "CONTAINS":
                return right in left
            return _fullmatch(right, left)
        return arithmetic(op, left, right)

    @staticmethod
    def _in(item, items):
        if items is None:
            return None
        if not isinstance(items, list):
            raise CypherTypeError(f"type mismatch: the right side of IN must be a list, not {type_name(items)}")
        unknown = False
        for candidate in items:
            same = equals(item, candidate)
            if same is True:
                return True
            if same is None:
                unknown = True
        return None if unknown else False

    def compare_chain(self, e: A.Compare, row):
        values = [self.ev(operand, row) for operand in e.operands]
        results = []
        for op, a, b in zip(e.ops, values, values[1:], strict=False):
            if op == "=":
                results.append(equals(a, b))
            elif op == "<>":
                same = equals(a, b)
                results.append(None if same is None else not same)
            elif is_number(a) and is_number(b) and (math.isnan(a) or math.isnan(b)):
                results.append(False)  # as in Java: every ordering comparison with NaN is false
            else:
                c = compare(a, b)
                results.append(None if c is None else {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op])
        return _and(results)

    def is_null(self, e: A.IsNull, row):
        value = self.ev(e.operand, row)
        return (value is not None) if e.negated else (value is None)

    def has_labels(self, e: A.HasLabels, row):
        subject = self.ev(e.subject, row)
        if subject is None:
            return None
        if isinstance(subject, Node):
            return all(label in subject.labels for label in e.labels)
        if isinstance(subject, Relationship):
            return len(e.labels) == 1 and subject.type == e.labels[0]
        raise CypherTypeError(f"type mismatch: a label test needs a node, not {type_name(subject)}")

    def case(self, e: A.Case, row):
        if e.subject is not None:
            subject = self.ev(e.subject, row)
            for when, then in e.whens:
                if equals(subject, self.ev(when, row)) is True:
                    return self.ev(then, row)
        else:
            for when, then in e.whens:
                if truth(self.ev(when, row), "a CASE condition") is True:
                    return self.ev(then, row)
        return self.ev(e.default, row) if e.default is not None else None

    def call(self, e: A.Call, row):
        if e.name in AGGREGATES:
            raise InvalidQuery(f"the aggregating function {e.name}() is not allowed here")
        return call_scalar(e.name, [self.ev(arg, row) for arg in e.args])

    # -- lists -----------------------------------------------------------------------------
    def _source(self, expr: A.Expr, row, what: str):
        value = self.ev(expr, row)
        if value is not None and not isinstance(value, list):
            raise CypherTypeError(f"type mismatch: {what} needs a list, not {type_name(value)}")
        return value

    def list_comp(self, e: A.ListComp, row):
        source = self._source(e.source, row, "a list comprehension")
        if source is None:
            return None
        out = []
        for item in source:
            scope = dict(row)
            scope[e.var] = item
            if e.where is not None and truth(self.ev(e.where, scope)) is not True:
                continue
            out.append(self.ev(e.project, scope) if e.project is not None else item)
        return out

    def quantifier(self, e: A.Quantifier, row):
        source = self._source(e.source, row, f"{e.kind}()")
        if source is None:
            return None
        results = []
        for item in source:
            scope = dict(row)
            scope[e.var] = item
            results.append(truth(self.ev(e.where, scope)))
        trues = results.count(True)
        unknown = None in results
        if e.kind == "any":
            return True if trues else (None if unknown else False)
        if e.kind == "all":
            return False if False in results else (None if unknown else True)
        if e.kind == "none":
            return False if trues else (None if unknown else True)
        if trues > 1:
            return False
        return None if unknown else trues == 1

    def reduce(self, e: A.Reduce, row):
        source = self._source(e.source, row, "reduce()")
        if source is None:
            return None
        scope = dict(row)
        scope[e.acc] = self.ev(e.init, row)
        for item in source:
            scope[e.var] = item
            scope[e.acc] = self.ev(e.expr, scope)
        return scope[e.acc]

    # -- patterns --------------------------------------------------------------------------------
    def _matches(self, patterns, where, row):
        for found in self.matcher.match(row, patterns):
            if where is None or truth(self.ev(where, found)) is True:
                yield found

    def pattern_exists(self, e: A.PatternExists, row):
        return next(self._matches(e.patterns, e.where, row), None) is not None

    def pattern_count(self, e: A.PatternCount, row):
        return sum(1 for _ in self._matches(e.patterns, e.where, row))

    def pattern_comp(self, e: A.PatternComp, row):
        return [self.ev(e.project, found) for found in self._matches((e.pattern,), e.where, row)]


_DISPATCH: dict[type, Callable[[Evaluator, Any, dict], Any]] = {
    A.Literal: Evaluator.literal, A.Param: Evaluator.param, A.Var: Evaluator.var, A.Prop: Evaluator.prop,
    A.Index: Evaluator.index, A.Slice: Evaluator.slice, A.ListLit: Evaluator.list_lit, A.MapLit: Evaluator.map_lit,
    A.MapProjection: Evaluator.map_projection, A.Unary: Evaluator.unary, A.Binary: Evaluator.binary,
    A.Compare: Evaluator.compare_chain, A.IsNull: Evaluator.is_null, A.HasLabels: Evaluator.has_labels,
    A.Case: Evaluator.case, A.Call: Evaluator.call, A.ListComp: Evaluator.list_comp,
    A.Quantifier: Evaluator.quantifier, A.Reduce: Evaluator.reduce, A.PatternExists: Evaluator.pattern_exists,
    A.PatternCount: Evaluator.pattern_count, A.PatternComp: Evaluator.pattern_comp,
}
