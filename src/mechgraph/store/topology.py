"""A graph's shape as integer arrays: what path search and ``show`` read.

Entities are numbered in file order and assertions in file order; an assertion is an
edge ``subject -> object`` with the numbers path search filters and ranks on (evidence
score, level rank, whether only refuting findings back it). Each entity's outgoing and
incoming edges are listed in compressed sparse rows (``out_start[u]:out_start[u + 1]``
indexes ``out_edges``), in assertion order, so a neighbourhood is a slice and the whole
structure is a handful of flat arrays: a million assertions pickle into some 30 MB and
load in a fraction of a second, where the same graph as networkx dictionaries takes
tens of seconds.

An edge's full attributes (predicate, species, findings, context) are not kept here:
:meth:`Topology.edge_data` asks the model it is bound to, for the few edges a query shows.

>>> from mechgraph.graph import MechGraph
>>> t = MechGraph.load().topology
>>> u = t.index["esketamine"]
>>> "nmdar" in {t.nodes[t.object[e]] for e in t.out_edges[t.out_start[u]:t.out_start[u + 1]]}
True
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from ..model.constants import ENTITY_TYPES, EVIDENCE_LEVELS, level_rank
from .recordfile import dump, load, pack, positional, unpack
from ..model.relations import RELATION_CLASSES, derive_relation

#: level rank -> evidence level
_LEVELS = {level_rank(level): level for level in EVIDENCE_LEVELS}
#: relation classes and entity types by number, as the ``relation`` and ``types`` arrays hold them
RELATIONS: tuple[str, ...] = tuple(RELATION_CLASSES)
TYPES: tuple[str, ...] = tuple(ENTITY_TYPES)
_RELATION_NUMBER = {name: i for i, name in enumerate(RELATIONS)}
_TYPE_NUMBER = {name: i for i, name in enumerate(TYPES)}

#: the flat arrays of a topology, as :meth:`Topology.to_parts` names them
_ARRAYS = ("subject", "object", "score", "rank", "refuted", "relation", "types", "out_start", "out_edges",
           "in_start", "in_edges")
#: lookups a :class:`NodeIndex` answers by binary search before it builds its dictionary
SEARCHES_BEFORE_DICT = 4096

#: how an entity figures in a finding, as :attr:`Topology.mentions` numbers it
MENTION_ROLES: tuple[str, ...] = ("about", "intervention", "co_intervention", "brain_region", "cell_type",
                                  "drug_context", "population")

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx

    from ..model.core import Model
    from ..model.names import NameTable


class NodeIndex(Mapping[str, int]):
    """Entity id -> node number, as ``{node: i for i, node in enumerate(nodes)}`` gives it,
    without building that dictionary for the few lookups most commands make: a lookup is a
    binary search over ``order`` (the node numbers sorted by id, as the cache keeps them).
    After :data:`SEARCHES_BEFORE_DICT` lookups, or an id not found (so that a wrong
    ``order`` can never hide a node), the dictionary is built and answers from then on.

    >>> index = NodeIndex(["b", "c", "a"], array("i", [2, 0, 1]))
    >>> index["a"], "d" in index, list(index), index.get("c")
    (2, False, ['b', 'c', 'a'], 1)
    """

    __slots__ = ("_nodes", "_order", "_dict", "_searches")

    def __init__(self, nodes: list[str], order: array):
        self._nodes, self._order = nodes, order
        self._dict: dict[str, int] | None = None
        self._searches = SEARCHES_BEFORE_DICT

    def _built(self) -> dict[str, int]:
        if self._dict is None:
            self._dict = {node: i for i, node in enumerate(self._nodes)}
        return self._dict

    def __getitem__(self, key: str) -> int:
        if self._dict is None and self._searches > 0 and isinstance(key, str):
            self._searches -= 1
            order, nodes = self._order, self._nodes
            try:
                i = bisect_left(order, key, key=nodes.__getitem__)
                if i < len(order) and nodes[order[i]] == key:
                    return order[i]
            except (IndexError, TypeError):  # an order that does not fit the nodes: the dictionary answers
                pass
        return self._built()[key]

    def __contains__(self, key: object) -> bool:
        try:
            self[key]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


def sorted_order(nodes: list[str]) -> array:
    """The node numbers in the order of their ids (what :class:`NodeIndex` searches)."""
    return array("i", sorted(range(len(nodes)), key=nodes.__getitem__))


class Topology:
    """Nodes (entity ids) and edges (assertions) of one graph as arrays."""

    #: (cache folder, key) of a topology read from the cache, where more files of the graph may be
    #: kept beside it (set by the cache only: :mod:`mechgraph.cypher.stored` reads it with getattr)
    stored_at: tuple[Path | None, str]

    #: the edge records it reads (a RecordMap), once bound to them: for a long pass to let go of
    edge_map: Any = None

    def __init__(self, nodes: list[str], subject: array, obj: array, score: array, rank: array,
                 refuted: array, mentions: dict[int, tuple[tuple[int, int], ...]] | None = None,
                 counts: dict | None = None, relation: array | None = None, types: array | None = None,
                 rows: tuple[array, array, array, array] | None = None):
        self.nodes = nodes
        #: entity id -> node number
        self.index: Mapping[str, int] = {node: i for i, node in enumerate(nodes)}
        self.subject, self.object = subject, obj
        self.score, self.rank, self.refuted = score, rank, refuted
        #: edge -> number of its relation class in ``RELATIONS``
        self.relation = relation if relation is not None else array("b", [_RELATION_NUMBER["causal"]]) * len(subject)
        #: node -> number of its entity type in ``TYPES``
        self.types = types if types is not None else array("b", [_TYPE_NUMBER["NamedThing"]]) * len(nodes)
        #: entity number -> ``(finding position, role number in MENTION_ROLES)`` of the findings naming it
        self.mentions = mentions or {}
        #: the model's counts (:func:`mechgraph.model.model_counts`), when built from a model
        self.counts = counts
        #: the compressed sparse rows by subject and by object (``rows``: as :func:`_rows` gives them)
        self.out_start, self.out_edges = _rows(subject, len(nodes)) if rows is None else rows[:2]
        self.in_start, self.in_edges = _rows(obj, len(nodes)) if rows is None else rows[2:]
        self._key: Callable[[int], str] | None = None
        self._data: Callable[[int], dict] | None = None
        #: normalised name -> entity ids (:func:`mechgraph.model.names.name_keys`), when the cache holds them
        self.name_keys: Mapping[str, Any] | None = None
        #: a function that reads the graph's :class:`~mechgraph.model.names.NameTable`, when the cache holds it
        self.name_table: Callable[[], NameTable] | None = None

    # -- construction -----------------------------------------------------------
    @classmethod
    def from_model(cls, model: Model) -> Topology:
        """The topology of a model (entities in order, assertions in order), bound to it."""
        from .build import edge_numbers_memo
        from ..model.core import model_counts
        nodes = list(model.entities)
        index = {node: i for i, node in enumerate(nodes)}
        types = array("b", (_TYPE_NUMBER.get(e.type, _TYPE_NUMBER["NamedThing"]) for e in model.entities.values()))
        subject, obj, score, rank, refuted = array("i"), array("i"), array("d"), array("b"), array("b")
        relation = array("b")
        numbers = edge_numbers_memo(model)  # once per evidence shape, not per assertion
        for assertion in model.assertions.values():
            subject.append(index[assertion.subject])
            obj.append(index[assertion.object])
            level, value = numbers(assertion)
            score.append(value)
            rank.append(level_rank(level))
            refuted.append(not assertion.supporting and bool(assertion.refuting))
            relation.append(_RELATION_NUMBER[model.relation_of(assertion)])
        topology = cls(nodes, subject, obj, score, rank, refuted, _mentions(model, index), model_counts(model),
                       relation, types)
        return topology.bind(model)

    @classmethod
    def from_nx(cls, graph: nx.MultiDiGraph) -> Topology:
        """The topology of a networkx graph built by :func:`mechgraph.store.build.build_graph`
        (or any MultiDiGraph whose edges carry ``level``, ``score``, ``supporting`` and
        ``refuting``); edge attributes are the graph's own."""
        nodes = list(graph.nodes)
        index = {node: i for i, node in enumerate(nodes)}
        type_names = [graph.nodes[n].get("type", "NamedThing") for n in nodes]
        types = array("b", (_TYPE_NUMBER.get(t, _TYPE_NUMBER["NamedThing"]) for t in type_names))
        subject, obj, score, rank, refuted = array("i"), array("i"), array("d"), array("b"), array("b")
        relation = array("b")
        keys, datas = [], []
        for u, v, key, data in graph.edges(keys=True, data=True):
            subject.append(index[u])
            obj.append(index[v])
            score.append(data["score"])
            rank.append(level_rank(data["level"]))
            refuted.append(not data["supporting"] and bool(data["refuting"]))
            kind = data.get("relation") or derive_relation(data["predicate"], type_names[index[u]],
                                                           type_names[index[v]])
            relation.append(_RELATION_NUMBER[kind])
            keys.append(key)
            datas.append(data)
        topology = cls(nodes, subject, obj, score, rank, refuted, relation=relation, types=types)
        topology._key, topology._data = keys.__getitem__, datas.__getitem__
        return topology

    def bind(self, model: Model) -> Topology:
        """Answer :meth:`edge_key` and :meth:`edge_data` from ``model`` (whose assertions
        are in this topology's edge order); return self."""
        from .build import edge_attributes
        at = positional(model.assertions)
        self._key = lambda e: at(e).id
        self._data = lambda e: edge_attributes(model, at(e))
        return self

    def bind_records(self, edges, findings=None) -> Topology:
        """Answer :meth:`edge_key` and :meth:`edge_data` from edge records (a
        :class:`~mechgraph.store.recordfile.RecordMap` of :func:`edge_records` tuples, in edge order);
        return self. With ``findings`` (the findings' RecordMap), the positions an edge record
        holds for its findings are handed to it as each edge is read, so that reading those
        findings next looks none of their ids up in the file's id index."""
        from .build import edge_dict
        learn = getattr(findings, "learn", None)

        def data(edge: int) -> dict:
            _, predicate, species, supporting, refuting, context, places = edges.at(edge)
            if learn is not None:
                learn(supporting + refuting, places)
            return edge_dict(predicate, _LEVELS[self.rank[edge]], self.score[edge], species, supporting,
                             refuting, context, RELATIONS[self.relation[edge]])

        self._key = lambda e: edges.at(e)[0]
        self._data = data
        self.edge_map = edges
        return self

    # -- as flat arrays (what the cache stores) -------------------------------------------
    def to_parts(self) -> tuple[dict, dict[str, array | bytes]]:
        """The topology as plain data and named flat arrays: ``(meta, blobs)``, the shape
        :func:`mechgraph.store.recordfile.pack` writes. Every field is there (nodes, the edge and
        node arrays, both sparse-row indexes, mentions and counts); no code, no pickle.
        :meth:`from_parts` reads it back."""
        blobs: dict[str, array | bytes] = {name: getattr(self, name) for name in _ARRAYS}
        joined = "\0".join(self.nodes)
        if joined.count("\0") == max(len(self.nodes) - 1, 0):
            blobs["nodes"], nodes = joined.encode("utf-8", "surrogatepass"), "nul"
        else:  # an id holds a NUL: JSON instead
            blobs["nodes"], nodes = dump(self.nodes), "json"
        entity, start, finding, role = array("i"), array("q", [0]), array("i"), array("b")
        for node, pairs in self.mentions.items():
            entity.append(node)
            for position, number in pairs:
                finding.append(position)
                role.append(number)
            start.append(len(finding))
        blobs.update(mention_entity=entity, mention_start=start, mention_finding=finding, mention_role=role,
                     order=sorted_order(self.nodes))
        return {"nodes": nodes, "count": len(self.nodes), "counts": self.counts}, blobs

    @classmethod
    def from_parts(cls, meta: dict, blobs: dict) -> Topology:
        """The topology :meth:`to_parts` gave (unbound: bind it to records or a model).

        Raises ValueError when the parts do not make a topology."""
        try:
            raw = bytes(blobs["nodes"])
            nodes = (raw.decode("utf-8", "surrogatepass").split("\0") if meta["nodes"] == "nul" else load(raw))
            if meta["count"] == 0:
                nodes = []
            topology = cls.__new__(cls)
            state = {name: blobs[name] for name in _ARRAYS}
            entity, start = blobs["mention_entity"], blobs["mention_start"]
            finding, role = blobs["mention_finding"], blobs["mention_role"]
            order = blobs["order"]
            counts = meta["counts"]
        except (KeyError, TypeError, UnicodeDecodeError) as exc:
            raise ValueError(f"not the parts of a topology ({exc})") from None
        edges, count = len(state["subject"]), len(nodes)
        sizes = {"object": edges, "score": edges, "rank": edges, "refuted": edges, "relation": edges,
                 "types": count, "out_start": count + 1, "in_start": count + 1, "out_edges": edges,
                 "in_edges": edges}
        wrong = [name for name, size in sizes.items() if len(state[name]) != size]
        if len(order) != count or order.typecode != "i":
            wrong.append("order")
        if wrong or count != meta["count"] or len(start) != len(entity) + 1 or len(finding) != len(role) \
                or (start and start[-1] != len(finding)):
            raise ValueError(f"the parts of a topology do not fit together ({', '.join(wrong) or 'mentions'})")
        mentions = {node: tuple(zip(finding[start[i]:start[i + 1]], role[start[i]:start[i + 1]], strict=True))
                    for i, node in enumerate(entity)}
        topology.__dict__.update({**state, "nodes": nodes, "index": NodeIndex(nodes, order), "mentions": mentions,
                                  "counts": counts, "_key": None, "_data": None, "name_keys": None,
                                  "name_table": None})
        return topology

    def to_bytes(self) -> bytes:
        """The topology as one checksummed byte string (:meth:`to_parts`, packed)."""
        return pack(*self.to_parts())

    @classmethod
    def from_bytes(cls, data: bytes | memoryview) -> Topology:
        """The topology of :meth:`to_bytes`; raises ValueError on anything else."""
        return cls.from_parts(*unpack(data))

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_key"] = state["_data"] = state["name_keys"] = state["name_table"] = None
        state["edge_map"] = None
        del state["index"]  # rebuilt on load: cheaper than unpickling a dictionary
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.index = {node: i for i, node in enumerate(self.nodes)}

    # -- reading ------------------------------------------------------------------
    def edge_key(self, edge: int) -> str:
        """The assertion id of an edge."""
        assert self._key is not None, "a topology answers edge_key once bound to its records"
        return self._key(edge)

    def edge_data(self, edge: int) -> dict:
        """An edge's attributes, as :func:`mechgraph.store.build.build_graph` gives them."""
        assert self._data is not None, "a topology answers edge_data once bound to its records"
        return self._data(edge)

    def relation_of(self, edge: int) -> str:
        """The relation class of an edge (:mod:`mechgraph.model.relations`)."""
        return RELATIONS[self.relation[edge]]

    def type_of(self, node: int) -> str:
        """The entity type of a node."""
        return TYPES[self.types[node]]

    def out_of(self, node: int) -> array:
        """The edges leaving ``node``, in assertion order."""
        return self.out_edges[self.out_start[node]:self.out_start[node + 1]]

    def into(self, node: int) -> array:
        """The edges entering ``node``, in assertion order."""
        return self.in_edges[self.in_start[node]:self.in_start[node + 1]]

    def __len__(self) -> int:
        return len(self.subject)


