"""What a graph is: entities, assertions, findings and sources, with the closed vocabularies
(:mod:`~mechgraph.model.constants`), relation classes, names and mechanism families.

Nothing here imports anything of mechgraph above it; every other layer builds on it.

>>> from mechgraph.model import Entity
>>> Entity(id="bdnf", type="Protein", name="BDNF", name_zh="脑源性神经营养因子").summary()["name"]
'BDNF'
"""

from .constants import ENTITY_TYPES, EVIDENCE_LEVELS, PREDICATES, STUDY_TYPES, level_rank
from .core import Assertion, Entity, Finding, Intervention, Model, Quantity, Source, Where, model_counts

__all__ = ["Assertion", "Entity", "Finding", "Intervention", "Model", "Quantity", "Source", "Where", "model_counts",
           "ENTITY_TYPES", "EVIDENCE_LEVELS", "PREDICATES", "STUDY_TYPES", "level_rank"]
