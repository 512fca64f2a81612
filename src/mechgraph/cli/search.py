"""``mechgraph search``: entities by id, name, alias or Chinese name."""

from __future__ import annotations

import click

from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.cli.output import format_search, to_json


@click.command(context_settings=CONTEXT)
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Most hits to print.")
@json_option
@click.pass_context
def search(ctx, text, limit, as_json):
    """Find entities by id, name, alias or Chinese name (forgiving spelling).

    \b
    Examples:
      mechgraph search tarp
      mechgraph search "gamma 8" --json
    """
    hits = graph_of(ctx).search(text, limit=limit)
    click.echo(to_json(hits) if as_json else format_search(hits))
