"""Seed 002 sections 二-六 (clinical efficacy, safety, special populations, practice, outlook).

Questions a psychiatrist or pharmacologist would ask of graph/clinical.yaml and
graph/safety.yaml (curator D, finding ids ``f-d-...``), answered through the library API on
the bundled graph as users get it. Other topics hold evidence on some of the same
assertions (merged across seeds), so questions are scoped by assertion id, by file or by
finding prefix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import check_coverage
from mechgraph.curation.seeds import Seed

GRAPH = Path(__file__).resolve().parents[2] / "graph"
FILES = ("clinical.yaml", "safety.yaml")
SEED_002 = "002_b9926e06aecdbb3d.txt"


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> MechGraph:
    """The bundled graph, as users get it."""
    return MechGraph.load(GRAPH)


def _assertions(g, subject=None, predicate=None, obj=None, route=None):
    found = []
    for a in g.model.assertions.values():
        if subject and a.subject != subject:
            continue
        if predicate and a.predicate != predicate:
            continue
        if obj and a.object != obj:
            continue
        if route is not None and a.context.get("route", ()) != ((route,) if route else ()):
            continue
        found.append(a)
    return found


def _one(g, **kw):
    found = _assertions(g, **kw)
    assert len(found) == 1, (kw, [a.id for a in found])
    return found[0]


def _by_id(g, assertion_id, subject, predicate, obj):
    """A specific assertion, checked to still say ``subject predicate object``."""
    a = g.model.assertions[assertion_id]
    assert (a.subject, a.predicate, a.object) == (subject, predicate, obj), a
    return a


def _ours(ids):
    """This topic's findings (``f-d-``) among ``ids``."""
    return {f for f in ids if f.startswith("f-d-")}


def _q(finding, fragment):
    """The quantity of a finding whose name contains ``fragment``."""
    hits = [q for q in finding.quantities if fragment in q.name]
    assert len(hits) == 1, (finding.id, fragment, [q.name for q in finding.quantities])
    return hits[0]


# -- identity and sources ---------------------------------------------------------------------

def test_ids_carry_curator_letter_d(g):
    ours = [f for f in g.model.findings.values() if f.where.file in FILES]
    assert len(ours) >= 55 and all(f.id.startswith("f-d-") for f in ours)
    # no other file defines f-d- findings
    assert {f.id for f in ours} == _ours(g.model.findings)
    assert all(a.id.startswith("a-d-") for a in g.model.assertions.values() if a.where.file in FILES)
    assert all(f.source == "seed-002" for f in ours)


def test_references_9_to_26_of_seed_002_are_sources(g):
    refs = {s.ref: s for s in g.model.sources.values()
            if s.cited_in == "seed-002" and s.where.file in FILES}
    assert set(refs) == {str(n) for n in range(9, 27)}
    # each reference number of seed 002 is defined once in the bundled graph
    numbers = [s.ref for s in g.model.sources.values() if s.cited_in == "seed-002"]
    assert sorted(numbers, key=int) == [str(n) for n in range(1, 27)]
    assert refs["10"].id == "ren-2025" and refs["10"].year == 2025
    assert refs["10"].journal == "JAMA Netw Open"
    assert "Randomized Clinical Trial" in refs["10"].title
    assert refs["11"].id == "di-nicola-2025" and "REAL-ESKperience" in refs["11"].title
    assert refs["12"].id == "popova-2019" and "Oral Antidepressant" in refs["12"].title
    assert refs["9"].kind == "review" and "meta-analysis" in refs["9"].title
    assert refs["24"].title_zh == "艾司氯胺酮在围手术期的应用进展" and refs["24"].authors[0] == "王群"
    assert refs["26"].authors[0] == "武琼" and refs["26"].year == 2024


# -- postpartum depression: Ren et al. (the 6-week benefit next to the week-1 null) -------------

