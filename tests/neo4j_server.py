"""A pytest plugin: a real Neo4j 5 Community server, assembled from Maven Central by
``scripts/neo4j-server.sh`` and started on a free loopback port with authentication on.

``neo4j_server`` is the session's server: the one ``NEO4J_URI`` names when that is set,
otherwise a private instance started on first use and stopped when the session ends.
``Neo4jServer`` also serves tests that must kill and restart a server of their own. Without
Java or Maven the tests that use it are skipped, except in CI (``CI=true``), where a server
that cannot be assembled or started fails the run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from falkordb_server import IN_CI, Server

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "neo4j-server.sh"


def _unavailable(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


class Neo4jServer:
    """One Neo4j instance in ``workdir``; ``start``, ``stop`` and ``kill`` may repeat, and a
    restarted instance keeps its data, its port and its password."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.variables: dict[str, str] = {}

    def _script(self, *args: str, timeout: float = 900) -> str:
        done = subprocess.run(["bash", str(SCRIPT), *args, "--dir", str(self.workdir)],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else
                               f"{SCRIPT.name} {args[0]} exited with {done.returncode}")
        return done.stdout

    def start(self) -> None:
        """Start (assembling the server on first use) and wait until Bolt answers."""
        line = self._script("start").strip().splitlines()[-1]
        self.variables = dict(part.split("=", 1) for part in line.split())

    def stop(self) -> None:
        self._script("stop", timeout=120)

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash would."""
        pid_file = self.workdir / "run" / "neo4j.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text())
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                import time
                time.sleep(0.05)
            pid_file.unlink(missing_ok=True)

    def admin(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """Run ``neo4j-admin ARGS`` on this instance (stop the server first for an import)."""
        return subprocess.run(["bash", str(SCRIPT), "admin", "--dir", str(self.workdir), *args],
                              capture_output=True, text=True, timeout=timeout)

    @property
    def uri(self) -> str:
        return self.variables["NEO4J_URI"]

    def server(self) -> Server:
        return Server("neo4j", self.uri, self.variables["NEO4J_USER"], self.variables["NEO4J_PASSWORD"])


def start_neo4j(workdir: Path) -> Neo4jServer:
    """A started Neo4jServer, or a skip (a failure in CI) when it cannot run here."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        _unavailable(f"Neo4j test server unavailable: {' and '.join(missing)} not installed")
    server = Neo4jServer(workdir)
    try:
        server.start()
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"Neo4j test server did not start: {exc}")
    return server


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory) -> Server:
    """The session's Neo4j server: NEO4J_URI's when set, else a private one stopped at the end."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Server("neo4j", uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""),
                     os.environ.get("NEO4J_DATABASE") or None)
        return
    instance = start_neo4j(tmp_path_factory.mktemp("neo4j"))
    yield instance.server()
    instance.stop()
