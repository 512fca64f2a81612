"""Questions a researcher would ask of seed 000 §3.4-§3.5 and §4 (BDNF/TrkB, mTOR,
inflammation, circuits, conclusions), answered from graph/bdnf-mtor-inflammation.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import check_coverage

GRAPH = Path(__file__).resolve().parents[2] / "graph"
BDNF_MTOR_PARAGRAPHS = {30, 31, 32, 33, 35, 36, 37, 38, 40, 41}


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> MechGraph:
    """The bundled graph, as users get it."""
    return MechGraph.load(GRAPH)


def assertions(g, subject=None, predicate=None, obj=None, **context):
    found = []
    for a in g.model.assertions.values():
        if subject and a.subject != subject or predicate and a.predicate != predicate or obj and a.object != obj:
            continue
        if any(tuple(a.context.get(k, ())) != ((v,) if isinstance(v, str) else tuple(v)) for k, v in context.items()):
            continue
        found.append(a)
    return found


def one(g, subject, predicate, obj, **context):
    found = assertions(g, subject, predicate, obj, **context)
    assert len(found) == 1, [a.id for a in found]
    return found[0]


def findings(g, assertion, side="all"):
    ids = {"all": assertion.findings, "supporting": assertion.supporting, "refuting": assertion.refuting}[side]
    return [g.model.findings[f] for f in ids]


# -- mTOR: who supports and who refutes a role, per drug and species ---------------------------

def test_mtor_role_for_racemic_ketamine_is_disputed_rat_versus_patients(g):
    a = one(g, "mtor", "required_for", "antidepressant-effect", drug="ketamine")
    [rat] = findings(g, a, "supporting")
    [patients] = findings(g, a, "refuting")
    # the rat study of Li et al.: ketamine 10 mg/kg i.p., rapamycin blocks the effect
    assert rat.species == ("rat",) and rat.direction == "supports" and rat.study == "Li et al."
    assert rat.level == "animal_in_vivo"
    assert (rat.drug, rat.interventions[0].dose, rat.interventions[0].route) == ("ketamine", "10 mg/kg", "intraperitoneal")
    assert "rapamycin" in [i.drug for i in rat.interventions[1:]]
    assert rat.cites and all("Li" in g.model.sources[s].authors for s in rat.cites)
    # the clinical study: rapamycin pretreatment does not block ketamine in MDD patients
    assert patients.species == ("human",) and patients.direction == "refutes"
    assert patients.level == "human_observational"
    assert patients.drug == "ketamine" and "rapamycin" in [i.drug for i in patients.interventions]
    assert "major depressive disorder" in patients.population
    assert patients.locator == ("p33.s2",)


def test_mtor_role_for_esketamine_rests_on_mice_and_the_review_only(g):
    a = one(g, "mtor", "required_for", "antidepressant-effect", drug="esketamine")
    assert not a.refuting
    support = findings(g, a, "supporting")
    yang = [f for f in support if f.study == "Yang et al."]
    assert len(yang) == 1 and yang[0].species == ("mouse",) and yang[0].drug == "esketamine"
    rapa = [i for i in yang[0].interventions if i.drug == "rapamycin"]
    assert rapa and rapa[0].route == "intracerebroventricular"
    assert {f.level for f in support} == {"animal_in_vivo", "review_opinion"}
    # the clinical rapamycin study was of racemic ketamine: never on the esketamine edge
    assert all("human" not in f.species for f in support)
    assert all(f.drug in ("", "esketamine") for f in support)


def test_mtor_not_required_for_r_ketamine_in_mice(g):
    a = one(g, "mtor", "required_for", "antidepressant-effect", drug="r-ketamine")
    assert not a.supporting
    [f] = findings(g, a, "refuting")
    assert f.direction == "no_effect" and f.species == ("mouse",) and f.drug == "r-ketamine"
    assert f.study == "Yang et al."


def test_every_mtor_dependence_finding_by_drug_species_and_stance(g):
    table = set()
    for a in assertions(g, "mtor", "required_for", "antidepressant-effect"):
        for f in findings(g, a):
            table.add((a.context["drug"][0], f.species, f.direction))
    assert table == {
        ("ketamine", ("rat",), "supports"),
        ("ketamine", ("human",), "refutes"),
        ("esketamine", ("mouse",), "supports"),
        ("esketamine", (), "supports"),          # the review's conclusion p41.s2
        ("r-ketamine", ("mouse",), "no_effect"),
    }


def test_rapamycin_is_an_mtorc1_inhibitor_that_prolonged_ketamine_in_patients(g):
    assert g.resolve("sirolimus").id == g.resolve("雷帕霉素").id == "rapamycin"
    one(g, "rapamycin", "inhibits", "mtorc1")
    a = one(g, "rapamycin", "increases", "sustained-antidepressant-effect", drug="ketamine")
    [f] = findings(g, a)
    assert f.species == ("human",) and f.direction == "supports" and f.locator == ("p33.s2",)
    one(g, "mtor", "part_of", "mtorc1")
    one(g, "mtor", "part_of", "mtorc2")


def test_li_ketamine_activates_mtor_and_synaptic_proteins_in_rat_pfc(g):
    for predicate, obj in (("activates", "mtor"), ("increases_expression", "psd-95"),
                           ("increases_expression", "glua2")):
        a = one(g, "ketamine", predicate, obj, species="rat", brain_region="pfc")
        [f] = findings(g, a)
        assert f.timepoint == "1 h after treatment" and f.interventions[0].dose == "10 mg/kg"
    assert not assertions(g, "esketamine", "activates", "mtor")
    # 突触蛋白95 is read as PSD-95, and the reading is flagged as the curator's
    note = g.model.findings["f-b-li-ketamine-mtor-rat"].quality_note
    assert "突触蛋白95" in note and "synapsin" in note


def test_esketamine_acts_through_bdnf_akt_mtor_in_postpartum_depression_mice(g):
    a = one(g, "bdnf-akt-mtor-pathway", "mediates", "antidepressant-effect", drug="esketamine")
    [f] = findings(g, a)
    assert f.species == ("mouse",) and "offspring" in f.population and f.drug == "esketamine"
    members = {x.subject for x in assertions(g, predicate="part_of", obj="bdnf-akt-mtor-pathway")}
    assert members == {"bdnf", "akt", "mtor"}


# -- BDNF/TrkB --------------------------------------------------------------------------------

def test_ketamine_raises_hippocampal_bdnf_and_needs_bdnf(g):
    a = one(g, "ketamine", "increases_expression", "bdnf", brain_region="hippocampus")
    [f] = findings(g, a)
    assert (f.interventions[0].dose, f.interventions[0].route, f.timepoint) == ("3 mg/kg", "intraperitoneal", "30 min after treatment")
    ko = one(g, "bdnf", "required_for", "antidepressant-effect", drug="ketamine")
    assert [x.species for x in findings(g, ko)] == [("mouse",)]
    assert not assertions(g, "bdnf", "required_for", "antidepressant-effect", drug="esketamine")


def test_esketamine_releases_bdnf_in_mouse_mpfc_dose_dependently(g):
    a = one(g, "esketamine", "increases_release", "bdnf", species="mouse", brain_region="mpfc")
    [f] = findings(g, a)
    assert f.interventions[0].dose == "10 mg/kg or 50 mg/kg" and f.timepoint == "90 min after treatment"
    assert "dose-dependent" in f.statement and "microdialysis" in f.statement.lower()


def test_drugs_said_to_bind_trkb_directly(g):
    binders = {a.subject for a in assertions(g, predicate="binds", obj="trkb")}
    assert binders == {"bdnf", "ketamine", "esketamine", "ssri"}
    for drug in ("ketamine", "esketamine", "ssri"):
        [f] = findings(g, one(g, drug, "binds", "trkb"))
        assert f.drug == drug and f.locator == ("p30.s4",) and f.level == "review_opinion"


def test_lhpp_pathway(g):
    # HGNC ids: LHPP, MAPK3 and MAPK1 (ERK1/2), CAMK2A
    assert g.resolve("LHPP").xrefs["HGNC"] == ("30042",)
    assert g.resolve("ERK").xrefs["HGNC"] == ("6877", "6871")
    assert g.resolve("CaMKIIα").xrefs["HGNC"] == ("1460",)
    one(g, "lhpp", "risk_factor_for", "mdd")
    for kinase in ("camkii-alpha", "erk"):
        one(g, "lhpp", "decreases_phosphorylation", kinase, species="mouse", brain_region="ventral-hippocampus")
        a = one(g, "esketamine", "increases_phosphorylation", kinase, species="mouse")
        assert all(f.drug == "esketamine" for f in findings(g, a))
    one(g, "lhpp", "decreases_expression", "bdnf")
    one(g, "lhpp", "decreases_expression", "psd-95")
    one(g, "camkii-alpha-erk-bdnf-psd95-pathway", "mediates", "antidepressant-effect", drug="esketamine")


def test_lhpp_knockdown_is_dependence_and_upregulation_is_the_signed_effect(g):
    # knocking LHPP down (vHPC) made mice resilient to chronic social defeat stress: a loss of
    # function, so LHPP is required for the depression-like behaviour ...
    resilience = one(g, "lhpp", "required_for", "depression-like-behaviour")
    [ko] = findings(g, resilience)
    assert ko.id == "f-b-lhpp-knockdown-resilience" and "chronic social defeat stress" in ko.model
    assert resilience.context["brain_region"] == ("ventral-hippocampus",)
    # ... while "LHPP increases depression-like behaviour" rests on the upregulation model (p31.s4)
    up = one(g, "lhpp", "increases", "depression-like-behaviour")
    [f] = findings(g, up)
    assert f.locator == ("p31.s4",) and f.species == ("mouse",) and not f.interventions
    assert ko.id not in up.findings


# -- inflammation ----------------------------------------------------------------------------

def test_cytokines_correlated_with_postpartum_depression_and_low_mood(g):
    correlated = {a.subject for a in assertions(g, predicate="positively_correlated_with", obj="postpartum-depression")}
    assert correlated == {"il-6", "il-1-beta"}
    one(g, "tnf-alpha", "associated_with", "low-mood")


def test_esketamine_lowers_cytokines_in_mice_and_in_missed_abortion_patients(g):
    mouse = {a.object for a in assertions(g, "esketamine", "decreases", species="mouse")
             if g.model.entities[a.object].type == "Cytokine"}
    assert mouse == {"il-6", "tnf-alpha"}
    human = [a for a in assertions(g, "esketamine", "decreases", species="human")
             if g.model.entities[a.object].type == "Cytokine"]
    assert {a.object for a in human} == {"tnf-alpha", "il-1-beta", "il-6", "il-8"}
    for a in human:
        [f] = findings(g, a)
        assert (f.interventions[0].dose, f.interventions[0].route) == ("0.3 mg/kg", "intravenous")
        assert f.timepoint == "postoperative day 1" and "missed-abortion" in f.about
    epds = one(g, "esketamine", "decreases", "epds", species="human", population="patients with missed abortion")
    [f] = findings(g, epds)
    assert f.timepoint == "postoperative days 7 and 42" and f.level == "human_observational"
    assert g.resolve("稽留流产").id == "missed-abortion"


def test_routes_of_esketamine_anti_inflammatory_action(g):
    for predicate, obj in (("inhibits", "microglia"), ("regulates", "hpa-axis"),
                           ("decreases", "kynurenine-tryptophan-ratio")):
        [f] = findings(g, one(g, "esketamine", predicate, obj))
        assert f.id == "f-b-esketamine-anti-inflammatory-routes"
        assert f.drug == "esketamine" and f.level == "review_opinion" and f.locator == ("p36.s2",)


def test_cd38_work_is_r_ketamine_only(g):
    one(g, "r-ketamine", "decreases_expression", "cd38")
    # CD38 evidence is a knockout: dependence, not a signed effect of CD38
    for obj in ("neuroinflammation", "depression-like-behaviour"):
        a = one(g, "cd38", "required_for", obj)
        assert [f.id for f in findings(g, a)] == ["f-b-cd38-knockout-lps"]
    assert not assertions(g, "cd38", "increases")
    one(g, "lipopolysaccharide", "causes", "depression-like-behaviour")
    touching_cd38 = [a for a in g.model.assertions.values() if "cd38" in (a.subject, a.object)]
    assert all("esketamine" not in (a.subject, a.object) and "esketamine" not in a.context.get("drug", ())
               for a in touching_cd38)
    f = g.model.findings["f-b-r-ketamine-inhibits-cd38"]
    assert f.drug == "r-ketamine" and "did not discuss esketamine" in f.quality_note
    # the pooled ketamine/esketamine sentence (p37.s3) uses the pooled entity, not esketamine
    hotspot = g.model.findings["f-b-circuits-research-hotspot"]
    assert "ketamine-or-esketamine" in hotspot.about and "esketamine" not in hotspot.about
    assert not hotspot.drug


# -- circuits ---------------------------------------------------------------------------------

def test_circuit_findings_are_for_racemic_ketamine(g):
    camp = one(g, "ketamine", "increases", "camp", cell_type="d1-msn", brain_region="nucleus-accumbens")
    assert findings(g, camp)[0].species == ("mouse",)
    one(g, "camp", "mediates", "rapid-antidepressant-effect", drug="ketamine")
    one(g, "ketamine", "increases", "sn-vta-functional-connectivity")
    one(g, "sn-vta-functional-connectivity", "negatively_correlated_with", "depression")
    one(g, "locus-coeruleus", "projects_to", "dorsolateral-septum")
    one(g, "ketamine", "increases", "bdnf", brain_region="lc-dls-circuit")
    one(g, "ketamine", "antagonizes", "nmdar", brain_region="lateral-habenula")
    for obj in ("camp", "sn-vta-functional-connectivity", "substantia-nigra", "ventral-tegmental-area", "lc-dls-circuit"):
        assert not [a for a in g.model.assertions.values() if a.subject == "esketamine" and obj in (a.object, *a.context.get("brain_region", ()))]


def test_no_esketamine_edge_rests_on_another_drug(g):
    for a in g.model.assertions.values():
        if a.subject == "esketamine" or a.context.get("drug") == ("esketamine",):
            for f in findings(g, a):
                assert f.drug in ("", "esketamine"), (a.id, f.id, f.drug)
        if a.subject in ("ketamine", "r-ketamine") or a.context.get("drug") in (("ketamine",), ("r-ketamine",)):
            drug = a.context.get("drug", (a.subject,))[0] if a.subject not in ("ketamine", "r-ketamine") else a.subject
            for f in findings(g, a):
                assert f.drug in ("", drug, "rapamycin"), (a.id, f.id, f.drug)


# -- conclusions ------------------------------------------------------------------------------

def test_conclusions_are_the_review_own_opinion(g):
    # seed 000's §4 (paragraphs 40-41); seed 002 has paragraphs with the same numbers
    conclusions = [f for f in g.model.findings.values()
                   if f.source == "seed-000" and f.locator[0].startswith(("p40.", "p41."))]
    assert len(conclusions) >= 10
    assert {f.level for f in conclusions} == {"review_opinion"}
    assert {f.study_type for f in conclusions} == {"review", "regulatory"}
    one(g, "ampar", "required_for", "antidepressant-effect", drug="esketamine")
    assert {a.object for a in assertions(g, "esketamine", "binds") if "opioid" in a.object} == {
        "mu-opioid-receptor", "kappa-opioid-receptor"}


def test_conclusion_findings_name_esketamine(g):
    F = g.model.findings
    for fid in ("f-b-conclusion-nmdar-ampar", "f-b-conclusion-opioid-affinity",
                "f-b-conclusion-mtor-indispensable", "f-b-conclusion-monoamines"):
        assert F[fid].drug == "esketamine", fid
    # NMDAR antagonism (merged edge in pharmacology.yaml) and AMPAR: esketamine findings only
    nmdar = g.model.assertions["a-c-esketamine-antagonizes-nmdar"]
    assert "f-b-conclusion-nmdar-ampar" in nmdar.supporting
    assert {f.drug for f in findings(g, nmdar)} == {"esketamine"}
    ampar = one(g, "ampar", "required_for", "antidepressant-effect", drug="esketamine")
    assert [f.id for f in findings(g, ampar)] == ["f-b-conclusion-nmdar-ampar"]
    # the review's AMPAR evidence is from racemic ketamine: flagged
    assert "racemic ketamine" in F["f-b-conclusion-nmdar-ampar"].quality_note


# -- provenance ------------------------------------------------------------------------------

def test_is_every_sentence_on_bdnf_mtor_and_inflammation_cited_with_its_numbers(g, seeds_dir):
    report = check_coverage(g.model, seeds_dir)
    assert report.problems == []
    seed = next(s for s in report.seeds if s.source == "seed-000")
    assert [u.locator for u in seed.uncited if u.paragraph in BDNF_MTOR_PARAGRAPHS] == []
