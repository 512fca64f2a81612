"""Questions a pharmacologist or psychiatrist would ask of the postpartum and pharmacology topics.

The graph under test is the bundled graph, as users get it. This topic's records live in
graph/postpartum.yaml and graph/pharmacology.yaml (curator C: seed 000 p3-p13, seed 002 p4-p13;
finding ids ``f-c-...``). Other topics' files hold evidence on some of the same assertions
(merged across seeds), so questions are scoped by assertion id, by file or by finding prefix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import check_coverage
from mechgraph.curation.seeds import Seed

GRAPH = Path(__file__).resolve().parents[2] / "graph"
FILES = ("postpartum.yaml", "pharmacology.yaml")
SEED_FILES = {"seed-000": "000_75bee5783c4f767b.txt", "seed-002": "002_b9926e06aecdbb3d.txt"}


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> MechGraph:
    """The bundled graph, as users get it."""
    return MechGraph.load(GRAPH)


def assertions(g, subject=None, predicate=None, obj=None):
    return [a for a in g.model.assertions.values()
            if (subject is None or a.subject == subject)
            and (predicate is None or a.predicate == predicate)
            and (obj is None or a.object == obj)]


def one(g, subject, predicate, obj):
    found = assertions(g, subject, predicate, obj)
    assert len(found) == 1, f"{subject} {predicate} {obj}: {[a.id for a in found]}"
    return found[0]


def by_id(g, assertion_id, subject, predicate, obj):
    """A specific assertion, checked to still say ``subject predicate object``."""
    a = g.model.assertions[assertion_id]
    assert (a.subject, a.predicate, a.object) == (subject, predicate, obj), a
    return a


def topic_findings(g, a, side="all"):
    """The ids of this topic's findings (``f-c-``) on an assertion."""
    ids = {"all": a.findings, "supporting": a.supporting, "refuting": a.refuting}[side]
    return {f for f in ids if f.startswith("f-c-")}


def findings(g, assertion, side="all"):
    ids = {"all": assertion.findings, "supporting": assertion.supporting, "refuting": assertion.refuting}[side]
    return [g.model.findings[f] for f in ids]


def quantity(finding, name):
    matches = [q for q in finding.quantities if q.name == name]
    assert matches, f"{finding.id} has no quantity {name!r}"
    return matches[0]


# -- metabolism ------------------------------------------------------------------------------

def test_which_enzymes_make_s_norketamine(g):
    makers = {a.subject for a in assertions(g, predicate="catalyzes_formation_of", obj="s-norketamine")}
    assert makers == {"cyp2b6", "cyp3a4", "cyp2c9", "cyp2c19"}
    # CYP2B6 and CYP3A4 are the main route, CYP2C9/CYP2C19 the minor one, from seed 002 p11.s3
    major = findings(g, one(g, "cyp3a4", "catalyzes_formation_of", "s-norketamine"))
    assert [(f.source, f.locator) for f in major] == [("seed-002", ("p11.s3",))]
    assert "mainly" in major[0].statement and "liver" in major[0].about
    assert major[0].drug == "esketamine"
    minor = findings(g, one(g, "cyp2c19", "catalyzes_formation_of", "s-norketamine"))[0]
    assert "lesser extent" in minor.statement
    assert minor.id != major[0].id
    # the HGNC ids of CYP2B6, CYP3A4, CYP2C9, CYP2C19 and CYP2A6
    hgnc = {"cyp2b6": "2615", "cyp3a4": "2637", "cyp2c9": "2623", "cyp2c19": "2621", "cyp2a6": "2610"}
    for enzyme, hgnc_id in hgnc.items():
        entity = g.resolve(enzyme.upper())
        assert entity.type == "Enzyme" and entity.xrefs["HGNC"] == (hgnc_id,)


