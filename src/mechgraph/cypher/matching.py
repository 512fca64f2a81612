"""Pattern matching over the in-memory property graph, with Neo4j's semantics.

Within one MATCH clause a relationship is used at most once (relationship isomorphism),
across all its patterns and hops; a variable-length hop enumerates every path of
allowed length, so parallel relationships give separate rows; an undirected hop
follows a relationship either way (a self-loop once); ``shortestPath`` and
``allShortestPaths`` search breadth-first between their two end nodes.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence

from . import ast as A
from .limits import current
from .errors import CypherArgumentError, CypherError, CypherTypeError, UnsupportedFeature
from .semantics import equals, type_name
from .values import Node, Path, Relationship


class GraphIndex:
    """The nodes and relationships of a property graph, indexed for matching."""

    def __init__(self, nodes: Sequence[Node], relationships: Sequence[Relationship]):
        self.nodes = nodes
        self.relationships = relationships
        self.by_label: dict[str, Sequence[Node]] = {}
        self.out: dict[str, list[Relationship]] = {n.element_id: [] for n in nodes}
        self.inc: dict[str, list[Relationship]] = {n.element_id: [] for n in nodes}
        #: the same relationships by type: node -> type -> relationships
        self.out_typed: dict[str, dict[str, list[Relationship]]] = {}
        self.inc_typed: dict[str, dict[str, list[Relationship]]] = {}
        #: property key -> (seek key -> nodes, nodes whose value no key stands for: a list, a map,
        #: NaN, which every seek checks); built on first use, ``id`` included
        self._by_property: dict[str, tuple[dict[tuple, list[Node]], list[Node]]] = {}
        self._position: dict[str, int] | None = None
        by_label: dict[str, list[Node]] = {}
        for node in nodes:
            for label in node.labels:
                by_label.setdefault(label, []).append(node)
        self.by_label.update(by_label)
        for rel in relationships:
            start, end = rel.start, rel.end
            assert start is not None and end is not None  # a graph's relationships know their ends
            self.out[start.element_id].append(rel)
            self.inc[end.element_id].append(rel)
            self.out_typed.setdefault(start.element_id, {}).setdefault(rel.type, []).append(rel)
            self.inc_typed.setdefault(end.element_id, {}).setdefault(rel.type, []).append(rel)

    def seek(self, key: str, wanted: tuple) -> list[Node]:
        """The nodes whose property ``key`` may equal a value with seek key ``wanted``: those
        with that key, and those whose value no key stands for (the caller checks them)."""
        index = self._by_property.get(key)
        if index is None:
            keyed: dict[tuple, list[Node]] = {}
            unkeyed: list[Node] = []
            for node in self.nodes:
                if key in node.properties:
                    found = seek_key(node.properties[key])
                    if found is None:
                        unkeyed.append(node)
                    else:
                        keyed.setdefault(found, []).append(node)
            index = self._by_property[key] = (keyed, unkeyed)
        keyed, unkeyed = index
        return keyed.get(wanted, []) + unkeyed if unkeyed else keyed.get(wanted, [])

    def in_graph_order(self, nodes: list[Node]) -> list[Node]:
        """``nodes`` without repeats, in the order of the graph's node list."""
        position = self._position
        if position is None:
            position = self._position = {n.element_id: i for i, n in enumerate(self.nodes)}
        unique = {n.element_id: n for n in nodes}
        return sorted(unique.values(), key=lambda n: position[n.element_id])

    def adjacent(self, node: Node, types: tuple[str, ...], outgoing: bool) -> list[Relationship]:
        """The relationships leaving (``outgoing``) or entering ``node``, of one of ``types``
        (any type when empty), in the graph's relationship order."""
        every, typed = (self.out, self.out_typed) if outgoing else (self.inc, self.inc_typed)
        if not types:
            return every[node.element_id]
        by_type = typed.get(node.element_id)
        if not by_type:
            return []
        if len(types) == 1:
            return by_type.get(types[0], [])
        wanted = set(types)
        return [r for r in every[node.element_id] if r.type in wanted]

    def scan(self, types: tuple[str, ...], outgoing: bool) -> Iterator[Relationship]:
        """Every relationship of one of ``types`` (any type when empty), node by node in the
        graph's node order, each node's in :meth:`adjacent`'s order: leaving it when
        ``outgoing``, else entering it (the order matching ``()-[r]->()`` walks them in)."""
        for node in self.nodes:
            yield from self.adjacent(node, types, outgoing)

    def label_names(self) -> list[str]:
        """Every label some node has, sorted (``db.labels()``)."""
        return sorted(self.by_label)

    def relationship_types(self) -> list[str]:
        """Every relationship type in the graph, sorted (``db.relationshipTypes()``)."""
        return sorted({r.type for r in self.relationships})

    def property_keys(self) -> list[str]:
        """Every property key of a node or relationship, sorted (``db.propertyKeys()``)."""
        return sorted({k for n in self.nodes for k in n.properties} | {k for r in self.relationships for k in r.properties})

    @classmethod
    def from_property_graph(cls, pg) -> GraphIndex:
        """Build from a :class:`mechgraph.backends.propertygraph.PropertyGraph`; element ids are the
        mechgraph ids."""
        nodes = {n.id: Node(n.id, n.labels, dict(n.properties)) for n in pg.nodes}
        rels = [Relationship(r.id, r.type, dict(r.properties), nodes[r.start], nodes[r.end])
                for r in pg.relationships]
        return cls(list(nodes.values()), rels)


