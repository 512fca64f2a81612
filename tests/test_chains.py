"""Mechanism chains (`mechgraph path`): directed causal chains, never a collider, a common
cause, a structural link or an outcome in the middle; borrowed evidence named; signs
composed; ranked by the weakest step, then length. Checked on constructed graphs and
against a brute-force oracle over networkx."""

from __future__ import annotations

import json
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkgraph import assertion, entity, finding, write_graph

from mechgraph import MechGraph, NoPath
from mechgraph.reasoning.chains import NOT_THROUGH


def load(tmp_path, entities, findings, assertions, name="g") -> MechGraph:
    return MechGraph.load(write_graph(tmp_path / name, entities, findings, assertions))


def ids(path: dict) -> list[str]:
    return [n["id"] if isinstance(n, dict) else n for n in path["nodes"]]


# -- what is and is not a chain -----------------------------------------------------------------------

def test_a_collider_is_a_common_effect_not_a_chain(tmp_path):
    g = load(tmp_path, [entity("a", "Receptor"), entity("b", "Protein"), entity("o", "Phenotype")],
             [finding("f1"), finding("f2")],
             [assertion("a1", "a", "required_for", "o", supporting=["f1"]),
              assertion("a2", "b", "required_for", "o", supporting=["f2"])])
    result = g.path("a", "b")
    assert result["chains_found"] is False
    assert result["note"] == "no mechanism chain between a and b within 4 hops"
    assert [(p["kind"], ids(p)) for p in result["paths"]] == [("common-effect", ["a", "o", "b"])]


def test_two_effects_of_one_drug_are_a_common_cause_not_a_chain(tmp_path):
    g = load(tmp_path, [entity("d", "Drug"), entity("r", "Receptor"), entity("b", "Protein")],
             [finding("f1"), finding("f2")],
             [assertion("a1", "d", "antagonizes", "r", supporting=["f1"]),
              assertion("a2", "d", "increases_release", "b", supporting=["f2"])])
    result = g.path("r", "b")
    assert result["chains_found"] is False
    assert [(p["kind"], ids(p)) for p in result["paths"]] == [("common-cause", ["r", "d", "b"])]


@pytest.mark.parametrize("middle_type", sorted(NOT_THROUGH))
def test_a_chain_never_passes_through_a_drug_or_an_outcome(tmp_path, middle_type):
    g = load(tmp_path, [entity("a", "Protein"), entity("m", middle_type), entity("b", "Protein")],
             [finding("f1"), finding("f2")],
             [assertion("a1", "a", "activates", "m", supporting=["f1"], relation="causal"),
              assertion("a2", "m", "activates", "b", supporting=["f2"], relation="causal")])
    result = g.path("a", "b")
    assert result["chains_found"] is False
    assert result["paths"][0]["kind"] == "association"


def test_the_same_steps_through_a_protein_are_a_chain(tmp_path):
    g = load(tmp_path, [entity("a", "Protein"), entity("m", "Enzyme"), entity("b", "Protein")],
             [finding("f1"), finding("f2")],
             [assertion("a1", "a", "activates", "m", supporting=["f1"]),
              assertion("a2", "m", "inhibits", "b", supporting=["f2"])])
    [chain] = g.path("a", "b")["paths"]
    assert chain["kind"] == "chain" and ids(chain) == ["a", "m", "b"] and chain["sign"] == "-"
    assert [h["relation"] for h in chain["hops"]] == ["causal", "causal"]


def test_structural_links_never_carry_evidence_between_drugs(tmp_path):
    """esketamine part_of ketamine, ketamine activates mTOR: no chain from esketamine to mTOR."""
    g = load(tmp_path, [entity("esk", "Drug"), entity("ket", "Drug"), entity("mtor", "Enzyme")],
             [finding("f1"), finding("f2", intervention={"drug": "ket"})],
             [assertion("a1", "esk", "part_of", "ket", supporting=["f1"]),
              assertion("a2", "ket", "activates", "mtor", supporting=["f2"])])
    result = g.path("esk", "mtor")
    assert result["chains_found"] is False
    [other] = result["paths"]
    assert other["kind"] == "association"
    assert other["hops"][1]["borrowed"] is True and other["hops"][1]["borrowed_from"] == ["ket"]


