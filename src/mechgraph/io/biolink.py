"""How mechgraph's vocabularies map to the Biolink Model and back, for KGX.

Forward, each entity type and predicate has its Biolink category and predicate in
``mechgraph.model.constants``; the directed effects (``increases_expression``,
``inhibits``, ...) become ``biolink:affects`` with a qualified predicate and direction
and aspect qualifiers (:data:`EFFECT_QUALIFIERS`), as Biolink 4 prescribes.
Backward, for a KGX graph from elsewhere, categories and predicates map to the closest
type and predicate, or to the generic ``NamedThing`` and ``related_to``.
"""

from __future__ import annotations

import re

from ..model import xrefs as model_xrefs
from ..model.constants import ENTITY_TYPES, PREDICATES

#: the CURIE prefix of mechgraph's own entity ids in KGX (``mechgraph:esketamine``)
PREFIX = "mechgraph"
#: the CURIE prefix of mechgraph's sources in ``publications`` (``mechgraph.source:seed-000``)
SOURCE_PREFIX = "mechgraph.source"
#: the primary knowledge source of curated assertions
KNOWLEDGE_SOURCE = "infores:mechgraph"
#: mechgraph's own CURIE prefixes -> the IRI each expands to, shipped with the KGX export as its
#: JSON-LD context (``context.jsonld``) since the Biolink Model's context does not declare them. No web
#: namespace is registered for mechgraph, so they expand to URNs.
OWN_PREFIXES: dict[str, str] = {
    PREFIX: "urn:mechgraph:entity:",
    SOURCE_PREFIX: "urn:mechgraph:source:",
}

#: how an assertion's note starts when it keeps a Biolink predicate with no exact counterpart here
NOTE_PREFIX = "KGX predicate "

#: species -> NCBI Taxonomy CURIE
TAXA: dict[str, str] = {
    "human": "NCBITaxon:9606",
    "mouse": "NCBITaxon:10090",
    "rat": "NCBITaxon:10116",
    "dog": "NCBITaxon:9615",
    "rodent": "NCBITaxon:9989",     #: Rodentia
    "primate": "NCBITaxon:9443",    #: Primates
}
SPECIES_OF_TAXON = {v: k for k, v in TAXA.items()}

#: directed-effect predicate -> (object aspect qualifier or "", object direction qualifier)
EFFECT_QUALIFIERS: dict[str, tuple[str, str]] = {
    "activates": ("activity", "increased"),
    "inhibits": ("activity", "decreased"),
    "increases": ("activity_or_abundance", "increased"),
    "decreases": ("activity_or_abundance", "decreased"),
    "increases_expression": ("expression", "increased"),
    "decreases_expression": ("expression", "decreased"),
    "increases_phosphorylation": ("phosphorylation", "increased"),
    "decreases_phosphorylation": ("phosphorylation", "decreased"),
    "increases_release": ("release", "increased"),
    "decreases_release": ("release", "decreased"),
    "catalyzes_formation_of": ("synthesis", "increased"),
}
_EFFECT_OF = {v: k for k, v in EFFECT_QUALIFIERS.items()}
#: Biolink categories whose members can take an object aspect qualifier (gene, gene product, chemical)
ASPECT_CATEGORIES = frozenset({"biolink:Drug", "biolink:SmallMolecule", "biolink:Protein", "biolink:Gene"})

#: Biolink category -> entity type, for KGX graphs from elsewhere (first match in a node's list wins)
TYPE_OF_CATEGORY: dict[str, str] = {
    "biolink:Drug": "Drug",
    "biolink:SmallMolecule": "Molecule",
    "biolink:ChemicalEntity": "Molecule",
    "biolink:MolecularEntity": "Molecule",
    "biolink:MolecularMixture": "Compound",
    "biolink:Protein": "Protein",
    "biolink:Polypeptide": "Protein",
    "biolink:Gene": "Gene",
    "biolink:SequenceVariant": "Variant",
    "biolink:Pathway": "Pathway",
    "biolink:BiologicalProcess": "Process",
    "biolink:BiologicalProcessOrActivity": "Process",
    "biolink:MolecularActivity": "Process",
    "biolink:PhysiologicalProcess": "Process",
    "biolink:GrossAnatomicalStructure": "Organ",
    "biolink:AnatomicalEntity": "Organ",
    "biolink:Cell": "CellType",
    "biolink:PhenotypicFeature": "Phenotype",
    "biolink:Disease": "Condition",
    "biolink:DiseaseOrPhenotypicFeature": "Condition",
    "biolink:PopulationOfIndividualOrganisms": "Population",
    "biolink:Procedure": "Procedure",
    "biolink:ClinicalAttribute": "Measure",
    "biolink:NamedThing": "NamedThing",
}

