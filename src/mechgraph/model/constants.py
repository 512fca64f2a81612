"""Closed vocabularies: entity types, predicates, evidence levels, study types.

Every vocabulary maps to the Biolink model, so that exports speak a standard.
"""

from __future__ import annotations

from dataclasses import dataclass

#: entity type -> Biolink category
ENTITY_TYPES: dict[str, str] = {
    "Drug": "biolink:Drug",                          #: a medicine given to people (esketamine)
    "Compound": "biolink:SmallMolecule",             #: a tool compound used in studies (NBQX, MK-801)
    "Metabolite": "biolink:SmallMolecule",           #: a product of drug metabolism (S-norketamine)
    "Receptor": "biolink:Protein",                   #: a receptor or ion channel (NMDAR)
    "ReceptorSubunit": "biolink:Protein",            #: a subunit of a receptor (GluN2B)
    "Protein": "biolink:Protein",                    #: any other protein (PSD-95, TARP-γ8)
    "Enzyme": "biolink:Protein",                     #: a protein named for its catalysis (CYP2B6)
    "Gene": "biolink:Gene",                          #: a gene as a locus (OPRM1)
    "Variant": "biolink:SequenceVariant",            #: a genetic variant (rs1799971)
    "Pathway": "biolink:Pathway",                    #: a signalling pathway (BDNF/AKT/mTOR)
    "Process": "biolink:BiologicalProcess",          #: a biological process (synaptic plasticity)
    "Cytokine": "biolink:Protein",                   #: an inflammatory mediator (IL-6)
    "Neurotransmitter": "biolink:SmallMolecule",     #: dopamine, serotonin, glutamate
    "Molecule": "biolink:SmallMolecule",             #: another endogenous small molecule (cAMP, kynurenine)
    "BrainRegion": "biolink:GrossAnatomicalStructure",  #: a brain region (mPFC)
    "Organ": "biolink:GrossAnatomicalStructure",     #: an organ outside the brain (liver)
    "Circuit": "biolink:AnatomicalEntity",           #: a projection between regions
    "CellType": "biolink:Cell",                      #: a cell type (microglia)
    "Phenotype": "biolink:PhenotypicFeature",        #: an observable trait (depression-like behaviour)
    "Condition": "biolink:Disease",                  #: a disease or disorder (postpartum depression)
    "AdverseEffect": "biolink:PhenotypicFeature",    #: an adverse effect (dissociation)
    "Population": "biolink:PopulationOfIndividualOrganisms",  #: a group of people (adolescents)
    "Procedure": "biolink:Procedure",                #: a clinical procedure (caesarean section)
    "Route": "biolink:Procedure",                    #: a route of administration (intranasal)
    "Measure": "biolink:ClinicalAttribute",          #: a rating scale or clinical measure (EPDS)
    "NamedThing": "biolink:NamedThing",              #: an entity of an imported (KGX) graph whose category has no type here
}


@dataclass(frozen=True)
class Predicate:
    """A predicate: its sign (``+``, ``-`` or None), Biolink predicate and reading."""

    sign: str | None
    biolink: str
    reads: str


