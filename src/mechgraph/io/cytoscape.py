"""Cytoscape.js elements JSON (also read by Cytoscape desktop as ``.cyjs``).

Every node and edge keeps its fields under ``data``; edges carry their findings in full
under ``evidence``, nodes the descriptive findings about them under ``findings``. Edge
ids are assertion ids (prefixed ``edge:`` in the rare case one equals an entity id, since
Cytoscape.js shares one id space). Sorted by id. A small sample::

    {
      "format_version": "1.0",
      "generated_by": "mechgraph",
      "target_cytoscapejs_version": "~3.30",
      "data": {"name": "mechgraph", "sources": [...]},
      "elements": {
        "nodes": [{"data": {"id": "drug-x", "name": "Drug X", "type": "Drug", ...}}],
        "edges": [{"data": {"id": "a-x-antagonizes-r", "source": "drug-x", "target": "receptor-r",
                            "assertion": "a-x-antagonizes-r", "predicate": "antagonizes",
                            "score": 0.5, "evidence": [{"id": "f-x-blocks-r", ...}], ...}}]
      }
    }

Load it with ``cytoscape({elements: doc.elements})`` or ``cy.json(doc)``.
"""

from __future__ import annotations

from itertools import chain
from pathlib import Path

from ..atomic import write_chunks
from ..store.recordfile import in_id_order, passing
from . import records
from .jsonstream import Lazy, pieces


def to_cytoscape(graph) -> dict:
    """The Cytoscape.js document of a graph as a dict."""
    return _document(graph, list)


def _document(graph, listed) -> dict:
    """The Cytoscape.js document, its long lists made by ``listed`` (``list``, or
    :class:`~mechgraph.io.jsonstream.Lazy` to make each item as it is written)."""
    m = graph.model
    about = records.findings_about(graph)

    def nodes():
        for entity_id in passing(records.entity_ids(graph), m.entities, m.findings):
            record = records.entity_record(graph, entity_id)
            record["findings"] = [records.finding_record(m.findings[f]) for f in about.get(entity_id, ())]
            yield {"data": record}

    def edges():
        for record in records.assertion_records(graph):
            assertion_id = record["id"]
            element_id = f"edge:{assertion_id}" if assertion_id in m.entities else assertion_id
            data = {"id": element_id, "source": record.pop("source"), "target": record.pop("target"),
                    "assertion": record.pop("id")}
            data.update(record)
            data["evidence"] = records.evidence_of(graph, assertion_id)
            yield {"data": data}
    return {
        "format_version": "1.0",
        "generated_by": records.GRAPH_NAME,
        "target_cytoscapejs_version": "~3.30",
        "data": {"name": records.GRAPH_NAME,
                 "sources": listed(records.source_record(s) for s in in_id_order(m.sources))},
        "elements": {"nodes": listed(nodes()), "edges": listed(edges())},
    }


def write_cytoscape(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as Cytoscape.js JSON at ``path`` (atomically); return ``[path]``. Each
    element is made as it is written: what :func:`to_cytoscape` gives, never held whole."""
    return [write_chunks(path, chain(pieces(_document(graph, Lazy)), ["\n"]))]
