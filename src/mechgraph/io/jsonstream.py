"""JSON written as it is made: the text ``json.dumps(value, ensure_ascii=False, indent=N)``
gives, in pieces, with the long lists of a document made one item at a time.

An export of a million assertions as one dictionary, dumped to one string, holds every
record three times over (the records, the dictionary, the text). :func:`pieces` writes the
same bytes with a list's items made as they are written (:class:`Lazy`), so that only the
item at hand is held.

>>> doc = {"name": "g", "items": Lazy({"n": i} for i in range(2)), "none": Lazy(())}
>>> "".join(pieces(doc)) == json.dumps({"name": "g", "items": [{"n": 0}, {"n": 1}], "none": []},
...                                    ensure_ascii=False, indent=1)
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

#: pieces of text gathered before one is handed on (fewer, larger writes)
PIECE = 1 << 16


class Lazy:
    """A list whose items are made as it is written (consumed once)."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]):
        self.items = items


def pieces(value: Any, indent: int = 1) -> Iterator[str]:
    """The text of ``json.dumps(value, ensure_ascii=False, indent=indent)`` in pieces of
    about :data:`PIECE` characters; a :class:`Lazy` anywhere in dictionaries is written as
    the list of its items (a :class:`Lazy` inside a plain list is not looked for)."""
    buffer: list[str] = []
    size = 0
    for text in _encode(value, 0, indent):
        buffer.append(text)
        size += len(text)
        if size >= PIECE:
            yield "".join(buffer)
            buffer.clear()
            size = 0
    if buffer:
        yield "".join(buffer)


def _encode(value: Any, level: int, indent: int) -> Iterator[str]:
    if isinstance(value, dict) and _has_lazy(value):
        if not value:
            yield "{}"
            return
        inner = "\n" + " " * (indent * (level + 1))
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):  # json.dumps would write it as a string; no document here has one
                raise TypeError(f"a key that is not a string: {key!r}")
            yield ("," if i else "") + inner + json.dumps(key, ensure_ascii=False) + ": "
            yield from _encode(item, level + 1, indent)
        yield "\n" + " " * (indent * level) + "}"
    elif isinstance(value, Lazy):
        inner = "\n" + " " * (indent * (level + 1))
        first = True
        for item in value.items:
            yield ("[" if first else ",") + inner
            yield from _encode(item, level + 1, indent)
            first = False
        yield "[]" if first else "\n" + " " * (indent * level) + "]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=indent)
        yield text.replace("\n", "\n" + " " * (indent * level)) if level else text


def _has_lazy(value: Any) -> bool:
    """Whether a :class:`Lazy` lies in ``value`` through dictionaries."""
    return any(isinstance(v, Lazy) or (isinstance(v, dict) and _has_lazy(v)) for v in value.values())
