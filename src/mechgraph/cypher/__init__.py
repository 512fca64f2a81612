"""Cypher over a mechanism graph: the embedded engine, or a Bolt server, with one entry point.

>>> from mechgraph import MechGraph
>>> run_query("MATCH (d:Drug) RETURN d.id AS drug", graph=MechGraph.load("tests/data/example-graph")).rows
[['drug-x']]
"""

from __future__ import annotations

from ..errors import MechgraphError


def run_query(query: str, params: dict | None = None, *, graph=None, conn=None, write: bool = False,
              timeout: float | None = None, max_rows: int | None = None):
    """Run ``query`` on the embedded engine of ``graph``, or on ``conn`` (an open
    :class:`mechgraph.backends.bolt.Connection`); return a :class:`~mechgraph.cypher.values.Result`.

    The embedded engine stops a query past ``timeout`` seconds or ``max_rows`` rows
    (defaults in :mod:`mechgraph.cypher.limits`) with a CypherError.

    Without ``write`` a query that writes is refused before it is sent (Neo4j would also
    refuse it in its READ transaction; FalkorDB would not). On FalkorDB, features it lacks
    are refused by name before sending. Raises MechgraphError subclasses.
    """
    if conn is None:
        if write:
            raise MechgraphError("the embedded graph is read-only (it is built from the graph's YAML files); "
                                 "to write, load it into Neo4j and pass --uri with --write")
        from .engine import Engine
        return Engine.for_graph(graph).run(query, params, timeout=timeout, max_rows=max_rows)
    from .guard import falkordb_gap
    if not write:
        check_read_only(query)
    if conn.is_falkordb:
        gap = falkordb_gap(query)
        if gap is not None:
            raise MechgraphError(f"FalkorDB at {conn.uri} does not support {gap}; the query was not sent")
    return conn.run(query, params, write=write)


def check_read_only(query: str) -> None:
    """Raise MechgraphError, naming the clause, when ``query`` writes."""
    from .guard import writes
    clause = writes(query)
    if clause is not None:
        raise MechgraphError(f"the query writes ({clause}) and was not sent; add --write to allow writes")


from ..exports import lazy_exports  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .errors import CypherError as CypherError
    from .limits import QueryLimit as QueryLimit
    from .temporal.values import Temporal as Temporal
    from .values import (
        Node as Node, Path as Path, Relationship as Relationship, Result as Result, result_json as result_json,
        to_plain as to_plain)

#: the folder's public names defined in its modules, imported on first use
EXPORTS = {
    "CypherError": "errors",
    "Node": "values",
    "Path": "values",
    "QueryLimit": "limits",
    "Relationship": "values",
    "Result": "values",
    "Temporal": "temporal.values",
    "result_json": "values",
    "to_plain": "values",
}
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
