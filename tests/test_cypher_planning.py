"""The embedded engine's planning never changes an answer: property seeks, LIMIT that stops
matching early (rows streamed through every clause), top-k ORDER BY, hash joins of
disconnected patterns and property maps that read another pattern variable give the rows
the plain evaluation gives (a brute-force oracle: the same query written so that no
shortcut applies). Random small graphs from tests/cypher_grammar.py; no server."""

from __future__ import annotations

import math
import time
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypher_grammar import NUMBERS, STRINGS, embedded_engine, graphs
from mechgraph.cypher.engine import Engine
from mechgraph.cypher.errors import CypherError
from mechgraph.cypher.limits import QueryLimit, bounded
from mechgraph.cypher.matching import GraphIndex, JoinTable
from mechgraph.cypher.parser import parse
from mechgraph.cypher.planning import join_plan, lift_cross_references, seek_hints
from mechgraph.cypher.values import Node, Relationship

VALUES = [*NUMBERS, *STRINGS, None, 1.0, True, [1], float("nan")]


def rows(engine, query, params=None):
    return engine.run(query, params or {}).rows


def outcome(engine, query, params=None):
    """The rows of a query, or the kind of error it raises."""
    try:
        return rows(engine, query, params)
    except CypherError as exc:
        return type(exc).__name__


def bag(result):
    return Counter(repr(row) for row in result)


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), key=st.sampled_from(["id", "v", "s"]), value=st.sampled_from(VALUES),
       label=st.sampled_from(["", ":A", ":B"]))
def test_a_property_seek_gives_the_rows_a_scan_gives(graph, key, value, label):
    engine = embedded_engine(graph)
    seek = rows(engine, f"MATCH (n{label})-[r]->(m) WHERE n.{key} = $v RETURN n.id, r.w, m.id", {"v": value})
    scan = rows(engine, f"MATCH (n{label})-[r]->(m) WHERE (n.{key} = $v) = true RETURN n.id, r.w, m.id", {"v": value})
    assert bag(seek) == bag(scan)
    inline = rows(engine, f"MATCH (n{label} {{{key}: $v}}) RETURN n.id", {"v": value})
    assert bag(inline) == bag(rows(engine, f"MATCH (n{label}) WHERE (n.{key} = $v) = true RETURN n.id", {"v": value}))


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), key=st.sampled_from(["id", "v", "s"]),
       values=st.one_of(st.none(), st.lists(st.sampled_from(VALUES), max_size=4)))
def test_an_in_list_seek_gives_the_rows_a_scan_gives(graph, key, values):
    engine = embedded_engine(graph)
    seek = rows(engine, f"MATCH (n) WHERE n.{key} IN $vs RETURN n.id", {"vs": values})
    scan = rows(engine, f"MATCH (n) WHERE (n.{key} IN $vs) = true RETURN n.id", {"vs": values})
    assert bag(seek) == bag(scan)


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), limit=st.integers(0, 5), skip=st.integers(0, 3),
       pattern=st.sampled_from(["(a)-[r]-(b)", "(a)-[*0..2]->(b)", "(a:A), (b)", "(a)-[:R]->(b:B)"]))
def test_a_limit_keeps_some_of_the_rows_and_as_many_as_asked(graph, limit, skip, pattern):
    engine = embedded_engine(graph)
    every = bag(rows(engine, f"MATCH {pattern} RETURN a.id, b.id"))
    some = bag(rows(engine, f"MATCH {pattern} RETURN a.id, b.id SKIP {skip} LIMIT {limit}"))
    assert not some - every
    assert sum(some.values()) == max(0, min(limit, sum(every.values()) - skip))
    optional = rows(engine, f"OPTIONAL MATCH {pattern} RETURN a.id, b.id LIMIT {limit}")
    assert len(optional) == min(limit, max(1, sum(every.values())))


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), limit=st.integers(0, 4), skip=st.integers(0, 2),
       order=st.sampled_from(["a.v", "a.v DESC", "a.s, b.id DESC", "b.id", "a.v DESC, b.s"]))