def test_only_a_drug_at_the_start_may_take_a_drug_target_step(tmp_path):
    """r <- d2 (antagonizes) is a drug-target step of d2; it is no step of a chain from x."""
    g = load(tmp_path, [entity("x", "Protein"), entity("d2", "Compound"), entity("r", "Receptor"),
                        entity("d", "Drug")],
             [finding("f1"), finding("f2"), finding("f3")],
             [assertion("a1", "x", "activates", "d2", supporting=["f1"], relation="causal"),
              assertion("a2", "d2", "antagonizes", "r", supporting=["f2"]),
              assertion("a3", "d", "antagonizes", "r", supporting=["f3"])])
    assert g.path("x", "r")["chains_found"] is False
    [chain] = g.path("d", "r")["paths"]
    assert chain["hops"][0]["relation"] == "drug-target"


def test_a_refuted_only_step_is_never_walked(tmp_path):
    g = load(tmp_path, [entity("a", "Protein"), entity("b", "Protein")],
             [finding("f1", "refutes")], [assertion("a1", "a", "activates", "b", refuting=["f1"])])
    with pytest.raises(NoPath, match="no mechanism chain between a and b within 4 hops, and no other connection"):
        g.path("a", "b")


def test_a_chain_from_target_to_source_is_reported_as_reverse(tmp_path):
    g = load(tmp_path, [entity("a", "Protein"), entity("b", "Protein")],
             [finding("f1")], [assertion("a1", "a", "activates", "b", supporting=["f1"])])
    [chain] = g.path("b", "a")["paths"]
    assert chain["direction"] == "reverse" and ids(chain) == ["a", "b"]


# -- signs, borrowed evidence, ranking ----------------------------------------------------------------

@pytest.fixture
def cascade(tmp_path) -> MechGraph:
    """esk -| NMDAR -| X -> BDNF (esk's own mouse study, then ketamine in rats, then no drug),
    a direct esk -> BDNF effect, and a one-step opinion shortcut NMDAR -| BDNF."""
    entities = [entity("esk", "Drug", "Esketamine"), entity("ket", "Drug", "Ketamine"),
                entity("nmdar", "Receptor", "NMDAR"), entity("x", "Enzyme", "Kinase X"),
                entity("bdnf", "Protein", "BDNF")]
    findings = [finding("f-esk-nmdar", species=["mouse"], intervention={"drug": "esk", "dose": "10 mg/kg",
                                                                          "route": "intraperitoneal"}),
                finding("f-ket-x", species=["rat"], intervention={"drug": "ket"}),
                finding("f-x-bdnf", species=["mouse"]),
                finding("f-esk-bdnf", species=["mouse"], intervention={"drug": "esk"}),
                finding("f-opinion", study_type="review", role="opinion")]
    assertions = [assertion("a-esk-nmdar", "esk", "antagonizes", "nmdar", supporting=["f-esk-nmdar"]),
                  assertion("a-nmdar-x", "nmdar", "inhibits", "x", supporting=["f-ket-x"]),
                  assertion("a-x-bdnf", "x", "increases_expression", "bdnf", supporting=["f-x-bdnf"]),
                  assertion("a-esk-bdnf", "esk", "increases_release", "bdnf", supporting=["f-esk-bdnf"]),
                  assertion("a-nmdar-bdnf", "nmdar", "decreases", "bdnf", supporting=["f-opinion"])]
    return load(tmp_path, entities, findings, assertions)


def test_signs_compose_along_the_chain(cascade):
    chains = cascade.path("esk", "bdnf", k=5)["paths"]
    long = next(c for c in chains if ids(c) == ["esk", "nmdar", "x", "bdnf"])
    assert [h["sign"] for h in long["hops"]] == ["-", "-", "+"]
    assert long["sign"] == "+"
    assert long["agrees"] == ["a-esk-bdnf"] and long["contradicts"] == []
    short = next(c for c in chains if ids(c) == ["esk", "nmdar", "bdnf"])
    assert short["sign"] == "+"


def test_each_step_names_the_drug_behind_it_and_borrowed_evidence(cascade):
    chain = next(c for c in cascade.path("esk", "bdnf", k=5)["paths"] if ids(c) == ["esk", "nmdar", "x", "bdnf"])
    steps = [(h["drugs"], h["borrowed"], h["borrowed_from"]) for h in chain["hops"]]
    assert steps == [(["esk"], False, []), (["ket"], True, ["ket"]), ([], False, [])]
    assert chain["hops"][0]["doses"] == ["Esketamine 10 mg/kg intraperitoneal"]
    assert chain["borrowed"] is True


