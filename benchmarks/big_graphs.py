"""Big graphs: every read command as a whole command on synthetic KGX graphs of 100k and
(with ``--large``) 1M edges, each beside an honest baseline measured interleaved in the same run.

The graphs come from ``benchmarks/synthetic.py`` (fixed seed, nodes = edges / 4, so the
1M-edge graph has 250,000 entities and 750,000 names: ids, names and synonyms).

- **First build**: ``mechgraph --graph G stats`` with an empty graph cache (parsing KGX,
  building the topology, writing the cache, answering), against reading the same two
  files with Python's ``csv`` module (every row as a list), pandas (``read_csv``) and
  polars (``read_csv``), each a fresh process.
- **Whole commands** (fresh processes, the graph cache warm): ``stats``, ``show``,
  ``path``, ``explain`` against the start-up floor ``python -c "import click, yaml"``;
  ``search`` against a script that reads the names with polars and ranks them with
  rapidfuzz (``process.extract``, ``fuzz.ratio`` on ``utils.default_process``: the same
  kind of forgiving match); ``query`` (an anchored 2-hop Cypher count) against a script
  that reads the edges with polars and joins them to the same answer (checked equal);
  ``render --focus ANCHOR`` at depths 1 and 2 against ``show`` of the same entity, and
  ``render`` of the whole graph (refused as too large: the time to the error line) against
  ``stats``; ``figure focus ANCHOR`` against ``show``; and the commands that read the whole
  graph, ``validate`` (which reads the files afresh), ``conflicts`` and ``export --format``
  ``kgx``, ``cypher`` and ``neo4j-csv``, against ``stats``. "first call" is the first run after the cache was built (it pays for whatever a command
  builds and keeps on first use); "repeated" the median of the interleaved rounds after it.
- **Path in memory**: ``MechGraph.path(A, B)`` (what ``mechgraph path A B`` computes:
  ranked mechanism chains, else connections) and ``relation="any", k=1`` (one best
  connection: what a shortest path answers), against python-igraph's ``get_shortest_paths``
  (one shortest path, undirected BFS) and ``get_all_shortest_paths`` on a ``Graph`` of the
  same edges built in the same process; the first call (two processes, one starting with
  each query) beside the median of repeated calls over 20 pairs, alternating mechgraph and
  igraph pair by pair.

Peak memory is each process's maximum resident set, read with ``/usr/bin/time``
(a process started directly would inherit the benchmark's own peak through ``fork``;
without ``/usr/bin/time`` the figure falls back to ``wait4`` and says so).

A command whose first run takes longer than ``REPEAT_BUDGET_S`` runs once more; when that
second run is within the budget (the first paid for something it keeps, like the query's stored
index) the rounds go on, else its row carries the one run. One that takes longer than
``TIMEOUT_S`` is stopped and reported so.
Set ``MECHGRAPH_BENCH_GRAPHS=DIR`` to keep the generated graphs in DIR between runs.

Targets (issue 19): ``search`` within 1.5x of polars + rapidfuzz; the first build within 3x
of polars and under 1 GiB at 1M edges; ``query`` within 2x of ``stats`` on the same graph;
the first path (``--relation any -k 1``) within 2x of igraph's shortest path, and the ranked
chains within igraph's all-shortest-paths time. The start-up rows have the floor as
baseline and no target here (the cold-start section holds that target on the bundled graph).
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mechgraph.html.limits import MAX_ASSERTIONS

from .common import Context, NotAvailable, median, mechgraph_command, row, run_json_child

SIZES = (100_000,)
#: with --large (a first build and every command at a million edges take several minutes)
LARGE_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000,)
NODE_RATIO = 4
SEED = 0
REPEAT_BUDGET_S = 20.0
#: fresh processes measuring a path's first call (half starting with each query)
FIRST_CALL_PROCESSES = 6
#: MECHGRAPH_BENCH_BIG_PARTS: which parts to run (comma-separated; all by default)
PARTS = ("build", "commands", "path")
TIMEOUT_S = 900.0
SEARCH_TARGET = 1.5
BUILD_TARGET = 3.0
BUILD_MEMORY_MIB = 1024
QUERY_TARGET = 2.0
#: the commands that read the whole graph, against stats
WHOLE_GRAPH = ("validate", "conflicts", "export --format kgx", "export --format cypher", "export --format neo4j-csv")
PATH_TARGET = 2.0

FLOOR = 'python -c "import click, yaml"'
QUERY = ("MATCH (a:Entity {id: $id})-[r1]->(b:Entity)-[r2]->(c:Entity) "
         "RETURN count(*) AS paths, count(DISTINCT c.id) AS reached")

# -- the baselines' scripts (each a whole command in a fresh process) ----------------------------------

READ_CSV = r"""
import csv, sys
rows = 0
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle, delimiter="\t"))
        rows += len(table) - 1
