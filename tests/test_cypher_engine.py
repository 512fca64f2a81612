"""The embedded Cypher engine on the toy graph: Neo4j's semantics, and refusals by name.

Expected rows are worked out by hand from tests/data/example-graph/toy.yaml.
"""

from __future__ import annotations

import pytest

from mechgraph import MechGraph, MechgraphError
from mechgraph.cypher.engine import Engine
from mechgraph.cypher.values import Node, Path, Relationship


@pytest.fixture(scope="module")
def engine():
    from conftest import EXAMPLE_GRAPH
    return Engine.for_graph(MechGraph.load(EXAMPLE_GRAPH))


def rows(engine, query, **params):
    return engine.run(query, params).rows


def test_match_by_label_and_relationship(engine):
    assert rows(engine, "MATCH (d:Drug)-[r]->(t:Entity) RETURN t.id ORDER BY t.id") == [
        ["behaviour-b"], ["disease-d"], ["protein-p"], ["receptor-r"]]
    assert rows(engine, "MATCH (d)-[:TREATS|ANTAGONIZES]->(t) RETURN t.id ORDER BY t.id") == [
        ["disease-d"], ["receptor-r"]]
    assert rows(engine, "MATCH (n) WHERE n:Receptor OR n:Pathway RETURN n.id ORDER BY n.id") == [
        ["pathway-q"], ["receptor-r"]]


def test_columns_are_the_expressions_as_written(engine):
    result = engine.run("MATCH (d:Drug) RETURN d.id, toUpper(d.name), count(*) AS n")
    assert result.columns == ["d.id", "toUpper(d.name)", "n"]
    assert result.rows == [["drug-x", "DRUG X", 1]]


def test_optional_match_binds_null(engine):
    assert rows(engine, "MATCH (e:Entity {id: 'island'}) OPTIONAL MATCH (e)-[r]-(x:Entity) RETURN e.id, r, x") == [
        ["island", None, None]]


def test_aggregation_groups_and_empty_input(engine):
    assert rows(engine, "MATCH (:Entity)-[r]->(:Entity) RETURN r.level AS level, count(*) AS n ORDER BY level") == [
        ["animal_in_vivo", 4], ["rct", 1], ["review_opinion", 1]]
    assert rows(engine, "MATCH (n:Nothing) RETURN count(n), collect(n), sum(1), avg(1)") == [[0, [], 0, None]]
    assert rows(engine, "MATCH (n:Nothing) RETURN n.id, count(*)") == []
    assert rows(engine, "MATCH (f:Finding) WITH f.level AS level, count(*) AS n WHERE n > 1 RETURN level, n") == [
        ["animal_in_vivo", 5]]
    assert rows(engine, "MATCH (f:Finding)-[t:TESTED]->(d) RETURN count(DISTINCT d) AS drugs, count(t) AS tested") == [
        [1, 5]]


def test_order_by_puts_null_last_and_first_when_descending(engine):
    assert rows(engine, "UNWIND [3, null, 1] AS x RETURN x ORDER BY x") == [[1], [3], [None]]
    assert rows(engine, "UNWIND [3, null, 1] AS x RETURN x ORDER BY x DESC") == [[None], [3], [1]]
    assert rows(engine, "MATCH (f:Finding) RETURN f.id ORDER BY f.level DESC, f.id LIMIT 2") == [
        ["f-p-regulates-q"], ["f-x-treats-d"]]


def test_variable_length_and_shortest_paths(engine):
    assert rows(engine, "MATCH (:Entity {id: 'drug-x'})-[*2]->(x) RETURN x.id ORDER BY x.id") == [
        ["pathway-q"], ["protein-p"]]
    assert rows(engine, "MATCH (a {id: 'receptor-r'}), (b {id: 'disease-d'}) "
                        "MATCH p = shortestPath((a)-[*..4]-(b)) RETURN length(p), [n IN nodes(p) | n.id]") == [
        [2, ["receptor-r", "drug-x", "disease-d"]]]


def test_a_relationship_is_used_once_per_match(engine):
    # drug-x and each entity it acts on share exactly one relationship
    assert rows(engine, "MATCH (a {id: 'drug-x'})-[r1]-(b:Entity)-[r2]-(a) RETURN count(*)") == [[0]]
    assert rows(engine, "MATCH (a {id: 'drug-x'})-[r1]-(b:Entity) MATCH (b)-[r2]-(a) RETURN count(*)") == [[4]]


