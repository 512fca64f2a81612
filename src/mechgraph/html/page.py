"""Build the self-contained HTML page: pyvis assembles the nodes and edges, a
template of our own holds the page, and vis-network (pyvis's bundled copy, licence
header kept) is inlined, so that the page works offline and loads nothing.

Every text of the graph travels as JSON inside a ``<script type="application/json">``
element with ``<``, ``>`` and ``&`` escaped, and the page's script puts it into the
document only as text (``textContent``), never as markup. A Content-Security-Policy
allows only the page's own two scripts (by hash) and no network access at all.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from pathlib import Path

from ..constants import level_rank
from ..errors import MechgraphError
from .i18n import LANGUAGES, strings, vocabulary
from .layout import layered_layout
from .payload import build_payload, script_json
from .selection import Selection
from .style import CONTESTED_DASHES, SIGN_STYLES, edge_opacity, edge_width, legend_order, type_style

HERE = Path(__file__).resolve().parent
#: vis-network inside the pyvis package
VIS_NETWORK = Path("templates", "lib", "vis-9.1.2", "vis-network.min.js")


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


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _smooth(columns_apart: int, index: int) -> dict:
    """Edge curvature. Edges between neighbouring columns are S-curves; longer ones and
    edges within a column bow out of the rows they cross; parallel edges between one
    pair of entities fan out."""
    if columns_apart == 1 and index == 0:
        return {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45}
    base = 0.3 if columns_apart == 0 else 0.12 if columns_apart == 1 else 0.08
    return {"enabled": True, "type": "curvedCW", "roundness": round(base + 0.1 * index, 2)}


def network_data(graph, selection: Selection, lang: str = "en") -> tuple[list[dict], list[dict], dict]:
    """The vis-network nodes and edges of a selection, built with pyvis, and the layout's
    column headers: ``(nodes, edges, {"tiers", "header_y"})``. Tooltips are set by the
    page's script, in the language shown."""
    _, Network = _pyvis()
    model = graph.model
    entities = [model.entities[e] for e in selection.entities]
    assertions = [model.assertions[a] for a in selection.assertions]
    layout = layered_layout({e.id: e.type for e in entities}, [(a.subject, a.object) for a in assertions],
                            names={e.id: e.name for e in entities})
    net = Network(directed=True, cdn_resources="in_line")
    for entity in entities:
        style = type_style(entity.type)
        x, y = layout.positions[entity.id]
        name = entity.name_zh if lang == "zh" and entity.name_zh else entity.name
        net.add_node(entity.id, label=name, shape=style.shape, x=x, y=y,
                     size=18 if entity.type == "Drug" else 13,
                     color={"background": style.color, "border": "#263238",
                            "highlight": {"background": style.color, "border": "#000000"},
                            "hover": {"background": style.color, "border": "#000000"}})
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for a in assertions:
        data = graph.nx.edges[a.subject, a.object, a.id]
        colour, head = SIGN_STYLES[data["sign"]]
        pair = tuple(sorted((a.subject, a.object)))
        index = pairs[pair]
        pairs[pair] += 1
        apart = abs(layout.column_of[a.subject] - layout.column_of[a.object])
        opacity = edge_opacity(level_rank(data["level"]))
        net.add_edge(a.subject, a.object, id=a.id,
                     arrows={"to": {"enabled": True, "type": head, "scaleFactor": 0.8}},
                     color={"color": colour, "highlight": colour, "hover": colour, "opacity": opacity},
                     width=edge_width(data["score"]), dashes=CONTESTED_DASHES if a.refuting else False,
                     smooth=_smooth(apart, index))
    nodes, edges, *_ = net.get_network_data()
    for node in nodes:
        node.pop("font", None)
    return nodes, edges, {"tiers": layout.tiers, "header_y": layout.header_y}


def build_page(graph, selection: Selection, *, lang: str = "en", title: str | None = None,
               mode: str = "map") -> tuple[str, int]:
    """The page's HTML for a selection (``mode`` "map" or "paths"), and the number of
    findings it carries."""
    if lang not in LANGUAGES:
        raise MechgraphError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    from jinja2 import Environment, FileSystemLoader

    nodes, edges, columns = network_data(graph, selection, lang)
    ui = strings()
    title_key = None
    if title is None:
        title_key = "paths_title" if mode == "paths" else "title"
        title = ui[lang][title_key]
    data = {
        "meta": {"lang": lang, "mode": mode, "title": title, "title_key": title_key, "filters": selection.filters},
        "strings": ui,
        "vocabulary": vocabulary(),
        "types": {t: {"color": s.color, "shape": s.shape, "tier": s.tier}
                  for t, s in ((t, type_style(t)) for t in legend_order())},
        "type_order": legend_order(),
        "signs": {str(sign): {"color": c, "head": h} for sign, (c, h) in SIGN_STYLES.items()},
        "columns": columns,
        "nodes": nodes,
        "edges": edges,
        "paths": selection.paths,
        **build_payload(graph, selection),
    }
    vis = vis_network_js()
    app = _static("app.js")
    csp = ("default-src 'none'; " f"script-src {_csp_hash(vis)} {_csp_hash(app)}; "
           "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True,
                      keep_trailing_newline=True)
    html = env.get_template("page.html").render(
        lang=lang, title=title, csp=csp, css=_static("app.css"), data=script_json(data), vis=vis, app=app)
    return html, len(data["findings"])
