"""The diff as Markdown for a pull-request comment, and as a small self-contained HTML page."""

from __future__ import annotations

import html
import json
import re

from .records import KINDS

_TITLES = {"sources": "Sources", "entities": "Entities", "findings": "Findings", "assertions": "Assertions"}
_SINGULAR = {"sources": "source", "entities": "entity", "findings": "finding", "assertions": "assertion"}


def _value(value) -> str:
    if value in ("", None, [], {}):
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _record_line(kind: str, item: dict) -> str:
    where = f" ({item['where']})" if item.get("where") else ""
    if kind == "entities":
        text = f"{item['type']} {item['name']} / {item['name_zh']}"
    elif kind == "sources":
        text = " ".join(x for x in (item["source_kind"], item["title"], item["file"]) if x)
    elif kind == "findings":
        text = (f"{item['source']} {', '.join(item['locator'])}, {item['study_type']}, {item['role']}, "
                f"{item['direction']}: {item['statement']}")
    else:
        text = f"{item['subject']} {item['predicate']} {item['object']}, score {item['score']}"
    return f"- {_code(item['id'])}{where}: {text}"


def _field_lines(change: dict) -> list[str]:
    old, new = change["old"], change["new"]
    if isinstance(old, list) and isinstance(new, list) and all(isinstance(v, str) for v in old + new):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if added or removed:
            parts = ([f"added {', '.join(added)}"] if added else []) + (
                [f"removed {', '.join(removed)}"] if removed else [])
            return [f"  - {change['field']}: {'; '.join(parts)}"]
    return [f"  - {change['field']}: {_value(old)} → {_value(new)}"]


def _records(result: dict) -> list[str]:
    lines = []
    for kind in KINDS:
        group = result["records"][kind]
        if not any(group.values()):
            continue
        lines += ["", f"## {_TITLES[kind]}"]
        for change in ("added", "removed"):
            if group[change]:
                lines += ["", f"{change.capitalize()} ({len(group[change])}):", ""]
                lines += [_record_line(kind, item) for item in group[change]]
        if group["changed"]:
            lines += ["", f"Changed ({len(group['changed'])}):", ""]
            for item in group["changed"]:
                lines.append(f"- {_code(item['id'])} ({item['where']})")
                for change in item["fields"]:
                    lines += _field_lines(change)
    return lines


def _scores(result: dict) -> list[str]:
    if not result["scores"]:
        return []
    lines = ["", f"## Evidence scores that moved by more than {result['threshold']:g}", ""]
    for s in result["scores"]:
        counts = [f"studies {side} {a} → {b}" for side, (a, b) in
                  (("for", s["studies_for"]), ("against", s["studies_against"])) if a != b]
        lines.append(f"- {_code(s['assertion'])} ({s['subject']} {s['predicate']} {s['object']}): "
                     f"{s['old']} → {s['new']} ({s['delta']:+.3f})" + "".join(f"; {c}" for c in counts))
        lines += [f"  - {why}" for why in s["why"]]
    return lines


def _conflicts(result: dict) -> list[str]:
    c = result["conflicts"]
    if not any(c.values()):
        return []
    lines = ["", "## Conflicts"]
    for change in ("gained", "lost"):
        if c[change]:
            lines += ["", f"{change.capitalize()} ({len(c[change])}):", ""]
            for item in c[change]:
                how = item["classification"] + (f" ({', '.join(item['contexts'])})" if item["contexts"] else "")
                lines.append(f"- {item['key']}: {how}. {item['explanation']}")
    if c["reclassified"]:
        lines += ["", f"Reclassified ({len(c['reclassified'])}):", ""]
        for item in c["reclassified"]:
            def how(side):
                return side["classification"] + (f" ({', '.join(side['contexts'])})" if side["contexts"] else "")
            lines.append(f"- {item['key']}: {how(item['old'])} → {how(item['new'])}")
    return lines


def _chain(chain: dict) -> str:
    w = chain["weakest_step"]
    return (f"{' → '.join(chain['nodes'])} (score {chain['score']}, weakest step {w['assertion']}, "
            f"{w['level']})")


def _chains(result: dict) -> list[str]:
    if not result["chains"]:
        return []
    lines = ["", "## Mechanism chains (explain)"]
    for item in result["chains"]:
        lines += ["", f"{item['drug']} → {item['outcome']}:", ""]
        if item["new_outcome"]:
            lines.append(f"- default outcome is now {item['new_outcome']} (compared here: {item['outcome']})")
        lines += [f"- appeared: {_chain(c)}" for c in item["appeared"]]
        lines += [f"- disappeared: {_chain(c)}" for c in item["disappeared"]]
        for c in item["weakest_changed"]:
            o, n = c["old"], c["new"]
            lines.append(f"- weakest step changed: {' → '.join(c['nodes'])}: {o['assertion']} ({o['level']}, "
                         f"{o['score']}) → {n['assertion']} ({n['level']}, {n['score']})")
    return lines


