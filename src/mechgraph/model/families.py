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
_NAMED_FAMILIES = ("Drug", "Compound", "Receptor")


def families(model: Model) -> tuple[dict[str, str], set[frozenset]]:
    """Entity id -> family id, and the drug pairs that are enantiomers or a racemate and
    its enantiomer.

    Drugs linked by supported ``enantiomer_of`` or ``part_of`` assertions form a family;
    so do entities of one type in ``_NAMED_FAMILIES`` whose distinctive name words
    include the other's (a pooled "Ketamine or esketamine" with esketamine; "Opioid
    receptors" with "μ-opioid receptor").
    """
    ids = [i for i, e in model.entities.items() if e.type in _NAMED_FAMILIES]
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
    words = {i: [w for w in (_name_words(label) for label in _labels(model.entities[i])) if w] for i in ids}
    for x, y in combinations(ids, 2):
        if model.entities[x].type == model.entities[y].type and \
                any(wx <= wy or wy <= wx for wx in words[x] for wy in words[y]):
            union(x, y)
    return {i: find(i) for i in ids}, enantiomers


def _labels(entity) -> list[str]:
    return [entity.id.replace("-", " "), entity.name]


_GENERIC = frozenset({"and", "the", "pooled", "racemic", "nasal", "spray", "drug", "drugs", "injection",
                      "oral", "intravenous", "intranasal", "receptor", "receptors", "subunit"})


def _name_words(label: str) -> frozenset[str]:
    """The distinctive words of a label ("Ketamine or esketamine (pooled)" -> ketamine,
    esketamine): three letters or more, generic words dropped."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", label.lower()) if len(w) >= 3 and w not in _GENERIC)
