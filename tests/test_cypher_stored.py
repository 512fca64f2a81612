"""The embedded engine over a cached graph's stored index (mechgraph.cypher.stored) is the
same graph as the projection it replaces: the same nodes and relationships in the same
order, with the same labels, properties, ends and adjacency, so every query gives the
same rows in the same order. And the index file is arrays with checksums: damage is
noticed, the query is still answered, and nothing in it is ever executed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from cypher_corpus.corpus import load_corpus
from mkgraph import assertion, entity, finding, write_graph
from mechgraph import MechGraph, MechgraphError
from mechgraph.backends.propertygraph import project
from mechgraph.cypher import stored as stored_module
from mechgraph.cypher.engine import Engine
from mechgraph.cypher.matching import GraphIndex, seek_key
from mechgraph.cypher.values import Node
from mechgraph.cypher.stored import MAGIC, StoredGraph, Unsupported, direct_arrays, general_arrays, stored_index
from mechgraph.store import cache

ROOT = Path(__file__).resolve().parents[1]
CORPUS = load_corpus()


def _kgx_graph(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import synthetic
    finally:
        sys.path.remove(str(ROOT))
    synthetic.generate(folder, 600, nodes=150, seed=3)
    return folder


def _edge_cases(folder: Path, finding_ids: tuple[str, str, str] = ("p", "p-a", "p.b"),
                twice: bool = False) -> Path:
    """A graph with what the direct build must order as the projection does: twelve
    cites, abouts, interventions and quantities on one finding (ids ending in 10, 11, 12
    sort before 2), finding ids that are prefixes of others with a character before "/"
    after them ("p", "p-a"), a loop, assertion ids out of file order, one finding backing
    several assertions, three entities of one description, a quantity named as an entity;
    with ``twice``, one finding backs one assertion twice."""
    p, pa, pb = finding_ids
    shared = {"e2", "e10", "drug-3"}  # one description, in another order by id than in the file
    entities = [entity(f"e{i}", description="shared" if f"e{i}" in shared else "") for i in range(1, 13)] + \
        [entity(f"drug-{i}", "Drug", description="shared" if f"drug-{i}" in shared else "") for i in range(1, 13)]
    sources = [{"id": "seed-a", "kind": "seed", "file": "a.txt"}] + \
        [{"id": f"study-{i}", "kind": "study", "title": f"study {i}"} for i in range(1, 13)]
    many = finding("f-many", cites=[f"study-{i}" for i in range(1, 13)], about=[f"e{i}" for i in range(1, 13)],
                   intervention={"drug": "drug-1", "dose": "1 mg"},
                   co_interventions=[{"drug": f"drug-{i}"} for i in range(2, 13)],
                   quantities=[{"name": "e5" if i == 1 else f"q{i}", "value": str(i), "low": str(i)}
                               for i in range(1, 13)])
    findings = [many, finding(p, cites=["study-2"]), finding(pa, direction="refutes"), finding(pb)]
    assertions = [assertion("z-last", "e1", "activates", "e2", supporting=["f-many", p]),
                  assertion("a-loop", "e3", "activates", "e3", supporting=[pb], refuting=[pa]),
                  assertion("m-middle", "e2", "inhibits", "e4", supporting=[p, pb, "f-many"], refuting=[pa]),
                  assertion("b-drug", "drug-1", "binds", "e5", supporting=["f-many"] * (2 if twice else 1))]
    return write_graph(folder, entities, findings, assertions, sources)


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    kgx = _kgx_graph(tmp_path_factory.mktemp("kgx") / "synthetic")
    edge_cases = _edge_cases(tmp_path_factory.mktemp("edge-cases") / "graph")
    return {"bundled": MechGraph.load(), "example": MechGraph.load(ROOT / "tests/data/example-graph"),
            "kgx": MechGraph.load(ROOT / "tests/data/kgx-graph"), "synthetic": MechGraph.load(kgx),
            "edge-cases": MechGraph.load(edge_cases)}


def _fresh(graph: MechGraph) -> MechGraph:
    """A graph object of its own (the engine is made once per graph object)."""
    return MechGraph(graph.model, graph.topology)


def _node(n):
    return (n.element_id, n.labels, n.properties)


def _rel(r):
    return (r.element_id, r.type, r.properties, r.start.element_id, r.end.element_id)


@pytest.mark.parametrize("name", ["bundled", "example", "kgx", "synthetic", "edge-cases"])
def test_the_stored_index_is_the_projection_node_for_node_and_relationship_for_relationship(graphs, name):
    _same_as_projection(graphs[name])


def _same_as_projection(graph: MechGraph) -> None:
    stored = stored_index(_fresh(graph))
    assert isinstance(stored, StoredGraph)
    projected = GraphIndex.from_property_graph(project(graph))
    assert [_node(n) for n in stored.nodes] == [_node(n) for n in projected.nodes]
    assert [_rel(r) for r in stored.relationships] == [_rel(r) for r in projected.relationships]
    assert {k: [n.element_id for n in v] for k, v in stored.by_label.items()} == \
        {k: [n.element_id for n in v] for k, v in projected.by_label.items()}
    types = sorted({r.type for r in projected.relationships})
    for node, twin in zip(stored.nodes, projected.nodes, strict=True):
        for outgoing in (True, False):
            assert [r.element_id for r in stored.adjacent(node, (), outgoing)] == \
                [r.element_id for r in projected.adjacent(twin, (), outgoing)]
            for typed in ((types[0],), tuple(types[:3]), ("NO_SUCH_TYPE",)):
                assert [r.element_id for r in stored.adjacent(node, typed, outgoing)] == \
                    [r.element_id for r in projected.adjacent(twin, typed, outgoing)]
        assert [n.element_id for n in stored.seek("id", ("s", node.element_id))] == [node.element_id]
    assert stored.seek("id", ("s", "no such id")) == [] and stored.seek("id", ("n", 1)) == []
    assert (stored.label_names(), stored.relationship_types(), stored.property_keys()) == \
        (projected.label_names(), projected.relationship_types(), projected.property_keys())
    for key in ("name", "name_zh", "description", "kind", "position", "statement", "unit", "xrefs", "score",
                "no_such_key"):
        values = [n.properties[key] for n in projected.nodes if key in n.properties][:3] + ["absent"]
        for value in values:
            wanted = seek_key(value)
            if wanted is not None:
                assert [n.element_id for n in stored.seek(key, wanted)] == \
                    [n.element_id for n in projected.seek(key, wanted)], (key, value)


@pytest.mark.parametrize("name", ["bundled", "example", "kgx", "synthetic", "edge-cases"])
def test_a_property_read_before_the_record_is_the_projections(graphs, name):
    """A node's or relationship's property read without its record (a score from the
    topology, an id from the arrays, a key its recipe never writes) is the projection's, and
    so is everything read after; the relationships scanned are the projection's, each once,
    in its adjacency order."""
    graph = graphs[name]
    projected = GraphIndex.from_property_graph(project(graph))
    keys = sorted({k for n in projected.nodes for k in n.properties} |
                  {k for r in projected.relationships for k in r.properties}) + ["context_none", "no_such_key"]
    for key in [None, *keys]:  # each key read first (by a graph of its own), or the record read first
        stored = stored_index(_fresh(graph))
        assert isinstance(stored, StoredGraph)
        for item, twin in [*zip(stored.nodes, projected.nodes, strict=True),
                           *zip(stored.relationships, projected.relationships, strict=True)]:
            if key is None:
                assert item.properties == twin.properties
                assert [item.value(k) for k in keys] == [twin.properties.get(k) for k in keys], twin.element_id
            else:
                found, wanted = item.value(key), twin.properties.get(key)
                assert (found, type(found)) == (wanted, type(wanted)), (twin.element_id, key)
            assert _node(item) == _node(twin) if isinstance(twin, Node) else _rel(item) == _rel(twin)
    stored = stored_index(_fresh(graph))
    assert isinstance(stored, StoredGraph)
    for outgoing in (True, False):
        for types in ((), tuple(stored.relationship_types()[:2]), ("NO_SUCH_TYPE",)):
            assert [_rel(r) for r in stored.scan(types, outgoing)] == [_rel(r) for r in projected.scan(types, outgoing)]
        assert sorted(r.element_id for r in stored.scan((), outgoing)) == \
            sorted(r.element_id for r in projected.relationships)


SCANNED = [
    "MATCH ()-[r]->() WHERE r.score IS NOT NULL RETURN r.score ORDER BY r.score DESC LIMIT 10",
    "MATCH ()-[r]->() RETURN r.score, r.id, r.stance, r.no_such_key, type(r) ORDER BY r.score DESC, r.id LIMIT 7",
    "MATCH (a)-[r]->(b) RETURN a.id, b.id, r.id, r.score, properties(r), keys(r), r {.*}, r, a, b",
    "MATCH (a)<-[r:EVIDENCE|TESTED]-(b) RETURN a, r, b, r.role, r['position'], a.name, b.id",
    "MATCH ()-[r]->() RETURN count(r), count(r.score), sum(r.score), count(r.context_species)",
]


@pytest.mark.parametrize("name", ["bundled", "synthetic", "edge-cases"])
def test_a_scan_of_the_stored_relationships_answers_as_the_projection(graphs, name):
    """Rows whose values are read before their records (and read whole: properties, keys,
    maps, the values themselves as JSON) are the projection's, row by row."""
    from mechgraph.cypher.values import result_json
    graph = graphs[name]
    projected = Engine(project(graph))
    for query in SCANNED:
        stored = Engine.for_graph(_fresh(graph))
        assert isinstance(stored.graph, StoredGraph)
        ours, theirs = stored.run(query), projected.run(query)
        assert ours.rows == theirs.rows and result_json(ours) == result_json(theirs), query


