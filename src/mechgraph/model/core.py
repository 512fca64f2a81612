"""The evidence model: entities, assertions, findings and sources.

These are plain, immutable records keyed by string ids. ``Model`` holds one curated
graph; ``mechgraph.curation.yaml_reader`` reads it from YAML and ``mechgraph.store.build`` turns it into
a networkx MultiDiGraph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import cast

from .constants import (EVIDENCE_LEVELS, EVIDENCE_ROLES, GUIDANCE_ROLES, PREDICATES, ROLES, STUDY_TYPES,
                        default_role, level_rank)
from .relations import RELATION_CLASSES, derive_relation


@dataclass(frozen=True)
class Where:
    """The file and line a record was read from.

    Attributes
    ----------
    file : str
        The file, as the reader was given it ('' when unknown).
    line : int
        Its line (0 when the format has none).

    Examples
    --------
    >>> from mechgraph.model import Where
    >>> str(Where("toy.yaml", 12)), str(Where("toy.yaml"))
    ('toy.yaml:12', 'toy.yaml')
    """

    file: str = ""
    line: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Entity:
    """A typed node: drug, receptor, region, condition and so on.

    Attributes
    ----------
    id : str
        The entity's id, unique in its graph.
    type : str
        One of :data:`~mechgraph.model.constants.ENTITY_TYPES`.
    name, name_zh : str
        Its English and Chinese names.
    aliases : tuple of str
        Other names it is found by.
    xrefs : dict
        Prefix to local identifiers (:mod:`mechgraph.model.xrefs`).
    description, description_zh : str
        Optional descriptions.
    where : Where
        Where the record was read (not compared).

    Examples
    --------
    >>> from mechgraph.model import Entity
    >>> Entity(id="drug-x", type="Drug", name="Drug X", name_zh="药物X", aliases=("DX",)).summary()
    {'id': 'drug-x', 'name': 'Drug X', 'name_zh': '药物X', 'type': 'Drug'}
    """

    id: str
    type: str
    name: str
    name_zh: str
    aliases: tuple[str, ...] = ()
    #: prefix -> local identifiers (:mod:`mechgraph.model.xrefs`)
    xrefs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""
    description_zh: str = ""
    where: Where = field(default=Where(), compare=False)

    def summary(self) -> dict:
        """The short JSON form ``{"id", "name", "name_zh", "type"}``."""
        return {"id": self.id, "name": self.name, "name_zh": self.name_zh, "type": self.type}


@dataclass(frozen=True)
class Intervention:
    """What was given: a drug entity with dose, route and timing as the seed states them.

    Attributes
    ----------
    drug : str
        The id of the drug entity.
    dose, route, timing : str
        As the seed writes them ('' when not stated).

    Examples
    --------
    >>> from mechgraph.model import Intervention
    >>> Intervention("drug-x", dose="10 mg/kg", route="intraperitoneal").dose
    '10 mg/kg'
    """

    drug: str
    dose: str = ""
    route: str = ""
    timing: str = ""


@dataclass(frozen=True)
class Quantity:
    """A measured or reported value, kept as the seed writes it plus numeric bounds.

    Attributes
    ----------
    name : str
        What was measured.
    value : str
        The value as written in the seed.
    unit : str
        Its unit ('' when none).
    low, high : float or None
        Numeric bounds of the value, when known.
    qualifiers : dict
        Further labels, such as the comparison or the statistic.

    Examples
    --------
    >>> from mechgraph.model import Quantity
    >>> q = Quantity("response rate", "52", unit="%", low=52.0, high=52.0)
    >>> q.value + q.unit, q.low
    ('52%', 52.0)
    """

    name: str
    value: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    qualifiers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One observation from one study, as a seed reports it.

    The main attributes are ``id``, ``source`` (a source id), ``locator`` (the seed
    sentences it comes from), ``study_type`` (one of
    :data:`~mechgraph.model.constants.STUDY_TYPES`, which gives its ``level``),
    ``direction``, ``statement`` and ``statement_zh``; the rest describe the study
    (species, population, interventions, outcome, quantities, ...). ``role`` defaults to
    the study type's role.

    Examples
    --------
    >>> from mechgraph.model import Finding, Intervention
    >>> f = Finding(id="f1", source="toy-seed", locator=("p1.s2",), study_type="rct", direction="supports",
    ...             statement="Drug X helped.", statement_zh="", interventions=(Intervention("drug-x"),))
    >>> f.level, f.role, f.is_evidence, f.drug
    ('rct', 'result', True, 'drug-x')
    """

    id: str
    source: str
    locator: tuple[str, ...]
    study_type: str
    direction: str
    statement: str
    statement_zh: str
    study: str = ""
    cites: tuple[str, ...] = ()
    species: tuple[str, ...] = ()
    sex: str = ""
    population: str = ""
    model: str = ""
    interventions: tuple[Intervention, ...] = ()
    outcome: str = ""
    timepoint: str = ""
    n: dict[str, int] = field(default_factory=dict)
    quantities: tuple[Quantity, ...] = ()
    result: str = ""
    about: tuple[str, ...] = ()
    quality_note: str = ""
    where: Where = field(default=Where(), compare=False)
    #: result, synthesis, opinion, recommendation or background ('' means the study type's default)
    role: str = ""
    #: for a recommendation: dosing, monitoring, contraindication, setting_of_care, ...
    guidance: str = ""
    quality_note_zh: str = ""

    def __post_init__(self) -> None:
        if not self.role:
            object.__setattr__(self, "role", default_role(self.study_type) if self.study_type in STUDY_TYPES
                               else "result")

    @property
    def is_evidence(self) -> bool:
        """Whether the finding is a study's result or a synthesis (evidence in full)."""
        return self.role in EVIDENCE_ROLES

    @property
    def level(self) -> str:
        """The evidence level implied by the study type."""
        return STUDY_TYPES[self.study_type]

    @property
    def rank(self) -> int:
        return level_rank(self.level)

    @property
    def drug(self) -> str:
        """The id of the main drug given, or ''."""
        return self.interventions[0].drug if self.interventions else ""

    def summary(self) -> dict:
        """The JSON form used by show and path."""
        return {
            "id": self.id,
            "statement": self.statement,
            "statement_zh": self.statement_zh,
            "level": self.level,
            "study_type": self.study_type,
            "role": self.role,
            "guidance": self.guidance,
            "species": list(self.species),
            "direction": self.direction,
            "source": self.source,
            "locator": list(self.locator),
            "study": self.study,
            "interventions": [
                {k: v for k, v in vars(i).items() if v} for i in self.interventions
            ],
            "population": self.population,
            "outcome": self.outcome,
            "timepoint": self.timepoint,
            "n": dict(self.n),
            "quality_note": self.quality_note,
            "quality_note_zh": self.quality_note_zh,
        }


