"""mechgraph: evidence-annotated mechanism knowledge graphs.

>>> from mechgraph import MechGraph
>>> MechGraph.load().resolve("S-ketamine").name
'Esketamine'
"""

__version__ = "0.1.0"

from .errors import (AmbiguousEntity, CurationError, EntityNotFound, InvalidGraph,  # noqa: E402
                     MechgraphError, NoPath)
from .graph import MechGraph  # noqa: E402

__all__ = ["MechGraph", "MechgraphError", "EntityNotFound", "AmbiguousEntity", "NoPath",
           "CurationError", "InvalidGraph", "__version__"]
