"""`mechgraph conflicts`: every disagreement found and classified by context."""

import json

import pytest

from mechgraph import MechGraph
from mechgraph.reasoning.conflicts import find_conflicts
from mkgraph import assertion, entity, finding, write_graph

BASE = [entity("drug-a", "Drug", "Drug A"), entity("target-t", "Protein", "Target T"),
        entity("effect-e", "Process", "Effect E")]


def conflicts_of(tmp_path, findings, assertions, entities=BASE, **kw):
    model = MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions)).model
    return find_conflicts(model, **kw)


def one_mixed(tmp_path, pro: dict, con: dict, con_direction="refutes"):
    found = conflicts_of(tmp_path, [finding("f-pro", **pro), finding("f-con", con_direction, **con)],
                         [assertion("a-t-e", "target-t", "required_for", "effect-e",
                                    supporting=["f-pro"], refuting=["f-con"])])
    assert [c["kind"] for c in found] == ["mixed_evidence"]
    return found[0]


# -- mixed evidence on one assertion: each context class ----------------------------------------

def test_rodent_support_and_clinical_refutation_is_explained_by_species_and_setting(tmp_path):
    c = one_mixed(tmp_path,
                  {"species": ["rat"], "intervention": {"drug": "drug-a", "dose": "10 mg/kg"}},
                  {"study_type": "clinical_study", "species": ["human"], "intervention": {"drug": "drug-a"}})
    assert c["classification"] == "context"
    assert c["contexts"] == ["species", "setting"]
    assert c["differences"][0] == {"context": "species", "supporting": ["rat"], "refuting": ["human"]}
    assert c["explanation"].startswith("Explained by context: the supporting and refuting sides differ in "
                                       "species (rat vs human); setting (preclinical vs clinical).")
    assert [f["id"] for f in c["supporting"]] == ["f-pro"] and [f["id"] for f in c["refuting"]] == ["f-con"]
    assert c["assertion"]["id"] == "a-t-e" and c["assertion"]["subject"]["id"] == "target-t"
    assert c["supporting"][0]["level"] == "animal_in_vivo"
    assert c["refuting"][0]["context"]["species"] == ["human"]


@pytest.mark.parametrize("pro, con, context, values", [
    ({"sex": "male"}, {"sex": "female"}, "sex", (["male"], ["female"])),
    ({"intervention": {"drug": "drug-a", "dose": "10 mg/kg"}},
     {"intervention": {"drug": "drug-a", "dose": "1~2 mg/kg"}}, "dose", (["10 mg/kg"], ["1~2 mg/kg"])),
    ({"intervention": {"drug": "drug-a", "route": "intranasal"}},
     {"intervention": {"drug": "drug-a", "route": "intravenous"}}, "route", (["intranasal"], ["intravenous"])),
    ({"timepoint": "about 6 weeks postpartum"}, {"timepoint": "postpartum week 1"}, "timepoint",
     (["about 6 weeks postpartum"], ["postpartum week 1"])),
    ({"population": "adolescents with suicidal ideation"}, {"population": "elderly surgical patients"},
     "population", (["adolescents with suicidal ideation"], ["elderly surgical patients"])),
    ({"outcome": "forced swim immobility"}, {"outcome": "sucrose preference"}, "outcome",
     (["forced swim immobility"], ["sucrose preference"])),
])
def test_each_context_class_explains_a_mixed_assertion(tmp_path, pro, con, context, values):
    shared = {"species": ["mouse"]}
    c = one_mixed(tmp_path, {**shared, **pro}, {**shared, **con}, con_direction="no_effect")
    assert c["classification"] == "context"
    assert c["contexts"] == [context]
    assert (c["differences"][0]["supporting"], c["differences"][0]["refuting"]) == values


