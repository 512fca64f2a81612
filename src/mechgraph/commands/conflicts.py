"""``mechgraph conflicts``: every disagreement in the graph, classified."""

from __future__ import annotations

import click

from mechgraph.cli import CONTEXT, graph_of, json_option
from mechgraph.conflicts import KINDS, find_conflicts
from mechgraph.formatting import to_json

#: the side-by-side columns: (key, title, widest)
SIDE_COLUMNS = (
    ("side", "side", 14), ("level", "level", 19), ("species", "species", 12), ("sex", "sex", 6),
    ("intervention", "drug, dose, route", 36), ("timepoint", "timepoint", 28),
    ("population", "population", 32), ("outcome", "outcome", 32), ("locator", "locator", 30),
    ("finding", "finding", 0),
)


@click.command(context_settings=CONTEXT)
@click.option("--entity", "entity", help="Only disagreements involving this entity (name, alias or id).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only disagreements of this kind (repeatable).")
@click.option("--unexplained", is_flag=True, help="Only disagreements that no recorded context explains.")
@json_option
@click.pass_context
def conflicts(ctx, entity, kinds, unexplained, as_json):
    """Every disagreement in the graph, explained by context or not.

    Finds assertions with findings on both sides, opposite-sign assertions between the
    same entities, the same claim supported in one context and refuted in another, and
    different values of one quantity, and a drug's direct effect whose sign a mechanism
    chain from the drug contradicts. Each is classified as explained by a context that
    differs between the two sides (species, setting, sex, drug or enantiomer, dose,
    route, timepoint, population, outcome) or as unexplained, and the findings are
    shown side by side.

    \b
    Examples:
      mechgraph conflicts
      mechgraph conflicts --entity mTOR
      mechgraph conflicts --kind quantity --json
    """
    graph = graph_of(ctx)
    entity_id = graph.resolve(entity).id if entity else None
    found = find_conflicts(graph.model, entity=entity_id, kinds=kinds or KINDS, topology=graph.topology)
    if unexplained:
        found = [c for c in found if c["classification"] == "unexplained"]
    click.echo(to_json(found) if as_json else format_conflicts(found))


def format_conflicts(found: list[dict]) -> str:
    """The text output: a count, then each disagreement with its classification,
    explanation and the two sides' findings in one table."""
    from mechgraph.evidence_table import table

    if not found:
        return "no disagreements found"
    explained = sum(1 for c in found if c["classification"] == "context")
    by_kind = ", ".join(f"{sum(1 for c in found if c['kind'] == k)} {k.replace('_', ' ')}"
                        for k in KINDS if any(c["kind"] == k for c in found))
    lines = [f"{len(found)} disagreement(s): {by_kind}; {explained} explained by context, "
             f"{len(found) - explained} unexplained"]
    for number, c in enumerate(found, 1):
        lines.append("")
        lines.append(f"{number}. {c['kind'].replace('_', ' ')}: {conflict_title(c)}")
        verdict = ("explained by " + ", ".join(c["contexts"])) if c["contexts"] else "unexplained"
        lines.append(f"   {verdict}")
        lines.append(f"   {c['explanation']}")
        rows = []
        if c["kind"] == "quantity":
            for value in c["values"]:
                rows.extend(_row(f, value["value"]) for f in value["findings"])
        else:
            rows.extend(_row(f, "for") for f in c["supporting"])
            rows.extend(_row(f, "against") for f in c["refuting"])
        columns = [col for col in SIDE_COLUMNS if col[0] in ("side", "finding") or any(r.get(col[0]) for r in rows)]
        lines.extend("   " + line for line in table(rows, columns))
    return "\n".join(lines)


def conflict_title(c: dict) -> str:
    """One line naming what a conflict is about (the claim, its opposite or the chain)."""
    a = c["assertion"]
    if c["kind"] == "quantity":
        quals = ", ".join(f"{k} {v}" for k, v in a["qualifiers"].items())
        return f"{a['quantity']} of {a['entity']['name']}" + (f" ({quals})" if quals else "")
    text = _claim(a)
    if "opposing" in c:
        text += f"  vs  {_claim(c['opposing'])}"
    if "chain" in c:
        text += f"  vs  the chain {' → '.join(c['chain']['nodes'])} (net {c['chain']['sign']})"
    return text


def _claim(a: dict) -> str:
    from mechgraph.constants import PREDICATES
    context = "; ".join(f"{k} {', '.join(v)}" for k, v in a["context"].items())
    return (f"{a['subject']['name']} {PREDICATES[a['predicate']].reads} {a['object']['name']}"
            + (f" [{context}]" if context else "") + f" ({a['id']}, score {a['score']})")


def _row(f: dict, side: str) -> dict:
    ctx = f.get("context", {})
    doses = [" ".join(x for x in (i.get("drug", ""), i.get("dose", ""), i.get("route", "")) if x)
             for i in f["interventions"]]
    if side == "against" and f["direction"] == "no_effect":
        side = "no effect"
    return {
        "side": side,
        "level": f["level"],
        "species": ", ".join(f["species"]),
        "sex": ", ".join(ctx.get("sex", [])),
        "intervention": " + ".join(doses),
        "timepoint": f["timepoint"],
        "population": ", ".join(ctx.get("population", [])),
        "outcome": f["outcome"],
        "locator": f"{f['source']} {','.join(f['locator'])}",
        "finding": f["id"],
    }
