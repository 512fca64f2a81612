"""CX2, the Cytoscape Exchange format version 2: opened by Cytoscape desktop (3.10 and later,
File > Import > Network from File) and uploaded to NDEx as it is.

A CX2 document is a JSON list of aspects: ``CXVersion``, ``metaData`` (element counts),
``attributeDeclarations`` (the type of every attribute), ``networkAttributes``, ``nodes``
and ``edges``, and ``status``. CX2 ids are integers, so entities are numbered in sorted id
order and assertions likewise; the mechgraph ids stay in the ``entity`` and ``assertion``
attributes. Nodes are named by ``name`` (Cytoscape's label), edges carry their predicate as
``interaction`` (Cytoscape's edge label) and every assertion is an edge of its own, parallel
ones included. ``score`` is a ``double``; lists of names (aliases, species, supporting and
refuting finding ids, pathway) are ``list_of_string``; mappings and the findings in full
(``xrefs``, ``context``, ``evidence``, ``findings``, the graph's ``sources``) are JSON text.
Every declared attribute is written on every element, empty ones included. A small sample
(attributes abridged)::

    [{"CXVersion": "2.0", "hasFragments": false},
     {"metaData": [{"name": "attributeDeclarations", "elementCount": 1}, ...,
                   {"name": "nodes", "elementCount": 5}, {"name": "edges", "elementCount": 6}]},
     {"attributeDeclarations": [{"networkAttributes": {"name": {"d": "string"}, ...},
                                 "nodes": {"entity": {"d": "string"}, "aliases": {"d": "list_of_string"}, ...},
                                 "edges": {"interaction": {"d": "string"}, "score": {"d": "double"}, ...}}]},
     {"networkAttributes": [{"name": "mechgraph", "description": "...", "sources": "[...]"}]},
     {"nodes": [{"id": 0, "v": {"entity": "behaviour-b", "name": "Behaviour B", "aliases": [], ...}}, ...]},
     {"edges": [{"id": 0, "s": 1, "t": 3, "v": {"interaction": "antagonizes",
                                                "assertion": "a-x-antagonizes-r", "score": 0.5, ...}}, ...]},
     {"status": [{"error": "", "success": true}]}]

Read it with ``ndex2.cx2.CX2Network().create_from_raw_cx2(path)`` (the Cytoscape team's
Python library), or upload it with ``ndex2.client.Ndex2(...).save_new_cx2_network(doc)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from pathlib import Path

from ..atomic import write_chunks
from ..store.recordfile import in_id_order, passing
from . import records

CX_VERSION = "2.0"
#: node attribute -> CX2 data type, in the order written
NODE_TYPES: dict[str, str] = {
    "entity": "string", "name": "string", "type": "string", "category": "string", "name_zh": "string",
    "aliases": "list_of_string", "xrefs": "string", "description": "string", "description_zh": "string",
    "findings": "string"}
#: edge attribute -> CX2 data type, in the order written
EDGE_TYPES: dict[str, str] = {
    "interaction": "string", "assertion": "string", "predicate": "string", "biolink_predicate": "string",
    "sign": "string", "relation": "string", "level": "string", "score": "double",
    "species": "list_of_string", "supporting": "list_of_string", "refuting": "list_of_string",
    "context": "string", "pathway": "list_of_string", "note": "string", "evidence": "string"}
#: network attribute -> CX2 data type
NETWORK_TYPES: dict[str, str] = {"name": "string", "description": "string", "sources": "string"}
DESCRIPTION = ("An evidence-annotated mechanism graph: entities and the assertions between them, "
               "each with its findings.")


def to_cx2(graph) -> list[dict]:
    """The CX2 document of a graph: a list of aspects, ready for ``json.dump``.

    >>> from mechgraph import MechGraph
    >>> doc = to_cx2(MechGraph.load())
    >>> doc[0], [next(iter(aspect)) for aspect in doc[1:]]
    ({'CXVersion': '2.0', 'hasFragments': False}, ['metaData', 'attributeDeclarations', \
'networkAttributes', 'nodes', 'edges', 'status'])
    """
    return _document(graph, list)


def _document(graph, listed) -> list[dict]:
    """The CX2 document, its nodes and edges made by ``listed`` (``list``, or ``iter`` to
    make each element as it is written, the network's sources too)."""
    m = graph.model
    about = records.findings_about(graph)
    entity_ids = records.entity_ids(graph)
    number = {entity_id: i for i, entity_id in enumerate(entity_ids)}

    def nodes():
        for entity_id in passing(entity_ids, m.entities, m.findings):
            record = records.entity_record(graph, entity_id)
            record["entity"] = record.pop("id")
            record["findings"] = [records.finding_record(m.findings[f]) for f in about.get(entity_id, ())]
            yield {"id": number[entity_id], "v": _values(record, NODE_TYPES)}

    def edges():
        for i, record in enumerate(records.assertion_records(graph)):
            assertion_id = record["id"]
            source, target = number[record.pop("source")], number[record.pop("target")]
            record["assertion"] = record.pop("id")
            record["interaction"] = record["predicate"]
            record["evidence"] = records.evidence_of(graph, assertion_id)
            yield {"id": i, "s": source, "t": target, "v": _values(record, EDGE_TYPES)}
    sources = (records.source_record(s) for s in in_id_order(m.sources))
    network = _values({"name": records.GRAPH_NAME, "description": DESCRIPTION,
                       "sources": [] if listed is iter else list(sources)}, NETWORK_TYPES)
    if listed is iter:
        network["sources"] = _Later(sources)
    declarations = {"networkAttributes": _declare(NETWORK_TYPES), "nodes": _declare(NODE_TYPES),
                    "edges": _declare(EDGE_TYPES)}
    return [
        {"CXVersion": CX_VERSION, "hasFragments": False},
        {"metaData": [{"name": "attributeDeclarations", "elementCount": 1},
                      {"name": "networkAttributes", "elementCount": 1},
                      {"name": "nodes", "elementCount": len(entity_ids)},
                      {"name": "edges", "elementCount": len(m.assertions)}]},
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": [network]},
        {"nodes": listed(nodes())},
        {"edges": listed(edges())},
        {"status": [{"error": "", "success": True}]},
    ]


def write_cx2(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as CX2 at ``path`` (atomically); return ``[path]``. Each node and
    edge is made as it is written: what :func:`to_cx2` gives, never held whole."""
    return [write_chunks(path, _lines(_document(graph, iter)))]


def _declare(types: dict[str, str]) -> dict[str, dict[str, str]]:
    return {name: {"d": kind} for name, kind in types.items()}


def _values(record: dict, types: dict[str, str]) -> dict:
    """A record's attributes in the declared order, each of its declared type."""
    out: dict[str, object] = {}
    for name, kind in types.items():
        value = record.get(name)
        if kind == "list_of_string":
            out[name] = [str(v) for v in value or ()]
        elif kind == "double":
            out[name] = float(value or 0)
        elif isinstance(value, (list, dict)):
            out[name] = records.as_json(value)
        else:
            out[name] = "" if value is None else str(value)
    return out


def _lines(doc: list[dict]) -> Iterator[str]:
    """The document's lines, one aspect element per line (readable, diffable, and still
    small), an aspect's elements made as they are written."""
    yield "[\n"
    for i, aspect in enumerate(doc):
        after = "," if i < len(doc) - 1 else ""
        name, elements = next(iter(aspect.items()))
        if len(aspect) > 1 or name in ("metaData", "attributeDeclarations", "status"):
            yield json.dumps(aspect, ensure_ascii=False) + after + "\n"
            continue
        yield f'{{"{name}":[\n'
        items = iter(elements)
        item = next(items, _END)
        while item is not _END:
            following = next(items, _END)
            yield "  "
            yield from _element(item)
            yield ("," if following is not _END else "") + "\n"
            item = following
        yield "]}" + after + "\n"
    yield "]\n"


class _Later:
    """A list whose JSON text is an attribute's value, written an item at a time."""

    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


def _element(item: Any) -> Iterator[str]:
    """An element's JSON text; a :class:`_Later` value is written as the JSON string of
    ``records.as_json`` of its items, made one item at a time (escaping a string's pieces
    one by one gives the whole string's escaping)."""
    later = next((key for key, value in item.items() if isinstance(value, _Later)), None)
    if later is None:
        yield json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        return
    head, tail = json.dumps({**item, later: _PLACE}, ensure_ascii=False, separators=(",", ":")).split(_PLACE_TEXT)
    yield head + "["
    for number, value in enumerate(item[later].items):
        yield ("," if number else "") + json.dumps(records.as_json(value), ensure_ascii=False)[1:-1]
    yield "]" + tail


#: the end of an aspect's elements
_END = object()
#: what stands for a _Later value until its text is written, and that text within quotes
_PLACE = "\x00later\x00"
_PLACE_TEXT = json.dumps(_PLACE)[1:-1]
