"""Atomic file writes: a failed or interrupted write leaves no partial file behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import MechgraphError


@contextmanager
def atomic_path(target: str | Path, *, directory: bool = False):
    """Yield a temporary path beside ``target``; move it into place only on success.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text()
    'hello'
    """
    target = Path(target)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise MechgraphError(f"cannot write {target}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise MechgraphError(f"cannot write {target}: directory {parent} is not writable")
    if target.is_dir() and not directory:
        raise MechgraphError(f"cannot write {target}: it is a directory")
    try:
        if directory:
            tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp"))
        else:
            fd, name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
            os.close(fd)
            tmp = Path(name)
    except OSError as exc:
        raise MechgraphError(f"cannot write {target}: {exc.strerror}") from None
    try:
        yield tmp
        if not directory:
            os.chmod(tmp, 0o644)
        replace_path(tmp, target)
    except BaseException:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            tmp.unlink(missing_ok=True)
        raise


def replace_path(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``, replacing a file or a whole directory."""
    if new.is_dir() and target.exists():
        backup = target.with_name(f".{target.name}.old")
        shutil.rmtree(backup, ignore_errors=True)
        os.replace(target, backup)
        os.replace(new, target)
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(new, target)


def write_chunks(target: str | Path, chunks) -> Path:
    """Write an iterable of text pieces (UTF-8, ``\\n`` line ends) atomically; return the path."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as out:
        for chunk in chunks:
            out.write(chunk)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Write text (UTF-8, ``\\n`` line ends) atomically; return the path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(target)
