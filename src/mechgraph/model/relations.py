"""Relation classes: what kind of claim an assertion makes.

Every assertion belongs to one class, derived from its predicate and the types of its
two entities unless its record states ``relation:``:

``causal``
    a molecular, cellular or circuit step: X activates, inhibits, increases the
    phosphorylation of, releases, is required for Y (X not a drug).
``drug-target``
    a drug or compound binds, antagonizes, agonizes, inhibits or activates a target
    (a receptor, subunit, protein, enzyme, cytokine or gene).
``drug-effect``
    what a drug changed in a study (esketamine increases dopamine release).
``clinical``
    treats, prevents, has an adverse effect, is contraindicated in, is used in; a drug
    that causes an adverse effect or condition.
``association``
    correlates with, is a biomarker of, is a risk factor for, is associated with; and a
    denied dependence (``not_required_for``), which is recorded but never walked.
``structural``
    part of, enantiomer of, metabolized to, catalyses the formation of, expressed in,
    located in, projects to, variant of, administered via.

Mechanism chains (:mod:`mechgraph.reasoning.chains`) walk ``causal`` steps, and a chain that starts
at a drug may begin with a ``drug-target`` or ``drug-effect`` step.

>>> derive_relation("antagonizes", "Drug", "Receptor")
'drug-target'
>>> derive_relation("increases_release", "Drug", "Neurotransmitter")
'drug-effect'
>>> derive_relation("increases_phosphorylation", "Enzyme", "Protein")
'causal'
>>> derive_relation("part_of", "Drug", "Drug")
'structural'
"""

from __future__ import annotations

#: relation class -> what it holds (graph/README.md documents each with its Biolink mapping)
RELATION_CLASSES: dict[str, str] = {
    "causal": "a molecular, cellular or circuit step",
    "drug-target": "a drug or compound acting on its target",
    "drug-effect": "what a drug changed in a study",
    "clinical": "treatment, prevention, adverse effect, contraindication, use",
    "association": "correlation, biomarker, risk factor; a denied dependence",
    "structural": "part of, enantiomer, metabolite, expression, location, route",
}

#: entity types that are given (drugs and research compounds)
DRUG_TYPES: frozenset[str] = frozenset({"Drug", "Compound", "Metabolite"})
#: entity types a drug-target step may end at
TARGET_TYPES: frozenset[str] = frozenset({"Receptor", "ReceptorSubunit", "Protein", "Enzyme", "Cytokine", "Gene"})
#: entity types that are outcomes of a drug's use (a drug that ``causes`` one is clinical)
OUTCOME_TYPES: frozenset[str] = frozenset({"AdverseEffect", "Condition"})

_STRUCTURAL = frozenset({"part_of", "enantiomer_of", "metabolized_to", "catalyzes_formation_of", "expressed_in",
                         "located_in", "projects_to", "variant_of", "administered_via"})
_CLINICAL = frozenset({"treats", "prevents", "has_adverse_effect", "contraindicated_in", "used_in"})
_ASSOCIATION = frozenset({"biomarker_for", "positively_correlated_with", "negatively_correlated_with",
                          "associated_with", "risk_factor_for", "related_to", "not_required_for",
                          "interacts_with"})
_TARGETING = frozenset({"antagonizes", "agonizes", "binds", "inhibits", "activates"})


def derive_relation(predicate: str, subject_type: str, object_type: str) -> str:
    """The relation class of ``subject predicate object`` from the predicate and the two
    entity types (see the module docstring)."""
    if predicate in _STRUCTURAL:
        return "structural"
    if predicate in _CLINICAL:
        return "clinical"
    if predicate in _ASSOCIATION:
        return "association"
    if subject_type in DRUG_TYPES:
        if predicate == "causes" and object_type in OUTCOME_TYPES:
            return "clinical"
        if predicate in _TARGETING and object_type in TARGET_TYPES:
            return "drug-target"
        return "drug-effect"
    return "causal"
