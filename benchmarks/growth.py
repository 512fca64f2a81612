"""Growth: synthetic KGX graphs of 1k to 1M edges, built first time and from cache, and
``path`` between entities 4 to 6 hops apart, against a reference shortest-path search.

The graphs come from ``benchmarks/synthetic.py`` (typed nodes, Biolink predicates,
evidence fields, a fixed seed), generated afresh in a scratch directory every run.
Each measurement runs in a fresh Python process, so that its peak memory
(``VmHWM``, the peak resident set of that process image) is its own:

- first build: ``MechGraph.load(DIR)`` with an empty graph cache (reading KGX,
  building the topology, writing the cache), then the same in a new process with the
  cache warm (reading the topology, mapping the records file): what every command does
  before it answers. The records a query shows are read on demand, inside its time. Baselines: for the cached build, splitting the same KGX files
  into rows and fields in that process (the least any reader must do); for peak
  memory, the same process just after ``import mechgraph``.
- path: ``MechGraph.path(A, B, max_hops=6, relation="any")`` (what ``mechgraph path A B --max-hops 6 --relation any``
  calls) for pairs whose distance in the graph is 4 to 6 hops, chosen from the edge
  list with a fixed seed; against rustworkx's Dijkstra shortest path (unit weights)
  between the same pair on the same edges, in the same process: the near-limit of
  what a path search can cost. mechgraph does more (the k best simple paths of the
  shortest length, ranked, with each hop's evidence), so the ratio is the price of that.
  Dijkstra searches from one end only; mechgraph's search is bidirectional, so
  networkx's bidirectional breadth-first search on a networkx Graph of the same edges
  is shown too (a diagnostic: the same strategy in pure Python, one shortest path only).
  The default ``path`` (mechanism chains, which also falls back to the connections when
  a pair has no chain) is timed on the same pairs.

The growth exponent is the slope of log(value) against log(edges) over the sizes of 10k
edges and up (1.0 = linear). Targets: path on the 1M-edge graph at most 1 s; build
from cache at most 5 s.
"""

from __future__ import annotations

import csv
import json
import random
import sys

from .common import Context, NotAvailable, growth_exponent, median, row, run_json_child

FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
SEED = 0
PATH_TARGET_S = 1.0
CACHE_TARGET_S = 5.0
MIN_HOPS, MAX_HOPS = 4, 6
#: nodes = edges / NODE_RATIO: an average degree of 8; at synthetic.py's default of
#: edges / 10 a 1k-edge graph has no two entities more than 3 hops apart
NODE_RATIO = 4

_PROBE = r"""
import json, resource, sys, time
def rss():
    # VmHWM: this process image's peak (ru_maxrss would carry over the parent's across exec)
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
path, pairs, repeats = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
from mechgraph import MechGraph
from mechgraph.errors import NoPath
floor_rss = rss()
start = time.perf_counter()
g = MechGraph.load(path)
topology = g.topology
load_s = time.perf_counter() - start
out = {"load_s": load_s, "floor_rss_mib": floor_rss, "entities": len(g.model.entities),
       "assertions": len(g.model.assertions), "findings": len(g.model.findings),
       "nodes": len(topology.nodes), "edges": len(topology)}
if pairs:
    first, times, hops = [], [], []
    for a, b, expected in pairs:
        for r in range(repeats):
            t = time.perf_counter()
            try:
                result = g.path(a, b, max_hops=6, relation="any")
            except NoPath:
                result = None
            elapsed = time.perf_counter() - t
            (times if r else first).append(elapsed)
        hops.append([expected, len(result["paths"][0]["hops"]) if result else None,
                     len(result["paths"]) if result else 0])
    chain_times = []
    for a, b, _ in pairs:
        t = time.perf_counter()
        try:
            g.path(a, b, max_hops=6)
        except NoPath:
            pass
        chain_times.append(time.perf_counter() - t)
    out.update(path_first_s=first, path_s=times, hops=hops, chain_s=chain_times)
out["peak_rss_mib"] = rss()
if pairs:
    import rustworkx as rx
    t = time.perf_counter()
    index = topology.index
    # the edges ``path`` may step along: not loops, not assertions whose findings all refute them
    usable = [(u, v) for u, v, refuted in zip(topology.subject, topology.object, topology.refuted)
              if u != v and not refuted]
    ref = rx.PyGraph(multigraph=False)
    ref.add_nodes_from(topology.nodes)
    ref.extend_from_edge_list(usable)
    out["reference_build_s"] = time.perf_counter() - t
    ref_times, ref_hops = [], []
    for a, b, expected in pairs:
        for r in range(repeats):
            t = time.perf_counter()
            found = rx.graph_dijkstra_shortest_paths(ref, index[a], target=index[b], default_weight=1.0)
            ref_times.append(time.perf_counter() - t)
        ref_hops.append(len(found[index[b]]) - 1)
    out.update(reference_s=ref_times, reference_hops=ref_hops)
    import networkx as nx
    undirected = nx.Graph(usable)
    bi_times = []
    for a, b, expected in pairs:
        for r in range(repeats):
            t = time.perf_counter()
            nx.bidirectional_shortest_path(undirected, index[a], index[b])
            bi_times.append(time.perf_counter() - t)
    out["bidirectional_s"] = bi_times
    # a floor for reading the graph at all: the KGX files split into rows and fields
    import pathlib
    t = time.perf_counter()
    for name in ("nodes.tsv", "edges.tsv"):
        with open(pathlib.Path(path) / name, encoding="utf-8") as handle:
            fields = [line.rstrip("\n").split("\t") for line in handle]
        del fields
    out["tsv_split_s"] = time.perf_counter() - t
print(json.dumps(out))
"""


