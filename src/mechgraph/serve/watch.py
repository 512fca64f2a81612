"""The graph a server shows, reloaded when its files change.

A :class:`LiveGraph` holds the last good :class:`~mechgraph.MechGraph` of a graph
directory (or KGX pair) and a version number that grows each time a changed graph
replaces it. :meth:`LiveGraph.check` compares the files' sizes and modification
times with the last look; when they differ, and look the same again a moment later (so that
a file caught half-written is not read), it reads and validates the graph again, as
``mechgraph validate`` does. A valid graph replaces the shown one; an invalid one
leaves it in place and its curation errors (file, line, message) are kept in
``errors`` until the files are fixed. :meth:`LiveGraph.watch` runs the check in a
daemon thread, a poll every ``interval`` seconds (no dependency, works on any file
system).

>>> from mechgraph import MechGraph
>>> live = LiveGraph("tests/data/example-graph", MechGraph.load("tests/data/example-graph"))
>>> live.check(), live.version, live.errors
(False, 1, [])
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

#: seconds between two looks at the graph's files
POLL_SECONDS = 0.5
#: after a change is seen, the files must look the same again this many seconds later
SETTLE_SECONDS = 0.1
#: the most further looks while they keep changing (then the graph is read as it is)
SETTLE_LOOKS = 20


class LiveGraph:
    """The last good graph read from a path, its version and the errors of the files as
    they are now.

    Parameters
    ----------
    path : str or Path or None
        The graph directory (None: the bundled graph).
    graph : MechGraph
        The graph read from it.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.serve import LiveGraph
    >>> live = LiveGraph("tests/data/example-graph", MechGraph.load("tests/data/example-graph"))
    >>> live.status()
    {'version': 1, 'watching': False, 'errors': []}
    >>> live.check()   # the files have not changed
    False
    """

    def __init__(self, path: str | Path | None, graph):
        from ..store.bundled import bundled_graph_dir
        self.path = Path(path) if path is not None else bundled_graph_dir()
        self.graph = graph
        self.version = 1
        self.errors: list[dict] = []
        self.watching = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen = self._fingerprint()

    def snapshot(self) -> tuple:
        """``(graph, version)`` of the graph shown now, read together."""
        with self._lock:
            return self.graph, self.version

    def status(self) -> dict:
        """``{"version", "watching", "errors": [{"file", "line", "message"}]}``."""
        with self._lock:
            return {"version": self.version, "watching": self.watching, "errors": list(self.errors)}

    def check(self) -> bool:
        """Look at the files once; when they changed, read the graph again. Returns
        whether the graph shown or its errors changed."""
        seen = self._fingerprint()
        if seen == self._seen:
            return False
        # a file caught while it is written (an editor that truncates, then writes) can read
        # as a smaller valid graph: read only once the files look the same twice in a row
        for _ in range(SETTLE_LOOKS):
            time.sleep(SETTLE_SECONDS)
            again = self._fingerprint()
            if again == seen:
                break
            seen = again
        self._seen = seen
        return self.reload()

    def reload(self) -> bool:
        """Read and validate the graph now: keep it if valid, else keep the last good
        one and record the errors. Returns whether the graph or the errors changed."""
        from ..store.opening import read_graph
        from ..errors import MechgraphError
        from ..graph import MechGraph
        try:
            model, errors = read_graph(self.path)
        except (MechgraphError, OSError, ValueError) as exc:  # a file vanished or changed while read
            model, errors = None, [{"file": str(self.path), "line": None, "message": str(exc)}]
        else:
            errors = [{"file": e.file, "line": e.line, "message": e.message} for e in errors]
        with self._lock:
            if errors:
                changed = errors != self.errors
                self.errors = errors
                return changed
            assert model is not None  # a graph that could not be read has errors
            self.graph = MechGraph(model)
            self.version += 1
            self.errors = []
            return True

    def watch(self, interval: float = POLL_SECONDS) -> None:
        """Check the files every ``interval`` seconds in a daemon thread until :meth:`stop`."""
        if self._thread is not None:
            return
        self.watching = True
        self._thread = threading.Thread(target=self._run, args=(interval,), name="mechgraph-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching (waits for the thread)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.watching = False

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.check()
            except Exception as exc:  # the watcher must outlive any one bad read
                with self._lock:
                    self.errors = [{"file": str(self.path), "line": None,
                                    "message": f"cannot read the graph: {type(exc).__name__}: {exc}"}]

    def _fingerprint(self) -> tuple:
        """Name, size and modification time of every file the graph is read from."""
        from ..store.opening import graph_input, yaml_files
        from ..errors import MechgraphError
        try:
            kind, files = graph_input(self.path)
            if kind == "yaml":
                files = yaml_files(self.path) if self.path.is_dir() else []
        except MechgraphError:
            return ("unreadable",)
        seen = []
        for path in files:
            try:
                info = os.stat(path)
            except OSError:
                continue
            seen.append((str(path), info.st_size, info.st_mtime_ns, info.st_ino))
        return tuple(seen)
