"""`mechgraph load` and the Bolt backend, on FalkorDB and on a real Neo4j 5 server.

Tests touch only mechgraph's nodes and the nodes they create themselves (label
UnrelatedTest), so they are safe to point at a Neo4j server that holds other data.
"""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph, MechgraphError
from mechgraph.backends.bolt import QueryFailed
from mechgraph.backends.loading import LoadInterrupted, counts, load, read_model, wipe
from mechgraph.backends.propertygraph import project, same_model

pytestmark = pytest.mark.slow

HOSTILE_GRAPH = EXAMPLE_GRAPH.parent / "hostile-graph"


def expected_counts(model) -> tuple[int, int]:
    """Nodes and relationships the property graph of ``model`` must have, counted from the
    records: entities, findings, sources and quantities; assertions, each finding's links
    (its seed, cited studies, interventions, topics, quantities) and the EVIDENCE links
    from a finding to both ends of each assertion it is evidence for."""
    quantities = sum(len(f.quantities) for f in model.findings.values())
    nodes = len(model.entities) + len(model.findings) + len(model.sources) + quantities
    links = sum(1 + len(f.cites) + len(f.interventions) + len(f.about) + len(f.quantities)
                for f in model.findings.values())
    evidence = sum(len(a.findings) * (1 if a.subject == a.object else 2) for a in model.assertions.values())
    return nodes, len(model.assertions) + links + evidence


def unrelated(conn) -> list:
    rows = conn.read("MATCH (n:UnrelatedTest) OPTIONAL MATCH (n)-[r:KNOWS]->(m) "
                     "RETURN n.name AS name, n.id AS id, labels(n) AS labels, r.since AS since, m.name AS other "
                     "ORDER BY name").rows
    return [[name, id_, sorted(labels), since, other] for name, id_, labels, since, other in rows]


def test_load_and_read_back_rebuild_the_model(conn):
    graph = MechGraph.load()
    pg = project(graph)
    wipe(conn)
    seen = []
    report = load(conn, pg, batch_size=200, progress=lambda done, total: seen.append((done, total)))
    nodes, relationships = expected_counts(graph.model)
    assert (report.nodes, report.relationships) == (nodes, relationships)
    assert [done for done, _ in seen] == sorted(set(done for done, _ in seen))
    assert seen[-1] == (nodes + relationships, nodes + relationships)
    found = counts(conn)
    assert (found["nodes"], found["relationships"]) == (nodes, relationships)
    assert found["labels"]["Entity"] == len(graph.model.entities)
    assert found["labels"]["Finding"] == len(graph.model.findings)
    back = read_model(conn)
    assert same_model(back, graph.model)
    assert back.entities["tarp-gamma8"] == graph.model.entities["tarp-gamma8"]
    assert conn.read("MATCH (:Drug {id: 'esketamine'})-[r:ANTAGONIZES]->(:Receptor {id: 'nmdar'}) "
                     "RETURN count(r) > 0").rows == [[True]]


def test_loading_twice_gives_the_same_counts(run, use_server, conn):
    wipe(conn)
    first = run("--graph", EXAMPLE_GRAPH, "load", "--json")
    assert first.exit_code == 0, first.stderr
    second = run("--graph", EXAMPLE_GRAPH, "load", "--json", "--batch-size", "3")
    assert second.exit_code == 0, second.stderr
    nodes, relationships = expected_counts(MechGraph.load(EXAMPLE_GRAPH).model)
    for result in (first, second):
        data = json.loads(result.stdout)
        assert (data["counts"]["nodes"], data["counts"]["relationships"]) == (nodes, relationships)
        assert (data["removed_nodes"], data["removed_relationships"]) == (0, 0)
    assert json.loads(first.stdout)["counts"] == json.loads(second.stdout)["counts"]
    duplicates = conn.read("MATCH (n:Mechgraph) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*)")
    assert duplicates.rows == [[0]]


