"""The embedded Cypher engine: read-only Cypher over the property graph, no server.

It runs MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, ORDER BY, SKIP, LIMIT,
DISTINCT, UNION, aggregation, list and pattern comprehensions, EXISTS/COUNT { pattern },
shortestPath, and the procedures db.labels(), db.relationshipTypes() and
db.propertyKeys(); anything else is refused with the feature's name. It answers from
the same projection (:mod:`mechgraph.backends.propertygraph`) that ``mechgraph load`` writes to
Neo4j, so a query gives the same rows here and there.

>>> from mechgraph import MechGraph
>>> engine = Engine.for_graph(MechGraph.load("tests/data/example-graph"))
>>> engine.run("MATCH (d:Drug)-[r]->(t:Receptor) RETURN d.id, type(r), t.id").rows
[['drug-x', 'ANTAGONIZES', 'receptor-r']]
"""

from __future__ import annotations

import heapq
import weakref
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from dataclasses import fields, is_dataclass, replace
from typing import Any

from . import ast as A
from ..errors import CacheDamaged
from .errors import CypherError, InvalidQuery, UnsupportedFeature, found_at
from .expressions import Evaluator
from .functions import AGGREGATES, aggregate, lazy_range
from .limits import bounded, current
from .checks import _free, check, has_aggregate, pattern_vars, walk
from .matching import GraphIndex, JoinTable, Matcher
from .parser import parse
from .planning import join_plan, lift_cross_references, row_cap, seek_hints
from .semantics import group_key, order_key, truth
from .values import Result

_ENGINES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: procedure -> its one output column
PROCEDURES = {"db.labels": "label", "db.relationshiptypes": "relationshipType", "db.propertykeys": "propertyKey"}


