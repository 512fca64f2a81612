"""What a ``--graph`` path holds, and which reader opens it.

A graph is a directory of YAML files (mechgraph's own format, read by
:mod:`mechgraph.curation.yaml_reader`), or a KGX graph (:mod:`mechgraph.io.kgx`): a
directory holding ``nodes.tsv`` + ``edges.tsv`` or ``nodes.jsonl`` + ``edges.jsonl``
(optionally gzipped), or the path of such a nodes (or edges) file. The cache
(:mod:`mechgraph.store.cache`) keys a graph by these files and reads it with
:func:`read_model` on a miss; ``validate`` reads it with :func:`read_graph`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CurationError, InvalidGraph
from ..model import Model


def graph_input(path: Path) -> tuple[str, list[Path]]:
    """What a ``--graph`` path holds: ``("kgx", [nodes, edges])`` or ``("yaml", [directory])``.

    Raises InvalidGraph when ``path`` is a file that is not part of a KGX nodes/edges pair.
    """
    if path.is_dir() and not _may_hold_kgx(path):  # a YAML graph starts without importing the KGX reader
        return "yaml", [path]
    from ..io.kgx import kgx_files
    pair = kgx_files(path)
    if pair is not None:
        return "kgx", list(pair)
    if path.is_file():
        raise InvalidGraph([CurationError(str(path), None, "not a graph directory, nor a KGX nodes or edges file "
                                                           "with its partner beside it (nodes.tsv + edges.tsv)")])
    return "yaml", [path]


def _may_hold_kgx(directory: Path) -> bool:
    """False when no file of ``directory`` is named as a KGX nodes file is named
    (``nodes.*`` or ``*_nodes.*``; :func:`mechgraph.io.kgx.kgx_files` says which are)."""
    import os
    try:
        return any(name.startswith("nodes.") or "_nodes." in name for name in os.listdir(directory))
    except OSError:
        return True  # let kgx_files meet the error


def yaml_files(directory: Path) -> list[Path]:
    """The ``*.yaml`` files of a graph directory, sorted (what the YAML reader reads).

    Raises InvalidGraph naming every one that is a symbolic link to nothing (dangling,
    or a loop) or cannot be listed."""
    try:
        found = sorted(directory.rglob("*.yaml"))
    except OSError as exc:
        raise InvalidGraph([CurationError(str(directory), None, f"cannot list the graph's files: {exc.strerror}")]) \
            from None
    broken = [p for p in found if p.is_symlink() and not p.exists()]
    if broken:
        raise InvalidGraph([CurationError(str(p.relative_to(directory)), None,
                                          "a symbolic link that leads to no file (dangling, or a loop)")
                            for p in broken])
    return [p for p in found if p.is_file()]


def read_model(kind: str, path: Path, files: list[Path]) -> Model:
    """The model of a graph of ``kind`` (as :func:`graph_input` gave it); raises InvalidGraph."""
    if kind == "kgx":
        from ..io.kgx import read_kgx
        return read_kgx(*files)
    from ..curation.yaml_reader import load_model  # imports yaml and the seed parser: only when needed
    return load_model(path)


def read_graph(path: Path) -> tuple[Model, list]:
    """Read any graph (YAML directory or KGX) without the cache: the model and every
    curation error (for ``validate``).

    Parameters
    ----------
    path : Path
        A YAML graph directory or KGX files.

    Returns
    -------
    tuple of (Model, list of CurationError)
        An empty model when the input cannot be read at all.

    Examples
    --------
    >>> from pathlib import Path
    >>> from mechgraph.store import read_graph
    >>> model, errors = read_graph(Path("tests/data/example-graph"))
    >>> len(model.findings), errors
    (7, [])
    >>> read_graph(Path("tests/data/example-seeds"))[1]
    [CurationError('tests/data/example-seeds: no .yaml files found')]
    """
    try:
        kind, files = graph_input(path)
        if kind == "yaml" and path.is_dir():
            yaml_files(path)
    except InvalidGraph as exc:
        return Model(root=str(path)), exc.errors
    if kind == "yaml":
        from ..curation.yaml_reader import read_graph_dir
        return read_graph_dir(path)
    from ..io.kgx import read_kgx
    try:
        return read_kgx(*files), []
    except InvalidGraph as exc:
        return Model(root=str(path)), exc.errors
