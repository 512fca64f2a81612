"""The Cypher script and the Neo4j CSV files are written from the projection spilled to disk
(mechgraph.backends.spill) instead of held whole: the same bytes as the projection in memory
gives, read back from the spill in its order, with the headers its whole groups give.

The references here are the code the spill replaced, written out: the projection made whole
(sorted records), the CSV files made from the property graph in memory, and the Cypher
literal escaped a character at a time.
"""

from __future__ import annotations

import csv
import io
import math
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mechgraph import MechGraph
from mechgraph.errors import MechgraphError
from mechgraph.atomic import _owner, scratch_beside
from mechgraph.backends import propertygraph
from mechgraph.backends.propertygraph import (LINK_TYPES, PREDICATE_OF_TYPE, Node, PropertyGraph, Relationship,
                                              project)
from mechgraph.backends.spill import SpilledGraph, columns, merged
from mechgraph.io import neo4j_csv
from mechgraph.store import recordfile
from mechgraph.io.cypher_script import cypher_literal, write_cypher_script
from mechgraph.io.neo4j_csv import ARRAY_DELIMITER, write_neo4j_csv
from test_cypher_stored import _edge_cases, _kgx_graph

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
NAMES = ["bundled", "example", "hostile", "kgx", "synthetic", "edge-cases", "in-memory"]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    example = MechGraph.load(DATA / "example-graph")
    return {"bundled": MechGraph.load(), "example": example, "hostile": MechGraph.load(DATA / "hostile-graph"),
            "kgx": MechGraph.load(DATA / "kgx-graph"),
            "synthetic": MechGraph.load(_kgx_graph(tmp_path_factory.mktemp("kgx") / "synthetic")),
            "edge-cases": MechGraph.load(_edge_cases(tmp_path_factory.mktemp("edge") / "graph")),
            "in-memory": MechGraph(_plain(example), example.topology)}  # records in dicts, not a stored file


def _plain(graph: MechGraph):
    import copy
    model = copy.copy(graph.model)
    for kind in ("entities", "findings", "assertions", "sources"):
        setattr(model, kind, dict(getattr(model, kind)))
    return model


# -- the references ---------------------------------------------------------------------

def reference_projection(graph) -> PropertyGraph:
    """The projection as it was made before: every kind's records sorted whole."""
    p = propertygraph
    m = graph.model
    nodes, rels = [], []
    nodes += [p.source_node(s) for s in sorted(m.sources.values(), key=lambda s: s.id)]
    nodes += [p.entity_node(e) for e in sorted(m.entities.values(), key=lambda e: e.id)]
    for f in sorted(m.findings.values(), key=lambda f: f.id):
        nodes.append(p.finding_node(f))
        rels.extend(p._finding_links(f))
        for position, q in enumerate(f.quantities, 1):
            nodes.append(p.quantity_node(f, position, q))
            rels.append(p.finding_link(f, "HAS_QUANTITY", position))
    data = graph.topology.edge_data
    for position, a in sorted(enumerate(m.assertions.values()), key=lambda pair: pair[1].id):
        rels.append(p.assertion_relationship(m, a, data(position)))
        rels += [p.evidence_relationship(a, *link) for link in p.evidence_links(a)]
    rels.sort(key=lambda r: (r.type not in PREDICATE_OF_TYPE, r.id))
    return PropertyGraph(nodes, rels)


def reference_type(values: list) -> str:
    kinds = set()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            kinds.add("boolean" if isinstance(item, bool) else "long" if isinstance(item, int)
                      else "double" if isinstance(item, float) else "string")
    kind = "double" if kinds == {"long", "double"} else kinds.pop() if len(kinds) == 1 else "string"
    return kind + "[]" if any(isinstance(v, list) for v in values) else kind


def reference_columns(items) -> list[tuple[str, str]]:
    keys: list[str] = []
    for item in items:
        keys += [k for k in item.properties if k != "id" and k not in keys]
    return [(k, reference_type([i.properties[k] for i in items if k in i.properties])) for k in keys]