class Engine:
    """Runs read-only Cypher over one property graph."""

    def __init__(self, property_graph):
        self.graph = GraphIndex.from_property_graph(property_graph)
        #: over a stored index: the graph to answer from instead when the index is found damaged
        self._instead: Callable[[], GraphIndex] | None = None

    @classmethod
    def from_index(cls, index: GraphIndex) -> Engine:
        """An engine over an already indexed graph (any nodes and relationships)."""
        engine = cls.__new__(cls)
        engine.graph = index
        engine._instead = None
        return engine

    @classmethod
    def for_graph(cls, graph) -> Engine:
        """The engine of a MechGraph (made once per graph object): over the graph's stored
        index when it is read from the cache (:mod:`mechgraph.cypher.stored`), else over its
        projection (:func:`mechgraph.backends.propertygraph.project`)."""
        engine = _ENGINES.get(graph)
        if engine is None:
            from ..backends.propertygraph import project
            from .stored import stored_index
            index = stored_index(graph)
            if index is None:
                engine = cls(project(graph))
            else:
                engine = cls.from_index(index)
                engine._instead = lambda: GraphIndex.from_property_graph(project(graph))
            _ENGINES[graph] = engine
        return engine

    def run(self, query: str, params: dict | None = None, *, timeout: float | None = None,
            max_rows: int | None = None) -> Result:
        """Run a query within ``timeout`` seconds and ``max_rows`` rows (defaults:
        :mod:`mechgraph.cypher.limits`); return its Result. Raises CypherSyntaxError,
        UnsupportedFeature, ReadOnly or CypherError (QueryLimit past a bound; all
        MechgraphErrors); a CypherError says its openCypher ``kind`` and the ``phase`` it
        was found in (:mod:`mechgraph.cypher.errors`)."""
        with bounded(timeout, max_rows):
            try:
                return self._run(query, params)
            except CacheDamaged as exc:
                if self._instead is None:
                    raise
                from ..store.cache import warn
                from .stored import StoredGraph, remove
                warn(f"{exc}; removing it and answering from the graph's projection")
                assert isinstance(self.graph, StoredGraph)  # the one kind of graph with an ``_instead``
                remove(self.graph.path)
                self.graph, self._instead = self._instead(), None
                return self._run(query, params)

    def _run(self, query: str, params: dict | None) -> Result:
        try:
            tree = parse(query)
            check(tree)
        except CypherError as exc:
            found_at(exc, "compile")
            raise
        try:
            return self._execute(tree, params)
        except CypherError as exc:
            found_at(exc, "runtime")
            raise

    def _execute(self, tree, params: dict | None) -> Result:
        evaluator = Evaluator(dict(params or {}))
        evaluator.matcher = Matcher(self.graph, evaluator)
        if isinstance(tree, A.Union):
            parts = [self._single(q, evaluator) for q in tree.queries]
            columns = parts[0][0]
            if any(p[0] != columns for p in parts):
                raise InvalidQuery("all sub-queries of a UNION must return the same column names")
            rows = [row for _, part in parts for row in part]
            if not tree.all:
                rows = _distinct_rows(rows)
            return Result(columns, rows, backend="embedded")
        columns, rows = self._single(tree, evaluator)
        return Result(columns, rows, backend="embedded")

    # -- clauses ------------------------------------------------------------------------
    # Each clause turns the stream of rows before it into the stream after it, lazily, so
    # that a LIMIT stops every clause before it once it has its rows. A clause checks its
    # arguments when the pipeline is built; rows are only held where a clause must see them
    # all (aggregation, ORDER BY, a join's table, the result).
    def _single(self, query: A.SingleQuery, ev: Evaluator) -> tuple[list[str], list[list]]:
        rows: Iterable[dict] = iter([{}])
        columns: list[str] = []
        scope: list[str] = []
        for position, clause in enumerate(query.clauses):
            if isinstance(clause, A.Match):
                rows = self._match(clause, rows, ev, set(scope))
                scope += [v for v in pattern_vars(clause.patterns) if v not in scope and not v.startswith(" ")]
            elif isinstance(clause, A.Unwind):
                after = query.clauses[position + 1] if position + 1 < len(query.clauses) else None
                capped = isinstance(after, A.Projection) and row_cap(after, lambda e, what: _count(ev, e, what)) is not None
                rows = self._unwind(clause, rows, ev, capped)
                scope.append(clause.var)
            elif isinstance(clause, A.Projection):
                rows, columns = self._project(clause, rows, ev, scope)
                scope = list(columns)
            elif isinstance(clause, A.CallProcedure):
                rows, names = self._call(clause, rows, ev, standalone=len(query.clauses) == 1)
                scope += names
                columns = names
        return columns, _held([row.get(c) for c in columns] for row in rows)

    def _match(self, clause: A.Match, rows: Iterable[dict], ev: Evaluator, outer: set[str]) -> Iterator[dict]:
        """The rows of a MATCH, one input row at a time; ``outer``: the variables bound before it."""
        if clause.where is not None and any(p.shortest for p in clause.patterns):
            raise UnsupportedFeature("WHERE on a MATCH with shortestPath()")
        clause = lift_cross_references(clause)
        hints = seek_hints(clause)
        plan = join_plan(clause, outer, hints)
        new_vars = pattern_vars(clause.patterns)

        def stream() -> Iterator[dict]:
            joins = {index: JoinTable(join) for index, join in plan.items()}
            for row in rows:
                found = False
                for r in ev.matcher.match(row, clause.patterns, hints, joins):
                    if clause.where is None or truth(ev(clause.where, r), "WHERE") is True:
                        found = True
                        yield r
                if not found and clause.optional:
                    yield {**{v: None for v in new_vars}, **row}
        return stream()

    def _unwind(self, clause: A.Unwind, rows: Iterable[dict], ev: Evaluator, capped: bool = False) -> Iterator[dict]:
        """The rows of an UNWIND; when ``capped`` (a LIMIT right after it keeps only the first
        rows), ``range()`` is walked without building the whole list."""
        lazy = capped and isinstance(clause.expr, A.Call) and clause.expr.name == "range"
        for row in rows:
            value: Any
            if lazy:
                assert isinstance(clause.expr, A.Call)
                value = lazy_range(*(ev(arg, row) for arg in clause.expr.args))
            else:
                value = ev(clause.expr, row)
            items = [] if value is None else value if isinstance(value, (list, range)) else [value]
            for item in items:
                new = dict(row)
                new[clause.var] = item
                yield new

    def _call(self, clause: A.CallProcedure, rows: Iterable[dict], ev: Evaluator, standalone: bool):
        name = clause.name.lower()
        if name not in PROCEDURES:
            raise UnsupportedFeature(f"the procedure {clause.name}()")
        if clause.args:
            raise InvalidQuery(f"{clause.name}() takes no arguments")
        column = PROCEDURES[name]
        if clause.yields is None and not standalone:
            raise InvalidQuery(f"CALL {clause.name}() inside a query needs YIELD")
        yields = clause.yields if clause.yields is not None else ((column, column),)
        for source, _ in yields:
            if source != column:
                raise InvalidQuery(f"{clause.name}() has no output {source!r} (it yields {column})")
        values = self._procedure(name)

        def stream() -> Iterator[dict]:
            for row in rows:
                for value in values:
                    new = dict(row)
                    for _, target in yields:
                        new[target] = value
                    if clause.where is None or truth(ev(clause.where, new), "WHERE") is True:
                        yield new
        return stream(), [target for _, target in yields]

    def _procedure(self, name: str) -> list[str]:
        g = self.graph
        if name == "db.labels":
            return g.label_names()
        if name == "db.relationshiptypes":
            return g.relationship_types()
        return g.property_keys()

    # -- WITH and RETURN --------------------------------------------------------------------
    def _project(self, clause: A.Projection, rows: Iterable[dict], ev: Evaluator, scope: list[str]
                 ) -> tuple[Iterator[dict], list[str]]:
        """The rows of a WITH or RETURN (lazily, unless it aggregates or sorts) and its columns."""
        items = list(clause.items)
        if clause.star:
            visible = sorted(v for v in scope if not v.startswith(" "))
            if not visible and clause.final:
                raise InvalidQuery("RETURN * is not allowed when there are no variables in scope")
            items = [A.Item(A.Var(v), v, False) for v in visible] + items
        columns = [item.name for item in items]
        aggregating = any(has_aggregate(item.expr) for item in items)
        keys = []
        if clause.order:
            mapping = {item.expr: A.Var(item.name) for item in items if not isinstance(item.expr, A.Var)}
            for sort in clause.order:
                expr = _substitute(sort.expr, mapping)
                if has_aggregate(expr):
                    raise InvalidQuery("ORDER BY can only use an aggregate that the projection returns")
                keys.append((expr, sort.descending))
        skip = _count(ev, clause.skip, "SKIP") or 0
        limit = _count(ev, clause.limit, "LIMIT")
        keep_row = not aggregating and not clause.distinct

        def sort_key(pair):
            values, row = pair
            env = {**row, **values} if keep_row else values
            return [_Sortable(order_key(ev(expr, env)), desc) for expr, desc in keys]

        # top-k: a heap of the first skip + limit rows, as sorted()[:k] orders them (stable);
        # without DISTINCT or aggregation, only the columns the order reads are computed
        # before a row enters the heap, the others once it is among the kept rows
        top_k = bool(keys) and limit is not None and skip + limit <= current().max_rows  # a heap within the budget
        sorted_on = {item.name for item in items if any(item.name in _free(expr, set()) for expr, _ in keys)}
        early = [item for item in items if item.name in sorted_on] if top_k and keep_row else items

        def stream() -> Iterator[dict]:
            pairs: Iterable[tuple[dict, dict]]
            if aggregating:
                pairs = self._aggregate(items, rows, ev)
            else:
                pairs = (({item.name: ev(item.expr, row) for item in early}, row) for row in rows)
            if clause.distinct:
                pairs = _unique(pairs, columns)
            if top_k:
                assert limit is not None
                pairs = heapq.nsmallest(skip + limit, pairs, key=sort_key)
                if len(early) < len(items):
                    pairs = [({item.name: values[item.name] if item.name in values else ev(item.expr, row)
                               for item in items}, row) for values, row in pairs]
            elif keys:
                pairs = sorted(_held(pairs), key=sort_key)
            if skip or limit is not None:
                pairs = islice(pairs, skip, None if limit is None else skip + limit)
            for values, row in pairs:
                if clause.where is None or truth(ev(clause.where, {**row, **values} if not aggregating else values),
                                                  "WHERE") is True:
                    yield values
        return stream(), columns

    def _aggregate(self, items: list[A.Item], rows: Iterable[dict], ev: Evaluator) -> list[tuple[dict, dict]]:
        """One (values, first row) pair per group; a group keeps its first row and, for each
        aggregate, the non-null values of its argument (or a count), not its rows."""
        keys = [item for item in items if not has_aggregate(item.expr)]
        calls: list[A.Call] = []
        for item in items:
            for call in _aggregate_calls(item.expr):
                if call not in calls:
                    calls.append(call)
        # an aggregate refused for its form (no argument, nested) is refused per group below
        fed = [call for call in calls if not call.star and _aggregate_form(call) is None]
        counted = [call for call in calls if call.star]
        groups: dict[tuple, tuple[dict, dict[A.Call, Any]]] = {}
        for row in _counted(rows):
            key = tuple(group_key(ev(item.expr, row)) for item in keys)
            group = groups.get(key)
            if group is None:
                group = groups[key] = (row, {call: 0 if call.star else [] for call in calls})
            gathered = group[1]
            for call in counted:
                gathered[call] += 1
            for call in fed:
                value = ev(call.args[0], row)
                if value is not None:
                    gathered[call].append(value)
        empty = not keys and not groups
        if empty:
            groups[()] = ({}, {call: 0 if call.star else [] for call in calls})
        placeholders = {call: A.Var(f"  agg{i}") for i, call in enumerate(calls)}
        out = []
        for first, gathered in groups.values():
            env = dict(first)
            for call, var in placeholders.items():
                env[var.name] = self._aggregate_call(call, gathered[call], None if empty else first, ev)
            values = {}
            for item in items:
                expr = _substitute(item.expr, placeholders) if item not in keys else item.expr
                values[item.name] = ev(expr, env)
            out.append((values, first))
        return out

    @staticmethod
    def _aggregate_call(call: A.Call, gathered, first: dict | None, ev: Evaluator):
        """The value of one aggregate over a group: ``gathered`` is its count (``count(*)``)
        or its argument's non-null values; ``first`` the group's first row (None for no row)."""
        if call.star:
            return gathered
        refused = _aggregate_form(call)
        if refused is not None:
            raise InvalidQuery(refused)
        extra = [ev(arg, first) for arg in call.args[1:]] if first is not None else []
        return aggregate(call.name, gathered, call.distinct, extra)


