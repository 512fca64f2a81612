"""KGX JSON Lines files as the columnar reader's tables, for the streamed first build.

A JSON Lines file has no header and no column types: each line is an object whose values
are text, numbers, booleans or flat lists. The line reader
(:class:`~mechgraph.io.kgx_reader.KgxReader`) reads a value either as text (``text``: a
list joined with bars, anything else as ``str`` writes it, stripped) or as items
(``items``: a list's items, a text's non-empty parts between bars). :func:`jsonl_stream`
turns each value the build reads into the cell a TSV file would hold for it (a list
joined with bars, a number or boolean as ``str`` writes it), so that the TSV rules of the
streamed build (:mod:`mechgraph.store.kgx_stream`) read the same text and items from it.

Each line is read as :meth:`KgxReader.rows` reads it (the same limits on lines and on
gzip's expansion) and parsed by the parser ``json.loads`` runs. What the line reader's
:meth:`KgxReader.json_row` checks of a parsed line is checked on a whole batch's text where
the text settles it (:func:`_screen`), else by ``json_row`` itself, line by line.
Whatever the line reader would report (malformed JSON, a nested value, a lone surrogate,
an over-long field or line, bytes that are not UTF-8), and every value no cell reads the
same way (a list item holding a bar, a joined list with white space at an end, a false or
zero value where items are read), raises :class:`~mechgraph.io.kgx_columnar.Unclean`; so
do a blank line between rows (the build numbers rows by line), a tab in a value (the build
keys on tab-joined cells), and a key with a given prefix (``mechgraph_``: the columns
written by mechgraph's export, which the line reader reads row by row). The graph is then
read by the line reader, which reports what it finds at its line.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from .kgx_columnar import STREAM_BATCH, STREAM_ROWS, Table, Unclean, _blocks, enabled
from .kgx_reader import _SURROGATE, MAX_FIELD, StopReading, raw_lines

#: a tab in JSON text: the build joins cells with tabs (a raw tab in a string is no JSON)
_TABS = ("\\t", "\\u0009")
#: a list after a key (every other ``[`` is in a string or a nested list)
_LIST_VALUE = re.compile(r":\s*\[")
#: the types of JSON value that are their own cells (None an empty one)
_TEXT = frozenset((str, type(None)))
#: the types of JSON value of a column of lists
_LISTS = frozenset((list, type(None)))
#: lines parsed at a time
CHUNK = 512
#: bytes of an uncompressed file read at a time
BLOCK = 4 << 20


def cell(value, as_items: bool) -> str:
    """The TSV cell that the line reader reads as it reads the JSON ``value`` (not text,
    not None): as text and, with ``as_items``, as items. Raises Unclean when there is none.

    >>> cell(["PMID:1", "PMID:2"], True), cell(True, False), cell(3, True), cell([], True)
    ('PMID:1|PMID:2', 'True', '3', '')
    >>> cell(["a|b"], True)
    Traceback (most recent call last):
    ...
    mechgraph.io.kgx_columnar.Unclean: a list item holding a bar
    """
    if type(value) is list:
        text = "|".join(map(str, value))
        if as_items and text.count("|") != max(len(value) - 1, 0):  # items() keeps an item whole
            raise Unclean("a list item holding a bar")
        if text != text.strip():  # text() strips a text cell, not a joined list
            raise Unclean("a list with white space at an end")
        return text
    if as_items and not value:  # items() of a false value are none; of its text, one
        raise Unclean("a false value read as items")
    return str(value)


def jsonl_stream(path: Path, columns: Iterable[str], items: Iterable[str] = (), *, checker, max_line: int,
                 max_ratio: int, floor: int, reject: str | None = None, contiguous: bool = True) -> Table | None:
    """A JSON Lines file as a :class:`~mechgraph.io.kgx_columnar.Table` of ``columns`` (text,
    a key a row lacks as empty text), read a batch at a time; ``items`` the columns read as
    items. ``checker`` is a :class:`~mechgraph.io.kgx_reader.KgxReader` whose ``json_row``
    tells what the line reader reports of a line (any report makes the batches raise
    Unclean). A key starting with ``reject`` (``mechgraph_``) raises Unclean; with
    ``contiguous``, so does a blank line before a row. None when the columnar reader is off
    (:func:`enabled`).

    The table's height is estimated from the file's size and first lines, for progress.
    """
    if not enabled(path):
        return None
    columns, wanted_items = tuple(columns), frozenset(items)
    compressed = path.name.endswith(".gz")
    try:
        height = _height(path, compressed)
    except OSError:
        return None

    def batches(names=None, frames=False):
        import polars as pl
        names = columns if names is None else tuple(names)
        for first, lines, text in _batches(path, max_line, max_ratio, floor, compressed, contiguous):
            found: list[list] = [[] for _ in names]
            # a key is written as it reads unless \\u escapes spell it
            keys = reject is not None and (f'"{reject}' in text or "\\u" in text)
            for start in range(0, len(lines), CHUNK):  # parsed a few at a time: their memory used again
                rows = _rows(lines[start:start + CHUNK], first + start, checker)
                if keys:
                    for number, row in enumerate(rows, first + start):
                        if any(key.startswith(reject) for key in row):
                            raise Unclean(f"line {number}: a key {reject}...")
                for name, values in zip(names, found, strict=True):
                    values.extend([row.get(name) for row in rows])
            _screen(lines, text, first, checker)
            frame = pl.DataFrame([_column(pl, name, values, name in wanted_items)
                                  for name, values in zip(names, found, strict=True)])
            del found
            if _TABS[0] in text or _TABS[1] in text:
                if frame.select(pl.any_horizontal(pl.all().str.contains("\t", literal=True)).any()).item():
                    raise Unclean("a tab in a value")
            if frames:
                yield frame
                continue
            for start in range(0, frame.height, STREAM_ROWS):
                yield frame.slice(start, STREAM_ROWS).rows()

    return Table(list(columns), height, batches, 1)


_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _loads(line: str):
    """``json.loads(line)``, calling the scanner it calls straight for a line that opens
    and closes an object with no white space around it (StopIteration where it finds no
    JSON value, as json.loads would then raise)."""
    if line[:1] == "{" and line[-1:] == "}":
        value, end = _scan(line, 0)
        if end != len(line):
            raise ValueError("extra data")
        return value
    return json.loads(line)


def _column(pl, name: str, values: list, as_items: bool):
    """The text cells of one column's JSON values (:func:`cell`), as a polars series."""
    kinds = set(map(type, values))
    if list in kinds and kinds <= _LISTS:
        series = _joined(pl, name, values, as_items)
        if series is not None:
            return series
    if not kinds <= _TEXT:
        values = [value if type(value) is str else "" if value is None else cell(value, as_items) for value in values]
    return pl.Series(name, values, dtype=pl.String).fill_null("")


