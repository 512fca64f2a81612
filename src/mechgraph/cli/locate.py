"""``mechgraph locate``: the seed sentences a finding cites."""

from __future__ import annotations

from pathlib import Path

import click

from mechgraph.cli import CONTEXT, graph_of, json_option, need_sources, default_sources
from mechgraph.cli.output import to_json


@click.command(context_settings=CONTEXT)
@click.argument("finding")
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=default_sources,
              required=True, help="Directory holding the seed texts (or set MECHGRAPH_SOURCES).")
@json_option
@click.pass_context
def locate(ctx, finding, sources, as_json):
    """Print the seed sentence(s) a finding cites, next to its own statement.

    \b
    Example:
      mechgraph locate f-a-esk-da-release-pfc-mouse --sources ../shared/seeds
    """
    from mechgraph.curation import cited_sentences, load_seeds
    sources = need_sources(sources)
    graph = graph_of(ctx)
    item = graph.finding(finding)
    seed = load_seeds(graph.model, sources)[item.source]
    sentences = cited_sentences(seed, item)
    if as_json:
        click.echo(to_json({"finding": item.summary(), "seed": seed.name,
                            "sentences": [{"locator": s.locator, "section": s.section, "text": s.text}
                                          for s in sentences]}))
        return
    click.echo(f"{item.id}: {item.statement}")
    for s in sentences:
        click.echo(f"  {seed.name} {s.locator} (§{s.section}): {s.text}")
