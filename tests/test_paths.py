"""`mechgraph path --relation any`: ranked connections with each hop's evidence, and the
CLI contract of `path` (the chain rules are in test_chains.py)."""

import json

import pytest

from mechgraph import MechGraph, NoPath


@pytest.fixture
def toy(example_dir):
    return MechGraph.load(example_dir)


def test_paths_are_ranked_by_length_then_weakest_hop(toy):
    result = toy.path("receptor-r", "pathway-q", relation="any")
    lengths = [len(p["hops"]) for p in result["paths"]]
    assert lengths == sorted(lengths)
    first = result["paths"][0]
    assert [n["id"] for n in first["nodes"]] == ["receptor-r", "protein-p", "pathway-q"]
    assert [h["predicate"] for h in first["hops"]] == ["decreases_expression", "regulates"]


def test_hop_reports_direction_sign_level_species_and_findings(toy):
    hops = {(h["source"], h["target"]): h for p in toy.path("receptor-r", "disease-d", relation="any")["paths"] for h in p["hops"]}
    back = hops[("receptor-r", "drug-x")]
    assert back["direction"] == "reverse"
    assert back["predicate"] == "antagonizes" and back["sign"] == "-"
    assert back["level"] == "animal_in_vivo"
    assert back["species"] == ["mouse"]
    assert back["findings"] == ["f-x-blocks-r"]
    forward = hops[("drug-x", "disease-d")]
    assert forward["direction"] == "forward" and forward["level"] == "rct"


def test_refuting_findings_are_listed_on_the_hop(toy):
    hop = toy.path("drug-x", "protein-p", relation="any")["paths"][0]["hops"][0]
    assert hop["findings"] == ["f-x-p-mouse", "f-x-p-rat-null"]
    assert hop["species"] == ["mouse", "rat"]


def test_same_length_paths_rank_by_weakest_hop_score():
    g = MechGraph.load()
    # A path whose weakest hop is better evidenced must not rank below a weaker one of equal length.
    paths = g.path("esketamine", "bdnf", k=20, max_hops=3, relation="any")["paths"]
    keys = [(len(p["hops"]), -min(h["score"] for h in p["hops"])) for p in paths]
    assert keys == sorted(keys)
    assert all(p["score"] == min(h["score"] for h in p["hops"]) for p in paths)


def test_hop_between_neighbours_is_the_best_scored_assertion(toy):
    hop = toy.path("drug-x", "protein-p", directed=True, relation="any")["paths"][0]["hops"][0]
    candidates = [d["score"] for _, v, d in toy.nx.out_edges("drug-x", data=True) if v == "protein-p"]
    assert hop["score"] == max(candidates)


def test_refuted_only_assertions_are_not_hops(tmp_path, example_dir):
    import shutil
    shutil.copytree(example_dir, tmp_path / "g")
    path = tmp_path / "g" / "toy.yaml"
    text = path.read_text(encoding="utf-8")
    # Make the only direct drug X -> protein P assertion purely refuted.
    text = text.replace("    supporting: [f-x-p-mouse]\n    refuting: [f-x-p-rat-null]", "    refuting: [f-x-p-rat-null]")
    text = text.replace("  - id: f-x-p-mouse\n", "  - id: f-x-p-mouse\n    about: [protein-p]\n")
    path.write_text(text, encoding="utf-8")
    g = MechGraph.load(tmp_path / "g")
    for relation in ("chain", "any"):
        for p in g.path("drug-x", "protein-p", k=10, relation=relation)["paths"]:
            assert "a-x-increases-expression-p" not in [h["assertion"] for h in p["hops"]]
    for p in g.path("drug-x", "protein-p", k=10)["paths"]:
        assert "a-x-increases-expression-p" not in [h["assertion"] for h in p["hops"]]


def test_min_level_drops_weaker_edges(toy):
    with pytest.raises(NoPath, match="at evidence level rct or better"):
        toy.path("receptor-r", "pathway-q", min_level="rct", relation="any")
    with pytest.raises(NoPath, match="no mechanism chain .* at evidence level rct or better"):
        toy.path("receptor-r", "pathway-q", min_level="rct")


def test_directed_paths_follow_assertions_forward(toy):
    with pytest.raises(NoPath):
        toy.path("receptor-r", "drug-x", directed=True, relation="any")
    assert toy.path("drug-x", "receptor-r", directed=True, relation="any")["paths"][0]["hops"][0]["direction"] \
        == "forward"


def test_k_limits_the_number_of_paths(toy):
    assert len(toy.path("receptor-r", "pathway-q", k=1)["paths"]) == 1


def test_no_path_is_an_error_with_exit_1(run, example_dir):
    result = run("--graph", example_dir, "path", "drug-x", "island", "--relation", "any")
    assert result.exit_code == 1
    assert result.stderr == "error: no path from 'drug-x' to 'island' within 4 hops\n"
    result = run("--graph", example_dir, "path", "drug-x", "island")
    assert result.exit_code == 1
    assert result.stderr == ("error: no mechanism chain between Drug X and Isolated process within 4 hops, "
                             "and no other connection either\n")


def test_max_hops_bounds_the_search(run, example_dir):
    result = run("--graph", example_dir, "path", "receptor-r", "pathway-q", "--max-hops", "1")
    assert result.exit_code == 1
    assert "within 1 hops" in result.stderr


def test_path_json_shape(run, example_dir):
    result = run("--graph", example_dir, "path", "R-γ2", "Pathway Q", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["source"] == {"id": "receptor-r", "name": "Receptor R", "name_zh": "受体R", "type": "Receptor"}
    path = data["paths"][0]
    assert set(path) >= {"nodes", "hops", "score"}
    assert set(path["hops"][0]) >= {"source", "target", "predicate", "sign", "level", "species", "findings"}
    assert isinstance(path["score"], float)


def test_path_text_output_names_every_hop(run, example_dir):
    result = run("--graph", example_dir, "path", "receptor-r", "pathway-q", "-k", "1")
    assert result.exit_code == 0
    assert "step 1: Receptor R —decreases_expression (−)→ Protein P   [causal]" in result.stdout
    assert "for: f-p-regulates-q" in result.stdout


def test_nmdar_to_bdnf_on_the_bundled_graph(run):
    result = run("path", "NMDAR", "BDNF", "--json")
    assert result.exit_code == 0
    paths = json.loads(result.stdout)["paths"]
    assert paths and paths[0]["nodes"][0]["id"] == "nmdar" and paths[0]["nodes"][-1]["id"] == "bdnf"
    for path in paths:
        for hop in path["hops"]:
            assert hop["findings"], "every hop cites findings"