def _aggregate_form(call: A.Call) -> str | None:
    """Why an aggregate call cannot run (no argument, a nested aggregate), or None."""
    if not call.args:
        return f"{call.name}() needs an argument"
    if any(has_aggregate(arg) for arg in call.args):
        return "aggregating functions cannot be nested"
    return None


class _Sortable:
    """One ORDER BY key, ascending or descending."""

    __slots__ = ("key", "desc")

    def __init__(self, key, desc: bool):
        self.key = key
        self.desc = desc

    def __lt__(self, other: _Sortable) -> bool:
        return other.key < self.key if self.desc else self.key < other.key

    def __eq__(self, other) -> bool:
        return self.key == other.key


def _count(ev: Evaluator, expr: A.Expr | None, what: str) -> int | None:
    if expr is None:
        return None
    value = ev(expr, {})  # a wrong value is a SyntaxError found at run time, as openCypher says
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidQuery(f"{what} needs a non-negative integer, not {value!r}")
    return value


def _counted(rows: Iterable) -> Iterator:
    """``rows`` as they come, stopping the query once more of them are held than its budget allows."""
    budget = current()
    held = 0
    for held, row in enumerate(rows, 1):
        if held % 1024 == 0:
            budget.rows(held)
        yield row
    budget.rows(held)


