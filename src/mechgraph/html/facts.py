"""What a page reads of a graph, read as it is asked for: an assertion's ends and edge
data, an entity's type and name, the assertions into and out of an entity.

A map draws a few thousand entities at most, from graphs of up to a million assertions:
every fact comes from the graph's topology and the records it names, on first use, and
is kept for the next (the graph's records decode on every access).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class _Memo(dict):
    """A dictionary that fills in a missing key with ``make(key)`` (KeyError when there is none)."""

    def __init__(self, make: Callable[[Any], Any]):
        super().__init__()
        self._make = make

    def __missing__(self, key):
        value = self[key] = self._make(key)
        return value


def edge_numbers(graph) -> Callable[[str], int | None]:
    """Assertion id -> its edge number in the graph's topology (None for an unknown id): the
    position of the assertion among the model's, which is its edge's (the records file's id
    index answers for a cached graph)."""
    position = getattr(graph.model.assertions, "position", None)
    if position is not None:
        return position
    numbers = {key: i for i, key in enumerate(graph.model.assertions)}
    return numbers.get


class Facts:
    """The facts of one graph that pages read, each read on first use.

    ``edge[key]`` is ``(subject, object, edge data)`` of an assertion (the edge data as
    :meth:`mechgraph.store.topology.Topology.edge_data` gives it: what the networkx graph
    holds); ``type[id]`` and ``name[id]`` an entity's; :meth:`out_of` and :meth:`into` the
    assertion ids leaving and entering an entity, sorted.

    >>> from mechgraph import MechGraph
    >>> f = Facts(MechGraph.load("tests/data/example-graph"))
    >>> f.out_of("drug-x")[:1], f.edge[f.out_of("drug-x")[0]][:2], f.type["drug-x"]
    (['a-x-antagonizes-r'], ('drug-x', 'receptor-r'), 'Drug')
    """

    def __init__(self, graph):
        self.graph = graph
        t = graph.topology
        self._t = t
        self.number = edge_numbers(graph)
        entities = graph.model.entities
        self.edge: dict[str, tuple[str, str, dict]] = _Memo(self._edge)
        self.type: dict[str, str] = _Memo(lambda e: entities[e].type)
        self.name: dict[str, str] = _Memo(lambda e: entities[e].name)
        self._out: dict[str, list[str]] = _Memo(lambda e: self._keys(t.out_of, e))
        self._into: dict[str, list[str]] = _Memo(lambda e: self._keys(t.into, e))

    def _edge(self, key: str) -> tuple[str, str, dict]:
        e = self.number(key) if isinstance(key, str) else None
        if e is None:
            raise KeyError(key)
        t = self._t
        return t.nodes[t.subject[e]], t.nodes[t.object[e]], t.edge_data(e)

    def _keys(self, row: Callable[[int], Any], entity: str) -> list[str]:
        node = self._t.index.get(entity)
        return [] if node is None else sorted(self._t.edge_key(e) for e in row(node))

    def out_of(self, entity: str) -> list[str]:
        """The ids of the assertions ``entity`` is the subject of, sorted."""
        return self._out[entity]

    def into(self, entity: str) -> list[str]:
        """The ids of the assertions ``entity`` is the object of, sorted."""
        return self._into[entity]

    def ends(self, keys) -> list[tuple[str, str]]:
        return [(self.edge[k][0], self.edge[k][1]) for k in keys]

    def names(self, ids) -> dict[str, str]:
        return {n: self.name[n] for n in ids}
