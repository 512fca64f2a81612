"""How a drug works: its mechanism chains to an outcome, grouped by mechanism family.

``mechgraph explain DRUG [OUTCOME]`` answers "how does esketamine work?" from any graph:

1. **Outcome.** When none is given, the outcome is the Phenotype (else Condition) that
   the most chain steps reach among the entities the drug's chains reach (for the
   bundled graph: the antidepressant effect).
2. **Chains.** The mechanism chains (:mod:`mechgraph.reasoning.chains`) from the drug to the
   outcome, best first.
3. **Families.** A chain belongs to the mechanism family of its most upstream step that
   names one: the step's ``pathway`` (else a Pathway its object, then its subject, is
   ``part_of``), lifted through ``part_of`` links between Pathways to the top. Families
   therefore come from the data; a chain whose steps name none is grouped under the
   drug's target (its first step's object), and a one-step chain under "direct effect".
4. **Per family:** its best chains, each with its weakest step; the disagreements
   (``mechgraph conflicts``) that touch any of its steps; and the steps the literature
   leaves open: entities of the family that the drug reaches but from which no chain
   step leads on to the outcome.
5. **Guidance:** the drug's recommendations (dosing, monitoring, contraindications,
   setting of care, patient selection, special populations), which are never evidence.
"""

from __future__ import annotations

from typing import Any

from .chains import NOT_THROUGH, ChainSearch, describe_chain, level_floor, ranked_chain_edges
from ..errors import MechgraphError, NoPath
from .mentions import guidance
from ..model.relations import DRUG_TYPES
from ..store.recordfile import positional
from ..store.topology import Topology

#: entity types an outcome may have, preferred first
OUTCOME_TYPES: tuple[str, ...] = ("Phenotype", "Condition")
#: chains shown per family
CHAINS_PER_FAMILY = 3
#: open ends listed per family
GAPS_PER_FAMILY = 6
#: the group of one-step chains whose step names no family: the drug's direct effect on the outcome
DIRECT = "(direct)"


def reachable(topology: Topology, start: int, *, max_hops: int, floor: int = 0, min_score: float = 0.0) -> dict:
    """The entities a chain from ``start`` reaches within ``max_hops`` steps: ``{node: steps}``
    (outcomes and other entities a chain may not pass through are reached but not left)."""
    search = ChainSearch(topology, start, -1, floor, min_score)
    dist = {start: 0}
    frontier = [start]
    for depth in range(1, max_hops + 1):
        nxt = []
        for u in frontier:
            if u != start and topology.type_of(u) in NOT_THROUGH:
                continue
            for v in _steps_any_end(search, u):
                if v not in dist:
                    dist[v] = depth
                    nxt.append(v)
        frontier = nxt
        if not frontier:
            break
    return dist


def _steps_any_end(search: ChainSearch, u: int) -> list[int]:
    """Next entities from ``u`` for a chain whose end is not fixed (any outcome may end it)."""
    t = search.t
    out = []
    for edge in t.out_of(u):
        v = t.object[edge]
        if v == u or t.refuted[edge] or t.rank[edge] < search.floor or t.score[edge] < search.min_score:
            continue
        kind = t.relation_of(edge)
        if kind == "causal" or (u == search.start and search.start_is_drug and kind in ("drug-target", "drug-effect")):
            out.append(v)
    return out


