"""GEXF 1.3 (Gephi): entities as nodes labelled by name, assertions as edges labelled by
predicate, with typed attributes and evidence.

Each edge has a ``weight`` (its evidence score) and a ``kind``: its predicate, or, where
two assertions share source, target and predicate (esketamine's and R-ketamine's context,
supporting and refuting pairs), the predicate and the assertion id. Gephi merges parallel
edges of one kind, so every assertion stays an edge of its own.

Attributes are declared once per class; the score is a ``double``, everything else a
``string``, with lists and mappings (aliases, xrefs, species, finding ids, context, and
the full findings under ``evidence`` and ``findings``) as JSON text. Every attribute is
written, empty strings included. Nodes and edges are sorted by id and there is no
timestamp, so the same graph gives the same bytes. A small sample::

    <attribute id="score" title="score" type="double"/>
    <node id="drug-x" label="Drug X">
      <attvalues>
        <attvalue for="type" value="Drug"/>
        <attvalue for="aliases" value="[&quot;DX&quot;,&quot;X-101&quot;]"/>
      </attvalues>
    </node>
    <edge id="a-x-antagonizes-r" source="drug-x" target="receptor-r" label="antagonizes"
          kind="antagonizes" weight="0.5">

Read it back with ``networkx.read_gexf(path)``.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_chunks
from ..store.recordfile import one_pass, passing
from . import records
from .graphml import EDGE_KEYS, NODE_KEYS
from .xmltext import attr, typed


def write_gexf(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as GEXF 1.3 at ``path`` (atomically); return ``[path]``."""
    return [write_chunks(path, generate_gexf(graph))]


def generate_gexf(graph):
    """Yield the GEXF document in pieces."""
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<gexf xmlns="http://gexf.net/1.3" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" '
           'version="1.3">\n'
           f'  <meta>\n    <creator>{records.GRAPH_NAME}</creator>\n'
           '    <description>An evidence-annotated mechanism graph: entities and the assertions '
           'between them, each with its findings.</description>\n  </meta>\n'
           '  <graph defaultedgetype="directed" mode="static">\n')
    for scope, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        yield f'    <attributes class="{scope}" mode="static">\n'
        for name, kind in keys:
            yield f'      <attribute id="{name}" title="{name}" type="{kind}"/>\n'
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    about = records.findings_about(graph)
    findings = graph.model.findings
    for entity_id in passing(records.entity_ids(graph), graph.model.entities, findings):
        record = records.entity_record(graph, entity_id)
        record["findings"] = [records.finding_record(findings[f]) for f in about.get(entity_id, ())]
        yield (f"      <node id={attr(entity_id)} label={attr(record['name'])}>\n"
               f"{_attvalues(record, NODE_KEYS)}      </node>\n")
    yield "    </nodes>\n    <edges>\n"
    shared = _shared_triples(graph)
    for record in records.assertion_records(graph):
        assertion_id = record["id"]
        record["evidence"] = records.evidence_of(graph, assertion_id)
        triple = (record["source"], record["target"], record["predicate"])
        kind = f"{record['predicate']}:{assertion_id}" if triple in shared else record["predicate"]
        yield (f"      <edge id={attr(assertion_id)} source={attr(record['source'])} "
               f"target={attr(record['target'])} label={attr(record['predicate'])} kind={attr(kind)} "
               f"weight={attr(repr(float(record['score'])))}>\n"
               f"{_attvalues(record, EDGE_KEYS)}      </edge>\n")
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _shared_triples(graph) -> set[tuple[str, str, str]]:
    """(subject, object, predicate) of the assertions that share them with another."""
    seen: dict[tuple[str, str, str], int] = {}
    for a in one_pass(graph.model.assertions):
        triple = (a.subject, a.object, a.predicate)
        seen[triple] = seen.get(triple, 0) + 1
    return {t for t, n in seen.items() if n > 1}


def _attvalues(record: dict, keys) -> str:
    rows = "".join(f'          <attvalue for="{name}" value={attr(typed(record[name])[1])}/>\n'
                   for name, _ in keys)
    return f"        <attvalues>\n{rows}        </attvalues>\n"
