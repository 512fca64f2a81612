"""The embedded engine's graph read from the cached store, not rebuilt per run.

Projecting a whole graph for the engine (:func:`mechgraph.backends.propertygraph.project`)
and indexing it (:class:`~mechgraph.cypher.matching.GraphIndex`) costs seconds per hundred
thousand assertions on every ``mechgraph query``. A cached graph
(:mod:`mechgraph.store.cache`) instead gets a third file beside its index and records,
``KEY.cypher``, written the first time a query runs on it: the projection's *shape* as flat
arrays, in the projection's own order (nodes, relationships, their labels, types and
ends, adjacency in compressed sparse rows). Properties are not stored twice: a node or
relationship is made when a query reaches it with what the arrays hold (its id, type and
ends, an assertion's score from the topology), and its properties are made from its record
in the records file, by the same functions :func:`~mechgraph.backends.propertygraph.project`
calls, only when the query reads one the arrays do not hold. So a query reads the arrays it
walks and decodes the records whose properties it reads (``MATCH ()-[r]->() RETURN r.score
ORDER BY r.score DESC LIMIT 10`` decodes none), and answers with the rows (in the order) the
projected graph gives. A seek on an entity's name reads the cache's table of normalised names.

Writing the file makes no projection, no networkx graph and no record: the arrays come
from the topology's arrays (entities, assertion ends, adjacency) and from one pass over
the findings' and the assertions' plain data, chunk by chunk, pages given back as read
(:func:`direct_arrays`); relationships are laid out in the projection's order without
sorting their ids (an assertion's id sorts the assertions, a finding's id and ``/`` begin
every link from it). What that build does not handle (a finding id holding ``/``, a link
to a node of another kind) is built record by record (:func:`general_arrays`), to the
same arrays.

The file is flat arrays and a JSON header, never pickle; the header carries a CRC-32 and
each array a CRC-32 per block of :data:`BLOCK` bytes, checked the first time the block is
read (the file is mapped into memory, so untouched blocks are never read). A file that
fails a check is removed and the query runs on the projection instead (one warning).
A graph whose projection the arrays cannot stand for (two records of different kinds with
one id) is queried on the projection, as before; so is every graph when
``MECHGRAPH_CYPHER_INDEX=project`` (what the benchmarks compare against).

>>> from mechgraph import MechGraph
>>> index = stored_index(MechGraph.load("tests/data/example-graph"))
>>> drug = index.seek("id", ("s", "drug-x"))[0]
>>> [(r.type, r.end.element_id) for r in index.adjacent(drug, ("ANTAGONIZES", "TREATS"), True)]
[('ANTAGONIZES', 'receptor-r'), ('TREATS', 'disease-d')]
"""

from __future__ import annotations

import functools
import hashlib
import mmap
import os
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, repeat
from pathlib import Path

from ..backends import propertygraph as pg
from ..errors import CacheDamaged, MechgraphError
from ..model.core import Assertion, Entity, Finding, Intervention
from ..store.plain import field_position
from ..store.recordfile import RecordMap, dump, load, one_pass, release_pages
from .matching import GraphIndex
from .values import Node, Relationship

#: the first bytes of a stored index, with its layout version
MAGIC = b"mechgraph-cypher-1\n"
#: bytes per checksummed block of an array
BLOCK = 1 << 16
_HEAD = struct.Struct("<QI4x")
#: node kinds, as the ``node_kind`` array numbers them
SOURCE, ENTITY, FINDING, QUANTITY = 0, 1, 2, 3
#: relationship recipes, as ``rel_kind`` numbers them: an assertion (position), one of its
#: EVIDENCE links (assertion position, index in evidence_links), one of a finding's links
#: (finding position, index in finding_links), a HAS_QUANTITY (finding position, quantity position)
ASSERTION, EVIDENCE, LINK, HAS_QUANTITY = 0, 1, 2, 3
#: from this many assertions on, writing the index says so on stderr (it takes a while)
NOTE_ABOVE = 100_000
#: the properties a node of each kind may have (what the projection's node functions write;
#: tests/test_cypher_stored.py reads them from the functions' code): a seek reads only those kinds
NODE_KEYS: dict[int, frozenset[str]] = {
    SOURCE: frozenset({"id", "kind", "title", "title_zh", "authors", "year", "journal", "volume", "pages", "xrefs",
                       "file", "cited_in", "ref"}),
    ENTITY: frozenset({"id", "type", "category", "name", "name_zh", "aliases", "xrefs", "description",
                       "description_zh"}),
    FINDING: frozenset({"id", "source", "locator", "study_type", "level", "direction", "statement", "statement_zh",
                        "study", "cites", "species", "sex", "population", "model", "drugs", "doses", "routes",
                        "timings", "outcome", "timepoint", "n_groups", "n_counts", "result", "about",
                        "quality_note", "quality_note_zh", "role", "guidance"}),
    QUANTITY: frozenset({"id", "finding", "position", "name", "value", "unit", "low", "high", "qualifiers"}),
}


#: the properties a relationship of each recipe may have (what the projection's relationship functions
#: write; an assertion's ``context_*`` keys besides): reading another key of one reads no record
REL_KEYS: dict[int, frozenset[str]] = {
    ASSERTION: frozenset({"id", "predicate", "sign", "level", "score", "species", "supporting", "refuting", "note",
                          "relation", "stated_relation", "pathway"}),
    EVIDENCE: frozenset({"id", "assertion", "stance", "role"}),
    LINK: frozenset({"id", "position", "dose", "route", "timing"}),
    HAS_QUANTITY: frozenset({"id", "position"}),
}


class Unsupported(Exception):
    """The projection of this graph cannot be stored as arrays (it is projected instead)."""