def _joined(pl, name: str, values: list, as_items: bool):
    """:func:`_column` of lists of text (and nulls) with the checks of :func:`cell` made on
    the whole column; None when an item is not text."""
    from ..store.kgx_batches import WHITESPACE
    try:
        texts = ["|".join(value) if value is not None else "" for value in values]
    except TypeError:
        return None
    series = pl.Series(name, texts, dtype=pl.String)
    if as_items:  # every bar one that joins two items: as many as items beyond each list's first
        listed = list(filter(None, values))
        if series.str.count_matches("|", literal=True).sum() != sum(map(len, listed)) - len(listed):
            raise Unclean("a list item holding a bar")
    if (series != series.str.strip_chars(WHITESPACE)).any():
        raise Unclean("a list with white space at an end")
    return series


def _rows(lines: list[str], first: int, checker) -> list[dict]:
    """The JSON objects of ``lines`` (``first`` the first one's number); Unclean when the
    line reader reports one (:func:`_check`)."""
    try:
        rows = list(map(_loads, lines))
    except (ValueError, RecursionError, StopIteration):
        rows = None
    if rows is None or any(type(row) is not dict for row in rows):
        _check(lines, first, checker)
        raise Unclean("malformed JSON")  # (not reached: json_row reports such a line)
    return rows


