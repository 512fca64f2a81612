"""Every text the command line prints: plain-text renderings of the library's JSON shapes
(paths, explanations, entities, search hits, counts, coverage, conflicts) and of query
results (a table, CSV). The JSON itself is :func:`to_json`.

The evidence table behind ``show --evidence`` is :mod:`mechgraph.cli.evidence_table`.
"""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from ..cypher import Node, Result


def to_json(value) -> str:
    """Stable, readable JSON (keys in insertion order, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _entity(e: dict) -> str:
    return f"{e['name']} ({e['id']})" if e["name"] != e["id"] else e["id"]


#: how each kind of path is introduced
KIND_WORDS: dict[str, str] = {
    "chain": "mechanism chain",
    "common-cause": "common cause (two effects of one entity, not a step between the ends)",
    "common-effect": "common effect (two causes of one outcome, not a step between the ends)",
    "association": "association (not a causal chain)",
}
#: how a sign is printed
SIGN_TEXT: dict[str, str] = {"+": "+", "-": "−"}


def _arrow(hop: dict, names: dict) -> str:
    sign = f" ({SIGN_TEXT[hop['sign']]})" if hop.get("sign") else ""
    if hop["direction"] == "forward":
        return f"{names[hop['source']]} —{hop['predicate']}{sign}→ {names[hop['target']]}"
    return f"{names[hop['source']]} ←{hop['predicate']}{sign}— {names[hop['target']]}"


def format_hop(number: int, hop: dict, names: dict) -> list[str]:
    """The lines of one step: the claim with its sign and class, its evidence, the
    drugs and doses behind it, where it was seen, and the findings for and against."""
    lines = [f"   step {number}: {_arrow(hop, names)}   [{hop.get('relation', '?')}]"]
    species = ", ".join(hop["species"]) or "n/a"
    lines.append(f"      evidence: {hop['level']}, score {hop['score']}; species {species}")
    if hop.get("drugs") is not None:
        drugs = ", ".join(hop.get("drug_names", hop["drugs"])) or "none (a step seen without a drug)"
        line = f"      drugs tested: {drugs}"
        if hop.get("borrowed"):
            line += "  ! borrowed: no experiment with the drug of this path shows this step"
        lines.append(line)
    where = "; ".join(f"{k.replace('_', ' ')} {', '.join(v)}" for k, v in hop["context"].items()
                      if k not in ("species", "drug"))
    if where:
        lines.append(f"      context: {where}")
    if hop.get("doses"):
        lines.append(f"      dose: {'; '.join(hop['doses'])}")
    supporting = hop.get("supporting", [f for f in hop["findings"] if f not in hop.get("refuting", [])])
    cites = hop.get("cites", {})

    def cited(ids):
        return ", ".join(f"{f} ({cites[f]})" if f in cites else f for f in ids)
    lines.append(f"      for: {cited(supporting) or 'none'}")
    if hop.get("refuting"):
        lines.append(f"      against: {cited(hop['refuting'])}")
    return lines


def format_path(result: dict) -> str:
    """The ``path`` command's text output."""
    paths = result["paths"]
    what = "mechanism chain(s)" if result.get("chains_found", True) else "connection(s)"
    lines = [f"{_entity(result['source'])} → {_entity(result['target'])}: {len(paths)} {what}"]
    if result.get("note"):
        lines.append(f"{result['note']}; the best other connections, labelled:")
    for number, path in enumerate(paths, 1):
        names = {n["id"]: n["name"] for n in path["nodes"]}
        kind = path.get("kind", "chain")
        lines.append("")
        head = f"{number}. " + " → ".join(n["name"] for n in path["nodes"]) if kind == "chain" else \
            f"{number}. " + " — ".join(n["name"] for n in path["nodes"])
        facts = [KIND_WORDS.get(kind, kind) if kind != "chain" else "chain", f"{len(path['hops'])} step(s)"]
        if path.get("sign"):
            facts.append(f"net effect {SIGN_TEXT[path['sign']]}")
        facts.append(f"weakest step {path['score']}")
        lines.append(head + f"   [{', '.join(facts)}]")
        if kind == "chain" and path.get("direction") == "reverse":
            lines.append(f"   runs from {result['target']['name']} to {result['source']['name']}")
        if path.get("borrowed"):
            lines.append("   ! some steps rest only on other drugs' experiments (marked below)")
        if "net_sign" in path:
            if path["net_sign"]:
                lines.append(f"   net effect: {path['net_effect']} ({path['sign_note']})")
            else:
                lines.append(f"   net effect: none, because {path['sign_note']}")
        direct = {d["assertion"]: d for d in result.get("direct_effects", [])}
        for aid in path.get("contradicts", []):
            d = direct.get(aid)
            detail = f" ({d['predicate']}, {d['sign']}, score {d['score']})" if d else ""
            lines.append(f"   ! contradicts {aid}{detail}")
        if path.get("agrees"):
            lines.append(f"   agrees with {', '.join(path['agrees'])}")
        if path.get("context_note"):
            lines.append(f"   note: {path['context_note']}")
        for step, hop in enumerate(path["hops"], 1):
            lines.extend(format_hop(step, hop, names))
    return "\n".join(lines)


def format_explain(result: dict) -> str:
    """The ``explain`` command's text output."""
    drug, outcome = result["drug"], result["outcome"]
    chosen = " (the phenotype its chains reach most; give OUTCOME to choose)" if result["outcome_default"] else ""
    families = sum(1 for f in result["families"] if f["chains"])
    lines = [f"How {drug['name']} reaches {outcome['name']}{chosen}: {result['chains']} mechanism chain(s) "
             f"in {families} {'family' if families == 1 else 'families'}"]
    for family in result["families"]:
        lines.append("")
        lines.append(f"== {family['name']} / {family['name_zh']}: {family['chains_found']} chain(s)")
        for number, chain in enumerate(family["chains"], 1):
            names = {n["id"]: n["name"] for n in chain["nodes"]}
            sign = f", net effect {SIGN_TEXT[chain['sign']]}" if chain.get("sign") else ""
            weakest = chain["hops"][chain["weakest"]]
            lines.append(f"  {number}. " + " → ".join(n["name"] for n in chain["nodes"])
                         + f"   [weakest step {chain['score']} ({weakest['level']}): "
                           f"{names[weakest['subject']]} {weakest['predicate']} {names[weakest['object']]}{sign}]")
            for hop in chain["hops"]:
                drugs = ", ".join(hop.get("drug_names", hop["drugs"])) or "no drug"
                mark = "  ! borrowed" if hop["borrowed"] else ""
                lines.append(f"       {_arrow(hop, names)}  {hop['level']}, {hop['score']}; {drugs}{mark}")
        for gap in family["gaps"]:
            lines.append(f"  open: {gap['note']}")
        for item in family["conflicts"]:
            lines.append(f"  disagreement ({item['kind']}, {item['classification']}): {item['assertion']}"
                         + (f" vs {item['opposing']}" if item.get("opposing") else ""))
    if result.get("open_ends"):
        lines.append("")
        lines.append("Other open ends (no family):")
        lines.extend(f"  {gap['note']}" for gap in result["open_ends"])
    if result["guidance"]:
        lines.append("")
        lines.append(f"Guidance for {drug['name']} (recommendations; never counted as evidence):")
        for topic, items in result["guidance"].items():
            lines.append(f"  {topic.replace('_', ' ')}:")
            lines.extend(f"    {f['statement']}  [{f['source']} {', '.join(f['locator'])}; {f['id']}]" for f in items)
    return "\n".join(lines)


def format_show(result: dict) -> str:
    """The ``show`` command's text output."""
    from ..reasoning import ROLE_TITLES
    e = result["entity"]
    lines = [f"{e['name']} / {e['name_zh']}  [{e['type']}]  id: {e['id']}"]
    if e.get("aliases"):
        lines.append(f"aliases: {', '.join(e['aliases'])}")
    if e.get("xrefs"):
        lines.append("xrefs: " + ", ".join(f"{k}:{v}" for k, ids in sorted(e["xrefs"].items()) for v in ids))
    if e.get("description"):
        lines.append(e["description"])
    for side, title, arrow in (("out", "Outgoing", "→"), ("in", "Incoming", "←")):
        if result[side]:
            lines.append("")
            lines.append(f"{title} ({len(result[side])}):")
            for edge in result[side]:
                refuted = f", {len(edge['refuting'])} against" if edge["refuting"] else ""
                lines.append(f"  {arrow} {edge['predicate']} {_entity(edge['other'])}  "
                             f"[{edge.get('relation', '?')}; {edge['level']}, score {edge['score']}, "
                             f"{len(edge['supporting'])} for{refuted}]")
    by_id = {f["id"]: f for f in result["findings"]}
    printed: set[str] = set()
    for role, ids in result.get("mentions", {}).items():
        if role == "about":
            continue
        printed.update(ids)
        lines.append("")
        lines.append(f"Findings naming it {ROLE_TITLES.get(role, role)} ({len(ids)}):")
        for fid in ids:
            f = by_id[fid]
            lines.append(f"  {fid}  [{f['role']}; {f['level']}; {', '.join(f['species']) or 'n/a'}; "
                         f"{f['source']} {', '.join(f['locator'])}]")
            lines.append(f"    {f['statement']}")
    if result.get("guidance"):
        lines.append("")
        lines.append("Guidance (recommendations; never counted as evidence):")
        for topic, items in result["guidance"].items():
            lines.append(f"  {topic.replace('_', ' ')}:")
            lines.extend(f"    {f['statement']}  [{f['source']} {', '.join(f['locator'])}; {f['id']}]" for f in items)
    rest = [f for f in result["findings"] if f["id"] not in printed]
    if rest:
        lines.append("")
        lines.append(f"Findings behind its edges or about it ({len(rest)}):")
        for f in rest:
            species = ", ".join(f["species"]) or "n/a"
            lines.append(f"  {f['id']}  [{f['role']}; {f['level']}; {species}; {f['direction']}; "
                         f"{f['source']} {', '.join(f['locator'])}]")
            lines.append(f"    {f['statement']}")
    return "\n".join(lines)


def format_search(hits: list[dict]) -> str:
    """The ``search`` command's text output."""
    if not hits:
        return "no match"
    width = max(len(h["id"]) for h in hits)
    return "\n".join(f"{h['id']:<{width}}  {h['score']:.2f}  {h['type']:<16} {h['name']} / {h['name_zh']}"
                     for h in hits)


def format_stats(stats: dict) -> str:
    """The ``stats`` command's text output."""
    lines = [f"entities {stats['entities']}, assertions {stats['assertions']}, "
             f"findings {stats['findings']}, sources {stats['sources']}"]
    for key, title in (("by_type", "Entities by type"), ("by_predicate", "Assertions by predicate"),
                       ("by_relation", "Assertions by relation class"), ("by_level", "Findings by evidence level"),
                       ("by_role", "Findings by role")):
        if key not in stats:
            continue
        lines.append("")
        lines.append(f"{title}:")
        lines.extend(f"  {name:<28} {count}" for name, count in stats[key].items())
    xrefs = stats.get("xrefs")
    if xrefs:
        lines.append("")
        lines.append(f"Cross-references: {xrefs['with_xrefs']} of {xrefs['entities']} entities "
                     f"({xrefs['coverage']:.0%}), {xrefs['identifiers']} identifiers")
        for name, row in xrefs["by_type"].items():
            prefixes = ", ".join(f"{prefix} {n}" for prefix, n in row["by_prefix"].items())
            lines.append(f"  {name:<28} {row['with_xrefs']:>3}/{row['entities']:<3} {row['coverage']:>4.0%}"
                         + (f"  {prefixes}" if prefixes else ""))
    return "\n".join(lines)


def format_coverage(report: dict, list_all: bool = False) -> str:
    """The ``coverage`` command's text output."""
    lines = []
    for seed in report["seeds"]:
        lines.append(f"{seed['file']} ({seed['source']}): {seed['cited']}/{seed['sentences']} "
                     f"substantive sentences cited ({seed['coverage']:.1%})")
        if list_all or seed["uncited"]:
            lines.append("  uncited:" if seed["uncited"] else "  uncited: none")
            lines.extend(f"    {u['locator']:<9} §{u['section']:<8} {u['text']}" for u in seed["uncited"])
    lines.append(f"total: {report['cited']}/{report['sentences']} ({report['coverage']:.1%})")
    if report["problems"]:
        lines.append("")
        lines.append(f"{len(report['problems'])} provenance problem(s):")
        lines.extend(f"  {p}" for p in report["problems"])
    return "\n".join(lines)


# -- query results -----------------------------------------------------------------------------

def _literal(value: Any) -> str:
    """A value as Cypher-like text: strings quoted, lists and maps in Cypher syntax."""
    from ..cypher import Node, Path, Relationship  # not at the top: `path` and `show` never load the engine
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                         ("Infinity" if value > 0 else "-Infinity"))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (Node, Relationship, Path)):
        return text(value)
    return str(value)


def _key(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[:1].isdigit() else "`" + name.replace("`", "``") + "`"


def _summary(properties: dict) -> dict:
    """The properties that identify a node or relationship in a table cell."""
    short = {k: properties[k] for k in ("id", "name") if k in properties}
    return short or properties


def _labels(node: Node) -> str:
    return "".join(f":{_key(label)}" for label in node.labels if label != "Mechgraph")


def _end(node: Node | None) -> str:
    if node is None or "id" not in node.properties:
        return "()"
    return f"({node.properties['id']})"


def text(value: Any) -> str:
    """A query result's value as one line of text for a table cell. A node is shown by
    its labels and mechgraph ``id`` (and name), a relationship by its type, ``id`` and
    ends, a path as a chain::

        (:Entity:Drug {id: 'esketamine', name: 'Esketamine'})
        (esketamine)-[:ANTAGONIZES {id: 'a-esketamine-antagonizes-nmdar'}]->(nmdar)
        (glun2b)-[:PART_OF]->(nmdar)
    """
    from ..cypher import Node, Path, Relationship
    if isinstance(value, Node):
        props = _summary(value.properties)
        return f"({_labels(value)}{' ' + _literal(props) if props else ''})"
    if isinstance(value, Relationship):
        props = {"id": value.properties["id"]} if "id" in value.properties else value.properties
        body = f"[:{_key(value.type)}{' ' + _literal(props) if props else ''}]"
        if value.start is None and value.end is None:
            return body
        return f"{_end(value.start)}-{body}->{_end(value.end)}"
    if isinstance(value, Path):
        parts = [_end(value.nodes[0]) if "id" in value.nodes[0].properties else text(value.nodes[0])]
        for before, rel, node in zip(value.nodes[:-1], value.relationships, value.nodes[1:], strict=True):
            hop = f"[:{_key(rel.type)}]"
            parts.append(f"<-{hop}-" if rel.start is not None and rel.start != before else f"-{hop}->")
            parts.append(_end(node) if "id" in node.properties else text(node))
        return "".join(parts)
    if isinstance(value, str):
        return value.replace("\n", "\\n")
    return _literal(value)


def result_table(result: Result) -> str:
    """An aligned plain-text table with a header and a row count."""
    header = list(result.columns)
    cells = [[text(v) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = []
    if header:
        lines.append(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
        lines.append("-+-".join("-" * w for w in widths))
        lines.extend(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    if result.counters:
        lines.append(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counters.items()))
    return "\n".join(lines)


def to_csv(result: Result) -> str:
    """CSV with a header; lists, maps and graph values as compact JSON text."""
    import csv  # here: its import costs every other command most of a millisecond
    from ..cypher import Temporal, to_plain
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if v is None else v if isinstance(v, (str, int, float)) and not isinstance(v, bool)
                         else str(v) if isinstance(v, Temporal)
                         else json.dumps(to_plain(v), ensure_ascii=False, separators=(",", ":"))
                         for v in row])
    return out.getvalue()


# -- conflicts ----------------------------------------------------------------------------------

#: the side-by-side columns: (key, title, widest)
SIDE_COLUMNS = (
    ("side", "side", 14), ("level", "level", 19), ("species", "species", 12), ("sex", "sex", 6),
    ("intervention", "drug, dose, route", 36), ("timepoint", "timepoint", 28),
    ("population", "population", 32), ("outcome", "outcome", 32), ("locator", "locator", 30),
    ("finding", "finding", 0),
)


def format_conflicts(found: list[dict]) -> str:
    """The text output: a count, then each disagreement with its classification,
    explanation and the two sides' findings in one table."""
    from ..reasoning import CONFLICT_KINDS as KINDS  # here: the conflicts code is not every command's start-up
    from .evidence_table import table

    if not found:
        return "no disagreements found"
    explained = sum(1 for c in found if c["classification"] == "context")
    by_kind = ", ".join(f"{sum(1 for c in found if c['kind'] == k)} {k.replace('_', ' ')}"
                        for k in KINDS if any(c["kind"] == k for c in found))
    lines = [f"{len(found)} disagreement(s): {by_kind}; {explained} explained by context, "
             f"{len(found) - explained} unexplained"]
    for number, c in enumerate(found, 1):
        lines.append("")
        lines.append(f"{number}. {c['kind'].replace('_', ' ')}: {conflict_title(c)}")
        verdict = ("explained by " + ", ".join(c["contexts"])) if c["contexts"] else "unexplained"
        lines.append(f"   {verdict}")
        lines.append(f"   {c['explanation']}")
        rows: list = []
        if c["kind"] == "quantity":
            for value in c["values"]:
                rows.extend(_row(f, value["value"]) for f in value["findings"])
        else:
            rows.extend(_row(f, "for") for f in c["supporting"])
            rows.extend(_row(f, "against") for f in c["refuting"])
        columns = [col for col in SIDE_COLUMNS if col[0] in ("side", "finding") or any(r.get(col[0]) for r in rows)]
        lines.extend("   " + line for line in table(rows, columns))
    return "\n".join(lines)


def conflict_title(c: dict) -> str:
    """One line naming what a conflict is about (the claim, its opposite or the chain)."""
    a = c["assertion"]
    if c["kind"] == "quantity":
        quals = ", ".join(f"{k} {v}" for k, v in a["qualifiers"].items())
        return f"{a['quantity']} of {a['entity']['name']}" + (f" ({quals})" if quals else "")
    text = _claim(a)
    if "opposing" in c:
        text += f"  vs  {_claim(c['opposing'])}"
    if "chain" in c:
        text += f"  vs  the chain {' → '.join(c['chain']['nodes'])} (net {c['chain']['sign']})"
    return text


def _claim(a: dict) -> str:
    from ..model import PREDICATES
    context = "; ".join(f"{k} {', '.join(v)}" for k, v in a["context"].items())
    return (f"{a['subject']['name']} {PREDICATES[a['predicate']].reads} {a['object']['name']}"
            + (f" [{context}]" if context else "") + f" ({a['id']}, score {a['score']})")


def _row(f: dict, side: str) -> dict:
    ctx = f.get("context", {})
    doses = [" ".join(x for x in (i.get("drug", ""), i.get("dose", ""), i.get("route", "")) if x)
             for i in f["interventions"]]
    if side == "against" and f["direction"] == "no_effect":
        side = "no effect"
    return {
        "side": side,
        "level": f["level"],
        "species": ", ".join(f["species"]),
        "sex": ", ".join(ctx.get("sex", [])),
        "intervention": " + ".join(doses),
        "timepoint": f["timepoint"],
        "population": ", ".join(ctx.get("population", [])),
        "outcome": f["outcome"],
        "locator": f"{f['source']} {','.join(f['locator'])}",
        "finding": f["id"],
    }