def test_three_valued_logic(engine):
    assert rows(engine, "RETURN null = null AS a, null <> 1 AS b, 1 IN [null, 1] AS c, 2 IN [null, 1] AS d, "
                        "NOT null AS e, null OR true AS f, null AND false AS g, 1 = 1.0 AS h") == [
        [None, None, True, None, None, True, False, True]]


def test_integer_arithmetic_follows_java(engine):
    assert rows(engine, "RETURN 7 / 2, -7 / 2, -7 % 3, 7 / 2.0, 2 ^ 3, 'n = ' + 1") == [
        [3, -3, -1, 3.5, 8.0, "n = 1"]]


def test_functions(engine):
    assert rows(engine, "RETURN toUpper('abc'), substring('abcdef', 2, 2), split('a,b', ','), toString(1.0), "
                        "toInteger('12'), size('艾司'), coalesce(null, 'x'), round(2.5), round(-2.5)") == [
        ["ABC", "cd", ["a", "b"], "1.0", 12, 2, "x", 3.0, -2.0]]
    assert rows(engine, "RETURN [x IN range(1, 5) WHERE x % 2 = 1 | x * 10], any(x IN [1, 2] WHERE x > 1), "
                        "reduce(s = 0, x IN [1, 2, 3] | s + x)") == [[[10, 30, 50], True, 6]]


def test_pattern_comprehension_and_exists(engine):
    assert rows(engine, "MATCH (d:Drug) RETURN [(d)-[:TREATS]->(c) | c.id], "
                        "EXISTS { (d)-[:ANTAGONIZES]->(:Receptor) }, COUNT { (d)-->(:Entity) }") == [
        [["disease-d"], True, 4]]


def test_with_distinct_union_and_map_projection(engine):
    assert rows(engine, "MATCH (f:Finding)-[:TESTED]->(d) WITH DISTINCT d RETURN d.id") == [["drug-x"]]
    assert rows(engine, "RETURN 1 AS x UNION RETURN 1 AS x") == [[1]]
    assert rows(engine, "RETURN 1 AS x UNION ALL RETURN 1 AS x") == [[1], [1]]
    assert rows(engine, "MATCH (n:Entity {id: 'drug-x'}) RETURN n {.id, .name, kind: 'drug'}") == [
        [{"id": "drug-x", "name": "Drug X", "kind": "drug"}]]


def test_parameters_are_typed(engine):
    assert rows(engine, "UNWIND $ids AS id MATCH (e:Entity {id: id}) WHERE size(e.name) > $n AND $flag "
                        "RETURN e.id ORDER BY e.id", ids=["drug-x", "protein-p"], n=2, flag=True) == [
        ["drug-x"], ["protein-p"]]
    assert rows(engine, "RETURN $m.k, $m.l[1]", m={"k": 1.5, "l": ["a", "b"]}) == [[1.5, "b"]]


def test_graph_values(engine):
    (node, rel, path), = rows(engine, "MATCH p = (d:Drug)-[r:TREATS]->(c) RETURN d, r, p")
    assert isinstance(node, Node) and node.labels == ("Mechgraph", "Entity", "Drug")
    assert node.properties["name"] == "Drug X"
    assert isinstance(rel, Relationship) and rel.type == "TREATS"
    assert rel.properties["supporting"] == ["f-x-treats-d"] and rel.properties["level"] == "rct"
    assert rel.start.properties["id"] == "drug-x" and rel.end.properties["id"] == "disease-d"
    assert isinstance(path, Path) and [n.properties["id"] for n in path.nodes] == ["drug-x", "disease-d"]


def test_procedures(engine):
    labels = [row[0] for row in rows(engine, "CALL db.labels() YIELD label RETURN label ORDER BY label")]
    assert {"Mechgraph", "Entity", "Drug", "Finding", "Source"} <= set(labels)
    assert ["TREATS"] in rows(engine, "CALL db.relationshipTypes()")


