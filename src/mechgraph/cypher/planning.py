"""How a MATCH is run: rewrites and hints that keep its rows and make them cheaper.

- :func:`lift_cross_references` moves a property-map entry that uses another variable of
  the same MATCH (``(a)-->(b {id: a.x})``) into the MATCH's WHERE, where it means the
  same (``b.id = a.x`` must be true) and can be checked once every variable is bound.
- :func:`seek_hints` finds the WHERE conjuncts ``v.key = expr`` and ``v.key IN expr``
  whose ``expr`` is known before the MATCH runs, so the matcher can seek ``v`` through a
  property index instead of scanning. The WHERE is still applied to every row.
- :func:`join_plan` finds the patterns of a MATCH that share no variable with what is bound
  before them and that its WHERE ties to those rows by equalities (``MATCH (a:X), (b:Y)
  WHERE a.p = b.q``, or a MATCH after a WITH): each is matched once on its own and joined
  through a hash table on the equalities' values (:class:`mechgraph.cypher.matching.JoinTable`)
  instead of once per row before it. The WHERE is still applied to every joined row.
- :func:`row_cap` says how many rows an UNWIND needs to produce when the projection after
  it only keeps the first ones (``RETURN ... LIMIT k`` without ORDER BY, DISTINCT or
  aggregation), so that ``range()`` is walked without building the list.

Rows stream from clause to clause (:mod:`mechgraph.cypher.engine`), so a LIMIT stops the
clauses before it; ORDER BY with LIMIT keeps only the first rows on a heap.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ast as A
from .checks import _free, has_aggregate, pattern_vars

#: a hint: (property key, expression, "=" or "IN")
Hint = tuple[str, A.Expr, str]


def uses(expr: A.Expr, names: set[str]) -> bool:
    """True when ``expr`` reads one of the variables ``names``."""
    return bool(_free(expr, set()) & names)


def lift_cross_references(clause: A.Match) -> A.Match:
    """The same MATCH with property-map entries that read a variable this MATCH binds moved
    into its WHERE (single relationships and nodes; a variable-length relationship keeps
    them, and the matcher refuses what it cannot evaluate)."""
    names = set(pattern_vars(clause.patterns))
    lifted: list[A.Expr] = []

    def split(var: str | None, props: A.Expr | None, single: bool) -> A.Expr | None:
        if not isinstance(props, A.MapLit) or not single or var is None:
            return props
        keep = []
        for key, expr in props.items:
            if uses(expr, names):
                lifted.append(A.Compare(("=",), (A.Prop(A.Var(var), key), expr)))
            else:
                keep.append((key, expr))
        return props if len(keep) == len(props.items) else A.MapLit(tuple(keep))

    patterns = []
    for p in clause.patterns:
        nodes = tuple(A.NodePattern(n.var, n.labels, n.any_labels, split(n.var, n.props, True)) for n in p.nodes)
        rels = tuple(A.RelPattern(r.var, r.types, r.direction, split(r.var, r.props, r.min_hops is None),
                                  r.min_hops, r.max_hops) for r in p.rels)
        patterns.append(A.PathPattern(p.var, nodes, rels, p.shortest))
    if not lifted:
        return clause
    where = clause.where
    for condition in lifted:
        where = condition if where is None else A.Binary("AND", where, condition)
    return A.Match(tuple(patterns), where, clause.optional)


def conjuncts(expr: A.Expr | None) -> list[A.Expr]:
    """The parts of a WHERE joined by AND."""
    if expr is None:
        return []
    if isinstance(expr, A.Binary) and expr.op == "AND":
        return conjuncts(expr.left) + conjuncts(expr.right)
    return [expr]


def seek_hints(clause: A.Match) -> dict[str, list[Hint]]:
    """Node variable -> the (key, expression, operator) seeks its WHERE allows, where the
    expression reads none of the variables this MATCH binds."""
    names = set(pattern_vars(clause.patterns))
    node_vars = {n.var for p in clause.patterns for n in p.nodes if n.var}
    hints: dict[str, list[Hint]] = {}
    for part in conjuncts(clause.where):
        found = _hint(part, node_vars, names)
        if found is not None:
            var, hint = found
            hints.setdefault(var, []).append(hint)
    return hints


def _hint(part: A.Expr, node_vars: set[str], names: set[str]) -> tuple[str, Hint] | None:
    def prop_of(expr) -> tuple[str, str] | None:
        if isinstance(expr, A.Prop) and isinstance(expr.subject, A.Var) and expr.subject.name in node_vars:
            return expr.subject.name, expr.key
        return None

    if isinstance(part, A.Compare) and part.ops == ("=",):
        left, right = part.operands
        for side, other in ((left, right), (right, left)):
            found = prop_of(side)
            if found is not None and not uses(other, names) and not has_aggregate(other):
                return found[0], (found[1], other, "=")
    if isinstance(part, A.Binary) and part.op == "IN":
        found = prop_of(part.left)
        if found is not None and not uses(part.right, names) and not has_aggregate(part.right):
            return found[0], (found[1], part.right, "IN")
    return None


@dataclass(frozen=True)
class Join:
    """Pattern ``index`` of a MATCH, matched once on its own and joined to the rows before it
    where every ``left[i] = right[i]`` holds (``left`` reads only what is bound before the
    pattern, ``right`` only the pattern's own variables)."""

    index: int
    left: tuple[A.Expr, ...]
    right: tuple[A.Expr, ...]


def join_plan(clause: A.Match, outer: set[str], hints: dict[str, list[Hint]]
              ) -> dict[int, Join]:
    """Pattern index -> how to join it, for the patterns of ``clause`` that can be matched
    once on their own: they bind none of the variables bound before them (``outer``, the
    variables bound before the MATCH, and the earlier patterns'), their property maps and
    seek hints read none of them, and the WHERE has at least one conjunct ``l = r`` whose
    ``l`` reads some of them and whose ``r`` reads only the pattern's own variables. A
    pattern that a seek already narrows from the rows before it (``hints``) is left to the
    seek, as are shortest paths.

    >>> from mechgraph.cypher.parser import parse
    >>> match = parse("MATCH (a:X), (b:Y) WHERE a.p = toLower(b.q) RETURN a").clauses[0]
    >>> join_plan(match, set(), {})[1].right
    (Call(name='tolower', args=(Prop(subject=Var(name='b'), key='q'),), distinct=False, star=False),)
    """
    plan: dict[int, Join] = {}
    before = set(outer)
    parts = [p for p in conjuncts(clause.where) if isinstance(p, A.Compare) and p.ops == ("=",)]
    for index, pattern in enumerate(clause.patterns):
        own = set(pattern_vars((pattern,)))
        elements: list[A.NodePattern | A.RelPattern] = [*pattern.nodes, *pattern.rels]
        alone = (before and not pattern.shortest and not own & before
                 and all(item.props is None or _free(item.props, set()) <= own for item in elements)
                 and not any(_free(expr, set()) for n in pattern.nodes for _, expr, _ in hints.get(n.var, ())))
        if alone:
            left: list[A.Expr] = []
            right: list[A.Expr] = []
            for part in parts:
                first, second = part.operands
                for one, other in ((first, second), (second, first)):
                    reads, other_reads = _free(one, set()), _free(other, set())
                    if (reads and reads <= before and other_reads and other_reads <= own
                            and not has_aggregate(one) and not has_aggregate(other)):
                        left.append(one)
                        right.append(other)
                        break
            if left:
                plan[index] = Join(index, tuple(left), tuple(right))
        before |= own
    return plan


def row_cap(projection: A.Projection, count) -> int | None:
    """How many rows the clause before ``projection`` needs to produce, or None for all.
    ``count(expr, what)`` evaluates SKIP and LIMIT."""
    if projection.limit is None or projection.order or projection.distinct:
        return None
    if any(has_aggregate(item.expr) for item in projection.items):
        return None
    limit = count(projection.limit, "LIMIT")
    skip = count(projection.skip, "SKIP") or 0
    return None if limit is None else skip + limit
