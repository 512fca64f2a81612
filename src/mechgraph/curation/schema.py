"""The graph schema: one description of every record kind, checked by every reader.

Entities, sources, findings and assertions are described here once: their fields (with
the kind of value each holds and whether it is required), the vocabulary a field's values
come from, and the records a field refers to. The YAML reader (:mod:`mechgraph.curation.yaml_reader`,
which ``validate`` runs), the node-link reader and the KGX reader all check records
against it, so that a graph one of them rejects the others reject too, with the same
message.

Three checks, each a list of :class:`Problem`:

- :func:`value_problems`: one record's values against its vocabularies and the rules
  between its own fields (a role that does not fit the study type, a recommendation
  without a guidance topic, a locator that does not parse);
- :func:`reference_problems`: every reference between records leads somewhere (the
  finding an assertion lists, the entity of a context, the Pathway a step names);
- :func:`evidence_problems`: the rules of evidence across records (a finding's source
  is a seed, a supporting finding supports, guidance never backs efficacy, mechanism or
  harm, every assertion has evidence and every finding a use).

A reader turns a problem's ``record`` and ``field`` into a place (a file and line, a
row, an index) and shows its ``message``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..model.constants import (
    CONTEXT_KEYS,
    DIRECTIONS,
    ENTITY_CONTEXT_KEYS,
    ENTITY_TYPES,
    GUIDANCE_ROLES,
    GUIDANCE_TOPICS,
    PREDICATES,
    REGIMENS,
    ROLE_STUDY_TYPES,
    ROLES,
    ROUTES,
    SEXES,
    SPECIES,
    STUDY_TYPES,
)
from ..errors import LocatorError, quote
from ..model.core import Assertion, Entity, Finding, Model, Source
from ..model.relations import RELATION_CLASSES
from . import identifiers
from .seeds import Locator

SECTIONS = ("entities", "sources", "findings", "assertions")
SINGULAR = {"entities": "entity", "sources": "source", "findings": "finding", "assertions": "assertion"}
#: the kinds of source a curated graph names ("knowledge_source" is what an imported KGX edge cites)
SOURCE_KINDS = ("seed", "study", "review", "guideline", "knowledge_source")
#: predicates a recommendation or background finding may support (guidance, not evidence)
GUIDANCE_PREDICATES = frozenset({"contraindicated_in", "used_in"})
#: vocabularies at most this long are listed in full in a message
_LISTED = 12


@dataclass(frozen=True)
class Field:
    """One field of a record kind: the kind of value it holds (``str``, ``list``,
    ``map``, ``int`` or a nested record), whether a record must have it, the vocabulary
    its values come from (shown in messages as ``word``), and the section its values
    refer to."""

    kind: str
    required: bool = False
    vocabulary: Iterable[str] | None = None
    word: str = ""
    refers_to: str = ""


RECORDS: dict[str, dict[str, Field]] = {
    "entities": {
        "id": Field("str", True), "type": Field("str", True, ENTITY_TYPES, "entity type"),
        "name": Field("str", True), "name_zh": Field("str", True), "aliases": Field("list"),
        "xrefs": Field("map"), "description": Field("str"), "description_zh": Field("str"),
    },
    "sources": {
        "id": Field("str", True), "kind": Field("str", True, SOURCE_KINDS, "source kind"),
        "title": Field("str"), "title_zh": Field("str"), "authors": Field("list"), "year": Field("int"),
        "journal": Field("str"), "volume": Field("str"), "pages": Field("str"), "xrefs": Field("map"),
        "file": Field("str"), "cited_in": Field("str"), "ref": Field("str"),
    },
    "findings": {
        "id": Field("str", True), "source": Field("str", True, refers_to="sources"),
        "locator": Field("list", True), "study_type": Field("str", True, STUDY_TYPES, "study type"),
        "direction": Field("str", True, DIRECTIONS, "direction"), "statement": Field("str", True),
        "statement_zh": Field("str", True), "study": Field("str"), "cites": Field("list", refers_to="sources"),
        "species": Field("list", vocabulary=SPECIES, word="species"), "sex": Field("str", vocabulary=SEXES, word="sex"),
        "population": Field("str"), "model": Field("str"), "intervention": Field("intervention"),
        "co_interventions": Field("interventions"), "outcome": Field("str"), "timepoint": Field("str"),
        "n": Field("counts"), "quantities": Field("quantities"), "result": Field("str"),
        "about": Field("list", refers_to="entities"), "quality_note": Field("str"), "quality_note_zh": Field("str"),
        "role": Field("str", vocabulary=ROLES, word="role"),
        "guidance": Field("str", vocabulary=GUIDANCE_TOPICS, word="guidance topic"),
    },
    "assertions": {
        "id": Field("str", True), "subject": Field("str", True, refers_to="entities"),
        "predicate": Field("str", True, PREDICATES, "predicate"), "object": Field("str", True, refers_to="entities"),
        "supporting": Field("list", refers_to="findings"), "refuting": Field("list", refers_to="findings"),
        "context": Field("map"), "note": Field("str"), "relation": Field("str", vocabulary=RELATION_CLASSES,
                                                                         word="relation class"),
        "pathway": Field("list", refers_to="entities"),
    },
}
#: the fields of an intervention (a finding's ``intervention`` and each of its ``co_interventions``)
INTERVENTION: dict[str, Field] = {
    "drug": Field("str", True, refers_to="entities"), "dose": Field("str"),
    "route": Field("str", vocabulary=ROUTES, word="route"), "timing": Field("str"),
}
#: the fields of a quantity
QUANTITY: dict[str, Field] = {
    "name": Field("str", True), "value": Field("str", True), "unit": Field("str"), "low": Field("str"),
    "high": Field("str"), "qualifiers": Field("map"),
}
#: the keys of an assertion's context and their vocabularies or references
CONTEXT: dict[str, Field] = {
    key: Field("list", vocabulary={"species": SPECIES, "sex": SEXES, "route": ROUTES, "regimen": REGIMENS}.get(key),
               word=key, refers_to="entities" if key in ENTITY_CONTEXT_KEYS else "")
    for key in CONTEXT_KEYS
}


class Problem(NamedTuple):
    """What is wrong with a record: the record, the field where it is (a reader turns
    the two into a place), and the message."""

    record: Any
    field: str
    message: str


def suggest(word: str, vocabulary) -> str:
    """`` (did you mean 'x' or 'y'?)`` for the close matches of ``word``, else ``""``."""
    close = difflib.get_close_matches(str(word), list(vocabulary), n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def unknown(word: str, value: str, vocabulary) -> str:
    """The message for a value outside its vocabulary, with suggestions, and the whole
    vocabulary when it is short."""
    message = f"unknown {word} {quote(value)}{suggest(value, vocabulary)}"
    if len(vocabulary) <= _LISTED:
        message += f" (expected one of {', '.join(vocabulary)})"
    return message


def _values(value) -> tuple:
    if value is None or value == "":
        return ()
    return value if isinstance(value, tuple) else (value,)


def value_problems(section: str, record) -> list[Problem]:
    """What is wrong with one record's own values (``section`` names its kind)."""
    problems = [Problem(record, name, unknown(spec.word, v, spec.vocabulary))
                for name, spec in RECORDS[section].items() if spec.vocabulary is not None
                for v in _values(getattr(record, name, None)) if v not in spec.vocabulary]
    if isinstance(record, Source) and record.kind == "seed" and not record.file:
        problems.append(Problem(record, "file", f"seed source {quote(record.id)} needs a 'file'"))
    elif isinstance(record, Finding):
        problems += _finding_rules(record)
    elif isinstance(record, Assertion):
        problems += [Problem(record, "context", message) for message in context_problems(record.context)]
    if isinstance(record, (Entity, Source)) and record.xrefs:
        noun = "entity" if isinstance(record, Entity) else "source"
        problems += [Problem(record, f"xrefs.{prefix}", f"{noun} {quote(record.id)}: {message}")
                     for prefix, message in identifiers.problems(record.xrefs)]
    return problems