def _code_hash() -> str:
    """What the stored shape depends on beyond the records: this module and the projection's."""
    digest = hashlib.blake2b(digest_size=16)
    for path in (Path(__file__), Path(pg.__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# -- the arrays of a graph's projection -----------------------------------------------------------------

def build_arrays(model, topology) -> tuple[dict, dict[str, array]]:
    """The shape of ``project(graph)`` as ``(meta, arrays)``; raises Unsupported.

    Made straight from the topology's arrays and the records' plain data
    (:func:`direct_arrays`); a graph with what that build does not handle (a finding id
    holding ``/``, a link to a node of another kind, two ids alike) is built record by
    record instead (:func:`general_arrays`), which gives the same arrays.

    >>> from mechgraph import MechGraph
    >>> graph = MechGraph.load("tests/data/example-graph")
    >>> meta, arrays = build_arrays(graph.model, graph.topology)
    >>> meta["nodes"] == len(arrays["node_kind"]), meta["types"][arrays["rel_type"][0]]
    (True, 'REGULATES')
    """
    try:
        return direct_arrays(model, topology)
    except _Indirect:
        return general_arrays(model, topology)


class _Indirect(Exception):
    """The graph holds something :func:`direct_arrays` leaves to :func:`general_arrays`."""


def _ids(records) -> list[str]:
    return records.ids if isinstance(records, RecordMap) else list(records)


def _plain(records, cls) -> Iterator[list]:
    """Each record as its plain data (:mod:`mechgraph.store.plain`: the field values in
    declaration order), in written order. From a cached records file, its chunks are read
    in turn and checked against their CRC-32s, without making records (what costs most in
    reading them), and the pages read are given back to the system as the pass goes (so a
    pass over a big file does not keep it all in memory); else the records are encoded."""
    from ..store.recordfile import CHUNK, RecordIndex, chunk_json, load
    index, buffer = getattr(records, "_index", None), getattr(records, "_buffer", None)
    if not (isinstance(records, RecordMap) and isinstance(index, RecordIndex) and isinstance(buffer, mmap.mmap)
            and getattr(records, "_instead", None) is None):
        from ..store import plain
        return map(plain.encoder(cls), one_pass(records))

    def chunks() -> Iterator[list]:
        offsets, sums = index.chunks, index.sums
        released = offsets[0] - offsets[0] % mmap.PAGESIZE if offsets else 0
        for number in range(len(offsets) - 1):
            start, end = offsets[number], offsets[number + 1]
            data = buffer[start:end]
            if zlib.crc32(data) != sums[number]:
                raise CacheDamaged(f"a cached records file is damaged (chunk {number} of {index.count})")
            try:
                chunk = load(chunk_json(data, min(CHUNK, index.count - number * CHUNK)))
            except ValueError as exc:
                raise CacheDamaged(f"a cached records file is damaged ({exc})") from None
            if type(chunk) is not list:
                raise CacheDamaged("a cached records file is damaged (a chunk that is not a list)")
            yield from chunk
            if end - released >= _RELEASE and hasattr(mmap, "MADV_DONTNEED"):
                done = end - end % mmap.PAGESIZE
                buffer.madvise(mmap.MADV_DONTNEED, released, done - released)
                released = done
    return chunks()


#: bytes of a records file read before the pages are given back (see _plain)
_RELEASE = 16 << 20


@functools.cache
def _in_text_order(count: int) -> tuple[int, ...]:
    """1 to ``count`` in the order of their decimal texts (how ids ending in them sort)."""
    return tuple(sorted(range(1, count + 1), key=str))


def direct_arrays(model, topology) -> tuple[dict, dict[str, array]]:
    """The arrays of :func:`build_arrays`, made without making a record or a relationship.

    Nodes are numbered by sorting the id lists of each kind; an assertion's type and
    findings and a finding's links are read from the records' plain data (one pass over
    each kind, in file order), the ends of assertions from the topology. Relationships
    are then written in the projection's order directly: assertions by id, then each
    finding's links (their ids all start with the finding's id and ``/``, so they sort
    finding by finding, and within a finding by the rest of the id), so nothing the size
    of the graph is ever sorted by id. Adjacency is put together from the topology's
    rows (assertions) and one counting pass over the links' ends.

    Raises _Indirect for what it does not handle (then :func:`general_arrays` does).
    """
    from ..store.topology import TYPES
    source_ids, entity_ids = _ids(model.sources), topology.nodes
    finding_ids, assertion_ids = _ids(model.findings), _ids(model.assertions)
    if "/" in "".join(finding_ids):
        raise _Indirect("a finding id holds '/'")
    release_pages(model.findings)  # the id lists just read
    n_sources, n_entities, n_findings, n_assertions = len(source_ids), len(entity_ids), len(finding_ids), \
        len(assertion_ids)
    entity_at = topology.index

    # sources and entities: numbered by id
    source_order = array("i", sorted(range(n_sources), key=source_ids.__getitem__))
    source_number = dict(zip(map(source_ids.__getitem__, source_order), range(n_sources), strict=True))
    source_node = array("i", map(source_number.__getitem__, source_ids))
    entity_order = sorted(range(n_entities), key=entity_ids.__getitem__)
    entity_node = array("i", bytes(4 * n_entities))
    for number, position in enumerate(entity_order, n_sources):
        entity_node[position] = number
    finding_at = dict(zip(finding_ids, range(n_findings), strict=True))
    if not (entity_at.keys().isdisjoint(source_ids) and entity_at.keys().isdisjoint(finding_ids)
            and source_number.keys().isdisjoint(finding_ids)):
        raise _Indirect("two nodes have one id")

    # each finding's links but its evidence, as nodes: REPORTED_IN, CITES, ABOUT, TESTED (finding_links)
    at_source, at_cites, at_about = (field_position(Finding, name) for name in ("source", "cites", "about"))
    at_items, at_quantities = field_position(Finding, "interventions"), field_position(Finding, "quantities")
    at_drug = field_position(Intervention, "drug")
    targets, target_start = array("i"), array("i", [0])
    cites, about, quantities = array("i"), array("i"), array("i")
    add = targets.append
    try:
        for f in _plain(model.findings, Finding):
            add(source_number[f[at_source]])
            for i in f[at_cites]:
                add(source_number[i])
            for i in f[at_about]:
                add(entity_node[entity_at[i]])
            for item in f[at_items]:
                add(entity_node[entity_at[item[at_drug]]])
            target_start.append(len(targets))
            cites.append(len(f[at_cites]))
            about.append(len(f[at_about]))
            quantities.append(len(f[at_quantities]))
    except (KeyError, TypeError, IndexError) as exc:
        raise _Indirect(f"a link to no node of its kind ({exc})") from None

    # findings, each followed by its quantities, by id
    finding_order = array("i", sorted(range(n_findings), key=finding_ids.__getitem__))
    finding_node = array("i", bytes(4 * n_findings))
    kinds = array("b", [SOURCE]) * n_sources + array("b", [ENTITY]) * n_entities
    positions = array("i", source_order)
    positions.extend(entity_order)
    subs = array("i", bytes(4 * (n_sources + n_entities)))
    label_nodes: dict[str, array] = {pg.SOURCE: array("i", range(n_sources)),
                                     pg.ENTITY: array("i", range(n_sources, n_sources + n_entities))}
    types = topology.types
    for number, position in enumerate(entity_order, n_sources):
        label = TYPES[types[position]]
        if label not in label_nodes:
            label_nodes[label] = array("i")
        label_nodes[label].append(number)
    base = n_sources + n_entities
    if not any(quantities):
        for number, position in enumerate(finding_order, base):
            finding_node[position] = number
        kinds.extend(array("b", [FINDING]) * n_findings)
        positions.extend(finding_order)
        subs.extend(array("i", bytes(4 * n_findings)))
        label_nodes[pg.FINDING] = array("i", range(base, base + n_findings))
    else:
        finding_nodes, quantity_nodes = array("i"), array("i")
        number = base
        for position in finding_order:
            finding_node[position] = number
            finding_nodes.append(number)
            count = quantities[position]
            kinds.append(FINDING)
            kinds.extend(array("b", [QUANTITY]) * count)
            positions.extend(array("i", [position]) * (count + 1))
            subs.extend(range(count + 1))
            quantity_nodes.extend(range(number + 1, number + count + 1))
            if count and any(f"{finding_ids[position]}/quantity/{q}" in entity_at or
                             f"{finding_ids[position]}/quantity/{q}" in source_number for q in range(1, count + 1)):
                raise _Indirect("two nodes have one id")
            number += count + 1
        label_nodes[pg.FINDING] = finding_nodes
        if quantity_nodes:
            label_nodes[pg.QUANTITY] = quantity_nodes
    count = len(kinds)
    del source_number

    # assertions: their types, and their findings' EVIDENCE (finding, assertion, index in evidence_links, role)
    type_names: dict[str, int] = {}
    predicate_type: dict[str, int] = {}
    at_predicate, at_supporting, at_refuting = (field_position(Assertion, name)
                                                for name in ("predicate", "supporting", "refuting"))
    assertion_type = array("h")
    # an entry's role: its index's parity (subject, object, subject, ...), or the subject of a loop
    evidence_finding, evidence_assertion, evidence_index = array("i"), array("i"), array("i")
    finding_add, assertion_add, index_add = evidence_finding.append, evidence_assertion.append, \
        evidence_index.append
    subject, object_ = topology.subject, topology.object
    try:
        for position, a in enumerate(_plain(model.assertions, Assertion)):
            predicate = a[at_predicate]
            found = predicate_type.get(predicate)
            if found is None:
                name = pg.type_of_predicate(predicate)
                if name not in pg.PREDICATE_OF_TYPE:
                    raise _Indirect(f"the predicate {predicate!r} is typed as a link")
                found = predicate_type[predicate] = type_names.setdefault(name, len(type_names))
            assertion_type.append(found)
            index = 0
            if subject[position] == object_[position]:
                for fid in (*a[at_supporting], *a[at_refuting]):
                    finding_add(finding_at[fid])
                    assertion_add(position)
                    index_add(index)
                    index += 1
            else:
                for fid in (*a[at_supporting], *a[at_refuting]):
                    finding = finding_at[fid]
                    finding_add(finding)
                    finding_add(finding)
                    assertion_add(position)
                    assertion_add(position)
                    index_add(index)
                    index_add(index + 1)
                    index += 2
    except (KeyError, TypeError, IndexError) as exc:
        raise _Indirect(f"evidence from no finding ({exc})") from None
    del finding_at
    evidence_start, evidence_order = _grouped(evidence_finding, n_findings)
    del evidence_finding

    # relationships: assertions by id ...
    assertion_order = array("i", sorted(range(n_assertions), key=assertion_ids.__getitem__))
    rel_type = array("h", map(assertion_type.__getitem__, assertion_order))
    del assertion_type
    rel_start = array("i", map(entity_node.__getitem__, map(subject.__getitem__, assertion_order)))
    rel_end = array("i", map(entity_node.__getitem__, map(object_.__getitem__, assertion_order)))
    rel_pos = array("i", assertion_order)
    rel_sub = array("i", bytes(4 * n_assertions))

    # ... then each finding's links: its id and "/" sort the findings, the rest of the id within one
    # ("about/", "cites/", "evidence/", "quantity/", "source", "tested/": kinds of link in this order)
    link_order = finding_order
    if any(b.startswith(a) for a, b in zip(map(finding_ids.__getitem__, finding_order),
                                           map(finding_ids.__getitem__, finding_order[1:]), strict=False)):
        link_order = array("i", sorted(range(n_findings), key=lambda p: finding_ids[p] + "/"))
    link_types = {name: type_names.setdefault(name, len(type_names)) for name in pg.LINK_TYPES}
    about_t, cites_t, evidence_t = link_types["ABOUT"], link_types["CITES"], link_types["EVIDENCE"]
    quantity_t, reported_t, tested_t = link_types["HAS_QUANTITY"], link_types["REPORTED_IN"], link_types["TESTED"]
    links_from, links_to = array("i", bytes(4 * n_findings)), array("i", bytes(4 * n_findings))
    type_ext, start_ext, end_ext = rel_type.extend, rel_start.extend, rel_end.extend
    pos_ext, sub_ext = rel_pos.extend, rel_sub.extend
    type_add, end_add, pos_add, sub_add = rel_type.append, rel_end.append, rel_pos.append, rel_sub.append

    def numbered(link_t: int, first: int, offset: int, size: int) -> None:
        """Links ``offset + 1 .. offset + size`` of finding_links (their ends at
        ``targets[first + offset + i]``), in the order of their ids' numbers as text."""
        type_ext(repeat(link_t, size))
        pos_ext(repeat(position, size))
        if size < 10:  # one digit: text order is number order
            end_ext(targets[first + offset + 1:first + offset + size + 1])
            sub_ext(range(offset + 1, offset + size + 1))
        else:
            at = [offset + i for i in _in_text_order(size)]
            end_ext([targets[first + i] for i in at])
            sub_ext(at)

    def evidence_key(e: int) -> str:
        a = evidence_assertion[e]
        role = "object" if evidence_index[e] % 2 and subject[a] != object_[a] else "subject"
        return f"{assertion_ids[a]}/{role}"

    for position in link_order:
        here = links_from[position] = len(rel_type)
        node = finding_node[position]
        first, n_cites, n_about = target_start[position], cites[position], about[position]
        n_tested = target_start[position + 1] - first - 1 - n_cites - n_about
        if n_about:
            numbered(about_t, first, n_cites, n_about)
        if n_cites:
            numbered(cites_t, first, 0, n_cites)
        low, high = evidence_start[position], evidence_start[position + 1]
        if high - low == 2:
            e, e2 = evidence_order[low], evidence_order[low + 1]
            assertion, index = evidence_assertion[e], evidence_index[e]
            pair = evidence_assertion[e2] == assertion and evidence_index[e2] == index + 1 and not index % 2
        else:
            pair = False
        if pair and subject[assertion] != object_[assertion]:
            # both ends of one assertion (not a loop): ".../object" before ".../subject"
            type_ext((evidence_t, evidence_t))
            end_ext((entity_node[object_[assertion]], entity_node[subject[assertion]]))
            pos_ext((assertion, assertion))
            sub_ext((index + 1, index))
        elif high > low:
            entries = evidence_order[low:high]
            if high - low > 1:
                keyed = sorted(zip(map(evidence_key, entries), entries, strict=True))
                if len({key for key, _ in keyed}) < high - low:
                    raise _Indirect("two relationships have one id")
                entries = array("i", (e for _, e in keyed))
            for e in entries:
                assertion = evidence_assertion[e]
                type_add(evidence_t)
                end_add(entity_node[(object_ if evidence_index[e] % 2 else subject)[assertion]])
                pos_add(assertion)
                sub_add(evidence_index[e])
        size = quantities[position]
        if size:
            at = _in_text_order(size)
            type_ext(repeat(quantity_t, size))
            end_ext([node + q for q in at])
            pos_ext(repeat(position, size))
            sub_ext(at)
        type_add(reported_t)
        end_add(targets[first])
        pos_add(position)
        sub_add(0)
        if n_tested:
            numbered(tested_t, first, n_cites + n_about, n_tested)
        links_to[position] = len(rel_type)
        start_ext(repeat(node, len(rel_type) - here))
    targets = evidence_order = evidence_assertion = evidence_index = array("i")  # done with: let them go

    kind_of = [LINK] * len(type_names)
    kind_of[evidence_t], kind_of[quantity_t] = EVIDENCE, HAS_QUANTITY
    for number in predicate_type.values():
        kind_of[number] = ASSERTION
    rel_kind = array("b", map(kind_of.__getitem__, rel_type))

    # adjacency: an entity's assertions from the topology's rows (by rank of id), then every link
    n_rels = len(rel_type)
    identity = assertion_order == array("i", range(n_assertions))
    rank = array("i", bytes(4 * n_assertions))
    if not identity:
        for number, position in enumerate(assertion_order):
            rank[position] = number
    del assertion_order

    def assertions_of(rows: array, starts: array, entity: int):
        found = rows[starts[entity]:starts[entity + 1]]
        return found if identity else sorted(map(rank.__getitem__, found))

    out_start, out_rels = array("i", bytes(4 * (n_sources + 1))), array("i")
    for entity in entity_order:
        out_rels.extend(assertions_of(topology.out_edges, topology.out_start, entity))
        out_start.append(len(out_rels))
    if link_order is finding_order and not any(quantities):  # the links are in the findings' order
        out_rels.extend(range(n_assertions, n_rels))
        out_start.extend(map(links_to.__getitem__, finding_order))
    else:
        for position in finding_order:
            out_rels.extend(range(links_from[position], links_to[position]))
            out_start.extend(repeat(len(out_rels), 1 + quantities[position]))
    into_start, into_rels = _grouped(rel_end[n_assertions:], count, n_assertions)
    in_start, in_rels = array("i", into_start[:n_sources + 1]), into_rels[:into_start[n_sources]]
    for number, entity in enumerate(entity_order, n_sources):
        in_rels.extend(assertions_of(topology.in_edges, topology.in_start, entity))
        in_rels.extend(into_rels[into_start[number]:into_start[number + 1]])
        in_start.append(len(in_rels))
    in_rels.extend(into_rels[into_start[base]:])
    in_start.extend(array("i", (s + n_assertions for s in into_start[base + 1:])))
    del into_start, into_rels

    labels = sorted(label for label, nodes in label_nodes.items() if nodes)
    label_start, label_list = array("i", [0]), array("i")
    for label in labels:
        label_list.extend(label_nodes[label])
        label_start.append(len(label_list))
    arrays = {"node_kind": kinds, "node_pos": positions, "node_sub": subs, "source_node": source_node,
              "entity_node": entity_node, "finding_node": finding_node, "rel_type": rel_type,
              "rel_start": rel_start, "rel_end": rel_end, "rel_kind": rel_kind, "rel_pos": rel_pos,
              "rel_sub": rel_sub, "out_start": out_start, "out_rels": out_rels, "in_start": in_start,
              "in_rels": in_rels, "label_start": label_start, "label_nodes": label_list}
    assert len(out_rels) == len(in_rels) == n_rels and len(out_start) == len(in_start) == count + 1
    release_pages(model.findings)
    return _types_by_name(type_names, arrays, count, labels)
# -- the arrays of a graph's projection -----------------------------------------------------------------

def general_arrays(model, topology) -> tuple[dict, dict[str, array]]:
    """The arrays of :func:`build_arrays`, made record by record; raises Unsupported.

    One pass over the findings and one over the assertions, each in file order and
    decoded a chunk at a time (:meth:`~mechgraph.store.recordfile.RecordMap.stream`); the
    relationships are then put in the projection's order (kind, then id). Relationship
    ids are unique in every graph mechgraph reads; where two are not, their order would
    depend on how the projection made them, and the graph is projected instead.
    """
    from ..store.topology import TYPES
    sources, findings, assertions = model.sources, model.findings, model.assertions
    source_ids, entity_ids, finding_ids = list(sources), topology.nodes, list(findings)

    # relationships as made, in file order: the ends by id until every node has its number
    rel_ids: list[str] = []
    rel_type, rel_kind, rel_pos, rel_sub = array("h"), array("b"), array("i"), array("i")
    starts: list[str] = []
    ends: list[str] = []
    type_names: dict[str, int] = {}
    predicate_types = pg.PREDICATE_OF_TYPE

    def rel(r: pg.Relationship, kind: int, position: int, sub: int) -> None:
        rel_ids.append(r.id)
        rel_type.append(type_names.setdefault(r.type, len(type_names)))
        starts.append(r.start)
        ends.append(r.end)
        rel_kind.append(kind)
        rel_pos.append(position)
        rel_sub.append(sub)

    quantities = array("i")
    for position, f in enumerate(one_pass(findings)):
        if f.id != finding_ids[position]:
            raise Unsupported(f"finding {finding_ids[position]!r} is stored as {f.id!r}")
        quantities.append(len(f.quantities))
        for index, (kind, number) in enumerate(pg.finding_links(f)):
            rel(pg.finding_link(f, kind, number), LINK, position, index)
        for q in range(1, len(f.quantities) + 1):
            rel(pg.finding_link(f, "HAS_QUANTITY", q), HAS_QUANTITY, position, q)
    for position, a in enumerate(one_pass(assertions)):
        rel(pg.Relationship(a.id, pg.type_of_predicate(a.predicate), a.subject, a.object), ASSERTION, position, 0)
        for index, (stance, fid, role) in enumerate(pg.evidence_links(a)):
            rel(pg.evidence_relationship(a, stance, fid, role), EVIDENCE, position, index)

    # nodes: sources, entities, then each finding followed by its quantities, each kind by id
    kinds, positions, subs = array("b"), array("i"), array("i")
    where: dict[str, int] = {}
    label_nodes: dict[str, array] = {}

    def add(kind: int, position: int, sub: int, node_id: str, *labels: str) -> int:
        number = len(kinds)
        kinds.append(kind)
        positions.append(position)
        subs.append(sub)
        if where.setdefault(node_id, number) != number:
            raise Unsupported(f"two nodes have the id {node_id!r}")
        for label in labels:
            label_nodes.setdefault(label, array("i")).append(number)
        return number

    source_node = array("i", bytes(4 * len(source_ids)))
    for position in sorted(range(len(source_ids)), key=source_ids.__getitem__):
        source_node[position] = add(SOURCE, position, 0, source_ids[position], pg.SOURCE)
    entity_node = array("i", bytes(4 * len(entity_ids)))
    types = topology.types
    for position in sorted(range(len(entity_ids)), key=entity_ids.__getitem__):
        entity_node[position] = add(ENTITY, position, 0, entity_ids[position], pg.ENTITY, TYPES[types[position]])
    finding_node = array("i", bytes(4 * len(finding_ids)))
    for position in sorted(range(len(finding_ids)), key=finding_ids.__getitem__):
        fid = finding_ids[position]
        finding_node[position] = add(FINDING, position, 0, fid, pg.FINDING)
        for q in range(1, quantities[position] + 1):
            add(QUANTITY, position, q, f"{fid}/quantity/{q}", pg.QUANTITY)
    count = len(kinds)

    # relationships in the projection's order: assertions by id, then the links by id
    try:
        rel_start = array("i", (where[i] for i in starts))
        starts.clear()
        rel_end = array("i", (where[i] for i in ends))
        ends.clear()
    except KeyError as exc:
        raise Unsupported(f"a relationship ends at no node ({exc})") from None
    where.clear()
    type_list = sorted(type_names, key=type_names.__getitem__)
    is_predicate = [name in predicate_types for name in type_list]
    predicates = [i for i, t in enumerate(rel_type) if is_predicate[t]]
    links = [i for i, t in enumerate(rel_type) if not is_predicate[t]]
    predicates.sort(key=rel_ids.__getitem__)
    links.sort(key=rel_ids.__getitem__)
    for group in (predicates, links):
        for before, after in zip(group, group[1:], strict=False):
            if rel_ids[before] == rel_ids[after]:
                raise Unsupported(f"two relationships have the id {rel_ids[before]!r}")
    rel_ids.clear()
    order = array("i", predicates)
    order.extend(links)
    del predicates, links
    arrays: dict[str, array] = {"node_kind": kinds, "node_pos": positions, "node_sub": subs,
                                "source_node": source_node, "entity_node": entity_node, "finding_node": finding_node}
    for name, column in (("rel_type", rel_type), ("rel_start", rel_start), ("rel_end", rel_end),
                         ("rel_kind", rel_kind), ("rel_pos", rel_pos), ("rel_sub", rel_sub)):
        arrays[name] = array(column.typecode, (column[i] for i in order))
    del order
    for side, at in (("out", arrays["rel_start"]), ("in", arrays["rel_end"])):
        arrays[f"{side}_start"], arrays[f"{side}_rels"] = _grouped(at, count)
    labels = sorted(label_nodes)
    label_start, label_list = array("i", [0]), array("i")
    for label in labels:
        label_list.extend(label_nodes[label])
        label_start.append(len(label_list))
    arrays["label_start"], arrays["label_nodes"] = label_start, label_list
    return _types_by_name(type_names, arrays, count, labels)


def _types_by_name(numbers: dict[str, int], arrays: dict[str, array], count: int,
                   labels: list[str]) -> tuple[dict, dict[str, array]]:
    """``(meta, arrays)`` with the relationship types that occur numbered by name (so
    that two builds of one graph give the same arrays), from ``numbers`` (name -> number
    as ``arrays["rel_type"]`` holds them)."""
    rel_type = arrays["rel_type"]
    present = set(rel_type)
    names = sorted(name for name, number in numbers.items() if number in present)
    renumber = [0] * (max(numbers.values(), default=0) + 1)
    for new, name in enumerate(names):
        renumber[numbers[name]] = new
    arrays["rel_type"] = array("h", map(renumber.__getitem__, rel_type))
    return {"nodes": count, "relationships": len(rel_type), "labels": labels, "types": names}, arrays


def _grouped(keys: array, count: int, offset: int = 0) -> tuple[array, array]:
    """Compressed sparse rows of the places in ``keys`` (plus ``offset``) by key, ``0 <= key <
    count``: ``(start, places)``, each row in order. One counting pass and one placing pass."""
    sizes = array("i", bytes(4 * count))
    for key in keys:
        sizes[key] += 1
    start = array("i", accumulate(sizes, initial=0))
    del sizes
    cursor = array("i", start)
    listed = array("i", bytes(4 * len(keys)))
    for number, key in enumerate(keys, offset):
        listed[cursor[key]] = number
        cursor[key] += 1
    return start, listed


# -- the file -----------------------------------------------------------------------------------------

def write_index(path: Path, meta: dict, arrays: dict[str, array]) -> None:
    """Write ``meta`` and ``arrays`` to ``path`` atomically (see the module docstring)."""
    from ..atomic import atomic_path
    listed, offset = [], 0
    for name, column in arrays.items():
        data = memoryview(column).cast("B")
        sums = [zlib.crc32(data[i:i + BLOCK]) for i in range(0, len(data), BLOCK)]
        listed.append([name, column.typecode, column.itemsize, offset, len(data), sums])
        offset += len(data) + (-len(data) % 8)
    header = dump({"meta": meta, "byteorder": sys.byteorder, "blobs": listed, "body": offset})
    header += b" " * (-(len(MAGIC) + _HEAD.size + len(header)) % 8)
    with atomic_path(path, mode=0o600) as temporary, temporary.open("wb") as handle:
        handle.write(MAGIC + _HEAD.pack(len(header), zlib.crc32(header)) + header)
        for column in arrays.values():
            blob = column.tobytes()
            handle.write(blob + b"\0" * (-len(blob) % 8))


class _Column:
    """One array of a mapped index file, each block checked against its CRC-32 when first read."""

    __slots__ = ("name", "raw", "view", "sums", "checked", "per_block")

    def __init__(self, name: str, raw: memoryview, code: str, itemsize: int, sums: list[int]):
        if array(code).itemsize != itemsize:
            raise ValueError(f"array {name!r}: items of {itemsize} bytes, here {array(code).itemsize}")
        if len(sums) != -(-len(raw) // BLOCK):
            raise ValueError(f"array {name!r}: {len(sums)} block checksums for {len(raw)} bytes")
        # typeshed types cast() by literal format codes; ``code`` is an array typecode checked above
        view: memoryview = raw.cast(code)  # type: ignore[call-overload]
        self.name, self.raw, self.view, self.sums = name, raw, view, sums
        self.checked = bytearray(len(sums))
        self.per_block = BLOCK // itemsize

    def _check(self, block: int) -> None:
        if zlib.crc32(self.raw[block * BLOCK:(block + 1) * BLOCK]) != self.sums[block]:
            raise CacheDamaged(f"a stored Cypher index is damaged (array {self.name}, block {block})")
        self.checked[block] = 1

    def __len__(self) -> int:
        return len(self.view)

    def __getitem__(self, i: int) -> int:
        block = i // self.per_block
        if not self.checked[block]:
            self._check(block)
        return self.view[i]

    def span(self, start: int, end: int) -> memoryview:
        """Items ``start:end``, their blocks checked."""
        if end > start:
            for block in range(start // self.per_block, (end - 1) // self.per_block + 1):
                if not self.checked[block]:
                    self._check(block)
        return self.view[start:end]


def read_index(fd: int, size: int) -> tuple[dict, dict[str, _Column]]:
    """The meta and columns of an index file open at ``fd`` (mapped; closed by the caller);
    ValueError when it is not one, is cut short, or fails its header checksum."""
    with open(fd, "rb", closefd=False) as handle:
        head = handle.read(len(MAGIC) + _HEAD.size)
        if len(head) != len(MAGIC) + _HEAD.size or head[:len(MAGIC)] != MAGIC:
            raise ValueError("not a stored Cypher index")
        length, crc = _HEAD.unpack(head[len(MAGIC):])
        if length > size:
            raise ValueError("a header longer than the file")
        text = handle.read(length)
    if len(text) != length or zlib.crc32(text) != crc:
        raise ValueError("header checksum mismatch")
    header = load(text)
    if not isinstance(header, dict) or header.get("byteorder") != sys.byteorder:
        raise ValueError("written on a machine of another byte order")
    start = len(MAGIC) + _HEAD.size + length
    if size != start + header["body"]:
        raise ValueError(f"{size} bytes, not {start + header['body']}")
    buffer = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
    whole = memoryview(buffer)
    columns = {}
    for name, code, itemsize, offset, count, sums in header["blobs"]:
        if not 0 <= offset <= offset + count <= header["body"] or count % itemsize:
            raise ValueError(f"array {name!r} lies outside the file")
        columns[name] = _Column(name, whole[start + offset:start + offset + count], code, itemsize, sums)
    return header["meta"], columns


# -- the engine's graph ----------------------------------------------------------------------------------

class _Span(Sequence[int]):
    """Items ``start:end`` of a column, read (and their blocks checked) when first used: a
    query that only counts a label's nodes, as planning does, reads none of them."""

    def __init__(self, column: _Column, start: int, end: int):
        self.column, self.start, self.end = column, start, end
        self._items: memoryview | None = None

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, i):
        if self._items is None:
            self._items = self.column.span(self.start, self.end)
        return self._items[i]


class _NodeList(Sequence[Node]):
    """Nodes by number, made when read."""

    def __init__(self, graph: StoredGraph, numbers):
        self.graph, self.numbers = graph, numbers

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.graph.node(n) for n in self.numbers[i]]
        return self.graph.node(self.numbers[i])

    def __iter__(self) -> Iterator[Node]:
        node = self.graph.node
        return (node(n) for n in self.numbers)

    def __add__(self, other):
        return list(self) + list(other)


class _RelList(Sequence[Relationship]):
    def __init__(self, graph: StoredGraph, count: int):
        self.graph, self.length = graph, count

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.graph.relationship(n) for n in range(self.length)[i]]
        return self.graph.relationship(range(self.length)[i])


#: an entity's properties that are its record's text fields as they are (a seek reads them from plain data)
_ENTITY_TEXT = frozenset({"name", "name_zh", "description", "description_zh"})


def _first(pair: tuple) -> int:
    return pair[0]


class _StoredNode(Node):
    """A node of a stored graph: its id read from the index's arrays, its labels and
    properties made from its record (by the projection's functions) when first read, so a
    query that only passes through a node decodes nothing."""

    #: the graph (set on the class :meth:`StoredGraph.__init__` makes for each graph, so that an
    #: instance's ``__dict__`` holds only numbers and text, which the garbage collector does not track)
    _graph: StoredGraph

    def __init__(self, number: int, element_id: str):  # noqa: D107 (not the dataclass's)
        object.__setattr__(self, "__dict__", {"element_id": element_id, "_number": number})

    def __getattr__(self, name: str):
        if name not in ("labels", "properties"):
            raise AttributeError(name)
        made = self._graph.made_node(self._number)
        object.__setattr__(self, "labels", made.labels)
        object.__setattr__(self, "properties", dict(made.properties))
        return getattr(self, name)

    def value(self, key: str):
        """Property ``key`` (``id`` without reading the record)."""
        if key == "id" and "properties" not in self.__dict__:
            return self.element_id or None  # the projection leaves out an empty id
        return self.properties.get(key)


class _StoredRelationship(Relationship):
    """A relationship of a stored graph: its type and ends (nodes made as
    :class:`_StoredNode` when first read) from the index's arrays, an assertion's score
    from the topology's; its id and properties made from its record when first read."""

    _graph: StoredGraph  # as _StoredNode's

    def __init__(self, number: int, type_: str):  # noqa: D107 (not the dataclass's)
        # the rest is read from the arrays when asked for: a kept relationship costs a small dict
        object.__setattr__(self, "__dict__", {"type": type_, "_number": number})

    @property  # read-only, as the frozen dataclass's field is
    def start(self) -> Node:
        """The start node (made when first read)."""
        graph = self._graph
        return graph.node(graph.c["rel_start"][self._number])

    @property
    def end(self) -> Node:
        """The end node (made when first read)."""
        graph = self._graph
        return graph.node(graph.c["rel_end"][self._number])

    def __getattr__(self, name: str):
        if name not in ("element_id", "properties"):
            raise AttributeError(name)
        made = self._graph.made_relationship(self._number)
        object.__setattr__(self, "element_id", made.id)
        object.__setattr__(self, "properties", dict(made.properties))
        return getattr(self, name)

    def value(self, key: str):
        """Property ``key``: an assertion's score from the topology, a key the relationship's
        recipe never writes (:data:`REL_KEYS`) as None, without reading the record."""
        if "properties" not in self.__dict__:
            graph, number = self._graph, self._number
            kind = graph.whole("rel_kind")[number]
            if kind == ASSERTION:
                if key == "score":
                    return float(graph.topology.score[graph.whole("rel_pos")[number]])
                if key not in REL_KEYS[ASSERTION] and not key.startswith("context_"):
                    return None
            elif key not in REL_KEYS[kind]:
                return None
        return self.properties.get(key)


class StoredGraph(GraphIndex):
    """A :class:`~mechgraph.cypher.matching.GraphIndex` over a stored index and the cached
    records: nodes and relationships are made (once) when a query reaches them."""

    def __init__(self, meta: dict, columns: dict[str, _Column], graph, path: Path):
        #: the index file (removed when found damaged)
        self.path = path
        self.meta, self.c = meta, columns
        self.model, self.topology = graph.model, graph.topology
        self._nodes: dict[int, Node] = {}
        self._rels: dict[int, Relationship] = {}
        self._number: dict[str, int] = {}
        self._id_lists: dict[int, list[str]] = {}
        self._views: dict[str, memoryview] = {}
        self._node_class = type("StoredNode", (_StoredNode,), {"_graph": self, "__doc__": _StoredNode.__doc__})
        self._rel_class = type("StoredRelationship", (_StoredRelationship,),
                               {"_graph": self, "__doc__": _StoredRelationship.__doc__})
        #: (property key, entities included) -> (seek key -> node numbers, numbers of nodes no key stands
        #: for), built on first use (entities left out where the cache's name table finds them)
        self._seekable: dict[tuple[str, bool], tuple[dict[tuple, list[int]], list[int]]] = {}
        self._position = None
        count = meta["nodes"]
        self.nodes = _NodeList(self, range(count))
        self.relationships = _RelList(self, meta["relationships"])
        self.type_number = {name: i for i, name in enumerate(meta["types"])}
        label_start = columns["label_start"]
        self.by_label: dict[str, Sequence[Node]] = {pg.MARKER: self.nodes} if count else {}
        for i, label in enumerate(meta["labels"]):
            if label_start[i + 1] > label_start[i]:
                self.by_label[label] = _NodeList(self, _Span(columns["label_nodes"], label_start[i],
                                                             label_start[i + 1]))
        from ..store.recordfile import positional
        self._at = {SOURCE: positional(self.model.sources), ENTITY: positional(self.model.entities),
                    FINDING: positional(self.model.findings)}
        self._assertion = positional(self.model.assertions)

    # -- making nodes and relationships -------------------------------------------------------------
    def node(self, number: int) -> Node:
        found = self._nodes.get(number)
        if found is None:
            c = self.c
            kind, position = c["node_kind"][number], c["node_pos"][number]
            if kind == ENTITY:
                element_id = self.topology.nodes[position]
            elif kind == QUANTITY:
                element_id = f"{self._ids(FINDING)[position]}/quantity/{c['node_sub'][number]}"
            else:
                element_id = self._ids(kind)[position]
            found = self._nodes[number] = self._node_class(number, element_id)
            self._number[element_id] = number
        return found

    def _ids(self, kind: int) -> list[str]:
        ids = self._id_lists.get(kind)
        if ids is None:
            ids = self._id_lists[kind] = _ids(self.model.findings if kind == FINDING else self.model.sources)
        return ids

    def made_node(self, number: int) -> pg.Node:
        """The projection's node ``number``, made from its record."""
        c = self.c
        kind, position = c["node_kind"][number], c["node_pos"][number]
        if kind == QUANTITY:
            f = self._at[FINDING](position)
            sub = c["node_sub"][number]
            made = pg.quantity_node(f, sub, f.quantities[sub - 1])
        elif kind == ENTITY:
            made = pg.entity_node(self._at[ENTITY](position))
        elif kind == FINDING:
            made = pg.finding_node(self._at[FINDING](position))
        else:
            made = pg.source_node(self._at[SOURCE](position))
        if made.id != self.node(number).element_id:
            raise CacheDamaged("a stored Cypher index does not fit the cached records")
        return made

    def relationship(self, number: int) -> Relationship:
        found = self._rels.get(number)
        if found is None:
            c = self.c
            found = self._rels[number] = self._rel_class(number, self.meta["types"][c["rel_type"][number]])
        return found

    def made_relationship(self, number: int) -> pg.Relationship:
        """The projection's relationship ``number``, made from its record."""
        c = self.c
        kind, position, sub = c["rel_kind"][number], c["rel_pos"][number], c["rel_sub"][number]
        if kind in (ASSERTION, EVIDENCE):
            a = self._assertion(position)
            if kind == ASSERTION:
                made = pg.assertion_relationship(self.model, a, self.topology.edge_data(position))
            else:
                made = pg.evidence_relationship(a, *pg.evidence_links(a)[sub])
        else:
            f = self._at[FINDING](position)
            made = pg.finding_link(f, *pg.finding_links(f)[sub]) if kind == LINK else \
                pg.finding_link(f, "HAS_QUANTITY", sub)
        found = self.relationship(number)
        assert found.start is not None and found.end is not None  # made with its ends
        if (made.start, made.end, made.type) != (found.start.element_id, found.end.element_id, found.type):
            raise CacheDamaged("a stored Cypher index does not fit the cached records")
        return made

    # -- what the matcher asks ------------------------------------------------------------------------
    def adjacent(self, node: Node, types: tuple[str, ...], outgoing: bool) -> list[Relationship]:
        number = self._number[node.element_id]
        side = "out" if outgoing else "in"
        start = self.c[f"{side}_start"]
        numbers: Sequence[int] = self.c[f"{side}_rels"].span(start[number], start[number + 1])
        if types:
            wanted = {self.type_number[t] for t in types if t in self.type_number}
            rel_type = self.c["rel_type"]
            numbers = [r for r in numbers if rel_type[r] in wanted]
        return [self.relationship(r) for r in numbers]

    def scan(self, types: tuple[str, ...], outgoing: bool) -> Iterator[Relationship]:
        """Every relationship of ``types`` in out- (or in-) adjacency order, made from whole
        columns (each checked once) rather than item by item. One made here is not kept (a
        scan would otherwise keep every relationship of the graph: a million objects,
        most of a top-k's first call); one already kept is given as it is."""
        whole = self.whole
        numbers: Iterable[int] = whole("out_rels" if outgoing else "in_rels")
        rel_type = whole("rel_type")
        if types:
            wanted = {self.type_number[t] for t in types if t in self.type_number}
            numbers = (r for r in numbers if rel_type[r] in wanted)
        names, rels, made = self.meta["types"], self._rels, self._rel_class
        for r in numbers:
            found = rels.get(r)
            yield made(r, names[rel_type[r]]) if found is None else found

    def whole(self, name: str) -> memoryview:
        """All of column ``name``, its blocks checked (once)."""
        found = self._views.get(name)
        if found is None:
            column = self.c[name]
            found = self._views[name] = column.span(0, len(column))
        return found

    def seek(self, key: str, wanted: tuple) -> list[Node]:
        if key != "id":
            named = self._named(key, wanted)
            entities = named is None
            index = self._seekable.get((key, entities))
            if index is None:
                index = self._seekable[(key, entities)] = self._index_property(key, entities)
            keyed, unkeyed = index
            numbers = keyed.get(wanted, [])
            if named:
                numbers = sorted(numbers + named)
            node = self.node
            return [node(n) for n in numbers] + [node(n) for n in unkeyed]
        if wanted[0] != "s":
            return []  # every id is text
        number = self._find(wanted[1])
        return [] if number is None else [self.node(number)]

    def _named(self, key: str, wanted: tuple) -> list[int] | None:
        """The numbers of the entities whose ``key`` (a name or Chinese name) is the text
        ``wanted`` stands for, found by the cache's table of normalised names
        (:func:`mechgraph.model.names.name_keys`) and checked on their records; None when that
        table cannot say (no table, another key or value, a text with nothing to normalise)."""
        names = self.topology.name_keys
        if key not in ("name", "name_zh") or wanted[0] != "s" or names is None:
            return None
        from ..model.names import normalise
        text = wanted[1]
        normal = normalise(text)
        if not normal:
            return None
        position, entity_node, node = self.topology.index, self.c["entity_node"], self.node
        found = (entity_node[position[i]] for i in names.get(normal, ()) if i in position)
        return [n for n in found if node(n).value(key) == text]

    def _index_property(self, key: str, entities: bool = True) -> tuple[dict[tuple, list[int]], list[int]]:
        """Index property ``key`` (as :meth:`GraphIndex.seek` does, by node number) over the
        nodes of the kinds whose projection may hold it (:data:`NODE_KEYS`; without the
        entities unless ``entities``), in graph order: a
        seek on an entity's name reads the entities, not every finding and source, and reads
        an entity's text fields from the records' plain data (:func:`_entity_values`), making
        no node."""
        from heapq import merge
        from .matching import seek_key
        labels = self.meta["labels"]
        start, listed = self.c["label_start"], self.c["label_nodes"]
        node = self.node

        def values(numbers) -> Iterator[tuple[int, object]]:
            for number in numbers:
                properties = node(number).properties
                if key in properties:
                    yield number, properties[key]

        found: list[Iterable[tuple[int, object]]] = []
        for kind, label in enumerate(pg.KIND_LABELS):
            if key in NODE_KEYS[kind] and label in labels and (entities or kind != ENTITY):
                at = labels.index(label)
                plain = self._entity_values(key) if kind == ENTITY else None
                found.append(plain if plain is not None else values(_Span(listed, start[at], start[at + 1])))
        keyed: dict[tuple, list[int]] = {}
        unkeyed: list[int] = []
        for number, value in (found[0] if len(found) == 1 else merge(*found, key=_first)):
            wanted = ("s", value) if type(value) is str else seek_key(value)
            if wanted is None:
                unkeyed.append(number)
            else:
                keyed.setdefault(wanted, []).append(number)
        return keyed, unkeyed

    def _entity_values(self, key: str) -> list[tuple[int, object]] | None:
        """``(node number, value)`` of each entity whose projection holds ``key``, in node
        order, read from the entities' plain data without making a record; None for a key
        the projection does not copy as it is (or a value not text)."""
        if key not in _ENTITY_TEXT:
            return None
        at = field_position(Entity, key)
        values = [data[at] for data in _plain(self.model.entities, Entity)]
        if not all(type(v) is str or v is None for v in values):
            return None
        out = [pair for pair in zip(self.whole("entity_node"), values, strict=True) if pair[1]]  # the projection leaves out ""
        out.sort(key=_first)
        return out

    def _find(self, key: str) -> int | None:
        """The number of the node with id ``key``, or None."""
        c = self.c
        position = self.topology.index.get(key)
        if position is not None:
            return c["entity_node"][position]
        for records, column in ((self.model.findings, "finding_node"), (self.model.sources, "source_node")):
            position = records.position(key)
            if position is not None:
                return c[column][position]
        head, sep, tail = key.rpartition("/quantity/")
        if sep and tail.isdigit() and tail == str(int(tail)):
            position = self.model.findings.position(head)
            if position is not None:
                number = c["finding_node"][position] + int(tail)
                if number < self.meta["nodes"] and c["node_kind"][number] == QUANTITY and \
                        c["node_pos"][number] == position and c["node_sub"][number] == int(tail):
                    return number
        return None

    def in_graph_order(self, nodes: list[Node]) -> list[Node]:
        unique = {n.element_id: n for n in nodes}
        return sorted(unique.values(), key=lambda n: self._number[n.element_id])

    def label_names(self) -> list[str]:
        return sorted(self.by_label)

    def relationship_types(self) -> list[str]:
        return sorted(self.meta["types"])


def stored_index(graph) -> StoredGraph | None:
    """The stored index of a cached graph (written on first use), or None when the graph is
    not read from the cache or its projection cannot be stored (then it is projected)."""
    if os.environ.get("MECHGRAPH_CYPHER_INDEX", "").lower() == "project":  # the benchmarks' before
        return None
    topology = graph.__dict__.get("topology")
    where = getattr(topology, "stored_at", None)
    model = graph.model
    if where is None or not all(isinstance(getattr(model, k), RecordMap)
                                for k in ("entities", "findings", "sources", "assertions")):
        return None
    folder, key = where
    path = folder / f"{key}.cypher"
    code = _code_hash()
    found = _open(path, key, code, graph)
    if found is not None:
        return found
    if len(model.assertions) >= NOTE_ABOVE:
        print(f"note: indexing the graph's {len(model.assertions):,} assertions for Cypher (once: later queries "
              f"read the index from the cache)", file=sys.stderr, flush=True)
    try:
        meta, arrays = build_arrays(model, topology)
    except (Unsupported, MechgraphError):
        return None
    meta.update(key=key, code=code)
    try:
        write_index(path, meta, arrays)
    except (OSError, MechgraphError):  # an unwritable cache: the graph is projected, as before
        return None
    del arrays
    return _open(path, key, code, graph)


def _open(path: Path, key: str, code: str, graph) -> StoredGraph | None:
    from ..store.cache import _open_trusted, warn
    opened = _open_trusted(path)
    if opened is None:
        return None
    fd, info = opened
    try:
        meta, columns = read_index(fd, info.st_size)
        if meta.get("key") != key or meta.get("code") != code:
            return None  # written for other records or by other code: rewritten
        return StoredGraph(meta, columns, graph, path)
    except (ValueError, KeyError, TypeError, IndexError, CacheDamaged) as exc:
        warn(f"cache file {path} is damaged ({exc}); writing it again")
        remove(path)
        return None
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
