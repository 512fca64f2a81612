"""Split Cypher text into tokens: words, `escaped names`, strings, numbers, $parameters
and punctuation; comments and white space are dropped.

The lexer accepts any Cypher text, including syntax the embedded engine does not
run, so that the write guard can read every query.

>>> [t.text for t in tokenize("MATCH (n:Drug {id: 'x'}) RETURN n // done")][:-1]
['MATCH', '(', 'n', ':', 'Drug', '{', 'id', ':', 'x', '}', ')', 'RETURN', 'n']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CypherSyntaxError


#: token kinds
WORD, NAME, STRING, NUMBER, PARAM, SYMBOL, END = "word", "name", "string", "number", "param", "symbol", "end"


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a string's value, a name without backticks), and the
    offsets where it starts and ends in the query."""

    kind: str
    text: str
    pos: int
    end: int = 0

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == WORD else ""


_SYMBOLS = ("<>", "!=", "<=", ">=", "=~", "+=", "..", "(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "|",
            "=", "<", ">", "+", "-", "*", "/", "%", "^", "$", "&", "!")
_NUMBER = re.compile(r"0x[0-9A-Fa-f]+|0o[0-7]+|(?:\d+\.\d+|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_WORD = re.compile(r"[^\W\d]\w*", re.UNICODE)
_SPACE = re.compile(r"\s+")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "/": "/"}


def position(text: str, pos: int) -> str:
    """``line L, column C`` of an offset."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return f"line {line}, column {column}"


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token; raise CypherSyntaxError on an
    unterminated string, comment or name, or a character Cypher does not use."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            space = _SPACE.match(text, i)
            assert space is not None  # text[i] is a space
            i = space.end()
            continue
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CypherSyntaxError(f"unterminated comment at {position(text, i)}")
            i = end + 2
            continue
        if c in "'\"":
            value, i2 = _string(text, i)
            tokens.append(Token(STRING, value, i, i2))
            i = i2
            continue
        if c == "`":
            value, i2 = _escaped(text, i)
            tokens.append(Token(NAME, value, i, i2))
            i = i2
            continue
        if c == "$":
            j = i + 1
            if j < n and text[j] == "`":
                value, j = _escaped(text, j)
            else:
                m = _WORD.match(text, j) or re.compile(r"\d+").match(text, j)
                if not m:
                    raise CypherSyntaxError(f"a parameter name must follow '$' at {position(text, i)}")
                value, j = m.group(), m.end()
            tokens.append(Token(PARAM, value, i, j))
            i = j
            continue
        m = _NUMBER.match(text, i) if (c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit())) else None
        if m:
            tokens.append(Token(NUMBER, m.group(), i, m.end()))
            i = m.end()
            continue
        m = _WORD.match(text, i)
        if m:
            tokens.append(Token(WORD, m.group(), i, m.end()))
            i = m.end()
            continue
        for symbol in _SYMBOLS:
            if text.startswith(symbol, i):
                tokens.append(Token(SYMBOL, symbol, i, i + len(symbol)))
                i += len(symbol)
                break
        else:
            raise CypherSyntaxError(f"unexpected character {c!r} at {position(text, i)}")
    tokens.append(Token(END, "", n, n))
    return tokens


def _string(text: str, start: int) -> tuple[str, int]:
    quote = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == quote:
            return "".join(out), i + 1
        if c == "\\" and i + 1 < len(text):
            e = text[i + 1]
            if e in _ESCAPES:
                out.append(_ESCAPES[e])
                i += 2
                continue
            if e in "uU":
                width = 4 if e == "u" else 8
                digits = text[i + 2:i + 2 + width]
                if len(digits) == width and all(d in "0123456789abcdefABCDEF" for d in digits):
                    out.append(chr(int(digits, 16)))
                    i += 2 + width
                    continue
            raise CypherSyntaxError(f"invalid escape \\{e} in a string at {position(text, i)}")
        out.append(c)
        i += 1
    raise CypherSyntaxError(f"unterminated string starting at {position(text, start)}")


def _escaped(text: str, start: int) -> tuple[str, int]:
    out = []
    i = start + 1
    while i < len(text):
        if text[i] == "`":
            if text.startswith("``", i):
                out.append("`")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(text[i])
        i += 1
    raise CypherSyntaxError(f"unterminated `name` starting at {position(text, start)}")
