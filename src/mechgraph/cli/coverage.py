"""``mechgraph coverage``: provenance against the seed texts, and how much of them is cited."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mechgraph.cli import CONTEXT, graph_of, json_option, need_sources, default_sources
from mechgraph.cli.output import format_coverage, to_json


@click.command(context_settings=CONTEXT)
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=default_sources,
              required=True, help="Directory holding the seed texts (or set MECHGRAPH_SOURCES).")
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=0.0,
              help="Fail unless at least this percentage of substantive sentences is cited.")
@click.option("--list", "list_all", is_flag=True, help="Also list the uncited sentences of fully covered seeds.")
@json_option
@click.pass_context
def coverage(ctx, sources, minimum, list_all, as_json):
    """Check provenance against the seed texts and measure coverage.

    Every finding's locator must resolve to sentences of its seed, and every number
    in its doses, counts and statements must occur there. Prints the share of each
    seed's substantive sentences that findings cite, and the uncited ones. Exit 1 on
    any provenance problem or when coverage is below --min.

    \b
    Examples:
      mechgraph coverage --sources ../shared/seeds
      mechgraph coverage --sources ../shared/seeds --min 95 --json
    """
    from mechgraph.curation import check_coverage
    report = check_coverage(graph_of(ctx).model, need_sources(sources)).to_json()
    click.echo(to_json(report) if as_json else format_coverage(report, list_all))
    failed = bool(report["problems"]) or report["coverage"] * 100 < minimum
    if report["coverage"] * 100 < minimum and not as_json:
        click.echo(f"error: coverage {report['coverage']:.1%} is below --min {minimum}%", err=True)
    sys.exit(1 if failed else 0)
