"""Where the bundled graph lives: inside the installed package, or graph/ in a checkout."""

from __future__ import annotations

from pathlib import Path

from ..errors import MechgraphError


def bundled_graph_dir() -> Path:
    """The directory of the bundled esketamine graph.

    Returns
    -------
    Path
        ``mechgraph/_graph`` in an installed package, else ``graph`` in a checkout.

    Raises
    ------
    MechgraphError
        When the installation has no bundled graph.

    Examples
    --------
    >>> from mechgraph.store import bundled_graph_dir
    >>> any(bundled_graph_dir().glob("*.yaml"))
    True
    """
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_graph", package.parents[1] / "graph"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    raise MechgraphError("the bundled graph is missing from this installation; "
                         "reinstall mechgraph or pass --graph DIR")