def test_which_enzymes_make_hydroxynorketamine(g):
    makers = {a.subject for a in assertions(g, predicate="catalyzes_formation_of", obj="hydroxynorketamine")}
    assert makers == {"cyp2a6", "cyp2b6"}
    assert one(g, "s-norketamine", "metabolized_to", "hydroxynorketamine")


def test_metabolic_chain_of_esketamine_in_both_seeds(g):
    first = one(g, "esketamine", "metabolized_to", "s-norketamine")
    assert {f.source for f in findings(g, first)} == {"seed-000", "seed-002"}
    products = {a.object for a in assertions(g, "s-norketamine", "metabolized_to")}
    assert products == {"s-dehydronorketamine", "s-hydroxynorketamine", "hydroxynorketamine"}
    # seed 000: the latter metabolite (S-HNK) is also antidepressant; nothing says S-DHNK is
    assert one(g, "s-hydroxynorketamine", "causes", "antidepressant-effect")
    assert not assertions(g, "s-dehydronorketamine", "causes")
    # metabolism is not attributed to racemic ketamine
    assert not assertions(g, "ketamine", "metabolized_to")


# -- routes and pharmacokinetics --------------------------------------------------------------------

def test_bioavailability_by_route_from_both_seeds(g):
    def bioavailability(route):
        a = by_id(g, f"a-c-esketamine-administered-via-{route}", "esketamine", "administered_via", route)
        assert one(g, "esketamine", "administered_via", route) is a
        return {(f.source, quantity(f, "bioavailability").low, quantity(f, "bioavailability").high)
                for f in findings(g, a) if any(q.name == "bioavailability" for q in f.quantities)}

    # intranasal: seed 000 says above 50%, seed 002 about 48% -- both kept on one assertion
    assert bioavailability("intranasal") == {("seed-000", 50.0, None), ("seed-002", 48.0, 48.0)}
    assert bioavailability("intravenous") == {("seed-000", None, 100.0)}
    assert bioavailability("oral") == {("seed-000", 8.0, 8.0)}
    a = one(g, "esketamine", "administered_via", "intranasal")
    notes = [f.quality_note for f in findings(g, a) if f.quantities]
    assert all("48%" in n and "50%" in n for n in notes)
    assert "48%" in a.note and "50%" in a.note
    # no bioavailability is attributed to racemic ketamine or to the pooled entity
    assert not assertions(g, "ketamine", "administered_via")
    assert not assertions(g, "ketamine-or-esketamine", "administered_via")


def test_half_lives_and_time_to_peak(g):
    nasal = g.model.findings["f-c-esk-intranasal-pk-002"]
    assert (quantity(nasal, "time to peak plasma effect").low, quantity(nasal, "time to peak plasma effect").high) == (20, 40)
    assert quantity(nasal, "half-life").low == 120
    assert "first-pass-metabolism" in nasal.about
    # the seed says nasal dosing helps esketamine avoid first-pass metabolism (not "partly")
    assert "avoid first-pass metabolism" in nasal.statement and "partly" not in nasal.statement
    assert nasal.drug == "esketamine" and nasal.interventions[0].route == "intranasal"
    iv = g.model.findings["f-c-esk-iv-pk-002"]
    assert quantity(iv, "distribution half-life").low == 23
    assert (quantity(iv, "elimination half-life").low, quantity(iv, "elimination half-life").high) == (125, 180)
    assert (quantity(iv, "time to brain distribution").low, quantity(iv, "time to brain distribution").high) == (1, 2)
    assert iv.interventions[0].route == "intravenous" and iv.drug == "esketamine"


def test_other_routes_of_seed_002(g):
    for route in ("intramuscular", "inhalation"):
        a = one(g, "esketamine", "administered_via", route)
        assert [f.id for f in findings(g, a)] == ["f-c-esk-routes-002"]


# -- target and comparators ---------------------------------------------------------------------------