def default_outcome(topology: Topology, drug: int, *, max_hops: int, floor: int = 0, min_score: float = 0.0,
                    reach: dict | None = None) -> int:
    """The outcome ``explain`` uses when none is given (see the module docstring).

    Parameters
    ----------
    topology : Topology
        The graph's topology.
    drug : int
        The drug's node number (``topology.index[id]``).
    max_hops : int
        The longest chain, in steps.
    floor : int, optional
        The lowest evidence level rank a step may have.
    min_score : float, optional
        The lowest evidence score a step may have.
    reach : dict, optional
        What :func:`reachable` gives for the drug under the same filters, when already known.

    Returns
    -------
    int
        The outcome's node number.

    Raises
    ------
    NoPath
        When the drug's chains reach no Phenotype or Condition.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import default_outcome
    >>> t = MechGraph.load("tests/data/example-graph").topology
    >>> t.nodes[default_outcome(t, t.index["drug-x"], max_hops=6)]
    'behaviour-b'
    """
    if reach is None:
        reach = reachable(topology, drug, max_hops=max_hops, floor=floor, min_score=min_score)
    search = ChainSearch(topology, drug, -1, floor, min_score)
    for wanted in OUTCOME_TYPES:
        counts: dict[int, int] = {}
        for u in reach:
            if u != drug and topology.type_of(u) in NOT_THROUGH:
                continue
            for v in set(_steps_any_end(search, u)):
                if topology.type_of(v) == wanted:
                    counts[v] = counts.get(v, 0) + 1
        if counts:
            return min(counts, key=lambda v: (-counts[v], topology.nodes[v]))
    raise NoPath(f"no mechanism chain from {topology.nodes[drug]!r} reaches a phenotype or condition")


class _Families:
    """Which top-level pathway a step belongs to: read from the ``part_of`` links leaving the
    entities asked about (a Pathway's first link names its parent). ``edges`` maps the
    assertion id of each step asked about to its edge, whose position is the assertion's."""

    def __init__(self, model, topology: Topology, edges: dict[str, int]):
        self.m, self.t = model, topology
        self.at = positional(model.assertions)
        self.edges = edges
        self._links: dict[str, list[str]] = {}

    def _part_of(self, name: str) -> list[str]:
        """The Pathways ``name`` is ``part_of`` (supported structural links), in assertion order."""
        found = self._links.get(name)
        if found is None:
            t, found = self.t, []
            node = t.index.get(name)
            for edge in t.out_of(node) if node is not None else ():
                v = t.object[edge]
                if t.type_of(v) == "Pathway" and not t.refuted[edge] and t.relation_of(edge) == "structural" \
                        and t.edge_data(edge)["predicate"] == "part_of":
                    found.append(t.nodes[v])
            self._links[name] = found
        return found

    def _is_pathway(self, name: str) -> bool:
        node = self.t.index.get(name)
        return node is not None and self.t.type_of(node) == "Pathway"

    def members(self, name: str) -> list[str]:
        """The Pathways an entity other than a Pathway is part of."""
        return [] if self._is_pathway(name) else self._part_of(name)

    def parent(self, pathway: str) -> str | None:
        """The Pathway a Pathway is part of (its first such link), or None."""
        if not self._is_pathway(pathway):
            return None
        links = self._part_of(pathway)
        return links[0] if links else None

    def top(self, pathway: str) -> str:
        seen = {pathway}
        while (parent := self.parent(pathway)) is not None and parent not in seen:
            pathway = parent
            seen.add(pathway)
        return pathway

    def of_step(self, hop: dict) -> list[str]:
        """The top-level pathways a step names (its own ``pathway``, else its ends' membership)."""
        named = list(self.at(self.edges[hop["assertion"]]).pathway)
        if not named:
            named = self.members(hop["object"]) or self.members(hop["subject"])
        return list(dict.fromkeys(self.top(p) for p in named))

    def of_chain(self, chain: dict) -> tuple[str, list[str]]:
        """The family of a chain (its most upstream step's) and every family its steps name."""
        every: list[str] = []
        for hop in chain["hops"]:
            every += [p for p in self.of_step(hop) if p not in every]
        if every:
            return every[0], every
        return (DIRECT if len(chain["hops"]) == 1 else chain["hops"][0]["object"]), every


