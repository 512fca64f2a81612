"""FalkorDB's Bolt layer: what it can carry, and how big a request it builds.

It pastes parameters into the query text as ``CYPHER name=value ... query`` without
escaping them, prints floats with six decimals, and writes the request into a 4,096-byte
stack buffer. :func:`falkordb_value` escapes what it must and refuses what it would
change; :func:`request_size` and :func:`pasted_size` measure a request, so that the
loader (:mod:`mechgraph.backends.loading`) stays below :data:`FALKORDB_REQUEST_LIMIT`.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..errors import MechgraphError

#: FalkorDB's Bolt layer writes a request with parameters into a 4,096-byte stack buffer
#: as ``CYPHER name=value ... query`` and crashes (stack smashing) when it overflows:
#: larger requests (:func:`request_size`) are refused, and the loader stays below
FALKORDB_REQUEST_LIMIT = 4000
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def falkordb_value(value: Any, where: str = "") -> Any:
    """A parameter value as FalkorDB's Bolt layer must receive it to store it unchanged:
    backslashes and single quotes escaped. Raises MechgraphError for what it cannot carry
    (NUL characters, floats it would round to six decimals, map keys that are not plain names).

    >>> falkordb_value(["it's", "a\\\\b"])
    ["it\\\\'s", 'a\\\\\\\\b']
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise MechgraphError(f"parameter {where}: FalkorDB cannot store the NUL character")
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, float) and math.isfinite(value) and float(f"{value:.6f}") != value:
        raise MechgraphError(f"parameter {where}: FalkorDB's Bolt interface would round {value!r} "
                             f"to six decimals; write the number into the query instead")
    if isinstance(value, (list, tuple)):
        return [item if item is None or type(item) is int or (type(item) is str and _plain(item))
                else falkordb_value(item, where) for item in value]
    if isinstance(value, dict):
        for key in value:
            if not _PLAIN_KEY.match(str(key)):
                raise MechgraphError(f"parameter {where}: FalkorDB's Bolt interface cannot carry the map "
                                     f"key {key!r} (only letters, digits and _)")
        return {k: falkordb_value(v, f"{where}.{k}") for k, v in value.items()}
    return value


def _plain(text: str) -> bool:
    """True when FalkorDB's Bolt layer takes ``text`` as it is (nothing to escape or refuse)."""
    return "\\" not in text and "'" not in text and "\x00" not in text


def request_size(query: str, params: dict) -> int:
    """The bytes of the text FalkorDB's Bolt layer builds from ``query`` and ``params``
    (as given, before :func:`falkordb_value` escapes them): ``CYPHER name=value ... query``.

    >>> request_size("RETURN $s", {"s": "it's"})  # CYPHER s='it\\'s' RETURN $s
    26
    """
    if not params:
        return len(query.encode())
    return (len("CYPHER ") + sum(len(str(key).encode()) + 2 + pasted_size(value) for key, value in params.items())
            + len(query.encode()))


def pasted_size(value: Any) -> int:
    """The bytes of ``value`` as FalkorDB's Bolt layer writes a parameter into the query
    text: strings quoted (with the escapes :func:`falkordb_value` adds), lists and maps
    with ``", "`` between items, floats with six decimals, null as ``NULL``.

    >>> pasted_size(["it's", 1, None, {"k": 0.5}])  # ['it\\'s', 1, NULL, {k: 0.500000}]
    33
    """
    if isinstance(value, str):
        return len(value.encode()) + value.count("\\") + value.count("'") + 2
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    if isinstance(value, int):
        return len(str(value))
    if isinstance(value, float):
        return len(f"{value:f}")
    if isinstance(value, (list, tuple)):
        total = 0
        for item in value:  # the common items inline: the loader sizes every row
            kind = type(item)
            if kind is str:
                total += len(item.encode()) + item.count("\\") + item.count("'") + 4
            elif kind is int:
                total += len(str(item)) + 2
            elif item is None:
                total += 6
            else:
                total += pasted_size(item) + 2
        return total or 2
    if isinstance(value, dict):
        return sum(len(str(k).encode()) + 4 + pasted_size(v) for k, v in value.items()) if value else 2
    return len(str(value).encode()) + 2