def test_load_prints_a_summary(run, use_server, conn):
    result = run("--graph", EXAMPLE_GRAPH, "load", "--wipe")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(rf"loaded 15 nodes and 32 relationships into {re.escape(use_server.uri)} \(\w+\) "
                        rf"in [0-9.]+ s( \(bulk: the database was empty\))?", lines[0])
    assert lines[-1].startswith("the database now holds 15 mechgraph nodes and 32 relationships between them; ")
    assert use_server.password == "" or use_server.password not in result.stdout + result.stderr


def test_load_and_wipe_touch_only_mechgraph_data(run, use_server, conn):
    conn.write("MATCH (n:UnrelatedTest) DETACH DELETE n")
    conn.write("CREATE (a:UnrelatedTest {name: 'keep me'})-[:KNOWS {since: 1999}]->(b:UnrelatedTest {name: 'me too'}), "
               "(c:UnrelatedTest:Drug {name: 'same id as ours', id: 'drug-x'})")
    before = unrelated(conn)
    try:
        assert run("--graph", EXAMPLE_GRAPH, "load").exit_code == 0
        assert unrelated(conn) == before
        assert conn.read("MATCH (n:Mechgraph {id: 'drug-x'}) RETURN n.name, 'UnrelatedTest' IN labels(n)").rows == [
            ["Drug X", False]]
        wiped = run("load", "--wipe-only", "--json")
        assert wiped.exit_code == 0, wiped.stderr
        assert json.loads(wiped.stdout)["counts"]["nodes"] == 0
        assert conn.read("MATCH (n:Mechgraph) RETURN count(n)").rows == [[0]]
        assert unrelated(conn) == before
        assert before == [["keep me", None, ["UnrelatedTest"], 1999, "me too"],
                          ["me too", None, ["UnrelatedTest"], None, None],
                          ["same id as ours", "drug-x", ["Drug", "UnrelatedTest"], None, None]]
    finally:
        conn.write("MATCH (n:UnrelatedTest) DETACH DELETE n")