#: Biolink predicates that several of mechgraph's predicates share -> the one a foreign edge gets
_DEFAULT_PREDICATE = {
    "biolink:directly_physically_interacts_with": "binds",
    "biolink:contributes_to": "mediates",
    "biolink:related_to": "related_to",
}

_CURIE = re.compile(r"^[A-Za-z][\w.\-]*:\S")


def is_curie(value: str) -> bool:
    """Whether a string looks like a CURIE (``PREFIX:local``).

    >>> is_curie("HGNC:4586"), is_curie("drug-x"), is_curie("a: b")
    (True, False, False)
    """
    return bool(_CURIE.match(value))


def node_curie(entity_id: str) -> str:
    """The KGX id of an entity: the id itself when it is a CURIE, else ``mechgraph:ID``.

    >>> node_curie("esketamine"), node_curie("CHEBI:28790")
    ('mechgraph:esketamine', 'CHEBI:28790')
    """
    return entity_id if is_curie(entity_id) else f"{PREFIX}:{entity_id}"


def entity_id(curie: str) -> str:
    """The entity id of a KGX id (the inverse of :func:`node_curie`).

    >>> entity_id("mechgraph:esketamine"), entity_id("CHEBI:28790")
    ('esketamine', 'CHEBI:28790')
    """
    return curie[len(PREFIX) + 1:] if curie.startswith(PREFIX + ":") else curie


def source_curie(source_id: str) -> str:
    """The ``publications`` CURIE of a source.

    >>> source_curie("seed-000"), source_curie("PMID:123")
    ('mechgraph.source:seed-000', 'PMID:123')
    """
    return source_id if is_curie(source_id) else f"{SOURCE_PREFIX}:{source_id}"


def source_id(curie: str) -> str:
    """The source id of a ``publications`` CURIE (the inverse of :func:`source_curie`)."""
    return curie[len(SOURCE_PREFIX) + 1:] if curie.startswith(SOURCE_PREFIX + ":") else curie


def xref_curies(xrefs: dict[str, tuple[str, ...]]) -> list[str]:
    """An entity's xrefs as CURIEs, ``prefix:local`` with the prefix as the graph spells it
    (:func:`mechgraph.model.xrefs.curies`).

    >>> xref_curies({"HGNC": ("4584", "4585"), "UniProtKB": ("Q13224",), "CHEBI": ("18243",)})
    ['CHEBI:18243', 'HGNC:4584', 'HGNC:4585', 'UniProtKB:Q13224']
    """
    return model_xrefs.curies(xrefs)


def xrefs_of(curies: list[str]) -> dict[str, tuple[str, ...]]:
    """The xrefs mapping of a list of CURIEs (the inverse of :func:`xref_curies`).

    >>> xrefs_of(["CHEBI:18243", "HGNC:4584", "HGNC:4585", "UniProtKB:Q13224"])
    {'CHEBI': ('18243',), 'HGNC': ('4584', '4585'), 'UniProtKB': ('Q13224',)}
    """
    return model_xrefs.from_curies(curies)


def biolink(term: str) -> str:
    """A category or predicate as a ``biolink:`` CURIE (``treats`` and ``biolink:treats`` alike)."""
    term = term.strip()
    if term.startswith("biolink:"):
        return term
    return "biolink:" + term.replace(" ", "_")


def type_of(categories: list[str]) -> str:
    """The entity type of a KGX node's categories (``NamedThing`` when none is known)."""
    for category in categories:
        kind = TYPE_OF_CATEGORY.get(biolink(category))
        if kind is not None and kind != "NamedThing":
            return kind
    return "NamedThing"


def predicate_of(predicate: str, aspect: str = "", direction: str = "") -> tuple[str, bool]:
    """The mechgraph predicate of a Biolink predicate and its qualifiers, and whether the
    mapping is exact (when it is not, the caller keeps the Biolink predicate in a note).

    >>> predicate_of("biolink:affects", "expression", "increased")
    ('increases_expression', True)
    >>> predicate_of("biolink:treats")
    ('treats', True)
    >>> predicate_of("biolink:gene_associated_with_condition")
    ('related_to', False)
    """
    predicate = biolink(predicate)
    direction = {"upregulated": "increased", "downregulated": "decreased"}.get(direction, direction)
    if predicate == "biolink:affects" and direction:
        if (aspect, direction) in _EFFECT_OF:
            return _EFFECT_OF[(aspect, direction)], True
        return ("increases" if direction == "increased" else "decreases"), False
    if predicate in _DEFAULT_PREDICATE:
        return _DEFAULT_PREDICATE[predicate], predicate == "biolink:related_to"
    matches = [name for name, p in PREDICATES.items() if p.biolink == predicate]
    if len(matches) == 1:
        return matches[0], True
    return "related_to", False


def category_of(entity_type: str) -> str:
    """The Biolink category of an entity type."""
    return ENTITY_TYPES[entity_type]
