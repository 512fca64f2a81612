"""One schema: the YAML reader (validate), the node-link reader and the KGX reader refuse
the same broken graphs with the same messages."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLE_GRAPH
from mechgraph import InvalidGraph
from mechgraph.curation.yaml_reader import load_model
from mechgraph.graph import MechGraph
from mechgraph.io.kgx import read_kgx, write_kgx
from mechgraph.io.nodelink import read_nodelink, to_nodelink


def _finding(data, fid):
    return next(f for f in data["graph"]["findings"] if f["id"] == fid)


def _edge(data, key):
    return next(e for e in data["edges"] if e["key"] == key)


def _node(data, nid):
    return next(n for n in data["nodes"] if n["id"] == nid)


#: (what is broken, the YAML text replaced, the same change to the node-link data)
BREAKAGES = [
    ("an unknown entity type",
     ("    type: Receptor\n", "    type: Wizard\n"),
     lambda d: _node(d, "receptor-r").update(type="Wizard")),
    ("an unknown predicate",
     ("    predicate: antagonizes\n", "    predicate: bewitches\n"),
     lambda d: _edge(d, "a-x-antagonizes-r").update(predicate="bewitches")),
    ("an unknown study type",
     ("    study_type: rct\n", "    study_type: anecdote\n"),
     lambda d: _finding(d, "f-x-treats-d").update(study_type="anecdote")),
    ("a role that does not fit the study type",
     ("    study_type: review\n", "    study_type: review\n    role: result\n"),
     lambda d: _finding(d, "f-p-regulates-q").update(role="result")),
    ("an unknown species",
     ("    species: [rat]\n", "    species: [unicorn]\n"),
     lambda d: _finding(d, "f-x-p-rat-null").update(species=["unicorn"])),
    ("an unknown route",
     ("intervention: {drug: drug-x, dose: 10 mg/kg, route: intraperitoneal}\n    direction: supports\n"
      "    statement: Drug X (10",
      "intervention: {drug: drug-x, dose: 10 mg/kg, route: telepathic}\n    direction: supports\n"
      "    statement: Drug X (10"),
     lambda d: _finding(d, "f-x-blocks-r")["interventions"][0].update(route="telepathic")),
    ("an unknown context key",
     ("    context: {species: [mouse]}\n", "    context: {weather: [rain]}\n"),
     lambda d: _edge(d, "a-x-antagonizes-r").update(context={"weather": ["rain"]})),
    ("a context entity that does not exist",
     ("    context: {species: [mouse]}\n", "    context: {brain_region: [atlantis]}\n"),
     lambda d: _edge(d, "a-x-antagonizes-r").update(context={"brain_region": ["atlantis"]})),
    ("an assertion listing a finding that does not exist",
     ("    supporting: [f-x-blocks-r]\n", "    supporting: [f-x-blocks-r, f-nowhere]\n"),
     lambda d: _edge(d, "a-x-antagonizes-r")["supporting"].append("f-nowhere")),
    ("a finding citing a source that does not exist",
     ("    statement: In rats, drug X", "    cites: [s-nowhere]\n    statement: In rats, drug X"),
     lambda d: _finding(d, "f-x-p-rat-null").update(cites=["s-nowhere"])),
    ("an intervention drug that does not exist",
     ("    intervention: {drug: drug-x}\n    direction: no_effect\n",
      "    intervention: {drug: nobody}\n    direction: no_effect\n"),
     lambda d: _finding(d, "f-x-p-rat-null")["interventions"][0].update(drug="nobody")),
    ("a step naming a pathway that is not a Pathway",
     ("    supporting: [f-x-blocks-r]\n", "    supporting: [f-x-blocks-r]\n    pathway: [protein-p]\n"),
     lambda d: _edge(d, "a-x-antagonizes-r").update(pathway=["protein-p"])),
    ("a refuting finding that supports",
     ("    supporting: [f-x-blocks-r]\n", "    supporting: [f-x-blocks-r]\n    refuting: [f-x-reduces-b]\n"),
     lambda d: _edge(d, "a-x-antagonizes-r").update(refuting=["f-x-reduces-b"])),
]


def _yaml_messages(tmp_path, old, new):
    graph = tmp_path / "yaml"
    shutil.copytree(EXAMPLE_GRAPH, graph)
    path = graph / "toy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        load_model(graph)
    return caught.value.errors


def _nodelink_messages(tmp_path, change):
    data = to_nodelink(MechGraph(load_model(EXAMPLE_GRAPH)))
    change(data)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        read_nodelink(path)
    return caught.value.errors


@pytest.mark.parametrize("what, replaced, change", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_yaml_and_node_link_refuse_the_same_graph_with_the_same_message(tmp_path, what, replaced, change):
    from_yaml = _yaml_messages(tmp_path, *replaced)
    from_nodelink = _nodelink_messages(tmp_path, change)
    assert sorted(e.message for e in from_yaml) == sorted(e.message for e in from_nodelink)
    # the YAML reader says where: the file and a line inside it
    assert all(e.file.endswith("toy.yaml") and e.line for e in from_yaml)


def test_kgx_refuses_an_unknown_context_key_as_the_schema_words_it(tmp_path):
    model = load_model(EXAMPLE_GRAPH)
    write_kgx(MechGraph(model), tmp_path / "kgx")
    edges = tmp_path / "kgx" / "edges.tsv"
    lines = edges.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split("\t")
    column = header.index("mechgraph_context")
    row = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip("\n").split("\t")[column])
    cells = lines[row].rstrip("\n").split("\t")
    cells[column] = json.dumps({"weather": ["rain"]})
    lines[row] = "\t".join(cells) + "\n"
    edges.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InvalidGraph) as caught:
        read_kgx(tmp_path / "kgx" / "nodes.tsv", edges)
    [error] = caught.value.errors
    assert error.line == row + 1
    assert error.message.startswith("mechgraph_context: unknown context key 'weather' (expected one of ")
