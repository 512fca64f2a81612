"""The on-disk cache: keyed by the files' contents, records read on demand from JSON (never
a pickle), checksums that heal damage, private files, and the same answers from cache as
from the graph's files read afresh."""

from __future__ import annotations

import io
import json
import math
import mmap
import os
import pickle
import stat
import subprocess
import sys
from array import array
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA, EXAMPLE_GRAPH, ROOT
from mkgraph import assertion, entity, finding, write_graph
from mechgraph import MechGraph
from mechgraph.store import cache, plain
from mechgraph.curation.yaml_reader import read_graph_dir
from mechgraph.errors import CacheDamaged, MechgraphError
from mechgraph.model.core import Assertion, Entity, Finding, Intervention, Quantity, Source, Where
from mechgraph.store.recordfile import CHUNK, PACK_MAGIC, RecordMap, pack, unpack, write_records
from mechgraph.store.topology import NodeIndex, Topology, sorted_order

HOSTILE_GRAPH = DATA / "hostile-graph"
KGX_GRAPH = DATA / "kgx-graph"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A YAML graph of a few hundred records: they span many chunks and id buckets."""
    entities = [entity(f"p{i}") for i in range(120)]
    findings, assertions = [], []
    for i in range(300):
        a, b = i % 120, (i * 7 + 1) % 120
        findings.append(finding(f"f{i}", species=["mouse" if i % 3 else "rat"]))
        assertions.append(assertion(f"a{i}", f"p{a}", ("increases", "decreases", "activates")[i % 3],
                                    f"p{b if b != a else (b + 1) % 120}", supporting=[f"f{i}"]))
    return write_graph(tmp_path_factory.mktemp("generated"), entities, findings, assertions)


@pytest.fixture(params=["example", "hostile", "kgx", "generated"])
def graph_dir(request, generated) -> Path:
    return {"example": EXAMPLE_GRAPH, "hostile": HOSTILE_GRAPH, "kgx": KGX_GRAPH, "generated": generated}[
        request.param]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache directory, and no graph kept in this process's memory."""
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    cache._MEMORY.clear()
    cache._WARNED.clear()
    yield tmp_path / "cache" / "mechgraph"
    cache._MEMORY.clear()
    cache._WARNED.clear()


def _uncached(directory, monkeypatch) -> MechGraph:
    """A graph read from its files, with no cache at all."""
    monkeypatch.setenv("MECHGRAPH_NO_CACHE", "1")
    cache._MEMORY.clear()
    graph = MechGraph.load(directory)
    cache._MEMORY.clear()
    monkeypatch.delenv("MECHGRAPH_NO_CACHE")
    return graph


def _reloaded(directory) -> MechGraph:
    cache._MEMORY.clear()
    return MechGraph.load(directory)


def _answers(graph: MechGraph) -> dict:
    """What commands print for a graph: stats, search, show of every entity, paths between some."""
    ids = list(graph.model.entities)
    out = {"stats": graph.stats(), "search": [graph.search(name) for name in ("p1", "drug", "R", "'", "gene")],
           "show": [graph.show(e) for e in ids[:40]]}
    paths = []
    for a in ids[:5]:
        for b in ids[-5:]:
            try:
                paths.append(graph.path(a, b, relation="any", k=5))
            except MechgraphError as exc:
                paths.append(str(exc))
    out["paths"] = paths
    return out


def test_a_cached_graph_answers_as_the_files_read_afresh(graph_dir, fresh_cache, monkeypatch):
    uncached = _uncached(graph_dir, monkeypatch)
    first = MechGraph.load(graph_dir)  # writes the cache and reads it back
    cached = _reloaded(graph_dir)
    assert isinstance(cached.model.findings, RecordMap) and not isinstance(uncached.model.findings, RecordMap)
    assert _answers(cached) == _answers(uncached) == _answers(first)


def test_the_records_from_cache_equal_the_records_read(graph_dir, fresh_cache, monkeypatch):
    uncached = _uncached(graph_dir, monkeypatch)
    MechGraph.load(graph_dir)
    cached = _reloaded(graph_dir)
    for kind in ("entities", "assertions", "findings", "sources"):
        mine, theirs = getattr(cached.model, kind), getattr(uncached.model, kind)
        assert list(mine) == list(theirs)  # same ids, in file order
        assert dict(mine.items()) == dict(theirs)
        assert [r.where for r in mine.values()] == [r.where for r in theirs.values()]  # file:line kept
    assert cached.model.root == uncached.model.root
    for name in ("nodes", "subject", "object", "score", "rank", "refuted", "relation", "types", "mentions",
                 "counts", "out_start", "out_edges", "in_start", "in_edges"):
        assert getattr(cached.topology, name) == getattr(uncached.topology, name), name
    assert dict(cached.topology.name_keys.items()) == cached.names.keys == uncached.names.keys
    index = cached.topology.index
    assert isinstance(index, NodeIndex)  # searched, not a dictionary built at every start
    assert [index[node] for node in reversed(uncached.topology.nodes)] == \
        [uncached.topology.index[node] for node in reversed(uncached.topology.nodes)]
    assert dict(index) == uncached.topology.index and index._dict is None  # answered by search alone
    assert "no such entity" not in index and index.get("no such entity") is None


def test_the_networkx_graph_built_from_cache_is_the_same(graph_dir, fresh_cache, monkeypatch):
    uncached = _uncached(graph_dir, monkeypatch)
    MechGraph.load(graph_dir)
    mine, theirs = _reloaded(graph_dir).nx, uncached.nx
    assert list(mine.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(mine.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))