def test_ren_trial_benefit_at_6_weeks_and_null_in_week_1_on_same_assertion(g):
    a = _by_id(g, "a-c-esketamine-prevents-ppd", "esketamine", "prevents", "postpartum-depression")
    assert _one(g, subject="esketamine", predicate="prevents", obj="postpartum-depression") is a
    # merged with seed 000's trials: the context must not claim Ren's route or population
    assert "route" not in a.context and "population" not in a.context
    assert _ours(a.supporting) == {"f-d-ren-ppd-6wk", "f-d-ren-conclusion", "f-d-ppd-pain-control",
                                   "f-d-ppd-low-dose", "f-d-peripartum-prevention-claim"}
    # the peripartum dosing advice is guidance, not evidence of prevention
    assert "f-d-peripartum-single-iv" not in a.findings
    assert _ours(a.refuting) == {"f-d-ren-ppd-week1"}
    assert all(g.model.findings[f].drug == "esketamine" for f in a.findings)
    benefit = g.model.findings["f-d-ren-ppd-6wk"]
    null = g.model.findings["f-d-ren-ppd-week1"]
    assert benefit.id in a.supporting and null.id in a.refuting
    assert (benefit.direction, null.direction) == ("supports", "no_effect")
    for f in (benefit, null):
        # the seed's text never says the trial was randomised (only ref [10]'s title does)
        assert f.study_type == "clinical_trial" and f.level == "clinical_trial" and f.role == "result"
        assert "随机" in f.quality_note_zh and "randomised" in f.quality_note
        assert f.cites == ("ren-2025",)
        assert f.sex == "female" and f.species == ("human",)
        iv = f.interventions[0]
        assert (iv.drug, iv.dose, iv.route) == ("esketamine", "0.25mg/kg", "intravenous")
        assert "caesarean" in iv.timing
    assert "6 weeks" in benefit.timepoint
    assert "week 1" in null.timepoint
    # the review's "long-acting immunity" reading is an interpretation, not evidence
    interp = g.model.findings["f-d-ren-long-acting-interpretation"]
    assert interp.level == "review_opinion" and interp.about
    assert all(interp.id not in x.findings for x in g.model.assertions.values())


def test_ppd_epidemiology(g):
    f = g.model.findings["f-d-ppd-epidemiology"]
    prev = _q(f, "prevalence")
    assert (prev.low, prev.high) == (10, 30)
    window = _q(f, "high-risk")
    assert (window.low, window.high) == (4, 6)
    assert "anxiety-disorder" in f.about and "postpartum-depression" in f.about
    assert "second most common" in f.statement
    onset_finding = g.model.findings["f-d-ppd-onset-one-year"]
    onset = _q(onset_finding, "window")
    assert (onset.low, onset.high) == (1, 1)
    assert "1 year" in onset_finding.statement
    # the meta-analysis [9] is cited only for background: no pooled result is claimed
    assert "parsaei-2024" in f.cites and f.study_type == "review"


def test_peripartum_single_iv_dose_lowers_postpartum_major_depressive_episode(g):
    a = _one(g, subject="esketamine", predicate="prevents", obj="postpartum-major-depressive-episode")
    # the review's claim of benefit is the evidence (an opinion); the dosing advice is guidance
    assert a.supporting == ("f-d-peripartum-prevention-claim",)
    claim = g.model.findings["f-d-peripartum-prevention-claim"]
    advice = g.model.findings["f-d-peripartum-single-iv"]
    assert claim.role == "opinion" and claim.level == "review_opinion"
    assert (advice.role, advice.guidance, advice.study_type) == ("recommendation", "special_population", "guideline")
    assert advice.id not in a.findings and "esketamine" in advice.about
    for f in (claim, advice):
        iv = f.interventions[0]
        assert (iv.drug, iv.route) == ("esketamine", "intravenous")
        assert iv.dose.startswith("0.1-0.5mg/kg") and "single" in iv.dose
        assert "cord clamping" in iv.timing and "caesarean" in iv.timing


# -- TRD: the REAL-ESKperience survey ---------------------------------------------------------

def test_survey_n_and_percentages(g):
    f = g.model.findings["f-d-survey-early-benefits"]
    assert f.n == {"total": 236}
    assert f.study_type == "survey" and f.level == "human_observational"
    # one survey, one unit of evidence: every REAL-ESKperience finding cites [11] alone; ref [12]
    # (Popova et al.) is named in the note as the source of the regimen
    assert f.cites == ("di-nicola-2025",) and "[12]" in f.quality_note
    for fid in ("f-d-survey-mood-qol", "f-d-survey-satisfaction", "f-d-survey-relapse"):
        assert g.model.findings[fid].cites == f.cites
    assert _q(f, "first month").low == 40.3
    assert _q(f, "mood").low == 74
    assert _q(f, "suicidal").low == 36.6
    assert _q(f, "fatigue").low == 33.9
    assert _q(f, "anhedonia").low == 33.5
    iv = f.interventions[0]
    assert (iv.drug, iv.route) == ("esketamine", "intranasal")
    assert "56" in iv.dose and "84" in iv.dose
    assert "twice weekly for 4 weeks" in iv.timing and "every two weeks" in iv.timing
    # the seed ties "according to clinical response and tolerability" to the target dose, not the schedule
    assert "tolerability" in iv.dose and "tolerability" not in iv.timing
    sat = g.model.findings["f-d-survey-satisfaction"]
    assert sat.n == {"total": 236}
    assert _q(sat, "satisfied").low == 89.8
    for p in ("p<0.001", "p=0.003", "p=0.001", "p=0.002"):
        assert p in sat.result and p in sat.statement
    relapse = g.model.findings["f-d-survey-relapse"]
    assert "quarter" in relapse.statement and "p<0.001" in relapse.result


