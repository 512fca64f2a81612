"""``mechgraph query``: Cypher on the embedded graph, or on Neo4j with --uri."""

from __future__ import annotations

import json
import os
import re

import click

from mechgraph.cli import CONTEXT, graph_of
from mechgraph.errors import MechgraphError

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def parse_params(pairs: tuple[str, ...]) -> dict:
    """``key=value`` pairs as typed parameters: a value that reads as JSON (a number,
    true/false/null, a list, a map, a "quoted string") is that value; anything else is text.

    >>> parse_params(("n=5", "ids=[\\"a\\", \\"b\\"]", "name=esketamine", "flag=true"))
    {'n': 5, 'ids': ['a', 'b'], 'name': 'esketamine', 'flag': True}
    """
    params = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise MechgraphError(f"parameter {pair!r} is not KEY=VALUE with a plain KEY (letters, digits, _)")
        if key in params:
            raise MechgraphError(f"parameter {key!r} is given twice")
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        except RecursionError:
            raise MechgraphError(f"parameter {key!r} is nested too deeply (at most {MAX_DEPTH} levels)") from None
        if _depth(value) > MAX_DEPTH:
            raise MechgraphError(f"parameter {key!r} is nested too deeply (at most {MAX_DEPTH} levels)")
        params[key] = value
    return params


#: the deepest list or map a parameter may hold (a server refuses far less than Python's limit)
MAX_DEPTH = 64


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH or not isinstance(value, (list, dict)):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, level + 1) for v in items), default=level + 1)


#: from this many assertions on, a slow or stopped embedded query mentions a server
BIG_GRAPH = 100_000
#: an embedded query on a big graph that takes longer than this gets the note
SLOW_SECONDS = 5.0
SERVER_NOTE = "a Neo4j server answers faster at this size: mechgraph load --uri URI, then mechgraph query --uri URI"


def _embedded(graph, cypher: str, params: dict, **options):
    """The embedded answer (``MechGraph.query``); on a big graph, a query that is slow or
    stopped says that ``--uri`` exists."""
    import time

    from mechgraph.cypher import QueryLimit
    assertions = len(graph.model.assertions)
    started = time.perf_counter()
    try:
        result = graph.query(cypher, params, **options)
    except QueryLimit as exc:
        if assertions >= BIG_GRAPH:
            raise QueryLimit(f"{exc}; the graph has {assertions:,} assertions, and {SERVER_NOTE}") from None
        raise
    elapsed = time.perf_counter() - started
    if assertions >= BIG_GRAPH and elapsed > SLOW_SECONDS:
        click.echo(f"note: the query took {elapsed:.1f} s on {assertions:,} assertions; {SERVER_NOTE}", err=True)
    return result


def run_query(ctx, cypher: str, params: dict, *, uri: str | None, user: str | None, database: str | None,
              write: bool, embedded: bool, timeout: float | None = None, max_rows: int | None = None):
    """Run a query where the options say (a server from --uri or NEO4J_URI, else the
    embedded graph, within ``timeout`` and ``max_rows``); return its Result."""
    from mechgraph.cypher import check_read_only, run_query as run
    server = None if embedded else (uri or os.environ.get("NEO4J_URI"))
    if server is None:
        graph = graph_of(ctx)
        if write:  # refused by the engine with the one message that says where writes go
            return run(cypher, params, graph=graph, write=True)
        return _embedded(graph, cypher, params, timeout=timeout, max_rows=max_rows)
    from mechgraph.backends import connect, quiet_driver_logs
    if not write:
        check_read_only(cypher)  # before connecting
    quiet_driver_logs()
    with connect(server, user=user, database=database) as conn:
        return run(cypher, params, conn=conn, write=write)


@click.command(context_settings=CONTEXT)
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter ($KEY); VALUE is read as JSON when it can be (5, 0.5, true, "
                   "[\"a\", \"b\"], {\"k\": 1}), else as text. Repeatable.")
@click.option("--uri", help="Run on this Neo4j server (bolt:// or neo4j://; default: $NEO4J_URI). "
                            "Without one the query runs on the embedded graph.")
@click.option("--user", help="User name on the server (default: $NEO4J_USER, else neo4j). "
                             "The password comes from $NEO4J_PASSWORD.")
@click.option("--database", help="Database on the server (default: $NEO4J_DATABASE, else the server's default).")
@click.option("--embedded", is_flag=True, help="Use the embedded graph even when NEO4J_URI is set.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only). Without it, queries run "
                                           "in a read transaction and writes are refused.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=60.0, show_default=True,
              help="Seconds the embedded engine may take before it stops the query.")
@click.option("--max-rows", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Most rows (or list items) the embedded engine holds before it stops the query.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@click.pass_context
def query(ctx, cypher, params, uri, user, database, embedded, write, timeout, max_rows, as_json, as_csv):
    """Run a Cypher query on the embedded graph, or on Neo4j with --uri.

    The embedded engine needs no server; it runs read-only Cypher (MATCH, OPTIONAL
    MATCH, WITH, UNWIND, aggregation, paths) and refuses what it cannot do by name.
    On a server the query runs in a READ transaction unless --write is given.

    \b
    Examples:
      mechgraph query "MATCH (d:Drug)-[r:ANTAGONIZES]->(t) RETURN d.id, t.id"
      mechgraph query "MATCH (e:Entity {id: \\$id})-[r]->(x) RETURN type(r), x.name" -p id=bdnf
      mechgraph query "MATCH (f:Finding) WHERE \\$sp IN f.species RETURN count(f)" -p sp=human --json
      mechgraph query "MATCH (n:Mechgraph) RETURN labels(n), count(*)" --uri bolt://localhost:7687 --csv

    The embedded engine stops a query that runs past --timeout or would hold more than
    --max-rows rows with one error line (a regular expression gets the time left).
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    from mechgraph.cli.output import result_table, to_csv
    from mechgraph.cypher import result_json
    from mechgraph.cli.output import to_json
    result = run_query(ctx, cypher, parse_params(params), uri=uri, user=user, database=database, write=write,
                       embedded=embedded, timeout=timeout, max_rows=max_rows)
    if as_json:
        click.echo(to_json(result_json(result)))
    elif as_csv:
        click.echo(to_csv(result), nl=False)
    else:
        click.echo(result_table(result))
