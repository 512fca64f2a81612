"""Every finding of the bundled graph restates its seed sentence(s) in our own words.

The curation rules forbid copying a seed sentence into a finding's ``statement`` or
``statement_zh``. Two measures, against the cited sentence(s) with markup stripped:

- the difflib similarity ratio of ``statement_zh`` to the cited text stays below 0.6;
- neither ``statement_zh`` nor ``statement`` shares a run of 25 or more consecutive
  characters with the cited text (the seeds carry English terms in parentheses too).
"""

from __future__ import annotations

from difflib import SequenceMatcher

import pytest

from mechgraph import MechGraph
from mechgraph.curation.coverage import cited_sentences, load_seeds
from mechgraph.curation.seeds import strip_markup

MAX_RATIO = 0.6
MAX_COMMON_RUN = 25


@pytest.fixture(scope="module")
def graph() -> MechGraph:
    return MechGraph.load()


@pytest.fixture
def cited(graph, seeds_dir):
    """finding id -> (finding, the text of the sentence(s) its locator names)."""
    seeds = load_seeds(graph.model, seeds_dir)
    out = {}
    for f in graph.model.findings.values():
        sentences = cited_sentences(seeds[f.source], f)
        out[f.id] = (f, strip_markup("".join(s.text for s in sentences)))
    return out


def _where(f) -> str:
    return f"{f.id} ({f.where.file}:{f.where.line})"


def _longest_common_run(a: str, b: str) -> str:
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a:m.a + m.size]


def test_every_finding_cites_some_text(cited):
    empty = [_where(f) for f, text in cited.values() if not text.strip()]
    assert cited and not empty, "findings whose locator names no text:\n" + "\n".join(empty)


def test_statement_zh_is_not_a_near_copy_of_the_seed(cited):
    offenders = []
    for f, text in cited.values():
        ratio = SequenceMatcher(None, f.statement_zh, text, autojunk=False).ratio()
        if ratio >= MAX_RATIO:
            offenders.append(f"{ratio:.3f} {_where(f)}\n    zh:   {f.statement_zh}\n    seed: {text}")
    assert not offenders, (
        f"{len(offenders)} statement_zh with similarity ratio >= {MAX_RATIO} to the cited text:\n"
        + "\n".join(offenders))


@pytest.mark.parametrize("field", ["statement_zh", "statement"])
def test_no_long_run_copied_from_the_seed(cited, field):
    offenders = []
    for f, text in cited.values():
        run = _longest_common_run(getattr(f, field), text)
        if len(run) >= MAX_COMMON_RUN:
            offenders.append(f"{len(run)} chars {_where(f)}: {run!r}")
    assert not offenders, (
        f"{len(offenders)} {field} sharing a run of >= {MAX_COMMON_RUN} characters with the cited text:\n"
        + "\n".join(offenders))


def test_the_measures_catch_a_copy(cited):
    """Guard the guard: a verbatim copy of a cited sentence fails both measures."""
    f, text = next(iter(cited.values()))
    assert SequenceMatcher(None, text, text, autojunk=False).ratio() >= MAX_RATIO
    if len(text) >= MAX_COMMON_RUN:
        assert len(_longest_common_run(text, text)) >= MAX_COMMON_RUN
