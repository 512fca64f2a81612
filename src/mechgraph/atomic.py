"""Atomic file writes: a failed or interrupted write leaves the previous file and no
temporary file behind.

A file (or a directory of files) is written beside its target under a hidden temporary
name (``.NAME.PID.XXXX.tmp``), flushed to the disk (``fsync``), and renamed over the
target; a directory target is swapped in with one atomic exchange where the system has
one (Linux ``renameat2``). While a write is under way SIGTERM and SIGHUP raise
:class:`~mechgraph.errors.Interrupted` and SIGINT KeyboardInterrupt, so that the
clean-up runs; the process then ends as the signal asked (:func:`signals_raise`). The
renames and the clean-up themselves run with those signals held back. Only SIGKILL or a
crash can leave a temporary file; the next write beside it removes it once the process
that made it is gone.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .errors import Interrupted, MechgraphError

#: the signals that end a write cleanly instead of killing the process outright
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))
#: a temporary file of a dead process is removed once it is this old (seconds)
STALE_AFTER = 60


@contextmanager
def atomic_path(target: str | Path, *, directory: bool = False, mode: int | None = None):
    """Yield a temporary path beside ``target``; move it into place only on success.

    The file (or every file of the directory) is synced to the disk before the rename,
    and the parent directory after it. ``mode`` is the file's permissions (default 0644;
    a directory gets 0755). Raises MechgraphError when the target cannot be written (a
    missing or unwritable directory, a full disk), with the temporary path removed.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> out.read_text()
    'hello'
    """
    target = Path(target)
    parent = _writable_parent(target)
    if target.is_dir() and not directory:
        raise MechgraphError(f"cannot write {target}: it is a directory")
    with signals_raise():
        tmp = _temporary_beside(target, parent, directory)
        try:
            yield tmp
            if directory:
                os.chmod(tmp, 0o755)
            else:
                os.chmod(tmp, 0o644 if mode is None else mode)
            sync(tmp)
            _replace(tmp, target)
            _sync_directory(parent)
        except BaseException as exc:
            with held_signals():
                _remove(tmp)
            if isinstance(exc, OSError):
                raise MechgraphError(f"cannot write {target}: {exc.strerror or exc}") from None
            raise


@contextmanager
def scratch_beside(target: str | Path):
    """Yield a private temporary directory beside ``target`` (on the disk its output goes to,
    not in a memory-backed ``/tmp``), removed when the block ends, however it ends. It is named
    as :func:`atomic_path` names its temporary files, so a write of ``target`` after a SIGKILL
    removes it once the process that made it is gone.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with scratch_beside(out) as scratch:
    ...     (scratch / "part").write_text("spilled") and scratch.is_dir()
    True
    >>> scratch.exists()
    False
    """
    target = Path(target)
    parent = _writable_parent(target)
    with signals_raise():
        scratch = _temporary_beside(target, parent, True)
        try:
            yield scratch
        finally:
            with held_signals():
                _remove(scratch)


def _writable_parent(target: Path) -> Path:
    """The directory ``target`` is written in; MechgraphError when it is missing or not writable."""
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise MechgraphError(f"cannot write {target}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise MechgraphError(f"cannot write {target}: directory {parent} is not writable")
    return parent


def _temporary_beside(target: Path, parent: Path, directory: bool) -> Path:
    """A new temporary file (or directory) in ``parent``, named for ``target`` and this process
    (``.NAME.HOST-PID.XXXX.tmp``), after removing those a dead process left there (:func:`_sweep`)."""
    _sweep(parent, target.name)
    prefix = f".{target.name}.{_owner()}."
    try:
        if directory:
            return Path(tempfile.mkdtemp(dir=parent, prefix=prefix, suffix=".tmp"))
        fd, name = tempfile.mkstemp(dir=parent, prefix=prefix, suffix=".tmp")
        os.close(fd)
        return Path(name)
    except OSError as exc:
        raise MechgraphError(f"cannot write {target}: {exc.strerror}") from None


def replace_path(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``, replacing a file or a whole directory.

    A directory is exchanged with the old one in one step where the system allows
    (readers see the old or the new, never neither); elsewhere the old is moved aside
    first. Signals are held back meanwhile (:func:`held_signals`).

    Called within :func:`signals_raise` (as ``export --all`` moves its formats into
    place one after another), the first move starts a commit: a signal from then on
    waits until the outermost block ends, so that a set of outputs is replaced whole.
    """
    if _State.depth:
        _State.committing = True
    _replace(new, target)


