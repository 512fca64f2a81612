"""The Cypher corpus (queries.yaml) and how answers from different backends are compared.

Two answers are the same when they have the same columns and the same rows: in the same
order when the query sorts on a unique key (``ordered``), as multisets otherwise. Values
compare by content: a node by its labels and properties, a relationship by its type and
properties, a path by its nodes and relationships, floats to nine decimals, and lists in
``unordered_lists`` columns (collect(), labels()) as multisets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mechgraph.cypher.values import Node, Path as GraphPath, Relationship, Result

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Query:
    id: str
    description: str
    query: str
    params: dict = field(default_factory=dict)
    ordered: bool = False
    unordered_lists: tuple[str, ...] = ()
    refused_by: tuple[str, ...] = ()
    expect_rows: list | None = None
    expect_contains: list | None = None


def load_corpus() -> list[Query]:
    data = yaml.safe_load((HERE / "queries.yaml").read_text(encoding="utf-8"))
    return [Query(id=q["id"], description=q["description"], query=q["query"], params=q.get("params") or {},
                  ordered=bool(q.get("ordered")), unordered_lists=tuple(q.get("unordered_lists") or ()),
                  refused_by=tuple(q.get("refused_by") or ()), expect_rows=q.get("expect_rows"),
                  expect_contains=q.get("expect_contains"))
            for q in data]


def _canon(value, unordered: bool = False):
    if isinstance(value, Node):
        return ("node", tuple(sorted(value.labels)), _canon(value.properties))
    if isinstance(value, Relationship):
        return ("rel", value.type, _canon(value.properties))
    if isinstance(value, GraphPath):
        return ("path", tuple(_canon(n) for n in value.nodes), tuple(_canon(r) for r in value.relationships))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _canon(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        items = [_canon(v) for v in value]
        return ("list", tuple(sorted(items, key=repr) if unordered else items))
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return ("float", round(value, 9))
    return ("other", repr(value))


def normalise(result: Result, query: Query):
    """A comparable form of a Result for this query."""
    rows = [tuple(_canon(v, c in query.unordered_lists) for c, v in zip(result.columns, row, strict=True))
            for row in result.rows]
    if not query.ordered:
        rows.sort(key=repr)
    return tuple(result.columns), rows


def plain_rows(result: Result) -> list[dict]:
    """Rows as dicts of plain values (graph values as their id), for expectations."""
    def plain(v):
        if isinstance(v, (Node, Relationship)):
            return v.properties.get("id")
        return v
    return [{c: plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]