def test_nmdar_affinity_with_both_comparators(g):
    a = by_id(g, "a-c-esketamine-antagonizes-nmdar", "esketamine", "antagonizes", "nmdar")
    assert one(g, "esketamine", "antagonizes", "nmdar") is a
    ratios = {}
    for f in findings(g, a, "supporting"):
        for q in f.quantities:
            if q.name == "NMDAR affinity relative to comparator":
                ratios[q.qualifiers["comparator"]] = (f.source, q.low, q.high)
    assert ratios == {"r-ketamine": ("seed-000", 3, 4), "ketamine (racemic)": ("seed-002", 3, 3)}
    assert {"f-c-esk-nmdar-affinity-vs-rketamine", "f-c-esk-nmdar-affinity-vs-ketamine"} <= set(a.supporting)
    assert "R-ketamine" in a.note and "racemic ketamine" in a.note
    assert not assertions(g, "r-ketamine", "antagonizes", "nmdar")


def test_enantiomers_and_their_effects(g):
    assert one(g, "esketamine", "enantiomer_of", "r-ketamine")
    assert {a.subject for a in assertions(g, predicate="part_of", obj="ketamine")} == {"esketamine", "r-ketamine"}
    rapid = one(g, "esketamine", "causes", "rapid-antidepressant-effect")
    assert {"f-c-esk-rapid-effect", "f-c-esk-rapid-antisuicidal"} <= set(rapid.supporting)
    sustained = one(g, "r-ketamine", "causes", "sustained-antidepressant-effect")
    assert sustained.supporting == ("f-c-rket-sustained-effect",)
    assert g.model.findings["f-c-rket-sustained-effect"].drug == "r-ketamine"
    assert not assertions(g, "esketamine", "causes", "sustained-antidepressant-effect")


# -- postpartum depression trials ------------------------------------------------------------------------

PREVENTS_PPD = "a-c-esketamine-prevents-ppd"


def test_n_per_arm_of_the_trials(g):
    a = by_id(g, PREVENTS_PPD, "esketamine", "prevents", "postpartum-depression")
    assert one(g, "esketamine", "prevents", "postpartum-depression") is a
    by_fid = {f.id: f for f in findings(g, a)}
    meta = by_fid["f-c-meta7-ppd"]
    assert (meta.study_type, meta.n) == ("meta_analysis", {"rcts": 7, "esketamine": 669, "control": 619})
    rct = by_fid["f-c-rct298-ppd"]
    assert (rct.study_type, rct.n) == ("rct", {"total": 298, "control": 150, "esketamine": 148})
    assert rct.timepoint == "postpartum day 7" and rct.population == "pregnant women"
    small = by_fid["f-c-small123-ppd"]
    assert small.n == {"total": 123, "control": 61, "esketamine": 62}
    # the small study disagrees: it refutes, with no effect at 3 d, 42 d, 3 and 6 months
    assert small.id in a.refuting and small.direction == "no_effect"
    assert all(t in small.timepoint for t in ("3 d", "42 d", "3 months", "6 months"))
    # dosing descriptions (the regimens the studies used, Li et al.'s comparison of regimens) are not
    # evidence that esketamine prevents postpartum depression
    assert topic_findings(g, a, "supporting") == {"f-c-meta7-ppd", "f-c-rct298-ppd", "f-c-guidance-ppd-cs",
                                        "f-c-ppd-conclusion"}
    assert small.study_type == "clinical_trial" and small.level != "rct" and small.role == "result"
    assert topic_findings(g, a, "refuting") == {"f-c-small123-ppd"}
    for fid in a.findings:
        assert g.model.findings[fid].drug == "esketamine", fid


def test_merged_ppd_prevention_context_claims_no_route_or_population(g):
    """Seed 000 and seed 002 findings sit on one assertion; their routes and populations differ."""
    a = g.model.assertions[PREVENTS_PPD]
    assert {g.model.findings[f].source for f in a.findings} == {"seed-000", "seed-002"}
    routes = {i.route for f in findings(g, a) for i in f.interventions}
    assert {"intravenous", ""} <= routes
    assert "route" not in a.context and "population" not in a.context
    assert a.context["species"] == ("human",)
    # the timing disagreement (day 7 vs week 1 vs 6 weeks) is explained on the assertion
    assert "day 7" in a.note and "first postpartum week" in a.note and "6 weeks" in a.note


