"""mechgraph diff on constructed pairs of graphs: one test per kind of change."""

from __future__ import annotations

import copy
import json
import subprocess

import pytest

from mkgraph import assertion, entity, finding, write_graph

SOURCES = [{"id": "seed-a", "kind": "seed", "file": "a.txt", "title": "Review A"}]
SEED_TEXT = "综述A\n\n药物D在小鼠中阻断受体R。阻断R增加蛋白P。蛋白P增加行为B。药物D减少行为B。\n\n另一段未被引用。\n"


def base() -> dict:
    """drug D → receptor R → protein P → behaviour B, and D → B directly."""
    return {
        "entities": [entity("dx", "Drug", "Drug D"), entity("r", "Receptor", "Receptor R"),
                     entity("p", "Protein", "Protein P"), entity("b", "Phenotype", "Behaviour B")],
        "findings": [finding("f-d-r", locator="p2.s1", species=["mouse"]),
                     finding("f-r-p", locator="p2.s2"),
                     finding("f-p-b", locator="p2.s3"),
                     finding("f-d-b", locator="p2.s4")],
        "assertions": [assertion("a-d-r", "dx", "antagonizes", "r", supporting=["f-d-r"]),
                       assertion("a-r-p", "r", "increases_expression", "p", supporting=["f-r-p"]),
                       assertion("a-p-b", "p", "increases", "b", supporting=["f-p-b"]),
                       assertion("a-d-b", "dx", "decreases", "b", supporting=["f-d-b"])],
        "sources": copy.deepcopy(SOURCES),
    }


def write(directory, data):
    return write_graph(directory, data["entities"], data["findings"], data["assertions"], data["sources"])


def record(data, section, rid):
    return next(r for r in data[section] if r["id"] == rid)


@pytest.fixture
def pair(tmp_path, run):
    """Write the base graph as old/, apply ``change`` to a copy as new/, and diff them."""
    def compare(change, *options):
        old = base()
        new = copy.deepcopy(old)
        change(new)
        write(tmp_path / "old", old)
        write(tmp_path / "new", new)
        result = run("diff", tmp_path / "old", tmp_path / "new", *options)
        assert result.exit_code == 0, result.output
        return result
    return compare


def as_json(pair, change, *options):
    return json.loads(pair(change, "--json", *options).stdout)


def test_identical_graphs(pair, tmp_path, run):
    result = pair(lambda new: None)
    assert result.stdout.endswith("No changes.\n")
    assert run("diff", tmp_path / "old", tmp_path / "new", "--exit-code").exit_code == 0


def test_entity_added_removed_and_changed_field_by_field(pair):
    def change(new):
        new["entities"].append(entity("q", "Pathway", "Pathway Q"))
        record(new, "entities", "p")["aliases"] = ["PP", "P1"]
        record(new, "entities", "p")["name"] = "Protein P (renamed)"
    out = pair(change).stdout
    assert "## Entities" in out
    assert "- `q` (graph.yaml:" in out and "Pathway Pathway Q / q中" in out
    assert "- `p` (graph.yaml:" in out
    assert "  - name: Protein P → Protein P (renamed)" in out
    assert "  - aliases: added PP, P1" in out
    removed = as_json(pair, lambda new: new["entities"].append(entity("q")))  # added in new
    assert [e["id"] for e in removed["records"]["entities"]["added"]] == ["q"]


def test_entity_removed(tmp_path, run):
    old = base()
    old["entities"].append(entity("q", "Pathway", "Pathway Q"))
    write(tmp_path / "old", old)
    write(tmp_path / "new", base())
    out = run("diff", tmp_path / "old", tmp_path / "new").stdout
    assert "Removed (1):\n\n- `q` (graph.yaml:" in out
    assert "Summary: entities: 1 removed." in out


def test_source_added_and_changed(pair):
    def change(new):
        new["sources"][0]["title"] = "Review A, second edition"
        new["sources"].append({"id": "smith-2020", "kind": "study", "title": "Smith et al."})
    result = as_json(pair, change)
    sources = result["records"]["sources"]
    assert [s["id"] for s in sources["added"]] == ["smith-2020"]
    assert sources["changed"][0]["fields"] == [{"field": "title", "old": "Review A",
                                                "new": "Review A, second edition"}]


def test_finding_changed_moves_the_score_and_says_why(pair):
    def change(new):
        record(new, "findings", "f-r-p")["study_type"] = "in_vitro"
    result = as_json(pair, change)
    assert result["records"]["findings"]["changed"][0]["fields"] == [
        {"field": "study_type", "old": "animal_in_vivo", "new": "in_vitro"}]
    [moved] = result["scores"]
    assert (moved["assertion"], moved["old"], moved["new"], moved["delta"]) == ("a-r-p", 0.5, 0.4, -0.1)
    assert moved["why"] == ["f-r-p study_type: animal_in_vivo → in_vitro"]
    text = pair(change).stdout
    assert "## Evidence scores that moved by more than 0.05" in text
    assert "- `a-r-p` (r increases_expression p): 0.5 → 0.4 (-0.100)\n  - f-r-p study_type: animal_in_vivo → in_vitro" \
        in text


