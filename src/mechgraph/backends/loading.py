"""Load the property graph into a Bolt server, count it, read it back, and wipe it.

Loading is idempotent: nodes and relationships are merged on their ``id`` in batches
(``UNWIND $rows``, compact rows as :mod:`mechgraph.backends.batches` describes, at most
``batch_size`` rows per transaction), and what an earlier load left behind that the
graph no longer has is removed at the end, so loading twice gives the same counts and
an interrupted load finishes when run again. Only nodes labelled ``Mechgraph`` and the
relationships mechgraph writes between them are touched.

Statements are built from validated labels and relationship types (backtick-escaped);
every value travels as a parameter. Floats travel as an integer mantissa and exponent
(``m * 2.0 ^ e``) because FalkorDB's Bolt layer rounds float parameters to six decimals.
:func:`batches` gives the same items as maps of properties, the readable form the
Cypher script writes.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from .. import collector
from ..errors import MechgraphError
from .bolt import Connection, ConnectionFailed, QueryFailed
from .falkordb import FALKORDB_REQUEST_LIMIT, pasted_size, request_size
from .batches import Request, node_group, relationship_group, transactions
from .batches import requests as group_requests
from .propertygraph import (LABELS, MARKER, REL_TYPES, Node, PropertyGraph, Relationship, checked_name,
                            escape_name, to_model)

if TYPE_CHECKING:
    from .spill import SpilledGraph

DEFAULT_BATCH_SIZE = 500
#: rows per transaction of a bulk load (into an empty Neo4j database)
BULK_BATCH_SIZE = 5000
#: transactions a bulk load keeps in flight at once, so that the server writes on more
#: than one thread
BULK_WORKERS = 2
#: how a load wrote: merging on ids, or creating into an empty database
MERGE, BULK = "merge", "bulk"
#: the label of the node by which a bulk load claims an empty Neo4j database, and the name
#: of the uniqueness constraint that lets only one load create it
CLAIM, CLAIM_CONSTRAINT = "MechgraphLoading", "mechgraph_loading"


class LoadInterrupted(MechgraphError):
    """A load stopped part-way; the message says how far it got."""


@dataclass
class LoadReport:
    """What a load did."""

    uri: str
    server: str
    nodes: int = 0
    relationships: int = 0
    removed_nodes: int = 0
    removed_relationships: int = 0
    wiped: int = 0
    schema: list[str] = field(default_factory=list)
    path: str = MERGE
    seconds: float = 0.0

    def to_json(self) -> dict:
        return dict(vars(self))


def _row(item: Node | Relationship) -> dict:
    row: dict[str, object] = {"id": item.id, "props": dict(item.properties)}
    if isinstance(item, Relationship):
        row["start"], row["end"] = item.start, item.end
    return row


def node_statement(labels: tuple[str, ...]) -> str:
    """The UNWIND statement that merges nodes with these labels."""
    for label in labels:
        checked_name(label, LABELS, "label")
    extra = "".join(":" + escape_name(x) for x in labels if x != MARKER)
    return (f"UNWIND $rows AS row MERGE (n:{escape_name(MARKER)} {{id: row.id}}) SET n = row.props"
            + (f" SET n{extra}" if extra else ""))


def relationship_statement(rel_type: str) -> str:
    """The UNWIND statement that merges relationships of one type."""
    checked_name(rel_type, REL_TYPES, "relationship type")
    marker = escape_name(MARKER)
    return (f"UNWIND $rows AS row MATCH (a:{marker} {{id: row.start}}) MATCH (b:{marker} {{id: row.end}}) "
            f"MERGE (a)-[r:{escape_name(rel_type)} {{id: row.id}}]->(b) SET r = row.props")


def batches(graph: PropertyGraph | SpilledGraph, batch_size: int) -> Iterator[tuple[str, str, Iterator[dict]]]:
    """``(what, statement, rows)`` for every batch of the Cypher script
    (:mod:`mechgraph.io.cypher_script`, which writes the rows into the statement as
    literals, floats exactly): nodes first (grouped by labels), then relationships
    (grouped by type), at most ``batch_size`` rows each, made as they are read (so each
    batch's rows must be read before the next batch is asked for) from the projection in
    memory or spilled to disk (:mod:`mechgraph.backends.spill`)."""
    kinds: tuple[tuple[str, Iterator[tuple[Any, Iterable[Node | Relationship]]], Callable[[Any], str]], ...] = (
        ("nodes", graph.node_groups(), node_statement), ("relationships", graph.relationship_groups(),
                                                         relationship_statement))
    for what, grouped, make in kinds:
        for key, items in grouped:
            statement = make(key)
            rest = iter(items)
            for first in rest:  # the batch yielded takes the next batch_size - 1 from rest
                yield what, statement, map(_row, chain((first,), islice(rest, batch_size - 1)))


def ensure_schema(conn: Connection) -> list[str]:
    """Index the ``id`` of mechgraph nodes: a uniqueness constraint where the server has
    them (Neo4j), else an index (FalkorDB). Returns what exists afterwards."""
    if not conn.is_falkordb:
        try:
            conn.write(f"CREATE CONSTRAINT mechgraph_id IF NOT EXISTS FOR (n:{MARKER}) REQUIRE n.id IS UNIQUE")
            return ["uniqueness constraint on :Mechgraph(id)"]
        except QueryFailed:  # e.g. a plain index on the same property is in the way
            conn.write(f"CREATE INDEX mechgraph_id_index IF NOT EXISTS FOR (n:{MARKER}) ON (n.id)")
            return ["index on :Mechgraph(id)"]
    indexes = conn.read("CALL db.indexes() YIELD label, properties RETURN label, properties")
    if not any(label == MARKER and "id" in (props or []) for label, props in indexes.rows):
        conn.write(f"CREATE INDEX FOR (n:{MARKER}) ON (n.id)")
    return ["index on :Mechgraph(id)"]


def load(conn: Connection, pg: PropertyGraph, *, batch_size: int | None = None, wipe_first: bool = False,
         progress: Callable[[int, int], None] | None = None, bulk: bool = True) -> LoadReport:
    """Merge the property graph into the server and remove what the graph no longer has.

    Into an empty Neo4j database (no node at all, after ``wipe_first``) and with ``bulk``,
    the graph is created instead (:func:`bulk_load`): the same nodes and relationships
    with the same properties, written faster.

    Parameters
    ----------
    conn : Connection
        An open connection (:func:`~mechgraph.backends.bolt.connect`).
    pg : PropertyGraph
        The graph's projection (:func:`~mechgraph.backends.propertygraph.project`).
    batch_size : int, optional
        Records per transaction (default :data:`DEFAULT_BATCH_SIZE`, :data:`BULK_BATCH_SIZE`
        in bulk).
    wipe_first : bool, optional
        Delete every mechgraph node first (:func:`wipe`).
    progress : callable, optional
        ``progress(done, total)``, called after each transaction.
    bulk : bool, optional
        Allow the bulk path into an empty database (default); ``False`` always merges. A
        database that holds any node is always merged.

    Returns
    -------
    LoadReport
        Nodes and relationships written and removed, the schema, the path taken
        (``"merge"`` or ``"bulk"``) and the time taken.

    Raises
    ------
    LoadInterrupted
        Saying how far the load got, when the server fails or goes away part-way.

    Examples
    --------
    Loading needs a running server:

    >>> from mechgraph import MechGraph
    >>> from mechgraph.backends import project
    >>> pg = project(MechGraph.load("tests/data/example-graph"))
    >>> len(pg.nodes), len(pg.relationships)
    (15, 32)
    >>> from mechgraph.backends import connect
    >>> conn = connect("bolt://localhost:7687", user="neo4j", password="secret")  # doctest: +SKIP
    >>> load(conn, pg).nodes  # doctest: +SKIP
    15
    """
    if batch_size is not None and batch_size < 1:
        raise MechgraphError("the batch size must be at least 1")
    refuse_unloadable(pg)
    # the rows are new objects; the projection's millions, walked by every full collection,
    # took about half of the client's time
    with collector.sparing_what_exists():
        return _load(conn, pg, batch_size, wipe_first, progress, bulk)


def _load(conn: Connection, pg: PropertyGraph, batch_size: int | None, wipe_first: bool,
          progress: Callable[[int, int], None] | None, bulk: bool) -> LoadReport:
    started = time.perf_counter()
    report = LoadReport(uri=conn.uri, server=conn.server)
    if wipe_first:
        report.wiped = wipe(conn)
    if bulk and is_empty(conn) and claim(conn):
        report.path = BULK
        bulk_load(conn, pg, report, batch_size or BULK_BATCH_SIZE, progress)
        report.seconds = round(time.perf_counter() - started, 3)
        return report
    batch_size = batch_size or DEFAULT_BATCH_SIZE
    report.schema = ensure_schema(conn)
    work = transactions(pg, batch_size, FALKORDB_REQUEST_LIMIT if conn.is_falkordb else None)
    total = len(pg.nodes) + len(pg.relationships)
    done = 0
    for requests in work:
        try:
            conn.write_all([(request.statement, request.params) for request in requests])
        except (ConnectionFailed, QueryFailed) as exc:
            raise _interrupted(conn, pg, report, exc) from None
        done += _count(report, requests)
        if progress is not None:
            progress(done, total)
    try:
        report.removed_nodes, report.removed_relationships = _remove_stale(conn, pg, batch_size)
    except (ConnectionFailed, QueryFailed) as exc:
        raise LoadInterrupted(f"loading into {conn.uri} wrote all {len(pg.nodes)} nodes and "
                              f"{len(pg.relationships)} relationships but stopped while removing stale ones: "
                              f"{exc}. Run the same command again to finish") from None
    if not conn.is_falkordb:
        try:
            release(conn)  # a claim left by a bulk load that stopped part-way
        except (ConnectionFailed, QueryFailed) as exc:
            raise LoadInterrupted(f"loading into {conn.uri} wrote all {len(pg.nodes)} nodes and "
                                  f"{len(pg.relationships)} relationships but stopped while removing the claim of "
                                  f"an earlier bulk load: {exc}. Run the same command again to finish") from None
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def refuse_unloadable(pg: PropertyGraph) -> None:
    """Raise MechgraphError, before anything is written, when a property holds a number no
    server can store exactly (NaN or an infinity, alone or in a list).

    Checking first means a load never stops part-way over a value it could have refused
    at the start: in the bulk path relationships are written only after every node.

    >>> from mechgraph.backends.propertygraph import Node, Relationship
    >>> ends = [Node(i, ("Mechgraph", "Entity"), {"id": i}) for i in ("a", "b")]
    >>> refuse_unloadable(PropertyGraph(ends, [Relationship("r", "INHIBITS", "a", "b", {"score": 0.5})]))
    >>> refuse_unloadable(PropertyGraph(ends, [Relationship("r", "INHIBITS", "a", "b", {"score": float("nan")})]))
    Traceback (most recent call last):
    ...
    mechgraph.errors.MechgraphError: cannot load the number nan (relationship 'r', property 'score'); \
mechgraph loads finite numbers only, and nothing was written
    """
    kinds: tuple[tuple[str, list[Node] | list[Relationship]], ...] = (
        ("node", pg.nodes), ("relationship", pg.relationships))
    finite = math.isfinite
    for what, items in kinds:
        for item in items:
            for value in item.properties.values():
                kind = type(value)
                if (kind is float and not finite(value)) or (
                        kind is list and not all(finite(v) for v in value if type(v) is float)):
                    _refuse(what, item)


def _refuse(what: str, item: Node | Relationship) -> None:
    """Raise for the first number of ``item`` no server can store exactly."""
    for key, value in item.properties.items():
        for number in value if type(value) is list else (value,):
            if type(number) is float and not math.isfinite(number):
                raise MechgraphError(f"cannot load the number {number!r} ({what} {item.id!r}, property "
                                     f"{key!r}); mechgraph loads finite numbers only, and nothing was written")


def _interrupted(conn: Connection, pg: PropertyGraph, report: LoadReport, exc: Exception) -> LoadInterrupted:
    return LoadInterrupted(
        f"loading into {conn.uri} stopped after {report.nodes} of {len(pg.nodes)} nodes and "
        f"{report.relationships} of {len(pg.relationships)} relationships: {str(exc).rstrip('.')}. Run the same "
        f"command again to finish (loading merges on ids, so nothing is duplicated)")


def is_empty(conn: Connection) -> bool:
    """True when the database holds no node at all (so no relationship either): Neo4j
    only, since the bulk path relies on ``elementId``."""
    if conn.is_falkordb:
        return False
    return conn.read("MATCH (n) RETURN count(n) AS n").rows == [[0]]


def claim(conn: Connection) -> bool:
    """Claim an empty Neo4j database for a bulk load: in the transaction that finds it
    holding no node, create the claim node (label :data:`CLAIM`), under a uniqueness
    constraint of its own, so that of two loads racing into one empty database one
    claims it and the other, which then sees the claim or is refused it, merges. True
    when this load claimed it.

    The claim makes the database not empty: whatever load comes next merges, creating
    the uniqueness constraint on ids before it writes, and removes the claim at its end
    (:func:`release`), as the bulk load does when it finishes."""
    if conn.is_falkordb:
        return False
    conn.write(f"CREATE CONSTRAINT {CLAIM_CONSTRAINT} IF NOT EXISTS FOR (n:{CLAIM}) REQUIRE n.claim IS UNIQUE")
    try:
        found = conn.write(f"MATCH (n) WITH count(n) AS nodes WHERE nodes = 0 "
                           f"CREATE (:{CLAIM} {{claim: 'bulk load'}}) RETURN nodes")
    except QueryFailed as exc:
        if exc.code.endswith("ConstraintValidationFailed"):  # another load claimed it first
            return False
        raise
    return found.rows == [[0]]


def release(conn: Connection) -> None:
    """Remove the claim of a bulk load (:func:`claim`) and its constraint, when there is a
    claim (asked of ``db.labels()``, so that a database that never had one is not asked
    for a label it lacks, nor for a schema change)."""
    if conn.is_falkordb or not conn.read("CALL db.labels() YIELD label WHERE label = $claim RETURN label",
                                         {"claim": CLAIM}).rows:
        return
    conn.write(f"MATCH (n:{CLAIM}) DELETE n")
    conn.write(f"DROP CONSTRAINT {CLAIM_CONSTRAINT} IF EXISTS")


def bulk_load(conn: Connection, pg: PropertyGraph, report: LoadReport, batch_size: int,
              progress: Callable[[int, int], None] | None = None) -> None:
    """Create the property graph in an empty Neo4j database that this load claimed
    (:func:`claim`).

    The statements of :mod:`~mechgraph.backends.batches` with ``bulk``: nodes are created
    (not merged), each request returning the ``elementId`` of every node it made, and
    relationships are created between nodes found by those element ids (no index lookup,
    no check for an existing relationship). The uniqueness constraint on ids is created
    after the nodes, while the relationships are written (indexing the nodes all at once
    costs the server less than checking each as it is created, and the relationships do
    not use the index); until it is there the claim keeps every other load off the bulk path: one
    that starts meanwhile merges, creating the constraint before it writes, so that a node
    both loads write is refused to one of them rather than duplicated.
    :data:`BULK_WORKERS` transactions are in flight at once, so that the server
    writes on as many threads (one that meets a deadlock is retried, as every managed
    transaction is), and the next request is built while the server writes them. The
    rows, ids and values are those a merging load sends, so the graph is the same. The
    claim is removed at the end. A load interrupted part-way leaves its committed
    transactions and its claim; the database is then not empty, so running it again
    merges (creating the constraint first) and completes it.
    """
    total = len(pg.nodes) + len(pg.relationships)
    done = 0
    node_ids: dict[str, str] = {}
    node_groups, rel_groups = pg.grouped()

    def finished(request: Request, rows: list) -> None:
        nonlocal done
        if request.what == "nodes":
            node_ids.update(rows[0][0])  # one record: the list of [id, elementId]
        _count(report, [request])
        done += request.items
        if progress is not None:
            progress(done, total)

    try:
        # each group's columns and id template are worked out as its turn comes, while the
        # server writes the previous group
        _pipelined(conn, (request for labels, nodes in node_groups.items()
                          for request in group_requests(node_group(labels, nodes, bulk=True), nodes, batch_size)),
                   finished, BULK_WORKERS)
        # the relationships are found by element id, not by the constraint's index: the server
        # builds it while they are written, and the claim stays until it is there
        with ThreadPoolExecutor(max_workers=1) as schema_pool:
            schema = schema_pool.submit(ensure_schema, conn)
            _pipelined(conn, (request for rel_type, rels in rel_groups.items()
                              for request in group_requests(relationship_group(rel_type, rels, bulk=True), rels,
                                                            batch_size, nodes=node_ids)), finished, BULK_WORKERS)
            report.schema = schema.result()
        release(conn)
    except (ConnectionFailed, QueryFailed) as exc:
        raise _interrupted(conn, pg, report, exc) from None


def _pipelined(conn: Connection, work: Iterator[Request], finished: Callable[[Request, list], None],
               workers: int = 1) -> None:
    """Run each request of ``work`` in a transaction of its own, at most ``workers`` at
    once; the next request is built while the server writes, and ``finished(request, rows)``
    is called for each committed request in the order of ``work``. When a transaction
    fails, or ``finished`` (the progress callback) raises, nothing more is sent; the
    requests already sent finish and ``finished`` hears of those that committed (so what
    it was told is what the database holds), then the last exception ``finished`` raised,
    else the first failure, is raised."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: deque[tuple[Request, Future]] = deque()
        failure: MechgraphError | None = None
        stopped: Exception | None = None

        def settle() -> None:
            nonlocal failure, stopped
            request, future = running.popleft()
            try:
                rows = future.result()
            except (ConnectionFailed, QueryFailed) as exc:
                failure = failure or exc
                return
            try:
                finished(request, rows)
            except Exception as exc:  # raised below, once the requests in flight are in
                stopped = exc

        for request in work:
            if len(running) >= workers:
                settle()
            if failure is not None or stopped is not None:
                break
            running.append((request, pool.submit(_send, conn, request)))
        while running:
            settle()
        if stopped is not None:
            raise stopped
        if failure is not None:
            raise failure


def _send(conn: Connection, request: Request) -> list:
    """Run one request in a write transaction; its rows as the driver gives them (plain
    strings here, not query results)."""
    params = {**request.params, "rows": _Rows(request.params["rows"])}
    return conn.transaction(lambda tx: tx.run(request.statement, params).values(), write=True)


class _Rows(list):
    """A request's rows, shown in short: the driver writes every statement's parameters
    into the text of a debug message even when nothing logs it, which for a bulk load
    costs about as much as packing them for the server."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _count(report: LoadReport, requests: list[Request]) -> int:
    """Add what the requests wrote to the report; return how many items."""
    for request in requests:
        setattr(report, request.what, getattr(report, request.what) + request.items)
    return sum(request.items for request in requests)


def _nothing_stale(conn: Connection, pg: PropertyGraph) -> bool:
    """True when the server's counts show that it holds exactly what was just written.

    Every node of ``pg`` is there with at least its labels, and every relationship whose
    ends are nodes of ``pg``; so equal counts of nodes by label, and of relationships by
    type, leave no room for anything stale. Counting is cheap where reading every id
    back is not."""
    wanted_nodes = {n.id: n.labels for n in pg.nodes}
    labels = Counter(label for node_labels in wanted_nodes.values() for label in set(node_labels) & LABELS)
    found = conn.read(f"MATCH (n:{MARKER}) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    if {label: n for label, n in found.rows if label in LABELS} != dict(labels):
        return False
    rels = {(r.start, r.type, r.id, r.end) for r in pg.relationships
            if r.start in wanted_nodes and r.end in wanted_nodes}
    types = Counter(rel_type for _, rel_type, _, _ in rels)
    found = conn.read(f"MATCH (:{MARKER})-[r]->(:{MARKER}) WHERE r.id IS NOT NULL "
                      f"RETURN type(r) AS type, count(r) AS n")
    return {t: n for t, n in found.rows if t in REL_TYPES} == dict(types)


def _remove_stale(conn: Connection, pg: PropertyGraph, batch_size: int) -> tuple[int, int]:
    """Delete the mechgraph relationships, then nodes, that the property graph does not have;
    fix the labels of nodes whose entity type changed. Returns the numbers deleted."""
    if _nothing_stale(conn, pg):
        return 0, 0
    wanted_rels = {(r.start, r.type, r.id, r.end) for r in pg.relationships}
    found = conn.read(f"MATCH (a:{MARKER})-[r]->(b:{MARKER}) WHERE r.id IS NOT NULL "
                      f"RETURN a.id AS start, type(r) AS type, r.id AS id, b.id AS end")
    stale_rels = sorted({tuple(row) for row in found.rows if row[1] in REL_TYPES} - wanted_rels, key=str)
    _write_in_chunks(conn, f"UNWIND $rows AS row MATCH (a:{MARKER} {{id: row[0]}})-[r]->(b:{MARKER} {{id: row[3]}}) "
                           f"WHERE type(r) = row[1] AND r.id = row[2] DELETE r", [list(r) for r in stale_rels],
                     batch_size)
    wanted_nodes = {n.id: set(n.labels) for n in pg.nodes}
    found = conn.read(f"MATCH (n:{MARKER}) RETURN n.id AS id, labels(n) AS labels")
    stale_nodes = sorted({row[0] for row in found.rows} - set(wanted_nodes), key=str)
    _write_in_chunks(conn, f"UNWIND $rows AS id MATCH (n:{MARKER} {{id: id}}) DETACH DELETE n", stale_nodes,
                     batch_size)
    for node_id, labels in found.rows:  # a node whose type changed keeps its old label until here
        extra = sorted(set(labels) & LABELS - wanted_nodes.get(node_id, set(labels)))
        if extra:
            conn.write(f"MATCH (n:{MARKER} {{id: $id}}) REMOVE n{''.join(':' + escape_name(x) for x in extra)}",
                       {"id": node_id})
    return len(stale_nodes), len(stale_rels)


def _write_in_chunks(conn: Connection, statement: str, rows: list, batch_size: int) -> None:
    """Run ``statement`` over consecutive chunks of ``rows`` (``$rows``): at most
    ``batch_size`` each and, on FalkorDB, under its request limit."""
    chunk: list = []
    size = empty = request_size(statement, {"rows": []})
    for row in rows:
        grown = pasted_size(row) + 2
        if chunk and (len(chunk) >= batch_size or (conn.is_falkordb and size + grown > FALKORDB_REQUEST_LIMIT)):
            conn.write(statement, {"rows": chunk})
            chunk, size = [], empty
        chunk.append(row)
        size += grown
    if chunk:
        conn.write(statement, {"rows": chunk})


def wipe(conn: Connection, batch_size: int = 5000) -> int:
    """Delete every ``Mechgraph`` node and its relationships, in batches: first the
    relationships (``batch_size`` per transaction), then the nodes, so that no transaction
    outgrows the server's memory however many relationships a node has. On Neo4j the
    claim a bulk load left when it stopped part-way (:func:`claim`) goes too.

    On Neo4j each step is one ``CALL { … } IN TRANSACTIONS`` statement, which reads the
    graph once and commits a transaction every ``batch_size`` rows; FalkorDB, which lacks
    it, repeats a ``LIMIT``-ed delete until nothing is left.

    Parameters
    ----------
    conn : Connection
        An open connection.
    batch_size : int, optional
        Relationships, then nodes, deleted per transaction.

    Returns
    -------
    int
        How many nodes were deleted.

    Examples
    --------
    Wiping needs a running server:

    >>> from mechgraph.backends import connect
    >>> conn = connect("bolt://localhost:7687", user="neo4j", password="secret")  # doctest: +SKIP
    >>> wipe(conn)  # doctest: +SKIP
    15
    """
    # Relationships go first: deleting a batch of nodes with DETACH would also delete all
    # their relationships in the same transaction, which for the hubs of a big graph
    # outgrows the server's transaction memory (Neo4j refuses it).
    patterns = (f"(:{MARKER})-[r]->()", f"()-[r]->(:{MARKER})")
    if conn.is_falkordb:
        for pattern in patterns:
            _delete_in_batches(conn, f"MATCH {pattern} WITH r LIMIT $limit DELETE r", batch_size)
        return _delete_in_batches(conn, f"MATCH (n:{MARKER}) WITH n LIMIT $limit DETACH DELETE n", batch_size)
    for pattern in patterns:
        conn.autocommit(f"MATCH {pattern} {_in_transactions(conn, 'r', 'DELETE r')}", {"rows": batch_size})
    deleted = conn.autocommit(f"MATCH (n:{MARKER}) {_in_transactions(conn, 'n', 'DETACH DELETE n')}",
                              {"rows": batch_size})
    release(conn)  # the claim of a bulk load that stopped part-way, so that the database is empty again
    return deleted.counters.get("nodes_deleted", 0)


def _in_transactions(conn: Connection, var: str, body: str) -> str:
    """``CALL { … } IN TRANSACTIONS`` of ``$rows`` rows over ``var``: with a scope clause
    (``CALL (r) { … }``) from Neo4j 5.23, where importing ``WITH`` is deprecated, and with
    ``WITH`` before."""
    if _version(conn.version) >= (5, 23):
        return f"CALL ({var}) {{ {body} }} IN TRANSACTIONS OF $rows ROWS"
    return f"CALL {{ WITH {var} {body} }} IN TRANSACTIONS OF $rows ROWS"


def _version(text: str) -> tuple[int, ...]:
    """The leading numbers of a server version (``"5.26.30 community"`` gives ``(5, 26, 30)``),
    ``()`` when there are none.

    >>> _version("5.26.30 community"), _version("2025.01.0 enterprise"), _version("")
    ((5, 26, 30), (2025, 1, 0), ())
    """
    found = re.match(r"\d+(?:\.\d+)*", text.strip())
    return tuple(int(part) for part in found.group().split(".")) if found else ()


def _delete_in_batches(conn: Connection, statement: str, batch_size: int) -> int:
    """Run a ``… LIMIT $limit DELETE …`` statement until it deletes fewer than a batch;
    return how many rows it deleted in all."""
    deleted = 0
    while True:
        result = conn.write(statement + " RETURN count(*) AS deleted", {"limit": batch_size})
        count = result.rows[0][0] if result.rows else 0
        deleted += count
        if count < batch_size:
            return deleted


def counts(conn: Connection) -> dict:
    """What the mechgraph part of the database holds.

    Parameters
    ----------
    conn : Connection
        An open connection.

    Returns
    -------
    dict
        ``{"nodes": N, "relationships": R, "labels": {label: n}, "types": {type: n}}``;
        relationships are those between mechgraph nodes.

    Examples
    --------
    Counting needs a running server:

    >>> from mechgraph.backends import connect
    >>> conn = connect("bolt://localhost:7687", user="neo4j", password="secret")  # doctest: +SKIP
    >>> counts(conn)["nodes"]  # doctest: +SKIP
    15
    """
    labels = conn.read(f"MATCH (n:{MARKER}) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    types = conn.read(f"MATCH (:{MARKER})-[r]->(:{MARKER}) RETURN type(r) AS type, count(r) AS n")
    by_label = dict(sorted((label, n) for label, n in labels.rows))
    by_type = dict(sorted((t, n) for t, n in types.rows))
    return {"nodes": by_label.get(MARKER, 0), "relationships": sum(by_type.values()),
            "labels": by_label, "types": by_type}


def read_model(conn: Connection):
    """Read the mechgraph part of the database back into a Model."""
    nodes = conn.read(f"MATCH (n:{MARKER}) RETURN labels(n) AS labels, properties(n) AS props")
    rels = conn.read(f"MATCH (a:{MARKER}:Entity)-[r]->(b:{MARKER}:Entity) "
                     f"RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props")
    return to_model(((labels, props) for labels, props in nodes.rows), (tuple(row) for row in rels.rows))
