"""A semantic diff of two graphs, grouped for a reviewer: records added, removed and
changed field by field; evidence scores that moved and why; conflicts gained and lost;
mechanism chains that appeared, disappeared or changed their weakest step; coverage of
the seed texts gained or lost.

>>> from mechgraph import MechGraph
>>> g = MechGraph.load()
>>> diff_graphs(g, g)["identical"]
True
"""

from __future__ import annotations

from pathlib import Path

from .derived import diff_chains, diff_conflicts, diff_coverage, moved_scores
from .records import KINDS, diff_records

#: scores moving by no more than this are not reported
DEFAULT_THRESHOLD = 0.05


def diff_graphs(old, new, *, threshold: float = DEFAULT_THRESHOLD, sources: str | Path | None = None,
                labels: tuple[str, str] = ("old", "new")) -> dict:
    """Compare two MechGraphs (the ``diff --json`` shape).

    Returns ``{"old", "new", "threshold", "identical", "summary", "records", "scores",
    "conflicts", "chains", "coverage"}``: ``records`` per kind from
    :func:`~mechgraph.diff.records.diff_records`, ``scores`` from
    :func:`~mechgraph.diff.derived.moved_scores`, ``conflicts`` from
    :func:`~mechgraph.diff.derived.diff_conflicts`, ``chains`` from
    :func:`~mechgraph.diff.derived.diff_chains` and ``coverage`` from
    :func:`~mechgraph.diff.derived.diff_coverage` (None without ``sources``).
    """
    records = diff_records(old.model, new.model)
    scores = moved_scores(old.model, new.model, threshold)
    conflicts = diff_conflicts(old, new)
    chains = diff_chains(old, new)
    coverage = diff_coverage(old.model, new.model, Path(sources)) if sources is not None else None
    summary: dict[str, object] = {
        kind: {change: len(records[kind][change]) for change in ("added", "removed", "changed")} for kind in KINDS}
    summary.update(scores_moved=len(scores), conflicts_gained=len(conflicts["gained"]),
                   conflicts_lost=len(conflicts["lost"]), conflicts_reclassified=len(conflicts["reclassified"]),
                   chains_appeared=sum(len(c["appeared"]) for c in chains),
                   chains_disappeared=sum(len(c["disappeared"]) for c in chains),
                   chains_weakest_changed=sum(len(c["weakest_changed"]) for c in chains),
                   outcomes_changed=sum(1 for c in chains if c["new_outcome"]))
    coverage_changed = bool(coverage and "seeds" in coverage and (
        coverage["problems_gained"] or coverage["problems_lost"]
        or any(s["old"] != s["new"] or s["newly_cited"] or s["no_longer_cited"] for s in coverage["seeds"])))
    identical = not coverage_changed and not any(
        n for key, value in summary.items() for n in (value.values() if isinstance(value, dict) else [value]))
    return {"old": labels[0], "new": labels[1], "threshold": threshold, "identical": identical,
            "summary": summary, "records": records, "scores": scores, "conflicts": conflicts,
            "chains": chains, "coverage": coverage}


from ..exports import lazy_exports  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .report import diff_html as diff_html, format_diff as format_diff
    from .revisions import graph_at as graph_at

#: the folder's public names defined in its modules, imported on first use
EXPORTS = {
    "diff_html": "report",
    "format_diff": "report",
    "graph_at": "revisions",
}
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
