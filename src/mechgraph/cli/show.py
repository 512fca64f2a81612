"""``mechgraph show``: one entity, its edges and the findings behind them."""

from __future__ import annotations

import click

from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.cli.output import format_show, to_json


@click.command(context_settings=CONTEXT)
@click.argument("entity")
@click.option("--evidence", is_flag=True,
              help="Print a table of every finding behind each edge and how its score is computed "
                   "(with --json: each edge's score_parts).")
@json_option
@click.pass_context
def show(ctx, entity, evidence, as_json):
    """One entity: its fields, edges in and out, and the findings behind them.

    \b
    Examples:
      mechgraph show BDNF
      mechgraph show 艾司氯胺酮 --json
    """
    graph = graph_of(ctx)
    result = graph.show(entity, evidence=evidence)
    if evidence and not as_json:
        from mechgraph.cli.evidence_table import format_evidence_table
        click.echo(format_evidence_table(graph, result))
        return
    click.echo(to_json(result) if as_json else format_show(result))