def _screen(lines: list[str], text: str, first: int, checker) -> None:
    """What else ``json_row`` checks of parsed objects, on the whole text where it can be (no
    ``{`` but each object's, every ``[`` a list after a key, no line longer than a field may
    be, no escaped surrogate); where that does not settle it, line by line by ``json_row``."""
    if not (text.count("{") == len(lines) and text.count("[") == len(_LIST_VALUE.findall(text))
            and max(map(len, lines), default=0) <= MAX_FIELD and not _SURROGATE.search(text)):
        _check(lines, first, checker)


def _check(lines: list[str], first: int, checker) -> None:
    """Unclean at the first line ``json_row`` reports."""
    for number, line in enumerate(lines, first):
        if checker.json_row(number, line) is None:
            raise Unclean(f"line {number}: {checker.errors[-1].message}")


def _height(path: Path, compressed: bool) -> int:
    """About how many lines the file has (from its size and its first lines' length)."""
    size = path.stat().st_size
    if compressed:
        return max(1, size // 40)
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    return max(1, size * max(head.count(b"\n"), 1) // max(len(head), 1))


def _batches(path: Path, max_line: int, max_ratio: int, floor: int, compressed: bool,
             contiguous: bool) -> Iterator[tuple[int, list[str], str]]:
    """``(first, lines, text)`` for each batch of about ``STREAM_BATCH`` lines that are not
    blank: the first one's number, the lines (their ends removed, as ``KgxReader.rows``
    removes them) and their text joined with newlines. Unclean where ``rows`` reports an
    error, and (``contiguous``) at a row after a blank line."""
    pending: list[str] = []
    first = 1
    gap = False
    for number, lines in (_gzip_lines(path, max_line, max_ratio, floor) if compressed
                          else _plain_lines(path, max_line)):
        if not all(map(str.strip, lines)):  # blank lines: numbered, not rows
            kept: list[str] = []
            for at, line in enumerate(lines, number):
                if not line.strip():
                    gap = gap or contiguous
                    continue
                if gap:
                    raise Unclean(f"line {at}: a row after a blank line")
                if not pending and not kept:
                    first = at
                kept.append(line)
            lines = kept
        elif lines:
            if gap:
                raise Unclean(f"line {number}: a row after a blank line")
            if not pending:
                first = number
        pending.extend(lines)
        if len(pending) >= STREAM_BATCH:
            yield first, pending, "\n".join(pending)
            first += len(pending)
            pending = []
    if pending:
        yield first, pending, "\n".join(pending)


def _plain_lines(path: Path, max_line: int) -> Iterator[tuple[int, list[str]]]:
    """``(number, lines)``: the lines of an uncompressed file a block at a time, from line
    ``number``; Unclean at a line longer than ``max_line`` bytes or one that is not UTF-8."""
    number = 1
    try:
        for block in _blocks(path, BLOCK, header=False, max_line=max_line):
            try:
                text = block.decode("utf-8")
            except UnicodeDecodeError:
                raise Unclean("not UTF-8") from None
            lines = text.split("\n")
            if text.endswith("\n"):
                lines.pop()
            if "\r" in text:
                lines = [line.rstrip("\r") for line in lines]
            yield number, lines
            number += len(lines)
    except OSError as exc:
        raise Unclean(f"cannot read: {exc}") from None


def _gzip_lines(path: Path, max_line: int, max_ratio: int, floor: int) -> Iterator[tuple[int, list[str]]]:
    """``(number, lines)`` of a gzipped file, read a line at a time as ``KgxReader.rows``
    reads it (:func:`~mechgraph.io.kgx_reader.raw_lines`)."""
    try:
        with open(path, "rb") as raw_file, gzip.GzipFile(fileobj=raw_file, mode="rb") as handle:
            lines: list[str] = []
            number = 0
            for number, raw in raw_lines(raw_file, handle, True, max_line, max_ratio, floor):
                try:
                    lines.append(raw.decode("utf-8").rstrip("\r\n"))
                except UnicodeDecodeError:
                    raise Unclean(f"line {number}: not UTF-8") from None
                if len(lines) == STREAM_BATCH:
                    yield number - len(lines) + 1, lines
                    lines = []
            if lines:
                yield number - len(lines) + 1, lines
    except StopReading as exc:
        raise Unclean(f"line {exc.line}: {exc.reason}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise Unclean(f"cannot read: {exc}") from None