def explain(graph, drug: str, outcome: str | None = None, *, max_hops: int = 6, min_level: str | None = None,
            min_score: float = 0.0, chains_per_family: int = CHAINS_PER_FAMILY) -> dict:
    """Explain how a drug reaches an outcome: the ``explain --json`` shape for a MechGraph.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    drug : str
        A Drug, Compound or Metabolite, by name, alias or id.
    outcome : str, optional
        The outcome; when None, :func:`default_outcome` chooses it.
    max_hops : int, optional
        The longest chain, in steps.
    min_level : str, optional
        The weakest evidence level a step may have.
    min_score : float, optional
        The lowest evidence score a step may have.
    chains_per_family : int, optional
        How many chains each mechanism family shows.

    Returns
    -------
    dict
        ``{"drug", "outcome", "outcome_default", "chains": N, "families": [{"id", "name",
        "name_zh", "type", "chains_found", "chains", "conflicts", "gaps"}], "open_ends":
        [GAP], "guidance": {topic: [FINDING]}}``; a gap is ``{"entity", "note"}`` and
        ``open_ends`` holds those of no family.

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        When a name matches no entity or several.
    MechgraphError
        When ``drug`` is not a drug.
    NoPath
        When no chain reaches an outcome.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import explain_drug
    >>> result = explain_drug(MechGraph.load("tests/data/example-graph"), "Drug X")
    >>> result["outcome"]["name"], result["outcome_default"], result["chains"]
    ('Depression-like behaviour', True, 1)
    """
    m, t = graph.model, graph.topology
    d = graph.resolve(drug)
    if d.type not in DRUG_TYPES:
        raise MechgraphError(f"{d.name} is a {d.type}, not a drug: explain takes a Drug, Compound or Metabolite "
                             f"(try 'mechgraph path {d.id} OUTCOME')")
    floor = level_floor(min_level)
    reach = reachable(t, t.index[d.id], max_hops=max_hops, floor=floor, min_score=min_score)
    if outcome is None:
        o = m.entities[t.nodes[default_outcome(t, t.index[d.id], max_hops=max_hops, floor=floor,
                                               min_score=min_score, reach=reach)]]
    else:
        o = graph.resolve(outcome)
    # the chains of mechanism_chains (k=500, one way), ranked on the arrays as it ranks them;
    # only those a family shows are described with their records
    search = ChainSearch(t, t.index[d.id], t.index[o.id], floor, min_score)
    chains = [_step_chain(t, m, nodes, steps) for nodes, steps in
              ranked_chain_edges(t, search.start, search.end, max_hops=max_hops, k=500, floor=floor,
                                 min_score=min_score, search=search)]
    edges = {h["assertion"]: e for c in chains for h, e in zip(c["hops"], c["edges"], strict=True)}
    families = _Families(m, t, edges)
    grouped: dict[str, dict] = {}
    for chain in chains:
        primary, every = families.of_chain(chain)
        chain["families"] = every
        grouped.setdefault(primary, {"chains": []})["chains"].append(chain)
    leads_on = _leads_to(t, t.index[o.id], t.index[d.id], max_hops, floor, min_score)
    gaps = _gaps(m, t, families, reach, leads_on, t.index[d.id], t.index[o.id])
    for family in gaps:
        if family:
            grouped.setdefault(family, {"chains": []})
    conflicts = _conflicts_by_assertion(m, t, edges)
    out: list[dict[str, Any]] = []
    for family, group in grouped.items():
        entity = m.entities.get(family)
        if family == DIRECT:
            entity = None
            family_names = ("Direct effect on the outcome", "对结局的直接作用")
        else:
            family_names = (entity.name, entity.name_zh) if entity else (family, family)
        steps = {h["assertion"] for c in group["chains"] for h in c["hops"]}
        touching = {}
        for aid in sorted(steps):
            for item in conflicts.get(aid, ()):
                touching[(item["kind"], item["assertion"]["id"], (item.get("opposing") or {}).get("id"))] = item
        best = group["chains"]  # in rank order, as all chains are
        out.append({
            "id": family,
            "name": family_names[0],
            "name_zh": family_names[1],
            "type": entity.type if entity else "",
            "chains_found": len(best),
            "chains": [_json_chain(m, {**describe_chain(t, m, search, c["numbers"], drug=d.id),
                                       "families": c["families"]}) for c in best[:chains_per_family]],
            "conflicts": [_conflict_line(c) for c in touching.values()],
            "gaps": gaps.get(family, [])[:GAPS_PER_FAMILY],
        })
    out.sort(key=lambda f: (-(f["chains"][0]["score"] if f["chains"] else -1), f["name"].lower()))
    return {
        "drug": d.summary(),
        "outcome": o.summary(),
        "outcome_default": outcome is None,
        "chains": len(chains),
        "families": out,
        "open_ends": gaps.get("", []),
        "guidance": guidance(graph, d.id),
    }


