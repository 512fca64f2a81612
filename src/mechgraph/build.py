"""Turn a Model into a networkx MultiDiGraph: entities as nodes, assertions as edges.

Node keys are entity ids; edge keys are assertion ids. Every attribute is a
string, number, list or dict, so the graph serialises as it is.
"""

from __future__ import annotations

import networkx as nx

from .constants import ENTITY_TYPES, PREDICATES
from .evidence import assertion_score
from .model import Model


def build_graph(model: Model) -> nx.MultiDiGraph:
    """Build the MultiDiGraph of a model.

    >>> from mechgraph.graph import MechGraph
    >>> g = build_graph(MechGraph.load().model)
    >>> g.nodes["esketamine"]["type"]
    'Drug'
    """
    graph = nx.MultiDiGraph()
    for entity in model.entities.values():
        graph.add_node(entity.id, type=entity.type, category=ENTITY_TYPES[entity.type],
                       name=entity.name, name_zh=entity.name_zh, aliases=list(entity.aliases),
                       xrefs=dict(entity.xrefs), description=entity.description,
                       description_zh=entity.description_zh)
    for a in model.assertions.values():
        graph.add_edge(a.subject, a.object, key=a.id, predicate=a.predicate,
                       sign=PREDICATES[a.predicate].sign, level=model.best_level(a),
                       score=assertion_score(model, a), species=model.species_of(a),
                       supporting=list(a.supporting), refuting=list(a.refuting),
                       context={k: list(v) for k, v in a.context.items()})
    return graph
