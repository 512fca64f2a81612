"""Run mechgraph's benchmarks, print a table and write benchmarks/results.json.

    python benchmarks/run.py                    # everything (under 10 minutes on 2 cores)
    python benchmarks/run.py --quick            # fewer repeats, smaller graphs (a minute or two)
    python benchmarks/run.py --only coldstart   # one section (repeat --only for more)

Every figure is a ratio against a baseline measured in the same run. A section whose
feature is not installed or not built yet reports "not available" instead of failing.
Exit status: 0, or 1 when a section raised an error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import HERE, Context, NotAvailable, machine  # noqa: E402

#: section name -> module under benchmarks/, in the order they run
SECTIONS = {
    "coldstart": "benchmarks.coldstart",
    "cypher": "benchmarks.cypher",
    "planner": "benchmarks.planner",
    "planner_falkordb": "benchmarks.planner_falkordb",
    "render": "benchmarks.render",
    "map_scale": "benchmarks.map_scale",
    "loading": "benchmarks.loading",
    "neo4j": "benchmarks.neo4j_loading",
    "growth": "benchmarks.growth",
    "big_graphs": "benchmarks.big_graphs",
    "query_cache": "benchmarks.query_cache",
    "first_build": "benchmarks.first_build",
}

COLUMNS = ("measure", "value", "baseline", "ratio", "target", "met")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer repeats and smaller graphs (a smoke run, not for the README)")
    parser.add_argument("--only", action="append", choices=sorted(SECTIONS), metavar="SECTION",
                        help=f"run only this section (repeatable): {', '.join(SECTIONS)}")
    parser.add_argument("--large", action="store_true",
                        help="also measure what would push the run past 10 minutes (loading 100k edges into "
                             "FalkorDB, 1M into Neo4j, every command on a 1M-edge graph)")
    parser.add_argument("--output", type=Path, default=HERE / "results.json",
                        help="where to write the JSON results (default: benchmarks/results.json)")
    parser.add_argument("--graph", type=Path,
                        help="graph directory for the sections that use the bundled graph")
    return parser.parse_args(argv)


def run_section(name: str, ctx: Context) -> dict:
    start = time.perf_counter()
    try:
        module = importlib.import_module(SECTIONS[name])
        result = module.run(ctx)
        result.setdefault("status", "ok")
    except NotAvailable as exc:
        result = {"status": "not available", "reason": str(exc), "rows": []}
    except Exception as exc:  # one broken section must not hide the others
        result = {"status": "error", "reason": f"{type(exc).__name__}: {exc}", "rows": [],
                  "traceback": traceback.format_exc()}
    result["seconds"] = round(time.perf_counter() - start, 1)
    return result


def fmt_value(r: dict, key: str) -> str:
    value = r.get(key)
    if value is None:
        return ""
    if key == "value":
        return f"{value:g} {r['unit']}".strip()
    if key == "baseline":
        label = r.get("baseline_label") or ""
        return f"{value:g} {r['unit']} ({label})" if label else f"{value:g} {r['unit']}"
    if key == "ratio":
        return f"{value:.2f}x"
    if key == "met":
        return "yes" if value else "NO"
    return str(value)


def table(name: str, result: dict) -> str:
    """A section's rows as a Markdown table (what the README's Performance section shows)."""
    title = f"### {name} ({result['status']}, {result['seconds']} s)"
    if result["status"] != "ok" or not result.get("rows"):
        reason = result.get("reason", "")
        return f"{title}\n\n{reason}\n"
    lines = [title, "", "| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    for r in result["rows"]:
        lines.append("| " + " | ".join(fmt_value(r, c).replace("|", "\\|") for c in COLUMNS) + " |")
    if result.get("notes"):
        lines.append("")
        lines.extend(f"- {note}" for note in result["notes"])
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    names = [n for n in SECTIONS if not args.only or n in args.only]
    info = machine()
    print(f"mechgraph {info['mechgraph']} benchmarks: Python {info['python']}, "
          f"{info['cores']} cores ({info['usable_cores']} usable), {info['platform']}, "
          f"load average {info['load_average_at_start']}", flush=True)
    results = {"machine": info, "quick": args.quick, "large": args.large, "sections": {}}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as scratch:
        ctx = Context(quick=args.quick, graph=args.graph.resolve() if args.graph else None,
                      scratch=Path(scratch), large=args.large)
        for name in names:
            print(f"\n== {name} ...", flush=True)
            result = run_section(name, ctx)
            results["sections"][name] = result
            print(table(name, result), flush=True)
            if result["status"] == "error":
                print(result["traceback"], file=sys.stderr)
    results["seconds"] = round(time.perf_counter() - start, 1)
    write_results(args.output, results)
    print(f"total {results['seconds']} s; wrote {args.output}")
    return 1 if any(r["status"] == "error" for r in results["sections"].values()) else 0


def write_results(path: Path, results: dict) -> None:
    from mechgraph.atomic import write_text
    write_text(path, json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.exit(main())
