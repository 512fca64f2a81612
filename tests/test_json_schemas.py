"""Every command's ``--json`` output is what its JSON Schema (``mechgraph/schemas/``) says.

The schemas are the documented shapes (the docs site's JSON shapes page is generated from
them), so a key added, renamed or retyped without its schema fails here.
"""

from __future__ import annotations

import json
import shutil

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import EXAMPLE_GRAPH, EXAMPLE_SEEDS, ROOT
from mechgraph import schemas
from mechgraph.cli import cli

SCHEMAS = {name: schemas.load(name) for name in schemas.names()}
REGISTRY = Registry().with_resources(
    [(schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()])


def errors(name: str, document) -> list[str]:
    validator = Draft202012Validator(SCHEMAS[name], registry=REGISTRY)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}"
            for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))]


def check(name: str, document) -> None:
    found = errors(name, document)
    assert not found, (f"the output does not match src/mechgraph/schemas/{name}.schema.json (a new or changed key "
                       f"belongs in the schema, which documents it):\n" + "\n".join(found[:20]))


def output(run, *args) -> object:
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_valid_draft_2020_12_and_names_itself(name):
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.schema.json")
    assert name == "common" or schema.get("x-command", "").startswith("mechgraph ")


def test_every_command_with_json_has_a_schema():
    for command in cli.list_commands(None):
        params = cli.get_command(None, command).params
        if any("--json" in p.opts for p in params):
            assert command in SCHEMAS, f"`{command} --json` has no schema in src/mechgraph/schemas/"


@pytest.mark.parametrize("args", [
    ("path", "NMDAR", "BDNF"),
    ("path", "esketamine", "BDNF", "--signed"),
    ("path", "NMDAR", "esketamine", "--relation", "any", "-k", "8"),
    ("path", "esketamine", "depression-like behaviour", "--signed", "--directed"),
], ids=lambda a: " ".join(a))
def test_path(run, args):
    check("path", output(run, *args, "--json"))


def test_explain(run):
    check("explain", output(run, "explain", "esketamine", "--json"))


@pytest.mark.parametrize("args", [("show", "BDNF"), ("show", "mtor", "--evidence"), ("show", "esketamine"),
                                  ("show", "lateral habenula")], ids=lambda a: " ".join(a))
def test_show(run, args):
    check("show", output(run, *args, "--json"))


def test_search_stats_and_validate(run):
    check("search", output(run, "search", "tarp", "--json"))
    check("search", output(run, "search", "no such thing at all", "--json"))
    check("stats", output(run, "stats", "--json"))
    check("validate", output(run, "validate", "--json"))


def test_validate_of_a_broken_graph(run, tmp_path):
    graph = tmp_path / "g"
    shutil.copytree(EXAMPLE_GRAPH, graph)
    toy = graph / "toy.yaml"
    toy.write_text(toy.read_text(encoding="utf-8").replace("source: toy-seed", "source: nowhere", 1), encoding="utf-8")
    document = output(run, "validate", str(graph), "--json")
    assert document["valid"] is False and document["errors"]
    check("validate", document)


@pytest.mark.parametrize("args", [(), ("--kind", "quantity"), ("--entity", "mTOR"), ("--unexplained",)],
                         ids=lambda a: " ".join(a) or "all")
def test_conflicts(run, args):
    document = output(run, "conflicts", *args, "--json")
    assert document
    check("conflicts", document)


def test_coverage_and_locate(run):
    check("coverage", output(run, "--graph", EXAMPLE_GRAPH, "coverage", "--sources", EXAMPLE_SEEDS, "--json"))
    check("locate", output(run, "--graph", EXAMPLE_GRAPH, "locate", "f-x-p-mouse", "--sources", EXAMPLE_SEEDS,
                           "--json"))


def test_render(run, tmp_path):
    pytest.importorskip("pyvis")
    check("render", output(run, "render", "--focus", "BDNF", "-o", tmp_path / "m.html", "--json"))


def test_export(run, tmp_path):
    check("export", output(run, "export", "--format", "json", "-o", tmp_path / "g.json", "--json"))
    check("export-check", output(run, "export", "--all", "--check", "--dir", ROOT / "exports", "--json"))


def test_init_and_diff(run, tmp_path):
    text = tmp_path / "review.txt"
    text.write_text("Ketamine blocks the NMDA receptor in mice. It raises BDNF in the hippocampus.\n\n"
                    "This review covers its mechanism.\n", encoding="utf-8")
    check("init", output(run, "init", tmp_path / "new", "--source", text, "--json"))
    changed = tmp_path / "changed"
    shutil.copytree(EXAMPLE_GRAPH, changed)
    toy = changed / "toy.yaml"
    toy.write_text(toy.read_text(encoding="utf-8").replace("study_type: animal_in_vivo", "study_type: rct", 1),
                   encoding="utf-8")
    document = output(run, "diff", EXAMPLE_GRAPH, changed, "--sources", EXAMPLE_SEEDS, "--json")
    assert document["identical"] is False
    check("diff", document)
    check("diff", output(run, "diff", EXAMPLE_GRAPH, EXAMPLE_GRAPH, "--json"))


@pytest.mark.parametrize("query", [
    "MATCH (d:Drug {id: 'esketamine'})-[r:ANTAGONIZES]->(t) RETURN d, r, t.id AS target",
    "MATCH p = (:Entity {id: 'glun2b'})-[:PART_OF]->() RETURN p",
    "RETURN 1 AS one, 0.5 AS half, 'x' AS text, null AS nothing, [1, 'a', [true]] AS list, {k: {j: 1}} AS map",
    "MATCH (e:Entity) RETURN e.type AS type, count(*) AS n ORDER BY n DESC LIMIT 3",
])
def test_query(run, query):
    check("query", output(run, "query", query, "--json"))


def test_load_report_shape():
    """``load --json`` needs a server (tests/test_neo4j_load.py runs it); its report's own
    fields are checked here, with the counts the command adds."""
    from mechgraph.backends.loading import LoadReport
    report = LoadReport(uri="bolt://127.0.0.1:7687", server="Neo4j/5.26.30", nodes=2, relationships=1,
                        schema=["mechgraph_id"], seconds=0.1).to_json()
    report["counts"] = {"nodes": 2, "relationships": 1, "labels": {"Mechgraph": 2}, "types": {"TREATS": 1}}
    check("load", report)


def test_a_missing_or_retyped_key_is_caught(run):
    document = output(run, "path", "NMDAR", "BDNF", "--json")
    del document["paths"][0]["hops"][0]["score"]
    assert errors("path", document)
    document = output(run, "stats", "--json")
    document["entities"] = "many"
    assert errors("stats", document)
    document["undocumented"] = 1
    assert any("undocumented" in e for e in errors("stats", document))
