"""Evidence scores and evidence tables."""

import itertools

import pytest

from mechgraph import MechGraph
from mechgraph.reasoning.evidence import assertion_score, score_parts
from mechgraph.model.core import Assertion, Finding, Model
from mkgraph import assertion, entity, finding, write_graph


def score(*findings: tuple) -> float:
    """Score of one assertion whose findings are (level_study_type, direction[, study])."""
    records = {}
    for i, spec in enumerate(findings):
        study_type, direction = spec[:2]
        cites = (spec[2],) if len(spec) > 2 else ()
        records[f"f{i}"] = Finding(f"f{i}", "seed", (f"p{i + 1}.s1",), study_type, direction, "s", "s", cites=cites)
    model = Model(findings=records)
    pro = tuple(k for k, f in records.items() if f.direction == "supports")
    con = tuple(k for k, f in records.items() if f.direction != "supports")
    return assertion_score(model, Assertion("a", "x", "activates", "y", supporting=pro, refuting=con))


@pytest.mark.parametrize("findings, expected", [
    ([("animal_in_vivo", "supports")], 0.5),
    ([("rct", "supports")], 0.8),
    ([("meta_analysis", "supports")], 0.9),
    ([("review", "supports")], 0.2),
    ([("animal_in_vivo", "supports"), ("meta_analysis", "supports")], 0.95),
    ([("animal_in_vivo", "supports"), ("clinical_study", "refutes")], 0.2),   # rodent for, clinical against
    ([("animal_in_vivo", "supports"), ("animal_in_vivo", "refutes")], 0.25),  # an even split
    ([("animal_in_vivo", "supports"), ("animal_in_vivo", "no_effect")], 0.417),  # no effect weighs half
    ([("rct", "refutes")], 0.0),
    ([("rct", "no_effect"), ("rct", "no_effect")], 0.0),
])
def test_reference_scores(findings, expected):
    assert score(*findings) == expected


def test_a_lone_dissent_among_many_concordant_trials_costs_little():
    many = score(*[("rct", "supports")] * 10, ("rct", "no_effect"))
    assert many == 0.962
    assert many > score(("rct", "supports"))  # ten trials and one null beat one unopposed trial


def test_findings_of_one_study_count_once():
    assert score(("animal_in_vivo", "supports", "li-2010"), ("animal_in_vivo", "supports", "li-2010")) == 0.5
    assert score(("animal_in_vivo", "supports", "li-2010"), ("animal_in_vivo", "supports", "su-2017")) == 0.75


LEVELS = ["meta_analysis", "rct", "cohort", "animal_in_vivo", "in_vitro", "review"]


@pytest.mark.parametrize("base", [
    [("animal_in_vivo", "supports")],
    [("rct", "supports"), ("animal_in_vivo", "refutes")],
    [("review", "supports"), ("meta_analysis", "no_effect")],
])
def test_more_support_never_lowers_and_more_dissent_never_raises(base):
    before = score(*base)
    for level in LEVELS:
        assert score(*base, (level, "supports")) >= before
        for direction in ("refutes", "no_effect"):
            assert score(*base, (level, direction)) <= before


def test_stronger_evidence_scores_higher():
    scores = [score((level, "supports")) for level in LEVELS]
    assert scores == sorted(scores, reverse=True)
    for a, b in itertools.combinations(LEVELS, 2):
        assert score((a, "supports"), (b, "refutes")) <= score((a, "supports"))


def test_score_parts_report_the_terms():
    records = {"f1": Finding("f1", "seed", ("p1.s1",), "animal_in_vivo", "supports", "s", "s"),
               "f2": Finding("f2", "seed", ("p2.s1",), "clinical_study", "refutes", "s", "s")}
    parts = score_parts(Model(findings=records), Assertion("a", "x", "activates", "y", ("f1",), ("f2",)))
    assert {k: parts[k] for k in ("support", "against", "dissent", "score", "studies_for", "studies_against",
                                  "opinions_counted")} == {"support": 0.5, "against": 0.6, "dissent": 1.0,
                                                           "score": 0.2, "studies_for": 1, "studies_against": 1,
                                                           "opinions_counted": 0}
    assert parts["for"] == [{"key": "locator:seed:p1.s1", "kind": "study", "level": "animal_in_vivo",
                             "weight": 0.5, "findings": ["f1"]}]
    assert parts["against_units"] == [{"key": "locator:seed:p2.s1", "kind": "study", "level": "human_observational",
                                       "weight": 0.6, "findings": ["f2"], "factor": 1.0}]
    assert parts["formula"][-1] == "score = 0.500 · (1 − 0.600 · 1.000) = 0.2"


def test_every_edge_carries_its_score(example_dir):
    g = MechGraph.load(example_dir)
    for _, _, key, data in g.nx.edges(keys=True, data=True):
        assert data["score"] == assertion_score(g.model, g.model.assertions[key])
    assert g.nx.edges["drug-x", "protein-p", "a-x-increases-expression-p"]["score"] == 0.417


# -- evidence tables -----------------------------------------------------------------------------

