"""Provenance: locators resolve, numbers occur in the cited sentence, coverage is measured."""

import json
import shutil

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import check_coverage


def test_example_coverage(run, example_dir, example_seeds):
    result = run("--graph", example_dir, "coverage", "--sources", example_seeds, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["problems"] == []
    assert (data["cited"], data["sentences"]) == (5, 6)
    assert [u["locator"] for u in data["seeds"][0]["uncited"]] == ["p3.s1"]


def test_min_coverage_fails_below_threshold(run, example_dir, example_seeds):
    result = run("--graph", example_dir, "coverage", "--sources", example_seeds, "--min", "90")
    assert result.exit_code == 1
    assert "coverage 83.3% is below --min 90.0%" in result.stderr


def test_a_number_missing_from_the_sentence_is_a_problem(run, tmp_path, example_dir, example_seeds):
    shutil.copytree(example_dir, tmp_path / "g")
    path = tmp_path / "g" / "toy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("dose: 10 mg/kg, route: intraperitoneal}\n    direction: supports\n    statement: Drug X (10 mg/kg",
                                                            "dose: 12 mg/kg, route: intraperitoneal}\n    direction: supports\n    statement: Drug X (12 mg/kg", 1),
                    encoding="utf-8")
    result = run("--graph", tmp_path / "g", "coverage", "--sources", example_seeds)
    assert result.exit_code == 1
    assert "finding 'f-x-blocks-r' states 12, not found in toy.txt p5.s1" in result.stdout


def test_a_locator_out_of_range_is_a_problem(tmp_path, example_dir, example_seeds):
    shutil.copytree(example_dir, tmp_path / "g")
    path = tmp_path / "g" / "toy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("locator: p6.s2", "locator: p6.s7"), encoding="utf-8")
    report = check_coverage(MechGraph.load(tmp_path / "g").model, example_seeds)
    assert any("'f-x-treats-d': toy.txt paragraph 6 has 2 sentence(s), not 7" in p for p in report.problems)


def test_locate_prints_the_cited_sentence(run, example_dir, example_seeds):
    result = run("--graph", example_dir, "locate", "f-p-regulates-q", "--sources", example_seeds)
    assert result.exit_code == 0
    assert "toy.txt p6.s1 (§2): 蛋白P是通路Q的上游调节因子。" in result.stdout


def test_locate_unknown_finding(run, example_dir, example_seeds):
    result = run("--graph", example_dir, "locate", "f-p-regulate-q", "--sources", example_seeds)
    assert result.exit_code == 1
    assert "unknown finding 'f-p-regulate-q'. Did you mean: f-p-regulates-q" in result.stderr


def test_missing_seed_directory(run, example_dir, tmp_path):
    result = run("--graph", example_dir, "coverage", "--sources", tmp_path / "none")
    assert result.exit_code == 1
    assert "seed directory not found" in result.stderr


def test_bundled_graph_provenance(seeds_dir):
    """Every finding of the bundled graph resolves to its sentence and states only its numbers."""
    report = check_coverage(MechGraph.load().model, seeds_dir)
    assert report.problems == []


def test_bundled_graph_cites_at_least_95_percent_of_each_seed(seeds_dir):
    report = check_coverage(MechGraph.load().model, seeds_dir)
    assert {s.file for s in report.seeds} == {"000_75bee5783c4f767b.txt", "002_b9926e06aecdbb3d.txt"}
    for seed in report.seeds:
        assert seed.ratio >= 0.95, (seed.file, [u.locator for u in seed.uncited])
    assert report.sentences == 171


def test_bundled_coverage_command_passes_the_threshold(run, seeds_dir):
    result = run("coverage", "--sources", seeds_dir, "--min", "95")
    assert result.exit_code == 0, result.output
    assert "total: " in result.stdout


@pytest.mark.parametrize("command", [["coverage"], ["locate", "f-a-esk-da-release-pfc-mouse"]])
def test_without_the_seed_texts_one_line_says_how_to_give_them(run, monkeypatch, command):
    monkeypatch.delenv("MECHGRAPH_SOURCES", raising=False)
    result = run(*command)
    assert result.exit_code == 1
    assert result.stderr == "error: this command reads the seed texts: pass --sources DIR or set MECHGRAPH_SOURCES\n"


def test_the_locate_example_names_a_finding_that_exists(run):
    import re

    from mechgraph import MechGraph
    help_text = run("locate", "--help").stdout
    example = re.search(r"mechgraph locate (\S+)", help_text)[1]
    assert example in MechGraph.load().model.findings