print(rows)
"""
READ_PANDAS = r"""
import sys
import pandas as pd
frames = [pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False) for path in sys.argv[1:]]
print(sum(len(f) for f in frames))
"""
READ_POLARS = r"""
import sys
import polars as pl
frames = [pl.read_csv(path, separator="\t", infer_schema=False, quote_char=None) for path in sys.argv[1:]]
print(sum(f.height for f in frames))
"""
SEARCH_BASELINE = r"""
import sys
import polars as pl
from rapidfuzz import fuzz, process, utils
nodes = pl.read_csv(sys.argv[1], separator="\t", columns=["id", "name", "synonym"], infer_schema=False,
                    quote_char=None)
names = pl.concat([nodes["id"], nodes["name"], nodes["synonym"].str.split("|").explode()]).drop_nulls().to_list()
hits = process.extract(sys.argv[2], names, scorer=fuzz.ratio, processor=utils.default_process, limit=20)
for name, score, _ in hits:
    print(f"{score:.1f}\t{name}")
"""
QUERY_BASELINE = r"""
import json, sys
import polars as pl
edges = pl.read_csv(sys.argv[1], separator="\t", columns=["subject", "object"], infer_schema=False, quote_char=None)
first = edges.filter(pl.col("subject") == sys.argv[2])
second = first.join(edges, left_on="object", right_on="subject", suffix="_2")
print(json.dumps({"paths": second.height, "reached": second["object_2"].n_unique()}))
"""

_PATHS_PROBE = r"""
import json, random, sys, time
from array import array
started = time.perf_counter()
from mechgraph import MechGraph
from mechgraph.errors import NoPath
graph = MechGraph.load(sys.argv[1])
loaded = time.perf_counter() - started
pairs = json.loads(sys.argv[2])
imported_ms = None
if len(sys.argv) > 4 and sys.argv[4] == "imported":  # the modules a path call imports, imported beforehand
    t = time.perf_counter()
    import mechgraph.reasoning.chains, mechgraph.reasoning.connections, mechgraph.reasoning.citing  # noqa: E401
    imported_ms = (time.perf_counter() - t) * 1000

def timed(call):
    t = time.perf_counter()
    try:
        call()
        found = True
    except NoPath:
        found = False
    return (time.perf_counter() - t) * 1000, found

chains, anys = [], []
if sys.argv[3] == "any":  # which query is this process's first
    first_any = timed(lambda: graph.path(*pairs[0], relation="any", k=1))
first_chain = timed(lambda: graph.path(*pairs[0]))
if sys.argv[3] != "any":
    first_any = timed(lambda: graph.path(*pairs[0], relation="any", k=1))