def test_meta_analysis_still_effective_at_day_42(g):
    meta = g.model.findings["f-c-meta7-ppd"]
    assert meta.locator == ("p7.s2-3",)
    assert "postpartum day 42" in meta.timepoint and "up to" not in meta.timepoint
    epds = by_id(g, "a-c-esketamine-decreases-epds", "esketamine", "decreases", "epds")
    assert epds.supporting == ("f-c-meta7-ppd", "f-c-rct298-ppd")
    assert "postpartum" in epds.context["population"][0] and epds.context["sex"] == ("female",)
    # the other esketamine->EPDS assertion (missed abortion, another topic) holds none of these trials
    others = [x for x in assertions(g, "esketamine", "decreases", "epds") if x.id != epds.id]
    assert all(not topic_findings(g, x) for x in others)


def test_expert_guidance_esketamine_with_opioids_within_14_days(g):
    f = g.model.findings["f-c-guidance-ppd-cs"]
    assert f.level == "review_opinion" and f.study_type == "guideline"
    assert f.timepoint == "within 14 d after caesarean section"
    assert [i.drug for i in f.interventions] == ["esketamine", "opioid-analgesics"]
    assert g.model.sources[f.cites[0]].kind == "guideline"


def test_li_best_regimen_and_sources(g):
    f = g.model.findings["f-c-li-best-regimen"]
    assert [(i.drug, i.dose, i.route) for i in f.interventions] == [
        ("esketamine", "0.25 mg/kg", "intravenous"), ("esketamine", "2 mg/kg", "intravenous")]
    assert "48 h" in f.interventions[1].timing
    source = g.model.sources[f.cites[0]]
    assert (source.authors, source.cited_in, source.year) == (("Li",), "seed-000", None)
    pcia = by_id(g, "a-c-esketamine-used-in-pcia", "esketamine", "used_in", "pcia")
    assert f.id in pcia.supporting
    # the seed does not say these studies were all caesarean sections
    assert "caesarean" not in pcia.context["population"][0]


def test_pcia_regimens_with_sufentanil(g):
    f = g.model.findings["f-c-ppd-dosing-regimens"]
    doses = {(i.drug, i.dose) for i in f.interventions}
    assert doses == {("esketamine", "0.1~0.5 mg/kg"), ("esketamine", "0.1~2 mg/kg"), ("sufentanil", "1~2.2 μg/kg")}
    assert f.interventions[0].timing == "single injection" and f.interventions[0].route == "intravenous"
    assert "1~2 mL/h" in f.interventions[1].timing and "48 h" in f.interventions[1].timing
    assert one(g, "sufentanil", "used_in", "pcia").supporting == (f.id,)
    # a description of the regimens used is background for the PCIA use, not evidence of prevention
    assert f.role == "background"
    assert f.id not in g.model.assertions[PREVENTS_PPD].findings


POSTPARTUM_AE = {
    "nausea-vomiting": {"f-c-meta7-ae", "f-c-rct298-ae", "f-c-small123-ae"},
    "dizziness": {"f-c-meta7-ae"},
    "somnolence": {"f-c-meta7-ae"},
    "psychiatric-symptoms": {"f-c-rct298-ae"},
    "hallucination": {"f-c-small123-ae"},
    "nightmares": {"f-c-small123-ae"},
}


def _postpartum_ae(g, effect):
    """The esketamine adverse-effect assertion holding seed 000's postpartum studies."""
    found = [a for a in assertions(g, "esketamine", "has_adverse_effect", effect) if topic_findings(g, a)]
    assert len(found) == 1, (effect, [a.id for a in found])
    return found[0]