def test_top_k_over_every_relationship_makes_no_node_and_reads_no_record(graphs):
    """``MATCH ()-[r]->() ... ORDER BY r.score``: the scores come from the topology, the
    anonymous ends are never made, no record is read (what made the first call slow)."""
    graph = _fresh(graphs["synthetic"])
    engine = Engine.for_graph(graph)
    assert isinstance(engine.graph, StoredGraph)
    expected = Engine(project(graph)).run(SCANNED[0]).rows

    def read(number):
        raise AssertionError(f"relationship {number}'s record was read")
    engine.graph.made_relationship = read  # type: ignore[method-assign]
    assert engine.run(SCANNED[0]).rows == expected
    assert engine.run(SCANNED[0]).rows == expected
    assert engine.graph._nodes == {}
    assert engine.graph._rels == {}  # nor is any relationship kept: a scan holds none of them


def test_the_properties_a_seek_reads_by_kind_of_node_are_those_the_projection_writes():
    """A seek reads only the kinds of node whose projection may hold its key (NODE_KEYS):
    the keys are those the projection's node functions pass to ``_props``."""
    import ast
    import inspect
    from mechgraph.backends import propertygraph as pg
    written = {}
    for kind, function in ((stored_module.SOURCE, pg.source_node), (stored_module.ENTITY, pg.entity_node),
                           (stored_module.FINDING, pg._finding_props), (stored_module.QUANTITY, pg.quantity_node)):
        calls = [c for c in ast.walk(ast.parse(inspect.getsource(function)))
                 if isinstance(c, ast.Call) and getattr(c.func, "id", "") == "_props"]
        assert len(calls) == 1
        written[kind] = frozenset(k.arg for k in calls[0].keywords)
    assert written == stored_module.NODE_KEYS