def test_the_drug_option_sets_what_borrowed_means(cascade):
    [chain] = [c for c in cascade.path("nmdar", "bdnf", k=5, drug="ket")["paths"] if len(c["hops"]) == 2]
    assert [h["borrowed"] for h in chain["hops"]] == [False, False]
    [chain] = [c for c in cascade.path("nmdar", "bdnf", k=5, drug="esk")["paths"] if len(c["hops"]) == 2]
    assert [h["borrowed"] for h in chain["hops"]] == [True, False]
    plain = cascade.path("nmdar", "bdnf", k=5)["paths"]
    assert not any(h["borrowed"] for c in plain for h in c["hops"]), "no drug end, no --drug: nothing borrowed"


def test_a_long_well_evidenced_chain_beats_a_short_guess(cascade):
    chains = cascade.path("nmdar", "bdnf", k=5)["paths"]
    assert [ids(c) for c in chains] == [["nmdar", "x", "bdnf"], ["nmdar", "bdnf"]]
    assert [c["score"] for c in chains] == [0.5, 0.2]


def test_chain_text_shows_every_step_with_its_evidence(run, cascade):
    out = run("--graph", cascade.model.root, "path", "Esketamine", "BDNF", "-k", "5").stdout
    assert "1. Esketamine → BDNF   [chain, 1 step(s), net effect +, weakest step 0.5]" in out
    assert "   step 2: NMDAR —inhibits (−)→ Kinase X   [causal]" in out
    assert "      drugs tested: Ketamine  ! borrowed: no experiment with the drug of this path shows this step" in out
    assert "      dose: Esketamine 10 mg/kg intraperitoneal" in out
    assert "      drugs tested: none (a step seen without a drug)" in out


def test_chain_json_shape(run, cascade):
    data = json.loads(run("--graph", cascade.model.root, "path", "esk", "bdnf", "--json").stdout)
    assert data["relation"] == "chain" and data["chains_found"] is True and data["note"] is None
    for path in data["paths"]:
        assert set(path) >= {"kind", "sign", "direction", "nodes", "hops", "score", "borrowed"}
        for hop in path["hops"]:
            assert set(hop) >= {"relation", "drugs", "borrowed", "refuting", "supporting", "level", "score"}


def test_no_chain_says_so_in_one_line_then_shows_labelled_connections(run, tmp_path):
    g = load(tmp_path, [entity("a", "Receptor"), entity("b", "Protein"), entity("o", "Phenotype")],
             [finding("f1"), finding("f2")],
             [assertion("a1", "a", "required_for", "o", supporting=["f1"]),
              assertion("a2", "b", "required_for", "o", supporting=["f2"])])
    result = run("--graph", g.model.root, "path", "a", "b")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["a → b: 1 connection(s)",
                         "no mechanism chain between a and b within 4 hops; the best other connections, labelled:"]
    assert lines[3].startswith("1. a — o — b   [common effect (two causes of one outcome")


# -- differential: the search against a brute-force oracle ------------------------------------------------

TYPES = ["Protein", "Enzyme", "Receptor", "Drug", "Phenotype", "Process"]
PREDICATES = ["activates", "inhibits", "increases", "part_of", "associated_with", "antagonizes"]
LEVELS = ["animal_in_vivo", "in_vitro", "review", "rct"]


@st.composite
def graphs(draw):
    n = draw(st.integers(3, 7))
    types = [draw(st.sampled_from(TYPES)) for _ in range(n)]
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(PREDICATES),
                                    st.sampled_from(LEVELS), st.integers(1, 2)), min_size=1, max_size=14))
    return types, [e for e in edges if e[0] != e[1]]