def test_same_context_on_both_sides_is_unexplained(tmp_path):
    same = {"study_type": "rct", "species": ["human"], "population": "women undergoing caesarean section",
            "intervention": {"drug": "drug-a", "dose": "0.25 mg/kg", "route": "intravenous"}}
    c = one_mixed(tmp_path, {**same, "n": {"total": 298}}, {**same, "n": {"total": 123}}, "no_effect")
    assert c["classification"] == "unexplained"
    assert c["contexts"] == []
    assert c["explanation"].startswith("Unexplained: no recorded context separates the two sides. "
                                       "They share species, setting, drug, dose, route, population.")
    assert "The refuting side's studies are smaller (n = 123 vs 298)." in c["explanation"]


def test_overlapping_doses_and_times_do_not_explain(tmp_path):
    c = one_mixed(tmp_path,
                  {"intervention": {"drug": "drug-a", "dose": "0.25 mg/kg"}, "timepoint": "postpartum day 42"},
                  {"intervention": {"drug": "drug-a", "dose": "0.1~0.5 mg/kg"}, "timepoint": "about 6 weeks"})
    assert c["classification"] == "unexplained"


def test_free_text_stated_on_one_side_only_is_a_lead_not_an_explanation(tmp_path):
    c = one_mixed(tmp_path, {"species": ["human"]},
                  {"species": ["human"], "population": "children before surgery"})
    assert c["classification"] == "unexplained"
    assert "Only the refuting side states population (children before surgery)." in c["explanation"]


def test_rodent_matches_rat_and_mouse(tmp_path):
    c = one_mixed(tmp_path, {"species": ["rodent"]}, {"species": ["rat"]})
    assert "species" not in c["contexts"]


# -- two assertions -------------------------------------------------------------------------------

def test_opposite_sign_assertions_between_the_same_entities(tmp_path):
    found = conflicts_of(tmp_path, [
        finding("f-up", species=["mouse"]), finding("f-down", species=["rat"])], [
        assertion("a-up", "drug-a", "increases", "target-t", supporting=["f-up"]),
        assertion("a-down", "drug-a", "decreases", "target-t", supporting=["f-down"])])
    assert len(found) == 1
    c = found[0]
    assert c["kind"] == "opposite_sign"
    assert (c["assertion"]["id"], c["opposing"]["id"]) == ("a-up", "a-down")
    assert [f["id"] for f in c["supporting"]] == ["f-up"] and [f["id"] for f in c["refuting"]] == ["f-down"]
    assert c["contexts"] == ["species"]


def test_required_for_and_not_required_for_are_opposite(tmp_path):
    found = conflicts_of(tmp_path, [finding("f-1", sex="male"), finding("f-2", sex="female")], [
        assertion("a-req", "target-t", "required_for", "effect-e", supporting=["f-1"]),
        assertion("a-not", "target-t", "not_required_for", "effect-e", supporting=["f-2"])])
    assert [(c["kind"], c["assertion"]["id"], c["contexts"]) for c in found] == [
        ("opposite_sign", "a-req", ["sex"])]


def test_agreeing_or_jointly_refuted_assertions_are_no_conflict(tmp_path):
    found = conflicts_of(tmp_path, [
        finding("f-1"), finding("f-2", "refutes"), finding("f-3", "no_effect"), finding("f-4", "no_effect")], [
        assertion("a-up", "drug-a", "increases", "target-t", supporting=["f-1"]),
        assertion("a-down", "drug-a", "decreases", "target-t", refuting=["f-2"]),  # "does not lower" agrees
        assertion("a-act", "drug-a", "activates", "effect-e", refuting=["f-3"]),
        assertion("a-inh", "drug-a", "inhibits", "effect-e", refuting=["f-4"])])  # neither: no conflict
    assert found == []