@pytest.mark.parametrize("name", ["bundled", "example", "kgx", "synthetic", "edge-cases"])
def test_the_index_is_made_from_the_stores_arrays_and_the_records_plain_data(graphs, name):
    """The direct build (no record, no relationship made; nothing the size of the graph
    sorted by id) gives, array for array, what the record-by-record build gives; and it
    is what these graphs get (it gives up on none of them)."""
    graph = graphs[name]
    assert direct_arrays(graph.model, graph.topology) == general_arrays(graph.model, graph.topology)
    model = graph.model
    held = type(model)(entities=dict(model.entities), assertions=dict(model.assertions),
                       findings=dict(model.findings), sources=dict(model.sources))
    assert direct_arrays(held, graph.topology) == general_arrays(graph.model, graph.topology)  # records in memory


def test_the_cached_records_are_read_as_stored_without_making_records(graphs, monkeypatch):
    """From the cache the build reads the records' plain data as the file holds it; it
    neither decodes records nor encodes them back (what would make it slow again)."""
    from mechgraph.store import plain
    graph = graphs["synthetic"]
    expected = general_arrays(graph.model, graph.topology)

    def refused(*args):
        raise AssertionError("a record was decoded or encoded")
    monkeypatch.setattr(plain, "encoder", refused)
    monkeypatch.setattr(plain, "from_plain", refused)
    model = graph.model
    fresh = type(model)(**{kind: stored_module.RecordMap(getattr(model, kind)._buffer, getattr(model, kind)._index,
                                                         decode=refused)
                           for kind in ("entities", "assertions", "findings", "sources")})
    assert direct_arrays(fresh, graph.topology) == expected


