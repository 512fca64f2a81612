"""Query results as every backend returns them, and their JSON shape.

The embedded engine and the Bolt backends (Neo4j, FalkorDB) both answer with a
:class:`Result` whose cells are None, booleans, numbers, strings, lists, maps, or the
graph values :class:`Node`, :class:`Relationship` and :class:`Path` (shown as text and
CSV by :mod:`mechgraph.cli.output`). In JSON a node is ``{"labels": [...], "properties": {...}}``, a relationship
``{"type", "start", "end", "properties"}`` (``start`` and ``end`` are the end nodes'
``id`` properties, null when the server did not send them) and a path
``{"nodes": [...], "relationships": [...]}``. Temporal values (dates, times, durations)
are their ISO 8601 text everywhere: ``2015-07-21``, ``12:31:14.645876123+01:00``,
``P1Y2M3DT4H``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any, Protocol


@dataclass(frozen=True, eq=False)
class Node:
    """A node: an identity local to its backend, labels and properties.

    Attributes
    ----------
    element_id : str
        The node's identity in the backend that returned it.
    labels : tuple of str
        Its labels.
    properties : dict
        Its properties.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> node = run_query("MATCH (d:Drug) RETURN d", graph=g).rows[0][0]
    >>> node.labels, node.properties["name"]
    (('Mechgraph', 'Entity', 'Drug'), 'Drug X')
    """

    element_id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(default_factory=dict)

    def __eq__(self, other):
        return isinstance(other, Node) and self.element_id == other.element_id

    def __hash__(self):
        return hash(("node", self.element_id))

    def value(self, key: str) -> Any:
        """Property ``key``, or None when the node has none (what ``n.key`` reads).

        >>> Node("n1", ("Drug",), {"name": "X"}).value("name"), Node("n1", ()).value("name")
        ('X', None)
        """
        return self.properties.get(key)


@dataclass(frozen=True, eq=False)
class Relationship:
    """A relationship; ``start`` and ``end`` are its end nodes (None when unknown).

    Attributes
    ----------
    element_id : str
        The relationship's identity in the backend that returned it.
    type : str
        Its type.
    properties : dict
        Its properties.
    start, end : Node or None
        Its end nodes.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> rel = run_query("MATCH (:Drug)-[r:ANTAGONIZES]->() RETURN r", graph=g).rows[0][0]
    >>> rel.type, rel.start.properties["id"], rel.end.properties["id"]
    ('ANTAGONIZES', 'drug-x', 'receptor-r')
    """

    element_id: str
    type: str
    properties: dict[str, Any] = field(default_factory=dict)
    start: Node | None = None
    end: Node | None = None

    def __eq__(self, other):
        return isinstance(other, Relationship) and self.element_id == other.element_id

    def __hash__(self):
        return hash(("rel", self.element_id))

    def value(self, key: str) -> Any:
        """Property ``key``, or None when the relationship has none (what ``r.key`` reads).

        >>> Relationship("r1", "TREATS", {"score": 0.5}).value("score")
        0.5
        """
        return self.properties.get(key)


@dataclass(frozen=True)
class Path:
    """Nodes and the relationships between them, ``len(nodes) == len(relationships) + 1``.

    Attributes
    ----------
    nodes : tuple of Node
    relationships : tuple of Relationship

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> path = run_query("MATCH p = (:Drug)-[:ANTAGONIZES]->() RETURN p", graph=g).rows[0][0]
    >>> [n.properties["id"] for n in path.nodes], [r.type for r in path.relationships]
    (['drug-x', 'receptor-r'], ['ANTAGONIZES'])
    """

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass
class Result:
    """What a query returned.

    Attributes
    ----------
    columns : list of str
        The column names.
    rows : list of list
        The rows, one value per column.
    backend : str
        The backend that answered ("embedded", or the server's kind).
    counters : dict of str to int
        Write counters (empty for a read).

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> result = run_query("MATCH (d:Drug) RETURN d.id AS drug, d.name AS name", graph=g)
    >>> result.columns, result.rows, result.backend
    (['drug', 'name'], [['drug-x', 'Drug X']], 'embedded')
    >>> result.records()
    [{'drug': 'drug-x', 'name': 'Drug X'}]
    """

    columns: list[str]
    rows: list[list[Any]]
    backend: str = ""
    counters: dict[str, int] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` dicts."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# -- JSON ---------------------------------------------------------------------------

def _node_key(node: Node | None):
    if node is None:
        return None
    return node.properties.get("id", node.element_id) if node.properties or node.labels else None


def to_plain(value: Any) -> Any:
    """A JSON-ready form of a result value (see the module docstring).

    Parameters
    ----------
    value : object
        A value from a result's rows.

    Returns
    -------
    object
        A node as ``{"labels", "properties"}``, a relationship as ``{"type", "start",
        "end", "properties"}``, a path as ``{"nodes", "relationships"}``, a temporal
        value as its ISO 8601 text; lists and maps hold plain values.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> node = run_query("MATCH (d:Drug) RETURN d", graph=g).rows[0][0]
    >>> to_plain(node)["properties"]["aliases"]
    ['DX', 'X-101']
    """
    if isinstance(value, Node):
        return {"labels": list(value.labels), "properties": to_plain(value.properties)}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": _node_key(value.start), "end": _node_key(value.end),
                "properties": to_plain(value.properties)}
    if isinstance(value, Path):
        return {"nodes": [to_plain(n) for n in value.nodes],
                "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class _Answer(Protocol):
    """What :func:`result_json` reads: a :class:`Result` or a ``mechgraph.QueryResult``."""

    @property
    def columns(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Sequence[Sequence[Any]]: ...
    @property
    def backend(self) -> str: ...
    @property
    def counters(self) -> Mapping[str, int]: ...


def result_json(result: _Answer) -> dict:
    """A query's result as JSON-ready data (the ``query --json`` shape).

    Parameters
    ----------
    result : Result
        What ``run_query`` returned.

    Returns
    -------
    dict
        ``{"backend", "columns", "rows": [{column: value}], "counters"?}``, values as
        :func:`to_plain` gives them.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> result_json(run_query("MATCH (d:Drug) RETURN d.name AS name", graph=g))
    {'backend': 'embedded', 'columns': ['name'], 'rows': [{'name': 'Drug X'}]}
    """
    out: dict[str, Any] = {"backend": result.backend, "columns": list(result.columns),
           "rows": [{c: to_plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]}
    if result.counters:
        out["counters"] = dict(result.counters)
    return out
