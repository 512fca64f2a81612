"""``mechgraph load``: load the graph into Neo4j (idempotent, batched, scoped)."""

from __future__ import annotations

import sys

import click

from mechgraph.cli import CONTEXT, graph_of
from mechgraph.cli.output import to_json

#: show a progress bar (on a terminal) from this many nodes and relationships
PROGRESS_FROM = 2000


@click.command(context_settings=CONTEXT)
@click.option("--uri", help="Bolt URI of the server (bolt:// or neo4j://; default: $NEO4J_URI).")
@click.option("--user", help="User name (default: $NEO4J_USER, else neo4j). The password comes from "
                             "$NEO4J_PASSWORD and is never printed.")
@click.option("--database", help="Database (default: $NEO4J_DATABASE, else the server's default).")
@click.option("--wipe", is_flag=True, help="First remove everything an earlier load wrote (nodes labelled "
                                           "Mechgraph and their relationships), then load.")
@click.option("--wipe-only", is_flag=True, help="Only remove what mechgraph wrote; load nothing.")
@click.option("--batch-size", type=click.IntRange(1, 100_000),
              help="Rows per UNWIND statement; each batch is one transaction (default: 500, or 5000 for a "
                   "bulk load).")
@click.option("--no-bulk", "no_bulk", is_flag=True,
              help="Merge even into an empty database (by default a load into a Neo4j database that holds "
                   "no node at all creates the graph instead, the same graph several times faster).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def load(ctx, uri, user, database, wipe, wipe_only, batch_size, no_bulk, as_json):
    """Load the graph into Neo4j.

    Entities, findings, sources and quantities become nodes labelled Mechgraph (plus
    Entity and the entity type, Finding, Source or Quantity); assertions become
    relationships named after their predicate (ANTAGONIZES, INCREASES_RELEASE, ...),
    carrying evidence level, score, species and the ids of their findings. Nodes and
    relationships are merged on their ids, so loading again gives the same counts and
    an interrupted load completes when rerun. Nothing else in the database is touched.
    Into an empty Neo4j database the graph is created in bulk instead of merged (same
    graph, faster); a rerun after an interrupted bulk load merges and completes it.

    \b
    Examples:
      NEO4J_PASSWORD=secret mechgraph load --uri bolt://localhost:7687
      mechgraph load --uri neo4j://db.example.org --user alice --database mech --wipe
      mechgraph --graph my-graph/ load --uri bolt://localhost:7687 --json
    """
    from mechgraph.backends import connect, counts, project, quiet_driver_logs
    from mechgraph.backends import load as load_graph, wipe as wipe_graph
    graph = None if wipe_only else graph_of(ctx)
    quiet_driver_logs()
    with connect(uri, user=user, database=database) as conn:
        if wipe_only:
            removed = wipe_graph(conn)
            found = counts(conn)
            if as_json:
                click.echo(to_json({"uri": conn.uri, "server": conn.server, "wiped": removed, "counts": found}))
            else:
                click.echo(f"removed {removed} mechgraph node(s) and their relationships from {conn.uri}")
            return
        pg = project(graph)
        total = len(pg.nodes) + len(pg.relationships)
        show_bar = total >= PROGRESS_FROM and sys.stderr.isatty() and not as_json
        if show_bar:
            with click.progressbar(length=total, label=f"loading into {conn.uri}", file=sys.stderr) as bar:
                report = load_graph(conn, pg, batch_size=batch_size, wipe_first=wipe, bulk=not no_bulk,
                                    progress=lambda done, _: bar.update(done - bar.pos))
        else:
            report = load_graph(conn, pg, batch_size=batch_size, wipe_first=wipe, bulk=not no_bulk)
        found = counts(conn)
    if as_json:
        click.echo(to_json({**report.to_json(), "counts": found}))
        return
    how = " (bulk: the database was empty)" if report.path == "bulk" else ""
    lines = [f"loaded {report.nodes} nodes and {report.relationships} relationships into {report.uri} "
             f"({report.server}) in {report.seconds:.1f} s{how}"]
    if report.wiped:
        lines.append(f"removed {report.wiped} node(s) of an earlier load first (--wipe)")
    if report.removed_nodes or report.removed_relationships:
        lines.append(f"removed {report.removed_nodes} node(s) and {report.removed_relationships} "
                     f"relationship(s) that the graph no longer has")
    lines.append(f"the database now holds {found['nodes']} mechgraph nodes and {found['relationships']} "
                 f"relationships between them; {', '.join(report.schema)}")
    click.echo("\n".join(lines))
