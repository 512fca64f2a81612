"""Which entities and assertions a page draws: the whole graph, a focus
neighbourhood, some entity types, edges above an evidence floor, or the paths
of a ``path`` result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MapTooLarge, MechgraphError
from ..model.constants import ENTITY_TYPES, EVIDENCE_LEVELS, level_rank
from ..store.topology import RELATIONS, TYPES
from .limits import MAX_ASSERTIONS, MAX_ENTITIES


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
           min_level: str | None = None, min_score: float = 0.0, max_entities: int | None = MAX_ENTITIES,
           max_assertions: int | None = MAX_ASSERTIONS) -> Selection:
    """The part of ``graph`` (a MechGraph) to draw.

    ``types`` keeps entities of those types; ``min_level`` and ``min_score`` keep
    assertions with evidence at least that strong (and then drop entities left
    without any assertion); ``focus`` keeps what lies within ``depth`` hops of one
    entity over what remains. The focus's own drug-target assertions (a drug and the
    receptors it acts on) stay whatever their evidence: a drug without its targets
    misleads more than a weak edge, which the page marks as below the floor.

    The choice is made on the graph's topology (its arrays), so a focus on a graph of
    a million assertions reads only its neighbourhood; a choice of more than
    ``max_entities`` entities or ``max_assertions`` assertions (None: no limit) raises
    MapTooLarge before any record is read. Raises EntityNotFound, AmbiguousEntity or
    MechgraphError (unknown type or level, a focus excluded by ``types``, nothing left to draw).
    """
    if min_level is not None and min_level not in EVIDENCE_LEVELS:
        raise MechgraphError(f"unknown evidence level {min_level!r}; choose one of {', '.join(EVIDENCE_LEVELS)}")
    if depth < 0:
        raise MechgraphError("depth must be 0 or more")
    chosen_types = parse_types(types) if types is not None else None
    t = graph.topology
    if chosen_types is None:
        allowed = None  # every entity
    else:
        wanted = {TYPES.index(name) for name in chosen_types}
        kinds = t.types
        allowed = {n for n in range(len(t.nodes)) if kinds[n] in wanted}
    floor = level_rank(min_level) if min_level else 0
    rank, score, subject, obj, relation = t.rank, t.score, t.subject, t.object, t.relation

    def passes(e: int) -> bool:  # the evidence floor, and both ends among the types kept
        return rank[e] >= floor and score[e] >= min_score and (
            allowed is None or (subject[e] in allowed and obj[e] in allowed))

    focus_node = None
    if focus is not None:
        entity = graph.resolve(focus)
        focus_node = t.index[entity.id]
        if allowed is not None and focus_node not in allowed:
            raise MechgraphError(f"the focus entity {entity.name} ({entity.id}) is a {entity.type}, "
                                 f"which --types leaves out")
    evidence_filtered = bool(min_level) or min_score > 0
    pinned: set[int] = set()
    if focus_node is not None and evidence_filtered and depth > 0:
        target = RELATIONS.index("drug-target")
        for e in t.out_of(focus_node):
            if relation[e] == target and (allowed is None or obj[e] in allowed) and not passes(e):
                pinned.add(e)
        for e in t.into(focus_node):
            if relation[e] == target and (allowed is None or subject[e] in allowed) and not passes(e):
                pinned.add(e)
    if focus_node is not None:
        nodes, edges = _neighbourhood(t, focus_node, depth, lambda e: e in pinned or passes(e))
    else:
        edges = {e for e in range(len(t)) if passes(e)}
        nodes = set(range(len(t.nodes))) if allowed is None else allowed
        if evidence_filtered:
            nodes = {subject[e] for e in edges} | {obj[e] for e in edges}
    if not nodes:
        raise MechgraphError("nothing to draw: no entity passes the filters")
    if (max_entities is not None and len(nodes) > max_entities) or \
            (max_assertions is not None and len(edges) > max_assertions):
        raise MapTooLarge(f"the map would draw {len(nodes):,} entities and {len(edges):,} assertions, more than "
                          f"{_limit(max_entities)} entities or {_limit(max_assertions)} assertions: draw part "
                          f"of the graph with --focus ENTITY --depth N, --types, --min-level or --min-score, or "
                          f"raise the limit with --max-entities and --max-assertions (0: no limit)")
    filters = {"focus": t.nodes[focus_node] if focus_node is not None else None,
               "depth": depth if focus_node is not None else None, "types": chosen_types,
               "min_level": min_level, "min_score": min_score or None}
    key = t.edge_key
    return Selection(sorted(t.nodes[n] for n in nodes), sorted(key(e) for e in edges),
                     filters={k: v for k, v in filters.items() if v},
                     pinned=sorted(key(e) for e in pinned & edges))


def _limit(value: int | None) -> str:
    return "any number of" if value is None else f"{value:,}"


def _neighbourhood(t, start: int, depth: int, usable) -> tuple[set[int], set[int]]:
    """The entities within ``depth`` steps of ``start`` over the ``usable`` edges, taken
    either way, and the usable edges between them: ``(nodes, edges)``."""
    subject, obj = t.subject, t.object
    reached = {start}
    frontier = [start]
    for _ in range(depth):
        following = []
        for n in frontier:
            for e in t.out_of(n):
                v = obj[e]
                if v not in reached and usable(e):
                    reached.add(v)
                    following.append(v)
            for e in t.into(n):
                u = subject[e]
                if u not in reached and usable(e):
                    reached.add(u)
                    following.append(u)
        frontier = following
    edges = {e for n in reached for e in t.out_of(n) if obj[e] in reached and usable(e)}
    return reached, edges


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
    model = graph.model
    unknown = sorted({e for e in entities if e not in model.entities} | {a for a in assertions
                                                                         if a not in model.assertions})
    if unknown:
        raise MechgraphError(f"the path result names ids this graph lacks: {', '.join(unknown)}")
    if not entities:
        raise MechgraphError("nothing to draw: the path result has no path")
    filters = {"source": result["source"]["id"], "target": result["target"]["id"]}
    if "chains_found" in result:
        filters["chains_found"] = bool(result["chains_found"])
    return Selection(sorted(entities), sorted(assertions), paths=paths, filters=filters)
