"""The KGX reader behind :func:`mechgraph.io.kgx.read_kgx`: rows of TSV or JSON Lines
into entities, assertions and synthetic findings, with file:line errors and a progress bar.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

from ..curation import schema
from ..model.constants import ENTITY_CONTEXT_KEYS, ENTITY_TYPES, EVIDENCE_LEVELS, PREDICATES
from ..errors import CurationError, quote
from ..model.core import Assertion, Entity, Finding, Model, Source, Where
from . import biolink as bl

#: evidence level -> the study type a synthetic finding at that level gets
STUDY_TYPE_OF_LEVEL = {"meta_analysis": "meta_analysis", "rct": "rct", "human_observational": "clinical_study",
                       "animal_in_vivo": "animal_in_vivo", "in_vitro": "in_vitro", "review_opinion": "review"}
#: the longest line read (bytes): a longer one stops the reading of its file
MAX_LINE = 8 << 20
#: the longest field (characters): a longer one is an error of its line
MAX_FIELD = 1 << 20
#: a gzipped file may expand this many times its compressed size (beyond RATIO_FLOOR bytes)
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
#: a \u escape of a UTF-16 surrogate in JSON text
_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")
#: stop reading after this many errors
MAX_ERRORS = 50


class StopReading(Exception):
    """Why a file's reading stops at ``line`` (:func:`raw_lines`): its ``reason``."""

    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line, self.reason = line, reason


def raw_lines(raw_file, handle, compressed: bool, max_line: int, max_ratio: int, floor: int):
    """``(number, bytes)`` of each line of ``handle`` (``raw_file`` itself, or a gzip reader
    of it), numbered from 1, its end kept; :class:`StopReading` at a line longer than
    ``max_line`` bytes, or where a gzipped file has expanded more than ``max_ratio`` times
    the compressed bytes read (past ``floor`` bytes)."""
    number = expanded = 0
    while raw := handle.readline(max_line + 1):
        number += 1
        if len(raw) > max_line:
            raise StopReading(number, f"a line longer than {max_line:,} bytes")
        if compressed:
            expanded += len(raw)
            if expanded > floor + max_ratio * raw_file.tell():
                raise StopReading(number, f"the file expands more than {max_ratio} times its compressed size "
                                          f"(a decompression bomb?)")
        yield number, raw


