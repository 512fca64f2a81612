"""Evidence scores: how well the findings behind an assertion support it.

The score of an assertion is a number between 0 and 1 computed from its findings'
roles and evidence levels, how many independent studies there are, which way each
points, and how consistent the two sides are. It is in the spirit of INDRA's belief
scores (each piece of evidence is an independent chance that the claim is right),
extended so that refuting and no-effect findings lower it.

1. **What counts.** Only a finding whose role is ``result`` (a study's observation) or
   ``synthesis`` (a meta-analysis) is evidence in full. An ``opinion`` (a review's or
   expert's claim without a study behind it) counts with the review-opinion weight, once
   per source. A ``recommendation`` (dosing, monitoring, setting of care) or
   ``background`` finding never counts: it is listed as excluded.
2. **Units, not findings.** Findings that report the same study count once, with the
   strongest weight among them: they share the cited sources (``cites``), or else the
   study name and seed, or else the seed and sentence locator. An opinion without cited
   sources counts once per seed however many of the seed's sentences repeat it; an
   opinion citing a work is that work's unit (a review's reading of a study adds nothing
   to the study itself).
3. **Weights.** A unit weighs ``w`` by its evidence level (``LEVEL_WEIGHTS``: 0.9 for a
   meta-analysis down to 0.2 for a review's opinion; an opinion always weighs 0.2). A
   unit against the assertion weighs ``w · f``, with ``f`` = 1 for ``refutes`` and 0.5
   for ``no_effect`` (``AGAINST_FACTOR``).
4. **Combination** (noisy-OR, as INDRA combines evidence), with S and R the sums of the
   weights for and against::

       support = 1 - Π (1 - w_i)          over units for
       against = 1 - Π (1 - w_j · f_j)    over units against
       dissent = min(1, 2 · R / (S + R))  the consistency term
       score   = support · (1 - against · dissent)

The consistency term lets a lone dissent among many concordant studies count less
than a dissent that faces equal or stronger evidence: when the evidence against is
at least as heavy as the evidence for, it bites in full; when it is a small share of
the total, its bite shrinks in proportion. Without it, ten concordant RCTs and one
null RCT (0.6) would rank below a single unopposed RCT (0.8); with it they score 0.96.

Reference values: one mouse study 0.5, one RCT 0.8, a meta-analysis 0.9, a mouse study
and a meta-analysis 0.95; three sentences of one review 0.2; a rat study against a
clinical study that refutes it 0.2; one study for and an equal one against 0.25; an
assertion with only refuting or no-effect findings 0; one backed only by
recommendations 0. Scores are rounded to 3 decimals.

>>> from mechgraph.model import Finding, Model, Assertion
>>> def f(i, level, d="supports", cites=()):
...     return Finding(i, "seed", (f"p{i}.s1",), level, d, "s", "s", cites=cites)
>>> m = Model(findings={x.id: x for x in [f("1", "rct"), f("2", "rct"), f("3", "rct", "no_effect")]})
>>> assertion_score(m, Assertion("a", "x", "treats", "y", supporting=("1", "2"), refuting=("3",)))
0.806
"""

from __future__ import annotations

from ..model.constants import GUIDANCE_ROLES
from ..model.core import Assertion, Finding, Model

#: weight of one unit of evidence by evidence level
LEVEL_WEIGHTS: dict[str, float] = {
    "meta_analysis": 0.9,
    "rct": 0.8,
    "clinical_trial": 0.7,
    "human_observational": 0.6,
    "animal_in_vivo": 0.5,
    "in_vitro": 0.4,
    "review_opinion": 0.2,
}
#: how much a finding of each direction counts against an assertion
AGAINST_FACTOR: dict[str, float] = {"refutes": 1.0, "no_effect": 0.5}


def study_key(finding: Finding) -> tuple:
    """What identifies the unit of evidence behind a finding: its cited sources, else
    (for an opinion) its seed, else its study name in its seed, else its seed and locator.

    >>> from mechgraph.model import Finding
    >>> study_key(Finding("f", "seed-000", ("p3.s1",), "rct", "supports", "s", "s", study="Su et al."))
    ('study', 'seed-000', 'su et al.')
    >>> study_key(Finding("f", "seed-000", ("p3.s1",), "review", "supports", "s", "s"))
    ('opinion', 'seed-000')
    """
    if finding.cites:
        return ("cites", *sorted(finding.cites))
    if finding.role == "opinion":
        return ("opinion", finding.source)
    if finding.study:
        return ("study", finding.source, " ".join(finding.study.lower().split()))
    return ("locator", finding.source, *sorted(finding.locator))


