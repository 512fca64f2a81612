"""`explain` looks for disagreements only around its chains' steps
(:func:`mechgraph.reasoning.conflicts.conflicts_touching`), and families of related
entities are found through a word index instead of comparing every pair of names.
Both are checked against the whole-graph reference they replace: on the bundled graph
and on random graphs, the disagreements naming a set of assertions are those of
``find_conflicts`` over the whole graph kept when they name one (same items, same order),
explain's conflicts per family are those the whole-graph search gave, and the families
are those of the pairwise comparison."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from mkgraph import assertion, entity, finding, write_graph

from mechgraph import MechGraph, NoPath
from mechgraph.model.families import NAMED_FAMILIES, families, label_words
from mechgraph.reasoning.conflicts import KINDS, _Finder, conflicts_touching, find_conflicts
from mechgraph.reasoning.explain import _conflict_line, explain


def names(item: dict) -> list[str]:
    """The assertion ids a disagreement names (what explain indexes it by)."""
    if "id" not in item["assertion"]:
        return []
    return [i for i in (item["assertion"]["id"], (item.get("opposing") or {}).get("id"),
                        *(item.get("chain") or {}).get("hops", ())) if i]


def whole_graph(graph: MechGraph, wanted: set[str]) -> list[dict]:
    """The reference: every disagreement of the graph, kept when it names one of ``wanted``."""
    return [c for c in find_conflicts(graph.model, topology=graph.topology) if wanted.intersection(names(c))]


def explain_reference(graph: MechGraph, result: dict) -> dict[str, list[dict]]:
    """Each family's conflicts as explain listed them from the whole-graph search."""
    index: dict[str, list[dict]] = {}
    for item in find_conflicts(graph.model, topology=graph.topology):
        for aid in names(item):
            index.setdefault(aid, []).append(item)
    out = {}
    for family in result["families"]:
        steps: set[str] = set()
        for chain in family["_all_chains"]:
            steps.update(h["assertion"] for h in chain["hops"])
        touching = {}
        for aid in sorted(steps):
            for item in index.get(aid, ()):
                touching[(item["kind"], item["assertion"]["id"], (item.get("opposing") or {}).get("id"))] = item
        out[family["id"]] = [_conflict_line(c) for c in touching.values()]
    return out


def explained_with_chains(graph: MechGraph, drug: str, **options) -> dict:
    """explain's result, each family also holding every chain it grouped (not only those shown)."""
    result = explain(graph, drug, chains_per_family=10_000, **options)
    for family in result["families"]:
        family["_all_chains"] = family["chains"]
    return result


# -- random graphs -------------------------------------------------------------------------------

DRUG_NAMES = ["Ketamine", "Esketamine", "Ketamine or esketamine (pooled)", "Arketamine", "Lithium",
              "Lithium carbonate", "Hydroxynorketamine", "Norketamine"]
RECEPTOR_NAMES = ["Opioid receptors", "Mu-opioid receptor", "Kappa-opioid receptor", "NMDA receptor",
                  "NMDA receptor GluN2B", "AMPA receptor"]
SIGNED = ["activates", "inhibits", "increases", "decreases", "increases_expression", "decreases_expression",
          "required_for", "not_required_for", "antagonizes", "agonizes", "positively_correlated_with",
          "negatively_correlated_with"]
STUDIES = ["animal_in_vivo", "rct", "in_vitro", "cohort", "review"]
SPECIES = ["mouse", "rat", "human"]


