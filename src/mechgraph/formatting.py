"""Plain-text renderings of the library's JSON shapes, for the terminal."""

from __future__ import annotations

import json


def to_json(value) -> str:
    """Stable, readable JSON (keys in insertion order, non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, indent=2)


def _entity(e: dict) -> str:
    return f"{e['name']} ({e['id']})" if e["name"] != e["id"] else e["id"]


def format_path(result: dict) -> str:
    """The ``path`` command's text output."""
    lines = [f"{_entity(result['source'])} → {_entity(result['target'])}: "
             f"{len(result['paths'])} path(s)"]
    for number, path in enumerate(result["paths"], 1):
        names = {n["id"]: n["name"] for n in path["nodes"]}
        lines.append("")
        lines.append(f"{number}. " + " — ".join(n["name"] for n in path["nodes"])
                     + f"   [{len(path['hops'])} hop(s), score {path['score']}]")
        if "net_sign" in path:
            if path["net_sign"]:
                lines.append(f"   net effect: {path['net_effect']} ({path['sign_note']})")
            else:
                lines.append(f"   net effect: none, because {path['sign_note']}")
            direct = {d["assertion"]: d for d in result.get("direct_effects", [])}
            for aid in path["contradicts"]:
                d = direct.get(aid, {})
                lines.append(f"   ! contradicts {aid} ({d.get('predicate', '?')}, {d.get('sign', '?')}, "
                             f"score {d.get('score', '?')})")
            if path["agrees"]:
                lines.append(f"   agrees with {', '.join(path['agrees'])}")
            if path.get("context_note"):
                lines.append(f"   note: {path['context_note']}")
        for hop in path["hops"]:
            arrow = f"-[{hop['predicate']}]->" if hop["direction"] == "forward" else f"<-[{hop['predicate']}]-"
            sign = f" ({hop['sign']})" if hop["sign"] else ""
            species = ", ".join(hop["species"]) or "n/a"
            lines.append(f"   {names[hop['source']]} {arrow} {names[hop['target']]}{sign}")
            lines.append(f"      level {hop['level']}, score {hop['score']}, species {species}")
            lines.append(f"      findings: {', '.join(hop['findings'])}")
    return "\n".join(lines)


def format_show(result: dict) -> str:
    """The ``show`` command's text output."""
    e = result["entity"]
    lines = [f"{e['name']} / {e['name_zh']}  [{e['type']}]  id: {e['id']}"]
    if e.get("aliases"):
        lines.append(f"aliases: {', '.join(e['aliases'])}")
    if e.get("xrefs"):
        lines.append("xrefs: " + ", ".join(f"{k}:{v}" for k, v in e["xrefs"].items()))
    if e.get("description"):
        lines.append(e["description"])
    for side, title, arrow in (("out", "Outgoing", "→"), ("in", "Incoming", "←")):
        if result[side]:
            lines.append("")
            lines.append(f"{title} ({len(result[side])}):")
            for edge in result[side]:
                refuted = f", {len(edge['refuting'])} against" if edge["refuting"] else ""
                lines.append(f"  {arrow} {edge['predicate']} {_entity(edge['other'])}  "
                             f"[{edge['level']}, score {edge['score']}, "
                             f"{len(edge['supporting'])} for{refuted}]")
    if result["findings"]:
        lines.append("")
        lines.append(f"Findings ({len(result['findings'])}):")
        for f in result["findings"]:
            species = ", ".join(f["species"]) or "n/a"
            lines.append(f"  {f['id']}  [{f['level']}; {species}; {f['direction']}; "
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
                       ("by_level", "Findings by evidence level")):
        lines.append("")
        lines.append(f"{title}:")
        lines.extend(f"  {name:<28} {count}" for name, count in stats[key].items())
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
