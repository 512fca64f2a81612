"""Evidence grading: what counts as support (finding roles), one source counted once,
design stated honestly, and the validator's rules for roles. Orderings that must hold
are checked on constructed graphs."""

from __future__ import annotations

import pytest
from mkgraph import assertion, entity, finding, write_graph

from mechgraph import MechGraph
from mechgraph.model.constants import EVIDENCE_LEVELS, STUDY_TYPES, level_rank
from mechgraph.curation.yaml_reader import read_graph_dir
from mechgraph.reasoning.evidence import LEVEL_WEIGHTS, assertion_score, score_parts
from mechgraph.model.core import Assertion, Finding, Model


def F(fid, study_type, direction="supports", *, source="seed-a", locator=None, role="", **fields):
    return Finding(fid, source, (locator or f"p{fid}.s1",), study_type, direction, "s", "s", role=role, **fields)


def score(*findings, refuting=()):
    m = Model(findings={f.id: f for f in (*findings, *refuting)})
    return assertion_score(m, Assertion("a", "x", "treats", "y", supporting=tuple(f.id for f in findings),
                                        refuting=tuple(f.id for f in refuting)))


# -- orderings that must hold --------------------------------------------------------------------------

def test_a_meta_analysis_beats_repeated_opinion():
    opinions = [F(f"o{i}", "review", locator=f"p{i}.s1") for i in range(8)]
    assert score(F("m", "meta_analysis")) > score(*opinions)


def test_one_rct_beats_three_sentences_of_one_review():
    assert score(F("r", "rct")) > score(*(F(f"o{i}", "review", locator=f"p{i}.s2") for i in range(3)))


def test_sentences_of_one_review_count_once_and_two_reviews_twice():
    one = score(*(F(f"o{i}", "review", locator=f"p{i}.s2") for i in range(6)))
    assert one == score(F("o", "review")) == LEVEL_WEIGHTS["review_opinion"]
    two = score(F("a", "review", source="seed-a"), F("b", "review", source="seed-b"))
    assert two == round(1 - (1 - 0.2) ** 2, 3)


@pytest.mark.parametrize("role, study_type", [("recommendation", "guideline"), ("background", "review"),
                                              ("background", "survey"), ("recommendation", "regulatory")])
def test_a_recommendation_or_background_never_counts(role, study_type):
    base = [F("r", "rct")]
    assert score(*base, F("g", study_type, role=role)) == score(*base)
    assert score(F("g", study_type, role=role)) == 0.0
    parts = score_parts(Model(findings={"g": F("g", study_type, role=role)}),
                        Assertion("a", "x", "treats", "y", supporting=("g",)))
    assert parts["excluded"] == [{"finding": "g", "role": role}]


def test_duplicating_a_finding_does_not_change_the_score():
    original = F("m", "animal_in_vivo", species=("mouse",))
    copy = F("m2", "animal_in_vivo", locator="pm.s1", species=("mouse",))
    assert score(original, copy) == score(original) == 0.5


def test_the_same_study_in_two_reviews_is_one_study():
    first = F("x", "rct", source="seed-a", cites=("ren-2025",))
    second = F("y", "rct", source="seed-b", cites=("ren-2025",))
    assert score(first, second) == score(first) == 0.8


def test_an_opinion_citing_a_study_adds_nothing_to_the_study():
    study = F("s", "animal_in_vivo", cites=("stahl",))
    opinion = F("o", "expert_opinion", cites=("stahl",))
    assert score(study, opinion) == score(study)


def test_an_unstated_randomisation_ranks_between_rct_and_observational():
    assert EVIDENCE_LEVELS.index("rct") < EVIDENCE_LEVELS.index("clinical_trial") \
        < EVIDENCE_LEVELS.index("human_observational")
    assert STUDY_TYPES["clinical_trial"] == "clinical_trial"
    assert score(F("r", "rct")) > score(F("t", "clinical_trial")) > score(F("o", "cohort"))
    assert level_rank("clinical_trial") == level_rank("rct") - 1


def test_the_order_of_evidence_levels_is_the_order_of_weights():
    weights = [LEVEL_WEIGHTS[level] for level in EVIDENCE_LEVELS]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)