@dataclass(frozen=True)
class Assertion:
    """A claim ``subject predicate object`` in a context, with the findings for and against.

    Attributes
    ----------
    id : str
        The assertion's id.
    subject, object : str
        Entity ids.
    predicate : str
        One of :data:`~mechgraph.model.constants.PREDICATES`, which gives its ``sign``.
    supporting, refuting : tuple of str
        Finding ids for and against the claim.
    context : dict
        Context keys (species, region, ...) to values that limit the claim.
    relation : str
        The relation class stated in the record ('' means derived).
    pathway : tuple of str
        Pathway entities this assertion is a step of.

    Examples
    --------
    >>> from mechgraph.model import Assertion
    >>> a = Assertion("a1", "drug-x", "antagonizes", "receptor-r", supporting=("f1",), refuting=("f2",))
    >>> a.sign, a.findings
    ('-', ('f1', 'f2'))
    """

    id: str
    subject: str
    predicate: str
    object: str
    supporting: tuple[str, ...] = ()
    refuting: tuple[str, ...] = ()
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    where: Where = field(default=Where(), compare=False)
    #: the relation class stated in the record ('' means derived: :meth:`Model.relation_of`)
    relation: str = ""
    #: ids of the Pathway entities this assertion is a step of
    pathway: tuple[str, ...] = ()

    @property
    def sign(self) -> str | None:
        return PREDICATES[self.predicate].sign

    @property
    def findings(self) -> tuple[str, ...]:
        return self.supporting + self.refuting


