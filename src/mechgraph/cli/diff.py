"""``mechgraph diff``: what changed between two graphs, for a reviewer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mechgraph.cli import CONTEXT, default_sources, json_option
from mechgraph.cli.output import to_json


@click.command(context_settings=CONTEXT)
@click.argument("old")
@click.argument("new", required=False)
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.05, show_default=True,
              help="Report evidence scores that moved by more than this.")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=default_sources,
              help="Directory of the seed texts: also compare coverage (or set MECHGRAPH_SOURCES).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the report as a self-contained HTML page.")
@click.option("--exit-code", is_flag=True, help="Exit 1 when the graphs differ (as git diff --exit-code).")
@json_option
@click.pass_context
def diff(ctx, old, new, threshold, sources, html_file, exit_code, as_json):
    """What changed from graph OLD to graph NEW, grouped for a reviewer.

    OLD and NEW are graph directories or git revisions. A revision (HEAD~1, main) means
    the graph directory at that revision: NEW's directory, else --graph, else the bundled
    graph; REV:PATH names PATH at REV (PATH from the repository's top). NEW defaults to
    that directory as it is now. The report lists sources, entities, findings and
    assertions added, removed and changed field by field; evidence scores that moved by
    more than --threshold and the finding changes behind them; conflicts gained, lost or
    reclassified; explain's chains of each drug that appeared, disappeared or changed
    their weakest step; and, with --sources, coverage of the seed texts. The text is
    Markdown, the same for the same two graphs: ready for a pull-request comment.

    \b
    Examples:
      mechgraph diff HEAD~1
      mechgraph diff main graph --sources ../shared/seeds
      mechgraph diff old-graph/ new-graph/ --threshold 0.1 --json
      mechgraph diff main:graph graph --html diff.html
    """
    from mechgraph.atomic import signals_raise, write_text
    from mechgraph.store import bundled_graph_dir
    from mechgraph.diff import diff_graphs
    from mechgraph.diff import diff_html, format_diff, graph_at

    if new is not None and Path(new).exists():
        directory = Path(new)
    elif Path(old).exists():
        directory = Path(old)
    else:
        directory = Path(ctx.obj.get("graph") or bundled_graph_dir())
    with signals_raise(), graph_at(old, directory) as (old_dir, old_label):
        with graph_at(new if new is not None else str(directory), directory) as (new_dir, new_label):
            result = diff_graphs(_load(old_dir, old_label), _load(new_dir, new_label), threshold=threshold,
                                 sources=sources, labels=(old_label, new_label))
        if html_file is not None:
            write_text(html_file, diff_html(result))
    click.echo(to_json(result) if as_json else format_diff(result))
    if html_file is not None and not as_json:
        click.echo(f"wrote {html_file}", err=True)
    if exit_code and not result["identical"]:
        sys.exit(1)


def _load(directory: Path, label: str):
    from mechgraph.errors import InvalidGraph, MechgraphError
    from mechgraph.graph import MechGraph
    try:
        return MechGraph.load(directory)
    except InvalidGraph as exc:
        first = str(exc.errors[0]) if exc.errors else ""
        raise MechgraphError(f"{label} is not a valid graph: {len(exc.errors)} curation error(s), "
                             f"the first: {first}") from None
