"""A per-process and on-disk cache of validated models, keyed by the graph files' metadata.

Reading and validating YAML (or parsing a large KGX graph) is the slow part of starting
a command. The on-disk cache, under the user's cache directory, holds two files per
graph: the records (entities, assertions, findings, sources) in pickled chunks that are
read on demand (:mod:`mechgraph.records`), and a small index holding the graph's
:class:`~mechgraph.topology.Topology` and where each kind of record lies. A cached start
reads the index and maps the records file into memory: a few hundred milliseconds even
for a million assertions, and a query unpickles only the records it shows. The
networkx graph is built from the model when a command needs it (render, query, export).

The key is a hash of every input file's path, size and modification time, the package
version and the reading code's own files, so an edited graph is read again. Nothing is
hashed by content, so a gigabyte KGX file costs a few ``stat`` calls to check.

A graph is a directory of YAML files (mechgraph's own format), or a KGX graph: a
directory holding ``nodes.tsv`` + ``edges.tsv`` or ``nodes.jsonl`` + ``edges.jsonl``
(optionally gzipped), or the path of such a nodes (or edges) file.
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
from contextlib import contextmanager
from pathlib import Path

from .atomic import atomic_path
from .errors import MechgraphError
from .model import Model
from .names import name_keys
from .records import RecordMap, write_records
from .topology import Topology, edge_records

_MEMORY: dict[str, tuple] = {}
_FORMAT = "5"
#: the modules whose code decides what the model and graph read from each kind of input hold
_READERS = {"yaml": ("model.py", "curation.py", "constants.py", "build.py", "evidence.py", "records.py", "names.py",
                     "topology.py", "relations.py"),
            "kgx": ("model.py", "constants.py", "io/kgx.py", "io/kgx_reader.py", "io/biolink.py", "build.py",
                    "evidence.py", "records.py", "topology.py", "names.py", "relations.py")}


def _cache_dir() -> Path | None:
    if os.environ.get("MECHGRAPH_NO_CACHE"):
        return None
    base = os.environ.get("MECHGRAPH_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mechgraph"


def graph_input(path: Path) -> tuple[str, list[Path]]:
    """What a ``--graph`` path holds: ``("kgx", [nodes, edges])`` or ``("yaml", [directory])``.

    Raises InvalidGraph when ``path`` is a file that is not part of a KGX nodes/edges pair.
    """
    from .io.kgx import kgx_files
    pair = kgx_files(path)
    if pair is not None:
        return "kgx", list(pair)
    if path.is_file():
        from .errors import CurationError, InvalidGraph
        raise InvalidGraph([CurationError(str(path), None, "not a graph directory, nor a KGX nodes or edges file "
                                                           "with its partner beside it (nodes.tsv + edges.tsv)")])
    return "yaml", [path]


def _key(kind: str, files: list[Path]) -> str:
    from . import __version__
    digest = hashlib.sha256(f"{_FORMAT}:{__version__}:{kind}".encode())
    here = Path(__file__).parent
    for module in _READERS[kind]:
        stat = (here / module).stat()
        digest.update(f"{module}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    if kind == "kgx":
        listed = [(str(p.resolve()), p) for p in files]
    else:
        directory = files[0]
        digest.update(f"{directory.resolve()}\n".encode())
        listed = [(str(p.relative_to(directory)), p) for p in sorted(directory.rglob("*.yaml"))]
    for name, path in listed:
        stat = path.stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached_model(path: Path) -> Model:
    """The validated model of a graph (see the module docstring), from cache when its files
    are unchanged. Raises InvalidGraph listing every problem."""
    return cached_graph(path)[0]


def cached_graph(path: Path) -> tuple[Model, Topology]:
    """The validated model of a graph and its :class:`~mechgraph.topology.Topology`,
    from cache when the graph's files are unchanged. Raises InvalidGraph.

    From cache, the model's records are read on demand (:class:`~mechgraph.records.RecordMap`).
    """
    kind, files = graph_input(path)
    key = _key(kind, files)
    if key in _MEMORY:
        return _MEMORY[key]
    folder = _cache_dir()
    found = _load(folder, key) if folder else None
    if found is None:
        with _collector_paused() as pause:
            if kind == "kgx":
                from .io.kgx import read_kgx
                model = read_kgx(*files)
            else:
                from .curation import load_model  # only on a cache miss: it imports yaml and the seed parser
                model = load_model(path)
            topology = Topology.from_model(model)
            # What was just written is what every later start reads: use it now too, so that
            # both behave alike and the records read leave memory
            found = _store(folder, key, model, topology) if folder else None
            if found is None:
                found = (model, topology)
                pause.freeze = len(model.assertions) >= FREEZE_ABOVE
            del model, topology
    _MEMORY[key] = found
    return found


#: graphs read with more assertions than this are moved out of the garbage collector's sight
FREEZE_ABOVE = 50_000
_KINDS = ("entities", "assertions", "findings", "sources")


class _Pause:
    freeze = False


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while a graph is read. Reading millions of
    records allocates objects that are never garbage, and each collection would walk all
    of them again; a big graph is then frozen (``gc.freeze``) so that no later collection
    walks it either. The records hold no reference cycles: reference counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    pause = _Pause()
    try:
        yield pause
    finally:
        if pause.freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _load(folder: Path, key: str) -> tuple[Model, Topology] | None:
    """The cached model (records read on demand) and topology, or None when there are none
    or they are unreadable."""
    index_file, records_file = folder / f"{key}.index.pickle", folder / f"{key}.records"
    try:
        with index_file.open("rb") as handle:
            index = pickle.load(handle)
        with records_file.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size != index["size"]:
                return None
            buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except Exception:  # a missing, corrupt or foreign cache file is simply rebuilt
        return None
    topology: Topology = index["topology"]
    maps = {kind: RecordMap(buffer, index[kind], topology.index if kind == "entities" else None)
            for kind in _KINDS}
    model = Model(**maps, root=index["root"])
    topology.name_keys = RecordMap(buffer, index["names"])
    return model, topology.bind_records(RecordMap(buffer, index["edges"]))


def _store(folder: Path, key: str, model: Model, topology: Topology) -> tuple[Model, Topology] | None:
    """Write the records file, then the index that makes it valid (each replaced
    atomically); return the graph as read back from them, or None when they cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        index: dict = {"root": model.root}
        with atomic_path(folder / f"{key}.records") as temporary, temporary.open("wb") as handle:
            for kind in _KINDS:
                index[kind] = write_records(handle, getattr(model, kind))
            index["edges"] = write_records(handle, edge_records(model))
            index["names"] = write_records(handle, name_keys(model.entities))
            index["size"] = handle.tell()
        index["topology"] = topology
        with atomic_path(folder / f"{key}.index.pickle") as temporary, temporary.open("wb") as handle:
            pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, MechgraphError):  # an unwritable cache only costs the next start its speed
        return None
    return _load(folder, key)


def read_graph(path: Path) -> tuple[Model, list]:
    """Read any graph (YAML directory or KGX) without the cache: the model and every
    curation error (for ``validate``)."""
    from .errors import InvalidGraph
    try:
        kind, files = graph_input(path)
    except InvalidGraph as exc:
        return Model(root=str(path)), exc.errors
    if kind == "yaml":
        from .curation import read_graph_dir
        return read_graph_dir(path)
    from .io.kgx import read_kgx
    try:
        return read_kgx(*files), []
    except InvalidGraph as exc:
        return Model(root=str(path)), exc.errors