def test_esketamine_adverse_effects_in_postpartum_trials_are_not_increased(g):
    for effect, refuting in POSTPARTUM_AE.items():
        a = _postpartum_ae(g, effect)
        assert topic_findings(g, a, "refuting") == refuting, effect
        assert not topic_findings(g, a, "supporting"), effect
        assert all(g.model.findings[f].direction == "no_effect" for f in a.refuting)
        assert all(g.model.findings[f].drug == "esketamine" for f in refuting)


def test_postpartum_null_results_are_kept_apart_from_seed_002_adverse_effects(g):
    """Seed 002 lists nausea-vomiting and dizziness as adverse effects of a course of antidepressant
    treatment; seed 000's studies of esketamine around delivery found no increase. Different contexts,
    so different assertions: the difference is explained by context, not reported as a contradiction."""
    for effect in ("nausea-vomiting", "dizziness"):
        seed_002 = by_id(g, f"a-d-esketamine-ae-{effect}", "esketamine", "has_adverse_effect", effect)
        postpartum = _postpartum_ae(g, effect)
        assert postpartum.id != seed_002.id and not postpartum.supporting
        assert all(g.model.findings[f].source == "seed-002" for f in seed_002.findings)
        assert topic_findings(g, postpartum, "refuting") == POSTPARTUM_AE[effect]
        assert seed_002.context["regimen"] != postpartum.context["regimen"]
        assert seed_002.context["population"] != postpartum.context["population"]
        # neither context claims a route: the seeds give none for these findings
        assert "route" not in seed_002.context and "route" not in postpartum.context
    # the seed-000-only adverse-effect assertions carry their trial population
    assert "caesarean" in one(g, "esketamine", "has_adverse_effect", "somnolence").context["population"][0]


def test_pooled_analysis_is_not_attached_to_esketamine_alone(g):
    pooled = {"f-c-pooled-ae", "f-c-pooled-ppd"}
    for a in g.model.assertions.values():
        if pooled & set(a.findings):
            assert a.subject == "ketamine-or-esketamine", a.id
    assert g.resolve("ketamine-or-esketamine").name == "Ketamine or esketamine (pooled)"
    f = g.model.findings["f-c-pooled-ae"]
    assert f.n == {"total": 2916, "rcts": 13, "retrospective_studies": 1, "ketamine_studies": 6, "esketamine_studies": 8}
    assert f.drug == "ketamine-or-esketamine"
    effects = {a.object for a in assertions(g, "ketamine-or-esketamine", "has_adverse_effect")}
    assert effects == {"dizziness", "diplopia", "hallucination", "headache"}
    # seed 000 gives esketamine alone no supporting evidence for these adverse effects
    for effect in ("dizziness", "diplopia", "hallucination", "headache"):
        for a in assertions(g, "esketamine", "has_adverse_effect", effect):
            assert all(g.model.findings[x].source != "seed-000" for x in a.supporting), a.id
    assert not assertions(g, "esketamine", "has_adverse_effect", "diplopia")
    assert not assertions(g, "esketamine", "has_adverse_effect", "headache")
    ppd = one(g, "ketamine-or-esketamine", "prevents", "postpartum-depression")
    assert ppd.supporting == ("f-c-pooled-ppd",)
    assert g.model.findings["f-c-pooled-ppd"].timepoint == "within 1 week and within 4 weeks after surgery"
    assert one(g, "ketamine-or-esketamine", "decreases", "epds").supporting == ("f-c-pooled-ppd",)


