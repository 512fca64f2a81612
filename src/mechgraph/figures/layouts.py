"""The three figure layouts.

- **Cascades** (``path`` and ``explain``): each chain is a column read top to bottom,
  entity, step, entity, with each step's sign as its arrow head and its wording,
  evidence level and score, drugs and species printed beside the arrow. Columns sit
  side by side as the width allows (three at double-column width, one at single);
  ``explain`` groups them under each mechanism family's name.
- **Focus**: an entity in the middle, what acts on it on the left and what it acts on
  on the right, one row per assertion, strongest evidence first; at single-column width
  the two halves are stacked.

Every position is computed from text metrics (:mod:`mechgraph.figures.svg`), so that
no two texts overlap and the same input gives the same bytes.
"""

from __future__ import annotations

import math

from .draw import Canvas, arrow, box_height, box_lines, entity_box, legend, step_note_parts, step_notes
from .style import LABEL, LEADING, NOTE, TITLE, word
from .svg import wrap_text

MARGIN = 8.0
COL_GAP = 12.0
MIN_COL = 150.0
ROW_GAP = 10.0


def _name(graph, entity_id: str, lang: str) -> str:
    entity = graph.model.entities[entity_id]
    return (entity.name_zh or entity.name) if lang == "zh" else entity.name


# -- cascades -------------------------------------------------------------------------------------

class _Column:
    """One chain laid out as a column: its height and how to draw it."""

    def __init__(self, graph, chain: dict, number: int, width: float, lang: str):
        self.graph, self.chain, self.number, self.width, self.lang = graph, chain, number, width, lang
        self.box_w = min(width * 0.56, 112.0)
        self.note_w = width - self.box_w / 2 - 7
        nodes = [n["id"] if isinstance(n, dict) else n for n in chain["nodes"]]
        self.nodes = nodes
        self.names = [_name(graph, n, lang) for n in nodes]
        self.boxes = [box_height(box_lines(name, self.box_w)) for name in self.names]
        self.notes = [step_notes(h, graph, lang, self.note_w) for h in chain["hops"]]
        self.gaps = [max(16.0, len(n) * NOTE * LEADING + 6) for n in self.notes]
        self.head = self._head()
        self.head_lines = wrap_text(self.head, NOTE, width)
        self.height = len(self.head_lines) * NOTE * LEADING + 3 + sum(self.boxes) + sum(self.gaps)

    def _head(self) -> str:
        chain, lang = self.chain, self.lang
        text = word("chain", lang, n=self.number, score=f"{chain['score']:.2f}")
        if chain.get("kind", "chain") != "chain":
            text += " \u00b7 " + word("kind_" + chain["kind"], lang)
        elif chain.get("sign"):
            text += " \u00b7 " + word("net", lang, sign="+" if chain["sign"] == "+" else "\u2212")
        return text

    def draw(self, c: Canvas, x: float, y: float):
        c.svg.open("g", class_="chain", data_hops=" ".join(h["assertion"] for h in self.chain["hops"]))
        y += c.lines(x, y, self.head_lines, NOTE, bold=True, role="head") + 3
        for i, (node, name) in enumerate(zip(self.nodes, self.names, strict=True)):
            entity_type = self.graph.model.entities[node].type
            h = entity_box(c, x, y, self.box_w, name, entity_type, entity_id=node)
            y += h
            if i < len(self.chain["hops"]):
                hop = self.chain["hops"][i]
                ax = x + self.box_w / 2
                forward = hop.get("subject", node) == node
                start, end = (y, y + self.gaps[i]) if forward else (y + self.gaps[i], y)
                arrow(c, ax, start, ax, end, hop.get("sign"), dashed=bool(hop.get("borrowed")),
                      assertion=hop["assertion"])
                note_top = y + (self.gaps[i] - len(self.notes[i]) * NOTE * LEADING) / 2
                c.lines(ax + 4.5, note_top, self.notes[i], NOTE, role="note")
                y += self.gaps[i]
        c.svg.close("g")


