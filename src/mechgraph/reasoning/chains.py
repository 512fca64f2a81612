"""Mechanism chains: directed, signed chains of causal steps from one entity to another.

A *chain* from A to B follows assertions from subject to object, one step each, where

- every step is ``causal`` (:mod:`mechgraph.model.relations`), except that a chain starting
  at a drug (a Drug, Compound or Metabolite) may begin with a ``drug-target`` or
  ``drug-effect`` step;
- no entity between the two ends is a drug, condition, phenotype, adverse effect,
  population, procedure, route or measure (``NOT_THROUGH``): a chain through an outcome
  or a drug is two claims that happen to meet, not a mechanism;
- no step is backed only by refuting findings, and every step passes the evidence
  filters (``min_level``, ``min_score``).

Structural edges (enantiomer, racemate, metabolite, part of) are never steps, so
evidence never travels from one drug to another through them. Each step names the drugs
whose experiments support it (``drugs``); measured against a reference drug (the chain's
drug end, or ``drug=``) a step supported only by other drugs' experiments is
``borrowed``.

Chains are ranked by their weakest step's evidence score, then by length (a long,
well-evidenced chain beats a short guess), then by the weakest step's level and the
entity ids. The search finds the best chains without enumerating every path: it
lowers a score threshold step by step and enumerates only the chains whose every step
reaches it, stopping once ``k`` have been found (a chain missing at threshold ``t`` has a
step below ``t``, so it ranks below every chain found).

>>> from mechgraph import MechGraph
>>> from pathlib import Path
>>> g = MechGraph.load(Path(__file__).parents[3] / "tests" / "data" / "example-graph")
>>> found = mechanism_chains(g.topology, g.model, "drug-x", "protein-p", max_hops=3, k=2)
>>> [(c["nodes"], c["sign"], c["score"]) for c in found]
[(['drug-x', 'receptor-r', 'protein-p'], '+', 0.5), (['drug-x', 'protein-p'], '+', 0.417)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from weakref import WeakKeyDictionary

from ..model.constants import EVIDENCE_LEVELS, level_rank
from ..errors import MechgraphError
from ..model.relations import DRUG_TYPES
from .connections import FIRST_STEP_RELATIONS, NOT_THROUGH, STEP_RELATIONS, chain_summary, step_drugs
from ..store.topology import RELATIONS, TYPES, Topology

#: the most chains enumerated at one threshold before ranking
CANDIDATE_LIMIT = 5000
#: the most score thresholds tried (spread over the scores present)
THRESHOLDS = 24

_STEP = frozenset(i for i, name in enumerate(RELATIONS) if name in STEP_RELATIONS)
#: the numbers (in the topology's ``types``) of the entity types in ``NOT_THROUGH``
_CLOSED = frozenset(i for i, name in enumerate(TYPES) if name in NOT_THROUGH)
_FIRST = frozenset(i for i, name in enumerate(RELATIONS) if name in FIRST_STEP_RELATIONS)


def level_floor(min_level: str | None) -> int:
    """The level rank an evidence filter keeps; raises MechgraphError for an unknown level."""
    if min_level is not None and min_level not in EVIDENCE_LEVELS:
        raise MechgraphError(f"unknown evidence level {min_level!r}; choose one of {', '.join(EVIDENCE_LEVELS)}")
    return level_rank(min_level) if min_level else 0


def may_step(topology: Topology, edge: int) -> bool:
    """Whether ``edge`` is a step of some chain when no evidence filter applies: not a loop,
    not refuted, causal, or a drug's ``drug-target`` or ``drug-effect`` step (a chain's first).

    >>> from mechgraph import MechGraph
    >>> t = MechGraph.load("tests/data/example-graph").topology
    >>> sorted({t.relation_of(e) for e in range(len(t)) if may_step(t, e)})
    ['causal', 'drug-effect', 'drug-target']
    """
    t = topology
    u = t.subject[edge]
    if u == t.object[edge] or t.refuted[edge]:
        return False
    kind = t.relation[edge]
    return kind in _STEP or kind in _FIRST and t.type_of(u) in DRUG_TYPES


def _distances(origin: int, neighbours: Callable[[int], Iterable[int]], limit: int,
               until: Callable[[dict[int, int]], bool] | None = None) -> dict[int, int]:
    """Breadth-first steps from ``origin`` along ``neighbours``, up to ``limit`` steps."""
    dist = {origin: 0}
    frontier = [origin]
    for depth in range(1, limit + 1):
        if not frontier or (until is not None and until(dist)):
            break
        nxt = []
        for v in frontier:
            for u in neighbours(v):
                if u not in dist:
                    dist[u] = depth
                    nxt.append(u)
        frontier = nxt
    return dist


class ChainSearch:
    """The chain steps of one topology under one query's filters, from a start node."""

    def __init__(self, topology: Topology, start: int, end: int, floor: int = 0, min_score: float = 0.0,
                 rows: dict[int, dict[int, int]] | None = None):
        self.t = topology
        self.start, self.end = start, end
        self.floor, self.min_score = floor, min_score
        self.start_is_drug = topology.type_of(start) in DRUG_TYPES
        self._out: dict[int, dict[int, int]] = {}
        #: entity -> the entities with a step into it whatever the ends, shared by every search
        #: of the topology under the same filters (:func:`_common_befores`)
        self._common = _common_befores(topology, floor, min_score)
        self._start_steps: set[int] | None = None
        #: the best step to every next entity, whatever its type (:meth:`_row`), shared by the
        #: searches from one start under one filter that are given the same dictionary
        self._rows = rows

    def passable(self, node: int) -> bool:
        """Whether a chain may pass through ``node`` (its ends always may)."""
        return node == self.start or node == self.end or self.t.types[node] not in _CLOSED

    def step_ok(self, edge: int) -> bool:
        """Whether ``edge`` may be a step: its class, its evidence, its ends."""
        t = self.t
        u, v = t.subject[edge], t.object[edge]
        if u == v or t.refuted[edge] or t.rank[edge] < self.floor or t.score[edge] < self.min_score:
            return False
        kind = t.relation[edge]
        if kind not in _STEP and not (kind in _FIRST and u == self.start and self.start_is_drug):
            return False
        return self.passable(u) and self.passable(v)

    def steps(self, u: int) -> dict[int, int]:
        """The best step from ``u`` to each next entity: ``{v: edge}`` (best by score, then level)."""
        found = self._out.get(u)
        if found is None:
            found = {}
            if (u == self.end and u != self.start) or not self.passable(u):
                pass  # a chain ends at its end and never leaves a closed entity
            else:
                row = self._row(u) if self._rows is not None else self._best_edges(u)
                end, types = self.end, self.t.types
                found = {v: e for v, e in row.items() if v == end or types[v] not in _CLOSED}
            self._out[u] = found
        return found

    def _row(self, u: int) -> dict[int, int]:
        """:meth:`_best_edges` of ``u``, kept in the shared ``rows``."""
        assert self._rows is not None
        row = self._rows.get(u)
        if row is None:
            row = self._rows[u] = self._best_edges(u)
        return row

    def _best_edges(self, u: int) -> dict[int, int]:
        """:meth:`steps` before the test of each next entity's type (which depends on the end):
        the best usable edge from ``u`` to each entity other than ``u`` and the start, in the
        order of the first such edge."""
        row: dict[int, int] = {}
        t, start = self.t, self.start
        obj, score, rank = t.object, t.score, t.rank
        for edge in self._usable(t.out_of(u), u == start):
            v = obj[edge]
            if v in (u, start):
                continue
            best = row.get(v)
            if best is None or (score[edge], rank[edge]) > (score[best], rank[best]):
                row[v] = edge
        return row

    def _usable(self, edges, from_start: bool) -> list[int]:
        """The edges (of one row) whose evidence and class :meth:`step_ok` allows, leaving
        ``from_start`` aside the ends: the same test, on the arrays directly."""
        t = self.t
        refuted, rank, score, relation = t.refuted, t.rank, t.score, t.relation
        floor, min_score = self.floor, self.min_score
        first = from_start and self.start_is_drug
        return [e for e in edges if not refuted[e] and rank[e] >= floor and score[e] >= min_score
                and (relation[e] in _STEP or first and relation[e] in _FIRST)]

    def before(self, v: int) -> list[int]:
        """The entities with a step into ``v``: those of every search (:func:`_common_befores`)
        but this one's ends, and the start when one of its edges into ``v`` may be a step."""
        if not self.passable(v):
            return []
        common = self._common.get(v)
        if common is None:
            common = self._common[v] = self._common_before(v)
        start, end = self.start, self.end
        from_start = start != end and v in self._steps_from_start()
        if not from_start and start not in common and end not in common:
            return common
        found = [u for u in common if u != start and u != end]
        if from_start:
            found.append(start)
        return found

    def _common_before(self, v: int) -> list[int]:
        """The entities other than ``v`` with a step into ``v`` that any search may take (a step
        relation, its evidence, an entity a chain may pass through), in the order of their first such edge."""
        t = self.t
        subject, refuted, rank, score, relation, types = t.subject, t.refuted, t.rank, t.score, t.relation, t.types
        floor, min_score = self.floor, self.min_score
        found: list[int] = []
        seen = set()
        for e in t.into(v):
            u = subject[e]
            if u == v or u in seen or refuted[e] or rank[e] < floor or score[e] < min_score:
                continue
            if relation[e] in _STEP and types[u] not in _CLOSED:
                seen.add(u)
                found.append(u)
        return found

    def _steps_from_start(self) -> set[int]:
        """The entities the start has an edge to that may be a step of this search (its own
        kinds: a drug's first step, and from a start a chain may not pass through)."""
        if self._start_steps is None:
            t, start = self.t, self.start
            obj, refuted, rank, score, relation = t.object, t.refuted, t.rank, t.score, t.relation
            first = self.start_is_drug
            self._start_steps = {obj[e] for e in t.out_of(start)
                                 if obj[e] != start and not refuted[e] and rank[e] >= self.floor
                                 and score[e] >= self.min_score
                                 and (relation[e] in _STEP or first and relation[e] in _FIRST)}
        return self._start_steps

    def distances_to_end(self, limit: int) -> dict[int, int]:
        """Steps from each entity to the end, for entities within ``limit`` steps of it."""
        return _distances(self.end, self.before, limit)

    def distances_from_start(self, limit: int, until: Callable[[dict[int, int]], bool] | None = None
                             ) -> dict[int, int]:
        """Steps from the start to each entity within ``limit`` steps of it; the search stops
        before a further step once ``until(distances)`` holds."""
        return _distances(self.start, self.steps, limit, until)

    def chains(self, max_hops: int, threshold: float, dist: dict[int, int], limit: int) -> list[list[int]]:
        """Every chain (as a node list) of at most ``max_hops`` steps whose steps all score
        at least ``threshold``, at most ``limit`` of them."""
        t = self.t
        found: list[list[int]] = []
        path = [self.start]
        on_path = {self.start}

        def extend(u: int, left: int) -> None:
            for v, edge in self.steps(u).items():
                if len(found) >= limit:
                    return
                if t.score[edge] < threshold or v in on_path:
                    continue
                if v == self.end:
                    found.append(path + [v])
                    continue
                d = dist.get(v)
                if d is None or d > left - 1:
                    continue
                path.append(v)
                on_path.add(v)
                extend(v, left - 1)
                path.pop()
                on_path.discard(v)

        extend(self.start, max_hops)
        return found

    def thresholds(self, dist: dict[int, int], max_hops: int) -> list[float]:
        """Scores to try, highest first, ending with the lowest score of any usable step
        near the end (every chain then qualifies)."""
        t = self.t
        score = t.score
        every = sum(1 for value in _step_scores(t, self.floor) if value >= self.min_score)
        scores: set[float] = set()
        for u in dist:
            scores.update(score[e] for e in self.steps(u).values())
            if len(scores) == every:  # every score of the graph is there: no step can add one
                break
        scores.update(score[e] for e in self.steps(self.start).values())
        ordered = sorted(scores, reverse=True)
        if len(ordered) > THRESHOLDS:
            stride = len(ordered) / (THRESHOLDS - 1)
            ordered = [ordered[int(i * stride)] for i in range(THRESHOLDS - 1)] + [ordered[-1]]
        return ordered