#: predicate -> sign, Biolink predicate, how "subject PREDICATE object" reads
PREDICATES: dict[str, Predicate] = {
    "antagonizes": Predicate("-", "biolink:directly_physically_interacts_with", "antagonizes"),
    "agonizes": Predicate("+", "biolink:directly_physically_interacts_with", "agonizes"),
    "binds": Predicate(None, "biolink:directly_physically_interacts_with", "binds"),
    "inhibits": Predicate("-", "biolink:affects", "inhibits"),
    "activates": Predicate("+", "biolink:affects", "activates"),
    "increases": Predicate("+", "biolink:affects", "increases"),
    "decreases": Predicate("-", "biolink:affects", "decreases"),
    "increases_expression": Predicate("+", "biolink:affects", "increases the expression of"),
    "decreases_expression": Predicate("-", "biolink:affects", "decreases the expression of"),
    "increases_phosphorylation": Predicate("+", "biolink:affects", "increases the phosphorylation of"),
    "decreases_phosphorylation": Predicate("-", "biolink:affects", "decreases the phosphorylation of"),
    "increases_release": Predicate("+", "biolink:affects", "increases the release of"),
    "decreases_release": Predicate("-", "biolink:affects", "decreases the release of"),
    "required_for": Predicate("+", "biolink:contributes_to", "is required for"),
    "not_required_for": Predicate(None, "biolink:related_to", "is not required for"),
    "mediates": Predicate("+", "biolink:contributes_to", "mediates"),
    "treats": Predicate("-", "biolink:treats", "treats"),
    "prevents": Predicate("-", "biolink:preventative_for_condition", "prevents"),
    "causes": Predicate("+", "biolink:causes", "causes"),
    "has_adverse_effect": Predicate("+", "biolink:has_adverse_event", "has the adverse effect"),
    "contraindicated_in": Predicate(None, "biolink:contraindicated_in", "is contraindicated in"),
    "used_in": Predicate(None, "biolink:applied_to_treat", "is used in"),
    "metabolized_to": Predicate(None, "biolink:has_metabolite", "is metabolized to"),
    "catalyzes_formation_of": Predicate(None, "biolink:affects", "catalyzes the formation of"),
    "administered_via": Predicate(None, "biolink:related_to", "is administered via"),
    "enantiomer_of": Predicate(None, "biolink:chemically_similar_to", "is an enantiomer of"),
    "part_of": Predicate(None, "biolink:part_of", "is part of"),
    "variant_of": Predicate(None, "biolink:is_sequence_variant_of", "is a variant of"),
    "expressed_in": Predicate(None, "biolink:expressed_in", "is expressed in"),
    "located_in": Predicate(None, "biolink:located_in", "is located in"),
    "projects_to": Predicate(None, "biolink:related_to", "projects to"),
    "interacts_with": Predicate(None, "biolink:physically_interacts_with", "interacts with"),
    "regulates": Predicate(None, "biolink:regulates", "regulates"),
    "risk_factor_for": Predicate("+", "biolink:contributes_to", "is a risk factor for"),
    "biomarker_for": Predicate(None, "biolink:biomarker_for", "is a biomarker for"),
    "positively_correlated_with": Predicate(None, "biolink:positively_correlated_with", "is positively correlated with"),
    "negatively_correlated_with": Predicate(None, "biolink:negatively_correlated_with", "is negatively correlated with"),
    "associated_with": Predicate(None, "biolink:associated_with", "is associated with"),
    #: an imported (KGX) edge whose Biolink predicate has no predicate here
    "related_to": Predicate(None, "biolink:related_to", "is related to"),
}

#: evidence levels, strongest first
EVIDENCE_LEVELS: tuple[str, ...] = (
    "meta_analysis",        #: systematic review with meta-analysis
    "rct",                  #: randomised controlled trial
    "clinical_trial",       #: a controlled clinical trial whose randomisation the seed does not state
    "human_observational",  #: cohort, survey, case series or report, pharmacovigilance
    "animal_in_vivo",       #: living animals
    "in_vitro",             #: cultured cells, tissue ex vivo
    "review_opinion",       #: a review's, guideline's or expert's statement without a study behind it
)

#: study type -> evidence level
STUDY_TYPES: dict[str, str] = {
    "meta_analysis": "meta_analysis",
    "rct": "rct",
    "clinical_trial": "clinical_trial",      #: a controlled clinical trial whose randomisation the seed does not state
    "cohort": "human_observational",
    "survey": "human_observational",
    "case_report": "human_observational",
    "pharmacovigilance": "human_observational",
    "human_experimental": "human_observational",  #: healthy-volunteer or imaging study
    "clinical_study": "human_observational",  #: a clinical study of unstated design
    "animal_in_vivo": "animal_in_vivo",
    "in_vitro": "in_vitro",
    "ex_vivo": "in_vitro",
    "review": "review_opinion",
    "guideline": "review_opinion",
    "regulatory": "review_opinion",           #: a regulator's decision (approval, scheduling)
    "expert_opinion": "review_opinion",
}

