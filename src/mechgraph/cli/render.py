"""``mechgraph render``: the interactive map as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from . import CONTEXT, graph_of, json_option
from ..model import EVIDENCE_LEVELS
from ..errors import MechgraphError
from ..html import MAX_ASSERTIONS, MAX_ENTITIES
from .output import to_json


@click.command(context_settings=CONTEXT)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("mechgraph.html"), show_default=True, help="HTML file to write.")
@click.option("--focus", metavar="ENTITY", help="Draw only the neighbourhood of this entity.")
@click.option("--depth", type=click.IntRange(0, 10), help="Hops around --focus to draw (default 1).")
@click.option("--types", metavar="T,...", help="Draw only entities of these types (comma-separated).")
@click.option("--min-level", type=click.Choice(EVIDENCE_LEVELS),
              help="Draw only edges with evidence at this level or stronger.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Draw only edges whose evidence score is at least this.")
@click.option("--drug", metavar="DRUG", help="Drug of the mechanism view (default: the focus when it is a drug, "
                                             "else the drug with the most target, effect and clinical assertions).")
@click.option("--view", type=click.Choice(["mechanism", "clinical", "pharmacokinetics", "everything"]),
              help="View the page opens on (default: mechanism; everything with --focus).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language the page opens in (it has a switch).")
@click.option("--max-entities", type=click.IntRange(0), default=MAX_ENTITIES, show_default=True,
              help="Refuse a map of more entities than this (0: no limit).")
@click.option("--max-assertions", type=click.IntRange(0), default=MAX_ASSERTIONS, show_default=True,
              help="Refuse a map of more assertions than this (0: no limit).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@json_option
@click.pass_context
def render(ctx, output, focus, depth, types, min_level, min_score, drug, view, lang, max_entities, max_assertions,
           open_browser, as_json):
    """Write the interactive map: one self-contained HTML file that works offline.

    The page opens on the mechanism view: the drug, its targets and its mechanism
    chains to the outcome, left to right, one box per mechanism family. The
    clinical, pharmacokinetics and everything views are one click away. Click an
    entity for its findings and to highlight its neighbours, double-click to bring
    its neighbours into the view; search, filter by type and evidence, highlight a
    path, go back, switch between English and Chinese. With --min-level or
    --min-score, entities left without an edge are not drawn, except the --focus
    entity's own targets (marked as below the floor).

    A map of more than 12,000 entities or 40,000 assertions is refused before
    anything is written (a whole graph of a million assertions would be a page
    of gigabytes): draw part of a big graph with --focus, --types or the evidence
    floors, or raise the limits.

    \b
    Examples:
      mechgraph render -o mechgraph.html --open
      mechgraph render --focus BDNF --depth 2 -o bdnf.html
      mechgraph render --types Drug,Receptor,ReceptorSubunit --lang zh
      mechgraph render --min-level animal_in_vivo --min-score 0.5
      mechgraph render --view clinical --drug esketamine
      mechgraph --graph my-graph render --focus drug-x --depth 2 -o part.html
    """
    if depth is not None and focus is None:
        raise MechgraphError("--depth needs --focus")
    result = graph_of(ctx).render(output, focus=focus, depth=1 if depth is None else depth, types=types,
                                  min_level=min_level, min_score=min_score, lang=lang, drug=drug, view=view,
                                  max_entities=max_entities or None, max_assertions=max_assertions or None)
    written = result.path
    if as_json:
        click.echo(to_json(result))
    else:
        click.echo(f"wrote {written}: {result['entities']} entities, {result['assertions']} assertions, "
                   f"{result['findings']} findings")
    if open_browser:
        import webbrowser
        if not webbrowser.open(written.resolve().as_uri()):
            click.echo(f"warning: no browser could be opened; open {written} yourself", err=True)