def random_graph(directory, seed: int) -> tuple[MechGraph, list[str]]:
    """A graph of drugs (some enantiomers, some named alike), receptors, proteins and
    outcomes, with assertions backed by findings on both sides in varied contexts: every
    kind of disagreement occurs. Returns the graph and its drugs."""
    rnd = random.Random(seed)
    drugs = [f"drug{i}" for i in range(rnd.randrange(2, 6))]
    receptors = [f"rec{i}" for i in range(rnd.randrange(1, 4))]
    proteins = [f"prot{i}" for i in range(rnd.randrange(2, 6))]
    outcomes = [f"out{i}" for i in range(rnd.randrange(1, 3))]
    used: set[str] = set()

    def name(choices: list[str], i: int) -> str:
        chosen = rnd.choice(choices)
        chosen = chosen if chosen not in used and rnd.random() < 0.7 else f"{chosen} {i}"
        used.add(chosen)
        return chosen

    entities = [entity(d, "Drug", name(DRUG_NAMES, i)) for i, d in enumerate(drugs)]
    entities += [entity(r, "Receptor", name(RECEPTOR_NAMES, i)) for i, r in enumerate(receptors)]
    entities += [entity(p, "Protein") for p in proteins]
    entities += [entity(o, rnd.choice(["Phenotype", "Condition"])) for o in outcomes]
    findings, assertions = [], []

    def evidence(prefix: str, count: int, direction: str) -> list[str]:
        ids = []
        for n in range(count):
            fid = f"{prefix}-{direction[0]}{n}"
            fields: dict = {"species": [rnd.choice(SPECIES)]}
            if rnd.random() < 0.7:
                fields["intervention"] = {"drug": rnd.choice(drugs)}
            if rnd.random() < 0.3:
                fields["sex"] = rnd.choice(["male", "female"])
            findings.append(finding(fid, direction, rnd.choice(STUDIES), **fields))
            ids.append(fid)
        return ids

    def add(subject: str, predicate: str, obj: str) -> None:
        aid = f"a{len(assertions)}"
        pro = evidence(aid, rnd.choice([0, 1, 1, 2]), "supports")
        con = evidence(aid, rnd.choice([0, 0, 1, 2]), "refutes")
        if not pro and not con:
            pro = evidence(aid, 1, "supports")
        assertions.append(assertion(aid, subject, predicate, obj, supporting=pro, refuting=con))

    for x, y in combinations(drugs, 2):
        if rnd.random() < 0.3:
            add(x, rnd.choice(["enantiomer_of", "part_of"]), y)
    inner = receptors + proteins
    for _ in range(rnd.randrange(8, 30)):
        kind = rnd.random()
        if kind < 0.3:
            add(rnd.choice(drugs), rnd.choice(SIGNED), rnd.choice(inner + outcomes))
        elif kind < 0.8:
            u, v = rnd.choice(inner), rnd.choice(inner + outcomes)
            if u != v:
                add(u, rnd.choice(SIGNED), v)
        elif assertions:  # a second claim between ends already linked: the two-assertion kinds
            a = rnd.choice(assertions)
            add(a["subject"], rnd.choice(SIGNED), a["object"])
    return MechGraph.load(write_graph(directory, entities, findings, assertions)), drugs


