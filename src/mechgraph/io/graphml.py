"""GraphML: entities as nodes, assertions as edges, with typed attributes and evidence.

Strings stay strings, the score is a ``double``; lists and mappings (aliases, xrefs,
species, finding ids, context, and the full findings under ``evidence`` and ``findings``)
are JSON text in ``string`` attributes. An empty string is left out, so a missing
attribute reads as empty. Nodes and edges are sorted by id, so the same graph gives the
same bytes. A small sample::

    <key id="e_score" for="edge" attr.name="score" attr.type="double"/>
    <node id="drug-x">
      <data key="n_type">Drug</data>
      <data key="n_aliases">["DX","X-101"]</data>
    </node>
    <edge id="a-x-antagonizes-r" source="drug-x" target="receptor-r">
      <data key="e_predicate">antagonizes</data>
      <data key="e_score">0.5</data>
      <data key="e_evidence">[{"id":"f-x-blocks-r","source":"toy-seed",...}]</data>
    </edge>

Read it back with ``networkx.read_graphml(path, force_multigraph=True)`` and
``json.loads`` on the list-valued attributes.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_chunks
from ..store.recordfile import passing
from . import records
from .xmltext import attr, text, typed

#: GraphML key declarations: (scope, name, type) in file order
NODE_KEYS = [(name, "string") for name in records.ENTITY_FIELDS] + [("findings", "string")]
EDGE_KEYS = [(name, "double" if name == "score" else "string") for name in records.ASSERTION_FIELDS] \
    + [("evidence", "string")]
GRAPH_KEYS = [("name", "string"), ("sources", "string")]
_PREFIX = {"graph": "g", "node": "n", "edge": "e"}


def write_graphml(graph, path: str | Path) -> list[Path]:
    """Write ``graph`` as GraphML at ``path`` (atomically); return ``[path]``."""
    return [write_chunks(path, generate_graphml(graph))]


def generate_graphml(graph):
    """Yield the GraphML document in pieces."""
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    for scope, keys in (("graph", GRAPH_KEYS), ("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys:
            yield (f'  <key id="{_PREFIX[scope]}_{name}" for="{scope}" '
                   f'attr.name="{name}" attr.type="{kind}"/>\n')
    yield f'  <graph id="{records.GRAPH_NAME}" edgedefault="directed">\n'
    yield _data("g", "name", records.GRAPH_NAME, "    ")
    yield from _sources_data(graph)
    about = records.findings_about(graph)
    findings = graph.model.findings
    for entity_id in passing(records.entity_ids(graph), graph.model.entities, findings):
        record = records.entity_record(graph, entity_id)
        record["findings"] = [records.finding_record(findings[f]) for f in about.get(entity_id, ())]
        body = "".join(_data("n", name, record[name], "      ") for name, _ in NODE_KEYS)
        yield f"    <node id={attr(entity_id)}>\n{body}    </node>\n"
    for record in records.assertion_records(graph):
        assertion_id = record["id"]
        record["evidence"] = records.evidence_of(graph, assertion_id)
        body = "".join(_data("e", name, record[name], "      ") for name, _ in EDGE_KEYS)
        yield (f"    <edge id={attr(assertion_id)} source={attr(record['source'])} "
               f"target={attr(record['target'])}>\n{body}    </edge>\n")
    yield "  </graph>\n</graphml>\n"


def _sources_data(graph):
    """The graph's ``sources`` element: what ``_data`` writes for the list of every source's
    record, made a source at a time (a big graph cites a million and more)."""
    sources = graph.model.sources
    yield '    <data key="g_sources">['
    for number, source_id in enumerate(passing(sorted(sources), sources)):
        yield ("," if number else "") + text(records.as_json(records.source_record(sources[source_id])))
    yield "]</data>\n"


def _data(prefix: str, name: str, value, indent: str) -> str:
    _, value_text = typed(value)
    if value_text == "":
        return ""
    return f'{indent}<data key="{prefix}_{name}">{text(value_text)}</data>\n'
