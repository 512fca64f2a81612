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

import json
from pathlib import Path

from ..atomic import write_text
from . import records


def to_cytoscape(graph) -> dict:
    """The Cytoscape.js document of a graph as a dict."""
    m = graph.model
    about = records.findings_about(graph)
    nodes = []
    for entity_id in records.entity_ids(graph):
        record = records.entity_record(graph, entity_id)
        record["findings"] = [records.finding_record(m.findings[f]) for f in about.get(entity_id, ())]
        nodes.append({"data": record})
    edges = []
    for assertion_id in records.assertion_ids(graph):
        record = records.assertion_record(graph, assertion_id)
        element_id = f"edge:{assertion_id}" if assertion_id in m.entities else assertion_id
        data = {"id": element_id, "source": record.pop("source"), "target": record.pop("target"),
                "assertion": record.pop("id")}
        data.update(record)
        data["evidence"] = records.evidence_of(graph, assertion_id)
        edges.append({"data": data})
    return {
        "format_version": "1.0",
        "generated_by": records.GRAPH_NAME,
        "target_cytoscapejs_version": "~3.30",
        "data": {"name": records.GRAPH_NAME,
                 "sources": [records.source_record(m.sources[s]) for s in sorted(m.sources)]},
        "elements": {"nodes": nodes, "edges": edges},
    }


def write_cytoscape(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as Cytoscape.js JSON at ``path`` (atomically); return ``[path]``."""
    return [write_text(path, json.dumps(to_cytoscape(graph), ensure_ascii=False, indent=1) + "\n")]
