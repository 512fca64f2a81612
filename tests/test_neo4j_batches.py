"""The loader's compact rows (``mechgraph.backends.batches``): every request decodes back
into exactly the items it carries and fits FalkorDB's request buffer, checked without a
server; and graphs whose rows vary load exactly into a real server and read back.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph, MechgraphError
from mechgraph.backends.falkordb import FALKORDB_REQUEST_LIMIT, falkordb_value, pasted_size, request_size
from mechgraph.backends.batches import (END, FLOAT, PLAIN, SAMPLE, SHARED, SHARED_REPEATS, START, _all_fit, _Shared,
                                     columns, encode, first_misfit, float_parts, groups, id_template,
                                     relationship_group, requests, transactions)
from mechgraph.backends.loading import load, wipe
from mechgraph.backends.propertygraph import Node, PropertyGraph, Relationship, project

HOSTILE_GRAPH = EXAMPLE_GRAPH.parent / "hostile-graph"
HOSTILE = ["it's", "a\\b", "\\'", "' RETURN 1 AS s //", 'say "hi"', "line\nbreak", "`{}`", "艾司氯胺酮 γ8", "tab\t|"]


def varied_graph(drugs: int = 30) -> PropertyGraph:
    """Nodes and relationships whose properties vary from row to row: missing keys,
    hostile text in values and ids, repeated values and lists, a float column that
    also holds integers, ids made of other values (and one that is not)."""
    nodes, rels = [], []
    for i in range(drugs):
        did = f"drug-{i}" if i % 7 else f"drug-{i}-{HOSTILE[i % len(HOSTILE)]}"
        props = {"id": did, "type": "Drug", "category": "biolink:Drug",
                 "name": f"Drug {i} {HOSTILE[i % len(HOSTILE)]}"}
        if i % 3 == 0:
            props["aliases"] = [HOSTILE[(i + 1) % len(HOSTILE)], "same alias"]
        if i % 4 == 1:
            props["description"] = HOSTILE[i % len(HOSTILE)] * 3
        nodes.append(Node(did, ("Mechgraph", "Entity", "Drug"), props))
    nodes.append(Node("receptor-r", ("Mechgraph", "Entity", "Receptor"),
                      {"id": "receptor-r", "type": "Receptor", "name": "R"}))
    for i in range(12):
        fid = f"f-{i}'s"
        nodes.append(Node(fid, ("Mechgraph", "Finding"), {
            "id": fid, "source": "seed-000", "statement": HOSTILE[i % len(HOSTILE)],
            "species": ["human"] if i % 2 else ["mouse", "rat"], "n_counts": [40, i]}))
        qid = f"{fid}/quantity/1" if i < 11 else f"other {i}"
        low = 0.1 * i if i % 3 else i  # floats and integers in one column
        nodes.append(Node(qid, ("Mechgraph", "Quantity"), {
            "id": qid, "finding": fid, "position": 1, "name": "Ki", "value": f"{i} nM", "low": low,
            **({"high": 1e-7 * (i + 1)} if i % 2 else {})}))
        rels.append(Relationship(f"{fid}/quantity/1" if i < 11 else f"other {i}", "HAS_QUANTITY", fid, qid,
                                 {"id": f"{fid}/quantity/1" if i < 11 else f"other {i}", "position": 1}))
        for position, target in enumerate((nodes[i].id, nodes[i + 1].id), 1):
            rid = f"{fid}/tested/{position}"
            rels.append(Relationship(rid, "TESTED", fid, target, {"id": rid, "position": position, "dose": "1 mg/kg"}))
        aid = f"a-{i}"
        rels.append(Relationship(aid, "ANTAGONIZES", nodes[i].id, "receptor-r", {
            "id": aid, "predicate": "antagonizes", "score": 0.55 + i / 1000, "species": ["human"],
            "supporting": [fid], **({"note": HOSTILE[i % len(HOSTILE)]} if i % 2 else {})}))
        for role, end in (("subject", nodes[i].id), ("object", "receptor-r")):
            rid = f"{fid}/evidence/{aid}/{role}"
            rels.append(Relationship(rid, "EVIDENCE", fid, end, {
                "id": rid, "assertion": aid, "stance": "supporting", "role": role}))
    return PropertyGraph(nodes, rels)


def decode(group, request) -> list[tuple]:
    """The items a request carries, read from its rows as the statement reads them:
    ``(id, start, end, properties)``."""
    shared = request.params.get("shared", [])
    out = []
    for row in request.params["rows"]:
        row = list(row) + [None] * 64
        values = {START: row[0], END: row[1]} if group.ends else {}
        slot = len(values)
        if group.template is None:
            values["id"] = row[slot]
            slot += 1
        props = {}
        for key, kind in group.columns:
            if kind == FLOAT:
                m, e = row[slot], row[slot + 1]
                value = m if e is None else m * 2.0 ** e
                slot += 2
            else:
                value = row[slot] if kind != SHARED or row[slot] is None else shared[row[slot]]
                slot += 1
            if value is not None:
                props[key] = values[key] = value
        parts = iter(request.params.get("parts", []))
        if group.template is not None:
            values["id"] = "".join(next(parts) if isinstance(p, str) else str(values[p[0]]) for p in group.template)
        props["id"] = values["id"]
        out.append((values["id"], values.get(START), values.get(END), props))
    return out


def same_items(decoded: list[tuple], items: list) -> bool:
    """Equal ids, ends and properties, a float still a float and an integer an integer."""
    def key(item):
        props = json.dumps(item.properties, sort_keys=True)
        return item.id, getattr(item, "start", None), getattr(item, "end", None), props
    return [(i, s, e, json.dumps(p, sort_keys=True)) for i, s, e, p in decoded] == [key(item) for item in items]


def bolt_text(query: str, params: dict) -> str:
    """The text FalkorDB's Bolt layer builds, written the way its C code writes it."""
    def literal(value) -> str:
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return f"{value:f}"
        if isinstance(value, str):
            return f"'{value}'"
        if isinstance(value, list):
            return "[" + ", ".join(literal(v) for v in value) + "]"
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    return "CYPHER " + "".join(f"{k}={literal(falkordb_value(v, k))} " for k, v in params.items()) + query