def _percent(ratio) -> str:
    return "-" if ratio is None else f"{ratio:.1%}"


def _coverage(result: dict) -> list[str]:
    cov = result["coverage"]
    if cov is None:
        return []
    if "note" in cov:
        return ["", "## Coverage", "", cov["note"]]
    changed = [s for s in cov["seeds"] if s["old"] != s["new"] or s["newly_cited"] or s["no_longer_cited"]]
    if not changed and not cov["problems_gained"] and not cov["problems_lost"]:
        return []
    lines = ["", "## Coverage of the seed texts"]
    for s in changed:
        lines += ["", f"{s['file']} ({s['source']}): {_percent(s['old'])} → {_percent(s['new'])}", ""]
        lines += [f"- newly cited {u['locator']}: {u['text']}" for u in s["newly_cited"]]
        lines += [f"- no longer cited {u['locator']}: {u['text']}" for u in s["no_longer_cited"]]
    for label, key in (("new provenance problem", "problems_gained"), ("provenance problem fixed", "problems_lost")):
        lines += [f"- {label}: {p}" for p in cov[key]]
    return lines


def _summary(result: dict) -> str:
    s = result["summary"]
    parts = []
    for kind in KINDS:
        counts = [f"{n} {change}" for change, n in s[kind].items() if n]
        if counts:
            parts.append(f"{_TITLES[kind].lower()}: {', '.join(counts)}")
    extra = [("scores_moved", "score(s) moved"), ("conflicts_gained", "conflict(s) gained"),
             ("conflicts_lost", "conflict(s) lost"), ("conflicts_reclassified", "conflict(s) reclassified"),
             ("chains_appeared", "chain(s) appeared"), ("chains_disappeared", "chain(s) disappeared"),
             ("chains_weakest_changed", "chain(s) with a new weakest step"),
             ("outcomes_changed", "default outcome(s) changed")]
    parts += [f"{s[key]} {label}" for key, label in extra if s[key]]
    return "; ".join(parts)


def format_diff(result: dict) -> str:
    """The diff as Markdown: a summary line, then one section per kind of change.

    Parameters
    ----------
    result : dict
        What :func:`mechgraph.diff.diff_graphs` returns.

    Returns
    -------
    str

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.diff import diff_graphs, format_diff
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> print(format_diff(diff_graphs(g, g)))
    # mechgraph diff old → new
    <BLANKLINE>
    No changes.
    """
    lines = [f"# mechgraph diff {result['old']} → {result['new']}", ""]
    if result["identical"]:
        lines.append("No changes.")
        return "\n".join(lines)
    lines.append(f"Summary: {_summary(result)}.")
    for part in (_records, _scores, _conflicts, _chains, _coverage):
        lines += part(result)
    return "\n".join(lines)


_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_STYLE = ("body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
          "code{background:#f2f2f2;padding:0 .2em}li{margin:.15rem 0}h2{border-bottom:1px solid #ccc}")


def diff_html(result: dict) -> str:
    """The Markdown report as a self-contained HTML page.

    Every value is escaped; the page has no script, and a Content-Security-Policy that
    allows nothing but its own style.

    Parameters
    ----------
    result : dict
        What :func:`mechgraph.diff.diff_graphs` returns.

    Returns
    -------
    str

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.diff import diff_graphs, diff_html
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> page = diff_html(diff_graphs(g, g))
    >>> page.startswith("<!DOCTYPE html>"), "Content-Security-Policy" in page, "<script" in page
    (True, True, False)
    """
    body = []
    open_lists: list[int] = []
    for line in format_diff(result).splitlines():
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2 + 1 if stripped.startswith("- ") else 0
        while open_lists and open_lists[-1] > depth:
            body.append("</ul>")
            open_lists.pop()
        if depth:
            if not open_lists or open_lists[-1] < depth:
                body.append("<ul>")
                open_lists.append(depth)
            body.append(f"<li>{_inline(stripped[2:])}</li>")
        elif line.startswith("## "):
            body.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line:
            body.append(f"<p>{_inline(line)}</p>")
    body += ["</ul>"] * len(open_lists)
    title = html.escape(f"mechgraph diff {result['old']} → {result['new']}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">"
            f"<title>{title}</title><style>{_STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _inline(text: str) -> str:
    """Escape a line, showing `code` spans as <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))
