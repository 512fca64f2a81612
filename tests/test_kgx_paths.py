"""Paths on a synthetic KGX graph (benchmarks/synthetic.py): the fast search gives the
same ranked paths as the reference, Yen's k-shortest simple paths (networkx) over the
collapsed graph, up to the order of exact ties."""

from __future__ import annotations

import importlib.util
import random
from itertools import islice

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from mechgraph import MechGraph, NoPath
from mechgraph.model.constants import level_rank
from mechgraph.reasoning.paths import CANDIDATE_LIMIT, ranked_paths, search_graph


def load_synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic_graph(tmp_path_factory) -> MechGraph:
    directory = tmp_path_factory.mktemp("synthetic")
    load_synthetic().generate(directory, 3000, nodes=400, seed=7)
    return MechGraph.load(directory)


def reference(graph, source, target, *, max_hops=4, k=5, min_level=None, directed=False, min_score=0.0):
    """Ranked paths the straightforward way: every simple path in length order (Yen)."""
    simple = search_graph(graph, min_level=min_level, directed=directed, min_score=min_score)
    keys = []
    try:
        for nodes in islice(nx.shortest_simple_paths(simple, source, target), CANDIDATE_LIMIT):
            if len(nodes) - 1 > max_hops or (len(keys) >= k and len(nodes) > len(keys[k - 1][3])):
                break
            hops = [simple.edges[u, v]["best"] for u, v in zip(nodes, nodes[1:], strict=False)]
            keys.append((len(nodes), -min(level_rank(h["level"]) for h in hops),
                         -min(h["score"] for h in hops), nodes, [h["assertion"] for h in hops]))
    except nx.NetworkXNoPath:
        pass
    return sorted(keys, key=lambda x: x[:4])[:k]


CASES = [("synthetic", {}), ("synthetic", {"directed": True}), ("synthetic", {"max_hops": 3, "k": 12}),
         ("synthetic", {"min_score": 0.2}), ("synthetic", {"k": 1, "max_hops": 5}),
         ("bundled", {}), ("bundled", {"directed": True}), ("bundled", {"min_level": "animal_in_vivo"}),
         ("bundled", {"max_hops": 3, "k": 12}), ("bundled", {"min_score": 0.5})]


@pytest.mark.parametrize("which, options", CASES, ids=[f"{w}-{o}" for w, o in CASES])
def test_fast_paths_equal_the_reference(synthetic_graph, which, options):
    graph = synthetic_graph.nx if which == "synthetic" else MechGraph.load().nx
    rnd = random.Random(3)
    nodes = sorted(graph.nodes)
    compared = 0
    for _ in range(3000):  # sparse directed graphs have few connected pairs
        if compared == 20:
            break
        source, target = rnd.sample(nodes, 2)
        expected = reference(graph, source, target, **options)
        try:
            found = ranked_paths(graph, source, target, **options)
        except NoPath:
            assert expected == [], (source, target)
            continue
        got = [(len(p["nodes"]), -p["weakest_rank"], -p["score"], p["nodes"], [h["assertion"] for h in p["hops"]])
               for p in found]
        # same ranking keys; the same paths except among ties at the k-th place, whose order Yen's leaves open
        assert [g[:3] for g in got] == [e[:3] for e in expected], (source, target)
        last = got[-1][:3]
        assert [g for g in got if g[:3] != last] == [e for e in expected if e[:3] != last]
        compared += 1
    assert compared >= 5


def test_paths_on_a_synthetic_kgx_graph_answer_quickly(synthetic_graph):
    import time
    rnd = random.Random(5)
    nodes = sorted(synthetic_graph.nx.nodes)
    start = time.perf_counter()
    for _ in range(20):
        source, target = rnd.sample(nodes, 2)
        try:
            synthetic_graph.path(source, target)
        except NoPath:
            pass
    assert time.perf_counter() - start < 10, "20 path queries on 3,000 edges take well under a second each"


def test_synthetic_graphs_are_reproducible_in_both_kgx_formats(tmp_path):
    synthetic = load_synthetic()
    first = synthetic.generate(tmp_path / "a", 500, seed=1)
    second = synthetic.generate(tmp_path / "b", 500, seed=1)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    jsonl = synthetic.generate(tmp_path / "c", 500, seed=1, fmt="jsonl")
    tsv_model, jsonl_model = MechGraph.load(tmp_path / "a").model, MechGraph.load(jsonl[0]).model
    assert (len(tsv_model.entities), len(tsv_model.assertions)) == (50, 500)
    assert jsonl_model.entities == tsv_model.entities
    assert jsonl_model.assertions == tsv_model.assertions
    assert jsonl_model.findings == tsv_model.findings
    negated = [a for a in tsv_model.assertions.values() if a.refuting]
    assert negated and all(not a.supporting for a in negated)