def test_threshold_hides_small_moves(pair):
    def change(new):
        record(new, "findings", "f-r-p")["study_type"] = "in_vitro"
    assert as_json(pair, change, "--threshold", "0.1")["scores"] == []
    assert len(as_json(pair, change, "--threshold", "0.09")["scores"]) == 1


def test_assertion_added_removed_and_support_added(pair):
    def change(new):
        new["findings"].append(finding("f-r-p-2", locator="p2.s1", study_type="rct"))
        record(new, "assertions", "a-r-p")["supporting"].append("f-r-p-2")
        new["assertions"] = [a for a in new["assertions"] if a["id"] != "a-d-b"]
        new["assertions"].append(assertion("a-d-p", "dx", "increases", "p", supporting=["f-d-b"]))
    result = as_json(pair, change)
    records = result["records"]["assertions"]
    assert [a["id"] for a in records["added"]] == ["a-d-p"]
    assert [a["id"] for a in records["removed"]] == ["a-d-b"]
    assert records["changed"][0]["fields"] == [{"field": "supporting", "old": ["f-r-p"], "new": ["f-r-p", "f-r-p-2"]}]
    [moved] = result["scores"]
    assert moved["assertion"] == "a-r-p" and moved["studies_for"] == [1, 2]
    assert moved["why"] == ["f-r-p-2 added to supporting"]
    text = pair(change).stdout
    assert "  - supporting: added f-r-p-2" in text
    assert "- `a-d-b` (graph.yaml:" in text and "dx decreases b, score 0.5" in text


def test_conflict_gained(pair):
    def change(new):
        new["findings"].append(finding("f-r-p-null", "no_effect", locator="p2.s1", species=["rat"]))
        record(new, "assertions", "a-r-p")["refuting"] = ["f-r-p-null"]
    result = as_json(pair, change)
    [gained] = result["conflicts"]["gained"]
    assert gained["key"] == "mixed_evidence a-r-p" and gained["kind"] == "mixed_evidence"
    assert result["conflicts"]["lost"] == []
    assert "Gained (1):\n\n- mixed_evidence a-r-p: " in pair(change).stdout


def test_conflict_lost_and_reclassified(tmp_path, run):
    old = base()
    old["findings"] += [finding("f-r-p-null", "no_effect", locator="p2.s1", species=["rat"]),
                        finding("f-d-b-null", "no_effect", locator="p2.s2", species=["mouse"])]
    record(old, "findings", "f-d-b")["species"] = ["mouse"]
    record(old, "assertions", "a-r-p")["refuting"] = ["f-r-p-null"]
    record(old, "assertions", "a-d-b")["refuting"] = ["f-d-b-null"]
    new = copy.deepcopy(old)
    del record(new, "assertions", "a-r-p")["refuting"]
    new["findings"] = [f for f in new["findings"] if f["id"] != "f-r-p-null"]
    record(new, "findings", "f-d-b-null")["species"] = ["rat"]
    write(tmp_path / "old", old)
    write(tmp_path / "new", new)
    result = json.loads(run("diff", tmp_path / "old", tmp_path / "new", "--json").stdout)
    assert [c["key"] for c in result["conflicts"]["lost"]] == ["mixed_evidence a-r-p"]
    [moved] = result["conflicts"]["reclassified"]
    assert moved["key"] == "mixed_evidence a-d-b"
    assert moved["old"]["classification"] == "unexplained"
    assert moved["new"]["classification"] == "context" and "species" in moved["new"]["contexts"]


def test_chain_appeared(pair):
    def change(new):
        new["assertions"].append(assertion("a-r-b", "r", "increases", "b", supporting=["f-r-p"]))
    [item] = as_json(pair, change)["chains"]
    assert (item["drug"], item["outcome"]) == ("dx", "b")
    assert [c["nodes"] for c in item["appeared"]] == [["dx", "r", "b"]]
    assert item["disappeared"] == [] and item["weakest_changed"] == []
    assert "dx → b:\n\n- appeared: dx → r → b (score 0.5, weakest step a-d-r, animal_in_vivo)" in pair(change).stdout


def test_chain_disappeared(pair):
    def change(new):
        new["assertions"] = [a for a in new["assertions"] if a["id"] != "a-r-p"]
        new["findings"] = [f for f in new["findings"] if f["id"] != "f-r-p"]
    [item] = as_json(pair, change)["chains"]
    assert [c["nodes"] for c in item["disappeared"]] == [["dx", "r", "p", "b"]]
    assert item["appeared"] == []


def test_chain_weakest_step_changed(pair):
    def change(new):
        record(new, "findings", "f-p-b")["study_type"] = "in_vitro"
    [item] = as_json(pair, change)["chains"]
    [changed] = item["weakest_changed"]
    assert changed["nodes"] == ["dx", "r", "p", "b"]
    assert changed["old"]["score"] == 0.5 and changed["new"] == {"assertion": "a-p-b", "score": 0.4,
                                                                  "level": "in_vitro"}
    assert "- weakest step changed: dx → r → p → b: " in pair(change).stdout


