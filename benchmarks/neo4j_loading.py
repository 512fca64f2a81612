"""Loading into a real Neo4j 5: mechgraph's batched loader against one statement per item
and against neo4j-admin's bulk import of the same graph, in one run.

One Neo4j 5.26 Community instance (``scripts/neo4j-server.sh``, assembled from Maven
Central) serves the whole section. For each synthetic KGX graph (100k edges; 1M with
``--large``; 1k with ``--quick``):

- **bulk**: ``loading.load`` of the property-graph projection into the emptied database
  (no node at all, and no constraint, as in a new database: ``wipe`` keeps the uniqueness
  constraint, which is dropped before each timed load), as ``mechgraph load`` does: it
  takes the bulk path (nodes created, then the uniqueness constraint, then relationships
  created between nodes found by element id, 5,000 rows per transaction, the next one
  encoded while the server writes);
- **merge**: the same load with ``bulk=False`` (``mechgraph load --no-bulk``), the path
  every load into a non-empty database takes (nodes and relationships merged on their
  ids, 500 rows per transaction): the batched load as it was before the bulk path;
- **one statement per item**: the loader's own statements with one node or relationship
  each, one transaction each, on a sample (the first relationships of each type and their
  end nodes), extrapolated by node and relationship rates;
- **neo4j-admin import**: the CSV export (``export --format neo4j-csv``) imported with
  ``neo4j-admin database import full`` into the stopped instance: the import command's
  wall time (its JVM start included), with writing the CSV files reported beside it.

``MECHGRAPH_BENCH_NEO4J_MERGE_MAX=N`` measures the merging load only on graphs of at most
N edges (it takes about twice as long as the bulk load; a 1M-edge run then measures bulk,
one statement per item and the admin import). The server gets a 2 GB heap and a 3 GB page
cache (``MECHGRAPH_NEO4J_HEAP``, ``MECHGRAPH_NEO4J_PAGECACHE``), room for the store of the
1M-edge graph, as a user loading that much would give it.

Both loads follow a warm-up load of a 3,000-relationship sample by each path (so that
neither pays for planning and compiling its statements). After each load the server's
counts are checked against the projection. Targets: batched
(either path) at least 20x faster than one statement per item, and a load into an empty
database (the bulk path) within 3x of the admin import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from .common import ROOT, Context, NotAvailable, row
from .loading import _no_disk_cache, _sample, one_statement_per_item

SCRIPT = ROOT / "scripts" / "neo4j-server.sh"
TARGET_SPEEDUP = 20
TARGET_ADMIN_RATIO = 3
NODE_RATIO = 4
HEAP = os.environ.get("MECHGRAPH_NEO4J_HEAP", "2g")
PAGECACHE = os.environ.get("MECHGRAPH_NEO4J_PAGECACHE", "3g")


class Instance:
    """A Neo4j instance driven by scripts/neo4j-server.sh."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.variables: dict[str, str] = {}

    def script(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        env = {**os.environ, "MECHGRAPH_NEO4J_HEAP": HEAP, "MECHGRAPH_NEO4J_PAGECACHE": PAGECACHE}
        return subprocess.run(["bash", str(SCRIPT), *args[:1], "--dir", str(self.workdir), *args[1:]],
                              capture_output=True, text=True, timeout=timeout, env=env)

    def start(self) -> None:
        done = self.script("start")
        if done.returncode != 0:
            raise NotAvailable(f"Neo4j did not start: {done.stderr.strip()[-300:]}")
        self.variables = dict(part.split("=", 1) for part in done.stdout.split())

    def stop(self) -> None:
        self.script("stop", timeout=120)

    def connect(self):
        from mechgraph.backends.bolt import connect
        return connect(self.variables["NEO4J_URI"], user=self.variables["NEO4J_USER"],
                       password=self.variables["NEO4J_PASSWORD"])


@contextmanager
def neo4j_instance(workdir: Path):
    if shutil.which("java") is None or shutil.which("mvn") is None:
        raise NotAvailable("Neo4j needs Java 17 and Maven (scripts/neo4j-server.sh)")
    instance = Instance(workdir)
    instance.start()
    try:
        yield instance
    finally:
        instance.stop()


def run(ctx: Context) -> dict:
    from mechgraph import MechGraph
    from mechgraph.backends.propertygraph import project

    from . import synthetic
    sizes = (1_000,) if ctx.quick else (100_000, 1_000_000) if ctx.large else (100_000,)
    if os.environ.get("MECHGRAPH_BENCH_NEO4J_EDGES"):  # e.g. 1000000: one size of a long run again
        sizes = tuple(int(n) for n in os.environ["MECHGRAPH_BENCH_NEO4J_EDGES"].split(","))
    sample = 400 if ctx.quick else 3000
    rows, notes, details = [], [], []
    with _no_disk_cache(), neo4j_instance(ctx.scratch / "neo4j-loading") as instance:
        for edges in sizes:
            folder = ctx.scratch / f"neo4j-loading-{edges}"
            synthetic.generate(folder, edges, nodes=edges // NODE_RATIO, seed=0)
            graph = MechGraph.load(folder)
            pg = project(graph)
            detail = measure(instance, graph, pg, edges, sample, ctx.scratch)
            rows.extend(detail.pop("rows"))
            details.append(detail)
            print(f"   {edges:,} edges: {detail['summary']}", flush=True)
            del graph, pg
    notes.append(f"Neo4j 5.26.30 Community from Maven Central (scripts/neo4j-server.sh), one instance, heap "
                 f"{HEAP}, page cache {PAGECACHE}; one-statement baseline "
                 f"sampled ({sample:,} relationships and their end nodes) and extrapolated")
    return {"rows": rows, "notes": notes, "graphs": details}


def measure(instance: Instance, graph, pg, edges: int, sample: int, scratch: Path) -> dict:
    from mechgraph.backends.loading import counts, load, wipe
    from mechgraph.backends.propertygraph import PropertyGraph
    label = f"{edges:,} edges"
    load_average = [round(x, 2) for x in os.getloadavg()]
    expected = (len(pg.nodes), len(pg.relationships))
    timed = {}
    with instance.connect() as conn:
        warm_up = _sample(pg, 3000, PropertyGraph)  # both paths' statements planned and compiled first
        merge_max = int(os.environ.get("MECHGRAPH_BENCH_NEO4J_MERGE_MAX") or edges)
        paths = ("merge", "bulk") if edges <= merge_max else ("bulk",)
        for path in paths:
            wipe(conn)
            load(conn, warm_up, bulk=path == "bulk")
        for path in paths:
            wipe(conn)
            conn.write("DROP CONSTRAINT mechgraph_id IF EXISTS")  # as in a new database (wipe keeps it)
            started = time.perf_counter()
            report = load(conn, pg, bulk=path == "bulk")
            timed[path] = time.perf_counter() - started
            print(f"   {label}: {path} load {timed[path]:.1f} s", flush=True)
            assert report.path == path, (report.path, path)
            found = counts(conn)
            assert (found["nodes"], found["relationships"]) == expected, (found, expected)
        started = time.perf_counter()  # what the bulk load wrote
        wiped = wipe(conn)
        wipe_s = time.perf_counter() - started
        assert wiped == expected[0], (wiped, expected)
        print(f"   {label}: wipe {wipe_s:.1f} s", flush=True)
        single = _one_by_one(conn, pg, sample)
        wipe(conn)
    csv_s, admin_s = _admin_import(instance, graph, scratch / f"neo4j-csv-{edges}")
    with instance.connect() as conn:
        found = counts(conn)
        assert (found["nodes"], found["relationships"]) == expected, (found, expected)
        wipe(conn)
    bulk, merge = timed["bulk"], timed.get("merge")
    items = sum(expected)
    rows = []
    for path, what in (("bulk", "bulk load (empty database)"), ("merge", "merging load (--no-bulk)")):
        if path not in timed:
            continue
        speedup = single / timed[path]
        rows.append(row(f"Neo4j, {label}: {what}, items per second", items / timed[path], "items/s",
                        baseline=items / single, baseline_label="one statement per item (estimated)",
                        ratio=speedup, target=f"speedup >= {TARGET_SPEEDUP}x", met=speedup >= TARGET_SPEEDUP,
                        seconds=round(timed[path], 2)))
    rows.append(row(f"Neo4j, {label}: load into an empty database (bulk path)", bulk, "s", baseline=admin_s,
                    baseline_label="neo4j-admin database import full", ratio=bulk / admin_s,
                    target=f"<= {TARGET_ADMIN_RATIO}x", met=bulk / admin_s <= TARGET_ADMIN_RATIO))
    if merge is not None:
        rows.append(row(f"Neo4j, {label}: merging load into an empty database (--no-bulk; before the bulk path)",
                        merge, "s", baseline=admin_s, baseline_label="neo4j-admin database import full",
                        ratio=merge / admin_s, target="(for comparison)"))
    rows.append(row(f"Neo4j, {label}: wipe of the loaded graph ({items:,} nodes and relationships)", wipe_s, "s",
                    target="(for comparison)"))
    merged = (f", merge {merge:.1f} s" if merge is not None else "", f" and {single / merge:.0f}x" if merge else "",
              f", merge {merge / admin_s:.2f}x" if merge else "")
    return {"edges": edges, "nodes": expected[0], "relationships": expected[1], "load_average_at_start": load_average,
            "bulk_s": round(bulk, 2), "merge_s": round(merge, 2) if merge is not None else None,
            "wipe_s": round(wipe_s, 2), "one_statement_estimate_s": round(single, 1), "csv_export_s": round(csv_s, 2),
            "admin_import_s": round(admin_s, 2), "rows": rows,
            "summary": f"bulk {bulk:.1f} s{merged[0]}, one statement per item {single:.0f} s (estimated): "
                       f"{single / bulk:.0f}x{merged[1]}; neo4j-admin import {admin_s:.1f} s "
                       f"(+ {csv_s:.1f} s writing CSV): bulk {bulk / admin_s:.2f}x{merged[2]}; wipe {wipe_s:.1f} s"}


def _one_by_one(conn, pg, sample: int) -> float:
    """Seconds one statement per item would take for the whole graph, from a sample."""
    from mechgraph.backends.loading import wipe
    from mechgraph.backends.propertygraph import PropertyGraph
    wipe(conn)
    spent, done = one_statement_per_item(conn, _sample(pg, sample, PropertyGraph))
    return len(pg.nodes) * spent["nodes"] / done["nodes"] + len(pg.relationships) * spent["relationships"] / \
        done["relationships"]


def _admin_import(instance: Instance, graph, directory: Path) -> tuple[float, float]:
    """Seconds writing the CSV export, and seconds of neo4j-admin importing it (server stopped)."""
    from mechgraph.io.neo4j_csv import import_command, write_neo4j_csv
    started = time.perf_counter()
    files = write_neo4j_csv(graph, directory)
    csv_s = time.perf_counter() - started
    names = [p.name for p in files if p.suffix == ".csv"]
    command = import_command(names, "neo4j").split()
    assert command[:2] == ["neo4j-admin", "database"], command
    instance.stop()
    try:
        started = time.perf_counter()
        done = subprocess.run(["bash", str(SCRIPT), "admin", "--dir", str(instance.workdir), *command[1:]],
                              capture_output=True, text=True, cwd=directory, timeout=3600)
        admin_s = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"neo4j-admin import failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    finally:
        instance.start()
    return csv_s, admin_s
