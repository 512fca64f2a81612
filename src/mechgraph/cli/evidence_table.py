"""Evidence tables: every finding behind an edge, one row each, for the terminal.

``mechgraph show ENTITY --evidence`` prints one table per edge of the entity: the
finding's direction, evidence level, species, drug with dose and route, timepoint,
citation (first author, year and reference number of the cited study, or the study
name the seed gives) and locator (seed and sentence), then the finding's id::

    ← Drug X increases the expression of Protein P   a-x-increases-expression-p
      score 0.417: 1 study for, 1 against; best level animal_in_vivo
      direction  level           species  drug, dose, route                timepoint  citation  locator           finding
      for        animal_in_vivo  mouse    Drug X 10 mg/kg intraperitoneal  -          -         toy-seed p5.s1-2  f-x-p-mouse
      no effect  animal_in_vivo  rat      Drug X                           -          -         toy-seed p5.s3    f-x-p-rat-null

Columns are aligned by display width (Chinese characters count two), and long cells
are cut with an ellipsis.
"""

from __future__ import annotations

import unicodedata

from ..model import PREDICATES, Assertion, Finding, Model
from ..reasoning import score_parts

#: how a finding's direction reads in the table
DIRECTION_WORDS: dict[str, str] = {"supports": "for", "refutes": "against", "no_effect": "no effect"}
#: column titles, in order, and the widest each may be
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("direction", "direction", 9), ("role", "role", 14), ("level", "level", 19), ("species", "species", 14),
    ("intervention", "drug, dose, route", 60), ("timepoint", "timepoint", 26),
    ("citation", "citation", 26), ("locator", "locator", 24), ("finding", "finding", 0),
)


def citation(model: Model, finding: Finding) -> str:
    """How a finding's study is cited: the cited sources as "first author year [ref]",
    else the study name the seed gives, else ''."""
    parts = []
    for sid in finding.cites:
        source = model.sources.get(sid)
        if source is None:
            parts.append(sid)
            continue
        who = source.authors[0] if source.authors else (source.title or sid)
        text = f"{who} {source.year}" if source.year else who
        if source.ref:
            text += f" [{source.ref}]"
        parts.append(text)
    return "; ".join(parts) or finding.study


def intervention_text(model: Model, finding: Finding) -> str:
    """The drugs given, each with dose, route and timing: "Esketamine 0.25 mg/kg
    intravenous + Sufentanil"."""
    out = []
    for item in finding.interventions:
        entity = model.entities.get(item.drug)
        words = [entity.name if entity else item.drug, item.dose, item.route, item.timing]
        out.append(" ".join(w for w in words if w))
    return " + ".join(out)


def evidence_rows(model: Model, assertion: Assertion) -> list[dict]:
    """One row per finding of an assertion, supporting first: ``{"direction", "level",
    "species", "intervention", "timepoint", "citation", "locator", "finding"}``."""
    return [_row(model, f, assertion.context.get("species", ())) for f in model.findings_of(assertion)]


def _row(model: Model, finding: Finding, species: tuple[str, ...]) -> dict:
    return {
        "direction": DIRECTION_WORDS[finding.direction],
        "role": finding.role,
        "level": finding.level,
        "species": ", ".join(finding.species or species),
        "intervention": intervention_text(model, finding),
        "timepoint": finding.timepoint,
        "citation": citation(model, finding),
        "locator": f"{finding.source} {','.join(finding.locator)}",
        "finding": finding.id,
    }


def format_edge_evidence(model: Model, assertion: Assertion, arrow: str = "") -> str:
    """The evidence table of one assertion under a heading that reads the edge
    ("Drug X antagonizes Receptor R") and gives its score and context."""
    subject, obj = model.entities[assertion.subject], model.entities[assertion.object]
    reads = PREDICATES[assertion.predicate].reads
    parts = score_parts(model, assertion)
    context = "; ".join(f"{k} {', '.join(v)}" for k, v in assertion.context.items())
    lines = [f"{arrow + ' ' if arrow else ''}{subject.name} {reads} {obj.name}   {assertion.id}",
             f"  score {parts['score']}: {_count(parts['studies_for'], 'study', 'studies')} for, "
             f"{parts['studies_against']} against, {_count(parts['opinions_counted'], 'opinion', 'opinions')} "
             f"counted; best level {model.best_level(assertion)}; relation {model.relation_of(assertion)}"
             + (f"; context: {context}" if context else "")]
    lines.extend("  " + line for line in table(evidence_rows(model, assertion)))
    lines.extend("  " + line for line in score_lines(parts))
    return "\n".join(lines)


def score_lines(parts: dict) -> list[str]:
    """How a score was computed (:func:`mechgraph.reasoning.evidence.score_parts`): each unit of
    evidence counted with its level and weight, the findings excluded, and the formula."""
    lines = ["how the score is computed (one weight per independent study; opinions once per source):"]
    for side, units in (("for", parts["for"]), ("against", parts["against_units"])):
        for unit in units:
            factor = f" × {unit['factor']:g}" if "factor" in unit and unit["factor"] != 1 else ""
            lines.append(f"  {side:<7} {unit['kind']:<7} {unit['level']:<19} w {unit['weight']:g}{factor}  "
                         f"{unit['key']}  ({', '.join(unit['findings'])})")
    for item in parts["excluded"]:
        lines.append(f"  not counted: {item['finding']} ({item['role']}: guidance, never evidence)")
    lines.extend(f"  {term}" for term in parts["formula"])
    return lines


def format_evidence_table(graph, show_result: dict) -> str:
    """The ``show ENTITY --evidence`` output: a heading for the entity, then one
    evidence table per edge (outgoing, then incoming), then the findings that are
    about the entity without backing an edge."""
    m = graph.model
    e = show_result["entity"]
    lines = [f"{e['name']} / {e['name_zh']}  [{e['type']}]  id: {e['id']}"]
    total = len(show_result["out"]) + len(show_result["in"])
    lines.append(f"Evidence behind {_count(total, 'edge', 'edges')} "
                 f"({len(show_result['out'])} out, {len(show_result['in'])} in)")
    for side, arrow in (("out", "→"), ("in", "←")):
        for edge in show_result[side]:
            lines.append("")
            lines.append(format_edge_evidence(m, m.assertions[edge["assertion"]], arrow))
    about = [m.findings[f["id"]] for f in show_result["findings"] if e["id"] in m.findings[f["id"]].about]
    if about:
        lines.append("")
        lines.append(f"Findings about {e['name']} ({len(about)}):")
        lines.extend("  " + line for line in table([_row(m, f, ()) for f in about]))
    if total == 0 and not about:
        lines.append("")
        lines.append("No edges and no findings.")
    return "\n".join(lines)


def table(rows: list[dict], columns=COLUMNS) -> list[str]:
    """Rows of cells as aligned lines under a title line; empty cells print as '-'.
    ``columns`` lists ``(key, title, widest)``; 0 means no limit."""
    cells = [[title for _, title, _ in columns]]
    for row in rows:
        cells.append([_cut(row.get(key) or "-", limit) for key, _, limit in columns])
    widths = [max(width(r[i]) for r in cells) for i in range(len(columns))]
    return ["  ".join(_pad(c, w) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1] for r in cells]


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def _cut(text: str, limit: int) -> str:
    if not limit or width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
