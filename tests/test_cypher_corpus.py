"""One corpus, every backend: each query of tests/cypher_corpus/queries.yaml runs on the
embedded engine, on FalkorDB over Bolt and on a real Neo4j 5 server, against the
bundled graph. Each backend either returns the same rows as the others or refuses the
query with a clear error; which backends refuse which queries is part of the corpus
(``refused_by``) and of the docs site's Cypher support page, generated from it.
"""

from __future__ import annotations

import re

import networkx as nx
import pytest

from cypher_corpus.corpus import load_corpus, normalise, plain_rows
from mechgraph import MechGraph, MechgraphError
from mechgraph.cypher import run_query
from mechgraph.backends.loading import load, wipe
from mechgraph.backends.propertygraph import project

CORPUS = load_corpus()
BY_ID = {q.id: q for q in CORPUS}
SERVERS = ["falkordb", "neo4j"]


@pytest.fixture(scope="module")
def graph():
    return MechGraph.load()


@pytest.fixture(scope="module")
def servers(graph, bolt_connections):  # (slow: starts FalkorDB and Neo4j)
    """Every Bolt server that runs here (outside CI, one that cannot start is left out), loaded."""
    pg = project(graph)
    loaded = {}
    for name in SERVERS:
        try:
            conn = bolt_connections[name]
        except pytest.skip.Exception:
            continue
        wipe(conn)
        load(conn, pg)
        loaded[name] = conn
    return loaded


def answer(backend: str, query, graph, servers):
    """The backend's Result, or the MechgraphError it refused the query with."""
    try:
        if backend == "embedded":
            return run_query(query.query, query.params, graph=graph)
        return run_query(query.query, query.params, conn=servers[backend])
    except MechgraphError as exc:
        return exc


@pytest.mark.parametrize("query", CORPUS, ids=[q.id for q in CORPUS])
def test_the_embedded_engine_gives_the_expected_rows(query, graph):
    """The fast half: no server, the corpus's own expectations."""
    if "embedded" in query.refused_by:
        pytest.fail(f"{query.id}: the embedded engine must answer every corpus query")
    rows = plain_rows(run_query(query.query, query.params, graph=graph))
    if query.expect_rows is not None:
        expected = query.expect_rows
        if query.unordered_lists:
            rows = [{k: sorted(v) if k in query.unordered_lists else v for k, v in row.items()} for row in rows]
            expected = [{k: sorted(v) if k in query.unordered_lists else v for k, v in row.items()}
                        for row in expected]
        assert rows == expected
    for wanted in query.expect_contains or ():
        assert any(all(row.get(k) == v for k, v in wanted.items()) for row in rows), wanted


@pytest.mark.slow
@pytest.mark.parametrize("query", CORPUS, ids=[q.id for q in CORPUS])
def test_every_backend_agrees_or_refuses(query, graph, servers):
    backends = ["embedded", *servers]
    answers = {backend: answer(backend, query, graph, servers) for backend in backends}
    refused = {b for b, a in answers.items() if isinstance(a, MechgraphError)}
    assert refused == set(query.refused_by) & set(backends), {b: str(answers[b]) for b in refused}
    for backend in refused:
        assert re.search(r"does not support \S", str(answers[backend])), str(answers[backend])
    results = {b: normalise(a, query) for b, a in answers.items() if b not in refused}
    reference = results.pop("embedded")
    for backend, result in results.items():
        assert result[0] == reference[0], f"{backend}: columns differ"
        assert result[1] == reference[1], f"{backend} returned different rows from the embedded engine"


def test_the_corpus_covers_what_researchers_ask():
    assert len(CORPUS) >= 40
    text = "\n".join(q.query for q in CORPUS)
    for feature in ("OPTIONAL MATCH", "WITH ", "UNWIND", "ORDER BY", "SKIP", "LIMIT", "DISTINCT", "count(",
                    "collect(", "avg(", "CASE", "shortestPath", "*1..3", "-[*", "p = ", "EXISTS {", "=~",
                    "species", ".level", "$", "relationships(p)", "reduce(", "any("):
        assert feature in text, feature
    assert len({q.id for q in CORPUS}) == len(CORPUS)


# -- answers worked out from the model itself, for the queries FalkorDB cannot run -----------

def embedded_rows(query_id, graph):
    query = BY_ID[query_id]
    return plain_rows(run_query(query.query, query.params, graph=graph))


def test_shortest_path_length_agrees_with_networkx(graph):
    pg = project(graph)
    links = nx.Graph()
    links.add_edges_from((r.start, r.end) for r in pg.relationships)
    expected = nx.shortest_path_length(links, "esketamine", "antidepressant-effect")
    assert embedded_rows("shortest-path-length", graph) == [{"hops": expected}]


def test_regular_expression_agrees_with_python(graph):
    expected = sorted(e.id for e in graph.model.entities.values()
                      if any(re.fullmatch("GRI[NA][0-9][A-D]?", a) for a in e.aliases))
    assert embedded_rows("regex-aliases", graph) == [{"id": i} for i in expected]
    assert expected, "the corpus query should find the glutamate receptor genes"


def test_exists_subquery_agrees_with_the_model(graph):
    m = graph.model
    expected = sorted({a.subject for a in m.assertions.values() if a.predicate == "has_adverse_effect"
                       and m.entities[a.subject].type == "Drug" and m.entities[a.object].type == "AdverseEffect"})
    assert embedded_rows("exists-subquery", graph) == [{"drug": d} for d in expected]
    assert "esketamine" in expected