def context_problems(context: dict[str, tuple[str, ...]]) -> list[str]:
    """What is wrong with an assertion's context: unknown keys, values outside a key's vocabulary."""
    messages = []
    for key, values in context.items():
        spec = CONTEXT.get(key)
        if spec is None:
            messages.append(f"unknown context key {quote(key)} (expected one of {', '.join(CONTEXT_KEYS)})")
        elif spec.vocabulary is not None:
            messages += [unknown(spec.word, v, spec.vocabulary) for v in values if v not in spec.vocabulary]
    return messages


def _finding_rules(f: Finding) -> list[Problem]:
    problems = []
    if f.role in ROLES and f.study_type in STUDY_TYPES and f.study_type not in ROLE_STUDY_TYPES[f.role]:
        problems.append(Problem(f, "role", f"finding {quote(f.id)}: role {quote(f.role)} does not fit study type "
                                           f"{quote(f.study_type)} (a {f.role} has study type "
                                           f"{' or '.join(sorted(ROLE_STUDY_TYPES[f.role]))})"))
    if f.role == "recommendation" and not f.guidance:
        problems.append(Problem(f, "", f"finding {quote(f.id)} is a recommendation: say what it is about with "
                                       f"'guidance' ({', '.join(GUIDANCE_TOPICS)})"))
    elif f.guidance and f.role != "recommendation":
        problems.append(Problem(f, "guidance", f"finding {quote(f.id)}: only a recommendation has 'guidance'"))
    for text in f.locator:
        try:
            Locator.parse(text)
        except LocatorError as exc:
            problems.append(Problem(f, "locator", f"finding {quote(f.id)}: {exc}"))
    for item in f.interventions:
        if item.route and item.route not in ROUTES:
            problems.append(Problem(f, "intervention", unknown("route", item.route, ROUTES)))
    return problems


