"""``mechgraph path``: mechanism chains between two entities, with each step's evidence."""

from __future__ import annotations

from pathlib import Path

import click

from mechgraph.cli import CONTEXT, LEVEL_CHOICE, graph_of, json_option
from mechgraph.cli.output import format_path, to_json


@click.command(context_settings=CONTEXT)
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1, 8), help="Longest path to consider.")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many paths to print.")
@click.option("--relation", type=click.Choice(["chain", "any"]), default="chain", show_default=True,
              help="chain: directed mechanism chains only (causal steps; a drug may begin with its target). "
                   "any: every connection, labelled chain, common cause, common effect or association.")
@click.option("--drug", help="Mark steps whose evidence comes only from other drugs' experiments as borrowed "
                             "(default: the drug at an end of the path).")
@click.option("--min-level", type=LEVEL_CHOICE, help="Use only edges with evidence at this level or stronger.")
@click.option("--directed", is_flag=True, help="With --relation any: follow assertions only from subject to object.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Use only edges whose evidence score is at least this.")
@click.option("--signed", is_flag=True,
              help="Report each path's net sign and flag paths that contradict a direct assertion.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the paths' subgraph as an interactive HTML page.")
@json_option
@click.pass_context
def path(ctx, source, target, max_hops, k, relation, drug, min_level, directed, min_score, signed, html_file,
         as_json):
    """Mechanism chains from SOURCE to TARGET (or back), with each step's evidence.

    A chain follows causal steps in their direction and never passes through a drug,
    condition, phenotype or other outcome; each step names the drugs whose experiments
    support it. Chains rank by their weakest step's evidence score, then by length.
    When no chain exists, the best other connections are shown, labelled for what
    they are (common cause, common effect, association).

    \b
    Examples:
      mechgraph path NMDAR BDNF
      mechgraph path esketamine mTOR --drug esketamine
      mechgraph path NMDAR BDNF --relation any -k 3
      mechgraph path GluN2B BDNF --min-level animal_in_vivo --json
    """
    graph = graph_of(ctx)
    result = graph.path(source, target, max_hops=max_hops, k=k, min_level=min_level, directed=directed,
                        min_score=min_score, relation=relation, drug=drug, signed=signed)
    if html_file is not None:
        from mechgraph.html import write_paths_page
        write_paths_page(graph, result, html_file)
    click.echo(to_json(result) if as_json else format_path(result))
    if html_file is not None and not as_json:
        click.echo(f"wrote {html_file}", err=True)
