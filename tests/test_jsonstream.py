"""JSON exports written as they are made: the same bytes as ``json.dumps`` of the whole
document, with only a bounded part of the graph's records held at a time."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLE_GRAPH
from mechgraph import MechGraph
from mechgraph.io import cytoscape, nodelink
from mechgraph.io.jsonstream import Lazy, pieces
from mechgraph.store import cache, recordfile

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
plain = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                     max_leaves=20)


@st.composite
def documents(draw, depth=0):
    """A document of dictionaries whose values may be lists made as written (Lazy), with
    the same document as plain lists beside it."""
    keys = draw(st.lists(st.text(max_size=5), unique=True, max_size=4))
    lazy, plain_doc = {}, {}
    for key in keys:
        kind = draw(st.sampled_from(["plain", "lazy", "dict"] if depth < 2 else ["plain", "lazy"]))
        if kind == "plain":
            lazy[key] = plain_doc[key] = draw(plain)
        elif kind == "lazy":
            items = draw(st.lists(plain, max_size=4))
            lazy[key], plain_doc[key] = Lazy(iter(items)), list(items)
        else:
            lazy[key], plain_doc[key] = draw(documents(depth + 1))
    return lazy, plain_doc


@settings(max_examples=300, deadline=None)
@given(documents(), st.integers(1, 3), st.booleans())
def test_pieces_are_the_text_json_dumps_gives(doc, indent, small_pieces):
    lazy, plain_doc = doc
    if small_pieces:  # pieces handed on after every few characters
        import mechgraph.io.jsonstream as module
        saved, module.PIECE = module.PIECE, 3
    try:
        text = "".join(pieces(lazy, indent))
    finally:
        if small_pieces:
            module.PIECE = saved
    assert text == json.dumps(plain_doc, ensure_ascii=False, indent=indent)


def test_a_key_that_is_not_text_is_refused():
    with pytest.raises(TypeError):
        "".join(pieces({1: Lazy([])}))
    assert math.isnan(json.loads("".join(pieces({"a": Lazy([float("nan")])})))["a"][0])


@pytest.mark.parametrize("graph_dir", [None, EXAMPLE_GRAPH, DATA / "hostile-graph", DATA / "kgx-graph",
                                       DATA / "xss-graph"])
@pytest.mark.parametrize("module,document,write", [(nodelink, "to_nodelink", "write_nodelink"),
                                                    (cytoscape, "to_cytoscape", "write_cytoscape")])
def test_a_json_export_is_the_whole_document_dumped(tmp_path, graph_dir, module, document, write):
    graph = MechGraph.load(graph_dir) if graph_dir else MechGraph.load()
    out = tmp_path / "graph.json"
    getattr(module, write)(graph, out)
    expected = json.dumps(getattr(module, document)(graph), ensure_ascii=False, indent=1) + "\n"
    assert out.read_bytes() == expected.encode("utf-8")


def test_an_export_holds_only_so_many_records_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    cache._MEMORY.clear()
    MechGraph.load(DATA / "kgx-graph")  # writes the cache
    cache._MEMORY.clear()
    graph = MechGraph.load(DATA / "kgx-graph")
    assert isinstance(graph.model.findings, recordfile.RecordMap)
    monkeypatch.setattr(recordfile, "KEEP_CHUNKS", 1)
    for module, write in ((nodelink, "write_nodelink"), (cytoscape, "write_cytoscape")):
        getattr(module, write)(graph, tmp_path / "graph.json")
        for kind in ("entities", "assertions", "findings", "sources"):
            records = getattr(graph.model, kind)
            assert len(records._records) <= 1 and len(records._chunks) <= 1, kind
    monkeypatch.setattr(recordfile, "KEEP_CHUNKS", 16_384)
    cache._MEMORY.clear()
    fresh = MechGraph.load(DATA / "kgx-graph")
    assert (tmp_path / "graph.json").read_text(encoding="utf-8") == \
        json.dumps(cytoscape.to_cytoscape(fresh), ensure_ascii=False, indent=1) + "\n"
    cache._MEMORY.clear()
