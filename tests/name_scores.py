"""The reference scoring of ``search``: every name key scored in Python with difflib, as
search scored before it had a name table. Search must give the same scores (tests/test_names.py)
and the same ranking (tests/test_search_index.py)."""

from __future__ import annotations

import difflib

from mechgraph.model.names import NameIndex, normalise


def plain_scores(index: NameIndex, text: str) -> dict[str, float]:
    """Entity id -> its best score for ``text`` among its name keys (matches only)."""
    query, best = normalise(text), {}
    for key, ids in index.keys.items():
        if key == query:
            score = 1.0
        elif key.startswith(query):
            score = 0.9
        elif query in key:
            score = 0.7
        elif len(query) >= 3 and query[:1] == key[:1] or len(query) >= 4:
            ratio = difflib.SequenceMatcher(None, query, key).ratio()
            score = round(ratio * 0.8, 3) if ratio >= 0.6 else 0.0
        else:
            score = 0.0
        for entity in ids if score else ():
            best[entity] = max(best.get(entity, 0.0), score)
    return best


def plain_ranking(index: NameIndex, text: str, limit: int) -> list[tuple[str, float]]:
    """The ``limit`` best hits of :func:`plain_scores`, ties by name then id."""
    best = plain_scores(index, text)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], index.entities[kv[0]].name.casefold(), kv[0]))
    return ranked[:limit]
