"""`mechgraph show` and `mechgraph stats`."""

import json

from mechgraph import MechGraph


def test_show_json_shape(run, example_dir):
    result = run("--graph", example_dir, "show", "protein p", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "protein-p"
    assert data["entity"]["xrefs"] == {"HGNC.SYMBOL": ["PPP"]}
    incoming = {(e["predicate"], e["other"]["id"]) for e in data["in"]}
    assert incoming == {("decreases_expression", "receptor-r"), ("increases_expression", "drug-x")}
    assert [(e["predicate"], e["other"]["id"]) for e in data["out"]] == [("regulates", "pathway-q")]
    edge = next(e for e in data["in"] if e["other"]["id"] == "drug-x")
    assert edge["findings"] == ["f-x-p-mouse", "f-x-p-rat-null"]
    finding = next(f for f in data["findings"] if f["id"] == "f-x-p-rat-null")
    assert finding["direction"] == "no_effect" and finding["species"] == ["rat"]
    assert finding["locator"] == ["p5.s3"]
    assert set(finding) >= {"id", "statement", "statement_zh", "level", "species", "direction", "locator"}


def test_show_text_lists_edges_and_findings(run, example_dir):
    result = run("--graph", example_dir, "show", "药物X")
    assert result.exit_code == 0
    assert result.stdout.startswith("Drug X / 药物X  [Drug]  id: drug-x")
    assert "→ antagonizes Receptor R (receptor-r)" in result.stdout
    assert "1 for, 1 against" in result.stdout


def test_stats_counts_the_example(run, example_dir):
    data = json.loads(run("--graph", example_dir, "stats", "--json").stdout)
    assert (data["entities"], data["assertions"], data["findings"], data["sources"]) == (7, 6, 7, 1)
    assert data["by_type"]["Drug"] == 1 and data["by_type"]["Protein"] == 1
    assert data["by_predicate"]["increases_expression"] == 1
    assert data["by_level"] == {"rct": 1, "animal_in_vivo": 5, "review_opinion": 1}
    assert data["by_role"] == {"result": 6, "opinion": 1}
    assert data["by_relation"] == {"causal": 2, "drug-target": 1, "drug-effect": 2, "clinical": 1}


def test_stats_text(run, example_dir):
    result = run("--graph", example_dir, "stats")
    assert result.stdout.startswith("entities 7, assertions 6, findings 7, sources 1")


def test_library_neighbours(example_dir):
    g = MechGraph.load(example_dir)
    assert g.neighbours("Receptor R", depth=1) == ["receptor-r", "drug-x", "protein-p"]
