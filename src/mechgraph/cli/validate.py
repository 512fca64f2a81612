"""``mechgraph validate``: every problem in a graph directory, with file and line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mechgraph.cli import CONTEXT, json_option
from mechgraph.cli.output import to_json


@click.command(context_settings=CONTEXT)
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@json_option
@click.pass_context
def validate(ctx, directory, as_json):
    """Check a graph directory and report every problem with file and line.

    DIRECTORY defaults to --graph, or the bundled graph. Exit 1 when anything is wrong.

    \b
    Examples:
      mechgraph validate
      mechgraph validate path/to/my-graph
    """
    from mechgraph.store import bundled_graph_dir, read_graph
    root = directory or ctx.obj.get("graph") or bundled_graph_dir()
    model, errors = read_graph(Path(root))
    from mechgraph.curation import unchecked_xrefs_note
    note = unchecked_xrefs_note(model)
    if note:
        click.echo(note, err=True)
    if as_json:
        click.echo(to_json({"directory": str(root), "valid": not errors,
                            "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in errors]}))
    else:
        for error in errors:
            click.echo(str(error), err=True)
        if not errors:
            click.echo(f"{root}: ok ({len(model.entities)} entities, {len(model.assertions)} assertions, "
                       f"{len(model.findings)} findings, {len(model.sources)} sources)")
        else:
            click.echo(f"{root}: {len(errors)} problem(s)", err=True)
    sys.exit(1 if errors else 0)