def test_top_k_is_the_head_of_the_full_order(graph, limit, skip, order):
    engine = embedded_engine(graph)
    query = f"MATCH (a)-[r]-(b) RETURN a.id, a.v, a.s, b.id, b.s ORDER BY {order}"
    full = rows(engine, query)
    head = rows(engine, f"{query} SKIP {skip} LIMIT {limit}")
    assert head == full[skip:skip + limit]


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), near=st.sampled_from(["id", "v", "s"]), far=st.sampled_from(["id", "v", "s"]))
def test_a_property_map_may_read_another_variable_of_its_match(graph, near, far):
    engine = embedded_engine(graph)
    expected = bag(rows(engine, f"MATCH (a)-->(b) WHERE b.{far} = a.{near} RETURN a.id, b.id"))
    assert bag(rows(engine, f"MATCH (a)-->(b {{{far}: a.{near}}}) RETURN a.id, b.id")) == expected
    assert bag(rows(engine, f"MATCH (b {{{far}: a.{near}}})<--(a) RETURN a.id, b.id")) == expected


def test_top_k_on_many_rows_equals_a_full_sort():
    """Enough rows that the engine takes the top-k path (k under a quarter of the rows)."""
    nodes = [Node(str(i), ("N",), {"id": i, "score": (i * 7919) % 101 / 7}) for i in range(400)]
    engine = Engine.from_index(GraphIndex(nodes, []))
    full = rows(engine, "MATCH (n) RETURN n.id, n.score ORDER BY n.score DESC, n.id")
    assert rows(engine, "MATCH (n) RETURN n.id, n.score ORDER BY n.score DESC, n.id SKIP 3 LIMIT 10") == full[3:13]
    ties = rows(engine, "MATCH (n) RETURN n.score ORDER BY n.score LIMIT 20")
    assert ties == [[s] for s in sorted(n.properties["score"] for n in nodes)[:20]]


def test_a_sort_under_a_limit_past_the_row_budget_stops_at_the_budget():
    """The rows a sort holds count against --max-rows, however large its LIMIT."""
    nodes = [Node(str(i), ("N",), {"id": i}) for i in range(40)]
    engine = Engine.from_index(GraphIndex(nodes, []))
    query = "MATCH (a), (b), (c) WITH a, b, c ORDER BY c.id DESC LIMIT {} WHERE a.id < 1 RETURN b.id, c.id LIMIT 2"
    assert engine.run(query.format(3), max_rows=1000).rows == [[0, 39], [1, 39]]
    with pytest.raises(QueryLimit, match="more than 1,000 rows"):
        engine.run(query.format(1_000_000), max_rows=1000)


def test_relationship_types_use_their_own_adjacency():
    hub = Node("0", ("Hub",), {"id": 0})
    leaves = [Node(str(i), ("Leaf",), {"id": i}) for i in range(1, 7)]
    rels = [Relationship(f"r{i}", "RS"[i % 2], {"w": i}, hub, leaf) for i, leaf in enumerate(leaves)]
    engine = Engine.from_index(GraphIndex([hub, *leaves], rels))
    assert rows(engine, "MATCH (:Hub)-[r:R]->(x) RETURN x.id ORDER BY x.id") == [[1], [3], [5]]
    assert rows(engine, "MATCH (x)<-[r:S]-(:Hub) RETURN x.id ORDER BY x.id") == [[2], [4], [6]]
    assert rows(engine, "MATCH (:Hub)-[r:R|S]->(x) RETURN count(x)") == [[6]]
    assert rows(engine, "MATCH (:Hub)-[r:T]->(x) RETURN count(x)") == [[0]]
    assert math.isclose(rows(engine, "MATCH (:Hub)-[r:S]->() RETURN avg(r.w)")[0][0], 3.0)


