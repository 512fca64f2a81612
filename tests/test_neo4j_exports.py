"""The artifacts for Neo4j users: the cypher-shell script and the neo4j-admin import CSVs."""

from __future__ import annotations

import csv

import pytest

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph, MechgraphError
from mechgraph.cypher.lexer import SYMBOL, tokenize
from mechgraph.io.cypher_script import STATEMENT_LIMIT, write_cypher_script
from mechgraph.io.neo4j_csv import ARRAY_DELIMITER, read_neo4j_csv, write_neo4j_csv
from mechgraph.backends.loading import counts, load, read_model, wipe
from mechgraph.backends.propertygraph import project, same_model, to_model

HOSTILE_GRAPH = EXAMPLE_GRAPH.parent / "hostile-graph"


def script_statements(text: str) -> list[str]:
    """Split a script into statements at the semicolons outside strings and comments, as
    cypher-shell does."""
    statements, start = [], None
    for token in tokenize(text):
        if token.kind == SYMBOL and token.text == ";":
            statements.append(text[start:token.pos])
            start = None
        elif start is None and token.kind != "end":
            start = token.pos
    return statements


def run_script(conn, path) -> int:
    """Run every statement of a script (skipping what the server lacks: FalkorDB has no
    constraints); return how many ran."""
    ran = 0
    for statement in script_statements(path.read_text(encoding="utf-8")):
        if conn.is_falkordb and statement.startswith("CREATE CONSTRAINT"):
            continue
        conn.write(statement)
        ran += 1
    return ran


@pytest.mark.slow
@pytest.mark.parametrize("graph_dir", [None, HOSTILE_GRAPH], ids=["bundled", "hostile"])
def test_cypher_script_builds_what_load_builds(conn, tmp_path, graph_dir):
    graph = MechGraph.load(graph_dir)
    wipe(conn)
    load(conn, project(graph))
    loaded = counts(conn)
    wipe(conn)
    script = write_cypher_script(graph, tmp_path / "mechgraph.cypher")[0]
    assert run_script(conn, script) > 1
    assert counts(conn) == loaded
    assert same_model(read_model(conn), graph.model)
    run_script(conn, script)  # running it again changes nothing
    assert counts(conn) == loaded


def test_cypher_script_shape(tmp_path):
    graph = MechGraph.load(EXAMPLE_GRAPH)
    path = write_cypher_script(graph, tmp_path / "toy.cypher")[0]
    text = path.read_text(encoding="utf-8")
    statements = script_statements(text)
    assert statements[0] == "CREATE CONSTRAINT mechgraph_id IF NOT EXISTS FOR (n:Mechgraph) REQUIRE n.id IS UNIQUE"
    assert all(len(s.encode()) < STATEMENT_LIMIT for s in statements)
    assert any("MERGE (a)-[r:`ANTAGONIZES` {id: row.id}]->(b)" in s for s in statements)
    assert text.startswith("// mechgraph: the graph as Cypher, for cypher-shell")
    assert write_cypher_script(graph, tmp_path / "again.cypher")[0].read_bytes() == path.read_bytes()


def test_hostile_text_cannot_change_a_script_statement(tmp_path):
    path = write_cypher_script(MechGraph.load(HOSTILE_GRAPH), tmp_path / "hostile.cypher")[0]
    statements = script_statements(path.read_text(encoding="utf-8"))
    # one constraint, then one statement per label set (7) and relationship type (6): none split open
    # by a quote, and no keyword from the data outside a string literal
    assert len(statements) == 1 + 7 + 6
    for statement in statements[1:]:
        words = {t.upper for t in tokenize(statement) if t.kind == "word"}
        assert not words & {"DELETE", "DETACH", "DROP", "CREATE", "RETURN", "OR"}, statement


@pytest.mark.parametrize("graph_dir", [None, EXAMPLE_GRAPH, HOSTILE_GRAPH], ids=["bundled", "toy", "hostile"])
def test_neo4j_csv_holds_the_whole_graph(tmp_path, graph_dir):
    graph = MechGraph.load(graph_dir)
    files = write_neo4j_csv(graph, tmp_path / "neo4j")
    back = read_neo4j_csv(tmp_path / "neo4j")
    pg = project(graph)
    assert sorted((n.id, n.labels, n.properties) for n in back.nodes) == \
        sorted((n.id, n.labels, n.properties) for n in pg.nodes)
    assert sorted(back.relationships, key=lambda r: r.id) == sorted(pg.relationships, key=lambda r: r.id)
    model = to_model([(n.labels, n.properties) for n in back.nodes],
                     [(r.type, r.start, r.end, r.properties) for r in back.relationships])
    assert same_model(model, graph.model)
    assert {p.name for p in files} >= {"nodes-entities.csv", "nodes-findings.csv", "relationships-assertions.csv",
                                       "import.sh"}


