"""A per-process and on-disk cache of validated models, keyed by the graph files' contents.

Reading and validating YAML (or parsing a large KGX graph) is the slow part of starting
a command. The on-disk cache, under the user's cache directory, holds two files per
graph: the records (entities, assertions, findings, sources) as JSON chunks that are
read on demand (:mod:`mechgraph.store.recordfile`, :mod:`mechgraph.store.plain`), and an index holding
the graph's :class:`~mechgraph.store.topology.Topology` as flat arrays and where each kind of
record lies (:func:`mechgraph.store.recordfile.pack`). A cached start reads the index and maps
the records file into memory: a few hundred milliseconds even for a million assertions,
and a query decodes only the records it shows. The networkx graph is built from the
model when a command needs it (render, query, export).

The cache can neither lie nor run code:

- The key is a BLAKE2 hash of every input file's bytes (read in blocks), of the reading
  code's own files, the package version and the graph's path. To keep a cached start
  fast, the digest of each of these files is remembered beside its
  ``stat`` (device, inode, size, modification and change times, in nanoseconds) and
  used again only while all of them are unchanged and the file was last changed more
  than ``RACY_SECONDS`` before it was hashed (``RACY_FINE_SECONDS`` where file times
  have fractions of a second), so that an edit in the same tick of a coarse clock is
  never missed; anything else hashes the bytes again.
- Nothing read back is pickled: the records are JSON, the index is flat arrays and
  JSON, each with CRC-32 checksums; a file that fails them (or was cut short) is
  read afresh, with one warning line on stderr, and rewritten.
- Files are written to a temporary name, synced to the disk and renamed into place
  (:mod:`mechgraph.atomic`). The cache directory is created private (0700); a cache
  directory or file that is not the user's own, or that others may write, is never
  read: a warning says so, and the cache moves to ``mechgraph-UID`` beside it (or, if
  that is no better, the graph is not cached).

Which files a graph is made of, and which reader reads them, is
:mod:`mechgraph.store.opening`.
"""

from __future__ import annotations

import mmap
import os
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from . import plain
from .. import collector
from ..errors import CacheDamaged, CurationError, InvalidGraph, MechgraphError
from ..model.core import Assertion, Entity, Finding, Model, Source
from ..model.names import NameTable, name_keys
from .recordfile import RecordMap, dump, load, pack, unpack, write_records
from .opening import graph_input, read_model, yaml_files
from .topology import Topology, edge_records

try:  # BLAKE2 without loading OpenSSL, which hashlib does first (milliseconds of every start)
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b

_MEMORY: dict[str, tuple] = {}
_FORMAT = "10"
#: the modules whose code decides what the model and graph read from each kind of input hold
_READERS = {"yaml": ("model/core.py", "curation/yaml_reader.py", "curation/schema.py", "model/constants.py",
                     "model/xrefs.py", "curation/identifiers.py",
                     "store/build.py", "reasoning/evidence.py", "store/recordfile.py", "model/names.py",
                     "store/topology.py", "model/relations.py", "store/plain.py", "store/cache.py", "store/opening.py"),
            "kgx": ("model/core.py", "model/constants.py", "io/kgx.py", "io/kgx_reader.py", "io/kgx_columnar.py",
                    "store/kgx_stream.py", "store/kgx_batches.py", "store/kgx_nodes.py",
                    "io/biolink.py", "model/xrefs.py",
                    "store/build.py", "reasoning/evidence.py", "store/recordfile.py", "store/topology.py",
                    "model/names.py", "model/relations.py", "store/plain.py", "store/cache.py", "store/opening.py")}
#: a file changed this recently before it was hashed is hashed again next time: a clock of whole
#: seconds (times with no fraction of a second) could hide a second change in the same second
RACY_SECONDS = 2
#: the same for file times with fractions of a second (kernel clocks tick every few milliseconds)
RACY_FINE_SECONDS = 0.1
#: the most files whose digests are remembered
MEMO_ENTRIES = 256
_RECORDS_MAGIC = b"mechgraph-records-1\n"
_KINDS = ("entities", "assertions", "findings", "sources")
_CLASSES = {"entities": Entity, "assertions": Assertion, "findings": Finding, "sources": Source}
_WARNED: set[str] = set()


def warn(message: str) -> None:
    """One ``warning:`` line on stderr, once per process for each message."""
    if message not in _WARNED:
        _WARNED.add(message)
        print(f"warning: {message}", file=sys.stderr, flush=True)