@pytest.mark.parametrize("seed", range(40))
def test_the_conflicts_naming_some_assertions_are_the_whole_graph_search_kept_for_them(tmp_path, seed):
    graph, _ = random_graph(tmp_path / "g", seed)
    every = list(graph.model.assertions)
    rnd = random.Random(seed)
    kinds = set()
    for size in (1, 3, len(every) // 2, len(every)):
        wanted = set(rnd.sample(every, min(size, len(every))))
        expected = whole_graph(graph, wanted)
        assert conflicts_touching(graph.model, graph.topology, wanted) == expected
        kinds.update(c["kind"] for c in expected)
    assert conflicts_touching(graph.model, graph.topology, ["no-such-assertion"]) == []


def test_random_graphs_hold_every_kind_the_search_looks_for(tmp_path):
    """The differential test above would prove little if the random graphs held no disagreement of a kind."""
    kinds = set()
    for seed in range(40):
        graph, _ = random_graph(tmp_path / f"g{seed}", seed)
        kinds.update(c["kind"] for c in find_conflicts(graph.model, topology=graph.topology))
    assert kinds >= {"mixed_evidence", "opposite_sign", "opposite_verdict", "chain_sign"}


NOT_CHAINS = tuple(k for k in KINDS if k != "chain_sign")


def record_walk_chain_signs(graph: MechGraph) -> list[dict]:
    """The reference for ``chain_sign``: every assertion of the model tried as a drug's
    direct effect, its chains described by ``mechanism_chains``."""
    found = _Finder(graph.model).chain_signs(graph.topology)
    for item in found:
        del item["_entities"]
    return found


@pytest.mark.parametrize("seed", range(40))
def test_the_whole_graph_search_on_the_topology_finds_what_walking_every_record_finds(tmp_path, seed):
    """Given the topology, one pass over the records chooses what each kind reads again, and
    the subjects' families are followed from the entities met; without it, each kind walks
    every record and the families are worked out for the whole graph first. Same items, same order."""
    graph, drugs = random_graph(tmp_path / "g", seed)
    on_topology = find_conflicts(graph.model, topology=graph.topology)
    assert [c for c in on_topology if c["kind"] != "chain_sign"] == find_conflicts(graph.model, kinds=NOT_CHAINS)
    assert [c for c in on_topology if c["kind"] == "chain_sign"] == record_walk_chain_signs(graph)
    for kind in KINDS:
        assert find_conflicts(graph.model, topology=graph.topology, kinds=(kind,)) == \
            [c for c in on_topology if c["kind"] == kind]
    for entity_id in drugs[:2]:
        assert find_conflicts(graph.model, topology=graph.topology, entity=entity_id, kinds=NOT_CHAINS) == \
            find_conflicts(graph.model, entity=entity_id, kinds=NOT_CHAINS)


def test_the_whole_graph_search_on_the_topology_of_the_bundled_and_test_graphs(tmp_path):
    """The same on the bundled graph (the one with quantities and mixed evidence) and the
    test graphs, cached: their records read from the store."""
    met = set()
    for folder in (None, "tests/data/example-graph", "tests/data/kgx-graph", "tests/data/hostile-graph"):
        graph = MechGraph.load(folder)
        on_topology = find_conflicts(graph.model, topology=graph.topology)
        assert [c for c in on_topology if c["kind"] != "chain_sign"] == find_conflicts(graph.model, kinds=NOT_CHAINS)
        assert [c for c in on_topology if c["kind"] == "chain_sign"] == record_walk_chain_signs(graph)
        met.update(c["kind"] for c in on_topology)
    assert {"mixed_evidence", "opposite_verdict", "quantity"} <= met


@pytest.mark.parametrize("seed", range(40))
def test_explain_lists_the_conflicts_the_whole_graph_search_gave(tmp_path, seed):
    graph, drugs = random_graph(tmp_path / "g", seed)
    for drug in drugs:
        try:
            result = explained_with_chains(graph, drug, max_hops=4)
        except NoPath:
            continue
        expected = explain_reference(graph, result)
        assert {f["id"]: f["conflicts"] for f in result["families"]} == expected


def test_explain_on_the_bundled_graph_lists_the_conflicts_the_whole_graph_search_gave():
    graph = MechGraph.load()
    met = []
    for drug in ("esketamine", "ketamine", "arketamine"):
        result = explained_with_chains(graph, drug)
        expected = explain_reference(graph, result)
        assert {f["id"]: f["conflicts"] for f in result["families"]} == expected
        met += [c["kind"] for listed in expected.values() for c in listed]
        steps = {h["assertion"] for f in result["families"] for c in f["_all_chains"] for h in c["hops"]}
        assert conflicts_touching(graph.model, graph.topology, steps) == whole_graph(graph, steps)
    assert {"mixed_evidence", "opposite_verdict"} <= set(met), "the bundled graph's chains meet disagreements"


def test_the_bundled_graphs_conflicts_around_every_assertion_are_the_whole_graph_search():
    graph = MechGraph.load()
    every = find_conflicts(graph.model, topology=graph.topology)
    kinds = set()
    for aid in graph.model.assertions:
        expected = [c for c in every if aid in names(c)]
        assert conflicts_touching(graph.model, graph.topology, [aid]) == expected
        kinds.update(c["kind"] for c in expected)
    assert kinds == {c["kind"] for c in every} - {"quantity"}


# -- families: the word index against every pair ------------------------------------------------

def pairwise_families(model) -> tuple[dict[str, str], set[frozenset]]:
    """The reference: the families of ``families`` with every pair of names compared."""
    ids = [i for i, e in model.entities.items() if e.type in NAMED_FAMILIES]
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    drugs = {i for i in ids if model.entities[i].type == "Drug"}
    for a in model.assertions.values():
        if a.predicate in ("enantiomer_of", "part_of") and a.subject in drugs and a.object in drugs and a.supporting:
            parent[find(a.subject)] = find(a.object)
    chiral: dict[str, set[str]] = {}
    for d in drugs:
        chiral.setdefault(find(d), set()).add(d)
    enantiomers = {frozenset(p) for group in chiral.values() for p in combinations(sorted(group), 2)}
    words = {i: label_words(model.entities[i]) for i in ids}
    for x, y in combinations(ids, 2):
        if model.entities[x].type == model.entities[y].type and \
                any(wx <= wy or wy <= wx for wx in words[x] for wy in words[y]):
            parent[find(x)] = find(y)
    return {i: find(i) for i in ids}, enantiomers


def test_families_are_those_of_comparing_every_pair(tmp_path):
    found_family = False
    for seed in range(40):
        graph, _ = random_graph(tmp_path / f"g{seed}", seed)
        assert families(graph.model) == pairwise_families(graph.model)
        found_family |= len(set(families(graph.model)[0].values())) < len(families(graph.model)[0])
    assert found_family, "some random graph has a family of more than one entity"
    bundled = MechGraph.load().model
    assert families(bundled) == pairwise_families(bundled)


def test_families_by_name_follow_long_names_and_chains_of_inclusion(tmp_path):
    long_name = " ".join(f"word{i}" for i in range(20))  # more words than subsets are enumerated for
    entities = [entity("k", "Drug", "Ketamine"), entity("e", "Drug", "Esketamine"),
                entity("pooled", "Drug", "Ketamine or esketamine (pooled)"), entity("li", "Drug", "Lithium"),
                entity("long", "Receptor", long_name), entity("short", "Receptor", "word3 word17"),
                entity("k-rec", "Receptor", "Ketamine receptor")]
    graph = MechGraph.load(write_graph(tmp_path / "g", entities, [], []))
    family, _ = families(graph.model)
    assert family == pairwise_families(graph.model)[0]
    assert family["k"] == family["e"] == family["pooled"] != family["li"]
    assert family["long"] == family["short"] != family["k-rec"]


def test_a_four_step_chain_against_a_direct_effect_is_found_from_any_of_its_steps(tmp_path):
    """The drug's direct effect lies outside the steps asked about: it is found by walking
    back from each step to the drug and on to the effect, however far along the chain the step is."""
    entities = [entity("d", "Drug"), entity("r", "Receptor"), entity("p1"), entity("p2"), entity("p3"),
                entity("o", "Phenotype")]
    findings = [finding(f"f{i}", intervention={"drug": "d"}) for i in range(5)]
    assertions = [assertion("direct", "d", "increases", "o", supporting=["f0"]),
                  assertion("s1", "d", "antagonizes", "r", supporting=["f1"]),
                  assertion("s2", "r", "activates", "p1", supporting=["f2"]),
                  assertion("s3", "p1", "activates", "p2", supporting=["f3"]),
                  assertion("s4", "p2", "activates", "o", supporting=["f4"])]
    graph = MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions))
    [item] = find_conflicts(graph.model, topology=graph.topology)
    assert item["kind"] == "chain_sign" and item["chain"]["hops"] == ["s1", "s2", "s3", "s4"]
    for step in ("s1", "s2", "s3", "s4", "direct"):
        assert conflicts_touching(graph.model, graph.topology, [step]) == [item]


