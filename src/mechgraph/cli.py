"""The ``mechgraph`` command line: a thin layer over :class:`mechgraph.MechGraph`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .constants import EVIDENCE_LEVELS
from .errors import InvalidGraph, MechgraphError
from .formatting import (format_coverage, format_path, format_search, format_show,
                         format_stats, to_json)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: commands defined in their own modules, imported only when used (keeps start-up fast)
LAZY_COMMANDS: dict[str, str] = {
    "render": "mechgraph.commands.render:render",
    "query": "mechgraph.commands.query:query",
    "load": "mechgraph.commands.load:load",
    "export": "mechgraph.commands.export:export",
    "conflicts": "mechgraph.commands.conflicts:conflicts",
    "figure": "mechgraph.commands.figure:figure",
    "diff": "mechgraph.commands.diff:diff",
    "init": "mechgraph.commands.init:init",
    "serve": "mechgraph.commands.serve:serve",
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
    from .errors import shorten
    click.echo(f"error: {shorten(message)}", err=True)
    sys.exit(1)


def graph_of(ctx: click.Context):
    """The graph selected by ``--graph`` (the bundled one by default); for command modules."""
    return load(ctx)


def json_option(func):
    """Add ``--json`` to a read command."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def load(ctx: click.Context):
    """The graph selected by ``--graph`` (the bundled one by default)."""
    from .graph import MechGraph
    return MechGraph.load(ctx.obj.get("graph"))


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


@cli.command(context_settings=CONTEXT)
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
    graph = load(ctx)
    result = graph.path(source, target, max_hops=max_hops, k=k, min_level=min_level, directed=directed,
                        min_score=min_score, relation=relation, drug=drug)
    if signed:
        from .signs import annotate_signs
        result = annotate_signs(graph, result)
    if html_file is not None:
        from .html import write_paths_page
        write_paths_page(graph, result, html_file)
    click.echo(to_json(result) if as_json else format_path(result))
    if html_file is not None and not as_json:
        click.echo(f"wrote {html_file}", err=True)


@cli.command(context_settings=CONTEXT)
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
    from .explain import explain as explain_drug
    from .formatting import format_explain
    graph = load(ctx)
    result = explain_drug(graph, drug, outcome, max_hops=max_hops, min_level=min_level, min_score=min_score,
                          chains_per_family=k)
    if html_file is not None:
        from .html import write_paths_page
        write_paths_page(graph, explain_paths(result), html_file)
    click.echo(to_json(result) if as_json else format_explain(result))
    if html_file is not None and not as_json:
        click.echo(f"wrote {html_file}", err=True)


def explain_paths(result: dict) -> dict:
    """An ``explain`` result as a ``path`` result (its chains, best first), for the paths page."""
    from .chains import chain_rank
    chains = [c for family in result["families"] for c in family["chains"]]
    chains.sort(key=lambda c: chain_rank({**c, "nodes": [n["id"] for n in c["nodes"]]}))
    return {"source": result["drug"], "target": result["outcome"], "relation": "chain", "paths": chains}


@cli.command(context_settings=CONTEXT)
@click.argument("entity")
@click.option("--evidence", is_flag=True,
              help="Print a table of every finding behind each edge and how its score is computed "
                   "(with --json: each edge's score_parts).")
@json_option
@click.pass_context
def show(ctx, entity, evidence, as_json):
    """One entity: its fields, edges in and out, and the findings behind them.

    \b
    Examples:
      mechgraph show BDNF
      mechgraph show 艾司氯胺酮 --json
    """
    graph = load(ctx)
    result = graph.show(entity, evidence=evidence)
    if evidence and not as_json:
        from .evidence_table import format_evidence_table
        click.echo(format_evidence_table(graph, result))
        return
    click.echo(to_json(result) if as_json else format_show(result))


@cli.command(context_settings=CONTEXT)
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Most hits to print.")
@json_option
@click.pass_context
def search(ctx, text, limit, as_json):
    """Find entities by id, name, alias or Chinese name (forgiving spelling).

    \b
    Examples:
      mechgraph search tarp
      mechgraph search "gamma 8" --json
    """
    hits = load(ctx).search(text, limit=limit)
    click.echo(to_json(hits) if as_json else format_search(hits))


@cli.command(context_settings=CONTEXT)
@json_option
@click.pass_context
def stats(ctx, as_json):
    """Counts: entities, assertions, findings, sources, by type, predicate and level.

    \b
    Example:
      mechgraph stats --json
    """
    result = load(ctx).stats()
    click.echo(to_json(result) if as_json else format_stats(result))


@cli.command(context_settings=CONTEXT)
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
    from .bundled import bundled_graph_dir
    from .cache import read_graph
    root = directory or ctx.obj.get("graph") or bundled_graph_dir()
    model, errors = read_graph(Path(root))
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


def _default_sources() -> Path | None:
    env = os.environ.get("MECHGRAPH_SOURCES")
    return Path(env) if env else None


def _need_sources(sources: Path | None) -> Path:
    """The seed directory, or one error line saying how to give it."""
    if sources is None:
        raise MechgraphError("this command reads the seed texts: pass --sources DIR or set MECHGRAPH_SOURCES")
    return sources


@cli.command(context_settings=CONTEXT)
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=_default_sources,
              required=True, help="Directory holding the seed texts (or set MECHGRAPH_SOURCES).")
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=0.0,
              help="Fail unless at least this percentage of substantive sentences is cited.")
@click.option("--list", "list_all", is_flag=True, help="Also list the uncited sentences of fully covered seeds.")
@json_option
@click.pass_context
def coverage(ctx, sources, minimum, list_all, as_json):
    """Check provenance against the seed texts and measure coverage.

    Every finding's locator must resolve to sentences of its seed, and every number
    in its doses, counts and statements must occur there. Prints the share of each
    seed's substantive sentences that findings cite, and the uncited ones. Exit 1 on
    any provenance problem or when coverage is below --min.

    \b
    Examples:
      mechgraph coverage --sources ../shared/seeds
      mechgraph coverage --sources ../shared/seeds --min 95 --json
    """
    from .coverage import check_coverage
    report = check_coverage(load(ctx).model, _need_sources(sources)).to_json()
    click.echo(to_json(report) if as_json else format_coverage(report, list_all))
    failed = bool(report["problems"]) or report["coverage"] * 100 < minimum
    if report["coverage"] * 100 < minimum and not as_json:
        click.echo(f"error: coverage {report['coverage']:.1%} is below --min {minimum}%", err=True)
    sys.exit(1 if failed else 0)


@cli.command(context_settings=CONTEXT)
@click.argument("finding")
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=_default_sources,
              required=True, help="Directory holding the seed texts (or set MECHGRAPH_SOURCES).")
@json_option
@click.pass_context
def locate(ctx, finding, sources, as_json):
    """Print the seed sentence(s) a finding cites, next to its own statement.

    \b
    Example:
      mechgraph locate f-a-esk-da-release-pfc-mouse --sources ../shared/seeds
    """
    from .coverage import cited_sentences, load_seeds
    sources = _need_sources(sources)
    graph = load(ctx)
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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="mechgraph")


if __name__ == "__main__":
    main()