def test_neo4j_csv_headers_and_import_command(tmp_path):
    write_neo4j_csv(MechGraph.load(EXAMPLE_GRAPH), tmp_path / "neo4j")
    with open(tmp_path / "neo4j" / "nodes-entities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["id:ID", ":LABEL"] and "aliases:string[]" in rows[0]
    drug = next(r for r in rows if r[0] == "drug-x")
    assert drug[1] == ARRAY_DELIMITER.join(["Mechgraph", "Entity", "Drug"])
    assert drug[rows[0].index("aliases:string[]")] == "DX" + ARRAY_DELIMITER + "X-101"
    with open(tmp_path / "neo4j" / "relationships-assertions.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:4] == [":START_ID", ":END_ID", ":TYPE", "id"] and "score:double" in header
    script = (tmp_path / "neo4j" / "import.sh").read_text(encoding="utf-8")
    assert 'neo4j-admin database import full "${1:-neo4j}" --overwrite-destination --array-delimiter=U+001F ' \
           '--multiline-fields=true --nodes=nodes-sources.csv --nodes=nodes-entities.csv' in script
    first = {p.name: p.read_bytes() for p in (tmp_path / "neo4j").iterdir()}
    write_neo4j_csv(MechGraph.load(EXAMPLE_GRAPH), tmp_path / "neo4j")
    assert {p.name: p.read_bytes() for p in (tmp_path / "neo4j").iterdir()} == first


def test_neo4j_csv_refuses_the_array_delimiter_in_values(tmp_path):
    text = (EXAMPLE_GRAPH / "toy.yaml").read_text(encoding="utf-8").replace("aliases: [DX, X-101]",
                                                                          'aliases: ["D\\x1fX"]')
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "toy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(MechgraphError, match="^drug-x: a value contains U\\+001F"):
        write_neo4j_csv(MechGraph.load(tmp_path / "g"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_export_command_writes_both(run, tmp_path):
    assert run("--graph", EXAMPLE_GRAPH, "export", "--format", "cypher", "-o", tmp_path / "g.cypher").exit_code == 0
    assert (tmp_path / "g.cypher").read_text(encoding="utf-8").count("MERGE") > 5
    assert run("--graph", EXAMPLE_GRAPH, "export", "--format", "neo4j-csv", "-o", tmp_path / "csv").exit_code == 0
    assert (tmp_path / "csv" / "import.sh").exists()


def test_a_value_too_large_for_one_statement_is_refused_leaving_the_old_script(run, tmp_path):
    """The script is written a statement at a time; a node too large for one statement,
    met after others were made, still leaves the file that was there as it was."""
    text = (EXAMPLE_GRAPH / "toy.yaml").read_text(encoding="utf-8")
    assert "aliases: [DX, X-101]" in text
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "toy.yaml").write_text(text.replace("aliases: [DX, X-101]", f"aliases: [DX, {'x' * 4000}]"),
                                            encoding="utf-8")
    target = tmp_path / "g.cypher"
    target.write_text("// the script of yesterday\n", encoding="utf-8")
    done = run("--graph", tmp_path / "g", "export", "--format", "cypher", "-o", target)
    assert done.exit_code != 0
    assert done.output.count("error:") == 1 and "'drug-x' is too large for one statement" in done.output
    assert target.read_text(encoding="utf-8") == "// the script of yesterday\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("g.cypher")] == ["g.cypher"]


@pytest.mark.parametrize("folder", [None, EXAMPLE_GRAPH, HOSTILE_GRAPH, EXAMPLE_GRAPH.parent / "kgx-graph"])
@pytest.mark.parametrize("cached", [True, False])
def test_the_projection_carries_the_numbers_of_the_graphs_edges(folder, cached, monkeypatch):
    """Every backend and Neo4j artifact shows an assertion's sign, level, score and species
    as the rest of mechgraph does: the projection's equal the networkx graph's edges."""
    if not cached:
        monkeypatch.setenv("MECHGRAPH_NO_CACHE", "1")
    graph = MechGraph.load(folder)
    edges = graph.nx.edges
    shown = {r.id: r.properties for r in project(graph).relationships if "predicate" in r.properties}
    assert len(shown) == len(graph.model.assertions)
    for a in graph.model.assertions.values():
        data = edges[a.subject, a.object, a.id]
        props = shown[a.id]
        assert (props.get("sign"), props["level"], props["score"], props.get("species", [])) == \
            (data["sign"], data["level"], float(data["score"]), list(data["species"]))
