"""mechgraph: evidence-annotated mechanism knowledge graphs.

>>> from mechgraph import MechGraph
>>> MechGraph.load().resolve("S-ketamine").name
'Esketamine'
"""

from .errors import (AmbiguousEntity, CurationError, EntityNotFound, InvalidGraph, MechgraphError,
                     NoPath)
from .graph import MechGraph
from .results import (Conflicts, EntityView, ExplainResult, Exported, MapView, PathResult, QueryResult, Rendered,
                      ScoreParts, SearchHits, Stats)
from .version import __version__

__all__ = ["MechGraph", "MechgraphError", "EntityNotFound", "AmbiguousEntity", "NoPath",
           "CurationError", "InvalidGraph", "__version__",
           "PathResult", "ExplainResult", "EntityView", "SearchHits", "Conflicts", "Stats", "ScoreParts",
           "QueryResult", "Rendered", "Exported", "MapView"]
