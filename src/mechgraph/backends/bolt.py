"""Connections to a Bolt server (Neo4j, or FalkorDB for tests) through the official driver.

:func:`connect` opens one driver, checks that the server answers and finds out what it
is: ``dbms.components()`` exists on Neo4j and not on FalkorDB. Every query runs in an
explicit transaction, READ unless it writes (FalkorDB picks a different graph for
auto-commit queries in READ mode, so explicit transactions keep one graph for both).
Errors become one-line :class:`~mechgraph.errors.MechgraphError` messages naming the
URI and never the password.

FalkorDB's Bolt layer pastes string parameters into the query text without escaping
them and prints floats with six decimals; :class:`Connection` escapes strings for it
(:mod:`mechgraph.backends.falkordb`) and refuses floats it would round, so user text
still cannot change a statement.

>>> safe_uri("neo4j://alice:secret@db.example.org:7687")
'neo4j://db.example.org:7687'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from ..cypher.values import Node, Path, Relationship, Result
from ..errors import MechgraphError
from .falkordb import FALKORDB_REQUEST_LIMIT, falkordb_value, request_size

NEO4J, FALKORDB = "neo4j", "falkordb"
#: handshake and acquisition timeouts (s) of successive connection attempts: FalkorDB leaves
#: the first handshake after another client disconnected unanswered, a slow server needs time
CONNECT_TIMEOUTS = (0.5, 5.0, 15.0)
#: URI schemes of the Bolt protocol
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class ConnectionFailed(MechgraphError):
    """The server cannot be reached, refused the credentials, or lacks the database."""


class QueryFailed(MechgraphError):
    """The server rejected or failed a query; ``code`` is the server's status code."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Settings:
    """Where to connect: ``uri``, ``user``, ``password``, ``database`` (None: the server's default)."""

    uri: str
    user: str
    password: str
    database: str | None = None

    @classmethod
    def resolve(cls, uri: str | None = None, user: str | None = None, password: str | None = None,
                database: str | None = None) -> Settings:
        """Fill what is not given from NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE."""
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise MechgraphError("no server given: pass --uri or set NEO4J_URI")
        return cls(uri=uri, user=user or os.environ.get("NEO4J_USER") or "neo4j",
                   password=password if password is not None else os.environ.get("NEO4J_PASSWORD", ""),
                   database=database or os.environ.get("NEO4J_DATABASE") or None)

    def __repr__(self) -> str:  # never show the password
        return f"Settings(uri={safe_uri(self.uri)!r}, user={self.user!r}, database={self.database!r})"


def quiet_driver_logs() -> None:
    """Keep the driver's own log lines (retries, defunct connections) off the terminal;
    mechgraph reports failures itself, in one line.

    The ``neo4j`` logger gets a NullHandler and stops propagating, unless it already
    has handlers.

    Examples
    --------
    >>> import logging
    >>> from mechgraph.backends import quiet_driver_logs
    >>> quiet_driver_logs()
    >>> logging.getLogger("neo4j").handlers != []
    True
    """
    import logging
    logger = logging.getLogger("neo4j")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def safe_uri(uri: str) -> str:
    """The URI without any user name or password written into it."""
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", r"\1", uri)


def _reason(exc: Exception) -> str:
    """One line saying why the driver failed."""
    text = str(getattr(exc, "message", None) or exc)
    found = re.findall(r"reason \[Errno -?\d+\] ([^)]+)\)", text) or re.findall(r"\(reason ([^)]+)\)", text)
    if found:
        return found[-1].strip()
    if "handshake" in text:
        return "the server did not answer the Bolt handshake"
    return " ".join(text.split())[:300]