def test_an_edge_read_hands_over_where_its_findings_lie(graph_dir, fresh_cache, monkeypatch):
    """An edge record holds the positions of its findings: reading the edge hands them to
    the findings, each the position of that id among the findings read afresh, and the
    findings are then read without a bucket of the id index."""
    uncached = _uncached(graph_dir, monkeypatch)
    MechGraph.load(graph_dir)
    cached = _reloaded(graph_dir)
    findings, topology = cached.model.findings, cached.topology
    order = {fid: position for position, fid in enumerate(uncached.model.findings)}
    seen = []
    for edge in range(len(topology.subject)):
        data = topology.edge_data(edge)
        for fid in data["supporting"] + data["refuting"]:
            assert findings._known.get(fid) == order.get(fid)
            seen.append(fid)
    assert seen and findings._buckets == {}
    assert [findings[fid] for fid in seen] == [uncached.model.findings[fid] for fid in seen]
    assert [findings.at(findings._known[fid]).id for fid in seen] == seen
    assert findings._buckets == {}


def test_forgetting_lets_go_of_the_positions_learned_and_reads_alike():
    """A long pass calls forget() now and then: positions handed over by edges go too (they
    would grow with every edge read), and every record is then found in the id index."""
    handle = io.BytesIO()
    index = write_records(handle, {"a": 1, "b": 2, "c": 3})
    records = RecordMap(handle.getvalue(), index)
    records.learn(["a", "c"], [0, 2])
    records.forget()
    assert records._known == {}
    assert [records[k] for k in "abc"] == [1, 2, 3]


def test_positions_learned_outside_the_records_are_left_out():
    handle = io.BytesIO()
    index = write_records(handle, {"a": 1, "b": 2, "c": 3})
    records = RecordMap(handle.getvalue(), index)
    records.learn(["a", "b", "c"], [-1, 1, 3])
    assert records._known == {"b": 1}
    assert [records[k] for k in "abc"] == [1, 2, 3] and len(records._buckets) >= 1


def test_a_position_learned_for_another_record_is_damage_not_an_answer():
    """A wrong position handed over by another record never gives another record: the map
    answers from where damage sends it, or says the cache is damaged."""
    from types import SimpleNamespace
    texts = {key: {"id": key, "n": n} for n, key in enumerate("abc")}
    handle = io.BytesIO()
    index = write_records(handle, texts)

    def opened(on_damage=None) -> RecordMap:
        records = RecordMap(handle.getvalue(), index, decode=lambda p: SimpleNamespace(**p), on_damage=on_damage)
        records.learn(["a", "c"], [1, 2])  # "a" is at 0, not 1; "c" is right
        return records

    assert opened()["c"].n == 2 and opened().get("c").n == 2
    with pytest.raises(CacheDamaged, match="the record at 1 is not 'a'"):
        opened()["a"]
    with pytest.raises(CacheDamaged, match="the record at 1 is not 'a'"):
        opened().get("a")
    afresh = {key: SimpleNamespace(**value) for key, value in texts.items()}
    records = opened(lambda: afresh)
    assert records["a"] is afresh["a"] and records.get("b") is afresh["b"]


def test_findings_read_through_wrong_positions_are_still_the_right_findings(graph_dir, fresh_cache, monkeypatch):
    uncached = _uncached(graph_dir, monkeypatch)
    MechGraph.load(graph_dir)
    findings = _reloaded(graph_dir).model.findings
    ids = list(uncached.model.findings)
    findings.learn(ids, [*range(1, len(ids)), 0])  # every id told the position of the next
    assert [findings[fid] for fid in ids] == [uncached.model.findings[fid] for fid in ids]