def _replace(new: Path, target: Path) -> None:
    with held_signals():
        if new.is_dir() and target.is_dir() and not target.is_symlink():
            if _exchange(new, target):
                shutil.rmtree(new, ignore_errors=True)
                return
            backup = target.with_name(f".{target.name}.{_owner()}.old")
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


def sync(path: Path) -> None:
    """Flush a file, or every file and directory under a directory, to the disk."""
    if path.is_dir():
        for folder, _, files in os.walk(path):
            for name in files:
                _fsync(os.path.join(folder, name), os.O_RDONLY)
            _fsync(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    else:
        _fsync(str(path), os.O_RDONLY)


# -- signals -------------------------------------------------------------------------------

class _State:
    depth = 0
    saved: dict = {}
    caught: int | None = None
    committing = False


def _on_signal(signum, frame):
    if _State.caught is not None:  # already on the way out: the first signal decides
        return
    _State.caught = signum
    if _State.committing:  # outputs are being replaced: finish, then end (see replace_path)
        return
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


@contextmanager
def signals_raise():
    """Within this block SIGTERM and SIGHUP raise Interrupted and SIGINT KeyboardInterrupt
    (once: later signals are ignored while the first unwinds), so that ``finally`` and
    ``except`` clean-ups run. Leaving the outermost block after SIGTERM or SIGHUP ends the
    process by that signal, as it would have ended without the block.

    Blocks nest; outside the main thread (where Python runs no signal handlers) and for
    a signal the program handles itself the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _State.depth == 0:
        _State.caught = None
        _State.saved = {}
        for signum in _SIGNALS:
            current = signal.getsignal(signum)
            if current is signal.SIG_DFL or current is signal.default_int_handler:
                _State.saved[signum] = current
                signal.signal(signum, _on_signal)
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if _State.depth == 0:
            for signum, handler in _State.saved.items():
                signal.signal(signum, handler)
            caught, committed = _State.caught, _State.committing
            _State.caught, _State.committing = None, False
            if caught is not None and (caught != signal.SIGINT or committed):
                if caught == signal.SIGINT:
                    raise KeyboardInterrupt  # after a commit: reported as any interrupt
                os.kill(os.getpid(), caught)  # the default action, now that the clean-up is done
                os._exit(128 + caught)


@contextmanager
def held_signals():
    """Hold SIGTERM, SIGHUP and SIGINT back (they arrive when the block ends): for steps
    that must not stop half-way, such as two renames or removing a temporary file."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# -- helpers ---------------------------------------------------------------------------------

def _host() -> str:
    return socket.gethostname().replace(".", "-")[:32] or "host"


def _owner() -> str:
    """Who writes a temporary file: the host and process, so that a later write can tell a dead one's."""
    return f"{_host()}-{os.getpid()}"


def _fsync(path: str, flags: int) -> None:
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a directory
        pass
    finally:
        os.close(fd)


def _sync_directory(path: Path) -> None:
    _fsync(str(path), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def _sweep(parent: Path, name: str) -> None:
    """Remove temporary files that a killed process left beside ``name`` (same host,
    process gone, older than STALE_AFTER seconds)."""
    prefix = f".{name}.{_host()}-"
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(prefix)
                   and (e.name.endswith(".tmp") or e.name.endswith(".old"))]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        pid = entry.name[len(prefix):].split(".", 1)[0]
        try:
            info = entry.stat(follow_symlinks=False)
            if not pid.isdigit() or now - info.st_mtime < STALE_AFTER or info.st_uid != os.geteuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            with held_signals():
                _remove(Path(entry.path))
        except OSError:
            continue


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    return False


_RENAMEAT2: list = []


def _renameat2():
    if not _RENAMEAT2:
        function = None
        if hasattr(os, "uname") and os.uname().sysname == "Linux":
            try:
                import ctypes
                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
                function.restype = ctypes.c_int
            except (OSError, AttributeError, ImportError):
                function = None
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]