def test_a_drug_effect_with_some_evidence_against_it_is_still_compared_with_its_chains(tmp_path):
    """Two studies for the direct effect and one against: the evidence for outweighs, so
    the effect is compared with its chain (over the whole graph and around any step)."""
    entities = [entity("d", "Drug"), entity("r", "Receptor"), entity("o", "Phenotype")]
    findings = [finding("for-1", intervention={"drug": "d"}), finding("for-2", intervention={"drug": "d"}),
                finding("against", "refutes", intervention={"drug": "d"}),
                finding("f1", intervention={"drug": "d"}), finding("f2", intervention={"drug": "d"})]
    assertions = [assertion("direct", "d", "increases", "o", supporting=["for-1", "for-2"], refuting=["against"]),
                  assertion("s1", "d", "antagonizes", "r", supporting=["f1"]),
                  assertion("s2", "r", "activates", "o", supporting=["f2"])]
    graph = MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions))
    found = find_conflicts(graph.model, topology=graph.topology, kinds=("chain_sign",))
    assert [(c["assertion"]["id"], c["chain"]["hops"]) for c in found] == [("direct", ["s1", "s2"])]
    assert found == record_walk_chain_signs(graph)
    for aid in ("direct", "s1", "s2"):
        assert [c for c in conflicts_touching(graph.model, graph.topology, [aid]) if c["kind"] == "chain_sign"] == found


