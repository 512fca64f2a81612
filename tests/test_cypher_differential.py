"""Differential testing: the embedded engine against a real Neo4j 5 server, on random small
graphs and random read queries (tests/cypher_grammar.py).

Each example builds one graph on both sides, runs one query on both, and requires the same
rows (in order when the query orders on every column it returns; else as a multiset, with
floats and integers kept apart), or an error on both sides. The embedded engine may refuse a
feature by name instead of answering; that is counted, never a wrong answer. Hypothesis
shrinks a failing example to a small graph and query, printed with the failure.

The run is bounded and reproducible (``MECHGRAPH_DIFF_EXAMPLES`` examples, default 300,
derandomized). A longer, random run::

    MECHGRAPH_DIFF_EXAMPLES=5000 MECHGRAPH_DIFF_RANDOM=1 .venv/bin/python -m pytest tests/test_cypher_differential.py
"""

from __future__ import annotations

import math
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings

from cypher_grammar import LABELS, TYPES, RandomGraph, embedded_engine, graphs, queries
from mechgraph.cypher.errors import UnsupportedFeature
from mechgraph.errors import MechgraphError
from neo4j_server import start_neo4j

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("MECHGRAPH_DIFF_EXAMPLES", "300"))
RANDOM = os.environ.get("MECHGRAPH_DIFF_RANDOM") == "1"
OUTCOMES: Counter = Counter()


@pytest.fixture(scope="module")
def neo4j(tmp_path_factory):
    """A private Neo4j instance (each example replaces all of its data)."""
    server = start_neo4j(tmp_path_factory.mktemp("neo4j-differential"))
    with server.server().connect() as conn:
        yield conn
    server.stop()


def build_on_server(conn, graph: RandomGraph) -> None:
    """Replace the server's data with ``graph`` in one transaction (labels and types come
    from the grammar's fixed sets, so they may be written into the statements)."""
    statements = [("MATCH (n) DETACH DELETE n", {})]
    for combo in {labels for labels, _ in graph.nodes}:
        rows = [props for labels, props in graph.nodes if labels == combo]
        statements.append((f"UNWIND $rows AS p CREATE (x{''.join(':' + x for x in combo)}) SET x = p",
                           {"rows": rows}))
    for rtype in TYPES:
        rows = [{"s": s, "e": e, "p": p} for t, s, e, p in graph.relationships if t == rtype]
        if rows:
            statements.append((f"UNWIND $rows AS r MATCH (x {{id: r.s}}), (y {{id: r.e}}) "
                               f"CREATE (x)-[z:{rtype}]->(y) SET z = r.p", {"rows": rows}))
    assert all(set(labels) <= set(LABELS) for labels, _ in graph.nodes)
    conn.write_all(statements)


def canon(value):
    """A comparable form: floats and integers apart, lists element by element."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("float", "NaN" if math.isnan(value) else value)
    if isinstance(value, (list, tuple)):
        return ("list", tuple(canon(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, canon(v)) for k, v in value.items())))
    return (type(value).__name__, value)


def ordered(query: str) -> bool:
    """True when the query orders its result on every column it returns (a total order)."""
    return "ORDER BY" in query


def answer(run):
    try:
        result = run()
    except UnsupportedFeature as exc:
        return "refused", str(exc)
    except MechgraphError as exc:
        return "error", str(exc)
    return "rows", result


@settings(max_examples=EXAMPLES, derandomize=not RANDOM, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(graph=graphs(), query=queries())
def test_the_embedded_engine_answers_as_neo4j_does(neo4j, graph, query):
    build_on_server(neo4j, graph)
    theirs = answer(lambda: neo4j.read(query))
    ours = answer(lambda: embedded_engine(graph).run(query))
    if ours[0] == "refused":
        OUTCOMES["refused"] += 1
        assert "does not support" in ours[1] or "not supported" in ours[1], ours[1]
        return
    if theirs[0] == "error":
        if ours[0] == "rows" and not ours[1].rows:
            # Neo4j may evaluate a projection before it knows a row exists (a plan that
            # projects before expanding) and fail where no row reaches the RETURN.
            OUTCOMES["Neo4j error, no rows"] += 1
            return
        OUTCOMES["both error" if ours[0] == "error" else "wrong"] += 1
        assert ours[0] == "error", f"Neo4j raised {theirs[1]!r}; the embedded engine returned rows {ours[1].rows}"
        return
    assert ours[0] == "rows", f"Neo4j answered {theirs[1].rows}; the embedded engine raised {ours[1]!r}"
    OUTCOMES["same"] += 1
    mine = [tuple(canon(v) for v in row) for row in ours[1].rows]
    neo = [tuple(canon(v) for v in row) for row in theirs[1].rows]
    assert ours[1].columns == theirs[1].columns
    if not ordered(query):
        mine, neo = sorted(mine, key=repr), sorted(neo, key=repr)
    assert mine == neo, f"rows differ:\n  Neo4j:    {neo}\n  embedded: {mine}"


def test_most_random_queries_are_answered_not_refused():
    """The differential run means little if the engine refuses most of what it is given."""
    total = sum(OUTCOMES.values())
    if total == 0:
        pytest.skip("the differential test did not run")
    assert OUTCOMES["refused"] <= 0.1 * total, OUTCOMES
    assert OUTCOMES["same"] >= 0.6 * total, OUTCOMES