def test_ketamine_cognitive_impairment_is_not_claimed_for_esketamine(g):
    a = one(g, "ketamine", "has_adverse_effect", "cognitive-impairment")
    f = findings(g, a)[0]
    assert f.id == "f-c-ketamine-cognition"
    assert f.drug == "ketamine" and "long-term" in f.interventions[0].timing
    assert "esketamine is not discussed" in f.quality_note
    # the seed-000 ketamine finding is on no esketamine or pooled assertion
    for x in g.model.assertions.values():
        if f.id in x.findings:
            assert x.subject == "ketamine", x.id
    # esketamine's cognition assertion (seed 002, long-term use) holds only seed-002 evidence
    for x in assertions(g, "esketamine", "has_adverse_effect", "cognitive-impairment"):
        assert {g.model.findings[i].source for i in x.findings} == {"seed-002"}
    assert not assertions(g, "ketamine-or-esketamine", "has_adverse_effect", "cognitive-impairment")


def test_neonatal_outcomes_unchanged(g):
    for aid, predicate, measure in (
            ("a-c-esketamine-decreases-apgar-score", "decreases", "apgar-score"),
            ("a-c-esketamine-decreases-umbilical-vein-ph", "decreases", "umbilical-vein-ph"),
            ("a-c-esketamine-increases-postoperative-hospital-stay", "increases", "postoperative-hospital-stay")):
        a = by_id(g, aid, "esketamine", predicate, measure)
        assert one(g, "esketamine", predicate, measure) is a
        assert a.refuting == ("f-c-neonatal-safety",) and a.supporting == ()
    f = g.model.findings["f-c-neonatal-safety"]
    assert f.direction == "no_effect" and f.interventions[0].timing == "before skin incision"
    assert f.interventions[0].dose == "0.25mg/kg" and f.interventions[0].route == "intravenous"
    assert "1 and 5 min" in f.outcome
    assert "neonates" in f.about


def test_fda_approval_is_regulatory_and_for_trd(g):
    a = by_id(g, "a-d-esketamine-treats-trd", "esketamine", "treats", "trd")
    fda = g.model.findings["f-c-fda-trd"]
    assert fda.study_type == "regulatory" and fda.role == "background" and "2019" in fda.statement
    # an approval is background about the drug and its indication, not evidence that it works
    assert fda.id not in a.findings and set(fda.about) == {"esketamine", "trd"}
    # the merged TRD assertion claims no route: its findings are route-free or nasal
    assert "route" not in a.context
    assert topic_findings(g, a) == {"f-c-esketamine-nasal-mdd-trd", "f-c-abstract-indications"}
    other = g.model.findings["f-c-approval-2019-002"]
    assert other.study_type == "regulatory" and other.about == ("esketamine",)
    assert all(other.id not in x.findings for x in g.model.assertions.values())  # seed 002 names no indication
    # intravenous ketamine for MDD/TRD stays with racemic ketamine
    ket = by_id(g, "a-c-ketamine-treats-trd", "ketamine", "treats", "trd")
    assert ket.supporting == ("f-c-ketamine-iv-mdd-trd",) and ket.context["route"] == ("intravenous",)
    esk_mdd = by_id(g, "a-c-esketamine-treats-mdd", "esketamine", "treats", "mdd")
    assert esk_mdd.supporting == ("f-c-esketamine-nasal-mdd-trd",) and esk_mdd.context["route"] == ("intranasal",)


def test_ppd_epidemiology_and_course(g):
    course = g.model.findings["f-c-ppd-course"]
    assert (quantity(course, "onset window").low, quantity(course, "onset window").high) == (4, 6)
    assert quantity(course, "peak").high == 6 and quantity(course, "possible duration").high == 1
    prevalence = g.model.findings["f-c-ppd-prevalence-china"]
    assert quantity(prevalence, "prevalence").low == 21.4
    assert one(g, "postpartum-depression", "associated_with", "infanticide")
    assert {a.subject for a in assertions(g, predicate="risk_factor_for", obj="postpartum-depression")} == {
        "perinatal-hormonal-changes", "environmental-stress", "labour-pain"}