def test_same_claim_supported_for_one_enantiomer_and_refuted_for_the_other(tmp_path):
    entities = BASE + [entity("drug-s", "Drug", "S-drug"), entity("drug-r", "Drug", "R-drug")]
    found = conflicts_of(tmp_path, [
        finding("f-s", species=["mouse"], intervention={"drug": "drug-s"}),
        finding("f-r", "no_effect", species=["mouse"], intervention={"drug": "drug-r"}),
        finding("f-chiral", study_type="review")], [
        assertion("a-s-r", "drug-s", "enantiomer_of", "drug-r", supporting=["f-chiral"]),
        assertion("a-t-e-s", "target-t", "required_for", "effect-e", context={"drug": ["drug-s"]},
                  supporting=["f-s"]),
        assertion("a-t-e-r", "target-t", "required_for", "effect-e", context={"drug": ["drug-r"]},
                  refuting=["f-r"])], entities=entities)
    assert len(found) == 1
    c = found[0]
    assert c["kind"] == "opposite_verdict"
    assert (c["assertion"]["id"], c["opposing"]["id"]) == ("a-t-e-s", "a-t-e-r")
    assert c["contexts"] == ["enantiomer"]
    assert c["differences"][0]["supporting"] == ["drug-s"] and c["differences"][0]["refuting"] == ["drug-r"]


def test_pooled_drug_is_compared_with_the_drug_it_names(tmp_path):
    entities = BASE + [entity("esk", "Drug", "Esketamine"), entity("ket-or-esk", "Drug", "Ketamine or esketamine (pooled)"),
                       entity("dizziness", "AdverseEffect", "Dizziness")]
    found = conflicts_of(tmp_path, [
        finding("f-pooled", study_type="meta_analysis", species=["human"], intervention={"drug": "ket-or-esk"}),
        finding("f-esk", "no_effect", "meta_analysis", species=["human"], intervention={"drug": "esk"})], [
        assertion("a-pooled", "ket-or-esk", "has_adverse_effect", "dizziness", supporting=["f-pooled"]),
        assertion("a-esk", "esk", "has_adverse_effect", "dizziness", refuting=["f-esk"])], entities=entities)
    assert [(c["kind"], c["assertion"]["id"], c["opposing"]["id"], c["contexts"]) for c in found] == [
        ("opposite_verdict", "a-pooled", "a-esk", ["drug"])]


def test_unrelated_subjects_are_not_compared(tmp_path):
    entities = BASE + [entity("drug-b", "Drug", "Drug B")]
    found = conflicts_of(tmp_path, [finding("f-1"), finding("f-2", "refutes")], [
        assertion("a-1", "drug-a", "increases", "target-t", supporting=["f-1"]),
        assertion("a-2", "drug-b", "increases", "target-t", refuting=["f-2"])], entities=entities)
    assert found == []


# -- quantities -------------------------------------------------------------------------------------

def quantity(value, low=None, high=None, route="intranasal", name="bioavailability"):
    q = {"name": name, "value": value, "unit": "%", "qualifiers": {"route": route}}
    if low is not None:
        q["low"] = low
    if high is not None:
        q["high"] = high
    return q


def test_different_values_of_one_quantity_from_two_sources(tmp_path):
    found = conflicts_of(tmp_path, [
        finding("f-a", study_type="review", quantities=[quantity("超过50%", low=50)]),
        finding("f-b", study_type="review", source="seed-b", quantities=[quantity("约48%", 48, 48)])], [
        assertion("a-via", "drug-a", "administered_via", "effect-e", supporting=["f-a", "f-b"])])
    assert [c["kind"] for c in found] == ["quantity"]
    c = found[0]
    assert c["assertion"]["entity"]["id"] == "drug-a"
    assert c["assertion"]["quantity"] == "bioavailability" and c["assertion"]["qualifiers"] == {"route": "intranasal"}
    assert [(v["value"], v["sources"], [f["id"] for f in v["findings"]]) for v in c["values"]] == [
        ("超过50%", ["seed-a"], ["f-a"]), ("约48%", ["seed-b"], ["f-b"])]
    assert c["classification"] == "unexplained"
    assert c["explanation"].startswith("bioavailability differs: 超过50% (seed-a) vs 约48% (seed-b).")


