"""Families of related entities: which subjects of two assertions make the same claim.

Drugs linked by supported ``enantiomer_of`` or ``part_of`` assertions form a family
(esketamine, R-ketamine and racemic ketamine); so do entities of one type among Drug,
Compound and Receptor whose distinctive name words include the other's: a pooled
"Ketamine or esketamine (pooled)" with esketamine, "Opioid receptors" with
"μ-opioid receptor".
"""

from __future__ import annotations

import re
from itertools import combinations

from .core import Model

#: entity types whose members are related by name ("Opioid receptors", "μ-opioid receptor")
NAMED_FAMILIES: tuple[str, ...] = ("Drug", "Compound", "Receptor")


def families(model: Model) -> tuple[dict[str, str], set[frozenset]]:
    """Entity id -> family id, and the drug pairs that are enantiomers or a racemate and
    its enantiomer.

    Drugs linked by supported ``enantiomer_of`` or ``part_of`` assertions form a family;
    so do entities of one type in ``NAMED_FAMILIES`` whose distinctive name words
    include the other's (a pooled "Ketamine or esketamine" with esketamine; "Opioid
    receptors" with "μ-opioid receptor").
    """
    ids = [i for i, e in model.entities.items() if e.type in NAMED_FAMILIES]
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x, y):
        parent[find(x)] = find(y)

    drugs = {i for i in ids if model.entities[i].type == "Drug"}
    for a in model.assertions.values():
        if a.predicate in ("enantiomer_of", "part_of") and a.subject in drugs and a.object in drugs \
                and a.supporting:
            union(a.subject, a.object)
    chiral: dict[str, set[str]] = {}
    for d in drugs:
        chiral.setdefault(find(d), set()).add(d)
    enantiomers = {frozenset(p) for group in chiral.values() for p in combinations(sorted(group), 2)}
    for x, y in name_related(ids, [model.entities[i].type for i in ids],
                             [label_words(model.entities[i]) for i in ids]):
        union(ids[x], ids[y])
    return {i: find(i) for i in ids}, enantiomers


def label_words(entity) -> list[frozenset[str]]:
    """The distinctive words of an entity's labels (its id and its name), one set per
    label that has any: what :func:`name_related` compares.

    >>> from mechgraph.model import Entity
    >>> entity = Entity(id="ketamine-pooled", type="Drug", name="Ketamine or esketamine (pooled)", name_zh="")
    >>> [sorted(words) for words in label_words(entity)]
    [['ketamine'], ['esketamine', 'ketamine']]
    """
    return [w for w in (_name_words(label) for label in _labels(entity)) if w]


#: a label with more distinctive words than this is compared through the word lists, not its subsets
_SUBSET_WORDS = 12


class WordSets:
    """Entities by the distinctive words of their labels, to find those whose label words
    include or are included in another's without comparing every pair.

    Parameters
    ----------
    words : list of list of frozenset of str
        Per entity (by position), its labels' word sets (:func:`label_words`).

    Examples
    --------
    >>> sets = WordSets([[frozenset({"ketamine"})], [frozenset({"ketamine", "esketamine"})],
    ...                  [frozenset({"esketamine"})], [frozenset({"lithium"})]])
    >>> sorted(sets.related(0)), sorted(sets.related(1))
    ([1], [0, 2])
    """

    def __init__(self, words: list[list[frozenset[str]]]):
        self.words = words
        self.holders: dict[frozenset[str], list[int]] = {}
        self.containing: dict[str, list[frozenset[str]]] = {}
        for position, sets in enumerate(words):
            for ws in sets:
                holders = self.holders.get(ws)
                if holders is None:
                    holders = self.holders[ws] = []
                    for word in ws:
                        self.containing.setdefault(word, []).append(ws)
                if not holders or holders[-1] != position:
                    holders.append(position)

    def related(self, position: int) -> set[int]:
        """The other entities one of whose label word sets includes, or is included in,
        one of ``position``'s."""
        found: set[int] = set()
        for ws in self.words[position]:
            for other in self._subsets(ws) + self._supersets(ws):
                found.update(self.holders[other])
        found.discard(position)
        return found

    def _subsets(self, ws: frozenset[str]) -> list[frozenset[str]]:
        if len(ws) > _SUBSET_WORDS:
            lists = [self.containing.get(w, []) for w in ws]
            return list({other for found in lists for other in found if other <= ws})
        words = sorted(ws)
        return [s for size in range(1, len(words) + 1) for c in combinations(words, size)
                if (s := frozenset(c)) in self.holders]

    def _supersets(self, ws: frozenset[str]) -> list[frozenset[str]]:
        lists = sorted((self.containing.get(w, []) for w in ws), key=len)
        return [other for other in lists[0] if ws <= other] if lists else []


def name_related(ids: list[str], types: list[str], words: list[list[frozenset[str]]]) -> list[tuple[int, int]]:
    """The pairs of positions ``(x, y)``, ``x < y``, of entities of one type whose label
    words include the other's (:func:`label_words`), in the order of
    ``itertools.combinations(range(len(ids)), 2)``.

    >>> name_related(["a", "b", "c"], ["Drug", "Drug", "Receptor"],
    ...              [[frozenset({"ketamine"})], [frozenset({"ketamine", "esketamine"})], [frozenset({"ketamine"})]])
    [(0, 1)]
    """
    by_type: dict[str, list[int]] = {}
    for position, kind in enumerate(types):
        by_type.setdefault(kind, []).append(position)
    pairs: set[tuple[int, int]] = set()
    for members in by_type.values():
        sets = WordSets([words[p] for p in members])
        for i, x in enumerate(members):
            pairs.update((x, members[j]) for j in sets.related(i) if members[j] > x)
    return sorted(pairs)


def _labels(entity) -> list[str]:
    return [entity.id.replace("-", " "), entity.name]


_GENERIC = frozenset({"and", "the", "pooled", "racemic", "nasal", "spray", "drug", "drugs", "injection",
                      "oral", "intravenous", "intranasal", "receptor", "receptors", "subunit"})


def _name_words(label: str) -> frozenset[str]:
    """The distinctive words of a label ("Ketamine or esketamine (pooled)" -> ketamine,
    esketamine): three letters or more, generic words dropped."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", label.lower()) if len(w) >= 3 and w not in _GENERIC)
