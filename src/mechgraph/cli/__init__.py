"""The ``mechgraph`` command line: a thin layer over :class:`mechgraph.MechGraph`.

This module holds the command group and what every command shares (``--graph``,
``--json``, error handling); each command lives in its own module beside it and is
imported only when it runs, so that ``mechgraph path`` starts fast. Text output for
the terminal is :mod:`mechgraph.cli.output`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..version import __version__
from ..model import EVIDENCE_LEVELS
from ..errors import InvalidGraph, MechgraphError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: every command, by name: the module that defines it, imported only when used (keeps start-up fast)
LAZY_COMMANDS: dict[str, str] = {
    "path": "mechgraph.cli.path:path",
    "explain": "mechgraph.cli.explain:explain",
    "show": "mechgraph.cli.show:show",
    "search": "mechgraph.cli.search:search",
    "stats": "mechgraph.cli.stats:stats",
    "validate": "mechgraph.cli.validate:validate",
    "coverage": "mechgraph.cli.coverage:coverage",
    "locate": "mechgraph.cli.locate:locate",
    "render": "mechgraph.cli.render:render",
    "query": "mechgraph.cli.query:query",
    "load": "mechgraph.cli.load:load",
    "export": "mechgraph.cli.export:export",
    "conflicts": "mechgraph.cli.conflicts:conflicts",
    "figure": "mechgraph.cli.figure:figure",
    "diff": "mechgraph.cli.diff:diff",
    "init": "mechgraph.cli.init:init",
    "serve": "mechgraph.cli.serve:serve",
}


class MechgraphGroup(click.Group):
    """Loads heavy commands lazily and turns every MechgraphError into a message on
    stderr and a non-zero exit."""

    def list_commands(self, ctx):
        available = [name for name, target in LAZY_COMMANDS.items() if self._lazy(name) is not None]
        return sorted(set(super().list_commands(ctx)) | set(available))

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or self._lazy(name)

    @staticmethod
    def _lazy(name):
        import importlib
        target = LAZY_COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None
            raise
        return getattr(module, attr)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InvalidGraph as exc:
            for error in exc.errors:
                click.echo(f"error: {error}", err=True)
            click.echo(f"error: {len(exc.errors)} curation error(s); run 'mechgraph validate' for details",
                       err=True)
            sys.exit(exc.exit_code)
        except MechgraphError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)
        except click.exceptions.Exit:
            raise
        except UnicodeEncodeError as exc:
            _last_resort(f"cannot print this text in the output's encoding ({exc.encoding}); "
                         f"set PYTHONIOENCODING=utf-8", exc)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            _last_resort(f"{exc.strerror or exc}{where}", exc)
        except MemoryError as exc:
            _last_resort("out of memory", exc)
        except RecursionError as exc:
            _last_resort("an input is nested too deeply to read", exc)
        except (click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: one line for the user; MECHGRAPH_DEBUG=1 shows the traceback
            _last_resort(f"internal error ({type(exc).__name__}: {exc}); please report it "
                         f"(MECHGRAPH_DEBUG=1 shows where)", exc)


def _last_resort(message: str, exc: BaseException):
    """One ``error:`` line and exit 1 for an exception no command turned into a message."""
    if os.environ.get("MECHGRAPH_DEBUG"):
        raise exc
    from ..errors import shorten
    click.echo(f"error: {shorten(message)}", err=True)
    sys.exit(1)


def graph_of(ctx: click.Context):
    """The graph selected by ``--graph`` (the bundled one by default)."""
    from ..graph import MechGraph
    return MechGraph.load(ctx.obj.get("graph"))


def json_option(func):
    """Add ``--json`` to a read command."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


@click.group(cls=MechgraphGroup, context_settings=CONTEXT)
@click.option("--graph", "graph_dir", type=click.Path(path_type=Path), envvar="MECHGRAPH_GRAPH",
              help="Graph to use: a directory of YAML, or a KGX graph (a directory with nodes.tsv + edges.tsv "
                   "or .jsonl, or its nodes file). Default: the bundled esketamine graph.")
@click.version_option(__version__, prog_name="mechgraph")
@click.pass_context
def cli(ctx, graph_dir):
    """Explore an evidence-annotated mechanism graph (by default: esketamine's
    antidepressant mechanism, curated from two reviews).

    \b
    Examples:
      mechgraph path NMDAR BDNF
      mechgraph explain esketamine
      mechgraph show "tarp gamma 8"
      mechgraph search 氯胺酮
      mechgraph stats --json
    """
    ctx.ensure_object(dict)
    ctx.obj["graph"] = graph_dir


LEVEL_CHOICE = click.Choice(list(EVIDENCE_LEVELS))


def default_sources() -> Path | None:
    """The seed directory named by ``MECHGRAPH_SOURCES``, if any (a ``--sources`` default)."""
    env = os.environ.get("MECHGRAPH_SOURCES")
    return Path(env) if env else None


def need_sources(sources: Path | None) -> Path:
    """The seed directory, or one error line saying how to give it."""
    if sources is None:
        raise MechgraphError("this command reads the seed texts: pass --sources DIR or set MECHGRAPH_SOURCES")
    return sources


def main() -> None:
    """Run the command line (the console script is :func:`mechgraph.console.main`)."""
    cli(prog_name="mechgraph")


if __name__ == "__main__":
    main()
