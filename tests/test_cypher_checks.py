"""What the embedded engine refuses before running a query, with openCypher's error class
and phase (``CypherError.kind`` and ``.phase``, which the TCK measurement counts), and what
it must still answer: a check never refuses a query Neo4j accepts."""

from __future__ import annotations

import pytest

from mechgraph.cypher.engine import Engine
from mechgraph.cypher.matching import GraphIndex
from mechgraph.cypher.values import Node, Relationship
from mechgraph.errors import MechgraphError


@pytest.fixture(scope="module")
def engine():
    a = Node("a", ("Person",), {"name": "A", "age": 30, "flag": True})
    b = Node("b", ("Person",), {"name": "B", "age": 40, "flag": False})
    return Engine.from_index(GraphIndex([a, b], [Relationship("r", "KNOWS", {"w": 1}, a, b)]))


def error_of(engine, query, params=None):
    with pytest.raises(MechgraphError) as raised:
        engine.run(query, params or {})
    return raised.value.kind, raised.value.phase


COMPILE_SYNTAX = ("SyntaxError", "compile")


@pytest.mark.parametrize("query", [
    # a value the text shows is not a boolean, under AND, OR, XOR, NOT or as WHERE
    "RETURN 123 AND true",
    "RETURN true OR 'foo'",
    "RETURN [] XOR false",
    "RETURN {x: []} AND [123]",
    "RETURN NOT 0",
    "RETURN NOT [true]",
    "RETURN NOT {a: 1}",
    "MATCH (n) WHERE (n) RETURN n",
    "WITH 1 AS x RETURN NOT x",
    # a non-list on the right of IN
    "RETURN 1 IN 'foo'",
    "RETURN 1 IN {x: []}",
    # arithmetic on what is surely not a number
    "RETURN 'a' - 1",
    "RETURN any(x IN ['Clara'] WHERE x % 2 = 0) AS result",
    "RETURN all(x IN [false, true] WHERE x % 2 = 0) AS result",
    "UNWIND ['a', 'b'] AS s RETURN s * 2",
    # a graph function given the wrong kind of value
    "MATCH p = (a) RETURN labels(p) AS l",
    "MATCH (r) RETURN type(r)",
    "MATCH (n) RETURN length(n)",
    "MATCH ()-[r]->() RETURN length(r)",
    "MATCH p = (a)-[*]->(b) RETURN size(p)",
    "RETURN properties(1)",
    "RETURN properties([true, false])",
    # implicit grouping keys beside an aggregate
    "MATCH (me:Person)--(you:Person) RETURN me.age + count(you.age)",
    "MATCH (me:Person)--(you:Person) RETURN me.age + you.age, me.age + you.age + count(*)",
    "MATCH (me:Person)--(you:Person) WITH me.age + count(you.age) AS agg RETURN *",
    "MATCH (me:Person)--(you:Person) RETURN me.age, count(*) AS cnt ORDER BY me.age + you.age + count(*)",
    # a non-constant expression inside an aggregate; a function Neo4j does not have
    "RETURN count(rand())",
    "RETURN foo()",
])
def test_compile_time_syntax_errors(engine, query):
    assert error_of(engine, query) == COMPILE_SYNTAX


@pytest.mark.parametrize("query", [
    "WITH 123 AS x RETURN x.num",
    "WITH 'string' AS x RETURN x.num",
    "WITH [123, true] AS x RETURN x.num",
    "UNWIND [1, 2] AS x RETURN x.num",
])
def test_property_of_a_non_map_is_a_compile_time_type_error(engine, query):
    assert error_of(engine, query) == ("TypeError", "compile")


@pytest.mark.parametrize(("query", "params", "expected"), [
    ("RETURN range(0, 1.5)", {}, ("ArgumentError", "runtime")),
    ("RETURN range('xyz', 1, 1)", {}, ("ArgumentError", "runtime")),
    ("RETURN range(0, 1, true)", {}, ("ArgumentError", "runtime")),
    ("MATCH (p:Person) RETURN p.name SKIP $k", {"k": -1}, ("SyntaxError", "runtime")),
    ("MATCH (p:Person) RETURN p.name ORDER BY p.name LIMIT $k", {"k": 1.5}, ("SyntaxError", "runtime")),
    # what only the values show stays a runtime TypeError
    ("UNWIND ['a', 1] AS x RETURN x - 1", {}, ("TypeError", "runtime")),
    ("MATCH ()-[r]->() RETURN [x IN [r, 0] | type(x)]", {}, ("TypeError", "runtime")),
    ("WITH $v AS v RETURN NOT v", {"v": 1}, ("TypeError", "runtime")),
])
def test_runtime_errors(engine, query, params, expected):
    assert error_of(engine, query, params) == expected


@pytest.mark.parametrize(("query", "expected"), [
    # unknown types are never refused
    ("MATCH (n:Person) WHERE n.flag AND NOT n.flag = false RETURN n.name", [["A"]]),
    ("MATCH (n:Person) RETURN n.age % 7 AS m ORDER BY m", [[2], [5]]),
    ("WITH $l AS l RETURN 1 IN l AS x", [[True]]),
    ("RETURN null AND true AS x, NOT null AS y, 1 IN null AS z", [[None, None, None]]),
    ("RETURN [x IN [1, 2] WHERE x % 2 = 0 | -x] AS l", [[[-2]]]),
    ("RETURN 'a' + 1 AS s, [1] + 2 AS l", [["a1", [1, 2]]]),
    ("WITH {a: 1} AS m RETURN m.a", [[1]]),
    ("WITH date('2020-01-02') AS d RETURN d.year, d - duration('P1D') AS e", None),
    ("MATCH p = (a)-[r*]->(b) RETURN length(p), size(r), size(nodes(p))", [[1, 1, 2]]),
    ("MATCH (a)-[r]->(b) RETURN type(r), labels(a), properties(r), keys(b)",
     [["KNOWS", ["Person"], {"w": 1}, ["name", "age", "flag"]]]),
    # grouping keys: a returned variable or property may sit beside an aggregate
    ("MATCH (n:Person) RETURN n.age, n.age + count(*) AS c ORDER BY n.age", [[30, 31], [40, 41]]),
    ("MATCH (n:Person) RETURN n, n.age + count(*) AS c ORDER BY c", None),
    ("MATCH (n:Person) RETURN n.age AS a, count(*) AS c ORDER BY a + count(*)", [[30, 1], [40, 1]]),
    ("MATCH (n:Person) RETURN count(*) * 2 + size(collect(n.name)) AS x", [[6]]),
    # ORDER BY reads a returned expression as its column, however large (the TCK expects
    # a SyntaxError here, Neo4j 5 answers)
    ("MATCH (me:Person)--(you:Person) RETURN me.age + you.age, count(*) AS cnt "
     "ORDER BY me.age + you.age + count(*)", [[70, 2]]),
])
def test_what_neo4j_accepts_is_answered(engine, query, expected):
    result = engine.run(query, {"l": [1, 2]})
    if expected is not None:
        assert result.rows == expected
