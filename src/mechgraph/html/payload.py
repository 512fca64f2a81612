"""The data a page carries: every drawn entity and assertion with the findings and
sources behind them, as plain JSON-able records sorted by id.
"""

from __future__ import annotations

import json

from ..model.constants import ENTITY_CONTEXT_KEYS, EVIDENCE_LEVELS
from ..reasoning.evidence import score_parts
from ..reasoning.mentions import entity_mentions, guidance as drug_guidance
from ..model.relations import DRUG_TYPES
from ..model.names import normalise
from ..model.xrefs import curies as xref_curies
from .facts import Facts
from .selection import Selection


#: roles listed in the entity panel beside "about" (which has its own list)
_PANEL_ROLES = ("intervention", "co_intervention", "brain_region", "cell_type", "drug_context", "population")


def _entity(entity, about: list[str], mentions: dict[str, list[str]]) -> dict:
    keys = sorted({normalise(label) for label in (entity.id, entity.name, entity.name_zh, *entity.aliases)} - {""})
    return {
        "name": entity.name, "name_zh": entity.name_zh, "type": entity.type,
        "aliases": list(entity.aliases), "xrefs": {prefix: list(ids) for prefix, ids in sorted(entity.xrefs.items())},
        "description": entity.description, "description_zh": entity.description_zh,
        "keys": keys, "about": about, "mentions": [[role, ids] for role, ids in mentions.items()],
    }


def _guidance(graph, drug: str) -> dict[str, list[str]]:
    return {topic: [f["id"] for f in items] for topic, items in drug_guidance(graph, drug).items()}


def _score_parts(model, assertion) -> dict:
    parts = score_parts(model, assertion)
    return {key: parts[key] for key in ("for", "against_units", "excluded", "formula", "studies_for",
                                        "studies_against", "opinions_counted")}


#: finding fields a page always carries, even empty
_FINDING_KEEP = frozenset({"statement", "direction", "locator", "source", "level", "study_type", "role"})


def _finding(finding) -> dict:
    """A finding's fields for the panel; empty ones are left out (the page reads them as empty)."""
    record = finding.summary()
    record.update({
        "sex": finding.sex, "model": finding.model, "result": finding.result,
        "cites": list(finding.cites), "about": list(finding.about),
        "quantities": [{k: v for k, v in vars(q).items() if v not in (None, "", {})}
                       for q in finding.quantities],
    })
    return {k: v for k, v in record.items() if k != "id" and (k in _FINDING_KEEP or v not in (None, "", [], {}))}


def _source(source) -> dict:
    record = {"kind": source.kind, "title": source.title, "title_zh": source.title_zh,
              "authors": list(source.authors), "year": source.year, "journal": source.journal,
              "volume": source.volume, "pages": source.pages, "ids": xref_curies(source.xrefs),
              "file": source.file, "cited_in": source.cited_in, "ref": source.ref}
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def build_payload(graph, selection: Selection, facts: Facts | None = None) -> dict:
    """The records of the selection: ``{"entities", "assertions", "findings", "sources", "names"}``,
    each a mapping from id to record. ``names`` holds the names of entities that
    assertions mention in their context without being drawn. ``facts``: what was read of
    the graph already (read again otherwise)."""
    model = graph.model
    facts = facts if facts is not None else Facts(graph)
    drawn = set(selection.entities)
    assertions = {}
    finding_ids: set[str] = set()
    mentioned: set[str] = set()
    for key in selection.assertions:
        a = model.assertions[key]
        data = facts.edge[key][2]
        assertions[key] = {
            "subject": a.subject, "predicate": a.predicate, "object": a.object,
            "sign": data["sign"], "relation": data["relation"], "level": data["level"], "score": data["score"],
            "score_parts": _score_parts(model, a), "order": facts.number(key),
            "species": list(data["species"]), "context": {k: list(v) for k, v in sorted(a.context.items())},
            "note": a.note, "supporting": list(a.supporting), "refuting": list(a.refuting),
        }
        finding_ids.update(a.findings)
        for k in ENTITY_CONTEXT_KEYS:
            mentioned.update(a.context.get(k, ()))
    about = {e: sorted(entity_mentions(graph, e, roles=("about",)).get("about", [])) for e in drawn}
    for ids in about.values():
        finding_ids.update(ids)
    mentions = {e: entity_mentions(graph, e, roles=_PANEL_ROLES) for e in drawn}
    for roles in mentions.values():
        for ids in roles.values():
            finding_ids.update(ids)
    guidance = {e: _guidance(graph, e) for e in drawn if model.entities[e].type in DRUG_TYPES}
    for topics in guidance.values():
        for fids in topics.values():
            finding_ids.update(fids)
    findings = {f: _finding(model.findings[f]) for f in sorted(finding_ids) if f in model.findings}
    source_ids = set()
    for f in finding_ids:
        if f in model.findings:
            finding = model.findings[f]
            source_ids.add(finding.source)
            source_ids.update(finding.cites)
            mentioned.update(i.drug for i in finding.interventions)
    entities = {e: _entity(model.entities[e], sorted(about[e]), mentions[e]) for e in selection.entities}
    names = {e: {"name": model.entities[e].name, "name_zh": model.entities[e].name_zh}
             for e in sorted(mentioned - drawn) if e in model.entities}
    for e, topics in guidance.items():
        entities[e]["guidance"] = topics
    return {
        "entities": entities,
        "assertions": assertions,
        "findings": findings,
        "sources": {s: _source(model.sources[s]) for s in sorted(source_ids) if s in model.sources},
        "names": names,
        "levels": list(EVIDENCE_LEVELS),
    }


def script_json(value) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: sorted keys, and ``<``,
    ``>``, ``&`` and the JavaScript line separators written as escapes, so that no
    text in the data can close the element or start markup.

    >>> script_json({"b": "</script>", "a": 1})
    '{"a":1,"b":"\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text
