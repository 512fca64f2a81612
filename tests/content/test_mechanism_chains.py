"""The cascades of the bundled graph, asked as a pharmacologist would.

Each cascade seed 000 describes is a directed chain of signed steps: does `path` follow it
from its first member to its last, with the sign the seed gives, the drug whose experiments
support each step, and every step citing a seed sentence that states it? Steps the seed
offers as a hypothesis or as the review's conclusion must stay opinions. Answered through
the library API on the bundled graph; the citation questions read the seed sentences.
"""

from __future__ import annotations


import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import cited_sentences, load_seeds
from mechgraph.reasoning.explain import explain



@pytest.fixture(scope="module")
def g():
    return MechGraph.load()


@pytest.fixture(scope="module")
def seeds(g, seeds_dir):
    """The seed texts by source id (the seed directory as every test finds it: tests/conftest.py)."""
    return load_seeds(g.model, seeds_dir)


def chains(g, a, b, **kw):
    answer = g.path(a, b, **kw)
    assert answer["chains_found"], f"no mechanism chain {a} -> {b}: {answer.get('note')}"
    assert all(p["kind"] == "chain" for p in answer["paths"])
    return answer["paths"]


def steps(path):
    return [(h["subject"], h["predicate"], h["object"]) for h in path["hops"]]


def ids(path):
    return [n["id"] for n in path["nodes"]]


def chain_through(paths, *nodes):
    found = [p for p in paths if ids(p) == list(nodes)]
    assert found, f"no chain {' -> '.join(nodes)} among {[ids(p) for p in paths]}"
    return found[0]


def cited_text(g, seeds, finding_id):
    finding = g.model.findings[finding_id]
    return "".join(s.text for s in cited_sentences(seeds[finding.source], finding))


# -- the headline question ------------------------------------------------------------------

def test_nmdar_reaches_bdnf_by_a_directed_chain_not_a_collider_or_a_drug(g):
    for path in chains(g, "NMDAR", "BDNF"):
        assert ids(path)[0] == "nmdar" and ids(path)[-1] == "bdnf"
        assert all(h["relation"] == "causal" for h in path["hops"])
        types = {n["type"] for n in path["nodes"][1:-1]}
        assert not types & {"Drug", "Compound", "Phenotype", "Condition"}


def test_the_nmdar_to_bdnf_step_is_the_reviews_conclusion_and_stays_an_opinion(g, seeds):
    top = chains(g, "NMDAR", "BDNF")[0]
    hop = top["hops"][0]
    assert steps(top) == [("nmdar", "decreases", "bdnf")]
    assert top["sign"] == "-"          # NMDAR block raises BDNF
    assert hop["level"] == "review_opinion"
    for fid in hop["supporting"]:
        text = cited_text(g, seeds, fid)
        assert "NMDAR" in text or "BDNF" in text
    assert any("上游机制" in cited_text(g, seeds, f) for f in hop["supporting"])


def test_every_step_of_every_nmdar_bdnf_chain_cites_a_sentence_naming_both_ends(g, seeds):
    aliases = {"nmdar": ("NMDAR",), "bdnf": ("BDNF",), "ampar": ("AMPAR",)}
    for path in chains(g, "NMDAR", "BDNF"):
        for hop in path["hops"]:
            text = "".join(cited_text(g, seeds, f) for f in hop["supporting"])
            for end in (hop["subject"], hop["object"]):
                assert any(word in text for word in aliases.get(end, (g.model.entities[end].name,))), (hop, end)


# -- CaMKIIα/ERK -> BDNF/PSD95 under LHPP (seed 000 p31) ------------------------------------

def test_esketamine_reaches_bdnf_through_camkii_alpha_and_erk_phosphorylation(g, seeds):
    paths = chains(g, "esketamine", "BDNF")
    for kinase in ("camkii-alpha", "erk"):
        path = chain_through(paths, "esketamine", kinase, "bdnf")
        assert path["sign"] == "+"
        first, second = path["hops"]
        assert first["predicate"] == "increases_phosphorylation" and first["drugs"] == ["esketamine"]
        assert not second["borrowed"]
        assert all("31" in "".join(g.model.findings[f].locator) for f in second["supporting"])
        assert any("CaMKIIα" in cited_text(g, seeds, f) for f in second["supporting"])


def test_lhpp_holds_bdnf_down_through_the_kinases(g):
    path = chain_through(chains(g, "LHPP", "BDNF", max_hops=3), "lhpp", "camkii-alpha", "bdnf")
    assert path["sign"] == "-"          # less LHPP, less dephosphorylation, more BDNF
    assert path["hops"][1]["drugs"] in ([], ["esketamine"])


# -- BDNF/AKT/mTOR (p32.s2), BDNF-TrkB (p30.s1), mTOR -> synaptic proteins (Li et al., p32.s3) --