def test_request_size_is_the_text_falkordb_builds():
    params = {"rows": [HOSTILE, [1, -20, None, True, False, 0.5, 1e20], {"k": HOSTILE[0], "n": [2.25, []]}],
              "shared": [], "s": "艾司氯胺酮 it's \\"}
    query = "UNWIND $rows AS r RETURN r, $s, $shared"
    assert request_size(query, params) == len(bolt_text(query, params).encode())
    assert request_size("RETURN 1", {}) == len("RETURN 1")
    assert pasted_size([]) == 2 and pasted_size({}) == 2


@pytest.mark.parametrize("graph", ["bundled", "hostile", "varied"])
@pytest.mark.parametrize("max_bytes", [None, FALKORDB_REQUEST_LIMIT])
def test_every_request_decodes_to_its_items_and_fits(graph, max_bytes):
    pg = {"bundled": lambda: project(MechGraph.load()), "hostile": lambda: project(MechGraph.load(HOSTILE_GRAPH)),
          "varied": varied_graph}[graph]()
    seen = 0
    for group, items in groups(pg):
        done = 0
        for request in requests(group, items, 40, max_bytes):
            assert 1 <= request.items <= 40
            if max_bytes:
                assert request_size(request.statement, request.params) <= max_bytes
            assert same_items(decode(group, request), items[done:done + request.items]), group.statement
            done += request.items
        assert done == len(items)
        seen += done
    assert seen == len(pg.nodes) + len(pg.relationships)


