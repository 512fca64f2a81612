"""Records on disk, read on demand: a read-only mapping over a file of JSON chunks.

A cached graph of a million assertions holds millions of records (entities,
assertions, findings, sources). Decoding them all takes tens of seconds, while a
query reads a few dozen. The cache therefore writes each kind of record as chunks of
``CHUNK`` records (each record's plain data, :mod:`mechgraph.store.plain`, the chunk one JSON
array after a head of where each record's text ends in it, :data:`ENDS`), then the list of
their ids, then an id index (buckets of ``{id: position}`` by
CRC-32), and keeps the byte offset and a CRC-32 of each piece in a small
:class:`RecordIndex`. :class:`RecordMap` maps the file into memory, reads a chunk the
first time one of its records is asked for and parses and decodes that record's text alone
(found by the chunk's head; a pass over all of them parses each chunk whole), and one
bucket to find an id. A piece
whose checksum or shape is wrong is damage: the map takes its records from what its
``on_damage`` gives instead (the cache reads the graph afresh), or raises CacheDamaged.
Nothing read is ever executed: the pieces are JSON.

>>> import io, mmap, tempfile
>>> with tempfile.TemporaryFile() as handle:
...     index = write_records(handle, {"a": 1, "b": 2})
...     handle.flush()
...     records = RecordMap(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), index)
...     (records["b"], list(records), "c" in records, records.at(0))
(2, ['a', 'b'], False, 1)
"""

from __future__ import annotations

import io
import json
import mmap
import struct
import sys
import zlib
from array import array
from itertools import pairwise
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from dataclasses import dataclass
from typing import Any, BinaryIO

from ..errors import CacheDamaged

#: records written together: one chunk is what reading a record parses
CHUNK = 16
#: ids per bucket of the on-disk id index, on average
BUCKET = 32
#: chunks whose decoded records a map keeps at most (the oldest read are let go first): a
#: pass over a million records by lookups (an export) holds a few hundred thousand, not all
KEEP_CHUNKS = 16_384
#: what a position not decoded yet holds
_ABSENT = object()
#: a chunk's head: for each of its ``n`` records, where its text ends in the chunk's JSON
#: (the byte offset of the comma or closing bracket after it), ``n`` little-endian unsigned 32-bit numbers
ENDS = "<{}I"


@dataclass(frozen=True)
class RecordIndex:
    """Where one kind of record lies in a records file.

    ``chunks`` holds the byte offset of each chunk of records and then of the id list
    (a JSON array), which ends at ``ids_end``; ``buckets`` the offsets of the id index's
    buckets (each a JSON object ``{id: position}`` of the ids whose CRC-32 falls in it),
    with the end of the last one. ``sums`` holds the CRC-32 of each chunk, of the id
    list, then of each bucket.
    """

    count: int
    chunks: array
    ids_end: int
    buckets: array
    sums: array


#: one JSON encoder for every piece (``json.dumps`` with options builds one per call)
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump(value: Any) -> bytes:
    """The JSON bytes of plain data, as the records file holds it (lone surrogates kept)."""
    return _JSON.encode(value).encode("utf-8", "surrogatepass")


#: the JSON scanner json.loads runs (in C), called straight (what dump writes has no whitespace around it)
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # (set by its __init__)


def load(data: bytes) -> Any:
    """Plain data from :func:`dump`'s bytes; ValueError when they are not such JSON.

    The scanner reads the text from its first byte; only a text it does not read whole
    (whitespace around it, or not JSON) goes through ``json.loads``, which answers as ever."""
    try:
        text = data.decode("utf-8", "surrogatepass")
        try:
            value, end = _SCAN(text, 0)
        except StopIteration:
            end = -1
        return value if end == len(text) else json.loads(text)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None


def write_records(handle: BinaryIO, records: Mapping[str, Any] | Iterable,
                  encode: Callable[[Any], Any] | None = None) -> RecordIndex:
    """Append ``records`` to ``handle`` in chunks; return their index.

    ``records`` is a mapping of id to record (in order), or an iterable of records that
    will only be read by position (consumed a chunk at a time). ``encode`` turns a record
    into plain JSON data (default: it already is).
    """
    writer = RecordWriter(handle)
    add = writer.add
    for record in (records.values() if isinstance(records, Mapping) else records):
        add(encode(record) if encode else record)
    return writer.finish(list(records) if isinstance(records, Mapping) else [])