def _held(rows: Iterable) -> list:
    """``rows`` as a list, within the query's row budget."""
    return list(_counted(rows))


def _unique(pairs: Iterable[tuple[dict, dict]], columns: list[str]) -> Iterator[tuple[dict, dict]]:
    """The (values, row) pairs whose values were not seen before (DISTINCT), lazily."""
    seen: set[tuple] = set()
    budget = current()
    for values, row in pairs:
        key = tuple(group_key(values[c]) for c in columns)
        if key not in seen:
            seen.add(key)
            if len(seen) % 1024 == 0:
                budget.rows(len(seen))
            yield values, row


def _distinct_rows(rows: list[list]) -> list[list]:
    seen = set()
    out = []
    for row in rows:
        key = tuple(group_key(v) for v in row)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _aggregate_calls(expr) -> list[A.Call]:
    return [n for n in walk(expr) if isinstance(n, A.Call) and n.name in AGGREGATES]


def _substitute(expr, mapping: dict):
    """``expr`` with every sub-expression found in ``mapping`` replaced."""
    if expr in mapping:
        return mapping[expr]
    if not is_dataclass(expr) or isinstance(expr, type):
        return expr
    changes = {}
    for f in fields(expr):
        value = getattr(expr, f.name)
        new = _substitute_value(value, mapping)
        if new is not value:
            changes[f.name] = new
    return replace(expr, **changes) if changes else expr


def _substitute_value(value, mapping):
    if is_dataclass(value):
        return _substitute(value, mapping)
    if isinstance(value, tuple):
        new = tuple(_substitute_value(v, mapping) for v in value)
        return new if any(a is not b for a, b in zip(new, value, strict=True)) else value
    return value