#: per topology and filters (floor, lowest score): entity -> the entities with a step into it
#: that any search may take (:meth:`ChainSearch._common_before`)
_COMMON_BEFORES: WeakKeyDictionary[Topology, dict[tuple[int, float], dict[int, list[int]]]] = WeakKeyDictionary()


#: the filters whose lists are kept per topology (a long-running ``serve`` meets many)
COMMON_FILTERS_KEPT = 4


def _common_befores(t: Topology, floor: int, min_score: float) -> dict[int, list[int]]:
    """The shared :meth:`ChainSearch._common_before` lists of a topology under these filters
    (those of the :data:`COMMON_FILTERS_KEPT` filters used last are kept)."""
    kept = _COMMON_BEFORES.setdefault(t, {})
    found = kept.pop((floor, min_score), None)
    if found is None:
        found = {}
        while len(kept) >= COMMON_FILTERS_KEPT:
            del kept[next(iter(kept))]
    kept[(floor, min_score)] = found  # the last used last
    return found


#: per topology and evidence floor: the distinct scores of the edges that could be a chain's step
_STEP_SCORES: WeakKeyDictionary[Topology, dict[int, frozenset[float]]] = WeakKeyDictionary()


def _step_scores(t: Topology, floor: int) -> frozenset[float]:
    """The distinct scores of the edges that pass :meth:`ChainSearch.step_ok`'s tests of
    evidence and class (whatever their ends) under ``floor``: more than any search's steps
    can have. Worked out once per topology and floor."""
    known = _STEP_SCORES.setdefault(t, {})
    found = known.get(floor)
    if found is None:
        score, rank, refuted, relation = t.score, t.rank, t.refuted, t.relation
        kinds = _STEP | _FIRST
        found = known[floor] = frozenset(score[e] for e in range(len(t))
                                         if not refuted[e] and rank[e] >= floor and relation[e] in kinds)
    return found


