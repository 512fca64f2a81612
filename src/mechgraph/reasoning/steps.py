"""What a step of a mechanism chain may be, and what chains and other connections
share: the path-level summary, the sign the steps compose and the drugs behind a step.

Kept apart from :mod:`mechgraph.reasoning.chains` so that labelling a connection
(:mod:`mechgraph.reasoning.connections`) does not load the chain search, nor the signed
reading of paths (:mod:`mechgraph.reasoning.signs`).
"""

from __future__ import annotations

from ..model.constants import level_rank

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
