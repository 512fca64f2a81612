"""Turn a Model into a networkx MultiDiGraph: entities as nodes, assertions as edges.

Node keys are entity ids; edge keys are assertion ids. Every attribute is a
string, number, list or dict, so the graph serialises as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..model.constants import ENTITY_TYPES, PREDICATES
from ..reasoning.evidence import assertion_score, evidence_shape
from ..model.core import Assertion, Model

if TYPE_CHECKING:
    import networkx as nx

    from .topology import Topology


def build_graph(model: Model, topology: Topology | None = None) -> nx.MultiDiGraph:
    """Build the MultiDiGraph of a model; its edges from ``topology`` when given (the
    model's own, as :attr:`MechGraph.topology`: a cached one holds each edge's attributes
    ready, where computing them again reads every finding).

    >>> from mechgraph.graph import MechGraph
    >>> g = build_graph(MechGraph.load().model)
    >>> g.nodes["esketamine"]["type"]
    'Drug'
    """
    import networkx as nx  # only here: the commands that read the store never import it
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for entity in model.entities.values():
        graph.add_node(entity.id, type=entity.type, category=ENTITY_TYPES[entity.type],
                       name=entity.name, name_zh=entity.name_zh, aliases=list(entity.aliases),
                       xrefs=dict(entity.xrefs), description=entity.description,
                       description_zh=entity.description_zh)
    if topology is None:
        for a in model.assertions.values():
            graph.add_edge(a.subject, a.object, key=a.id, **edge_attributes(model, a))
        return graph
    nodes, subject, obj = topology.nodes, topology.subject, topology.object
    for edge in range(len(topology)):
        graph.add_edge(nodes[subject[edge]], nodes[obj[edge]], key=topology.edge_key(edge),
                       **topology.edge_data(edge))
    return graph


def edge_numbers(model: Model, assertion: Assertion) -> dict:
    """What path search ranks an assertion by: ``{"level", "score"}``."""
    return {"level": model.best_level(assertion), "score": assertion_score(model, assertion)}


def edge_numbers_memo(model: Model) -> Callable[[Assertion], tuple[str, float]]:
    """:func:`edge_numbers` of the model's assertions as ``(level, score)``, computed once
    per evidence shape (:func:`mechgraph.reasoning.evidence.evidence_shape`): a big graph
    holds a few shapes many times over, and equal shapes have equal numbers.

    >>> from mechgraph.graph import MechGraph
    >>> m = MechGraph.load().model
    >>> numbers = edge_numbers_memo(m)
    >>> all(numbers(a) == tuple(edge_numbers(m, a).values()) for a in m.assertions.values())
    True
    """
    memo: dict[tuple, tuple[str, float]] = {}

    def numbers(assertion: Assertion) -> tuple[str, float]:
        shape = evidence_shape(model, assertion)
        found = memo.get(shape)
        if found is None:
            found = memo[shape] = (model.best_level(assertion), assertion_score(model, assertion))
        return found
    return numbers


def edge_attributes(model: Model, assertion: Assertion) -> dict:
    """The attributes of an assertion's edge (see :func:`edge_dict`)."""
    numbers = edge_numbers(model, assertion)
    return edge_dict(assertion.predicate, numbers["level"], numbers["score"], model.species_of(assertion),
                     assertion.supporting, assertion.refuting, assertion.context, model.relation_of(assertion))


def edge_dict(predicate: str, level: str, score: float, species, supporting, refuting, context,
              relation: str) -> dict:
    """An edge's attributes: predicate, sign, relation class, level, score, species,
    supporting and refuting finding ids, and context, as lists and dicts that serialise
    as they are."""
    return {"predicate": predicate, "sign": PREDICATES[predicate].sign, "relation": relation, "level": level,
            "score": score, "species": list(species), "supporting": list(supporting),
            "refuting": list(refuting), "context": {k: list(v) for k, v in context.items()}}
