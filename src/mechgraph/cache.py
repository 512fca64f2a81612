"""A per-process and on-disk cache of validated models, keyed by the graph files' metadata.

Reading and validating YAML (or parsing a large KGX graph) and building the networkx
graph are the slow part of starting a command; the on-disk cache (a pickle of both under
the user's cache directory) turns them into one file read. The key is a hash of every
input file's path, size and modification time, the package version and the reading
code's own files, so an edited graph is read again.
Nothing is hashed by content, so a gigabyte KGX file costs a few ``stat`` calls to check.

A graph is a directory of YAML files (mechgraph's own format), or a KGX graph: a
directory holding ``nodes.tsv`` + ``edges.tsv`` or ``nodes.jsonl`` + ``edges.jsonl``
(optionally gzipped), or the path of such a nodes (or edges) file.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .model import Model

if TYPE_CHECKING:
    import networkx as nx

_MEMORY: dict[str, tuple] = {}
_FORMAT = "3"
#: the modules whose code decides what the model and graph read from each kind of input hold
_READERS = {"yaml": ("model.py", "curation.py", "constants.py", "build.py", "evidence.py"),
            "kgx": ("model.py", "constants.py", "io/kgx.py", "io/kgx_reader.py", "io/biolink.py", "build.py",
                    "evidence.py")}


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


def cached_graph(path: Path) -> tuple[Model, "nx.MultiDiGraph"]:
    """The validated model of a graph and its networkx MultiDiGraph (``build_graph``),
    from cache when the graph's files are unchanged. Raises InvalidGraph."""
    kind, files = graph_input(path)
    key = _key(kind, files)
    if key in _MEMORY:
        return _MEMORY[key]
    folder = _cache_dir()
    cache_file = folder / f"{key}.pickle" if folder else None
    with _collector_paused() as pause:
        found = None
        if cache_file is not None and cache_file.exists():
            try:
                with cache_file.open("rb") as handle:
                    found = pickle.load(handle)
            except Exception:  # a corrupt or foreign cache file is simply rebuilt
                found = None
        if found is None:
            if kind == "kgx":
                from .io.kgx import read_kgx
                model = read_kgx(*files)
            else:
                from .curation import load_model  # only on a cache miss: it imports yaml and the seed parser
                model = load_model(path)
            from .build import build_graph
            network = build_graph(model)
            _share_values(network)
            found = (model, network)
            if cache_file is not None:
                _store(folder, cache_file, found)
        pause.freeze = len(found[0].assertions) >= FREEZE_ABOVE
    _MEMORY[key] = found
    return found


#: graphs with more assertions than this are moved out of the garbage collector's sight
FREEZE_ABOVE = 50_000


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


def _share_values(network) -> None:
    """Let edges with equal small lists and mappings (species, refuting, context) share
    one object, so that the cache holds and loads millions fewer. Nothing mutates them."""
    shared: dict = {}
    for _, _, data in network.edges(data=True):
        for name in ("species", "refuting", "context"):
            value = data.get(name)
            if isinstance(value, list):
                key = (name, tuple(value))
            elif isinstance(value, dict):
                key = (name, tuple((k, tuple(v)) for k, v in value.items()))
            else:
                continue
            data[name] = shared.setdefault(key, value)


def _store(folder: Path, cache_file: Path, value) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            try:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                handle.close()
                os.unlink(handle.name)
                raise
        os.replace(handle.name, cache_file)
    except OSError:
        pass


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
