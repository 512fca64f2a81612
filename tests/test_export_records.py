"""The exports read an assertion's computed values (sign, relation, level, score, species)
from the graph's topology in one pass (:func:`mechgraph.io.records.assertion_records`); the
reference is :func:`~mechgraph.io.records.assertion_record`, which works each out from the
assertion's findings. They agree on random graphs, the test graphs and the bundled graph,
read from YAML and from a cached KGX export, and while the pass lets go of decoded records."""

from __future__ import annotations

import pytest
from conftest import DATA
from test_conflicts_touching import random_graph

from mechgraph import MechGraph
from mechgraph.io import records
from mechgraph.io.kgx import write_kgx
from mechgraph.store import recordfile


def reference(graph) -> list[dict]:
    return [records.assertion_record(graph, aid) for aid in records.assertion_ids(graph)]


@pytest.mark.parametrize("seed", range(20))
def test_random_graphs_give_the_records_their_findings_give(tmp_path, seed):
    graph, _ = random_graph(tmp_path / "g", seed)
    assert list(records.assertion_records(graph)) == reference(graph)
    write_kgx(graph, tmp_path / "kgx")
    cached = MechGraph.load(tmp_path / "kgx")
    assert isinstance(cached.model.assertions, recordfile.RecordMap)
    assert list(records.assertion_records(cached)) == reference(cached)


@pytest.mark.parametrize("name", ["example-graph", "hostile-graph", "kgx-graph", "xss-graph", None])
def test_the_test_graphs_and_the_bundled_graph_agree(name):
    graph = MechGraph.load(DATA / name) if name else MechGraph.load()
    mine = list(records.assertion_records(graph))
    assert mine == reference(graph)
    assert [r["id"] for r in mine] == sorted(graph.model.assertions)


def test_letting_go_as_the_pass_goes_changes_no_record(tmp_path, monkeypatch):
    """A pass that lets go after every record reads each afresh: the same records, and
    the KGX export the same bytes."""
    graph, _ = random_graph(tmp_path / "g", 3)
    write_kgx(graph, tmp_path / "kgx")
    cached = MechGraph.load(tmp_path / "kgx")
    expected = reference(cached)
    write_kgx(cached, tmp_path / "again")
    forgotten = []
    real = recordfile.RecordMap.forget
    monkeypatch.setattr(recordfile.RecordMap, "forget", lambda self: forgotten.append(1) or real(self))
    monkeypatch.setattr(recordfile, "LET_GO_EVERY", 1)
    assert list(records.assertion_records(cached)) == expected
    assert len(forgotten) >= 3 * len(expected)
    write_kgx(cached, tmp_path / "let-go")
    for name in ("nodes.tsv", "edges.tsv"):
        assert (tmp_path / "let-go" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()


def _lists(value):
    if isinstance(value, (tuple, list)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def _asdict_record(record, level=None) -> dict:
    """What the exports wrote before: ``dataclasses.asdict`` without ``where``, tuples as lists."""
    from dataclasses import asdict
    out = {}
    for key, value in asdict(record).items():
        if key != "where":
            out[key] = _lists(value)
            if key == "study_type":
                out["level"] = level
    return out


@pytest.mark.parametrize("name", ["example-graph", "hostile-graph", "kgx-graph", "xss-graph", None])
def test_finding_and_source_records_are_what_asdict_gave(name):
    graph = MechGraph.load(DATA / name) if name else MechGraph.load()
    m = graph.model
    nested = 0
    for f in m.findings.values():
        assert records.finding_record(f) == _asdict_record(f, f.level)
        assert list(records.finding_record(f)) == list(_asdict_record(f, f.level))
        nested += bool(f.quantities) + bool(f.interventions)
    for s in m.sources.values():
        assert records.source_record(s) == _asdict_record(s)
    if name is None:
        assert nested > 20  # the bundled graph's doses and interventions are nested records


@pytest.mark.parametrize("which", ["bundled", "no-sources"])
def test_graphml_writes_the_sources_a_source_at_a_time_as_one_value(which, tmp_path):
    """The graph's sources element is what the whole list's value gives, an empty list included."""
    from mechgraph.io.graphml import _data, generate_graphml
    if which == "bundled":
        graph = MechGraph.load()
    else:  # KGX edges without evidence fields: no findings, no sources
        (tmp_path / "g").mkdir()
        (tmp_path / "g" / "nodes.tsv").write_text("id\tcategory\nX:1\tbiolink:Protein\nX:2\tbiolink:Protein\n")
        (tmp_path / "g" / "edges.tsv").write_text("subject\tpredicate\tobject\nX:1\tbiolink:affects\tX:2\n")
        graph = MechGraph.load(tmp_path / "g")
    sources = [records.source_record(graph.model.sources[s]) for s in sorted(graph.model.sources)]
    assert bool(sources) == (which == "bundled")
    assert _data("g", "sources", sources, "    ") in "".join(generate_graphml(graph))
