"""`mechgraph export`: each format, determinism, the node-link round trip, --all and
--check, and atomic writes."""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import IN_CI, ROOT
from mechgraph import MechGraph
from mechgraph.io import exports
from mechgraph.io.nodelink import read_nodelink, write_nodelink
from mechgraph.io.registry import EXPORT_ALL, WRITERS, available_formats

#: the formats written by mechgraph.io's own modules (the others come with Neo4j and HTML support)
OWN_FORMATS = ["graphml", "gexf", "json", "cytoscape", "kgx"]


def files_of(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {".": path.read_bytes()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_each_format_writes_the_same_bytes_every_time(fmt, example_dir, tmp_path):
    # the same graph read from another directory, in another process state, gives the same bytes
    copy_dir = tmp_path / "copy"
    shutil.copytree(example_dir, copy_dir)
    first, second = tmp_path / "a", tmp_path / "b"
    exports.export(MechGraph.load(example_dir), fmt, first)
    exports.export(MechGraph.load(copy_dir), fmt, second)
    assert files_of(first) == files_of(second)
    assert str(example_dir) not in b"".join(files_of(first).values()).decode("utf-8")


def test_export_all_is_the_same_across_processes_and_hash_seeds(example_dir, tmp_path):
    import os
    import subprocess
    import sys
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"exports-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "MECHGRAPH_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        done = subprocess.run([sys.executable, "-m", "mechgraph", "--graph", str(example_dir), "export", "--all",
                               "--dir", str(out)], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(files_of(out))
    assert outputs[0] == outputs[1]
    assert {"kgx/nodes.tsv", "kgx/edges.tsv", "mechgraph.graphml"} <= set(outputs[0])


@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_every_format_carries_the_evidence(fmt, example_dir, tmp_path):
    exports.export(MechGraph.load(example_dir), fmt, tmp_path / "out")
    text = b"".join(files_of(tmp_path / "out").values()).decode("utf-8")
    # a finding id, the level and score of an assertion, a species and a refuting finding's statement
    for needle in ("f-x-blocks-r", "animal_in_vivo", "0.5", "mouse" if fmt != "kgx" else "NCBITaxon:10090",
                   "In rats, drug X did not change protein P."):
        assert needle in text, (fmt, needle)


def test_node_link_json_reads_back_into_the_same_model(example_dir, tmp_path):
    for graph in (MechGraph.load(example_dir), MechGraph.load()):
        write_nodelink(graph, tmp_path / "g.json")
        model = read_nodelink(tmp_path / "g.json")
        assert model.entities == graph.model.entities
        assert model.assertions == graph.model.assertions
        assert model.findings == graph.model.findings
        assert model.sources == graph.model.sources


def test_node_link_json_is_networkx_node_link_data(example_dir, tmp_path):
    import networkx as nx
    graph = MechGraph.load(example_dir)
    write_nodelink(graph, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    read = nx.node_link_graph(data, edges="edges")
    assert read.is_directed() and read.is_multigraph()
    assert sorted(read.edges(keys=True)) == sorted(graph.nx.edges(keys=True))
    edge = read.edges["drug-x", "protein-p", "a-x-increases-expression-p"]
    assert edge["supporting"] == ["f-x-p-mouse"] and edge["refuting"] == ["f-x-p-rat-null"]
    assert edge["biolink_predicate"] == "biolink:affects"
    findings = {f["id"]: f for f in data["graph"]["findings"]}
    assert findings["f-x-blocks-r"]["interventions"] == [
        {"drug": "drug-x", "dose": "10 mg/kg", "route": "intraperitoneal", "timing": ""}]
    assert findings["f-x-treats-d"]["n"] == {"total": 40}


def test_a_malformed_node_link_file_is_an_error(tmp_path):
    from mechgraph import InvalidGraph
    path = tmp_path / "g.json"
    path.write_text('{"nodes": [], "edges": [', encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        read_nodelink(path)
    assert str(caught.value.errors[0]).startswith(f"{path}:1: malformed JSON: ")
    path.write_text('{"nodes": [{"id": "a", "type": "Wizard"}], "edges": [{"source": "a", "target": "b"}]}')
    with pytest.raises(InvalidGraph) as caught:
        read_nodelink(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}: nodes[0]: unknown entity type 'Wizard'",
        f"{path}: edges[0]: an edge needs 'source', 'target' and 'key'"]


# -- the command ------------------------------------------------------------------------

def test_export_one_format(run, example_dir, tmp_path):
    out = tmp_path / "toy.graphml"
    result = run("--graph", example_dir, "export", "--format", "graphml", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<graphml')


def test_export_kgx_writes_a_directory(run, example_dir, tmp_path):
    result = run("--graph", example_dir, "export", "--format", "kgx", "-o", tmp_path / "kgx", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"written": [str(tmp_path / "kgx" / "nodes.tsv"),
                                                     str(tmp_path / "kgx" / "edges.tsv"),
                                                     str(tmp_path / "kgx" / "context.jsonld")]}


@pytest.mark.parametrize("args, message", [
    ((), "give either --format F -o PATH or --all"),
    (("--format", "json"), "--format needs -o PATH"),
    (("--format", "json", "-o", "x.json", "--all"), "give either --format F -o PATH or --all"),
    (("--format", "json", "-o", "x.json", "--check"), "--check and --dir go with --all"),
    (("--all", "-o", "x.json"), "--all writes into --dir; -o goes with --format"),
])
def test_usage_errors(run, args, message):
    result = run("export", *args)
    assert result.exit_code == 2
    assert f"Error: {message}" in result.stderr


def test_unknown_format_is_refused_with_the_choices(run, tmp_path):
    result = run("export", "--format", "pdf", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert "'pdf' is not one of 'graphml', 'gexf', 'json', 'cytoscape', 'cx2', 'kgx'" in result.stderr


def test_an_unwritable_path_gives_a_clear_error(run, example_dir, tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "g.graphml"
    result = run("--graph", example_dir, "export", "--format", "graphml", "-o", missing)
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {missing}: directory {missing.parent} does not exist\n"
    (tmp_path / "taken").mkdir()
    result = run("--graph", example_dir, "export", "--format", "gexf", "-o", tmp_path / "taken")
    assert result.stderr == f"error: cannot write {tmp_path / 'taken'}: it is a directory\n"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--graph", example_dir, "export", "--all", "--dir", blocker / "exports")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {blocker / 'exports'}: ")


def test_kgx_never_replaces_a_directory_holding_other_files(run, example_dir, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    result = run("--graph", example_dir, "export", "--format", "kgx", "-o", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (f"error: cannot write {tmp_path}: it is a directory holding other files "
                             f"than nodes.tsv, edges.tsv and context.jsonld (notes.txt); "
                             f"choose a new or empty directory\n")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    # a directory holding an earlier KGX export is replaced
    out = tmp_path / "kgx"
    run("--graph", example_dir, "export", "--format", "kgx", "-o", out)
    result = run("--graph", example_dir, "export", "--format", "kgx", "-o", out)
    assert result.exit_code == 0 and sorted(p.name for p in out.iterdir()) == ["context.jsonld", "edges.tsv",
                                                                                 "nodes.tsv"]


def broken_graph(example_dir) -> MechGraph:
    """A graph whose last entity (in export order) has a type no format knows: writers fail midway."""
    model = copy.deepcopy(MechGraph.load(example_dir).model)
    model.entities["receptor-r"] = replace(model.entities["receptor-r"], type="Wizard")
    return MechGraph(model)


@pytest.mark.parametrize("fmt", OWN_FORMATS)
def test_a_failed_export_leaves_no_partial_file(fmt, example_dir, tmp_path):
    target = tmp_path / "out"
    with pytest.raises(KeyError):
        exports.export(broken_graph(example_dir), fmt, target)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_all_leaves_the_directory_as_it_was(example_dir, tmp_path):
    exports.export_all(MechGraph.load(example_dir), tmp_path, OWN_FORMATS)
    before = files_of(tmp_path)
    with pytest.raises(KeyError):
        exports.export_all(broken_graph(example_dir), tmp_path, OWN_FORMATS)
    assert files_of(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPORT_ALL[f] for f in OWN_FORMATS)


# -- --all and --check ------------------------------------------------------------------

def test_export_all_writes_every_available_format_then_check_passes(run, example_dir, tmp_path):
    result = run("--graph", example_dir, "export", "--all", "--dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    formats = available_formats()
    assert set(OWN_FORMATS) <= set(formats)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EXPORT_ALL[f] for f in formats)
    written = [line.removeprefix("wrote ") for line in result.stderr.splitlines()]
    assert written == sorted(written) and str(tmp_path / "kgx" / "edges.tsv") in written

    result = run("--graph", example_dir, "export", "--all", "--dir", tmp_path, "--check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{tmp_path}: up to date ({len(written)} files)\n"


def test_check_names_stale_missing_and_unexpected_files(run, example_dir, tmp_path):
    run("--graph", example_dir, "export", "--all", "--dir", tmp_path)
    (tmp_path / "mechgraph.graphml").write_text("<graphml/>")
    (tmp_path / "kgx" / "nodes.tsv").unlink()
    (tmp_path / "kgx" / "old.tsv").write_text("x")
    (tmp_path / "README.md").write_text("not an export")       # ignored: no format writes it
    result = run("--graph", example_dir, "export", "--all", "--dir", tmp_path, "--check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"stale: {tmp_path / 'mechgraph.graphml'}",
        f"missing: {tmp_path / 'kgx' / 'nodes.tsv'}",
        f"unexpected: {tmp_path / 'kgx' / 'old.tsv'}",
        f"error: 3 file(s) in {tmp_path} do not match the graph; run 'mechgraph export --all' to regenerate them",
    ]
    result = run("--graph", example_dir, "export", "--all", "--dir", tmp_path, "--check", "--json")
    report = json.loads(result.stdout)
    assert (report["ok"], report["stale"], report["missing"], report["unexpected"]) == \
           (False, ["mechgraph.graphml"], ["kgx/nodes.tsv"], ["kgx/old.tsv"])


def test_check_sees_a_changed_graph(run, example_dir, tmp_path):
    graph_dir = tmp_path / "graph"
    shutil.copytree(example_dir, graph_dir)
    run("--graph", graph_dir, "export", "--all", "--dir", tmp_path / "exports")
    toy = graph_dir / "toy.yaml"
    toy.write_text(toy.read_text(encoding="utf-8").replace("name: Drug X", "name: Drug X2"), encoding="utf-8")
    result = run("--graph", graph_dir, "export", "--all", "--dir", tmp_path / "exports", "--check", "--json")
    assert result.exit_code == 1
    stale = json.loads(result.stdout)["stale"]
    assert {"mechgraph.graphml", "mechgraph.gexf", "mechgraph.json", "mechgraph.cytoscape.json",
            "kgx/nodes.tsv"} <= set(stale)


def test_every_registered_format_has_an_export_path():
    assert set(EXPORT_ALL) == set(WRITERS)


def test_the_committed_exports_match_the_bundled_graph(run):
    """CI fails when exports/ is stale: regenerate it with `mechgraph export --all`."""
    committed = ROOT / "exports"
    if not committed.is_dir() or not any(p for p in committed.iterdir() if not p.name.startswith(".")):
        if IN_CI:
            pytest.fail("exports/ is empty: run `mechgraph export --all` and commit the result")
        pytest.skip("exports/ has not been generated in this checkout yet")
    result = run("export", "--all", "--check")
    assert result.exit_code == 0, result.stderr