def test_mdd_epidemiology_and_slow_monoamine_drugs(g):
    assert quantity(g.model.findings["f-c-mdd-prevalence"], "global rate of depression").low == 3.1
    assert quantity(g.model.findings["f-c-mdd-burden"], "female-to-male ratio").low == 1.5
    slow = g.model.findings["f-c-ssri-snri-slow-onset"]
    assert set(slow.about) == {"ssri", "snri", "mdd"}
    assert (quantity(slow, "time to full effect").low, quantity(slow, "time to full effect").high) == (4, 6)


def test_seed_002_references_one_to_eight(g):
    # this topic defines refs [1]-[8]; the clinical topic defines [9]-[26]
    refs = {s.ref: s for s in g.model.sources.values()
            if s.cited_in == "seed-002" and s.where.file == "pharmacology.yaml"}
    assert sorted(refs, key=int) == [str(i) for i in range(1, 9)]
    everything = {s.ref for s in g.model.sources.values() if s.cited_in == "seed-002"}
    assert everything == {str(i) for i in range(1, 27)}
    assert refs["7"].journal == "Br J Anaesth" and refs["7"].year == 2020
    assert g.model.findings["f-c-esk-cyp-major"].cites == (refs["7"].id,)
    assert g.model.findings["f-c-esk-intranasal-pk-002"].cites == (refs["6"].id,)


def test_mechanisms_beyond_nmdar(g):
    increased = {a.object for a in assertions(g, "esketamine", "increases")}
    assert {"neuronal-calcium-transients", "microcircuit-coordination", "synaptic-connectivity",
            "synaptic-plasticity", "neuronal-viability", "synaptic-remodelling"} <= increased
    assert one(g, "esketamine", "decreases", "oxidative-stress")
    assert one(g, "esketamine", "causes", "neuroprotection")


def test_treats_ppd_claims_are_review_level_and_route_free(g):
    a = by_id(g, "a-c-esketamine-treats-ppd", "esketamine", "treats", "postpartum-depression")
    assert topic_findings(g, a) == {"f-c-abstract-indications"} and "route" not in a.context
    assert all(g.model.findings[f].level == "review_opinion" for f in a.findings)


def test_notes_name_existing_assertions(g):
    """A note that points the reader to another assertion must name one that exists."""
    for a in g.model.assertions.values():
        if a.where.file in FILES + ("clinical.yaml", "safety.yaml"):
            for ref in re.findall(r"\ba-[a-z]-[a-z0-9-]+[a-z0-9]", a.note):
                assert ref in g.model.assertions, (a.id, ref)


def test_names_resolve(g):
    assert g.resolve("PCIA").id == "pcia"
    assert g.resolve("S-去甲氯胺酮").id == "s-norketamine"
    assert g.resolve("S-HNK").id == "s-hydroxynorketamine"
    assert g.resolve("舒芬太尼").id == "sufentanil"
    assert g.resolve("复视").id == "diplopia"


def test_provenance_of_these_topics(g, seeds_dir):
    report = check_coverage(g.model, seeds_dir)
    assert report.problems == []
    # this topic's own findings must cite every substantive sentence of its paragraphs
    ours = [f for f in g.model.findings.values() if f.where.file in FILES]
    assert ours and all(f.id.startswith("f-c-") for f in ours)
    paragraphs = {"seed-000": set(range(3, 14)), "seed-002": {4, 6, 9, 11, 13}}
    uncited = set()
    for source, numbers in paragraphs.items():
        seed = Seed.from_file(seeds_dir / SEED_FILES[source])
        cited = {(s.paragraph, s.number) for f in ours if f.source == source
                 for loc in f.locator for s in seed.resolve(loc)}
        uncited |= {(source, s.locator) for s in seed.sentences(substantive_only=True)
                    if s.paragraph in numbers and (s.paragraph, s.number) not in cited}
    # only the two "this review summarises ..." sentences stay uncited
    assert uncited == {("seed-000", "p5.s3"), ("seed-002", "p4.s3")}