def reference_csv(pg: PropertyGraph) -> dict[str, str]:
    """Every file's text as the export made it from the property graph in memory."""
    files = {}
    groups = [(name, [n for n in pg.nodes if kind in n.labels], ["id:ID", ":LABEL"],
               lambda n: [n.id, ARRAY_DELIMITER.join(n.labels)]) for kind, name in neo4j_csv.NODE_FILES.items()]
    groups.append((neo4j_csv.ASSERTIONS_FILE, [r for r in pg.relationships if r.type in PREDICATE_OF_TYPE],
                   [":START_ID", ":END_ID", ":TYPE", "id"], lambda r: [r.start, r.end, r.type, r.id]))
    groups += [(f"relationships-{t.lower().replace('_', '-')}.csv", [r for r in pg.relationships if r.type == t],
                [":START_ID", ":END_ID", ":TYPE", "id"], lambda r: [r.start, r.end, r.type, r.id]) for t in LINK_TYPES]
    for name, items, head, first in groups:
        cols = reference_columns(items)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(head + [k if t == "string" else f"{k}:{t}" for k, t in cols])
        writer.writerows(first(i) + [neo4j_csv._cell(i.properties.get(k), t, i.id) for k, t in cols] for i in items)
        files[name] = out.getvalue()
    return files


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def reference_literal(value) -> str:
    """A Cypher literal made as it was: a string escaped a character at a time."""
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or c in "\u2028\u2029" else c)
                             for c in value) + "'"
    if isinstance(value, list):
        return "[" + ", ".join(map(reference_literal, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k if k.isidentifier() else '`' + k.replace('`', '``') + '`'}: "
                               f"{reference_literal(v)}" for k, v in value.items()) + "}"
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else repr(value)


def exactly(value):
    """A value compared exactly: a float by its repr (so -0.0 is not 0.0), lists and dicts within."""
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, list):
        return ["list", *map(exactly, value)]
    if isinstance(value, tuple):
        return ("tuple", *map(exactly, value))
    if isinstance(value, dict):
        return {k: exactly(v) for k, v in value.items()}
    return (type(value).__name__, value)


def as_tuple(item) -> tuple:
    if isinstance(item, Node):
        return ("node", item.id, item.labels, exactly(item.properties))
    return ("rel", item.id, item.type, item.start, item.end, exactly(item.properties))


# -- the projection -----------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_the_projection_made_a_record_at_a_time_is_the_projection_made_whole(graphs, name):
    found, expected = project(graphs[name]), reference_projection(graphs[name])
    assert [as_tuple(n) for n in found.nodes] == [as_tuple(n) for n in expected.nodes]
    assert [as_tuple(r) for r in found.relationships] == [as_tuple(r) for r in expected.relationships]


@pytest.mark.parametrize("every", [1, 3, 7])
def test_reading_out_of_order_and_letting_go_on_the_way_reads_every_record_in_id_order(graphs, monkeypatch, every):
    monkeypatch.setattr(recordfile, "LET_GO_EVERY", every)
    for name in ("synthetic", "edge-cases"):
        for kind in ("sources", "entities", "findings", "assertions"):
            records = getattr(graphs[name].model, kind)
            expected = sorted(enumerate(records.values()), key=lambda pair: pair[1].id)
            assert [(p, r.id) for p, r in recordfile.positions_in_id_order(records)] == \
                [(p, r.id) for p, r in expected]
    # the synthetic graph's sources are not written in id order: the positions path was taken
    ids = graphs["synthetic"].model.sources.ids
    assert ids != sorted(ids)


# -- the spill ---------------------------------------------------------------------------

def _grouped(pairs) -> list:
    return [(key, [as_tuple(i) for i in items]) for key, items in pairs]


