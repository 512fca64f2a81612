"""Drawing primitives shared by the figures: entity boxes, arrows with their sign's head,
wrapped text, and a legend; every text placed is recorded with its box, so that a
layout can be checked for overlaps before it is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .style import LABEL, LEADING, NOTE, SIGNS, TIER_COLORS, level_short, shade, tint, tier_color, word
from .svg import Svg, text_width, wrap_text

#: padding inside an entity box, in points
PAD = 3.0
#: stroke widths, in points
BOX_STROKE = 0.6
LINE = 0.9


@dataclass
class Placed:
    """A line of text as placed: its box (top-left, width, height) and words."""

    x: float
    y: float
    w: float
    h: float
    text: str
    role: str


@dataclass
class Canvas:
    """An SVG being drawn, with the boxes of every text placed."""

    svg: Svg = field(default_factory=Svg)
    texts: list[Placed] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    def line(self, x: float, top: float, text: str, size: float, *, bold=False, anchor="start", fill="#000000",
             role="label", italic=False):
        """A line of text whose box starts at ``top`` (the baseline sits 0.8 em lower)."""
        w = text_width(text, size, bold)
        left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
        self.svg.text(x, top + size * 0.82, text, size, bold=bold, anchor=anchor, fill=fill, cls=role,
                      italic=italic)
        self.texts.append(Placed(left, top, w, size * LEADING, text, role))

    def lines(self, x: float, top: float, lines: list[str], size: float, **options) -> float:
        """Lines one under the other; returns the height they take."""
        for i, text in enumerate(lines):
            self.line(x, top + i * size * LEADING, text, size, **options)
        return len(lines) * size * LEADING

    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of placed texts whose boxes overlap (a layout must have none)."""
        clashes = []
        for i, a in enumerate(self.texts):
            for b in self.texts[i + 1:]:
                if a.x < b.x + b.w - 0.01 and b.x < a.x + a.w - 0.01 and a.y < b.y + b.h - 0.01 and b.y < a.y + a.h - 0.01:
                    clashes.append((a.text, b.text))
        return clashes


def box_lines(name: str, width: float, bold: bool = False) -> list[str]:
    return wrap_text(name, LABEL, width - 2 * PAD, bold)


def box_height(lines: list[str]) -> float:
    return len(lines) * LABEL * LEADING + 2 * PAD


def entity_box(c: Canvas, x: float, y: float, w: float, name: str, entity_type: str, *, entity_id: str,
               bold: bool = False, height: float | None = None) -> float:
    """An entity as a rounded box at (x, y) of width ``w``, its name wrapped inside;
    returns its height. ``height`` stretches the box (the name stays centred)."""
    lines = box_lines(name, w, bold)
    natural = box_height(lines)
    h = max(natural, height or 0)
    colour = tier_color(entity_type)
    c.svg.open("g", class_="entity", data_id=entity_id, data_label=name)
    c.svg.add("rect", x=x, y=y, width=w, height=h, rx=2.5, fill=tint(colour, 0.62), stroke=shade(colour, 0.35),
              stroke_width=BOX_STROKE)
    top = y + (h - natural) / 2 + PAD
    c.lines(x + w / 2, top, lines, LABEL, bold=bold, anchor="middle", role="label")
    c.svg.close("g")
    c.labels.append(name)
    return h


def arrow(c: Canvas, x1: float, y1: float, x2: float, y2: float, sign: str | None, *, dashed: bool = False,
          assertion: str = ""):
    """A straight arrow from (x1, y1) to (x2, y2) with its sign's colour and head."""
    colour, head = SIGNS[sign]
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    px, py = -uy, ux
    x2, y2 = x2 - ux * 1.2, y2 - uy * 1.2          # stop short of the box it points at
    back = 4.2 if head == "arrow" else 0.0
    c.svg.open("g", class_="step", data_assertion=assertion or None)
    c.svg.add("line", x1=x1, y1=y1, x2=x2 - ux * back, y2=y2 - uy * back, stroke=colour, stroke_width=LINE,
              stroke_dasharray="2.5 1.6" if dashed else None)
    if head == "arrow":
        points = [(x2, y2), (x2 - ux * 4.5 + px * 2.2, y2 - uy * 4.5 + py * 2.2),
                  (x2 - ux * 4.5 - px * 2.2, y2 - uy * 4.5 - py * 2.2)]
        c.svg.add("polygon", points=" ".join(f"{_n(a)},{_n(b)}" for a, b in points), fill=colour)
    elif head == "bar":
        c.svg.add("line", x1=x2 + px * 3, y1=y2 + py * 3, x2=x2 - px * 3, y2=y2 - py * 3, stroke=colour,
                  stroke_width=1.6)
    else:
        for sidex, sidey in ((px, py), (-px, -py)):
            c.svg.add("line", x1=x2, y1=y2, x2=x2 - ux * 3.5 + sidex * 2, y2=y2 - uy * 3.5 + sidey * 2,
                      stroke=colour, stroke_width=LINE)
    c.svg.close("g")


