"""`mechgraph explain` (chains grouped by mechanism family, gaps, guidance) and `show`'s
findings by role (intervention, co-intervention, context), on constructed graphs."""

from __future__ import annotations

import json

import pytest
from mkgraph import assertion, entity, finding, write_graph

from mechgraph import MechGraph, NoPath
from mechgraph.errors import MechgraphError
from mechgraph.reasoning.explain import explain


@pytest.fixture
def drug_graph(tmp_path) -> MechGraph:
    """A drug with two families (glutamate, via a cascade nested in it; opioid, with a gap),
    one unfamilied one-step effect, a recommendation, and a blocker experiment."""
    entities = [
        entity("drug", "Drug", "Drug D"), entity("other", "Drug", "Other drug"),
        entity("blocker", "Compound", "Blocker B"),
        entity("nmdar", "Receptor", "NMDAR"), entity("camk", "Enzyme", "CaMK"), entity("bdnf", "Protein", "BDNF"),
        entity("mor", "Receptor", "MOR"), entity("effect", "Phenotype", "Antidepressant effect"),
        entity("behaviour", "Phenotype", "Behaviour"), entity("region", "BrainRegion", "Habenula"),
        entity("glu", "Pathway", "Glutamatergic signalling"), entity("cascade", "Pathway", "CaMK cascade"),
        entity("opioid", "Pathway", "Opioid signalling"),
    ]
    findings = [
        finding("f-drug-nmdar", intervention={"drug": "drug"}),
        finding("f-nmdar-camk", intervention={"drug": "other"}),
        finding("f-camk-bdnf"), finding("f-bdnf-effect", intervention={"drug": "drug"}),
        finding("f-drug-mor", intervention={"drug": "drug"}),
        finding("f-drug-effect", intervention={"drug": "drug"}),
        finding("f-blocked", intervention={"drug": "drug"}, co_interventions=[{"drug": "blocker"}]),
        finding("f-cascade-in-glu", study_type="review", role="background"),
        finding("f-dose", study_type="guideline", role="recommendation", guidance="dosing", about=["drug"]),
        finding("f-monitor", study_type="guideline", role="recommendation", guidance="monitoring",
                intervention={"drug": "drug", "dose": "56 mg"}),
    ]
    assertions = [
        assertion("a1", "drug", "antagonizes", "nmdar", supporting=["f-drug-nmdar"], pathway=["glu"]),
        assertion("a2", "nmdar", "inhibits", "camk", supporting=["f-nmdar-camk"], pathway=["cascade"]),
        assertion("a3", "camk", "increases_expression", "bdnf", supporting=["f-camk-bdnf"], pathway=["cascade"],
                  context={"brain_region": ["region"]}),
        assertion("a4", "bdnf", "required_for", "effect", supporting=["f-bdnf-effect", "f-blocked"]),
        assertion("a5", "drug", "agonizes", "mor", supporting=["f-drug-mor"], pathway=["opioid"]),
        assertion("a6", "drug", "increases", "effect", supporting=["f-drug-effect"]),
        assertion("a7", "cascade", "part_of", "glu", supporting=["f-cascade-in-glu"]),
    ]
    return MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions))


def test_chains_are_grouped_by_the_top_level_family_of_their_first_named_step(drug_graph):
    result = explain(drug_graph, "Drug D")
    assert result["outcome"]["id"] == "effect" and result["outcome_default"] is True
    families = {f["id"]: f for f in result["families"]}
    glu = families["glu"]
    assert [[n["id"] for n in c["nodes"]] for c in glu["chains"]] == [["drug", "nmdar", "camk", "bdnf", "effect"]]
    chain = glu["chains"][0]
    assert chain["families"] == ["glu"], "the cascade nests under its family"
    assert chain["sign"] == "+" and [h["borrowed"] for h in chain["hops"]] == [False, True, False, False]
    assert chain["weakest_step"]["assertion"] in {"a1", "a2", "a3", "a4"}
    assert [[n["id"] for n in c["nodes"]] for c in families["(direct)"]["chains"]] == [["drug", "effect"]]


def test_a_family_whose_chain_stops_says_where(drug_graph):
    opioid = next(f for f in explain(drug_graph, "drug")["families"] if f["id"] == "opioid")
    assert opioid["chains"] == []
    assert [g["entity"]["id"] for g in opioid["gaps"]] == ["mor"]
    assert opioid["gaps"][0]["note"] == ("the drug reaches MOR in 1 step(s), but no step in the graph leads on "
                                         "from it to the outcome")


def test_explain_lists_guidance_by_topic_and_never_as_evidence(drug_graph):
    guidance = explain(drug_graph, "drug")["guidance"]
    assert {topic: [f["id"] for f in items] for topic, items in guidance.items()} == \
        {"dosing": ["f-dose"], "monitoring": ["f-monitor"]}


def test_explain_takes_an_outcome_and_refuses_a_non_drug(drug_graph):
    result = explain(drug_graph, "drug", "bdnf")
    assert result["outcome"]["id"] == "bdnf" and result["outcome_default"] is False
    with pytest.raises(MechgraphError, match="NMDAR is a Receptor, not a drug"):
        explain(drug_graph, "nmdar")
    with pytest.raises(NoPath):
        explain(drug_graph, "blocker")


def test_explain_cli_text_json_and_html(run, drug_graph, tmp_path):
    out = run("--graph", drug_graph.model.root, "explain", "Drug D").stdout
    assert out.startswith("How Drug D reaches Antidepressant effect (the phenotype its chains reach most; "
                          "give OUTCOME to choose): 2 mechanism chain(s) in 2 families")
    assert "== Glutamatergic signalling / glu中: 1 chain(s)" in out
    assert "  open: the drug reaches MOR in 1 step(s)" in out
    assert "  dosing:\n    statement f-dose" in out
    data = json.loads(run("--graph", drug_graph.model.root, "explain", "drug", "--json").stdout)
    assert set(data) == {"drug", "outcome", "outcome_default", "chains", "families", "open_ends", "guidance"}
    page = tmp_path / "explain.html"
    result = run("--graph", drug_graph.model.root, "explain", "drug", "--html", str(page))
    assert result.exit_code == 0 and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_show_lists_the_findings_that_name_an_entity_by_role(drug_graph):
    shown = drug_graph.show("Blocker B")
    assert shown["mentions"] == {"co_intervention": ["f-blocked"]}
    assert [f["id"] for f in shown["findings"]] == ["f-blocked"]
    region = drug_graph.show("Habenula")
    assert region["mentions"] == {"brain_region": ["f-camk-bdnf"]}
    other = drug_graph.show("other")
    assert other["mentions"] == {"intervention": ["f-nmdar-camk"]}


def test_show_text_has_a_heading_per_role(run, drug_graph):
    out = run("--graph", drug_graph.model.root, "show", "Blocker B").stdout
    assert "Findings naming it as a co-intervention (given with or before the drug) (1):\n  f-blocked" in out