def test_survey_evidence_is_on_esketamine_intranasal_trd_and_symptoms(g):
    a = _one(g, subject="esketamine", predicate="treats", obj="trd", route="intranasal")
    assert a.id == "a-d-esketamine-treats-trd-intranasal"
    for fid in ("f-d-survey-mood-qol", "f-d-survey-early-benefits", "f-d-survey-satisfaction",
                "f-d-survey-relapse", "f-d-trd-monotherapy-conclusion"):
        assert fid in a.supporting
    # the survey surveyed TRD patients, not necessarily adults: the context says so
    assert "adults" not in a.context["population"][0].split("(")[0]
    # no seed-002 clinical or safety finding is attached to racemic ketamine, R-ketamine or the pooled entity
    for x in g.model.assertions.values():
        if _ours(x.findings) and x.subject in ("ketamine", "r-ketamine", "ketamine-or-esketamine"):
            assert _ours(x.findings) == {"f-d-ketamine-abuse-known"}, x.id
    # the route-free TRD assertion (merged across seeds) claims no route
    merged = _by_id(g, "a-d-esketamine-treats-trd", "esketamine", "treats", "trd")
    assert "route" not in merged.context and _ours(merged.supporting) == {"f-d-trd-rapid-sustained"}
    for symptom in ("suicidal-ideation", "fatigue", "anhedonia"):
        s = _one(g, subject="esketamine", predicate="decreases", obj=symptom, route="intranasal")
        assert "f-d-survey-early-benefits" in s.supporting
    qol = _one(g, subject="esketamine", predicate="increases", obj="quality-of-life", route="intranasal")
    assert "f-d-survey-mood-qol" in qol.supporting


def test_monotherapy_claim_is_flagged_against_combined_regimen_of_ref_12(g):
    f = g.model.findings["f-d-trd-monotherapy-conclusion"]
    assert f.level == "review_opinion"
    note = f.quality_note
    assert "monotherapy" in note and "oral antidepressant" in note and "[12]" in note
    assert "oral-antidepressants" in f.about


def test_maintenance_long_term_and_reinduction(g):
    m = g.model.findings["f-d-maintenance-regimen"]
    assert m.interventions[0].dose == "56mg or 84mg" and m.interventions[0].route == "intranasal"
    assert "weekly" in m.interventions[0].timing and m.cites == ("mcintyre-2021",)
    assert m.study_type == "expert_opinion"
    lt = g.model.findings["f-d-long-term-4y"]
    assert _q(lt, "maintenance").low == 4 and lt.cites == ("zaki-2025",)
    re = g.model.findings["f-d-reinduction"]
    assert re.cites == ("daly-2019",) and "relapse" in re.quality_note


# -- dosing regimens by indication and route -------------------------------------------------

@pytest.mark.parametrize("obj,route,finding,dose,timing", [
    ("trd", "intranasal", "f-d-regimen-trd-nasal", "56-84mg per session", "twice a week for 4 weeks"),
    ("trd", "intravenous", "f-d-regimen-trd-iv", "0.2-0.4mg/kg per session", "2-3 times a week"),
    ("mdsi", "intranasal", "f-d-regimen-mdsi-nasal", "84mg per session (reduce to 56mg per session if not tolerated)",
     "twice a week for 4 weeks"),
])
def test_dosing_regimen_by_indication_and_route(g, obj, route, finding, dose, timing):
    # a regimen is guidance for its indication (used_in), never evidence that the drug treats it
    a = _one(g, subject="esketamine", predicate="used_in", obj=obj, route=route)
    assert finding in a.supporting
    f = g.model.findings[finding]
    assert (f.role, f.guidance) == ("recommendation", "dosing")
    iv = f.interventions[0]
    assert (iv.drug, iv.route, iv.dose) == ("esketamine", route, dose)
    assert timing in iv.timing
    assert f.study_type == "guideline" and "adults" in f.population
    for treats in _assertions(g, subject="esketamine", predicate="treats", obj=obj):
        assert finding not in treats.findings
    # practice requirements apply to every regimen: guidance attached to the drug itself
    for common in ("f-d-setting-team", "f-d-administration-fasting", "f-d-administration-supervised",
                   "f-d-observation-2h"):
        assert common not in a.supporting and "esketamine" in g.model.findings[common].about


