"""The syntax tree of the Cypher the embedded engine runs: expressions, patterns, clauses.

Nodes are frozen dataclasses, so two spellings of the same expression compare equal
(``ORDER BY`` finds a projected expression that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Expr:
    """Base class of expressions."""


@dataclass(frozen=True)
class Literal(Expr):
    value: Any


@dataclass(frozen=True)
class Param(Expr):
    name: str


@dataclass(frozen=True)
class Var(Expr):
    name: str


@dataclass(frozen=True)
class Prop(Expr):
    subject: Expr
    key: str


@dataclass(frozen=True)
class Index(Expr):
    subject: Expr
    index: Expr


@dataclass(frozen=True)
class Slice(Expr):
    subject: Expr
    start: Expr | None
    stop: Expr | None


@dataclass(frozen=True)
class ListLit(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class MapLit(Expr):
    items: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True)
class MapProjection(Expr):
    """``v {.a, b: expr, .*, w}``: items are ("prop", key, None), ("all", "", None),
    ("key", key, expr) or ("var", name, None)."""

    subject: Expr
    items: tuple[tuple[str, str, Expr | None], ...]


@dataclass(frozen=True)
class Unary(Expr):
    op: str  # "-", "+", "NOT"
    operand: Expr


@dataclass(frozen=True)
class Binary(Expr):
    op: str  # + - * / % ^ AND OR XOR IN "STARTS WITH" "ENDS WITH" CONTAINS =~
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare(Expr):
    """A chain ``a < b <= c``: ``ops[i]`` sits between ``operands[i]`` and ``operands[i+1]``."""

    ops: tuple[str, ...]
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class IsNull(Expr):
    operand: Expr
    negated: bool


@dataclass(frozen=True)
class HasLabels(Expr):
    subject: Expr
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Case(Expr):
    subject: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr | None


@dataclass(frozen=True)
class Call(Expr):
    """A function call; ``name`` is lower case, ``star`` for ``count(*)``."""

    name: str
    args: tuple[Expr, ...]
    distinct: bool = False
    star: bool = False


@dataclass(frozen=True)
class ListComp(Expr):
    var: str
    source: Expr
    where: Expr | None
    project: Expr | None


@dataclass(frozen=True)
class Quantifier(Expr):
    kind: str  # any, all, none, single
    var: str
    source: Expr
    where: Expr


@dataclass(frozen=True)
class Reduce(Expr):
    acc: str
    init: Expr
    var: str
    source: Expr
    expr: Expr


@dataclass(frozen=True)
class PatternExists(Expr):
    """A pattern used as a predicate, or ``EXISTS { pattern WHERE ... }``."""

    patterns: tuple[PathPattern, ...]
    where: Expr | None = None
    bare: bool = False  # a pattern written as a predicate, not in EXISTS { }: it may not bind new names


@dataclass(frozen=True)
class PatternCount(Expr):
    """``COUNT { pattern WHERE ... }``."""

    patterns: tuple[PathPattern, ...]
    where: Expr | None = None


@dataclass(frozen=True)
class PatternComp(Expr):
    """``[p = (a)-->(b) WHERE ... | expr]``."""

    pattern: PathPattern
    where: Expr | None
    project: Expr


# -- patterns ------------------------------------------------------------------------

@dataclass(frozen=True)
class NodePattern:
    var: str  # the parser names an anonymous node (``fresh``)
    labels: tuple[str, ...] = ()          # all of these
    any_labels: tuple[str, ...] = ()      # one of these (``:A|B``)
    props: Expr | None = None


@dataclass(frozen=True)
class RelPattern:
    var: str  # the parser names an anonymous relationship (``fresh``)
    types: tuple[str, ...] = ()
    direction: str = "both"  # "out" (->), "in" (<-) or "both"
    props: Expr | None = None
    min_hops: int | None = None  # None: a single hop
    max_hops: int | None = None  # None with min_hops set: unbounded


@dataclass(frozen=True)
class PathPattern:
    var: str | None
    nodes: tuple[NodePattern, ...]
    rels: tuple[RelPattern, ...]
    shortest: str | None = None  # None, "shortest" or "all"


# -- clauses -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    expr: Expr
    name: str
    aliased: bool


@dataclass(frozen=True)
class SortItem:
    expr: Expr
    descending: bool


@dataclass(frozen=True)
class Match:
    patterns: tuple[PathPattern, ...]
    where: Expr | None
    optional: bool


@dataclass(frozen=True)
class Unwind:
    expr: Expr
    var: str


@dataclass(frozen=True)
class Projection:
    """WITH (``final`` False) or RETURN (``final`` True)."""

    items: tuple[Item, ...]
    star: bool
    distinct: bool
    order: tuple[SortItem, ...]
    skip: Expr | None
    limit: Expr | None
    where: Expr | None
    final: bool


@dataclass(frozen=True)
class CallProcedure:
    name: str
    args: tuple[Expr, ...]
    yields: tuple[tuple[str, str], ...] | None  # (column, variable); None: all columns
    where: Expr | None


@dataclass(frozen=True)
class SingleQuery:
    clauses: tuple


@dataclass(frozen=True)
class Union:
    queries: tuple[SingleQuery, ...]
    all: bool


def children(node) -> list:
    """The direct sub-expressions and sub-patterns of a node (for tree walks)."""
    from dataclasses import fields, is_dataclass
    out = []
    for f in fields(node):
        value = getattr(node, f.name)
        stack = [value]
        while stack:
            v = stack.pop()
            if is_dataclass(v):
                out.append(v)
            elif isinstance(v, (tuple, list)):
                stack.extend(v)
    return out
