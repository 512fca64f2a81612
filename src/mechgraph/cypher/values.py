"""Query results as every backend returns them, and their renderings: a table, JSON, CSV.

The embedded engine and the Bolt backends (Neo4j, FalkorDB) both answer with a
:class:`Result` whose cells are None, booleans, numbers, strings, lists, maps, or the
graph values :class:`Node`, :class:`Relationship` and :class:`Path`. A node is shown by
its labels and mechgraph ``id`` (and name), a relationship by its type, ``id`` and ends,
a path as a chain::

    (:Entity:Drug {id: 'esketamine', name: 'Esketamine'})
    (esketamine)-[:ANTAGONIZES {id: 'a-esketamine-antagonizes-nmdar'}]->(nmdar)
    (glun2b)-[:PART_OF]->(nmdar)

In JSON a node is ``{"labels": [...], "properties": {...}}``, a relationship
``{"type", "start", "end", "properties"}`` (``start`` and ``end`` are the end nodes'
``id`` properties, null when the server did not send them) and a path
``{"nodes": [...], "relationships": [...]}``. Temporal values (dates, times, durations)
are their ISO 8601 text everywhere: ``2015-07-21``, ``12:31:14.645876123+01:00``,
``P1Y2M3DT4H``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from .temporal.values import Temporal


@dataclass(frozen=True, eq=False)
class Node:
    """A node: an identity local to its backend, labels and properties."""

    element_id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(default_factory=dict)

    def __eq__(self, other):
        return isinstance(other, Node) and self.element_id == other.element_id

    def __hash__(self):
        return hash(("node", self.element_id))


@dataclass(frozen=True, eq=False)
class Relationship:
    """A relationship; ``start`` and ``end`` are its end nodes (None when unknown)."""

    element_id: str
    type: str
    properties: dict[str, Any] = field(default_factory=dict)
    start: Node | None = None
    end: Node | None = None

    def __eq__(self, other):
        return isinstance(other, Relationship) and self.element_id == other.element_id

    def __hash__(self):
        return hash(("rel", self.element_id))


@dataclass(frozen=True)
class Path:
    """Nodes and the relationships between them, ``len(nodes) == len(relationships) + 1``."""

    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass
class Result:
    """Column names, rows (lists of values), the backend that answered, and write counters."""

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
    """A JSON-ready form of a result value (see the module docstring)."""
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


def result_json(result: Result) -> dict:
    """``{"backend", "columns", "rows": [{column: value}], "counters"?}``."""
    out = {"backend": result.backend, "columns": list(result.columns),
           "rows": [{c: to_plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]}
    if result.counters:
        out["counters"] = dict(result.counters)
    return out


# -- text -----------------------------------------------------------------------------

def _literal(value: Any) -> str:
    """A value as Cypher-like text: strings quoted, lists and maps in Cypher syntax."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                         ("Infinity" if value > 0 else "-Infinity"))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (Node, Relationship, Path)):
        return text(value)
    return str(value)


def _key(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[:1].isdigit() else "`" + name.replace("`", "``") + "`"


def _summary(properties: dict) -> dict:
    """The properties that identify a node or relationship in a table cell."""
    short = {k: properties[k] for k in ("id", "name") if k in properties}
    return short or properties


def _labels(node: Node) -> str:
    return "".join(f":{_key(label)}" for label in node.labels if label != "Mechgraph")


def _end(node: Node | None) -> str:
    if node is None or "id" not in node.properties:
        return "()"
    return f"({node.properties['id']})"


def text(value: Any) -> str:
    """A value as one line of text for a table cell."""
    if isinstance(value, Node):
        props = _summary(value.properties)
        return f"({_labels(value)}{' ' + _literal(props) if props else ''})"
    if isinstance(value, Relationship):
        props = {"id": value.properties["id"]} if "id" in value.properties else value.properties
        body = f"[:{_key(value.type)}{' ' + _literal(props) if props else ''}]"
        if value.start is None and value.end is None:
            return body
        return f"{_end(value.start)}-{body}->{_end(value.end)}"
    if isinstance(value, Path):
        parts = [_end(value.nodes[0]) if "id" in value.nodes[0].properties else text(value.nodes[0])]
        for before, rel, node in zip(value.nodes[:-1], value.relationships, value.nodes[1:], strict=True):
            hop = f"[:{_key(rel.type)}]"
            parts.append(f"<-{hop}-" if rel.start is not None and rel.start != before else f"-{hop}->")
            parts.append(_end(node) if "id" in node.properties else text(node))
        return "".join(parts)
    if isinstance(value, str):
        return value.replace("\n", "\\n")
    return _literal(value)


def table(result: Result) -> str:
    """An aligned plain-text table with a header and a row count."""
    header = list(result.columns)
    cells = [[text(v) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    if header:
        lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        lines.append("-+-".join("-" * w for w in widths))
        lines.extend(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    if result.counters:
        lines.append(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counters.items()))
    return "\n".join(lines)


def to_csv(result: Result) -> str:
    """CSV with a header; lists, maps and graph values as compact JSON text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else v if isinstance(v, (str, int, float)) and not isinstance(v, bool)
                         else str(v) if isinstance(v, Temporal)
                         else json.dumps(to_plain(v), ensure_ascii=False, separators=(",", ":"))
                         for v in row])
    return out.getvalue()
