"""The two sides of a diff: a graph directory as it is, or as it was at a git revision.

``HEAD~1`` names the graph directory in question (the other side's directory, ``--graph``
or the bundled graph) at that revision; ``REV:PATH`` names PATH at REV, PATH relative to
the repository's top as git writes it (``main:graph``). A revision is read with ``git
archive`` into a temporary directory that is removed when the comparison ends.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..errors import MechgraphError, quote

#: the longest a git command may take (seconds)
GIT_TIMEOUT = 120


def _git(cwd: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise MechgraphError("git is not installed: a revision cannot be read") from None
    except subprocess.TimeoutExpired:
        raise MechgraphError(f"git {args[0]} took longer than {GIT_TIMEOUT} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise MechgraphError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace").strip()


def _repository(directory: Path) -> tuple[Path, str]:
    """The top of the git work tree holding ``directory`` and its path there."""
    probe = directory if directory.is_dir() else directory.parent
    try:
        top = Path(_git(probe, "rev-parse", "--show-toplevel"))
    except MechgraphError:
        raise MechgraphError(f"{directory} is not in a git repository: a revision of it cannot be read") from None
    inner = directory.resolve().relative_to(top.resolve()).as_posix()
    return top, "" if inner == "." else inner


def _is_revision(top: Path, rev: str) -> bool:
    if not rev or rev.startswith("-"):
        return False
    try:
        _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except MechgraphError:
        return False
    return True


def _extract(top: Path, rev: str, inner: str, into: Path) -> Path:
    data = _git(top, "archive", "--format=tar", rev, "--", inner or ".", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    found = into / inner if inner else into
    if not found.exists():
        raise MechgraphError(f"{inner or 'the repository'} does not exist at revision {rev}")
    return found


def _shown(path: Path) -> str:
    """A path as the report names it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


@contextmanager
def graph_at(spec: str, directory: Path):
    """One side of a diff: a graph directory, or a revision of one in git.

    A context manager. ``spec`` is used as it is when it is an existing path; else it
    is the revision ``spec`` of ``directory`` (``REV``) or of PATH in the repository of
    the working directory (``REV:PATH``), extracted into a temporary directory removed
    afterwards.

    Parameters
    ----------
    spec : str
        A path, ``REV`` or ``REV:PATH``.
    directory : Path
        The graph directory a bare ``REV`` refers to.

    Yields
    ------
    tuple of (Path, str)
        The graph's path and its label in the report.

    Raises
    ------
    MechgraphError
        When ``spec`` is neither a path nor a revision.

    Examples
    --------
    >>> from pathlib import Path
    >>> from mechgraph.diff import graph_at
    >>> with graph_at("tests/data/example-graph", Path("graph")) as (path, label):
    ...     label
    'tests/data/example-graph'
    """
    if Path(spec).exists():
        yield Path(spec), _shown(Path(spec))
        return
    rev, _, inner = spec.partition(":")
    with ExitStack() as stack:
        if inner or spec.endswith(":"):
            top, _ = _repository(Path.cwd())
            inner = inner.strip("/")
            label = spec
        else:
            if not directory.exists():
                raise MechgraphError(f"{quote(spec)} is neither a graph directory nor a git revision")
            top, inner = _repository(directory)
            label = f"{rev}:{inner}" if inner else rev
        if not _is_revision(top, rev):
            raise MechgraphError(f"{quote(spec)} is neither a graph directory nor a git revision of {top}")
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mechgraph-diff-")))
        yield _extract(top, rev, inner, tmp), label