def test_a_drug_effect_with_more_chains_than_are_compared_keeps_the_five_best(tmp_path):
    """Seven chains against one direct effect: the five compared (the effect itself among
    them) are the best by the weakest step's evidence, then length (three long
    well-evidenced chains before four short weak ones), found around any of their steps as
    over the whole graph."""
    entities = [entity("d", "Drug"), entity("o", "Phenotype")]
    entities += [entity(f"a{i}") for i in range(4)] + [entity(f"b{j}") for j in range(3)]
    entities += [entity(f"c{j}") for j in range(3)]
    findings = [finding("f-direct", study_type="rct", intervention={"drug": "d"})]
    assertions = [assertion("direct", "d", "increases", "o", supporting=["f-direct"])]

    def step(aid: str, subject: str, predicate: str, obj: str, study: str) -> None:
        findings.append(finding(f"f-{aid}", study_type=study, intervention={"drug": "d"}))
        assertions.append(assertion(aid, subject, predicate, obj, supporting=[f"f-{aid}"]))

    for i in range(4):
        step(f"short{i}-1", "d", "decreases", f"a{i}", "review")
        step(f"short{i}-2", f"a{i}", "activates", "o", "review")
    for j in range(3):
        step(f"long{j}-1", "d", "decreases", f"b{j}", "rct")
        step(f"long{j}-2", f"b{j}", "activates", f"c{j}", "rct")
        step(f"long{j}-3", f"c{j}", "activates", "o", "rct")
    graph = MechGraph.load(write_graph(tmp_path / "g", entities, findings, assertions))
    every = find_conflicts(graph.model, topology=graph.topology)
    chains = [c["chain"]["nodes"] for c in every if c["kind"] == "chain_sign"]
    assert len(chains) == 4 and sum(len(nodes) == 4 for nodes in chains) == 3  # the fifth best: the effect itself
    for aid in graph.model.assertions:
        assert conflicts_touching(graph.model, graph.topology, [aid]) == [c for c in every if aid in names(c)]


@pytest.mark.parametrize("seed", range(20))
def test_searches_sharing_a_starts_rows_find_what_searches_of_their_own_find(tmp_path, seed):
    """The conflict search shares the edges leaving each entity between the chain searches
    from one start (``ChainSearch(rows=...)``): in any order of ends, each such search has
    the steps, the distances and the ranked chains of a search of its own."""
    from mechgraph.reasoning.chains import ChainSearch, ranked_chain_edges
    graph, _ = random_graph(tmp_path / "g", seed)
    t = graph.topology
    rnd = random.Random(seed)
    for floor, min_score in ((0, 0.0), (3, 0.0), (0, 0.3)):
        for start in range(len(t.nodes)):
            rows: dict = {}
            ends = list(range(len(t.nodes)))
            rnd.shuffle(ends)
            for end in ends:
                shared = ChainSearch(t, start, end, floor, min_score, rows=rows)
                alone = ChainSearch(t, start, end, floor, min_score)
                for u in range(len(t.nodes)):
                    assert list(shared.steps(u).items()) == list(alone.steps(u).items())
                assert shared.distances_from_start(4) == alone.distances_from_start(4)
                if start != end:
                    assert ranked_chain_edges(t, start, end, k=5, floor=floor, min_score=min_score, search=shared) \
                        == ranked_chain_edges(t, start, end, k=5, floor=floor, min_score=min_score)