# -- the search's parts against their plain definitions -----------------------------------------

SEARCHES = [("synthetic", {}), ("synthetic", {"directed": True}), ("synthetic", {"min_score": 0.2, "directed": True}),
            ("bundled", {"min_score": 0.5}), ("bundled", {"min_level": "animal_in_vivo"})]
SEARCH_IDS = [f"{w}-{o}" for w, o in SEARCHES]


def _graph(which, synthetic_graph):
    return synthetic_graph if which == "synthetic" else MechGraph.load()


def _search(graph, options):
    from mechgraph.reasoning.paths import _floor, _Search
    return _Search(graph.topology, _floor(options.get("min_level")), options.get("min_score", 0.0),
                   options.get("directed", False))


def _plain_neighbours(search, u, backward):
    """Nodes one qualifying hop from ``u``: each neighbour in the order of its first edge,
    kept when any of its edges qualifies; undirected, those along outgoing edges first."""
    t = search.topology

    def ends(back):
        edges, far = (t.into(u), t.subject) if back else (t.out_of(u), t.object)
        order = list(dict.fromkeys(far[e] for e in edges))
        usable = {far[e] for e in edges if t.rank[e] >= search.floor and t.score[e] >= search.min_score
                  and not t.refuted[e]}
        return [v for v in order if v in usable and v != u]
    if search.directed:
        return ends(backward)
    forward = ends(False)
    return forward + [v for v in ends(True) if v not in forward]


