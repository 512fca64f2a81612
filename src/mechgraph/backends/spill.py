"""The property graph kept on disk group by group, for writers that must not hold it whole.

:func:`~mechgraph.backends.propertygraph.project` holds every node and relationship in
memory, about 1 GB per 100,000 assertions. The Cypher script and the Neo4j CSV files need
them grouped (the nodes of one set of labels, the relationships of one type) in the
projection's order, and a CSV file's header names the keys and value types of its whole
group before its first row. :class:`SpilledGraph` makes the projection's items one at a time
(:func:`~mechgraph.backends.propertygraph.project_items`) and appends each, as a line of JSON,
to its group's file in a scratch directory. It keeps in memory, per group, where each line
starts, the group's first place in the projection's order and, for headers, which keys
occur together and the types of their values. A group is read back in the projection's
order: nodes as they were made, relationships by id (stably, as ``project`` sorts them).

JSON (as the records file writes it: :func:`~mechgraph.store.recordfile.dump`) gives back
what it was given here: strings (lone surrogates kept), integers,
floats (``repr``, ``NaN`` and infinities included), booleans, lists and dictionaries in
their order. A tuple would come back a list, so the projection makes none.

>>> import tempfile
>>> from mechgraph import MechGraph
>>> from mechgraph.backends.propertygraph import project
>>> graph = MechGraph.load("tests/data/example-graph")
>>> with tempfile.TemporaryDirectory() as scratch:
...     spilled = SpilledGraph.of(graph, scratch)
...     grouped = [(key, list(items)) for key, items in spilled.node_groups()]
>>> grouped == list(project(graph).grouped()[0].items())
True
"""

from __future__ import annotations

import heapq
import tempfile
from array import array
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from .. import collector
from ..atomic import scratch_beside
from ..errors import MechgraphError
from ..store.recordfile import dump, load
from .propertygraph import PREDICATE_OF_TYPE, Node, Relationship, project_items

_first = itemgetter(0)


class Group:
    """The nodes of one set of labels, or the relationships of one type, on disk.

    ``key`` is the labels or the type; ``count`` the items; ``first`` the order key of the
    group's first item in the projection (a node's is its place among the items made, a
    relationship's its id and that place). With ``columns``, ``shapes`` maps each tuple of
    property keys an item has to the least order key of an item that has it, ``types`` each key
    to the Python types of its values (a list's items' types), and ``lists`` names the keys
    with a list value.
    """

    def __init__(self, key: Any, path: Path, nodes: bool):
        self.key, self.path, self.nodes = key, path, nodes
        self.count = 0
        self.first: Any = None
        self.shapes: dict[tuple[str, ...], Any] = {}
        self.types: dict[str, set[type]] = {}
        self.lists: set[str] = set()
        self._starts = array("q")
        self._size = 0
        self._ordered = True  # the lines are in the group's order as written
        self._last: Any = None
        self._handle: Any = open(path, "wb")  # noqa: SIM115  (open while the group is written: close())

    def add(self, order: Any, line: bytes) -> None:
        """Append one item's line; ``order`` is its order key."""
        if self._last is not None and order < self._last:
            self._ordered = False
        if self.first is None or order < self.first:
            self.first = order
        self._last = order
        self._starts.append(self._size)
        self._handle.write(line)
        self._size += len(line)
        self.count += 1

    def note(self, order: Any, properties: dict[str, Any]) -> None:
        """Remember what a header needs of one item's properties."""
        shape = tuple(properties)
        known = self.shapes.get(shape)
        if known is None or order < known:
            self.shapes[shape] = order
        types = self.types
        for key, value in properties.items():
            kind = type(value)
            seen = types.get(key)
            if seen is None:
                seen = types[key] = set()
            if kind is list:
                self.lists.add(key)
                seen.update(map(type, value))
            else:
                seen.add(kind)

    def close(self) -> None:
        self._handle.close()
        self._starts.append(self._size)

    def items(self) -> Iterator[tuple[Any, Node | Relationship]]:
        """``(order key, item)`` of every item, in the group's order. The file is read, not
        mapped, so its pages never count in the process's memory."""
        if not self.count:
            return
        make = self._node if self.nodes else self._relationship
        starts, count = self._starts, self.count
        with open(self.path, "rb") as handle:
            read = handle.read
            if self._ordered:
                for i in range(count):
                    yield make(load(read(starts[i + 1] - starts[i])[:-1]))
                return
            ids = [load(read(starts[i + 1] - starts[i])[:-1])[1] for i in range(count)]
            lines = sorted(range(count), key=ids.__getitem__)  # stable: equal ids keep their order
            del ids
            seek = handle.seek
            for i in lines:
                seek(starts[i])
                yield make(load(read(starts[i + 1] - starts[i] - 1)))

    def _node(self, fields: list) -> tuple[int, Node]:
        seq, node_id, properties = fields
        return seq, Node(node_id, self.key, properties)

    def _relationship(self, fields: list) -> tuple[tuple[str, int], Relationship]:
        seq, rel_id, start, end, properties = fields
        return (rel_id, seq), Relationship(rel_id, self.key, start, end, properties)