def test_no_intravenous_regimen_for_mdsi_and_no_nasal_regimen_for_ppd(g):
    assert not _assertions(g, subject="esketamine", predicate="treats", obj="mdsi", route="intravenous")
    assert not _assertions(g, subject="esketamine", predicate="prevents", obj="postpartum-depression",
                           route="intranasal")


def test_administration_and_observation_times(g):
    fasting = g.model.findings["f-d-administration-fasting"]
    assert _q(fasting, "food").low == 2 and _q(fasting, "liquids").low == 30
    assert _q(g.model.findings["f-d-observation-2h"], "observation").low == 2
    assert _q(g.model.findings["f-d-ae-transient"], "observation").low == 2
    assert "Class I" in g.model.findings["f-d-setting-team"].statement


def test_elderly_induction_dose_is_anaesthetic_not_antidepressant(g):
    a = _one(g, subject="esketamine", predicate="used_in", obj="general-anaesthesia")
    f = g.model.findings[a.supporting[0]]
    assert f.interventions[0].dose == "0.3mg/kg" and f.cites == ("wu-q-2024",)
    assert "haemodynamic" in f.outcome
    assert "not an antidepressant dose" in f.quality_note
    similar = g.model.findings["f-d-elderly-similar"]
    assert _q(similar, "age").low == 65 and "elderly" in similar.about


# -- contraindications: absolute versus relative -------------------------------------------------

ABSOLUTE = {"aneurysmal-vascular-disease", "arteriovenous-malformation", "intracerebral-haemorrhage-history",
            "recent-cardiovascular-event", "esketamine-hypersensitivity"}
RELATIVE = {"psychotic-symptoms", "uncontrolled-hypertension", "unstable-cardiovascular-respiratory-disease",
            "pregnant-women", "breastfeeding-women"}


def test_absolute_and_relative_contraindications(g):
    absolute, relative = set(), set()
    for a in _assertions(g, predicate="contraindicated_in"):
        assert a.subject == "esketamine"
        kinds = {g.model.findings[f].outcome for f in a.supporting}
        if any("absolute" in k for k in kinds):
            absolute.add(a.object)
            assert a.note.startswith("Absolute")
        if any("relative" in k for k in kinds):
            relative.add(a.object)
            assert a.note.startswith("Relative")
    assert absolute == ABSOLUTE
    assert relative == RELATIVE


def test_absolute_contraindications_flag_use_with_caution_wording(g):
    for fid in ("f-d-contra-absolute-vascular", "f-d-contra-absolute-hypersensitivity"):
        f = g.model.findings[fid]
        assert "慎用" in f.quality_note and "绝对禁忌症" in f.quality_note
    vascular = g.model.findings["f-d-contra-absolute-vascular"]
    assert vascular.cites == ("di-vincenzo-2024",) and "blood pressure" in vascular.statement
    # the rationale (esketamine raises blood pressure) is part of a contraindication, and blood-pressure
    # monitoring is guidance: neither is evidence for the adverse effect
    bp = _one(g, subject="esketamine", predicate="has_adverse_effect", obj="blood-pressure-increase")
    assert bp.supporting == ("f-d-ae-bp",)
    assert (vascular.role, vascular.guidance) == ("recommendation", "contraindication")
    monitoring = g.model.findings["f-d-bp-monitoring"]
    assert (monitoring.role, monitoring.guidance) == ("recommendation", "monitoring")
    assert "esketamine" in monitoring.about
    assert "close monitoring" in g.model.findings["f-d-contra-relative"].statement


