"""Read a graph directory of curated YAML into a Model, collecting every problem.

A graph directory holds ``*.yaml`` files (searched recursively, read in sorted
order). Each file is a mapping with any of the keys ``entities``, ``sources``,
``findings`` and ``assertions``, each a list of records; graph/README.md documents
the fields. Problems are collected, not raised one by one, so that ``validate``
reports all of them with file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import schema
from ..errors import CurationError, InvalidGraph, quote
from ..model.core import (
    Assertion,
    Entity,
    Finding,
    Intervention,
    Model,
    Quantity,
    Source,
    Where,
)
from ..model.names import normalise

_LINE = "__line__"
_LINES = "__lines__"

SECTIONS = schema.SECTIONS
SOURCE_KINDS = schema.SOURCE_KINDS
GUIDANCE_PREDICATES = schema.GUIDANCE_PREDICATES

# field name -> (required, kind), from the one schema every reader checks
_FIELDS: dict[str, dict[str, tuple[bool, str]]] = {
    section: {name: (spec.required, spec.kind) for name, spec in fields.items()}
    for section, fields in schema.RECORDS.items()}
_SINGULAR = schema.SINGULAR
_INTERVENTION_FIELDS = set(schema.INTERVENTION)
_QUANTITY_FIELDS = set(schema.QUANTITY)


#: the largest graph file read (bytes)
MAX_FILE_BYTES = 64 << 20
#: the deepest nesting of lists and mappings in a graph file
MAX_DEPTH = 64
#: how far aliases may expand a file: this many characters of values per byte of the file, plus EXPANSION_FLOOR
EXPANSION_PER_BYTE = 10
EXPANSION_FLOOR = 1_000_000


if TYPE_CHECKING:
    _Loader = yaml.SafeLoader
else:  # libyaml's loader when PyYAML was built with it
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Loader):
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
    sizes: dict[str | None, int] = {}
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
        self.check_values(section, item, record)
        first = self.ids.get(item.id)
        if first is not None:
            self.error(line, f"duplicate id {_quote(item.id)} (first defined at {first})")
            return
        self.ids[item.id] = where
        getattr(self.model, section)[item.id] = item

    def check_kind(self, value: Any, kind: str, line: int, name: str) -> bool:
        kinds: dict[str, type | tuple[type, ...]] = {
            "str": (str, int, float), "list": (list, str), "map": dict, "int": int, "intervention": dict,
            "interventions": list, "counts": dict, "quantities": list}
        expected = kinds[kind]
        if isinstance(value, bool) or not isinstance(value, expected):
            self.error(line, f"field {_quote(name)} must be {_KIND_WORDS[kind]}, not {_quote(value)}")
            return False
        return True

    def where_of(self, record: dict, key: str) -> int:
        return record[_LINES].get(key, record[_LINE])

    def build_entity(self, r: dict, where: Where) -> Entity:
        xrefs = self.xrefs_of(r.get("xrefs") or {}, f"entity {_quote(str(r['id']))}")
        return Entity(id=str(r["id"]), type=r["type"], name=str(r["name"]), name_zh=str(r["name_zh"]),
                      aliases=_strings(r.get("aliases")), xrefs=xrefs,
                      description=str(r.get("description") or ""),
                      description_zh=str(r.get("description_zh") or ""), where=where)

    def xrefs_of(self, raw: dict, owner: str) -> dict[str, tuple[str, ...]]:
        """An entity's ``xrefs`` mapping: each prefix to one identifier or a list of them,
        written as text (``"0002107"``: unquoted, YAML would read a number, even an octal one)."""
        xrefs: dict[str, tuple[str, ...]] = {}
        for prefix, value in raw.items():
            if prefix in (_LINE, _LINES):
                continue
            line = raw[_LINES].get(prefix, raw[_LINE])
            values = value if isinstance(value, list) else [value]
            if not isinstance(prefix, str) or not prefix or ":" in prefix:
                self.error(line, f"{owner}: xref prefix {_quote(prefix)} must be a word such as "
                                 f"CHEBI or HGNC, without ':'")
                continue
            bad = [v for v in values if not isinstance(v, str) or not v.strip() or v != v.strip()]
            if bad or not values:
                self.error(line, f"{owner}: xref {prefix} must be an identifier or a list of "
                                 f"identifiers written as quoted text (\"0002107\"), not {_quote(value)}")
                continue
            if len(set(values)) != len(values):
                self.error(line, f"{owner}: xref {prefix} lists an identifier twice")
                continue
            xrefs[prefix] = tuple(values)
        return xrefs

    def build_source(self, r: dict, where: Where) -> Source:
        return Source(id=str(r["id"]), kind=r["kind"], title=str(r.get("title") or ""),
                      title_zh=str(r.get("title_zh") or ""), authors=_strings(r.get("authors")),
                      year=r.get("year"), journal=str(r.get("journal") or ""),
                      file=str(r.get("file") or ""), cited_in=str(r.get("cited_in") or ""),
                      volume=str(r.get("volume") or ""), pages=str(r.get("pages") or ""),
                      xrefs=self.xrefs_of(r.get("xrefs") or {}, f"source {_quote(str(r['id']))}"),
                      ref=str(r.get("ref") or ""), where=where)

    def build_finding(self, r: dict, where: Where) -> Finding:
        fields = _text_fields("findings", r)
        fields["statement"], fields["statement_zh"] = fields["statement"].strip(), fields["statement_zh"].strip()
        return Finding(**fields, interventions=self.interventions_of(r), n=self.counts_of(r),
                       quantities=self.quantities_of(r), where=where)

    def interventions_of(self, r: dict) -> tuple[Intervention, ...]:
        """A finding's ``intervention`` and ``co_interventions``, each checked against
        :data:`~mechgraph.curation.schema.INTERVENTION`."""
        found = []
        for item in ([r["intervention"]] if r.get("intervention") else []) + list(r.get("co_interventions") or []):
            if not isinstance(item, dict):
                self.error(self.where_of(r, "co_interventions"), f"an intervention must be a mapping, not {_quote(item)}")
                continue
            self.report_unknown_fields(item, _INTERVENTION_FIELDS, "intervention", list_known=True)
            if not item.get("drug"):
                self.error(item[_LINE], f"finding {_quote(str(r['id']))}: an intervention needs a 'drug' (an entity id)")
                continue
            found.append(Intervention(**_text_fields(schema.INTERVENTION, item)))
        return tuple(found)

    def counts_of(self, r: dict) -> dict[str, int]:
        """A finding's counts (``n``): each a whole number."""
        counts = {}
        for key, value in (r.get("n") or {}).items():
            if key in (_LINE, _LINES):
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(r["n"][_LINES][key], f"count n.{key} must be a whole number, not {_quote(value)}")
            else:
                counts[str(key)] = value
        return counts

    def quantities_of(self, r: dict) -> tuple[Quantity, ...]:
        """A finding's quantities, each checked against :data:`~mechgraph.curation.schema.QUANTITY`."""
        found = []
        for item in r.get("quantities") or []:
            if not isinstance(item, dict) or not item.get("name") or item.get("value") in (None, ""):
                self.error(self.where_of(r, "quantities"), "a quantity needs at least 'name' and 'value'")
                continue
            self.report_unknown_fields(item, _QUANTITY_FIELDS, "quantity")
            quals = {str(k): str(v) for k, v in (item.get("qualifiers") or {}).items() if k not in (_LINE, _LINES)}
            found.append(Quantity(name=str(item["name"]), value=str(item["value"]), unit=str(item.get("unit") or ""),
                                  low=_number(item.get("low")), high=_number(item.get("high")), qualifiers=quals))
        return tuple(found)

    def report_unknown_fields(self, item: dict, known: set[str], noun: str, *, list_known: bool = False) -> None:
        """Report the fields of a nested record (an intervention, a quantity) its schema does not know."""
        extra = set(item) - known - {_LINE, _LINES}
        if extra:
            listed = f" (known: {', '.join(sorted(known))})" if list_known else ""
            self.error(item[_LINE], f"unknown {noun} field(s) {', '.join(sorted(extra))}{listed}")

    def build_assertion(self, r: dict, where: Where) -> Assertion:
        context = {key: _strings(value) for key, value in (r.get("context") or {}).items()
                   if key not in (_LINE, _LINES)}
        return Assertion(id=str(r["id"]), subject=str(r["subject"]), predicate=r["predicate"],
                         object=str(r["object"]), supporting=_strings(r.get("supporting")),
                         refuting=_strings(r.get("refuting")), context=context,
                         note=str(r.get("note") or ""), where=where, relation=str(r.get("relation") or ""),
                         pathway=_strings(r.get("pathway")))

    def check_values(self, section: str, item, record: dict) -> None:
        """Report the record's values that the schema refuses, each at its field's line."""
        for problem in schema.value_problems(section, item):
            line = record[_LINES].get(problem.field, record[_LINE])
            if problem.field.startswith("xrefs.") and isinstance(record.get("xrefs"), dict):
                xrefs = record["xrefs"]
                line = xrefs[_LINES].get(problem.field.removeprefix("xrefs."), xrefs[_LINE])
            if problem.field == "intervention" and "intervention" not in record[_LINES]:
                line = record[_LINES].get("co_interventions", record[_LINE])
            self.error(line, problem.message)


