"""Synthetic KGX graphs for benchmarks, and a measurement of mechgraph on them.

``generate(directory, edges)`` writes ``nodes.tsv`` + ``edges.tsv`` (or ``.jsonl``):
typed nodes (Biolink categories mechgraph knows, plus a few it does not), and edges
with Biolink predicates (directed effects with their qualifiers), knowledge level,
agent type, knowledge source, publications, species context and, for a few, ``negated``.
Ends are drawn with a skew, so some nodes are hubs as in real knowledge graphs. The
same size and seed always give the same bytes.

    python benchmarks/synthetic.py generate --edges 100000 --out /tmp/kgx-100k
    python benchmarks/synthetic.py measure --edges 100000 1000000

``measure`` generates each size (nodes = edges / 10), then times in fresh processes a
first load (parsing, with an empty cache), a cached load, path queries on the loaded
graph and one whole ``mechgraph path`` command, and reports peak memory (maximum
resident set size) of each process, as JSON lines.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: (Biolink category, name stem, share of nodes)
CATEGORIES = (
    ("biolink:Gene", "gene", 0.25),
    ("biolink:Protein", "protein", 0.20),
    ("biolink:SmallMolecule", "compound", 0.15),
    ("biolink:Drug", "drug", 0.05),
    ("biolink:Disease", "disease", 0.08),
    ("biolink:PhenotypicFeature", "phenotype", 0.08),
    ("biolink:BiologicalProcess", "process", 0.07),
    ("biolink:Pathway", "pathway", 0.04),
    ("biolink:Cell", "cell", 0.03),
    ("biolink:GrossAnatomicalStructure", "anatomy", 0.03),
    ("biolink:OrganismTaxon", "taxon", 0.02),   # a category mechgraph has no type for
)
#: (predicate, object aspect qualifier, object direction qualifier, share of edges)
PREDICATES = (
    ("biolink:affects", "activity", "increased", 0.10),
    ("biolink:affects", "activity", "decreased", 0.10),
    ("biolink:affects", "expression", "increased", 0.08),
    ("biolink:affects", "expression", "decreased", 0.07),
    ("biolink:affects", "", "increased", 0.05),
    ("biolink:directly_physically_interacts_with", "", "", 0.12),
    ("biolink:regulates", "", "", 0.08),
    ("biolink:treats", "", "", 0.06),
    ("biolink:causes", "", "", 0.06),
    ("biolink:associated_with", "", "", 0.10),
    ("biolink:gene_associated_with_condition", "", "", 0.08),   # no mechgraph counterpart
    ("biolink:related_to", "", "", 0.10),
)
TAXA = ("NCBITaxon:9606", "NCBITaxon:10090", "NCBITaxon:10116")
KNOWLEDGE_LEVELS = ("knowledge_assertion", "knowledge_assertion", "statistical_association", "prediction")
AGENTS = ("manual_agent", "automated_agent", "text_mining_agent")
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref")
EDGE_COLUMNS = ("id", "subject", "predicate", "object", "negated", "qualified_predicate",
                "object_aspect_qualifier", "object_direction_qualifier", "species_context_qualifier",
                "knowledge_level", "agent_type", "primary_knowledge_source", "publications")


def _pick(rnd: random.Random, table, weight_index: int):
    return rnd.choices(table, weights=[row[weight_index] for row in table])[0]


def generate(directory: str | Path, edges: int, *, nodes: int | None = None, seed: int = 0,
             fmt: str = "tsv") -> tuple[Path, Path]:
    """Write a synthetic KGX graph of ``edges`` edges (and ``nodes``, default edges // 10,
    at least 10) into ``directory``; return the nodes and edges files."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    nodes = nodes or max(10, edges // 10)
    rnd = random.Random(seed)
    ids = [f"SYN:{i:07d}" for i in range(nodes)]
    node_rows = []
    for i, node_id in enumerate(ids):
        category, stem, _ = _pick(rnd, CATEGORIES, 2)
        node_rows.append({"id": node_id, "category": [category], "name": f"{stem} {i}",
                          "description": f"Synthetic {stem} number {i}.",
                          "synonym": [f"{stem[:3].upper()}{i}"], "xref": [f"SYNX:{i}"]})
    edge_rows = []
    for i in range(edges):
        # ends skewed towards low indices: node j is drawn with density ~ j^-0.5
        j, k = int(nodes * rnd.random() ** 2), int(nodes * rnd.random() ** 2)
        if k == j:
            k = (j + 1) % nodes
        subject, obj = ids[j], ids[k]
        predicate, aspect, direction, _ = _pick(rnd, PREDICATES, 3)
        row = {"id": f"e{i:08d}", "subject": subject, "predicate": predicate, "object": obj,
               "negated": "True" if rnd.random() < 0.03 else "",
               "qualified_predicate": "biolink:causes" if direction else "",
               "object_aspect_qualifier": aspect, "object_direction_qualifier": direction,
               "species_context_qualifier": rnd.choice(TAXA) if rnd.random() < 0.6 else "",
               "knowledge_level": rnd.choice(KNOWLEDGE_LEVELS), "agent_type": rnd.choice(AGENTS),
               "primary_knowledge_source": f"infores:synthetic-{rnd.randrange(5)}",
               "publications": [f"PMID:{rnd.randrange(10_000_000, 40_000_000)}"
                                for _ in range(rnd.randrange(0, 4))]}
        edge_rows.append(row)
    files = []
    for name, columns, rows in (("nodes", NODE_COLUMNS, node_rows), ("edges", EDGE_COLUMNS, edge_rows)):
        path = directory / f"{name}.{fmt}"
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            if fmt == "tsv":
                out.write("\t".join(columns) + "\n")
                for row in rows:
                    out.write("\t".join("|".join(v) if isinstance(v, list) else v
                                        for v in (row[c] for c in columns)) + "\n")
            else:
                for row in rows:
                    record = {c: row[c] for c in columns if row[c] not in ("", [])}
                    if "negated" in record:
                        record["negated"] = True
                    out.write(json.dumps(record) + "\n")
        files.append(path)
    return files[0], files[1]