@pytest.mark.parametrize("name", ["bundled", "synthetic", "edge-cases"])
@pytest.mark.parametrize("key", ["name", "name_zh"])
def test_a_seek_on_a_name_finds_the_projections_nodes_by_the_caches_name_table(graphs, key, name):
    """A seek on an entity's name reads the candidates the cache's table of normalised
    names gives and keeps those of that very name (a name differing only in case or
    punctuation is another name); a text with nothing to normalise indexes the property."""
    projected = GraphIndex.from_property_graph(project(graphs[name]))
    names = sorted({n.properties[key] for n in projected.nodes if key in n.properties})
    first = names[0] if names else "SYN:0000000"
    tricky = [first.upper(), first.lower(), f" {first}", f"{first}-", "-", "", "absent"]
    for value in [*names, *tricky]:
        stored = stored_index(_fresh(graphs[name]))
        assert isinstance(stored, StoredGraph) and stored.topology.name_keys is not None
        assert [n.element_id for n in stored.seek(key, ("s", value))] == \
            [n.element_id for n in projected.seek(key, ("s", value))], value
    graph = _fresh(graphs["synthetic"])
    stored = stored_index(graph)
    assert isinstance(stored, StoredGraph)
    stored.seek(key, ("s", first))
    assert len(stored._nodes) <= 2 and not stored._seekable.get((key, True))  # the entities are not indexed


@pytest.mark.parametrize("name", ["synthetic", "edge-cases"])
@pytest.mark.parametrize("key", ["description", "description_zh"])
def test_a_seek_on_an_entitys_text_makes_no_node_and_decodes_no_record(graphs, key, name):
    """The first seek on an entity's name indexes the entities' plain data: no entity
    record is decoded, no node made but those found; the nodes found are the projection's."""
    graph = _fresh(graphs[name])
    stored = stored_index(graph)
    assert isinstance(stored, StoredGraph)
    projected = GraphIndex.from_property_graph(project(graph))
    entities = graph.model.entities
    entities._chunks.clear()  # records decoded before by other tests
    decode = entities._decode
    made = []
    entities._decode = lambda data: made.append(data) or decode(data)
    try:
        values = sorted({n.properties[key] for n in projected.nodes if key in n.properties}) + ["absent", ""]
        for value in values:
            found = stored.seek(key, ("s", value))
            assert [n.element_id for n in found] == [n.element_id for n in projected.seek(key, ("s", value))]
            assert len(stored._nodes) <= sum(len(stored.seek(key, ("s", v))) for v in values)
    finally:
        entities._decode = decode
    assert made == []


def test_a_finding_id_holding_a_slash_is_built_record_by_record_and_stays_the_projection(tmp_path):
    graph = MechGraph.load(_edge_cases(tmp_path / "g", ("p", "p/x", "p-a")))
    with pytest.raises(stored_module._Indirect):
        direct_arrays(graph.model, graph.topology)
    _same_as_projection(graph)


def test_two_relationships_with_one_id_leave_the_graph_to_the_projection(tmp_path):
    graph = MechGraph.load(_edge_cases(tmp_path / "g", twice=True))
    with pytest.raises(stored_module._Indirect):
        direct_arrays(graph.model, graph.topology)
    with pytest.raises(Unsupported):
        general_arrays(graph.model, graph.topology)
    engine = Engine.for_graph(_fresh(graph))
    assert not isinstance(engine.graph, StoredGraph)
    query = "MATCH (:Finding {id: 'f-many'})-[r:EVIDENCE {assertion: 'b-drug'}]->(e) RETURN r.id, e.id"
    rows = engine.run(query).rows
    assert rows == Engine(project(graph)).run(query).rows
    assert sorted(rows) == [["f-many/evidence/b-drug/object", "e5"]] * 2 + \
        [["f-many/evidence/b-drug/subject", "drug-1"]] * 2


@pytest.mark.parametrize("query", [q for q in CORPUS if "embedded" not in q.refused_by], ids=lambda q: q.id)
def test_every_corpus_query_gives_the_same_rows_in_the_same_order_from_the_store(graphs, query):
    graph = graphs["bundled"]
    stored = Engine.for_graph(_fresh(graph))
    assert isinstance(stored.graph, StoredGraph)
    projected = Engine(project(graph))
    try:
        expected = projected.run(query.query, query.params).rows
    except MechgraphError as exc:
        with pytest.raises(type(exc)):
            stored.run(query.query, query.params)
        return
    assert stored.run(query.query, query.params).rows == expected


def test_a_query_on_a_big_graph_decodes_only_what_it_touches(graphs):
    graph = _fresh(graphs["synthetic"])
    engine = Engine.for_graph(graph)
    anchor = graph.topology.nodes[0]
    engine.run("MATCH (a:Entity {id: $id})-[r]->(b) RETURN count(*)", {"id": anchor})
    index = engine.graph
    assert len(index._nodes) <= 1 + len(graph.topology.out_of(0)) < index.meta["nodes"] / 4
    untouched = sum(1 for column in index.c.values() for flag in column.checked if not flag)
    assert untouched > 0


