"""Which entities and assertions a page draws: the whole graph, a focus
neighbourhood, some entity types, edges above an evidence floor, or the paths
of a ``path`` result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..model.constants import ENTITY_TYPES, EVIDENCE_LEVELS, level_rank
from ..errors import MechgraphError


@dataclass
class Selection:
    """The ids a page draws (sorted), and what chose them."""

    entities: list[str]
    assertions: list[str]
    #: for a paths page: ``[{"nodes": [ids], "hops": [assertion ids], "score", "kind", "sign", "borrowed"}]``
    paths: list[dict] = field(default_factory=list)
    #: the options that made the selection, shown on the page
    filters: dict = field(default_factory=dict)
    #: assertions below the evidence floor kept because they are the focus's own targets
    pinned: list[str] = field(default_factory=list)


def parse_types(types) -> list[str]:
    """Entity types from a list or a comma-separated string, matched case-insensitively.

    >>> parse_types("drug, Receptor")
    ['Drug', 'Receptor']

    Raises MechgraphError for an unknown type.
    """
    if isinstance(types, str):
        types = types.split(",")
    by_key = {t.casefold(): t for t in ENTITY_TYPES}
    chosen = []
    for raw in types:
        name = str(raw).strip()
        if not name:
            continue
        if name.casefold() not in by_key:
            raise MechgraphError(f"unknown entity type {name!r}; choose from {', '.join(ENTITY_TYPES)}")
        if by_key[name.casefold()] not in chosen:
            chosen.append(by_key[name.casefold()])
    if not chosen:
        raise MechgraphError(f"no entity type given; choose from {', '.join(ENTITY_TYPES)}")
    return chosen


def select(graph, *, focus: str | None = None, depth: int = 1, types=None,
           min_level: str | None = None, min_score: float = 0.0) -> Selection:
    """The part of ``graph`` (a MechGraph) to draw.

    ``types`` keeps entities of those types; ``min_level`` and ``min_score`` keep
    assertions with evidence at least that strong (and then drop entities left
    without any assertion); ``focus`` keeps what lies within ``depth`` hops of one
    entity over what remains. The focus's own drug-target assertions (a drug and the
    receptors it acts on) stay whatever their evidence: a drug without its targets
    misleads more than a weak edge, which the page marks as below the floor. Raises EntityNotFound, AmbiguousEntity or MechgraphError
    (unknown type or level, a focus excluded by ``types``, nothing left to draw).
    """
    if min_level is not None and min_level not in EVIDENCE_LEVELS:
        raise MechgraphError(f"unknown evidence level {min_level!r}; choose one of {', '.join(EVIDENCE_LEVELS)}")
    if depth < 0:
        raise MechgraphError("depth must be 0 or more")
    model = graph.model
    chosen_types = parse_types(types) if types is not None else None
    entities = {e.id for e in model.entities.values() if chosen_types is None or e.type in chosen_types}
    floor = level_rank(min_level) if min_level else 0
    assertions = set()
    for u, v, key, data in graph.nx.edges(keys=True, data=True):
        if u in entities and v in entities and level_rank(data["level"]) >= floor and data["score"] >= min_score:
            assertions.add(key)
    focus_id = None
    if focus is not None:
        entity = graph.resolve(focus)
        focus_id = entity.id
        if focus_id not in entities:
            raise MechgraphError(f"the focus entity {entity.name} ({entity.id}) is a {entity.type}, "
                                 f"which --types leaves out")
    evidence_filtered = bool(min_level) or min_score > 0
    pinned = set()
    if focus_id is not None and evidence_filtered and depth > 0:
        for _, v, key, data in graph.nx.edges(focus_id, keys=True, data=True):
            if data["relation"] == "drug-target" and v in entities and key not in assertions:
                pinned.add(key)
        for u, _, key, data in graph.nx.in_edges(focus_id, keys=True, data=True):
            if data["relation"] == "drug-target" and u in entities and key not in assertions:
                pinned.add(key)
        assertions |= pinned
    if evidence_filtered:
        touched: set[str] = set()
        for key in assertions:
            a = model.assertions[key]
            touched.update((a.subject, a.object))
        entities = {e for e in entities if e in touched or e == focus_id}
    if focus_id is not None:
        undirected: nx.Graph = nx.Graph()
        undirected.add_nodes_from(entities)
        undirected.add_edges_from((model.assertions[k].subject, model.assertions[k].object) for k in assertions)
        reach = nx.single_source_shortest_path_length(undirected, focus_id, cutoff=depth)
        entities = set(reach)
        assertions = {k for k in assertions
                      if model.assertions[k].subject in entities and model.assertions[k].object in entities}
    if not entities:
        raise MechgraphError("nothing to draw: no entity passes the filters")
    filters = {"focus": focus_id, "depth": depth if focus_id else None, "types": chosen_types,
               "min_level": min_level, "min_score": min_score or None}
    pinned &= assertions
    return Selection(sorted(entities), sorted(assertions), filters={k: v for k, v in filters.items() if v},
                     pinned=sorted(pinned))


def path_record(path: dict) -> dict:
    """A path of a ``path`` or ``explain`` result as the page carries it: entity and
    assertion ids, with each step's drugs and whether its evidence is borrowed."""
    nodes = [n["id"] if isinstance(n, dict) else n for n in path["nodes"]]
    steps = [{"assertion": h["assertion"], "drugs": list(h.get("drugs", [])), "borrowed": bool(h.get("borrowed")),
              "borrowed_from": list(h.get("borrowed_from", [])), "species": list(h.get("species", []))}
             for h in path["hops"]]
    return {"nodes": nodes, "hops": [h["assertion"] for h in path["hops"]], "steps": steps,
            "score": path.get("score"), "kind": path.get("kind", "chain"), "sign": path.get("sign"),
            "weakest": path.get("weakest", 0), "borrowed": bool(path.get("borrowed")), "drug": path.get("drug"),
            "direction": path.get("direction", "forward"), "families": list(path.get("families", []))}


def select_paths(graph, result: dict) -> Selection:
    """The entities and hop assertions of a ``MechGraph.path`` result."""
    entities, assertions, paths = set(), set(), []
    for path in result.get("paths", []):
        record = path_record(path)
        entities.update(record["nodes"])
        assertions.update(record["hops"])
        paths.append(record)
    unknown = sorted((entities - set(graph.model.entities)) | (assertions - set(graph.model.assertions)))
    if unknown:
        raise MechgraphError(f"the path result names ids this graph lacks: {', '.join(unknown)}")
    if not entities:
        raise MechgraphError("nothing to draw: the path result has no path")
    filters = {"source": result["source"]["id"], "target": result["target"]["id"]}
    if "chains_found" in result:
        filters["chains_found"] = bool(result["chains_found"])
    return Selection(sorted(entities), sorted(assertions), paths=paths, filters=filters)
