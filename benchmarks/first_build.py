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
import shutil
import sys
from pathlib import Path

from .big_graphs import READ_POLARS, _env, _r, graph_folder, graph_for, interleave
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
        rounds = 1 if ctx.quick or edges >= 1_000_000 else 3
        big = edges >= 1_000_000
        print(f"   {graph.label}: first build ...", flush=True)
        build_rows, found = _builds(ctx, graph.folder, [graph.nodes_file, graph.edges_file], rounds, big,
                                    label=graph.label, new="columnar reader", baseline="polars read_csv",
                                    script=READ_POLARS, scratch=ctx.scratch / f"first-build-{edges}")
        rows += build_rows
        print(f"   {graph.label}: the reader alone ...", flush=True)
        reader = run_json_child(_READER, str(graph.folder), str(1 if big or ctx.quick else 3),
                                env=_env(ctx, ctx.scratch / f"first-build-{edges}" / "unused"))
        rows.append(row(f"{graph.label}: read_kgx alone, columnar against line by line (median)",
                        median(reader["columnar"]), "s", baseline=median(reader["python"]),
                        baseline_label="line reader, same process, alternating"))
        details[graph.label] = {"commands": found, "reader_s": json.loads(json.dumps(reader))}
        print(f"   {graph.label}: first build of the JSON Lines graph ...", flush=True)
        folder = graph_folder(ctx, edges, "jsonl")
        jsonl_rows, found = _builds(ctx, folder, [folder / "nodes.jsonl", folder / "edges.jsonl"], rounds, big,
                                    label=f"{graph.label}, JSON Lines", new="streamed", what="JSON Lines, ",
                                    baseline="polars read_ndjson", script=READ_NDJSON,
                                    scratch=ctx.scratch / f"first-build-jsonl-{edges}")
        rows += jsonl_rows
        details[f"{graph.label}, JSON Lines"] = {"commands": found}
    notes = ["first build: fresh processes with an empty cache each, interleaved; the line-reader row is the "
             "same command with MECHGRAPH_KGX_READER=python (how every build ran before)",
             "JSON Lines: the same synthetic graph written as nodes.jsonl + edges.jsonl; its baseline is "
             "polars.read_ndjson of both files with every line read for the schema"]
    return {"rows": rows, "notes": notes, "graphs": details}


def _builds(ctx: Context, folder: Path, files: list[Path], rounds: int, big: bool, *, label: str, new: str,
            baseline: str, script: str, scratch: Path, what: str = "") -> tuple[list, dict]:
    """The first build of the graph in ``folder`` (``stats`` with an empty cache each time)
    against the same command with the line reader and against ``script`` (polars) reading
    ``files``, interleaved: the rows (named by ``label`` and ``new``, the build's reader)
    and each command's median seconds and peak MiB."""
    exe = mechgraph_command() + ["--graph", str(folder), "stats"]
    built, before = f"stats, empty cache ({what}{new})", f"stats, empty cache ({what}line reader, before)"
    argvs = {built: exe, before: ["env", "MECHGRAPH_KGX_READER=python", *exe],
             baseline: [sys.executable, "-c", script, *map(str, files)]}

    def fresh_env(name: str, i: int) -> dict:
        where = scratch / f"{abs(hash(name)) % 1000}-{i + 1}"
        shutil.rmtree(where, ignore_errors=True)
        return _env(ctx, where)

    found = interleave(argvs, env={}, rounds=rounds, fresh_env=fresh_env, first=False)
    shutil.rmtree(scratch, ignore_errors=True)
    made, old, read_s = found[built], found[before], found[baseline]["median_s"]
    rows = [row(f"{label}: first build (stats, empty cache), {new}", made["median_s"], "s",
                baseline=read_s, baseline_label=f"{baseline} of the same files",
                target=f"<= {TARGET}x", met=made["median_s"] / read_s <= TARGET,
                peak_mib=_r(made["peak_mib"]), baseline_peak_mib=_r(found[baseline]["peak_mib"])),
            row(f"{label}: first build, {new} against the line reader (before)", made["median_s"], "s",
                baseline=old["median_s"], baseline_label="line reader, same command",
                peak_mib=_r(made["peak_mib"]), baseline_peak_mib=_r(old["peak_mib"])),
            row(f"{label}: first build peak memory, {new}", made["peak_mib"] or 0, "MiB",
                baseline=old["peak_mib"], baseline_label="line reader (before)",
                target=f"<= {MEMORY_MIB} MiB" if big else "",
                met=(made["peak_mib"] <= MEMORY_MIB) if big and made["peak_mib"] else None)]
    return rows, {name: {"median_s": _r(v["median_s"]), "peak_mib": _r(v["peak_mib"])} for name, v in found.items()}
