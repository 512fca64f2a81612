"""The interactive map: one self-contained, offline HTML page per graph or path result.

>>> from mechgraph import MechGraph
>>> from mechgraph.html import render_html
>>> page = render_html(MechGraph.load("tests/data/example-graph"))   # doctest: +SKIP
>>> page.startswith("<!DOCTYPE html>")                               # doctest: +SKIP
True

``write_html`` is the ``html`` export format; ``write_paths_page`` serves
``mechgraph path A B --html FILE``. pyvis and jinja2 are imported only when a page
is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text

__all__ = ["Page", "build_map", "render_html", "render_paths_html", "write_html", "write_paths_page"]


@dataclass(frozen=True)
class Page:
    """A built page and what it draws."""

    html: str
    entities: int
    assertions: int
    findings: int

    def counts(self) -> dict:
        """``{"entities", "assertions", "findings"}`` drawn or listed on the page."""
        return {"entities": self.entities, "assertions": self.assertions, "findings": self.findings}


def build_map(graph, *, focus: str | None = None, depth: int = 1, types=None,
              min_level: str | None = None, min_score: float = 0.0, lang: str = "en",
              title: str | None = None) -> Page:
    """The map of ``graph`` (a MechGraph) as one HTML page, with its counts.

    Options choose what to draw (see ``selection.select``): ``focus`` and ``depth``
    (a neighbourhood), ``types`` (entity types, a list or "T1,T2"), ``min_level`` and
    ``min_score`` (evidence floors). ``lang`` ("en" or "zh") is the language the page
    opens in. The same graph and options always give the same text.

    Raises EntityNotFound, AmbiguousEntity or MechgraphError.
    """
    from .page import build_page
    from .selection import select
    selection = select(graph, focus=focus, depth=depth, types=types, min_level=min_level, min_score=min_score)
    html, findings = build_page(graph, selection, lang=lang, title=title)
    return Page(html, len(selection.entities), len(selection.assertions), findings)


def render_html(graph, **options) -> str:
    """The map's HTML text; ``options`` are those of ``build_map``."""
    return build_map(graph, **options).html


def render_paths_html(graph, result: dict, *, lang: str = "en") -> str:
    """A page of just the paths of ``result`` (the dict ``MechGraph.path`` returns),
    with a list of the paths that highlights each one."""
    from .page import build_page
    from .selection import select_paths
    source, target = result["source"], result["target"]
    title = f"{source['name']} → {target['name']}"
    return build_page(graph, select_paths(graph, result), lang=lang, title=title, mode="paths")[0]


def write_html(graph, path, **options) -> list[Path]:
    """Write the map of ``graph`` to ``path`` atomically (the ``html`` export format);
    returns ``[path]``. ``options`` are those of ``render_html``."""
    return [write_text(path, render_html(graph, **options))]


def write_paths_page(graph, result: dict, path, *, lang: str = "en") -> list[Path]:
    """Write the page of a path result to ``path`` atomically; returns ``[path]``."""
    return [write_text(path, render_paths_html(graph, result, lang=lang))]
