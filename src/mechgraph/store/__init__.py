"""How a graph is kept fast: the on-disk cache (a record file read on demand
and an integer topology), and the networkx graph built from a model."""

from ..exports import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .bundled import bundled_graph_dir as bundled_graph_dir
    from .cache import cached_graph as cached_graph
    from .opening import read_graph as read_graph

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "bundled_graph_dir": "bundled",
    "cached_graph": "cache",
    "read_graph": "opening",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
