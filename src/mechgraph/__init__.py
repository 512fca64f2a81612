"""mechgraph: evidence-annotated mechanism knowledge graphs.

>>> from mechgraph import MechGraph
>>> MechGraph.load().resolve("S-ketamine").name
'Esketamine'

The names below are imported when first used, so that the command line can set itself
up (:mod:`mechgraph.console`) before the library's modules load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (AmbiguousEntity, CurationError, EntityNotFound, InvalidGraph, MechgraphError,
                     NoPath)
from .version import __version__

if TYPE_CHECKING:
    from .graph import MechGraph
    from .results import (Conflicts, EntityView, ExplainResult, Exported, MapView, PathResult, QueryResult,
                          Rendered, ScoreParts, SearchHits, Stats)

__all__ = ["MechGraph", "MechgraphError", "EntityNotFound", "AmbiguousEntity", "NoPath",
           "CurationError", "InvalidGraph", "__version__",
           "PathResult", "ExplainResult", "EntityView", "SearchHits", "Conflicts", "Stats", "ScoreParts",
           "QueryResult", "Rendered", "Exported", "MapView"]

#: each name imported on first use, and the module that defines it
_LAZY = {"MechGraph": "graph", **{name: "results" for name in (
    "Conflicts", "EntityView", "ExplainResult", "Exported", "MapView", "PathResult", "QueryResult", "Rendered",
    "ScoreParts", "SearchHits", "Stats")}}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mechgraph' has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
