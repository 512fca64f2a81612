"""The property-graph projection of a mechanism graph, shared by every Cypher backend.

Neo4j, FalkorDB, the embedded Cypher engine, the cypher-shell script and the
admin-import CSVs all see the same nodes and relationships, built here; and
:func:`to_model` turns them back into a :class:`~mechgraph.model.Model`, so that a
load followed by a read-back rebuilds the curated graph exactly.

Every node carries the label ``Mechgraph`` and a unique ``id``; every relationship
carries an ``id`` too (``MERGE`` works on ids). Property values are strings, numbers
or lists of strings or numbers; empty values are left out. ::

    (:Mechgraph:Entity:Drug {id: "esketamine", type: "Drug", category: "biolink:Drug",
        name, name_zh, aliases: [...], xrefs: ["CHEBI:60799", "MESH:C000629870"], description, ...})
    (:Mechgraph:Source {id: "seed-000", kind: "seed", title, authors: [...], year, ...})
    (:Mechgraph:Finding {id: "f-...", source: "seed-000", locator: ["p24.s2"],
        study_type, level, direction, statement, statement_zh, species: ["mouse"],
        drugs: ["esketamine"], doses: ["20 mg/kg"], routes: ["intraperitoneal"], timings: [""],
        n_groups: ["total"], n_counts: [40], cites: [...], about: [...], ...})
    (:Mechgraph:Quantity {id: "f-.../quantity/1", finding: "f-...", position: 1, name,
        value, unit, low, high, qualifiers: ["route:intranasal"]})

    (subject:Entity)-[:INCREASES_RELEASE {id: "a-...", predicate: "increases_release",
        sign: "+", level, score, species: [...], supporting: ["f-..."], refuting: [...],
        context_species: [...], context_brain_region: ["pfc"], note}]->(object:Entity)
    (:Finding)-[:EVIDENCE {id, assertion: "a-...", stance: "supporting"|"refuting",
        role: "subject"|"object"}]->(:Entity)        the assertion's two ends
    (:Finding)-[:TESTED {id, position, dose, route, timing}]->(:Entity)   interventions
    (:Finding)-[:ABOUT {id}]->(:Entity)
    (:Finding)-[:REPORTED_IN {id}]->(:Source)   and  -[:CITES {id, position}]->(:Source)
    (:Finding)-[:HAS_QUANTITY {id, position}]->(:Quantity)

An assertion is a relationship between two ``Entity`` nodes whose type is its
predicate in capitals; its findings are listed by id (a relationship cannot point at
a node) and linked to its two ends by ``EVIDENCE``. An entity's ``xrefs`` become its
CURIEs (``"HGNC:4584"``, one per identifier) and quantity qualifiers ``"key:value"``
lists, both split at the first colon; counts
(``n``) become the parallel lists ``n_groups`` and ``n_counts``. Node properties hold
every field, so the read-back needs only nodes and assertion relationships; the other
relationships are there to navigate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Iterable, Iterator

from .. import collector
from ..model.constants import CONTEXT_KEYS, ENTITY_TYPES, PREDICATES
from ..errors import MechgraphError
from ..model.core import Assertion, Entity, Finding, Intervention, Model, Quantity, Source
from ..model import xrefs as xref_model
from ..store.recordfile import in_id_order, positions_in_id_order

#: the label of every node mechgraph writes; ``load --wipe`` removes exactly these
MARKER = "Mechgraph"
#: labels of the four kinds of node
ENTITY, SOURCE, FINDING, QUANTITY = "Entity", "Source", "Finding", "Quantity"
KIND_LABELS: tuple[str, ...] = (SOURCE, ENTITY, FINDING, QUANTITY)
#: every label mechgraph may write
LABELS: frozenset[str] = frozenset((MARKER, *KIND_LABELS, *ENTITY_TYPES))
#: relationship types of the links from findings (the rest are predicates in capitals)
LINK_TYPES: tuple[str, ...] = ("EVIDENCE", "TESTED", "ABOUT", "REPORTED_IN", "CITES", "HAS_QUANTITY")
#: relationship type -> predicate
PREDICATE_OF_TYPE: dict[str, str] = {p.upper(): p for p in PREDICATES}
#: every relationship type mechgraph may write
REL_TYPES: frozenset[str] = frozenset((*PREDICATE_OF_TYPE, *LINK_TYPES))

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Node:
    """A node: its id, labels (``Mechgraph`` first) and primitive properties (``id`` included)."""

    id: str
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Relationship:
    """A relationship from node ``start`` to node ``end`` (ids), with primitive properties."""

    id: str
    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class PropertyGraph:
    """Nodes and relationships in a stable order (kind, then id)."""

    nodes: list[Node]
    relationships: list[Relationship]

    def grouped(self) -> tuple[dict[tuple[str, ...], list[Node]], dict[str, list[Relationship]]]:
        """Nodes by labels and relationships by type, each in order of appearance:
        the groups a loader writes with one statement each."""
        return dict(self.node_groups()), dict(self.relationship_groups())

    def node_groups(self) -> Iterator[tuple[tuple[str, ...], list[Node]]]:
        """``(labels, nodes)`` of each group of :meth:`grouped`."""
        nodes: dict[tuple[str, ...], list[Node]] = {}
        for node in self.nodes:
            nodes.setdefault(node.labels, []).append(node)
        return iter(nodes.items())

    def relationship_groups(self) -> Iterator[tuple[str, list[Relationship]]]:
        """``(type, relationships)`` of each group of :meth:`grouped`."""
        rels: dict[str, list[Relationship]] = {}
        for rel in self.relationships:
            rels.setdefault(rel.type, []).append(rel)
        return iter(rels.items())


def type_of_predicate(predicate: str) -> str:
    """The relationship type of a predicate.

    >>> type_of_predicate("increases_release")
    'INCREASES_RELEASE'
    """
    return checked_name(predicate.upper(), REL_TYPES, "relationship type")


def checked_name(name: str, vocabulary: Iterable[str], what: str) -> str:
    """``name`` when it belongs to ``vocabulary`` and is a plain identifier; raise otherwise."""
    if name not in vocabulary or not _NAME.match(name):
        raise MechgraphError(f"{name!r} is not a mechgraph {what}")
    return name


def escape_name(name: str) -> str:
    """A label, relationship type or property key quoted for Cypher.

    >>> escape_name("Drug"), escape_name("odd`name")
    ('`Drug`', '`odd``name`')
    """
    return "`" + name.replace("`", "``") + "`"


def _props(**values: Any) -> dict[str, Any]:
    """Keep the non-empty values, turning tuples into lists."""
    out = {}
    for key, value in values.items():
        if value is None or value == "" or value == () or value == []:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def _pairs(mapping: dict[str, str], what: str, owner: str) -> list[str]:
    for key in mapping:
        if ":" in key:
            raise MechgraphError(f"{owner}: {what} key {key!r} contains ':', which the property graph "
                                 f"uses to join keys and values")
    return [f"{k}:{v}" for k, v in sorted(mapping.items())]


def _xref_curies(e: Entity) -> list[str]:
    for prefix in e.xrefs:
        if ":" in prefix:
            raise MechgraphError(f"{e.id}: xref prefix {prefix!r} contains ':', which the property graph "
                                 f"uses to join prefixes and identifiers")
    return xref_model.curies(e.xrefs)


def _unpairs(items: Iterable[str]) -> dict[str, str]:
    return dict(item.split(":", 1) for item in items)


# -- the projection -------------------------------------------------------------

def project(graph) -> PropertyGraph:
    """The property graph of a :class:`~mechgraph.graph.MechGraph`.

    Derived values (an assertion's sign, level, score and species) come from the graph's
    topology (:meth:`~mechgraph.store.topology.Topology.edge_data`, the attributes of the
    networkx graph's edges without building it), so every backend answers with the numbers
    the rest of mechgraph shows.
    Each node and relationship is made by one of the functions below
    (:func:`source_node` ... :func:`evidence_relationship`), which the embedded engine's
    stored index (:mod:`mechgraph.cypher.stored`) calls too, one record at a time.

    >>> from mechgraph import MechGraph
    >>> pg = project(MechGraph.load("tests/data/example-graph"))
    >>> [n.labels for n in pg.nodes if n.id == "drug-x"]
    [('Mechgraph', 'Entity', 'Drug')]
    """
    with collector.paused():  # millions of nodes and relationships, none in a cycle
        return _project(graph)


def _project(graph) -> PropertyGraph:
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for item in project_items(graph):
        (rels if type(item) is Relationship else nodes).append(item)  # type: ignore[arg-type]
    rels.sort(key=lambda r: (r.type not in PREDICATE_OF_TYPE, r.id))
    return PropertyGraph(nodes, rels)


def project_items(graph) -> Iterator[Node | Relationship]:
    """The projection's nodes and relationships one at a time, as they are made: the nodes in
    :func:`project`'s order, the relationships before :func:`project` sorts them (by whether
    their type is an assertion's, then by id, stably). The graph's records are read one at a
    time too, so a stored graph is never held whole."""
    m = graph.model
    for s in in_id_order(m.sources):
        yield source_node(s)
    for e in in_id_order(m.entities):
        yield entity_node(e)
    for f in in_id_order(m.findings):
        yield finding_node(f)
        yield from _finding_links(f)
        for position, q in enumerate(f.quantities, 1):
            yield quantity_node(f, position, q)
            yield finding_link(f, "HAS_QUANTITY", position)
    data = graph.topology.edge_data  # edges in the model's assertion order
    # an assertion's relation reads its ends' entities; its edge record hands positions to the findings
    for position, a in positions_in_id_order(m.assertions, graph.topology.edge_map, m.entities, m.findings):
        yield assertion_relationship(m, a, data(position))
        for stance, fid, role in evidence_links(a):
            yield evidence_relationship(a, stance, fid, role)


def source_node(s: Source) -> Node:
    return Node(s.id, (MARKER, SOURCE), _props(
        id=s.id, kind=s.kind, title=s.title, title_zh=s.title_zh, authors=s.authors, year=s.year,
        journal=s.journal, volume=s.volume, pages=s.pages, xrefs=xref_model.curies(s.xrefs), file=s.file,
        cited_in=s.cited_in, ref=s.ref))


def entity_node(e: Entity) -> Node:
    label = checked_name(e.type, ENTITY_TYPES, "entity type")
    return Node(e.id, (MARKER, ENTITY, label), _props(
        id=e.id, type=e.type, category=ENTITY_TYPES[e.type], name=e.name, name_zh=e.name_zh,
        aliases=e.aliases, xrefs=_xref_curies(e), description=e.description,
        description_zh=e.description_zh))


def finding_node(f: Finding) -> Node:
    return Node(f.id, (MARKER, FINDING), _finding_props(f))


def quantity_node(f: Finding, position: int, q: Quantity) -> Node:
    """The node of the ``position``-th (from 1) quantity ``q`` of finding ``f``."""
    qid = f"{f.id}/quantity/{position}"
    return Node(qid, (MARKER, QUANTITY), _props(
        id=qid, finding=f.id, position=position, name=q.name, value=q.value, unit=q.unit,
        low=q.low, high=q.high, qualifiers=_pairs(q.qualifiers, "qualifier", qid)))


def assertion_relationship(m: Model, a: Assertion, data: dict) -> Relationship:
    """The relationship of assertion ``a``; ``data`` is its edge's attributes
    (:func:`mechgraph.store.build.edge_dict`: sign, level, score, species)."""
    context = {f"context_{key}": list(a.context[key]) for key in CONTEXT_KEYS if a.context.get(key)}
    return Relationship(a.id, type_of_predicate(a.predicate), a.subject, a.object, _props(
        id=a.id, predicate=a.predicate, sign=data["sign"], level=data["level"],
        score=float(data["score"]), species=list(data["species"]), supporting=a.supporting,
        refuting=a.refuting, **context, note=a.note, relation=m.relation_of(a), stated_relation=a.relation,
        pathway=a.pathway))


def evidence_links(a: Assertion) -> list[tuple[str, str, str]]:
    """``(stance, finding id, role)`` of each ``EVIDENCE`` relationship of assertion ``a``, in order."""
    out = []
    for stance, ids in (("supporting", a.supporting), ("refuting", a.refuting)):
        for fid in ids:
            for role in ("subject", "object"):
                if role == "object" and a.object == a.subject:
                    continue
                out.append((stance, fid, role))
    return out


def evidence_relationship(a: Assertion, stance: str, fid: str, role: str) -> Relationship:
    rid = f"{fid}/evidence/{a.id}/{role}"
    end = a.subject if role == "subject" else a.object
    return Relationship(rid, "EVIDENCE", fid, end, {"id": rid, "assertion": a.id, "stance": stance, "role": role})


def _finding_props(f: Finding) -> dict[str, Any]:
    items = f.interventions
    return _props(
        id=f.id, source=f.source, locator=f.locator, study_type=f.study_type, level=f.level,
        direction=f.direction, statement=f.statement, statement_zh=f.statement_zh, study=f.study,
        cites=f.cites, species=f.species, sex=f.sex, population=f.population, model=f.model,
        drugs=[i.drug for i in items], doses=[i.dose for i in items] if any(i.dose for i in items) else [],
        routes=[i.route for i in items] if any(i.route for i in items) else [],
        timings=[i.timing for i in items] if any(i.timing for i in items) else [],
        outcome=f.outcome, timepoint=f.timepoint, n_groups=list(f.n), n_counts=list(f.n.values()),
        result=f.result, about=f.about, quality_note=f.quality_note, quality_note_zh=f.quality_note_zh,
        role=f.role, guidance=f.guidance)


def finding_links(f: Finding) -> list[tuple[str, int]]:
    """``(type, position)`` of each relationship from finding ``f`` but ``HAS_QUANTITY``, in
    order (the position counts from 1 within its type; 0 for ``REPORTED_IN``)."""
    return ([("REPORTED_IN", 0)] + [("CITES", i) for i in range(1, len(f.cites) + 1)]
            + [("ABOUT", i) for i in range(1, len(f.about) + 1)]
            + [("TESTED", i) for i in range(1, len(f.interventions) + 1)])


def finding_link(f: Finding, kind: str, position: int) -> Relationship:
    """The relationship of type ``kind`` from finding ``f`` (``position`` as :func:`finding_links` gives it,
    or the quantity's for ``HAS_QUANTITY``)."""
    if kind == "REPORTED_IN":
        return Relationship(f"{f.id}/source", kind, f.id, f.source, {"id": f"{f.id}/source"})
    if kind == "HAS_QUANTITY":
        qid = f"{f.id}/quantity/{position}"
        return Relationship(qid, kind, f.id, qid, {"id": qid, "position": position})
    if kind == "TESTED":
        item = f.interventions[position - 1]
        rid = f"{f.id}/tested/{position}"
        return Relationship(rid, kind, f.id, item.drug, _props(
            id=rid, position=position, dose=item.dose, route=item.route, timing=item.timing))
    target = (f.cites if kind == "CITES" else f.about)[position - 1]
    rid = f"{f.id}/{kind.lower()}/{position}"
    return Relationship(rid, kind, f.id, target, {"id": rid, "position": position})


def _finding_links(f: Finding) -> list[Relationship]:
    return [finding_link(f, kind, position) for kind, position in finding_links(f)]


# -- the inverse ----------------------------------------------------------------------

def to_model(nodes: Iterable[tuple[Iterable[str], dict]],
             relationships: Iterable[tuple[str, str, str, dict]]) -> Model:
    """Rebuild a Model from nodes ``(labels, properties)`` and relationships
    ``(type, start id, end id, properties)``, as read back from a database.

    Only nodes labelled ``Mechgraph`` and assertion relationships matter; anything
    else is ignored. Raises MechgraphError when a mechgraph node is malformed.
    """
    entities: dict[str, Entity] = {}
    assertions: dict[str, Assertion] = {}
    finding_records: dict[str, Finding] = {}
    sources: dict[str, Source] = {}
    model = Model(entities=entities, assertions=assertions, findings=finding_records, sources=sources)
    quantities: dict[str, list[tuple[int, Quantity]]] = {}
    findings: list[dict] = []
    for labels, p in nodes:
        labels = set(labels)
        if MARKER not in labels:
            continue
        try:
            if ENTITY in labels:
                entities[p["id"]] = Entity(
                    id=p["id"], type=p["type"], name=p["name"], name_zh=p["name_zh"],
                    aliases=tuple(p.get("aliases", ())), xrefs=xref_model.from_curies(p.get("xrefs", ())),
                    description=p.get("description", ""), description_zh=p.get("description_zh", ""))
            elif SOURCE in labels:
                sources[p["id"]] = Source(
                    id=p["id"], kind=p["kind"], title=p.get("title", ""), title_zh=p.get("title_zh", ""),
                    authors=tuple(p.get("authors", ())), year=p.get("year"), journal=p.get("journal", ""),
                    file=p.get("file", ""), cited_in=p.get("cited_in", ""), ref=p.get("ref", ""),
                    volume=p.get("volume", ""), pages=p.get("pages", ""),
                    xrefs=xref_model.from_curies(p.get("xrefs", ())))
            elif FINDING in labels:
                findings.append(p)
            elif QUANTITY in labels:
                quantities.setdefault(p["finding"], []).append((p["position"], Quantity(
                    name=p["name"], value=p["value"], unit=p.get("unit", ""), low=_float(p.get("low")),
                    high=_float(p.get("high")), qualifiers=_unpairs(p.get("qualifiers", ())))))
        except KeyError as exc:
            raise MechgraphError(f"mechgraph node {p.get('id', '?')!r} lacks property {exc.args[0]!r}") from None
        except ValueError as exc:
            raise MechgraphError(f"mechgraph node {p.get('id', '?')!r}: {exc}") from None
    for p in sorted(findings, key=lambda p: p["id"]):
        finding_records[p["id"]] = _finding(p, [q for _, q in sorted(quantities.get(p["id"], []))])
    for rel_type, start, end, p in relationships:
        if rel_type not in PREDICATE_OF_TYPE or "predicate" not in p:
            continue
        context = {key: tuple(p[f"context_{key}"]) for key in CONTEXT_KEYS if p.get(f"context_{key}")}
        assertions[p["id"]] = Assertion(
            id=p["id"], subject=start, predicate=p["predicate"], object=end,
            supporting=tuple(p.get("supporting", ())), refuting=tuple(p.get("refuting", ())),
            context=context, note=p.get("note", ""), relation=p.get("stated_relation", ""),
            pathway=tuple(p.get("pathway", ())))
    return model


def _float(value) -> float | None:
    return None if value is None else float(value)


def _finding(p: dict, quantities: list[Quantity]) -> Finding:
    drugs = p.get("drugs", [])

    def column(name: str) -> list[str]:
        return p.get(name) or [""] * len(drugs)

    interventions = tuple(Intervention(drug=d, dose=dose, route=route, timing=timing)
                          for d, dose, route, timing in zip(drugs, column("doses"), column("routes"),
                                                            column("timings"), strict=False))
    return Finding(
        id=p["id"], source=p["source"], locator=tuple(p["locator"]), study_type=p["study_type"],
        direction=p["direction"], statement=p["statement"], statement_zh=p["statement_zh"],
        study=p.get("study", ""), cites=tuple(p.get("cites", ())), species=tuple(p.get("species", ())),
        sex=p.get("sex", ""), population=p.get("population", ""), model=p.get("model", ""),
        interventions=interventions, outcome=p.get("outcome", ""), timepoint=p.get("timepoint", ""),
        n=dict(zip(p.get("n_groups", ()), p.get("n_counts", ()), strict=False)), quantities=tuple(quantities),
        result=p.get("result", ""), about=tuple(p.get("about", ())), quality_note=p.get("quality_note", ""),
        quality_note_zh=p.get("quality_note_zh", ""), role=p.get("role", ""), guidance=p.get("guidance", ""))


def same_model(a: Model, b: Model) -> bool:
    """True when two models hold the same records (file positions aside)."""
    return (a.entities, a.assertions, a.findings, a.sources) == (b.entities, b.assertions, b.findings, b.sources)