def test_rows_built_a_column_at_a_time_are_those_encoded_one_by_one():
    """Differential: the rows a request carries (built column by column) against
    ``encode`` of each item, read back through their own shared values; in bulk, with the
    element ids of the ends (null for a node not created)."""
    for pg in (varied_graph(), project(MechGraph.load(HOSTILE_GRAPH)), project(MechGraph.load())):
        element = {n.id: f"4:db:{i}" for i, n in enumerate(pg.nodes) if i % 5}
        for bulk in (False, True):
            for group, items in groups(pg, bulk):
                nodes = element if bulk and group.ends else None
                done = 0
                for request in requests(group, items, 9, nodes=nodes):
                    shared = _Shared()
                    one_by_one = [encode(group, item, shared, nodes) for item in items[done:done + request.items]]
                    assert (decode(group, request) == decode(group, replace(request, params={
                        **request.params, "rows": one_by_one, "shared": shared.values})))
                    assert [len(row) for row in request.params["rows"]] == [len(row) for row in one_by_one]
                    if nodes is not None:
                        assert [(row + [None, None])[:2] for row in request.params["rows"]] == [
                            [element.get(item.start), element.get(item.end)]
                            for item in items[done:done + request.items]]
                    done += request.items


def test_rows_are_compact_and_statements_stay_the_same():
    pg = varied_graph()
    found = {items[0].type if group.ends else items[0].labels[-1]: group for group, items in groups(pg)}
    evidence = found["EVIDENCE"]
    assert evidence.template == ((START,), "/evidence/", ("assertion",), "/", ("role",))
    assert evidence.parts == ("/evidence/", "/") and dict(evidence.columns)["stance"] == SHARED
    assert found["HAS_QUANTITY"].template == ((END,),)  # its id is its end node's
    assert found["Quantity"].template is None  # one id is not made of the other values
    assert dict(found["ANTAGONIZES"].columns)["score"] == FLOAT
    work = [r for tx in transactions(pg, 500, 1500) for r in tx]
    assert len({r.statement for r in work}) == len(found) < len(work)  # one text per group
    row = next(r for r in work if "EVIDENCE" in r.statement).params["rows"][0]
    assert row[:3] == ["f-0's", "drug-0-it's", "a-0"] and len(row) == 5


def test_id_templates_only_when_every_id_follows():
    def cites(i: int, end: str) -> Relationship:
        return Relationship(f"f-{i}/cites/{i}", "CITES", f"f-{i}", end, {"id": f"f-{i}/cites/{i}", "position": i})
    rels = [cites(1, "s"), cites(2, "PMID:2"), cites(3, "PMID:3")]  # "s" happens to occur in the first id
    assert id_template(rels, (("position", "plain"),)) == ((START,), "/cites/", ("position",))
    odd = Relationship("x", "CITES", "f-9", "s", {"id": "x", "position": 9})
    assert id_template(rels + [odd], (("position", "plain"),)) is None
    mixed = [Node("n-1", ("Mechgraph",), {"id": "n-1", "k": "1"}), Node("n-2", ("Mechgraph",), {"id": "n-2", "k": 2})]
    assert id_template(mixed, (("k", "plain"),)) is None  # "1" and 2 would need different expressions


def test_batches_respect_the_batch_size_and_refuse_what_cannot_fit():
    pg = varied_graph()
    for tx in transactions(pg, 3):
        assert sum(r.items for r in tx) <= 3
    assert all(len(tx) == 1 for tx in transactions(pg, 1))
    big = PropertyGraph([Node("big", ("Mechgraph", "Source"), {"id": "big", "kind": "study", "title": "x" * 5000})], [])
    assert sum(len(tx) for tx in transactions(big, 10)) == 1
    with pytest.raises(MechgraphError, match="'big' is too large for FalkorDB's Bolt interface"):
        transactions(big, 10, FALKORDB_REQUEST_LIMIT)


