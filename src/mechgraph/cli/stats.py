"""``mechgraph stats``: counts by type, predicate and evidence level."""

from __future__ import annotations

import click

from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.cli.output import format_stats, to_json


@click.command(context_settings=CONTEXT)
@json_option
@click.pass_context
def stats(ctx, as_json):
    """Counts: entities, assertions, findings, sources, by type, predicate and level, and
    cross-reference coverage by entity type.

    \b
    Example:
      mechgraph stats --json
    """
    result = graph_of(ctx).stats()
    click.echo(to_json(result) if as_json else format_stats(result))
