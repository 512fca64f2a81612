"""The bounds every embedded query runs within: a deadline and a row budget.

A query that would run longer than its ``timeout`` or hold more than ``max_rows`` rows
(or a list that long, from ``range()`` for instance) stops with one CypherError naming
the bound and the option that raises it; a regular expression gets the time left (the
``regex`` package's timeout); running out of memory or recursion is one error too. The
bounds of the running query live in a context variable, so the functions deep inside
the engine reach them without being handed them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import CypherError

#: defaults sized for a laptop: a minute, and a million rows (about a gigabyte at most)
TIMEOUT_S = 60.0
MAX_ROWS = 1_000_000
#: how many steps pass between two looks at the clock
_EVERY = 512


class QueryLimit(CypherError):
    """A query went past its deadline or its row budget.

    A :class:`~mechgraph.cypher.errors.CypherError`, raised by the embedded engine when
    ``run_query`` is given ``timeout`` or ``max_rows`` (or their defaults) and the query
    goes past them.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.cypher import run_query
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> try:
    ...     run_query("UNWIND range(1, 100) AS i RETURN i", graph=g, max_rows=10)
    ... except QueryLimit as exc:
    ...     print(exc)
    the query would hold more than 10 list items (raise the limit with --max-rows)
    """


@dataclass
class Budget:
    """The deadline and row budget of one running query."""

    timeout: float = TIMEOUT_S
    max_rows: int = MAX_ROWS
    deadline: float = 0.0
    steps: int = 0
    #: the statement's clock (nanoseconds since the epoch), read once: date() and the like
    #: give the same moment throughout a query
    clock: int | None = None

    def tick(self) -> None:
        """One step of work; now and then, stop if the deadline has passed."""
        self.steps += 1
        if self.steps % _EVERY == 0 and time.monotonic() > self.deadline:
            raise QueryLimit(f"the query ran past its time limit of {self.timeout:g} s (raise it with --timeout)")

    def rows(self, count: int, what: str = "rows") -> None:
        """Stop if ``count`` rows (or list items) are more than the budget allows."""
        if count > self.max_rows:
            raise QueryLimit(f"the query would hold more than {self.max_rows:,} {what} "
                             f"(raise the limit with --max-rows)")

    def now(self) -> int:
        """The statement's clock (read on first use)."""
        if self.clock is None:
            self.clock = time.time_ns()
        return self.clock

    def left(self) -> float:
        """Seconds before the deadline (at least a millisecond)."""
        return max(self.deadline - time.monotonic(), 0.001)


_CURRENT: ContextVar[Budget | None] = ContextVar("mechgraph_cypher_budget", default=None)


def current() -> Budget:
    """The budget of the query running here (an unbounded one outside a query)."""
    budget = _CURRENT.get()
    return budget if budget is not None else Budget(deadline=float("inf"))


@contextmanager
def bounded(timeout: float | None = None, max_rows: int | None = None):
    """Run the enclosed query within ``timeout`` seconds and ``max_rows`` rows; turn
    running out of memory or recursion into a CypherError."""
    budget = Budget(timeout=TIMEOUT_S if timeout is None else timeout,
                    max_rows=MAX_ROWS if max_rows is None else max_rows)
    budget.deadline = time.monotonic() + budget.timeout
    token = _CURRENT.set(budget)
    try:
        yield budget
    except MemoryError:
        raise CypherError("the query ran out of memory (lower --max-rows, or add LIMIT)") from None
    except RecursionError:
        raise CypherError("the query is nested too deeply to run") from None
    finally:
        _CURRENT.reset(token)
