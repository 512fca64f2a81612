"""The embedded engine's planning on a big graph: each planned query against the same
query written so that no shortcut applies (the baseline), in the same process.

A synthetic KGX graph (100k edges; 1M with ``--large``; 10k with ``--quick``) is
projected and indexed once (its build time is reported). Pairs:

- a seek on a property other than ``id`` (``WHERE e.name = $v``) against a scan
  (``WHERE (e.name = $v) = true``);
- ``IN $list`` against the same as a scan;
- top-k (``ORDER BY r.score DESC LIMIT 10``) against the full sort (no LIMIT);
- ``LIMIT 10`` without ORDER BY (matching stops early) against ``collect()[..10]``,
  which must match everything; the same after WHERE, WITH, UNWIND and OPTIONAL MATCH
  (rows stream through every clause);
- a join of a MATCH after a WITH on a property, seeking one side per row, against the
  same join with the seek defeated, on a sample of the rows;
- a hash join of two disconnected patterns of one MATCH on a computed key (every
  process against every disease) against the filtered cartesian product.

Targets in the issue compare with FalkorDB on the same graph; this section compares the
engine with itself, which shows what planning buys.
"""

from __future__ import annotations

import time

from .common import Context, median, row

REPEAT = 3


def run(ctx: Context) -> dict:
    from mechgraph import MechGraph
    from mechgraph.cypher.engine import Engine
    from mechgraph.backends.propertygraph import project

    from . import synthetic
    from .loading import _no_disk_cache
    edges = 10_000 if ctx.quick else 1_000_000 if ctx.large else 100_000
    folder = ctx.scratch / f"planner-{edges}"
    synthetic.generate(folder, edges, nodes=edges // 4, seed=0)
    with _no_disk_cache():
        graph = MechGraph.load(folder)
    started = time.perf_counter()
    engine = Engine(project(graph))
    build = time.perf_counter() - started
    nodes, rels = len(engine.graph.nodes), len(engine.graph.relationships)
    some = next(n for n in engine.graph.nodes if "Entity" in n.labels)
    name = some.properties["name"]
    names = [n.properties["name"] for n in engine.graph.nodes if "Entity" in n.labels][:20]
    pairs = [
        ("seek on name", "MATCH (e:Entity) WHERE e.name = $v RETURN e.id",
         "MATCH (e:Entity) WHERE (e.name = $v) = true RETURN e.id", {"v": name}),
        ("IN a list of 20 names", "MATCH (e:Entity) WHERE e.name IN $vs RETURN e.id",
         "MATCH (e:Entity) WHERE (e.name IN $vs) = true RETURN e.id", {"vs": names}),
        ("top 10 relationships by score", "MATCH ()-[r]->() RETURN r.id, r.score ORDER BY r.score DESC LIMIT 10",
         "MATCH ()-[r]->() RETURN r.id, r.score ORDER BY r.score DESC", {}),
        ("LIMIT 10 without ORDER BY", "MATCH (a)-[r]->(b) RETURN a.id, b.id LIMIT 10",
         "MATCH (a)-[r]->(b) WITH collect([a.id, b.id]) AS found RETURN found[..10]", {}),
        ("LIMIT 10 after WHERE, WITH, UNWIND and OPTIONAL MATCH",
         "MATCH (a)-[r]->(b) WHERE r.score >= 0.2 WITH a, b UNWIND [1, 2] AS x "
         "OPTIONAL MATCH (b)-[:CITES]->(s) RETURN a.id, b.id, x, s.id LIMIT 10",
         "MATCH (a)-[r]->(b) WHERE r.score >= 0.2 WITH a, b UNWIND [1, 2] AS x "
         "OPTIONAL MATCH (b)-[:CITES]->(s) WITH collect([a.id, b.id, x, s.id]) AS found RETURN found[..10]", {}),
        ("join on a property (200 rows)",
         "MATCH (a:Entity) WITH a LIMIT 200 MATCH (b:Entity) WHERE b.name = a.name RETURN count(b)",
         "MATCH (a:Entity) WITH a LIMIT 200 MATCH (b:Entity) WHERE (b.name = a.name) = true RETURN count(b)", {}),
        ("hash join of two patterns (processes x diseases)",
         "MATCH (a:Process), (b:Condition) WHERE substring(a.name, 8) = substring(b.name, 8) RETURN count(*)",
         "MATCH (a:Process), (b:Condition) WHERE (substring(a.name, 8) = substring(b.name, 8)) = true "
         "RETURN count(*)", {}),
    ]
    rows = [row(f"{edges:,} edges: engine build ({nodes:,} nodes, {rels:,} relationships)", build, "s",
                target="(no target)")]
    details = []
    for label, planned, baseline, params in pairs:
        planned_s, baseline_s = [], []
        for _ in range(REPEAT):  # interleaved, so that load on the machine hits both alike
            for query, times in ((planned, planned_s), (baseline, baseline_s)):
                started = time.perf_counter()
                engine.run(query, params, timeout=600, max_rows=50_000_000)
                times.append(time.perf_counter() - started)
        p, b = median(planned_s), median(baseline_s)
        rows.append(row(f"{edges:,} edges: {label}", p * 1000, "ms", baseline=b * 1000,
                        baseline_label="the same without the shortcut", ratio=b / p, target="(faster)"))
        details.append({"query": planned, "baseline": baseline, "planned_ms": round(p * 1000, 2),
                        "baseline_ms": round(b * 1000, 2)})
        print(f"   {label}: {p * 1000:.1f} ms against {b * 1000:.1f} ms ({b / p:.1f}x)", flush=True)
    return {"rows": rows, "notes": [f"median of {REPEAT} interleaved runs each, one engine"], "queries": details}