@dataclass(frozen=True)
class Source:
    """A seed review or a study a seed cites.

    Attributes
    ----------
    id : str
        The source's id.
    kind : str
        ``seed`` (a text in the graph's seed folder) or a cited work.
    title, title_zh, authors, year, journal, volume, pages : optional
        Bibliographic details, as the citing seed gives them.
    file : str
        A seed's file name in the seed folder.
    xrefs : dict
        Identifiers of the work, such as PMID and DOI.

    Examples
    --------
    >>> from mechgraph.model import Source
    >>> Source("toy-seed", "seed", title="A toy mechanism review", file="toy.txt").file
    'toy.txt'
    """

    id: str
    kind: str
    title: str = ""
    title_zh: str = ""
    authors: tuple[str, ...] = ()
    year: int | None = None
    journal: str = ""
    file: str = ""
    cited_in: str = ""
    ref: str = ""
    where: Where = field(default=Where(), compare=False)
    #: the volume (with its issue) and pages as the citing seed's reference list writes them
    volume: str = ""
    pages: str = ""
    #: identifiers of the work: ``{"PMID": ("31109201",), "DOI": ("10.1176/...",)}``
    xrefs: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Model:
    """One curated graph: every record by id, in file order.

    Attributes
    ----------
    entities, assertions, findings, sources : Mapping
        Records by id (dicts when read from the graph's files; maps read on demand
        when read from the cache).
    root : str
        The graph's path.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> m = MechGraph.load("tests/data/example-graph").model
    >>> a = m.assertions["a-x-antagonizes-r"]
    >>> len(m.entities), m.relation_of(a), m.best_level(a), m.species_of(a)
    (7, 'drug-target', 'animal_in_vivo', ['mouse'])
    """

    # dicts when read from the graph's files, record maps read on demand from the cache
    entities: Mapping[str, Entity] = field(default_factory=dict)
    assertions: Mapping[str, Assertion] = field(default_factory=dict)
    findings: Mapping[str, Finding] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    root: str = ""

    def relation_of(self, assertion: Assertion) -> str:
        """The relation class of an assertion: stated in its record, else derived from
        its predicate and entity types (:func:`mechgraph.model.relations.derive_relation`)."""
        if assertion.relation:
            return assertion.relation
        subject, obj = self.entities.get(assertion.subject), self.entities.get(assertion.object)
        return derive_relation(assertion.predicate, subject.type if subject else "", obj.type if obj else "")

    def findings_of(self, assertion: Assertion) -> list[Finding]:
        """The findings of an assertion, supporting first."""
        return [self.findings[f] for f in assertion.findings if f in self.findings]

    def best_level(self, assertion: Assertion) -> str:
        """The strongest evidence level among an assertion's supporting findings
        (or among all its findings when none supports it); recommendations and
        background count only when nothing else is there."""
        ids = assertion.supporting or assertion.refuting
        found = [self.findings[f] for f in ids if f in self.findings]
        counted = [f for f in found if f.role not in GUIDANCE_ROLES] or found
        return max(counted, key=lambda f: f.rank).level if counted else "review_opinion"

    def species_of(self, assertion: Assertion) -> list[str]:
        """Species named by the assertion's context or by any of its findings, sorted."""
        species = set(assertion.context.get("species", ()))
        for finding in self.findings_of(assertion):
            species.update(finding.species)
        return sorted(species)


def model_counts(model: Model) -> dict:
    """Count a model's records (the ``stats --json`` shape).

    Parameters
    ----------
    model : Model
        The graph's records.

    Returns
    -------
    dict
        ``{"entities", "assertions", "findings", "sources"}`` (numbers of records),
        ``by_type`` (entities by type), ``by_predicate`` (assertions by predicate),
        ``by_level`` and ``by_role`` (findings), ``by_relation`` (assertions by relation
        class) and ``xrefs`` (:func:`xref_coverage`).

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> counts = model_counts(MechGraph.load("tests/data/example-graph").model)
    >>> counts["entities"], counts["assertions"], counts["findings"], counts["by_level"]["rct"]
    (7, 6, 7, 1)
    """
    return tally(model.entities, len(model.assertions), len(model.findings), len(model.sources),
                 by_predicate=Counter(a.predicate for a in model.assertions.values()),
                 by_level=Counter(f.level for f in model.findings.values()),
                 by_role=Counter(f.role for f in model.findings.values()),
                 by_relation=Counter(model.relation_of(a) for a in model.assertions.values()))