import igraph
t = time.perf_counter()
topology = graph.topology
g = igraph.Graph(n=len(topology.nodes), edges=list(zip(topology.subject, topology.object)), directed=True)
built = (time.perf_counter() - t) * 1000
index = topology.index
ig_first = timed(lambda: g.get_shortest_paths(index[pairs[0][0]], index[pairs[0][1]], mode="all"))
ig_all_first = timed(lambda: g.get_all_shortest_paths(index[pairs[0][0]], index[pairs[0][1]], mode="all"))
ig_one, ig_all, hops = [], [], []
for a, b in pairs[1:]:
    chains.append(timed(lambda: graph.path(a, b))[0])
    anys.append(timed(lambda: graph.path(a, b, relation="any", k=1))[0])
    ig_one.append(timed(lambda: g.get_shortest_paths(index[a], index[b], mode="all"))[0])
    ig_all.append(timed(lambda: g.get_all_shortest_paths(index[a], index[b], mode="all"))[0])
    hops.append(len(g.get_shortest_paths(index[a], index[b], mode="all")[0]) - 1)
chain_same = [timed(lambda: graph.path(*pairs[0]))[0] for _ in range(5)]
ig_same = [timed(lambda: g.get_shortest_paths(index[pairs[0][0]], index[pairs[0][1]], mode="all"))[0]
           for _ in range(5)]
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
print(json.dumps({"load_s": loaded, "imported_ms": imported_ms, "first_chain_ms": first_chain[0], "first_chain_found": first_chain[1],
                  "first_any_ms": first_any[0],
                  "igraph_build_ms": built, "igraph_first_ms": ig_first[0],
                  "igraph_all_first_ms": ig_all_first[0], "chain_ms": chains, "any_ms": anys,
                  "igraph_ms": ig_one, "igraph_all_ms": ig_all, "hops": hops, "chain_same_ms": chain_same,
                  "igraph_same_ms": ig_same, "peak_mib": peak()}))
"""


# -- running a process and reading its peak memory ---------------------------------------------------

_TIME = shutil.which("time", path="/usr/bin:/bin")


class Run:
    """One fresh process: wall seconds, peak resident MiB, what it printed, how it ended."""

    def __init__(self, seconds: float, peak_mib: float | None, stdout: str, returncode: int, timed_out: bool):
        self.seconds, self.peak_mib, self.stdout = seconds, peak_mib, stdout
        self.returncode, self.timed_out = returncode, timed_out


def measured(argv: list[str], *, env: dict, timeout: float = TIMEOUT_S) -> Run:
    """Run ``argv`` as a fresh process; its wall time and peak memory (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-run-") as tmp:
        out, err, peak_file = Path(tmp, "out"), Path(tmp, "err"), Path(tmp, "peak")
        wrapped = [_TIME, "-q", "-f", "%M", "-o", str(peak_file), *argv] if _TIME else argv
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            started = time.perf_counter()
            # its own process group: a timeout stops the command, not only /usr/bin/time in front of it
            process = subprocess.Popen(wrapped, stdout=stdout, stderr=stderr, env=env, start_new_session=True)
            killed = []
            timer = threading.Timer(timeout, lambda: (killed.append(1), os.killpg(process.pid, signal.SIGKILL)))
            timer.start()
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                timer.cancel()
            elapsed = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        peak = None
        if _TIME:
            try:
                peak = int(peak_file.read_text().split()[-1]) / 1024
            except (OSError, ValueError, IndexError):
                peak = None
        else:
            peak = usage.ru_maxrss / 1024
        text = out.read_text(encoding="utf-8", errors="replace")
        if process.returncode != 0 and not killed:
            raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: "
                               f"{err.read_text(errors='replace').strip()[-800:]}")
        return Run(elapsed, peak, text, process.returncode, bool(killed))


# -- the graphs -------------------------------------------------------------------------------------

