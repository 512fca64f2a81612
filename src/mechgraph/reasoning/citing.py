"""Paths and chains as users read them: entity summaries for the nodes, and for each
step the drugs' names and the seed sentence each finding comes from."""

from __future__ import annotations

from ..model import Model


def named_path(model: Model, path: dict) -> dict:
    """A chain or connection with names and citations added.

    Parameters
    ----------
    model : Model
        The graph's records.
    path : dict
        A chain or connection (ids only).

    Returns
    -------
    dict
        The path with entity summaries for its nodes, and each step's ``drug_names``
        beside its ``drugs``, ``cites`` (finding id -> "source locator": the sentence each
        finding comes from) and ``score_parts`` (how its score is computed:
        :func:`mechgraph.reasoning.evidence.score_parts`).

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import mechanism_chains, named_path
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> named = named_path(g.model, mechanism_chains(g.topology, g.model, "drug-x", "protein-p")[0])
    >>> [n["name"] for n in named["nodes"]], named["hops"][0]["cites"]
    (['Drug X', 'Receptor R', 'Protein P'], {'f-x-blocks-r': 'toy-seed p5.s1'})
    """
    from .evidence import findings_score_parts
    entities = model.entities
    hops = [{**h, "drug_names": [entities[d].name if d in entities else d for d in h["drugs"]],
             "cites": _cites(model, h["findings"]),
             "score_parts": findings_score_parts(model, h["supporting"], h["refuting"])}
            for h in path["hops"]]
    return {**path, "nodes": [entities[n].summary() for n in path["nodes"]], "hops": hops}


def _cites(model: Model, finding_ids) -> dict[str, str]:
    """Finding id -> its source and locators ("seed-000 p31.s3, p31.s4")."""
    cites = {}
    for fid in finding_ids:
        finding = model.findings.get(fid)
        if finding is not None:
            cites[fid] = f"{finding.source} {', '.join(finding.locator)}".strip()
    return cites
