"""Records on disk, read on demand: a read-only mapping over a file of pickled chunks.

A cached graph of a million assertions holds millions of records (entities,
assertions, findings, sources). Unpickling them all takes tens of seconds, while a
query reads a few dozen. The cache therefore writes each kind of record as chunks of
``CHUNK`` records pickled together, then the list of their ids, then an id index
(buckets of ids by CRC-32), and keeps the byte offsets in a small :class:`RecordIndex`.
:class:`RecordMap` maps the file into memory and unpickles a chunk the first time one
of its records is asked for, and one bucket to find an id.

>>> import io, mmap, tempfile
>>> with tempfile.TemporaryFile() as handle:
...     index = write_records(handle, {"a": 1, "b": 2})
...     handle.flush()
...     records = RecordMap(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), index)
...     (records["b"], list(records), "c" in records, records.at(0))
(2, ['a', 'b'], False, 1)
"""

from __future__ import annotations

import pickle
import zlib
from array import array
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from itertools import islice
from dataclasses import dataclass
from typing import Any, BinaryIO

#: records pickled together: one chunk is what reading a record unpickles
CHUNK = 16
#: ids per bucket of the on-disk id index, on average
BUCKET = 32


@dataclass(frozen=True)
class RecordIndex:
    """Where one kind of record lies in a records file.

    ``chunks`` holds the byte offset of each chunk of records and then of the pickled
    id list, which ends at ``ids_end``; ``buckets`` the offsets of the id index's
    buckets (each a pickled ``{id: position}`` of the ids whose CRC-32 falls in it),
    with the end of the last one.
    """

    count: int
    chunks: array
    ids_end: int
    buckets: array


def write_records(handle: BinaryIO, records: Mapping[str, Any] | Iterable) -> RecordIndex:
    """Append ``records`` to ``handle`` in chunks; return their index.

    ``records`` is a mapping of id to record (in order), or an iterable of records that
    will only be read by position (consumed a chunk at a time).
    """
    values = iter(records.values() if isinstance(records, Mapping) else records)
    chunks = array("q")
    count = 0
    while chunk := list(islice(values, CHUNK)):
        chunks.append(handle.tell())
        handle.write(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
        count += len(chunk)
    chunks.append(handle.tell())
    ids = list(records) if isinstance(records, Mapping) else []
    handle.write(pickle.dumps(ids, protocol=pickle.HIGHEST_PROTOCOL))
    ids_end = handle.tell()
    size = max(1, len(ids) // BUCKET) if ids else 0
    buckets: list[dict[str, int]] = [{} for _ in range(size)]
    for position, key in enumerate(ids):
        buckets[_bucket(key, size)][key] = position
    offsets = array("q")
    for bucket in buckets:
        offsets.append(handle.tell())
        handle.write(pickle.dumps(bucket, protocol=pickle.HIGHEST_PROTOCOL))
    offsets.append(handle.tell())
    return RecordIndex(count, chunks, ids_end, offsets)


def _bucket(key: str, count: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


class RecordMap(Mapping):
    """A read-only mapping of ids to records, unpickled chunk by chunk from ``buffer``.

    An id is looked up in the file's id index (one small bucket unpickled), or in
    ``positions`` (id -> position) when the caller already holds them. Records come back
    in the order they were written; :meth:`at` reads one by position.
    """

    def __init__(self, buffer, index: RecordIndex, positions: Mapping[str, int] | None = None):
        self._buffer = buffer
        self._index = index
        self._chunks: dict[int, list] = {}
        self._buckets: dict[int, dict[str, int]] = {}
        self._ids: list[str] | None = None
        self._positions = positions

    def at(self, position: int) -> Any:
        """The record at ``position`` (0-based, in written order)."""
        number, offset = divmod(position, CHUNK)
        chunk = self._chunks.get(number)
        if chunk is None:
            if not 0 <= position < self._index.count:
                raise IndexError(position)
            chunks = self._index.chunks
            chunk = self._chunks[number] = pickle.loads(self._buffer[chunks[number]:chunks[number + 1]])
        return chunk[offset]

    @property
    def ids(self) -> list[str]:
        """Every id, in written order."""
        if self._ids is None:
            self._ids = pickle.loads(self._buffer[self._index.chunks[-1]:self._index.ids_end])
        return self._ids

    def position(self, key: str) -> int | None:
        """The position of the record ``key``, or None."""
        if self._positions is not None:
            return self._positions.get(key)
        offsets = self._index.buckets
        if not isinstance(key, str) or len(offsets) < 2:
            return None
        number = _bucket(key, len(offsets) - 1)
        bucket = self._buckets.get(number)
        if bucket is None:
            bucket = self._buckets[number] = pickle.loads(self._buffer[offsets[number]:offsets[number + 1]])
        return bucket.get(key)

    def __getitem__(self, key: str) -> Any:
        position = self.position(key) if isinstance(key, str) else None
        if position is None:
            raise KeyError(key)
        return self.at(position)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.position(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return self._index.count

    def values(self) -> ValuesView:
        return _Values(self)

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


class _Values(ValuesView):
    def __iter__(self):
        records = self._mapping
        return (records.at(i) for i in range(len(records)))


class _Items(ItemsView):
    def __iter__(self):
        records = self._mapping
        return ((key, records.at(i)) for i, key in enumerate(records.ids))