_KIND_WORDS = {"str": "a string", "list": "a list", "map": "a mapping", "int": "a whole number",
               "intervention": "a mapping (drug, dose, route, timing)",
               "interventions": "a list of interventions", "counts": "a mapping of counts",
               "quantities": "a list of quantities"}


def _text_fields(section: str | dict, record: dict) -> dict[str, Any]:
    """The text and list fields of ``record`` (by the schema of ``section``, or the given
    field table) as the model holds them: text as ``str`` (empty when absent), lists as
    tuples of strings."""
    fields = schema.RECORDS[section] if isinstance(section, str) else section
    out: dict[str, Any] = {}
    for name, spec in fields.items():
        if spec.kind == "str":
            out[name] = str(record.get(name) or "")
        elif spec.kind == "list":
            out[name] = _strings(record.get(name))
    return out


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


# -- cross-record checks ------------------------------------------------------

def _check_references(reader: _Reader) -> None:
    """The schema's reference and evidence rules, each problem at its record's line."""
    m = reader.model
    for problem in schema.reference_problems(m) + schema.evidence_problems(m):
        where = problem.record.where
        reader.errors.append(CurationError(where.file, where.line, problem.message))


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

    Parameters
    ----------
    root : str or Path
        The graph directory.

    Returns
    -------
    tuple of (Model, list of CurationError)
        The errors are sorted by file and line.

    Examples
    --------
    >>> from mechgraph.curation import read_graph_dir
    >>> model, errors = read_graph_dir("tests/data/example-graph")
    >>> len(model.assertions), errors
    (6, [])
    >>> read_graph_dir("tests/data/no-such-graph")[1]
    [CurationError('tests/data/no-such-graph: not a graph directory')]
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
    """Read and validate a graph directory.

    Parameters
    ----------
    root : str or Path
        The graph directory (every ``*.yaml`` file under it is read).

    Returns
    -------
    Model

    Raises
    ------
    InvalidGraph
        Listing every curation error found.

    Examples
    --------
    >>> from mechgraph.curation import load_model
    >>> model = load_model("tests/data/example-graph")
    >>> len(model.entities), model.entities["drug-x"].name
    (7, 'Drug X')
    """
    model, errors = read_graph_dir(root)
    if errors:
        raise InvalidGraph(errors)
    return model
