"""How ``mechgraph load`` sends the property graph: compact rows in few requests.

Items travel in groups (nodes with the same labels, relationships of one type), one
statement per group whose text is the same in every request (so FalkorDB reuses its
plan), and each item travels as a list of values in the group's column order rather
than as a map of properties::

    UNWIND $rows AS r WITH r, r[0] + $parts[0] + r[2] + $parts[1] + $shared[r[3]] AS id
    MATCH (a:`Mechgraph` {id: r[0]}) MATCH (b:`Mechgraph` {id: r[1]})
    MERGE (a)-[e:`EVIDENCE` {id: id}]->(b)
    SET e = {`id`: id, `assertion`: r[2], `role`: $shared[r[3]], `stance`: $shared[r[4]]}

    rows:   [["f-1", "drug-x", "a-1", 0, 1], ["f-1", "receptor-r", "a-1", 2, 1], ...]
    shared: ["subject", "supporting", "object"]
    parts:  ["/evidence/", "/"]

- columns come most frequent first, and a row leaves out its trailing empty values
  (a missing value is null, and neither ``SET e = {...}`` nor ``CREATE`` with a map stores a null);
- an id made of its item's other values (``f-1/evidence/a-1/subject`` above) travels
  as the fixed text between them (``$parts``), once per request;
- a column whose values repeat travels as positions in ``$shared``, which holds each
  such value once per request;
- a float travels as an integer mantissa and exponent (``m * 2.0 ^ e``), because
  FalkorDB's Bolt layer rounds float parameters to six decimals;
- a node whose id is not there yet is created with all its labels at once (see
  :func:`node_group`); relationships are merged.

With ``bulk`` (a load into an empty Neo4j database, :func:`~mechgraph.backends.loading.bulk_load`)
the rows are the same (but for floats, which travel as they are: Neo4j's Bolt carries
them exactly) and the statements create: a node group's statement returns
one record, the list of ``[id, elementId(n)]`` of the nodes it made (one record per node
would cost the driver a message each), and a relationship's row starts with the
element ids of its ends instead of their ids (an id template then reads ``a.id`` and
``b.id``)::

    UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r[0] MATCH (b) WHERE elementId(b) = r[1]
    WITH r, a, b, a.`id` + $parts[0] + r[2] + $parts[1] + $shared[r[3]] AS id
    CREATE (a)-[e:`EVIDENCE` {`id`: id, `assertion`: r[2], ...}]->(b)

A request holds at most ``batch_size`` rows and, when a byte limit is given (FalkorDB,
whose Bolt layer pastes parameters into a 4 KB buffer), stays under it; consecutive
requests share a transaction of at most ``batch_size`` rows.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from itertools import chain, repeat
from dataclasses import dataclass
from collections.abc import Iterator

from ..errors import MechgraphError
from .falkordb import pasted_size
from .propertygraph import LABELS, MARKER, REL_TYPES, Node, PropertyGraph, Relationship, checked_name, escape_name

#: a column of strings or lists travels through ``$shared`` when its values repeat
#: at least this many times on average in its group
SHARED_REPEATS = 3
#: how many items of a group the choice of shared columns looks at
SAMPLE = 2000
PLAIN, SHARED, FLOAT = "plain", "shared", "float"
#: template parts naming the ends of a relationship rather than a property
START, END = "<start>", "<end>"


@dataclass(frozen=True)
class Request:
    """One statement with its parameters; it writes ``items`` nodes or relationships (``what``)."""

    what: str
    statement: str
    params: dict
    items: int


@dataclass(frozen=True)
class Group:
    """How the items of one group travel. A row holds the start and end ids (``ends``,
    relationships), then the id unless ``template`` builds it, then the ``columns``
    (``(key, kind)``); ``parts`` is the template's fixed text, sent as ``$parts``."""

    what: str
    statement: str
    columns: tuple[tuple[str, str], ...]
    ends: bool
    template: tuple | None = None
    parts: tuple[str, ...] = ()
    shared: bool = False


