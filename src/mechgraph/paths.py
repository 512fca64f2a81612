"""Ranked paths between two entities, with each hop's evidence.

Paths run over the assertions in either direction (a hop records whether it follows
its assertion forward or backward) unless ``directed`` is set. Between two
neighbouring entities the best-evidenced assertion is the hop.
"""

from __future__ import annotations

from itertools import islice

import networkx as nx

from .constants import EVIDENCE_LEVELS, level_rank
from .errors import MechgraphError, NoPath

#: the most candidate paths examined before ranking
CANDIDATE_LIMIT = 5000


def _hop_key(data: dict) -> tuple:
    return (level_rank(data["level"]), data["score"])


def search_graph(graph: nx.MultiDiGraph, *, min_level: str | None = None,
                 directed: bool = False, min_score: float = 0.0) -> nx.Graph:
    """A simple graph whose edges carry the best assertion between two entities."""
    if min_level is not None and min_level not in EVIDENCE_LEVELS:
        raise MechgraphError(f"unknown evidence level {min_level!r}; "
                             f"choose one of {', '.join(EVIDENCE_LEVELS)}")
    floor = level_rank(min_level) if min_level else 0
    simple = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if level_rank(data["level"]) < floor or data["score"] < min_score or u == v:
            continue
        hop = {**data, "assertion": key, "subject": u, "object": v}
        current = simple.get_edge_data(u, v)
        if current is None or _hop_key(hop) > _hop_key(current["best"]):
            simple.add_edge(u, v, best=hop)
    return simple


def ranked_paths(graph: nx.MultiDiGraph, source: str, target: str, *, max_hops: int = 4,
                 k: int = 5, min_level: str | None = None, directed: bool = False,
                 min_score: float = 0.0) -> list[dict]:
    """The ``k`` best simple paths from ``source`` to ``target``.

    Paths are ranked by number of hops, then by the evidence level of their
    weakest hop, then by their score (the lowest hop score). Raises NoPath when
    none has at most ``max_hops`` hops.

    Notes
    -----
    The number of simple paths grows exponentially with length; at most
    ``CANDIDATE_LIMIT`` candidates are examined.
    """
    if source == target:
        raise NoPath("source and target are the same entity")
    simple = search_graph(graph, min_level=min_level, directed=directed, min_score=min_score)
    candidates = []
    try:
        for nodes in islice(nx.shortest_simple_paths(simple, source, target), CANDIDATE_LIMIT):
            hops = len(nodes) - 1
            if hops > max_hops:
                break
            if len(candidates) >= k and hops > len(candidates[k - 1]["nodes"]) - 1:
                break
            candidates.append(_describe(simple, nodes))
    except nx.NetworkXNoPath:
        pass
    if not candidates:
        limits = f"within {max_hops} hops"
        if min_level:
            limits += f" at evidence level {min_level} or better"
        raise NoPath(f"no path from {source!r} to {target!r} {limits}")
    candidates.sort(key=lambda p: (len(p["nodes"]), -p["weakest_rank"], -p["score"]))
    return candidates[:k]


def _describe(simple: nx.Graph, nodes: list[str]) -> dict:
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        best = simple.edges[u, v]["best"]
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