def _index_file(graph: MechGraph) -> Path:
    folder, key = graph.topology.stored_at
    return folder / f"{key}.cypher"


def test_the_index_file_is_arrays_written_once_beside_the_cache(graphs):
    graph = _fresh(graphs["example"])
    stored_index(graph)
    path = _index_file(graph)
    data = path.read_bytes()
    assert data.startswith(MAGIC) and b"\x80\x04\x95" not in data[:64]  # no pickle header
    assert path.stat().st_mode & 0o777 == 0o600
    written = path.stat().st_mtime_ns
    stored_index(_fresh(graph))
    assert path.stat().st_mtime_ns == written  # read again, not rewritten


def test_a_damaged_block_is_noticed_and_the_query_still_answered(graphs, capsys):
    graph = _fresh(graphs["bundled"])
    stored_index(graph)
    path = _index_file(graph)
    query = "MATCH (d:Drug {id: 'esketamine'})-[r]->(t) RETURN type(r), t.id ORDER BY type(r), t.id"
    expected = Engine(project(graph)).run(query).rows
    data = bytearray(path.read_bytes())
    data[-40] ^= 0xFF  # in the last array (the label lists)
    path.write_bytes(bytes(data))
    engine = Engine.for_graph(_fresh(graph))
    projected = Engine(project(graph))
    for label in projected.graph.label_names():  # reads every label's list of nodes
        count = f"MATCH (n:`{label}`) RETURN count(n)"
        assert engine.run(count).rows == projected.run(count).rows
    assert engine.run(query).rows == expected
    assert "damaged" in capsys.readouterr().err
    assert not path.exists() or path.read_bytes() != bytes(data)


def test_a_cut_or_foreign_index_file_is_rewritten(graphs, capsys):
    graph = _fresh(graphs["example"])
    stored_index(graph)
    path = _index_file(graph)
    path.write_bytes(path.read_bytes()[:200])
    assert isinstance(stored_index(_fresh(graph)), StoredGraph)
    assert "damaged" in capsys.readouterr().err
    path.write_bytes(b"\x80\x04\x95garbage")
    assert isinstance(stored_index(_fresh(graph)), StoredGraph)
    assert path.read_bytes().startswith(MAGIC)


def test_an_index_written_by_other_code_is_written_again(graphs, monkeypatch):
    graph = _fresh(graphs["example"])
    stored_index(graph)
    path = _index_file(graph)
    before = path.read_bytes()
    monkeypatch.setattr(stored_module, "_code_hash", lambda: "other code")
    assert isinstance(stored_index(_fresh(graph)), StoredGraph)
    assert path.read_bytes() != before


def test_without_a_cache_the_engine_projects_the_graph(monkeypatch, tmp_path):
    monkeypatch.setenv("MECHGRAPH_NO_CACHE", "1")
    cache._MEMORY.clear()
    shutil.copytree(ROOT / "tests/data/example-graph", tmp_path / "g")
    graph = MechGraph.load(tmp_path / "g")
    engine = Engine.for_graph(graph)
    assert not isinstance(engine.graph, StoredGraph)
    assert engine.run("MATCH (d:Drug) RETURN d.id").rows == [["drug-x"]]


def test_damage_found_in_the_middle_of_a_query_answers_it_from_the_projection(graphs, capsys):
    graph = _fresh(graphs["bundled"])
    engine = Engine.for_graph(graph)
    assert isinstance(engine.graph, StoredGraph)
    path = engine.graph.path
    query = "MATCH (a)-[r]->(b) RETURN type(r), count(*) AS n ORDER BY n DESC, type(r)"
    expected = Engine(project(graph)).run(query).rows
    data = path.read_bytes()
    length, _ = stored_module._HEAD.unpack_from(data, len(MAGIC))
    start = len(MAGIC) + stored_module._HEAD.size + length
    header = json.loads(data[len(MAGIC) + stored_module._HEAD.size:start])
    offset = start + next(b[3] for b in header["blobs"] if b[0] == "rel_start")  # where the array lies
    with open(path, "r+b") as handle:  # the mapped file changes under the engine
        handle.seek(offset + 8)
        handle.write(b"\xff\xff\xff\x7f")
    assert engine.run(query).rows == expected
    assert "damaged" in capsys.readouterr().err
    assert not path.exists()
    assert not isinstance(engine.graph, StoredGraph)