def test_pregnancy_breastfeeding_and_contraception(g):
    preg = _one(g, subject="esketamine", predicate="contraindicated_in", obj="pregnant-women")
    assert "f-d-pregnancy-not-recommended" in preg.supporting
    # relative contraindication, yet a single peripartum IV dose is allowed (p32.s3): the note says so
    assert preg.note.startswith("Relative") and "p32.s3" in preg.note
    assert "a-d-esketamine-prevents-pmde-peripartum-iv" in preg.note
    feeding = _one(g, subject="esketamine", predicate="contraindicated_in", obj="breastfeeding-women")
    assert set(feeding.supporting) == {"f-d-contra-relative", "f-d-pregnancy-not-recommended"}
    contraception = g.model.findings["f-d-contraception"]
    assert _q(contraception, "contraception").low == 6
    assert "women-of-childbearing-potential" in contraception.about


# -- adverse effects and their management --------------------------------------------------------

def test_adverse_effects_of_esketamine(g):
    effects = {a.object for a in _assertions(g, subject="esketamine", predicate="has_adverse_effect")}
    assert effects >= {"dissociation", "blood-pressure-increase", "sedation", "nausea-vomiting", "dizziness",
                       "anxiety", "drug-abuse", "cognitive-impairment", "renal-urinary-disorders",
                       "acute-kidney-injury", "pyelonephritis", "dysuria", "urinary-incontinence",
                       "urinary-frequency", "urinary-urgency", "cystitis", "liver-function-impairment",
                       "withdrawal-symptoms"}
    renal = g.model.findings["f-d-renal-urinary"]
    assert renal.cites == ("chiappini-2025",) and "pharmacovigilance" in renal.quality_note


@pytest.mark.parametrize("effect,seed_000_nulls", [
    ("nausea-vomiting", {"f-c-meta7-ae", "f-c-rct298-ae", "f-c-small123-ae"}),
    ("dizziness", {"f-c-meta7-ae"}),
])
def test_common_adverse_effects_against_postpartum_trials(g, effect, seed_000_nulls):
    """Seed 002 lists the effect during a course of antidepressant treatment; seed 000's studies of
    esketamine around delivery found no increase: two contexts, two assertions, each with its context."""
    found = _assertions(g, subject="esketamine", predicate="has_adverse_effect", obj=effect)
    assert len(found) == 2, [a.id for a in found]
    ours = g.model.assertions[f"a-d-esketamine-ae-{effect}"]
    theirs = next(a for a in found if a.id != ours.id)
    assert ours.supporting and _ours(ours.supporting) == set(ours.supporting) and not ours.refuting
    assert set(theirs.refuting) == seed_000_nulls and not theirs.supporting
    assert all(g.model.findings[f].direction == "no_effect" for f in theirs.refuting)
    # the contexts differ in regimen and population, and neither claims a route the seeds do not give
    assert ours.context["regimen"] == ("repeated_dosing",) and theirs.context["regimen"] == ("mixed",)
    assert "depression" in ours.context["population"][0] and "caesarean" in theirs.context["population"][0]
    assert "route" not in ours.context and "route" not in theirs.context
    assert theirs.id in ours.note and ours.id in theirs.note


def test_sedation_and_somnolence_are_kept_apart_but_cross_referenced(g):
    sedation = _by_id(g, "a-d-esketamine-ae-sedation", "esketamine", "has_adverse_effect", "sedation")
    assert set(sedation.supporting) == {"f-d-ae-sedation"}
    management = g.model.findings["f-d-ae-sedation-management"]
    assert (management.role, management.guidance) == ("recommendation", "monitoring")
    assert "a-c-esketamine-has-adverse-effect-somnolence" in sedation.note


def test_recent_cardiovascular_event_alias_is_not_any_myocardial_infarction(g):
    entity = g.model.entities["recent-cardiovascular-event"]
    assert "近期心肌梗死" in entity.aliases and "心肌梗死" not in entity.aliases


@pytest.mark.parametrize("treatment,effect", [
    ("benzodiazepines", "dissociation"),
    ("antihypertensive-treatment", "blood-pressure-increase"),
    ("serotonin-receptor-antagonists", "nausea-vomiting"),
])
def test_management_of_severe_adverse_effects(g, treatment, effect):
    a = _one(g, subject=treatment, predicate="treats", obj=effect)
    assert a.context["drug"] == ("esketamine",)
    assert "severe" in a.context["population"][0]
    f = g.model.findings[a.supporting[0]]
    assert f.study_type == "guideline" and f.cites == ("ceban-2021",)