def test_coverage_gained_and_lost(pair, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SEED_TEXT, encoding="utf-8")

    def change(new):
        record(new, "findings", "f-d-b")["locator"] = "p3.s1"
    result = as_json(pair, change, "--sources", seeds)
    [seed] = result["coverage"]["seeds"]
    assert (seed["old"], seed["new"]) == (0.8, 0.8)
    assert seed["newly_cited"] == [{"locator": "p3.s1", "text": "另一段未被引用。"}]
    assert seed["no_longer_cited"] == [{"locator": "p2.s4", "text": "药物D减少行为B。"}]
    text = pair(change, "--sources", seeds).stdout
    assert "a.txt (seed-a): 80.0% → 80.0%\n\n- newly cited p3.s1: 另一段未被引用。" in text
    assert "- no longer cited p2.s4: 药物D减少行为B。" in text


def test_coverage_problem_gained(pair, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SEED_TEXT, encoding="utf-8")

    def change(new):
        record(new, "findings", "f-d-b")["locator"] = "p9.s1"
    cov = as_json(pair, change, "--sources", seeds)["coverage"]
    [problem] = cov["problems_gained"]
    assert "finding 'f-d-b': a.txt has no paragraph 9" in problem


def test_coverage_without_the_seed_file_is_a_note(pair, tmp_path):
    (tmp_path / "empty").mkdir()
    cov = as_json(pair, lambda new: None, "--sources", tmp_path / "empty")["coverage"]
    assert cov["note"].startswith("coverage not compared: seed file 'a.txt'")


def test_output_is_deterministic_and_html_is_escaped(pair, tmp_path):
    def change(new):
        new["entities"].append(entity("xss", "Protein", "<script>alert(1)</script>"))
        record(new, "findings", "f-r-p")["study_type"] = "in_vitro"
    first, second = pair(change).stdout, pair(change).stdout
    assert first == second
    page = tmp_path / "diff.html"
    result = pair(change, "--html", page)
    assert result.stderr == f"wrote {page}\n"
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "<code>a-r-p</code>" in text


def test_exit_code_when_different(tmp_path, run):
    write(tmp_path / "old", base())
    new = base()
    new["entities"].append(entity("q"))
    write(tmp_path / "new", new)
    assert run("diff", tmp_path / "old", tmp_path / "new", "--exit-code").exit_code == 1


def _git(cwd, *args):
    subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository with the base graph in graph/ committed, then one entity added."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    write(root / "graph", base())
    _git(root, "add", "graph")
    _git(root, "commit", "-q", "-m", "base")
    new = base()
    new["entities"].append(entity("q", "Pathway", "Pathway Q"))
    write(root / "graph", new)
    monkeypatch.chdir(root)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    return root


def test_a_revision_against_the_working_tree(repo, run):
    result = run("--graph", "graph", "diff", "HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# mechgraph diff HEAD:graph → graph\n")
    assert "- `q` (graph.yaml:" in result.stdout
    assert list((repo.parent / "scratch").iterdir()) == []  # the extracted revision is gone


def test_rev_colon_path_and_two_revisions(repo, run):
    _git(repo, "commit", "-q", "-am", "add q")
    result = run("diff", "HEAD~1:graph", "HEAD:graph", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["old"], data["new"]) == ("HEAD~1:graph", "HEAD:graph")
    assert [e["id"] for e in data["records"]["entities"]["added"]] == ["q"]
    assert "No changes." in run("diff", "HEAD", "graph").stdout


@pytest.mark.parametrize("args, message", [
    (["no-such-rev"], "error: 'no-such-rev' is neither a graph directory nor a git revision of "),
    (["HEAD:nowhere"], "error: git archive: fatal: pathspec 'nowhere' did not match any files"),
])
def test_bad_revisions_are_one_error_line(repo, run, args, message):
    result = run("--graph", "graph", "diff", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_outside_a_repository(tmp_path, run, monkeypatch):
    write(tmp_path / "g", base())
    monkeypatch.chdir(tmp_path)
    result = run("diff", "HEAD", "g")
    assert result.exit_code == 1
    assert result.stderr == "error: g is not in a git repository: a revision of it cannot be read\n"


def test_an_invalid_side_is_one_error_line(tmp_path, run):
    write(tmp_path / "old", base())
    bad = base()
    record(bad, "assertions", "a-r-p")["object"] = "nowhere"
    write(tmp_path / "new", bad)
    result = run("diff", tmp_path / "old", tmp_path / "new")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'new'} is not a valid graph: 1 curation error(s), the first: ")
    assert result.stderr.count("\n") == 1


def test_the_bundled_graph_against_itself(run):
    result = run("diff", "--json", *(2 * [str(__import__("mechgraph.store.bundled").store.bundled.bundled_graph_dir())]))
    assert json.loads(result.stdout)["identical"] is True
