"""What only a real Neo4j 5 server can show: its start-up script, transactions that roll
back, uniqueness constraints, a crash in the middle of a load, and the bulk importer.

The server comes from scripts/neo4j-server.sh (Neo4j Community from Maven Central). Tests
that kill or stop a server use a private instance; the others use the session's.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from dataclasses import replace

import pytest

from mechgraph import MechGraph
from mechgraph.errors import MechgraphError
from mechgraph.io.neo4j_csv import write_neo4j_csv
from mechgraph.backends.bolt import ConnectionFailed, QueryFailed, connect
from mechgraph.backends.loading import LoadInterrupted, counts, load, read_model, wipe
from mechgraph.backends.propertygraph import PropertyGraph, project, same_model
from neo4j_server import SCRIPT, start_neo4j

pytestmark = pytest.mark.slow

NODES = "MATCH (n:Mechgraph) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
RELATIONSHIPS = ("MATCH (a:Mechgraph)-[r]->(b:Mechgraph) RETURN r.id AS id, type(r) AS type, a.id AS start, "
                 "b.id AS end, properties(r) AS props ORDER BY id, type, start, end")


def snapshot(conn) -> tuple[list, list]:
    """Every mechgraph node and relationship with all its properties, in a stable order."""
    nodes = [[i, sorted(labels), props] for i, labels, props in conn.read(NODES).rows]
    return nodes, conn.read(RELATIONSHIPS).rows


@pytest.fixture(scope="module")
def private(tmp_path_factory):
    """A Neo4j instance of this module's own, which its tests may kill, stop and restart."""
    server = start_neo4j(tmp_path_factory.mktemp("neo4j-private"))
    yield server
    server.stop()


@pytest.fixture
def neo4j(neo4j_server):
    with neo4j_server.connect() as conn:
        yield conn


def test_the_script_prints_working_variables_and_keeps_the_password_private(private):
    assert set(private.variables) == {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"}
    assert private.uri.startswith("bolt://127.0.0.1:") and len(private.variables["NEO4J_PASSWORD"]) >= 16
    mode = stat.S_IMODE(os.stat(private.workdir / "password").st_mode)
    assert mode == 0o600
    status = subprocess.run(["bash", str(SCRIPT), "status", "--dir", str(private.workdir)],
                            capture_output=True, text=True, check=True).stdout
    assert dict(part.split("=", 1) for part in status.split()) == private.variables
    with private.server().connect() as conn:
        assert conn.read("RETURN 1 + 1 AS two").rows == [[2]]
    pid = (private.workdir / "run" / "neo4j.pid").read_text()
    private.start()  # already running: the same variables, no second process
    assert (private.workdir / "run" / "neo4j.pid").read_text() == pid
    with pytest.raises(ConnectionFailed, match="^authentication failed for user 'neo4j' at bolt://127.0.0.1:"):
        connect(private.uri, user="neo4j", password="not-" + private.variables["NEO4J_PASSWORD"])


def test_a_transaction_that_fails_midway_leaves_nothing_of_itself(neo4j):
    neo4j.write("MATCH (n:UnrelatedTest) DETACH DELETE n")
    with pytest.raises(QueryFailed, match="/ by zero"):
        neo4j.write_all([("CREATE (:UnrelatedTest {name: 'first'})", {}),
                         ("CREATE (:UnrelatedTest {name: 'second'})", {}),
                         ("RETURN 1 / 0 AS boom", {})])
    assert neo4j.read("MATCH (n:UnrelatedTest) RETURN count(n)").rows == [[0]]


def test_a_batch_the_server_refuses_leaves_nothing_of_itself(neo4j):
    """A node the server cannot store (a mixed-type list) stops the load; everything written
    before its transaction is there, nothing of its transaction is."""
    pg = project(MechGraph.load())
    nodes = list(pg.nodes)
    bad = next(i for i, n in enumerate(nodes) if n.id == "ampar")
    nodes[bad] = replace(nodes[bad], properties={**nodes[bad].properties, "aliases": ["AMPAR", 1]})
    wipe(neo4j)
    done = [0]
    with pytest.raises(LoadInterrupted, match=r"stopped after (\d+) of \d+ nodes and 0 of \d+ relationships: .*"
                                              r"Neo4j only supports a subset of Cypher types"):
        load(neo4j, PropertyGraph(nodes, pg.relationships), batch_size=10, progress=lambda d, _: done.append(d))
    assert 0 < done[-1] < len(nodes)
    assert neo4j.read("MATCH (n:Mechgraph) RETURN count(n)").rows == [[done[-1]]]
    assert neo4j.read("MATCH (n:Mechgraph {id: 'ampar'}) RETURN count(n)").rows == [[0]]


def test_load_creates_a_uniqueness_constraint_the_server_enforces(neo4j):
    graph = MechGraph.load()
    report = load(neo4j, project(graph))
    assert report.schema == ["uniqueness constraint on :Mechgraph(id)"]
    rows = neo4j.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                      "WHERE labelsOrTypes = ['Mechgraph'] RETURN type, properties").rows
    assert rows == [["UNIQUENESS", ["id"]]]
    with pytest.raises(QueryFailed, match="already exists with label `Mechgraph` and property `id`"):
        neo4j.write("CREATE (:Mechgraph:UnrelatedTest {id: 'nmdar'})")
    assert neo4j.read("MATCH (n:Mechgraph {id: 'nmdar'}) RETURN count(n)").rows == [[1]]


