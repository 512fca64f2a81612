"""Ranked paths between two entities, with each hop's evidence.

Paths run over the assertions in either direction (a hop records whether it follows
its assertion forward or backward) unless ``directed`` is set. Between two
neighbouring entities the best-evidenced assertion (highest evidence score, then
strongest level) is the hop. An assertion whose findings all refute it is never a hop:
a path must not run through a claim the evidence denies.

The search runs on the MultiDiGraph itself, so nothing is rebuilt per query: a
bidirectional breadth-first search finds the shortest length, then a depth-first search
from the end with fewer neighbours enumerates the simple paths of each length, pruned
by the distances to the other end (a node ``r`` hops before the end must lie within
``r`` hops of it). On a graph of a million assertions a query takes milliseconds unless
its ends sit among hubs.
"""

from __future__ import annotations

import weakref

import networkx as nx

from .constants import EVIDENCE_LEVELS, level_rank
from .errors import MechgraphError, NoPath

#: the most candidate paths examined before ranking
CANDIDATE_LIMIT = 5000

_RANK = {level: level_rank(level) for level in EVIDENCE_LEVELS}
#: graph -> {node: position}, for breaking ties between assertions as the graph orders them
_POSITIONS: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict]" = weakref.WeakKeyDictionary()


def _hop_key(data: dict) -> tuple:
    return (data["score"], level_rank(data["level"]))


def _refuted_only(data: dict) -> bool:
    return not data["supporting"] and bool(data["refuting"])


def _floor(min_level: str | None) -> int:
    if min_level is not None and min_level not in EVIDENCE_LEVELS:
        raise MechgraphError(f"unknown evidence level {min_level!r}; "
                             f"choose one of {', '.join(EVIDENCE_LEVELS)}")
    return level_rank(min_level) if min_level else 0


def search_graph(graph: nx.MultiDiGraph, *, min_level: str | None = None,
                 directed: bool = False, min_score: float = 0.0) -> nx.Graph:
    """A simple graph whose edges carry the best assertion between two entities.

    :func:`ranked_paths` does not need it (it searches ``graph`` directly); it is kept
    for callers that want the collapsed graph itself.
    """
    floor = _floor(min_level)
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if level_rank(data["level"]) < floor or data["score"] < min_score or u == v or _refuted_only(data):
            continue
        hop = {**data, "assertion": key, "subject": u, "object": v}
        current = simple.get_edge_data(u, v)
        if current is None or _hop_key(hop) > _hop_key(current["best"]):
            simple.add_edge(u, v, best=hop)
    return simple


class _Search:
    """Neighbours and best hops of one query's view of the graph (filters applied)."""

    def __init__(self, graph: nx.MultiDiGraph, floor: int, min_score: float, directed: bool):
        self.graph = graph
        self.succ = graph._succ
        self.pred = graph._pred
        self.floor = floor
        self.min_score = min_score
        self.directed = directed
        self.memo: dict[tuple[str, bool], list[str]] = {}

    def _usable(self, data: dict) -> bool:
        return _RANK[data["level"]] >= self.floor and data["score"] >= self.min_score and not _refuted_only(data)

    def _ok(self, keydict: dict) -> bool:
        return any(self._usable(d) for d in keydict.values())

    def neighbours(self, u: str, backward: bool = False) -> list[str]:
        """Nodes one qualifying hop from ``u`` (towards ``u`` when ``backward`` and directed)."""
        memo_key = (u, backward and self.directed)
        found = self.memo.get(memo_key)
        if found is not None:
            return found
        if self.directed:
            adjacency = self.pred[u] if backward else self.succ[u]
            found = [v for v, keys in adjacency.items() if v != u and self._ok(keys)]
        else:
            found = [v for v, keys in self.succ[u].items() if v != u and self._ok(keys)]
            seen = set(found)
            found += [v for v, keys in self.pred[u].items() if v != u and v not in seen and self._ok(keys)]
        self.memo[memo_key] = found
        return found

    def best(self, u: str, v: str) -> dict:
        """The best qualifying assertion between neighbours ``u`` and ``v`` as a hop record."""
        forward = [(u, v, k, d) for k, d in self.succ[u].get(v, {}).items()]
        edges = forward
        if not self.directed:
            backward = [(v, u, k, d) for k, d in self.succ[v].get(u, {}).items()]
            if forward and backward and self._position(v) < self._position(u):
                edges = backward + forward
            else:
                edges = forward + backward
        best = None
        for subject, obj, key, data in edges:
            if not self._usable(data):
                continue
            if best is None or _hop_key(data) > _hop_key(best):
                best = {**data, "assertion": key, "subject": subject, "object": obj}
        return best

    def _position(self, node: str) -> int:
        positions = _POSITIONS.get(self.graph)
        if positions is None:
            positions = {n: i for i, n in enumerate(self.graph)}
            _POSITIONS[self.graph] = positions
        return positions[node]

    # -- searches ----------------------------------------------------------------
    def ball(self, start: str, radius: int, backward: bool) -> dict[str, int]:
        """Hop distances of the nodes within ``radius`` of ``start``."""
        dist = {start: 0}
        frontier = [start]
        for depth in range(1, radius + 1):
            nxt = []
            for u in frontier:
                for v in self.neighbours(u, backward):
                    if v not in dist:
                        dist[v] = depth
                        nxt.append(v)
            if not nxt:
                break
            frontier = nxt
        return dist

    def distance(self, source: str, target: str, limit: int) -> int | None:
        """The length of a shortest path (bidirectional breadth-first), or None beyond ``limit``."""
        seen = ({source}, {target})
        frontiers = ([source], [target])
        depth = [0, 0]
        while frontiers[0] and frontiers[1] and depth[0] + depth[1] < limit:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            other = seen[1 - side]
            nxt = []
            for u in frontiers[side]:
                for v in self.neighbours(u, backward=side == 1):
                    if v in other:
                        return depth[0] + depth[1] + 1
                    if v not in seen[side]:
                        seen[side].add(v)
                        nxt.append(v)
            frontiers = (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)
            depth[side] += 1
        return None

    def paths_of_length(self, start: str, end: str, length: int, backward: bool):
        """Yield every simple path of exactly ``length`` hops from ``start`` to ``end``
        (following edges backwards when ``backward``), as lists of nodes from ``start``."""
        near = length // 2
        dist_end = self.ball(end, near, backward=not backward)
        path = [start]
        on_path = {start}

        def extend(u: str, left: int):
            if left == 0:
                if u == end:
                    yield list(path)
                return
            after = left - 1
            for v in self.neighbours(u, backward):
                if v in on_path or (v == end and after):
                    continue
                if after <= near:
                    d = dist_end.get(v)
                    if d is None or d > after:
                        continue
                path.append(v)
                on_path.add(v)
                yield from extend(v, after)
                path.pop()
                on_path.discard(v)

        yield from extend(start, length)