def edge_records(model: Model) -> Iterator[tuple]:
    """What :meth:`Topology.edge_data` reads beyond the topology, one tuple per assertion:
    ``(id, predicate, species, supporting, refuting, context, places)``, ``places`` the
    position among the model's findings of each supporting then refuting finding (-1 for an
    id no finding has)."""
    positions = {fid: position for position, fid in enumerate(model.findings)}
    for assertion in model.assertions.values():
        yield (assertion.id, assertion.predicate, model.species_of(assertion), assertion.supporting,
               assertion.refuting, assertion.context,
               [positions.get(fid, -1) for fid in (*assertion.supporting, *assertion.refuting)])


def _mentions(model: Model, index: dict[str, int]) -> dict[int, tuple[tuple[int, int], ...]]:
    """Entity number -> ``(finding position, role number)`` for every finding that names
    the entity: as what it is about, its drug or a co-intervention, or (through the
    assertions that list it) the brain region, cell type, drug or population of their context."""
    roles = {name: i for i, name in enumerate(MENTION_ROLES)}
    found: dict[int, dict[tuple[int, int], None]] = {}

    def add(entity: str, position: int, role: str) -> None:
        if entity in index:
            found.setdefault(index[entity], {})[(position, roles[role])] = None

    positions = {fid: position for position, fid in enumerate(model.findings)}
    for position, finding in enumerate(model.findings.values()):
        for about in finding.about:
            add(about, position, "about")
        for number, item in enumerate(finding.interventions):
            add(item.drug, position, "intervention" if number == 0 else "co_intervention")
    context_roles = {"brain_region": "brain_region", "cell_type": "cell_type", "drug": "drug_context",
                     "population": "population"}
    for assertion in model.assertions.values():
        for key, role in context_roles.items():
            for value in assertion.context.get(key, ()):
                for fid in assertion.findings:
                    if fid in positions:
                        add(value, positions[fid], role)
    return {node: tuple(pairs) for node, pairs in found.items()}


def _rows(ends: array, count: int) -> tuple[array, array]:
    """Compressed sparse rows of the edges by one end: ``(start, edges)``, each row in edge order."""
    sizes = [0] * (count + 1)
    for end in ends:
        sizes[end + 1] += 1
    start = array("i", accumulate(sizes))
    cursor = list(start)
    edges = array("i", [0]) * len(ends)
    for edge, end in enumerate(ends):
        edges[cursor[end]] = edge
        cursor[end] += 1
    return start, edges