@pytest.mark.parametrize("phase", ["nodes", "relationships"])
def test_a_server_killed_mid_load_then_restarted_and_reloaded_holds_no_duplicates(private, run, monkeypatch, phase):
    """The load is a bulk load (the database is empty); the server is killed while it
    writes nodes (before the uniqueness constraint exists) or relationships (while it is made)."""
    graph = MechGraph.load()
    pg = project(graph)
    crash_at = len(pg.nodes) * 0.4 if phase == "nodes" else len(pg.nodes) + len(pg.relationships) * 0.4
    constraints = []
    with private.server().connect() as conn:
        empty(conn)

        def crash_part_way(done, total):
            if done >= crash_at and not constraints:
                constraints.extend(conn.read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name").rows)
                private.kill()

        with pytest.raises(LoadInterrupted, match=r"stopped after \d+ of \d+ nodes and \d+ of \d+ relationships: "
                                                  r"lost the connection to bolt://127\.0\.0\.1:\d+"):
            load(conn, pg, batch_size=50, progress=crash_part_way)
    private.start()  # same port, same password, the data of the committed transactions
    with private.server().connect() as conn:
        partial = counts(conn)
        assert 0 < partial["nodes"] + partial["relationships"] < len(pg.nodes) + len(pg.relationships)
        assert (partial["relationships"] == 0) == (phase == "nodes")
        assert conn.read("MATCH (n:MechgraphLoading) RETURN count(n)").rows == [[1]]  # the claim stays
    # while nodes are written, only the claim's constraint exists; the one on ids is made while relationships
    # are written (so at a kill then it may not be there yet)
    assert constraints == [["mechgraph_loading"]] if phase == "nodes" else \
        constraints in ([["mechgraph_loading"]], [["mechgraph_id"], ["mechgraph_loading"]])
    for name, value in private.server().env().items():
        monkeypatch.setenv(name, value)
    result = run("load", "--json")
    assert result.exit_code == 0, result.stderr
    loaded = json.loads(result.stdout)["counts"]
    assert (loaded["nodes"], loaded["relationships"]) == (len(pg.nodes), len(pg.relationships))
    with private.server().connect() as conn:
        duplicates = conn.read("MATCH (n:Mechgraph) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(id)")
        assert duplicates.rows == [[0]]
        assert same_model(read_model(conn), graph.model)
        assert conn.read("MATCH (n) WHERE NOT n:Mechgraph RETURN count(n)").rows == [[0]]  # the claim is gone
        assert conn.read("SHOW CONSTRAINTS YIELD name RETURN name").rows == [["mechgraph_id"]]


def test_the_admin_import_files_give_what_load_gives_with_exact_floats(private, neo4j, tmp_path):
    """Stop the private server, run the exported import.sh with neo4j-admin from the same
    artifacts, start it again, and compare every node and relationship with a `load`."""
    graph = MechGraph.load()
    write_neo4j_csv(graph, tmp_path / "csv")
    tools = tmp_path / "bin"
    tools.mkdir()
    admin = tools / "neo4j-admin"
    admin.write_text(f'#!/bin/sh\nexec bash "{SCRIPT}" admin --dir "{private.workdir}" "$@"\n')
    admin.chmod(0o755)
    private.stop()
    try:
        done = subprocess.run(["sh", str(tmp_path / "csv" / "import.sh")], capture_output=True, text=True,
                              timeout=600, env={**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"})
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    finally:
        private.start()
    wipe(neo4j)
    load(neo4j, project(graph))
    with private.server().connect() as imported:
        assert snapshot(imported) == snapshot(neo4j)
        scores = imported.read("MATCH ()-[r]->() WHERE r.score IS NOT NULL RETURN r.id, r.score").rows
    expected = {r.id: r.properties["score"] for r in project(graph).relationships if "score" in r.properties}
    assert len(scores) == len(expected) and all(score == expected[i] for i, score in scores)


# -- the bulk path: a load into an empty database ------------------------------------------

#: floats that a lossy encoding would change: a sum that is not 0.3, the smallest subnormal,
#: the largest double, a tiny normal number, a negative one
AWKWARD_FLOATS = (0.1 + 0.2, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, -1234.5678901234567)


def empty(conn) -> None:
    """Remove every node, relationship, constraint and index (but the lookup indexes) of
    the private instance's database."""
    while conn.write("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n").rows != [[0]]:
        pass
    for name, in conn.read("SHOW CONSTRAINTS YIELD name RETURN name").rows:
        conn.write(f"DROP CONSTRAINT `{name}`")
    for name, in conn.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").rows:
        conn.write(f"DROP INDEX `{name}`")


def awkward(pg: PropertyGraph) -> PropertyGraph:
    """The projection with awkward floats in the first quantity nodes and assertion scores."""
    nodes, rels = list(pg.nodes), list(pg.relationships)
    quantities = [i for i, n in enumerate(nodes) if "Quantity" in n.labels][:len(AWKWARD_FLOATS)]
    scored = [i for i, r in enumerate(rels) if "score" in r.properties][:len(AWKWARD_FLOATS)]
    for value, i, j in zip(AWKWARD_FLOATS, quantities, scored, strict=True):
        nodes[i] = replace(nodes[i], properties={**nodes[i].properties, "value": value, "low": -value})
        rels[j] = replace(rels[j], properties={**rels[j].properties, "score": value})
    return PropertyGraph(nodes, rels)


def as_written(conn) -> tuple[dict, dict]:
    """Every mechgraph node by id (labels, properties) and relationship by (id, type)
    (ends, properties)."""
    nodes = {i: (sorted(labels), props) for i, labels, props in conn.read(NODES).rows}
    rels = {(i, t): (start, end, props) for i, t, start, end, props in conn.read(RELATIONSHIPS).rows}
    return nodes, rels


def expected(pg: PropertyGraph) -> tuple[dict, dict]:
    return ({n.id: (sorted(n.labels), n.properties) for n in pg.nodes},
            {(r.id, r.type): (r.start, r.end, r.properties) for r in pg.relationships})


def test_a_bulk_load_into_an_empty_database_writes_what_a_merging_load_writes(private):
    """Property by property, floats bit for bit: the bulk path, the merging path into the
    same empty database, and the projection itself agree; both create the constraint."""
    pg = awkward(project(MechGraph.load()))
    with private.server().connect() as conn:
        empty(conn)
        report = load(conn, pg)
        assert report.path == "bulk"
        assert (report.nodes, report.relationships) == (len(pg.nodes), len(pg.relationships))
        assert report.schema == ["uniqueness constraint on :Mechgraph(id)"]
        bulk = as_written(conn)
        constraints = conn.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                                "RETURN type, labelsOrTypes, properties").rows
        empty(conn)
        report = load(conn, pg, bulk=False)
        assert report.path == "merge"
        merged = as_written(conn)
        assert conn.read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
                         "RETURN type, labelsOrTypes, properties").rows == constraints == [
            ["UNIQUENESS", ["Mechgraph"], ["id"]]]
    assert bulk == merged == expected(pg)
    floats = [props[key] for _, props in bulk[0].values() for key in ("value", "low") if key in props]
    scores = [props["score"] for _, _, props in bulk[1].values() if "score" in props]
    for value in AWKWARD_FLOATS:
        assert value in floats and -value in floats and value in scores


def test_a_database_holding_anything_is_never_bulk_loaded(private):
    graph = MechGraph.load()
    pg = project(graph)
    with private.server().connect() as conn:
        empty(conn)
        conn.write("CREATE (:UnrelatedTest {name: 'keep'})")
        assert load(conn, pg).path == "merge"  # a node of someone else's
        assert conn.read("MATCH (n:UnrelatedTest) RETURN n.name").rows == [["keep"]]
        conn.write("MATCH (n:UnrelatedTest) DETACH DELETE n")
        assert load(conn, pg).path == "merge"  # mechgraph's own nodes: merged, nothing duplicated
        found = counts(conn)
        assert (found["nodes"], found["relationships"]) == (len(pg.nodes), len(pg.relationships))
        assert load(conn, pg, wipe_first=True).path == "bulk"  # --wipe left the database empty
        assert same_model(read_model(conn), graph.model)
        empty(conn)
        assert load(conn, pg, bulk=False).path == "merge"


def test_wipe_deletes_a_hub_whose_relationships_outgrow_one_transaction(tmp_path, monkeypatch):
    """--wipe on a big graph: a node with 60,000 relationships, on a server whose transactions
    may hold 16 MB. Deleting it with its relationships in one transaction (DETACH DELETE)
    needs more than that; wiping deletes relationships a batch at a time first, then nodes."""
    monkeypatch.setenv("MECHGRAPH_NEO4J_SETTINGS", "db.memory.transaction.max=16m")
    server = start_neo4j(tmp_path / "small-transactions")
    try:
        with server.server().connect() as conn:
            conn.write("CREATE (:Mechgraph {id: 'hub'}), (:UnrelatedTest {name: 'keep'})")
            for first in range(0, 60_000, 1000):
                conn.write("MATCH (h:Mechgraph {id: 'hub'}) UNWIND range($first, $first + 999) AS i "
                           "CREATE (h)-[:INHIBITS {id: 'r' + i}]->(:Mechgraph {id: 'n' + i})", {"first": first})
            with pytest.raises(QueryFailed, match="db.memory.transaction.max"):  # what DETACH DELETE alone meets
                conn.write("MATCH (n:Mechgraph {id: 'hub'}) DETACH DELETE n")
            assert wipe(conn, batch_size=1000) == 60_001
            assert conn.read("MATCH (n) RETURN labels(n), count(*)").rows == [[["UnrelatedTest"], 1]]
            assert conn.read("MATCH ()-[r]->() RETURN count(r)").rows == [[0]]
    finally:
        server.stop()


def test_a_number_no_server_can_hold_is_refused_before_anything_is_written(private):
    """A NaN or infinite property on the last relationship (the bulk path writes every node
    before any relationship) stops the load before its first request: the database stays
    empty, and the message names the item and property."""
    pg = project(MechGraph.load())
    rels = list(pg.relationships)
    last = max(i for i, r in enumerate(rels) if "score" in r.properties)
    for value in (float("nan"), float("-inf")):
        for bulk in (True, False):
            bad = list(rels)
            bad[last] = replace(rels[last], properties={**rels[last].properties, "score": value})
            with private.server().connect() as conn:
                empty(conn)
                with pytest.raises(MechgraphError) as caught:
                    load(conn, PropertyGraph(pg.nodes, bad), bulk=bulk)
                assert str(caught.value) == (
                    f"cannot load the number {value!r} (relationship {rels[last].id!r}, property 'score'); "
                    f"mechgraph loads finite numbers only, and nothing was written")
                assert conn.read("MATCH (n) RETURN count(n)").rows == [[0]]
                assert conn.read("SHOW CONSTRAINTS YIELD name RETURN name").rows == []


def test_a_bulk_load_that_fails_midway_keeps_whole_transactions_and_a_rerun_completes_it(private, run,
                                                                                       monkeypatch):
    """A node the server refuses stops the bulk load: its transaction leaves nothing, the
    error is one line saying how far the load got, and the same load run again (now into a
    database that is not empty) merges and gives exactly the graph, without duplicates."""
    graph = MechGraph.load()
    pg = project(graph)
    nodes = list(pg.nodes)
    bad = next(i for i, n in enumerate(nodes) if n.id == "ampar")
    nodes[bad] = replace(nodes[bad], properties={**nodes[bad].properties, "aliases": ["AMPAR", 1]})
    done = [0]
    with private.server().connect() as conn:
        empty(conn)
        with pytest.raises(LoadInterrupted) as caught:
            load(conn, PropertyGraph(nodes, pg.relationships), batch_size=10, progress=lambda d, _: done.append(d))
        message = str(caught.value)
        assert "\n" not in message
        assert re.match(r"loading into bolt://127\.0\.0\.1:\d+ stopped after (\d+) of \d+ nodes and 0 of \d+ "
                        r"relationships: .*Neo4j only supports a subset of Cypher types.*Run the same command "
                        r"again to finish", message)
        assert 0 < done[-1] < len(nodes)
        assert f"after {done[-1]} of" in message
        assert conn.read("MATCH (n:Mechgraph) RETURN count(n)").rows == [[done[-1]]]
        assert conn.read("MATCH (n:Mechgraph {id: 'ampar'}) RETURN count(n)").rows == [[0]]
    for name, value in private.server().env().items():
        monkeypatch.setenv(name, value)
    result = run("load", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["path"] == "merge"
    with private.server().connect() as conn:
        assert as_written(conn) == expected(pg)
        assert same_model(read_model(conn), graph.model)


def test_a_load_that_starts_while_a_bulk_load_writes_nodes_merges_and_nothing_is_duplicated(private):
    """A second load starting while a bulk load writes its nodes (the uniqueness constraint
    not there yet) finds the database claimed, merges and creates the constraint before it
    writes; the bulk load, meeting nodes the merge created, stops with how far it got, and
    running it again completes the graph. At no point does any id occur twice."""
    graph = MechGraph.load()
    pg = project(graph)
    seen = {}
    with private.server().connect() as first, private.server().connect() as second:
        empty(first)

        def meanwhile(done, total):
            if seen:
                return
            seen["constraints"] = first.read("SHOW CONSTRAINTS YIELD name RETURN name").rows
            seen["report"] = load(second, pg, batch_size=7)
            seen["duplicates"] = duplicated_ids(second)

        with pytest.raises(LoadInterrupted, match=r"stopped after \d+ of \d+ nodes and 0 of \d+ relationships: "
                                                  r".*already exists with label `Mechgraph` and property `id`"):
            load(first, pg, batch_size=7, progress=meanwhile)
        assert seen["constraints"] == [["mechgraph_loading"]]  # bulk, nodes first, no constraint on ids yet
        assert seen["report"].path == "merge"
        assert seen["report"].schema == ["uniqueness constraint on :Mechgraph(id)"]
        assert seen["duplicates"] == 0
        assert duplicated_ids(first) == 0
        assert load(first, pg).path == "merge"
        assert as_written(first) == expected(pg)
        assert first.read("MATCH (n) WHERE NOT n:Mechgraph RETURN count(n)").rows == [[0]]


def test_of_loads_racing_into_one_empty_database_one_takes_the_bulk_path(private):
    """Loads started together into one empty database: exactly one claims it and loads in
    bulk, the others merge; whichever of them stop on a node another wrote, no id occurs
    twice, and a last load completes the graph."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier
    pg = project(MechGraph.load())
    for _ in range(3):
        with private.server().connect() as conn:
            empty(conn)
        start = Barrier(3)

        def race(start: Barrier):
            with private.server().connect() as conn:
                start.wait()
                try:
                    return load(conn, pg, batch_size=20).path
                except LoadInterrupted:
                    return "stopped"

        with ThreadPoolExecutor(3) as pool:
            paths = list(pool.map(race, [start] * 3))
        assert paths.count("bulk") + paths.count("stopped") >= 1 and paths.count("bulk") <= 1, paths
        with private.server().connect() as conn:
            assert duplicated_ids(conn) == 0, paths
            load(conn, pg)
            assert as_written(conn) == expected(pg)
            assert conn.read("MATCH (n) WHERE NOT n:Mechgraph RETURN count(n)").rows == [[0]]


def duplicated_ids(conn) -> int:
    return conn.read("MATCH (n:Mechgraph) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(id)").rows[0][0]
