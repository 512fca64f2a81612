"""``mechgraph init``: start a graph directory from source texts."""

from __future__ import annotations

from pathlib import Path

import click

from mechgraph.cli import CONTEXT, json_option
from mechgraph.cli.output import format_coverage, to_json


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", "texts", multiple=True, required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A source text (UTF-8, English or Chinese); repeat for several.")
@json_option
def init(directory, texts, as_json):
    """Start a graph directory from one or more source texts.

    Writes DIRECTORY/sources.yaml (a seed source per text: id, file, title) and copies
    the texts to DIRECTORY/sources/, then lists every substantive sentence still to
    curate with its locator (p3.s2: paragraph 3, sentence 2). Paragraphs are blocks
    between blank lines; sentences are split for Chinese and English. DIRECTORY must
    not exist or be empty.

    \b
    Examples:
      mechgraph init my-graph --source review.txt
      mechgraph init my-graph --source part1.txt --source part2.txt --json
    """
    from mechgraph.curation import TEXTS, init_graph
    report = init_graph(directory, list(texts)).to_json()
    if as_json:
        click.echo(to_json({"directory": str(directory), "sources": str(directory / TEXTS), "coverage": report}))
        return
    click.echo(format_coverage(report, list_all=True))
    click.echo(f"wrote {directory}: {len(report['seeds'])} source(s), {report['sentences']} sentence(s) to curate; "
               f"next: mechgraph --graph {directory} coverage --sources {directory / TEXTS}", err=True)