def test_bdnf_reaches_mtor_through_akt_in_the_pathways_order(g):
    path = chain_through(chains(g, "BDNF", "mTOR"), "bdnf", "akt", "mtor")
    assert path["sign"] == "+"
    for hop in path["hops"]:
        assert list(g.model.assertions[hop["assertion"]].pathway) == ["bdnf-akt-mtor-pathway"]
        assert hop["drugs"] == ["esketamine"]


def test_bdnf_binds_its_receptor_trkb(g):
    path = chains(g, "BDNF", "TrkB")[0]
    assert steps(path) == [("bdnf", "binds", "trkb")]


def test_mtor_raises_synaptic_proteins_only_with_racemic_ketamine_in_rats(g):
    for protein in ("psd-95", "glua2"):
        hop = chain_through(chains(g, "mTOR", protein), "mtor", protein)["hops"][0]
        assert hop["drugs"] == ["ketamine"]
        assert hop["species"] == ["rat"]
        assert g.model.assertions[hop["assertion"]].context.get("drug") in ("ketamine", ["ketamine"], ("ketamine",))


def test_esketamine_to_glua2_through_mtor_marks_the_ketamine_step_borrowed(g):
    path = chain_through(chains(g, "esketamine", "GluA2", max_hops=5), "esketamine", "bdnf", "akt", "mtor", "glua2")
    last = path["hops"][-1]
    assert last["borrowed"] and "ketamine" in last["borrowed_from"]
    assert not path["hops"][0]["borrowed"]


# -- Ca2+ -> calcineurin -> GluA1 phosphorylation -> CP-AMPAR (Zaytseva et al., p20) --------

def test_calcium_reaches_cp_ampar_through_calcineurin_and_glua1_with_a_negative_sign(g):
    path = chain_through(chains(g, "calcium", "CP-AMPAR"), "calcium", "calcineurin", "glua1", "cp-ampar")
    assert [h["predicate"] for h in path["hops"]] == ["activates", "decreases_phosphorylation", "increases_expression"]
    assert path["sign"] == "-"          # less Ca2+, more CP-AMPAR
    assert all(h["drugs"] == ["ketamine"] and h["level"] == "in_vitro" for h in path["hops"])


def test_ketamine_lowering_calcium_agrees_with_its_observed_rise_in_cp_ampar(g):
    path = chain_through(chains(g, "ketamine", "CP-AMPAR"), "ketamine", "calcium", "calcineurin", "glua1", "cp-ampar")
    assert path["sign"] == "+"
    assert "a-a-ketamine-increases-expression-cp-ampar" in path["agrees"]
    assert not path["contradicts"]


# -- GluN2D (Stahl et al., p18.s1), a hypothesis -------------------------------------------

def test_the_glun2d_cascade_is_a_hypothesis_not_a_result(g):
    path = chain_through(chains(g, "esketamine", "synaptic-protein-homeostasis"),
                         "esketamine", "glun2d", "synaptic-protein-homeostasis")
    assert path["sign"] == "+"          # blocking overactive GluN2D restores homeostasis
    step = path["hops"][1]
    assert step["level"] == "review_opinion"
    assert {g.model.findings[f].role for f in step["supporting"]} == {"opinion"}


# -- TARP-γ8/PSD-95 (p21.s2), disinhibition (p24.s1), AMPAR and the NMDAR pore (p22.s1) ------

def test_tarp_gamma8_uncoupling_step_rests_on_racemic_ketamine_in_mice(g):
    hop = chains(g, "tarp-gamma8-psd95-uncoupling", "rapid-antidepressant-effect")[0]["hops"][0]
    assert hop["drugs"] == ["ketamine"] and hop["species"] == ["mouse"]


def test_disinhibition_releases_dopamine_as_a_hypothesis(g):
    path = chain_through(chains(g, "ketamine", "dopamine"), "ketamine", "interneuron-disinhibition", "dopamine")
    assert path["hops"][1]["level"] == "review_opinion"


def test_ampar_activation_opens_the_nmdar_channel_as_the_reviews_view(g):
    hop = chain_through(chains(g, "AMPAR", "NMDAR"), "ampar", "nmdar")["hops"][0]
    assert hop["predicate"] == "activates" and hop["level"] == "review_opinion"


# -- explain: families come from the data ---------------------------------------------------

def test_explain_esketamine_groups_chains_by_the_reviews_mechanism_families(g):
    answer = explain(g, "esketamine")
    names = {f["name"] for f in answer["families"] if f["chains"]}
    assert {"BDNF and mTOR signalling", "Glutamatergic receptor signalling", "Opioid receptor mechanisms"} <= names
    bdnf = next(f for f in answer["families"] if f["name"] == "BDNF and mTOR signalling")
    assert any(ids(c)[1] in ("camkii-alpha", "erk") for c in bdnf["chains"])