# -- where the cache lives -----------------------------------------------------------------------

def _cache_dir() -> Path | None:
    if os.environ.get("MECHGRAPH_NO_CACHE"):
        return None
    base = os.environ.get("MECHGRAPH_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mechgraph"


def _uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _untrusted(info: os.stat_result, kind: str = "file") -> str | None:
    """Why a cache file (or directory) must not be trusted, or None."""
    wanted = stat.S_ISDIR if kind == "directory" else stat.S_ISREG
    if not wanted(info.st_mode):
        return f"not a {'directory' if kind == 'directory' else 'regular file'}"
    uid = _uid()
    if uid is not None and info.st_uid != uid:
        return f"owned by another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return "writable by others"
    return None


def cache_folder() -> Path | None:
    """The private directory the cache uses (created 0700), or None when there is none:
    caching is off (MECHGRAPH_NO_CACHE), the directory cannot be made, or neither it nor
    the fallback ``mechgraph-UID`` beside it is the user's own and closed to others."""
    base = _cache_dir()
    if base is None:
        return None
    uid = _uid()
    candidates = [base] + ([base.with_name(f"mechgraph-{uid}")] if uid is not None else [])
    refused: list[tuple[Path, str]] = []
    for folder in candidates:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                pass
            info = os.lstat(folder)
        except OSError:  # an unwritable cache only costs the next start its speed
            return None
        problem = _untrusted(info, "directory")
        if problem is None:
            if info.st_mode & 0o077:
                try:
                    os.chmod(folder, 0o700)
                except OSError:
                    pass
            if refused:
                warn(f"cache directory {refused[0][0]} is {refused[0][1]}; caching in {folder} instead")
            return folder
        refused.append((folder, problem))
    warn(f"cache directory {refused[0][0]} is {refused[0][1]}, and so is {refused[-1][0]}; "
         f"not caching (set MECHGRAPH_CACHE_DIR to a private directory)")
    return None


def _open_trusted(path: Path) -> tuple[int, os.stat_result] | None:
    """An open descriptor of a cache file and its stat, or None when it is missing or
    must not be read (warned)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        warn(f"cannot read cache file {path} ({exc.strerror}); reading the graph afresh")
        return None
    info = os.fstat(fd)
    problem = _untrusted(info)
    if problem is not None:
        os.close(fd)
        warn(f"cache file {path} is {problem}; not reading it")
        return None
    return fd, info


def _key(kind: str, files: list[Path], folder: Path | None) -> str:
    from ..curation.identifiers import signature
    from ..version import __version__
    # the identifier checkers installed: a graph read without one is read again once it is there
    digest = blake2b(f"{_FORMAT}:{__version__}:{kind}:{signature()}\n".encode(), digest_size=16)
    here = Path(__file__).parent.parent
    memo = _Memo(folder)
    for module in _READERS[kind]:
        digest.update(f"{module}:{memo.digest(here / module)}\n".encode())
    try:
        if kind == "kgx":
            listed = [(str(p.resolve()), p) for p in files]
        else:
            directory = files[0]
            if not directory.is_dir():
                raise InvalidGraph([CurationError(str(directory), None, "not a graph directory")])
            digest.update(f"{directory.resolve()}\n".encode("utf-8", "surrogateescape"))
            listed = [(str(p.relative_to(directory)), p) for p in yaml_files(directory)]
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Path.resolve)
        raise InvalidGraph([CurationError(str(files[0]), None, f"cannot read: {exc}")]) from None
    for name, path in listed:
        try:
            hashed = memo.digest(path)
        except OSError as exc:
            raise InvalidGraph([CurationError(name, None, f"cannot read: {exc.strerror or exc}")]) from None
        digest.update(f"{name}\0{hashed}\n".encode("utf-8", "surrogateescape"))
    memo.save()
    return digest.hexdigest()


def _hash_file(path: Path, fd: int | None = None) -> str:
    digest = blake2b(digest_size=16)
    with (open(fd, "rb", closefd=False) if fd is not None else open(path, "rb")) as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _stamp(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _racy_ns(info: os.stat_result) -> int:
    coarse = info.st_mtime_ns % 10**9 == 0 and info.st_ctime_ns % 10**9 == 0
    return int((RACY_SECONDS if coarse else min(RACY_FINE_SECONDS, RACY_SECONDS)) * 10**9)


class _Memo:
    """Digests of files, remembered beside their stat in ``digests.json`` of the cache
    folder (see the module docstring for when one is used again)."""

    def __init__(self, folder: Path | None):
        self.path = folder / "digests.json" if folder else None
        self.entries: dict[str, list] = {}
        self.changed = False
        if self.path is None:
            return
        opened = _open_trusted(self.path)
        if opened is None:
            return
        fd, info = opened
        try:
            with open(fd, "rb") as handle:
                data = load(handle.read(1 << 22))
            if isinstance(data, dict):
                self.entries = {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 7}
        except (OSError, ValueError):
            pass

    def digest(self, path: Path) -> str:
        if self.path is None:
            return _hash_file(path)
        name = os.fsdecode(os.path.abspath(path))
        known = self.entries.get(name)
        if known is not None and isinstance(known[6], str):
            info = os.stat(path)  # a stat, not an open: most starts hash nothing
            if known[:5] == _stamp(info) and max(info.st_mtime_ns, info.st_ctime_ns) + _racy_ns(info) < known[5]:
                return known[6]
        with open(path, "rb") as handle:  # what is remembered is the stat of the bytes hashed
            stamp = _stamp(os.fstat(handle.fileno()))
            checked = time.time_ns()
            hashed = _hash_file(path, handle.fileno())
        self.entries[name] = stamp + [checked, hashed]
        self.changed = True
        return hashed

    def save(self) -> None:
        if not self.changed or self.path is None:
            return
        kept = dict(sorted(self.entries.items(), key=lambda item: -item[1][5])[:MEMO_ENTRIES])
        try:
            from ..atomic import atomic_path  # writing only: reading commands do without tempfile and shutil
            with atomic_path(self.path, mode=0o600) as tmp:
                tmp.write_bytes(dump(kept))
        except (OSError, MechgraphError):
            pass


# -- the cache -----------------------------------------------------------------------------------------

def cached_model(path: Path) -> Model:
    """The validated model of a graph (see the module docstring), from cache when its files
    are unchanged. Raises InvalidGraph listing every problem."""
    return cached_graph(path)[0]


def cached_graph(path: Path) -> tuple[Model, Topology]:
    """The validated model of a graph and its topology, from cache when the graph's files
    are unchanged.

    From cache, the model's records are read on demand
    (:class:`~mechgraph.store.recordfile.RecordMap`).

    Parameters
    ----------
    path : Path
        A YAML graph directory or KGX files.

    Returns
    -------
    tuple of (Model, Topology)
        The records and the :class:`~mechgraph.store.topology.Topology`.

    Raises
    ------
    InvalidGraph
        When the graph has curation errors.

    Examples
    --------
    >>> from pathlib import Path
    >>> from mechgraph.store import cached_graph
    >>> model, topology = cached_graph(Path("tests/data/example-graph"))
    >>> len(model.entities), topology.nodes[topology.index["drug-x"]]
    (7, 'drug-x')
    """
    kind, files = graph_input(path)
    folder = cache_folder()
    key = _key(kind, files, folder)
    if key in _MEMORY:
        return _MEMORY[key]
    cached = _Cached(path, kind, files, folder, key)
    found = cached.load() if folder else None
    if found is None:
        found = cached.build()
    _MEMORY[key] = found
    return found


#: graphs read with more assertions than this are moved out of the garbage collector's sight
#: (read without a cache: frozen) or to its oldest generation (read from the cache: :func:`mechgraph.collector.promote`)
FREEZE_ABOVE = 50_000


def _edge_from_plain(data) -> tuple:
    shared = plain.shared
    try:
        identifier, predicate, species, supporting, refuting, context, places = data
        if len(places) != len(supporting) + len(refuting) or any(type(p) is not int for p in places):
            raise ValueError("finding positions that do not fit the findings")
        return (identifier, shared(predicate), [shared(s) for s in species], tuple(supporting), tuple(refuting),
                {shared(k): shared(tuple(map(shared, v))) for k, v in context.items()}, places)
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not an edge record: {exc}") from None


def _names_from_plain(data) -> tuple:
    if type(data) is not list:
        raise ValueError("not a list of entity ids")
    return tuple(data)


class _Cached:
    """One graph's two cache files: reading them, and writing them after reading the graph."""

    def __init__(self, path: Path, kind: str, files: list[Path], folder: Path | None, key: str, *,
                 heal: bool = True):
        self.path, self.kind, self.files, self.folder, self.key = path, kind, files, folder, key
        self.index_file = folder / f"{key}.index" if folder else None
        self.records_file = folder / f"{key}.records" if folder else None
        #: whether damage found while the records are in use reads the graph afresh (once)
        self.heal = heal
        #: the record maps of the model :meth:`load` gave
        self.maps: dict | None = None
        #: the records read afresh after damage, by kind
        self.replacement: dict | None = None

    def read(self) -> Model:
        return read_model(self.kind, self.path, self.files)

    def build(self) -> tuple[Model, Topology]:
        """Read the graph's files, store the cache, and return the graph as read back from
        it (so that a first start and later ones behave alike and the records read leave memory)."""
        found = None
        with collector.paused() as pause:
            if self.kind == "kgx":
                found = self.stream()
                if found is not None:
                    return found
            model = self.read()
            topology = Topology.from_model(model)
            if self.folder is not None:
                found = self.store(model, topology)
            if found is None:
                found = (model, topology)
                pause.freeze = len(model.assertions) >= FREEZE_ABOVE
            del model, topology
        return found

    def store(self, model: Model, topology: Topology) -> tuple[Model, Topology] | None:
        """Write the records file, then the index that makes it valid (each replaced
        atomically); return the graph as read back from them, or None when they cannot be written."""
        def records(handle) -> tuple[dict, Topology, Mapping, str]:
            indexes = {kind: write_records(handle, getattr(model, kind), plain.encoder(_CLASSES[kind]))
                       for kind in _KINDS}
            indexes["edges"] = write_records(handle, edge_records(model))
            return indexes, topology, model.entities, model.root
        return self.write(records)

    def stream(self) -> tuple[Model, Topology] | None:
        """Write a KGX graph's cache files straight from its edges file's columns
        (:func:`mechgraph.store.kgx_stream.stream_kgx`: no model of the whole graph is held);
        return the graph as read back from them, or None when the graph is left to the
        model (:meth:`read`; an error, or no columnar reader) or the files cannot be written."""
        from .kgx_stream import NotStreamed, stream_kgx
        if self.folder is None:
            return None

        def records(handle) -> tuple[dict, Topology, object, str]:  # the entities as columns (kgx_nodes.Nodes)
            nodes, edges = self.files
            return stream_kgx(nodes, edges, handle, self.folder)
        try:
            return self.write(records)
        except NotStreamed:
            return None

    def write(self, records) -> tuple[Model, Topology] | None:
        """Write the records file, ``records(handle)`` giving the index of each kind of record
        written, the topology, the entities and the model's root; then the index that makes
        it valid (each file replaced atomically). Return the graph as read back from them, or
        None when they cannot be written."""
        from ..atomic import atomic_path
        if self.records_file is None or self.index_file is None:  # no cache folder
            return None
        try:
            blobs: dict = {}
            with atomic_path(self.records_file, mode=0o600) as temporary, temporary.open("wb") as handle:
                handle.write(_RECORDS_MAGIC + self.key.encode() + b"\n")
                indexes, topology, entities, root = records(handle)
                meta: dict = {"key": self.key, "format": _FORMAT, "root": root}
                if hasattr(entities, "write_names"):  # the streamed build's columns (kgx_nodes.Nodes)
                    indexes["names"], table = entities.write_names(handle)
                else:
                    keys = name_keys(entities)
                    indexes["names"] = write_records(handle, keys)
                    table = NameTable.from_entities(entities, keys)
                start = handle.tell()  # the names as one text for search, read only by search
                handle.write(pack({}, table.to_parts()))
                meta["name_table"] = [start, handle.tell() - start]
                meta["size"] = handle.tell()
            for kind, index in indexes.items():
                meta[kind] = [index.count, index.ids_end]
                blobs.update({f"{kind}.chunks": index.chunks, f"{kind}.buckets": index.buckets,
                              f"{kind}.sums": index.sums})
            shape, arrays = topology.to_parts()
            meta["topology"] = shape
            blobs.update({f"topology.{name}": value for name, value in arrays.items()})
            with atomic_path(self.index_file, mode=0o600) as temporary:
                temporary.write_bytes(pack(meta, blobs))
        except (OSError, MechgraphError):  # an unwritable cache only costs the next start its speed
            return None
        return self.load()

    def load(self) -> tuple[Model, Topology] | None:
        """The cached model (records read on demand) and topology, or None when they are
        missing, damaged (warned) or not to be trusted (warned)."""
        if self.index_file is None or self.records_file is None:  # no cache folder
            return None
        opened = _open_trusted(self.index_file)
        if opened is None:
            return None
        fd, index_info = opened
        try:
            with open(fd, "rb") as handle:
                meta, blobs = unpack(handle, index_info.st_size)
        except (ValueError, OSError) as exc:
            warn(f"cache file {self.index_file} is damaged ({exc}); reading the graph afresh")
            self.remove()
            return None
        opened = _open_trusted(self.records_file)
        if opened is None:
            return None
        fd, info = opened
        try:
            if meta.get("key") != self.key or meta.get("format") != _FORMAT:
                raise ValueError("written for another graph")
            if info.st_size != meta["size"]:
                raise ValueError(f"{self.records_file.name} has {info.st_size} bytes, not {meta['size']}")
            with open(fd, "rb", closefd=False) as handle:
                if handle.read(len(_RECORDS_MAGIC) + len(self.key) + 1) != _RECORDS_MAGIC + self.key.encode() + b"\n":
                    raise ValueError(f"{self.records_file.name} belongs to another graph")
            buffer = mmap.mmap(fd, 0, access=mmap.ACCESS_READ) if info.st_size else b""
            topology = Topology.from_parts(meta["topology"], {name[len("topology."):]: value
                                                              for name, value in blobs.items()
                                                              if name.startswith("topology.")})
            maps = {kind: self.records(kind, buffer, meta, blobs, topology) for kind in (*_KINDS, "edges", "names")}
            start, length = meta["name_table"]
            if not (isinstance(start, int) and isinstance(length, int) and 0 <= start <= start + length <= info.st_size):
                raise ValueError("the name table lies outside the records file")
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            warn(f"cache file {self.index_file} is damaged ({exc}); reading the graph afresh")
            self.remove()
            return None
        finally:
            os.close(fd)
        self.maps = maps
        model = Model(**{kind: maps[kind] for kind in _KINDS}, root=meta["root"])
        topology.name_keys = maps["names"]
        topology.stored_at = (self.folder, self.key)  # where more files of this graph may be kept beside it
        topology.name_table = lambda: self.name_table(buffer, start, length)
        if len(topology) >= FREEZE_ABOVE:
            collector.promote()
        return model, topology.bind_records(maps["edges"], maps["findings"])

    def name_table(self, buffer, start: int, length: int) -> NameTable:
        """The name table of the records file (:class:`~mechgraph.model.names.NameTable`),
        read when a search first needs it; when damaged, made from the records read afresh."""
        try:
            return NameTable.from_parts(unpack(memoryview(buffer)[start:start + length])[1])
        except ValueError as exc:
            if not self.heal:
                raise CacheDamaged(f"cache file {self.records_file} is damaged ({exc})") from None
            return NameTable.from_entities(self.damaged("entities"), self.damaged("names"))

    def records(self, kind: str, buffer, meta: dict, blobs: dict, topology: Topology) -> RecordMap:
        from .recordfile import RecordIndex
        count, ids_end = meta[kind]
        index = RecordIndex(count, blobs[f"{kind}.chunks"], ids_end, blobs[f"{kind}.buckets"], blobs[f"{kind}.sums"])
        decode = {"edges": _edge_from_plain, "names": _names_from_plain}.get(kind) or plain.decoder(_CLASSES[kind])
        return RecordMap(buffer, index, topology.index if kind == "entities" else None, decode,
                         (lambda: self.damaged(kind)) if self.heal else None)

    def damaged(self, kind: str):
        """The records of ``kind`` read afresh, for a records file found damaged while in use
        (the graph is read and cached again once; the maps of this file then answer from it)."""
        if self.replacement is None:
            warn(f"cache file {self.records_file} is damaged; reading the graph afresh")
            self.remove()
            rebuilt = _Cached(self.path, self.kind, self.files, self.folder, self.key, heal=False)
            model, topology = rebuilt.build()
            self.replacement = rebuilt.maps or {**{k: getattr(model, k) for k in _KINDS},
                                                "edges": dict(enumerate(edge_records(model))),
                                                "names": name_keys(model.entities)}
            _MEMORY[self.key] = (model, topology)
        return self.replacement[kind]

    def remove(self) -> None:
        # with the records goes what was kept beside them (the Cypher index, mechgraph.cypher.stored)
        beside = [self.folder / f"{self.key}.cypher"] if self.folder else []
        for path in (self.index_file, self.records_file, *beside):
            if path is None:
                continue
            try:
                path.unlink()
            except OSError:
                pass
