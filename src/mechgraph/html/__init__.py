"""The interactive map: one self-contained, offline HTML page per graph, path or explanation.

>>> from mechgraph import MechGraph
>>> from mechgraph.html import render_html
>>> page = render_html(MechGraph.load("tests/data/example-graph"))   # doctest: +SKIP
>>> page.startswith("<!DOCTYPE html>")                               # doctest: +SKIP
True

A map page opens on the *mechanism* view (a drug's chains to its outcome, by family)
and switches to the *clinical*, *pharmacokinetics* and *everything* views
(:mod:`mechgraph.html.views`). ``write_html`` is the ``html`` export format;
``write_paths_page`` serves ``mechgraph path A B --html FILE`` and
``write_explain_page`` ``mechgraph explain DRUG --html FILE``: both draw each chain
as a cascade of steps. pyvis and jinja2 are imported only when a page is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MapTooLarge
from .limits import MAX_ASSERTIONS, MAX_ENTITIES

__all__ = ["MAX_ASSERTIONS", "MAX_ENTITIES", "MapTooLarge", "Page", "build_map", "render_html", "render_paths_html",
           "render_explain_html", "write_html", "write_paths_page", "write_explain_page"]


@dataclass(frozen=True)
class Page:
    """A built page and what it draws.

    Attributes
    ----------
    html : str
        The page's HTML text.
    entities, assertions, findings : int
        How many of each the page draws or lists.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import build_map
    >>> page = build_map(MechGraph.load("tests/data/example-graph"))
    >>> page.counts()
    {'entities': 7, 'assertions': 6, 'findings': 7}
    """

    html: str
    entities: int
    assertions: int
    findings: int

    def counts(self) -> dict:
        """``{"entities", "assertions", "findings"}`` drawn or listed on the page.

        Examples
        --------
        >>> Page("<!DOCTYPE html>", 3, 2, 4).counts()
        {'entities': 3, 'assertions': 2, 'findings': 4}
        """
        return {"entities": self.entities, "assertions": self.assertions, "findings": self.findings}


def build_map(graph, *, focus: str | None = None, depth: int = 1, types=None,
              min_level: str | None = None, min_score: float = 0.0, lang: str = "en",
              title: str | None = None, drug: str | None = None, view: str | None = None,
              max_entities: int | None = MAX_ENTITIES, max_assertions: int | None = MAX_ASSERTIONS) -> Page:
    """The map of a graph as one HTML page, with its counts.

    Options choose what the page holds (see ``selection.select``). The same graph and
    options always give the same text.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    focus : str, optional
        An entity whose neighbourhood is drawn.
    depth : int, optional
        The neighbourhood's depth, in assertions.
    types : list of str or str, optional
        Entity types to draw (a list or "T1,T2").
    min_level : str, optional
        The weakest evidence level drawn.
    min_score : float, optional
        The lowest evidence score drawn.
    lang : str, optional
        The language the page opens in, "en" or "zh".
    title : str, optional
        The page's title.
    drug : str, optional
        The drug of the mechanism view (default: the focus when it is a drug, else the
        drug with the most target, effect and clinical assertions).
    view : str, optional
        The view the page opens on (default: mechanism, or everything with a focus).
    max_entities, max_assertions : int or None, optional
        The most entities and assertions the page draws (None: no limit); a choice of more
        raises MapTooLarge before any record is read.

    Returns
    -------
    Page

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        When ``focus`` or ``drug`` matches no entity or several.
    MechgraphError
        For an unknown view, or a drug not among the entities drawn.
    MapTooLarge
        When the options choose more than ``max_entities`` entities or ``max_assertions`` assertions.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import build_map
    >>> page = build_map(MechGraph.load("tests/data/example-graph"), focus="Receptor R")
    >>> page.html.startswith("<!DOCTYPE html>"), page.counts()
    (True, {'entities': 3, 'assertions': 3, 'findings': 6})
    """
    from ..errors import MechgraphError
    from ..model.relations import DRUG_TYPES
    from .page import build_page
    from .selection import select
    from .facts import Facts
    from .views import VIEW_IDS, build_views
    if view is not None and view not in VIEW_IDS:
        raise MechgraphError(f"unknown view {view!r}; choose from {', '.join(VIEW_IDS)}")
    selection = select(graph, focus=focus, depth=depth, types=types, min_level=min_level, min_score=min_score,
                       max_entities=max_entities, max_assertions=max_assertions)
    focus_id = selection.filters.get("focus")
    drug_id = graph.resolve(drug).id if drug else None
    if drug_id is not None and drug_id not in selection.entities:
        raise MechgraphError(f"the drug {graph.model.entities[drug_id].name} ({drug_id}) is not among the entities "
                             f"drawn")
    if drug_id is None and focus_id and graph.model.entities[focus_id].type in DRUG_TYPES:
        drug_id = focus_id
    facts = Facts(graph)  # read once for the views, the drawing and the evidence panel
    views = build_views(graph, selection.entities, selection.assertions, drug=drug_id, min_level=min_level,
                        min_score=min_score, facts=facts)
    opening = view or ("everything" if focus_id else "mechanism")
    html, findings = build_page(graph, selection, views, lang=lang, title=title, view=opening, focus=focus_id,
                                facts=facts)
    return Page(html, len(selection.entities), len(selection.assertions), findings)


def render_html(graph, **options) -> str:
    """The map's HTML text.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    **options
        Those of :func:`build_map`.

    Returns
    -------
    str

    Examples
    --------
    >>> import re
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import render_html
    >>> page = render_html(MechGraph.load("tests/data/example-graph"), title="Toy graph")
    >>> re.search("<title>(.*?)</title>", page).group(1)
    'Toy graph'
    """
    return build_map(graph, **options).html


def render_paths_html(graph, result: dict, *, lang: str = "en") -> str:
    """A page of the paths of a path result.

    Each path is drawn as a cascade of steps, best first, beside the map of their
    entities. A result whose paths carry mechanism ``families`` (an ``explain`` result's
    chains, flattened) gets the explanation page, grouped by family.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    result : dict
        What ``MechGraph.path`` returns.
    lang : str, optional
        The language the page opens in, "en" or "zh".

    Returns
    -------
    str

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import render_paths_html
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> "Drug X → Protein P" in render_paths_html(g, g.path("drug-x", "protein-p"))
    True
    """
    if result.get("paths") and all("families" in p for p in result["paths"]):
        return render_explain_html(graph, _explained_from_paths(graph, result), lang=lang)
    from .page import build_page
    from .selection import select_paths
    from .views import paths_view
    source, target = result["source"], result["target"]
    title = f"{source['name']} → {target['name']}"
    selection = select_paths(graph, result)
    view = paths_view(graph, selection.entities, selection.assertions, selection.paths)
    summary = {"kind": "paths", "source": source["id"], "target": target["id"],
               "chains_found": result.get("chains_found", True),
               "groups": [{"id": "", "paths": list(range(len(selection.paths)))}]}
    return build_page(graph, selection, {"paths": view}, lang=lang, title=title, mode="paths", summary=summary)[0]


def render_explain_html(graph, explained: dict, *, lang: str = "en") -> str:
    """A page of an ``explain`` result.

    The chains of each mechanism family as cascades, the steps the literature leaves
    open, the disagreements and the drug's guidance, beside the mechanism view of those
    chains.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    explained : dict
        What :func:`mechgraph.reasoning.explain.explain` returns.
    lang : str, optional
        The language the page opens in, "en" or "zh".

    Returns
    -------
    str

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import render_explain_html
    >>> from mechgraph.reasoning import explain_drug
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> "Drug X → Depression-like behaviour" in render_explain_html(g, explain_drug(g, "drug-x"))
    True
    """
    from .page import build_page
    from .selection import Selection, path_record
    from .views import mechanism_view
    model = graph.model
    view = mechanism_view(graph, set(model.entities), set(model.assertions), explained=explained)
    paths: list[dict] = []
    groups: list[dict] = []
    for family in view.info["families"]:
        indices = []
        source = next(f for f in explained["families"] if f["id"] == family["id"])
        for chain in source["chains"]:
            indices.append(len(paths))
            paths.append(path_record(chain))
        groups.append({"id": family["key"], "name": family["name"], "name_zh": family["name_zh"], "paths": indices,
                       "chains_found": family["chains_found"], "gaps": family["gaps"],
                       "conflicts": family["conflicts"]})
    drug, outcome = explained["drug"], explained["outcome"]
    entities = set(view.entities) | {n for p in paths for n in p["nodes"]}
    entities |= {g for group in groups for g in group["gaps"] if g in model.entities}
    entities |= {e["entity"]["id"] for e in explained.get("open_ends", [])}
    assertions = set(view.assertions) | {h for p in paths for h in p["hops"]}
    selection = Selection(sorted(entities), sorted(assertions), paths=paths,
                          filters={"source": drug["id"], "target": outcome["id"]})
    summary = {"kind": "explain", "source": drug["id"], "target": outcome["id"], "groups": groups,
               "chains": explained.get("chains", len(paths)), "outcome_default": explained.get("outcome_default"),
               "open_ends": [e["entity"]["id"] for e in explained.get("open_ends", [])],
               "guidance": {topic: [f["id"] for f in items] for topic, items in explained.get("guidance", {}).items()}}
    title = f"{drug['name']} → {outcome['name']}"
    return build_page(graph, selection, {"mechanism": view}, lang=lang, title=title, mode="explain",
                      summary=summary)[0]


def _explained_from_paths(graph, result: dict) -> dict:
    """An ``explain``-shaped result from its chains flattened into a path result (what
    ``mechgraph explain --html`` hands over): chains grouped by their family as explain
    groups them, families ordered by their best chain, then by name."""
    from ..reasoning.mentions import guidance
    model = graph.model
    groups: dict[str, list[dict]] = {}
    for chain in result["paths"]:
        if chain["families"]:
            key = chain["families"][0]
        elif len(chain["hops"]) == 1:
            key = "(direct)"
        else:
            key = chain["hops"][0]["object"]
        groups.setdefault(key, []).append(chain)
    families: list[dict[str, Any]] = []
    for key, chains in groups.items():
        entity = model.entities.get(key)
        names = (entity.name, entity.name_zh) if entity else ("Direct effect on the outcome", "对结局的直接作用")
        families.append({"id": key, "name": names[0], "name_zh": names[1], "chains_found": len(chains),
                         "chains": chains, "gaps": [], "conflicts": []})
    families.sort(key=lambda f: (-f["chains"][0]["score"], f["name"].lower()))
    return {"drug": result["source"], "outcome": result["target"], "chains": len(result["paths"]),
            "families": families, "open_ends": [], "guidance": guidance(graph, result["source"]["id"])}


def write_html(graph, path, **options) -> list[Path]:
    """Write the map of a graph to a file atomically (the ``html`` export format).

    Parameters
    ----------
    graph : MechGraph
        The graph.
    path : str or Path
        The file written.
    **options
        Those of :func:`build_map`.

    Returns
    -------
    list of Path
        ``[path]``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import write_html
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_html(MechGraph.load("tests/data/example-graph"), Path(tmp) / "map.html")]
    ['map.html']
    """
    from ..atomic import write_text
    return [write_text(path, render_html(graph, **options))]


def write_paths_page(graph, result: dict, path, *, lang: str = "en") -> list[Path]:
    """Write the page of a path result to a file atomically.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    result : dict
        What ``MechGraph.path`` returns.
    path : str or Path
        The file written.
    lang : str, optional
        The language the page opens in, "en" or "zh".

    Returns
    -------
    list of Path
        ``[path]``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import write_paths_page
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_paths_page(g, g.path("drug-x", "protein-p"), Path(tmp) / "paths.html")]
    ['paths.html']
    """
    from ..atomic import write_text
    return [write_text(path, render_paths_html(graph, result, lang=lang))]


def write_explain_page(graph, explained: dict, path, *, lang: str = "en") -> list[Path]:
    """Write the page of an ``explain`` result to a file atomically.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    explained : dict
        What :func:`mechgraph.reasoning.explain.explain` returns.
    path : str or Path
        The file written.
    lang : str, optional
        The language the page opens in, "en" or "zh".

    Returns
    -------
    list of Path
        ``[path]``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.html import write_explain_page
    >>> from mechgraph.reasoning import explain_drug
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_explain_page(g, explain_drug(g, "drug-x"), Path(tmp) / "explain.html")]
    ['explain.html']
    """
    from ..atomic import write_text
    return [write_text(path, render_explain_html(graph, explained, lang=lang))]