def finding_weight(finding: Finding) -> float:
    """The weight of a finding by its role and level: 0 for a recommendation or
    background, the review-opinion weight for an opinion, else its level's weight."""
    if finding.role in GUIDANCE_ROLES:
        return 0.0
    if finding.role == "opinion":
        return LEVEL_WEIGHTS["review_opinion"]
    return LEVEL_WEIGHTS[finding.level]


def evidence_units(model: Model, finding_ids, *, against: bool = False) -> tuple[list[dict], list[dict]]:
    """The independent units of evidence among the findings, and the findings excluded.

    Each unit: ``{"key", "kind" ("study" or "opinion"), "level", "weight", "findings"}``
    (``weight`` already multiplied by ``AGAINST_FACTOR`` when ``against``; then also
    ``"factor"``). Each excluded finding: ``{"finding", "role"}``.
    """
    units: dict[tuple, dict] = {}
    excluded = []
    for fid in finding_ids:
        finding = model.findings.get(fid)
        if finding is None:
            continue
        if finding.role in GUIDANCE_ROLES:
            excluded.append({"finding": fid, "role": finding.role})
            continue
        weight = finding_weight(finding)
        factor = AGAINST_FACTOR.get(finding.direction, 1.0) if against else 1.0
        key = study_key(finding)
        level = "review_opinion" if finding.role == "opinion" else finding.level
        unit = units.get(key)
        if unit is None:
            unit = units[key] = {"key": ":".join(key), "kind": "opinion" if finding.role == "opinion" else "study",
                                 "level": level, "weight": 0.0, "findings": []}
        unit["findings"].append(fid)
        if weight * factor > unit["weight"]:
            unit.update(level=level, weight=round(weight * factor, 3),
                        kind="opinion" if finding.role == "opinion" else "study")
            if against:
                unit["factor"] = factor
    return list(units.values()), excluded


def study_weights(model: Model, finding_ids, *, against: bool = False) -> list[float]:
    """One weight per independent unit of evidence among the findings.

    Parameters
    ----------
    model : Model
        The graph's records.
    finding_ids : iterable of str
        The findings weighed.
    against : bool, optional
        Apply ``AGAINST_FACTOR`` (the findings are against the claim).

    Returns
    -------
    list of float
        One weight per unit (see :func:`evidence_units`): findings from the same
        sentences count once.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import study_weights
    >>> m = MechGraph.load("tests/data/example-graph").model
    >>> study_weights(m, ["f-x-blocks-r", "f-x-reduces-b", "f-x-treats-d"])   # the first two share p5.s1
    [0.5, 0.8]
    """
    return [u["weight"] for u in evidence_units(model, finding_ids, against=against)[0]]


def _product_text(weights: list[float]) -> str:
    return " · ".join(f"(1 − {w:g})" for w in weights) if weights else "1"


def score_parts(model: Model, assertion: Assertion) -> dict:
    """The terms of an assertion's evidence score, enough to recompute it by hand.

    Parameters
    ----------
    model : Model
        The graph's records.
    assertion : Assertion
        The assertion scored.

    Returns
    -------
    dict
        ``{"score", "support", "against", "dissent", "studies_for", "studies_against",
        "opinions_counted", "for": [UNIT], "against_units": [UNIT], "excluded": [{"finding",
        "role"}], "formula": [str]}``, units as :func:`evidence_units` gives them.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import score_parts
    >>> m = MechGraph.load("tests/data/example-graph").model
    >>> parts = score_parts(m, m.assertions["a-x-treats-d"])
    >>> parts["score"], parts["studies_for"], parts["formula"][-1]
    (0.8, 1, 'score = 0.800 · (1 − 0.000 · 0.000) = 0.8')
    """
    return findings_score_parts(model, assertion.supporting, assertion.refuting)