# -- streaming: a LIMIT anywhere keeps the head of the rows the query gives without it ----------

PIPELINES = [
    "MATCH (a)-[r]-(b) WHERE a.id <> b.id WITH a, b, r RETURN a.id, b.id, r.w",
    "MATCH (a) OPTIONAL MATCH (a)-[:R]->(b) WITH a, b WHERE b IS NULL OR b.id > 0 RETURN a.id, b.id",
    "MATCH (a) UNWIND [a.v, a.s, 1] AS x WITH a, x MATCH (a)-[*0..2]-(c) RETURN a.id, x, c.id",
    "UNWIND [2, 0, 1] AS i MATCH (a) WHERE a.id >= i OPTIONAL MATCH (a)<-[r]-(b) RETURN i, a.id, b.id",
    "MATCH (a) WITH DISTINCT a.v AS v MATCH (b) WHERE b.v = v OR v IS NULL RETURN v, b.id",
    "MATCH (a), (b) WITH a, b WHERE a.id < b.id WITH a.id AS x, b.id AS y RETURN x + y, x",
]


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), query=st.sampled_from(PIPELINES), limit=st.integers(0, 6), skip=st.integers(0, 3),
       where=st.sampled_from(["RETURN", "WITH"]))
def test_a_limit_after_a_pipeline_keeps_the_head_of_its_rows(graph, query, limit, skip, where):
    """Rows stream through MATCH, OPTIONAL MATCH, UNWIND, WHERE and WITH in the order the
    query without LIMIT gives them, so LIMIT keeps exactly their head."""
    engine = embedded_engine(graph)
    every = rows(engine, query)
    if where == "RETURN":
        assert rows(engine, f"{query} SKIP {skip} LIMIT {limit}") == every[skip:skip + limit]
    else:  # the LIMIT on a WITH before the end, the rows going on through another clause
        columns = ", ".join(f"c{i}" for i in range(len(every[0]) if every else 1))
        head = query.rsplit("RETURN", 1)[0]
        names = query.rsplit("RETURN", 1)[1].split(",")
        renamed = ", ".join(f"{expr.strip()} AS c{i}" for i, expr in enumerate(names))
        limited = rows(engine, f"{head}WITH {renamed} SKIP {skip} LIMIT {limit} UNWIND [1] AS one RETURN {columns}")
        assert limited == every[skip:skip + limit]


def test_a_limit_stops_every_clause_before_it():
    """Billions of paths in a 12-clique behind WHERE, WITH, UNWIND and OPTIONAL MATCH, but
    LIMIT 2 needs only the first rows: an answer within a second, where matching them all
    runs into the deadline."""
    nodes = [Node(f"n{i}", ("Thing",), {"id": i}) for i in range(12)]
    rels = [Relationship(f"r{i}-{j}", "LINKS", {}, a, b)
            for i, a in enumerate(nodes) for j, b in enumerate(nodes) if i != j]
    engine = Engine.from_index(GraphIndex(nodes, rels))
    query = ("MATCH p = (a)-[*]-(b) WHERE length(p) > 1 WITH a, p UNWIND [1, 2] AS x "
             "OPTIONAL MATCH (a)-[:NONE]->(c) WITH x, length(p) AS hops, c")
    result = engine.run(f"{query} RETURN x, hops, c LIMIT 2", timeout=5)
    assert result.rows == [[1, 2, None], [2, 2, None]]
    start = time.monotonic()
    with pytest.raises(QueryLimit, match="time limit"):
        engine.run(f"{query} RETURN collect(x)[..2]", timeout=0.5)
    assert time.monotonic() - start < 5


# -- top-k: ORDER BY ... LIMIT k on a heap gives the head of the full order --------------------