def test_show_evidence_prints_a_table_per_edge(run, example_dir):
    result = run("--graph", example_dir, "show", "protein p", "--evidence")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Protein P / 蛋白P  [Protein]  id: protein-p", "Evidence behind 3 edges (1 out, 2 in)"]
    start = lines.index("← Drug X increases the expression of Protein P   a-x-increases-expression-p")
    assert lines[start + 1] == ("  score 0.417: 1 study for, 1 against, 0 opinions counted; "
                                "best level animal_in_vivo; relation drug-effect")
    header, first, second = lines[start + 2:start + 5]
    assert header.split() == ["direction", "role", "level", "species", "drug,", "dose,", "route", "timepoint",
                              "citation", "locator", "finding"]
    assert first.split() == ["for", "result", "animal_in_vivo", "mouse", "Drug", "X", "10", "mg/kg",
                             "intraperitoneal", "-", "-", "toy-seed", "p5.s1-2", "f-x-p-mouse"]
    assert second.split() == ["no", "effect", "result", "animal_in_vivo", "rat", "Drug", "X", "-", "-", "toy-seed",
                              "p5.s3", "f-x-p-rat-null"]
    # the score can be recomputed by hand from what is printed
    assert "    for     study   animal_in_vivo      w 0.5  locator:toy-seed:p5.s1-2  (f-x-p-mouse)" in lines
    assert "    against study   animal_in_vivo      w 0.25 × 0.5  locator:toy-seed:p5.s3  (f-x-p-rat-null)" in lines
    assert "    score = 0.500 · (1 − 0.250 · 0.667) = 0.417" in lines
    assert header.index("finding") == first.index("f-x-p-mouse") == second.index("f-x-p-rat-null")


def test_evidence_table_cites_studies_and_aligns_chinese_text(tmp_path, run):
    sources = [{"id": "seed-a", "kind": "seed", "file": "a.txt"},
               {"id": "ren-2025", "kind": "study", "authors": ["REN L"], "year": 2025, "cited_in": "seed-a",
                "ref": "10"}]
    entities = [entity("esk", "Drug", "Esketamine"), entity("ppd", "Condition", "Postpartum depression")]
    findings = [
        finding("f-ren", study_type="rct", species=["human"], cites=["ren-2025"], timepoint="产后42 d",
                intervention={"drug": "esk", "dose": "0.25 mg/kg", "route": "intravenous"}),
        finding("f-week1", "no_effect", "rct", species=["human"], study="Ren et al.", timepoint="first week",
                intervention={"drug": "esk"}),
    ]
    directory = write_graph(tmp_path / "g", entities, findings,
                            [assertion("a-esk-ppd", "esk", "prevents", "ppd", supporting=["f-ren"],
                                       refuting=["f-week1"])], sources=sources)
    lines = run("--graph", directory, "show", "esk", "--evidence").stdout.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("direction"))
    rows = lines[lines.index(header) + 1:lines.index(header) + 3]
    assert "REN L 2025 [10]" in rows[0] and "Ren et al." in rows[1]
    assert "产后42 d" in rows[0]
    from mechgraph.cli.evidence_table import width
    assert width(rows[0][:rows[0].index("f-ren")]) == width(header[:header.index("finding")])
    assert width(rows[1][:rows[1].index("f-week1")]) == width(header[:header.index("finding")])


def test_show_evidence_for_an_entity_without_edges(run, example_dir):
    result = run("--graph", example_dir, "show", "island", "--evidence")
    assert result.stdout.splitlines()[1:] == ["Evidence behind 0 edges (0 out, 0 in)", "", "No edges and no findings."]


def _random_model(seed: int) -> Model:
    """Findings of every role, level and direction, sharing cited works, study names, seeds
    and sentences at random, and assertions over them (with ids the model lacks)."""
    import random
    rnd = random.Random(seed)
    study_types = ("meta_analysis", "rct", "clinical_trial", "cohort", "animal_in_vivo", "in_vitro", "review",
                   "guideline", "regulatory", "expert_opinion")
    findings = {}
    for i in range(40):
        study_type = rnd.choice(study_types)
        role = rnd.choice(("", "", "", "recommendation", "background", "opinion" if study_type in
                           ("review", "guideline", "expert_opinion") else ""))
        findings[f"f{i}"] = Finding(
            f"f{i}", rnd.choice(("s1", "s2", "s3")), tuple(rnd.sample(("p1.s1", "p1.s2", "p2.s1"), rnd.randrange(1, 3))),
            study_type, rnd.choice(("supports", "refutes", "no_effect", "mixed")), "s", "s",
            study=rnd.choice(("", "", "Su et al.", "su  ET al.", "Li 2020")),
            cites=tuple(rnd.sample(("c1", "c2", "c3"), rnd.choice((0, 0, 1, 2)))), role=role)
    ids = [*findings, "missing"]
    assertions = {f"a{i}": Assertion(f"a{i}", "x", "treats", "y",
                                     supporting=tuple(rnd.choice(ids) for _ in range(rnd.choice((0, 1, 1, 2, 3, 5)))),
                                     refuting=tuple(rnd.choice(ids) for _ in range(rnd.choice((0, 0, 1, 2, 4)))))
                  for i in range(400)}
    return Model(findings=findings, assertions=assertions)


@pytest.mark.parametrize("seed", range(12))
def test_scores_memoised_by_evidence_shape_equal_the_scores_computed_one_by_one(seed):
    from mechgraph.store.build import edge_numbers, edge_numbers_memo
    model = _random_model(seed)
    numbers = edge_numbers_memo(model)
    shapes = set()
    for a in model.assertions.values():
        shapes.add(numbers(a))
        expected = edge_numbers(model, a)
        assert numbers(a) == (expected["level"], expected["score"]), a
    assert len(shapes) > 10  # the graphs hold many different numbers, so a key too coarse would show


@pytest.mark.parametrize("graph", [None, "tests/data/example-graph"])
def test_scores_memoised_by_evidence_shape_on_the_bundled_and_example_graphs(graph):
    from mechgraph.store.build import edge_numbers, edge_numbers_memo
    from mechgraph.store.topology import Topology
    model = MechGraph.load(graph).model
    numbers = edge_numbers_memo(model)
    for a in model.assertions.values():
        assert numbers(a) == tuple(edge_numbers(model, a).values()), a.id
    topology = Topology.from_model(model)
    assert list(topology.score) == [assertion_score(model, a) for a in model.assertions.values()]