@pytest.mark.parametrize("name", NAMES)
def test_a_spilled_graph_gives_the_groups_of_the_projection_in_their_order(graphs, name, tmp_path):
    pg = project(graphs[name])
    spilled = SpilledGraph.of(graphs[name], tmp_path, columns=True)
    nodes, rels = pg.grouped()
    assert _grouped(spilled.node_groups()) == _grouped(nodes.items())
    assert _grouped(spilled.relationship_groups()) == _grouped(rels.items())
    for kind in ("Entity", "Finding", "Source", "Quantity"):
        items = [n for n in pg.nodes if kind in n.labels]
        assert [as_tuple(n) for n in merged(spilled.nodes_labelled(kind))] == [as_tuple(n) for n in items]
    wanted = [PREDICATE_OF_TYPE, *([t] for t in LINK_TYPES)]
    for types in wanted:
        items = [r for r in pg.relationships if r.type in types]
        groups = spilled.relationships_typed(types)
        assert [as_tuple(r) for r in merged(groups)] == [as_tuple(r) for r in items]
        assert [(k, neo4j_csv._kind_of(t, listed)) for k, t, listed in columns(groups)] == reference_columns(items)


TEXT = st.text(st.sampled_from(["a", "b", "é", "'", "\\", "\n", "\x00", "\x1f", "\u2028", "\u2029", "\x7f", "\ud800", "`", "/", "-"]),
               max_size=6)
SCALARS = TEXT | st.integers(-3, 2**70) | st.booleans() | \
    st.floats(allow_nan=False) | st.sampled_from([-0.0, 0.0, math.inf, -math.inf, 1e300])
VALUES = SCALARS | st.lists(SCALARS, max_size=3)
PROPERTIES = st.dictionaries(st.sampled_from(["id", "name", "score", "x", "y", "z`"]), VALUES, max_size=4)


@st.composite
def items(draw) -> list:
    out = []
    for _ in range(draw(st.integers(0, 30))):
        item_id = draw(st.sampled_from(["a", "a/b", "a-b", "a1", "a10", "b", "kgx:e1", "kgx:e10"]))
        props = draw(PROPERTIES)
        if draw(st.booleans()):
            labels = draw(st.sampled_from([("Mechgraph", "Entity", "Drug"), ("Mechgraph", "Entity", "Protein"),
                                           ("Mechgraph", "Finding"), ("Mechgraph", "Quantity")]))
            out.append(Node(item_id, labels, props))
        else:
            rel_type = draw(st.sampled_from(["ACTIVATES", "INHIBITS", "EVIDENCE", "CITES", "ABOUT"]))
            out.append(Relationship(item_id, rel_type, draw(TEXT), draw(TEXT), props))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=items())