def _n(x: float) -> str:
    from .svg import num
    return num(x)


def step_notes(hop: dict, graph, lang: str, width: float, *, drug_names: bool = True) -> list[str]:
    """The lines printed beside a step: its wording, evidence level and score, the drugs
    tested and the species (a drug whose evidence is borrowed carries a dagger)."""
    above, below = step_note_parts(hop, graph, lang, width, drug_names=drug_names)
    return above + below


def step_note_parts(hop: dict, graph, lang: str, width: float, *,
                    drug_names: bool = True) -> tuple[list[str], list[str]]:
    """The notes of a step in two parts: wording with evidence, then drugs and species."""
    from ..html.i18n import vocabulary
    words = vocabulary()[lang]
    model = graph.model
    name = (lambda e: model.entities[e].name_zh or model.entities[e].name) if lang == "zh" else \
        (lambda e: model.entities[e].name)
    out = wrap_text(words.get(hop["predicate"], hop["predicate"]), NOTE, width)
    evidence = f"{level_short(hop['level'], lang)} {hop['score']:.2f}"
    if hop.get("refuting"):
        evidence += " \u00b7 " + word("refuted", lang, n=len(hop["refuting"]))
    out += wrap_text(evidence, NOTE, width)
    extra = []
    if drug_names and hop.get("drugs"):
        borrowed = set(hop.get("borrowed_from") or [])
        extra.append(", ".join(name(d) + ("\u2020" if d in borrowed else "") for d in hop["drugs"]
                               if d in model.entities))
    if hop.get("species"):
        extra.append(", ".join(words.get(s, s) for s in hop["species"]))
    below = wrap_text(" \u00b7 ".join(e for e in extra if e), NOTE, width) if any(extra) else []
    return out, below


#: one entry of the legend: kind, text, value (an arrow's sign or a swatch's colour)
_LegendItem = tuple[str, str, str | None]


def legend(c: Canvas, x: float, top: float, width: float, lang: str, types: list[str], *,
           borrowed: bool) -> float:
    """The key: arrow kinds, level abbreviations, entity colours; returns its height."""
    from ..html.i18n import vocabulary
    from ..html.style import TIERS, type_style
    words = vocabulary()[lang]
    y = top
    c.svg.add("line", x1=x, y1=y, x2=x + width, y2=y, stroke="#999999", stroke_width=0.4)
    y += 3
    rows: list[list[_LegendItem]] = []
    steps: list[_LegendItem] = [("arrow", word("activation", lang), "+"), ("arrow", word("inhibition", lang), "-"),
                                ("arrow", word("unsigned", lang), None)]
    if borrowed:
        steps.append(("dashed", word("borrowed", lang), "+"))
    rows.append([("title", word("legend_steps", lang), None), *steps])
    full = dict(words, rct="randomised controlled trial" if lang == "en" else "随机对照试验")
    levels = [("text", f"{short} = {full.get(level, level)}", None)
              for level, short in ((lv, level_short(lv, lang)) for lv in
                                   ("meta_analysis", "rct", "clinical_trial", "human_observational", "animal_in_vivo",
                                    "in_vitro", "review_opinion"))]
    rows.append([("title", word("legend_evidence", lang), None), *levels])
    tiers = sorted({type_style(t).tier for t in types})
    rows.append([("title", word("legend_entities", lang), None),
                 *[("swatch", TIERS[i][2] if lang == "zh" else TIERS[i][1], TIER_COLORS[i]) for i in tiers]])
    for row in rows:
        cx = x
        line_h = NOTE * LEADING + 1.5
        for kind, text, value in row:
            swatch = 0 if kind in ("title", "text") else 13 if kind in ("arrow", "dashed") else 8
            need = swatch + text_width(text, NOTE, kind == "title") + 7
            if cx > x and cx + need > x + width:
                cx = x + 8
                y += line_h
            if kind in ("arrow", "dashed"):
                arrow(c, cx, y + NOTE * 0.55, cx + 11, y + NOTE * 0.55, value, dashed=kind == "dashed")
            elif kind == "swatch":
                assert value is not None  # a swatch's value is its tier's colour
                c.svg.add("rect", x=cx, y=y + 0.5, width=6.5, height=NOTE * 0.95, rx=1, fill=tint(value, 0.62),
                          stroke=shade(value, 0.35), stroke_width=BOX_STROKE)
            c.line(cx + swatch, y, text, NOTE, bold=kind == "title", role="legend")
            cx += need
        y += line_h + 1
    return y - top
