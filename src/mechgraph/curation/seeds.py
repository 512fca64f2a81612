"""Seed texts: paragraphs, sentences, locators and the numbers a sentence states.

A seed is a plain-text review article. Paragraphs are blocks separated by blank
lines; a block that stops mid-sentence (a PDF page break, as in ``…或吸入途`` /
``径多种方式给药``) is joined to the next one. Paragraphs are numbered from 1 in
file order (title and headings included), sentences from 1 within a paragraph;
Chinese sentences end in 。！？. A text with little Chinese in it is read as English
(:func:`is_english`): lines join with a space, and a sentence also ends at ``.``, ``!``
or ``?`` followed by a space and a capital letter, a digit or an opening bracket or quote,
unless the word before is an abbreviation such as ``et al.``, ``e.g.`` or ``Fig.``.

A locator is written ``p27.s2`` (paragraph 27, sentence 2) or ``p27.s2-3``
(sentences 2 to 3 of paragraph 27).

>>> text = "标题\\n\\n1. 小节\\n\\n第一句。第二句在\\n\\n下一页继续。\\n"
>>> [(p.number, p.kind, [s.text for s in p.sentences]) for p in split_paragraphs(text)]
[(1, 'title', ['标题']), (2, 'heading', ['1. 小节']), (3, 'body', ['第一句。', '第二句在下一页继续。'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import LocatorError

TERMINAL = "。！？!?"
_CLOSERS = "”’」』）)]】"
_HEADING = re.compile(
    r"^(\d+(\.\d+)*(\.\s*|\s+)\S"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十]+[）)]"
    r"|参考文献$|References?$)"
)
_FRONT = re.compile(r"^(来源|作者|关键词|Keywords?)\s*[:：]|^\d{4}-\d{2}-\d{2}|\s\d{6}$")
_FOOTER = re.compile(r"^[（(]本网站|^收藏|^\d$")
_LOCATOR = re.compile(r"^p(\d+)\.s(\d+)(?:-(\d+))?$")
_EN_FRONT = re.compile(r"^(Authors?|Affiliations?|Correspondence|Received|Accepted|Published|DOI|Citation)\s*:",
                       re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
#: English sentence ends: . ! ? (with closing quotes or brackets), then a space and what starts a sentence
_EN_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
#: words ending in a full stop that do not end an English sentence (lower case, without the stop)
_EN_ABBREVIATIONS = frozenset({
    "al", "e.g", "i.e", "fig", "figs", "vs", "cf", "ca", "approx", "dr", "mr", "mrs", "ms", "prof", "no",
    "nos", "ref", "refs", "eq", "vol", "suppl", "st", "jr", "sr", "et", "etc", "resp", "incl", "tab"})

#: paragraph kinds whose sentences count as substantive text
SUBSTANTIVE_KINDS = frozenset({"body"})


@dataclass(frozen=True)
class Sentence:
    """One sentence of a seed, with its position."""

    paragraph: int
    number: int
    text: str
    section: str

    @property
    def locator(self) -> str:
        return f"p{self.paragraph}.s{self.number}"


@dataclass
class Paragraph:
    """A paragraph: ``kind`` is title, front, heading, body, reference or footer."""

    number: int
    kind: str
    text: str
    line: int
    section: str
    sentences: list[Sentence] = field(default_factory=list)


@dataclass(frozen=True)
class Locator:
    """A span of sentences in one paragraph of a seed."""

    paragraph: int
    first: int
    last: int

    @classmethod
    def parse(cls, text: str) -> Locator:
        """Parse ``p27.s2`` or ``p27.s2-3``; raise LocatorError on anything else."""
        match = _LOCATOR.match(str(text).strip())
        if not match:
            raise LocatorError(f"malformed locator {text!r} (expected e.g. p27.s2 or p27.s2-3)")
        paragraph, first, last = int(match[1]), int(match[2]), int(match[3] or match[2])
        if last < first:
            raise LocatorError(f"locator {text!r} ends before it starts")
        return cls(paragraph, first, last)

    def __str__(self) -> str:
        tail = f"-{self.last}" if self.last != self.first else ""
        return f"p{self.paragraph}.s{self.first}{tail}"


def is_english(text: str) -> bool:
    """Whether a text reads as English: Latin letters outnumber Chinese characters ten to one.

    >>> is_english("Ketamine blocks NMDA receptors."), is_english("氯胺酮阻断NMDA受体。")
    (True, False)
    """
    return len(_CJK.findall(text)) * 10 < len(_LATIN.findall(text))


def _join(left: str, right: str, english: bool = False) -> str:
    if english and left and right:
        return f"{left} {right}"
    if left and right and left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def _blocks(text: str, english: bool = False) -> list[tuple[int, str]]:
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append((start, "".join(current)))
                current = []
            continue
        if not current:
            start = number
            current.append(line)
        else:
            current[-1] = _join(current[-1], line, english)
    if current:
        blocks.append((start, "".join(current)))
    return blocks


def _classify(text: str, first: bool, in_references: bool, english: bool = False) -> str:
    if english:
        return _classify_english(text, first, in_references)
    if first:
        return "title"
    if in_references:
        return "reference"
    if _FOOTER.search(text):
        return "footer"
    if _FRONT.search(text):
        return "front"
    if _HEADING.match(text) and len(text) < 60 and "。" not in text:
        return "heading"
    if not any(mark in text for mark in TERMINAL):
        return "front"
    return "body"


def _classify_english(text: str, first: bool, in_references: bool) -> str:
    if first:
        return "title"
    if in_references:
        return "reference"
    if _FOOTER.search(text):
        return "footer"
    if _FRONT.search(text) or _EN_FRONT.match(text):
        return "front"
    ends = text.rstrip(_CLOSERS + " ")[-1:] in ".!?"
    words = re.sub(r"^\d+(\.\d+)*\.?\s*", "", text)
    if len(text) < 80 and not ends and not re.search(r"[.!?]\s", words) and text[:1].isalnum():
        return "heading"
    if not ends and not re.search(r"[.!?]\s", text):
        return "front"
    return "body"


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in TERMINAL + ".;；:："


def split_sentences(text: str, english: bool = False) -> list[str]:
    """Split a paragraph after 。！？ (keeping closing quotes with their sentence); with
    ``english``, also after an English sentence's end (see the module docstring).

    >>> split_sentences("Li et al. showed it (Fig. 2). Mice 2 h later. E.g. Rats did too.", english=True)
    ['Li et al. showed it (Fig. 2).', 'Mice 2 h later.', 'E.g. Rats did too.']
    """
    if english:
        return [piece for part in split_sentences(text) for piece in _split_english(part)]
    sentences: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        if text[index] in TERMINAL:
            end = index + 1
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            piece = text[start:end].strip()
            if piece:
                sentences.append(piece)
            start = index = end
            continue
        index += 1
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _split_english(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _EN_END.finditer(text):
        last = re.search(r"(\S+)$", text[start:match.start()])
        word = last[1].lower().lstrip("(\"'“‘[") if last else ""
        if match[0][0] == "." and word in _EN_ABBREVIATIONS:
            continue
        pieces.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    return [p for p in pieces if p] + ([tail] if tail else [])


def _section_label(heading: str) -> str:
    match = re.match(r"^(\d+(?:\.\d+)*)", heading)
    if match:
        return match[1]
    match = re.match(r"^([一二三四五六七八九十]+)、", heading)
    if match:
        return match[1]
    match = re.match(r"^[（(]([一二三四五六七八九十]+)[）)]", heading)
    if match:
        return f"({match[1]})"
    return heading[:12]


def split_paragraphs(text: str) -> list[Paragraph]:
    """Split a seed's text into numbered, classified paragraphs with their sentences
    (read as English when :func:`is_english` says so)."""
    english = is_english(text)
    raw = _blocks(text, english)
    merged: list[tuple[int, str, str]] = []
    in_references = False
    for line, block in raw:
        kind = _classify(block, not merged, in_references, english)
        if kind == "heading" and block.startswith(("参考文献", "Reference")):
            in_references = True
        if merged:
            prev_line, prev_text, prev_kind = merged[-1]
            if (prev_kind in ("body", "front", "reference") and not _ends_sentence(prev_text)
                    and kind in ("body", "front", "reference") and prev_kind != "title"
                    and not _FRONT.search(prev_text)):
                joined = _join(prev_text, block, english)
                merged[-1] = (prev_line, joined, _classify(joined, False, in_references and prev_kind == "reference",
                                                           english))
                continue
        merged.append((line, block, kind))

    paragraphs: list[Paragraph] = []
    section = ""
    top = ""
    for number, (line, block, kind) in enumerate(merged, 1):
        if kind == "heading":
            label = _section_label(block)
            if label.startswith("("):
                section = f"{top}{label}"
            else:
                top = section = label
        paragraph = Paragraph(number, kind, block, line, section)
        # an English reference keeps its full stops: one reference, one sentence
        pieces = split_sentences(block, english and kind == "body") if kind in ("body", "reference") else [block]
        paragraph.sentences = [Sentence(number, i, piece, section) for i, piece in enumerate(pieces, 1)]
        paragraphs.append(paragraph)
    return paragraphs


class Seed:
    """A seed file split into paragraphs and sentences.

    >>> seed = Seed.from_text("x.txt", "标题\\n\\n一句话。两句话。\\n")
    >>> seed.sentence("p2.s2").text
    '两句话。'
    """

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self.paragraphs = split_paragraphs(text)

    @classmethod
    def from_text(cls, name: str, text: str) -> Seed:
        return cls(name, text)

    @classmethod
    def from_file(cls, path: str | Path) -> Seed:
        path = Path(path)
        return _read_seed(str(path.resolve()), path.stat().st_mtime_ns)

    def sentences(self, substantive_only: bool = False) -> list[Sentence]:
        """All sentences in order (only body sentences when ``substantive_only``)."""
        return [s for p in self.paragraphs
                if not substantive_only or p.kind in SUBSTANTIVE_KINDS
                for s in p.sentences]

    def resolve(self, locator: Locator | str) -> list[Sentence]:
        """The sentences a locator names; raise LocatorError when it points nowhere."""
        if isinstance(locator, str):
            locator = Locator.parse(locator)
        if not 1 <= locator.paragraph <= len(self.paragraphs):
            raise LocatorError(f"{self.name} has no paragraph {locator.paragraph} "
                               f"(it has {len(self.paragraphs)})")
        paragraph = self.paragraphs[locator.paragraph - 1]
        if locator.last > len(paragraph.sentences):
            raise LocatorError(f"{self.name} paragraph {locator.paragraph} has "
                               f"{len(paragraph.sentences)} sentence(s), not {locator.last}")
        return paragraph.sentences[locator.first - 1:locator.last]

    def sentence(self, locator: Locator | str) -> Sentence:
        """The first sentence a locator names."""
        return self.resolve(locator)[0]


@lru_cache(maxsize=16)
def _read_seed(path: str, _mtime: int) -> Seed:
    return Seed(Path(path).name, Path(path).read_text(encoding="utf-8"))


_MARKUP = [
    (re.compile(r"\^\{?\[[\d,，\-–~\s]+\]\}?"), ""),   # citation marks ^{[6]} or ^[10]
    (re.compile(r"\^\{[^}]*\}"), ""),                 # other superscripts ^{2*}
    (re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰⁺]"), ""),
    (re.compile(r"\$([^$]*)\$"), r"\1"),
    (re.compile(r"_\{([^}]*)\}"), r"\1"),
]
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_LETTER = "A-Za-zα-ωΑ-Ωµ"
# A number glued to a letter, or after "letter-", is part of a name (GluN2B, IL-6, PSD-95, γ8).
_NUMBER = re.compile(rf"(?<![{_LETTER}\d.])(?<![{_LETTER}]-)\d+(?:\.\d+)?")


def strip_markup(text: str) -> str:
    """Remove the LaTeX-style markup of PDF extractions (citation marks, ``$…$``)."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def numbers_in(text: str, chinese: bool = False) -> set[str]:
    """The numbers a text states, normalised (``0.50`` → ``0.5``).

    Digits glued to letters (GluN2B, mTORC1, rs1799971, IL-6, PSD-95) are names, not numbers.
    With ``chinese``, single Chinese numerals count too (三倍 → 3).

    >>> sorted(numbers_in("0.1~0.5 mg/kg 与 IL-6，^[6] GluN2B, 5-HT, 56-84mg"))
    ['0.1', '0.5', '5', '56', '84']
    """
    text = strip_markup(text)
    found = {_normalise_number(m) for m in _NUMBER.findall(text)}
    if chinese:
        found |= {str(v) for ch, v in _CHINESE_DIGITS.items() if ch in text}
    return found


def _normalise_number(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0" if "." not in text else text