@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), limit=st.integers(0, 5), skip=st.integers(0, 3),
       query=st.sampled_from([
           "MATCH (a)-[r]-(b) RETURN DISTINCT a.v AS v, b.s AS s ORDER BY {order}",
           "MATCH (a) OPTIONAL MATCH (a)-->(b) WITH a, b ORDER BY {order} {page} RETURN a.id, b.id, a.v, b.s",
           "MATCH (a)-[r]-(b) WITH a.v AS v, b.s AS s, count(*) AS n RETURN v, s, n ORDER BY {order}",
           "UNWIND [null, 2, 1.0, 'a', [1], 1, -0.5] AS v MATCH (b) RETURN v, b.s AS s ORDER BY {order}",
       ]),
       order=st.sampled_from(["v", "v DESC", "s, v DESC", "s DESC", "v DESC, s"]))
def test_top_k_keeps_order_by_semantics(graph, limit, skip, query, order):
    """Ties keep the order they came in (stable), null sorts last ascending and first
    descending, DISTINCT is applied before the order, SKIP after it."""
    engine = embedded_engine(graph)
    order = order.replace("v", "a.v").replace("s", "b.s") if "{page}" in query else order
    full = rows(engine, query.format(order=order, page=""))
    page = f"SKIP {skip} LIMIT {limit}"
    if "{page}" in query:
        assert rows(engine, query.format(order=order, page=page)) == full[skip:skip + limit]
    else:
        assert rows(engine, f"{query.format(order=order)} {page}") == full[skip:skip + limit]


# -- hash joins: the rows the filter gives, in the order it gives them ----------------------------

JOINS = [
    ("MATCH (a), (b) WHERE {a} = {b} RETURN a.id, b.id", 1),
    ("MATCH (a:A), (b)-[r]->(c) WHERE {a} = {b} RETURN a.id, b.id, r.w, c.id", 1),
    ("MATCH (a)-[r]->(e), (b)-[s]-(d) WHERE {a} = {b} RETURN a.id, r.w, e.id, b.id, s.w, d.id", 1),
    ("MATCH (a) WITH a, a.v AS x MATCH (b) WHERE {a} = {b} RETURN a.id, x, b.id", 0),
    ("MATCH (a) OPTIONAL MATCH (b), (c) WHERE {a} = {b} AND c.id = b.id RETURN a.id, b.id, c.id", 0),
    ("MATCH (a), (b), (c) WHERE {a} = {b} AND c.s = b.s RETURN a.id, b.id, c.id", 1),
]
SIDES = [("a.v", "b.v"), ("a.id", "b.v"), ("a.s", "b.v"), ("[a.v, a.s]", "[b.v, b.s]"),
         ("toString(a.id)", "b.s + ''"), ("a.v + 0.5", "b.v + 0.5"), ("a", "b"), ("{x: a.v}", "{x: b.v}"),
         ("a.v / 0", "b.v / 0"), ("a.s", "toInteger(b.v)")]


@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), query=st.sampled_from(JOINS), sides=st.sampled_from(SIDES), flip=st.booleans())
def test_a_hash_join_gives_the_rows_of_the_filtered_product(graph, query, sides, flip):
    """Null joins nothing, 1 joins 1.0, lists and maps join as Cypher's = says, NaN joins
    nothing, a relationship is still used once per MATCH; the rows come in the order the
    filtered product gives them."""
    text, pattern = query
    left, right = sides
    joined = text.format(a=right, b=left) if flip else text.format(a=left, b=right)
    filtered = text.format(a=f"({left} = {right})", b="true")  # no side reads the pattern alone

    def planned(query):
        matches = [c for c in parse(query).clauses if type(c).__name__ == "Match"]
        match = lift_cross_references(matches[-1] if pattern == 0 else matches[0])
        hints = seek_hints(match)
        return set(join_plan(match, {"a", "x"} if pattern == 0 else set(), hints)) | {"seek" for _ in hints.get("b", ())}
    assert planned(joined) & {pattern, "seek"} and not planned(filtered) & {pattern, "seek"}
    engine = embedded_engine(graph)
    assert outcome(engine, joined) == outcome(engine, filtered)


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), values=st.lists(st.sampled_from(VALUES), max_size=5))
def test_a_join_on_parameter_values_treats_nan_null_and_lists_as_equality_does(graph, values):
    engine = embedded_engine(graph)
    joined = rows(engine, "UNWIND $xs AS x MATCH (b) WHERE coalesce(b.v, b.s) = x RETURN x, b.id", {"xs": values})
    filtered = rows(engine, "UNWIND $xs AS x MATCH (b) WHERE (coalesce(b.v, b.s) = x) = true RETURN x, b.id",
                    {"xs": values})
    assert repr(joined) == repr(filtered)


