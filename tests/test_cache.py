"""The on-disk cache: records read on demand, a topology for path search, and the same
answers from cache as from the graph's files read afresh."""

from __future__ import annotations

import io
import mmap
import pickle

import pytest

from mechgraph import MechGraph, cache
from mechgraph.records import CHUNK, RecordMap, write_records
from mechgraph.topology import Topology

PAIRS = [("NMDAR", "BDNF"), ("esketamine", "mTORC1"), ("TARP-γ8", "depression"), ("IL-6", "esketamine")]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache directory, and no graph kept in this process's memory."""
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    cache._MEMORY.clear()
    yield tmp_path / "cache" / "mechgraph"
    cache._MEMORY.clear()


@pytest.fixture
def uncached(monkeypatch):
    """The bundled graph read from its YAML files, with no cache at all."""
    monkeypatch.setenv("MECHGRAPH_NO_CACHE", "1")
    cache._MEMORY.clear()
    graph = MechGraph.load()
    cache._MEMORY.clear()
    monkeypatch.delenv("MECHGRAPH_NO_CACHE")
    return graph


def _reloaded() -> MechGraph:
    cache._MEMORY.clear()
    return MechGraph.load()


def test_a_cached_graph_answers_as_the_files_read_afresh(fresh_cache, uncached):
    assert not isinstance(uncached.model.findings, RecordMap)
    cached = _reloaded()
    assert isinstance(cached.model.findings, RecordMap)
    for a, b in PAIRS:
        assert cached.path(a, b, max_hops=4, k=10) == uncached.path(a, b, max_hops=4, k=10)
    for name in ("BDNF", "esketamine", "NMDAR", "postpartum depression"):
        assert cached.show(name) == uncached.show(name)
    assert cached.stats() == uncached.stats()
    assert cached.search("tarp") == uncached.search("tarp")


def test_the_records_from_cache_equal_the_records_read(fresh_cache, uncached):
    cached = _reloaded()
    for kind in ("entities", "assertions", "findings", "sources"):
        mine, theirs = getattr(cached.model, kind), getattr(uncached.model, kind)
        assert list(mine) == list(theirs)  # same ids, in file order
        assert dict(mine.items()) == dict(theirs)
        assert [r.where for r in mine.values()] == [r.where for r in theirs.values()]  # file:line kept


def test_the_networkx_graph_built_from_cache_is_the_same(fresh_cache, uncached):
    cached = _reloaded()
    mine, theirs = cached.nx, uncached.nx
    assert list(mine.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(mine.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))


def test_a_query_reads_only_the_records_it_shows(fresh_cache):
    MechGraph.load()  # writes the cache
    graph = _reloaded()
    graph.path("NMDAR", "BDNF", relation="any", k=1)
    findings = graph.model.findings
    # a path reads the findings of the steps it shows (for their drugs), not the graph's
    assert 0 < len(findings._chunks) <= 2
    graph.show("TARP-γ8")
    assert 0 < len(findings._chunks) < -(-len(findings) // CHUNK)


def test_a_damaged_cache_is_rebuilt(fresh_cache, uncached):
    MechGraph.load()
    records = next(fresh_cache.glob("*.records"))
    records.write_bytes(records.read_bytes()[:1000])
    graph = _reloaded()
    assert graph.path("NMDAR", "BDNF") == uncached.path("NMDAR", "BDNF")
    assert records.stat().st_size > 1000  # written again whole
    next(fresh_cache.glob("*.index.pickle")).write_bytes(b"not a pickle")
    assert _reloaded().show("BDNF") == uncached.show("BDNF")


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch, uncached):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would go")
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(blocked))
    graph = _reloaded()
    assert not isinstance(graph.model.findings, RecordMap)
    assert graph.path("NMDAR", "BDNF") == uncached.path("NMDAR", "BDNF")


def test_a_copy_of_a_cached_model_holds_plain_records(fresh_cache):
    MechGraph.load()
    model = _reloaded().model
    copy = pickle.loads(pickle.dumps(model))
    assert type(copy.findings) is dict
    assert copy.findings == dict(model.findings.items())


def test_the_topology_of_a_networkx_graph_ranks_paths_as_the_model_does(uncached):
    from mechgraph.paths import ranked_paths
    from_nx = Topology.from_nx(uncached.nx)
    for a, b in PAIRS:
        ids = uncached.resolve(a).id, uncached.resolve(b).id
        assert ranked_paths(from_nx, *ids, k=10) == ranked_paths(uncached.topology, *ids, k=10)


# -- the records file ----------------------------------------------------------------------

def _record_map(records) -> RecordMap:
    handle = io.BytesIO()
    handle.write(b"header")  # records need not start the file
    index = write_records(handle, records)
    return RecordMap(handle.getbuffer(), index)


def test_records_are_found_by_id_and_position_in_written_order():
    records = {f"id-{i}": {"n": i} for i in range(1000)}
    mapped = _record_map(records)
    assert len(mapped) == 1000
    assert list(mapped) == list(records)
    assert mapped["id-537"] == {"n": 537}
    assert mapped.at(999) == {"n": 999}
    assert "id-1000" not in mapped and "id-1" in mapped and 1 not in mapped
    assert mapped.get("missing") is None
    with pytest.raises(KeyError):
        mapped["missing"]
    with pytest.raises(IndexError):
        mapped.at(1000)
    assert list(mapped.values())[10] == {"n": 10}
    assert dict(mapped.items()) == records
    assert mapped == records


def test_records_with_unusual_ids_and_no_records_at_all():
    odd = {"": 0, "ü\u2028é": 1, "a\tb\nc": 2, "\ud800": 3}
    mapped = _record_map(odd)
    assert {key: mapped[key] for key in odd} == odd
    empty = _record_map({})
    assert len(empty) == 0 and list(empty) == [] and "x" not in empty


def test_positional_records_need_no_ids():
    mapped = _record_map(iter([("a", 1), ("b", 2)]))
    assert mapped.at(1) == ("b", 2)
    assert len(mapped) == 2 and "a" not in mapped


def test_a_records_file_is_read_through_a_memory_map(tmp_path):
    path = tmp_path / "records"
    with path.open("wb") as handle:
        index = write_records(handle, {"x": 1, "y": 2})
    with path.open("rb") as handle:
        mapped = RecordMap(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), index)
    assert mapped["y"] == 2
