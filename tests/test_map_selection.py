"""What a map draws on a big graph: the choice of entities and assertions made on the
topology, the same as a networkx reference gives; a focus that reads only its
neighbourhood; a map too large refused with one line and nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLE_GRAPH, ROOT
from mkgraph import assertion, entity, finding, write_graph
from mechgraph import MechGraph
from mechgraph.errors import MapTooLarge, MechgraphError
from mechgraph.html import build_map
from mechgraph.html.selection import Selection, parse_types, select
from mechgraph.model.constants import ENTITY_TYPES, EVIDENCE_LEVELS, level_rank
from mechgraph.reasoning.chains import ChainSearch
from mechgraph.store import cache
from mechgraph.store.recordfile import CHUNK

GRAPHS = {"bundled": None, "example": EXAMPLE_GRAPH, "hostile": DATA / "hostile-graph", "kgx": DATA / "kgx-graph"}


def _reference_select(graph, *, focus=None, depth=1, types=None, min_level=None, min_score=0.0) -> Selection:
    """The choice as the networkx graph gives it: every edge's data read, a breadth-first
    search on an undirected copy (how maps chose before the topology did)."""
    model = graph.model
    chosen_types = parse_types(types) if types is not None else None
    entities = {e.id for e in model.entities.values() if chosen_types is None or e.type in chosen_types}
    floor = level_rank(min_level) if min_level else 0
    assertions = {key for u, v, key, data in graph.nx.edges(keys=True, data=True)
                  if u in entities and v in entities and level_rank(data["level"]) >= floor
                  and data["score"] >= min_score}
    focus_id = None
    if focus is not None:
        focus_id = graph.resolve(focus).id
        if focus_id not in entities:
            raise MechgraphError("left out by --types")
    evidence_filtered = bool(min_level) or min_score > 0
    pinned = set()
    if focus_id is not None and evidence_filtered and depth > 0:
        for _, v, key, data in graph.nx.edges(focus_id, keys=True, data=True):
            if data["relation"] == "drug-target" and v in entities and key not in assertions:
                pinned.add(key)
        for u, _, key, data in graph.nx.in_edges(focus_id, keys=True, data=True):
            if data["relation"] == "drug-target" and u in entities and key not in assertions:
                pinned.add(key)
        assertions |= pinned
    if evidence_filtered:
        touched = {end for key in assertions for end in (model.assertions[key].subject, model.assertions[key].object)}
        entities = {e for e in entities if e in touched or e == focus_id}
    if focus_id is not None:
        undirected = nx.Graph()
        undirected.add_nodes_from(entities)
        undirected.add_edges_from((model.assertions[k].subject, model.assertions[k].object) for k in assertions)
        entities = set(nx.single_source_shortest_path_length(undirected, focus_id, cutoff=depth))
        assertions = {k for k in assertions
                      if model.assertions[k].subject in entities and model.assertions[k].object in entities}
    if not entities:
        raise MechgraphError("nothing to draw")
    return Selection(sorted(entities), sorted(assertions), pinned=sorted(pinned & assertions))


@pytest.fixture(scope="module")
def graphs():
    return {name: MechGraph.load(path) if path else MechGraph.load() for name, path in GRAPHS.items()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_choice_made_on_the_topology_is_the_networkx_reference(graphs, data):
    graph = graphs[data.draw(st.sampled_from(sorted(graphs)))]
    ids = list(graph.model.entities)
    focus = data.draw(st.none() | st.sampled_from(ids))
    options = {"focus": focus, "depth": data.draw(st.integers(0, 3)),
               "types": data.draw(st.none() | st.lists(st.sampled_from(list(ENTITY_TYPES)), min_size=1,
                                                        max_size=6, unique=True)),
               "min_level": data.draw(st.none() | st.sampled_from(EVIDENCE_LEVELS)),
               "min_score": data.draw(st.sampled_from([0.0, 0.2, 0.35, 0.5, 0.8]))}
    try:
        expected = _reference_select(graph, **options)
    except MechgraphError:
        expected = None
    try:
        found = select(graph, **options, max_entities=None, max_assertions=None)
    except MapTooLarge:
        raise
    except MechgraphError:
        found = None
    if expected is None or found is None:
        assert expected is found
        return
    assert (found.entities, found.assertions, found.pinned) == (expected.entities, expected.assertions,
                                                                expected.pinned)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_a_focus_keeps_its_own_targets_below_the_floor_as_the_reference_does(graphs, name):
    graph = graphs[name]
    t = graph.topology
    with_targets = {t.nodes[n] for e in range(len(t)) if t.relation_of(e) == "drug-target"
                    for n in (t.subject[e], t.object[e])}
    checked = 0
    for focus in sorted(with_targets):
        for options in ({"min_score": 0.5}, {"min_level": "rct"}, {"min_level": "animal_in_vivo", "min_score": 0.3},
                        {"min_score": 0.9, "types": ["Drug", "Receptor", "ReceptorSubunit", "Protein"]}):
            for depth in (0, 1, 2):
                try:
                    expected = _reference_select(graph, focus=focus, depth=depth, **options)
                except MechgraphError:
                    continue
                found = select(graph, focus=focus, depth=depth, **options)
                assert (found.entities, found.assertions, found.pinned) == (
                    expected.entities, expected.assertions, expected.pinned), (focus, depth, options)
                checked += bool(expected.pinned)
    assert checked >= (10 if name == "bundled" else 0)  # maps with a target below the floor


@pytest.fixture
def big(tmp_path, monkeypatch) -> Path:
    """A graph of 600 entities in a ring with chords, 2,000 assertions, read from a fresh cache."""
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    cache._MEMORY.clear()
    entities = [entity(f"p{i}") for i in range(600)]
    findings, assertions = [], []
    for i in range(2000):
        a, b = i % 600, (i * 7 + 1 + i // 600) % 600
        findings.append(finding(f"f{i}"))
        assertions.append(assertion(f"a{i}", f"p{a}", "increases", f"p{b if b != a else (b + 1) % 600}",
                                    supporting=[f"f{i}"]))
    folder = write_graph(tmp_path / "graph", entities, findings, assertions)
    MechGraph.load(folder)  # writes the cache
    cache._MEMORY.clear()
    yield folder
    cache._MEMORY.clear()


def test_a_focus_reads_its_neighbourhood_not_the_graph(big):
    graph = MechGraph.load(big)
    page = build_map(graph, focus="p7", depth=1)
    assert 1 < page.entities < 30
    assert "nx" not in graph.__dict__  # no networkx graph of the whole graph was built
    for kind in ("assertions", "findings", "entities"):
        records = getattr(graph.model, kind)
        assert 0 < len(records._chunks) < -(-len(records) // CHUNK) / 4, kind  # chunks read, of all


def test_a_map_too_large_is_refused_before_anything_is_read(big):
    graph = MechGraph.load(big)
    with pytest.raises(MapTooLarge, match=r"600 entities and 2,000 assertions, more than 100 entities"):
        build_map(graph, max_entities=100)
    with pytest.raises(MapTooLarge, match=r"more than any number of entities or 1,000 assertions"):
        build_map(graph, max_entities=None, max_assertions=1000)
    assert not graph.model.assertions._chunks and "nx" not in graph.__dict__
    assert build_map(graph, focus="p7", depth=1, max_entities=30).entities < 30  # a part of it is drawn


def _mechgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mechgraph", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_render_refuses_a_map_too_large_with_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "map.html"
    done = _mechgraph("--graph", str(EXAMPLE_GRAPH), "render", "--max-entities", "3", "-o", str(out), cwd=ROOT)
    assert done.returncode != 0 and not out.exists()
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the map would draw 7 entities")
    assert "--focus" in lines[0] and "--max-entities" in lines[0] and "Traceback" not in done.stderr
    done = _mechgraph("--graph", str(EXAMPLE_GRAPH), "render", "--max-entities", "0", "--max-assertions", "2",
                      "-o", str(out), cwd=ROOT)
    assert done.returncode != 0 and "2 assertions" in done.stderr and not out.exists()
    done = _mechgraph("--graph", str(EXAMPLE_GRAPH), "render", "--max-entities", "7", "-o", str(out), cwd=ROOT)
    assert done.returncode == 0 and out.is_file(), done.stderr


def _all_thresholds(search: ChainSearch, dist: dict) -> list[float]:
    """ChainSearch.thresholds as every step's score gives it (no early stop)."""
    from mechgraph.reasoning.chains import THRESHOLDS
    t = search.t
    scores = {t.score[e] for u in dist for e in search.steps(u).values()}
    scores.update(t.score[e] for e in search.steps(search.start).values())
    ordered = sorted(scores, reverse=True)
    if len(ordered) > THRESHOLDS:
        stride = len(ordered) / (THRESHOLDS - 1)
        ordered = [ordered[int(i * stride)] for i in range(THRESHOLDS - 1)] + [ordered[-1]]
    return ordered


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("floor,min_score", [(0, 0.0), (level_rank("animal_in_vivo"), 0.0), (0, 0.4)])
def test_chain_thresholds_are_those_of_every_step(graphs, name, floor, min_score):
    t = graphs[name].topology
    compared = 0
    for start in range(len(t.nodes)):
        reached = sorted(ChainSearch(t, start, -1, floor, min_score).distances_from_start(4))[1::3][:8]
        for end in reached:
            search = ChainSearch(t, start, end, floor, min_score)
            dist = search.distances_to_end(4)
            if start in dist:
                expected = _all_thresholds(ChainSearch(t, start, end, floor, min_score), dist)
                assert search.thresholds(dist, 4) == expected
                compared += len(expected) > 1
    assert compared >= {"bundled": 10, "example": 1}.get(name, 0)  # searches with a choice of thresholds