def oracle(g: MechGraph, source: str, target: str, max_hops: int, k: int) -> list[tuple]:
    """Every simple directed path over the rules, by brute force on networkx, ranked."""
    m = g.model
    drugs = {"Drug", "Compound", "Metabolite"}
    best: dict[tuple[str, str], tuple] = {}
    for a in m.assertions.values():
        data = g.nx.edges[a.subject, a.object, a.id]
        if not data["supporting"]:
            continue
        key = (data["score"], -["meta_analysis", "rct", "clinical_trial", "human_observational", "animal_in_vivo",
                                "in_vitro", "review_opinion"].index(data["level"]))
        best.setdefault((a.subject, a.object, data["relation"]), [])
        best[(a.subject, a.object, data["relation"])].append(key)
    found = []
    for start, end in ((source, target), (target, source)):
        simple = nx.DiGraph()
        for (u, v, relation), keys in best.items():
            ok = relation == "causal" or (relation in ("drug-target", "drug-effect") and u == start
                                          and m.entities[u].type in drugs)
            middle_ok = all(n in (start, end) or m.entities[n].type not in NOT_THROUGH for n in (u, v))
            if ok and middle_ok and v != start and u != end:
                current = simple.get_edge_data(u, v, {}).get("key")
                if current is None or max(keys) > current:
                    simple.add_edge(u, v, key=max(keys))
        if start in simple and end in simple:
            for nodes in nx.all_simple_paths(simple, start, end, cutoff=max_hops):
                keys = [simple.edges[u, v]["key"] for u, v in pairwise(nodes)]
                weakest = min(keys)
                found.append((-weakest[0], len(nodes), -min(k2 for _, k2 in keys), nodes))
    found.sort()
    return [(-s, nodes) for s, _, _, nodes in found[:k]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graphs(), st.integers(1, 4), st.integers(1, 6))
def test_chains_equal_a_brute_force_oracle(tmp_path_factory, spec, max_hops, k):
    types, edges = spec
    entities = [entity(f"n{i}", t) for i, t in enumerate(types)]
    findings, assertions = [], []
    for number, (u, v, predicate, level, copies) in enumerate(edges):
        fids = [f"f{number}-{c}" for c in range(copies)]
        role = {"role": "opinion"} if level == "review" else {}
        findings += [finding(fid, study_type=level, **role) for fid in fids]
        assertions.append(assertion(f"a{number}", f"n{u}", predicate, f"n{v}", supporting=fids))
    g = load(tmp_path_factory.mktemp("g"), entities, findings, assertions)
    source, target = "n0", f"n{len(types) - 1}"
    expected = oracle(g, source, target, max_hops, k)
    result = g.path(source, target, max_hops=max_hops, k=k) if expected else None
    if not expected:
        assert g.path(source, target, max_hops=max_hops, k=k)["chains_found"] is False \
            if _any_connection(g, source, target, max_hops) else True
        return
    got = [(p["score"], ids(p)) for p in result["paths"]]
    assert got == expected


def _any_connection(g, source, target, max_hops) -> bool:
    try:
        g.path(source, target, max_hops=max_hops, relation="any")
    except NoPath:
        return False
    return True


# -- signed consistency: a drug's direct effect against its chains -----------------------------------------

def test_a_chain_whose_sign_contradicts_the_direct_effect_is_a_conflict(tmp_path, run):
    from mechgraph.reasoning.conflicts import find_conflicts
    g = load(tmp_path, [entity("d", "Drug", "Drug D"), entity("r", "Receptor", "R"), entity("b", "Protein", "B"),
                        entity("k", "Enzyme", "K")],
             [finding("f1", species=["mouse"], intervention={"drug": "d"}), finding("f2", species=["rat"]),
              finding("f3", species=["rat"], intervention={"drug": "d"}), finding("f4"), finding("f5")],
             [assertion("a-direct", "d", "increases_release", "b", supporting=["f1"]),
              assertion("a-dr", "d", "antagonizes", "r", supporting=["f3"]),
              assertion("a-rb", "r", "activates", "b", supporting=["f2"]),
              assertion("a-dk", "d", "activates", "k", supporting=["f4"]),
              assertion("a-kb", "k", "increases", "b", supporting=["f5"])])
    found = find_conflicts(g.model, topology=g.topology, kinds=("chain_sign",))
    assert [(c["assertion"]["id"], c["chain"]["nodes"], c["chain"]["sign"]) for c in found] == \
        [("a-direct", ["d", "r", "b"], "-")]
    assert found[0]["classification"] == "context" and "species" in found[0]["contexts"]
    assert find_conflicts(g.model, kinds=("chain_sign",)) == [], "without a topology no chain is sought"
    paths = {tuple(ids(p)): p for p in g.path("d", "b", k=5)["paths"]}
    assert paths[("d", "r", "b")]["contradicts"] == ["a-direct"]
    assert paths[("d", "k", "b")]["agrees"] == ["a-direct"]
    out = run("--graph", g.model.root, "conflicts", "--kind", "chain_sign").stdout
    assert "chain sign: Drug D increases the release of B (a-direct, score 0.5)  vs  the chain d → r → b (net -)" \
        in out