def test_a_query_reads_only_the_records_it_shows(generated, fresh_cache):
    MechGraph.load(generated)
    graph = _reloaded(generated)
    graph.show("p7")
    findings = graph.model.findings
    assert 0 < len(findings._chunks) < -(-len(findings) // CHUNK) / 2


# -- no code runs from the cache ------------------------------------------------------------

def _key_of(folder: Path) -> str:
    return next(folder.glob("*.records")).name.split(".")[0]


def test_nothing_read_back_is_a_pickle(example_dir, fresh_cache, tmp_path):
    """Planted pickles that would create a file when unpickled, under every name the cache
    has used, are never unpickled: the graph is read afresh and answers as before."""
    expected = _answers(MechGraph.load(example_dir))
    key = _key_of(fresh_cache)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    bomb = pickle.dumps(Payload())
    for name in (f"{key}.index", f"{key}.records", f"{key}.index.pickle", "digests.json"):
        path = fresh_cache / name
        path.write_bytes(bomb)
        path.chmod(0o600)
    cache._WARNED.clear()
    assert _answers(_reloaded(example_dir)) == expected
    assert not marker.exists()
    assert (fresh_cache / f"{key}.index").read_bytes().startswith(PACK_MAGIC)  # written again


def test_a_cached_start_imports_no_pickle(example_dir, tmp_path):
    """With pickle made unimportable, a cold and a cached start (and show, path, search) work."""
    program = ("import sys; sys.modules['pickle'] = None\n"
               "from mechgraph import MechGraph\n"
               f"g = MechGraph.load({str(example_dir)!r})\n"
               "print(g.show('drug-x')['entity']['id'], g.path('drug-x', 'protein-p')['paths'][0]['nodes'][0]['id'],"
               " g.search('receptor')[0]['id'])\n")
    env = {**os.environ, "MECHGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["drug-x", "drug-x", "receptor-r"]


# -- damage heals --------------------------------------------------------------------------------

def _cli(*args, cache_dir: Path):
    env = {**os.environ, "MECHGRAPH_CACHE_DIR": str(cache_dir)}
    return subprocess.run([sys.executable, "-m", "mechgraph", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x20
    path.write_bytes(bytes(data))


def test_a_damaged_records_file_is_read_afresh_with_one_warning(generated, tmp_path):
    """Bad bytes of the right size in the records file (what a crash could leave): each
    command still answers right, warns once, and the next start finds the cache whole."""
    expected = _cli("--graph", generated, "show", "p3", "--json", cache_dir=tmp_path / "fresh").stdout
    folder = tmp_path / "cache"
    assert _cli("--graph", generated, "stats", cache_dir=folder).returncode == 0
    records = next((folder / "mechgraph").glob("*.records"))
    size = records.stat().st_size
    for at in range(size // 40, size, size // 40):  # damage all over the file (some in a piece show reads)
        _flip(records, at)
    done = _cli("--graph", generated, "show", "p3", "--json", cache_dir=folder)
    assert done.returncode == 0 and done.stdout == expected
    assert done.stderr == f"warning: cache file {records} is damaged; reading the graph afresh\n"
    again = _cli("--graph", generated, "show", "p3", "--json", cache_dir=folder)
    assert (again.returncode, again.stdout, again.stderr) == (0, expected, "")


def test_a_kgx_export_from_a_damaged_records_file_writes_the_same_files(generated, tmp_path):
    """The KGX export reads a source's kind off its cached text; damage sends it, like
    every other read, to the graph read afresh."""
    assert _cli("--graph", generated, "export", "--format", "kgx", "-o", tmp_path / "fresh",
                cache_dir=tmp_path / "fresh-cache").returncode == 0
    folder = tmp_path / "cache"
    assert _cli("--graph", generated, "stats", cache_dir=folder).returncode == 0
    records = next((folder / "mechgraph").glob("*.records"))
    size = records.stat().st_size
    for at in range(size // 40, size, size // 40):
        _flip(records, at)
    done = _cli("--graph", generated, "export", "--format", "kgx", "-o", tmp_path / "out", cache_dir=folder)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"warning: cache file {records} is damaged; reading the graph afresh\n")
    for name in ("nodes.tsv", "edges.tsv", "context.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_index_is_read_afresh_with_one_warning(damage, example_dir, tmp_path):
    expected = _cli("--graph", example_dir, "path", "drug-x", "protein-p", cache_dir=tmp_path / "fresh").stdout
    folder = tmp_path / "cache"
    _cli("--graph", example_dir, "stats", cache_dir=folder)
    index = next((folder / "mechgraph").glob("*.index"))
    data = index.read_bytes()
    if damage == "flip":
        _flip(index, len(data) // 2)
    else:
        index.write_bytes({"truncate": data[:len(data) // 2], "empty": b"", "garbage": b"\x80\x04K\x01."}[damage])
    done = _cli("--graph", example_dir, "path", "drug-x", "protein-p", cache_dir=folder)
    assert done.returncode == 0 and done.stdout == expected
    assert done.stderr.startswith(f"warning: cache file {index} is damaged (") and done.stderr.count("\n") == 1
    assert _cli("--graph", example_dir, "path", "drug-x", "protein-p", cache_dir=folder).stderr == ""


def test_a_shortened_records_file_is_read_afresh(example_dir, fresh_cache, monkeypatch):
    expected = _answers(_uncached(example_dir, monkeypatch))
    MechGraph.load(example_dir)
    records = next(fresh_cache.glob("*.records"))
    records.write_bytes(records.read_bytes()[:1000])
    assert _answers(_reloaded(example_dir)) == expected
    assert records.stat().st_size > 1000  # written again whole


def test_damage_anywhere_in_a_records_piece_never_gives_a_wrong_record():
    """Flip each byte of a small records file in turn: every read gives the right record,
    from the file or from what ``on_damage`` supplies."""
    records = {f"id-{i}": [i, f"text {i}", {"k": [i]}] for i in range(40)}
    handle = io.BytesIO()
    index = write_records(handle, records)
    data = handle.getvalue()
    for at in range(0, len(data), 3):
        damaged = bytearray(data)
        damaged[at] ^= 0x41
        calls = []
        mapped = RecordMap(bytes(damaged), index, on_damage=lambda calls=calls: calls.append(1) or records)
        assert dict(mapped.items()) == records and mapped["id-17"] == records["id-17"]
        assert "id-99" not in mapped and len(calls) <= 1


def test_damage_without_a_remedy_is_an_error():
    handle = io.BytesIO()
    index = write_records(handle, {"a": 1})
    damaged = handle.getvalue().replace(b"1", b"2")
    with pytest.raises(MechgraphError, match="damaged"):
        RecordMap(damaged, index)["a"]


# -- the key is the content -------------------------------------------------------------------------

def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Change a file's bytes while keeping its size and modification time."""
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns


@pytest.mark.parametrize("memo", [False, True])
def test_an_edit_that_keeps_size_and_mtime_is_seen(memo, tmp_path, fresh_cache, monkeypatch):
    # with memo, a remembered digest is trusted as soon as its stat matches; without, never
    racy = 0 if memo else 10**6
    monkeypatch.setattr(cache, "RACY_SECONDS", racy)
    monkeypatch.setattr(cache, "RACY_FINE_SECONDS", racy)
    kgx = tmp_path / "kgx"
    kgx.mkdir()
    for name in ("nodes.tsv", "edges.tsv"):
        (kgx / name).write_bytes((KGX_GRAPH / name).read_bytes())
    assert MechGraph.load(kgx).resolve("EX:gene-b").name == "Gene B"
    _same_size_edit(kgx / "nodes.tsv", "\tGene B\t", "\tGene X\t")
    cache._MEMORY.clear()
    assert MechGraph.load(kgx).resolve("EX:gene-b").name == "Gene X"


def test_a_remembered_digest_spares_hashing_an_unchanged_file(tmp_path, fresh_cache, monkeypatch):
    kgx = tmp_path / "kgx"
    kgx.mkdir()
    for name in ("nodes.tsv", "edges.tsv"):
        (kgx / name).write_bytes((KGX_GRAPH / name).read_bytes())
    hashed = []
    real = cache._hash_file
    monkeypatch.setattr(cache, "_hash_file", lambda path, fd=None: hashed.append(Path(path).name) or real(path, fd))

    def start() -> list[str]:
        hashed.clear()
        _reloaded(kgx)
        return sorted(name for name in hashed if name.endswith(".tsv"))

    monkeypatch.setattr(cache, "RACY_SECONDS", 60)
    monkeypatch.setattr(cache, "RACY_FINE_SECONDS", 60)
    assert start() == ["edges.tsv", "nodes.tsv"]
    # changed shortly before being hashed (a coarse clock could hide an edit): hashed again
    assert start() == ["edges.tsv", "nodes.tsv"]
    monkeypatch.setattr(cache, "RACY_SECONDS", 0)
    monkeypatch.setattr(cache, "RACY_FINE_SECONDS", 0)
    start()
    assert start() == []  # stat unchanged, changed long before it was hashed: the digest is used
    assert hashed == []  # nor is the reading code hashed again: its digests are remembered too
    os.utime(kgx / "edges.tsv")
    assert start() == ["edges.tsv"]


# -- private files -----------------------------------------------------------------------------------

def test_the_cache_is_private(example_dir, fresh_cache):
    MechGraph.load(example_dir)
    assert stat.S_IMODE(fresh_cache.stat().st_mode) == 0o700
    for path in fresh_cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_cache_directory_others_may_write_is_not_used(example_dir, fresh_cache, capsys):
    fresh_cache.mkdir(parents=True)
    fresh_cache.chmod(0o777)
    MechGraph.load(example_dir)
    uid = os.geteuid()
    fallback = fresh_cache.with_name(f"mechgraph-{uid}")
    assert capsys.readouterr().err == (f"warning: cache directory {fresh_cache} is writable by others; "
                                       f"caching in {fallback} instead\n")
    assert list(fresh_cache.iterdir()) == [] and list(fallback.glob("*.records"))
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o700


def test_no_cache_when_no_private_directory_can_be_had(example_dir, fresh_cache, capsys, monkeypatch):
    uncached = _answers(_uncached(example_dir, monkeypatch))
    fresh_cache.mkdir(parents=True)
    fallback = fresh_cache.with_name(f"mechgraph-{os.geteuid()}")
    fallback.mkdir()
    for folder in (fresh_cache, fallback):
        folder.chmod(0o777)
    graph = _reloaded(example_dir)
    assert not isinstance(graph.model.findings, RecordMap) and _answers(graph) == uncached
    assert "not caching" in capsys.readouterr().err
    assert list(fresh_cache.iterdir()) == list(fallback.iterdir()) == []


def test_a_cache_file_others_may_write_is_not_read(example_dir, fresh_cache, capsys, monkeypatch):
    expected = _answers(MechGraph.load(example_dir))
    index = next(fresh_cache.glob("*.index"))
    index.write_bytes(index.read_bytes()[:-1] + b"\0")  # what someone else might have written
    index.chmod(0o666)
    capsys.readouterr()
    assert _answers(_reloaded(example_dir)) == expected
    assert capsys.readouterr().err == f"warning: cache file {index} is writable by others; not reading it\n"
    assert stat.S_IMODE(index.stat().st_mode) == 0o600  # replaced by one of ours


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_cache_file_of_another_user_is_not_read(example_dir, fresh_cache, capsys):
    expected = _answers(MechGraph.load(example_dir))
    records = next(fresh_cache.glob("*.records"))
    os.chown(records, 4321, -1)
    capsys.readouterr()
    assert _answers(_reloaded(example_dir)) == expected
    assert f"cache file {records} is owned by another user (uid 4321); not reading it" in capsys.readouterr().err
    assert records.stat().st_uid == os.geteuid()


def test_an_unwritable_cache_only_costs_speed(example_dir, tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would go")
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(blocked))
    cache._MEMORY.clear()
    graph = MechGraph.load(example_dir)
    assert not isinstance(graph.model.findings, RecordMap)
    assert graph.path("drug-x", "protein-p")["paths"]
    assert capsys.readouterr().err == ""


def test_a_copy_of_a_cached_model_holds_plain_records(example_dir, fresh_cache):
    MechGraph.load(example_dir)
    model = _reloaded(example_dir).model
    copy = pickle.loads(pickle.dumps(model))  # in memory: nothing is read from disk
    assert type(copy.findings) is dict
    assert copy.findings == dict(model.findings.items())


def test_the_topology_of_a_networkx_graph_ranks_paths_as_the_model_does(generated, monkeypatch):
    from mechgraph.reasoning.paths import ranked_paths
    uncached = _uncached(generated, monkeypatch)
    from mechgraph.errors import NoPath
    from_nx = Topology.from_nx(uncached.nx)
    found = 0
    for a, b in [("p0", f"p{i}") for i in range(1, 120)] + [("p7", f"p{i}") for i in range(0, 120, 9)]:
        try:
            expected = ranked_paths(uncached.topology, a, b, k=10)
        except NoPath:
            with pytest.raises(NoPath):
                ranked_paths(from_nx, a, b, k=10)
            continue
        found += 1
        assert ranked_paths(from_nx, a, b, k=10) == expected
    assert found >= 5


# -- the formats: records, packs, topology, plain records ------------------------------------------

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
    odd = {"": 0, "ü\u2028é": 1, "a\tb\nc": 2, "\ud800": 3, "\0": 4, "𝄞": 5}
    mapped = _record_map(odd)
    assert {key: mapped[key] for key in odd} == odd
    empty = _record_map({})
    assert len(empty) == 0 and list(empty) == [] and "x" not in empty


def test_positional_records_need_no_ids():
    mapped = _record_map(iter([["a", 1], ["b", 2]]))
    assert mapped.at(1) == ["b", 2]
    assert len(mapped) == 2 and "a" not in mapped


class _CountingDecode:
    """A decoder that records the plain data it was given (each record wrapped in a tuple)."""

    def __init__(self):
        self.seen: list = []

    def __call__(self, value):
        if value == "bad":
            raise ValueError("a record of the wrong shape")
        self.seen.append(value)
        return ("decoded", value)


def _decoded_map(records, decode) -> RecordMap:
    handle = io.BytesIO()
    index = write_records(handle, records)
    return RecordMap(handle.getvalue(), index, decode=decode)


def test_reading_one_record_decodes_that_record_alone():
    records = {f"id-{i}": i for i in range(5 * CHUNK + 3)}
    decode = _CountingDecode()
    mapped = _decoded_map(records, decode)
    assert mapped["id-17"] == ("decoded", 17)
    assert mapped.at(CHUNK + 2) == ("decoded", CHUNK + 2)  # the same chunk: parsed once, decoded apart
    assert mapped["id-17"] == ("decoded", 17)  # read again: not decoded again
    assert decode.seen == [17, CHUNK + 2]


@given(st.lists(st.integers(min_value=0, max_value=4 * CHUNK), max_size=60), st.booleans())
@settings(max_examples=60, deadline=None)
def test_records_read_in_any_order_are_the_records_written(reads, then_stream):
    records = {f"id-{i}": {"n": i, "s": f"v{i}"} for i in range(4 * CHUNK + 1)}
    decode = _CountingDecode()
    mapped = _decoded_map(records, decode)
    expected = {key: ("decoded", value) for key, value in records.items()}
    keys = list(records)
    for position in reads:
        assert mapped.at(position) == expected[keys[position]]
    assert len(decode.seen) == len(set(reads))  # each record decoded once, whatever the order
    if then_stream:
        assert list(mapped.stream()) == list(expected.values())
    assert list(mapped.values()) == list(expected.values())
    assert dict(mapped.items()) == expected


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["],[", '"],["', "\\", "]", "[", ",", "\ud800", "中"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=12)


@given(st.lists(st.lists(_JSON_VALUES, max_size=5), max_size=3 * CHUNK + 5), st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_each_record_read_alone_equals_its_chunk_parsed_whole(values, data):
    """A record is parsed from its own text, found by its chunk's head: read alone (in a
    fresh map, in any order), it equals the same record taken from the whole chunk's JSON
    parsed at once, and the value written; hostile texts (brackets, commas and quotes in
    strings, lone surrogates) included."""
    from mechgraph.store.recordfile import chunk_json, load
    handle = io.BytesIO()
    index = write_records(handle, values)
    buffer = handle.getvalue()
    whole = []
    for number in range(len(index.chunks) - 1):
        piece = buffer[index.chunks[number]:index.chunks[number + 1]]
        whole += load(chunk_json(piece, min(CHUNK, len(values) - number * CHUNK)))
    assert whole == values
    order = data.draw(st.permutations(range(len(values))))
    for position in order:
        assert RecordMap(buffer, index).at(position) == whole[position]
    mapped = RecordMap(buffer, index)
    assert [mapped.at(position) for position in order] == [whole[position] for position in order]
    assert list(mapped.stream()) == whole == list(RecordMap(buffer, index).stream())
    texts = RecordMap(buffer, index)  # a record's text, read before or after it is decoded
    for step, position in enumerate(order):
        if step % 2:
            assert texts.at(position) == whole[position]
        assert load(texts.text(position)) == whole[position]


def test_guidance_skips_by_text_only_findings_that_are_no_recommendation(fresh_cache, monkeypatch):
    """``guidance`` decodes only the findings whose text can hold a recommendation; what it
    gives from the cache is what it gives from the graph read afresh, for every drug, and a
    recommendation is never skipped."""
    from mechgraph.reasoning.mentions import guidance
    from mechgraph.store.bundled import bundled_graph_dir
    fresh = _uncached(bundled_graph_dir(), monkeypatch)
    cached = _reloaded(bundled_graph_dir())
    assert isinstance(cached.model.findings, RecordMap)
    drugs = [e.id for e in fresh.model.entities.values() if e.type in ("Drug", "Compound", "Metabolite")]
    given = {drug: guidance(fresh, drug) for drug in drugs}
    assert sum(len(items) for topics in given.values() for items in topics.values()) >= 20
    assert {drug: guidance(cached, drug) for drug in drugs} == given
    from mechgraph.store.recordfile import _ABSENT
    decoded = sum(record is not _ABSENT for chunk in cached.model.findings._records.values() for record in chunk)
    assert decoded == len({item["id"] for topics in given.values() for items in topics.values() for item in items})


def test_a_chunk_head_that_does_not_fit_its_records_is_damage():
    """A head whose numbers were changed (its checksum made to fit) never gives a wrong record."""
    import struct
    import zlib
    from mechgraph.store.recordfile import RecordIndex
    records = {f"id-{i}": [f"r{i}", i] for i in range(CHUNK)}
    handle = io.BytesIO()
    index = write_records(handle, records)
    buffer = handle.getvalue()
    start, end = index.chunks[0], index.chunks[1]
    ends = list(struct.unpack_from(f"<{CHUNK}I", buffer, start))
    for wrong in ([ends[1], ends[0], *ends[2:]], [ends[0] - 1, *ends[1:]], [*ends[:-1], ends[-1] + 1],
                  [0, *ends[1:]], [ends[0] + 1, *ends[1:]]):
        piece = struct.pack(f"<{CHUNK}I", *wrong) + buffer[start + 4 * CHUNK:end]
        damaged = buffer[:start] + piece + buffer[end:]
        sums = index.sums[:]
        sums[0] = zlib.crc32(piece)
        bad = RecordIndex(index.count, index.chunks, index.ids_end, index.buckets, sums)
        for position in (0, 1, CHUNK - 1):
            with pytest.raises(CacheDamaged):
                RecordMap(damaged, bad).at(position)
        with pytest.raises(CacheDamaged):
            list(RecordMap(damaged, bad).stream())
    assert [RecordMap(buffer, index).at(i) for i in range(CHUNK)] == list(records.values())


def test_streaming_the_records_keeps_none_that_were_not_kept_before():
    records = {f"id-{i}": i for i in range(3 * CHUNK)}
    mapped = _decoded_map(records, _CountingDecode())
    mapped.at(1)
    assert [value for _, value in mapped.stream()] == list(range(3 * CHUNK))
    assert [position for position in range(3 * CHUNK) if mapped._records.get(position // CHUNK, [None] * CHUNK)[
        position % CHUNK] == ("decoded", position)] == [1]
    assert mapped.at(2) == ("decoded", 2) and mapped.at(CHUNK) == ("decoded", CHUNK)


def test_a_record_of_the_wrong_shape_is_damage_when_it_is_read():
    records = {"a": 1, "b": "bad", "c": 3}
    handle = io.BytesIO()
    index = write_records(handle, records)
    healed = []
    mapped = RecordMap(handle.getvalue(), index, decode=_CountingDecode(),
                       on_damage=lambda: healed.append(1) or {"a": "A", "b": "B", "c": "C"})
    assert mapped["a"] == ("decoded", 1) and not healed
    assert mapped["b"] == "B" and healed == [1]
    assert mapped["a"] == "A"  # from then on every record comes from what healed the map
    with pytest.raises(CacheDamaged):
        _decoded_map(records, _CountingDecode())["b"]


def test_a_records_file_is_read_through_a_memory_map(tmp_path):
    path = tmp_path / "records"
    with path.open("wb") as handle:
        index = write_records(handle, {"x": 1, "y": 2})
    with path.open("rb") as handle:
        mapped = RecordMap(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), index)
    assert mapped["y"] == 2


def test_a_pack_refuses_any_changed_byte():
    data = pack({"meta": [1, "two"]}, {"numbers": Topology.from_model(read_graph_dir(EXAMPLE_GRAPH)[0]).subject,
                                       "text": "ü".encode()})
    meta, blobs = unpack(data)
    assert meta == {"meta": [1, "two"]} and bytes(blobs["text"]) == "ü".encode()
    for at in range(len(data)):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        with pytest.raises(ValueError):
            unpack(bytes(damaged))
    for cut in (0, 5, len(data) // 2, len(data) - 1):
        with pytest.raises(ValueError):
            unpack(data[:cut])


def test_a_topology_round_trips_through_bytes(graph_dir, monkeypatch):
    graph = _uncached(graph_dir, monkeypatch)
    original = graph.topology
    copy = Topology.from_bytes(original.to_bytes())
    for name in vars(original):
        if name not in ("_key", "_data", "name_keys"):
            assert getattr(copy, name) == getattr(original, name), name
    assert copy.index == original.index


def test_a_topology_whose_ids_hold_nul_round_trips():
    from array import array
    nodes = ["a\0b", "", "\ud800", "c"]
    t = Topology(nodes, array("i", [0, 2]), array("i", [1, 3]), array("d", [0.5, math.inf]), array("b", [1, 2]),
                 array("b", [0, 1]), {0: ((0, 1), (3, 0)), 3: ((1, 2),)}, {"entities": 4})
    copy = Topology.from_bytes(t.to_bytes())
    assert (copy.nodes, copy.mentions, copy.counts, list(copy.score)) == (nodes, t.mentions, t.counts, list(t.score))


RECORD_CLASSES = (("entities", Entity), ("assertions", Assertion), ("findings", Finding), ("sources", Source))


@pytest.mark.parametrize("root", [ROOT / "graph", EXAMPLE_GRAPH, HOSTILE_GRAPH, DATA / "xss-graph"])
def test_every_record_of_a_graph_round_trips_through_plain_json(root):
    model, _ = read_graph_dir(root)  # the records read, whether or not the graph is valid today
    assert model.entities
    for kind, cls in RECORD_CLASSES:
        for record in getattr(model, kind).values():
            text = json.dumps(plain.to_plain(record), ensure_ascii=False)
            back = plain.from_plain(cls, json.loads(text))
            assert back == record and back.where == record.where and repr(back) == repr(record)


def test_kgx_records_round_trip_through_plain_json():
    from mechgraph.io.kgx import read_kgx
    model = read_kgx(KGX_GRAPH / "nodes.tsv", KGX_GRAPH / "edges.tsv")
    for kind, cls in RECORD_CLASSES:
        for record in getattr(model, kind).values():
            assert plain.from_plain(cls, json.loads(json.dumps(plain.to_plain(record)))) == record


def _reference_plain(value):
    """The plain form of a record as the records file has always written it: every field
    in declaration order, nested records as lists of their own (no shortcuts)."""
    if hasattr(value, "__dataclass_fields__"):
        return [_reference_plain(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, tuple):
        return [_reference_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _reference_plain(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("root", [ROOT / "graph", EXAMPLE_GRAPH, HOSTILE_GRAPH, KGX_GRAPH])
def test_the_record_encoders_write_the_bytes_of_the_plain_form(root):
    """The encoders (one attrgetter per record, a location remembered) keep the records
    file's bytes as they were: each record's JSON equals its field-by-field plain form's."""
    from mechgraph.io.kgx import read_kgx
    from mechgraph.store.recordfile import dump
    model = read_kgx(root / "nodes.tsv", root / "edges.tsv") if root == KGX_GRAPH else read_graph_dir(root)[0]
    for kind, cls in RECORD_CLASSES:
        encode = plain.encoder(cls)
        records = list(getattr(model, kind).values())
        assert records
        for record in records:
            assert dump(encode(record)) == dump(_reference_plain(record))
        handle = io.BytesIO()
        index = write_records(handle, getattr(model, kind), encode)
        assert list(RecordMap(handle.getvalue(), index, decode=plain.decoder(cls)).values()) == records


def test_the_field_types_read_from_the_record_classes_are_those_typing_gives():
    import typing

    from mechgraph import model
    for cls in plain.RECORD_CLASSES.values():
        assert plain._hints(cls) == typing.get_type_hints(cls, vars(model)), cls.__name__


_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                            max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(value=_JSON_VALUES, before=st.sampled_from(["", " ", "\n"]), after=st.sampled_from(["", " ", "\t\n", "x", ",1"]),
       cut=st.integers(0, 40))
def test_records_json_is_read_as_json_loads_reads_it(value, before, after, cut):
    """load (the scanner called straight) answers as json.loads: the value, or ValueError."""
    from mechgraph.store.recordfile import dump, load
    text = before + dump(value).decode("utf-8", "surrogatepass") + after
    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-8", "surrogatepass")[:cut]):
        try:
            expected = json.loads(data.decode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            with pytest.raises(ValueError):
                load(data)
        else:
            assert json.dumps(load(data)) == json.dumps(expected)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.integers(0, 6), st.sampled_from(["a", "b", "c"]), st.just([1]),
                                 st.tuples(st.sampled_from(["a", "b"]))), max_size=30))
def test_shared_values_are_pooled_as_a_bounded_pool_does(values, monkeypatch):
    """shared answers each value with the first equal one still pooled, leaves unhashable
    values as they are, and starts afresh when a new value finds the pool full."""
    monkeypatch.setattr(plain, "POOL_SIZE", 4)
    monkeypatch.setattr(plain, "_POOL", {})  # each example starts with an empty pool
    pool: dict = {}
    for value in values:
        try:
            expected = pool[value]
        except KeyError:
            if len(pool) >= 4:
                pool.clear()
            expected = pool[value] = value
        except TypeError:
            expected = value
        assert plain.shared(value) is expected
        assert list(plain._POOL.items()) == list(pool.items())


def test_a_type_with_no_plain_form_is_refused():
    for annotation in (complex, Path, list[int], tuple[str, int], dict[int, str], int | list[int]):
        with pytest.raises(TypeError):
            plain._value_decoder(annotation)
        with pytest.raises(TypeError):
            plain._value_encoder(annotation)


def test_the_parts_of_an_annotation_are_what_typing_gives():
    import typing

    from mechgraph import model
    typing_forms = [typing.Optional[int], typing.Tuple[str, ...], typing.Union[int, str]]  # noqa: UP006, UP007, UP045
    for annotation in [*plain.ANNOTATIONS.values(), *typing_forms, list[int], str, model.Where]:
        assert plain._parts(annotation) == (typing.get_origin(annotation), typing.get_args(annotation)), annotation


def test_a_records_get_is_the_mappings_get(generated, fresh_cache):
    from collections.abc import Mapping
    MechGraph.load(generated)
    findings = _reloaded(generated).model.findings
    for key in ("f3", "f299", "nothing", "", 7, None):
        assert findings.get(key) == Mapping.get(findings, key)
        assert findings.get(key, "none") == Mapping.get(findings, key, "none")


def test_the_known_annotations_are_what_their_texts_evaluate_to():
    """Decoders are built from a table of the record classes' annotation texts, not by
    compiling them: each entry must be what the text names, and every field's text is there."""
    from mechgraph import model
    for text, annotation in plain.ANNOTATIONS.items():
        assert eval(text, vars(model)) == annotation, text  # noqa: S307 (the test's own texts)
    for cls in plain.RECORD_CLASSES.values():
        assert {f.type for f in fields(cls)} <= set(plain.ANNOTATIONS), cls.__name__
    assert plain._annotation("dict[str, float]") == dict[str, float]  # a text not in the table: evaluated


def test_a_big_graph_read_from_the_cache_is_moved_to_the_oldest_generation(fresh_cache, monkeypatch):
    """No collection of a younger generation walks a big graph's node list (a fifth of a
    millisecond per 25,000 entities, in the first query), and nothing is left frozen."""
    import gc
    monkeypatch.setattr(cache, "FREEZE_ABOVE", 1)
    MechGraph.load(EXAMPLE_GRAPH)  # builds the cache
    graph = _reloaded(EXAMPLE_GRAPH)
    nodes = graph.topology.nodes
    assert gc.is_tracked(nodes) and gc.get_freeze_count() == 0
    assert not any(o is nodes for generation in (0, 1) for o in gc.get_objects(generation))


def test_every_field_of_every_record_class_has_a_plain_form():
    for cls in plain.RECORD_CLASSES.values():
        record_fields = [f.name for f in fields(cls)]
        assert len(plain.encoder(cls)(_sample(cls))) == len(record_fields)


def _sample(cls):
    return {Entity: Entity("e", "Drug", "E", "E中"), Assertion: Assertion("a", "e", "binds", "e"),
            Finding: Finding("f", "s", (), "review", "supports", "x", "x"), Source: Source("s", "seed"),
            Intervention: Intervention("e"), Quantity: Quantity("n", "1"), Where: Where("f", 1)}[cls]


HOSTILE_TEXT = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF,
                                              exclude_categories=()), max_size=40)
NUMBERS = st.one_of(st.none(), st.floats(allow_nan=False), st.just(math.inf), st.just(-0.0))
TEXTS = st.lists(HOSTILE_TEXT, max_size=4).map(tuple)
MAPS = st.dictionaries(HOSTILE_TEXT, HOSTILE_TEXT, max_size=3)
WHERE = st.builds(Where, HOSTILE_TEXT, st.integers(0, 2**62))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.builds(Finding, id=HOSTILE_TEXT, source=HOSTILE_TEXT, locator=TEXTS, study_type=st.just("review"),
                 direction=HOSTILE_TEXT, statement=HOSTILE_TEXT, statement_zh=HOSTILE_TEXT, cites=TEXTS,
                 species=TEXTS, n=st.dictionaries(HOSTILE_TEXT, st.integers(-2**70, 2**70), max_size=3),
                 interventions=st.lists(st.builds(Intervention, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT,
                                                  HOSTILE_TEXT), max_size=2).map(tuple),
                 quantities=st.lists(st.builds(Quantity, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, NUMBERS, NUMBERS,
                                               MAPS), max_size=2).map(tuple),
                 about=TEXTS, where=WHERE, role=HOSTILE_TEXT, guidance=HOSTILE_TEXT, quality_note_zh=HOSTILE_TEXT),
       st.builds(Assertion, id=HOSTILE_TEXT, subject=HOSTILE_TEXT, predicate=st.just("binds"), object=HOSTILE_TEXT,
                 supporting=TEXTS, refuting=TEXTS, context=st.dictionaries(HOSTILE_TEXT, TEXTS, max_size=3),
                 note=HOSTILE_TEXT, where=WHERE, relation=HOSTILE_TEXT, pathway=TEXTS),
       st.builds(Entity, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, aliases=TEXTS,
                 xrefs=st.dictionaries(HOSTILE_TEXT, TEXTS, max_size=3),
                 where=WHERE),
       st.builds(Source, HOSTILE_TEXT, HOSTILE_TEXT, authors=TEXTS, year=st.one_of(st.none(), st.integers()),
                 where=WHERE))
def test_hostile_records_round_trip_through_the_records_file(finding_, assertion_, entity_, source_):
    """Lone surrogates, NUL, line separators, huge and negative numbers, infinities: each
    record comes back equal, where and all, through the records file's bytes."""
    for record in (finding_, assertion_, entity_, source_):
        cls = type(record)
        handle = io.BytesIO()
        index = write_records(handle, {"k": record}, plain.encoder(cls))
        back = RecordMap(handle.getvalue(), index, decode=plain.decoder(cls))["k"]
        assert back == record and back.where == record.where and repr(back) == repr(record)


ids = st.lists(st.text(max_size=6), unique=True, max_size=40)


@settings(max_examples=200, deadline=None)
@given(ids, st.lists(st.text(max_size=6), max_size=10), st.randoms(use_true_random=False))
def test_a_node_index_answers_as_the_dictionary_of_its_nodes(nodes, others, random):
    expected = {node: i for i, node in enumerate(nodes)}
    index = NodeIndex(nodes, sorted_order(nodes))
    assert [index[node] for node in nodes] == list(range(len(nodes)))
    assert index._dict is None or len(nodes) == 0  # found by search, no dictionary built
    for key in [*others, 3, None, ("a",)]:
        assert (key in index) == (key in expected)
        assert index.get(key, -1) == expected.get(key, -1)
    assert list(index) == nodes and len(index) == len(nodes)
    # an order that does not fit the nodes never hides a node, nor names a wrong one
    shuffled = list(range(len(nodes)))
    random.shuffle(shuffled)
    wrong = NodeIndex(nodes, array("i", shuffled + [len(nodes) + 5]))
    assert all(wrong[node] == i for i, node in enumerate(nodes))
    assert all((key in wrong) == (key in expected) for key in others)


def test_a_node_index_builds_its_dictionary_after_many_searches(monkeypatch):
    from mechgraph.store import topology
    monkeypatch.setattr(topology, "SEARCHES_BEFORE_DICT", 3)
    nodes = [f"n{i}" for i in range(10)]
    index = NodeIndex(nodes, sorted_order(nodes))
    assert [index[n] for n in nodes[:3]] == [0, 1, 2] and index._dict is None
    assert index["n7"] == 7 and index._dict == {n: i for i, n in enumerate(nodes)}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["at", "text", "key", "key", "forget"]), st.integers(0, 199)),
                max_size=300), st.integers(1, 4))
def test_a_map_keeps_only_so_many_chunks_and_answers_alike(reads, keep):
    """Reads by position, text and id within the bound, and after forget() (which an export
    calls as it goes) nothing decoded is kept and every record reads alike."""
    from mechgraph.store import recordfile
    values = {f"r{i}": {"n": i, "text": "x" * (i % 7)} for i in range(200)}
    handle = io.BytesIO()
    index = write_records(handle, values)
    data = handle.getvalue()
    saved = recordfile.KEEP_CHUNKS
    recordfile.KEEP_CHUNKS = keep
    try:
        records = RecordMap(data, index)
        for how, position in reads:
            if how == "at":
                assert records.at(position) == values[f"r{position}"]
            elif how == "text":
                assert json.loads(records.text(position)) == values[f"r{position}"]
            elif how == "key":
                assert records[f"r{position}"] == values[f"r{position}"]
            else:
                records.forget()
                assert not (records._records or records._chunks or records._undecoded or records._buckets)
            assert len(records._records) <= keep and len(records._chunks) <= keep
        assert list(records.values()) == list(values.values())  # a whole pass, within the bound
        assert len(records._records) <= keep and len(records._chunks) <= keep
    finally:
        recordfile.KEEP_CHUNKS = saved
