"""Node-link JSON (networkx's ``node_link_data`` shape), lossless: it reads back into the
same Model.

Nodes are entities, edges are assertions keyed by their id, and the graph attributes hold
every finding and source in full, so nothing of the evidence is lost. Nodes, edges,
findings and sources are sorted by id. A small sample::

    {
      "directed": true,
      "multigraph": true,
      "graph": {"name": "mechgraph", "format": "mechgraph-node-link", "format_version": 1,
                "sources": [{"id": "toy-seed", "kind": "seed", ...}],
                "findings": [{"id": "f-x-blocks-r", "study_type": "animal_in_vivo",
                              "level": "animal_in_vivo", "species": ["mouse"], ...}]},
      "nodes": [{"id": "drug-x", "type": "Drug", "category": "biolink:Drug", "name": "Drug X", ...}],
      "edges": [{"source": "drug-x", "target": "receptor-r", "key": "a-x-antagonizes-r",
                 "predicate": "antagonizes", "level": "animal_in_vivo", "score": 0.5,
                 "supporting": ["f-x-blocks-r"], "refuting": [], ...}]
    }

networkx reads it with ``nx.node_link_graph(data, edges="edges")``; :func:`read_nodelink`
reads it into a :class:`~mechgraph.model.Model`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import chain
from pathlib import Path

from ..curation import schema
from ..store import plain
from ..store.recordfile import in_id_order, passing
from ..atomic import write_chunks
from ..model.constants import PREDICATES
from ..errors import CurationError, InvalidGraph, quote
from ..model.core import Assertion, Entity, Finding, Model, Source
from ..model.relations import RELATION_CLASSES, derive_relation
from . import records
from .jsonstream import Lazy, pieces

#: the ``graph.format`` value that marks a mechgraph node-link file
FORMAT = "mechgraph-node-link"
FORMAT_VERSION = 1


def to_nodelink(graph) -> dict:
    """The node-link document of a graph as a dict."""
    return _document(graph, list)


def _document(graph, listed) -> dict:
    """The node-link document, its long lists made by ``listed`` (``list``, or
    :class:`~mechgraph.io.jsonstream.Lazy` to make each item as it is written)."""
    m = graph.model

    def edges():
        for record in records.assertion_records(graph):
            edge = {"source": record.pop("source"), "target": record.pop("target"), "key": record.pop("id")}
            edge.update(record)
            yield edge
    return {
        "directed": True,
        "multigraph": True,
        "graph": {
            "name": records.GRAPH_NAME,
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "sources": listed(records.source_record(s) for s in in_id_order(m.sources)),
            "findings": listed(records.finding_record(f) for f in in_id_order(m.findings)),
        },
        "nodes": listed(records.entity_record(graph, e) for e in passing(records.entity_ids(graph), m.entities)),
        "edges": listed(edges()),
    }


def write_nodelink(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as node-link JSON at ``path`` (atomically); return ``[path]``. Each
    record is made as it is written: what :func:`to_nodelink` gives, never held whole."""
    return [write_chunks(path, chain(pieces(_document(graph, Lazy)), ["\n"]))]