def seek_key(value) -> tuple | None:
    """The index key of a property value: values Cypher calls equal (``1`` and ``1.0``)
    share a key, values it does not (``true`` and ``1``, ``'1'`` and ``1``) do not. None
    for a value no key stands for (null, NaN, a list, a map, anything else): such nodes
    are checked by every seek, and such a seek scans."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int):
        return ("n", value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return ("n", int(value)) if value.is_integer() else ("n", value)
    if isinstance(value, str):
        return ("s", value)
    return None


Evaluate = Callable[[A.Expr, dict], object]

#: a join key standing for values that equal nothing (null, NaN, a list or map holding one)
NEVER = object()
#: a join key standing for "unknown": no hashable key (or evaluating it failed); such rows
#: are handed to the WHERE with every row of the other side
UNKEYED = object()


def join_key(value):
    """A hashable key such that ``equals(a, b)`` is true exactly when ``a`` and ``b`` have
    the same key (``1`` and ``1.0`` share one; ``true`` and ``1`` do not); NEVER for a value
    equal to nothing, UNKEYED for one without a key (temporal values and the like).

    >>> join_key(1) == join_key(1.0), join_key([1, "a"]) == join_key([1.0, "a"]), join_key(True) == join_key(1)
    (True, True, False)
    >>> join_key([1, None]) is NEVER, join_key(float("nan")) is NEVER
    (True, True)
    """
    if value is None:
        return NEVER
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return NEVER if value != value else ("n", value)  # NaN; Python's 1 == 1.0 is Cypher's
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, (Node, Relationship)):
        return (type(value).__name__, value.element_id)
    if isinstance(value, Path):
        return ("p", tuple(n.element_id for n in value.nodes), tuple(r.element_id for r in value.relationships))
    parts: list
    if isinstance(value, list):
        parts = [join_key(v) for v in value]
    elif isinstance(value, dict):
        parts = [join_key(v) for v in value.values()]
    else:
        return UNKEYED
    if any(p is UNKEYED for p in parts):
        return UNKEYED
    if any(p is NEVER for p in parts):
        return NEVER
    if isinstance(value, dict):
        return ("m", tuple(sorted(zip(value, parts, strict=True))))
    return ("l", tuple(parts))


def join_key_of(exprs: tuple[A.Expr, ...], row: dict, evaluate: Evaluate):
    """The join key of the values of ``exprs`` on ``row`` (UNKEYED when one cannot be
    evaluated: the WHERE then evaluates it, and reports the error on a row that exists)."""
    keys = []
    for expr in exprs:
        try:
            key = join_key(evaluate(expr, row))
        except CypherError:
            return UNKEYED
        keys.append(key)
    if any(k is UNKEYED for k in keys):
        return UNKEYED
    return NEVER if any(k is NEVER for k in keys) else tuple(keys)


class JoinTable:
    """The matches of one pattern of a MATCH (:class:`mechgraph.cypher.planning.Join`),
    found once and held by their join key, for the length of one run of the MATCH. A
    pattern with more matches than the query's row budget is not held (``too_big``): it is
    then matched once per row, as without the join."""

    def __init__(self, join):
        self.join = join
        self.too_big = False
        #: (position, bindings, relationships used) of every match, in matching order
        self.every: list[tuple[int, dict, frozenset]] | None = None
        self.keyed: dict[tuple, list[tuple[int, dict, frozenset]]] | None = None
        #: the matches whose key is UNKEYED, which every probe sees
        self.unkeyed: list[tuple[int, dict, frozenset]] = []

    def build(self, matches: Iterable[tuple[dict, frozenset]], evaluate: Evaluate) -> None:
        """Hold ``matches`` by the key of the join's right-hand expressions."""
        most = current().max_rows
        every: list[tuple[int, dict, frozenset]] = []
        keyed: dict[tuple, list[tuple[int, dict, frozenset]]] = {}
        for position, (own, used) in enumerate(matches):
            if position == most:
                self.too_big, self.unkeyed = True, []
                return
            entry = (position, own, used)
            every.append(entry)
            key = join_key_of(self.join.right, own, evaluate)
            if key is UNKEYED:
                self.unkeyed.append(entry)
            elif key is not NEVER:
                keyed.setdefault(key, []).append(entry)
        self.every, self.keyed = every, keyed


