"""The errors of the Cypher layer; all are MechgraphErrors, printed as one line by the CLI."""

from __future__ import annotations

from ..errors import MechgraphError


class CypherSyntaxError(MechgraphError):
    """A query that cannot be read; the message names the position."""


class UnsupportedFeature(MechgraphError):
    """A query uses Cypher the embedded engine does not run; the message names the feature."""

    def __init__(self, feature: str):
        self.feature = feature
        super().__init__(f"the embedded Cypher engine does not support {feature}; "
                         f"run the query on Neo4j instead (--uri or NEO4J_URI)")


class ReadOnly(MechgraphError):
    """A write sent where writes are not allowed."""


class CypherError(MechgraphError):
    """A query failed while running (a type error, a missing parameter, ...)."""
