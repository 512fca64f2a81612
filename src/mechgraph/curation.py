"""Read a graph directory of curated YAML into a Model, collecting every problem.

A graph directory holds ``*.yaml`` files (searched recursively, read in sorted
order). Each file is a mapping with any of the keys ``entities``, ``sources``,
``findings`` and ``assertions``, each a list of records; graph/README.md documents
the fields. Problems are collected, not raised one by one, so that ``validate``
reports all of them with file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .constants import (CONTEXT_KEYS, DIRECTIONS, ENTITY_CONTEXT_KEYS, ENTITY_TYPES, GUIDANCE_ROLES,
                        GUIDANCE_TOPICS, PREDICATES, REGIMENS, ROLE_STUDY_TYPES, ROLES, ROUTES, SEXES,
                        SPECIES, STUDY_TYPES)
from .relations import RELATION_CLASSES
from .errors import CurationError, InvalidGraph, LocatorError, quote
from .model import Assertion, Entity, Finding, Intervention, Model, Quantity, Source, Where
from .names import normalise
from .seeds import Locator

_LINE = "__line__"
_LINES = "__lines__"

SECTIONS = ("entities", "sources", "findings", "assertions")
SOURCE_KINDS = ("seed", "study", "review", "guideline")
#: predicates a recommendation or background finding may support (guidance, not evidence)
GUIDANCE_PREDICATES = frozenset({"contraindicated_in", "used_in"})

# field name -> (required, kind); kind is "str", "list", "map", "int" or a record name
_FIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    "entities": {
        "id": (True, "str"), "type": (True, "str"), "name": (True, "str"),
        "name_zh": (True, "str"), "aliases": (False, "list"), "xrefs": (False, "map"),
        "description": (False, "str"), "description_zh": (False, "str"),
    },
    "sources": {
        "id": (True, "str"), "kind": (True, "str"), "title": (False, "str"),
        "title_zh": (False, "str"), "authors": (False, "list"), "year": (False, "int"),
        "journal": (False, "str"), "file": (False, "str"), "cited_in": (False, "str"),
        "ref": (False, "str"),
    },
    "findings": {
        "id": (True, "str"), "source": (True, "str"), "locator": (True, "list"),
        "study_type": (True, "str"), "direction": (True, "str"), "statement": (True, "str"),
        "statement_zh": (True, "str"), "study": (False, "str"), "cites": (False, "list"),
        "species": (False, "list"), "sex": (False, "str"), "population": (False, "str"),
        "model": (False, "str"), "intervention": (False, "intervention"),
        "co_interventions": (False, "interventions"), "outcome": (False, "str"),
        "timepoint": (False, "str"), "n": (False, "counts"), "quantities": (False, "quantities"),
        "result": (False, "str"), "about": (False, "list"), "quality_note": (False, "str"),
        "quality_note_zh": (False, "str"), "role": (False, "str"), "guidance": (False, "str"),
    },
    "assertions": {
        "id": (True, "str"), "subject": (True, "str"), "predicate": (True, "str"),
        "object": (True, "str"), "supporting": (False, "list"), "refuting": (False, "list"),
        "context": (False, "map"), "note": (False, "str"), "relation": (False, "str"),
        "pathway": (False, "list"),
    },
}
_SINGULAR = {"entities": "entity", "sources": "source", "findings": "finding", "assertions": "assertion"}
_INTERVENTION_FIELDS = {"drug", "dose", "route", "timing"}
_QUANTITY_FIELDS = {"name", "value", "unit", "low", "high", "qualifiers"}


#: the largest graph file read (bytes)
MAX_FILE_BYTES = 64 << 20
#: the deepest nesting of lists and mappings in a graph file
MAX_DEPTH = 64
#: how far aliases may expand a file: this many characters of values per byte of the file, plus EXPANSION_FLOOR
EXPANSION_PER_BYTE = 10
EXPANSION_FLOOR = 1_000_000


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A YAML loader that records the line of every mapping and of each of its keys,
    and turns a value no constructor can read (an integer of thousands of digits, a bad
    ``!!timestamp``) into a YAML error at its line."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
            value, kind = getattr(node, "value", ""), node.tag.rsplit(":", 1)[-1]
            if kind == "int" and isinstance(value, str) and len(value) > 1000:
                problem = f"a whole number of {len(value):,} characters is too long to read"
            else:
                problem = f"cannot read {_quote(value)} as {_quote(kind)} ({type(exc).__name__})"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def load_yaml(text: str) -> Any:
    """The data of one YAML document, with lines recorded (``__line__``, ``__lines__``).

    Bounded: nesting deeper than MAX_DEPTH, an alias inside the collection it names,
    and aliases that would expand the document past ``EXPANSION_PER_BYTE`` characters
    per byte of text (plus EXPANSION_FLOOR: a "billion laughs" bomb) are refused
    before anything is built. Raises yaml.YAMLError (marked with the line where it can).
    """
    _check_expansion(text)
    return yaml.load(text, Loader=_LineLoader)


def _check_expansion(text: str) -> None:
    """Walk the YAML events once, counting what the document holds with every alias
    expanded; raise a marked yaml error when it is nested or expands too far."""
    limit = EXPANSION_FLOOR + EXPANSION_PER_BYTE * len(text)
    sizes: dict[str, int] = {}
    stack: list[list] = []  # [anchor, size so far] of each open collection
    expanded = 0

    def refuse(message: str, mark) -> None:
        raise yaml.constructor.ConstructorError(None, None, message, mark)

    for event in yaml.parse(text, Loader=_LineLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                refuse(f"lists and mappings nested more than {MAX_DEPTH} deep", event.start_mark)
            stack.append([event.anchor, 1])
            expanded += 1
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1 + len(event.value)
            expanded += size
            if event.anchor is not None:
                sizes[event.anchor] = size
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in stack):
                refuse(f"alias *{event.anchor} inside the collection it names (a recursive structure)",
                       event.start_mark)
            size = sizes.get(event.anchor, 0)  # an undefined alias is the composer's error
            expanded += size
            if expanded > limit:
                refuse(f"aliases expand this file past {limit:,} characters (at *{event.anchor}); "
                       f"write the values out instead", event.start_mark)
        else:
            continue
        if stack:
            stack[-1][1] += size


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value, not a list or mapping", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {_quote(key)}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_LINES] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates and times would not survive JSON or Neo4j; read them as the text written.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Reader:
    """Collects records and errors from the files of one graph directory."""

    def __init__(self, root: Path):
        self.root = root
        self.errors: list[CurationError] = []
        self.model = Model(root=str(root))
        self.file = ""
        self.ids: dict[str, Where] = {}

    def error(self, line: int | None, message: str) -> None:
        self.errors.append(CurationError(self.file, line, message))

    # -- files --------------------------------------------------------------
    def read_file(self, path: Path) -> None:
        self.file = str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.error(None, f"the file has {size:,} bytes; a graph file may have {MAX_FILE_BYTES:,} at most "
                                 f"(split it)")
                return
            data = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.error(mark.line + 1 if mark else None, f"malformed YAML: {exc.problem or exc}")
            return
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            self.error(None, f"malformed YAML: {exc}")
            return
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError) as exc:
            self.error(None, f"malformed YAML: {type(exc).__name__}: {_quote(str(exc))}")
            return
        except OSError as exc:
            self.error(None, f"cannot read: {exc.strerror or exc}")
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.error(1, "a graph file must be a mapping with keys " + ", ".join(SECTIONS))
            return
        for key in data:
            if key in (_LINE, _LINES):
                continue
            if key not in SECTIONS:
                self.error(data[_LINES][key], f"unknown section {_quote(key)} (expected one of {', '.join(SECTIONS)})")
                continue
            records = data[key]
            if records is None:
                continue
            if not isinstance(records, list):
                self.error(data[_LINES][key], f"{_quote(key)} must be a list of records")
                continue
            for record in records:
                if not isinstance(record, dict):
                    self.error(data[_LINES][key], f"each item of {_quote(key)} must be a mapping, not {_quote(record)}")
                    continue
                self.read_record(key, record)

    # -- records ------------------------------------------------------------
    def read_record(self, section: str, record: dict) -> None:
        line = record[_LINE]
        lines = record[_LINES]
        fields = _FIELDS[section]
        ok = True
        for key in record:
            if key in (_LINE, _LINES):
                continue
            if key not in fields:
                self.error(lines[key], f"unknown field {_quote(key)} in {_SINGULAR[section]} "
                                       f"(known: {', '.join(sorted(fields))})")
                ok = False
        for name, (required, kind) in fields.items():
            value = record.get(name)
            if value is None or value == "" or value == []:
                if required:
                    self.error(line, f"{_SINGULAR[section]} {_quote(record.get('id', '?'))} is missing required field {_quote(name)}")
                    ok = False
                continue
            if not self.check_kind(value, kind, lines.get(name, line), name):
                ok = False
        if not ok:
            return
        where = Where(self.file, line)
        builder = getattr(self, f"build_{_SINGULAR[section]}")
        item = builder(record, where)
        first = self.ids.get(item.id)
        if first is not None:
            self.error(line, f"duplicate id {_quote(item.id)} (first defined at {first})")
            return
        self.ids[item.id] = where
        getattr(self.model, section)[item.id] = item

    def check_kind(self, value: Any, kind: str, line: int, name: str) -> bool:
        expected = {"str": (str, int, float), "list": (list, str), "map": dict, "int": int,
                    "intervention": dict, "interventions": list, "counts": dict, "quantities": list}[kind]
        if isinstance(value, bool) or not isinstance(value, expected):
            self.error(line, f"field {_quote(name)} must be {_KIND_WORDS[kind]}, not {_quote(value)}")
            return False
        return True

    def where_of(self, record: dict, key: str) -> int:
        return record[_LINES].get(key, record[_LINE])

    def build_entity(self, r: dict, where: Where) -> Entity:
        if r["type"] not in ENTITY_TYPES:
            self.error(self.where_of(r, "type"), f"unknown entity type {_quote(r['type'])}"
                       f"{_suggest(r['type'], ENTITY_TYPES)}")
        xrefs = {str(k): str(v) for k, v in (r.get("xrefs") or {}).items() if k not in (_LINE, _LINES)}
        return Entity(id=str(r["id"]), type=r["type"], name=str(r["name"]), name_zh=str(r["name_zh"]),
                      aliases=_strings(r.get("aliases")), xrefs=xrefs,
                      description=str(r.get("description") or ""),
                      description_zh=str(r.get("description_zh") or ""), where=where)

    def build_source(self, r: dict, where: Where) -> Source:
        if r["kind"] not in SOURCE_KINDS:
            self.error(self.where_of(r, "kind"), f"unknown source kind {_quote(r['kind'])} "
                       f"(expected one of {', '.join(SOURCE_KINDS)})")
        if r["kind"] == "seed" and not r.get("file"):
            self.error(where.line, f"seed source {_quote(r['id'])} needs a 'file'")
        return Source(id=str(r["id"]), kind=r["kind"], title=str(r.get("title") or ""),
                      title_zh=str(r.get("title_zh") or ""), authors=_strings(r.get("authors")),
                      year=r.get("year"), journal=str(r.get("journal") or ""),
                      file=str(r.get("file") or ""), cited_in=str(r.get("cited_in") or ""),
                      ref=str(r.get("ref") or ""), where=where)

    def build_finding(self, r: dict, where: Where) -> Finding:
        fid = str(r["id"])
        if r["study_type"] not in STUDY_TYPES:
            self.error(self.where_of(r, "study_type"), f"unknown study type {_quote(r['study_type'])}"
                       f"{_suggest(r['study_type'], STUDY_TYPES)}")
        if r["direction"] not in DIRECTIONS:
            self.error(self.where_of(r, "direction"), f"unknown direction {_quote(r['direction'])} "
                       f"(expected one of {', '.join(DIRECTIONS)})")
        role = str(r.get("role") or "")
        if role and role not in ROLES:
            self.error(self.where_of(r, "role"), f"unknown role {_quote(role)}{_suggest(role, ROLES)} "
                                                 f"(expected one of {', '.join(ROLES)})")
        elif role and r["study_type"] in STUDY_TYPES and r["study_type"] not in ROLE_STUDY_TYPES[role]:
            self.error(self.where_of(r, "role"), f"finding {_quote(fid)}: role {_quote(role)} does not fit study type "
                                                 f"{_quote(r['study_type'])} (a {role} has study type "
                                                 f"{' or '.join(sorted(ROLE_STUDY_TYPES[role]))})")
        guidance = str(r.get("guidance") or "")
        if guidance and guidance not in GUIDANCE_TOPICS:
            self.error(self.where_of(r, "guidance"), f"unknown guidance topic {_quote(guidance)}"
                                                     f"{_suggest(guidance, GUIDANCE_TOPICS)} "
                                                     f"(expected one of {', '.join(GUIDANCE_TOPICS)})")
        if role == "recommendation" and not guidance:
            self.error(where.line, f"finding {_quote(fid)} is a recommendation: say what it is about with 'guidance' "
                                   f"({', '.join(GUIDANCE_TOPICS)})")
        elif guidance and role != "recommendation":
            self.error(self.where_of(r, "guidance"), f"finding {_quote(fid)}: only a recommendation has 'guidance'")
        locators = _strings(r["locator"])
        for text in locators:
            try:
                Locator.parse(text)
            except LocatorError as exc:
                self.error(self.where_of(r, "locator"), f"finding {_quote(fid)}: {exc}")
        species = _strings(r.get("species"))
        for sp in species:
            if sp not in SPECIES:
                self.error(self.where_of(r, "species"), f"unknown species {_quote(sp)}{_suggest(sp, SPECIES)}")
        if r.get("sex") and r["sex"] not in SEXES:
            self.error(self.where_of(r, "sex"), f"unknown sex {_quote(r['sex'])} (expected one of {', '.join(SEXES)})")
        interventions = []
        raw = ([r["intervention"]] if r.get("intervention") else []) + list(r.get("co_interventions") or [])
        for item in raw:
            if not isinstance(item, dict):
                self.error(self.where_of(r, "co_interventions"), f"an intervention must be a mapping, not {_quote(item)}")
                continue
            extra = set(item) - _INTERVENTION_FIELDS - {_LINE, _LINES}
            if extra:
                self.error(item[_LINE], f"unknown intervention field(s) {', '.join(sorted(extra))} "
                                        f"(known: {', '.join(sorted(_INTERVENTION_FIELDS))})")
            if not item.get("drug"):
                self.error(item[_LINE], f"finding {_quote(fid)}: an intervention needs a 'drug' (an entity id)")
                continue
            if item.get("route") and item["route"] not in ROUTES:
                self.error(item[_LINES].get("route", item[_LINE]),
                           f"unknown route {_quote(item['route'])}{_suggest(item['route'], ROUTES)}")
            interventions.append(Intervention(drug=str(item["drug"]), dose=str(item.get("dose") or ""),
                                              route=str(item.get("route") or ""),
                                              timing=str(item.get("timing") or "")))
        counts = {}
        for key, value in (r.get("n") or {}).items():
            if key in (_LINE, _LINES):
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(r["n"][_LINES][key], f"count n.{key} must be a whole number, not {_quote(value)}")
                continue
            counts[str(key)] = value
        quantities = []
        for item in r.get("quantities") or []:
            if not isinstance(item, dict) or not item.get("name") or item.get("value") in (None, ""):
                self.error(self.where_of(r, "quantities"), "a quantity needs at least 'name' and 'value'")
                continue
            extra = set(item) - _QUANTITY_FIELDS - {_LINE, _LINES}
            if extra:
                self.error(item[_LINE], f"unknown quantity field(s) {', '.join(sorted(extra))}")
            quals = {str(k): str(v) for k, v in (item.get("qualifiers") or {}).items() if k not in (_LINE, _LINES)}
            quantities.append(Quantity(name=str(item["name"]), value=str(item["value"]),
                                       unit=str(item.get("unit") or ""), low=_number(item.get("low")),
                                       high=_number(item.get("high")), qualifiers=quals))
        return Finding(
            id=fid, source=str(r["source"]), locator=locators, study_type=r["study_type"],
            direction=r["direction"], statement=str(r["statement"]).strip(),
            statement_zh=str(r["statement_zh"]).strip(), study=str(r.get("study") or ""),
            cites=_strings(r.get("cites")), species=species, sex=str(r.get("sex") or ""),
            population=str(r.get("population") or ""), model=str(r.get("model") or ""),
            interventions=tuple(interventions), outcome=str(r.get("outcome") or ""),
            timepoint=str(r.get("timepoint") or ""), n=counts, quantities=tuple(quantities),
            result=str(r.get("result") or ""), about=_strings(r.get("about")),
            quality_note=str(r.get("quality_note") or ""), where=where, role=role if role in ROLES else "",
            guidance=guidance, quality_note_zh=str(r.get("quality_note_zh") or ""))

    def build_assertion(self, r: dict, where: Where) -> Assertion:
        if r["predicate"] not in PREDICATES:
            self.error(self.where_of(r, "predicate"), f"unknown predicate {_quote(r['predicate'])}"
                       f"{_suggest(r['predicate'], PREDICATES)}")
        context: dict[str, tuple[str, ...]] = {}
        for key, value in (r.get("context") or {}).items():
            if key in (_LINE, _LINES):
                continue
            if key not in CONTEXT_KEYS:
                self.error(r["context"][_LINES][key], f"unknown context key {_quote(key)} "
                                                      f"(expected one of {', '.join(CONTEXT_KEYS)})")
                continue
            context[key] = _strings(value)
        for sp in context.get("species", ()):
            if sp not in SPECIES:
                self.error(self.where_of(r, "context"), f"unknown species {_quote(sp)}{_suggest(sp, SPECIES)}")
        for regimen in context.get("regimen", ()):
            if regimen not in REGIMENS:
                self.error(self.where_of(r, "context"), f"unknown regimen {_quote(regimen)}{_suggest(regimen, REGIMENS)} "
                                                        f"(expected one of {', '.join(REGIMENS)})")
        relation = str(r.get("relation") or "")
        if relation and relation not in RELATION_CLASSES:
            self.error(self.where_of(r, "relation"), f"unknown relation class {_quote(relation)}"
                                                     f"{_suggest(relation, RELATION_CLASSES)} "
                                                     f"(expected one of {', '.join(RELATION_CLASSES)})")
            relation = ""
        return Assertion(id=str(r["id"]), subject=str(r["subject"]), predicate=r["predicate"],
                         object=str(r["object"]), supporting=_strings(r.get("supporting")),
                         refuting=_strings(r.get("refuting")), context=context,
                         note=str(r.get("note") or ""), where=where, relation=relation,
                         pathway=_strings(r.get("pathway")))


_KIND_WORDS = {"str": "a string", "list": "a list", "map": "a mapping", "int": "a whole number",
               "intervention": "a mapping (drug, dose, route, timing)",
               "interventions": "a list of interventions", "counts": "a mapping of counts",
               "quantities": "a list of quantities"}


def _quote(value: Any) -> str:
    """A value as an error message shows it: :func:`~mechgraph.errors.quote` (size-capped),
    without the line bookkeeping the loader adds to mappings."""
    return quote(_without_lines(value, 4))


def _without_lines(value: Any, depth: int) -> Any:
    if depth <= 0 or not isinstance(value, (dict, list)):
        return value
    if isinstance(value, list):
        return [_without_lines(v, depth - 1) for v in value[:8]] + (["..."] if len(value) > 8 else [])
    shown = [(k, v) for k, v in value.items() if k not in (_LINE, _LINES)]
    return {k: _without_lines(v, depth - 1) for k, v in shown[:8]}


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    return tuple(str(v) for v in value)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _suggest(word: str, vocabulary) -> str:
    import difflib
    close = difflib.get_close_matches(str(word), list(vocabulary), n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


# -- cross-record checks ------------------------------------------------------

def _check_references(reader: _Reader) -> None:
    m = reader.model

    def err(where: Where, message: str) -> None:
        reader.errors.append(CurationError(where.file, where.line, message))

    def need_entity(where: Where, value: str, role: str) -> None:
        if value not in m.entities:
            err(where, f"{role} refers to unknown entity {_quote(value)}{_suggest(value, m.entities)}")

    for finding in m.findings.values():
        if finding.source not in m.sources:
            err(finding.where, f"finding {_quote(finding.id)} names unknown source {_quote(finding.source)}")
        elif m.sources[finding.source].kind != "seed":
            err(finding.where, f"finding {_quote(finding.id)}: 'source' must be a seed (the locator points into it); "
                               f"put primary studies under 'cites'")
        for cited in finding.cites:
            if cited not in m.sources:
                err(finding.where, f"finding {_quote(finding.id)} cites unknown source {_quote(cited)}")
        for item in finding.interventions:
            need_entity(finding.where, item.drug, f"finding {_quote(finding.id)} intervention")
        for entity in finding.about:
            need_entity(finding.where, entity, f"finding {_quote(finding.id)} 'about'")

    used: set[str] = set()
    for a in m.assertions.values():
        need_entity(a.where, a.subject, f"assertion {_quote(a.id)} subject")
        need_entity(a.where, a.object, f"assertion {_quote(a.id)} object")
        for key in ENTITY_CONTEXT_KEYS:
            for value in a.context.get(key, ()):
                need_entity(a.where, value, f"assertion {_quote(a.id)} context {key}")
        for pathway in a.pathway:
            need_entity(a.where, pathway, f"assertion {_quote(a.id)} pathway")
            if pathway in m.entities and m.entities[pathway].type != "Pathway":
                err(a.where, f"assertion {_quote(a.id)}: pathway {_quote(pathway)} is a {m.entities[pathway].type}, not a Pathway")
        if not a.supporting and not a.refuting:
            err(a.where, f"assertion {_quote(a.id)} has no evidence (list findings under 'supporting' or 'refuting')")
        guidance_ok = a.predicate in GUIDANCE_PREDICATES or (
            a.subject in m.entities and a.object in m.entities and m.relation_of(a) == "structural")
        for role, ids, allowed in (("supporting", a.supporting, {"supports"}),
                                   ("refuting", a.refuting, {"refutes", "no_effect"})):
            for fid in ids:
                used.add(fid)
                finding = m.findings.get(fid)
                if finding is None:
                    err(a.where, f"assertion {_quote(a.id)} lists unknown finding {_quote(fid)}{_suggest(fid, m.findings)}")
                elif finding.direction not in allowed:
                    err(a.where, f"assertion {_quote(a.id)} lists finding {_quote(fid)} as {role}, "
                                 f"but the finding's direction is {_quote(finding.direction)}")
                elif finding.role in GUIDANCE_ROLES and not guidance_ok:
                    err(a.where, f"assertion {_quote(a.id)} ({a.predicate}) lists finding {_quote(fid)}, a {finding.role}: "
                                 f"a {finding.role} is never evidence for efficacy, mechanism or harm "
                                 f"(attach it to the drug with 'about' instead)")
    for finding in m.findings.values():
        attached = finding.role in GUIDANCE_ROLES and bool(finding.interventions)  # guidance for its drug
        if finding.id not in used and not finding.about and not attached:
            err(finding.where, f"finding {_quote(finding.id)} is not evidence for any assertion "
                               f"and is 'about' no entity")


def _check_names(reader: _Reader) -> None:
    owners: dict[str, str] = {}
    for entity in reader.model.entities.values():
        seen: set[str] = set()
        for label in (entity.id, entity.name, entity.name_zh, *entity.aliases):
            key = normalise(label)
            if not key or key in seen:
                continue
            seen.add(key)
            other = owners.setdefault(key, entity.id)
            if other != entity.id:
                reader.errors.append(CurationError(
                    entity.where.file, entity.where.line,
                    f"name or alias {_quote(label)} of entity {_quote(entity.id)} collides with entity {_quote(other)}"))


def read_graph_dir(root: str | Path) -> tuple[Model, list[CurationError]]:
    """Read every YAML file under ``root``; return the model and all curation errors.

    The model holds every record that could be read; check the error list before
    trusting it. Use :func:`load_model` to raise instead.
    """
    root = Path(root)
    reader = _Reader(root)
    if not root.is_dir():
        reader.errors.append(CurationError(str(root), None, "not a graph directory"))
        return reader.model, reader.errors
    files = sorted(p for p in root.rglob("*.yaml") if p.is_file())
    if not files:
        reader.errors.append(CurationError(str(root), None, "no .yaml files found"))
    for path in files:
        reader.read_file(path)
    _check_references(reader)
    _check_names(reader)
    reader.errors.sort(key=lambda e: (e.file, e.line or 0))
    return reader.model, reader.errors


def load_model(root: str | Path) -> Model:
    """Read and validate a graph directory; raise InvalidGraph listing every problem."""
    model, errors = read_graph_dir(root)
    if errors:
        raise InvalidGraph(errors)
    return model
