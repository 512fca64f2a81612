"""``mechgraph export``: one format to a path, or every format into exports/."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mechgraph.atomic import signals_raise
from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.errors import MechgraphError
from mechgraph.cli.output import to_json
from mechgraph.io import WRITERS


def default_exports_dir() -> Path:
    """``exports/`` of the checkout mechgraph runs from; MechgraphError when it runs from
    an installed package."""
    root = Path(__file__).resolve().parents[3]
    if (root / "pyproject.toml").is_file() and (root / "graph").is_dir():
        return root / "exports"
    raise MechgraphError("not running from a mechgraph checkout, so there is no default exports/ directory; "
                         "pass --dir DIR")


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), help="The format to write (with -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write it: a file, or a directory for kgx and neo4j-csv.")
@click.option("--all", "all_formats", is_flag=True, help="Write every available format into exports/.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="The exports directory for --all (default: exports/ of this checkout).")
@click.option("--check", is_flag=True,
              help="With --all: write nothing; exit 1 naming every file that does not match the graph.")
@json_option
@click.pass_context
def export(ctx, fmt, output, all_formats, directory, check, as_json):
    """Write the graph in a standard format, or regenerate (or check) exports/.

    Formats: graphml, gexf, json (networkx node-link), cytoscape (Cytoscape.js),
    cx2 (Cytoscape desktop, NDEx), kgx (Biolink nodes.tsv + edges.tsv + context.jsonld),
    and, where installed, cypher, neo4j-csv and html.
    The same graph always gives the same bytes.

    \b
    Examples:
      mechgraph export --format graphml -o esketamine.graphml
      mechgraph export --format kgx -o kgx/
      mechgraph --graph my-graph/ export --format json -o my-graph.json
      mechgraph export --all
      mechgraph export --all --check
    """
    if all_formats == bool(fmt):
        raise click.UsageError("give either --format F -o PATH or --all")
    if fmt and output is None:
        raise click.UsageError("--format needs -o PATH")
    if fmt and (check or directory):
        raise click.UsageError("--check and --dir go with --all")
    if all_formats and output is not None:
        raise click.UsageError("--all writes into --dir; -o goes with --format")
    # SIGTERM, SIGHUP and SIGINT end the export only after its clean-up has run: the staging
    # directory of --all and every temporary file are removed, and exports/ is left as it was
    with signals_raise():
        _export(ctx, fmt, output, directory, check, as_json)


def _export(ctx, fmt, output, directory, check, as_json) -> None:
    from mechgraph.io import check_exports, export_all
    graph = graph_of(ctx)
    if fmt:
        _report(graph.export(fmt, output).paths, as_json)
        return
    target = directory or default_exports_dir()
    if not check:
        _report(export_all(graph, target), as_json)
        return
    result = check_exports(graph, target)
    problems = [(kind, rel) for kind in ("stale", "missing", "unexpected") for rel in getattr(result, kind)]
    if as_json:
        click.echo(to_json({"directory": str(target), "ok": result.ok, "checked": result.checked,
                            "stale": result.stale, "missing": result.missing, "unexpected": result.unexpected}))
    else:
        for kind, rel in problems:
            click.echo(f"{kind}: {target / rel}", err=True)
        if result.ok:
            click.echo(f"{target}: up to date ({result.checked} files)")
        else:
            click.echo(f"error: {len(problems)} file(s) in {target} do not match the graph; "
                       f"run 'mechgraph export --all' to regenerate them", err=True)
    sys.exit(0 if result.ok else 1)


def _report(written: list[Path], as_json: bool) -> None:
    if as_json:
        click.echo(to_json({"written": [str(p) for p in written]}))
        return
    for path in written:
        click.echo(f"wrote {path}", err=True)

