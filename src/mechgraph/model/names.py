"""Name normalisation, entity resolution and search.

Names match ignoring case, spaces, hyphens and the spelling of Greek letters, so
``TARP-γ8``, ``tarp gamma 8`` and ``Tarp-Gamma8`` are the same key.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping

from ..errors import AmbiguousEntity, EntityNotFound

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
          "κ": "kappa", "λ": "lambda", "μ": "mu", "µ": "mu", "σ": "sigma", "τ": "tau",
          "ω": "omega", "θ": "theta", "ζ": "zeta", "η": "eta"}
_GREEK_TABLE = str.maketrans(_GREEK)
_IGNORED = re.compile(r"[\s\-_‐‑–—·.,'’/()（）\[\]]+")


def normalise(text: str) -> str:
    """The matching key of a name.

    >>> normalise("TARP-γ8") == normalise("tarp gamma 8") == normalise("TARP-gamma8")
    True
    >>> normalise("IL-1β")
    'il1beta'
    """
    if type(text) is str and text.isascii():  # NFKC keeps ASCII, casefold lowers it, no Greek letter
        return _IGNORED.sub("", text.lower())
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.translate(_GREEK_TABLE)
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
    from difflib import SequenceMatcher
    ratio = SequenceMatcher(None, query, key).ratio()
    return round(ratio * 0.8, 3) if ratio >= 0.6 else 0.0


#: from this many keys on, rapidfuzz (when installed) picks the keys worth scoring; below,
#: scoring them all in Python takes less than importing it
RAPIDFUZZ_FROM = 5000


def _rapidfuzz():
    """rapidfuzz's ``process.extract`` and ``fuzz.ratio``, or None when it is not installed
    (``pip install 'mechgraph[search]'``): search then scores every name in Python, with the
    same results, more slowly."""
    try:
        from rapidfuzz import fuzz, process
    except ImportError:
        return None
    return process.extract, fuzz.ratio


def _array_part(blobs: Mapping[str, array | bytes], name: str) -> array:
    part = blobs[name]
    if not isinstance(part, array):
        raise ValueError(f"not the parts of a name table ({name} is not an array)")
    return part


class NameTable:
    """Every normalised name of a graph in one text, for search (what the cache keeps).

    ``text`` holds the keys of :func:`name_keys`, each followed by a newline (no key holds
    one: :func:`normalise` removes white space), ``offsets`` where each key starts (and the
    text's length), ``owners_start``/``owners`` the positions of the entities each key
    names (compressed rows), and ``order`` each entity position's rank by name (casefolded),
    then id: search ranks hits of equal score by it without reading their records.

    >>> table = NameTable.from_entities({"b": _Named("b", "Beta"), "a": _Named("a", "alpha")})
    >>> table.keys, list(table.order)
    (['b', 'beta', 'a', 'alpha'], [1, 0])
    >>> sorted(table.containing("a").items())
    [(1, 0.7), (2, 1.0), (3, 0.9)]
    """

    def __init__(self, text: str, offsets: array, owners_start: array, owners: array, order: array):
        self.text, self.offsets = text, offsets
        self.owners_start, self.owners, self.order = owners_start, owners, order
        self._keys: list[str] | None = None

    @classmethod
    def from_entities(cls, entities: Mapping, keys: Mapping[str, tuple[str, ...]] | None = None) -> NameTable:
        """The table of ``entities`` (positions in their order); ``keys`` as :func:`name_keys` gives them."""
        keys = name_keys(entities) if keys is None else keys
        position = {entity_id: i for i, entity_id in enumerate(entities)}
        offsets, owners_start, owners = array("q", [0]), array("q", [0]), array("i")
        listed = []
        for key, ids in keys.items():
            listed.append(key)
            offsets.append(offsets[-1] + len(key) + 1)
            owners.extend(position[i] for i in ids)
            owners_start.append(len(owners))
        values = list(entities.values())
        ranked = sorted(range(len(values)), key=lambda i: (values[i].name.casefold(), values[i].id))
        order = array("i", bytes(4 * len(ranked)))
        for rank, i in enumerate(ranked):
            order[i] = rank
        table = cls("".join(f"{key}\n" for key in listed), offsets, owners_start, owners, order)
        table._keys = listed
        return table

    def to_parts(self) -> dict[str, array | bytes]:
        """The table as named flat arrays and bytes (:func:`mechgraph.store.recordfile.pack`)."""
        return {"text": self.text.encode("utf-8", "surrogatepass"), "offsets": self.offsets,
                "owners_start": self.owners_start, "owners": self.owners, "order": self.order}

    @classmethod
    def from_parts(cls, blobs: Mapping[str, array | bytes]) -> NameTable:
        """The table :meth:`to_parts` gave; ValueError when the parts do not fit together."""
        try:
            text = bytes(blobs["text"]).decode("utf-8", "surrogatepass")
            table = cls(text, *(_array_part(blobs, name) for name in ("offsets", "owners_start", "owners", "order")))
        except (KeyError, UnicodeDecodeError) as exc:
            raise ValueError(f"not the parts of a name table ({exc})") from None
        count = len(table.offsets) - 1
        if count < 0 or len(table.owners_start) != count + 1 or table.offsets[-1] != len(text) \
                or (count and table.owners_start[-1] != len(table.owners)):
            raise ValueError("the parts of a name table do not fit together")
        return table

    @property
    def keys(self) -> list[str]:
        """The keys, in order (split from the text on first use)."""
        if self._keys is None:
            self._keys = self.text.split("\n")[:-1]
        return self._keys

    def owners_of(self, key: int) -> array:
        """The positions of the entities key number ``key`` names."""
        return self.owners[self.owners_start[key]:self.owners_start[key + 1]]

    def containing(self, query: str) -> dict[int, float]:
        """Key number -> 1.0 (the key is ``query``), 0.9 (begins with it) or 0.7 (holds it)
        for every key that holds ``query``, found by searching the one text."""
        text, offsets, found = self.text, self.offsets, {}
        at = text.find(query)
        while at != -1:
            key = bisect_right(offsets, at) - 1
            start, end = offsets[key], offsets[key + 1] - 1
            if at == start:
                found[key] = 1.0 if at + len(query) == end else 0.9
            else:
                found[key] = 0.7
            at = text.find(query, end + 1)
        return found


class _Named:
    """An entity as far as names go (for examples and tests)."""

    def __init__(self, id: str, name: str, name_zh: str = "", aliases: tuple[str, ...] = ()):
        self.id, self.name, self.name_zh, self.aliases = id, name, name_zh, aliases


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

    ``keys`` (as :func:`name_keys` makes them) may be given ready, e.g. from the cache,
    and so may the :class:`NameTable` that search reads (or a function that reads it).
    """

    def __init__(self, entities: Mapping, keys: Mapping[str, tuple[str, ...]] | None = None,
                 table: NameTable | Callable[[], NameTable] | None = None):
        self.entities = entities
        self.keys = name_keys(entities) if keys is None else keys
        self._table = table

    @property
    def table(self) -> NameTable:
        """The names as one text (:class:`NameTable`), read or built on first use."""
        if not isinstance(self._table, NameTable):
            self._table = self._table() if callable(self._table) else NameTable.from_entities(self.entities, self.keys)
        return self._table

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

        Scores: 1.0 exact, 0.9 prefix, 0.7 substring, else 0.8 times difflib's similarity
        ratio when that is at least 0.6 (for a query of 4 or more characters, or of 3 and
        the key's first letter). Hits of equal score rank by name, then id; only the
        records of the hits returned are read.

        Keys that hold the query are found by searching :attr:`table`'s one text. With
        rapidfuzz installed, its ratio (twice the longest common subsequence over the
        lengths: never below difflib's, whose matching blocks are a common subsequence)
        picks the keys worth scoring, best bound first, and scoring stops when no key
        left can reach the ``limit``-th best score; without it every key is scored.
        """
        query = normalise(text)
        if not query or limit < 1:
            return []
        table = self.table
        best: dict[int, float] = {}

        def credit(key: int, score: float) -> None:
            for owner in table.owners_of(key):
                if score > best.get(owner, 0.0):
                    best[owner] = score

        contained = table.containing(query)
        for key, score in contained.items():
            credit(key, score)
        if len(query) >= 3:
            self._fuzzy_hits(query, table, contained, best, credit, limit)
        order = table.order
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:limit]
        at = self.entities.at if hasattr(self.entities, "at") else list(self.entities.values()).__getitem__
        return [{**at(position).summary(), "score": score} for position, score in ranked]

    @staticmethod
    def _fuzzy_hits(query: str, table: NameTable, contained: dict, best: dict, credit, limit: int) -> None:
        """Credit the keys that do not hold ``query`` with their fuzzy score (see :meth:`search`)."""
        letters = Counter(query)
        first = query[:1] if len(query) == 3 else None  # a 3-letter query is fuzzy only on its first letter
        fast = _rapidfuzz() if len(table.offsets) > RAPIDFUZZ_FROM else None
        if fast is None:
            for key, name in enumerate(table.keys):
                if key not in contained and (first is None or name[:1] == first):
                    score = _fuzzy(query, name, letters)
                    if score:
                        credit(key, score)
            return
        extract, ratio = fast

        def kth() -> float:
            """The ``limit``-th best score so far (0 with fewer hits): what a key must reach."""
            return heapq.nlargest(limit, best.values())[-1] if len(best) >= limit else 0.0

        floor = kth()
        if floor > 0.8:  # a fuzzy score is below 0.8 (a ratio of 1 is an exact match)
            return
        # ratio in percent; the margin keeps keys whose rounded score could tie ``floor``
        cutoff = max(60.0, (floor - 0.0005) / 0.8 * 100) - 1e-6
        bound_of_floor = None
        for name, percent, key in extract(query, table.keys, scorer=ratio, score_cutoff=cutoff, limit=None):
            bound = round(percent / 100 * 0.8 + 1e-9, 3)
            if bound != bound_of_floor:  # a new, lower bound: is any key from here on still worth scoring?
                bound_of_floor = bound
                if bound < kth():
                    break
            if key in contained or (first is not None and name[:1] != first):
                continue
            score = _fuzzy(query, name, letters)
            if score:
                credit(key, score)
