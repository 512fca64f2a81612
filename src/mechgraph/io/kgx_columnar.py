"""A columnar reader of KGX TSV files (polars, the ``big`` extra), for big graphs.

:class:`~mechgraph.io.kgx_reader.KgxReader` reads a TSV file line by line in Python. With
polars installed, :func:`tsv_columns` instead parses the whole file (gzipped or not) in
polars' native reader, with the same rules as the line reader (tab-separated, no quoting,
every field text, an empty field empty text), and the reader takes its rows from the columns.
The model made from them is the one the line reader makes: both feed the same row
handling, and a differential test holds them to it.

Whenever the file is anything but a clean table, this reader steps aside (returns None)
and the line reader reads the file, so that every error is reported exactly as before,
with its file and line: a file that is not UTF-8, starts with a byte-order mark, has
carriage returns, blank lines, a row with more or fewer fields than the header, a
repeated column name, a field longer than ``MAX_FIELD`` characters or a line longer than
``MAX_LINE`` bytes, or a gzip file that expands past the ratio the line reader allows.
JSON Lines files are read by the line reader here; the streamed first build reads them in
batches too (:mod:`mechgraph.io.kgx_jsonl`).

It reads files of at least ``MIN_BYTES`` (below that, importing polars costs more than it
saves); ``MECHGRAPH_KGX_READER=columnar`` makes it read any file, ``=python`` none.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

#: rows turned into Python values at a time (bounds the memory the lists take)
BATCH = 65536
#: the smallest file (bytes on disk) read in columns unless MECHGRAPH_KGX_READER=columnar
MIN_BYTES = 4 << 20


class Table(NamedTuple):
    """A file read in columns: its ``header``, its number of rows (``height``), and
    ``batches(columns=None, frames=False)``, which yields its rows a batch at a time (see
    :func:`tsv_columns`); ``first_line`` is the file line of the first row (after a TSV
    file's header, 2; a JSON Lines file's, 1)."""

    header: list[str]
    height: int
    batches: Callable
    first_line: int = 2


def enabled(path: Path | None = None) -> bool:
    """Whether the columnar reader is installed and not turned off (for ``path``: and the file
    is big enough to be worth it)."""
    choice = os.environ.get("MECHGRAPH_KGX_READER", "").lower()
    if choice == "python":
        return False
    if choice != "columnar" and path is not None:
        try:
            if path.stat().st_size < MIN_BYTES:
                return False
        except OSError:
            return False
    try:
        import polars  # noqa: F401
    except ImportError:
        return False
    return True


def _bytes(path: Path, max_ratio: int, floor: int) -> bytes | None:
    """The file's bytes, gunzipped; None when a gzip file expands past the allowed ratio
    or cannot be read (the line reader then reports it)."""
    try:
        with open(path, "rb") as raw:
            if not path.name.endswith(".gz"):
                return raw.read()
            size = os.fstat(raw.fileno()).st_size
            limit = floor + max_ratio * size
            with gzip.GzipFile(fileobj=raw, mode="rb") as handle:
                data = handle.read(limit + 1)
            return None if len(data) > limit else data
    except (OSError, EOFError, zlib.error):
        return None


def _clean(path: Path, max_line: int, max_ratio: int, floor: int, accept) -> tuple[list[str], int, bytes] | None:
    """``(header, lines, bytes)`` of a file whose bytes make a clean table (see the module
    docstring) and whose header ``accept`` takes; else None."""
    if accept is not None:
        try:
            with (gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")) as handle:
                line = handle.readline(max_line + 1)
            if not accept(line.rstrip(b"\n").decode("utf-8").split("\t")):
                return None
        except (OSError, EOFError, zlib.error, UnicodeDecodeError):
            return None
    data = _bytes(path, max_ratio, floor)
    if not data or data.startswith(b"\xef\xbb\xbf") or b"\r" in data or b"\n\n" in data or data.startswith(b"\n"):
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    first = data[:data.find(b"\n")] if b"\n" in data else data
    try:
        header = first.decode("utf-8").split("\t")
    except UnicodeDecodeError:
        return None
    if len(set(header)) != len(header) or lines < 2:
        return None  # a repeated column, or no rows: the line reader says what it says
    if data.count(b"\t") != (len(header) - 1) * lines:
        return None  # some row has more or fewer fields than the header
    return header, lines, data


def _options() -> dict:
    """How polars reads a TSV file as the line reader does: every field text, no quoting, no comments."""
    return {"separator": "\t", "quote_char": None, "infer_schema": False, "has_header": True, "comment_prefix": None,
            "raise_if_empty": False, "truncate_ragged_lines": False, "encoding": "utf8"}


def _too_long(frame, header: list[str], max_line: int, max_field: int) -> bool:
    """Whether a field of the frame has more than ``max_field`` characters or a row more
    than ``max_line`` bytes (nulls filled with empty text)."""
    import polars as pl
    longest = frame.select(pl.all().str.len_chars().max()).row(0)
    if any(n is not None and n > max_field for n in longest):
        return True
    widest = frame.select(pl.sum_horizontal(pl.all().str.len_bytes()).max()).item()
    return widest is not None and widest + len(header) > max_line


def tsv_columns(path: Path, *, max_line: int, max_field: int, max_ratio: int, floor: int, accept=None,
                small: bool = False):
    """``(header, height, batches)`` of a clean TSV file, where ``batches(columns=None, frames=False)``
    yields lists of rows in file order, each a tuple of text in header order (or of ``columns``,
    in their order, a column the file lacks as empty text), or with ``frames`` the polars
    frames of those rows (text, no nulls); or None (see the module docstring), or when
    ``accept(header)`` is false. With ``small``, a file below ``MIN_BYTES`` is read too."""
    if not enabled(None if small else path):
        return None
    import polars as pl
    clean = _clean(path, max_line, max_ratio, floor, accept)
    if clean is None:
        return None
    header, lines, data = clean
    del clean
    try:
        frame = pl.read_csv(data, **_options())
    except Exception:  # noqa: BLE001 - anything polars refuses, the line reader reads and reports
        return None
    del data
    if frame.columns != header or frame.height != lines - 1:
        return None
    frame = frame.with_columns(pl.all().fill_null(""))
    if _too_long(frame, header, max_line, max_field):
        return None

    def batches(columns=None, frames=False):
        for start in range(0, frame.height, BATCH):
            part = _select(frame.slice(start, BATCH), columns)
            yield part if frames else part.rows()

    return Table(header, frame.height, batches)


def _select(frame, columns):
    """The frame's ``columns`` in that order, a column it lacks as empty text; the whole
    frame when ``columns`` is None."""
    if columns is None:
        return frame
    import polars as pl
    return frame.select([pl.col(c) if c in frame.columns else pl.lit("").alias(c) for c in columns])


class Unclean(ValueError):
    """A file :func:`tsv_stream` found not to be a clean table while reading its batches."""


#: rows of a file :func:`tsv_stream` reads at a time
STREAM_BATCH = 50_000
#: rows of a batch turned into Python values at a time
STREAM_ROWS = 8192


def tsv_stream(path: Path, *, max_line: int, max_field: int, max_ratio: int, floor: int, accept=None):
    """:func:`tsv_columns` without the whole table in memory: ``batches()`` reads the file
    about ``STREAM_BATCH`` rows at a time (blocks of whole lines, each parsed by polars),
    checks each batch as :func:`tsv_columns` checks the whole table, and raises
    :class:`Unclean` at the first that fails (or when the rows do not add up). For a reader
    that can drop what it has read when that happens (:mod:`mechgraph.store.kgx_stream`).
    None for a gzipped file, or anything :func:`tsv_columns` refuses before parsing.

    >>> from mechgraph.io.kgx_reader import MAX_FIELD, MAX_LINE
    >>> tsv_stream(Path("tests/data/kgx-graph/edges.tsv"), max_line=MAX_LINE, max_field=MAX_FIELD,
    ...            max_ratio=200, floor=1 << 20) is None  # a small file: the line reader reads it
    True
    """
    if path.name.endswith(".gz") or not enabled(path):
        return None
    import polars as pl
    clean = _clean(path, max_line, max_ratio, floor, accept)
    if clean is None:
        return None
    header, lines = clean[:2]
    size = max(1, len(clean[2]) // lines) * STREAM_BATCH  # the bytes of about STREAM_BATCH lines
    del clean  # the bytes: the file is read a block at a time
    # each block parsed after the header line: polars would take a byte-order mark opening a
    # block for the file's (a clean file has none before its header)
    head = "\t".join(header).encode("utf-8") + b"\n"

    def batches(columns=None, frames=False):
        seen = 0
        try:
            for block in _blocks(path, size):
                frame = pl.read_csv(head + block, **_options())
                if frame.columns != header:
                    raise Unclean("columns")
                frame = frame.with_columns(pl.all().fill_null(""))
                if _too_long(frame, header, max_line, max_field):
                    raise Unclean("a field or line too long")
                seen += frame.height
                frame = _select(frame, columns)
                if frames:
                    yield frame
                    continue
                for start in range(0, frame.height, STREAM_ROWS):
                    yield frame.slice(start, STREAM_ROWS).rows()
        except Unclean:
            raise
        except Exception as exc:  # noqa: BLE001 - anything polars refuses, the line reader reads and reports
            raise Unclean(str(exc)) from None
        if seen != lines - 1:
            raise Unclean(f"{seen} rows, not {lines - 1}")

    return Table(header, lines - 1, batches)


def _blocks(path: Path, size: int, *, header: bool = True, max_line: int | None = None):
    r"""The lines of a file after its first (all of them without ``header``), in blocks of
    whole lines of about ``size`` bytes (a block ends at a line's end, or the file's).
    With ``max_line``, a line of that many bytes or more raises :class:`Unclean` (as soon as
    the part of it read reaches them: no more than ``max_line + size`` bytes of it are held).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as handle:
    ...     _ = handle.write(b"h\na\nbb\nccc")
    ...     handle.flush()
    ...     list(_blocks(Path(handle.name), 2)), list(_blocks(Path(handle.name), 2, header=False))
    ([b'a\n', b'bb\n', b'ccc'], [b'h\n', b'a\n', b'bb\n', b'ccc'])
    """
    with open(path, "rb") as handle:
        if header:
            handle.readline()
        rest = b""
        while True:
            block = handle.read(size)
            if not block:
                if rest:
                    yield rest
                return
            data = rest + block
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if max_line is not None and (len(rest) >= max_line or (
                    cut >= max_line and max(map(len, data[:cut].split(b"\n"))) + 1 > max_line)):
                raise Unclean(f"a line longer than {max_line} bytes")
            if cut:
                yield data[:cut]


# -- edges straight from the columns ----------------------------------------------------------------------

#: the columns whose rows the fast path below reads as the line reader does; a file with any
#: other column the reader looks at (mechgraph's own, written by its export) is read row by row
EDGE_ORDER: tuple[str, ...] = ("id", "subject", "predicate", "object", "negated", "object_aspect_qualifier",
                               "object_direction_qualifier", "species_context_qualifier",
                               "anatomical_context_qualifier", "knowledge_level", "agent_type",
                               "primary_knowledge_source", "publications")
FAST_EDGE_COLUMNS = frozenset(EDGE_ORDER)
#: the columns of EDGE_ORDER the line reader reads as items (``KgxReader.items``), the rest as text
EDGE_ITEMS = ("species_context_qualifier", "anatomical_context_qualifier", "publications")
_READ_BY_ROW = ("mechgraph_", )


def read_edges(reader, path: Path, table, bar) -> None:
    """Read the edges of ``table`` (:func:`tsv_columns`) into ``reader``'s model, as
    :meth:`~mechgraph.io.kgx_reader.KgxReader.read_edge` would row by row.

    The common row (both ends known, an id not seen before) is read from the columns
    (:func:`edge_rows`); any other row (an error, or a second statement of an assertion)
    goes to ``read_edge`` itself, so that errors and merges are the line reader's own.
    """
    from ..model.core import Assertion, Finding, Source
    study_type = "review"  # KgxReader.finding's for a row without mechgraph_level
    where, shared, edge_lines = reader.where, reader.shared, reader.edge_lines
    m = reader.model
    assertions, findings, sources = m.assertions, m.findings, m.sources
    for number, row_id, subject, predicate, obj, note, negated, evidence, context in \
            edge_rows(reader, path, table, bar, assertions):
        fid = None
        if evidence is not None:
            source, cites, statement, notes, species = evidence
            if source not in sources:
                sources[source] = Source(id=source, kind="knowledge_source", title=source)
            for cited in cites:
                if cited not in sources:
                    sources[cited] = Source(id=cited, kind="study", title=cited)
            fid = f"kgx:{row_id}"
            if fid in findings:
                fid = f"kgx:{row_id}@{number}"
            findings[fid] = Finding(id=fid, source=source, locator=(), study_type=study_type,
                                    direction="refutes" if negated else "supports", statement=statement,
                                    statement_zh="", study=f"KGX edge {row_id}", cites=cites,
                                    species=shared(species), quality_note=shared(notes), where=where)
        supporting = (fid,) if fid is not None and not negated else ()
        refuting = (fid,) if fid is not None and negated else ()
        assertions[row_id] = Assertion(id=row_id, subject=subject, predicate=predicate, object=obj,
                                       supporting=supporting, refuting=refuting, context=context,
                                       note=note, where=where)
        edge_lines[row_id] = number


def edge_rows(reader, path: Path, table, bar, known, other=None):
    """The common rows of ``table`` (:func:`tsv_columns`), read with the line reader's
    rules written out for text cells: both ends known and an id not in ``known``. Every
    other row goes to ``reader.read_edge`` as it comes, before anything of it was
    recorded (an error with its line, or a second statement of an assertion); or to
    ``other(line, row)`` when given.

    Yields ``(line, id, subject, predicate, object, note, negated, evidence, context)``:
    ``evidence`` is None for a row that gives no finding, else ``(source, cites,
    statement, quality_note, species)`` of its synthetic finding
    (:meth:`~mechgraph.io.kgx_reader.KgxReader.finding`), and ``context`` the
    assertion's (:meth:`~mechgraph.io.kgx_reader.KgxReader.context`), shared among equal ones.
    """
    from ..model.constants import PREDICATES
    from . import biolink as bl
    taxa = bl.SPECIES_OF_TAXON
    shared = reader.shared
    batches = table.batches
    entities = reader.model.entities
    prefix, source_prefix = bl.PREFIX + ":", bl.SOURCE_PREFIX + ":"
    cut, source_cut = len(prefix), len(source_prefix)
    mapped: dict[tuple, tuple[str, str]] = {}
    reads = {name: p.reads for name, p in PREDICATES.items()}
    truthy = ("true", "1", "yes", "t")

    def items(value: str) -> list[str]:
        if not value:
            return []
        return [v for v in value.split("|") if v] if "|" in value else [value]

    other = other or reader.read_edge
    step = path.stat().st_size // max(table.height, 1)
    number = table.first_line - 1
    if bar is not None and number:
        bar.advance(step)  # the header
    try:
        for batch in batches(EDGE_ORDER):  # a column the file lacks reads as empty text, as the line reader's
            for values in batch:
                number += 1
                if bar is not None:
                    bar.advance(step)
                (raw_id, s, p, o, negation, aspect, direction, species_cell, anatomy_cell, knowledge_level, agent,
                 knowledge_source, publications_cell) = values
                s, p, o = s.strip(), p.strip(), o.strip()
                subject = s[cut:] if s.startswith(prefix) else s
                obj = o[cut:] if o.startswith(prefix) else o
                row_id = raw_id.strip() or f"e{number}"
                if not (s and p and o) or subject not in entities or obj not in entities or row_id in known:
                    # the columns the line reader reads, all of them (a column the file lacks is empty either way)
                    other(number, dict(zip(EDGE_ORDER, values, strict=True)))
                    if reader.stopped:
                        return
                    continue
                key = (p, aspect.strip(), direction.strip())
                found = mapped.get(key)
                if found is None:
                    found = mapped[key] = reader.predicate({}, p) if not key[1] and not key[2] else \
                        reader.predicate({"object_aspect_qualifier": key[1], "object_direction_qualifier": key[2]}, p)
                predicate, note = found
                negated = negation.strip().lower() in truthy
                # the finding (KgxReader.finding, for a row with no mechgraph_ column)
                publications = items(publications_cell)
                knowledge_source = knowledge_source.strip()
                knowledge_level = knowledge_level.strip()
                species_items = items(species_cell)
                evidence = None
                if publications or knowledge_source or negated or knowledge_level:
                    agent = agent.strip()
                    statement = f"{entities[subject].name} {reads[predicate]} {entities[obj].name}"
                    statement += " (negated: stated not to hold)." if negated else "."
                    notes = "; ".join(f"{k}: {v}" for k, v in (("knowledge_level", knowledge_level),
                                                               ("agent_type", agent)) if v)
                    evidence = (knowledge_source or "kgx",
                                tuple(c[source_cut:] if c.startswith(source_prefix) else c for c in publications),
                                statement, notes, tuple(taxa.get(t, t) for t in species_items))
                # the context (KgxReader.context, for a row with no mechgraph_ column)
                context: dict[str, tuple[str, ...]] = {}
                if species_items:
                    context["species"] = tuple(taxa.get(t, t) for t in species_items)
                for curie in items(anatomy_cell):
                    entity = entities.get(curie[cut:] if curie.startswith(prefix) else curie)
                    if entity is not None:
                        place = "cell_type" if entity.type == "CellType" else "brain_region"
                        context[place] = context.get(place, ()) + (entity.id,)
                yield (number, row_id, subject, predicate, obj, note, negated, evidence,
                       shared(tuple(context.items()), context))
    finally:
        if bar is not None:
            bar.close()


def fast_edges(header: list[str]) -> bool:
    """Whether :func:`read_edges` reads a file with these columns (no mechgraph_ column)."""
    return not any(name.startswith(_READ_BY_ROW) for name in header)
