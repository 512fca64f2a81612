"""The embedded engine's planning never changes an answer: property seeks, LIMIT that stops
matching early, top-k ORDER BY and property maps that read another pattern variable give
the rows the plain evaluation gives (a brute-force oracle: the same query written so that
no shortcut applies). Random small graphs from tests/cypher_grammar.py; no server."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cypher_grammar import NUMBERS, STRINGS, embedded_engine, graphs
from mechgraph.cypher.engine import Engine
from mechgraph.cypher.matching import GraphIndex
from mechgraph.cypher.values import Node, Relationship

VALUES = [*NUMBERS, *STRINGS, None, 1.0, True, [1], float("nan")]


def rows(engine, query, params=None):
    return engine.run(query, params or {}).rows


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
