"""``mechgraph serve``: a local, read-only web app over a graph.

The map with its views, the path finder, ``explain``, ``conflicts``, ``coverage`` with
each seed's uncited sentences, ``locate`` (a finding beside its source sentence) and a
Cypher console on the embedded engine, served on 127.0.0.1. One idea per module:

- :mod:`~mechgraph.serve.app`: the Starlette application and its routes;
- :mod:`~mechgraph.serve.queries`: request parameters to library calls;
- :mod:`~mechgraph.serve.pages`: the panels' HTML and their Content-Security-Policy;
- :mod:`~mechgraph.serve.hosts`: the Host-header check against DNS rebinding;
- :mod:`~mechgraph.serve.watch`: the last good graph, reloaded when its files change;
- :mod:`~mechgraph.serve.server`: listening on a socket with uvicorn.

Starlette and uvicorn come with the ``serve`` extra (``pip install 'mechgraph[serve]'``);
only ``app`` and ``server`` import them.
"""

#: the one line ``mechgraph serve`` prints when the extra is missing
MISSING_EXTRA = "serve needs the optional extra: pip install 'mechgraph[serve]'"


def extra_installed() -> bool:
    """Whether Starlette, uvicorn and Jinja are importable."""
    import importlib.util
    return all(importlib.util.find_spec(name) is not None for name in ("starlette", "uvicorn", "jinja2"))


from ..exports import lazy_exports  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .app import create_app as create_app
    from .server import Server as Server, listen as listen, url as url
    from .watch import LiveGraph as LiveGraph

#: the folder's public names defined in its modules, imported on first use
EXPORTS = {
    "LiveGraph": "watch",
    "Server": "server",
    "create_app": "app",
    "listen": "server",
    "url": "server",
}
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
