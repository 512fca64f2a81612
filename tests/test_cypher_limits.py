"""The embedded engine never runs away: a deadline, a row budget, a regular expression
given only the time left, and running out of recursion, each one clear error."""

from __future__ import annotations

import time

import pytest

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph
from mechgraph.cypher.engine import Engine
from mechgraph.cypher.errors import CypherError
from mechgraph.cypher.limits import QueryLimit
from mechgraph.cypher.matching import GraphIndex
from mechgraph.cypher.values import Node, Relationship


def _clique(size: int) -> Engine:
    """Every node linked to every other: variable-length paths without end."""
    nodes = [Node(f"n{i}", ("Thing",), {"id": i}) for i in range(size)]
    rels = [Relationship(f"r{i}-{j}", "LINKS", {}, a, b)
            for i, a in enumerate(nodes) for j, b in enumerate(nodes) if i != j]
    return Engine.from_index(GraphIndex(nodes, rels))


def test_a_huge_range_is_refused_before_it_is_built():
    engine = Engine.for_graph(MechGraph.load(EXAMPLE_GRAPH))
    start = time.monotonic()
    with pytest.raises(QueryLimit, match="more than 1,000,000 list items"):
        engine.run("RETURN size(range(1, 1000000000)) AS n")
    assert time.monotonic() - start < 1
    assert engine.run("RETURN size(range(1, 10)) AS n", max_rows=10).rows == [[10]]
    with pytest.raises(QueryLimit, match="more than 9 list items"):
        engine.run("RETURN size(range(1, 10)) AS n", max_rows=9)


def test_unwinding_a_huge_range_under_a_limit_takes_only_the_rows_it_keeps():
    """As in the openCypher TCK (Aggregation3 [2]): a million and one numbers, 3,000 kept."""
    engine = Engine.from_index(GraphIndex([], []))
    result = engine.run("UNWIND range(1000000, 2000000) AS i WITH i LIMIT 3000 RETURN sum(i) AS s")
    assert result.rows == [[sum(range(1000000, 1003000))]]
    with pytest.raises(QueryLimit, match="more than 1,000,000 list items"):
        engine.run("UNWIND range(1000000, 2000000) AS i RETURN sum(i) AS s")


def test_paths_without_end_stop_at_the_deadline():
    engine = _clique(12)
    start = time.monotonic()
    with pytest.raises(QueryLimit, match=r"time limit of 0\.5 s \(raise it with --timeout\)"):
        engine.run("MATCH p=(a)-[*]-(b) RETURN count(p) AS paths", timeout=0.5)
    assert time.monotonic() - start < 5


def test_a_limit_stops_matching_once_it_has_its_rows():
    """Billions of paths in a 12-clique, but LIMIT 1 needs only the first."""
    engine = _clique(12)
    result = engine.run("MATCH p=(a)-[*]-(b) RETURN length(p) AS hops LIMIT 1", timeout=5)
    assert len(result.rows) == 1 and result.rows[0][0] >= 1


def test_a_cartesian_product_stops_at_the_row_budget():
    engine = _clique(60)
    with pytest.raises(QueryLimit, match="more than 100,000 rows"):
        engine.run("MATCH (a), (b), (c), (d) RETURN count(*) AS n", max_rows=100_000)
    assert engine.run("MATCH (a), (b) RETURN count(*) AS n", max_rows=100_000).rows == [[3600]]


def test_a_catastrophic_regular_expression_gets_only_the_time_left():
    engine = Engine.for_graph(MechGraph.load(EXAMPLE_GRAPH))
    start = time.monotonic()
    with pytest.raises(QueryLimit, match="regular expression"):
        engine.run("RETURN $s =~ '(a|aa)+$' AS m", {"s": "a" * 60 + "!"}, timeout=0.5)
    assert time.monotonic() - start < 5
    assert engine.run("RETURN 'esketamine' =~ 'es.*' AS m").rows == [[True]]


def test_deep_nesting_and_extreme_rounding_are_one_error_or_an_answer():
    engine = Engine.for_graph(MechGraph.load(EXAMPLE_GRAPH))
    with pytest.raises(CypherError, match="nested too deeply"):
        engine.run("RETURN " + "(" * 5000 + "1" + ")" * 5000 + " AS x")
    assert engine.run("RETURN round(1.5, 100000) AS x, round(1.25, 30) AS y, round(3.14159, 2) AS z").rows \
        == [[1.5, 1.25, 3.14]]


def test_the_command_line_names_the_option_that_raises_a_bound(run):
    result = run("--graph", EXAMPLE_GRAPH, "query", "UNWIND range(1, 20) AS i RETURN i", "--max-rows", "10")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == \
        "error: the query would hold more than 10 list items (raise the limit with --max-rows)"
    result = run("--graph", EXAMPLE_GRAPH, "query", "UNWIND range(1, 20) AS i RETURN i", "--max-rows", "20", "--json")
    assert result.exit_code == 0


def test_on_a_big_graph_a_slow_or_stopped_query_mentions_a_server(run, example_dir, monkeypatch):
    from mechgraph.cli import query as command
    monkeypatch.setattr(command, "BIG_GRAPH", 1)
    result = run("--graph", example_dir, "query", "UNWIND range(1, 10) AS x RETURN x", "--max-rows", "5")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the query would hold more than 5 ")
    assert result.stderr.rstrip().endswith("assertions, and a Neo4j server answers faster at this size: "
                                           "mechgraph load --uri URI, then mechgraph query --uri URI")
    monkeypatch.setattr(command, "SLOW_SECONDS", 0.0)
    result = run("--graph", example_dir, "query", "RETURN 1 AS one")
    assert result.exit_code == 0 and result.stdout.startswith("one")
    assert result.stderr.startswith("note: the query took ") and "then mechgraph query --uri URI" in result.stderr
    monkeypatch.setattr(command, "BIG_GRAPH", 10 ** 9)
    assert run("--graph", example_dir, "query", "RETURN 1 AS one").stderr == ""
