"""The calibration table: the highest- and lowest-scored assertions with their evidence in
one line each, so that a reader can judge whether the ordering of scores is sensible.

``python scripts/calibration.py`` writes it into ``docs/evidence.md`` between the
``calibration:start`` and ``calibration:end`` markers; a test checks that the page's
table is the current graph's, and the docs site writes it afresh when it is built.
"""

from __future__ import annotations

from collections import Counter

from ..model.constants import LEVEL_LABELS, PREDICATES
from .evidence import score_parts
from ..model.core import Assertion, Model


def evidence_line(model: Model, assertion: Assertion) -> str:
    """The evidence of an assertion in one line: units for and against by kind and level,
    opinions, and findings excluded as guidance."""
    parts = score_parts(model, assertion)

    def side(units) -> str:
        counts = Counter(LEVEL_LABELS[u["level"]] if u["kind"] == "study" else "opinion" for u in units)
        return ", ".join(f"{n} {label}" for label, n in counts.most_common())

    text = f"for: {side(parts['for']) or 'nothing counted'}"
    if parts["against_units"]:
        text += f"; against: {side(parts['against_units'])}"
    if parts["excluded"]:
        text += f"; {len(parts['excluded'])} guidance finding(s) not counted"
    return text


def calibration_rows(model: Model, n: int = 10) -> tuple[list[tuple], list[tuple]]:
    """The ``n`` highest- and ``n`` lowest-scored assertions among those with any evidence
    counted for them: ``(score, claim, evidence line, id)`` each, ties by id."""
    scored = []
    for a in model.assertions.values():
        parts = score_parts(model, a)
        if parts["for"]:
            claim = f"{model.entities[a.subject].name} {PREDICATES[a.predicate].reads} {model.entities[a.object].name}"
            context = "; ".join(f"{k} {', '.join(v)}" for k, v in a.context.items())
            if context:
                claim += f" [{context}]"
            scored.append((parts["score"], claim, evidence_line(model, a), a.id))
    top = sorted(scored, key=lambda r: (-r[0], r[3]))[:n]
    bottom = sorted(scored, key=lambda r: (r[0], r[3]))[:n]
    return top, bottom


def calibration_markdown(model: Model, n: int = 10) -> str:
    """The calibration table as Markdown."""
    top, bottom = calibration_rows(model, n)
    lines = ["| rank | score | assertion | evidence |", "| --- | --- | --- | --- |"]
    lines += [f"| top {i} | {score} | {claim} | {line} |" for i, (score, claim, line, _) in enumerate(top, 1)]
    lines += [f"| bottom {i} | {score} | {claim} | {line} |"
              for i, (score, claim, line, _) in enumerate(bottom, 1)]
    return "\n".join(lines)