#: evidence level -> how outputs name it
LEVEL_LABELS: dict[str, str] = {
    "meta_analysis": "meta-analysis",
    "rct": "randomised controlled trial",
    "clinical_trial": "clinical trial, randomisation not stated",
    "human_observational": "human observational",
    "animal_in_vivo": "animal in vivo",
    "in_vitro": "in vitro / ex vivo",
    "review_opinion": "review opinion",
}

#: finding role -> what it is
ROLES: dict[str, str] = {
    "result": "a study's own observation",
    "synthesis": "a meta-analysis or pooled analysis of studies",
    "opinion": "a review's or expert's claim without a study behind it",
    "recommendation": "guidance: dosing, monitoring, contraindication, setting of care, patient selection",
    "background": "definitions, epidemiology, history, regulatory status",
}
#: roles whose findings are evidence in full
EVIDENCE_ROLES: tuple[str, ...] = ("result", "synthesis")
#: roles whose findings never raise a score
GUIDANCE_ROLES: tuple[str, ...] = ("recommendation", "background")

#: role -> the study types a finding of that role may have
ROLE_STUDY_TYPES: dict[str, frozenset[str]] = {
    "result": frozenset({"rct", "clinical_trial", "cohort", "survey", "case_report", "pharmacovigilance",
                         "human_experimental", "clinical_study", "animal_in_vivo", "in_vitro", "ex_vivo"}),
    "synthesis": frozenset({"meta_analysis"}),
    "opinion": frozenset({"review", "expert_opinion", "guideline"}),
    "recommendation": frozenset({"review", "expert_opinion", "guideline", "regulatory"}),
    "background": frozenset(STUDY_TYPES),
}


def default_role(study_type: str) -> str:
    """The role a finding has when its record states none: ``synthesis`` for a
    meta-analysis, ``background`` for a regulatory decision, ``opinion`` for a review's,
    guideline's or expert's statement, ``result`` for any primary study.

    >>> default_role("meta_analysis"), default_role("review"), default_role("animal_in_vivo")
    ('synthesis', 'opinion', 'result')
    """
    if study_type == "meta_analysis":
        return "synthesis"
    if study_type == "regulatory":
        return "background"
    if STUDY_TYPES.get(study_type) == "review_opinion":
        return "opinion"
    return "result"


#: what a recommendation is about (``show``, ``explain`` and the map list guidance under these)
GUIDANCE_TOPICS: dict[str, str] = {
    "dosing": "dose, route and schedule",
    "monitoring": "what to watch and for how long",
    "contraindication": "who must not receive it",
    "setting_of_care": "where and by whom it is given",
    "patient_selection": "who should receive it",
    "special_population": "pregnancy, breastfeeding, age groups and other populations",
}

#: dosing regimens an assertion's context may name (adverse effects differ between them)
REGIMENS: tuple[str, ...] = ("single_dose", "repeated_dosing", "continuous_infusion", "mixed")

#: a finding's stance toward the assertions that list it
DIRECTIONS: tuple[str, ...] = ("supports", "refutes", "no_effect")

#: species a finding or assertion context may name
SPECIES: tuple[str, ...] = ("human", "mouse", "rat", "rodent", "dog", "primate")

#: routes of administration a finding may name
ROUTES: tuple[str, ...] = (
    "intravenous", "intranasal", "oral", "intramuscular", "intraperitoneal",
    "intracerebroventricular", "inhalation", "subcutaneous", "epidural",
)

#: sexes a finding or context may name
SEXES: tuple[str, ...] = ("female", "male", "both")

#: assertion context keys whose values are entity ids
ENTITY_CONTEXT_KEYS: tuple[str, ...] = ("brain_region", "cell_type", "drug")
#: every assertion context key
CONTEXT_KEYS: tuple[str, ...] = ("species", "sex", "population", "route", "regimen") + ENTITY_CONTEXT_KEYS


def level_rank(level: str) -> int:
    """Strength of an evidence level: 7 for meta-analysis down to 1 for review opinion.

    >>> level_rank("rct") > level_rank("animal_in_vivo")
    True
    """
    return len(EVIDENCE_LEVELS) - EVIDENCE_LEVELS.index(level)
