"""`mechgraph query` on the embedded graph: output formats, typed parameters, errors."""

from __future__ import annotations

import json

import pytest

from mechgraph.cli.query import parse_params


@pytest.fixture(autouse=True)
def _no_server(monkeypatch):
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


TREATS = "MATCH (d:Drug)-[r:TREATS]->(c) RETURN d.id AS drug, c.name AS condition, r.score AS score"


def test_table(run, example_dir):
    result = run("--graph", example_dir, "query", TREATS)
    assert result.exit_code == 0
    assert result.stdout == ("drug   | condition | score\n"
                             "-------+-----------+------\n"
                             "drug-x | Disease D | 0.8\n"
                             "(1 row)\n")


def test_json(run, example_dir):
    result = run("--graph", example_dir, "query", TREATS, "--json")
    assert json.loads(result.stdout) == {"backend": "embedded", "columns": ["drug", "condition", "score"],
                                         "rows": [{"drug": "drug-x", "condition": "Disease D", "score": 0.8}]}


def test_csv(run, example_dir):
    result = run("--graph", example_dir, "query",
                 "MATCH (e:Entity {id: 'drug-x'}) RETURN e.id AS id, e.aliases AS aliases, e.nope AS nope", "--csv")
    assert result.stdout == 'id,aliases,nope\ndrug-x,"[""DX"",""X-101""]",\n'


def test_graph_values_are_rendered(run, example_dir):
    query = "MATCH p = (d:Drug)-[r:ANTAGONIZES]->(t) RETURN d, r, p"
    table = run("--graph", example_dir, "query", query).stdout.splitlines()
    assert table[2].split(" | ") == [
        "(:Entity:Drug {id: 'drug-x', name: 'Drug X'})",
        "(drug-x)-[:ANTAGONIZES {id: 'a-x-antagonizes-r'}]->(receptor-r)",
        "(drug-x)-[:ANTAGONIZES]->(receptor-r)"]
    row = json.loads(run("--graph", example_dir, "query", query, "--json").stdout)["rows"][0]
    assert row["d"]["labels"] == ["Mechgraph", "Entity", "Drug"]
    assert row["d"]["properties"]["aliases"] == ["DX", "X-101"]
    assert {k: row["r"][k] for k in ("type", "start", "end")} == {
        "type": "ANTAGONIZES", "start": "drug-x", "end": "receptor-r"}
    assert row["r"]["properties"]["supporting"] == ["f-x-blocks-r"]
    assert [n["properties"]["id"] for n in row["p"]["nodes"]] == ["drug-x", "receptor-r"]
    assert [r["type"] for r in row["p"]["relationships"]] == ["ANTAGONIZES"]


def test_typed_parameters(run, example_dir):
    result = run("--graph", example_dir, "query",
                 "UNWIND $ids AS id MATCH (e:Entity {id: id}) WHERE $flag AND size(e.name) > $n "
                 "RETURN e.id AS id, $label AS label, $m.k AS k", "-p", 'ids=["drug-x", "protein-p"]',
                 "-p", "flag=true", "-p", "n=2", "-p", "label=Drug X", "-p", 'm={"k": 0.5}', "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == [{"id": "drug-x", "label": "Drug X", "k": 0.5},
                                                 {"id": "protein-p", "label": "Drug X", "k": 0.5}]


def test_parse_params():
    assert parse_params(("n=5", "x=0.5", "s=\"5\"", "t=text with = sign", "z=null")) == {
        "n": 5, "x": 0.5, "s": "5", "t": "text with = sign", "z": None}


@pytest.mark.parametrize("args, message", [
    (["CREATE (n) RETURN n"], "error: the embedded graph is read-only (CREATE is a write); load the graph into "
                              "Neo4j and use --uri with --write to change it\n"),
    (["MATCH (n) RETURN n", "--write"], "error: the embedded graph is read-only (it is built from the graph's YAML "
                                        "files); to write, load it into Neo4j and pass --uri with --write\n"),
    (["RETURN $x", "-p", "x"], "error: parameter 'x' is not KEY=VALUE with a plain KEY (letters, digits, _)\n"),
    (["RETURN $x", "-p", "x=1", "-p", "x=2"], "error: parameter 'x' is given twice\n"),
    (["MATCH (n) RETURN n.id ORDER BY"], "error: expected an expression but found the end of the query at "
                                         "line 1, column 31\n"),
    (["RETURN shortestPath((a)-->(b))"], "error: the embedded Cypher engine does not support shortestPath() "
                                         "outside MATCH; run the query on Neo4j instead (--uri or NEO4J_URI)\n"),
])
def test_errors_are_one_line(run, example_dir, args, message):
    result = run("--graph", example_dir, "query", *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""


def test_json_and_csv_exclude_each_other(run, example_dir):
    result = run("--graph", example_dir, "query", "RETURN 1", "--json", "--csv")
    assert result.exit_code == 2
    assert "choose one of --json and --csv" in result.stderr


def test_embedded_flag_wins_over_neo4j_uri(run, example_dir, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    result = run("--graph", example_dir, "query", "MATCH (d:Drug) RETURN d.id", "--embedded")
    assert result.exit_code == 0
    assert "drug-x" in result.stdout


def test_unreachable_server_is_one_line_without_the_password(run, example_dir, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2-very-secret")
    result = run("--graph", example_dir, "query", "RETURN 1", "--uri", "bolt://127.0.0.1:1")
    assert result.exit_code == 1
    assert result.stderr == "error: cannot reach a server at bolt://127.0.0.1:1: Connection refused\n"
    assert "hunter2" not in result.stdout + result.stderr


def test_a_password_in_the_uri_is_not_printed(run, example_dir):
    result = run("--graph", example_dir, "query", "RETURN 1", "--uri", "bolt://alice:hunter2@127.0.0.1:1")
    assert result.exit_code == 1
    assert "hunter2" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert "bolt://127.0.0.1:1" in result.stderr


def test_query_on_the_bundled_graph_knows_the_core_facts(run):
    result = run("query", "MATCH (d:Drug {id: 'esketamine'})-[r:ANTAGONIZES]->(t {id: 'nmdar'}) "
                          "RETURN d.id AS drug, t.id AS target, type(r) AS type", "--json")
    assert result.exit_code == 0, result.stderr
    assert {"drug": "esketamine", "target": "nmdar", "type": "ANTAGONIZES"} in json.loads(result.stdout)["rows"]


def test_path_startup_does_not_import_the_engine_or_driver():
    import subprocess
    import sys
    code = ("import sys; from mechgraph.cli import cli; "
            "from click.testing import CliRunner; CliRunner().invoke(cli, ['path', 'NMDAR', 'BDNF']); "
            "print(sorted(m for m in sys.modules if m.startswith(('neo4j', 'mechgraph.cypher', "
            "'mechgraph.neo4j', 'mechgraph.backends.propertygraph'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr
