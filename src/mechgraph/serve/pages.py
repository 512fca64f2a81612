"""The HTML of the server's panels: Jinja templates in ``templates/`` with every value
escaped (autoescape), one stylesheet and one small script from ``static/``, inline.

Each panel page carries a Content-Security-Policy as strict as the static map's: no
source but the page itself, its one script allowed by hash, no plug-ins, no base URL;
it may only fetch ``/api/version`` from its own server, submit its forms to it and
frame its map. The map page keeps the policy it was rendered with
(:func:`embedded_csp`).

>>> "script-src 'sha256-" in csp()
True
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from ..cli.output import KIND_WORDS, SIGN_TEXT, conflict_title
from ..reasoning.conflicts import KINDS

HERE = Path(__file__).resolve().parent
#: the panels, in the order of the navigation bar: (key, address, label)
PANELS: tuple[tuple[str, str, str], ...] = (
    ("map", "/", "Map"), ("path", "/path", "Path"), ("explain", "/explain", "Explain"),
    ("conflicts", "/conflicts", "Conflicts"), ("coverage", "/coverage", "Coverage"), ("locate", "/locate", "Locate"),
    ("console", "/console", "Cypher"),
)
#: what the console offers to try before anything is typed
EXAMPLES = (
    "MATCH (d:Drug)-[r]->(t:Entity) RETURN d.name AS drug, type(r) AS predicate, t.name AS target ORDER BY drug, target",
    "MATCH (e:Entity) RETURN e.type AS type, count(*) AS entities ORDER BY entities DESC",
    "MATCH (f:Finding) RETURN f.level AS level, count(*) AS findings ORDER BY findings DESC",
    "MATCH p = (:Drug)-[*1..3]->(:Phenotype) RETURN p LIMIT 10",
)
#: the rows of a result the console draws (the downloads hold all)
SHOWN_ROWS = 1000
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _static(name: str) -> str:
    return (HERE / "static" / name).read_text(encoding="utf-8")


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


@cache
def script() -> str:
    """The panels' one script: follow the graph's version, show its errors."""
    return _static("live.js")


@cache
def csp() -> str:
    """The Content-Security-Policy of every panel page."""
    return (f"default-src 'none'; script-src {_hash(script())}; style-src 'unsafe-inline'; img-src data:; "
            "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def embedded_csp(page: str) -> str:
    """The policy a rendered map page declares in its ``<meta>``, allowed in a frame of
    the panels (``frame-ancestors 'self'``, which a ``<meta>`` policy cannot say)."""
    match = _META_CSP.search(page)
    if match is None:
        raise ValueError("the page declares no Content-Security-Policy")
    return match.group(1).replace("&#39;", "'") + "; frame-ancestors 'self'"


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(arrow=_arrow, where=_where, supporting=_supporting, names=_names, facts=_facts,
                       sign=lambda s: SIGN_TEXT.get(s, s), percent=lambda x: f"{x:.1%}", cell=_cell,
                       by_kind=_by_kind, conflict_title=conflict_title, conflict_rows=_conflict_rows)
    return env


def render(template: str, *, panel: str, title: str, status: dict, graph_name: str, **context) -> str:
    """A panel page: ``template`` inside the common frame (navigation, errors banner, script)."""
    context.setdefault("message", None)
    return _environment().get_template(template).render(
        panel=panel, title=title, status=status, graph_name=graph_name, panels=PANELS, css=_static("serve.css"),
        script=script(), **context)


# -- filters: the JSON shapes of the library as short texts ----------------------------------------------

def _names(path: dict) -> dict:
    return {n["id"]: n["name"] for n in path["nodes"]}


def _arrow(hop: dict, names: dict) -> str:
    sign = f" ({SIGN_TEXT[hop['sign']]})" if hop.get("sign") else ""
    source, target = names.get(hop["source"], hop["source"]), names.get(hop["target"], hop["target"])
    if hop["direction"] == "forward":
        return f"{source} —{hop['predicate']}{sign}→ {target}"
    return f"{source} ←{hop['predicate']}{sign}— {target}"


def _where(hop: dict) -> str:
    parts = [f"{k.replace('_', ' ')} {', '.join(v)}" for k, v in hop["context"].items() if k not in ("species", "drug")]
    if hop.get("doses"):
        parts.append("dose " + "; ".join(hop["doses"]))
    return "; ".join(parts)


def _supporting(hop: dict) -> list[str]:
    return hop.get("supporting", [f for f in hop["findings"] if f not in hop.get("refuting", [])])


def _facts(path: dict) -> str:
    kind = path.get("kind", "chain")
    facts = ["chain" if kind == "chain" else KIND_WORDS.get(kind, kind), f"{len(path['hops'])} step(s)"]
    if path.get("sign"):
        facts.append(f"net effect {SIGN_TEXT[path['sign']]}")
    facts.append(f"weakest step {path['score']}")
    return ", ".join(facts)


def _cell(value) -> str:
    from ..cli.output import text
    return text(value)


def _by_kind(found: list[dict]) -> str:
    return ", ".join(f"{sum(1 for c in found if c['kind'] == k)} {k.replace('_', ' ')}"
                     for k in KINDS if any(c["kind"] == k for c in found))


def _conflict_rows(c: dict) -> list[dict]:
    if c["kind"] == "quantity":
        return [_side(f, value["value"]) for value in c["values"] for f in value["findings"]]
    return [_side(f, "for") for f in c["supporting"]] + [_side(f, "against") for f in c["refuting"]]


def _side(f: dict, side: str) -> dict:
    ctx = f.get("context", {})
    doses = [" ".join(x for x in (i.get("drug", ""), i.get("dose", ""), i.get("route", "")) if x)
             for i in f["interventions"]]
    if side == "against" and f["direction"] == "no_effect":
        side = "no effect"
    return {"side": side, "level": f["level"], "species": ", ".join(f["species"]), "sex": ", ".join(ctx.get("sex", [])),
            "intervention": " + ".join(doses), "timepoint": f["timepoint"],
            "population": ", ".join(ctx.get("population", [])), "outcome": f["outcome"],
            "locator": f"{f['source']} {','.join(f['locator'])}", "finding": f["id"]}