def test_reload_removes_what_the_graph_no_longer_has(conn, tmp_path):
    wipe(conn)
    load(conn, project(MechGraph.load(EXAMPLE_GRAPH)))
    data = yaml.safe_load((EXAMPLE_GRAPH / "toy.yaml").read_text(encoding="utf-8"))
    data["entities"] = [e for e in data["entities"] if e["id"] != "island"]
    next(e for e in data["entities"] if e["id"] == "pathway-q")["type"] = "Process"
    data["assertions"] = [a for a in data["assertions"] if a["id"] != "a-p-regulates-q"]
    data["findings"] = [f for f in data["findings"] if f["id"] != "f-p-regulates-q"]
    (tmp_path / "toy.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changed = MechGraph.load(tmp_path)
    report = load(conn, project(changed))
    # gone: island and the finding; the assertion, and the finding's seed and EVIDENCE links
    assert (report.removed_nodes, report.removed_relationships) == (2, 4)
    assert same_model(read_model(conn), changed.model)
    labels = conn.read("MATCH (n:Mechgraph {id: 'pathway-q'}) RETURN labels(n)").rows[0][0]
    assert sorted(labels) == ["Entity", "Mechgraph", "Process"]


def test_hostile_text_loads_verbatim(conn):
    graph = MechGraph.load(HOSTILE_GRAPH)
    wipe(conn)
    load(conn, project(graph))
    assert same_model(read_model(conn), graph.model)
    name = graph.model.entities["quote-drug"].name
    assert conn.read("MATCH (n:Entity {name: $name}) RETURN n.id, n.aliases", {"name": name}).rows == [
        ["quote-drug", list(graph.model.entities["quote-drug"].aliases)]]
    assert counts(conn)["nodes"] == expected_counts(graph.model)[0]
    assert conn.read("MATCH (q:Quantity) RETURN q.low, q.high").rows == [[0.000123456789, 1e-07]]


def test_parameters_cross_the_bolt_layer_unchanged(conn):
    for text in ["it's", "a\\b", "' RETURN 1 AS s //", "\\'", "line\nbreak", "`{}`", "艾司氯胺酮 γ8"]:
        assert conn.read("RETURN $s AS s", {"s": text}).rows == [[text]]
    assert conn.read("RETURN $v AS v", {"v": [1, 0.5, True, None, {"k": "x'y"}]}).rows == [
        [[1, 0.5, True, None, {"k": "x'y"}]]]


def test_writes_need_write_and_are_refused_otherwise(run, use_server, conn):
    wipe(conn)
    load(conn, project(MechGraph.load(EXAMPLE_GRAPH)))
    before = counts(conn)
    refused = run("query", "MATCH (n:Mechgraph) DETACH DELETE n")
    assert refused.exit_code == 1
    assert refused.stderr == "error: the query writes (DETACH DELETE) and was not sent; add --write to allow writes\n"
    sneaky = run("query", "MATCH (n:Mechgraph) WITH n LIMIT 1 CALL apoc.nodes.delete(n, 1) YIELD value RETURN value")
    assert sneaky.exit_code == 1 and "(CALL apoc.nodes.delete)" in sneaky.stderr
    assert counts(conn) == before
    try:
        written = run("query", "CREATE (n:UnrelatedTest {name: $name}) RETURN n.name AS name", "-p", "name=written",
                      "--write", "--json")
        assert written.exit_code == 0, written.stderr
        data = json.loads(written.stdout)
        assert data["rows"] == [{"name": "written"}]
        assert data["counters"]["nodes_created"] == 1
        assert conn.read("MATCH (n:UnrelatedTest {name: 'written'}) RETURN count(n)").rows == [[1]]
    finally:
        conn.write("MATCH (n:UnrelatedTest) DETACH DELETE n")


def test_query_on_a_server_reads_the_loaded_graph(run, use_server, conn):
    wipe(conn)
    load(conn, project(MechGraph.load(EXAMPLE_GRAPH)))
    result = run("query", "MATCH (d:Drug)-[r:TREATS]->(c) RETURN d.id AS drug, c.name AS condition, r.score AS score")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("drug   | condition | score\n"
                             "-------+-----------+------\n"
                             "drug-x | Disease D | 0.8\n"
                             "(1 row)\n")
    data = json.loads(run("query", "MATCH p = (d:Drug)-[r:ANTAGONIZES]->(t) RETURN d, r, p", "--json").stdout)
    assert data["backend"] == use_server.name
    row = data["rows"][0]
    assert row["d"]["properties"]["aliases"] == ["DX", "X-101"] and "Drug" in row["d"]["labels"]
    assert row["r"]["type"] == "ANTAGONIZES" and row["r"]["start"] == "drug-x"
    assert row["r"]["properties"]["supporting"] == ["f-x-blocks-r"]
    assert [n["properties"]["id"] for n in row["p"]["nodes"]] == ["drug-x", "receptor-r"]


@pytest.mark.parametrize("bolt", ["falkordb"], indirect=True)
def test_falkordb_gaps_are_refused_before_sending(run, use_server, conn):
    result = run("query", "MATCH (e:Entity) WHERE e.name =~ 'Drug.*' RETURN e.id")
    assert result.exit_code == 1
    assert result.stderr == (f"error: FalkorDB at {use_server.uri} does not support the regular-expression operator "
                             f"=~; the query was not sent\n")
    result = run("query", "RETURN datetime() AS now")
    assert result.exit_code == 1 and "stops the FalkorDB server" in result.stderr
    with pytest.raises(MechgraphError, match="would round 0.123456789 to six decimals"):
        conn.read("RETURN $x", {"x": 0.123456789})
    assert conn.read("RETURN 1 AS still_up").rows == [[1]]


@pytest.mark.parametrize("bolt", ["neo4j"], indirect=True)
def test_neo4j_refuses_writes_in_read_transactions(conn):
    with pytest.raises(QueryFailed, match="refused to write in a read transaction"):
        conn.read("CREATE (n:UnrelatedTest {name: 'must not exist'}) RETURN n")
    assert conn.read("MATCH (n:UnrelatedTest {name: 'must not exist'}) RETURN count(n)").rows == [[0]]


def test_wrong_credentials_and_unknown_database(run, neo4j_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", "certainly-not-the-password")
    result = run("load")
    assert result.exit_code == 1
    assert result.stderr == f"error: authentication failed for user {neo4j_server.user!r} at {neo4j_server.uri}\n"
    assert "certainly-not" not in result.stdout + result.stderr
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    result = run("load", "--database", "no-such-database-here")
    assert result.exit_code == 1
    assert result.stderr == f"error: database 'no-such-database-here' does not exist on {neo4j_server.uri}\n"


def test_unreachable_server(run, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2-very-secret")
    result = run("--graph", EXAMPLE_GRAPH, "load", "--uri", "bolt://127.0.0.1:1")
    assert result.exit_code == 1
    assert result.stderr == "error: cannot reach a server at bolt://127.0.0.1:1: Connection refused\n"
    assert "hunter2" not in result.stdout + result.stderr


def test_labels_and_types_are_checked_against_the_vocabularies():
    from mechgraph.model.core import Entity, Model
    from mechgraph.backends.loading import node_statement, relationship_statement
    with pytest.raises(MechgraphError, match=r"^'Drug`\) DETACH DELETE n //' is not a mechgraph label$"):
        node_statement(("Mechgraph", "Drug`) DETACH DELETE n //"))
    with pytest.raises(MechgraphError, match="^'KNOWS' is not a mechgraph relationship type$"):
        relationship_statement("KNOWS")
    bad = Model(entities={"x": Entity("x", "Drug`:Admin", "X", "X")})

    class Graph:
        model = bad
    with pytest.raises(MechgraphError, match=r"^'Drug`:Admin' is not a mechgraph entity type$"):
        project(Graph())


def test_a_server_stopped_mid_load_gives_how_far_and_a_rerun_completes(run, tmp_path, monkeypatch):
    """Kill FalkorDB in the middle of a load, restart it, load again, compare counts."""
    from falkordb_server import start_falkordb
    from mechgraph.backends.bolt import connect
    graph = MechGraph.load()
    pg = project(graph)
    server = start_falkordb(tmp_path / "server")
    written = []
    try:
        def stop_part_way(done, total):
            written.append(done)
            if done >= total * 0.4 and server.process is not None:
                server.kill()

        with connect(server.uri, user="falkordb", password="") as conn, pytest.raises(LoadInterrupted) as stopped:
            load(conn, pg, batch_size=25, progress=stop_part_way)
        found = re.fullmatch(rf"loading into {re.escape(server.uri)} stopped after (\d+) of {len(pg.nodes)} nodes "
                             rf"and (\d+) of {len(pg.relationships)} relationships: lost the connection to "
                             rf"{re.escape(server.uri)}: .+\. Run the same command again to finish \(loading merges "
                             rf"on ids, so nothing is duplicated\)", str(stopped.value))
        assert found, str(stopped.value)
        assert int(found[1]) + int(found[2]) == written[-1] < len(pg.nodes) + len(pg.relationships)

        server.start()
        for name, value in server.server().env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("NEO4J_DATABASE", raising=False)
        result = run("load", "--batch-size", "25", "--json")
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert (data["counts"]["nodes"], data["counts"]["relationships"]) == expected_counts(graph.model)
    finally:
        server.stop()


def test_a_rerun_after_a_partial_load_adds_no_duplicates(conn):
    """Stop a load part-way from the client side, so that half the graph is there, then load again."""
    graph = MechGraph.load()
    pg = project(graph)
    wipe(conn)

    class Stop(Exception):
        pass

    def stop_part_way(done, total):
        if done >= total * 0.4:
            raise Stop(done)

    with pytest.raises(Stop) as stopped:
        load(conn, pg, batch_size=25, progress=stop_part_way)
    partial = counts(conn)
    assert partial["nodes"] + partial["relationships"] == stopped.value.args[0]
    load(conn, pg, batch_size=25)
    final = counts(conn)
    assert (final["nodes"], final["relationships"]) == expected_counts(graph.model)
    assert conn.read("MATCH (n:Mechgraph) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*)").rows == [[0]]
    assert conn.read("MATCH (:Mechgraph)-[r]->(:Mechgraph) WITH type(r) + r.id AS key, count(*) AS c WHERE c > 1 "
                     "RETURN count(*)").rows == [[0]]
    assert same_model(read_model(conn), graph.model)
