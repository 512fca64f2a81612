"""``mechgraph figure``: publication figures (SVG, or PNG where a converter is installed)."""

from __future__ import annotations

from pathlib import Path

import click

from . import CONTEXT, LEVEL_CHOICE, graph_of
from ..errors import MechgraphError


def _width(ctx, param, value):
    if value in ("single", "double"):
        return value
    try:
        mm = float(value)
    except ValueError:
        raise click.BadParameter("give single, double or a width in millimetres") from None
    if not 40 <= mm <= 400:
        raise click.BadParameter("a width in millimetres must be between 40 and 400")
    return mm


def _output(ctx, param, value: Path):
    if value.suffix.lower() not in (".svg", ".png"):
        raise MechgraphError(f"cannot write {value}: a figure is .svg or .png")
    return value


def figure_options(func):
    """The options every figure takes: output file, language, width, resolution."""
    for option in reversed([
        click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
                     callback=_output,
                     help="File to write: .svg, or .png (needs cairosvg, rsvg-convert or playwright with Chromium)."),
        click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                     help="Language of the labels."),
        click.option("--width", default="double", show_default=True, callback=_width,
                     help="single (85 mm) or double (180 mm) journal column, or a width in millimetres."),
        click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True,
                     help="Resolution of a PNG."),
    ]):
        func = option(func)
    return func


def _write(fig, output: Path, dpi: int):
    from ..figures import write_figure
    if fig.overlaps:  # the layouts are built not to; a clash is a bug worth a clear message
        raise MechgraphError(f"the figure's texts overlap ({fig.overlaps[0][0]!r} and {fig.overlaps[0][1]!r}); "
                             f"try --width double")
    written = write_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {written[0]} ({fig.width_mm:g} x {fig.height_mm:g} mm)")


@click.group(context_settings=CONTEXT)
def figure():
    """Publication figures: a path, an explanation or one entity as a static SVG.

    Figures fit a journal column (--width single or double) with 7-point labels,
    use a colour-blind-safe palette with arrow heads that differ in shape, print
    each step's evidence level and score, carry a legend, and are the same bytes
    for the same graph. Write .png instead of .svg where a converter is installed.

    \b
    Examples:
      mechgraph figure path esketamine "antidepressant effect" -o chains.svg
      mechgraph figure explain esketamine --width single -o mechanism.svg
      mechgraph figure focus NMDAR --lang zh -o nmdar.png
    """


@figure.command("path", context_settings=CONTEXT)
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8), help="Longest path to consider.")
@click.option("-k", "k", default=6, show_default=True, type=click.IntRange(1, 30), help="How many paths to draw.")
@click.option("--relation", type=click.Choice(["chain", "any"]), default="chain", show_default=True,
              help="chain: mechanism chains only; any: every connection, labelled.")
@click.option("--drug", help="Mark steps whose evidence comes only from other drugs as borrowed.")
@click.option("--min-level", type=LEVEL_CHOICE, help="Use only edges with evidence at this level or stronger.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Use only edges whose evidence score is at least this.")
@figure_options
@click.pass_context
def path_command(ctx, source, target, max_hops, k, relation, drug, min_level, min_score, output, lang, width, dpi):
    """The paths `mechgraph path` ranks, each drawn as a cascade of steps.

    \b
    Example:
      mechgraph figure path NMDAR BDNF -k 3 -o nmdar-bdnf.svg
    """
    from ..figures import path_figure
    fig = path_figure(graph_of(ctx), source, target, lang=lang, width=width, max_hops=max_hops, k=k,
                      min_level=min_level, min_score=min_score, relation=relation, drug=drug)
    _write(fig, output, dpi)


@figure.command("explain", context_settings=CONTEXT)
@click.argument("drug")
@click.argument("outcome", required=False)
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 8), help="Longest chain to consider.")
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 20), help="Chains drawn per family.")
@click.option("--min-level", type=LEVEL_CHOICE, help="Use only steps with evidence at this level or stronger.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Use only steps whose evidence score is at least this.")
@figure_options
@click.pass_context
def explain_command(ctx, drug, outcome, max_hops, k, min_level, min_score, output, lang, width, dpi):
    """How DRUG works: its chains to OUTCOME by mechanism family, as `mechgraph explain` gives them.

    \b
    Example:
      mechgraph figure explain esketamine --lang zh -o esketamine-zh.svg
    """
    from ..figures import explain_figure
    fig = explain_figure(graph_of(ctx), drug, outcome, lang=lang, width=width, max_hops=max_hops, k=k,
                         min_level=min_level, min_score=min_score)
    _write(fig, output, dpi)


@figure.command("focus", context_settings=CONTEXT)
@click.argument("entity")
@click.option("--limit", default=12, show_default=True, type=click.IntRange(1, 60),
              help="Most assertions drawn on each side (strongest evidence first).")
@click.option("--relation", "relations", multiple=True,
              type=click.Choice(["causal", "drug-target", "drug-effect", "clinical", "association", "structural"]),
              help="Draw only assertions of this class (repeatable).")
@click.option("--min-level", type=LEVEL_CHOICE, help="Draw only assertions with evidence at this level or stronger.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Draw only assertions whose evidence score is at least this.")
@figure_options
@click.pass_context
def focus_command(ctx, entity, limit, relations, min_level, min_score, output, lang, width, dpi):
    """ENTITY in the middle: what acts on it on the left, what it acts on on the right.

    \b
    Example:
      mechgraph figure focus esketamine --relation drug-target -o targets.svg
    """
    from ..figures import focus_figure
    fig = focus_figure(graph_of(ctx), entity, lang=lang, width=width, limit=limit, min_level=min_level,
                       min_score=min_score, relations=list(relations) or None)
    _write(fig, output, dpi)
