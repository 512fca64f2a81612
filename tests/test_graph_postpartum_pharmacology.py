"""Questions a pharmacologist or psychiatrist would ask of the postpartum and pharmacology topics.

The graph under test is core.yaml plus graph/postpartum.yaml and graph/pharmacology.yaml
(curator C: seed 000 p3-p13, seed 002 p4-p13), copied into a private directory so that
other topics' files do not affect the answers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mechgraph import MechGraph
from mechgraph.coverage import check_coverage

GRAPH = Path(__file__).resolve().parents[1] / "graph"
FILES = ("core.yaml", "postpartum.yaml", "pharmacology.yaml")
#: entities these topics use but another topic's file defines (bdnf-mtor-inflammation.yaml),
#: until they move to core.yaml
SHARED = ("inflammation", "synaptic-plasticity")


def _entity_ids(path: Path) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {e["id"] for e in data.get("entities") or []}


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
    minor = findings(g, one(g, "cyp2c19", "catalyzes_formation_of", "s-norketamine"))[0]
    assert "lesser extent" in minor.statement
    assert minor.id != major[0].id
    for enzyme in ("cyp2b6", "cyp3a4", "cyp2c9", "cyp2c19", "cyp2a6"):
        entity = g.resolve(enzyme.upper())
        assert entity.type == "Enzyme" and entity.xrefs["HGNC"] == enzyme.upper()


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
        a = one(g, "esketamine", "administered_via", route)
        return {(f.source, quantity(f, "bioavailability").low, quantity(f, "bioavailability").high)
                for f in findings(g, a) if any(q.name == "bioavailability" for q in f.quantities)}

    # intranasal: seed 000 says above 50%, seed 002 about 48% -- both kept on one assertion
    assert bioavailability("intranasal") == {("seed-000", 50.0, None), ("seed-002", 48.0, 48.0)}
    assert bioavailability("intravenous") == {("seed-000", None, 100.0)}
    assert bioavailability("oral") == {("seed-000", 8.0, 8.0)}
    a = one(g, "esketamine", "administered_via", "intranasal")
    notes = [f.quality_note for f in findings(g, a) if f.quantities]
    assert all("48%" in n and "50%" in n for n in notes)


def test_half_lives_and_time_to_peak(g):
    nasal = g.model.findings["f-c-esk-intranasal-pk-002"]
    assert (quantity(nasal, "time to peak plasma effect").low, quantity(nasal, "time to peak plasma effect").high) == (20, 40)
    assert quantity(nasal, "half-life").low == 120
    assert "first-pass-metabolism" in nasal.about
    iv = g.model.findings["f-c-esk-iv-pk-002"]
    assert quantity(iv, "distribution half-life").low == 23
    assert (quantity(iv, "elimination half-life").low, quantity(iv, "elimination half-life").high) == (125, 180)
    assert iv.interventions[0].route == "intravenous"


def test_other_routes_of_seed_002(g):
    for route in ("intramuscular", "inhalation"):
        a = one(g, "esketamine", "administered_via", route)
        assert [f.id for f in findings(g, a)] == ["f-c-esk-routes-002"]


# -- target and comparators ---------------------------------------------------------------------------

def test_nmdar_affinity_with_both_comparators(g):
    a = one(g, "esketamine", "antagonizes", "nmdar")
    ratios = {}
    for f in findings(g, a, "supporting"):
        for q in f.quantities:
            if q.name == "NMDAR affinity relative to comparator":
                ratios[q.qualifiers["comparator"]] = (f.source, q.low, q.high)
    assert ratios["r-ketamine"] == ("seed-000", 3, 4)
    assert ratios["ketamine (racemic)"] == ("seed-002", 3, 3)
    assert not assertions(g, "r-ketamine", "antagonizes", "nmdar")


def test_enantiomers_and_their_effects(g):
    assert one(g, "esketamine", "enantiomer_of", "r-ketamine")
    assert {a.subject for a in assertions(g, predicate="part_of", obj="ketamine")} == {"esketamine", "r-ketamine"}
    assert one(g, "esketamine", "causes", "rapid-antidepressant-effect")
    assert one(g, "r-ketamine", "causes", "sustained-antidepressant-effect")
    assert not assertions(g, "esketamine", "causes", "sustained-antidepressant-effect")


# -- postpartum depression trials ------------------------------------------------------------------------

def test_n_per_arm_of_the_trials(g):
    a = one(g, "esketamine", "prevents", "postpartum-depression")
    by_id = {f.id: f for f in findings(g, a)}
    meta = by_id["f-c-meta7-ppd"]
    assert (meta.study_type, meta.n) == ("meta_analysis", {"rcts": 7, "esketamine": 669, "control": 619})
    rct = by_id["f-c-rct298-ppd"]
    assert (rct.study_type, rct.n) == ("rct", {"total": 298, "control": 150, "esketamine": 148})
    assert rct.timepoint == "postpartum day 7"
    small = by_id["f-c-small123-ppd"]
    assert small.n == {"total": 123, "control": 61, "esketamine": 62}
    # the small study disagrees: it refutes, with no effect at 3 d, 42 d, 3 and 6 months
    assert small.id in a.refuting and small.direction == "no_effect"
    assert all(t in small.timepoint for t in ("3 d", "42 d", "3 months", "6 months"))
    assert {"f-c-meta7-ppd", "f-c-rct298-ppd", "f-c-guidance-ppd-cs", "f-c-li-best-regimen"} <= set(a.supporting)


def test_meta_analysis_still_effective_at_day_42(g):
    meta = g.model.findings["f-c-meta7-ppd"]
    assert "42" in meta.timepoint and meta.locator == ("p7.s2-3",)
    assert one(g, "esketamine", "decreases", "epds").supporting == ("f-c-meta7-ppd", "f-c-rct298-ppd")


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
    assert f.id in one(g, "esketamine", "used_in", "pcia").supporting


def test_pcia_regimens_with_sufentanil(g):
    f = g.model.findings["f-c-ppd-dosing-regimens"]
    doses = {(i.drug, i.dose) for i in f.interventions}
    assert doses == {("esketamine", "0.1~0.5 mg/kg"), ("esketamine", "0.1~2 mg/kg"), ("sufentanil", "1~2.2 μg/kg")}
    assert "1~2 mL/h" in f.interventions[1].timing and "48 h" in f.interventions[1].timing
    assert one(g, "sufentanil", "used_in", "pcia").supporting == (f.id,)


def test_esketamine_adverse_effects_in_postpartum_trials_are_not_increased(g):
    expected = {
        "nausea-vomiting": {"f-c-meta7-ae", "f-c-rct298-ae", "f-c-small123-ae"},
        "dizziness": {"f-c-meta7-ae"},
        "somnolence": {"f-c-meta7-ae"},
        "psychiatric-symptoms": {"f-c-rct298-ae"},
        "hallucination": {"f-c-small123-ae"},
        "nightmares": {"f-c-small123-ae"},
    }
    for effect, refuting in expected.items():
        a = one(g, "esketamine", "has_adverse_effect", effect)
        assert set(a.refuting) == refuting and a.supporting == ()
        assert all(g.model.findings[f].direction == "no_effect" for f in a.refuting)


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
    # esketamine alone has no supporting evidence for these adverse effects
    for effect in ("dizziness", "diplopia", "hallucination", "headache"):
        for a in assertions(g, "esketamine", "has_adverse_effect", effect):
            assert a.supporting == ()
    ppd = one(g, "ketamine-or-esketamine", "prevents", "postpartum-depression")
    assert ppd.supporting == ("f-c-pooled-ppd",)
    assert g.model.findings["f-c-pooled-ppd"].timepoint == "1 week and 4 weeks after surgery"


def test_ketamine_cognitive_impairment_is_not_claimed_for_esketamine(g):
    a = one(g, "ketamine", "has_adverse_effect", "cognitive-impairment")
    f = findings(g, a)[0]
    assert f.drug == "ketamine" and "long-term" in f.interventions[0].timing
    assert "esketamine is not discussed" in f.quality_note
    assert not assertions(g, "esketamine", "has_adverse_effect", "cognitive-impairment")
    assert not assertions(g, "ketamine-or-esketamine", "has_adverse_effect", "cognitive-impairment")


def test_neonatal_outcomes_unchanged(g):
    for predicate, measure in (("decreases", "apgar-score"), ("decreases", "umbilical-vein-ph"),
                               ("increases", "postoperative-hospital-stay")):
        a = one(g, "esketamine", predicate, measure)
        assert a.refuting == ("f-c-neonatal-safety",) and a.supporting == ()
    f = g.model.findings["f-c-neonatal-safety"]
    assert f.direction == "no_effect" and f.interventions[0].timing == "before skin incision"
    assert "0.25" in f.interventions[0].dose and "1 and 5 min" in f.outcome
    assert "neonates" in f.about


def test_fda_approval_is_regulatory_and_for_trd(g):
    a = one(g, "esketamine", "treats", "trd")
    fda = g.model.findings["f-c-fda-trd"]
    assert fda.id in a.supporting and fda.study_type == "regulatory" and "2019" in fda.statement
    other = g.model.findings["f-c-approval-2019-002"]
    assert other.study_type == "regulatory" and other.about == ("esketamine",)
    assert other.id not in a.findings  # seed 002 names no indication


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
    refs = {s.ref: s for s in g.model.sources.values() if s.cited_in == "seed-002"}
    assert sorted(refs, key=int) == [str(i) for i in range(1, 9)]
    assert refs["7"].journal == "Br J Anaesth" and refs["7"].year == 2020
    assert g.model.findings["f-c-esk-cyp-major"].cites == (refs["7"].id,)
    assert g.model.findings["f-c-esk-intranasal-pk-002"].cites == (refs["6"].id,)


def test_mechanisms_beyond_nmdar(g):
    increased = {a.object for a in assertions(g, "esketamine", "increases")}
    assert {"neuronal-calcium-transients", "microcircuit-coordination", "synaptic-connectivity",
            "synaptic-plasticity", "neuronal-viability", "synaptic-remodelling"} <= increased
    assert one(g, "esketamine", "decreases", "oxidative-stress")
    assert one(g, "esketamine", "causes", "neuroprotection")


def test_names_resolve(g):
    assert g.resolve("PCIA").id == "pcia"
    assert g.resolve("S-去甲氯胺酮").id == "s-norketamine"
    assert g.resolve("S-HNK").id == "s-hydroxynorketamine"
    assert g.resolve("舒芬太尼").id == "sufentanil"
    assert g.resolve("复视").id == "diplopia"


def test_provenance_of_these_topics(g, seeds_dir):
    report = check_coverage(g.model, seeds_dir)
    assert report.problems == []
    mine = {"seed-000": set(range(3, 14)), "seed-002": {4, 6, 9, 11, 13}}
    uncited = {(s.source, u.locator) for s in report.seeds for u in s.uncited
               if u.paragraph in mine[s.source]}
    # only the two "this review summarises ..." sentences stay uncited
    assert uncited == {("seed-000", "p5.s3"), ("seed-002", "p4.s3")}
