"""Property-graph databases: the projection every Cypher backend shares, Bolt connections
(Neo4j, FalkorDB), batched loading and FalkorDB's request limits."""

from ..exports import lazy_exports

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "connect": "bolt",
    "counts": "loading",
    "load": "loading",
    "project": "propertygraph",
    "quiet_driver_logs": "bolt",
    "wipe": "loading",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
