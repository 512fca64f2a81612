"""A small SVG writer for figures: escaped text, fixed number formatting, and text widths
measured from font metrics, so that a layout knows how much room each label takes.

Widths come from the advance widths of Helvetica (Arial and Liberation Sans share them)
in thousandths of an em; Chinese and other full-width characters take a whole em. A
safety margin covers fonts a little wider than Helvetica (DejaVu Sans).

>>> round(text_width("BDNF", 7), 2)
20.58
>>> wrap_text("Functional connectivity of the substantia nigra", 7, 70)
['Functional', 'connectivity of the', 'substantia nigra']
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

#: advance widths of Helvetica, characters 32 to 126, in 1/1000 em
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,    # space ! " # ... /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,    # 0-9 : ; < = > ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,   # @ A-O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,    # P-Z [ \\ ] ^ _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,    # ` a-o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,         # p-z { | } ~
]
#: how much wider than Helvetica a label may be drawn before it touches its neighbour
SAFETY = 1.08
#: bold text is about this much wider
BOLD = 1.07
#: the font stack of every figure: Helvetica metrics first, then common Chinese fonts
FONT_FAMILY = ("Arial, Helvetica, 'Liberation Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
               "'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif")
_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


def char_width(c: str) -> float:
    """The advance of one character in ems."""
    code = ord(c)
    if 32 <= code <= 126:
        return _HELVETICA[code - 32] / 1000
    if _WIDE.match(c):
        return 1.0
    if c in "\u2192\u2190\u22a3\u2014\u2026\u2020\u00b7\u2212":
        return 0.9 if c != "\u00b7" else 0.3
    return 0.62


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` at ``size`` points, with the safety margin."""
    return sum(char_width(c) for c in text) * size * SAFETY * (BOLD if bold else 1.0)


def _pieces(text: str) -> list[str]:
    """Words and the places a line may break: after a space, '/' or '-', or between two
    wide (Chinese) characters; never inside a word."""
    out, current = [], ""
    for i, c in enumerate(text):
        current += c
        following = text[i + 1] if i + 1 < len(text) else ""
        if c == " " or c == "/" or (c == "-" and len(current.strip()) > 2 and following not in (" ", "")) or \
                (_WIDE.match(c) and following and _WIDE.match(following)):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def wrap_text(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` where it can be; a single word
    wider than ``width`` keeps a line of its own (never split)."""
    lines, line = [], ""
    for piece in _pieces(text):
        trial = line + piece
        if line and text_width(trial.rstrip(), size, bold) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line = trial
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def num(x: float) -> str:
    """A coordinate as written: at most two decimals, no trailing zeros.

    >>> num(3.0), num(2.456), num(-0.004)
    ('3', '2.46', '0')
    """
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Svg:
    """Elements written in order; attributes sorted, numbers formatted by ``num``."""

    def __init__(self):
        self.parts: list[str] = []

    @staticmethod
    def _attrs(attrs: dict) -> str:
        out = []
        for key in sorted(attrs):
            value = attrs[key]
            if value is None:
                continue
            if isinstance(value, float | int) and not isinstance(value, bool):
                value = num(value)
            out.append(f" {key.rstrip('_').replace('_', '-')}={quoteattr(str(value))}")
        return "".join(out)

    def open(self, tag: str, **attrs):
        self.parts.append(f"<{tag}{self._attrs(attrs)}>")

    def close(self, tag: str):
        self.parts.append(f"</{tag}>")

    def add(self, tag: str, text: str | None = None, **attrs):
        if text is None:
            self.parts.append(f"<{tag}{self._attrs(attrs)}/>")
        else:
            self.parts.append(f"<{tag}{self._attrs(attrs)}>{escape(text)}</{tag}>")

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, anchor: str = "start",
             fill: str = "#000000", cls: str = "label", italic: bool = False):
        """One line of text with its baseline at ``y``."""
        self.add("text", text, x=x, y=y, font_size=size, font_weight="bold" if bold else None,
                 font_style="italic" if italic else None, text_anchor=anchor if anchor != "start" else None,
                 fill=fill, class_=cls)

    def render(self, width: float, height: float, *, title: str, description: str, lang: str) -> str:
        """The document: ``width`` and ``height`` in points (written in millimetres)."""
        mm = 25.4 / 72
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{num(width * mm)}mm" '
                f'height="{num(height * mm)}mm" viewBox="0 0 {num(width)} {num(height)}" '
                f'font-family={quoteattr(FONT_FAMILY)} xml:lang="{lang}">')
        return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', head, f"<title>{escape(title)}</title>",
                          f"<desc>{escape(description)}</desc>",
                          f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
                          *self.parts, "</svg>", ""])