def _best_chains(search: ChainSearch, *, max_hops: int, k: int) -> list[list[int]]:
    """The best chains of ``search`` (node lists), at least ``k`` when there are."""
    dist = search.distances_to_end(max_hops)
    if search.start not in dist:
        return []
    found: list[list[int]] = []
    for threshold in search.thresholds(dist, max_hops):
        found = search.chains(max_hops, threshold, dist, CANDIDATE_LIMIT)
        if len(found) >= k or len(found) >= CANDIDATE_LIMIT:
            break
    return found


def ranked_chain_edges(topology: Topology, source: int, target: int, *, max_hops: int = 4, k: int = 5,
                       floor: int = 0, min_score: float = 0.0,
                       search: ChainSearch | None = None) -> list[tuple[list[int], list[int]]]:
    """The ``k`` best chains from ``source`` to ``target`` (node numbers), ranked as
    :func:`mechanism_chains` ranks them (:func:`chain_rank`) but from the topology's arrays
    alone, no record read: ``[(nodes, edges)]``, best first. ``search``, when given, is a
    :class:`ChainSearch` from ``source`` to ``target`` under the same filters, whose steps
    found so far are reused.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> t = MechGraph.load("tests/data/example-graph").topology
    >>> [[t.nodes[n] for n in nodes] for nodes, _ in ranked_chain_edges(t, t.index["drug-x"], t.index["protein-p"])]
    [['drug-x', 'receptor-r', 'protein-p'], ['drug-x', 'protein-p']]
    """
    if source == target:
        return []
    t = topology
    if search is None:
        search = ChainSearch(t, source, target, floor, min_score)
    ranked = []
    for nodes in _best_chains(search, max_hops=max_hops, k=k):
        edges = [search.steps(u)[v] for u, v in pairwise(nodes)]
        key = (-min(t.score[e] for e in edges), len(edges), -min(t.rank[e] for e in edges), [t.nodes[n] for n in nodes])
        ranked.append((key, nodes, edges))
    ranked.sort(key=lambda item: item[0])
    return [(nodes, edges) for _, nodes, edges in ranked[:k]]