class RecordWriter:
    """Records appended to ``handle`` one by one, in the chunks :func:`write_records`
    writes (the same bytes): for records made one at a time, as a graph's first build
    streams them, with nothing but the pending chunk and the ids held. With ``encoded``,
    each record comes as its JSON text (what :func:`dump` gives for it, as text).

    >>> handle = io.BytesIO()
    >>> writer = RecordWriter(handle)
    >>> for value in (1, 2):
    ...     writer.add(value)
    >>> index = writer.finish(["a", "b"])
    >>> other = io.BytesIO()
    >>> _ = write_records(other, {"a": 1, "b": 2})
    >>> RecordMap(handle.getvalue(), index)["b"], handle.getvalue() == other.getvalue()
    (2, True)
    """

    def __init__(self, handle: BinaryIO, *, encoded: bool = False):
        self.handle = handle
        #: whether records come as their JSON text (:func:`dump`'s, as a str) rather than as plain data
        self.encoded = encoded
        #: where the next piece starts
        self.at = handle.tell()
        self.count = 0
        self.chunks, self.sums = array("q"), array("I")
        self.chunk: list = []
        self.pending: list[bytes] = []  # pieces written a megabyte at a time
        self.held = 0
        #: after :meth:`finish`: whether no id was given twice
        self.distinct = True

    def add(self, value: Any) -> None:
        """Append one record's plain data."""
        chunk = self.chunk
        chunk.append(value)
        if len(chunk) == CHUNK:
            self.chunks.append(self.at)
            self.chunk_piece(chunk, self.encoded)
            self.count += CHUNK
            self.chunk = []

    def add_chunks(self, chunks: list[bytes], heads: bytes) -> None:
        """Append whole chunks of :data:`CHUNK` records, each given as the JSON of the chunk,
        with their heads (:data:`ENDS`) one after the other in ``heads`` (what :meth:`add`
        would write for their records), with no record pending."""
        assert not self.chunk and len(heads) == 4 * CHUNK * len(chunks)
        step = 4 * CHUNK
        crc32, starts, sums, pending = zlib.crc32, self.chunks, self.sums, self.pending
        at = self.at
        for place, data in zip(range(0, len(heads), step), chunks, strict=True):  # put(), written out
            piece = heads[place:place + step]
            starts.append(at)
            sums.append(crc32(data, crc32(piece)))
            pending.append(piece)
            pending.append(data)
            at += step + len(data)
        self.held += at - self.at
        self.at = at
        self.count += CHUNK * len(chunks)
        if self.held >= 1 << 20:
            self.flush()

    def chunk_piece(self, values: list, encoded: bool = False) -> None:
        """Write one chunk: its head (:data:`ENDS`), then its JSON (a chunk of JSON texts is the
        JSON of the chunk: dump's separators are none but the commas)."""
        texts = [(text.encode("utf-8", "surrogatepass") if encoded else dump(text)) for text in values]
        self.put(head([len(text) for text in texts]) + b"[" + b",".join(texts) + b"]")

    def put(self, data: bytes, more: bytes = b"") -> None:
        """Append one piece: ``data``, then ``more`` (its checksum the whole piece's)."""
        self.sums.append(zlib.crc32(more, zlib.crc32(data)))
        self.pending.append(data)
        size = len(data)
        if more:
            self.pending.append(more)
            size += len(more)
        self.at += size
        self.held += size
        if self.held >= 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.handle.write(b"".join(self.pending))
        self.pending.clear()
        self.held = 0

    def finish(self, ids: list[str]) -> RecordIndex:
        """Write the last chunk, the ids (in record order; none for records read only by
        position) and their index; return where everything lies."""
        size = max(1, len(ids) // BUCKET) if ids else 0
        buckets: list[dict[str, int]] = [{} for _ in range(size)]
        crc32 = zlib.crc32
        for position, key in enumerate(ids):  # _bucket, written out
            buckets[crc32(key.encode("utf-8", "surrogatepass")) % size][key] = position
        return self.finish_pieces(dump(ids), (dump(bucket) for bucket in buckets),
                                  sum(map(len, buckets)) == len(ids))

    def finish_pieces(self, ids: bytes, buckets: Iterable[bytes], distinct: bool) -> RecordIndex:
        """:meth:`finish` with the bytes of the id list and of each bucket of the id index
        (as :meth:`finish` would write them) and whether no id was given twice."""
        self.last()
        self.chunks.append(self.at)
        self.put(ids)
        ids_end = self.at
        offsets = array("q")
        for bucket in buckets:
            offsets.append(self.at)
            self.put(bucket)
        offsets.append(self.at)
        self.flush()
        self.distinct = distinct
        return RecordIndex(self.count, self.chunks, ids_end, offsets, self.sums)

    def last(self) -> None:
        """Write the last chunk (fewer than :data:`CHUNK` records)."""
        if self.chunk:
            self.chunks.append(self.at)
            self.chunk_piece(self.chunk, self.encoded)
            self.count += len(self.chunk)
            self.chunk = []


def head(sizes: list[int]) -> bytes:
    """A chunk's head (:data:`ENDS`) for records whose texts are ``sizes`` bytes long."""
    ends, at = [], 0
    for size in sizes:
        at += size + 1
        ends.append(at)
    return struct.pack(ENDS.format(len(ends)), *ends)


def chunk_json(data: bytes, count: int) -> bytes:
    """The JSON of a chunk of ``count`` records (its bytes without the head)."""
    return data[4 * count:]


def moved(index: RecordIndex, by: int) -> RecordIndex:
    """The index of records written ``by`` bytes further into their file."""
    return RecordIndex(index.count, array("q", [at + by for at in index.chunks]), index.ids_end + by,
                       array("q", [at + by for at in index.buckets]), index.sums)


def _bucket(key: str, count: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


class RecordMap(Mapping):
    """A read-only mapping of ids to records, parsed chunk by chunk from ``buffer`` and
    decoded one by one.

    An id is looked up in the file's id index (one small bucket decoded), or in
    ``positions`` (id -> position) when the caller already holds them. Records come back
    in the order they were written; :meth:`at` reads one by position. ``decode`` turns
    a record's plain data into the record (raising ValueError on a wrong shape).

    A piece that fails its checksum or does not decode calls ``on_damage`` once, which
    returns the same records as another mapping (in the same order); the map then
    answers from it. Without ``on_damage``, damage raises CacheDamaged.
    """

    def __init__(self, buffer, index: RecordIndex, positions: Mapping[str, int] | None = None,
                 decode: Callable[[Any], Any] | None = None,
                 on_damage: Callable[[], Mapping[str, Any]] | None = None):
        self._buffer = buffer
        self._index = index
        self._chunks: dict[int, tuple[bytes, tuple[int, ...]]] = {}  # each chunk read: its JSON and head
        self._records: dict[int, list] = {}  # chunk number -> its records decoded so far (_ABSENT where not)
        self._undecoded: dict[int, int] = {}  # chunk number -> how many of its records are not decoded yet
        self._buckets: dict[int, dict[str, int]] = {}
        self._ids: list[str] | None = None
        self._positions = positions
        self._known: dict[str, int] = {}  # positions handed over by learn()
        self._decode = decode
        self._on_damage = on_damage
        self._instead: Mapping[str, Any] | None = None
        self._instead_at: Callable[[int], Any] | None = None

    # -- reading pieces ------------------------------------------------------------------
    def _bytes(self, number: int, start: int, end: int) -> bytes:
        data = bytes(self._buffer[start:end])
        if len(data) != end - start or zlib.crc32(data) != self._index.sums[number]:
            raise ValueError("checksum mismatch")
        return data

    def _piece(self, number: int, start: int, end: int) -> Any:
        return load(self._bytes(number, start, end))

    def _damaged(self, problem: str) -> Mapping[str, Any]:
        if self._instead is None:
            if self._on_damage is None:
                raise CacheDamaged(f"a cached records file is damaged ({problem})")
            self._instead = self._on_damage()
            self._instead_at = positional(self._instead)
            self._chunks.clear()
            self._records.clear()
            self._undecoded.clear()
            self._buckets.clear()
            self._known.clear()
        return self._instead

    def at(self, position: int) -> Any:
        """The record at ``position`` (0-based, in written order). Reading it reads its
        chunk (kept for its neighbours) and parses and decodes this record's text alone."""
        if self._instead_at is not None:
            return self._instead_at(position)
        number, offset = divmod(position, CHUNK)
        records = self._records.get(number)
        if records is not None:
            record = records[offset]
            if record is not _ABSENT:
                return record
        try:
            plain = load(self._text(number, offset))
            record = plain if self._decode is None else self._decode(plain)
        except ValueError as exc:
            self._damaged(str(exc))
            assert self._instead_at is not None  # set by _damaged
            return self._instead_at(position)
        if records is None:
            kept = self._records
            if len(kept) >= KEEP_CHUNKS:  # let the oldest chunk's records go: read again, they decode alike
                oldest = next(iter(kept))
                del kept[oldest]
                self._chunks.pop(oldest, None)
                self._undecoded.pop(oldest, None)
            records = kept[number] = [_ABSENT] * min(CHUNK, self._index.count - number * CHUNK)
        records[offset] = record
        left = self._undecoded[number] = self._undecoded[number] - 1
        if not left:  # every record of the chunk is decoded: its text is not needed again
            del self._chunks[number], self._undecoded[number]
        return record

    def text(self, position: int) -> bytes | None:
        """The JSON text of the record at ``position``, not decoded, or None when the
        records are read from elsewhere (damage). A test on it can spare decoding records
        that cannot match."""
        if self._instead_at is not None:
            return None
        try:
            return self._text(*divmod(position, CHUNK))
        except ValueError as exc:
            self._damaged(str(exc))
            return None

    def _text(self, number: int, offset: int) -> bytes:
        """The text of record ``offset`` of chunk ``number``: the chunk is read when needed,
        and kept while any of its records is not decoded (:meth:`at` drops it after the
        last). ValueError when damaged, IndexError beyond the records."""
        chunk = self._chunks.get(number)
        if chunk is None:
            if not 0 <= number * CHUNK + offset < self._index.count:
                raise IndexError(number * CHUNK + offset)
            chunk = self._chunk(number)
            records = self._records.get(number)
            undecoded = len(chunk[1]) if records is None else records.count(_ABSENT)
            if undecoded:
                if len(self._chunks) >= KEEP_CHUNKS:  # the oldest text kept goes (read again when needed)
                    oldest = next(iter(self._chunks))
                    del self._chunks[oldest], self._undecoded[oldest]
                self._chunks[number], self._undecoded[number] = chunk, undecoded
        text, ends = chunk
        return text[ends[offset - 1] + 1 if offset else 1:ends[offset]]

    def _chunk(self, number: int) -> tuple[bytes, tuple[int, ...]]:
        """The JSON of chunk ``number`` and where each record's text ends in it (its head),
        read and checked (ValueError when damaged)."""
        index = self._index
        size = min(CHUNK, index.count - number * CHUNK)
        try:
            start, end = index.chunks[number], index.chunks[number + 1]
            data = bytes(self._buffer[start:end])  # _bytes, written out (a first path reads 13 chunks)
            if len(data) != end - start or zlib.crc32(data) != index.sums[number]:
                raise ValueError("checksum mismatch")
            ends = struct.unpack_from(ENDS.format(size), data)
            text = data[4 * size:]
            # the head's ends are the commas between the records and the closing bracket, each
            # text at least one byte long (a plain loop: on a first read, cheaper than C loops
            # over map objects, whose code is not warm yet)
            if text[:1] != b"[" or ends[-1] != len(text) - 1 or text[-1:] != b"]":
                raise ValueError("a chunk whose head does not fit its records")
            last = 0
            for at in ends[:-1]:
                if at - last < 2 or text[at] != 44:  # b","
                    raise ValueError("a chunk whose head does not fit its records")
                last = at
            if ends[-1] - last < 2:
                raise ValueError("a chunk whose head does not fit its records")
        except (IndexError, struct.error) as exc:
            raise ValueError(str(exc)) from None
        return text, ends

    @property
    def ids(self) -> list[str]:
        """Every id, in written order."""
        if self._instead is not None:
            return list(self._instead)
        if self._ids is None:
            index = self._index
            try:
                ids = self._piece(len(index.chunks) - 1, index.chunks[-1], index.ids_end)
                if type(ids) is not list or (ids and len(ids) != index.count):
                    raise ValueError("an id list of the wrong size")
            except (ValueError, IndexError) as exc:
                return list(self._damaged(str(exc)))
            self._ids = ids
        return self._ids

    def position(self, key: str) -> int | None:
        """The position of the record ``key``, or None."""
        if self._positions is not None:
            return self._positions.get(key)
        if self._instead is not None:
            return self._instead_position(key)
        known = self._known.get(key)
        return known if known is not None else self._stored_position(key)

    def _stored_position(self, key: str) -> int | None:
        """The position of the record ``key`` in the id index (not one :meth:`learn` was told)."""
        offsets = self._index.buckets
        if not isinstance(key, str) or len(offsets) < 2:
            return None
        number = _bucket(key, len(offsets) - 1)
        bucket = self._buckets.get(number)
        if bucket is None:
            try:
                bucket = self._piece(len(self._index.chunks) + number, offsets[number], offsets[number + 1])
                if type(bucket) is not dict:
                    raise ValueError("a bucket that is not a mapping")
            except (ValueError, IndexError) as exc:
                self._damaged(str(exc))
                return self._instead_position(key)
            self._buckets[number] = bucket
        found = bucket.get(key)
        return found if type(found) is int else None

    def learn(self, keys: Iterable[str], positions: Iterable[int]) -> None:
        """Take the positions of records ``keys`` as known (from another record that holds
        them: an edge record its findings'), so that looking them up reads no bucket.
        Negative positions, and positions beyond the records, are left out; a record read
        through a position learned here must have the id it was learned for."""
        known, count = self._known, self._index.count
        for key, position in zip(keys, positions, strict=True):
            if 0 <= position < count:
                known[key] = position

    def _instead_position(self, key: str) -> int | None:
        assert self._instead is not None  # called only once the map answers from it
        if self._positions is None:
            self._positions = {k: i for i, k in enumerate(self._instead)}
        return self._positions.get(key)

    # -- the mapping -------------------------------------------------------------------------
    def __getitem__(self, key: str) -> Any:
        if self._instead is not None:
            return self._instead[key]
        found = self._lookup(key)
        if found is _ABSENT:
            raise KeyError(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        # Mapping.get, written out (no KeyError raised and caught for a missing id)
        if self._instead is not None:
            return self._instead.get(key, default)
        found = self._lookup(key)
        return default if found is _ABSENT else found

    def _lookup(self, key: str) -> Any:
        """The record ``key`` read from the file (a learned position first), or _ABSENT."""
        if not isinstance(key, str):
            return _ABSENT
        if self._positions is not None:
            position = self._positions.get(key)
        else:
            known = self._known.get(key)
            if known is not None:
                return self._learned(key, known)
            position = self._stored_position(key)
        return _ABSENT if position is None else self.at(position)

    def _learned(self, key: str, position: int) -> Any:
        """The record at a position :meth:`learn` was told for ``key``, if it is that record
        (a record with an id must have ``key`` as its id); otherwise the cache is damaged,
        and the record is read from where the map answers from then."""
        record = self.at(position)
        if getattr(record, "id", key) == key:
            return record
        return self._damaged(f"the record at {position} is not {key!r}")[key]

    def forget(self) -> None:
        """Let go of every record, text and id bucket decoded so far, and of the positions
        :meth:`learn` was told: read again, they decode alike, and an id not learned is found
        in the id index (a long pass by lookups calls it now and then, to stay small)."""
        self._records.clear()
        self._chunks.clear()
        self._undecoded.clear()
        self._buckets.clear()
        self._known.clear()

    def __contains__(self, key: object) -> bool:
        if self._instead is not None:
            return key in self._instead
        return isinstance(key, str) and self.position(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return self._index.count

    def values(self) -> ValuesView:
        return _Values(self)

    def stream(self) -> Iterator[Any]:
        """Every record in written order, for one pass over all of them: each chunk is
        parsed whole when reached and not kept (the records a lookup had decoded stay)."""
        decode = self._decode
        for number in range(-(-len(self) // CHUNK)):
            start, end = number * CHUNK, min((number + 1) * CHUNK, len(self))
            if self._instead is None:
                records = self._records.get(number)
                try:
                    chunk = self._chunks.get(number) or self._chunk(number)
                    plain = load(chunk[0])
                    if type(plain) is not list or len(plain) != end - start:
                        raise ValueError("a chunk of the wrong size")
                    if records is None:
                        decoded = plain if decode is None else list(map(decode, plain))
                    else:
                        decoded = [record if record is not _ABSENT else value if decode is None else decode(value)
                                   for record, value in zip(records, plain, strict=True)]
                except ValueError as exc:
                    self._damaged(str(exc))
                else:
                    yield from decoded
                    continue
            assert self._instead_at is not None  # set by _damaged
            for position in range(start, end):
                yield self._instead_at(position)

    def items(self) -> ItemsView:
        return _Items(self)

    def __reduce__(self):
        # a copy of the model is a model of plain dictionaries: the file may be gone by then
        return dict, (list(self.items()),)

    def __repr__(self) -> str:
        return f"<RecordMap of {len(self)} records>"


def positional(records: Mapping[str, Any]) -> Callable[[int], Any]:
    """A function from position to record: :meth:`RecordMap.at`, or a list's for a dict."""
    return records.at if isinstance(records, RecordMap) else list(records.values()).__getitem__


def release_pages(records: Mapping[str, Any]) -> None:
    """Give back the pages of a cached records file read so far (they are read again from
    the file when needed): what a pass over the whole file leaves in memory otherwise.
    Records already decoded stay; a dict of records has no pages."""
    buffer = getattr(records, "_buffer", None)
    if isinstance(buffer, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED") and len(buffer):
        buffer.madvise(mmap.MADV_DONTNEED)


def let_go(*kinds: Mapping[str, Any]) -> None:
    """Give back what reading cached records has kept: the file's pages and the records,
    texts and id buckets decoded (:meth:`RecordMap.forget`). Dicts of records keep theirs."""
    for records in kinds:
        if isinstance(records, RecordMap):
            records.forget()
        release_pages(records)


#: items of a pass by lookups between two let_go() calls of :func:`passing`
LET_GO_EVERY = 65_536


def passing(items: Iterable[Any], *kinds: Mapping[str, Any], every: int | None = None) -> Iterator[Any]:
    """``items``, letting go (:func:`let_go`) of what the record maps ``kinds`` decoded
    after every ``every`` items (LET_GO_EVERY): a pass by lookups over a big cached graph
    stays small."""
    every = every or LET_GO_EVERY
    for number, item in enumerate(items, 1):
        yield item
        if number % every == 0:
            let_go(*kinds)


def in_id_order(records: Mapping[str, Any]) -> Iterator[Any]:
    """The records of one kind sorted by id (as ``sorted(records.values(), key=id)``)."""
    for _, record in positions_in_id_order(records):
        yield record


def positions_in_id_order(records: Mapping[str, Any], *also: Any) -> Iterator[tuple[int, Any]]:
    """``(position, record)`` of each record of one kind (its place in ``records.values()``),
    sorted by id. A :class:`RecordMap` is read a record at a time, in one pass when its ids
    were written in order, else by position; what reading it and the record maps ``also``
    keep (the file's pages, the records decoded) is let go as the pass goes (:func:`passing`)
    and at its end, so a pass over a big graph stays small. A dict's records are sorted whole."""
    if not isinstance(records, RecordMap):
        yield from sorted(enumerate(records.values()), key=lambda pair: pair[1].id)
        return
    ids, kept = records.ids, (records, *(m for m in also if m is not None))
    if all(a < b for a, b in pairwise(ids)):
        pairs: Iterator[tuple[int, Any]] = enumerate(records.stream())
    else:
        pairs = ((position, records.at(position)) for position in sorted(range(len(ids)), key=ids.__getitem__))
    yield from passing(pairs, *kept)
    let_go(*kept)


def one_pass(records: Mapping[str, Any]) -> Iterator[Any]:
    """Every record in order, for one pass over all of them (:meth:`RecordMap.stream`,
    which keeps none decoded, or a dict's values)."""
    return records.stream() if isinstance(records, RecordMap) else iter(records.values())


class _Values(ValuesView):
    _mapping: RecordMap  # set by ValuesView.__init__

    def __iter__(self):
        records = self._mapping
        return (records.at(i) for i in range(len(records)))


class _Items(ItemsView):
    _mapping: RecordMap  # set by ItemsView.__init__

    def __iter__(self):
        records = self._mapping
        return ((key, records.at(i)) for i, key in enumerate(records.ids))


# -- a file of named flat arrays ---------------------------------------------------------------

#: the first bytes of a :func:`pack` file, with its layout version
PACK_MAGIC = b"mechgraph-pack-1\n"
_LENGTH = struct.Struct("<Q")


def pack(meta: Any, blobs: Mapping[str, array | bytes]) -> bytes:
    """Plain data and named flat arrays (or bytes) as one checksummed byte string.

    The layout: :data:`PACK_MAGIC`, the length of a JSON header, the header (``meta``,
    the byte order, and each blob's name, type code, item size, offset and length), the
    blobs, and a CRC-32 of everything before it. :func:`unpack` reads it back.

    >>> meta, blobs = unpack(pack({"n": 2}, {"a": array("i", [1, 2]), "b": b"xy"}))
    >>> meta, list(blobs["a"]), bytes(blobs["b"])
    ({'n': 2}, [1, 2], b'xy')
    """
    listed, parts, offset = [], [], 0
    for name, blob in blobs.items():
        data = blob.tobytes() if isinstance(blob, array) else bytes(blob)
        code, size = (blob.typecode, blob.itemsize) if isinstance(blob, array) else ("", 1)
        listed.append([name, code, size, offset, len(data)])
        pad = -len(data) % 8
        parts.append(data + b"\0" * pad)
        offset += len(data) + pad
    header = dump({"meta": meta, "byteorder": sys.byteorder, "blobs": listed})
    body = b"".join([PACK_MAGIC, _LENGTH.pack(len(header)), header, *parts])
    return body + struct.pack("<I", zlib.crc32(body))


def unpack(data: bytes | memoryview | BinaryIO, size: int | None = None) -> tuple[Any, dict[str, array | bytes]]:
    """The ``(meta, blobs)`` of :func:`pack`'s bytes (or of a binary file holding them,
    ``size`` bytes long): arrays as arrays, the rest as bytes. A file is read blob by
    blob straight into the arrays, so reading costs no second copy.

    Raises ValueError when the bytes are not such a pack, fail the checksum, or were
    written on a machine with another byte order or item sizes.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        size, data = len(data), io.BytesIO(data)
    handle = data
    start = len(PACK_MAGIC) + _LENGTH.size
    head = handle.read(start)
    if size is None or size < start + 4 or len(head) != start or head[:len(PACK_MAGIC)] != PACK_MAGIC:
        raise ValueError("not a mechgraph pack")
    (length,) = _LENGTH.unpack(head[len(PACK_MAGIC):])
    if length > size - start - 4:
        raise ValueError("a pack header longer than the file")
    text = handle.read(length)
    crc = zlib.crc32(text, zlib.crc32(head))
    header = load(text)
    if not isinstance(header, dict) or header.get("byteorder") != sys.byteorder:
        raise ValueError("written on a machine of another byte order")
    body = size - start - length - 4
    blobs: dict[str, array | bytes] = {}
    at = 0
    try:
        for name, code, itemsize, offset, count in header["blobs"]:
            if offset != at or not 0 <= count <= body - offset or itemsize < 1 or count % itemsize:
                raise ValueError(f"blob {name!r} lies outside the pack")
            if code:
                values = array(code)
                if values.itemsize != itemsize:
                    raise ValueError(f"blob {name!r}: items of {itemsize} bytes, here {values.itemsize}")
                values.fromfile(handle, count // itemsize)
                crc = zlib.crc32(memoryview(values).cast("B"), crc)
                blobs[name] = values
            else:
                data = handle.read(count)
                crc = zlib.crc32(data, crc)
                blobs[name] = data
            pad = handle.read(-count % 8)
            crc = zlib.crc32(pad, crc)
            at = offset + count + len(pad)
    except (TypeError, KeyError) as exc:
        raise ValueError(f"a malformed pack header ({exc})") from None
    except EOFError:
        raise ValueError("a pack cut short") from None
    rest = handle.read(body - at + 4)
    if len(rest) < 4:
        raise ValueError("a pack cut short")
    crc = zlib.crc32(rest[:-4], crc)
    if crc != struct.unpack("<I", rest[-4:])[0] or handle.read(1):
        raise ValueError("checksum mismatch")
    return header["meta"], blobs
