"""Small helpers shared by the XML formats (GraphML, GEXF): escaping and typed values."""

from __future__ import annotations

import re

from .records import as_json

# Characters XML 1.0 cannot hold at all (controls other than tab, newline, return; lone surrogates).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                       "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def text(value: str) -> str:
    """Element content, escaped (characters XML cannot hold become U+FFFD).

    >>> text('a < b & "c"')
    'a &lt; b &amp; "c"'
    """
    return _INVALID.sub("\ufffd", value).translate(_TEXT)


def attr(value: str) -> str:
    """An attribute value, escaped and quoted.

    >>> attr('say "hi"\\n')
    '"say &quot;hi&quot;&#10;"'
    """
    return '"' + _INVALID.sub("\ufffd", value).translate(_ATTR) + '"'


def typed(value) -> tuple[str, str]:
    """``(xml type, text)`` of a value: numbers stay numbers, lists and mappings become JSON.

    >>> typed(0.5), typed(["mouse"]), typed(None)
    (('double', '0.5'), ('string', '["mouse"]'), ('string', ''))
    """
    if isinstance(value, bool):
        return "boolean", "true" if value else "false"
    if isinstance(value, int):
        return "long", str(value)
    if isinstance(value, float):
        return "double", repr(value)
    if isinstance(value, (list, tuple, dict)):
        return "string", as_json(value)
    return "string", "" if value is None else str(value)