# -- measurement ----------------------------------------------------------------

_PROBE = r"""
import json, resource, sys, time
start = time.perf_counter()
from mechgraph import MechGraph
from mechgraph.errors import NoPath
g = MechGraph.load(sys.argv[1])
loaded = time.perf_counter()
queries = json.loads(sys.argv[2])
latencies = []
for a, b in queries:
    t = time.perf_counter()
    try:
        g.path(a, b)
    except NoPath:
        pass
    latencies.append(time.perf_counter() - t)
print(json.dumps({"load_s": loaded - start, "path_s": latencies,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "entities": len(g.model.entities), "assertions": len(g.model.assertions),
                  "findings": len(g.model.findings)}))
"""


def _probe(graph: Path, queries: list, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(graph), json.dumps(queries)],
                          env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(edges: int, *, seed: int = 0, queries: int = 20, workdir: Path | None = None) -> dict:
    """Generate a graph of ``edges`` edges and measure mechgraph on it (see the module docstring)."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix=f"mechgraph-synthetic-{edges}-"))
    started = time.perf_counter()
    nodes_file, edges_file = generate(workdir / "graph", edges, seed=seed)
    generated = time.perf_counter() - started
    rnd = random.Random(seed + 1)
    n = max(10, edges // 10)
    pairs = [[f"SYN:{rnd.randrange(n):07d}", f"SYN:{rnd.randrange(n):07d}"] for _ in range(queries)]
    env = {**os.environ, "MECHGRAPH_CACHE_DIR": str(workdir / "cache"), "MECHGRAPH_PROGRESS": "0"}
    first = _probe(workdir / "graph", pairs, env)
    cached = _probe(workdir / "graph", pairs, env)
    latencies = sorted(cached["path_s"])
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mechgraph", "--graph", str(workdir / "graph"), "path", *pairs[0]],
                   env=env, capture_output=True, check=False)
    command = time.perf_counter() - started
    return {
        "edges": edges, "nodes": n,
        "file_mb": round(sum(p.stat().st_size for p in (nodes_file, edges_file)) / 1e6, 1),
        "generate_s": round(generated, 1),
        "first_load_s": round(first["load_s"], 2),
        "cached_load_s": round(cached["load_s"], 2),
        "first_peak_rss_mib": round(first["peak_rss_mib"]),
        "cached_peak_rss_mib": round(cached["peak_rss_mib"]),
        "path_median_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "path_max_ms": round(1000 * latencies[-1], 1),
        "cli_path_cached_s": round(command, 2),
        "queries": len(latencies),
        "assertions": cached["assertions"], "findings": cached["findings"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write a synthetic KGX graph")
    gen.add_argument("--edges", type=int, required=True)
    gen.add_argument("--nodes", type=int)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--format", choices=("tsv", "jsonl"), default="tsv")
    gen.add_argument("--out", type=Path, required=True)
    meas = sub.add_parser("measure", help="generate graphs and measure load time, memory and path latency")
    meas.add_argument("--edges", type=int, nargs="+", default=[100_000, 1_000_000])
    meas.add_argument("--queries", type=int, default=20)
    meas.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "generate":
        for path in generate(args.out, args.edges, nodes=args.nodes, seed=args.seed, fmt=args.format):
            print(path)
        return
    for size in args.edges:
        print(json.dumps(measure(size, seed=args.seed, queries=args.queries)), flush=True)


if __name__ == "__main__":
    main()
