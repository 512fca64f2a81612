"""What a change does beyond its records: evidence scores that moved and why, conflicts
gained and lost, mechanism chains that appeared, disappeared or changed their weakest
step, and coverage of the seed texts gained or lost.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import MechgraphError
from ..reasoning.evidence import score_parts
from ..model.relations import DRUG_TYPES
from .records import field_changes

#: fields of a finding that change how (or whether) it counts as evidence
EVIDENCE_FIELDS = ("source", "locator", "study_type", "role", "direction", "study", "cites")


# -- scores ----------------------------------------------------------------------------------
def _why(old, new, a_old, a_new) -> list[str]:
    """The changes behind an assertion's new score, in words."""
    reasons = []
    for side in ("supporting", "refuting"):
        before, after = getattr(a_old, side), getattr(a_new, side)
        for fid in sorted(set(after) - set(before)):
            reasons.append(f"{fid} added to {side}")
        for fid in sorted(set(before) - set(after)):
            reasons.append(f"{fid} removed from {side}")
    for fid in sorted(set(a_old.findings) & set(a_new.findings)):
        f_old, f_new = old.findings.get(fid), new.findings.get(fid)
        if f_old is None or f_new is None:
            continue
        for change in field_changes(f_old, f_new):
            if change["field"] in EVIDENCE_FIELDS:
                reasons.append(f"{fid} {change['field']}: {_short(change['old'])} → {_short(change['new'])}")
    return reasons or ["the findings' evidence units changed (a finding elsewhere now shares their study)"]


def _short(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value) if value not in ("", None) else "(none)"


def moved_scores(old, new, threshold: float) -> list[dict]:
    """Assertions in both models whose evidence score moved by more than ``threshold``:
    ``[{"assertion", "subject", "predicate", "object", "old", "new", "delta",
    "studies_for": [old, new], "studies_against": [old, new], "why": [str]}]``, the
    largest move first."""
    out = []
    for aid in sorted(set(old.assertions) & set(new.assertions)):
        a_old, a_new = old.assertions[aid], new.assertions[aid]
        p_old, p_new = score_parts(old, a_old), score_parts(new, a_new)
        delta = round(p_new["score"] - p_old["score"], 3)
        if abs(delta) <= threshold + 1e-9:
            continue
        out.append({"assertion": aid, "subject": a_new.subject, "predicate": a_new.predicate,
                    "object": a_new.object, "old": p_old["score"], "new": p_new["score"], "delta": delta,
                    "studies_for": [p_old["studies_for"], p_new["studies_for"]],
                    "studies_against": [p_old["studies_against"], p_new["studies_against"]],
                    "why": _why(old, new, a_old, a_new)})
    out.sort(key=lambda s: (-abs(s["delta"]), s["assertion"]))
    return out


# -- conflicts -------------------------------------------------------------------------------
def conflict_key(item: dict) -> str:
    """A stable name for one disagreement: its kind and what it is between."""
    a = item["assertion"]
    if item["kind"] == "quantity":
        quals = ",".join(f"{k}={v}" for k, v in sorted(a["qualifiers"].items()))
        return f"quantity {a['entity']['id']} {a['quantity']}" + (f" ({quals})" if quals else "")
    key = f"{item['kind']} {a['id']}"
    if item.get("opposing"):
        key += f" vs {item['opposing']['id']}"
    if item.get("chain"):
        key += " via " + " → ".join(item["chain"]["nodes"])
    return key


def _conflicts(graph) -> dict[str, dict]:
    from ..reasoning.conflicts import find_conflicts
    out: dict = {}
    for item in find_conflicts(graph.model, topology=graph.topology):
        out.setdefault(conflict_key(item), {"key": conflict_key(item), "kind": item["kind"],
                                           "classification": item["classification"],
                                           "contexts": item["contexts"], "explanation": item["explanation"]})
    return out


def diff_conflicts(old_graph, new_graph) -> dict:
    """``{"gained": [C], "lost": [C], "reclassified": [{"key", "kind", "old", "new"}]}`` where
    C is ``{"key", "kind", "classification", "contexts", "explanation"}``, sorted by key;
    a reclassified conflict changed between explained by context and unexplained."""
    a, b = _conflicts(old_graph), _conflicts(new_graph)
    reclassified = [{"key": k, "kind": b[k]["kind"],
                     "old": {"classification": a[k]["classification"], "contexts": a[k]["contexts"]},
                     "new": {"classification": b[k]["classification"], "contexts": b[k]["contexts"]}}
                    for k in sorted(set(a) & set(b))
                    if (a[k]["classification"], a[k]["contexts"]) != (b[k]["classification"], b[k]["contexts"])]
    return {"gained": [b[k] for k in sorted(set(b) - set(a))],
            "lost": [a[k] for k in sorted(set(a) - set(b))],
            "reclassified": reclassified}


