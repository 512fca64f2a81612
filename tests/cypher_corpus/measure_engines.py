"""Score candidate embedded Cypher engines on the corpus against FalkorDB (the reference).

    python tests/cypher_corpus/measure_engines.py [GRAPH_DIR]

Starts a private FalkorDB, loads the graph, runs every corpus query there and on each
candidate (the embedded engine mechgraph ships, cypherast, ladybug), and counts per
engine: same rows as FalkorDB, an error (a refusal), or different rows (a wrong answer).
Candidates that are not installed are reported as such. This is the measurement behind
the choice of embedded engine in the docs' Cypher page (docs/cypher.md); it is not part of the test suite.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cypher_corpus.corpus import load_corpus, normalise  # noqa: E402


def _cypherast_engine(pg):
    from cypherast.executor import execute
    from cypherast.executor.graph import Graph
    from cypherast.parser import Parser

    from mechgraph.cypher.values import Node, Relationship, Result
    graph = Graph()
    ids = {}
    for node in pg.nodes:
        ids[node.id] = graph.create_node(node.labels, **node.properties).id
    for rel in pg.relationships:
        graph.create_rel(ids[rel.start], ids[rel.end], rel.type, **rel.properties)

    def convert(value):
        from cypherast.executor.graph import Node as N, Relationship as R
        if isinstance(value, N):
            return Node(str(value.id), tuple(value.labels), dict(value.props))
        if isinstance(value, R):
            return Relationship(str(value.id), value.type, dict(value.props))
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    def run(query, params):
        tree = Parser(query).parse()
        result = execute(tree, graph=graph, params=params)
        return Result(list(result.columns), [[convert(v) for v in row.values()] for row in result])
    return run


def _ladybug_engine(pg):
    """Ladybug needs one table per node kind (one label per node): Entity, Finding, Source
    and Quantity, with the entity type as a property; one relationship table per type."""
    import ladybug as lb

    from mechgraph.cypher.values import Node, Relationship, Result
    db = lb.Database(":memory:")
    conn = lb.Connection(db)
    kinds = {}
    for node in pg.nodes:
        kinds.setdefault(node.labels[1], []).append(node)

    def column_type(values):
        sample = next(v for v in values if v is not None)
        if isinstance(sample, list):
            inner = next((x for v in values if v for x in v), "")
            return {str: "STRING[]", int: "INT64[]", float: "DOUBLE[]"}[type(inner)]
        return {str: "STRING", int: "INT64", float: "DOUBLE", bool: "BOOLEAN"}[type(sample)]

    kind_of = {}
    for kind, nodes in kinds.items():
        keys = sorted({k for n in nodes for k in n.properties})
        cols = ", ".join(f"`{k}` {column_type([n.properties.get(k) for n in nodes])}" for k in keys)
        conn.execute(f"CREATE NODE TABLE `{kind}`({cols}, PRIMARY KEY(id))")
        for n in nodes:
            kind_of[n.id] = kind
            conn.execute(f"CREATE (n:`{kind}` {{id: $id}})", {"id": n.id})
            for k, v in n.properties.items():
                if k != "id":
                    conn.execute(f"MATCH (n:`{kind}` {{id: $id}}) SET n.`{k}` = $v", {"id": n.id, "v": v})
    rels = {}
    for rel in pg.relationships:
        rels.setdefault(rel.type, []).append(rel)
    for rel_type, items in rels.items():
        pairs = sorted({(kind_of[r.start], kind_of[r.end]) for r in items})
        keys = sorted({k for r in items for k in r.properties})
        cols = ", ".join(f"`{k}` {column_type([r.properties.get(k) for r in items])}" for k in keys)
        ends = ", ".join(f"FROM `{a}` TO `{b}`" for a, b in pairs)
        conn.execute(f"CREATE REL TABLE `{rel_type}`({ends}, {cols})")
        for r in items:
            sets = "".join(f" SET r.`{k}` = $p{i}" for i, k in enumerate(r.properties))
            conn.execute(f"MATCH (a:`{kind_of[r.start]}` {{id: $s}}), (b:`{kind_of[r.end]}` {{id: $e}}) "
                         f"CREATE (a)-[r:`{rel_type}`]->(b)" + sets,
                         {"s": r.start, "e": r.end, **{f"p{i}": v for i, v in enumerate(r.properties.values())}})

    def convert(value):
        if isinstance(value, dict) and "_LABEL" in value:
            props = {k: v for k, v in value.items() if not k.startswith("_") and v is not None}
            if "_SRC" in value:
                return Relationship(str(value["_ID"]), value["_LABEL"], props)
            return Node(str(value["_ID"]), (value["_LABEL"],), props)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    def run(query, params):
        result = conn.execute(query, params)
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append([convert(v) for v in result.get_next()])
        return Result(columns, rows)
    return run


def _embedded_engine(pg):
    from mechgraph.cypher.engine import Engine
    engine = Engine(pg)
    return lambda query, params: engine.run(query, params)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from falkordb_server import FalkorServer

    from mechgraph import MechGraph
    from mechgraph.cypher.guard import falkordb_gap
    from mechgraph.backends.bolt import connect
    from mechgraph.backends.loading import load
    from mechgraph.backends.propertygraph import project

    graph = MechGraph.load(argv[0] if argv else None)
    pg = project(graph)
    corpus = load_corpus()
    server = FalkorServer(Path(tempfile.mkdtemp()))
    server.start()
    try:
        with connect(server.uri, user="falkordb") as conn:
            load(conn, pg)
            reference = {}
            for q in corpus:
                gap = falkordb_gap(q.query)
                if gap:
                    reference[q.id] = None
                    continue
                reference[q.id] = normalise(conn.read(q.query, q.params), q)
    finally:
        server.stop()
    compared = sum(1 for v in reference.values() if v is not None)
    print(f"graph: {len(pg.nodes)} nodes, {len(pg.relationships)} relationships; "
          f"{len(corpus)} queries, {compared} answered by FalkorDB")
    print(f"{'engine':<12} {'same':>5} {'error':>6} {'wrong':>6}  ms (total)  wrong ids")
    for name, make in (("embedded", _embedded_engine), ("cypherast", _cypherast_engine),
                       ("ladybug", _ladybug_engine)):
        try:
            run = make(pg)
        except ImportError as exc:
            print(f"{name:<12} not installed ({exc})")
            continue
        same = error = wrong = 0
        wrong_ids = []
        started = time.perf_counter()
        for q in corpus:
            if reference[q.id] is None:
                continue
            try:
                answer = normalise(run(q.query, q.params), q)
            except Exception:  # any failure counts as a refusal here
                error += 1
                continue
            if answer == reference[q.id]:
                same += 1
            else:
                wrong += 1
                wrong_ids.append(q.id)
        ms = (time.perf_counter() - started) * 1000
        print(f"{name:<12} {same:>5} {error:>6} {wrong:>6}  {ms:9.0f}  {' '.join(wrong_ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