class Connection:
    """An open connection: ``read``/``write`` run one query in a transaction of that mode.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, driver, settings: Settings, server: str, version: str):
        self._driver = driver
        self.settings = settings
        self.uri = safe_uri(settings.uri)
        self.server = server
        self.version = version

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._driver.close()

    def __repr__(self) -> str:
        return f"<Connection {self.server} {self.version} at {self.uri}>"

    @property
    def is_falkordb(self) -> bool:
        return self.server == FALKORDB

    # -- running queries ------------------------------------------------------------
    def read(self, query: str, params: dict | None = None) -> Result:
        """Run a query in a READ transaction."""
        return self.run(query, params, write=False)

    def write(self, query: str, params: dict | None = None) -> Result:
        """Run a query in a WRITE transaction."""
        return self.run(query, params, write=True)

    def write_all(self, queries: list[tuple[str, dict]]) -> list[Result]:
        """Run ``(query, params)`` pairs in order in one WRITE transaction; return their Results."""
        prepared = [(query, self._params(query, params)) for query, params in queries]

        def work(tx):
            return [_outcome(tx.run(query, params)) for query, params in prepared]

        return [Result(columns, rows, backend=self.server, counters=counters)
                for columns, rows, counters in self.transaction(work, write=True)]

    def run(self, query: str, params: dict | None = None, *, write: bool = False) -> Result:
        """Run one query in a transaction; return its Result. Raises QueryFailed or ConnectionFailed."""
        params = self._params(query, params)
        columns, rows, counters = self.transaction(lambda tx: _outcome(tx.run(query, params)), write=write)
        return Result(columns, rows, backend=self.server, counters=counters)

    def _params(self, query: str, params: dict | None) -> dict:
        """The parameters as the server must receive them; on FalkorDB escaped, and refused
        (QueryFailed) when the request would overflow its Bolt layer."""
        params = dict(params or {})
        if not self.is_falkordb:
            return params
        size = request_size(query, params)
        if size > FALKORDB_REQUEST_LIMIT:
            raise QueryFailed(f"the request is {size} bytes with its parameters; FalkorDB's Bolt "
                              f"interface crashes on requests over 4 KB, so it was not sent")
        return {key: falkordb_value(value, key) for key, value in params.items()}

    def transaction(self, work: Callable, *, write: bool):
        """Run ``work(tx)`` in one managed transaction; translate driver errors."""
        return self._translated(lambda session: (session.execute_write if write else session.execute_read)(work))

    def autocommit(self, query: str, params: dict | None = None) -> Result:
        """Run one query in an auto-commit transaction, which ``CALL { … } IN TRANSACTIONS``
        needs (it commits its own inner transactions); not retried. Neo4j only."""
        params = self._params(query, params)

        def work(session):
            import neo4j
            return _outcome(session.run(neo4j.Query(query), params))

        columns, rows, counters = self._translated(work)
        return Result(columns, rows, backend=self.server, counters=counters)

    def _translated(self, work: Callable):
        """``work(session)`` in a session of the connection's database; driver errors
        become QueryFailed or ConnectionFailed."""
        import neo4j.exceptions as ne
        try:
            with self._driver.session(database=self.settings.database) as session:
                return work(session)
        except ne.Neo4jError as exc:
            raise self._query_error(exc) from None
        except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as exc:
            raise ConnectionFailed(f"lost the connection to {self.uri}: {_reason(exc)}") from None
        except ne.DriverError as exc:
            raise QueryFailed(f"{self.uri}: {_reason(exc)}") from None

    def _query_error(self, exc) -> MechgraphError:
        code = getattr(exc, "code", "") or ""
        message = " ".join(str(getattr(exc, "message", "") or exc).split())
        if code.endswith("DatabaseNotFound"):
            return ConnectionFailed(f"database {self.settings.database!r} does not exist on {self.uri}")
        if code.endswith("AccessMode") or code.endswith("WriteOnReadOnlyAccessDbException"):
            return QueryFailed(f"{self.uri} refused to write in a read transaction: {message}", code)
        if self.is_falkordb and code.endswith("UnknownError"):
            return QueryFailed(f"FalkorDB at {self.uri} could not run the query "
                               f"(its Bolt interface reports no detail; it lacks some Neo4j Cypher features)", code)
        return QueryFailed(f"{self.uri}: {message}", code)


def _outcome(result) -> tuple[list, list, dict]:
    """Columns, rows and counters of a driver result, consumed."""
    columns = list(result.keys())
    rows = [[to_value(v) for v in record.values()] for record in result]
    return columns, rows, _counters(result.consume())


def _counters(summary) -> dict[str, int]:
    counters = getattr(summary, "counters", None)
    if counters is None:
        return {}
    names = ("nodes_created", "nodes_deleted", "relationships_created", "relationships_deleted",
             "properties_set", "labels_added", "labels_removed", "indexes_added", "constraints_added")
    return {name: getattr(counters, name) for name in names if getattr(counters, name, 0)}


def to_value(value: Any) -> Any:
    """A driver value as a result value (graph values become Node/Relationship/Path)."""
    from neo4j import graph
    if isinstance(value, graph.Node):
        return _node(value)
    if isinstance(value, graph.Relationship):
        return _relationship(value)
    if isinstance(value, graph.Path):
        return Path(tuple(_node(n) for n in value.nodes), tuple(_relationship(r) for r in value.relationships))
    if isinstance(value, list):
        return [to_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_value(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # temporal and spatial values print as Cypher writes them


def _node(node) -> Node:
    return Node(node.element_id, tuple(sorted(node.labels, key=_label_order)),
                {k: to_value(v) for k, v in dict(node).items()})


def _label_order(label: str) -> tuple:
    from .propertygraph import KIND_LABELS, MARKER
    return (label != MARKER, label not in KIND_LABELS, label)


def _relationship(rel) -> Relationship:
    start = _node(rel.start_node) if rel.start_node is not None else None
    end = _node(rel.end_node) if rel.end_node is not None else None
    return Relationship(rel.element_id, rel.type, {k: to_value(v) for k, v in dict(rel).items()}, start, end)


def connect(uri: str | None = None, *, user: str | None = None, password: str | None = None,
            database: str | None = None) -> Connection:
    """Open a connection to a Neo4j or FalkorDB server over Bolt.

    Parameters
    ----------
    uri : str, optional
        ``bolt://``, ``neo4j://`` (with ``+s`` or ``+ssc``) and so on; default
        ``NEO4J_URI``.
    user, password, database : str, optional
        Default ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``.

    Returns
    -------
    Connection

    Raises
    ------
    ConnectionFailed
        With a one-line message when the URI is invalid, the server is unreachable,
        refuses the credentials or lacks the database.
    MechgraphError
        When the neo4j driver is not installed.

    Examples
    --------
    >>> from mechgraph.backends import connect
    >>> try:
    ...     connect("http://localhost:7474", user="neo4j", password="secret")
    ... except Exception as exc:
    ...     print(type(exc).__name__, exc)
    ConnectionFailed invalid server URI http://localhost:7474: expected one of bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://, neo4j+ssc://
    >>> conn = connect("bolt://localhost:7687", user="neo4j", password="secret")  # doctest: +SKIP
    """
    settings = Settings.resolve(uri, user, password, database)
    try:
        from neo4j import GraphDatabase
        import neo4j.exceptions as ne
    except ImportError:
        raise MechgraphError("the neo4j driver is not installed: pip install 'mechgraph[neo4j]'") from None
    where = safe_uri(settings.uri)
    scheme = settings.uri.split("://", 1)[0].lower() if "://" in settings.uri else ""
    if scheme not in URI_SCHEMES:
        raise ConnectionFailed(f"invalid server URI {where}: expected one of "
                               f"{', '.join(s + '://' for s in URI_SCHEMES)}")
    last: Exception | None = None
    for timeout in CONNECT_TIMEOUTS:
        try:
            driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                          connection_timeout=timeout, connection_acquisition_timeout=timeout,
                                          max_transaction_retry_time=5.0)
        except (ne.ConfigurationError, ValueError) as exc:
            raise ConnectionFailed(f"invalid server URI {where}: {_reason(exc)}") from None
        try:
            driver.verify_connectivity()
        except ne.AuthError:
            driver.close()
            raise ConnectionFailed(f"authentication failed for user {settings.user!r} at {where}") from None
        except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as exc:
            driver.close()
            last = exc
            if "Connection refused" in str(exc) or "DNS resolve" in str(exc):
                break  # nothing listens there: waiting longer will not help
            continue
        except ne.Neo4jError as exc:
            driver.close()
            raise ConnectionFailed(f"{where}: {_reason(exc)}") from None
        return _identify(driver, settings)
    assert last is not None  # CONNECT_TIMEOUTS is not empty: each pass that does not return sets it
    raise ConnectionFailed(f"cannot reach a server at {where}: {_reason(last)}")


def _identify(driver, settings: Settings) -> Connection:
    """Ask the server what it is (and whether the database exists). FalkorDB has no
    ``dbms.components()`` and answers every error with ``UnknownError``; a Neo4j that
    refuses the call (a restricted user) answers with a client error and stays Neo4j."""
    probe = Connection(driver, settings, NEO4J, "")
    try:
        found = probe.read("CALL dbms.components() YIELD name, versions, edition "
                           "RETURN name, versions[0] AS version, edition")
    except ConnectionFailed:
        driver.close()
        raise
    except QueryFailed as exc:
        if not exc.code.endswith("UnknownError"):
            return Connection(driver, settings, NEO4J, "")
        try:
            probe.read("RETURN 1")
        except MechgraphError:
            driver.close()
            raise
        return Connection(driver, settings, FALKORDB, "")
    row = found.rows[0] if found.rows else ["Neo4j", "", ""]
    return Connection(driver, settings, NEO4J, f"{row[1]} {row[2] or ''}".strip())