def test_cognition_monitoring_versus_stable_cognition(g):
    a = _one(g, subject="esketamine", predicate="has_adverse_effect", obj="cognitive-impairment")
    # the review's listing of a potential risk against the trials; the monitoring advice is guidance
    assert a.supporting == ("f-d-cognition-risk",)
    assert a.refuting == ("f-d-cognition-stable",)
    assert g.model.findings["f-d-cognition-risk"].role == "opinion"
    monitoring = g.model.findings["f-d-cognition-monitoring"]
    assert (monitoring.role, monitoring.guidance) == ("recommendation", "monitoring")
    assert monitoring.id not in a.findings
    stable = g.model.findings["f-d-cognition-stable"]
    assert stable.direction == "no_effect" and stable.cites == ("nikayin-2022",)


def test_abuse_risk_is_kept_per_drug(g):
    esk = _one(g, subject="esketamine", predicate="has_adverse_effect", obj="drug-abuse")
    ket = _one(g, subject="ketamine", predicate="has_adverse_effect", obj="drug-abuse")
    # scheduling is background and monitoring is guidance: neither is evidence of abuse
    assert set(esk.supporting) == {"f-d-abuse-potential"}
    assert ket.supporting == ("f-d-ketamine-abuse-known",)
    schedule = g.model.findings["f-d-abuse-schedule"]
    assert schedule.study_type == "regulatory" and schedule.role == "background"
    assert g.model.findings["f-d-abuse-monitoring"].role == "recommendation"
    assert "urine or blood" in g.model.findings["f-d-abuse-monitoring"].statement


def test_withdrawal_monitoring_one_to_two_weeks(g):
    f = g.model.findings["f-d-withdrawal-monitoring"]
    q = _q(f, "withdrawal")
    assert (q.low, q.high) == (1, 2)
    assert f.cites == ("fedgchin-2019",)


# -- children and adolescents --------------------------------------------------------------------

def test_children_and_adolescents(g):
    not_rec = g.model.findings["f-d-children-not-recommended"]
    assert "children" in not_rec.about and not_rec.study_type == "guideline"
    for aid, predicate, obj in (("a-d-esketamine-sedation-children-preop", "causes", "sedation"),
                                ("a-d-esketamine-decreases-anxiety-children-preop", "decreases", "anxiety"),
                                ("a-d-esketamine-decreases-emergence-agitation-children", "decreases", "emergence-agitation")):
        a = _by_id(g, aid, "esketamine", predicate, obj)
        assert "children" in a.context["population"][0]
        assert a.supporting == ("f-d-children-preop-sedation",)
    si = _one(g, subject="esketamine", predicate="decreases", obj="suicidal-ideation", route="intravenous")
    f = g.model.findings[si.supporting[0]]
    # a hedged review claim; the case-report design is known only from ref [25]'s title
    assert f.study_type == "review" and f.role == "opinion" and f.cites == ("skala-2023",)
    assert "intranasal" in f.quality_note and "case report" in f.quality_note
    assert "adolescents" in si.context["population"][0]


# -- outlook: research gaps are opinions, not claims -----------------------------------------------

def test_outlook_research_gaps_are_not_claims(g):
    used = {f for a in g.model.assertions.values() for f in a.findings}
    for fid in ("f-d-outlook-limitations", "f-d-outlook-chinese-longterm",
                "f-d-outlook-sex-region-ethnicity", "f-d-outlook-transcriptome-routes"):
        f = g.model.findings[fid]
        assert fid not in used and f.about and f.level == "review_opinion"
        assert f.statement.startswith("Review opinion")
    summary = _one(g, subject="esketamine", predicate="treats", obj="postpartum-depression", route="intravenous")
    assert summary.id == "a-d-esketamine-treats-ppd-iv"
    assert summary.supporting == ("f-d-summary-efficacy",)
    assert "a-c-esketamine-prevents-ppd" in summary.note
    f = g.model.findings["f-d-summary-efficacy"]
    assert "prevention" in f.quality_note and f.drug == "esketamine"


# -- provenance ------------------------------------------------------------------------------------

def test_provenance_and_coverage_of_sections_2_to_6(g, seeds_dir):
    report = check_coverage(g.model, seeds_dir)
    assert report.problems == []
    seed = Seed.from_file(seeds_dir / SEED_002)
    ours = [f for f in g.model.findings.values() if f.where.file in FILES]
    assert all(f.source == "seed-002" for f in ours)
    cited = {(s.paragraph, s.number) for f in ours for loc in f.locator for s in seed.resolve(loc)}
    mine = [s for s in seed.sentences(substantive_only=True) if 16 <= s.paragraph <= 44]
    assert len(mine) >= 50
    assert [s.locator for s in mine if (s.paragraph, s.number) not in cited] == []
