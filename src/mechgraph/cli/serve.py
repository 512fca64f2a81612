"""``mechgraph serve``: the graph as a local, read-only web app."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import CONTEXT, default_sources
from ..errors import MechgraphError


@click.command(context_settings=CONTEXT)
@click.option("--graph", "graph_dir", type=click.Path(path_type=Path),
              help="Graph to serve (as mechgraph --graph; default: that, else the bundled graph).")
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), default=default_sources,
              help="Directory of the seed texts, for coverage and locate (or set MECHGRAPH_SOURCES).")
@click.option("--watch", is_flag=True,
              help="Re-validate when a graph file changes and reload open pages; errors show in the page "
                   "with file and line while the last good graph stays.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port, printed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but a loopback address exposes the graph to the network.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=10.0, show_default=True,
              help="Seconds a console query may take on the embedded engine.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Most rows (or list items) a console query may hold.")
@click.option("--open", "open_browser", is_flag=True, help="Open the app in the default browser.")
@click.pass_context
def serve(ctx, graph_dir, sources, watch, port, host, timeout, max_rows, open_browser):
    """Serve the graph as a local, read-only web app (until Ctrl-C).

    The map with all its views; the path finder and explain with their options;
    conflicts; coverage with each seed's uncited sentences; any finding beside its
    source sentence (locate); and a Cypher console on the embedded engine (read-only,
    within --timeout and --max-rows, results as a table with CSV and JSON downloads).
    It listens on 127.0.0.1 and answers only requests addressed to a local name (or
    to --host), writes nothing and loads nothing from the network.

    \b
    Examples:
      mechgraph serve
      mechgraph serve --graph my-graph/ --sources my-graph/sources --watch
      mechgraph serve --port 0 --open
    """
    from ..serve import MISSING_EXTRA, extra_installed
    if not extra_installed():
        click.echo(f"error: {MISSING_EXTRA}", err=True)
        sys.exit(1)
    from ..graph import MechGraph
    from ..serve import LiveGraph, Server, create_app, listen, url
    path = graph_dir or ctx.obj.get("graph")
    live = LiveGraph(path, MechGraph.load(path))
    app = create_app(live, sources=sources, host=host, timeout=timeout, max_rows=max_rows)
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise MechgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    address = url(sock)
    click.echo(f"serving {live.path} at {address} (Ctrl-C to stop)")
    if watch:
        live.watch()
    if open_browser:
        import webbrowser
        if not webbrowser.open(address):
            click.echo(f"warning: no browser could be opened; open {address} yourself", err=True)
    try:
        Server(app, sock).run()
    except KeyboardInterrupt:  # Ctrl-C is how a server stops: no "Aborted!"
        pass
    finally:
        live.stop()
