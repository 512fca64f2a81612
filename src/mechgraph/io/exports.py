"""Write one export format, regenerate a whole ``exports/`` directory, or check that it
matches the graph.

``export_all`` writes every available format into a hidden staging directory first and
moves the results into place only when all of them succeeded, so a failed or
interrupted run leaves ``exports/`` as it was. ``check_exports`` regenerates into a
temporary directory and compares bytes.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import replace_path
from ..errors import MechgraphError
from .registry import EXPORT_ALL, WRITERS, available_formats, writer


def export(graph, name: str, path: str | Path) -> list[Path]:
    """Write one format of a graph at ``path``.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    name : str
        A format name from ``registry.WRITERS`` (:func:`available_formats`).
    path : str or Path
        The file, or the directory of a multi-file format.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    MechgraphError
        For an unknown or unavailable format or an unwritable path.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.io import export
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in export(MechGraph.load("tests/data/example-graph"), "json", Path(tmp) / "graph.json")]
    ['graph.json']
    """
    if name not in WRITERS:
        raise MechgraphError(f"unknown export format {name!r}; choose one of {', '.join(WRITERS)}")
    if name not in available_formats():
        raise MechgraphError(f"export format {name!r} is not available in this installation")
    return writer(name)(graph, Path(path))


def export_all(graph, directory: str | Path, formats: list[str] | None = None) -> list[Path]:
    """Write every available format into ``directory``, at the paths ``EXPORT_ALL`` names.

    Nothing in ``directory`` changes unless all succeed.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    directory : str or Path
        The folder written into.
    formats : list of str, optional
        Only these formats (default: every available one).

    Returns
    -------
    list of Path
        The files written, sorted.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.io import export_all
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = export_all(MechGraph.load("tests/data/example-graph"), tmp, formats=["json", "graphml"])
    ...     [p.name for p in written]
    ['mechgraph.graphml', 'mechgraph.json']
    """
    directory = Path(directory)
    formats = available_formats() if formats is None else formats
    try:
        directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory, prefix=".export-", suffix=".tmp"))
    except OSError as exc:
        raise MechgraphError(f"cannot write {directory}: {exc.strerror}") from None
    try:
        for name in formats:
            writer(name)(graph, staging / EXPORT_ALL[name])
        for name in formats:
            replace_path(staging / EXPORT_ALL[name], directory / EXPORT_ALL[name])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(p for name in formats for p in _files(directory / EXPORT_ALL[name]))


@dataclass
class ExportCheck:
    """How an exports directory differs from what ``export_all`` would write now.

    Paths are relative to the directory, with ``/`` separators.
    """

    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.stale or self.missing or self.unexpected)


def check_exports(graph, directory: str | Path, formats: list[str] | None = None) -> ExportCheck:
    """Compare ``directory`` byte by byte with a fresh ``export_all`` of ``graph``.

    A file that differs is stale, one that is not there is missing, and a file inside a
    multi-file format's directory that the export would not write is unexpected. Other
    files (a README, hidden files) are ignored.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    directory : str or Path
        The folder of earlier exports.
    formats : list of str, optional
        Only these formats (default: every available one).

    Returns
    -------
    ExportCheck
        ``stale``, ``missing`` and ``unexpected`` files, and how many were ``checked``.

    Examples
    --------
    >>> import tempfile
    >>> from mechgraph import MechGraph
    >>> from mechgraph.io import check_exports, export_all
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = export_all(g, tmp, formats=["json"])
    ...     check_exports(g, tmp, formats=["json", "graphml"])
    ExportCheck(stale=[], missing=['mechgraph.graphml'], unexpected=[], checked=2)
    """
    directory = Path(directory)
    formats = available_formats() if formats is None else formats
    result = ExportCheck()
    with tempfile.TemporaryDirectory(prefix="mechgraph-check-") as tmp:
        fresh = Path(tmp)
        export_all(graph, fresh, formats)
        for name in formats:
            expected = {p.relative_to(fresh).as_posix() for p in _files(fresh / EXPORT_ALL[name])}
            for rel in sorted(expected):
                result.checked += 1
                present = directory / rel
                if not present.is_file():
                    result.missing.append(rel)
                elif not filecmp.cmp(present, fresh / rel, shallow=False):
                    result.stale.append(rel)
            here = directory / EXPORT_ALL[name]
            if here.is_dir():
                for path in _files(here):
                    rel = path.relative_to(directory).as_posix()
                    if rel not in expected:
                        result.unexpected.append(rel)
    return result


def _files(path: Path) -> list[Path]:
    """The visible files at ``path`` (itself, or those under it)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


