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
from .style import CONTESTED_DASHES, SIGN_STYLES, TYPE_STYLES, edge_opacity, edge_width

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


def _smooth(same_column: bool, index: int) -> dict:
    """Edge curvature: parallel edges between one pair fan out; edges within a column bow."""
    if same_column:
        return {"enabled": True, "type": "curvedCW", "roundness": round(0.3 + 0.12 * index, 2)}
    if index == 0:
        return {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45}
    return {"enabled": True, "type": "curvedCW", "roundness": round(0.12 * index, 2)}


def network_data(graph, selection: Selection, lang: str = "en") -> tuple[list[dict], list[dict], dict]:
    """The vis-network nodes and edges of a selection, built with pyvis, and the layout's
    column headers: ``(nodes, edges, {"tiers", "header_y"})``."""
    _, Network = _pyvis()
    model = graph.model
    entities = [model.entities[e] for e in selection.entities]
    assertions = [model.assertions[a] for a in selection.assertions]
    layout = layered_layout({e.id: e.type for e in entities}, [(a.subject, a.object) for a in assertions],
                            names={e.id: e.name for e in entities})
    net = Network(directed=True, cdn_resources="in_line")
    for entity in entities:
        style = TYPE_STYLES[entity.type]
        x, y = layout.positions[entity.id]
        name = entity.name_zh if lang == "zh" and entity.name_zh else entity.name
        net.add_node(entity.id, label=name, shape=style.shape, x=x, y=y,
                     size=18 if entity.type == "Drug" else 13,
                     color={"background": style.color, "border": "#263238",
                            "highlight": {"background": style.color, "border": "#000000"},
                            "hover": {"background": style.color, "border": "#000000"}},
                     title=f"{entity.name} / {entity.name_zh}")
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for a in assertions:
        data = graph.nx.edges[a.subject, a.object, a.id]
        colour, head = SIGN_STYLES[data["sign"]]
        pair = tuple(sorted((a.subject, a.object)))
        index = pairs[pair]
        pairs[pair] += 1
        same_column = layout.positions[a.subject][0] == layout.positions[a.object][0]
        opacity = edge_opacity(level_rank(data["level"]))
        net.add_edge(a.subject, a.object, id=a.id,
                     arrows={"to": {"enabled": True, "type": head, "scaleFactor": 0.8}},
                     color={"color": colour, "highlight": colour, "hover": colour, "opacity": opacity},
                     width=edge_width(data["score"]), dashes=CONTESTED_DASHES if a.refuting else False,
                     smooth=_smooth(same_column, index),
                     title=f"{model.entities[a.subject].name} {a.predicate.replace('_', ' ')} "
                           f"{model.entities[a.object].name} ({data['level']}, score {data['score']})")
    nodes, edges, *_ = net.get_network_data()
    for node in nodes:
        node.pop("font", None)
    return nodes, edges, {"tiers": layout.tiers, "header_y": layout.header_y}


def build_page(graph, selection: Selection, *, lang: str = "en", title: str | None = None,
               mode: str = "map") -> str:
    """The page's HTML for a selection (``mode`` "map" or "paths")."""
    if lang not in LANGUAGES:
        raise MechgraphError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    from jinja2 import Environment, FileSystemLoader

    nodes, edges, columns = network_data(graph, selection, lang)
    ui = strings()
    if title is None:
        title = ui[lang]["paths_title" if mode == "paths" else "title"]
    stats = graph.stats()
    data = {
        "meta": {"lang": lang, "mode": mode, "title": title, "filters": selection.filters,
                 "graph": {"entities": stats["entities"], "assertions": stats["assertions"],
                           "findings": stats["findings"]}},
        "strings": ui,
        "vocabulary": vocabulary(),
        "types": {t: {"color": s.color, "shape": s.shape, "tier": s.tier} for t, s in TYPE_STYLES.items()},
        "type_order": list(TYPE_STYLES),
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
        lang=lang, title=title, csp=csp, css=_static("app.css"), data=script_json(data), vis=vis, app=app,
        ui=ui[lang])
    return html
