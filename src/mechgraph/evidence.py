"""Evidence scores: how well the findings behind an assertion support it.

The score of an assertion is a number between 0 and 1 computed from its findings'
evidence levels, how many independent studies there are, which way each points, and
how consistent the two sides are. It is in the spirit of INDRA's belief scores (each
piece of evidence is an independent chance that the claim is right), extended so that
refuting and no-effect findings lower it.

1. **Studies, not findings.** Findings that report the same study count once, with the
   strongest weight among them: they share the cited sources (``cites``), or else the
   study name and seed, or else the seed and sentence locator. A study reported in
   two findings is still one piece of evidence.
2. **Weights.** A study weighs ``w`` by its evidence level (``LEVEL_WEIGHTS``: 0.9 for a
   meta-analysis down to 0.2 for a review's opinion). A study against the assertion
   weighs ``w · f``, with ``f`` = 1 for ``refutes`` and 0.5 for ``no_effect``
   (``AGAINST_FACTOR``).
3. **Combination** (noisy-OR, as INDRA combines evidence), with S and R the sums of the
   weights for and against::

       support = 1 - Π (1 - w_i)          over studies for
       against = 1 - Π (1 - w_j · f_j)    over studies against
       dissent = min(1, 2 · R / (S + R))  the consistency term
       score   = support · (1 - against · dissent)

The consistency term lets a lone dissent among many concordant studies count less
than a dissent that faces equal or stronger evidence: when the evidence against is
at least as heavy as the evidence for, it bites in full; when it is a small share of
the total, its bite shrinks in proportion. Without it, ten concordant RCTs and one
null RCT (0.6) would rank below a single unopposed RCT (0.8); with it they score 0.96.

Reference values: one mouse study 0.5, one RCT 0.8, a meta-analysis 0.9, a mouse study
and a meta-analysis 0.95; a rat study against a clinical study that refutes it 0.2;
one study for and an equal one against 0.25; an assertion with only refuting or
no-effect findings 0. Scores are rounded to 3 decimals.

>>> from mechgraph.model import Finding, Model, Assertion
>>> def f(i, level, d="supports", cites=()):
...     return Finding(i, "seed", (f"p{i}.s1",), level, d, "s", "s", cites=cites)
>>> m = Model(findings={x.id: x for x in [f("1", "rct"), f("2", "rct"), f("3", "rct", "no_effect")]})
>>> assertion_score(m, Assertion("a", "x", "treats", "y", supporting=("1", "2"), refuting=("3",)))
0.806
"""

from __future__ import annotations

from .model import Assertion, Finding, Model

#: weight of one study by evidence level
LEVEL_WEIGHTS: dict[str, float] = {
    "meta_analysis": 0.9,
    "rct": 0.8,
    "human_observational": 0.6,
    "animal_in_vivo": 0.5,
    "in_vitro": 0.4,
    "review_opinion": 0.2,
}
#: how much a finding of each direction counts against an assertion
AGAINST_FACTOR: dict[str, float] = {"refutes": 1.0, "no_effect": 0.5}


def study_key(finding: Finding) -> tuple:
    """What identifies the study behind a finding: its cited sources, else its study
    name in its seed, else its seed and locator.

    >>> from mechgraph.model import Finding
    >>> study_key(Finding("f", "seed-000", ("p3.s1",), "rct", "supports", "s", "s", study="Su et al."))
    ('study', 'seed-000', 'su et al.')
    """
    if finding.cites:
        return ("cites", *sorted(finding.cites))
    if finding.study:
        return ("study", finding.source, " ".join(finding.study.lower().split()))
    return ("locator", finding.source, *sorted(finding.locator))


def study_weights(model: Model, finding_ids, *, against: bool = False) -> list[float]:
    """One weight per independent study among the findings (the strongest of each study's
    findings); ``against`` applies ``AGAINST_FACTOR``."""
    best: dict[tuple, float] = {}
    for fid in finding_ids:
        finding = model.findings.get(fid)
        if finding is None:
            continue
        weight = LEVEL_WEIGHTS[finding.level]
        if against:
            weight *= AGAINST_FACTOR.get(finding.direction, 1.0)
        key = study_key(finding)
        best[key] = max(best.get(key, 0.0), weight)
    return list(best.values())


def score_parts(model: Model, assertion: Assertion) -> dict:
    """The terms of the score: ``support``, ``against``, ``dissent``, ``score`` and the
    number of independent studies on each side (``studies_for``, ``studies_against``)."""
    pro = study_weights(model, assertion.supporting)
    con = study_weights(model, assertion.refuting, against=True)
    doubt = 1.0
    for w in pro:
        doubt *= 1.0 - w
    trust = 1.0
    for w in con:
        trust *= 1.0 - w
    support, against = 1.0 - doubt, 1.0 - trust
    total = sum(pro) + sum(con)
    dissent = min(1.0, 2.0 * sum(con) / total) if total else 0.0
    return {
        "support": round(support, 3),
        "against": round(against, 3),
        "dissent": round(dissent, 3),
        "score": round(support * (1.0 - against * dissent), 3),
        "studies_for": len(pro),
        "studies_against": len(con),
    }


def assertion_score(model: Model, assertion: Assertion) -> float:
    """The evidence score of an assertion, between 0 and 1 (see the module docstring).

    >>> from mechgraph.model import Model, Assertion, Finding
    >>> f = Finding("f1", "seed", ("p1.s1",), "animal_in_vivo", "supports", "s", "s")
    >>> m = Model(findings={"f1": f})
    >>> assertion_score(m, Assertion("a", "x", "binds", "y", supporting=("f1",)))
    0.5
    """
    return score_parts(model, assertion)["score"]
