"""The exports read by real clients, not only by mechgraph: networkx reads GraphML and
GEXF, graphology-gexf (Gephi Lite's parser, run with node) reads the GEXF, Cytoscape.js
(the npm package) loads the Cytoscape JSON, ndex2 (the Cytoscape/NDEx Python library) reads
the CX2, and the KGX tool validates the KGX files and reads them back."""

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
from mechgraph.io.kgx import statement_rows

JS = ROOT / "tests" / "js"
KGX_PYTHON = Path(os.environ.get("MECHGRAPH_KGX_PYTHON",
                                 Path.home() / ".cache" / "mechgraph" / "kgx-venv" / "bin" / "python"))
NDEX2_PYTHON = Path(os.environ.get("MECHGRAPH_NDEX2_PYTHON",
                                   Path.home() / ".cache" / "mechgraph" / "ndex2-venv" / "bin" / "python"))


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
        assert json.loads(back["xrefs"]) == {prefix: list(ids) for prefix, ids in data["xrefs"].items()}
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


def run_node(script: str, path: Path, package: str) -> dict:
    """Run tests/js/SCRIPT on PATH with node; return the JSON it prints."""
    node = shutil.which("node")
    if node is None:
        missing("node is not installed")
    if not (JS / "node_modules" / package).is_dir():
        missing("tests/js/node_modules is missing: run `npm ci` in tests/js (scripts/test.sh does)")
    done = subprocess.run([node, str(JS / script), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_graphology_reads_the_gexf_as_gephi_lite_does(graph, tmp_path):
    """Gephi Lite opens a .gexf with graphology-gexf's parser: every assertion must come out
    as an edge of its own, keyed by its id, with its kind and its score as weight."""
    exports.export(graph, "gexf", tmp_path / "g.gexf")
    loaded = run_node("load_gexf.js", tmp_path / "g.gexf", "graphology-gexf")
    assert loaded["type"] == "directed"
    assert loaded["nodes"] == graph.nx.number_of_nodes()
    assert loaded["edges"] == graph.nx.number_of_edges()
    assert loaded["meta"]["creator"] == "mechgraph"
    node = loaded["first_node"]
    data = graph.nx.nodes[node["key"]]
    assert node["label"] == data["name"] and json.loads(node["aliases"]) == data["aliases"]
    edges = {e["key"]: e for e in loaded["edge_list"]}
    assert len(edges) == len(loaded["edge_list"])
    written = {k: (u, v, d) for u, v, k, d in graph.nx.edges(keys=True, data=True)}
    assert set(edges) == set(written)
    for key, edge in edges.items():
        u, v, data = written[key]
        assert (edge["source"], edge["target"], edge["undirected"]) == (u, v, False)
        assert edge["weight"] == edge["score"] == data["score"]
        assert edge["label"] == edge["predicate"] == data["predicate"]
        assert edge["kind"] in (data["predicate"], f"{data['predicate']}:{key}")
    pairs = [(e["source"], e["target"]) for e in edges.values()]
    if len(set(pairs)) < len(pairs):  # the bundled graph has parallel assertions: all of them are kept
        assert loaded["multi"] is True
        assert {"a-a-ketamine-antagonizes-nmdar", "a-a-ketamine-antagonizes-nmdar-lhb"} <= set(edges)


def test_ndex2_reads_the_cx2(graph, tmp_path):
    """ndex2, the Cytoscape/NDEx team's library (in its own environment), reads the CX2 with
    every value of its declared type, writes the same document back and builds a networkx
    graph with every node and edge."""
    if not NDEX2_PYTHON.exists():
        missing(f"{NDEX2_PYTHON} is missing: scripts/test.sh installs ndex2 there")
    path = tmp_path / "g.cx2"
    exports.export(graph, "cx2", path)
    done = subprocess.run([str(NDEX2_PYTHON), str(ROOT / "tests" / "ndex2_check.py"), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == [] and report["round_trip"] is True
    assert report["name"] == "mechgraph"
    assert report["nodes"] == graph.nx.number_of_nodes() == report["networkx"]["nodes"]
    assert report["edges"] == graph.nx.number_of_edges() == report["networkx"]["edges"]
    assert report["networkx"]["type"] == "MultiDiGraph"
    first = report["first_edge"]["v"]
    assertion = min(graph.model.assertions)
    assert first["assertion"] == assertion
    assert first["interaction"] == first["predicate"] == graph.model.assertions[assertion].predicate
    assert isinstance(first["score"], float) and isinstance(first["supporting"], list)
    assert [f["id"] for f in json.loads(first["evidence"])] == first["supporting"] + first["refuting"]
    assert report["first_node"]["v"]["entity"] == min(graph.model.entities)


def test_cytoscape_js_loads_the_export(graph, tmp_path):
    path = tmp_path / "g.cytoscape.json"
    exports.export(graph, "cytoscape", path)
    loaded = run_node("load_cytoscape.js", path, "cytoscape")
    assert loaded["version"].startswith("3.")
    assert loaded["nodes"] == loaded["reloaded_nodes"] == graph.nx.number_of_nodes()
    assert loaded["edges"] == loaded["reloaded_edges"] == graph.nx.number_of_edges()
    assert loaded["dangling_edges"] == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["first_node"] == doc["elements"]["nodes"][0]["data"]
    assert loaded["first_edge"] == doc["elements"]["edges"][0]["data"]
    first = loaded["first_edge"]
    assert [f["id"] for f in first["evidence"]] == first["supporting"] + first["refuting"]


def run_kgx(script: str, *paths: Path) -> tuple[int, dict]:
    """Run tests/SCRIPT with the KGX tool's python; return its exit code and report."""
    if not KGX_PYTHON.exists():
        missing(f"{KGX_PYTHON} is missing: scripts/test.sh installs the kgx validator there")
    done = subprocess.run([str(KGX_PYTHON), str(ROOT / "tests" / script), *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def bundled_kgx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kgx") / "kgx"
    exports.export(MechGraph.load(), "kgx", out)
    return out


@pytest.mark.slow
def test_the_kgx_validator_accepts_the_export_with_its_context(bundled_kgx):
    """The reference KGX validator (the `kgx` package, in its own environment: its
    dependencies are many) finds no error in the files as written, given the context.jsonld
    shipped beside them; without it, mechgraph's prefixes are unknown to it."""
    files = [bundled_kgx / "nodes.tsv", bundled_kgx / "edges.tsv"]
    code, report = run_kgx("kgx_validate.py", *files, bundled_kgx / "context.jsonld")
    rows = len((bundled_kgx / "edges.tsv").read_text(encoding="utf-8").splitlines()) - 1
    assert report["biolink_version"].startswith("4.")
    assert report["nodes"] == len(MechGraph.load().model.entities)
    assert report["edges"] == rows
    assert report["errors"] == {}, json.dumps(report["errors"], indent=1)[:3000]
    assert code == 0
    code, report = run_kgx("kgx_validate.py", *files)
    assert code == 1
    assert set(report["errors"]["ERROR"]) == {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}
    assert "with a CURIE prefix 'mechgraph'" in json.dumps(report["errors"])


@pytest.mark.slow
def test_the_kgx_tool_reads_back_every_edge(bundled_kgx):
    """The KGX tool's own reader (kgx transform's Transformer and graph store) keys edges by
    subject-predicate-object: it keeps every edge of the export, and every statement,
    parallel ones of different context included, is in one of them."""
    _, report = run_kgx("kgx_read.py", bundled_kgx / "nodes.tsv", bundled_kgx / "edges.tsv",
                        bundled_kgx / "context.jsonld")
    header, *lines = (bundled_kgx / "edges.tsv").read_text(encoding="utf-8").splitlines()
    ids = [line.split("\t")[0] for line in lines]
    assert report["nodes"] == len(MechGraph.load().model.entities)
    assert report["edges"] == len(lines)
    assert sorted(edge_id for _, _, _, edge_id in report["edge_list"]) == sorted(ids)
    kept = {part for edge_id in ids for part in edge_id.split("+")}
    statements = [row["id"] for row in statement_rows(MechGraph.load())]
    assert len(statements) > len(lines), "the bundled graph has statements sharing subject-predicate-object"
    assert kept == set(statements)
    together = {frozenset(edge_id.split("+")) for edge_id in ids}
    for pair in ({"a-a-ampar-increases-release-serotonin-esketamine",
                  "a-a-ampar-increases-release-serotonin-rketamine#refuting"},   # esketamine vs R-ketamine
                 {"a-c-esketamine-prevents-ppd", "a-c-esketamine-prevents-ppd#refuting"}):  # support vs refute
        assert pair in together