def findings_score_parts(model: Model, supporting, refuting) -> dict:
    """:func:`score_parts` of an assertion with these supporting and refuting finding ids
    (a path's hop holds them: its assertion's record need not be read)."""
    pro_units, excluded_for = evidence_units(model, supporting)
    con_units, excluded_against = evidence_units(model, refuting, against=True)
    pro = [u["weight"] for u in pro_units]
    con = [u["weight"] for u in con_units]
    doubt = 1.0
    for w in pro:
        doubt *= 1.0 - w
    trust = 1.0
    for w in con:
        trust *= 1.0 - w
    support, against = 1.0 - doubt, 1.0 - trust
    total = sum(pro) + sum(con)
    dissent = min(1.0, 2.0 * sum(con) / total) if total else 0.0
    score = round(support * (1.0 - against * dissent), 3)
    formula = [
        f"support = 1 − {_product_text(pro)} = {support:.3f}",
        f"against = 1 − {_product_text(con)} = {against:.3f}",
        f"dissent = min(1, 2 · {sum(con):g} / ({sum(pro):g} + {sum(con):g})) = {dissent:.3f}" if total
        else "dissent = 0 (no evidence counted)",
        f"score = {support:.3f} · (1 − {against:.3f} · {dissent:.3f}) = {score}",
    ]
    return {
        "support": round(support, 3),
        "against": round(against, 3),
        "dissent": round(dissent, 3),
        "score": score,
        "studies_for": sum(1 for u in pro_units if u["kind"] == "study"),
        "studies_against": sum(1 for u in con_units if u["kind"] == "study"),
        "opinions_counted": sum(1 for u in pro_units + con_units if u["kind"] == "opinion"),
        "for": pro_units,
        "against_units": con_units,
        "excluded": excluded_for + excluded_against,
        "formula": formula,
    }


def evidence_shape(model: Model, assertion: Assertion) -> tuple:
    """Everything an assertion's score and best level read, and nothing else: two
    assertions of one shape have the same :func:`assertion_score`,
    :func:`score_parts` numbers and :meth:`~mechgraph.model.Model.best_level`.

    For each side (supporting, then refuting), one item per finding id in order: None
    for an id the model does not hold, else ``(role, study_type, direction, unit)``,
    where ``unit`` numbers the finding's unit of evidence (:func:`study_key`) within its
    side by first appearance (-1 for a recommendation or background, which forms none).
    Which study or source a unit is does not enter the score, only which findings share
    one; so the many KGX edges that each hold one finding of the same kind share a shape,
    and a graph is scored once per shape (:func:`mechgraph.store.build.edge_numbers_memo`).

    >>> from mechgraph.model import Finding, Model, Assertion
    >>> m = Model(findings={"1": Finding("1", "s1", ("p1.s1",), "rct", "supports", "s", "s"),
    ...                     "2": Finding("2", "s2", ("p9.s4",), "rct", "supports", "t", "t")})
    >>> evidence_shape(m, Assertion("a", "x", "treats", "y", supporting=("1",), refuting=("3",)))
    ((('result', 'rct', 'supports', 0),), (None,))
    >>> one, two = Assertion("b", "x", "treats", "y", supporting=("2",)), Assertion("c", "u", "binds", "v", supporting=("1",))
    >>> evidence_shape(m, one) == evidence_shape(m, two)
    True
    """
    findings = model.findings
    sides = []
    for ids in (assertion.supporting, assertion.refuting):
        side: list[tuple | None] = []
        units: dict[tuple, int] = {}
        for fid in ids:
            finding = findings.get(fid)
            if finding is None:
                side.append(None)
                continue
            if finding.role in GUIDANCE_ROLES:
                unit = -1
            elif len(ids) == 1:
                unit = 0
            else:
                unit = units.setdefault(study_key(finding), len(units))
            side.append((finding.role, finding.study_type, finding.direction, unit))
        sides.append(tuple(side))
    return tuple(sides)


def assertion_score(model: Model, assertion: Assertion) -> float:
    """The evidence score of an assertion, between 0 and 1 (see the module docstring).

    >>> from mechgraph.model import Model, Assertion, Finding
    >>> f = Finding("f1", "seed", ("p1.s1",), "animal_in_vivo", "supports", "s", "s")
    >>> m = Model(findings={"f1": f})
    >>> assertion_score(m, Assertion("a", "x", "binds", "y", supporting=("f1",)))
    0.5
    """
    return score_parts(model, assertion)["score"]