class KgxReader:
    """Reads a nodes file, then an edges file, into ``model``, collecting ``errors``."""

    def __init__(self, root: Path):
        #: the records read, by id (the model's own dicts)
        self.entities: dict[str, Entity] = {}
        self.assertions: dict[str, Assertion] = {}
        self.findings: dict[str, Finding] = {}
        self.sources: dict[str, Source] = {}
        self.model = Model(entities=self.entities, assertions=self.assertions, findings=self.findings,
                           sources=self.sources, root=str(root))
        self.errors: list[CurationError] = []
        self.file = ""
        self.node_lines: dict[str, int] = {}
        self.edge_lines: dict[str, int] = {}
        self.where = Where()
        self.pool: dict = {}
        self.predicates: dict[tuple, tuple[str, str]] = {}
        self.stopped = False

    def shared(self, key, value=None):
        """One object for equal values (species, notes, contexts): millions of edges repeat a few."""
        value = key if value is None else value
        return self.pool.setdefault((type(value), key), value)

    def error(self, line: int | None, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            if not self.stopped:
                self.errors.append(CurationError(self.file, line, f"more than {MAX_ERRORS} errors; stopped reading"))
                self.stopped = True
            return
        self.errors.append(CurationError(self.file, line, message))

    # -- rows --------------------------------------------------------------
    def rows(self, path: Path, required: tuple[str, ...], progress: bool):
        """Yield ``(line, row)`` for each record of a TSV or JSON Lines file.

        Bounded: a line longer than MAX_LINE bytes, or a gzipped file that expands more
        than MAX_RATIO times its compressed size (past RATIO_FLOOR bytes), stops the reading of the file with an
        error; a field longer than MAX_FIELD characters, JSON nested past a flat list,
        and a lone surrogate (``\\ud800``, no Unicode text) are errors of their line.
        """
        self.file = path.name
        self.where = Where(path.name)  # one shared record per file: a line each would cost memory
        jsonl = ".jsonl" in path.name
        bar = Progress(f"reading {path.name}", path.stat().st_size, not path.name.endswith(".gz"),
                       header=0 if jsonl else 1) if progress else None
        try:
            with open(path, "rb") as raw_file:
                compressed = path.name.endswith(".gz")
                handle = gzip.GzipFile(fileobj=raw_file, mode="rb") if compressed else raw_file
                header = None
                for number, raw in raw_lines(raw_file, handle, compressed, MAX_LINE, MAX_RATIO, RATIO_FLOOR):
                    if self.stopped:
                        break
                    if bar is not None:
                        bar.advance(len(raw))
                    try:
                        line = raw.decode("utf-8").rstrip("\r\n")
                    except UnicodeDecodeError as exc:
                        self.error(number, f"not UTF-8 text ({exc.reason})")
                        continue
                    if jsonl:
                        if not line.strip():
                            continue
                        row = self.json_row(number, line)
                        if row is not None:
                            yield number, row
                        continue
                    if header is None:
                        header = line.split("\t")
                        missing = [c for c in required if c not in header]
                        if missing:
                            self.error(1, f"missing column(s) {', '.join(map(quote, missing))} "
                                          f"(found: {quote(', '.join(header))[1:-1]})")
                            return
                        continue
                    if not line:
                        continue
                    values = line.split("\t")
                    if len(values) != len(header):
                        self.error(number, f"expected {len(header)} tab-separated fields, found {len(values)}")
                        continue
                    if len(line) > MAX_FIELD:
                        longest = max(range(len(values)), key=lambda i: len(values[i]))
                        if len(values[longest]) > MAX_FIELD:
                            self.error(number, f"field {quote(header[longest])} has {len(values[longest]):,} "
                                               f"characters; a field may have {MAX_FIELD:,}")
                            continue
                    yield number, dict(zip(header, values, strict=False))
        except StopReading as exc:
            self.error(exc.line, f"{exc.reason}; stopped reading {path.name}")
        except (OSError, EOFError, zlib.error) as exc:
            self.error(None, f"cannot read: {getattr(exc, 'strerror', None) or exc}")
        finally:
            if bar is not None:
                bar.close()

    @staticmethod
    def edge_columns(path: Path, required: tuple[str, ...]):
        """The edges file as columns (:mod:`mechgraph.io.kgx_columnar`), or None: the columnar
        reader is not installed, or the file is not a clean table with the required columns
        and none of mechgraph's own (which are read row by row)."""
        from .kgx_columnar import fast_edges, tsv_columns
        return tsv_columns(path, max_line=MAX_LINE, max_field=MAX_FIELD, max_ratio=MAX_RATIO, floor=RATIO_FLOOR,
                           accept=lambda header: all(c in header for c in required) and fast_edges(header))

    def json_row(self, number: int, line: str) -> dict | None:
        """One JSON Lines record, or None (the error noted)."""
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            self.error(number, f"malformed JSON: {exc.msg} (column {exc.colno})")
            return None
        except RecursionError:
            self.error(number, "malformed JSON: nested too deeply")
            return None
        except ValueError as exc:  # an integer of thousands of digits
            limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
            self.error(number, f"malformed JSON: a number of more than {limit:,} digits" if "digits" in str(exc)
                       else f"malformed JSON: {quote(str(exc))}")
            return None
        if not isinstance(row, dict):
            self.error(number, "each line must be a JSON object")
            return None
        for key, value in row.items():
            kind = type(value)
            if kind is list:
                if any(type(v) in (list, dict) for v in value):
                    self.error(number, f"field {quote(key)} nests lists or objects; a KGX field is text, a number, "
                                       f"or a list of them")
                    return None
            elif kind is dict:
                if key != "mechgraph_context" or any(
                        type(v) is dict or (type(v) is list and any(type(x) in (list, dict) for x in v))
                        for v in value.values()):
                    self.error(number, f"field {quote(key)} is an object; a KGX field is text, a number, "
                                       f"or a list of them")
                    return None
            elif kind is str and len(value) > MAX_FIELD:
                self.error(number, f"field {quote(key)} has {len(value):,} characters; a field may have {MAX_FIELD:,}")
                return None
        if "\\u" in line and _SURROGATE.search(line) and not _unicode(row):
            self.error(number, "text holding a lone surrogate (such as \\ud800), which is no Unicode character")
            return None
        return row

    @staticmethod
    def text(row: dict, key: str) -> str:
        value = row.get(key)
        if type(value) is str:
            return value.strip()
        if value is None:
            return ""
        if isinstance(value, list):
            return "|".join(str(v) for v in value)
        return str(value).strip()

    @staticmethod
    def items(row: dict, key: str) -> list[str]:
        value = row.get(key)
        if not value:
            return []
        if type(value) is str:
            return [v for v in value.split("|") if v] if "|" in value else [value]
        if isinstance(value, list):
            return [str(v) for v in value if str(v)]
        return [str(value)]

    # -- nodes -------------------------------------------------------------
    def read_nodes(self, path: Path, progress: bool) -> None:
        entities = self.entities
        for line, row in self.rows(path, ("id",), progress):
            curie = self.text(row, "id")
            if not curie:
                self.error(line, "a node needs an 'id'")
                continue
            eid = bl.entity_id(curie)
            if eid in entities:
                self.error(line, f"duplicate node id {quote(curie)} (first at {self.file}:{self.node_lines[eid]})")
                continue
            kind = self.text(row, "mechgraph_type")
            if kind not in ENTITY_TYPES:
                kind = bl.type_of(self.items(row, "category"))
            try:
                xrefs = bl.xrefs_of(self.items(row, "xref"))
            except ValueError as exc:
                self.error(line, f"node {quote(curie)}: xref {exc}")
                xrefs = {}
            entities[eid] = Entity(
                id=eid, type=kind, name=self.text(row, "name") or eid, name_zh=self.text(row, "name_zh"),
                aliases=tuple(self.items(row, "synonym")), xrefs=xrefs,
                description=self.text(row, "description"), description_zh=self.text(row, "description_zh"),
                where=self.where)
            self.node_lines[eid] = line

    # -- edges -------------------------------------------------------------
    def read_edges(self, path: Path, progress: bool) -> None:
        required = ("subject", "predicate", "object")
        table = None if ".jsonl" in path.name else self.edge_columns(path, required)
        if table is not None:
            from .kgx_columnar import read_edges
            self.file, self.where = path.name, Where(path.name)
            bar = Progress(f"reading {path.name}", path.stat().st_size, not path.name.endswith(".gz"),
                           header=1) if progress else None
            read_edges(self, path, table, bar)
            return
        for line, row in self.rows(path, required, progress):
            if row.get("mechgraph_edges"):
                for part in self.merged(row, line):
                    self.read_edge(line, part)
            else:
                self.read_edge(line, row)

    def merged(self, row: dict, line: int) -> list[dict]:
        """The statements a merged edge of mechgraph's export holds (``mechgraph_edges``), each
        with the edge's subject, predicate and object."""
        raw = row["mechgraph_edges"]
        try:
            parts = json.loads(raw) if isinstance(raw, str) else raw
        except (ValueError, RecursionError):
            parts = None
        if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
            self.error(line, "mechgraph_edges must be a JSON list of objects")
            return []
        ends = {end: row.get(end) for end in ("subject", "predicate", "object")}
        return [{**part, **ends} for part in parts]

    def read_edge(self, line: int, row: dict) -> None:
        m = self.model
        ends = {}
        for end in ("subject", "predicate", "object"):
            ends[end] = self.text(row, end)
            if not ends[end]:
                self.error(line, f"an edge needs a {quote(end)}")
        if not all(ends.values()):
            return
        subject, obj = bl.entity_id(ends["subject"]), bl.entity_id(ends["object"])
        unknown = [f"{end} {quote(ends[end])}" for end, eid in (("subject", subject), ("object", obj))
                   if eid not in m.entities]
        if unknown:
            self.error(line, f"edge refers to unknown node(s): {', '.join(unknown)}")
            return
        predicate, note = self.predicate(row, ends["predicate"])
        row_id = self.text(row, "id") or f"e{line}"
        aid = self.text(row, "mechgraph_assertion") or row_id
        negated = self.text(row, "negated").lower() in ("true", "1", "yes", "t")
        finding = self.finding(row, line, row_id, subject, predicate, obj, negated)
        current = m.assertions.get(aid)
        if current is not None:
            if (current.subject, current.predicate, current.object) != (subject, predicate, obj):
                self.error(line, f"duplicate edge id {quote(aid)} (first at {self.file}:{self.edge_lines[aid]})")
                return
            if finding is not None:
                side = "refuting" if negated else "supporting"
                self.assertions[aid] = _with(current, side, finding.id)
            return
        context = self.context(row, line)
        context = self.shared(tuple((k, v) for k, v in context.items()), context)
        supporting = (finding.id,) if finding is not None and not negated else ()
        refuting = (finding.id,) if finding is not None and negated else ()
        self.assertions[aid] = Assertion(id=aid, subject=subject, predicate=predicate, object=obj,
                                      supporting=supporting, refuting=refuting, context=context,
                                      note=note, where=self.where)
        self.edge_lines[aid] = line

    def predicate(self, row: dict, written: str) -> tuple[str, str]:
        own = self.text(row, "mechgraph_predicate")
        if own in PREDICATES:
            return own, ""
        key = (written, self.text(row, "object_aspect_qualifier"), self.text(row, "object_direction_qualifier"))
        mapped = self.predicates.get(key)
        if mapped is None:
            predicate, exact = bl.predicate_of(*key)
            mapped = self.predicates[key] = (predicate, "" if exact else f"{bl.NOTE_PREFIX}{bl.biolink(written)}")
        return mapped

    def context(self, row: dict, line: int) -> dict[str, tuple[str, ...]]:
        raw = self.text(row, "mechgraph_context")
        if raw or self.text(row, "mechgraph_assertion"):  # written by mechgraph: the context as it was
            if not raw:
                return {}
            try:
                data = json.loads(raw) if isinstance(row.get("mechgraph_context"), str) else row["mechgraph_context"]
                context: dict[str, tuple[str, ...]] = {str(k): tuple(str(x) for x in (v if isinstance(v, list) else [v]))
                           for k, v in data.items()}
            except (ValueError, AttributeError, RecursionError):
                self.error(line, "mechgraph_context must be a JSON object")
                return {}
            for message in schema.context_problems(context):
                self.error(line, f"mechgraph_context: {message}")
            unknown = [f"{key} {quote(value)}" for key in ENTITY_CONTEXT_KEYS for value in context.get(key, ())
                       if value not in self.model.entities]
            if unknown:
                self.error(line, f"mechgraph_context refers to unknown node(s): {', '.join(unknown)}")
            return context
        context = {}
        species = [bl.SPECIES_OF_TAXON.get(t, t) for t in self.items(row, "species_context_qualifier")]
        if species:
            context["species"] = tuple(species)
        for curie in self.items(row, "anatomical_context_qualifier"):
            entity = self.model.entities.get(bl.entity_id(curie))
            if entity is not None:
                key = "cell_type" if entity.type == "CellType" else "brain_region"
                context[key] = context.get(key, ()) + (entity.id,)
        return context

    def finding(self, row: dict, line: int, row_id: str, subject: str, predicate: str, obj: str,
                negated: bool) -> Finding | None:
        publications = self.items(row, "publications")
        knowledge_source = self.text(row, "primary_knowledge_source")
        level = self.text(row, "mechgraph_level")
        knowledge_level, agent = self.text(row, "knowledge_level"), self.text(row, "agent_type")
        if not (publications or knowledge_source or level or negated or knowledge_level):
            return None
        m = self.model
        if level and level not in EVIDENCE_LEVELS:
            self.error(line, f"unknown mechgraph_level {quote(level)} (expected one of {', '.join(EVIDENCE_LEVELS)})")
        source = knowledge_source or "kgx"
        if source not in m.sources:
            self.sources[source] = Source(id=source, kind="knowledge_source", title=source)
        cites = [bl.source_id(curie) for curie in publications]
        for cited in cites:
            if cited not in m.sources:
                self.sources[cited] = Source(id=cited, kind="study", title=cited)
        statements = self.items(row, "mechgraph_statements")
        if statements:
            statement = " ".join(statements)
        else:
            names = m.entities
            statement = f"{names[subject].name} {PREDICATES[predicate].reads} {names[obj].name}"
            statement += " (negated: stated not to hold)." if negated else "."
        fid = f"kgx:{row_id}"
        if fid in m.findings:
            fid = f"kgx:{row_id}@{line}"
        notes = "; ".join(f"{k}: {v}" for k, v in (("knowledge_level", knowledge_level), ("agent_type", agent)) if v)
        species = tuple(bl.SPECIES_OF_TAXON.get(t, t) for t in self.items(row, "species_context_qualifier"))
        finding = Finding(id=fid, source=source, locator=(), study_type=STUDY_TYPE_OF_LEVEL.get(level, "review"),
                          direction="refutes" if negated else "supports", statement=statement,
                          statement_zh="", study=f"KGX edge {row_id}", cites=tuple(cites),
                          species=self.shared(species), quality_note=self.shared(notes), where=self.where)
        self.findings[fid] = finding
        return finding


def _with(assertion: Assertion, side: str, finding_id: str) -> Assertion:
    return replace(assertion, **{side: getattr(assertion, side) + (finding_id,)})


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, a line per 10% elsewhere."""

    def __init__(self, label: str, total: int, by_bytes: bool, header: int = 0):
        self.label, self.total, self.by_bytes = label, max(total, 1), by_bytes
        self.done, self.rows = 0, -header
        self.tty = sys.stderr.isatty()
        self.shown = -1
        self.start = time.monotonic()
        self.last = 0.0
        sys.stderr.write(f"{label} ({total / 1e6:,.1f} MB)\n" if not self.tty else "")

    def advance(self, size: int, rows: int = 1) -> None:
        """Count ``size`` more bytes read, in ``rows`` rows (a line, or a batch of them)."""
        before = max(self.rows, 0)
        self.done += size
        self.rows += rows
        if self.rows > 0 and (rows > 1 or self.rows // 20000 > before // 20000):
            self.draw()

    def draw(self, final: bool = False) -> None:
        fraction = min(self.done / self.total, 1.0) if self.by_bytes else 0.0
        if self.tty:
            now = time.monotonic()
            if not final and now - self.last < 0.2:
                return
            self.last = now
            bar = "#" * int(fraction * 30)
            shown = f"{fraction:4.0%} " if self.by_bytes else ""
            sys.stderr.write(f"\r{self.label} [{bar:<30}] {shown}{self.rows:,} rows")
            sys.stderr.flush()
        else:
            step = int(fraction * 10)
            if step > self.shown and (final or step < 10):
                self.shown = step
                sys.stderr.write(f"{self.label}: {step * 10}% ({self.rows:,} rows)\n")

    def close(self) -> None:
        elapsed = time.monotonic() - self.start
        if self.tty:
            self.draw(final=True)
            sys.stderr.write(f" in {elapsed:.1f} s\n")
        else:
            sys.stderr.write(f"{self.label}: done, {self.rows:,} rows in {elapsed:.1f} s\n")
        sys.stderr.flush()


def _unicode(value) -> bool:
    """Whether every string in a JSON value is Unicode text (no lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_unicode(k) and _unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_unicode(v) for v in value)
    return True
