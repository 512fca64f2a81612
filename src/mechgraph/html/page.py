"""Build the self-contained HTML page: pyvis assembles the nodes and edges, a
template of our own holds the page, and vis-network (pyvis's bundled copy, licence
header kept) is inlined, so that the page works offline and loads nothing.

Every text of the graph travels as JSON inside a ``<script type="application/json">``
element with ``<``, ``>`` and ``&`` escaped, and the page's script puts it into the
document only as text (``textContent``), never as markup. A Content-Security-Policy
allows only the page's own two scripts (by hash) and no network access at all.

The page's script is assembled from the parts in ``static/app/`` (``APP_PARTS``, in
that order) inside one function scope.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from ..model.constants import level_rank
from ..errors import MechgraphError
from .facts import Facts
from .i18n import LANGUAGES, phrases, strings, vocabulary
from .payload import build_payload, script_json
from .selection import Selection
from .style import (CONTESTED_DASHES, SIGN_STYLES, TIERS, edge_opacity, edge_width, group_color, legend_order,
                    type_style)

HERE = Path(__file__).resolve().parent
#: vis-network inside the pyvis package
VIS_NETWORK = Path("templates", "lib", "vis-9.1.2", "vis-network.min.js")
#: the parts of the page's script, in order
APP_PARTS: tuple[str, ...] = ("core.js", "scene.js", "labels.js", "panel.js", "cascade.js", "chains.js", "main.js")


def _pyvis():
    try:
        import pyvis
        from pyvis.network import Network
    except ImportError:
        raise MechgraphError("the HTML map needs pyvis: pip install 'mechgraph[html]'") from None
    return pyvis, Network


def vis_network_js() -> str:
    """The vis-network 9.1.2 bundle shipped with pyvis, licence header included."""
    pyvis, _ = _pyvis()
    path = Path(pyvis.__file__).resolve().parent / VIS_NETWORK
    if not path.is_file():
        raise MechgraphError(f"pyvis {getattr(pyvis, '__version__', '?')} lacks {VIS_NETWORK}; install pyvis==0.3.2")
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    if "</script" in text.lower():
        raise MechgraphError(f"{path} cannot be inlined: it contains '</script'")
    return text


def _static(name: str) -> str:
    return (HERE / "static" / name).read_text(encoding="utf-8")


def app_js() -> str:
    """The page's script: every part of ``static/app/`` in one strict-mode function."""
    parts = [f"// ---- {name} ----\n" + _static(f"app/{name}") for name in APP_PARTS]
    return ("/* mechgraph map. Every text from the graph enters the document through textContent. */\n"
            "(function () {\n\"use strict\";\n" + "\n".join(parts) + "\n}());\n")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def network_data(graph, entities: list[str], assertions: list[str],
                 facts: Facts | None = None) -> tuple[list[dict], list[dict]]:
    """The vis-network nodes and edges of the page, built with pyvis: shape, size and
    colour by entity type; arrow head and colour by sign, width by evidence score,
    opacity by evidence level, dashes when findings refute. Positions, labels and
    tooltips are set by the page's script, per view and in the language shown."""
    _, Network = _pyvis()
    model = graph.model
    net = Network(directed=True, cdn_resources="in_line")
    for entity_id in entities:
        entity = model.entities[entity_id]
        style = type_style(entity.type)
        net.add_node(entity.id, label=" ", shape=style.shape, size=18 if entity.type == "Drug" else 13,
                     color={"background": style.color, "border": "#263238",
                            "highlight": {"background": style.color, "border": "#000000"},
                            "hover": {"background": style.color, "border": "#000000"}})
    facts = facts if facts is not None else Facts(graph)
    for key in assertions:
        a = model.assertions[key]
        data = facts.edge[key][2]
        colour, head = SIGN_STYLES[data["sign"]]
        net.add_edge(a.subject, a.object, id=key,
                     arrows={"to": {"enabled": True, "type": head, "scaleFactor": 0.8}},
                     color={"color": colour, "highlight": colour, "hover": colour,
                            "opacity": edge_opacity(level_rank(data["level"]))},
                     width=edge_width(data["score"]), dashes=CONTESTED_DASHES if a.refuting else False)
    nodes, edges, *_ = net.get_network_data()
    for node in nodes:
        for key in ("font", "label", "title"):
            node.pop(key, None)
    return nodes, edges


def build_page(graph, selection: Selection, views: dict, *, lang: str = "en", title: str | None = None,
               mode: str = "map", view: str | None = None, focus: str | None = None,
               summary: dict | None = None, facts: Facts | None = None) -> tuple[str, int]:
    """The page's HTML for a selection drawn in ``views`` (view id -> ``views.View``),
    and the number of findings it carries. ``mode`` is "map", "paths" or "explain";
    ``view`` the view the page opens on; ``focus`` an entity to select at once;
    ``summary`` what a paths or explain page lists as cascades; ``facts`` what was read of
    the graph already (:class:`~mechgraph.html.facts.Facts`), read again otherwise."""
    if lang not in LANGUAGES:
        raise MechgraphError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    from jinja2 import Environment, FileSystemLoader

    facts = facts if facts is not None else Facts(graph)
    nodes, edges = network_data(graph, selection.entities, selection.assertions, facts)
    ui = strings()
    title_key = None
    if title is None:
        title_key = {"paths": "paths_title", "explain": "explain_title"}.get(mode, "title")
        title = ui[lang][title_key]
    view_order = [v for v in views]
    data = {
        "meta": {"lang": lang, "mode": mode, "title": title, "title_key": title_key, "filters": selection.filters,
                 "view": view or view_order[0], "focus": focus},
        "strings": ui,
        "vocabulary": vocabulary(),
        "phrases": phrases(),
        "types": {t: {"color": s.color, "shape": s.shape, "tier": s.tier}
                  for t, s in ((t, type_style(t)) for t in legend_order())},
        "type_order": legend_order(),
        "tiers": [list(t) for t in TIERS],
        "group_colors": {kind: group_color(kind) for kind in ("family", "type", "category")},
        "signs": {str(sign): {"color": c, "head": h} for sign, (c, h) in SIGN_STYLES.items()},
        "views": {key: v.to_json() for key, v in views.items()},
        "view_order": view_order,
        "nodes": nodes,
        "edges": edges,
        "paths": selection.paths,
        "summary": summary or {},
        "pinned": selection.pinned,
        **build_payload(graph, selection, facts),
    }
    vis = vis_network_js()
    app = app_js()
    csp = ("default-src 'none'; " f"script-src {_csp_hash(vis)} {_csp_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      keep_trailing_newline=True)
    html = env.get_template("page.html").render(
        lang=lang, title=title, csp=csp, css=_static("app.css"), data=script_json(data), vis=vis, app=app,
        mode=mode)
    return html, len(data["findings"])