def tally(entities: Mapping[str, Entity] | Collection[str], assertions: int, findings: int, sources: int, *, by_predicate: Counter,
          by_level: Counter, by_role: Counter, by_relation: Counter,
          entity_counts: tuple[Counter, dict] | None = None) -> dict:
    """:func:`model_counts` from the entities, the numbers of the other records, and the
    counts of assertions by predicate and relation class and of findings by level and
    role (as a graph's first build counts them without holding the records).
    ``entity_counts``, when given, are the entities by type and their :func:`xref_coverage`
    (``entities`` then only needs a length: the ids will do).

    >>> from collections import Counter
    >>> tally({}, 2, 1, 0, by_predicate=Counter(["binds", "binds"]), by_level=Counter(["rct"]),
    ...       by_role=Counter(["result"]), by_relation=Counter(["causal", "causal"]))["by_predicate"]
    {'binds': 2}
    """
    if entity_counts is None:
        known = cast(Mapping[str, Entity], entities)
        entity_counts = (Counter(e.type for e in known.values()), xref_coverage(Model(entities=known)))
    by_type, coverage = entity_counts
    return {
        "entities": len(entities),
        "assertions": assertions,
        "findings": findings,
        "sources": sources,
        "by_type": dict(sorted(by_type.items())),
        "by_predicate": dict(sorted(by_predicate.items())),
        "by_level": {level: by_level[level] for level in EVIDENCE_LEVELS if by_level[level]},
        "by_role": {role: by_role[role] for role in ROLES if by_role[role]},
        "by_relation": {kind: by_relation[kind] for kind in RELATION_CLASSES if by_relation[kind]},
        "xrefs": coverage,
    }


def xref_coverage(model: Model) -> dict:
    """Cross-reference coverage by entity type: how many entities of each type carry at
    least one xref, and how many identifiers of each prefix they hold.

    >>> m = Model(entities={"a": Entity("a", "Drug", "A", "A", xrefs={"CHEBI": ("1",)}),
    ...                     "b": Entity("b", "Drug", "B", "B")})
    >>> xref_coverage(m)["by_type"]["Drug"]
    {'entities': 2, 'with_xrefs': 1, 'coverage': 0.5, 'by_prefix': {'CHEBI': 1}}
    """
    by_type: Counter = Counter()
    with_xrefs: Counter = Counter()
    by_prefix: dict[str, Counter] = {}
    for e in model.entities.values():
        by_type[e.type] += 1
        if any(e.xrefs.values()):
            with_xrefs[e.type] += 1
        prefixes = by_prefix.setdefault(e.type, Counter())
        for prefix, ids in e.xrefs.items():
            prefixes[prefix] += len(ids)
    return coverage_of(by_type, with_xrefs, by_prefix)


def coverage_of(by_type: Mapping[str, int], with_xrefs: Mapping[str, int],
                by_prefix: Mapping[str, Mapping[str, int]]) -> dict:
    """:func:`xref_coverage` from its counts: the entities of each type, those of them with
    an xref, and the identifiers of each type by prefix.

    >>> coverage_of({"Drug": 2}, {"Drug": 1}, {"Drug": {"CHEBI": 1}})["coverage"]
    0.5
    """
    rows: dict[str, dict] = {}
    for kind in sorted(by_type):
        rows[kind] = {"entities": by_type[kind], "with_xrefs": with_xrefs.get(kind, 0),
                      "coverage": round(with_xrefs.get(kind, 0) / by_type[kind], 4),
                      "by_prefix": dict(sorted(by_prefix.get(kind, {}).items()))}
    entities, total = sum(by_type.values()), sum(row["with_xrefs"] for row in rows.values())
    return {"entities": entities, "with_xrefs": total,
            "coverage": round(total / entities, 4) if entities else 0.0,
            "identifiers": sum(sum(row["by_prefix"].values()) for row in rows.values()),
            "by_type": rows}
