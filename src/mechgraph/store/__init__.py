"""How a graph is kept fast: the on-disk cache (a record file read on demand
and an integer topology), and the networkx graph built from a model."""

from ..exports import lazy_exports

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "bundled_graph_dir": "bundled",
    "cached_graph": "cache",
    "read_graph": "opening",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
