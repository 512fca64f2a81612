"""``mechgraph explain``: how a drug works, its chains grouped by mechanism family."""

from __future__ import annotations

from pathlib import Path

import click

from mechgraph.cli import CONTEXT, LEVEL_CHOICE, graph_of, json_option
from mechgraph.cli.output import to_json


@click.command(context_settings=CONTEXT)
@click.argument("drug")
@click.argument("outcome", required=False)
@click.option("--max-hops", default=6, show_default=True, type=click.IntRange(1, 8), help="Longest chain to consider.")
@click.option("--min-level", type=LEVEL_CHOICE, help="Use only steps with evidence at this level or stronger.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Use only steps whose evidence score is at least this.")
@click.option("-k", "k", default=3, show_default=True, type=click.IntRange(1, 50), help="Chains shown per family.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the chains as an interactive HTML page.")
@json_option
@click.pass_context
def explain(ctx, drug, outcome, max_hops, min_level, min_score, k, html_file, as_json):
    """How DRUG works: its mechanism chains to OUTCOME, grouped by mechanism family.

    OUTCOME defaults to the phenotype the drug's chains reach most (for the bundled
    graph, the antidepressant effect). Each family lists its best chains with their
    weakest step, the disagreements that touch it, and the steps the literature leaves
    open; the drug's dosing and monitoring guidance follows.

    \b
    Examples:
      mechgraph explain esketamine
      mechgraph explain esketamine "depression-like behaviour" --json
      mechgraph explain esketamine --min-level animal_in_vivo --html explain.html
    """
    from mechgraph.cli.output import format_explain
    graph = graph_of(ctx)
    result = graph.explain(drug, outcome, max_hops=max_hops, min_level=min_level, min_score=min_score,
                           chains_per_family=k)
    if html_file is not None:
        from mechgraph.html import write_paths_page
        write_paths_page(graph, explain_paths(result), html_file)
    click.echo(to_json(result) if as_json else format_explain(result))
    if html_file is not None and not as_json:
        click.echo(f"wrote {html_file}", err=True)


def explain_paths(result: dict) -> dict:
    """An ``explain`` result as a ``path`` result (its chains, best first), for the paths page."""
    from mechgraph.reasoning import chain_rank
    chains = [c for family in result["families"] for c in family["chains"]]
    chains.sort(key=lambda c: chain_rank({**c, "nodes": [n["id"] for n in c["nodes"]]}))
    return {"source": result["drug"], "target": result["outcome"], "relation": "chain", "paths": chains}