@pytest.mark.parametrize("which, options", SEARCHES, ids=SEARCH_IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_neighbours_within_a_set_are_the_neighbours_in_it(synthetic_graph, which, options, data):
    """Neighbours listed only within a set (as the search lists a hub's near the end) are
    those of the full list in that set, in its order, whether the full list is known or not."""
    synthetic_graph = _graph(which, synthetic_graph)
    count = len(synthetic_graph.topology.nodes)
    u = data.draw(st.integers(0, count - 1))
    backward = data.draw(st.booleans())
    allowed = data.draw(st.sets(st.integers(0, count - 1), max_size=60))
    search = _search(synthetic_graph, options)
    expected = _plain_neighbours(search, u, backward)
    allowed |= set(data.draw(st.lists(st.sampled_from(expected), max_size=5))) if expected else set()
    within = [v for v in expected if v in allowed]
    assert search.neighbours(u, backward, allowed) == within  # not known yet
    assert search.neighbours(u, backward) == expected
    assert search.neighbours(u, backward, allowed) == within  # known


def _plain_ends(search, u, backward) -> list[tuple[int, bool]]:
    """Each node at the far end of ``u``'s outgoing edges (incoming when ``backward``), in the
    order of its first edge, with whether any of those edges qualifies."""
    t = search.topology
    edges, far = (t.into(u), t.subject) if backward else (t.out_of(u), t.object)
    usable = {far[e] for e in edges if t.rank[e] >= search.floor and t.score[e] >= search.min_score
              and not t.refuted[e]}
    return [(v, v in usable) for v in dict.fromkeys(far[e] for e in edges) if v != u]


@pytest.mark.parametrize("which, options", SEARCHES, ids=SEARCH_IDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hubs_ends_among_few_nodes_are_read_from_their_rows(synthetic_graph, which, options, data):
    """A hub's neighbours among a few allowed nodes, read from the allowed nodes' rows, are
    those a scan of the hub's own row finds, in its order and with the same verdicts."""
    graph = _graph(which, synthetic_graph)
    t = graph.topology
    hubs = sorted(range(len(t.nodes)), key=lambda u: (-len(t.out_of(u)) - len(t.into(u)), u))[:15]
    u = data.draw(st.sampled_from(hubs))
    backward = data.draw(st.booleans())
    search = _search(graph, options)
    ends = _plain_ends(search, u, backward)
    allowed = set(data.draw(st.lists(st.sampled_from([v for v, _ in ends]), max_size=6))) if ends else set()
    allowed |= data.draw(st.sets(st.integers(0, len(t.nodes) - 1), max_size=4))
    if data.draw(st.booleans()):
        allowed.add(u)
    expected = [(v, ok) for v, ok in ends if v in allowed]
    assert list(search._ends_among(u, backward, allowed).items()) == expected
    assert list(search._ends(u, backward, allowed).items()) == expected


def test_a_hubs_ends_near_the_end_are_read_from_the_allowed_rows(synthetic_graph, monkeypatch):
    """The search reads a hub's neighbours among a few allowed nodes from their rows."""
    from mechgraph.reasoning.paths import _Search
    t = synthetic_graph.topology
    hub = max(range(len(t.nodes)), key=lambda u: len(t.out_of(u)))
    search = _search(synthetic_graph, {})
    calls = []
    monkeypatch.setattr(_Search, "_ends_among", lambda self, *args: calls.append(args) or {})
    search._ends(hub, False, {t.object[t.out_of(hub)[0]]})
    assert len(calls) == 1


@pytest.mark.parametrize("which, options", SEARCHES, ids=SEARCH_IDS)
def test_the_best_edge_between_neighbours_is_found_from_either_end(synthetic_graph, which, options):
    """Edges between two nodes are read from the shorter of the two rows; the best of them,
    kept for the query, is the one a plain scan of the first node's rows gives."""
    synthetic_graph = _graph(which, synthetic_graph)
    t = synthetic_graph.topology
    search, fresh = _search(synthetic_graph, options), _search(synthetic_graph, options)
    rnd = random.Random(11)
    for u in rnd.sample(range(len(t.nodes)), min(80, len(t.nodes))):
        for v in search.neighbours(u):
            for a, b in ((u, v), (v, u)):
                assert search._between(a, b) == [e for e in t.out_of(a) if t.object[e] == b]
            if v in search.neighbours(u) and (search.directed is False or v in fresh.neighbours(u)):
                usable = [e for e in ([e for e in t.out_of(u) if t.object[e] == v]
                                      + ([] if search.directed else [e for e in t.out_of(v) if t.object[e] == u]))
                          if search._usable(e)]
                best = search.best_edge(u, v)
                assert best in usable and best == fresh._best_edge(u, v) == search.best_edge(u, v)
                assert (t.score[best], t.rank[best]) == max((t.score[e], t.rank[e]) for e in usable)


def _plain_paths_of_length(search, start, end, length, backward):
    """Every simple path of ``length`` hops in depth-first order over the full neighbour lists."""
    path = [start]

    def extend(u, left):
        if left == 0:
            if u == end:
                yield list(path)
            return
        for v in _plain_neighbours(search, u, backward):
            if v in path or (v == end and left > 1):
                continue
            path.append(v)
            yield from extend(v, left - 1)
            path.pop()
    yield from extend(start, length)


@pytest.mark.parametrize("which, options", SEARCHES, ids=SEARCH_IDS)
def test_paths_of_a_length_come_in_plain_depth_first_order(synthetic_graph, which, options):
    """The pruned search yields the same paths in the same order as a plain depth-first
    search: which paths the candidate limit keeps depends on it."""
    synthetic_graph = _graph(which, synthetic_graph)
    t = synthetic_graph.topology
    rnd = random.Random(13)
    compared = 0
    for _ in range(300):
        start, end = rnd.sample(range(len(t.nodes)), 2)
        backward = rnd.random() < 0.5
        search = _search(synthetic_graph, options)
        for length in (2, 3):
            expected = list(_plain_paths_of_length(search, start, end, length, backward))
            assert list(search.paths_of_length(start, end, length, backward)) == expected
            compared += len(expected) > 1
    assert compared >= 3, compared


def test_a_named_path_scores_its_hops_from_the_finding_ids_they_hold(synthetic_graph):
    """``named_path`` computes each hop's score parts from the hop's finding ids, without
    reading its assertion: the same parts as the assertion's own."""
    from mechgraph.reasoning.evidence import score_parts
    model = synthetic_graph.model
    rnd = random.Random(17)
    nodes = sorted(synthetic_graph.topology.nodes)
    checked = 0
    for _ in range(60):
        try:
            found = synthetic_graph.path(*rnd.sample(nodes, 2), relation="any", k=3)
        except NoPath:
            continue
        for path in found["paths"]:
            for hop in path["hops"]:
                assert hop["score_parts"] == score_parts(model, model.assertions[hop["assertion"]])
                checked += 1
    assert checked >= 20
