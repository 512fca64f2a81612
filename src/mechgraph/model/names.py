"""Name normalisation, entity resolution and search.

Names match ignoring case, spaces, hyphens and the spelling of Greek letters, so
``TARP-γ8``, ``tarp gamma 8`` and ``Tarp-Gamma8`` are the same key.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

from ..errors import AmbiguousEntity, EntityNotFound

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
          "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu", "σ": "sigma", "τ": "tau",
          "ω": "omega", "θ": "theta", "ζ": "zeta", "η": "eta"}
_IGNORED = re.compile(r"[\s\-_‐‑–—·.,'’/()（）\[\]]+")


def normalise(text: str) -> str:
    """The matching key of a name.

    >>> normalise("TARP-γ8") == normalise("tarp gamma 8") == normalise("TARP-gamma8")
    True
    >>> normalise("IL-1β")
    'il1beta'
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(_GREEK.get(ch, ch) for ch in text)
    return _IGNORED.sub("", text)


def name_keys(entities: Mapping) -> dict[str, tuple[str, ...]]:
    """Each normalised id, name, alias and Chinese name -> the ids of the entities it names."""
    keys: dict[str, dict[str, None]] = {}
    for entity in entities.values():
        for label in (entity.id, entity.name, entity.name_zh, *entity.aliases):
            key = normalise(label)
            if key:
                keys.setdefault(key, {})[entity.id] = None
    return {key: tuple(ids) for key, ids in keys.items()}


def _fuzzy(query: str, key: str, letters: Counter) -> float:
    """0.8 times difflib's similarity ratio of ``query`` and ``key`` when it is at least
    0.6, else 0. Cheap upper bounds of the ratio (lengths, letters the key lacks, then
    difflib's ``quick_ratio``) rule most keys out before it is computed."""
    total = len(query) + len(key)  # the bounds are computed as difflib computes its ratio
    if 2.0 * min(len(query), len(key)) / total < 0.6:
        return 0.0
    # letters of the query that the key lacks cannot match: a bound that costs two set operations
    missing = sum(letters[letter] for letter in letters.keys() - set(key))
    if 2.0 * min(len(query) - missing, len(key)) / total < 0.6:
        return 0.0
    if 2.0 * sum(min(n, key.count(letter)) for letter, n in letters.items()) / total < 0.6:
        return 0.0
    ratio = difflib.SequenceMatcher(None, query, key).ratio()
    return round(ratio * 0.8, 3) if ratio >= 0.6 else 0.0


#: "Did you mean" lists only names at least this close (a prefix, a substring, or a fuzzy
#: ratio of 0.75): looser ones mislead more than they help ("burst firing" is not
#: "breastfeeding")
SUGGESTION_SCORE = 0.6


def _one_word_completion(typed: str, word: str) -> bool:
    """True when ``word`` starts with ``typed`` and goes on within one word only."""
    if not word.startswith(typed) or word == typed:
        return False
    rest = word[len(typed):]
    return not any(not ch.isalnum() for ch in rest)


class NameIndex:
    """Maps normalised ids, names, aliases and Chinese names to entity ids.

    ``keys`` (as :func:`name_keys` makes them) may be given ready, e.g. from the cache.
    """

    def __init__(self, entities: Mapping, keys: Mapping[str, tuple[str, ...]] | None = None):
        self.entities = entities
        self.keys = name_keys(entities) if keys is None else keys

    def resolve(self, name: str) -> str:
        """The id of the entity a name denotes.

        An exact match (after normalisation) wins; otherwise a name that begins
        exactly one entity's name resolves to it, and one that begins several is
        ambiguous. Raises EntityNotFound (with up to 5 suggestions) or AmbiguousEntity.
        """
        if name in self.entities:
            return name
        matches = self.keys.get(normalise(name), ())
        if len(matches) == 1:
            return next(iter(matches))
        if matches:
            raise AmbiguousEntity(name, [self._label(m) for m in sorted(matches)])
        hits = self.search(name, limit=50)
        prefixed = [h["id"] for h in hits if h["score"] >= 0.9]
        if len(prefixed) == 1:
            return prefixed[0]
        if prefixed:
            completed = self._completes_one_word(name, prefixed)
            if completed is not None:
                return completed
            raise AmbiguousEntity(name, [self._label(m) for m in prefixed[:10]]
                                  + ([f"... {len(prefixed) - 10} more"] if len(prefixed) > 10 else []))
        close = [h["id"] for h in hits if h["score"] >= SUGGESTION_SCORE]
        raise EntityNotFound(name, [self._label(i) for i in close[:5]])

    def _completes_one_word(self, name: str, candidates: list[str]) -> str | None:
        """The one candidate a prefix ``name`` completes within its last word (``esketamin``
        -> Esketamine), when every other candidate needs further words (Hypersensitivity
        to esketamine, ...); else None."""
        typed = name.casefold().strip()
        within_word = []
        for entity_id in candidates:
            entity = self.entities[entity_id]
            words = [entity.id, entity.name, *getattr(entity, "aliases", ())]
            if any(_one_word_completion(typed, w.casefold()) for w in words if w):
                within_word.append(entity_id)
        return within_word[0] if len(within_word) == 1 else None

    def _label(self, entity_id: str) -> str:
        entity = self.entities[entity_id]
        return f"{entity.name} ({entity.id})" if entity.name != entity.id else entity.id

    def search(self, text: str, limit: int = 20) -> list[dict]:
        """Entities whose id, name, alias or Chinese name matches ``text``, best first.

        Scores: 1.0 exact, 0.9 prefix, 0.7 substring, else a fuzzy ratio of at least 0.6.
        """
        query = normalise(text)
        if not query:
            return []
        best: dict[str, float] = {}
        letters = Counter(query)
        for key, ids in self.keys.items():
            if key == query:
                score = 1.0
            elif key.startswith(query):
                score = 0.9
            elif query in key:
                score = 0.7
            elif len(query) >= 3 and query[:1] == key[:1] or len(query) >= 4:
                score = _fuzzy(query, key, letters)
            else:
                score = 0.0
            if score:
                for entity_id in ids:
                    best[entity_id] = max(best.get(entity_id, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], self.entities[kv[0]].name.casefold(), kv[0]))
        return [{**self.entities[eid].summary(), "score": score} for eid, score in ranked[:limit]]
