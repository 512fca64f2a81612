"""MechGraph.to_frames(): the graph as pandas tables a bioinformatician can filter and join."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph
from mechgraph.reasoning.evidence import assertion_score

pandas = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def graph():
    return MechGraph.load()


@pytest.fixture(scope="module")
def frames(graph):
    return graph.to_frames()


def test_one_row_per_record(graph, frames):
    model = graph.model
    assert sorted(frames.entities["id"]) == sorted(model.entities)
    assert sorted(frames.assertions["id"]) == sorted(model.assertions)
    assert sorted(frames.findings["id"]) == sorted(model.findings)
    assert len(frames.evidence) == sum(len(a.supporting) + len(a.refuting) for a in model.assertions.values())


def test_evidence_rows_carry_both_sides(graph, frames):
    model = graph.model
    refuting = frames.evidence[frames.evidence["stance"] == "refutes"]
    expected = sorted((a.id, f) for a in model.assertions.values() for f in a.refuting)
    assert sorted(zip(refuting["assertion"], refuting["finding"], strict=True)) == expected
    row = frames.evidence.iloc[0]
    finding = model.findings[row["finding"]]
    assert (row["source"], row["species"], row["level"]) == (finding.source, list(finding.species), finding.level)
    assert row["subject"] == model.assertions[row["assertion"]].subject


def test_scores_are_the_evidence_scores(graph, frames):
    scores = dict(zip(frames.assertions["id"], frames.assertions["score"], strict=True))
    assert all(scores[a.id] == assertion_score(graph.model, a) for a in graph.model.assertions.values())


def test_a_question_in_pandas(graph, frames):
    """Which mouse findings support esketamine's assertions? (filter, no join)"""
    ev = frames.evidence
    mouse = ev[(ev["subject"] == "esketamine") & (ev["stance"] == "supports")
               & ev["species"].apply(lambda s: "mouse" in s)]
    expected = {f for a in graph.model.assertions.values() if a.subject == "esketamine" for f in a.supporting
                if "mouse" in graph.model.findings[f].species}
    assert set(mouse["finding"]) == expected and expected


def test_an_empty_graph_gives_empty_tables_with_columns(tmp_path):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "empty.yaml").write_text("entities: []\n", encoding="utf-8")
    frames = MechGraph.load(tmp_path / "g").to_frames()
    assert len(frames.entities) == 0 and "name" in frames.entities.columns
    assert len(frames.evidence) == 0 and "stance" in frames.evidence.columns


def test_the_toy_graph_tables_unpack(example_dir):
    entities, assertions, findings, evidence = MechGraph.load(EXAMPLE_GRAPH).to_frames()
    assert set(entities["type"]) >= {"Drug"} and len(findings) == len(set(findings["id"]))
