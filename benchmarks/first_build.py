"""First build of a KGX graph: ``mechgraph --graph G stats`` with an empty cache, the edges
read from columns (polars, :mod:`mechgraph.io.kgx_columnar`) against the same command with
the line reader (``MECHGRAPH_KGX_READER=python``, how every build ran before), against
reading the same two files with polars alone (the issue's baseline), and the reader alone
in one process (``read_kgx``, columnar against line by line, alternating); peak memory of each.
The same graph written as JSON Lines: the streamed build (:mod:`mechgraph.io.kgx_jsonl`)
against the line reader's and against ``polars.read_ndjson`` of the same two files (every
line read for the schema, as their keys vary from line to line).

Beside them, for TSV, a floor: the least any first build that checks what the line reader
checks must do, written in polars and numpy as one script (:data:`FLOOR`): hash the two
files for the cache's key while finding where each edge line starts (a record read from its
line), read them, strip the cells that key the graph, join each edge's ends to the entities,
check the ids are unique and sort them for an index, list the distinct sources, write the
topology's arrays. No record, name index, count or other check is made, and the script does
not pay for mechgraph's own start, so a build cannot be faster than it.

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
FLOOR_LABEL = "floor (least checked build)"

READ_NDJSON = r"""
import sys
import polars as pl
frames = [pl.read_ndjson(path, infer_schema_length=None) for path in sys.argv[1:]]
print(sum(f.height for f in frames))
"""

FLOOR = r"""
import os, sys, tempfile
from hashlib import blake2b
import numpy as np
import polars as pl
nodes_file, edges_file = sys.argv[1:3]
digest, starts = blake2b(digest_size=16), []
for path in (nodes_file, edges_file):
    with open(path, "rb") as handle:
        at = 0
        while block := handle.read(1 << 20):
            digest.update(block)
            if path == edges_file:
                starts.append(np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10) + (at + 1))
            at += len(block)
options = dict(separator="\t", infer_schema=False, quote_char=None)
nodes, edges = pl.read_csv(nodes_file, **options), pl.read_csv(edges_file, **options)
ids = nodes["id"].str.strip_chars()
edges = edges.select(id=pl.col("id").str.strip_chars(), s=pl.col("subject").str.strip_chars(),
                     o=pl.col("object").str.strip_chars(), p=pl.col("predicate").str.strip_chars(),
                     pub=pl.col("publications"))
numbered = pl.DataFrame({"id": ids, "n": pl.int_range(0, len(ids), dtype=pl.Int32, eager=True)})
edges = edges.join(numbered.rename({"n": "sn"}), left_on="s", right_on="id", how="left", maintain_order="left")
edges = edges.join(numbered.rename({"n": "on"}), left_on="o", right_on="id", how="left", maintain_order="left")
assert edges["sn"].null_count() == 0 and edges["on"].null_count() == 0 and (edges["p"] != "").all()
assert ids.n_unique() == len(ids) and edges["id"].n_unique() == edges.height
order = edges["id"].arg_sort()
sources = edges.select(pl.col("pub").str.split("|")).explode("pub").filter(pl.col("pub") != "").unique()
with tempfile.TemporaryDirectory() as folder:
    with open(os.path.join(folder, "topology"), "wb") as out:
        for column in (edges["sn"], edges["on"], order):
            out.write(column.to_numpy().tobytes())
        out.write(np.concatenate(starts).astype(np.int64).tobytes())
print(edges.height, len(sources), digest.hexdigest())
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
                                    script=READ_POLARS, scratch=ctx.scratch / f"first-build-{edges}",
                                    floor=FLOOR)
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
            baseline: str, script: str, scratch: Path, what: str = "", floor: str | None = None
            ) -> tuple[list, dict]:
    """The first build of the graph in ``folder`` (``stats`` with an empty cache each time)
    against the same command with the line reader and against ``script`` (polars) reading
    ``files``, interleaved (with ``floor``, that script run on ``files`` too): the rows (named
    by ``label`` and ``new``, the build's reader) and each command's median seconds and peak MiB."""
    exe = mechgraph_command() + ["--graph", str(folder), "stats"]
    built, before = f"stats, empty cache ({what}{new})", f"stats, empty cache ({what}line reader, before)"
    argvs = {built: exe, before: ["env", "MECHGRAPH_KGX_READER=python", *exe],
             baseline: [sys.executable, "-c", script, *map(str, files)]}
    if floor is not None:
        argvs[FLOOR_LABEL] = [sys.executable, "-c", floor, *map(str, files)]

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
    if floor is not None:
        least = found[FLOOR_LABEL]
        rows.append(row(f"{label}: the floor of any checked first build (polars and numpy, no records)",
                        least["median_s"], "s", baseline=read_s, baseline_label=f"{baseline} of the same files",
                        peak_mib=_r(least["peak_mib"]), baseline_peak_mib=_r(found[baseline]["peak_mib"])))
    return rows, {name: {"median_s": _r(v["median_s"]), "peak_mib": _r(v["peak_mib"])} for name, v in found.items()}
