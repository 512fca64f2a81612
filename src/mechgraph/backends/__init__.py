"""Property-graph databases: the projection every Cypher backend shares, Bolt connections
(Neo4j, FalkorDB), batched loading and FalkorDB's request limits."""

from ..exports import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .bolt import connect as connect, quiet_driver_logs as quiet_driver_logs
    from .loading import counts as counts, load as load, wipe as wipe
    from .propertygraph import project as project

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
