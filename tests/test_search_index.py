"""Search over the name table: the same hits, scores and order as scoring every name with
difflib, with rapidfuzz choosing what to score and without it; only returned records read."""

from __future__ import annotations

import random
from array import array

import pytest

from mechgraph import MechGraph
from mechgraph.model import names as names_module
from mechgraph.model.core import Entity
from mechgraph.model.names import NameIndex, NameTable

from conftest import DATA
from name_scores import plain_ranking

KGX_GRAPH = DATA / "kgx-graph"


@pytest.fixture(params=["rapidfuzz", "python"])
def scorer(request, monkeypatch):
    """Search with rapidfuzz choosing the keys to score, and with the Python fallback."""
    if request.param == "rapidfuzz":
        pytest.importorskip("rapidfuzz")
        monkeypatch.setattr(names_module, "RAPIDFUZZ_FROM", 0)
    else:
        monkeypatch.setattr(names_module, "_rapidfuzz", lambda: None)
    return request.param


def typos(keys: list[str], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    queries = []
    for _ in range(count):
        letters = list(rnd.choice(keys))
        for _ in range(rnd.randint(0, 3)):
            spot = rnd.randrange(len(letters) + 1)
            if rnd.random() < 0.4 and spot < len(letters):
                letters[spot] = rnd.choice("aeiox7 -")
            elif rnd.random() < 0.5 and spot < len(letters):
                del letters[spot]
            else:
                letters.insert(spot, rnd.choice("aeioxγ7"))
        queries.append("".join(letters)[: rnd.randint(2, 12)] if rnd.random() < 0.3 else "".join(letters))
    return queries


def test_top_hits_match_plain_scoring_on_the_bundled_graph(scorer):
    index = MechGraph.load().names
    for query in typos(list(index.keys), 60, seed=3) + ["tarp", "gamma 8", "NR2B", "ketamin", "bdfn", "氯胺酮", "x"]:
        expected = plain_ranking(index, query, 20)
        for limit in (1, 5, 20):
            hits = index.search(query, limit=limit)
            assert [(h["id"], h["score"]) for h in hits] == expected[:limit], (query, limit)


def many_alike(count: int = 1200) -> dict[str, Entity]:
    """Entities whose names differ in a number only: thousands of hits tie on score."""
    stems = ("gene", "protein", "compound", "cell")
    entities = {}
    for i in range(count):
        stem = stems[i % len(stems)]
        entity_id = f"SYN:{i:05d}"
        entities[entity_id] = Entity(entity_id, "Gene", f"{stem} {i}", "", aliases=(f"{stem[:3].upper()}{i}",))
    return entities


def test_top_hits_match_plain_scoring_where_thousands_tie(scorer):
    index = NameIndex(many_alike())
    for query in ["gene 1034", "gene 12", "protien 710", "GEN 77", "cel 1", "compund 999", "zzz", "SYN:01034",
                  *typos(list(index.keys), 12, seed=5)]:
        expected = plain_ranking(index, query, 200)
        for limit in (1, 3, 20, 200):
            hits = index.search(query, limit=limit)
            assert [(h["id"], h["score"]) for h in hits] == expected[:limit], (query, limit)


class CountingEntities(dict):
    """Entities that count the records read by position (as the cache's records are)."""

    reads = 0

    def at(self, position: int):
        self.reads += 1
        return list(self.values())[position]


def test_search_reads_only_the_records_it_returns():
    entities = CountingEntities(many_alike())
    index = NameIndex(entities, table=NameTable.from_entities(dict(entities)))
    hits = index.search("gene 12", limit=7)
    assert len(hits) == 7 and entities.reads == 7


def test_the_name_table_round_trips_and_refuses_parts_that_do_not_fit():
    table = NameTable.from_entities(many_alike(50))
    again = NameTable.from_parts(table.to_parts())
    assert again.keys == table.keys and list(again.order) == list(table.order)
    assert [list(again.owners_of(k)) for k in range(len(again.keys))] == \
        [list(table.owners_of(k)) for k in range(len(table.keys))]
    parts = table.to_parts()
    with pytest.raises(ValueError):
        NameTable.from_parts({**parts, "offsets": array("q", [0, 1])})
    with pytest.raises(ValueError):
        NameTable.from_parts({k: v for k, v in parts.items() if k != "order"})


def test_a_cached_graph_searches_from_its_name_table_as_an_uncached_one_does(monkeypatch):
    cached = MechGraph.load(KGX_GRAPH)
    cached.search("gene")  # the cache is written and read back
    assert callable(cached.topology.name_table)
    monkeypatch.setenv("MECHGRAPH_NO_CACHE", "1")
    from mechgraph.store import cache
    monkeypatch.setattr(cache, "_MEMORY", {})
    fresh = MechGraph.load(KGX_GRAPH)
    for query in ("gene", "receptr", "a", "HGNC", "zzzz"):
        assert cached.search(query, limit=50) == fresh.search(query, limit=50), query