def test_float_parts_are_exact():
    for value in (0.0, 1.0, -3.5, 0.1, 1e-7, 0.000123456789, 1e300, 5e-324, 2.0 ** 60):
        m, e = float_parts(value)
        assert m * 2.0 ** e == value and (m % 2 == 1 or m == 0)
    m, e = float_parts(-0.0)
    assert str(m * 2.0 ** e) == "-0.0" and float_parts(0.0) == (0, 0)
    with pytest.raises(MechgraphError, match="finite numbers only"):
        float_parts(float("nan"))


def read_back(conn) -> tuple[dict, dict]:
    """Every mechgraph node ``id -> (labels, properties)`` and relationship ``(type, start,
    end, id) -> properties``, properties as sorted JSON (so that 1 and 1.0 differ)."""
    nodes = conn.read("MATCH (n:Mechgraph) RETURN n.id, labels(n), properties(n)").rows
    rels = conn.read("MATCH (a:Mechgraph)-[r]->(b:Mechgraph) RETURN type(r), a.id, b.id, r.id, properties(r)").rows
    return ({i: (sorted(labels), json.dumps(p, sort_keys=True)) for i, labels, p in nodes},
            {(t, a, b, i): json.dumps(p, sort_keys=True) for t, a, b, i, p in rels})


def expected(pg: PropertyGraph) -> tuple[dict, dict]:
    return ({n.id: (sorted(n.labels), json.dumps(n.properties, sort_keys=True)) for n in pg.nodes},
            {(r.type, r.start, r.end, r.id): json.dumps(r.properties, sort_keys=True) for r in pg.relationships})


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [500, 7])
def test_a_graph_whose_rows_vary_loads_exactly(conn, batch_size):
    pg = varied_graph()
    wipe(conn)
    report = load(conn, pg, batch_size=batch_size)
    assert (report.nodes, report.relationships) == (len(pg.nodes), len(pg.relationships))
    assert read_back(conn) == expected(pg)


@pytest.mark.slow
def test_reloading_a_changed_graph_replaces_properties_labels_and_ends(conn):
    wipe(conn)
    load(conn, varied_graph())
    pg = varied_graph()
    nodes = [Node(n.id, ("Mechgraph", "Entity", "Receptor"), {**n.properties, "type": "Receptor"})
             if n.id == "drug-1" else Node(n.id, n.labels, {k: v for k, v in n.properties.items() if k != "aliases"})
             for n in pg.nodes]
    rels = [Relationship(r.id, r.type, r.start, "drug-2" if r.id == "a-3" else r.end, r.properties)
            for r in pg.relationships]  # the same counts by type, one relationship moved
    changed = PropertyGraph(nodes, rels)
    report = load(conn, changed)
    assert (report.removed_nodes, report.removed_relationships) == (0, 1)
    assert read_back(conn) == expected(changed)