def float_parts(value: float) -> tuple[int | float, int]:
    """``(m, e)`` with ``value == m * 2.0 ** e`` exactly, ``m`` an integer as small as it
    can be; for -0.0, ``m`` is -0.0 itself (an integer zero has no sign to keep).

    >>> float_parts(0.5), float_parts(-3.0)
    ((1, -1), (-3, 0))
    >>> m, e = float_parts(0.1); m * 2.0 ** e == 0.1
    True
    """
    if not math.isfinite(value):
        raise MechgraphError(f"cannot load the number {value!r}; mechgraph loads finite numbers only")
    if value == 0:  # -0.0 keeps its sign as a float mantissa: -0.0 * 2.0 ^ 0 is -0.0
        return (value, 0) if math.copysign(1.0, value) < 0 else (0, 0)
    mantissa, exponent = math.frexp(value)
    m, e = int(mantissa * 2 ** 53), exponent - 53
    zeros = (m & -m).bit_length() - 1
    return m >> zeros, e + zeros


def _value_key(value) -> object:
    """A dictionary key for a property value that tells apart values of different types."""
    if type(value) is str:
        return value
    if type(value) is list and all(type(v) is str for v in value):
        return tuple(value)
    return None, json.dumps(value)  # never equal to a text or a list of texts (the number 5 is not "5")


def columns(items: list[Node] | list[Relationship], floats: bool = True) -> tuple[tuple[str, str], ...]:
    """The ``(key, kind)`` of every property but ``id``, most frequent first (then by name).

    A key that holds a float anywhere is ``float`` (unless not ``floats``: for Neo4j,
    whose Bolt carries floats exactly); one whose strings or lists repeat
    (:data:`SHARED_REPEATS`, judged on the first :data:`SAMPLE` items) is ``shared``;
    the rest are ``plain``.
    """
    props = [item.properties for item in items]
    seen = Counter(chain.from_iterable(props))  # a dictionary iterates over its keys
    seen.pop("id", None)
    # a pass per key, each in C (a list of its values, then their types), costs far less
    # than visiting every value of every item in Python
    split = {key for key in seen if float in set(map(type, map(dict.get, props, repeat(key))))} if floats else set()
    distinct: dict[str, set | None] = {}
    for item in props[:SAMPLE]:
        for key, value in item.items():
            if isinstance(value, (str, list)):
                values = distinct.setdefault(key, set())
                if values is not None:
                    values.add(_value_key(value))
            else:
                distinct[key] = None  # numbers and booleans are as short as a position
    sampled = Counter(chain.from_iterable(props[:SAMPLE]))
    out = []
    for key in sorted(seen, key=lambda k: (-seen[k], k)):
        values = distinct.get(key)
        repeated = values is not None and len(values) * SHARED_REPEATS <= sampled[key]
        out.append((key, FLOAT if key in split else SHARED if repeated else PLAIN))
    return tuple(out)


# -- ids made of other values ----------------------------------------------------------

def _sources(item: Node | Relationship, cols: tuple[tuple[str, str], ...]) -> dict[str, object]:
    """The values an id template may use: the ends of a relationship, and properties
    that are strings or integers."""
    found: dict[str, object] = {START: item.start, END: item.end} if isinstance(item, Relationship) else {}
    for key, kind in cols:
        value = item.properties.get(key)
        if kind != FLOAT and type(value) in (str, int) and value != "":
            found[key] = value
    return found


def _split(text: str, sources: dict[str, object]) -> list:
    """``text`` cut into fixed strings and source names, longest sources placed first."""
    parts: list = [text]
    for name, value in sorted(sources.items(), key=lambda kv: -len(str(kv[1]))):
        value = str(value)
        for i, part in enumerate(parts):
            if isinstance(part, str) and value in part:
                before, after = part.split(value, 1)
                parts[i:i + 1] = [before, (name,), after]
                break
    return [p for p in parts if p != ""]


