"""First build of a KGX graph: ``mechgraph --graph G stats`` with an empty cache, the edges
read from columns (polars, :mod:`mechgraph.io.kgx_columnar`) against the same command with
the line reader (``MECHGRAPH_KGX_READER=python``, how every build ran before), against
reading the same two files with polars alone (the issue's baseline), and the reader alone
in one process (``read_kgx``, columnar against line by line, alternating); peak memory of each.
The same graph written as JSON Lines: the streamed build (:mod:`mechgraph.io.kgx_jsonl`)
against the line reader's and against ``polars.read_ndjson`` of the same two files (every
line read for the schema, as their keys vary from line to line).

Targets (issue 19): within 3x of polars reading the same files, under 1 GiB at 1M edges.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from .big_graphs import NODE_RATIO, READ_POLARS, SEED, _env, _r, graph_for, interleave
from .common import Context, NotAvailable, mechgraph_command, median, row, run_json_child

SIZES = (100_000,)
LARGE_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000,)
TARGET = 3.0
MEMORY_MIB = 1024

READ_NDJSON = r"""
import sys
import polars as pl
frames = [pl.read_ndjson(path, infer_schema_length=None) for path in sys.argv[1:]]
print(sum(f.height for f in frames))
"""

_READER = r"""
import gc, json, os, sys, time
from pathlib import Path
from mechgraph.io.kgx import read_kgx
folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
times = {"columnar": [], "python": []}
for i in range(rounds):
    for reader in (("columnar", "python") if i % 2 == 0 else ("python", "columnar")):
        os.environ["MECHGRAPH_KGX_READER"] = reader
        gc.collect()
        gc.disable()  # as the cache reads a graph
        started = time.perf_counter()
        model = read_kgx(folder / "nodes.tsv", folder / "edges.tsv", progress=False)
        times[reader].append(time.perf_counter() - started)
        gc.enable()
        del model