def test_what_is_joined_and_what_is_left_to_a_seek_or_the_product():
    def plan(query, outer=frozenset()):
        match = lift_cross_references(parse(query).clauses[-2])
        return {index: len(join.left) for index, join in join_plan(match, set(outer), seek_hints(match)).items()}
    assert plan("MATCH (a:X), (b:Y) WHERE a.p = b.q RETURN a") == {1: 1}
    assert plan("MATCH (a:X), (b:Y) WHERE b.q = a.p AND a.r = b.r AND b.s = 1 RETURN a") == {1: 2}
    assert plan("MATCH (a)-->(b), (c) WHERE a.p = b.q RETURN a") == {}  # one pattern's own variables
    assert plan("MATCH (a), (b)-->(a) WHERE a.p = b.q RETURN a") == {}  # connected through a
    assert plan("MATCH (a), (b {q: a.p}) RETURN a") == {1: 1}  # the map entry becomes the WHERE's
    assert plan("MATCH (b) WHERE b.q = a.p RETURN a", {"a"}) == {}  # a seek: b.q from the row before
    assert plan("MATCH (b) WHERE b.q + 1 = a.p RETURN a", {"a"}) == {0: 1}
    assert plan("MATCH (b) WHERE b.q + 1 = a.p AND b.id = a.id RETURN a", {"a"}) == {}
    assert plan("MATCH (a), p = shortestPath((b)-[*]-(c)) WHERE a.p = b.q RETURN a") == {}
    assert plan("MATCH (a), (b) WHERE a.p = b.q OR a.p = 1 RETURN a") == {}


def test_a_join_too_big_for_the_row_budget_is_matched_row_by_row():
    """A table would hold more rows than --max-rows allows: the rows of the filtered
    product, within the budget, rather than a QueryLimit."""
    nodes = [Node(str(i), ("N",), {"id": i, "k": i % 7}) for i in range(50)]
    rels = [Relationship(f"r{i}-{j}", "R", {}, b, c) for i, b in enumerate(nodes) for j, c in enumerate(nodes)]
    engine = Engine.from_index(GraphIndex(nodes, rels))
    query = "MATCH (a:N {id: 3}), (b)-[r]->(c) WHERE a.k = b.k + c.k RETURN b.id, c.id"
    assert 1 in join_plan(parse(query).clauses[0], set(), {})
    joined = engine.run(query, max_rows=1000).rows
    assert joined == engine.run(query.replace("a.k = b.k + c.k", "(a.k = b.k + c.k) = true"), max_rows=1000).rows
    assert len(joined) == len([1 for b in nodes for c in nodes if b.properties["k"] + c.properties["k"] == 3])
    table = JoinTable(join_plan(parse(query).clauses[0], set(), {})[1])
    with bounded(max_rows=1000):
        table.build((({"b": n}, frozenset()) for n in nodes * 30), lambda expr, row: 1)
    assert table.too_big and table.every is None and not table.unkeyed