def _frame(width: float) -> tuple[int, float]:
    content = width - 2 * MARGIN
    ncols = max(1, int((content + COL_GAP) // (MIN_COL + COL_GAP)))
    return ncols, (content - (ncols - 1) * COL_GAP) / ncols


def _title(c: Canvas, text: str, width: float, y: float) -> float:
    """Draw the title from ``y``; returns the y below it."""
    lines = wrap_text(text, TITLE, width - 2 * MARGIN, bold=True)
    return y + c.lines(MARGIN, y, lines, TITLE, bold=True, role="title") + 5


def cascades(graph, groups: list[tuple[str | None, list[dict], list[str]]], title: str, width: float,
             lang: str) -> tuple[Canvas, float]:
    """Draw ``groups`` of chains (each ``(heading or None, chains, notes)``) as columns that
    flow left to right and wrap; a group's heading tops its first column and its notes
    follow its last. Returns the canvas and the height used."""
    c = Canvas()
    ncols, col_w = _frame(width)
    y = _title(c, title, width, MARGIN)
    cells: list = []
    types: set[str] = set()
    number, borrowed = 0, False
    for heading, chains, notes in groups:
        columns = []
        for chain in chains:
            number += 1
            columns.append(_Column(graph, chain, number, col_w, lang))
            types.update(graph.model.entities[n].type for n in columns[-1].nodes)
            borrowed = borrowed or any(h.get("borrowed") for h in chain["hops"])
        for i, column in enumerate(columns or [None]):
            cells.append({"heading": heading if i == 0 else None, "column": column,
                          "notes": notes if i == len(columns or [None]) - 1 else []})
    size = LABEL + 0.5
    for start in range(0, len(cells), ncols):
        row = cells[start:start + ncols]
        for cell in row:
            cell["heading_lines"] = wrap_text(cell["heading"], size, col_w, True) if cell["heading"] else []
            cell["note_lines"] = [line for note in cell["notes"] for line in wrap_text(note, NOTE, col_w)]
        heading_h = max(len(cell["heading_lines"]) for cell in row) * size * LEADING
        heading_h += 3 if heading_h else 0
        bottom = y + heading_h
        for i, cell in enumerate(row):
            x = MARGIN + i * (col_w + COL_GAP)
            if cell["heading_lines"]:
                c.lines(x, y, cell["heading_lines"], size, bold=True, role="heading", fill="#333333")
            top = y + heading_h
            if cell["column"] is not None:
                cell["column"].draw(c, x, top)
                top += cell["column"].height + 3
            if cell["note_lines"]:
                top += c.lines(x, top, cell["note_lines"], NOTE, role="note", italic=True)
            bottom = max(bottom, top)
        y = bottom + ROW_GAP
    y += legend(c, MARGIN, y, width - 2 * MARGIN, lang, sorted(types), borrowed=borrowed) + MARGIN
    return c, y


# -- focus -----------------------------------------------------------------------------------------------

def focus(graph, entity_id: str, incoming: list[dict], outgoing: list[dict], title: str, width: float, lang: str,
          notes: list[str]) -> tuple[Canvas, float]:
    """Draw an entity with its incoming and outgoing assertions (each a hop record);
    returns the canvas and the height used."""
    c = Canvas()
    content = width - 2 * MARGIN
    y = _title(c, title, width, MARGIN)
    model = graph.model
    stacked = content < 380 or not incoming or not outgoing
    box_w = min(108.0, max(82.0, content * 0.2))
    focus_w = min(80.0, max(62.0, content * 0.15))
    types = {model.entities[entity_id].type}
    sides = [("in", incoming), ("out", outgoing)]
    if stacked:
        arrow_w = content - box_w - focus_w
        for side, hops in sides:
            if not hops:
                continue
            y += c.lines(MARGIN, y, [word("incoming" if side == "in" else "outgoing", lang)], NOTE, bold=True,
                         role="heading") + 2
            left = MARGIN if side == "in" else MARGIN + focus_w + arrow_w
            focus_x = MARGIN + box_w + arrow_w if side == "in" else MARGIN
            y = _side(c, graph, entity_id, side, hops, left, focus_x, box_w, focus_w, arrow_w, y, lang, types)
            y += ROW_GAP
    else:
        arrow_w = (content - 2 * box_w - focus_w) / 2
        focus_x = MARGIN + box_w + arrow_w
        heads = [("in", MARGIN), ("out", focus_x + focus_w + arrow_w)]
        for side, x in heads:
            if dict(sides)[side]:
                c.line(x, y, word("incoming" if side == "in" else "outgoing", lang), NOTE, bold=True, role="heading")
        y += NOTE * LEADING + 2
        heights = [_rows_height(graph, side, hops, box_w, arrow_w, lang) for side, hops in sides]
        tallest = max(heights + [box_height(box_lines(_name(graph, entity_id, lang), focus_w, True))])
        bottoms = []
        for (side, hops), h in zip(sides, heights, strict=True):
            left = MARGIN if side == "in" else focus_x + focus_w + arrow_w
            top = y + (tallest - h) / 2
            if hops:
                bottoms.append(_side(c, graph, entity_id, side, hops, left, focus_x, box_w, focus_w, arrow_w, top,
                                     lang, types, draw_focus=False))
        entity = model.entities[entity_id]
        entity_box(c, focus_x, y, focus_w, _name(graph, entity_id, lang), entity.type, entity_id=entity_id,
                   bold=True, height=tallest)
        y += tallest + ROW_GAP
    for note in notes:
        y += c.lines(MARGIN, y, wrap_text(note, NOTE, content), NOTE, role="note", italic=True) + 2
    y += legend(c, MARGIN, y + 2, content, lang, sorted(types), borrowed=False) + MARGIN + 2
    return c, y


def _row(graph, side: str, hop: dict, box_w: float, arrow_w: float, lang: str):
    """A row's height, the notes above and below its arrow, the other entity's name and id."""
    other = hop["subject"] if side == "in" else hop["object"]
    name = _name(graph, other, lang)
    above, below = step_note_parts(hop, graph, lang, arrow_w - 8, drug_names=False)
    box_h = box_height(box_lines(name, box_w))
    half = max(len(above), len(below)) * NOTE * LEADING + 2.5
    return max(box_h, 2 * half), (above, below), name, other


def _rows_height(graph, side, hops, box_w, arrow_w, lang) -> float:
    if not hops:
        return 0.0
    return sum(_row(graph, side, h, box_w, arrow_w, lang)[0] for h in hops) + ROW_GAP / 2 * (len(hops) - 1)


def _side(c: Canvas, graph, entity_id, side, hops, left, focus_x, box_w, focus_w, arrow_w, y, lang, types,
          draw_focus: bool = True) -> float:
    top = y
    for i, hop in enumerate(hops):
        row_h, notes, name, other = _row(graph, side, hop, box_w, arrow_w, lang)
        entity = graph.model.entities[other]
        types.add(entity.type)
        centre = y + row_h / 2
        box_h = box_height(box_lines(name, box_w))
        entity_box(c, left, centre - box_h / 2, box_w, name, entity.type, entity_id=other)
        if side == "in":
            x1, x2 = left + box_w, focus_x
        else:
            x1, x2 = focus_x + focus_w, left
        arrow(c, x1 + 1, centre, x2, centre, hop["sign"], assertion=hop["assertion"])
        above, below = notes
        c.lines((x1 + x2) / 2, centre - 2 - len(above) * NOTE * LEADING, above, NOTE, anchor="middle", role="note")
        c.lines((x1 + x2) / 2, centre + 2, below, NOTE, anchor="middle", role="note")
        y += row_h + (ROW_GAP / 2 if i < len(hops) - 1 else 0)
    if draw_focus:
        entity = graph.model.entities[entity_id]
        entity_box(c, focus_x, top, focus_w, _name(graph, entity_id, lang), entity.type, entity_id=entity_id,
                   bold=True, height=y - top)
    return y


def chains_per_row(width: float) -> int:
    """How many chain columns fit side by side at ``width`` points."""
    return _frame(width)[0]


def rows_needed(n: int, width: float) -> int:
    return math.ceil(n / chains_per_row(width))
