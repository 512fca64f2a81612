"""The graph as pandas DataFrames, for notebooks and the tools of the field.

:func:`to_frames` returns four tables: ``entities``, ``assertions``, ``findings`` and
``evidence`` (one row per finding per assertion it supports or refutes, with both sides'
key columns, so that filtering by species, level or role needs no join). pandas is an
optional extra: ``pip install 'mechgraph[frames]'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import MechgraphError


@dataclass(frozen=True)
class Frames:
    """The four tables of a graph (pandas DataFrames)."""

    entities: Any
    assertions: Any
    findings: Any
    evidence: Any

    def __iter__(self):
        return iter((self.entities, self.assertions, self.findings, self.evidence))


def _pandas():
    try:
        import pandas
    except ImportError:
        raise MechgraphError("to_frames() needs pandas: pip install 'mechgraph[frames]'") from None
    return pandas


def entity_rows(model) -> list[dict]:
    return [{"id": e.id, "type": e.type, "name": e.name, "name_zh": e.name_zh, "aliases": list(e.aliases),
             "xrefs": {prefix: list(ids) for prefix, ids in e.xrefs.items()}, "description": e.description, "description_zh": e.description_zh}
            for e in model.entities.values()]


def assertion_rows(model) -> list[dict]:
    from ..reasoning.evidence import score_parts
    rows = []
    for a in model.assertions.values():
        parts = score_parts(model, a)
        rows.append({"id": a.id, "subject": a.subject, "predicate": a.predicate, "object": a.object,
                     "sign": a.sign, "relation": model.relation_of(a), "level": model.best_level(a),
                     "score": parts["score"], "studies_for": parts["studies_for"],
                     "studies_against": parts["studies_against"], "supporting": len(a.supporting),
                     "refuting": len(a.refuting), "pathway": list(a.pathway),
                     "context": {k: list(v) for k, v in a.context.items()}, "note": a.note})
    return rows


def finding_rows(model) -> list[dict]:
    rows = []
    for f in model.findings.values():
        rows.append({"id": f.id, "source": f.source, "locator": list(f.locator), "study": f.study,
                     "study_type": f.study_type, "level": f.level, "role": f.role, "direction": f.direction,
                     "species": list(f.species), "sex": f.sex, "population": f.population, "model": f.model,
                     "drugs": [i.drug for i in f.interventions],
                     "doses": [i.dose for i in f.interventions],
                     "routes": [i.route for i in f.interventions], "outcome": f.outcome,
                     "timepoint": f.timepoint, "n": dict(f.n), "result": f.result, "cites": list(f.cites),
                     "statement": f.statement, "statement_zh": f.statement_zh, "quality_note": f.quality_note})
    return rows


def evidence_rows(model) -> list[dict]:
    rows = []
    for a in model.assertions.values():
        for stance, ids in (("supports", a.supporting), ("refutes", a.refuting)):
            for finding_id in ids:
                f = model.findings[finding_id]
                rows.append({"assertion": a.id, "subject": a.subject, "predicate": a.predicate,
                             "object": a.object, "stance": stance, "finding": f.id, "source": f.source,
                             "locator": list(f.locator), "study_type": f.study_type, "level": f.level,
                             "role": f.role, "species": list(f.species),
                             "drugs": [i.drug for i in f.interventions],
                             "doses": [i.dose for i in f.interventions], "statement": f.statement})
    return rows


def to_frames(graph) -> Frames:
    """The graph's entities, assertions, findings and evidence as pandas DataFrames.

    >>> from mechgraph import MechGraph
    >>> frames = MechGraph.load("tests/data/example-graph").to_frames()  # doctest: +SKIP
    >>> frames.evidence.query("stance == 'refutes'")[["assertion", "finding"]]  # doctest: +SKIP
    """
    pandas = _pandas()
    model = graph.model
    columns = {
        "entities": ["id", "type", "name", "name_zh", "aliases", "xrefs", "description", "description_zh"],
        "evidence": ["assertion", "subject", "predicate", "object", "stance", "finding", "source", "locator",
                     "study_type", "level", "role", "species", "drugs", "doses", "statement"],
    }
    return Frames(
        entities=pandas.DataFrame(entity_rows(model), columns=columns["entities"]),
        assertions=pandas.DataFrame(assertion_rows(model)),
        findings=pandas.DataFrame(finding_rows(model)),
        evidence=pandas.DataFrame(evidence_rows(model), columns=columns["evidence"]),
    )
