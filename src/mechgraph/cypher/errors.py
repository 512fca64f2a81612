"""The errors of the Cypher layer; all are MechgraphErrors, printed as one line by the CLI.

Each error of a query that cannot run says what kind of error it is in openCypher's
terms (``kind``: SyntaxError, TypeError, ArgumentError, ParameterMissing; None when the
engine does not classify it) and when it was found (``phase``: "compile" when reading
and checking the query, before any row; "runtime" while running it). A refusal by name
(:class:`UnsupportedFeature`) and a query bound (``limits.QueryLimit``) are neither.
"""

from __future__ import annotations

from ..errors import MechgraphError


class CypherSyntaxError(MechgraphError):
    """A query that cannot be read; the message names the position."""

    kind: str | None = "SyntaxError"
    phase: str | None = "compile"


class UnsupportedFeature(MechgraphError):
    """A query uses Cypher the embedded engine does not run; the message names the feature."""

    kind: str | None = None
    phase: str | None = None

    def __init__(self, feature: str):
        self.feature = feature
        super().__init__(f"the embedded Cypher engine does not support {feature}; "
                         f"run the query on Neo4j instead (--uri or NEO4J_URI)")


class ReadOnly(MechgraphError):
    """A write sent where writes are not allowed."""


class CypherError(MechgraphError):
    """A query failed while running (a type error, a missing parameter, ...).

    Its subclasses carry openCypher's error classes; every one is a MechgraphError.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> try:
    ...     run_query("RETURN $x", graph=g)
    ... except CypherError as exc:
    ...     print(exc)
    expected parameter $x (pass it with -p x=VALUE)
    """

    kind: str | None = None
    phase: str | None = None


class InvalidQuery(CypherError):
    """A query that reads well but means nothing (an undefined variable, an aggregate
    where none may be): what openCypher calls a SyntaxError."""

    kind = "SyntaxError"


class CypherTypeError(CypherError):
    """A value of the wrong type for an operator or function."""

    kind = "TypeError"


class CypherArgumentError(CypherError):
    """A value of the right type but out of range (a month of 13, a step of 0, ...)."""

    kind = "ArgumentError"


class ParameterMissing(CypherError):
    """A query uses a parameter it was not given."""

    kind = "ParameterMissing"


def found_at(error: MechgraphError, phase: str) -> None:
    """Mark ``error`` as found at ``phase``, unless it already says when or is not a
    CypherError."""
    if isinstance(error, CypherError) and error.phase is None:
        error.phase = phase
