"""The exceptions mechgraph raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations

import reprlib

#: the longest message an error carries; the rest is cut (an input value can be any size)
MAX_MESSAGE = 2000

_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = 80
_QUOTE.maxlist = _QUOTE.maxtuple = _QUOTE.maxdict = _QUOTE.maxset = 6
_QUOTE.maxlevel = 3


def quote(value: object) -> str:
    """``repr(value)`` cut to a readable size, whatever the value holds (a string of a
    million characters, a list nested a thousand deep): what an error message shows of
    an input value.

    >>> quote("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
    >>> quote([[[[["deep"]]]]])
    '[[[[...]]]]'
    """
    try:
        return _QUOTE.repr(value)
    except Exception:  # a value whose repr fails still gets a message
        return f"<{type(value).__name__}>"


def shorten(message: str) -> str:
    """A message cut to MAX_MESSAGE characters, saying how much was left out."""
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[:MAX_MESSAGE]}... ({len(message) - MAX_MESSAGE:,} more characters)"


class MechgraphError(Exception):
    """Base class of every error mechgraph raises on purpose."""

    exit_code = 1


class EntityNotFound(MechgraphError):
    """A name matched no entity; ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {quote(name)}.{hint}")


class AmbiguousEntity(MechgraphError):
    """A name matched several entities; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{quote(name)} is ambiguous; it could be: {', '.join(candidates)}")


class Interrupted(BaseException):
    """A signal (SIGTERM, SIGHUP) arrived while mechgraph was writing; raised so that
    the write's clean-up runs (:func:`mechgraph.atomic.signals_raise`). Like
    KeyboardInterrupt it is no Exception: nothing on the way out swallows it."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by signal {signum}")


class NoPath(MechgraphError):
    """No path joins two entities within the limits given."""


class LocatorError(MechgraphError):
    """A seed locator is malformed or points to no sentence."""


class CurationError(MechgraphError):
    """One problem in curated graph data, located by file and line, or by ``place`` (a
    record's position, such as ``nodes[3]``) in a format without lines."""

    def __init__(self, file: str, line: int | None, message: str, place: str = ""):
        self.file = file
        self.line = line
        self.place = place
        self.message = message = shorten(message)
        where = f"{file}:{line}" if line else f"{file}: {place}" if place else file
        super().__init__(f"{where}: {message}")


class InvalidGraph(MechgraphError):
    """A graph directory has curation errors; ``errors`` lists all of them."""

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        shown = "\n".join(str(e) for e in errors)
        super().__init__(f"{len(errors)} curation error(s):\n{shown}")


class CacheDamaged(MechgraphError):
    """A cache file failed its checksum and could not be replaced."""
