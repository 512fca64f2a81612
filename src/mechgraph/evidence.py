"""Evidence scores: how well the findings behind an assertion support it.

Each finding has a weight from its evidence level (``LEVEL_WEIGHTS``). Supporting
findings combine like independent pieces of evidence, as in INDRA's belief scores::

    support = 1 - Π (1 - w_i)        over supporting findings
    against = 1 - Π (1 - w_j · f_j)  over refuting (f = 1) and no-effect (f = 0.5) findings
    score   = support · (1 - against)

So an assertion backed by one mouse study scores 0.5, by a meta-analysis 0.9, by both
0.95; one refuting RCT cuts any support by 80%. Scores are rounded to 3 decimals.
"""

from __future__ import annotations

from .model import Assertion, Model

#: weight of one finding by evidence level
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


def assertion_score(model: Model, assertion: Assertion) -> float:
    """The evidence score of an assertion, between 0 and 1 (see the module docstring).

    >>> from mechgraph.model import Model, Assertion, Finding
    >>> f = Finding("f1", "seed", ("p1.s1",), "animal_in_vivo", "supports", "s", "s")
    >>> m = Model(findings={"f1": f})
    >>> assertion_score(m, Assertion("a", "x", "binds", "y", supporting=("f1",)))
    0.5
    """
    doubt = 1.0
    for fid in assertion.supporting:
        finding = model.findings.get(fid)
        if finding is not None:
            doubt *= 1.0 - LEVEL_WEIGHTS[finding.level]
    trust = 1.0
    for fid in assertion.refuting:
        finding = model.findings.get(fid)
        if finding is not None:
            trust *= 1.0 - LEVEL_WEIGHTS[finding.level] * AGAINST_FACTOR.get(finding.direction, 1.0)
    return round((1.0 - doubt) * trust, 3)
