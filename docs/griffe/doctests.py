"""A griffe extension for the API reference: doctest lines in a docstring (``>>>``, ``...``
and the output after them) become fenced ``pycon`` blocks, and reST literals
(````x````) Markdown ones, so that Markdown does not read ``d["id"][0]`` as a link."""

from __future__ import annotations

import re

import griffe

_LITERAL = re.compile(r"``(.+?)``")


def markdown(text: str) -> str:
    out, block = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">>>"):
            if block is None:
                indent = line[: len(line) - len(line.lstrip())]
                block = []
                out.append(f"{indent}```pycon")
            block.append(line)
            out.append(line)
        elif block is not None and stripped:
            out.append(line)
        else:
            if block is not None:
                out.append(f"{indent}```")
                block = None
            out.append(_LITERAL.sub(r"`\1`", line))
    if block is not None:
        out.append(f"{indent}```")
    return "\n".join(out)


class Doctests(griffe.Extension):
    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)