def test_a_property_join_on_many_rows_equals_the_filtered_product():
    nodes = [Node(str(i), ("A" if i % 2 else "B",), {"id": i, "k": i % 37, "f": float(i % 11)}) for i in range(600)]
    rels = [Relationship(f"r{i}", "R", {"w": i % 5}, nodes[i], nodes[(i * 7) % 600]) for i in range(600)]
    engine = Engine.from_index(GraphIndex(nodes, rels))
    for left, right in (("a.k", "b.k"), ("a.k", "b.f"), ("a.k", "r.w")):
        joined = rows(engine, f"MATCH (a:A), (b:B)-[r]->() WHERE {left} = {right} RETURN a.id, b.id, r.w")
        filtered = rows(engine, f"MATCH (a:A), (b:B)-[r]->() WHERE ({left} = {right}) = true RETURN a.id, b.id, r.w")
        assert joined == filtered and joined


# -- a relationship scan: one hop between two ends that ask nothing ------------------------------

SCANS = [
    ("MATCH (a)-[r]->(b) RETURN a.id, r.w, b.id", "MATCH p = (a)-[r]->(b) RETURN a.id, r.w, b.id"),
    ("MATCH (a)<-[r:R|S]-(b) RETURN a.id, type(r), b.id", "MATCH p = (a)<-[r:R|S]-(b) RETURN a.id, type(r), b.id"),
    ("MATCH ()-[r:S {w: 1}]->() RETURN r", "MATCH p = ()-[r:S {w: 1}]->() RETURN r"),
    ("MATCH (a)-[s]->(b), ()-[r]->() RETURN s, r", "MATCH (a)-[s]->(b), p = ()-[r]->() RETURN s, r"),
    ("MATCH (c:A), (a)-[r]->(b) RETURN c.id, a.id, b.id", "MATCH (c:A), p = (a)-[r]->(b) RETURN c.id, a.id, b.id"),
    ("MATCH (c) OPTIONAL MATCH ()-[r:R]->(d) WHERE d.id <> c.id RETURN c.id, r",
     "MATCH (c) OPTIONAL MATCH p = ()-[r:R]->(d) WHERE d.id <> c.id RETURN c.id, r"),
    ("MATCH ()-[r]->() RETURN r.w ORDER BY r.w DESC LIMIT 3", "MATCH p = ()-[r]->() RETURN r.w ORDER BY r.w DESC LIMIT 3"),
    ("MATCH (a)-[r]->(b) RETURN *", "MATCH p = (a)-[r]->(b) RETURN a, b, r"),
]


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(graph=graphs(), pair=st.sampled_from(SCANS))
def test_a_relationship_scan_gives_the_rows_matching_gives_in_the_same_order(graph, pair):
    """The scanned form and the same pattern with a path variable (which is matched node by
    node) give the same rows in the same order, each relationship once per row."""
    engine = embedded_engine(graph)
    scanned, matched = pair
    assert outcome(engine, scanned) == outcome(engine, matched)


def test_what_is_scanned_and_what_is_matched():
    from mechgraph.cypher.matching import _scannable

    def scannable(query: str, row: tuple = ()) -> bool:
        clause = parse(query).clauses[0]
        return _scannable(clause.patterns[-1], dict.fromkeys(row), seek_hints(clause))

    assert scannable("MATCH ()-[r]->() RETURN r") and scannable("MATCH (a)<-[r:R]-(b) RETURN r")
    assert scannable("MATCH ()-[r {w: 1}]->() RETURN r") and scannable("MATCH (x), (a)-[r]->(b) RETURN r")
    for query in ("MATCH ()-[r]-() RETURN r", "MATCH (a:A)-[r]->() RETURN r", "MATCH (a {id: 1})-[r]->() RETURN r",
                  "MATCH (a)-[r]->(a) RETURN r", "MATCH ()-[r*1..2]->() RETURN r", "MATCH p = ()-[r]->() RETURN r",
                  "MATCH (a)-[r]->()-[s]->() RETURN r", "MATCH (a)-[r]->(b) WHERE a.id = 1 RETURN r"):
        assert not scannable(query), query
    assert not scannable("MATCH (a)-[r]->(b) RETURN r", ("a",)) and not scannable("MATCH ()-[r]->() RETURN r", ("r",))