def _build(template: tuple, sources: dict[str, object]) -> str | None:
    out = []
    for part in template:
        if isinstance(part, str):
            out.append(part)
        elif part[0] in sources:
            out.append(str(sources[part[0]]))
        else:
            return None
    return "".join(out)


def id_template(items: list, cols: tuple[tuple[str, str], ...], tries: int = 3) -> tuple | None:
    """How every item's id is made of fixed text and its other values (names in
    1-tuples), each name always of one type; None when no such way is found. The way
    is read off one item's id and checked on every item; when the check fails (a value
    that happens to occur in one id), it is read off the item that failed, ``tries``
    times at most.

    >>> rels = [Relationship("f-1/cites/2", "CITES", "f-1", "s-9", {"id": "f-1/cites/2", "position": 2})]
    >>> id_template(rels, (("position", "plain"),))
    (('<start>',), '/cites/', ('position',))
    """
    model = items[0]
    for _ in range(tries):
        template = tuple(_split(model.id, _sources(model, cols)))
        if all(isinstance(part, str) for part in template):
            return None
        model = _misfit(template, items, cols)
        if model is None:
            return template
    return None


def _misfit(template: tuple, items: list, cols: tuple[tuple[str, str], ...]):
    """The first item whose id the template does not make (or makes from a value of
    another type than the first item's), or None."""
    return None if _all_fit(template, items, cols) else first_misfit(template, items, cols)


def first_misfit(template: tuple, items: list, cols: tuple[tuple[str, str], ...]):
    """:func:`_misfit` item by item."""
    types: dict[str, type] = {}
    used = {part[0] for part in template if not isinstance(part, str)}
    cols = tuple(col for col in cols if col[0] in used)  # the values the template does not use cannot matter
    for item in items:
        sources = _sources(item, cols)
        if _build(template, sources) != item.id:
            return item
        for part in template:
            if isinstance(part, str):
                continue
            kind = type(sources[part[0]])
            if types.setdefault(part[0], kind) is not kind:
                return item
    return None


def _all_fit(template: tuple, items: list, cols: tuple[tuple[str, str], ...]) -> bool:
    """True when the template makes every item's id from values of one type per name: the
    check :func:`first_misfit` makes item by item, made a column at a time (a list of each
    value the template uses, then every id at once; a list comparison). False says only
    that some item may not fit; :func:`first_misfit` then finds which."""
    kinds = dict(cols)
    values: list[list] = []
    text: list[str] = []
    for part in template:
        if isinstance(part, str):
            text.append(part.replace("{", "{{").replace("}", "}}"))
            continue
        name = part[0]
        if name == START:
            column = [item.start for item in items]
        elif name == END:
            column = [item.end for item in items]
        elif kinds.get(name, FLOAT) == FLOAT:  # never a source (see _sources)
            return False
        else:
            column = [item.properties.get(name) for item in items]
        types = set(map(type, column))
        if len(types) != 1 or types - {str, int} or (name not in (START, END) and "" in column):
            return False  # a missing, empty or other value, or values of two types
        text.append(f"{{{len(values)}}}")
        values.append(column)
    made = "".join(text).format
    return [made(*row) for row in zip(*values, strict=True)] == [item.id for item in items]


# -- statements ------------------------------------------------------------------------

def _slots(group_ends: bool, has_id: bool, cols: tuple[tuple[str, str], ...]) -> dict[str, int]:
    """The row position of the ends, the id and each column."""
    slots = {START: 0, END: 1} if group_ends else {}
    if has_id:
        slots["id"] = len(slots)
    slot = len(slots)
    for key, kind in cols:
        slots[key] = slot
        slot += 2 if kind == FLOAT else 1
    return slots


