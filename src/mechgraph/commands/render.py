"""``mechgraph render``: the interactive map as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import CONTEXT, graph_of, json_option
from ..constants import EVIDENCE_LEVELS
from ..errors import MechgraphError
from ..formatting import to_json


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
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language the page opens in (it has a switch).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@json_option
@click.pass_context
def render(ctx, output, focus, depth, types, min_level, min_score, lang, open_browser, as_json):
    """Write the interactive map: one self-contained HTML file that works offline.

    Entities are coloured and shaped by type and laid out from the drug through
    receptors, signalling, plasticity and circuits to behaviour and clinical
    outcomes. Click an entity or an edge for its findings; search, filter by type
    and evidence, highlight a path, switch between English and Chinese. With
    --min-level or --min-score, entities left without an edge are not drawn.

    \b
    Examples:
      mechgraph render -o mechgraph.html --open
      mechgraph render --focus BDNF --depth 2 -o bdnf.html
      mechgraph render --types Drug,Receptor,ReceptorSubunit --lang zh
      mechgraph render --min-level animal_in_vivo --min-score 0.5
    """
    if depth is not None and focus is None:
        raise MechgraphError("--depth needs --focus")
    from ..atomic import write_text
    from ..html import build_map
    page = build_map(graph_of(ctx), focus=focus, depth=1 if depth is None else depth, types=types,
                     min_level=min_level, min_score=min_score, lang=lang)
    written = write_text(output, page.html)
    counts = page.counts()
    if as_json:
        click.echo(to_json({"file": str(written), **counts, "bytes": len(page.html.encode("utf-8"))}))
    else:
        click.echo(f"wrote {written}: {counts['entities']} entities, {counts['assertions']} assertions, "
                   f"{counts['findings']} findings")
    if open_browser:
        import webbrowser
        if not webbrowser.open(written.resolve().as_uri()):
            click.echo(f"warning: no browser could be opened; open {written} yourself", err=True)
