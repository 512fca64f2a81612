"""The exports read by real clients, not only by mechgraph: networkx reads GraphML and
GEXF, Cytoscape.js (the npm package, run with node) loads the Cytoscape JSON, and the
KGX validator accepts the KGX files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from conftest import IN_CI, ROOT
from mechgraph import MechGraph
from mechgraph.io import exports

JS = ROOT / "tests" / "js"
KGX_PYTHON = Path(os.environ.get("MECHGRAPH_KGX_PYTHON",
                                 Path.home() / ".cache" / "mechgraph" / "kgx-venv" / "bin" / "python"))


def missing(what: str):
    if IN_CI:
        pytest.fail(what)
    pytest.skip(what)


@pytest.fixture(params=["toy", "bundled"])
def graph(request, example_dir) -> MechGraph:
    return MechGraph.load(example_dir if request.param == "toy" else None)


def test_networkx_reads_graphml_with_the_same_nodes_edges_and_attributes(graph, tmp_path):
    exports.export(graph, "graphml", tmp_path / "g.graphml")
    read = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert read.number_of_nodes() == graph.nx.number_of_nodes()
    assert read.number_of_edges() == graph.nx.number_of_edges()
    assert sorted(read.edges(keys=True)) == sorted(graph.nx.edges(keys=True))
    assert read.graph["name"] == "mechgraph"
    for node, data in graph.nx.nodes(data=True):
        back = read.nodes[node]
        for name in ("type", "category", "name", "name_zh", "description", "description_zh"):
            assert back.get(name, "") == data[name]
        assert json.loads(back["aliases"]) == data["aliases"]
        assert json.loads(back["xrefs"]) == data["xrefs"]
    for u, v, key, data in graph.nx.edges(keys=True, data=True):
        back = read.edges[u, v, key]
        assert back["predicate"] == data["predicate"] and back["level"] == data["level"]
        assert back.get("sign", None) == data["sign"]
        assert isinstance(back["score"], float) and back["score"] == data["score"]
        for name in ("species", "supporting", "refuting", "context"):
            assert json.loads(back[name]) == data[name]
        evidence = json.loads(back["evidence"])
        assert [f["id"] for f in evidence] == data["supporting"] + data["refuting"]
        assert all(f["statement"] for f in evidence)


def test_networkx_reads_gexf_with_the_same_nodes_edges_and_attributes(graph, tmp_path):
    exports.export(graph, "gexf", tmp_path / "g.gexf")
    read = nx.read_gexf(tmp_path / "g.gexf")
    assert read.number_of_nodes() == graph.nx.number_of_nodes()
    assert read.number_of_edges() == graph.nx.number_of_edges()
    edges = {d["id"]: (u, v, d) for u, v, d in read.edges(data=True)}
    assert set(edges) == {k for _, _, k in graph.nx.edges(keys=True)}
    for node, data in graph.nx.nodes(data=True):
        back = read.nodes[node]
        assert back["label"] == data["name"]
        for name in ("type", "category", "name", "name_zh", "description", "description_zh"):
            assert back[name] == data[name]
        assert json.loads(back["aliases"]) == data["aliases"]
    for u, v, key, data in graph.nx.edges(keys=True, data=True):
        read_u, read_v, back = edges[key]
        assert (read_u, read_v) == (u, v)
        assert back["label"] == data["predicate"] == back["predicate"]
        assert back["sign"] == (data["sign"] or "")
        assert isinstance(back["score"], float) and back["score"] == data["score"]
        assert json.loads(back["species"]) == data["species"]
        assert [f["id"] for f in json.loads(back["evidence"])] == data["supporting"] + data["refuting"]
        assert back["weight"] == data["score"]


def test_gexf_is_1_3_and_gephi_keeps_every_parallel_edge(graph, tmp_path):
    """Gephi merges parallel edges of one kind: no two edges may share source, target and kind."""
    import xml.etree.ElementTree as ET
    exports.export(graph, "gexf", tmp_path / "g.gexf")
    root = ET.parse(tmp_path / "g.gexf").getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    edges = root.iter("{http://gexf.net/1.3}edge")
    triples = [(e.get("source"), e.get("target"), e.get("kind")) for e in edges]
    assert len(triples) == graph.nx.number_of_edges() == len(set(triples))
    kinds = {(u, v, k) for u, v, k in triples}
    predicates = {k: d["predicate"] for _, _, k, d in graph.nx.edges(keys=True, data=True)}
    assert all(kind.split(":")[0] in set(predicates.values()) for _, _, kind in kinds)


def test_cytoscape_js_loads_the_export(graph, tmp_path):
    node = shutil.which("node")
    if node is None:
        missing("node is not installed")
    if not (JS / "node_modules" / "cytoscape").is_dir():
        missing("tests/js/node_modules is missing: run `npm ci` in tests/js (scripts/test.sh does)")
    path = tmp_path / "g.cytoscape.json"
    exports.export(graph, "cytoscape", path)
    done = subprocess.run([node, str(JS / "load_cytoscape.js"), str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded["version"].startswith("3.")
    assert loaded["nodes"] == loaded["reloaded_nodes"] == graph.nx.number_of_nodes()
    assert loaded["edges"] == loaded["reloaded_edges"] == graph.nx.number_of_edges()
    assert loaded["dangling_edges"] == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["first_node"] == doc["elements"]["nodes"][0]["data"]
    assert loaded["first_edge"] == doc["elements"]["edges"][0]["data"]
    first = loaded["first_edge"]
    assert [f["id"] for f in first["evidence"]] == first["supporting"] + first["refuting"]


@pytest.mark.slow
def test_the_kgx_validator_accepts_the_export(tmp_path):
    """The reference KGX validator (the `kgx` package, in its own environment: its
    dependencies are many) finds no error in the export of the bundled graph."""
    if not KGX_PYTHON.exists():
        missing(f"{KGX_PYTHON} is missing: scripts/test.sh installs the kgx validator there")
    exports.export(MechGraph.load(), "kgx", tmp_path / "kgx")
    done = subprocess.run([str(KGX_PYTHON), str(ROOT / "tests" / "kgx_validate.py"),
                           str(tmp_path / "kgx" / "nodes.tsv"), str(tmp_path / "kgx" / "edges.tsv")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["biolink_version"].startswith("4.")
    assert report["nodes"] == len(MechGraph.load().model.entities)
    assert report["edges"] > len(MechGraph.load().model.assertions)
    assert report["errors"] == {}, json.dumps(report["errors"], indent=1)[:3000]