def _value_expression(kind: str, slot: int) -> str:
    if kind == SHARED:
        return f"$shared[r[{slot}]]"
    if kind == FLOAT:  # a float is two slots; a number that is not a float keeps the first, the second null
        return f"CASE WHEN r[{slot + 1}] IS NULL THEN r[{slot}] ELSE r[{slot}] * 2.0 ^ r[{slot + 1}] END"
    return f"r[{slot}]"


def _id_expression(template: tuple | None, slots: dict[str, int], kinds: dict[str, str],
                   items: list, ends: tuple[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """The Cypher expression of the id and the template's fixed text (``$parts``); ``ends``
    are the expressions of the start and end ids when the row does not hold them."""
    if template is None:
        return f"r[{slots['id']}]", ()
    terms: list[str] = []
    parts: list = []
    for part in template:
        if isinstance(part, str):
            terms.append(f"$parts[{len(parts)}]")
            parts.append(part)
            continue
        name = part[0]
        if ends is not None and name in (START, END):
            terms.append(ends[name == END])
            continue
        term = _value_expression(kinds.get(name, PLAIN), slots[name])
        first = items[0].properties.get(name) if name not in (START, END) else ""
        terms.append(f"toString({term})" if type(first) is int else term)
    return " + ".join(terms), tuple(parts)


def _property_map(cols: tuple[tuple[str, str], ...], slots: dict[str, int]) -> str:
    return "{" + ", ".join(["`id`: id"] + [f"{escape_name(key)}: {_value_expression(kind, slots[key])}"
                                           for key, kind in cols]) + "}"


def node_group(labels: tuple[str, ...], nodes: list[Node], bulk: bool = False) -> Group:
    """How nodes with these labels travel (rows ``[id, values...]``, or ``[values...]``
    when their ids are made of their values).

    The statement merges on ``id`` by hand (match, else create) rather than with
    ``MERGE``: a node created with all its labels costs FalkorDB a fraction of one
    merged and then labelled, a cost that grows with the graph.
    """
    for label in labels:
        checked_name(label, LABELS, "label")
    cols = columns(nodes, floats=not bulk)
    template = id_template(nodes, cols) if nodes else None
    slots = _slots(False, template is None, cols)
    rid, parts = _id_expression(template, slots, dict(cols), nodes)
    marker = escape_name(MARKER)
    extra = "".join(":" + escape_name(x) for x in labels if x != MARKER)
    if bulk:
        statement = (f"UNWIND $rows AS r WITH r, {rid} AS id "
                     f"CREATE (n:{marker}{extra} {_property_map(cols, slots)}) "
                     f"RETURN collect([id, elementId(n)]) AS nodes")
        return Group("nodes", statement, cols, False, template, parts, any(kind == SHARED for _, kind in cols))
    statement = (f"UNWIND $rows AS r WITH r, {rid} AS id WITH r, id, {_property_map(cols, slots)} AS p "
                 f"OPTIONAL MATCH (n:{marker} {{id: id}}) "
                 f"FOREACH (x IN CASE WHEN n IS NULL THEN [1] ELSE [] END | CREATE (m:{marker}{extra}) SET m = p) "
                 f"FOREACH (x IN CASE WHEN n IS NULL THEN [] ELSE [1] END | SET n = p{', n' + extra if extra else ''})")
    return Group("nodes", statement, cols, False, template, parts, any(kind == SHARED for _, kind in cols))


def relationship_group(rel_type: str, rels: list[Relationship], bulk: bool = False) -> Group:
    """How relationships of one type travel (rows ``[start, end, id, values...]``, or
    without the id when their ids are made of their other values)."""
    checked_name(rel_type, REL_TYPES, "relationship type")
    cols = columns(rels, floats=not bulk)
    template = id_template(rels, cols) if rels else None
    slots = _slots(True, template is None, cols)
    if bulk:
        rid, parts = _id_expression(template, slots, dict(cols), rels, ("a.`id`", "b.`id`"))
        statement = (f"UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r[0] MATCH (b) WHERE elementId(b) = r[1] "
                     f"WITH r, a, b, {rid} AS id CREATE (a)-[e:{escape_name(rel_type)} {_property_map(cols, slots)}]->(b)")
        return Group("relationships", statement, cols, True, template, parts,
                     any(kind == SHARED for _, kind in cols))
    rid, parts = _id_expression(template, slots, dict(cols), rels)
    marker = escape_name(MARKER)
    statement = (f"UNWIND $rows AS r WITH r, {rid} AS id "
                 f"MATCH (a:{marker} {{id: r[0]}}) MATCH (b:{marker} {{id: r[1]}}) "
                 f"MERGE (a)-[e:{escape_name(rel_type)} {{id: id}}]->(b) SET e = {_property_map(cols, slots)}")
    return Group("relationships", statement, cols, True, template, parts, any(kind == SHARED for _, kind in cols))


# -- rows and requests -------------------------------------------------------------------

def encode(group: Group, item: Node | Relationship, shared: _Shared, nodes: dict | None = None) -> list:
    """The row of ``item``; values of shared columns travel as their position in ``shared``,
    and the ends of a relationship as ``nodes[id]`` when ``nodes`` is given (null for an id
    it lacks: no node is found, so the relationship is left out, as a merging load does)."""
    row: list
    if not group.ends:
        row = []
    else:
        assert isinstance(item, Relationship)  # a group with ends holds relationships
        row = [item.start, item.end] if nodes is None else [nodes.get(item.start), nodes.get(item.end)]
    if group.template is None:
        row.append(item.id)
    props = item.properties
    for key, kind in group.columns:
        value = props.get(key)
        if value is None:
            row.extend((None, None) if kind == FLOAT else (None,))
        elif kind == SHARED:
            found = shared.index.get(value if type(value) is str else _value_key(value))
            row.append(shared.position(value) if found is None else found)
        elif kind == FLOAT:
            row.extend(float_parts(value) if isinstance(value, float) else (value, None))
        else:
            row.append(value)
    while row and row[-1] is None:
        row.pop()
    return row


def encode_rows(group: Group, items: list, shared: _Shared, nodes: dict | None = None) -> list[list]:
    """The rows of ``items``, as :func:`encode` makes them one by one, built a column at a
    time (a request's worth of values per pass, which costs the client far less)."""
    columns: list[list] = []
    if group.ends:
        starts, ends = [item.start for item in items], [item.end for item in items]
        columns += [starts, ends] if nodes is None else [list(map(nodes.get, starts)), list(map(nodes.get, ends))]
    if group.template is None:
        columns.append([item.id for item in items])
    props = [item.properties for item in items]
    for key, kind in group.columns:
        values = list(map(dict.get, props, repeat(key)))
        if kind == SHARED:
            columns.append(_positions(values, shared))
        elif kind == FLOAT:
            # each value worked out once; 0.0 and -0.0 are one key, so zeros are not kept
            exact = {v: float_parts(v) for v in values if isinstance(v, float) and v}
            parts = [(v, None) if not isinstance(v, float) else exact[v] if v else float_parts(v) for v in values]
            columns += [[m for m, _ in parts], [e for _, e in parts]]
        else:
            columns.append(values)
    if not columns:
        return [[] for _ in items]
    out = list(map(list, zip(*columns, strict=True)))
    if None in columns[-1]:  # rows leave out their trailing empty values
        for row in out:
            while row and row[-1] is None:
                row.pop()
    return out


def _positions(values: list, shared: _Shared) -> list:
    """The position in ``shared`` of each value (None stays None); a value not there yet is
    added in the order of its first appearance, as :func:`encode` would add it."""
    keys = values if set(map(type, values)) <= {str, type(None)} else [
        v if v is None or type(v) is str else _value_key(v) for v in values]
    index = shared.index
    new = [key for key in dict.fromkeys(keys) if key is not None and key not in index]
    if new:
        value_of = dict(zip(keys, values, strict=True))  # values with one key are alike
        for key in new:
            shared.position(value_of[key])
    return list(map(index.get, keys))


class _Shared:
    """The values of one request's shared columns, each once, and the bytes they take."""

    def __init__(self):
        self.values: list = []
        self.index: dict = {}
        self.size = 0

    def position(self, value) -> int:
        key = _value_key(value)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.values)
            self.values.append(value)
            self.size += pasted_size(value) + 2
        return found

    def forget(self, count: int) -> None:
        """Drop the values added after the first ``count``."""
        for value in self.values[count:]:
            del self.index[_value_key(value)]
            self.size -= pasted_size(value) + 2
        del self.values[count:]


def _request(group: Group, rows: list[list], shared: _Shared) -> Request:
    params: dict = {"rows": rows}
    if group.shared:
        params["shared"] = shared.values
    if group.parts:
        params["parts"] = list(group.parts)
    return Request(group.what, group.statement, params, len(rows))


def requests(group: Group, items: list, batch_size: int, max_bytes: int | None = None,
             nodes: dict | None = None) -> Iterator[Request]:
    """The group's items in requests of at most ``batch_size`` rows and, when
    ``max_bytes`` is given, at most that many bytes as FalkorDB builds the request
    (:func:`~mechgraph.backends.falkordb.request_size`). Raises MechgraphError for an
    item too large to travel alone."""
    base = (len(group.statement.encode()) + len("CYPHER rows=[] ")
            + (len("shared=[] ") if group.shared else 0)
            + (len("parts= ") + pasted_size(list(group.parts)) if group.parts else 0))
    rows: list[list] = []
    shared = _Shared()
    size = base  # without the shared values
    if not max_bytes:  # Neo4j: rows are counted, not sized
        for start in range(0, len(items), batch_size):
            shared = _Shared()
            yield _request(group, encode_rows(group, items[start:start + batch_size], shared, nodes), shared)
        return
    for item in items:
        known = len(shared.values)
        row = encode(group, item, shared)
        grown = pasted_size(row) + 2
        if rows and (len(rows) >= batch_size or size + grown + shared.size > max_bytes):
            shared.forget(known)
            yield _request(group, rows, shared)
            rows, shared, size = [], _Shared(), base
            row = encode(group, item, shared)
            grown = pasted_size(row) + 2
        if size + grown + shared.size > max_bytes:
            raise MechgraphError(f"{item.id!r} is too large for FalkorDB's Bolt interface (about "
                                 f"{size + grown + shared.size} bytes as a request; it crashes on requests over 4 KB)")
        rows.append(row)
        size += grown
    if rows:
        yield _request(group, rows, shared)


def groups(pg: PropertyGraph, bulk: bool = False) -> list[tuple[Group, list]]:
    """``(group, items)``: nodes by labels first, then relationships by type, in order of appearance."""
    nodes, rels = pg.grouped()
    return ([(node_group(labels, items, bulk), items) for labels, items in nodes.items()]
            + [(relationship_group(rel_type, items, bulk), items) for rel_type, items in rels.items()])


def transactions(pg: PropertyGraph, batch_size: int, max_bytes: int | None = None,
                 bulk: bool = False) -> list[list[Request]]:
    """Every request of the load, grouped into transactions of at most ``batch_size``
    rows: one full request each, or several smaller ones (FalkorDB's, or the ends of
    groups) in a row.

    >>> from mechgraph import MechGraph
    >>> from mechgraph.backends.propertygraph import project
    >>> work = transactions(project(MechGraph.load("tests/data/example-graph")), 500)
    >>> len(work), sum(r.items for tx in work for r in tx)
    (1, 47)
    """
    out: list[list[Request]] = []
    rows = batch_size
    for group, items in groups(pg, bulk):
        for request in requests(group, items, batch_size, max_bytes):
            if rows + request.items > batch_size:
                out.append([])
                rows = 0
            out[-1].append(request)
            rows += request.items
    return out
