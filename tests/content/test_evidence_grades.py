"""Evidence grading of the bundled graph: roles, designs as the seeds state them, context-aware harm.

Questions a psychiatrist, anaesthesiologist or pharmacologist asks before trusting a score:
is an instruction for use ever counted as evidence that the drug works or harms? Is a trial
called randomised only where the seed says so? Are adverse-effect rates from different
populations and dosing regimens kept apart? Does one study count once however many sentences
report it? Answered through the model API on the bundled graph; the design questions read the
seed sentences themselves.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import cited_sentences, load_seeds

GRAPH = Path(__file__).resolve().parents[2] / "graph"
#: the clinical, safety, postpartum and pharmacology topics
FILES = ("clinical.yaml", "safety.yaml", "postpartum.yaml", "pharmacology.yaml")
#: predicates whose evidence must be a study's result, a synthesis or (weakly) an opinion
EVIDENCE_PREDICATES = ("treats", "prevents", "has_adverse_effect")
GUIDANCE_ROLES = ("recommendation", "background")


@pytest.fixture(scope="module")
def g() -> MechGraph:
    return MechGraph.load(GRAPH)


@pytest.fixture(scope="module")
def seeds(g, seeds_dir):
    """The seed texts by source id (the seed directory as every test finds it: tests/conftest.py)."""
    return load_seeds(g.model, seeds_dir)


def _text(seeds, finding) -> str:
    return "".join(s.text for s in cited_sentences(seeds[finding.source], finding))


def _ours(g):
    return [f for f in g.model.findings.values() if f.where.file in FILES]


def _by_locator(g, source, locator):
    """The findings of a seed that cite exactly one locator (found by what they cite, not by id)."""
    return [f for f in g.model.findings.values() if f.source == source and locator in f.locator]


# -- guidance is never evidence ----------------------------------------------------------------------

def test_no_recommendation_or_background_supports_efficacy_or_harm(g):
    offenders = []
    for a in g.model.assertions.values():
        if a.predicate in EVIDENCE_PREDICATES:
            for fid in a.findings:
                if g.model.findings[fid].role in GUIDANCE_ROLES:
                    offenders.append((a.id, fid, g.model.findings[fid].role))
    assert offenders == []


@pytest.mark.parametrize("locator,guidance", [
    ("p39.s1", "dosing"),            # fasting before the dose
    ("p42.s1", "monitoring"),        # at least 2 hours of observation after each dose
    ("p37.s1-2", "setting_of_care"),  # a team with psychiatrists and a licensed prescriber
])
def test_practice_rules_are_guidance_attached_to_esketamine(g, locator, guidance):
    found = [f for f in _by_locator(g, "seed-002", locator) if f.guidance == guidance]
    assert len(found) == 1, [f.id for f in _by_locator(g, "seed-002", locator)]
    rule = found[0]
    assert rule.role == "recommendation" and rule.level == "review_opinion"
    assert "esketamine" in rule.about
    assert all(rule.id not in a.findings for a in g.model.assertions.values())
    listed = g.show("esketamine")["guidance"]
    assert rule.id in [s["id"] for s in listed[guidance]]


def test_fasting_observation_and_team_rules_say_what_the_seed_says(g):
    fasting = next(f for f in _by_locator(g, "seed-002", "p39.s1") if f.guidance == "dosing")
    assert {(q.low, q.unit) for q in fasting.quantities} == {(2, "h"), (30, "min")}
    observation = _by_locator(g, "seed-002", "p42.s1")[0]
    assert observation.quantities[0].low == 2 and observation.quantities[0].unit == "h"
    team = _by_locator(g, "seed-002", "p37.s1-2")[0]
    assert "psychiatrists" in team.statement and "Class I" in team.statement


def test_regulatory_decisions_are_background_and_no_evidence(g):
    for source, locator in (("seed-000", "p5.s1"), ("seed-002", "p6.s5")):  # FDA approval, 2019
        approval = [f for f in _by_locator(g, source, locator) if f.study_type == "regulatory"]
        assert len(approval) == 1 and approval[0].role == "background"
        assert "2019" in approval[0].statement and "esketamine" in approval[0].about
        assert all(approval[0].id not in a.findings for a in g.model.assertions.values())
    schedule = [f for f in _by_locator(g, "seed-002", "p25.s1") if f.study_type == "regulatory"]
    assert len(schedule) == 1 and schedule[0].role == "background"
    abuse = [a for a in g.model.assertions.values()
             if (a.subject, a.predicate, a.object) == ("esketamine", "has_adverse_effect", "drug-abuse")]
    assert abuse and all(schedule[0].id not in a.findings for a in abuse)


def test_monitoring_advice_is_not_evidence_of_the_adverse_effect_it_watches(g):
    monitoring = [f for f in _ours(g) if f.guidance == "monitoring"]
    assert len(monitoring) >= 6
    for f in monitoring:
        assert f.role == "recommendation" and "esketamine" in f.about, f.id
        for a in g.model.assertions.values():
            assert f.id not in a.findings or a.predicate not in EVIDENCE_PREDICATES, (a.id, f.id)


def test_dosing_regimens_do_not_support_prevention_or_treatment(g):
    # seed 000 p9.s4 (the regimens the studies used) and seed 002 p32.s3 (a single peripartum dose)
    for source, locator in (("seed-000", "p9.s4"), ("seed-002", "p32.s3-4")):
        for f in _by_locator(g, source, locator):
            if f.role in GUIDANCE_ROLES:
                assert f.drug == "esketamine"
                for a in g.model.assertions.values():
                    assert f.id not in a.findings or a.predicate not in EVIDENCE_PREDICATES, (a.id, f.id)
    prevents = [a for a in g.model.assertions.values()
                if (a.subject, a.predicate, a.object) == ("esketamine", "prevents", "postpartum-depression")]
    assert len(prevents) == 1
    roles = {g.model.findings[f].role for f in prevents[0].findings}
    assert roles <= {"result", "synthesis", "opinion"} and "synthesis" in roles


def test_trd_intranasal_efficacy_rests_on_one_survey_and_opinions(g):
    a = [x for x in g.model.assertions.values()
         if (x.subject, x.predicate, x.object) == ("esketamine", "treats", "trd")
         and x.context.get("route") == ("intranasal",)]
    assert len(a) == 1
    findings = [g.model.findings[f] for f in a[0].findings]
    assert {f.role for f in findings} <= {"result", "opinion"}
    results = [f for f in findings if f.role == "result"]
    # the REAL-ESKperience survey reported in four sentences is one study: one cites key
    assert len(results) == 4 and len({f.cites for f in results}) == 1
    assert all(f.study_type == "survey" for f in results)


# -- designs as the seeds state them -----------------------------------------------------------------

def test_every_rct_cites_a_sentence_saying_randomised(g, seeds):
    rcts = [f for f in g.model.findings.values() if f.study_type == "rct"]
    assert rcts
    missing = [f.id for f in rcts if "随机" not in _text(seeds, f)]
    assert missing == []


def test_neonatal_safety_multicentre_study_is_not_an_rct(g, seeds):
    found = _by_locator(g, "seed-000", "p10.s2")
    assert len(found) == 1
    f = found[0]
    assert "多中心" in _text(seeds, f) and "随机" not in _text(seeds, f)
    assert f.study_type == "clinical_trial" and f.level == "clinical_trial" and f.level != "rct"
    assert f.role == "result" and f.direction == "no_effect"


def test_controlled_trials_name_a_control_in_the_seed(g, seeds):
    """clinical_trial = controlled, randomisation not stated: some sentence of the study names its control."""
    by_study = defaultdict(str)
    for f in _ours(g):
        by_study[(f.source, f.cites or f.study)] += _text(seeds, f)
    trials = [f for f in _ours(g) if f.study_type == "clinical_trial"]
    assert len(trials) >= 6
    for f in trials:
        text = by_study[(f.source, f.cites or f.study)]
        assert "对照" in text, f.id
        assert "随机" not in _text(seeds, f), f.id


def test_meta_analyses_are_syntheses_of_analysed_studies(g, seeds):
    metas = [f for f in g.model.findings.values() if f.study_type == "meta_analysis"]
    assert metas
    for f in metas:
        assert f.role == "synthesis", f.id
        assert "分析" in _text(seeds, f), f.id


@pytest.mark.parametrize("locator,study_type", [
    ("p23.s1", "review"),          # a general account of adverse effects, no study described
    ("p30.s2", "review"),          # a hedged claim about adolescents; the case report is only in ref [25]'s title
    ("p34.s2", "clinical_study"),  # "research data show" an induction dose, no control stated
])
def test_unstated_designs_are_not_graded_as_trials(g, locator, study_type):
    found = [f for f in _by_locator(g, "seed-002", locator) if f.role in ("result", "opinion")]
    assert found and {f.study_type for f in found} == {study_type}
    assert all(f.level not in ("rct", "clinical_trial") for f in found)


# -- context-aware harm ------------------------------------------------------------------------------------

def _ae(g, effect):
    return [a for a in g.model.assertions.values()
            if (a.subject, a.predicate, a.object) == ("esketamine", "has_adverse_effect", effect)]


@pytest.mark.parametrize("effect", ["nausea-vomiting", "dizziness"])
def test_caesarean_and_antidepressant_course_are_separate_contexts(g, effect):
    found = _ae(g, effect)
    caesarean = [a for a in found if any(g.model.findings[f].source == "seed-000" for f in a.findings)]
    course = [a for a in found if any(g.model.findings[f].source == "seed-002" for f in a.findings)]
    assert len(caesarean) == 1 and len(course) == 1 and caesarean[0].id != course[0].id
    c, t = caesarean[0], course[0]
    # no assertion mixes the two seeds' populations
    assert {g.model.findings[f].source for f in c.findings} == {"seed-000"}
    assert {g.model.findings[f].source for f in t.findings} == {"seed-002"}
    assert "caesarean" in c.context["population"][0]
    assert "depression" in t.context["population"][0] and "caesarean" not in t.context["population"][0]
    assert t.context["regimen"] == ("repeated_dosing",)
    assert c.context["regimen"] != t.context["regimen"]
    assert c.context["species"] == t.context["species"] == ("human",)


def test_same_effect_assertions_differ_in_context(g):
    """Two esketamine adverse-effect assertions on one effect are two contexts, never duplicates."""
    by_effect = defaultdict(list)
    for a in g.model.assertions.values():
        if a.subject == "esketamine" and a.predicate == "has_adverse_effect":
            assert a.context.get("population"), a.id
            by_effect[a.object].append(a)
    for effect, found in by_effect.items():
        keys = {(a.context.get("population"), a.context.get("regimen"), a.context.get("route")) for a in found}
        assert len(keys) == len(found), effect


def test_opposite_verdicts_in_one_context_stay_on_one_assertion(g):
    """Where one context has disagreeing evidence (cognition in long-term use), both sides stay together."""
    found = _ae(g, "cognitive-impairment")
    assert len(found) == 1
    a = found[0]
    assert a.supporting and a.refuting
    assert {g.model.findings[f].role for f in a.refuting} == {"result"}


# -- independence -----------------------------------------------------------------------------------------

def test_findings_of_one_named_study_share_their_citation(g):
    """Sentences reporting the same named study cite the same sources, so it counts once."""
    cites = defaultdict(set)
    for f in _ours(g):
        if f.study:
            cites[(f.source, f.study)].add(f.cites)
    split = {k: v for k, v in cites.items() if len(v) > 1}
    assert split == {}


def test_ren_trial_counts_once_across_its_sentences(g):
    ren = [f for f in g.model.findings.values() if "ren-2025" in f.cites]
    assert {f.locator[0].split(".")[0] for f in ren} == {"p16"}
    assert len(ren) >= 4 and {f.cites for f in ren} == {("ren-2025",)}
