"""Connections that are not mechanism chains, each labelled for what it is.

``path --relation any`` (and ``path`` when no chain exists) walks assertions in either
direction and through any entity. Each path it finds is labelled by the directions of
its steps and their relation classes:

``chain``
    every step runs one way and is a chain step (:mod:`mechgraph.reasoning.chains`).
``common-cause``
    the steps run away from one entity towards both ends: A ← X → B (two effects of
    one drug are not a step from A to B).
``common-effect``
    the steps run from both ends into one entity: A → X ← B (two causes of one outcome).
``association``
    anything else: a correlation, a structural link (part of, enantiomer of), a chain
    through a drug or an outcome, or steps that change direction more than once.

>>> connection_kind(["forward", "reverse"], ["causal", "causal"], chain_valid=False)
'common-effect'
>>> connection_kind(["reverse", "forward"], ["drug-target", "drug-effect"], chain_valid=False)
'common-cause'
>>> connection_kind(["forward", "forward"], ["causal", "structural"], chain_valid=False)
'association'

The module also holds what a step of a mechanism chain may be and what chains
(:mod:`mechgraph.reasoning.chains`) and connections share: the path-level summary, the
sign the steps compose and the drugs behind a step. It loads neither the chain search
nor the signed reading of paths (:mod:`mechgraph.reasoning.signs`): labelling a
connection is one module to import.
"""

from __future__ import annotations

from ..model.constants import level_rank
from ..model.relations import DRUG_TYPES
from ..store.topology import Topology

#: entity types a chain never passes through (they may be its ends)
NOT_THROUGH: frozenset[str] = frozenset({"Drug", "Compound", "Metabolite", "Condition", "Phenotype",
                                         "AdverseEffect", "Population", "Procedure", "Route", "Measure"})
#: relation classes of a chain's steps
STEP_RELATIONS: frozenset[str] = frozenset({"causal"})
#: relation classes a chain that starts at a drug may begin with
FIRST_STEP_RELATIONS: frozenset[str] = frozenset({"drug-target", "drug-effect"})


def net_sign(signs) -> str:
    """The product of ``+``/``-`` signs.

    >>> net_sign(["-"]), net_sign(["-", "-"]), net_sign(["+", "-", "+"])
    ('-', '+', '-')
    """
    negative = sum(1 for s in signs if s == "-")
    return "-" if negative % 2 else "+"


def chain_summary(nodes: list[str], hops: list[dict], *, kind: str, direction: str, drug: str | None) -> dict:
    """The path-level fields of a chain or connection: weakest step, composed sign."""
    scores = [h["score"] for h in hops]
    weakest = min(range(len(hops)), key=lambda i: (scores[i], level_rank(hops[i]["level"])))
    signed = kind == "chain" and all(h["sign"] for h in hops)
    return {
        "kind": kind,
        "direction": direction,
        "nodes": nodes,
        "hops": hops,
        "score": scores[weakest],
        "weakest": weakest,
        "weakest_rank": min(level_rank(h["level"]) for h in hops),
        "sign": net_sign(h["sign"] for h in hops) if signed else None,
        "drug": drug,
        "borrowed": any(h["borrowed"] for h in hops),
    }


def step_drugs(model, data: dict, subject_drug: str | None) -> tuple[list[str], list[str]]:
    """The drugs whose experiments support a step (the main intervention of each
    supporting finding, the context's drug, a drug subject) and the doses given:
    ``(drug ids, ["Esketamine 10 mg/kg intraperitoneal", ...])``, each sorted."""
    drugs: set[str] = set(data["context"].get("drug", ()))
    if subject_drug:
        drugs.add(subject_drug)
    doses: dict[str, None] = {}
    for fid in data["supporting"]:
        finding = model.findings.get(fid)
        if finding is None or not finding.interventions:
            continue
        main = finding.interventions[0]
        drugs.add(main.drug)
        if main.dose or main.route:
            entity = model.entities.get(main.drug)
            words = [entity.name if entity else main.drug, main.dose, main.route]
            doses[" ".join(w for w in words if w)] = None
    return sorted(drugs), sorted(doses)


#: path kinds, in the order a reader meets them
KINDS: tuple[str, ...] = ("chain", "common-cause", "common-effect", "association")
#: relation classes whose edges state no direction of effect
UNDIRECTED: frozenset[str] = frozenset({"association", "structural"})


def connection_kind(directions: list[str], relations: list[str], *, chain_valid: bool) -> str:
    """The kind of a path from the directions of its steps (``forward`` from subject to
    object along the path, else ``reverse``) and their relation classes."""
    if any(r in UNDIRECTED for r in relations):
        return "association"
    if len(set(directions)) == 1:
        return "chain" if chain_valid else "association"
    turns = [i for i in range(1, len(directions)) if directions[i] != directions[i - 1]]
    if len(turns) == 1:
        return "common-cause" if directions[0] == "reverse" else "common-effect"
    return "association"


def _chain_valid(topology: Topology, nodes: list[str], relations: list[str]) -> bool:
    if any(topology.type_of(topology.index[n]) in NOT_THROUGH for n in nodes[1:-1]):
        return False
    first_is_drug = topology.type_of(topology.index[nodes[0]]) in DRUG_TYPES
    for number, relation in enumerate(relations):
        if relation in STEP_RELATIONS or (number == 0 and first_is_drug and relation in FIRST_STEP_RELATIONS):
            continue
        return False
    return True


def label_path(topology: Topology, model, path: dict, *, drug: str | None = None) -> dict:
    """A path found by :func:`mechgraph.reasoning.paths.ranked_paths` in the shape of a chain,
    with ``kind`` set; hops gain ``relation``, ``drugs``, ``borrowed`` and ``doses``.
    An all-backward chain is turned around and marked ``"direction": "reverse"``."""
    nodes, hops = list(path["nodes"]), [dict(h) for h in path["hops"]]
    directions = [h["direction"] for h in hops]
    relations = [h["relation"] for h in hops]
    direction = "forward"
    if set(directions) == {"reverse"}:
        backward_nodes = nodes[::-1]
        valid = _chain_valid(topology, backward_nodes, relations[::-1])
        if valid:
            nodes, hops, direction = backward_nodes, hops[::-1], "reverse"
            for hop in hops:
                hop.update(source=hop["subject"], target=hop["object"], direction="forward")
            directions, relations = ["forward"] * len(hops), relations[::-1]
    else:
        valid = _chain_valid(topology, nodes, relations)
    kind = connection_kind(directions, relations, chain_valid=valid)
    ends = [n for n in (nodes[0], nodes[-1]) if topology.type_of(topology.index[n]) in DRUG_TYPES]
    ref = drug or (ends[0] if ends else None)
    for hop in hops:
        subject_type = topology.type_of(topology.index[hop["subject"]])
        drugs, doses = step_drugs(model, hop, hop["subject"] if subject_type in DRUG_TYPES else None)
        borrowed = bool(ref and drugs and ref not in drugs)
        hop.update(drugs=drugs, doses=doses, borrowed=borrowed,
                   borrowed_from=[d for d in drugs if d != ref] if borrowed else [])
    return chain_summary(nodes, hops, kind=kind, direction=direction, drug=ref)