@pytest.mark.parametrize("query, message", [
    ("CREATE (n) RETURN n", "the embedded graph is read-only (CREATE is a write); load the graph into Neo4j "
                            "and use --uri with --write to change it"),
    ("MATCH (n) DETACH DELETE n", "the embedded graph is read-only (DETACH DELETE is a write); load the graph into Neo4j "
                                  "and use --uri with --write to change it"),
    ("CALL { MATCH (n) RETURN n } RETURN n", "the embedded Cypher engine does not support CALL { } subqueries; "
                                             "run the query on Neo4j instead (--uri or NEO4J_URI)"),
    ("RETURN point({x: 1, y: 2})", "the embedded Cypher engine does not support spatial values (point()); "
                                   "run the query on Neo4j instead (--uri or NEO4J_URI)"),
    ("LOAD CSV FROM 'file:///x.csv' AS row RETURN row", "the embedded Cypher engine does not support LOAD CSV; "
                                                        "run the query on Neo4j instead (--uri or NEO4J_URI)"),
    ("RETURN apoc.coll.sum([1])", "the embedded Cypher engine does not support the function apoc.coll.sum() "
                                  "(a plugin or namespaced function); run the query on Neo4j instead "
                                  "(--uri or NEO4J_URI)"),
    ("MATCH ((a)-->(b)){1,3} RETURN a", "the embedded Cypher engine does not support quantified path patterns; "
                                        "run the query on Neo4j instead (--uri or NEO4J_URI)"),
    ("MATCH (n) WHERE exists(n.name) RETURN n", "the embedded Cypher engine does not support exists() (removed "
                                                "in Neo4j 5: use IS NOT NULL, or EXISTS { pattern }); run the "
                                                "query on Neo4j instead (--uri or NEO4J_URI)"),
    ("MATCH (n RETURN n", "expected ')' but found 'RETURN' at line 1, column 10"),
    ("MATCH (n) RETURN m", "variable `m` not defined"),
    ("MATCH (n) WITH n.id RETURN 1", "an expression in WITH must be aliased (use AS): n.id"),
    ("RETURN $missing", "expected parameter $missing (pass it with -p missing=VALUE)"),
    ("RETURN 1 / 0", "/ by zero"),
    ("RETURN 'a' - 1", "type mismatch: cannot apply - to STRING and INTEGER"),
    ("MATCH (n)", "a query must end with RETURN"),
])
def test_refusals_name_the_problem(engine, query, message):
    with pytest.raises(MechgraphError) as raised:
        engine.run(query)
    assert str(raised.value) == message


@pytest.mark.parametrize(("query", "kind", "phase"), [
    ("MATCH (n RETURN n", "SyntaxError", "compile"),
    ("MATCH (n) RETURN m", "SyntaxError", "compile"),
    ("RETURN [x IN [1] | count(x)] AS c", "SyntaxError", "compile"),
    ("MATCH (n) RETURN count(count(n)) AS c", "SyntaxError", "compile"),
    ("MATCH (n) RETURN n.id AS id ORDER BY count(n)", "SyntaxError", "compile"),
    ("RETURN 1 AS a UNION RETURN 2 AS b", "SyntaxError", "compile"),
    ("MATCH (n) RETURN n LIMIT -1", "SyntaxError", "compile"),
    ("MATCH (n) RETURN n LIMIT $k", "SyntaxError", "runtime"),
    ("RETURN 'a' - 1", "SyntaxError", "compile"),  # the text shows the type error
    ("UNWIND ['a', 1] AS x RETURN x - 1", "TypeError", "runtime"),  # only the value does
    ("RETURN range(1, 5, 0)", "ArgumentError", "runtime"),
    ("RETURN date({year: 2020, month: 13})", "ArgumentError", "runtime"),
    ("RETURN $missing", "ParameterMissing", "runtime"),
    ("RETURN point({x: 1, y: 2})", None, None),  # a refusal is not an answer of any kind
])
def test_errors_say_their_kind_and_when_they_were_found(engine, query, kind, phase):
    """openCypher's error classes and phases, which the TCK measurement counts."""
    with pytest.raises(MechgraphError) as raised:
        engine.run(query, {"k": -1})
    assert (raised.value.kind, raised.value.phase) == (kind, phase)


def test_same_projection_as_the_loader(engine):
    """The engine answers from mechgraph.backends.propertygraph, the projection load writes."""
    from conftest import EXAMPLE_GRAPH
    from mechgraph.backends.propertygraph import project
    pg = project(MechGraph.load(EXAMPLE_GRAPH))
    result = engine.run("MATCH (n) RETURN count(n) AS nodes")
    assert result.rows == [[len(pg.nodes)]]
    assert engine.run("MATCH ()-[r]->() RETURN count(r)").rows == [[len(pg.relationships)]]