def _scannable(pattern: A.PathPattern, row: dict, hints: dict) -> bool:
    """Whether ``pattern`` is one directed hop between two ends that ask nothing (unbound,
    no label, no property, no seek): ``()-[r]->()``, whose rows are the relationships."""
    if len(pattern.rels) != 1 or pattern.var is not None or pattern.shortest:
        return False
    rel = pattern.rels[0]
    if rel.min_hops is not None or rel.direction not in ("out", "in") or rel.var in row:
        return False
    ends = pattern.nodes
    return ends[0].var != ends[1].var and rel.var not in (ends[0].var, ends[1].var) and all(
        n.var not in row and not n.labels and not n.any_labels and n.props is None and not hints.get(n.var)
        for n in ends)


def _first(entry: tuple) -> int:
    return entry[0]


class Matcher:
    """Finds the bindings of patterns in a GraphIndex; ``evaluate(expr, row)`` evaluates
    property maps in patterns."""

    def __init__(self, graph: GraphIndex, evaluate: Evaluate):
        self.graph = graph
        self.evaluate = evaluate
        self.budget = current()  # the bounds of the query this matcher serves

    def match(self, row: dict, patterns: tuple[A.PathPattern, ...], hints: dict | None = None,
              joins: dict[int, JoinTable] | None = None) -> Iterator[dict]:
        """Every extension of ``row`` that binds the patterns (relationships used once).
        ``hints`` (:func:`mechgraph.cypher.planning.seek_hints`) name property seeks that
        may narrow a node's candidates; ``joins`` (pattern index -> JoinTable, from
        :func:`mechgraph.cypher.planning.join_plan`) name patterns matched once and joined
        on equalities; the caller still applies its WHERE."""
        yield from self._patterns(row, patterns, 0, frozenset(), hints or {}, joins or {})

    def _patterns(self, row, patterns, index, used, hints, joins) -> Iterator[dict]:
        if index == len(patterns):
            yield row
            return
        pattern = patterns[index]
        table = joins.get(index)
        if table is None and index + 1 == len(patterns) and _scannable(pattern, row, hints):
            yield from self._scan(row, pattern, used)
            return
        if table is not None:
            paths = self._joined(row, pattern, table, used, hints)
        elif pattern.shortest:
            paths = self._shortest(row, pattern, used, hints)
        else:
            paths = self._path(row, pattern, used, hints)
        for extended, used_now in paths:
            yield from self._patterns(extended, patterns, index + 1, used_now, hints, joins)

    def _joined(self, row: dict, pattern: A.PathPattern, table: JoinTable, used: frozenset, hints: dict
                ) -> Iterator[tuple[dict, frozenset]]:
        """The matches of ``pattern`` (matched once, on its own) whose join key is the key of
        ``row``, in the order matching it from ``row`` would give, relationships used once."""
        if table.every is None and not table.too_big:
            table.build(self._path({}, pattern, frozenset(), hints), self.evaluate)
        if table.too_big:
            yield from self._path(row, pattern, used, hints)
            return
        assert table.every is not None and table.keyed is not None
        probe = join_key_of(table.join.left, row, self.evaluate)
        if probe is UNKEYED:
            found: Iterable[tuple[int, dict, frozenset]] = table.every
        else:
            keyed = table.keyed.get(probe, []) if probe is not NEVER else []
            found = heapq.merge(keyed, table.unkeyed, key=_first) if keyed and table.unkeyed else keyed or table.unkeyed
        for _, own, own_used in found:
            if own_used.isdisjoint(used):
                yield {**row, **own}, used | own_used

    def _scan(self, row: dict, pattern: A.PathPattern, used: frozenset) -> Iterator[dict]:
        """The rows of a pattern :func:`_scannable` allows, the last of its MATCH: its
        relationships in the order matching would reach them (:meth:`GraphIndex.scan`), their
        named ends bound as they are, with no node looked at (so none is made, on a stored
        graph, unless the query names it)."""
        rel = pattern.rels[0]
        first, second = pattern.nodes[0].var, pattern.nodes[1].var
        outgoing = rel.direction == "out"
        # an anonymous end is bound to nothing (no clause can read it): its node is not made
        named_first, named_second = not first.startswith(" "), not second.startswith(" ")
        tick = self.budget.tick
        for r in self.graph.scan(rel.types, outgoing):
            if used and r.element_id in used:
                continue
            if rel.props is not None and not self._properties_match(r, rel.props, row):
                continue
            tick()
            new_row = dict(row)
            if named_first:
                new_row[first] = r.start if outgoing else r.end
            if named_second:
                new_row[second] = r.end if outgoing else r.start
            new_row[rel.var] = r
            yield new_row

    # -- nodes and relationships ---------------------------------------------------------
    def _properties_match(self, item, props: A.Expr | None, row: dict) -> bool:
        if props is None:
            return True
        wanted = self.evaluate(props, row)
        if wanted is None:
            return False
        if not isinstance(wanted, dict):
            raise CypherTypeError(f"type mismatch: a pattern's properties must be a map, not {type_name(wanted)}")
        have = item.properties
        return all(equals(have.get(k), v) is True for k, v in wanted.items())

    def node_fits(self, node: Node, pattern: A.NodePattern, row: dict) -> bool:
        if pattern.var in row:
            bound = row[pattern.var]
            if not (isinstance(bound, Node) and bound.element_id == node.element_id):
                return False
        if pattern.labels:
            labels = node.labels
            if any(label not in labels for label in pattern.labels):
                return False
        if pattern.any_labels and not any(label in node.labels for label in pattern.any_labels):
            return False
        return pattern.props is None or self._properties_match(node, pattern.props, row)

    def candidates(self, pattern: A.NodePattern, row: dict, hints: dict | None = None) -> Iterable[Node]:
        """The nodes that may match a node pattern, from the cheapest index."""
        bound = row.get(pattern.var, _UNBOUND)
        if bound is not _UNBOUND:
            if bound is None:
                return []
            if not isinstance(bound, Node):
                raise CypherTypeError(f"type mismatch: `{pattern.var}` is {type_name(bound)}, not a node")
            return [bound] if self.node_fits(bound, pattern, row) else []
        pool: Sequence[Node] | None = None
        for key, expr, op in self._seeks(pattern, hints):
            found = self._seek(key, expr, op, row)
            if found is not None and (pool is None or len(found) < len(pool)):
                pool = found
                if not pool:
                    return []
        if pattern.labels:
            by_label = min((self.graph.by_label.get(label, []) for label in pattern.labels), key=len)
            if pool is None or len(by_label) < len(pool):
                pool = by_label
        elif pattern.any_labels and pool is None:
            seen: dict[str, Node] = {}
            for label in pattern.any_labels:
                for node in self.graph.by_label.get(label, []):
                    seen.setdefault(node.element_id, node)
            pool = list(seen.values())
        if pool is None:
            pool = self.graph.nodes
        # lazily, so that a LIMIT that stops matching early does not pay for every node
        return (node for node in pool if self.node_fits(node, pattern, row))

    @staticmethod
    def _seeks(pattern: A.NodePattern, hints: dict | None) -> list[tuple[str, A.Expr, str]]:
        inline = [(key, expr, "=") for key, expr in pattern.props.items] if isinstance(pattern.props, A.MapLit) else []
        return inline + list((hints or {}).get(pattern.var, ()))

    def _seek(self, key: str, expr: A.Expr, op: str, row: dict) -> list[Node] | None:
        """The nodes a seek allows (a superset of those for which ``n.key op value`` holds),
        or None when it cannot narrow anything (the value cannot be computed yet, or no
        index key stands for it)."""
        try:
            value = self.evaluate(expr, row)
        except CypherError:
            return None  # left to the WHERE, which reports it on a row that exists
        if value is None:
            return []  # null equals nothing, and nothing is IN null
        if op == "=":
            wanted = seek_key(value)
            return None if wanted is None else self.graph.seek(key, wanted)
        if not isinstance(value, list):
            return None
        keys = [seek_key(v) for v in value if v is not None]
        known = [k for k in keys if k is not None]
        if len(known) < len(keys):
            return None
        return self.graph.in_graph_order([n for k in set(known) for n in self.graph.seek(key, k)])

    def _steps(self, node: Node, rel: A.RelPattern, forward: bool) -> Iterator[tuple[Relationship, Node]]:
        """Relationships leaving ``node`` along ``rel`` (walked forward or backward) and the
        node at their other end."""
        direction = rel.direction
        if not forward and direction != "both":
            direction = "in" if direction == "out" else "out"
        types = rel.types
        if direction in ("out", "both"):
            for r in self.graph.adjacent(node, types, True):
                assert r.end is not None  # a graph's relationships know their ends
                yield r, r.end
        if direction in ("in", "both"):
            for r in self.graph.adjacent(node, types, False):
                if not (direction == "both" and r.start is r.end):
                    assert r.start is not None
                    yield r, r.start

    # -- one path pattern ---------------------------------------------------------------------
    def _start_index(self, pattern: A.PathPattern, row: dict, hints: dict) -> int:
        def cost(i: int) -> tuple:
            node = pattern.nodes[i]
            if node.var in row:
                return (0, i)
            if (isinstance(node.props, A.MapLit) and node.props.items) or hints.get(node.var):
                return (1, i)
            if node.labels:
                return (2, min(len(self.graph.by_label.get(label, [])) for label in node.labels))
            return (3, i)
        ends = [0, len(pattern.nodes) - 1]
        return min(range(len(pattern.nodes)), key=lambda i: (cost(i), i not in ends))

    def _path(self, row: dict, pattern: A.PathPattern, used: frozenset, hints: dict
              ) -> Iterator[tuple[dict, frozenset]]:
        start = self._start_index(pattern, row, hints)
        k = len(pattern.rels)
        order = [(i, True) for i in range(start, k)] + [(i, False) for i in range(start - 1, -1, -1)]
        for node in self.candidates(pattern.nodes[start], row, hints):
            bound = dict(row)
            bound[pattern.nodes[start].var] = node
            nodes: list = [None] * (k + 1)
            nodes[start] = node
            hops: list = [None] * k
            yield from self._extend(pattern, order, 0, bound, nodes, hops, used)

    def _extend(self, pattern, order, step, row, nodes, hops, used) -> Iterator[tuple[dict, frozenset]]:
        self.budget.tick()
        if step == len(order):
            if pattern.var is not None:
                row = dict(row)
                row[pattern.var] = _build_path(nodes, hops)
            yield row, used
            return
        index, forward = order[step]
        rel = pattern.rels[index]
        here = nodes[index] if forward else nodes[index + 1]
        there_pattern = pattern.nodes[index + 1] if forward else pattern.nodes[index]
        last = step + 1 == len(order) and pattern.var is None  # the row is complete after this hop
        for taken, there in self._hop(rel, here, forward, row, used):
            if not self.node_fits(there, there_pattern, row):
                continue
            new_row = dict(row)
            new_row[there_pattern.var] = there
            rels: Relationship | list[Relationship]
            if rel.min_hops is None:
                rels = taken[0][0]
            else:
                rels = [r for r, _ in (taken if forward else reversed(taken))]
            if rel.var in row:
                if not _same_relationships(row[rel.var], rels):
                    continue
            new_row[rel.var] = rels
            if last:
                self.budget.tick()
                yield new_row, used | {r.element_id for r, _ in taken}
                continue
            new_nodes = list(nodes)
            new_nodes[index + 1 if forward else index] = there
            new_hops = list(hops)
            new_hops[index] = taken if forward else [(r, n) for r, n in _reverse_walk(taken, here)]
            yield from self._extend(pattern, order, step + 1, new_row, new_nodes, new_hops,
                                    used | {r.element_id for r, _ in taken})

    def _hop(self, rel: A.RelPattern, here: Node, forward: bool, row: dict, used: frozenset
             ) -> Iterator[tuple[list[tuple[Relationship, Node]], Node]]:
        """Ways to walk ``rel`` from ``here``: (the (relationship, next node) steps, the end node)."""
        if rel.min_hops is None:
            for r, there in self._steps(here, rel, forward):
                if r.element_id not in used and self._properties_match(r, rel.props, row):
                    yield [(r, there)], there
            return
        low, high = rel.min_hops, rel.max_hops
        if low == 0:
            yield [], here
        stack: list[tuple[Node, list[tuple[Relationship, Node]], frozenset]] = [(here, [], used)]
        while stack:
            node, walked, seen = stack.pop()
            if high is not None and len(walked) >= high:
                continue
            for r, there in self._steps(node, rel, forward):
                self.budget.tick()
                if r.element_id in seen or not self._properties_match(r, rel.props, row):
                    continue
                path = walked + [(r, there)]
                if len(path) >= max(low, 1):
                    yield path, there
                stack.append((there, path, seen | {r.element_id}))

    # -- shortest paths -------------------------------------------------------------------------------
    def _shortest(self, row: dict, pattern: A.PathPattern, used: frozenset, hints: dict
                  ) -> Iterator[tuple[dict, frozenset]]:
        if len(pattern.rels) != 1:
            raise UnsupportedFeature("shortestPath() over more than one relationship pattern")
        rel = pattern.rels[0]
        low = 1 if rel.min_hops is None else rel.min_hops
        high = 1 if rel.min_hops is None else rel.max_hops
        if low not in (0, 1):
            raise CypherArgumentError("shortestPath() needs a minimal length of 0 or 1")
        first, last = pattern.nodes
        for a in self.candidates(first, row, hints):
            with_a = dict(row, **{first.var: a})
            for b in self.candidates(last, with_a, hints):
                found = self._bfs(a, b, rel, low, high, with_a, all_paths=pattern.shortest == "all")
                for steps in found:
                    out = dict(with_a)
                    out[last.var] = b
                    out[rel.var] = [r for r, _ in steps] if rel.min_hops is not None else steps[0][0]
                    if pattern.var is not None:
                        out[pattern.var] = _build_path([a, b], [steps])
                    yield out, used

    def _bfs(self, a: Node, b: Node, rel: A.RelPattern, low: int, high: int | None, row: dict,
             all_paths: bool) -> list[list[tuple[Relationship, Node]]]:
        if a.element_id == b.element_id:
            return [[]] if low == 0 else []
        parents: dict[str, list[tuple[Relationship, Node]]] = {a.element_id: []}
        depth = {a.element_id: 0}
        frontier = deque([a])
        while frontier:
            node = frontier.popleft()
            d = depth[node.element_id]
            if high is not None and d >= high:
                continue
            if b.element_id in depth and depth[b.element_id] <= d:
                break
            for r, there in self._steps(node, rel, True):
                self.budget.tick()
                if not self._properties_match(r, rel.props, row):
                    continue
                seen = depth.get(there.element_id)
                if seen is None:
                    depth[there.element_id] = d + 1
                    parents[there.element_id] = [(r, node)]
                    frontier.append(there)
                elif seen == d + 1 and all_paths:
                    parents[there.element_id].append((r, node))
        if b.element_id not in depth:
            return []

        def walk(node: Node) -> list[list[tuple[Relationship, Node]]]:
            if node.element_id == a.element_id:
                return [[]]
            out = []
            for r, before in parents[node.element_id]:
                for head in walk(before):
                    out.append(head + [(r, node)])
            return out
        paths = walk(b)
        return paths if all_paths else paths[:1]


_UNBOUND = object()


def _reverse_walk(taken: list[tuple[Relationship, Node]], start: Node) -> list[tuple[Relationship, Node]]:
    """Steps walked backwards from ``start``, re-expressed in the pattern's left-to-right order."""
    if not taken:
        return []
    nodes = [start] + [n for _, n in taken]
    nodes.reverse()
    rels = [r for r, _ in taken]
    rels.reverse()
    return [(r, nodes[i + 1]) for i, r in enumerate(rels)]


def _build_path(nodes: list[Node], hops: list[list[tuple[Relationship, Node]]]) -> Path:
    path_nodes = [nodes[0]]
    path_rels = []
    for steps in hops:
        for r, node in steps:
            path_rels.append(r)
            path_nodes.append(node)
    return Path(tuple(path_nodes), tuple(path_rels))


def _same_relationships(bound, rels) -> bool:
    if isinstance(rels, list):
        return isinstance(bound, list) and [r.element_id for r in bound] == [r.element_id for r in rels]
    return isinstance(bound, Relationship) and bound.element_id == rels.element_id