def run(ctx: Context) -> dict:
    try:
        from . import synthetic
    except ImportError:
        raise NotAvailable("benchmarks/synthetic.py (the synthetic KGX generator) is not there yet") from None
    try:
        from mechgraph.io.kgx import kgx_files  # noqa: F401
    except ImportError:
        raise NotAvailable("mechgraph cannot read KGX yet (mechgraph.io.kgx)") from None
    try:
        import rustworkx  # noqa: F401
    except ImportError:
        raise NotAvailable("rustworkx is not installed (pip install '.[bench]')") from None

    sizes = QUICK_SIZES if ctx.quick else FULL_SIZES
    pair_count, repeats = (3, 2) if ctx.quick else (5, 3)
    rows, notes, details = [], [], []
    for edges in sizes:
        work = ctx.scratch / f"growth-{edges}"
        nodes_file, edges_file = synthetic.generate(work / "graph", edges, nodes=edges // NODE_RATIO, seed=SEED)
        pairs = pick_pairs(edges_file, pair_count, seed=SEED)
        env = ctx.env(MECHGRAPH_CACHE_DIR=str(work / "cache"), MECHGRAPH_PROGRESS="0")
        graph = str(work / "graph")
        first = run_json_child(_PROBE, graph, "[]", "1", env=env, timeout=1800)
        cached = run_json_child(_PROBE, graph, json.dumps(pairs), str(repeats), env=env, timeout=1800)
        detail = summarise(edges, nodes_file, edges_file, pairs, first, cached)
        details.append(detail)
        rows.extend(size_rows(detail))
        print(f"   {edges:>9,} edges: first {detail['first_build_s']:.2f} s, cache {detail['cache_build_s']:.2f} s, "
              f"peak {detail['cache_peak_rss_mib']:.0f} MiB, path {detail['path_median_ms']} ms "
              f"(rustworkx {detail['reference_median_ms']} ms)", flush=True)
        if not detail["hops_agree"]:
            notes.append(f"{edges:,} edges: path's shortest hop counts differ from the breadth-first search's "
                         f"(expected, found, paths): {detail['path_hops']}")
        for p in (nodes_file, edges_file):
            p.unlink()

    fitted = [d for d in details if d["edges"] >= 10_000] if len(sizes) > 2 else details
    xs = [d["edges"] for d in fitted]
    exponents = {key: growth_exponent(xs, [d[key] for d in fitted])
                 for key in ("first_build_s", "cache_build_s", "cache_peak_rss_mib", "path_median_ms",
                             "reference_median_ms")}
    for key, label in (("first_build_s", "build, first time"), ("cache_build_s", "build from cache"),
                       ("cache_peak_rss_mib", "peak memory (from cache)"), ("path_median_ms", "path latency"),
                       ("reference_median_ms", "rustworkx shortest path")):
        if exponents[key] is not None:
            rows.append(row(f"growth exponent: {label}", exponents[key], "", target="(1.0 = linear)"))
    notes.append(f"sizes {', '.join(f'{s:,}' for s in sizes)} edges (nodes = edges / {NODE_RATIO}), seed {SEED}; "
                 f"exponents fitted over {', '.join(f'{x:,}' for x in xs)} edges; "
                 f"path: {pair_count} pairs 4-6 hops apart, median of {repeats - 1} warm calls each "
                 f"(the first call of each pair is reported apart)")
    return {"rows": rows, "notes": notes, "sizes": details, "exponents": exponents}


def pick_pairs(edges_file, count: int, seed: int) -> list[list]:
    """``count`` pairs of node ids 4 to 6 hops apart (undirected and not through negated
    edges, as ``path`` searches), found by breadth-first search from randomly drawn
    low-degree nodes; as ``[source, target, hops]``."""
    import rustworkx as rx
    index: dict[str, int] = {}
    edge_list = []
    with open(edges_file, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        s_col, o_col = header.index("subject"), header.index("object")
        n_col = header.index("negated") if "negated" in header else None
        for fields in reader:
            u = index.setdefault(fields[s_col], len(index))
            v = index.setdefault(fields[o_col], len(index))
            # a negated edge is an assertion only refuted: ``path`` never steps along it
            if u != v and (n_col is None or fields[n_col].strip().lower() not in ("true", "1")):
                edge_list.append((u, v))
    names = list(index)
    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(names)
    graph.extend_from_edge_list(edge_list)
    rnd = random.Random(seed)
    # peripheral nodes (few neighbours) are where long shortest paths start in a hub-rich graph
    candidates = sorted(range(len(names)), key=lambda n: (graph.degree(n), n))[:max(200, len(names) // 20)]
    rnd.shuffle(candidates)
    pairs, used = [], set()
    for source in candidates:
        lengths = rx.graph_dijkstra_shortest_path_lengths(graph, source, lambda _: 1.0)
        far = [(int(d), t) for t, d in lengths.items() if MIN_HOPS <= d <= MAX_HOPS and t not in used]
        if not far:
            continue
        wanted = (5, 4, 6)[len(pairs) % 3]  # spread the pairs over 4, 5 and 6 hops
        hops, target = min(far, key=lambda x: (abs(x[0] - wanted), graph.degree(x[1]), x[1]))
        pairs.append([names[source], names[target], hops])
        used.update((source, target))
        if len(pairs) == count:
            return pairs
    if not pairs:
        raise RuntimeError(f"no two entities of {edges_file} are {MIN_HOPS} to {MAX_HOPS} hops apart")
    return pairs


def summarise(edges: int, nodes_file, edges_file, pairs, first: dict, cached: dict) -> dict:
    warm = cached["path_s"] or cached["path_first_s"]
    return {
        "edges": edges,
        "entities": cached["entities"],
        "assertions": cached["assertions"],
        "findings": cached["findings"],
        "file_mb": round((nodes_file.stat().st_size + edges_file.stat().st_size) / 1e6, 1),
        "first_build_s": round(first["load_s"], 3),
        "cache_build_s": round(cached["load_s"], 3),
        "first_peak_rss_mib": round(first["peak_rss_mib"], 1),
        "cache_peak_rss_mib": round(cached["peak_rss_mib"], 1),
        "import_rss_mib": round(cached["floor_rss_mib"], 1),
        "pairs": pairs,
        "path_hops": cached["hops"],
        "hops_agree": all(expected == found for expected, found, _ in cached["hops"]),
        "path_median_ms": round(median(warm) * 1000, 2),
        "path_max_ms": round(max(warm + cached["path_first_s"]) * 1000, 2),
        "path_first_call_median_ms": round(median(cached["path_first_s"]) * 1000, 2),
        "chain_median_ms": round(median(cached["chain_s"]) * 1000, 2),
        "chain_max_ms": round(max(cached["chain_s"]) * 1000, 2),
        "reference_median_ms": round(median(cached["reference_s"]) * 1000, 3),
        "reference_hops": cached["reference_hops"],
        "reference_build_s": round(cached["reference_build_s"], 3),
        "networkx_bidirectional_median_ms": round(median(cached["bidirectional_s"]) * 1000, 3),
        "tsv_split_s": round(cached["tsv_split_s"], 3),
    }


def size_rows(d: dict) -> list[dict]:
    n = f"{d['edges']:,} edges"
    rows = [
        row(f"{n}: build, first time", d["first_build_s"], "s", baseline=d["cache_build_s"],
            baseline_label="from cache", target="(no target)"),
        row(f"{n}: build from cache", d["cache_build_s"], "s", baseline=d["tsv_split_s"],
            baseline_label="splitting the KGX files into fields",
            target=f"<= {CACHE_TARGET_S:g} s" if d["edges"] >= 1_000_000 else "",
            met=d["cache_build_s"] <= CACHE_TARGET_S if d["edges"] >= 1_000_000 else None),
        row(f"{n}: peak memory (from cache, after path)", d["cache_peak_rss_mib"], "MiB",
            baseline=d["import_rss_mib"], baseline_label="after import", target="(no target)"),
        row(f"{n}: path, 4-6 hops apart", d["path_median_ms"], "ms", baseline=d["reference_median_ms"],
            baseline_label="rustworkx", target=f"<= {PATH_TARGET_S * 1000:g} ms" if d["edges"] >= 1_000_000 else "",
            met=d["path_median_ms"] <= PATH_TARGET_S * 1000 if d["edges"] >= 1_000_000 else None,
            worst_ms=d["path_max_ms"]),
        row(f"{n}: path, 4-6 hops apart", d["path_median_ms"], "ms", baseline=d["networkx_bidirectional_median_ms"],
            baseline_label="networkx bidirectional BFS", target="(diagnostic)"),
        row(f"{n}: mechanism chains (default path), same pairs", d["chain_median_ms"], "ms",
            baseline=d["reference_median_ms"], baseline_label="rustworkx", target="(no target)",
            worst_ms=d["chain_max_ms"]),
    ]
    return rows


if __name__ == "__main__":  # a quick look without the harness
    sys.exit("run: python benchmarks/run.py --only growth")