def read_nodelink(path: str | Path) -> Model:
    """Read a node-link JSON file written by :func:`write_nodelink` into a Model.

    Raises InvalidGraph (with the file and what is wrong) when the file is not such a
    document: malformed JSON, a record whose fields have the wrong types, an unknown
    type, predicate or study type, or a reference to a node, finding or source that is
    not in the file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidGraph([CurationError(str(path), None, f"the file has {size:,} bytes; at most {MAX_BYTES:,} "
                                                               f"are read")])
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidGraph([CurationError(str(path), None, f"cannot read: {getattr(exc, 'strerror', None) or exc}")]) \
            from None
    except json.JSONDecodeError as exc:
        raise InvalidGraph([CurationError(str(path), exc.lineno, f"malformed JSON: {exc.msg}")]) from None
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits, nesting past the parser's limit
        raise InvalidGraph([CurationError(str(path), None, f"malformed JSON: {quote(str(exc))}")]) from None
    return from_nodelink(data, str(path))


#: the largest node-link file read (bytes)
MAX_BYTES = 1 << 30
#: node and edge keys that are written for readers and computed again on reading
_NODE_EXTRAS = frozenset({"category"})
_EDGE_EXTRAS = frozenset({"source", "target", "key", "biolink_predicate", "sign", "level", "score", "species",
                          "relation"})


def from_nodelink(data: dict, file: str = "<node-link>") -> Model:
    """The Model of a node-link document (see :func:`read_nodelink`).

    Records are checked against :mod:`mechgraph.curation.schema`, as the YAML reader checks them,
    so a graph one refuses the other refuses with the same messages; a record's position
    (``nodes[3]``) stands in for the line a node-link file does not have."""
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) for k in ("nodes", "edges")):
        raise InvalidGraph([CurationError(file, None, "not a node-link document (no 'nodes' and 'edges' lists)")])
    reading = _Reading(file)
    graph = data.get("graph")
    meta = graph if isinstance(graph, dict) else {}
    for section, cls, ignore in (("sources", Source, frozenset()), ("findings", Finding, frozenset({"level"}))):
        items = meta.get(section) or []
        if not isinstance(items, list):
            reading.fail(f"graph.{section} must be a list")
            continue
        for i, item in enumerate(items):
            reading.keep(section, reading.record(cls, item, ignore, f"graph.{section}[{i}]"), f"graph.{section}[{i}]")
    for i, item in enumerate(data["nodes"]):
        reading.node(item, f"nodes[{i}]")
    for i, item in enumerate(data["edges"]):
        reading.edge(item, i)
    model = reading.model
    for problem in schema.reference_problems(model) + schema.evidence_problems(model):
        reading.fail(problem.message, reading.places.get(id(problem.record), ""))
    if reading.errors:
        raise InvalidGraph(reading.errors)
    return model


class _Reading:
    """One node-link document being read: the model so far, where each record came from,
    and the problems found."""

    def __init__(self, file: str):
        self.file, self.model = file, Model(root=file)
        self.errors: list[CurationError] = []
        self.places: dict[int, str] = {}

    def fail(self, message: str, place: str = "") -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(CurationError(self.file, None, message, place))

    def record(self, cls: type, fields, ignore: frozenset, place: str):
        """The record of class ``cls`` from its plain fields, or None (reported) when they do not fit."""
        try:
            return plain.from_dict(cls, fields, ignore=ignore)
        except ValueError as exc:
            self.fail(str(exc), place)
            return None

    def keep(self, section: str, record, place: str, duplicate: str = "id") -> None:
        if record is None:
            return
        for problem in schema.value_problems(section, record):
            self.fail(problem.message, place)
        target = getattr(self.model, section)
        if record.id in target:
            self.fail(f"duplicate {duplicate} {quote(record.id)}", place)
        else:
            target[record.id] = record
            self.places[id(record)] = place

    def node(self, item, place: str) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            self.fail("a node needs an 'id' (text)", place)
            return
        fields = {"type": "NamedThing", "name": item["id"], "name_zh": "", **item}
        self.keep("entities", self.record(Entity, fields, _NODE_EXTRAS, place), place)

    def edge(self, item, i: int) -> None:
        place = f"edges[{i}]"
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("source", "target", "key")):
            self.fail("an edge needs 'source', 'target' and 'key'", place)
            return
        fields = {**item, "id": item["key"], "subject": item["source"], "object": item["target"],
                  "predicate": item.get("predicate", "related_to")}
        assertion = self.record(Assertion, fields, _EDGE_EXTRAS, place)
        if assertion is not None and assertion.predicate in PREDICATES:
            assertion = _stated_relation(self.model, assertion, item.get("relation"), self.fail, i)
        self.keep("assertions", assertion, place, duplicate="key")


#: the most errors reported for one file
MAX_ERRORS = 50


def _stated_relation(model: Model, assertion: Assertion, written, fail, i: int) -> Assertion:
    """The assertion with the relation class the file states, kept only where it differs
    from the one its predicate and entity types give (which is what the writer wrote)."""
    if written is None:
        return assertion
    if not isinstance(written, str) or written not in RELATION_CLASSES:
        fail(f"unknown relation class {quote(written)}", f"edges[{i}]")
        return assertion
    subject, obj = model.entities.get(assertion.subject), model.entities.get(assertion.object)
    derived = derive_relation(assertion.predicate, subject.type if subject else "", obj.type if obj else "")
    return assertion if written == derived else replace(assertion, relation=written)
