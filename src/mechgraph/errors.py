"""The exceptions mechgraph raises; the CLI turns each into a message and an exit code."""

from __future__ import annotations


class MechgraphError(Exception):
    """Base class of every error mechgraph raises on purpose."""

    exit_code = 1


class EntityNotFound(MechgraphError):
    """A name matched no entity; ``suggestions`` holds close names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {name!r}.{hint}")


class AmbiguousEntity(MechgraphError):
    """A name matched several entities; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = candidates
        super().__init__(f"{name!r} is ambiguous; it could be: {', '.join(candidates)}")


class NoPath(MechgraphError):
    """No path joins two entities within the limits given."""


class LocatorError(MechgraphError):
    """A seed locator is malformed or points to no sentence."""


class CurationError(MechgraphError):
    """One problem in curated graph data, located by file and line."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class InvalidGraph(MechgraphError):
    """A graph directory has curation errors; ``errors`` lists all of them."""

    def __init__(self, errors: list[CurationError]):
        self.errors = errors
        shown = "\n".join(str(e) for e in errors)
        super().__init__(f"{len(errors)} curation error(s):\n{shown}")
