"""Provenance checks: every locator resolves, every number is in the cited sentence,
and the share of the seeds' substantive sentences that findings cite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LocatorError, MechgraphError
from ..model.core import Finding, Model
from .seeds import Seed, Sentence, numbers_in


@dataclass
class SeedCoverage:
    """Coverage of one seed: substantive sentences, the cited ones, the rest."""

    file: str
    source: str
    sentences: int
    cited: int
    uncited: list[Sentence] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.cited / self.sentences if self.sentences else 1.0


@dataclass
class CoverageReport:
    """The result of :func:`check_coverage`."""

    seeds: list[SeedCoverage]
    problems: list[str]

    @property
    def sentences(self) -> int:
        return sum(s.sentences for s in self.seeds)

    @property
    def cited(self) -> int:
        return sum(s.cited for s in self.seeds)

    @property
    def ratio(self) -> float:
        return self.cited / self.sentences if self.sentences else 1.0

    def to_json(self) -> dict:
        return {
            "coverage": round(self.ratio, 4),
            "sentences": self.sentences,
            "cited": self.cited,
            "seeds": [{"file": s.file, "source": s.source, "sentences": s.sentences, "cited": s.cited,
                       "coverage": round(s.ratio, 4),
                       "uncited": [{"locator": u.locator, "section": u.section, "text": u.text}
                                   for u in s.uncited]} for s in self.seeds],
            "problems": self.problems,
        }


def finding_numbers(finding: Finding) -> set[str]:
    """The numbers a finding states in its doses, timings, counts, quantities and statements."""
    texts = [finding.statement, finding.statement_zh, finding.timepoint]
    for item in finding.interventions:
        texts += [item.dose, item.timing]
    numbers: set[str] = set()
    for text in texts:
        numbers |= numbers_in(text)
    numbers |= {str(v) for v in finding.n.values()}
    for q in finding.quantities:
        numbers |= numbers_in(q.value)
        numbers |= {numbers_in(f"{b:g}").pop() for b in (q.low, q.high) if b is not None}
    return numbers


def load_seeds(model: Model, sources_dir: str | Path) -> dict[str, Seed]:
    """The seed texts of a model's seed sources, by source id.

    Parameters
    ----------
    model : Model
        The graph's records; its sources of kind ``seed`` name their files.
    sources_dir : str or Path
        The folder of the seed texts.

    Returns
    -------
    dict of str to Seed

    Raises
    ------
    MechgraphError
        When the folder or a seed's file is missing.

    Examples
    --------
    >>> from mechgraph.curation import load_model, load_seeds
    >>> seeds = load_seeds(load_model("tests/data/example-graph"), "tests/data/example-seeds")
    >>> list(seeds), seeds["toy-seed"].name
    (['toy-seed'], 'toy.txt')
    """
    directory = Path(sources_dir)
    if not directory.is_dir():
        raise MechgraphError(f"seed directory not found: {directory}")
    seeds = {}
    for source in model.sources.values():
        if source.kind != "seed":
            continue
        path = directory / source.file
        if not path.is_file():
            raise MechgraphError(f"seed file {source.file!r} of source {source.id!r} not found in {directory}")
        seeds[source.id] = Seed.from_file(path)
    return seeds


def cited_sentences(seed: Seed, finding: Finding) -> list[Sentence]:
    """The sentences a finding's locators name in its seed.

    Parameters
    ----------
    seed : Seed
        The finding's seed text (:func:`load_seeds`).
    finding : Finding
        The finding, whose ``locator`` names paragraphs and sentences (``p5.s1``).

    Returns
    -------
    list of Sentence
        In the order of the locators.

    Raises
    ------
    LocatorError
        When a locator is malformed or names no sentence.

    Examples
    --------
    >>> from mechgraph.curation import cited_sentences, load_model, load_seeds
    >>> model = load_model("tests/data/example-graph")
    >>> seed = load_seeds(model, "tests/data/example-seeds")["toy-seed"]
    >>> [(s.paragraph, s.number) for s in cited_sentences(seed, model.findings["f-x-p-mouse"])]
    [(5, 1), (5, 2)]
    """
    found: list[Sentence] = []
    for locator in finding.locator:
        found.extend(seed.resolve(locator))
    return found


def check_coverage(model: Model, sources_dir: str | Path) -> CoverageReport:
    """Resolve every locator, check every number, and measure coverage per seed.

    Parameters
    ----------
    model : Model
        The graph's records.
    sources_dir : str or Path
        The folder of the seed texts.

    Returns
    -------
    CoverageReport
        One :class:`SeedCoverage` per seed (its substantive sentences, how many are cited,
        the uncited ones) and ``problems``: locators that name no sentence, and numbers a
        finding states that its sentences do not.

    Raises
    ------
    MechgraphError
        When the folder or a seed file is missing.

    Examples
    --------
    >>> from mechgraph.curation import check_coverage, load_model
    >>> report = check_coverage(load_model("tests/data/example-graph"), "tests/data/example-seeds")
    >>> seed = report.seeds[0]
    >>> seed.file, seed.sentences, seed.cited, report.problems
    ('toy.txt', 6, 5, [])
    >>> seed.uncited[0].text
    '本文是测试用的玩具文本，不是真实文献。'
    """
    seeds = load_seeds(model, sources_dir)
    problems: list[str] = []
    cited: dict[str, set[tuple[int, int]]] = {sid: set() for sid in seeds}
    for finding in model.findings.values():
        seed = seeds.get(finding.source)
        if seed is None:
            continue
        try:
            sentences = cited_sentences(seed, finding)
        except LocatorError as exc:
            problems.append(f"{finding.where}: finding {finding.id!r}: {exc}")
            continue
        cited[finding.source].update((s.paragraph, s.number) for s in sentences)
        available = set()
        for sentence in sentences:
            available |= numbers_in(sentence.text, chinese=True)
        missing = sorted(finding_numbers(finding) - available, key=lambda x: float(x))
        if missing:
            where = ", ".join(finding.locator)
            problems.append(f"{finding.where}: finding {finding.id!r} states "
                            f"{', '.join(missing)}, not found in {seed.name} {where}")
    report = []
    for sid, seed in seeds.items():
        substantive = seed.sentences(substantive_only=True)
        uncited = [s for s in substantive if (s.paragraph, s.number) not in cited[sid]]
        report.append(SeedCoverage(seed.name, sid, len(substantive), len(substantive) - len(uncited), uncited))
    return CoverageReport(report, problems)
