"""A per-process and on-disk cache of validated models, keyed by the graph files' content.

Reading and validating YAML is the slow part of starting a command; the on-disk cache
(a pickle under the user's cache directory) turns it into one file read. The key is a
hash of every file's path, size, modification time and the package version, so an
edited graph is read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .curation import load_model
from .model import Model

_MEMORY: dict[str, Model] = {}
_FORMAT = "1"


def _cache_dir() -> Path | None:
    if os.environ.get("MECHGRAPH_NO_CACHE"):
        return None
    base = os.environ.get("MECHGRAPH_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mechgraph"


def _key(directory: Path) -> str:
    from . import __version__
    digest = hashlib.sha256(f"{_FORMAT}:{__version__}:{directory.resolve()}".encode())
    here = Path(__file__).parent
    for module in ("model.py", "curation.py", "constants.py"):
        stat = (here / module).stat()
        digest.update(f"{module}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for path in sorted(directory.rglob("*.yaml")):
        stat = path.stat()
        digest.update(f"{path.relative_to(directory)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached_model(directory: Path) -> Model:
    """The validated model of a graph directory, from cache when its files are unchanged."""
    key = _key(directory)
    if key in _MEMORY:
        return _MEMORY[key]
    folder = _cache_dir()
    path = folder / f"{key}.pickle" if folder else None
    if path is not None and path.exists():
        try:
            with path.open("rb") as handle:
                model = pickle.load(handle)
            _MEMORY[key] = model
            return model
        except Exception:  # a corrupt or foreign cache file is simply rebuilt
            pass
    model = load_model(directory)
    _MEMORY[key] = model
    if path is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
                pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, path)
        except OSError:
            pass
    return model