# -- chains ----------------------------------------------------------------------------------
def _chains(graph, drug: str, outcome: str | None) -> tuple[str | None, dict[tuple, dict]]:
    """The outcome explain used and every chain it found, keyed by the chain's entities."""
    from ..reasoning.explain import explain
    try:
        result = explain(graph, drug, outcome, chains_per_family=10_000)
    except MechgraphError:
        return outcome, {}
    found: dict[tuple, dict] = {}
    for family in result["families"]:
        for chain in family["chains"]:
            nodes = tuple(n["id"] for n in chain["nodes"])
            shown = {"nodes": list(nodes), "steps": [h["assertion"] for h in chain["hops"]],
                     "score": chain["score"], "weakest_step": chain["weakest_step"]}
            if nodes not in found or shown["score"] > found[nodes]["score"]:
                found[nodes] = shown
    return result["outcome"]["id"], found


def diff_chains(old_graph, new_graph) -> list[dict]:
    """Per drug present in both graphs (by id), the mechanism chains ``explain`` finds to
    the old graph's default outcome: ``[{"drug", "outcome", "new_outcome", "appeared",
    "disappeared", "weakest_changed"}]``: chains as ``{"nodes", "steps", "score",
    "weakest_step"}`` and changed ones as ``{"nodes", "old", "new", "old_score", "new_score"}``
    (the old and new weakest steps, ``{"assertion", "score", "level"}``). Only drugs with a
    change are listed; ``new_outcome`` is the new graph's default outcome when it differs.
    When the old outcome is gone, the new graph's default outcome is compared instead."""
    out = []
    old_m, new_m = old_graph.model, new_graph.model
    drugs = sorted(d for d in set(old_m.entities) & set(new_m.entities)
                   if old_m.entities[d].type in DRUG_TYPES and new_m.entities[d].type in DRUG_TYPES)
    for drug in drugs:
        old_outcome, before = _chains(old_graph, drug, None)
        new_default = _default_outcome(new_graph, drug)
        outcome = old_outcome if old_outcome in new_m.entities else new_default
        if outcome is None:
            continue
        if outcome != old_outcome:
            before = _chains(old_graph, drug, outcome)[1] if outcome in old_m.entities else {}
        after = _chains(new_graph, drug, outcome)[1]
        changed = [{"nodes": list(k), "old": before[k]["weakest_step"], "new": after[k]["weakest_step"],
                    "old_score": before[k]["score"], "new_score": after[k]["score"]}
                   for k in sorted(set(before) & set(after))
                   if before[k]["weakest_step"] != after[k]["weakest_step"]]
        item = {"drug": drug, "outcome": outcome,
                "new_outcome": new_default if new_default not in (None, outcome) else None,
                "appeared": [after[k] for k in sorted(set(after) - set(before))],
                "disappeared": [before[k] for k in sorted(set(before) - set(after))],
                "weakest_changed": changed}
        if item["appeared"] or item["disappeared"] or changed or item["new_outcome"]:
            out.append(item)
    return out


def _default_outcome(graph, drug: str) -> str | None:
    from ..reasoning.explain import default_outcome
    t = graph.topology
    try:
        return t.nodes[default_outcome(t, t.index[drug], max_hops=6)]
    except (MechgraphError, KeyError):
        return None


# -- coverage --------------------------------------------------------------------------------
def diff_coverage(old_model, new_model, sources: Path) -> dict:
    """Coverage of the seed texts in ``sources`` before and after: ``{"seeds": [{"file",
    "source", "old", "new", "newly_cited": [S], "no_longer_cited": [S]}], "problems_gained",
    "problems_lost"}`` with S ``{"locator", "text"}``; or ``{"note": why not compared}``."""
    from ..curation.coverage import check_coverage
    try:
        a, b = check_coverage(old_model, sources), check_coverage(new_model, sources)
    except MechgraphError as exc:
        return {"note": f"coverage not compared: {exc}"}
    before = {s.source: s for s in a.seeds}
    seeds = []
    for s in sorted(b.seeds, key=lambda s: s.source):
        old = before.get(s.source)
        old_uncited = {u.locator: u for u in old.uncited} if old else {}
        new_uncited = {u.locator: u for u in s.uncited}
        newly = [u for loc, u in old_uncited.items() if loc not in new_uncited]
        lost = [u for loc, u in new_uncited.items() if loc not in old_uncited] if old else []
        seeds.append({"file": s.file, "source": s.source,
                      "old": round(old.ratio, 4) if old else None, "new": round(s.ratio, 4),
                      "newly_cited": [{"locator": u.locator, "text": u.text} for u in newly],
                      "no_longer_cited": [{"locator": u.locator, "text": u.text} for u in lost]})
    for s in sorted(a.seeds, key=lambda s: s.source):
        if s.source not in {x.source for x in b.seeds}:
            seeds.append({"file": s.file, "source": s.source, "old": round(s.ratio, 4), "new": None,
                          "newly_cited": [], "no_longer_cited": []})
    old_problems, new_problems = _unplaced(a.problems), _unplaced(b.problems)
    return {"seeds": seeds,
            "problems_gained": sorted(p for k, p in new_problems.items() if k not in old_problems),
            "problems_lost": sorted(p for k, p in old_problems.items() if k not in new_problems)}


def _unplaced(problems: list[str]) -> dict[str, str]:
    """Problems by their text without the file:line in front (a moved record keeps its problem)."""
    return {p.split(": ", 1)[-1]: p for p in problems}
