"""Build small graph directories for tests: one YAML file from Python records."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import yaml

_SENTENCES = count(1)


def entity(id: str, type: str = "Protein", name: str | None = None, **fields) -> dict:
    """An entity record; the name defaults to the id, the Chinese name to "<id>中"."""
    return {"id": id, "type": type, "name": name or id, "name_zh": f"{id}中", **fields}


def finding(id: str, direction: str = "supports", study_type: str = "animal_in_vivo", *,
            locator: str | None = None, source: str = "seed-a", **fields) -> dict:
    """A finding record with a statement; each finding gets its own sentence unless
    ``locator`` says otherwise (so that each counts as its own study)."""
    return {"id": id, "source": source, "locator": locator or f"p{next(_SENTENCES)}.s1", "study_type": study_type,
            "direction": direction, "statement": f"statement {id}", "statement_zh": f"陈述 {id}", **fields}


def assertion(id: str, subject: str, predicate: str, object: str, *, supporting=(), refuting=(),
              **fields) -> dict:
    record = {"id": id, "subject": subject, "predicate": predicate, "object": object, **fields}
    if supporting:
        record["supporting"] = list(supporting)
    if refuting:
        record["refuting"] = list(refuting)
    return record


def write_graph(directory: Path, entities: list[dict], findings: list[dict], assertions: list[dict],
                sources: list[dict] | None = None) -> Path:
    """Write one graph file into ``directory`` (created) and return the directory."""
    directory.mkdir(parents=True, exist_ok=True)
    data = {
        "sources": sources or [{"id": "seed-a", "kind": "seed", "file": "a.txt"},
                               {"id": "seed-b", "kind": "seed", "file": "b.txt"}],
        "entities": entities,
        "findings": findings,
        "assertions": assertions,
    }
    (directory / "graph.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return directory
