"""Questions a pharmacologist would ask of seed 000 sections 3-3.3 (glutamate, monoamines,
opioid receptors), answered from curator A's files (graph/glutamate.yaml and
graph/monoamine-opioid.yaml) loaded with core.yaml in a private graph directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import check_coverage, load_seeds

ROOT = Path(__file__).resolve().parents[2]
GRAPH = ROOT / "graph"
FILES = ("core.yaml", "glutamate.yaml", "monoamine-opioid.yaml")
GLUTAMATE_OPIOID_PARAGRAPHS = {15, 17, 18, 19, 20, 21, 22, 24, 25, 27, 28}


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> MechGraph:
    """The bundled graph, as users get it."""
    return MechGraph.load(GRAPH)


def A(g, aid):
    return g.model.assertions[aid]


def F(g, fid):
    return g.model.findings[fid]


def findings(g, aid, side="supporting"):
    return [g.model.findings[f] for f in getattr(g.model.assertions[aid], side)]


def glutamate_opioid_findings(g):
    return [f for f in g.model.findings.values() if f.id.startswith("f-a-")]


# -- provenance ------------------------------------------------------------------------------

def test_is_every_sentence_on_glutamate_and_opioids_cited_with_its_numbers(g, seeds_dir):
    report = check_coverage(g.model, seeds_dir)
    assert report.problems == []
    seed = next(s for s in report.seeds if s.source == "seed-000")
    uncited = [u.locator for u in seed.uncited if u.paragraph in GLUTAMATE_OPIOID_PARAGRAPHS]
    assert uncited == []


def test_are_the_findings_paraphrased_rather_than_copied(g, seeds_dir):
    seeds = load_seeds(g.model, seeds_dir)
    texts = {s.text for s in seeds["seed-000"].sentences()}
    for f in glutamate_opioid_findings(g):
        assert f.statement_zh not in texts, f.id
        for text in texts:
            if len(text) > 20:
                assert text.rstrip("。") not in f.statement_zh, f.id


def test_do_the_glutamate_and_opioid_findings_cite_those_paragraphs_of_seed_000(g):
    for f in glutamate_opioid_findings(g):
        assert f.source == "seed-000"
        for loc in f.locator:
            assert int(loc[1:].split(".")[0]) in GLUTAMATE_OPIOID_PARAGRAPHS, (f.id, loc)


# -- drug fidelity -------------------------------------------------------------------------

DRUGS = {"esketamine", "ketamine", "r-ketamine", "mk-801", "nmdar-antagonists", "ssri", "naltrexone"}


def test_drug_assertions_only_carry_findings_on_that_drug(g):
    for a in g.model.assertions.values():
        if not a.id.startswith("a-a-"):
            continue
        expected = a.subject if a.subject in DRUGS else (a.context.get("drug") or (None,))[0]
        if expected is None:
            continue
        for f in g.model.findings_of(a):
            if f.interventions:
                assert f.drug == expected, (a.id, f.id, f.drug)


def test_no_ketamine_result_is_attached_to_esketamine(g):
    for a in g.model.assertions.values():
        if a.subject == "esketamine" or a.context.get("drug") == ("esketamine",):
            for f in g.model.findings_of(a):
                assert f.drug in ("esketamine", ""), (a.id, f.id)


def test_nmdar_antagonism_is_recorded_separately_for_each_enantiomer(g):
    # the esketamine edge was merged across topics (pharmacology.yaml): it carries our p17.s1
    # esketamine finding and only esketamine findings, never the ketamine one
    esk = findings(g, "a-c-esketamine-antagonizes-nmdar")
    assert "f-a-esk-nmdar-antagonism-review" in [f.id for f in esk]
    assert "f-a-ket-nmdar-antagonism-review" not in [f.id for f in esk]
    assert {f.drug for f in esk} == {"esketamine"}
    assert [f.id for f in findings(g, "a-a-ketamine-antagonizes-nmdar")] == ["f-a-ket-nmdar-antagonism-review"]
    assert [f.drug for f in findings(g, "a-a-ketamine-antagonizes-nmdar")] == ["ketamine"]
    lhb = A(g, "a-a-ketamine-antagonizes-nmdar-lhb")
    assert lhb.context["brain_region"] == ("lateral-habenula",)
    assert {f.drug for f in findings(g, lhb.id)} == {"ketamine"}
    assert {A(g, f"a-a-glun2{x}-part-of-nmdar").object for x in "abd"} == {"nmdar"}


# -- 3.1 glutamatergic signalling --------------------------------------------------------------

def test_glun2b_knockout_and_expression(g):
    ko_edge = A(g, "a-a-glun2b-required-for-dlb-pfc")
    assert (ko_edge.subject, ko_edge.predicate, ko_edge.object) == ("glun2b", "required_for", "depression-like-behaviour")
    ko = findings(g, ko_edge.id)[0]
    assert ko.species == ("mouse",) and not ko.interventions
    assert ko_edge.context["brain_region"] == ("pfc",)
    cells = {a.object for a in g.model.assertions.values()
             if a.subject == "glun2b" and a.predicate == "expressed_in"}
    assert cells == {"gabaergic-interneurons", "glutamatergic-principal-neurons"}
    mech = A(g, "a-a-glun2b-regulates-ketamine-antidepressant")
    assert mech.context["drug"] == ("ketamine",)
    assert findings(g, mech.id)[0].drug == "ketamine"


def test_subunit_knockouts_are_dependence_not_a_signed_effect(g):
    """Deleting GluN2B or GluN2A lowers depression-like behaviour: that shows the subunit is
    needed for it (required_for), not that the subunit "increases" it; and since it is the
    blockade of the subunit that is antidepressant, the subunit -> antidepressant-effect
    links carry no sign (a positive 'mediates' would invert it)."""
    for subunit in ("glun2a", "glun2b"):
        to_dlb = {a.predicate for a in g.model.assertions.values()
                  if a.subject == subunit and a.object == "depression-like-behaviour"}
        assert to_dlb == {"required_for"}, subunit
        to_effect = {a.predicate for a in g.model.assertions.values()
                     if a.subject == subunit and a.object in ("antidepressant-effect", "rapid-antidepressant-effect")}
        assert to_effect == {"regulates"}, subunit
    assert A(g, "a-a-glun2a-required-for-dlb-mouse").supporting == ("f-a-su-glun2a-deletion",)


def test_su_glun2a_blockade_by_ketamine_and_mk801(g):
    ket = F(g, "f-a-su-ketamine-glun2a-excitability")
    mk = F(g, "f-a-su-mk801-glun2a-excitability")
    assert ket.study == mk.study == "Su et al." and ket.cites == ("su-et-al",)
    assert ket.drug == "ketamine" and mk.drug == "mk-801"
    assert ket.species == mk.species == ("mouse",)
    for drug, aid in (("ketamine", "a-a-ketamine-increases-intrinsic-excitability"),
                      ("mk-801", "a-a-mk801-increases-intrinsic-excitability")):
        a = A(g, aid)
        assert a.subject == drug and a.object == "intrinsic-excitability"
        assert a.context["cell_type"] == ("hippocampal-principal-neurons",)
    assert A(g, "a-a-mk801-antagonizes-glun2a").supporting == ("f-a-su-mk801-glun2a-excitability",)
    assert A(g, "a-a-glun2a-regulates-ketamine-rapid").context["drug"] == ("ketamine",)
    assert findings(g, "a-a-glun2a-required-for-dlb-mouse")[0].id == "f-a-su-glun2a-deletion"
    assert A(g, "a-a-ketamine-antagonizes-glun2a").supporting == ("f-a-su-ketamine-glun2a-excitability",)


def test_glun2d_hypothesis_is_expert_opinion_of_stahl(g):
    f = findings(g, "a-a-glun2d-regulates-dlb")[0]
    assert f.study == "Stahl et al." and f.level == "review_opinion"
    assert findings(g, "a-a-esketamine-antagonizes-glun2d")[0].drug == "esketamine"


def test_lateral_habenula_trapping_is_a_ketamine_finding_lasting_24_h(g):
    a = A(g, "a-a-ketamine-decreases-eepsc-lhb")
    assert a.subject == "ketamine" and a.context["brain_region"] == ("lateral-habenula",)
    f = findings(g, a.id)[0]
    assert f.timepoint == "24 h" and f.quantities[0].low == 24
    trap = A(g, "a-a-channel-trapping-required-for-sustained-effect")
    assert trap.object == "sustained-antidepressant-effect" and trap.context["drug"] == ("ketamine",)
    assert "f-a-lhb-low-concentration-release" in trap.supporting
    assert "garbled" in F(g, "f-a-lhb-low-concentration-release").quality_note


def test_maeng_nbqx_blocks_ketamine_in_rodents(g):
    a = A(g, "a-a-ampar-required-for-ketamine-antidepressant")
    assert (a.subject, a.predicate, a.object) == ("ampar", "required_for", "antidepressant-effect")
    assert a.context["drug"] == ("ketamine",)
    f = findings(g, a.id)[0]
    assert f.study == "Maeng et al." and f.species == ("rodent",)
    assert [i.drug for i in f.interventions] == ["ketamine", "nbqx"]
    assert A(g, "a-a-nbqx-antagonizes-ampar").object == "ampar"


def test_zaytseva_calcineurin_glua1_cp_ampar_chain(g):
    f = F(g, "f-a-zaytseva-ca-calcineurin-glua1")
    assert f.level == "in_vitro" and f.species == ("mouse",) and f.drug == "ketamine"
    triples = {(a.subject, a.predicate, a.object) for a in g.model.assertions.values()
               if f.id in a.supporting}
    assert triples == {("ketamine", "decreases", "calcium"), ("ketamine", "decreases", "calcineurin"),
                       ("ketamine", "increases_phosphorylation", "glua1"),
                       ("calcineurin", "decreases_phosphorylation", "glua1"),
                       ("calcium", "activates", "calcineurin")}
    assert findings(g, "a-a-ketamine-increases-expression-cp-ampar")[0].id == "f-a-zaytseva-cp-ampar-expression"
    dep = findings(g, "a-a-cp-ampar-required-for-ketamine-antidepressant")[0]
    assert [i.drug for i in dep.interventions] == ["ketamine", "cp-ampar-antagonist"]
    assert A(g, "a-a-glua1-part-of-cp-ampar").object == "cp-ampar"


def test_tarp_gamma8_knockout_in_excitatory_neurons_blocks_ketamine(g):
    a = A(g, "a-a-tarp-gamma8-required-for-ketamine-rapid")
    assert a.object == "rapid-antidepressant-effect"
    assert a.context["cell_type"] == ("excitatory-neurons",) and a.context["drug"] == ("ketamine",)
    assert A(g, "a-a-tarp-gamma8-part-of-ampar").object == "ampar"
    vhpc = A(g, "a-a-ketamine-increases-tarp-gamma8-psd95-uncoupling")
    assert vhpc.context["brain_region"] == ("ventral-hippocampus",)


def test_ketamine_blocks_only_tarp_gamma8_containing_ampars_in_vhpc(g):
    """p21.s2: ketamine may selectively block postsynaptic TARP-γ8-containing AMPARs in the
    ventral hippocampus - not AMPARs in general (which would contradict the AMPAR-activation
    view of the same section)."""
    a = A(g, "a-a-ketamine-antagonizes-tarp-gamma8-ampar-vhpc")
    assert (a.subject, a.predicate, a.object) == ("ketamine", "antagonizes", "tarp-gamma8-ampar")
    assert a.context["brain_region"] == ("ventral-hippocampus",) and a.context["species"] == ("mouse",)
    assert [F(g, f).drug for f in a.supporting] == ["ketamine"]
    hedged = F(g, a.supporting[0])
    assert "may" in hedged.statement and "可能" in hedged.statement_zh
    assert not [x for x in g.model.assertions.values()
                if x.subject == "ketamine" and x.predicate == "antagonizes" and x.object == "ampar"]
    assert g.resolve("TARP-γ8-containing AMPAR").id == "tarp-gamma8-ampar"


def test_other_nmdar_inhibitors_versus_axs05_phase3_trial(g):
    a = A(g, "a-a-nmdar-antagonists-treat-depression")
    sup, ref = findings(g, a.id), findings(g, a.id, "refuting")
    assert [f.study_type for f in sup] == ["clinical_trial"]
    assert [i.drug for i in sup[0].interventions] == ["nmdar-antagonists", "axs-05"]
    assert "3" in sup[0].statement
    assert [f.direction for f in ref] == ["refutes"]
    assert "AXS-05" in sup[0].quality_note
    # the seed does not name the comparator of "comparable efficacy": the statement must not either
    assert "ketamine" not in ref[0].statement and "氯胺酮" not in ref[0].statement_zh
    assert "presumably ketamine" in ref[0].quality_note


# -- 3.2 monoamines ------------------------------------------------------------------------------

def test_microdialysis_esketamine_dopamine_r_ketamine_serotonin(g):
    da = findings(g, "a-a-esketamine-increases-release-dopamine-pfc")[0]
    assert (da.drug, da.interventions[0].dose, da.interventions[0].route) == ("esketamine", "20 mg/kg", "intraperitoneal")
    assert da.species == ("mouse",)
    ht = findings(g, "a-a-rketamine-increases-release-serotonin-pfc")[0]
    assert ht.drug == "r-ketamine" and ht.interventions[0].dose == "20 mg/kg"


def test_nbqx_blocks_esketamine_dopamine_but_not_r_ketamine_serotonin(g):
    esk = A(g, "a-a-ampar-increases-release-dopamine-esketamine")
    assert esk.context["drug"] == ("esketamine",)
    blocker = F(g, "f-a-nbqx-blocks-esk-da-release")
    assert blocker.id in esk.supporting
    assert blocker.interventions[1].drug == "nbqx" and "10" in blocker.interventions[1].dose
    rk = A(g, "a-a-ampar-increases-release-serotonin-rketamine")
    assert rk.supporting == () and rk.refuting == ("f-a-nbqx-spares-rket-5ht-release",)
    assert F(g, rk.refuting[0]).drug == "r-ketamine"
    assert "inconsistent" in F(g, "f-a-esk-monoamine-release-ampar-dependent").quality_note.lower()


def test_esketamine_serotonin_release_rests_only_on_the_review_inference(g):
    """p24.s2 measures dopamine for esketamine and 5-HT for R-ketamine; only the review's
    conclusion (p24.s3) speaks of esketamine-induced serotonin release."""
    concl = F(g, "f-a-esk-monoamine-release-ampar-dependent")
    assert concl.study_type == "review" and concl.level == "review_opinion" and concl.drug == "esketamine"
    ht = A(g, "a-a-esketamine-increases-release-serotonin-pfc")
    assert [f.id for f in findings(g, ht.id)] == [concl.id]
    assert {f.level for f in findings(g, "a-a-ampar-increases-release-serotonin-esketamine")} == {"review_opinion"}
    # the measured esketamine result is dopamine, at animal level
    da = findings(g, "a-a-esketamine-increases-release-dopamine-pfc")
    assert [f.level for f in da] == ["animal_in_vivo"]


def test_sert_occupancy_pet_in_healthy_volunteers_was_null_for_ketamine(g):
    a = A(g, "a-a-ketamine-binds-sert")
    assert a.supporting == () and a.subject == "ketamine"
    f = findings(g, a.id, "refuting")[0]
    assert f.direction == "no_effect" and f.study_type == "human_experimental"
    i = f.interventions[0]
    assert (i.drug, i.dose, i.route) == ("ketamine", "0.5 mg/kg", "intravenous") and "40" in i.timing
    assert set(a.context["brain_region"]) == {"caudate", "putamen", "thalamus", "midbrain"}
    assert "healthy" in f.population


def test_monoamine_role_has_both_sides(g):
    a = A(g, "a-a-monoaminergic-receptors-mediate-ketamine-antidepressant")
    assert a.supporting and a.refuting
    assert a.context["drug"] == ("ketamine",)


def test_ssri_delay_of_two_to_four_weeks(g):
    q = F(g, "f-a-ssri-delayed-response-mdd").quantities[0]
    assert (q.low, q.high, q.unit) == (2, 4, "weeks")
    assert findings(g, "a-a-ssri-increases-serotonin-mpfc")[0].drug == "ssri"


def test_ssri_delay_from_both_seeds_sits_on_one_assertion(g):
    by_seed = {f.source: f for f in findings(g, "a-a-ssri-treats-mdd")}
    assert set(by_seed) == {"seed-000", "seed-002"}
    q000, q002 = by_seed["seed-000"].quantities[0], by_seed["seed-002"].quantities[0]
    assert (q000.low, q000.high) == (2, 4) and (q002.low, q002.high) == (4, 6)
    assert by_seed["seed-000"].id == "f-a-ssri-delayed-response-mdd"


def test_trd_efficacy_recorded_per_drug(g):
    # the esketamine edge was merged across topics (clinical.yaml); ours are two of its findings
    esk = findings(g, "a-d-esketamine-treats-trd")
    assert {"f-a-esk-used-trd-ppd-review", "f-a-esk-effective-ssri-resistant"} <= {f.id for f in esk}
    assert {f.drug for f in esk} == {"esketamine"}
    assert "f-a-ket-effective-ssri-resistant" not in {f.id for f in esk}
    assert [f.id for f in findings(g, "a-a-ketamine-treats-trd")] == ["f-a-ket-effective-ssri-resistant"]
    assert [f.drug for f in findings(g, "a-a-ketamine-treats-trd")] == ["ketamine"]
    ppd = findings(g, "a-c-esketamine-treats-ppd")
    assert "f-a-esk-used-trd-ppd-review" in {f.id for f in ppd} and {f.drug for f in ppd} == {"esketamine"}


# -- 3.3 opioid receptors ------------------------------------------------------------------------

def test_naltrexone_pretreatment_blocks_ketamine_in_tail_suspension(g):
    f = F(g, "f-a-naltrexone-blocks-ketamine-tst")
    ket, nal = f.interventions
    assert (ket.drug, ket.dose, ket.route) == ("ketamine", "10 mg/kg", "intraperitoneal")
    assert nal.drug == "naltrexone" and "2" in nal.dose and "30 min" in nal.timing
    assert "30 min" in f.timepoint and "24 h" in f.timepoint and f.species == ("mouse",)
    assert f.id in A(g, "a-a-ketamine-decreases-tail-suspension-immobility").supporting
    assert A(g, "a-a-naltrexone-antagonizes-opioid-receptors").object == "opioid-receptors"


def test_opioid_dependence_of_ketamine_differs_by_sex(g):
    a = A(g, "a-a-opioid-receptors-required-for-ketamine-antidepressant")
    sup = {f.id: f for f in findings(g, a.id)}
    ref = findings(g, a.id, "refuting")
    assert "f-a-naltrexone-blocks-ketamine-tst" in sup
    male = sup["f-a-opioid-blockade-ketamine-male-rats"]
    assert male.species == ("rat",) and male.sex == "male"
    assert [(f.sex, f.species, f.direction) for f in ref] == [("female", ("rat",), "no_effect")]


def test_ketamine_opioid_ki_values_and_unit_flag(g):
    expected = {"mu-opioid-receptor": 42.1, "kappa-opioid-receptor": 28.1, "delta-opioid-receptor": 272}
    for receptor, ki in expected.items():
        a = next(a for a in g.model.assertions.values()
                 if (a.subject, a.predicate, a.object) == ("ketamine", "binds", receptor))
        f = findings(g, a.id)[0]
        assert f.drug == "ketamine" and f.quantities[0].name == "Ki" and f.quantities[0].low == ki
        assert "micromolar" in f.quality_note and "mΜ" in f.quality_note


def test_esketamine_has_two_to_three_fold_mu_kappa_affinity_over_r_ketamine(g):
    for receptor in ("mu", "kappa"):
        f = findings(g, f"a-a-esketamine-binds-{receptor}-opioid-receptor")[0]
        q = f.quantities[0]
        assert f.drug == "esketamine" and (q.low, q.high) == (2, 3)
        assert q.qualifiers["comparator"] == "R-ketamine"
    assert not any(a.subject == "esketamine" and a.object == "delta-opioid-receptor"
                   for a in g.model.assertions.values())


def test_bonaventura_esketamine_opioid_dependent_effects(g):
    mouse = F(g, "f-a-bonaventura-esk-mouse-opioid-dependent")
    rat = F(g, "f-a-bonaventura-esk-rat-mpfc")
    assert mouse.cites == rat.cites == ("bonaventura-et-al",)
    assert mouse.species == ("mouse",) and rat.species == ("rat",)
    objects = {a.object for a in g.model.assertions.values()
               if a.subject == "opioid-receptors" and a.predicate == "required_for"
               and a.context.get("drug") == ("esketamine",)}
    assert objects == {"locomotor-activity", "psychomotor-sensitization",
                       "conditioned-place-preference", "brain-metabolic-activity"}
    assert A(g, "a-a-esketamine-increases-dopamine-mpfc-rat").context["species"] == ("rat",)


def test_oprm1_a118g_carriers_still_respond_to_esketamine(g):
    assert A(g, "a-a-rs1799971-variant-of-oprm1").object == "oprm1"
    assert g.resolve("A118G").id == "rs1799971"
    a = A(g, "a-a-mu-opioid-receptor-required-for-esketamine-antidepressant")
    assert a.supporting == () and a.context["drug"] == ("esketamine",)
    f = findings(g, a.id, "refuting")[0]
    assert f.drug == "esketamine" and f.species == ("human",) and "TRD" in f.population
    assert f.direction == "no_effect"
    assert "Asn44Asp" in F(g, "f-a-rs1799971-missense-mor").quality_note


# -- sources -------------------------------------------------------------------------------------

def test_seed_000_studies_are_named_as_the_seed_names_them(g):
    """Seed 000 names these studies only as "X等": author, no year, no invented title."""
    for sid, author in (("su-et-al", "Su"), ("stahl-et-al", "Stahl"), ("maeng-et-al", "Maeng"),
                        ("zaytseva-et-al", "Zaytseva"), ("bonaventura-et-al", "Bonaventura")):
        src = g.model.sources[sid]
        assert src.authors == (author,) and src.cited_in == "seed-000"
        assert src.year is None and not src.title and not src.journal


# -- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, entity", [
    ("MK-801", "mk-801"), ("dizocilpine", "mk-801"), ("NBQX", "nbqx"), ("CP-AMPAR", "cp-ampar"),
    ("钙调神经磷酸酶", "calcineurin"), ("Ca2+", "calcium"), ("SERT", "sert"), ("纳曲酮", "naltrexone"),
    ("eEPSCs", "eepsc"), ("去抑制假说", "interneuron-disinhibition"), ("尾状核", "caudate"),
    ("CPP", "conditioned-place-preference"), ("AXS-05", "axs-05"), ("rs1799971", "rs1799971"),
])
def test_names_resolve(g, name, entity):
    assert g.resolve(name).id == entity


def test_show_naltrexone_lists_its_antagonism(g):
    shown = g.show("naltrexone")
    assert any(e["predicate"] == "antagonizes" and e["other"]["id"] == "opioid-receptors" for e in shown["out"])
