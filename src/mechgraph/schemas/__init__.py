"""JSON Schemas (draft 2020-12) of the ``--json`` output of each command.

One file per shape, ``NAME.schema.json``; ``common.schema.json`` holds the shapes the
others share (an entity, a finding, a path, an edge, how a score is computed), which they
refer to by relative ``$ref``. The test suite validates every command's real output
against its schema, and the documentation's JSON shapes page is generated from them.

>>> "path" in names() and "common" in names()
True
>>> load("search")["type"]
'array'
"""

from __future__ import annotations

import json
from importlib.resources import files

_SUFFIX = ".schema.json"


def names() -> list[str]:
    """The names of the schemas shipped, sorted (``path`` for ``path.schema.json``)."""
    return sorted(p.name.removesuffix(_SUFFIX) for p in files(__name__).iterdir() if p.name.endswith(_SUFFIX))


def load(name: str) -> dict:
    """One schema as a dict; a ``KeyError`` for a name not shipped."""
    if name not in names():
        raise KeyError(f"no JSON Schema named {name!r}; choose from {', '.join(names())}")
    return json.loads(files(__name__).joinpath(name + _SUFFIX).read_text(encoding="utf-8"))