def mechanism_chains(topology: Topology, model, source: str, target: str, *, max_hops: int = 4, k: int = 5,
                     min_level: str | None = None, min_score: float = 0.0, drug: str | None = None,
                     both_ways: bool = True) -> list[dict]:
    """The ``k`` best mechanism chains between two entity ids.

    Chains run from ``source`` to ``target`` and (when ``both_ways``) from ``target`` to
    ``source``, ranked as the module docstring says (:func:`chain_rank`).

    Parameters
    ----------
    topology : Topology
        The graph's topology (``MechGraph.topology``).
    model : Model
        The graph's records.
    source, target : str
        Entity ids.
    max_hops : int, optional
        The longest chain, in steps.
    k : int, optional
        How many chains to return.
    min_level : str, optional
        The weakest evidence level a step may have.
    min_score : float, optional
        The lowest evidence score a step may have.
    drug : str, optional
        The drug whose findings the steps are read for.
    both_ways : bool, optional
        Also search from ``target`` to ``source``.

    Returns
    -------
    list of dict
        Each chain as :func:`describe_chain` describes it (one that runs from ``target``
        to ``source`` has ``"direction": "reverse"``); empty when none has at most
        ``max_hops`` steps.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import mechanism_chains
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> [(c["nodes"], c["score"]) for c in mechanism_chains(g.topology, g.model, "drug-x", "protein-p")]
    [(['drug-x', 'receptor-r', 'protein-p'], 0.5), (['drug-x', 'protein-p'], 0.417)]
    """
    floor = level_floor(min_level)
    s, t = topology.index[source], topology.index[target]
    if s == t:
        return []
    forward = ChainSearch(topology, s, t, floor, min_score)
    numbered = [(nodes, forward) for nodes in _best_chains(forward, max_hops=max_hops, k=k)]
    if both_ways:
        reverse = ChainSearch(topology, t, s, floor, min_score)
        numbered += [(nodes, reverse) for nodes in _best_chains(reverse, max_hops=max_hops, k=k)]
    described = []
    for nodes, search in numbered:
        direction = "forward" if search is forward else "reverse"
        described.append(describe_chain(topology, model, search, nodes, direction=direction, drug=drug))
    described.sort(key=chain_rank)
    return described[:k]


