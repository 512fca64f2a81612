"""CX2: the document's shape (ndex2 itself reads it in tests/test_export_clients.py)."""

from __future__ import annotations

import json

import pytest
from mkgraph import assertion, entity, finding, write_graph

from mechgraph import MechGraph
from mechgraph.io.cx2 import EDGE_TYPES, NODE_TYPES, to_cx2, write_cx2


def aspects(doc: list[dict]) -> dict:
    return {name: value for aspect in doc for name, value in aspect.items()}


def test_entities_and_assertions_are_numbered_in_id_order_and_keep_their_ids(example_dir):
    g = MechGraph.load(example_dir)
    doc = aspects(to_cx2(g))
    assert doc["CXVersion"] == "2.0" and doc["hasFragments"] is False
    nodes, edges = doc["nodes"], doc["edges"]
    assert [n["id"] for n in nodes] == list(range(len(g.model.entities)))
    assert [n["v"]["entity"] for n in nodes] == sorted(g.model.entities)
    assert [e["v"]["assertion"] for e in edges] == sorted(g.model.assertions)
    entity = {n["id"]: n["v"]["entity"] for n in nodes}
    for e in edges:
        a = g.model.assertions[e["v"]["assertion"]]
        assert (entity[e["s"]], entity[e["t"]]) == (a.subject, a.object)
        assert e["v"]["interaction"] == a.predicate
    counts = {m["name"]: m["elementCount"] for m in doc["metaData"]}
    assert counts == {"attributeDeclarations": 1, "networkAttributes": 1, "nodes": len(nodes), "edges": len(edges)}


def test_every_element_has_every_declared_attribute_of_its_type(example_dir):
    doc = aspects(to_cx2(MechGraph.load(example_dir)))
    declared = doc["attributeDeclarations"][0]
    assert declared["nodes"] == {k: {"d": v} for k, v in NODE_TYPES.items()}
    assert declared["edges"] == {k: {"d": v} for k, v in EDGE_TYPES.items()}
    python = {"string": str, "double": float, "list_of_string": list}
    for aspect, types in (("nodes", NODE_TYPES), ("edges", EDGE_TYPES)):
        for element in doc[aspect]:
            assert list(element["v"]) == list(types)
            for name, kind in types.items():
                assert type(element["v"][name]) is python[kind], (aspect, name)
    drug = next(n["v"] for n in doc["nodes"] if n["v"]["entity"] == "drug-x")
    assert drug["name"] == "Drug X" and drug["aliases"] == ["DX", "X-101"]
    edge = next(e["v"] for e in doc["edges"] if e["v"]["assertion"] == "a-x-increases-expression-p")
    assert edge["species"] == ["mouse", "rat"] and edge["refuting"] == ["f-x-p-rat-null"]
    assert [f["id"] for f in json.loads(edge["evidence"])] == edge["supporting"] + edge["refuting"]


def test_the_file_is_json_with_one_element_a_line_and_the_same_bytes_each_time(example_dir, tmp_path):
    g = MechGraph.load(example_dir)
    write_cx2(g, tmp_path / "a.cx2")
    write_cx2(g, tmp_path / "b.cx2")
    text = (tmp_path / "a.cx2").read_text(encoding="utf-8")
    assert text == (tmp_path / "b.cx2").read_text(encoding="utf-8")
    assert json.loads(text) == to_cx2(g)
    assert len(text.splitlines()) == 13 + len(g.model.entities) + len(g.model.assertions)


def one_element_a_line(doc: list[dict]) -> str:
    """The file's layout, from the whole document: each short aspect on a line, then each
    element of the nodes, edges and network attributes on its own line."""
    lines = ["["]
    for i, aspect in enumerate(doc):
        comma = "," if i < len(doc) - 1 else ""
        name, elements = next(iter(aspect.items()))
        if name in ("metaData", "attributeDeclarations", "status") or len(aspect) > 1:
            lines.append(json.dumps(aspect, ensure_ascii=False) + comma)
            continue
        texts = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in elements]
        lines += [f'{{"{name}":['] + [f"  {t}," for t in texts[:-1]] + [f"  {t}" for t in texts[-1:]]
        lines.append("]}" + comma)
    return "\n".join(lines + ["]"]) + "\n"


@pytest.mark.parametrize("which", ["example", "bundled", "no-assertions", "one-assertion"])
def test_the_file_written_element_by_element_is_the_whole_documents_layout(which, example_dir, tmp_path):
    """write_cx2 makes each node, edge and source as it writes it; the file is what the
    whole document gives, empty aspects, a last element without a comma and sources whose
    text needs escaping twice (JSON within a JSON string) included."""
    if which in ("example", "bundled"):
        g = MechGraph.load(example_dir) if which == "example" else MechGraph.load()
    else:
        entities = [entity("p"), entity("q", "Phenotype")]
        findings = [finding("f")] if which == "one-assertion" else []
        assertions = [assertion("a", "p", "increases", "q", supporting=["f"])] if findings else []
        sources = [{"id": "seed-a", "kind": "seed", "file": "a.txt", "title": 'a "quoted" \\ title,\twith\nbreaks'},
                   {"id": "seed-b", "kind": "seed", "file": "b.txt", "title": "综述 ] [ {}"}]
        g = MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions, sources))
    write_cx2(g, tmp_path / "out.cx2")
    assert (tmp_path / "out.cx2").read_text(encoding="utf-8") == one_element_a_line(to_cx2(g))
