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
from pathlib import Path

from ..atomic import write_text
from ..constants import ENTITY_TYPES, PREDICATES, STUDY_TYPES
from ..errors import CurationError, InvalidGraph
from ..model import Assertion, Entity, Finding, Intervention, Model, Quantity, Source
from . import records

#: the ``graph.format`` value that marks a mechgraph node-link file
FORMAT = "mechgraph-node-link"
FORMAT_VERSION = 1


def to_nodelink(graph) -> dict:
    """The node-link document of a graph as a dict."""
    m = graph.model
    edges = []
    for assertion_id in records.assertion_ids(graph):
        record = records.assertion_record(graph, assertion_id)
        edge = {"source": record.pop("source"), "target": record.pop("target"), "key": record.pop("id")}
        edge.update(record)
        edges.append(edge)
    return {
        "directed": True,
        "multigraph": True,
        "graph": {
            "name": records.GRAPH_NAME,
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "sources": [records.source_record(m.sources[s]) for s in sorted(m.sources)],
            "findings": [records.finding_record(m.findings[f]) for f in sorted(m.findings)],
        },
        "nodes": [records.entity_record(graph, e) for e in records.entity_ids(graph)],
        "edges": edges,
    }


def write_nodelink(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as node-link JSON at ``path`` (atomically); return ``[path]``."""
    return [write_text(path, json.dumps(to_nodelink(graph), ensure_ascii=False, indent=1) + "\n")]


def read_nodelink(path: str | Path) -> Model:
    """Read a node-link JSON file written by :func:`write_nodelink` into a Model.

    Raises InvalidGraph (with the file and what is wrong) when the file is not such a document.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidGraph([CurationError(str(path), None, f"cannot read: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise InvalidGraph([CurationError(str(path), exc.lineno, f"malformed JSON: {exc.msg}")]) from None
    return from_nodelink(data, str(path))


def from_nodelink(data: dict, file: str = "<node-link>") -> Model:
    """The Model of a node-link document (see :func:`read_nodelink`)."""
    errors: list[CurationError] = []

    def fail(message: str) -> None:
        errors.append(CurationError(file, None, message))

    if not isinstance(data, dict) or not all(isinstance(data.get(k), list) for k in ("nodes", "edges")):
        raise InvalidGraph([CurationError(file, None, "not a node-link document (no 'nodes' and 'edges' lists)")])
    meta = data.get("graph") if isinstance(data.get("graph"), dict) else {}
    model = Model(root=file)
    for i, item in enumerate(meta.get("sources") or []):
        try:
            source = Source(**{**item, "authors": tuple(item.get("authors") or ())})
        except TypeError as exc:
            fail(f"graph.sources[{i}]: {exc}")
            continue
        model.sources[source.id] = source
    for i, item in enumerate(meta.get("findings") or []):
        try:
            finding = _finding(item)
        except (TypeError, KeyError, AttributeError) as exc:
            fail(f"graph.findings[{i}]: {exc}")
            continue
        if finding.study_type not in STUDY_TYPES:
            fail(f"graph.findings[{i}]: unknown study type {finding.study_type!r}")
            continue
        model.findings[finding.id] = finding
    for i, item in enumerate(data["nodes"]):
        if not isinstance(item, dict) or "id" not in item:
            fail(f"nodes[{i}]: a node needs an 'id'")
            continue
        kind = item.get("type", "NamedThing")
        if kind not in ENTITY_TYPES:
            fail(f"nodes[{i}]: unknown entity type {kind!r}")
            continue
        model.entities[str(item["id"])] = Entity(
            id=str(item["id"]), type=kind, name=str(item.get("name") or item["id"]),
            name_zh=str(item.get("name_zh") or ""), aliases=tuple(item.get("aliases") or ()),
            xrefs={str(k): str(v) for k, v in (item.get("xrefs") or {}).items()},
            description=str(item.get("description") or ""), description_zh=str(item.get("description_zh") or ""))
    for i, item in enumerate(data["edges"]):
        if not isinstance(item, dict) or not all(k in item for k in ("source", "target", "key")):
            fail(f"edges[{i}]: an edge needs 'source', 'target' and 'key'")
            continue
        predicate = item.get("predicate", "related_to")
        if predicate not in PREDICATES:
            fail(f"edges[{i}]: unknown predicate {predicate!r}")
            continue
        for end in ("source", "target"):
            if item[end] not in model.entities:
                fail(f"edges[{i}]: {end} {item[end]!r} is not a node")
        model.assertions[str(item["key"])] = Assertion(
            id=str(item["key"]), subject=str(item["source"]), predicate=predicate, object=str(item["target"]),
            supporting=tuple(item.get("supporting") or ()), refuting=tuple(item.get("refuting") or ()),
            context={str(k): tuple(v) for k, v in (item.get("context") or {}).items()},
            note=str(item.get("note") or ""))
    if errors:
        raise InvalidGraph(errors)
    return model


def _finding(item: dict) -> Finding:
    fields = dict(item)
    fields.pop("level", None)
    fields["interventions"] = tuple(Intervention(**i) for i in fields.get("interventions") or ())
    fields["quantities"] = tuple(Quantity(**q) for q in fields.get("quantities") or ())
    for key in ("locator", "cites", "species", "about"):
        fields[key] = tuple(fields.get(key) or ())
    return Finding(**fields)
