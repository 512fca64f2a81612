"""Where an entity figures in findings beyond its own assertions, and a drug's guidance.

A finding names an entity as what it is about, as its drug (``intervention``), as a
co-intervention (a blocker given before the drug: NBQX, rapamycin, naltrexone), or,
through the assertions that list it, as the brain region, cell type, drug or population
of their context. ``show`` and the map list these findings by that role, so that the
experiments in which rapamycin was used appear under rapamycin and what was found in
the lateral habenula appears under the lateral habenula.

>>> from mechgraph import MechGraph
>>> from pathlib import Path
>>> g = MechGraph.load(Path(__file__).parents[3] / "tests" / "data" / "example-graph")
>>> sorted(entity_mentions(g, "drug-x"))
['intervention']
"""

from __future__ import annotations

from ..model.constants import GUIDANCE_TOPICS
from ..store.recordfile import positional
from ..store.topology import MENTION_ROLES

#: how each role reads as a heading
ROLE_TITLES: dict[str, str] = {
    "about": "about it",
    "intervention": "as the drug given",
    "co_intervention": "as a co-intervention (given with or before the drug)",
    "brain_region": "as the brain region",
    "cell_type": "as the cell type",
    "drug_context": "as the drug whose effect was studied",
    "population": "as the population",
}


def entity_mentions(graph, entity: str, *, roles=MENTION_ROLES) -> dict[str, list[str]]:
    """Finding ids naming an entity, by role.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    entity : str
        An entity id.
    roles : tuple of str, optional
        The roles to report (default: all of ``MENTION_ROLES``).

    Returns
    -------
    dict of str to list of str
        Role to finding ids, in ``MENTION_ROLES`` order (roles without findings left
        out), each list in file order.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import entity_mentions
    >>> entity_mentions(MechGraph.load("tests/data/example-graph"), "drug-x")["intervention"][:2]
    ['f-x-blocks-r', 'f-x-reduces-b']
    """
    at = positional(graph.model.findings)
    return {role: [at(p).id for p in positions] for role, positions in _positions(graph, entity, roles).items()}


def _positions(graph, entity: str, roles) -> dict[str, list[int]]:
    """The findings naming an entity, as positions in the findings' file order, by role."""
    t = graph.topology
    found: dict[str, list[int]] = {}
    for position, number in sorted(t.mentions.get(t.index[entity], ())):
        role = MENTION_ROLES[number]
        if role in roles:
            found.setdefault(role, []).append(position)
    return {role: found[role] for role in MENTION_ROLES if role in found}


def guidance(graph, drug: str) -> dict[str, list[dict]]:
    """The recommendations attached to a drug, by topic.

    Parameters
    ----------
    graph : MechGraph
        The graph.
    drug : str
        The drug's entity id.

    Returns
    -------
    dict of str to list of dict
        Topic (``GUIDANCE_TOPICS`` order) to the summaries of the findings with role
        ``recommendation`` that are about the drug or give it, sorted by id.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import guidance
    >>> list(guidance(MechGraph.load(), "esketamine"))[:3]
    ['dosing', 'monitoring', 'contraindication']
    """
    found: dict[str, dict[str, dict]] = {}
    findings = graph.model.findings
    at = positional(findings)
    text = getattr(findings, "text", lambda position: None)
    named = _positions(graph, drug, ("about", "intervention"))
    for position in dict.fromkeys(named.get("about", []) + named.get("intervention", [])):
        raw = text(position)
        if raw is not None and b'"recommendation"' not in raw:
            continue  # a recommendation's JSON holds its role: this one is not, and needs no decoding
        finding = at(position)
        if finding.role == "recommendation":
            found.setdefault(finding.guidance or "other", {})[finding.id] = finding.summary()
    order = list(GUIDANCE_TOPICS) + ["other"]
    return {topic: [found[topic][f] for f in sorted(found[topic])] for topic in order if topic in found}
