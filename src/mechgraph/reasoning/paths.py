"""Ranked paths between two entities, with each hop's evidence.

Paths run over the assertions in either direction (a hop records whether it follows
its assertion forward or backward) unless ``directed`` is set. Between two
neighbouring entities the best-evidenced assertion (highest evidence score, then
strongest level) is the hop. An assertion whose findings all refute it is never a hop:
a path must not run through a claim the evidence denies.

The search runs on the graph's :class:`~mechgraph.store.topology.Topology` (entity numbers and
flat edge arrays, built once), so nothing is rebuilt per query: a
bidirectional breadth-first search finds the shortest length, then a depth-first search
from the end with fewer neighbours enumerates the simple paths of each length, pruned
by the distances to the other end (a node ``r`` hops before the end must lie within
``r`` hops of it: there, a node's neighbours are read only among those, so that a hub's
thousands are not listed, and from those nodes' own edges when they have fewer than the hub). On a graph of a million assertions a query takes milliseconds unless
its ends sit among hubs.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from itertools import compress, pairwise
from typing import TYPE_CHECKING

from ..model.constants import EVIDENCE_LEVELS, level_rank
from ..errors import MechgraphError, NoPath
from ..store.topology import Topology

if TYPE_CHECKING:
    import networkx as nx

#: the most candidate paths examined before ranking
CANDIDATE_LIMIT = 5000

#: a networkx graph -> its topology, built on the first search
_TOPOLOGIES: weakref.WeakKeyDictionary[nx.MultiDiGraph, Topology] = weakref.WeakKeyDictionary()


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
    import networkx as nx
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
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
    """Neighbours and best hops of one query's view of a topology (filters applied).

    Nodes are the topology's entity numbers; the neighbours of a node come in the order
    of their first edge, as networkx's adjacency would list them.
    """

    def __init__(self, topology: Topology, floor: int, min_score: float, directed: bool):
        self.topology = topology
        self.floor = floor
        self.min_score = min_score
        self.directed = directed
        self.memo: dict[tuple[int, bool], list[int]] = {}
        self.best_edges: dict[tuple[int, int], int] = {}

    def _usable(self, edge: int) -> bool:
        t = self.topology
        return t.rank[edge] >= self.floor and t.score[edge] >= self.min_score and not t.refuted[edge]

    def _ends(self, u: int, backward: bool, allowed: set[int] | None = None) -> dict[int, bool]:
        """Each neighbour along edges leaving ``u`` (entering it when ``backward``), in
        the order of its first edge, with whether any of those edges qualifies; with
        ``allowed``, only the neighbours in it (the others' edges left out in one C loop)."""
        t = self.topology
        start, rows, far = (t.in_start, t.in_edges, t.subject) if backward else (t.out_start, t.out_edges, t.object)
        rank, score, refuted, floor, min_score = t.rank, t.score, t.refuted, self.floor, self.min_score
        first, last = start[u], start[u + 1]
        if allowed is not None and last - first > 2 * len(allowed) + 8:
            # a hub among few allowed nodes: their rows are shorter than the hub's
            other = t.out_start if backward else t.in_start
            if sum(other[v + 1] - other[v] for v in allowed) < last - first:
                return self._ends_among(u, backward, allowed)
        row = rows[first:last]
        edges: Iterable[int] = row
        if allowed is not None:
            edges = compress(row, map(allowed.__contains__, map(far.__getitem__, row)))
        found: dict[int, bool] = {}
        for edge in edges:  # _usable, written out: the search's innermost loop
            v = far[edge]
            if v != u and not found.get(v):
                found[v] = rank[edge] >= floor and score[edge] >= min_score and not refuted[edge]
        return found

    def _ends_among(self, u: int, backward: bool, allowed: set[int]) -> dict[int, bool]:
        """:meth:`_ends` with ``allowed``, read from the allowed nodes' rows instead of
        ``u``'s: the edges between ``u`` and each, ordered as ``u``'s row lists them (rows
        are in edge order, so a neighbour's place is its first edge's number)."""
        t = self.topology
        if backward:  # edges v -> u: v's outgoing row, those whose object is u
            start, rows, near = t.out_start, t.out_edges, t.object
        else:  # edges u -> v: v's incoming row, those whose subject is u
            start, rows, near = t.in_start, t.in_edges, t.subject
        rank, score, refuted, floor, min_score = t.rank, t.score, t.refuted, self.floor, self.min_score
        placed = []
        for v in allowed:
            if v == u:
                continue
            edges = [e for e in rows[start[v]:start[v + 1]] if near[e] == u]
            if edges:
                placed.append((edges[0], v, any(rank[e] >= floor and score[e] >= min_score and not refuted[e]
                                                for e in edges)))
        placed.sort()
        return {v: ok for _, v, ok in placed}

    def neighbours(self, u: int, backward: bool = False, allowed: set[int] | None = None) -> list[int]:
        """Nodes one qualifying hop from ``u`` (towards ``u`` when ``backward`` and directed);
        with ``allowed``, those in it (in the same order), found without listing the others
        unless they are known already (a hub has thousands)."""
        memo_key = (u, backward and self.directed)
        found = self.memo.get(memo_key)
        if found is not None:
            return found if allowed is None else list(filter(allowed.__contains__, found))
        if self.directed:
            found = [v for v, ok in self._ends(u, backward, allowed).items() if ok]
        else:
            found = [v for v, ok in self._ends(u, False, allowed).items() if ok]
            seen = set(found)
            found += [v for v, ok in self._ends(u, True, allowed).items() if ok and v not in seen]
        if allowed is None:
            self.memo[memo_key] = found
        return found

    def best(self, u: int, v: int) -> dict:
        """The best qualifying assertion between neighbours ``u`` and ``v`` as a hop record."""
        return self.hop(self.best_edge(u, v))

    def hop(self, best: int) -> dict:
        """Edge ``best`` as a hop record (its attributes read from the records)."""
        t = self.topology
        data = t.edge_data(best)
        return {**data, "assertion": t.edge_key(best), "subject": t.nodes[t.subject[best]],
                "object": t.nodes[t.object[best]]}

    def best_edge(self, u: int, v: int) -> int:
        """The best qualifying edge between neighbours ``u`` and ``v`` (by score, then level;
        the first of equals), from the topology's arrays alone (kept for the query's other paths)."""
        best = self.best_edges.get((u, v))
        if best is None:
            best = self.best_edges[u, v] = self._best_edge(u, v)
        return best

    def _best_edge(self, u: int, v: int) -> int:
        t = self.topology
        forward = self._between(u, v)
        edges = forward
        if not self.directed:
            backward = self._between(v, u)
            edges = backward + forward if forward and backward and v < u else forward + backward
        best: int | None = None
        best_key: tuple | None = None
        for edge in edges:
            if not self._usable(edge):
                continue
            key = (t.score[edge], t.rank[edge])
            if best_key is None or key > best_key:
                best, best_key = edge, key
        assert best is not None, "best_edge is asked only of neighbours joined by a usable edge"
        return best

    def _between(self, u: int, v: int) -> list[int]:
        """The edges from ``u`` to ``v``, in edge order: read from the shorter of ``u``'s
        outgoing and ``v``'s incoming edges (a hub's are thousands)."""
        t = self.topology
        out_start, in_start = t.out_start, t.in_start
        if out_start[u + 1] - out_start[u] <= in_start[v + 1] - in_start[v]:
            far = t.object
            return [e for e in t.out_edges[out_start[u]:out_start[u + 1]] if far[e] == v]
        near = t.subject
        return [e for e in t.in_edges[in_start[v]:in_start[v + 1]] if near[e] == u]

    # -- searches ----------------------------------------------------------------
    def ball(self, start: int, radius: int, backward: bool) -> dict[int, int]:
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

    def distance(self, source: int, target: int, limit: int) -> int | None:
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

    def paths_of_length(self, start: int, end: int, length: int, backward: bool):
        """Yield every simple path of exactly ``length`` hops from ``start`` to ``end``
        (following edges backwards when ``backward``), as lists of nodes from ``start``."""
        near = length // 2
        dist_end = self.ball(end, near, backward=not backward)
        # within[r]: the nodes at most r hops from the end; a node r hops before it must be one
        within = [{v for v, d in dist_end.items() if d <= r} for r in range(near + 1)]
        cut: dict[tuple[int, int], list[int]] = {}  # (node, hops left after it) -> its neighbours within them
        path = [start]
        on_path = {start}

        def extend(u: int, left: int):
            if left == 0:
                if u == end:
                    yield list(path)
                return
            after = left - 1
            if after > near:
                found = self.neighbours(u, backward)
            elif (u, after) in cut:
                found = cut[u, after]
            else:  # near the end, most neighbours (a hub's thousands) are too far from it
                found = cut[u, after] = self.neighbours(u, backward, within[after])
            for v in found:
                if v in on_path or (v == end and after):
                    continue
                path.append(v)
                on_path.add(v)
                yield from extend(v, after)
                path.pop()
                on_path.discard(v)

        yield from extend(start, length)


def ranked_paths(graph: Topology | nx.MultiDiGraph, source: str, target: str, *, max_hops: int = 4,
                 k: int = 5, min_level: str | None = None, directed: bool = False,
                 min_score: float = 0.0) -> list[dict]:
    """The ``k`` best simple paths from ``source`` to ``target`` (entity ids).

    Paths are ranked by number of hops, then by the evidence of their weakest hop:
    its score (the path's score), then its evidence level; then by their entity ids.
    Every path no longer than the ``k``-th shortest is a candidate.

    Parameters
    ----------
    graph : Topology or networkx.MultiDiGraph
        A :class:`~mechgraph.store.topology.Topology` or a MultiDiGraph built by
        ``build_graph``.
    source, target : str
        Entity ids.
    max_hops : int, optional
        The longest path, in hops.
    k : int, optional
        How many paths to return.
    min_level : str, optional
        The weakest evidence level a hop may have.
    directed : bool, optional
        Follow assertions only from subject to object.
    min_score : float, optional
        The lowest evidence score a hop may have.

    Returns
    -------
    list of dict
        ``{"nodes", "hops", "score", "weakest_rank"}`` per path, best first.

    Raises
    ------
    NoPath
        When no path has at most ``max_hops`` hops.

    Notes
    -----
    The number of simple paths grows exponentially with length; at most
    ``CANDIDATE_LIMIT`` candidates are examined.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import ranked_paths
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> [(p["nodes"], p["score"]) for p in ranked_paths(g.topology, "drug-x", "protein-p")]
    [(['drug-x', 'protein-p'], 0.417), (['drug-x', 'receptor-r', 'protein-p'], 0.5)]
    """
    if source == target:
        raise NoPath("source and target are the same entity")
    topology = graph if isinstance(graph, Topology) else _topology_of(graph)
    search = _Search(topology, _floor(min_level), min_score, directed)
    s, t = topology.index[source], topology.index[target]
    shortest = search.distance(s, t, max_hops)
    candidates: list[list[int]] = []
    if shortest is not None:
        # Enumerate from the end with fewer neighbours; reverse its paths afterwards.
        flip = len(search.neighbours(t, backward=True)) < len(search.neighbours(s))
        start, end = (t, s) if flip else (s, t)
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
    # ranked on the topology's numbers; only the k kept read their hops' records
    ranked = []
    for numbers in candidates:
        edges = [search.best_edge(u, v) for u, v in pairwise(numbers)]
        ranked.append(((len(numbers), -min(topology.score[e] for e in edges), -min(topology.rank[e] for e in edges),
                        [topology.nodes[n] for n in numbers]), numbers, edges))
    ranked.sort(key=lambda item: item[0])
    return [_describe(search, numbers, edges) for _, numbers, edges in ranked[:k]]


def _topology_of(graph: nx.MultiDiGraph) -> Topology:
    topology = _TOPOLOGIES.get(graph)
    if topology is None:
        topology = _TOPOLOGIES[graph] = Topology.from_nx(graph)
    return topology


def _describe(search: _Search, numbers: list[int], edges: list[int]) -> dict:
    hops = []
    nodes = [search.topology.nodes[n] for n in numbers]
    for edge, (a, b) in zip(edges, pairwise(nodes), strict=True):
        best = search.hop(edge)
        hops.append({
            "source": a,
            "target": b,
            "assertion": best["assertion"],
            "subject": best["subject"],
            "object": best["object"],
            "predicate": best["predicate"],
            "direction": "forward" if best["subject"] == a else "reverse",
            "sign": best["sign"],
            "relation": best["relation"],
            "level": best["level"],
            "score": best["score"],
            "species": best["species"],
            "context": best["context"],
            "findings": best["supporting"] + best["refuting"],
            "supporting": best["supporting"],
            "refuting": best["refuting"],
        })
    return {
        "nodes": nodes,
        "hops": hops,
        "score": min(h["score"] for h in hops),
        "weakest_rank": min(level_rank(h["level"]) for h in hops),
    }