def _json_chain(model, chain: dict) -> dict:
    from .citing import named_path
    weakest = chain["hops"][chain["weakest"]]
    return {**named_path(model, chain),
            "weakest_step": {"assertion": weakest["assertion"], "score": weakest["score"], "level": weakest["level"]}}


def _leads_to(t: Topology, outcome: int, drug: int, max_hops: int, floor: int, min_score: float) -> set[int]:
    """The entities from which a chain step path leads to the outcome (backwards from it)."""
    search = ChainSearch(t, drug, outcome, floor, min_score)
    return set(search.distances_to_end(max_hops))


def _gaps(model, t: Topology, families: _Families, reach: dict, leads_on: set[int], drug: int,
          outcome: int) -> dict[str, list[dict]]:
    """Per family, the entities the drug reaches from which nothing leads on to the outcome."""
    gaps: dict[str, list[dict]] = {}
    for node in sorted(reach, key=lambda n: (reach[n], t.nodes[n])):
        if node in (drug, outcome) or node in leads_on or t.type_of(node) in NOT_THROUGH:
            continue
        name = t.nodes[node]
        named = families.members(name)
        if not named:
            for edge in t.into(node):
                if t.subject[edge] in reach and not t.refuted[edge]:
                    assertion = families.at(edge)
                    if assertion.pathway:
                        named = list(assertion.pathway)
                        break
        entity = model.entities[name]
        for family in dict.fromkeys(families.top(p) for p in named) or [""]:
            gaps.setdefault(family, []).append({
                "entity": entity.summary(),
                "note": f"the drug reaches {entity.name} in {reach[node]} step(s), but no step in the graph "
                        f"leads on from it to the outcome",
            })
    return gaps


def _step_chain(t: Topology, model, numbers: list[int], edges: list[int]) -> dict:
    """A chain as its family and the conflict search read it: its node numbers, its steps'
    edges, and each step's assertion id and ends (``hops``)."""
    at = positional(model.assertions)
    return {"numbers": numbers, "edges": edges,
            "hops": [{"assertion": at(e).id, "subject": t.nodes[t.subject[e]], "object": t.nodes[t.object[e]]}
                     for e in edges]}


def _conflicts_by_assertion(model, topology, edges: dict[str, int]) -> dict[str, list[dict]]:
    """Assertion id -> the disagreements naming it, for the disagreements naming one of the
    chains' steps (``edges``: assertion id -> edge, in the chains' order), in
    :func:`~mechgraph.reasoning.conflicts.find_conflicts` order."""
    from .conflicts import conflicts_touching
    index: dict[str, list[dict]] = {}
    for item in conflicts_touching(model, topology, edges, edges=edges.values()):
        if "assertion" not in item or "id" not in item["assertion"]:
            continue
        for aid in (item["assertion"]["id"], (item.get("opposing") or {}).get("id"),
                    *(item.get("chain") or {}).get("hops", ())):
            if aid:
                index.setdefault(aid, []).append(item)
    return index


def _conflict_line(item: dict) -> dict:
    return {"kind": item["kind"], "assertion": item["assertion"]["id"],
            "opposing": (item.get("opposing") or {}).get("id"), "classification": item["classification"],
            "explanation": item["explanation"]}