def ranked_paths(graph: nx.MultiDiGraph, source: str, target: str, *, max_hops: int = 4,
                 k: int = 5, min_level: str | None = None, directed: bool = False,
                 min_score: float = 0.0) -> list[dict]:
    """The ``k`` best simple paths from ``source`` to ``target``.

    Paths are ranked by number of hops, then by the evidence of their weakest hop:
    its score (the path's score), then its evidence level; then by their entity ids.
    Every path no longer than the ``k``-th shortest is a candidate. Raises NoPath when
    none has at most ``max_hops`` hops.

    Notes
    -----
    The number of simple paths grows exponentially with length; at most
    ``CANDIDATE_LIMIT`` candidates are examined.
    """
    if source == target:
        raise NoPath("source and target are the same entity")
    search = _Search(graph, _floor(min_level), min_score, directed)
    shortest = search.distance(source, target, max_hops)
    candidates: list[list[str]] = []
    if shortest is not None:
        # Enumerate from the end with fewer neighbours; reverse its paths afterwards.
        flip = len(search.neighbours(target, backward=True)) < len(search.neighbours(source))
        start, end = (target, source) if flip else (source, target)
        for length in range(shortest, max_hops + 1):
            for nodes in search.paths_of_length(start, end, length, backward=flip):
                candidates.append(nodes[::-1] if flip else nodes)
                if len(candidates) >= CANDIDATE_LIMIT:
                    break
            if len(candidates) >= k or len(candidates) >= CANDIDATE_LIMIT:
                break
    if not candidates:
        limits = f"within {max_hops} hops"
        if min_level:
            limits += f" at evidence level {min_level} or better"
        raise NoPath(f"no path from {source!r} to {target!r} {limits}")
    described = [_describe(search, nodes) for nodes in candidates]
    described.sort(key=lambda p: (len(p["nodes"]), -p["score"], -p["weakest_rank"], p["nodes"]))
    return described[:k]


def _describe(search: _Search, nodes: list[str]) -> dict:
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        best = search.best(u, v)
        hops.append({
            "source": u,
            "target": v,
            "assertion": best["assertion"],
            "subject": best["subject"],
            "object": best["object"],
            "predicate": best["predicate"],
            "direction": "forward" if best["subject"] == u else "reverse",
            "sign": best["sign"],
            "level": best["level"],
            "score": best["score"],
            "species": best["species"],
            "context": best["context"],
            "findings": best["supporting"] + best["refuting"],
            "refuting": best["refuting"],
        })
    return {
        "nodes": nodes,
        "hops": hops,
        "score": min(h["score"] for h in hops),
        "weakest_rank": min(level_rank(h["level"]) for h in hops),
    }
