"""``mechgraph conflicts``: every disagreement in the graph, classified."""

from __future__ import annotations

import click

from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.reasoning import CONFLICT_KINDS as KINDS
from mechgraph.cli.output import format_conflicts, to_json

@click.command(context_settings=CONTEXT)
@click.option("--entity", "entity", help="Only disagreements involving this entity (name, alias or id).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only disagreements of this kind (repeatable).")
@click.option("--unexplained", is_flag=True, help="Only disagreements that no recorded context explains.")
@json_option
@click.pass_context
def conflicts(ctx, entity, kinds, unexplained, as_json):
    """Every disagreement in the graph, explained by context or not.

    Finds assertions with findings on both sides, opposite-sign assertions between the
    same entities, the same claim supported in one context and refuted in another, and
    different values of one quantity, and a drug's direct effect whose sign a mechanism
    chain from the drug contradicts. Each is classified as explained by a context that
    differs between the two sides (species, setting, sex, drug or enantiomer, dose,
    route, timepoint, population, outcome) or as unexplained, and the findings are
    shown side by side.

    \b
    Examples:
      mechgraph conflicts
      mechgraph conflicts --entity mTOR
      mechgraph conflicts --kind quantity --json
    """
    graph = graph_of(ctx)
    entity_id = graph.resolve(entity).id if entity else None
    found = graph.conflicts(entity=entity_id, kinds=kinds or KINDS)
    if unexplained:
        found = found.unexplained()
    click.echo(to_json(found) if as_json else format_conflicts(found))
