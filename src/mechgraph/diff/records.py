"""Record-level differences: sources, entities, findings and assertions added, removed
and changed field by field.

>>> from mechgraph.model import Model, Entity
>>> old = Model(entities={"x": Entity("x", "Protein", "X", "X中")})
>>> new = Model(entities={"x": Entity("x", "Protein", "Protein X", "X中")})
>>> diff_records(old, new)["entities"]["changed"][0]["fields"]
[{'field': 'name', 'old': 'X', 'new': 'Protein X'}]
"""

from __future__ import annotations

import dataclasses

from ..reasoning.evidence import assertion_score
from ..model.core import Model

#: the record kinds in report order, with the model attribute that holds each
KINDS: tuple[str, ...] = ("sources", "entities", "findings", "assertions")


def plain(value):
    """A record value as JSON: tuples as lists, nested records as dicts without empty fields."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name != "where" and getattr(value, f.name) not in ("", (), {}, None)}
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    return value


def record_fields(record) -> dict:
    """Every field of a record except where it was read from, as plain JSON values."""
    return {f.name: plain(getattr(record, f.name)) for f in dataclasses.fields(record) if f.name != "where"}


def field_changes(old, new) -> list[dict]:
    """``[{"field", "old", "new"}]`` for each field whose value differs, in field order."""
    a, b = record_fields(old), record_fields(new)
    return [{"field": name, "old": a[name], "new": b[name]} for name in a if a[name] != b[name]]


def summary(model: Model, kind: str, record) -> dict:
    """The short form a reviewer reads for an added or removed record."""
    out = {"id": record.id, "where": str(record.where)}
    if kind == "entities":
        out.update(type=record.type, name=record.name, name_zh=record.name_zh)
    elif kind == "sources":
        out.update(source_kind=record.kind, title=record.title or record.title_zh, file=record.file)
    elif kind == "findings":
        out.update(source=record.source, locator=list(record.locator), study_type=record.study_type,
                   role=record.role, direction=record.direction, statement=record.statement)
    else:
        out.update(subject=record.subject, predicate=record.predicate, object=record.object,
                   score=assertion_score(model, record))
    return out


def diff_records(old: Model, new: Model) -> dict:
    """Per kind: ``{"added": [SUMMARY], "removed": [SUMMARY], "changed": [{"id", "where",
    "fields": [{"field", "old", "new"}]}]}``, each list sorted by id (``where`` is the
    new record's file and line, or the old one's when removed)."""
    out = {}
    for kind in KINDS:
        a, b = getattr(old, kind), getattr(new, kind)
        added = sorted(set(b) - set(a))
        removed = sorted(set(a) - set(b))
        changed = []
        for rid in sorted(set(a) & set(b)):
            fields = field_changes(a[rid], b[rid])
            if fields:
                changed.append({"id": rid, "where": str(b[rid].where), "fields": fields})
        out[kind] = {"added": [summary(new, kind, b[r]) for r in added],
                     "removed": [summary(old, kind, a[r]) for r in removed],
                     "changed": changed}
    return out
