"""Publication figures: static SVG (and PNG where a converter is installed) of a path
result, an explanation or one entity's neighbourhood.

>>> from mechgraph import MechGraph
>>> from mechgraph.figures import path_figure
>>> figure = path_figure(MechGraph.load("tests/data/example-graph"), "drug-x", "protein-p")  # doctest: +SKIP
>>> figure.svg.startswith("<?xml")                                                         # doctest: +SKIP
True

Figures are sized for a journal column (``width``: "single", 85 mm, or "double", 180 mm,
or a width in millimetres) with 7-point labels and 6-point notes at that size; colours
come from Okabe and Ito's colour-blind-safe palette and arrow heads differ in shape
(arrow, bar, open) as well as colour; each step prints its evidence level and score;
a legend explains both. Labels are English or Chinese (``lang``). Nothing is fetched
and the same input gives the same bytes. The layouts are in :mod:`mechgraph.figures.layouts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.constants import level_rank
from ..errors import MechgraphError
from .style import width_points, word

__all__ = ["Figure", "path_figure", "explain_figure", "focus_figure", "write_figure"]

#: chains drawn per path figure, and per family of an explain figure
PATH_CHAINS = 6
FAMILY_CHAINS = 3
#: assertions drawn on each side of a focus figure
FOCUS_LIMIT = 12


@dataclass(frozen=True)
class Figure:
    """A figure's SVG text, size and what it shows.

    Attributes
    ----------
    svg : str
        The SVG document.
    width_mm, height_mm : float
        Its size in millimetres.
    labels : list of str
        Every entity label drawn, in drawing order.
    overlaps : list of (str, str)
        Texts whose boxes overlap by the layout's own metrics (always empty for a
        correct layout).

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.figures import focus_figure
    >>> figure = focus_figure(MechGraph.load("tests/data/example-graph"), "receptor-r", width="single")
    >>> figure.svg.startswith("<?xml"), figure.width_mm, figure.overlaps
    (True, 85.0, [])
    """

    svg: str
    width_mm: float
    height_mm: float
    #: every entity label drawn, in drawing order
    labels: list[str] = field(default_factory=list)
    #: texts whose boxes overlap by the layout's own metrics (always empty for a correct layout)
    overlaps: list[tuple[str, str]] = field(default_factory=list)


def _finish(canvas, width: float, height: float, title: str, description: str, lang: str) -> Figure:
    mm = 25.4 / 72
    svg = canvas.svg.render(width, height, title=title, description=description, lang=lang)
    return Figure(svg, round(width * mm, 2), round(height * mm, 2), list(canvas.labels), canvas.overlaps())


def _check_lang(lang: str):
    if lang not in ("en", "zh"):
        raise MechgraphError(f"unknown language {lang!r}; choose en or zh")


def _name(graph, entity_id: str, lang: str) -> str:
    entity = graph.model.entities[entity_id]
    return (entity.name_zh or entity.name) if lang == "zh" else entity.name


def path_figure(graph, source: str, target: str, *, lang: str = "en", width="double", max_hops: int = 4,
                k: int = PATH_CHAINS, min_level: str | None = None, min_score: float = 0.0,
                relation: str = "chain", drug: str | None = None) -> Figure:
    """The paths ``MechGraph.path`` ranks between two entities, as cascades in its order.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    source, target : str
        The two entities, by name, alias or id.
    lang : str, optional
        Label language, "en" or "zh".
    width : str or float, optional
        "single" (85 mm), "double" (180 mm) or a width in millimetres.
    max_hops, k, min_level, min_score, relation, drug : optional
        As ``MechGraph.path`` takes them (``k``: chains drawn).

    Returns
    -------
    Figure

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        When a name matches no entity or several.
    NoPath
        When no path joins them within the limits.
    MechgraphError
        For an unknown language.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.figures import path_figure
    >>> figure = path_figure(MechGraph.load("tests/data/example-graph"), "drug-x", "protein-p")
    >>> figure.width_mm, figure.labels[:3]
    (180.0, ['Drug X', 'Receptor R', 'Protein P'])
    """
    from .layouts import cascades
    _check_lang(lang)
    result = graph.path(source, target, max_hops=max_hops, k=k, min_level=min_level, min_score=min_score,
                        relation=relation, drug=drug)
    a, b = _name(graph, result["source"]["id"], lang), _name(graph, result["target"]["id"], lang)
    title = word("path_title" if result["chains_found"] else "path_none", lang, a=a, b=b)
    points = width_points(width)
    canvas, height = cascades(graph, [(None, result["paths"], [])], title, points, lang)
    description = f"mechgraph path {result['source']['id']} {result['target']['id']}: " + \
        "; ".join(" -> ".join(n["id"] for n in p["nodes"]) for p in result["paths"])
    return _finish(canvas, points, height, title, description, lang)


def explain_figure(graph, drug: str, outcome: str | None = None, *, lang: str = "en", width="double",
                   max_hops: int = 6, k: int = FAMILY_CHAINS, min_level: str | None = None,
                   min_score: float = 0.0) -> Figure:
    """A drug's mechanism chains to its outcome, grouped by family as ``explain`` groups
    them, with the steps each family leaves open.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    drug : str
        The drug, by name, alias or id.
    outcome : str, optional
        The outcome (default: the one ``explain`` chooses).
    lang : str, optional
        Label language, "en" or "zh".
    width : str or float, optional
        "single" (85 mm), "double" (180 mm) or a width in millimetres.
    max_hops, min_level, min_score : optional
        As :func:`mechgraph.reasoning.explain.explain` takes them.
    k : int, optional
        Chains drawn per family.

    Returns
    -------
    Figure

    Raises
    ------
    EntityNotFound, AmbiguousEntity, NoPath, MechgraphError
        As ``explain`` raises them, and MechgraphError for an unknown language.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.figures import explain_figure
    >>> explain_figure(MechGraph.load("tests/data/example-graph"), "drug-x", lang="zh").labels
    ['药物X', '抑郁样行为']
    """
    from ..reasoning.explain import explain
    from .layouts import cascades
    _check_lang(lang)
    result = explain(graph, drug, outcome, max_hops=max_hops, min_level=min_level, min_score=min_score,
                     chains_per_family=k)
    groups = []
    for family in result["families"]:
        heading = family["name_zh"] if lang == "zh" and family.get("name_zh") else family["name"]
        notes = []
        if family["chains_found"] > len(family["chains"]):
            notes.append(word("more_chains", lang, n=family["chains_found"] - len(family["chains"])))
        if family["gaps"]:
            notes.append(word("open", lang, entities=", ".join(_name(graph, g["entity"]["id"], lang)
                                                             for g in family["gaps"])))
        groups.append((heading, family["chains"], notes))
    title = word("explain_title", lang, drug=_name(graph, result["drug"]["id"], lang),
                 outcome=_name(graph, result["outcome"]["id"], lang))
    points = width_points(width)
    canvas, height = cascades(graph, groups, title, points, lang)
    description = f"mechgraph explain {result['drug']['id']} {result['outcome']['id']}"
    return _finish(canvas, points, height, title, description, lang)


def focus_figure(graph, entity: str, *, lang: str = "en", width="double", limit: int = FOCUS_LIMIT,
                 min_level: str | None = None, min_score: float = 0.0, relations=None) -> Figure:
    """One entity with what acts on it and what it acts on.

    Each side shows the ``limit`` best-evidenced assertions (by evidence score, then
    level), of the relation classes ``relations``.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    entity : str
        The entity, by name, alias or id.
    lang : str, optional
        Label language, "en" or "zh".
    width : str or float, optional
        "single" (85 mm), "double" (180 mm) or a width in millimetres.
    limit : int, optional
        Assertions drawn on each side.
    min_level : str, optional
        The weakest evidence level drawn.
    min_score : float, optional
        The lowest evidence score drawn.
    relations : iterable of str, optional
        Relation classes drawn (all when None).

    Returns
    -------
    Figure

    Raises
    ------
    EntityNotFound, AmbiguousEntity
        When the name matches no entity or several.
    MechgraphError
        For an unknown relation class or language, or when nothing is left to draw.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.figures import focus_figure
    >>> focus_figure(MechGraph.load("tests/data/example-graph"), "Receptor R").labels
    ['Drug X', 'Protein P', 'Receptor R']
    """
    from ..model.relations import RELATION_CLASSES
    unknown = sorted(set(relations or ()) - set(RELATION_CLASSES))
    if unknown:
        raise MechgraphError(f"unknown relation class {unknown[0]!r}; choose from {', '.join(RELATION_CLASSES)}")
    from ..reasoning.chains import hop_record
    from .layouts import focus
    _check_lang(lang)
    e = graph.resolve(entity)
    t = graph.topology
    node = t.index[e.id]
    floor = level_rank(min_level) if min_level else 0
    sides = {}
    notes = []
    for side, edges in (("in", t.into(node)), ("out", t.out_of(node))):
        hops = [hop_record(t, graph.model, edge, forward=True, drug=None) for edge in edges]
        hops = [h for h in hops if h["subject"] != h["object"] and level_rank(h["level"]) >= floor
                and h["score"] >= min_score and (not relations or h["relation"] in relations)]
        hops.sort(key=lambda h: (-h["score"], -level_rank(h["level"]), h["assertion"]))
        if len(hops) > limit:
            notes.append(word("incoming" if side == "in" else "outgoing", lang) + ": " +
                         word("more", lang, n=len(hops) - limit))
        sides[side] = hops[:limit]
    if not sides["in"] and not sides["out"]:
        raise MechgraphError(f"{e.name} has no assertion to draw" + (" at this evidence level" if min_level else ""))
    title = word("focus_title", lang, entity=_name(graph, e.id, lang))
    points = width_points(width)
    canvas, height = focus(graph, e.id, sides["in"], sides["out"], title, points, lang, notes)
    return _finish(canvas, points, height, title, f"mechgraph figure focus {e.id}", lang)


def write_figure(figure: Figure, path, *, dpi: int = 300) -> list[Path]:
    """Write a figure as SVG or PNG.

    Parameters
    ----------
    figure : Figure
        The figure.
    path : str or Path
        The file: SVG for ``.svg``, PNG for ``.png`` (converted by the first converter
        found; :mod:`mechgraph.figures.png`).
    dpi : int, optional
        The PNG's resolution.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    MechgraphError
        For another suffix, or when no PNG converter is installed (nothing is written
        then).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from mechgraph import MechGraph
    >>> from mechgraph.figures import path_figure, write_figure
    >>> figure = path_figure(MechGraph.load("tests/data/example-graph"), "drug-x", "protein-p")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_figure(figure, Path(tmp) / "path.svg")]
    ['path.svg']
    """
    from ..atomic import atomic_path, write_text
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return [write_text(path, figure.svg)]
    if suffix == ".png":
        from .png import to_png
        data = to_png(figure.svg, figure.width_mm, figure.height_mm, dpi=dpi)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return [path]
    raise MechgraphError(f"cannot write {path}: a figure is .svg or .png")