def _before_of_one_search(search, v: int) -> list[int]:
    """ChainSearch.before as one search alone works it out (the reference: every edge into
    ``v`` read with this search's ends)."""
    from mechgraph.reasoning.chains import _CLOSED, _FIRST, _STEP
    t = search.t
    if not search.passable(v):
        return []
    found, seen = [], set()
    for e in t.into(v):
        u = t.subject[e]
        if u in (v, search.end) or u in seen or t.refuted[e] or t.rank[e] < search.floor \
                or t.score[e] < search.min_score:
            continue
        kind = t.relation[e]
        if kind not in _STEP and not (kind in _FIRST and u == search.start and search.start_is_drug):
            continue
        if u == search.start or u == search.end or t.types[u] not in _CLOSED:
            seen.add(u)
            found.append(u)
    return found


@pytest.fixture(scope="module")
def closed_steps(tmp_path_factory):
    """A graph where entities a chain may not pass through (a metabolite, a phenotype, a second
    drug) have causal steps into others, beside a drug's targets and a chain."""
    entities = [entity("d", "Drug"), entity("d2", "Drug"), entity("m", "Metabolite"), entity("ph", "Phenotype"),
                entity("p"), entity("q"), entity("r")]
    steps = [("d", "inhibits", "p"), ("d", "increases", "q"), ("p", "increases", "q"), ("m", "increases", "q"),
             ("ph", "decreases", "r"), ("q", "increases", "r"), ("d2", "increases", "q"), ("m", "activates", "p"),
             ("d", "metabolized_to", "m"), ("r", "increases", "p")]
    findings = [finding(f"f{i}") for i in range(len(steps))]
    assertions = [assertion(f"a{i}", s, p, o, supporting=[f"f{i}"]) for i, (s, p, o) in enumerate(steps)]
    return write_graph(tmp_path_factory.mktemp("closed"), entities, findings, assertions)


@pytest.mark.parametrize("graph_dir", [None, "example-graph", "hostile-graph", "kgx-graph", "closed"])
@pytest.mark.parametrize("floor,min_score", [(0, 0.0), (3, 0.0), (0, 0.45)])
def test_steps_into_an_entity_shared_between_searches_are_each_search_own(graph_dir, floor, min_score, closed_steps):
    from conftest import DATA
    from mechgraph.reasoning.chains import ChainSearch
    folder = closed_steps if graph_dir == "closed" else DATA / graph_dir if graph_dir else None
    t = (MechGraph.load(folder) if folder else MechGraph.load()).topology
    nodes = range(len(t.nodes))
    starts = [n for n in nodes if t.out_of(n)][::3][:40] + [n for n in nodes if t.type_of(n) in ("Drug", "Compound")]
    starts += list(nodes) if len(nodes) < 10 else []
    checked = 0
    for start in dict.fromkeys(starts):
        for end in list(nodes)[::7][:30] + [start]:
            search = ChainSearch(t, start, end, floor, min_score)
            for v in nodes:
                mine, expected = search.before(v), _before_of_one_search(search, v)
                assert sorted(mine) == sorted(expected) and len(set(mine)) == len(mine), (start, end, v)
                checked += bool(expected)
            reference = ChainSearch(t, start, end, floor, min_score)
            reference.before = lambda v, s=reference: _before_of_one_search(s, v)
            assert search.distances_to_end(4) == reference.distances_to_end(4)
    assert checked >= {None: 500, "closed": 5}.get(graph_dir, 0)  # the other small graphs: compared, if few steps


def test_the_shared_step_lists_are_kept_for_a_few_filters_only():
    from mechgraph.reasoning import chains
    t = MechGraph.load().topology
    chains._COMMON_BEFORES.pop(t, None)
    first = chains._common_befores(t, 0, 0.0)
    for score in (0.1, 0.2, 0.3, 0.4, 0.5):
        chains._common_befores(t, 0, score)
    kept = chains._COMMON_BEFORES[t]
    assert len(kept) == chains.COMMON_FILTERS_KEPT and (0, 0.0) not in kept
    assert chains._common_befores(t, 0, 0.5) is kept[(0, 0.5)] and first is not chains._common_befores(t, 0, 0.0)
