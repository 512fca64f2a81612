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
    """Base class of every error mechgraph raises on purpose.

    Catch it to handle any of mechgraph's own failures; the command line prints its
    message and exits with ``exit_code``.

    Attributes
    ----------
    exit_code : int
        The exit status of the command line for this error (1).

    Examples
    --------
    >>> from mechgraph import MechGraph, MechgraphError
    >>> try:
    ...     MechGraph.load("tests/data/example-graph").resolve("Drug Y")
    ... except MechgraphError as exc:
    ...     print(type(exc).__name__, exc.exit_code)
    EntityNotFound 1
    """

    exit_code = 1


class EntityNotFound(MechgraphError):
    """A name matched no entity; ``suggestions`` holds close names.

    Parameters
    ----------
    name : str
        The name that was looked up.
    suggestions : list of str
        Close names, as ``"Name (id)"``; the message offers them.

    Examples
    --------
    >>> from mechgraph import MechGraph, EntityNotFound
    >>> try:
    ...     MechGraph.load("tests/data/example-graph").resolve("Recptor R")
    ... except EntityNotFound as exc:
    ...     print(exc)
    ...     print(exc.suggestions)
    unknown entity 'Recptor R'. Did you mean: Receptor R (receptor-r)?
    ['Receptor R (receptor-r)']
    """

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {quote(name)}.{hint}")


class AmbiguousEntity(MechgraphError):
    """A name matched several entities; ``candidates`` lists them.

    Parameters
    ----------
    name : str
        The name that was looked up.
    candidates : list of str
        The entities it could be, as ``"Name (id)"``.

    Examples
    --------
    >>> from mechgraph import AmbiguousEntity
    >>> print(AmbiguousEntity("R", ["Receptor R (receptor-r)", "Receptor R2 (receptor-r2)"]))
    'R' is ambiguous; it could be: Receptor R (receptor-r), Receptor R2 (receptor-r2)
    """

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
    """No path joins two entities within the limits given.

    Examples
    --------
    >>> from mechgraph import MechGraph, NoPath
    >>> try:
    ...     MechGraph.load("tests/data/example-graph").path("drug-x", "island")
    ... except NoPath as exc:
    ...     print(exc)
    no mechanism chain between Drug X and Isolated process within 4 hops, and no other connection either
    """


class MapTooLarge(MechgraphError):
    """The options of a map choose more entities or assertions than it draws
    (:data:`mechgraph.html.MAX_ENTITIES`, :data:`mechgraph.html.MAX_ASSERTIONS`)."""


class LocatorError(MechgraphError):
    """A seed locator is malformed or points to no sentence."""


class CurationError(MechgraphError):
    """One problem in curated graph data, located by file and line, or by ``place`` (a
    record's position, such as ``nodes[3]``) in a format without lines.

    Parameters
    ----------
    file : str
        The file the problem is in.
    line : int or None
        Its line, when the format has lines.
    message : str
        What is wrong (cut to ``MAX_MESSAGE`` characters).
    place : str, optional
        The record's position, used when ``line`` is not given.

    Examples
    --------
    >>> from mechgraph import CurationError
    >>> print(CurationError("toy.yaml", 12, "unknown predicate 'blocks'"))
    toy.yaml:12: unknown predicate 'blocks'
    >>> print(CurationError("graph_nodes.jsonl", None, "missing id", place="nodes[3]"))
    graph_nodes.jsonl: nodes[3]: missing id
    """

    def __init__(self, file: str, line: int | None, message: str, place: str = ""):
        self.file = file
        self.line = line
        self.place = place
        self.message = message = shorten(message)
        where = f"{file}:{line}" if line else f"{file}: {place}" if place else file
        super().__init__(f"{where}: {message}")


class InvalidGraph(MechgraphError):
    """A graph directory has curation errors; ``errors`` lists all of them.

    Parameters
    ----------
    errors : list of CurationError
        Every problem found; the message shows each on its own line.

    Examples
    --------
    >>> from mechgraph import MechGraph, InvalidGraph
    >>> try:
    ...     MechGraph.load("tests/data/example-seeds")   # a folder with no YAML files
    ... except InvalidGraph as exc:
    ...     print(exc.errors[0].message)
    no .yaml files found
    """

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        shown = "\n".join(str(e) for e in errors)
        super().__init__(f"{len(errors)} curation error(s):\n{shown}")


class CacheDamaged(MechgraphError):
    """A cache file failed its checksum and could not be replaced."""