def test_score_parts_let_a_reader_recompute_the_score():
    m = Model(findings={f.id: f for f in [F("r1", "rct"), F("r2", "animal_in_vivo", cites=("li",)),
                                          F("r3", "animal_in_vivo", cites=("li",)), F("o1", "review"),
                                          F("o2", "review", locator="p9.s9"), F("g", "guideline",
                                                                                 role="recommendation"),
                                          F("n", "cohort", "no_effect")]})
    a = Assertion("a", "x", "treats", "y", supporting=("r1", "r2", "r3", "o1", "o2", "g"), refuting=("n",))
    parts = score_parts(m, a)
    assert [(u["kind"], u["level"], u["weight"], u["findings"]) for u in parts["for"]] == [
        ("study", "rct", 0.8, ["r1"]), ("study", "animal_in_vivo", 0.5, ["r2", "r3"]),
        ("opinion", "review_opinion", 0.2, ["o1", "o2"])]
    assert [(u["weight"], u["factor"]) for u in parts["against_units"]] == [(0.3, 0.5)]
    assert parts["excluded"] == [{"finding": "g", "role": "recommendation"}]
    assert (parts["studies_for"], parts["studies_against"], parts["opinions_counted"]) == (2, 1, 1)
    pro, con = [0.8, 0.5, 0.2], [0.3]
    support = 1 - (1 - 0.8) * (1 - 0.5) * (1 - 0.2)
    dissent = min(1, 2 * sum(con) / (sum(pro) + sum(con)))
    assert parts["score"] == round(support * (1 - 0.3 * dissent), 3)


# -- roles in curated data ---------------------------------------------------------------------------------

def _validate(tmp_path, findings, assertions, entities=None):
    entities = entities or [entity("esk", "Drug"), entity("dep", "Condition"), entity("r", "Receptor")]
    directory = write_graph(tmp_path / "g", entities, findings, assertions)
    return [str(e) for e in read_graph_dir(directory)[1]]


def line_of(tmp_path, text: str) -> int:
    """The line of the graph file written by ``_validate`` that holds ``text``."""
    lines = (tmp_path / "g" / "graph.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_unknown_role_is_an_error_with_file_and_line(tmp_path):
    errors = _validate(tmp_path, [finding("f1", role="resultt")],
                       [assertion("a1", "esk", "treats", "dep", supporting=["f1"])])
    line = line_of(tmp_path, "role: resultt")
    assert errors == [f"graph.yaml:{line}: unknown role 'resultt' (did you mean 'result'?) "
                      "(expected one of result, synthesis, opinion, recommendation, background)"]


def test_a_role_that_does_not_fit_the_study_type_is_an_error(tmp_path):
    errors = _validate(tmp_path, [finding("f1", study_type="review", role="result")],
                       [assertion("a1", "esk", "treats", "dep", supporting=["f1"])])
    line = line_of(tmp_path, "role: result")
    assert len(errors) == 1 and errors[0].startswith(f"graph.yaml:{line}: finding 'f1': role 'result' does not "
                                                     "fit study type 'review'")


def test_a_recommendation_used_as_support_for_efficacy_is_an_error(tmp_path):
    rec = finding("f1", study_type="guideline", role="recommendation", guidance="monitoring")
    errors = _validate(tmp_path, [rec], [assertion("a1", "esk", "treats", "dep", supporting=["f1"])])
    line = line_of(tmp_path, "- id: a1")
    assert errors == [f"graph.yaml:{line}: assertion 'a1' (treats) lists finding 'f1', a recommendation: a "
                      "recommendation is never evidence for efficacy, mechanism or harm (attach it to the drug "
                      "with 'about' instead)"]


def test_a_recommendation_may_back_a_contraindication_and_needs_a_topic(tmp_path):
    rec = finding("f1", study_type="guideline", role="recommendation", guidance="contraindication")
    assert _validate(tmp_path, [rec], [assertion("a1", "esk", "contraindicated_in", "dep", supporting=["f1"])]) == []
    bare = finding("f2", study_type="guideline", role="recommendation", about=["esk"])
    errors = _validate(tmp_path / "x", [bare], [])
    assert len(errors) == 1 and "is a recommendation: say what it is about with 'guidance'" in errors[0]


def test_roles_default_from_the_study_type():
    assert [F("a", t).role for t in ("meta_analysis", "rct", "review", "guideline", "regulatory")] == \
        ["synthesis", "result", "opinion", "opinion", "background"]


def test_show_lists_guidance_apart_and_path_hops_carry_no_recommendation(tmp_path, run):
    findings = [finding("f-rct", study_type="rct", intervention={"drug": "esk"}),
                finding("f-fast", study_type="guideline", role="recommendation", guidance="dosing",
                        about=["esk"], statement="Fast for two hours before each dose.")]
    directory = write_graph(tmp_path / "g", [entity("esk", "Drug", "Esketamine"), entity("dep", "Condition")],
                            findings, [assertion("a1", "esk", "treats", "dep", supporting=["f-rct"])])
    g = MechGraph.load(directory)
    shown = g.show("esk")
    assert list(shown["guidance"]) == ["dosing"] and shown["guidance"]["dosing"][0]["id"] == "f-fast"
    out = run("--graph", directory, "show", "esk").stdout
    assert "Guidance (recommendations; never counted as evidence):\n  dosing:\n    Fast for two hours" in out