@pytest.mark.parametrize("workers", [1, 2])
def test_transactions_in_flight_are_reported_in_order_and_a_failure_stops_what_follows(monkeypatch, workers):
    """The bulk path keeps ``workers`` transactions in flight: each committed request is
    reported in the order of the work, never more are running at once, and after a
    failure nothing more is sent, those already sent are still reported, and the
    failure is raised."""
    import threading
    import time

    from mechgraph.backends import loading
    from mechgraph.backends.batches import Request
    from mechgraph.backends.bolt import QueryFailed

    lock = threading.Lock()
    sent: list[int] = []
    heard: list[int] = []
    running = [0, 0]  # now, most at once

    def send(conn, request):
        with lock:
            sent.append(request.items)
            running[0] += 1
            running[1] = max(running)
        try:
            time.sleep(0.2 if request.items == 1 else 0.01)  # the first finishes after the second fails
            if request.items == 2:
                raise QueryFailed("refused")
            return [[request.items]]
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(loading, "_send", send)
    work = (Request("nodes", "CREATE ()", {}, items) for items in range(1, 7))
    with pytest.raises(QueryFailed, match="refused"):
        loading._pipelined(None, work, lambda request, rows: heard.append(rows[0][0]), workers)
    assert running[1] == workers
    assert sent == [1, 2, 3][:workers + 1]
    assert heard == [1, 3][:workers]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_progress_callback_that_raises_hears_of_every_transaction_that_committed(monkeypatch, workers):
    """A progress callback that raises (a user stopping the load) stops the sending; what
    was already sent commits and is reported, so the callback's last count is what the
    database holds, and its exception is the one raised."""
    from mechgraph.backends import loading
    from mechgraph.backends.batches import Request

    sent: list[int] = []
    heard: list[int] = []

    class Stop(Exception):
        pass

    def send(conn, request):
        sent.append(request.items)
        return [[request.items]]

    def progress(request, rows):
        heard.append(rows[0][0])
        if rows[0][0] == 1:
            raise Stop(rows[0][0])

    monkeypatch.setattr(loading, "_send", send)
    work = (Request("nodes", "CREATE ()", {}, items) for items in range(1, 7))
    with pytest.raises(Stop):
        loading._pipelined(None, work, progress, workers)
    assert sent == heard == [1, 2][:workers]


# -- the column-at-a-time analysis against item-by-item references ---------------------

def reference_columns(items) -> tuple[tuple[str, str], ...]:
    """``columns`` as its docstring says, visiting every value of every item."""
    seen: Counter = Counter()
    floats: set[str] = set()
    for item in items:
        seen.update(item.properties.keys())
        floats.update(k for k, v in item.properties.items() if type(v) is float)
    seen.pop("id", None)
    out = []
    for key in sorted(seen, key=lambda k: (-seen[k], k)):
        sample = [item.properties[key] for item in items[:SAMPLE] if key in item.properties]
        texts = all(isinstance(v, (str, list)) for v in sample)
        distinct = {json.dumps(v) for v in sample}
        shared = bool(sample) and texts and len(distinct) * SHARED_REPEATS <= len(sample)
        out.append((key, FLOAT if key in floats else SHARED if shared else PLAIN))
    return tuple(out)


WORDS = st.sampled_from(["a", "b", "{0}", "x/y", "5", ""])
VALUES = st.one_of(WORDS, st.integers(-3, 12), st.sampled_from([0.5, 1.0, -0.0, 1e-7]), st.booleans(),
                   st.lists(WORDS, max_size=2), st.lists(st.integers(0, 2), max_size=2))


@st.composite
def relationships(draw) -> list[Relationship]:
    """Relationships whose ids mostly follow ``<start>/e/<p>`` (or ``{<q>}<end>``), with
    the values a template meets: texts, empty texts, integers, floats, booleans, lists,
    missing keys and ids that follow nothing."""
    out = []
    style = draw(st.integers(0, 2))  # most ids of a list follow one way, some another
    for i in range(draw(st.integers(1, 25))):
        start, end = draw(st.sampled_from(["f-1", "f-2", "f{3}"])), draw(st.sampled_from(["n", "m", "5"]))
        props = {key: draw(VALUES) for key in ("p", "q", "r") if draw(st.integers(0, 5))}
        ways = [f"{start}/e/{props.get('p')}", f"{{{props.get('q')}}}{end}", f"odd-{i}"]
        rid = ways[style] if draw(st.integers(0, 9)) else draw(st.sampled_from(ways))
        out.append(Relationship(rid, "CITES", start, end, {"id": rid, **props}))
    return out


def _cites(rid: str, **props) -> Relationship:
    return Relationship(rid, "CITES", "f-1", "n", {"id": rid, **props})