class Graph:
    """One synthetic graph and what the commands ask of it."""

    def __init__(self, folder: Path, edges: int):
        self.folder, self.edges = folder, edges
        self.nodes_file, self.edges_file = folder / "nodes.tsv", folder / "edges.tsv"
        self.count = max(10, edges // NODE_RATIO)
        rows = _node_rows(self.nodes_file)
        self.ids = [r[0] for r in rows]
        self.anchor = self.ids[self.count // 50]
        self.far = self.ids[self.count // 2 + 1]
        self.search_text = rows[round(self.count * 0.37)][2]
        drugs = [r[0] for r in rows[self.count // 2:] if r[1] == "biolink:Drug"]
        self.drug = drugs[0] if drugs else self.ids[-1]
        rnd = random.Random(SEED + 7)
        self.pairs = [[self.ids[rnd.randrange(self.count)], self.ids[rnd.randrange(self.count)]] for _ in range(21)]
        self.pairs = [p for p in self.pairs if p[0] != p[1]]

    @property
    def label(self) -> str:
        return f"{self.edges // 1000:,}k edges" if self.edges < 1_000_000 else f"{self.edges // 1_000_000}M edges"


def _node_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        at = [header.index(c) for c in ("id", "category", "name")]
        return [[r[i] for i in at] for r in reader]


def graph_for(ctx: Context, edges: int) -> Graph:
    return Graph(graph_folder(ctx, edges), edges)


def graph_folder(ctx: Context, edges: int, fmt: str = "tsv") -> Path:
    """The folder of the benchmarks' synthetic graph of ``edges`` edges as TSV or JSON Lines
    (``fmt``), made once (kept when ``MECHGRAPH_BENCH_GRAPHS`` names a folder)."""
    from . import synthetic
    keep = os.environ.get("MECHGRAPH_BENCH_GRAPHS")
    base = Path(keep) if keep else ctx.scratch
    folder = base / f"{'kgx' if fmt == 'tsv' else fmt}-{edges}-n{max(10, edges // NODE_RATIO)}-s{SEED}"
    if not (folder / f"edges.{fmt}").exists():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        synthetic.generate(partial, edges, nodes=max(10, edges // NODE_RATIO), seed=SEED, fmt=fmt)
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    return folder


# -- the section -----------------------------------------------------------------------------------

def run(ctx: Context) -> dict:
    missing = [name for name in ("polars", "pandas", "rapidfuzz", "igraph") if not _importable(name)]
    if missing:
        raise NotAvailable(f"needs {', '.join(missing)} (pip install 'mechgraph[bench]')")
    parts = [part for part in os.environ.get("MECHGRAPH_BENCH_BIG_PARTS", ",".join(PARTS)).split(",") if part]
    if unknown := sorted(set(parts) - set(PARTS)):
        raise NotAvailable(f"MECHGRAPH_BENCH_BIG_PARTS: unknown part {', '.join(unknown)} (parts: {', '.join(PARTS)})")
    rows, notes, details = [], [], {}
    if parts != list(PARTS):
        notes.append(f"only the parts {', '.join(parts)} (MECHGRAPH_BENCH_BIG_PARTS)")
    for edges in (QUICK_SIZES if ctx.quick else LARGE_SIZES if ctx.large else SIZES):
        graph = graph_for(ctx, edges)
        print(f"   {graph.label}: {len(graph.ids):,} entities in {graph.folder}", flush=True)
        detail: dict = {"edges": edges, "entities": len(graph.ids),
                        "file_mb": round((graph.nodes_file.stat().st_size + graph.edges_file.stat().st_size) / 1e6, 1)}
        cache = ctx.scratch / f"cache-{edges}"
        if "build" in parts:
            build_rows, detail["first_build"] = first_build(ctx, graph, cache)
            rows += build_rows
        if "commands" in parts:
            command_rows, detail["commands"] = whole_commands(ctx, graph, cache)
            rows += command_rows
        if "path" in parts:
            path_rows, detail["path_in_memory"] = path_in_memory(ctx, graph, cache)
            rows += path_rows
        details[graph.label] = detail
        shutil.rmtree(cache, ignore_errors=True)
    notes.append("whole commands: fresh processes, interleaved round by round; 'repeated' is the median of the "
                 "rounds after the first call; peak memory is the largest resident set of any run "
                 + ("(/usr/bin/time)" if _TIME else "(wait4: includes the benchmark's own peak)"))
    notes.append(f"search baseline: polars read_csv of the nodes' id, name and synonym columns + rapidfuzz "
                 f"process.extract(fuzz.ratio, utils.default_process, limit=20); query: {QUERY}")
    return {"rows": rows, "notes": notes, "graphs": details}


def _importable(name: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(name) is not None


def _env(ctx: Context, cache: Path) -> dict:
    env = ctx.env(MECHGRAPH_CACHE_DIR=str(cache), MECHGRAPH_PROGRESS="0")
    env.pop("MECHGRAPH_GRAPH", None)
    return env


def interleave(argvs: dict[str, list[str]], *, env: dict, rounds: int, fresh_env=None,
               first: bool = True) -> dict[str, dict]:
    """Run each command once (its first call), then ``rounds`` interleaved rounds of those whose
    first call took at most ``REPEAT_BUDGET_S`` (or, with ``first``, whose second call did: a first
    call that builds something kept for later runs; that second call is the first round). ``fresh_env(label, i)`` gives a run its own
    environment (the first build's empty cache). Returns label -> first/repeated seconds, peak MiB."""
    out: dict[str, dict] = {}
    labels = list(argvs)
    for label in labels:
        run_env = fresh_env(label, -1) if fresh_env else env
        one = measured(argvs[label], env=run_env)
        out[label] = {"first_s": one.seconds, "runs_s": [], "peak_mib": one.peak_mib, "stdout": one.stdout,
                      "timed_out": one.timed_out}
        print(f"      {label}: first {one.seconds:.3f} s, {one.peak_mib or 0:.0f} MiB"
              f"{' (stopped)' if one.timed_out else ''}", flush=True)
    repeat = [label for label in labels if out[label]["first_s"] <= REPEAT_BUDGET_S and not out[label]["timed_out"]]
    if first:  # a slow first call may be paying for what it keeps (the query's stored index): try once more
        for label in labels:
            if label not in repeat and not out[label]["timed_out"]:
                one = measured(argvs[label], env=env)
                print(f"      {label}: second call {one.seconds:.3f} s", flush=True)
                if not one.timed_out and one.seconds <= REPEAT_BUDGET_S:
                    out[label]["runs_s"].append(one.seconds)
                    repeat.append(label)
    for i in range(rounds):
        for label in (repeat if i % 2 == 0 else list(reversed(repeat))):
            run_env = fresh_env(label, i) if fresh_env else env
            one = measured(argvs[label], env=run_env)
            out[label]["runs_s"].append(one.seconds)
            if one.peak_mib is not None:
                out[label]["peak_mib"] = max(out[label]["peak_mib"] or 0, one.peak_mib)
    for label in labels:
        runs = out[label]["runs_s"]
        out[label]["repeated_s"] = median(runs) if runs else None
        if not first:  # every run is alike (the first build): one median over all of them
            out[label]["median_s"] = median([out[label]["first_s"], *runs])
    return out


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1000


def first_build(ctx: Context, graph: Graph, cache: Path) -> tuple[list[dict], dict]:
    files = [str(graph.nodes_file), str(graph.edges_file)]
    exe = mechgraph_command()
    argvs = {"mechgraph stats (empty cache)": exe + ["--graph", str(graph.folder), "stats"],
             "csv module": [sys.executable, "-c", READ_CSV, *files],
             "pandas read_csv": [sys.executable, "-c", READ_PANDAS, *files],
             "polars read_csv": [sys.executable, "-c", READ_POLARS, *files]}
    scratch = ctx.scratch / f"build-{graph.edges}"

    def fresh_env(label: str, i: int) -> dict:
        folder = scratch / f"{i + 1}"
        shutil.rmtree(folder, ignore_errors=True)
        return _env(ctx, folder)

    rounds = 1 if ctx.quick or graph.edges >= 1_000_000 else 3
    print(f"   {graph.label}: first build ...", flush=True)
    found = interleave(argvs, env={}, rounds=rounds, fresh_env=fresh_env, first=False)
    shutil.rmtree(scratch, ignore_errors=True)
    mine = found["mechgraph stats (empty cache)"]
    rows = []
    for label in ("polars read_csv", "pandas read_csv", "csv module"):
        base = found[label]
        ratio = mine["median_s"] / base["median_s"]
        target = label == "polars read_csv"
        rows.append(row(f"{graph.label}: first build, mechgraph --graph G stats with an empty cache",
                        mine["median_s"], "s", baseline=base["median_s"], baseline_label=f"{label} of the same files",
                        target=f"<= {BUILD_TARGET}x" if target else "", met=(ratio <= BUILD_TARGET) if target else None,
                        runs=1 + len(mine["runs_s"]), peak_mib=_r(mine["peak_mib"]),
                        baseline_peak_mib=_r(base["peak_mib"])))
    rows.append(row(f"{graph.label}: first build, peak memory", mine["peak_mib"] or 0, "MiB",
                    baseline=found["polars read_csv"]["peak_mib"], baseline_label="polars read_csv",
                    target=f"<= {BUILD_MEMORY_MIB} MiB" if graph.edges >= 1_000_000 else "",
                    met=(mine["peak_mib"] <= BUILD_MEMORY_MIB) if graph.edges >= 1_000_000 and mine["peak_mib"] else None))
    return rows, _plain(found)


def whole_commands(ctx: Context, graph: Graph, cache: Path) -> tuple[list[dict], dict]:
    exe = mechgraph_command() + ["--graph", str(graph.folder)]
    env = _env(ctx, cache)
    measured(exe + ["stats"], env=env)  # build the cache: what a user's second command finds
    argvs = {
        FLOOR: [sys.executable, "-c", "import click, yaml"],
        "stats": exe + ["stats"],
        f"search {graph.search_text!r}": exe + ["search", graph.search_text],
        "polars + rapidfuzz": [sys.executable, "-c", SEARCH_BASELINE, str(graph.nodes_file), graph.search_text],
        f"path {graph.anchor} {graph.far}": exe + ["path", graph.anchor, graph.far],
        f"show {graph.anchor}": exe + ["show", graph.anchor],
        f"explain {graph.drug} --max-hops 4": exe + ["explain", graph.drug, "--max-hops", "4"],
        "query (anchored 2-hop)": exe + ["query", QUERY, "-p", f"id={graph.anchor}", "--json"],
        "polars read + join": [sys.executable, "-c", QUERY_BASELINE, str(graph.edges_file), graph.anchor],
    }
    page = str(ctx.scratch / f"render-{graph.edges}.html")
    for depth in ("1", "2"):
        argvs[f"render --focus {graph.anchor} --depth {depth}"] = exe + ["render", "--focus", graph.anchor,
                                                                          "--depth", depth, "-o", page]
    argvs[f"figure focus {graph.anchor}"] = exe + ["figure", "focus", graph.anchor, "-o",
                                                   str(ctx.scratch / f"figure-{graph.edges}.svg")]
    # the commands that read the whole graph, each once more than the rest need
    argvs["validate"] = exe + ["validate"]
    argvs["conflicts"] = exe + ["conflicts"]
    argvs["export --format kgx"] = exe + ["export", "--format", "kgx", "-o", str(ctx.scratch / f"export-{graph.edges}")]
    argvs["export --format cypher"] = exe + ["export", "--format", "cypher", "-o",
                                             str(ctx.scratch / f"export-{graph.edges}.cypher")]
    argvs["export --format neo4j-csv"] = exe + ["export", "--format", "neo4j-csv", "-o",
                                                str(ctx.scratch / f"export-{graph.edges}-neo4j")]
    refused = graph.edges > MAX_ASSERTIONS
    if refused:  # the whole graph's map, refused (exit status 1, nothing written): how long the answer takes
        argvs["render (whole graph, refused)"] = ["sh", "-c", '"$@"; [ $? -eq 1 ]', "sh", *exe, "render", "-o", page]
    rounds = 3 if ctx.quick else (7 if graph.edges >= 1_000_000 else 11)
    print(f"   {graph.label}: whole commands ...", flush=True)
    found = interleave(argvs, env=env, rounds=rounds)
    rows = []

    def add(label: str, base_label: str, baseline_label: str, target: float | None, **extra):
        mine, base = found[label], found[base_label]
        for when in ("first_s", "repeated_s"):
            value = mine[when] if not mine["timed_out"] else None
            if value is None:
                continue
            against = base["repeated_s"] or base["first_s"]
            ratio = value / against
            name = "first call" if when == "first_s" else f"repeated (median of {len(mine['runs_s'])})"
            rows.append(row(f"{graph.label}: mechgraph {label}, whole command, {name}", value * 1000, "ms",
                            baseline=against * 1000, baseline_label=baseline_label,
                            target=f"<= {target}x" if target else "", met=(ratio <= target) if target else None,
                            peak_mib=_r(mine["peak_mib"]), baseline_peak_mib=_r(base["peak_mib"]), **extra))
        if mine["timed_out"]:
            rows.append(row(f"{graph.label}: mechgraph {label}, whole command", TIMEOUT_S * 1000, "ms",
                            target="(stopped)", met=False if target else None))

    add("stats", FLOOR, "floor: " + FLOOR, None)
    add(f"search {graph.search_text!r}", "polars + rapidfuzz", "polars read + rapidfuzz", SEARCH_TARGET)
    add(f"path {graph.anchor} {graph.far}", FLOOR, "floor", None)
    add(f"show {graph.anchor}", FLOOR, "floor", None)
    add(f"explain {graph.drug} --max-hops 4", FLOOR, "floor", None)
    for depth in ("1", "2"):
        add(f"render --focus {graph.anchor} --depth {depth}", f"show {graph.anchor}", f"mechgraph show {graph.anchor}",
            None)
    if refused:
        add("render (whole graph, refused)", "stats", "mechgraph stats", None)
    add(f"figure focus {graph.anchor}", f"show {graph.anchor}", f"mechgraph show {graph.anchor}", None)
    for label in WHOLE_GRAPH:
        add(label, "stats", "mechgraph stats", None)
    same = _same_answer(found["query (anchored 2-hop)"]["stdout"], found["polars read + join"]["stdout"])
    add("query (anchored 2-hop)", "polars read + join", "polars read + join (same answer)"
        if same else "polars read + join (ANSWERS DIFFER)", None, same_answer=same)
    query, stats = found["query (anchored 2-hop)"], found["stats"]
    if not query["timed_out"]:
        value = query["repeated_s"] or query["first_s"]
        rows.append(row(f"{graph.label}: mechgraph query (anchored 2-hop) against mechgraph stats, whole commands",
                        value * 1000, "ms", baseline=stats["repeated_s"] * 1000, baseline_label="mechgraph stats",
                        target=f"<= {QUERY_TARGET}x" if graph.edges >= 1_000_000 else "",
                        met=(value / stats["repeated_s"] <= QUERY_TARGET) if graph.edges >= 1_000_000 else None,
                        peak_mib=_r(query["peak_mib"]), baseline_peak_mib=_r(stats["peak_mib"])))
    return rows, _plain(found)


def _same_answer(mine: str, theirs: str) -> bool:
    try:
        rows = json.loads(mine)["rows"]
        return rows == [json.loads(theirs.strip().splitlines()[-1])]
    except (ValueError, KeyError, IndexError):
        return False


def path_in_memory(ctx: Context, graph: Graph, cache: Path) -> tuple[list[dict], dict]:
    """``FIRST_CALL_PROCESSES`` fresh processes, alternating which query comes first: ``path
    A B`` (ranked chains) or ``path A B --relation any -k 1`` (one best connection: what a
    shortest path answers); first calls are the median over the processes that made them
    first. Then as many again with the modules a path call imports imported beforehand
    (a diagnostic: the first call without that one-time cost)."""
    print(f"   {graph.label}: path in memory ...", flush=True)
    runs = {"chain": [], "any": [], "chain imported": [], "any imported": []}
    for i in range(FIRST_CALL_PROCESSES * 2):
        first = "chain" if i % 2 == 0 else "any"
        imported = i >= FIRST_CALL_PROCESSES
        runs[first + (" imported" if imported else "")].append(run_json_child(
            _PATHS_PROBE, str(graph.folder), json.dumps(graph.pairs), first, "imported" if imported else "plain",
            env=_env(ctx, cache)))
    found = runs["chain"][0]
    ig_first = median([run["igraph_first_ms"] for group in runs.values() for run in group])
    first = median([run["first_any_ms"] for run in runs["any"]])
    first_chain = median([run["first_chain_ms"] for run in runs["chain"]])
    first_imported = median([run["first_any_ms"] for run in runs["any imported"]])
    found["first_calls"] = {label: [{"first_any_ms": _r(run["first_any_ms"]), "first_chain_ms": _r(run["first_chain_ms"]),
                                     "igraph_first_ms": round(run["igraph_first_ms"], 3),
                                     "imported_ms": run["imported_ms"] and round(run["imported_ms"], 2)}
                                    for run in group] for label, group in runs.items()}
    rows = []
    rows.append(row(f"{graph.label}: path A B --relation any -k 1 in memory, first call", first, "ms",
                    baseline=ig_first, baseline_label="igraph get_shortest_paths, first call",
                    target=f"<= {PATH_TARGET}x", met=first / ig_first <= PATH_TARGET,
                    processes=len(runs["any"])))
    rows.append(row(f"{graph.label}: path A B --relation any -k 1 in memory, first call after its modules were "
                    f"imported", first_imported, "ms", baseline=ig_first,
                    baseline_label="igraph get_shortest_paths, first call", target="(diagnostic)",
                    imports_ms=median([run["imported_ms"] for run in runs["any imported"]])))
    rows.append(row(f"{graph.label}: path A B in memory (ranked chains, k=5), first call", first_chain,
                    "ms", baseline=ig_first, baseline_label="igraph get_shortest_paths, first call",
                    target="(diagnostic)"))
    any_rep, ig_rep = median(found["any_ms"]), median(found["igraph_ms"])
    rows.append(row(f"{graph.label}: path --relation any -k 1 in memory, repeated over {len(found['any_ms'])} pairs, "
                    f"median", any_rep, "ms", baseline=ig_rep, baseline_label="igraph get_shortest_paths, median",
                    target=f"<= {PATH_TARGET}x", met=any_rep / ig_rep <= PATH_TARGET))
    rep, ig_all = median(found["chain_ms"]), median(found["igraph_all_ms"])
    rows.append(row(f"{graph.label}: path in memory (ranked chains, k=5), repeated, median", rep, "ms",
                    baseline=ig_all, baseline_label="igraph get_all_shortest_paths, median",
                    target="<= 1x (k-ranked against all shortest paths)", met=rep <= ig_all))
    rows.append(row(f"{graph.label}: path A B in memory (ranked chains, k=5), the same pair again, median of 5",
                    median(found["chain_same_ms"]), "ms", baseline=median(found["igraph_same_ms"]),
                    baseline_label="igraph, the same pair again", target="(diagnostic)"))
    return rows, found


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


def _plain(found: dict) -> dict:
    """What the results file keeps of each command: times and memory, not its output."""
    return {label: {"first_ms": _r(_ms(v["first_s"])), "repeated_ms": _r(_ms(v["repeated_s"])),
                    "runs_ms": [_r(_ms(s)) for s in v["runs_s"]], "peak_mib": _r(v["peak_mib"]),
                    "timed_out": v["timed_out"]}
            for label, v in found.items()}
