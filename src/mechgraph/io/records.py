"""The records every export format is made of: entities, assertions with their evidence,
findings and sources as plain, sorted JSON-ready dicts.

Each export module turns these into its own syntax, so that every format carries the
same fields in the same order: a diff in ``exports/`` means the graph changed. Lists and
mappings stay lists and mappings here; the XML formats serialise them as JSON text
(:func:`as_json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields, is_dataclass

from ..model.constants import ENTITY_TYPES, PREDICATES
from ..reasoning.evidence import assertion_score
from ..store.recordfile import one_pass, positions_in_id_order

#: the name every export gives the graph
GRAPH_NAME = "mechgraph"

#: entity fields in the order every format writes them
ENTITY_FIELDS: tuple[str, ...] = ("type", "category", "name", "name_zh", "aliases", "xrefs",
                                  "description", "description_zh")
#: assertion fields in the order every format writes them (after source, target and id)
ASSERTION_FIELDS: tuple[str, ...] = ("predicate", "biolink_predicate", "sign", "relation", "level", "score",
                                     "species", "supporting", "refuting", "context", "pathway", "note")


def as_json(value) -> str:
    """Compact, stable JSON text for a list or mapping inside a string attribute.

    >>> as_json({"species": ["mouse", "rat"], "n": {"total": 40}})
    '{"species":["mouse","rat"],"n":{"total":40}}'
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def entity_record(graph, entity_id: str) -> dict:
    """One entity as ``{"id", "type", "category", "name", ...}`` (see ENTITY_FIELDS)."""
    e = graph.model.entities[entity_id]
    return {"id": e.id, "type": e.type, "category": ENTITY_TYPES[e.type], "name": e.name,
            "name_zh": e.name_zh, "aliases": list(e.aliases),
            "xrefs": {prefix: list(ids) for prefix, ids in sorted(e.xrefs.items())},
            "description": e.description, "description_zh": e.description_zh}


def assertion_record(graph, assertion_id: str) -> dict:
    """One assertion with its computed evidence level, score and species.

    Keys: ``id``, ``source`` (subject), ``target`` (object) and ASSERTION_FIELDS.
    """
    m = graph.model
    a = m.assertions[assertion_id]
    return {"id": a.id, "source": a.subject, "target": a.object, "predicate": a.predicate,
            "biolink_predicate": PREDICATES[a.predicate].biolink, "sign": a.sign,
            "relation": m.relation_of(a), "level": m.best_level(a), "score": assertion_score(m, a), "species": m.species_of(a),
            "supporting": list(a.supporting), "refuting": list(a.refuting),
            "context": {k: list(v) for k, v in sorted(a.context.items())}, "pathway": list(a.pathway),
            "note": a.note}


def assertion_records(graph) -> Iterator[dict]:
    """Every assertion's record (:func:`assertion_record`), in export order.

    The computed values (sign, relation, level, score, species) come from the graph's
    topology, the numbers every command shows, instead of each assertion's findings; what
    a cached graph's records decoded is let go as the pass goes (:func:`positions_in_id_order`).
    """
    m, t = graph.model, graph.topology
    for edge, a in positions_in_id_order(m.assertions, m.findings, m.sources):  # an edge's number is its position
        data = t.edge_data(edge)
        yield {"id": a.id, "source": a.subject, "target": a.object, "predicate": a.predicate,
               "biolink_predicate": PREDICATES[a.predicate].biolink, "sign": data["sign"],
               "relation": data["relation"], "level": data["level"], "score": data["score"],
               "species": data["species"], "supporting": list(a.supporting), "refuting": list(a.refuting),
               "context": {k: list(v) for k, v in sorted(a.context.items())}, "pathway": list(a.pathway),
               "note": a.note}


def finding_record(finding) -> dict:
    """Every field of a finding, with its evidence level after its study type."""
    out = {}
    for name in _field_names(type(finding)):
        if name != "where":
            out[name] = _plain(getattr(finding, name))
            if name == "study_type":
                out["level"] = finding.level
    return out


def source_record(source) -> dict:
    """Every field of a source."""
    return {name: _plain(getattr(source, name)) for name in _field_names(type(source)) if name != "where"}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value):
    """A field's value as JSON-ready data, what ``dataclasses.asdict`` and lists for
    tuples give, without its deep copies (millions of values in a big graph's export)."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    return value


def entity_ids(graph) -> list[str]:
    """Entity ids in export order (sorted)."""
    return sorted(graph.model.entities)


def assertion_ids(graph) -> list[str]:
    """Assertion ids in export order (sorted)."""
    return sorted(graph.model.assertions)


def evidence_of(graph, assertion_id: str) -> list[dict]:
    """The full records of an assertion's findings, supporting first."""
    m = graph.model
    return [finding_record(f) for f in m.findings_of(m.assertions[assertion_id])]


def findings_about(graph) -> dict[str, list[str]]:
    """Entity id -> ids of the findings that are 'about' it (descriptive findings), sorted."""
    about: dict[str, list[str]] = {}
    for finding in one_pass(graph.model.findings):
        for entity in finding.about:
            about.setdefault(entity, []).append(finding.id)
    return {k: sorted(v) for k, v in about.items()}