def test_values_for_different_qualifiers_or_overlapping_ranges_agree(tmp_path):
    found = conflicts_of(tmp_path, [
        finding("f-nasal", quantities=[quantity("48%", 48, 48)]),
        finding("f-oral", quantities=[quantity("8%", 8, 8, route="oral")]),
        finding("f-range", quantities=[quantity("40-50%", 40, 50)])], [
        assertion("a-via", "drug-a", "administered_via", "effect-e", supporting=["f-nasal", "f-oral", "f-range"])])
    assert found == []


def test_quantity_values_explained_by_species(tmp_path):
    found = conflicts_of(tmp_path, [
        finding("f-h", species=["human"], quantities=[quantity("120 min", 120, 120, name="half-life")]),
        finding("f-r", species=["rat"], quantities=[quantity("20 min", 20, 20, name="half-life")])], [
        assertion("a-via", "drug-a", "administered_via", "effect-e", supporting=["f-h", "f-r"])])
    assert [(c["kind"], c["contexts"]) for c in found] == [("quantity", ["species"])]


# -- the command ------------------------------------------------------------------------------------

def test_conflicts_json_on_the_toy_graph(run, example_dir):
    result = run("--graph", example_dir, "conflicts", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert len(data) == 1
    c = data[0]
    assert set(c) >= {"assertion", "supporting", "refuting", "classification", "contexts", "explanation"}
    assert c["assertion"]["id"] == "a-x-increases-expression-p"
    assert c["classification"] == "context" and c["contexts"] == ["species"]
    assert [f["id"] for f in c["supporting"]] == ["f-x-p-mouse"]
    assert [f["id"] for f in c["refuting"]] == ["f-x-p-rat-null"]


def test_conflicts_text_shows_the_sides_with_levels(run, example_dir):
    result = run("--graph", example_dir, "conflicts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 disagreement(s): 1 mixed evidence; 1 explained by context, 0 unexplained"
    assert lines[2] == ("1. mixed evidence: Drug X increases the expression of Protein P "
                        "(a-x-increases-expression-p, score 0.417)")
    assert lines[3] == "   explained by species"
    assert lines[5].split() == ["side", "level", "species", "drug,", "dose,", "route", "locator", "finding"]
    assert lines[6].split() == ["for", "animal_in_vivo", "mouse", "drug-x", "10", "mg/kg", "intraperitoneal",
                                "toy-seed", "p5.s1-2", "f-x-p-mouse"]
    assert lines[7].split()[:4] == ["no", "effect", "animal_in_vivo", "rat"]


def test_entity_filter_and_unknown_entity(run, example_dir):
    result = run("--graph", example_dir, "conflicts", "--entity", "Receptor R", "--json")
    assert json.loads(result.stdout) == []
    assert len(json.loads(run("--graph", example_dir, "conflicts", "--entity", "protein p", "--json").stdout)) == 1
    missing = run("--graph", example_dir, "conflicts", "--entity", "nothing-like-it")
    assert missing.exit_code == 1
    assert missing.stderr == "error: unknown entity 'nothing-like-it'.\n"


def test_kind_and_unexplained_filters(run, example_dir):
    assert run("--graph", example_dir, "conflicts", "--kind", "quantity").stdout == "no disagreements found\n"
    assert run("--graph", example_dir, "conflicts", "--unexplained").stdout == "no disagreements found\n"


def test_a_co_administered_drug_is_part_of_the_drug_context(tmp_path):
    entities = BASE + [entity("drug-c", "Drug", "Drug C")]
    found = conflicts_of(tmp_path, [
        finding("f-combo", study_type="rct", species=["human"], intervention={"drug": "drug-a"},
                co_interventions=[{"drug": "drug-c"}]),
        finding("f-alone", "refutes", "review", species=["human"], intervention={"drug": "drug-a"})], [
        assertion("a-treats", "drug-a", "treats", "effect-e", supporting=["f-combo"], refuting=["f-alone"])],
        entities=entities)
    assert found[0]["contexts"] == ["drug"]
    assert found[0]["differences"][0] == {"context": "drug", "supporting": ["drug-a + drug-c"], "refuting": ["drug-a"]}


# -- the bundled esketamine graph: the disagreements a careful reader of the seeds lists -------------

@pytest.fixture(scope="module")
def bundled():
    return find_conflicts(MechGraph.load().model)


def about(found, subject, predicate, obj, *, drug=None, kind=None):
    """Conflicts whose assertion (or opposing assertion) is subject-predicate-object, for a drug."""
    out = []
    for c in found:
        for a in (c["assertion"], c.get("opposing")):
            if a and "id" in a and (a["subject"]["id"], a["predicate"], a["object"]["id"]) == (subject, predicate, obj) \
                    and (drug is None or drug in a["context"].get("drug", [])) and (kind is None or c["kind"] == kind):
                out.append(c)
                break
    return out


def test_bundled_mtor_is_supported_in_rodents_and_refuted_clinically(bundled):
    (c,) = about(bundled, "mtor", "required_for", "antidepressant-effect", drug="ketamine", kind="mixed_evidence")
    assert c["classification"] == "context"
    assert {"species", "setting"} <= set(c["contexts"])
    assert "rat" in {s for f in c["supporting"] for s in f["species"]}
    assert {s for f in c["refuting"] for s in f["species"]} == {"human"}
    assert {f["level"] for f in c["refuting"]} <= {"human_observational", "rct", "meta_analysis"}
    diff = {d["context"]: d for d in c["differences"]}
    assert diff["setting"]["supporting"] == ["preclinical"] and diff["setting"]["refuting"] == ["clinical"]


def test_bundled_rapamycin_blocks_esketamine_but_not_r_ketamine(bundled):
    pairs = [c for c in about(bundled, "mtor", "required_for", "antidepressant-effect", drug="esketamine")
             if c["kind"] == "opposite_verdict" and "r-ketamine" in c["opposing"]["context"].get("drug", [])]
    assert len(pairs) == 1
    assert pairs[0]["contexts"] == ["enantiomer"]
    assert pairs[0]["assertion"]["context"]["drug"] == ["esketamine"]


def test_bundled_intranasal_bioavailability_differs_between_the_seeds(bundled):
    (c,) = [c for c in bundled if c["kind"] == "quantity" and c["assertion"]["quantity"] == "bioavailability"
            and c["assertion"]["qualifiers"].get("route") == "intranasal"]
    assert c["assertion"]["entity"]["id"] == "esketamine"
    values = {(v["sources"][0], v["low"], v["high"]) for v in c["values"]}
    assert ("seed-000", 50, None) in values and ("seed-002", 48, 48) in values
    assert c["classification"] == "unexplained"
    assert not [c for c in bundled if c["kind"] == "quantity" and c["assertion"]["quantity"] == "bioavailability"
                and c["assertion"]["qualifiers"].get("route") != "intranasal"]


def test_bundled_opioid_blockade_differs_by_sex(bundled):
    (c,) = about(bundled, "opioid-receptors", "required_for", "antidepressant-effect", drug="ketamine",
                 kind="mixed_evidence")
    assert "sex" in c["contexts"]
    diff = {d["context"]: d for d in c["differences"]}["sex"]
    assert diff["supporting"] == ["male"] and diff["refuting"] == ["female"]


def test_bundled_opioid_dependence_in_rodents_but_not_in_trd_patients(bundled):
    pairs = [c for c in bundled if c["kind"] == "opposite_verdict"
             and c["opposing"]["subject"]["id"] == "mu-opioid-receptor"
             and c["assertion"]["subject"]["id"] == "opioid-receptors"]
    assert pairs
    assert {"species", "setting"} <= set(pairs[0]["contexts"])
    assert {s for f in pairs[0]["refuting"] for s in f["species"]} == {"human"}


def test_bundled_pooled_ketamine_esketamine_adverse_effects_against_esketamine_alone(bundled):
    pairs = [c for c in bundled if c["kind"] == "opposite_verdict"
             and c["assertion"]["subject"]["id"] == "ketamine-or-esketamine"
             and c["opposing"]["subject"]["id"] == "esketamine"]
    assert {c["assertion"]["object"]["id"] for c in pairs} >= {"dizziness", "hallucination"}
    for c in pairs:
        assert "drug" in c["contexts"]
        assert c["assertion"]["predicate"] == "has_adverse_effect"


def test_bundled_cognitive_impairment_with_ketamine_but_not_esketamine(bundled):
    pairs = [c for c in bundled if c["kind"] == "opposite_verdict"
             and c["assertion"]["object"]["id"] == "cognitive-impairment"
             and {c["assertion"]["subject"]["id"], c["opposing"]["subject"]["id"]} == {"ketamine", "esketamine"}]
    assert pairs and "enantiomer" in pairs[0]["contexts"]


def test_bundled_small_ppd_trial_disagrees_without_a_context(bundled):
    mixed = about(bundled, "esketamine", "prevents", "postpartum-depression", kind="mixed_evidence")
    small = [c for c in mixed if any(f["n"].get("total") == 123 for f in c["refuting"])]
    assert small, "the 123-patient study with no effect on postpartum depression"
    assert small[0]["classification"] == "unexplained"
    assert "studies are smaller (n = 123" in small[0]["explanation"]


def test_bundled_esketamine_and_r_ketamine_release_differ_in_ampar_dependence(bundled):
    found = [c for c in bundled if c["kind"] == "opposite_verdict" and c["assertion"]["subject"]["id"] == "ampar"]
    assert any(c["contexts"] == ["enantiomer"] for c in found)


def test_bundled_conflicts_command_for_mtor(run):
    result = run("conflicts", "--entity", "mTOR")
    assert result.exit_code == 0
    assert ". mixed evidence: mTOR is required for Antidepressant effect [drug ketamine]" in result.stdout
    assert "   explained by species, setting" in result.stdout


def test_each_dissent_is_also_classified_on_its_own(tmp_path):
    sources = [{"id": "seed-a", "kind": "seed", "file": "a.txt"}, {"id": "ren", "kind": "study", "authors": ["Ren"]}]
    directory = write_graph(tmp_path / "h", BASE, [
        finding("f-6wk", study_type="rct", cites=["ren"], timepoint="about 6 weeks postpartum", species=["human"]),
        finding("f-1wk", "no_effect", "rct", cites=["ren"], timepoint="postpartum week 1", species=["human"]),
        finding("f-mouse", species=["mouse"], timepoint="day 1"),
        finding("f-rat", "refutes", species=["rat"], timepoint="day 1"),
    ], [assertion("a-t-e", "target-t", "required_for", "effect-e", supporting=["f-6wk", "f-mouse"],
                  refuting=["f-1wk", "f-rat"])], sources=sources)
    (c,) = find_conflicts(MechGraph.load(directory).model)
    rows = {r["finding"]: r for r in c["by_finding"]}
    assert rows["f-1wk"]["same_study"] and rows["f-1wk"]["compared_with"] == ["f-6wk"]
    assert rows["f-1wk"]["contexts"] == ["timepoint"]
    assert not rows["f-rat"]["same_study"] and rows["f-rat"]["contexts"] == ["species"]
    assert c["classification"] == "context" and c["contexts"] == ["species", "timepoint"]
    assert c["explanation"].startswith("Explained by context, finding by finding: f-1wk differs from the same "
                                       "study's supporting finding(s) f-6wk in timepoint (postpartum week 1 vs "
                                       "about 6 weeks postpartum).")


def test_bundled_ren_trial_null_at_one_week_is_explained_by_timepoint(bundled):
    rows = [r for c in about(bundled, "esketamine", "prevents", "postpartum-depression", kind="mixed_evidence")
            for r in c["by_finding"] if r["same_study"]]
    assert any(r["contexts"] == ["timepoint"] for r in rows), rows


def test_bundled_entity_filter_includes_co_administered_drugs(run):
    data = json.loads(run("conflicts", "--entity", "雷帕霉素", "--json").stdout)
    assert any(c["assertion"]["subject"]["id"] == "mtor" for c in data)
