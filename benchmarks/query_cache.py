"""``query`` from the cache: the embedded engine over the stored index (``KEY.cypher``
beside the cached graph, :mod:`mechgraph.cypher.stored`) against the same command over the
whole-graph projection (``MECHGRAPH_CYPHER_INDEX=project``, how every query ran before),
against ``stats`` on the same graph, and against a polars read + join giving the same
answer; whole commands in fresh processes on synthetic KGX graphs (``benchmarks/synthetic.py``),
interleaved round by round, peak memory of each.

"first call" is the first query after the cache was built (it writes the stored index),
measured on its own; "repeated" the median of the interleaved rounds after it. The projection's rows run only while a
first call stays within ``big_graphs.REPEAT_BUDGET_S``; at 1M edges (``--large``) the
projection is not run at all (it takes minutes and gigabytes) unless
``MECHGRAPH_BENCH_PROJECT_1M=1``.

Target (issue 19): an anchored query on a 1M-edge graph within 2x of ``stats``, as whole commands.
"""

from __future__ import annotations

import os
import sys

from .big_graphs import FLOOR, QUERY, QUERY_BASELINE, _env, _r, _same_answer, graph_for, interleave, measured
from .common import Context, NotAvailable, mechgraph_command, row

SIZES = (100_000,)
LARGE_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000,)
TARGET = 2.0


def run(ctx: Context) -> dict:
    try:
        import polars  # noqa: F401
    except ImportError:
        raise NotAvailable("needs polars for the baseline (pip install 'mechgraph[bench]')") from None
    rows, details = [], {}
    for edges in (QUICK_SIZES if ctx.quick else LARGE_SIZES if ctx.large else SIZES):
        graph = graph_for(ctx, edges)
        cache = ctx.scratch / f"query-cache-{edges}"
        env = _env(ctx, cache)
        exe = mechgraph_command() + ["--graph", str(graph.folder)]
        print(f"   {graph.label}: building the cache ...", flush=True)
        measured(exe + ["stats"], env=env)
        query = exe + ["query", QUERY, "-p", f"id={graph.anchor}", "--json"]
        argvs = {"stats": exe + ["stats"],
                 "query (stored index)": query,
                 "polars read + join": [sys.executable, "-c", QUERY_BASELINE, str(graph.edges_file), graph.anchor],
                 FLOOR: [sys.executable, "-c", "import click, yaml"]}
        project = edges < 1_000_000 or os.environ.get("MECHGRAPH_BENCH_PROJECT_1M") == "1"
        if project:
            argvs["query (projection, before)"] = ["env", "MECHGRAPH_CYPHER_INDEX=project", *query]
        rounds = 3 if ctx.quick else (5 if edges >= 1_000_000 else 7)
        print(f"   {graph.label}: the first query (writes the stored index) ...", flush=True)
        first = measured(query, env=env)
        print(f"   {graph.label}: whole commands ...", flush=True)
        found = interleave(argvs, env=env, rounds=rounds)
        stats, stored = found["stats"], found["query (stored index)"]
        same = _same_answer(stored["stdout"], found["polars read + join"]["stdout"])
        if project:
            same = same and stored["stdout"] == found["query (projection, before)"]["stdout"]
        big = edges >= 1_000_000
        value = stored["repeated_s"] or stored["first_s"]
        rows.append(row(f"{graph.label}: query (anchored 2-hop), first call after the build (writes the stored index)",
                        first.seconds * 1000, "ms", baseline=stats["repeated_s"] * 1000,
                        baseline_label="mechgraph stats, same graph", peak_mib=_r(first.peak_mib),
                        baseline_peak_mib=_r(stats["peak_mib"])))
        rows.append(row(f"{graph.label}: query (anchored 2-hop) from the stored index, whole command, repeated "
                        f"(median of {len(stored['runs_s'])})", value * 1000, "ms", baseline=stats["repeated_s"] * 1000,
                        baseline_label="mechgraph stats, same graph", target=f"<= {TARGET}x" if big else "",
                        met=(value / stats["repeated_s"] <= TARGET) if big else None,
                        peak_mib=_r(stored["peak_mib"]), baseline_peak_mib=_r(stats["peak_mib"]), same_answer=same))
        base = found["polars read + join"]
        rows.append(row(f"{graph.label}: query from the stored index against polars read + join", value * 1000, "ms",
                        baseline=(base["repeated_s"] or base["first_s"]) * 1000,
                        baseline_label="polars read + join (same answer)" if same else "polars (ANSWERS DIFFER)",
                        peak_mib=_r(stored["peak_mib"]), baseline_peak_mib=_r(base["peak_mib"])))
        if project:
            before = found["query (projection, before)"]
            before_s = before["repeated_s"] or before["first_s"]
            rows.append(row(f"{graph.label}: query from the stored index against the projection (before)",
                            value * 1000, "ms", baseline=before_s * 1000,
                            baseline_label="the same query over the whole-graph projection",
                            peak_mib=_r(stored["peak_mib"]), baseline_peak_mib=_r(before["peak_mib"])))
            rows.append(row(f"{graph.label}: query peak memory, stored index against the projection",
                            stored["peak_mib"] or 0, "MiB", baseline=before["peak_mib"],
                            baseline_label="projection (before)"))
        details[graph.label] = {label: {"first_ms": _r(v["first_s"] * 1000),
                                        "repeated_ms": _r(v["repeated_s"] * 1000) if v["repeated_s"] else None,
                                        "peak_mib": _r(v["peak_mib"])} for label, v in found.items()}
        size = sum(p.stat().st_size for p in cache.rglob("*.cypher"))
        details[graph.label]["stored_index_mb"] = round(size / 1e6, 1)
    notes = [f"query: {QUERY}; whole commands, fresh processes, interleaved; the projection row is the same "
             "command with MECHGRAPH_CYPHER_INDEX=project (how every query ran before the stored index)"]
    return {"rows": rows, "notes": notes, "graphs": details}