def test_any_items_spilled_come_back_grouped_ordered_and_with_their_columns(made, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spill")
    nodes = [i for i in made if isinstance(i, Node)]
    rels = sorted((i for i in made if isinstance(i, Relationship)),
                  key=lambda r: (r.type not in PREDICATE_OF_TYPE, r.id))
    expected_nodes, expected_rels = PropertyGraph(nodes, rels).grouped()
    spilled = SpilledGraph(made, folder, columns=True)
    assert _grouped(spilled.node_groups()) == _grouped(expected_nodes.items())
    assert _grouped(spilled.relationship_groups()) == _grouped(expected_rels.items())
    for types in (["ACTIVATES", "INHIBITS"], ["EVIDENCE"], ["CITES", "ABOUT", "EVIDENCE"]):
        groups = spilled.relationships_typed(types)
        wanted = [r for r in rels if r.type in types]
        assert [as_tuple(r) for r in merged(groups)] == [as_tuple(r) for r in wanted]
        assert [(k, neo4j_csv._kind_of(t, listed)) for k, t, listed in columns(groups)] == reference_columns(wanted)
    for label in ("Entity", "Finding"):
        groups = spilled.nodes_labelled(label)
        wanted = [n for n in nodes if label in n.labels]
        assert [as_tuple(n) for n in merged(groups)] == [as_tuple(n) for n in wanted]
        assert [(k, neo4j_csv._kind_of(t, listed)) for k, t, listed in columns(groups)] == reference_columns(wanted)


# -- the exports ------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_the_neo4j_csv_files_are_those_the_projection_in_memory_gives(graphs, name, tmp_path):
    written = write_neo4j_csv(graphs[name], tmp_path / "csv")
    expected = reference_csv(project(graphs[name]))
    found = {p.name: p.read_text(encoding="utf-8") for p in written if p.suffix == ".csv"}
    assert found == expected


@pytest.mark.parametrize("name", NAMES)
def test_the_cypher_script_is_the_one_the_projection_in_memory_gives(graphs, name, tmp_path):
    from mechgraph.backends.loading import batches
    from mechgraph.io import cypher_script
    path = write_cypher_script(graphs[name], tmp_path / "graph.cypher")[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    pg = project(graphs[name])
    expected = [cypher_script.CONSTRAINT] + [
        statement.replace("$rows", "[" + ", ".join(rows) + "]", 1) + ";"
        for _, statement, rows in cypher_script._literal_batches(pg, batches)]
    assert lines[3:] == expected
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # the scratch directory is gone


def test_the_exports_never_hold_the_whole_projection(graphs, tmp_path, monkeypatch):
    def whole(graph):
        raise AssertionError("the whole projection was made")
    monkeypatch.setattr(propertygraph, "_project", whole)
    write_cypher_script(graphs["edge-cases"], tmp_path / "graph.cypher")
    write_neo4j_csv(graphs["edge-cases"], tmp_path / "csv")
    assert (tmp_path / "csv" / "relationships-evidence.csv").stat().st_size > 0


@settings(max_examples=400, deadline=None)
@given(value=st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.sampled_from(["a", "b c", "d`e"]), inner, max_size=3), max_leaves=8))
def test_a_cypher_literal_escapes_as_a_character_at_a_time_does(value):
    if isinstance(value, float) and not math.isfinite(value):
        return
    if any(isinstance(v, float) and not math.isfinite(v) for v in _leaves(value)):
        return
    assert cypher_literal(value) == reference_literal(value)


def _leaves(value):
    if isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    else:
        yield value


# -- the scratch directory ---------------------------------------------------------------

def test_a_failed_export_leaves_no_scratch_directory(graphs, tmp_path, monkeypatch):
    def broken(value, kind, owner):
        raise MechgraphError(f"{owner}: broken on purpose")
    monkeypatch.setattr(neo4j_csv, "_cell", broken)
    with pytest.raises(MechgraphError, match="broken on purpose"):
        write_neo4j_csv(graphs["example"], tmp_path / "csv")
    assert list(tmp_path.iterdir()) == []


def test_a_scratch_directory_left_by_a_killed_process_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "graph.cypher"
    dead = 2**22 + 12345  # above the usual pid_max: no such process
    left = tmp_path / f".graph.cypher.{_owner().rsplit('-', 1)[0]}-{dead}.abcd.tmp"
    (left / "n0.jsonl").parent.mkdir()
    (left / "n0.jsonl").write_text("[]\n")
    old = time.time() - 3600
    os.utime(left, (old, old))
    with scratch_beside(target) as scratch:
        assert scratch.is_dir() and not left.exists()
    assert not scratch.exists()


def test_a_full_disk_while_spilling_is_one_error_line_and_writes_nothing(run, tmp_path, monkeypatch):
    from mechgraph.backends import spill

    def full(self, order, line):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(spill.Group, "add", full)
    for fmt, out in (("neo4j-csv", tmp_path / "csv"), ("cypher", tmp_path / "graph.cypher")):
        result = run("--graph", DATA / "example-graph", "export", "--format", fmt, "-o", out)
        assert result.exit_code != 0
        lines = result.output.strip().splitlines()
        assert lines == [lines[-1]] and lines[-1].startswith(f"error: cannot write {out}: No space left on device")
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
