"""mechgraph: evidence-annotated mechanism knowledge graphs.

>>> from mechgraph import MechGraph
>>> MechGraph.load().resolve("S-ketamine").name
'Esketamine'
"""

from .errors import (AmbiguousEntity, CurationError, EntityNotFound, InvalidGraph, MechgraphError,
                     NoPath)
from .graph import MechGraph
from .version import __version__

__all__ = ["MechGraph", "MechgraphError", "EntityNotFound", "AmbiguousEntity", "NoPath",
           "CurationError", "InvalidGraph", "__version__"]