@settings(max_examples=300, deadline=None)
@given(relationships())
@example([_cites("f-1/e/", p=""), _cites("f-1/e/a", p="a")])  # an empty value is no part of an id
@example([_cites("f-1/e/1", p=1), _cites("f-1/e/2", p="2")])  # a number and a text need two expressions
@example([_cites("{1}n", q=1), _cites("{2}n", q=2)])  # braces in the fixed text
def test_the_columns_and_the_id_check_made_a_column_at_a_time_are_those_made_item_by_item(rels):
    cols = columns(rels)
    assert cols == reference_columns(rels)
    for template in (((START,), "/e/", ("p",)), ("{", ("q",), "}", (END,)), ((START,), ("r",))):
        assert _all_fit(template, rels, cols) == (first_misfit(template, rels, cols) is None)


@settings(max_examples=200, deadline=None)
@given(relationships(), st.integers(1, 9))
def test_rows_of_any_values_decode_to_their_items_and_match_those_encoded_one_by_one(rels, batch_size):
    group = relationship_group("CITES", rels)
    done = 0
    for request in requests(group, rels, batch_size):
        chunk = rels[done:done + request.items]
        assert same_items(decode(group, request), chunk)
        shared = _Shared()
        one_by_one = [encode(group, item, shared) for item in chunk]
        assert [len(row) for row in request.params["rows"]] == [len(row) for row in one_by_one]
        done += request.items
    assert done == len(rels)


def test_a_shared_column_keeps_a_number_apart_from_the_same_text():
    """A column chosen as shared on its first items' texts may hold a number later; the
    number 5 and the text "5" travel as two shared values, not one."""
    nodes = [Node(f"n-{i}", ("Mechgraph", "Source"), {"id": f"n-{i}", "kind": "5" if i % 2 else "study"})
             for i in range(SAMPLE)] + [Node("last", ("Mechgraph", "Source"), {"id": "last", "kind": 5})]
    (group, items), = groups(PropertyGraph(nodes, []))
    assert dict(group.columns)["kind"] == SHARED
    request, = requests(group, items, len(items))
    assert same_items(decode(group, request), items)


def test_a_load_leaves_the_garbage_collector_as_it_found_it():
    """Loading freezes the objects alive when it starts, so that the collector does not
    walk the projection while rows are made, and unfreezes them at its end, even when the
    load fails."""
    import gc
    from mechgraph.backends import loading
    pg = varied_graph(3)
    frozen = gc.get_freeze_count()
    seen = []

    class Gone(Exception):
        pass

    def fail(*args):
        seen.append(gc.get_freeze_count())
        raise Gone

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_load", fail)
        with pytest.raises(Gone):
            load(None, pg)
    assert seen[0] > frozen and gc.get_freeze_count() == frozen and gc.isenabled()
    project(MechGraph.load(EXAMPLE_GRAPH))
    assert gc.isenabled()


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 2), st.sampled_from(["a", None]),
                    st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["b"])),
                             max_size=3))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["p", "q", "score"]), NUMBERS, max_size=3), max_size=12))
def test_a_number_no_server_can_hold_is_refused_naming_the_first_item_that_holds_one(values):
    """The check made a key at a time refuses exactly the graphs that hold NaN or an
    infinity, alone or in a list, and names the first such item, as a visit of every value
    in order would."""
    import math
    from mechgraph.backends.loading import refuse_unloadable

    def bad(value) -> bool:
        return any(type(v) is float and not math.isfinite(v) for v in (value if type(value) is list else [value]))

    ends = [Node(i, ("Mechgraph", "Entity"), {"id": i}) for i in ("a", "b")]
    rels = [Relationship(f"r-{i}", "INHIBITS", "a", "b", {"id": f"r-{i}", **props}) for i, props in enumerate(values)]
    first = next((r for r in rels if any(bad(v) for v in r.properties.values())), None)
    if first is None:
        refuse_unloadable(PropertyGraph(ends, rels))
    else:
        with pytest.raises(MechgraphError, match=f"\\(relationship '{first.id}', property"):
            refuse_unloadable(PropertyGraph(ends, rels))