print(json.dumps(times))
"""


def run(ctx: Context) -> dict:
    try:
        import polars  # noqa: F401
    except ImportError:
        raise NotAvailable("needs polars (pip install 'mechgraph[big]')") from None
    rows, details = [], {}
    for edges in (QUICK_SIZES if ctx.quick else LARGE_SIZES if ctx.large else SIZES):
        graph = graph_for(ctx, edges)
        exe = mechgraph_command() + ["--graph", str(graph.folder), "stats"]
        files = [str(graph.nodes_file), str(graph.edges_file)]
        argvs = {"stats, empty cache (columnar reader)": exe,
                 "stats, empty cache (line reader, before)": ["env", "MECHGRAPH_KGX_READER=python", *exe],
                 "polars read_csv": [sys.executable, "-c", READ_POLARS, *files]}
        scratch = ctx.scratch / f"first-build-{edges}"

        def fresh_env(label: str, i: int, scratch=scratch) -> dict:
            folder = scratch / f"{abs(hash(label)) % 1000}-{i + 1}"
            shutil.rmtree(folder, ignore_errors=True)
            return _env(ctx, folder)

        rounds = 1 if ctx.quick or edges >= 1_000_000 else 3
        print(f"   {graph.label}: first build ...", flush=True)
        found = interleave(argvs, env={}, rounds=rounds, fresh_env=fresh_env, first=False)
        shutil.rmtree(scratch, ignore_errors=True)
        new, old = found["stats, empty cache (columnar reader)"], found["stats, empty cache (line reader, before)"]
        polars_s = found["polars read_csv"]["median_s"]
        big = edges >= 1_000_000
        rows.append(row(f"{graph.label}: first build (stats, empty cache), columnar reader", new["median_s"], "s",
                        baseline=polars_s, baseline_label="polars read_csv of the same files",
                        target=f"<= {TARGET}x", met=new["median_s"] / polars_s <= TARGET,
                        peak_mib=_r(new["peak_mib"]), baseline_peak_mib=_r(found["polars read_csv"]["peak_mib"])))
        rows.append(row(f"{graph.label}: first build, columnar reader against the line reader (before)",
                        new["median_s"], "s", baseline=old["median_s"], baseline_label="line reader, same command",
                        peak_mib=_r(new["peak_mib"]), baseline_peak_mib=_r(old["peak_mib"])))
        rows.append(row(f"{graph.label}: first build peak memory, columnar reader", new["peak_mib"] or 0, "MiB",
                        baseline=old["peak_mib"], baseline_label="line reader (before)",
                        target=f"<= {MEMORY_MIB} MiB" if big else "",
                        met=(new["peak_mib"] <= MEMORY_MIB) if big and new["peak_mib"] else None))
        print(f"   {graph.label}: the reader alone ...", flush=True)
        reader = run_json_child(_READER, str(graph.folder), str(1 if big or ctx.quick else 3),
                                env=_env(ctx, scratch / "unused"))
        rows.append(row(f"{graph.label}: read_kgx alone, columnar against line by line (median)",
                        median(reader["columnar"]), "s", baseline=median(reader["python"]),
                        baseline_label="line reader, same process, alternating"))
        details[graph.label] = {"commands": {label: {"median_s": _r(v["median_s"]), "peak_mib": _r(v["peak_mib"])}
                                             for label, v in found.items()},
                                "reader_s": json.loads(json.dumps(reader))}
        print(f"   {graph.label}: first build of the JSON Lines graph ...", flush=True)
        jsonl_rows, details[f"{graph.label}, JSON Lines"] = _jsonl(ctx, edges, rounds, big)
        rows += jsonl_rows
    notes = ["first build: fresh processes with an empty cache each, interleaved; the line-reader row is the "
             "same command with MECHGRAPH_KGX_READER=python (how every build ran before)",
             "JSON Lines: the same synthetic graph written as nodes.jsonl + edges.jsonl; its baseline is "
             "polars.read_ndjson of both files with every line read for the schema"]
    return {"rows": rows, "notes": notes, "graphs": details}


def jsonl_for(ctx: Context, edges: int) -> Path:
    """The benchmark's synthetic graph of ``edges`` edges as JSON Lines (made once, kept
    beside the TSV graphs when ``MECHGRAPH_BENCH_GRAPHS`` names a folder)."""
    from . import synthetic
    keep = os.environ.get("MECHGRAPH_BENCH_GRAPHS")
    nodes = max(10, edges // NODE_RATIO)
    folder = (Path(keep) if keep else ctx.scratch) / f"jsonl-{edges}-n{nodes}-s{SEED}"
    if not (folder / "edges.jsonl").exists():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        synthetic.generate(partial, edges, nodes=nodes, seed=SEED, fmt="jsonl")
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


def _jsonl(ctx: Context, edges: int, rounds: int, big: bool) -> tuple[list, dict]:
    """The first build of the JSON Lines graph: streamed, by the line reader, and polars' read."""
    folder = jsonl_for(ctx, edges)
    label = f"{edges // 1000:,}k edges" if edges < 1_000_000 else f"{edges // 1_000_000}M edges"
    exe = mechgraph_command() + ["--graph", str(folder), "stats"]
    argvs = {"stats, empty cache (JSON Lines, streamed)": exe,
             "stats, empty cache (JSON Lines, line reader, before)": ["env", "MECHGRAPH_KGX_READER=python", *exe],
             "polars read_ndjson": [sys.executable, "-c", READ_NDJSON, str(folder / "nodes.jsonl"),
                                    str(folder / "edges.jsonl")]}
    scratch = ctx.scratch / f"first-build-jsonl-{edges}"

    def fresh_env(name: str, i: int) -> dict:
        where = scratch / f"{abs(hash(name)) % 1000}-{i + 1}"
        shutil.rmtree(where, ignore_errors=True)
        return _env(ctx, where)

    found = interleave(argvs, env={}, rounds=rounds, fresh_env=fresh_env, first=False)
    shutil.rmtree(scratch, ignore_errors=True)
    new = found["stats, empty cache (JSON Lines, streamed)"]
    old = found["stats, empty cache (JSON Lines, line reader, before)"]
    polars_s = found["polars read_ndjson"]["median_s"]
    rows = [row(f"{label}, JSON Lines: first build (stats, empty cache), streamed", new["median_s"], "s",
                baseline=polars_s, baseline_label="polars read_ndjson of the same files",
                target=f"<= {TARGET}x", met=new["median_s"] / polars_s <= TARGET,
                peak_mib=_r(new["peak_mib"]), baseline_peak_mib=_r(found["polars read_ndjson"]["peak_mib"])),
            row(f"{label}, JSON Lines: first build, streamed against the line reader (before)", new["median_s"], "s",
                baseline=old["median_s"], baseline_label="line reader, same command",
                peak_mib=_r(new["peak_mib"]), baseline_peak_mib=_r(old["peak_mib"])),
            row(f"{label}, JSON Lines: first build peak memory, streamed", new["peak_mib"] or 0, "MiB",
                baseline=old["peak_mib"], baseline_label="line reader (before)",
                target=f"<= {MEMORY_MIB} MiB" if big else "",
                met=(new["peak_mib"] <= MEMORY_MIB) if big and new["peak_mib"] else None)]
    return rows, {"commands": {name: {"median_s": _r(v["median_s"]), "peak_mib": _r(v["peak_mib"])}
                               for name, v in found.items()}}