class SpilledGraph:
    """A graph's projection written group by group into ``folder`` (see the module's text).

    ``columns`` keeps what the headers of :func:`columns` need (at some cost per item).
    """

    def __init__(self, items: Iterable[Node | Relationship], folder: str | Path, *, columns: bool = False):
        self.folder = Path(folder)
        self._nodes: dict[tuple[str, ...], Group] = {}
        self._relationships: dict[str, Group] = {}
        try:
            with collector.paused():  # none of the records read is kept: nothing for the collector to find
                for seq, item in enumerate(items):
                    if type(item) is Node:
                        order: Any = seq
                        group = self._nodes.get(item.labels) or self._group(self._nodes, item.labels, True)
                        line = dump([seq, item.id, item.properties])
                    else:
                        assert isinstance(item, Relationship)
                        order = (item.id, seq)
                        group = self._relationships.get(item.type) or self._group(self._relationships, item.type, False)
                        line = dump([seq, item.id, item.start, item.end, item.properties])
                    group.add(order, line + b"\n")
                    if columns:
                        group.note(order, item.properties)
        finally:
            for group in (*self._nodes.values(), *self._relationships.values()):
                group.close()

    @classmethod
    def of(cls, graph, folder: str | Path, *, columns: bool = False) -> SpilledGraph:
        """The spilled projection of a :class:`~mechgraph.graph.MechGraph`."""
        return cls(project_items(graph), folder, columns=columns)

    def _group(self, groups: dict, key: Any, nodes: bool) -> Group:
        group = groups[key] = Group(key, self.folder / f"{'n' if nodes else 'r'}{len(groups)}.jsonl", nodes)
        return group

    def node_groups(self) -> Iterator[tuple[tuple[str, ...], Iterator[Node]]]:
        """``(labels, nodes)`` of each group, as :meth:`PropertyGraph.grouped` orders them."""
        for group in self._nodes.values():  # made in the order each was first met
            yield group.key, _second(group.items())

    def relationship_groups(self) -> Iterator[tuple[str, Iterator[Relationship]]]:
        """``(type, relationships)`` of each group, as :meth:`PropertyGraph.grouped` orders them:
        by where each group's first relationship falls once they are sorted."""
        groups = sorted(self._relationships.values(), key=lambda g: (g.key not in PREDICATE_OF_TYPE, g.first))
        for group in groups:
            yield group.key, _second(group.items())

    def nodes_labelled(self, label: str) -> list[Group]:
        """The node groups whose labels include ``label``."""
        return [g for g in self._nodes.values() if label in g.key]

    def relationships_typed(self, types: Iterable[str]) -> list[Group]:
        """The relationship groups of these types."""
        wanted = set(types)
        return [g for g in self._relationships.values() if g.key in wanted]


@contextmanager
def spilled(graph, beside: str | Path | None = None, *, columns: bool = False) -> Iterator[SpilledGraph]:
    """The graph's :class:`SpilledGraph` in a scratch directory beside ``beside`` (the output's
    place: :func:`~mechgraph.atomic.scratch_beside`), or in the system's temporary directory
    when it is None; the directory is removed when the block ends. A file that cannot be
    written there (a full disk) is one MechgraphError naming the output."""
    with (tempfile.TemporaryDirectory(prefix="mechgraph-spill-") if beside is None
          else scratch_beside(beside)) as folder:
        try:
            on_disk = SpilledGraph.of(graph, folder, columns=columns)
        except OSError as exc:
            where = "a temporary directory" if beside is None else "a scratch directory beside it"
            raise MechgraphError(f"cannot write {beside if beside is not None else 'the export'}: "
                                 f"{exc.strerror or exc} (spilling the graph to {where})") from None
        yield on_disk


def merged(groups: list[Group]) -> Iterator[Node | Relationship]:
    """The items of several groups (all of nodes, or all of relationships) in the projection's order."""
    return _second(heapq.merge(*(g.items() for g in groups), key=_first))


def columns(groups: list[Group]) -> list[tuple[str, list[set[type]], bool]]:
    """``(key, the types of its values, whether any value is a list)`` of every property key
    but ``id`` of the items of ``groups``, in the order the keys are first met when the items are
    read in order (:func:`merged`): the first item with a key comes first, and keys first met in
    one item follow that item's order. The groups must have been spilled with ``columns``."""
    first: dict[str, tuple[Any, int]] = {}
    for group in groups:
        for shape, order in group.shapes.items():
            for index, key in enumerate(shape):
                if key != "id" and (key not in first or (order, index) < first[key]):
                    first[key] = (order, index)
    return [(key, [g.types[key] for g in groups if key in g.types], any(key in g.lists for g in groups))
            for key in sorted(first, key=first.__getitem__)]


def _second(pairs: Iterator[tuple[Any, Any]]) -> Iterator[Any]:
    for _, item in pairs:
        yield item
