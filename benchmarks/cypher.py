"""Embedded Cypher: time per query of the query corpus (tests/cypher_corpus/queries.yaml)
on the bundled graph.

Each query runs through ``mechgraph.cypher.run_query`` (what ``mechgraph query`` calls)
on the embedded engine: once to warm up, then timed; its time is the median of the
timed runs. The corpus figure is the median over queries, with the 90th percentile
and the slowest query. Baselines in the same run: ``RETURN 1`` on the same engine (the
cost of a query that does nothing), and the same corpus on FalkorDB over Bolt (a real
graph database, the bundled graph loaded by ``mechgraph``'s loader), over the queries
both answer. The first query on a graph also builds the engine's view of it; that
is timed apart, as is ``mechgraph query`` as a fresh process against
``mechgraph stats``.
"""

from __future__ import annotations

import statistics
import subprocess
import time

from .common import ROOT, Context, NotAvailable, interleaved_medians, median, mechgraph_command, row
from .falkor import AUTH, falkordb_server

CORPUS = ROOT / "tests" / "cypher_corpus" / "queries.yaml"
CLI_QUERY = "MATCH (d:Drug)-[r]->(t:Entity) RETURN d.id AS drug, type(r) AS rel, t.id AS target ORDER BY drug, target"


def run(ctx: Context) -> dict:
    try:
        from mechgraph.cypher import run_query
    except ImportError as exc:
        raise NotAvailable(f"the embedded Cypher engine is not built yet ({exc})") from None
    if not CORPUS.is_file():
        raise NotAvailable(f"the query corpus {CORPUS.relative_to(ROOT)} is not there yet")
    import yaml
    from mechgraph import MechGraph
    from mechgraph.errors import MechgraphError

    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    repeats = 3 if ctx.quick else 7
    graph = MechGraph.load(ctx.graph)
    _ = graph.nx

    started = time.perf_counter()
    run_query("RETURN 1", graph=graph)
    first_s = time.perf_counter() - started
    floor = _timed(lambda: run_query("RETURN 1", graph=graph), repeats * 5)

    embedded, refused = {}, {}
    for item in corpus:
        params = item.get("params") or {}
        try:
            run_query(item["query"], params, graph=graph)
        except MechgraphError as exc:
            refused[item["id"]] = str(exc)
            continue
        embedded[item["id"]] = _timed(lambda q=item["query"], p=params: run_query(q, p, graph=graph), repeats)

    rows, notes = [], []
    values = sorted(embedded.values())
    slowest = max(embedded, key=embedded.get)
    med = statistics.median(values)
    rows.append(row(f"embedded, median per query ({len(embedded)} of {len(corpus)} queries)", med * 1000, "ms",
                    baseline=floor * 1000, baseline_label="RETURN 1", target="(no target)"))
    rows.append(row("embedded, 90th percentile per query", _percentile(values, 90) * 1000, "ms",
                    baseline=floor * 1000, baseline_label="RETURN 1", target="(no target)"))
    rows.append(row(f"embedded, slowest query ({slowest})", embedded[slowest] * 1000, "ms",
                    baseline=floor * 1000, baseline_label="RETURN 1", target="(no target)"))
    rows.append(row("embedded, first query on a loaded graph (builds the engine's view)", first_s * 1000, "ms",
                    baseline=floor * 1000, baseline_label="RETURN 1", target="(no target)"))
    if refused:
        notes.append(f"refused by the embedded engine: {', '.join(sorted(refused))}")

    server, server_note = _on_falkordb(ctx, graph, corpus, repeats)
    if server_note:
        notes.append(server_note)
    common = sorted(set(server) & set(embedded))
    if common:
        ours = statistics.median(embedded[q] for q in common)
        theirs = statistics.median(server[q] for q in common)
        per_query = statistics.median(embedded[q] / server[q] for q in common)
        rows.append(row(f"embedded vs FalkorDB over Bolt, median per query ({len(common)} queries both answer)",
                        ours * 1000, "ms", baseline=theirs * 1000, baseline_label="FalkorDB", target="(no target)",
                        median_of_per_query_ratios=round(per_query, 3)))

    cli = _cli(ctx)
    if cli is not None:
        rows.append(cli)
    notes.append(f"each query: 1 warm-up run, then the median of {repeats} runs")
    return {"rows": rows, "notes": notes, "per_query_ms": {q: round(t * 1000, 3) for q, t in embedded.items()},
            "falkordb_per_query_ms": {q: round(t * 1000, 3) for q, t in server.items()},
            "refused": refused}


def _timed(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return median(times)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _on_falkordb(ctx: Context, graph, corpus: list[dict], repeats: int) -> tuple[dict, str]:
    """Per-query median seconds of the corpus on FalkorDB, and a note."""
    try:
        from mechgraph.cypher import run_query
        from mechgraph.backends.bolt import connect
        from mechgraph.backends.loading import load
        from mechgraph.backends.propertygraph import project
    except ImportError as exc:
        return {}, f"FalkorDB comparison not available: {exc}"
    from mechgraph.errors import MechgraphError
    try:
        with falkordb_server(ctx.scratch / "falkordb-cypher") as uri:
            with connect(uri, user=AUTH[0], password=AUTH[1]) as conn:
                load(conn, project(graph))
                times, failed = {}, []
                for item in corpus:
                    params = item.get("params") or {}
                    try:
                        run_query(item["query"], params, conn=conn)
                    except MechgraphError:
                        failed.append(item["id"])
                        continue
                    times[item["id"]] = _timed(lambda q=item["query"], p=params: run_query(q, p, conn=conn),
                                               repeats)
    except NotAvailable as exc:
        return {}, f"FalkorDB comparison not available: {exc}"
    except MechgraphError as exc:
        return {}, f"FalkorDB comparison failed: {exc}"
    note = "FalkorDB (over Bolt, the neo4j driver, the bundled graph loaded by mechgraph's loader)"
    if failed:
        note += f" refused or failed: {', '.join(failed)}"
    return times, note


def _cli(ctx: Context) -> dict | None:
    """``mechgraph query`` as a fresh process, against ``mechgraph stats``."""
    exe = mechgraph_command()
    env = ctx.env(NEO4J_URI="")
    env.pop("NEO4J_URI")
    if subprocess.run(exe + ["query", "--help"], capture_output=True, env=env).returncode != 0:
        return None
    argvs = {"query": exe + ["query", CLI_QUERY], "stats": exe + ["stats"]}
    ms = interleaved_medians(argvs, env=env, rounds=3 if ctx.quick else 9)
    return row("mechgraph query \"MATCH (d:Drug)-[r]->(t:Entity) ...\" (fresh process)",
               ms["query"], "ms", baseline=ms["stats"],
               baseline_label="mechgraph stats", target="(no target)")