def reference_problems(model: Model) -> list[Problem]:
    """Every reference between records that leads nowhere, and every Pathway reference
    that leads to an entity of another type."""
    problems: list[Problem] = []
    sections = {"entities": model.entities, "findings": model.findings, "sources": model.sources}

    def need(record, name: str, value: str, section: str, what: str) -> None:
        if value not in sections[section]:
            noun = SINGULAR[section]
            problems.append(Problem(record, name, f"{what} refers to unknown {noun} {quote(value)}"
                                                  f"{suggest(value, sections[section])}"))

    for f in model.findings.values():
        if f.source not in model.sources:
            problems.append(Problem(f, "source", f"finding {quote(f.id)} names unknown source {quote(f.source)}"))
        for cited in f.cites:
            if cited not in model.sources:
                problems.append(Problem(f, "cites", f"finding {quote(f.id)} cites unknown source {quote(cited)}"))
        for item in f.interventions:
            need(f, "intervention", item.drug, "entities", f"finding {quote(f.id)} intervention")
        for entity in f.about:
            need(f, "about", entity, "entities", f"finding {quote(f.id)} 'about'")
    for a in model.assertions.values():
        need(a, "subject", a.subject, "entities", f"assertion {quote(a.id)} subject")
        need(a, "object", a.object, "entities", f"assertion {quote(a.id)} object")
        for key in ENTITY_CONTEXT_KEYS:
            for value in a.context.get(key, ()):
                need(a, "context", value, "entities", f"assertion {quote(a.id)} context {key}")
        for pathway in a.pathway:
            need(a, "pathway", pathway, "entities", f"assertion {quote(a.id)} pathway")
            if pathway in model.entities and model.entities[pathway].type != "Pathway":
                problems.append(Problem(a, "pathway", f"assertion {quote(a.id)}: pathway {quote(pathway)} is a "
                                                      f"{model.entities[pathway].type}, not a Pathway"))
        for side in ("supporting", "refuting"):
            for fid in getattr(a, side):
                if fid not in model.findings:
                    problems.append(Problem(a, side, f"assertion {quote(a.id)} lists unknown finding {quote(fid)}"
                                                     f"{suggest(fid, model.findings)}"))
    return problems


def evidence_problems(model: Model) -> list[Problem]:
    """The rules of evidence across records: a finding's source is a seed (its locator
    points into it); a finding backs an assertion in its own direction; a recommendation
    or background finding backs only guidance or structural assertions; every assertion
    has a finding and every finding is evidence for an assertion or about an entity."""
    problems: list[Problem] = []
    for f in model.findings.values():
        if f.source in model.sources and model.sources[f.source].kind != "seed":
            problems.append(Problem(f, "source", f"finding {quote(f.id)}: 'source' must be a seed (the locator "
                                                 f"points into it); put primary studies under 'cites'"))
    used: set[str] = set()
    for a in model.assertions.values():
        if not a.supporting and not a.refuting:
            problems.append(Problem(a, "", f"assertion {quote(a.id)} has no evidence (list findings under "
                                           f"'supporting' or 'refuting')"))
        guidance_ok = a.predicate in GUIDANCE_PREDICATES or (
            a.subject in model.entities and a.object in model.entities and model.relation_of(a) == "structural")
        for side, ids, allowed in (("supporting", a.supporting, {"supports"}),
                                   ("refuting", a.refuting, {"refutes", "no_effect"})):
            for fid in ids:
                used.add(fid)
                listed = model.findings.get(fid)
                if listed is None:
                    continue
                if listed.direction not in allowed:
                    problems.append(Problem(a, side, f"assertion {quote(a.id)} lists finding {quote(fid)} as {side}, "
                                                     f"but the finding's direction is {quote(listed.direction)}"))
                elif listed.role in GUIDANCE_ROLES and not guidance_ok:
                    problems.append(Problem(a, side, f"assertion {quote(a.id)} ({a.predicate}) lists finding "
                                                     f"{quote(fid)}, a {listed.role}: a {listed.role} is never evidence for "
                                                     f"efficacy, mechanism or harm (attach it to the drug with "
                                                     f"'about' instead)"))
    for f in model.findings.values():
        attached = f.role in GUIDANCE_ROLES and bool(f.interventions)  # guidance for its drug
        if f.id not in used and not f.about and not attached:
            problems.append(Problem(f, "", f"finding {quote(f.id)} is not evidence for any assertion "
                                           f"and is 'about' no entity"))
    return problems


def section_of(record) -> str:
    """The section a record belongs to."""
    for section, cls in (("entities", Entity), ("sources", Source), ("findings", Finding), ("assertions", Assertion)):
        if isinstance(record, cls):
            return section
    raise TypeError(f"not a graph record: {type(record).__name__}")
