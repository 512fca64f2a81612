"""Cross-references: an entity's identifiers in other resources.

An entity's ``xrefs`` map a prefix to the local identifiers it has under that prefix, in
the order the curator gave them::

    {"CHEBI": ("60799",), "HGNC": ("4584", "4585")}

The prefix is spelled as the curator wrote it (any spelling that bioregistry resolves:
``CHEBI``, ``UniProtKB``, ``PUBCHEM.COMPOUND``, ``NCBIGene``); a local identifier is written
without the prefix (``60799``, not ``CHEBI:60799``) and matches the prefix's pattern
(:mod:`mechgraph.curation.identifiers` checks both). A complex or a family lists several
identifiers under one prefix (the subunits of the NMDA receptor under ``HGNC``).

Every export writes an xref as the CURIE ``prefix:local`` and every reader splits a CURIE at
its first colon, so xrefs go out and come back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: an entity's cross-references: prefix -> local identifiers
Xrefs = dict[str, tuple[str, ...]]


def curies(xrefs: Mapping[str, Iterable[str]]) -> list[str]:
    """The CURIEs of an entity's xrefs: prefixes in sorted order, each prefix's
    identifiers in their own order.

    >>> curies({"HGNC": ("4584", "4585"), "CHEBI": ("60799",)})
    ['CHEBI:60799', 'HGNC:4584', 'HGNC:4585']
    """
    return [f"{prefix}:{local}" for prefix in sorted(xrefs) for local in xrefs[prefix]]


def from_curies(items: Iterable[str]) -> Xrefs:
    """The xrefs of a list of CURIEs (the inverse of :func:`curies`): each CURIE splits at
    its first colon; identifiers keep their order within a prefix.

    >>> from_curies(["CHEBI:60799", "HGNC:4584", "HGNC:4585", "DOI:10.1000/x:y"])
    {'CHEBI': ('60799',), 'HGNC': ('4584', '4585'), 'DOI': ('10.1000/x:y',)}

    Raises ValueError for an item without a colon.
    """
    grouped: dict[str, list[str]] = {}
    for item in items:
        prefix, sep, local = str(item).partition(":")
        if not sep or not prefix or not local:
            raise ValueError(f"not a CURIE (prefix:identifier): {item!r}")
        grouped.setdefault(prefix, []).append(local)
    return {prefix: tuple(ids) for prefix, ids in grouped.items()}


def count(xrefs: Mapping[str, Iterable[str]]) -> int:
    """How many identifiers an entity's xrefs hold.

    >>> count({"HGNC": ("4584", "4585"), "CHEBI": ("60799",)})
    3
    """
    return sum(len(tuple(ids)) for ids in xrefs.values())


def text(xrefs: Mapping[str, Iterable[str]]) -> str:
    """The xrefs as one line of CURIEs for people to read.

    >>> text({"HGNC": ("4584", "4585"), "CHEBI": ("60799",)})
    'CHEBI:60799, HGNC:4584, HGNC:4585'
    """
    return ", ".join(curies(xrefs))
