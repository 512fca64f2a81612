"""Signed paths: the net effect of a chain of assertions, checked against direct ones.

Predicates carry a sign (``+`` activation, ``-`` inhibition, none for an association;
see ``mechgraph.model.constants.PREDICATES``). A path has a net sign when every hop

- follows its assertion forward (from subject to object): an effect does not run
  backwards, so "A activates B" says nothing about what B does to A;
- has a signed predicate: "binds", "associated_with" and the like carry no direction
  of effect;
- has supporting evidence: a hop whose assertion is only refuted asserts nothing.

The net sign is then the product of the hop signs (two inhibitions make an
activation): esketamine -[antagonizes]-> NMDAR -[required_for]-> depression-like
behaviour is ``-`` × ``+`` = ``-``, esketamine decreases it. When some hop fails
these conditions the path has no net sign and ``sign_note`` says which hop and why.

A signed path *contradicts* a direct assertion from its first to its last entity
(with supporting evidence and a sign) whose sign differs from the path's net sign,
and *agrees* with one whose sign is the same; a one-hop path is not compared with
its own assertion.

>>> net_sign(["-", "-", "+"])
'+'
"""

from __future__ import annotations

from ..model.constants import PREDICATES
from .connections import net_sign

#: how a net sign reads in a sentence
EFFECT_WORDS: dict[str, str] = {"+": "increases", "-": "decreases"}
#: how a sign is printed
SIGN_SYMBOLS: dict[str, str] = {"+": "+", "-": "−"}


def direct_effects(graph, source: str, target: str) -> list[dict]:
    """The signed, supported assertions from ``source`` to ``target`` (entity ids):
    ``[{"assertion", "predicate", "sign", "score", "context"}]``."""
    out = []
    for a in graph.model.assertions.values():
        if a.subject == source and a.object == target and a.supporting and PREDICATES[a.predicate].sign:
            data = graph.nx.edges[a.subject, a.object, a.id]
            out.append({"assertion": a.id, "predicate": a.predicate, "sign": data["sign"],
                        "score": data["score"], "context": data["context"]})
    return out


def sign_path(path: dict, direct: list[dict]) -> dict:
    """The signed reading of one path of a ``path`` result: ``net_sign`` (``+``, ``-``
    or None), ``net_effect`` (a sentence, or None), ``sign_note`` (the sign arithmetic,
    or why there is no net sign), ``context_note`` (see :func:`context_note`),
    ``contradicts`` and ``agrees`` (ids of direct assertions)."""
    names = {n["id"]: n["name"] for n in path["nodes"]}
    problems = []
    for number, hop in enumerate(path["hops"], 1):
        edge = f"hop {number} ({names[hop['subject']]} {hop['predicate']} {names[hop['object']]})"
        refuting = set(hop.get("refuting", ()))
        if hop["direction"] != "forward":
            problems.append(f"{edge} is followed backwards, from {names[hop['source']]} to {names[hop['target']]}")
        elif not hop["sign"]:
            problems.append(f"{edge} has no sign: {hop['predicate']} states no direction of effect")
        elif not [f for f in hop["findings"] if f not in refuting]:
            problems.append(f"{edge} has only refuting evidence")
    mixed = context_note(path)
    if problems:
        return {"net_sign": None, "net_effect": None, "sign_note": "; ".join(problems),
                "context_note": mixed, "contradicts": [], "agrees": []}
    signs = [hop["sign"] for hop in path["hops"]]
    sign = net_sign(signs)
    own = {hop["assertion"] for hop in path["hops"]}
    direct = [d for d in direct if d["assertion"] not in own]
    first, last = path["nodes"][0], path["nodes"][-1]
    arithmetic = " × ".join(SIGN_SYMBOLS[s] for s in signs) + f" = {SIGN_SYMBOLS[sign]}" \
        if len(signs) > 1 else f"{SIGN_SYMBOLS[sign]}, one hop"
    return {
        "net_sign": sign,
        "net_effect": f"{first['name']} {EFFECT_WORDS[sign]} {last['name']}",
        "sign_note": arithmetic,
        "context_note": mixed,
        "contradicts": [d["assertion"] for d in direct if d["sign"] != sign],
        "agrees": [d["assertion"] for d in direct if d["sign"] == sign],
    }


#: hop contexts compared along a path
CONTEXT_KEYS: tuple[str, ...] = ("drug", "species", "brain_region", "cell_type")


def context_note(path: dict) -> str | None:
    """Where the hops of a path were observed in different contexts (another drug,
    species, brain region or cell type), a sentence naming them; else None. A chain
    of findings from different settings is a hypothesis, not an observed effect.

    The drug of a hop is its context's drug, or its subject when that is a Drug.
    """
    types = {n["id"]: n.get("type") for n in path["nodes"]}
    parts = []
    for key in CONTEXT_KEYS:
        stated = []
        for number, hop in enumerate(path["hops"], 1):
            if key == "species":
                values = hop.get("species") or hop["context"].get("species", [])
            else:
                values = hop["context"].get(key, [])
            if key == "drug" and not values and types.get(hop["subject"]) == "Drug":
                values = [hop["subject"]]
            if values:
                stated.append((number, frozenset(values)))
        if len({v for _, v in stated}) > 1 and not frozenset.intersection(*(v for _, v in stated)):
            parts.append(key.replace("_", " ") + " " + " vs ".join(
                f"{', '.join(sorted(v))} (hop {n})" for n, v in stated))
    return "hops differ in " + "; ".join(parts) if parts else None


def annotate_signs(graph, result: dict) -> dict:
    """A copy of a ``path`` result with each path's signed reading (see :func:`sign_path`)
    and, at the top, ``direct_effects``: the signed assertions from source to target.

    >>> from mechgraph import MechGraph
    >>> from pathlib import Path
    >>> g = MechGraph.load(Path(__file__).parents[3] / "tests" / "data" / "example-graph")
    >>> signed = annotate_signs(g, g.path("drug-x", "protein-p", max_hops=2, k=3, relation="any"))
    >>> [(p["net_sign"], [n["id"] for n in p["nodes"]]) for p in signed["paths"]]
    [('+', ['drug-x', 'protein-p']), ('+', ['drug-x', 'receptor-r', 'protein-p'])]
    >>> signed["paths"][1]["net_effect"], signed["paths"][1]["agrees"]
    ('Drug X increases Protein P', ['a-x-increases-expression-p'])
    """
    source, target = result["source"]["id"], result["target"]["id"]
    direct = direct_effects(graph, source, target)
    paths = [{**path, **sign_path(path, direct)} for path in result["paths"]]
    return {**result, "direct_effects": direct, "paths": paths}