def chain_rank(chain: dict) -> tuple:
    """The sort key of a chain.

    Parameters
    ----------
    chain : dict
        A chain as :func:`mechanism_chains` gives it.

    Returns
    -------
    tuple
        The weakest step's score (descending), the number of steps, the weakest step's
        level (descending), the entity ids.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import chain_rank, mechanism_chains
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> chains = mechanism_chains(g.topology, g.model, "drug-x", "protein-p")
    >>> [c["nodes"] for c in sorted(chains, key=chain_rank)]
    [['drug-x', 'receptor-r', 'protein-p'], ['drug-x', 'protein-p']]
    """
    return (-chain["score"], len(chain["hops"]), -chain["weakest_rank"], chain["nodes"])


def reference_drug(topology: Topology, nodes: list[str], drug: str | None) -> str | None:
    """The drug a chain's steps are measured against: ``drug`` when given, else the
    chain's first entity when it is a drug, else None."""
    if drug:
        return drug
    first = topology.index[nodes[0]]
    return nodes[0] if topology.type_of(first) in DRUG_TYPES else None


def describe_chain(topology: Topology, model, search: ChainSearch, numbers: list[int], *,
                   direction: str = "forward", drug: str | None = None) -> dict:
    """A chain as the ``path --json`` shape: ``{"kind": "chain", "direction", "nodes",
    "hops", "score", "weakest", "weakest_rank", "sign", "drug"}``; each hop as
    :func:`hop_record` gives it."""
    nodes = [topology.nodes[n] for n in numbers]
    ref = reference_drug(topology, nodes, drug)
    hops = []
    for u, v in pairwise(numbers):
        edge = search.steps(u)[v]
        hops.append(hop_record(topology, model, edge, forward=True, drug=ref))
    return chain_summary(nodes, hops, kind="chain", direction=direction, drug=ref)


def hop_record(topology: Topology, model, edge: int, *, forward: bool, drug: str | None) -> dict:
    """One step of a path: the assertion, its class, evidence, context, and the drugs
    whose experiments support it (``drugs``; ``borrowed`` when ``drug`` is not among them)."""
    data = topology.edge_data(edge)
    subject, obj = topology.nodes[topology.subject[edge]], topology.nodes[topology.object[edge]]
    drugs, doses = step_drugs(model, data, subject if topology.type_of(topology.subject[edge]) in DRUG_TYPES
                              else None)
    borrowed = bool(drug and drugs and drug not in drugs)
    return {
        "source": subject if forward else obj,
        "target": obj if forward else subject,
        "assertion": topology.edge_key(edge),
        "subject": subject,
        "object": obj,
        "predicate": data["predicate"],
        "direction": "forward" if forward else "reverse",
        "sign": data["sign"],
        "relation": data["relation"],
        "level": data["level"],
        "score": data["score"],
        "species": data["species"],
        "context": data["context"],
        "drugs": drugs,
        "borrowed": borrowed,
        "borrowed_from": [d for d in drugs if d != drug] if borrowed else [],
        "doses": doses,
        "findings": data["supporting"] + data["refuting"],
        "supporting": data["supporting"],
        "refuting": data["refuting"],
    }


def direct_effects(topology: Topology, source: str, target: str) -> list[dict]:
    """The signed, supported assertions from ``source`` to ``target``: ``[{"assertion",
    "predicate", "sign", "score", "relation"}]``."""
    s, t = topology.index[source], topology.index[target]
    out = []
    for edge in topology.out_of(s):
        if topology.object[edge] != t or topology.refuted[edge]:
            continue
        data = topology.edge_data(edge)
        if data["sign"] and data["supporting"]:
            out.append({"assertion": topology.edge_key(edge), "predicate": data["predicate"], "sign": data["sign"],
                        "score": data["score"], "relation": data["relation"]})
    return out


def sign_agreement(topology: Topology, chain: dict) -> dict:
    """Whether a signed chain of two or more steps agrees with the direct signed
    assertions between its ends: ``{"agrees": [ids], "contradicts": [ids]}``."""
    if not chain["sign"] or len(chain["hops"]) < 2:
        return {"agrees": [], "contradicts": []}
    direct = direct_effects(topology, chain["nodes"][0], chain["nodes"][-1])
    return {"agrees": [d["assertion"] for d in direct if d["sign"] == chain["sign"]],
            "contradicts": [d["assertion"] for d in direct if d["sign"] != chain["sign"]]}
