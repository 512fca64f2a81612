"""The embedded engine's graph read from the cached store, not rebuilt per run.

Projecting a whole graph for the engine (:func:`mechgraph.backends.propertygraph.project`)
and indexing it (:class:`~mechgraph.cypher.matching.GraphIndex`) costs seconds per hundred
thousand assertions on every ``mechgraph query``. A cached graph
(:mod:`mechgraph.store.cache`) instead gets a third file beside its index and records,
``KEY.cypher``, written the first time a query runs on it: the projection's *shape* as flat
arrays, in the projection's own order (nodes, relationships, their labels, types and
ends, adjacency in compressed sparse rows). Properties are not stored twice: a node or
relationship is made when a query reaches it, from its record in the records file, by the
same functions :func:`~mechgraph.backends.propertygraph.project` calls. So a query reads the
arrays it walks and decodes the records it touches, and answers with the rows (in the
order) the projected graph gives.

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

import hashlib
import mmap
import os
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..backends import propertygraph as pg
from ..errors import CacheDamaged, MechgraphError
from ..store.recordfile import RecordMap, dump, load
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

    One pass over the findings and one over the assertions, each in file order and
    decoded a chunk at a time (:meth:`~mechgraph.store.recordfile.RecordMap.stream`); the
    relationships are then put in the projection's order (kind, then id). Relationship
    ids are unique in every graph mechgraph reads; where two are not, their order would
    depend on how the projection made them, and the graph is projected instead.
    """
    from ..store.topology import TYPES
    sources, findings, assertions = model.sources, model.findings, model.assertions
    source_ids, entity_ids, finding_ids = list(sources), topology.nodes, list(findings)

    def each(records):
        return records.stream() if isinstance(records, RecordMap) else iter(records.values())

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
    for position, f in enumerate(each(findings)):
        if f.id != finding_ids[position]:
            raise Unsupported(f"finding {finding_ids[position]!r} is stored as {f.id!r}")
        quantities.append(len(f.quantities))
        for index, (kind, number) in enumerate(pg.finding_links(f)):
            rel(pg.finding_link(f, kind, number), LINK, position, index)
        for q in range(1, len(f.quantities) + 1):
            rel(pg.finding_link(f, "HAS_QUANTITY", q), HAS_QUANTITY, position, q)
    for position, a in enumerate(each(assertions)):
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
        arrays[f"{side}_start"], arrays[f"{side}_rels"] = _rows(at, count)
    labels = sorted(label_nodes)
    label_start, label_list = array("i", [0]), array("i")
    for label in labels:
        label_list.extend(label_nodes[label])
        label_start.append(len(label_list))
    arrays["label_start"], arrays["label_nodes"] = label_start, label_list
    meta = {"nodes": count, "relationships": len(arrays["rel_type"]), "labels": labels,
            "types": type_list}
    return meta, arrays


def _rows(ends: array, count: int) -> tuple[array, array]:
    """Compressed sparse rows of relationship numbers by the node at ``ends``, each row in
    relationship order."""
    sizes = [0] * (count + 1)
    for node in ends:
        sizes[node + 1] += 1
    for i in range(count):
        sizes[i + 1] += sizes[i]
    start = array("i", sizes)
    cursor = sizes[:-1]
    listed = array("i", bytes(4 * len(ends)))
    for number, node in enumerate(ends):
        listed[cursor[node]] = number
        cursor[node] += 1
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
        self._by_property = {}
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
            found = self._nodes[number] = Node(made.id, made.labels, dict(made.properties))
            self._number[made.id] = number
        return found

    def relationship(self, number: int) -> Relationship:
        found = self._rels.get(number)
        if found is None:
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
            start, end = self.node(c["rel_start"][number]), self.node(c["rel_end"][number])
            if (made.start, made.end, made.type) != (start.element_id, end.element_id,
                                                     self.meta["types"][c["rel_type"][number]]):
                raise CacheDamaged("a stored Cypher index does not fit the cached records")
            found = self._rels[number] = Relationship(made.id, made.type, dict(made.properties), start, end)
        return found

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

    def seek(self, key: str, wanted: tuple) -> list[Node]:
        if key != "id":
            return super().seek(key, wanted)
        if wanted[0] != "s":
            return []  # every id is text
        number = self._find(wanted[1])
        return [] if number is None else [self.node(number)]

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
