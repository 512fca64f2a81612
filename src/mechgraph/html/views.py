"""The map's views: what each one draws, how it is grouped and where each node sits.

- **mechanism** (the page opens on it): a drug, its targets and its mechanism chains to
  the outcome, as :func:`mechgraph.reasoning.explain.explain` finds them, laid out left to right
  as a layered cascade; each mechanism family is a band (a group the page can collapse).
- **clinical**: efficacy, adverse effects, contraindications and populations (the
  ``clinical`` relation class, and a drug's effects measured on outcomes).
- **pharmacokinetics**: routes, the drug, its metabolites and the enzymes that form
  them (administration, metabolism and enantiomer edges).
- **everything**: every entity, in type columns.

A view that holds more than ``FIT_ENTITIES`` entities or ``FIT_ASSERTIONS`` assertions
opens with its groups collapsed: the overview shows one node per group and the user
expands the groups they want.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MechgraphError
from ..model.relations import DRUG_TYPES
from .facts import Facts
from .layout import Layout, banded_layout, dag_layers, layered_layout

#: the views of a map page, in the order of its tabs
VIEW_IDS: tuple[str, ...] = ("mechanism", "clinical", "pharmacokinetics", "everything")
#: above this many entities (or assertions) a view opens with its groups collapsed
FIT_ENTITIES = 300
FIT_ASSERTIONS = 900
#: chains per mechanism family taken from explain for the mechanism view
CHAINS_PER_FAMILY = 200
#: a group with more members than this opens a part at a time
GROUP_LIMIT = 150

#: predicates of the pharmacokinetics view
PK_PREDICATES: frozenset[str] = frozenset({"administered_via", "metabolized_to", "catalyzes_formation_of",
                                           "enantiomer_of"})
#: entity types of the pharmacokinetics view (drawn even without an edge there)
PK_TYPES: frozenset[str] = frozenset({"Route", "Metabolite"})
#: entity types that are clinical outcomes or settings
CLINICAL_TYPES: frozenset[str] = frozenset({"Condition", "AdverseEffect", "Population", "Procedure", "Measure"})

#: bands of the clinical view: key -> (English, Chinese)
CLINICAL_BANDS: dict[str, tuple[str, str]] = {
    "drugs": ("Drugs", "药物"),
    "efficacy": ("Efficacy", "疗效"),
    "safety": ("Adverse effects", "不良反应"),
    "populations": ("Contraindications, populations, procedures", "禁忌、人群与临床操作"),
}
#: names of the mechanism view's own bands
OTHER_TARGETS = ("Targets with no chain to the outcome", "尚无通向结局之链的靶点")
DIRECT = ("Direct effect on the outcome", "对结局的直接作用")


@dataclass
class View:
    """One view: the ids it draws, their positions, its groups and columns."""

    id: str
    entities: list[str]
    assertions: list[str]
    layout: Layout
    #: [{"id", "name", "name_zh", "kind", "members", "center", "box"}], and for the parts of a large
    #: group "parent" (its id) and, on the large group, "children"
    groups: list[dict] = field(default_factory=list)
    #: what the view is about: {"drug", "outcome", "explain", "note"}
    info: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        big = len(self.entities) > FIT_ENTITIES or len(self.assertions) > FIT_ASSERTIONS
        big = big or any(len(g["members"]) > FIT_ENTITIES for g in self.groups)
        return {
            "entities": self.entities,
            "assertions": self.assertions,
            "positions": {n: list(self.layout.positions[n]) for n in self.entities},
            "groups": self.groups,
            "collapsed": [g["id"] for g in self.groups] if big else [],
            "columns": {"tiers": self.layout.tiers, "header_y": self.layout.header_y},
            "info": self.info,
        }


def _facts(graph, facts: Facts | None) -> Facts:
    return facts if facts is not None else Facts(graph)


def main_drug(graph, entities, assertions, facts: Facts | None = None) -> str | None:
    """The drug a map is about: the Drug (else Compound, then Metabolite) among
    ``entities`` that is the subject of the most target, effect and clinical
    assertions among ``assertions``; ties go to the smaller id."""
    f = _facts(graph, facts)
    counts: dict[str, int] = {}
    for key in assertions:
        u, _, data = f.edge[key]
        if data["relation"] in ("drug-target", "drug-effect", "clinical") and u in entities:
            counts[u] = counts.get(u, 0) + 1
    for wanted in ("Drug", "Compound", "Metabolite"):
        found = [e for e in counts if f.type[e] == wanted]
        if found:
            return min(found, key=lambda e: (-counts[e], e))
    return None


# -- mechanism ---------------------------------------------------------------------------------

def mechanism_view(graph, entities: set[str], assertions: set[str], *, drug: str | None = None,
                   explained: dict | None = None, min_level: str | None = None, min_score: float = 0.0,
                   view_id: str = "mechanism", facts: Facts | None = None) -> View:
    """The drug's mechanism: its chains to the outcome (from ``explained``, an
    ``explain`` result, or computed here), its targets, and the open ends of each
    family, within ``entities`` and ``assertions``. Without a drug or a chain, the
    causal and drug-target edges, in type columns."""
    from ..errors import NoPath
    from ..reasoning.explain import explain
    f = _facts(graph, facts)
    if explained is None:
        drug = drug or main_drug(graph, entities, assertions, f)
        if drug is not None:
            try:
                explained = explain(graph, drug, min_level=min_level, min_score=min_score,
                                    chains_per_family=CHAINS_PER_FAMILY)
            except (NoPath, MechgraphError):
                explained = None
    if explained is None:
        return _causal_view(f, entities, assertions, drug, view_id)
    drug = explained["drug"]["id"]
    outcome = explained["outcome"]["id"]
    nodes: dict[str, None] = {drug: None, outcome: None}
    chosen: dict[str, None] = {}
    band_of: dict[str, str | None] = {drug: None, outcome: None}
    families, bands = [], {}
    shown = {family["id"]: [c for c in family["chains"] if all(h["assertion"] in assertions for h in c["hops"])]
             for family in explained["families"]}
    # every family's chains first: a node on a family's chain sits in that family's band,
    # even where an earlier family lists it as an open end
    for family in explained["families"]:
        for chain in shown[family["id"]]:
            for hop in chain["hops"]:
                chosen[hop["assertion"]] = None
            for node in chain["nodes"]:
                nid = node["id"] if isinstance(node, dict) else node
                nodes[nid] = None
                band_of.setdefault(nid, "family:" + family["id"])
    for family in explained["families"]:
        chains = shown[family["id"]]
        key = "family:" + family["id"]
        names = DIRECT if family["id"] == "(direct)" else (family["name"], family["name_zh"])
        for gap in family.get("gaps", []):
            gid = gap["entity"]["id"]
            edge = _step_into(f, gid, set(nodes), assertions, drug)
            if gid in entities and edge is not None and gid not in band_of:
                nodes[gid] = None
                chosen[edge] = None
                band_of[gid] = key
        families.append({"id": family["id"], "key": key, "name": names[0], "name_zh": names[1],
                         "chains": [_chain_json(c) for c in chains], "chains_found": family["chains_found"],
                         "gaps": [g["entity"]["id"] for g in family.get("gaps", [])],
                         "conflicts": family.get("conflicts", [])})
        bands[key] = names
    targets = "targets:other"
    for key in f.out_of(drug):
        if key in assertions and f.edge[key][2]["relation"] == "drug-target":
            chosen[key] = None
            target = f.edge[key][1]
            if target not in band_of:
                nodes[target] = None
                band_of[target] = targets
                bands[targets] = OTHER_TARGETS
    for node in list(nodes):
        for key in f.out_of(node):
            if key in assertions and f.edge[key][1] in nodes and f.edge[key][2]["relation"] == "causal":
                chosen[key] = None
    ids = sorted(n for n in nodes if n in entities)
    keep = set(ids)
    chosen_ids = sorted(k for k in chosen if f.edge[k][0] in keep and f.edge[k][1] in keep)
    layers = dag_layers(ids, f.ends(chosen_ids), first=drug, last=outcome)
    order = [fam["key"] for fam in families] + [targets]
    layout = banded_layout(layers, band_of, f.ends(chosen_ids), band_order=order, aligned=True, names=f.names(ids))
    groups = [{"id": key, "name": bands[key][0], "name_zh": bands[key][1], "kind": "family",
               "members": band["members"], "center": band["center"]} for key, band in layout.bands.items()]
    info = {"kind": "mechanism", "drug": drug, "outcome": outcome, "outcome_default": explained.get("outcome_default"),
            "families": families, "open_ends": [g["entity"]["id"] for g in explained.get("open_ends", [])],
            "chains": explained.get("chains", 0)}
    return View(view_id, ids, chosen_ids, layout, _split(groups, layout), info)


def _chain_json(chain: dict) -> dict:
    return {"nodes": [n["id"] if isinstance(n, dict) else n for n in chain["nodes"]],
            "hops": [h["assertion"] for h in chain["hops"]], "score": chain["score"], "sign": chain.get("sign"),
            "weakest": chain.get("weakest", 0), "borrowed": bool(chain.get("borrowed")),
            "kind": chain.get("kind", "chain"), "families": chain.get("families", [])}


def _step_into(f: Facts, node: str, sources: set[str], assertions: set[str], drug: str) -> str | None:
    """The best assertion by which a chain step reaches ``node`` from ``sources``."""
    best = None
    for key in f.into(node):
        u, _, data = f.edge[key]
        if key not in assertions or u not in sources or not data["supporting"]:
            continue
        if data["relation"] == "causal" or (u == drug and data["relation"] in ("drug-target", "drug-effect")):
            rank = (data["score"], key)
            if best is None or rank > best[0]:
                best = (rank, key)
    return best[1] if best else None


def _causal_view(f: Facts, entities, assertions, drug, view_id) -> View:
    chosen = sorted(k for k in assertions if f.edge[k][2]["relation"] in ("causal", "drug-target"))
    ids = sorted({n for pair in f.ends(chosen) for n in pair} & entities)
    view = _type_columns(f, ids, chosen, view_id)
    view.info = {"kind": "causal", "drug": drug,
                 "note": "no drug with a mechanism chain to an outcome: the causal and drug-target steps"}
    return view


# -- clinical ------------------------------------------------------------------------------------

def clinical_view(graph, entities: set[str], assertions: set[str], facts: Facts | None = None) -> View:
    """Efficacy, adverse effects, contraindications and populations."""
    f = _facts(graph, facts)
    chosen = []
    for key in sorted(assertions):
        u, v, data = f.edge[key]
        if data["relation"] == "clinical" or (data["relation"] in ("drug-effect", "association")
                                              and f.type[u] in DRUG_TYPES
                                              and (f.type[v] in CLINICAL_TYPES
                                                   or (f.type[v] == "Phenotype" and "human" in data["species"]))):
            chosen.append(key)
    ids = sorted({n for pair in f.ends(chosen) for n in pair} & entities)
    predicates: dict[str, set[str]] = {}
    for key in chosen:
        predicates.setdefault(f.edge[key][1], set()).add(f.edge[key][2]["predicate"])
    band_of = {n: _clinical_band(f.type[n], predicates.get(n, set())) for n in ids}
    layers = dag_layers(ids, f.ends(chosen))
    layout = banded_layout(layers, band_of, f.ends(chosen), band_order=list(CLINICAL_BANDS), aligned=False,
                           names=f.names(ids))
    groups = [{"id": f"clinical:{key}", "name": CLINICAL_BANDS[b["band"]][0], "name_zh": CLINICAL_BANDS[b["band"]][1],
               "kind": "category", "members": b["members"], "center": b["center"]} for key, b in layout.bands.items()]
    drug = main_drug(graph, set(ids), set(chosen), f)
    return View("clinical", ids, chosen, layout, _split(groups, layout), {"kind": "clinical", "drug": drug})


def _clinical_band(entity_type: str, predicates: set[str]) -> str:
    if entity_type in DRUG_TYPES:
        return "drugs"
    if entity_type == "AdverseEffect" or "has_adverse_effect" in predicates:
        return "safety"
    if entity_type in ("Population", "Procedure") or "contraindicated_in" in predicates:
        return "populations"
    return "efficacy"


# -- pharmacokinetics --------------------------------------------------------------------------------

def pharmacokinetics_view(graph, entities: set[str], assertions: set[str], facts: Facts | None = None) -> View:
    """Routes, drugs, metabolites and the enzymes that form them."""
    f = _facts(graph, facts)
    chosen = []
    for key in sorted(assertions):
        u, v, data = f.edge[key]
        both_drugs = f.type[u] in DRUG_TYPES and f.type[v] in DRUG_TYPES
        if data["predicate"] in PK_PREDICATES or (data["predicate"] == "part_of" and both_drugs):
            chosen.append(key)
    near = {n for pair in f.ends(chosen) for n in pair}
    near |= {e for e in entities if f.type[e] in PK_TYPES}
    ids = sorted(near & entities)
    flow = []
    for key in chosen:
        u, v, data = f.edge[key]
        if data["predicate"] == "administered_via":
            flow.append((v, u))          # a route leads to its drug
        elif data["predicate"] in ("metabolized_to", "catalyzes_formation_of"):
            flow.append((u, v))
    layers = dag_layers(ids, flow)
    types = {n: f.type[n] for n in ids}
    order = ["Route", "Drug", "Compound", "Metabolite", "Enzyme"]
    layout = banded_layout(layers, types, f.ends(chosen), band_order=order, aligned=False, names=f.names(ids))
    return View("pharmacokinetics", ids, chosen, layout, _split(_type_groups(layout), layout),
                {"kind": "pharmacokinetics"})


# -- everything ----------------------------------------------------------------------------------------

def everything_view(graph, entities: set[str], assertions: set[str], facts: Facts | None = None) -> View:
    """Every entity and assertion, in type columns."""
    view = _type_columns(_facts(graph, facts), sorted(entities), sorted(assertions), "everything")
    view.info = {"kind": "everything"}
    return view


def _type_columns(f: Facts, ids: list[str], chosen: list[str], view_id: str) -> View:
    layout = layered_layout({n: f.type[n] for n in ids}, f.ends(chosen), names=f.names(ids))
    return View(view_id, ids, chosen, layout, _split(_type_groups(layout), layout))


def _type_groups(layout: Layout) -> list[dict]:
    from .i18n import VOCABULARY_EN, VOCABULARY_ZH
    return [{"id": f"type:{key}", "name": VOCABULARY_EN.get(b["band"], b["band"]),
             "name_zh": VOCABULARY_ZH.get(b["band"], b["band"]), "kind": "type", "type": b["band"],
             "members": b["members"], "center": b["center"]}
            for key, b in layout.bands.items()]


def _split(groups: list[dict], layout: Layout) -> list[dict]:
    """Each group with its box; a group of more than ``GROUP_LIMIT`` members also gets
    sub-groups of whole rows (horizontal strips of its box), listed after it with a
    ``parent``, so that the user can open a large group a part at a time."""
    out = []
    for group in groups:
        group = {**group, "box": _box(layout, group["members"])}
        out.append(group)
        members = group["members"]
        if len(members) <= GROUP_LIMIT:
            continue
        rows: dict[int, list[str]] = {}
        for m in members:
            rows.setdefault(layout.positions[m][1], []).append(m)
        chunks: list[list[str]] = []
        current: list[str] = []
        for y in sorted(rows):
            if current and len(current) + len(rows[y]) > GROUP_LIMIT:
                chunks.append(current)
                current = []
            current = current + rows[y]
        if current:
            chunks.append(current)
        if len(chunks) < 2:
            continue
        group["children"] = []
        for i, chunk in enumerate(chunks, 1):
            child_id = f"{group['id']}/{i}"
            group["children"].append(child_id)
            box = _box(layout, chunk)
            out.append({"id": child_id, "name": f"{group['name']} {i}/{len(chunks)}",
                        "name_zh": f"{group['name_zh']} {i}/{len(chunks)}", "kind": group["kind"],
                        "type": group.get("type"), "parent": group["id"], "members": chunk, "box": box,
                        "center": [(box[0] + box[2]) // 2, (box[1] + box[3]) // 2]})
    return out


def _box(layout: Layout, members: list[str]) -> list[int]:
    xs = [layout.positions[m][0] for m in members]
    ys = [layout.positions[m][1] for m in members]
    return [min(xs), min(ys), max(xs), max(ys)]


# -- paths -------------------------------------------------------------------------------------------------

def paths_view(graph, entities: list[str], assertions: list[str], paths: list[dict]) -> View:
    """The entities and steps of some paths, laid out left to right along them."""
    f = _facts(graph, None)
    flow = [(p["nodes"][i], p["nodes"][i + 1]) for p in paths for i in range(len(p["nodes"]) - 1)]
    ends = {p["nodes"][0] for p in paths} | {p["nodes"][-1] for p in paths}
    first = paths[0]["nodes"][0] if paths and len(ends) == 2 else None
    last = paths[0]["nodes"][-1] if paths and len(ends) == 2 else None
    layers = dag_layers(entities, flow, first=first, last=last)
    layout = banded_layout(layers, {n: None for n in entities}, f.ends(assertions), aligned=True,
                           names=f.names(entities))
    return View("paths", list(entities), list(assertions), layout, [], {"kind": "paths"})


def build_views(graph, entities, assertions, *, drug: str | None = None, min_level: str | None = None,
                min_score: float = 0.0, facts: Facts | None = None) -> dict[str, View]:
    """Every view of a map over the selected ``entities`` and ``assertions`` (``facts``: what
    was read of the graph already)."""
    entities, assertions = set(entities), set(assertions)
    f = _facts(graph, facts)
    return {
        "mechanism": mechanism_view(graph, entities, assertions, drug=drug, min_level=min_level, min_score=min_score,
                                    facts=f),
        "clinical": clinical_view(graph, entities, assertions, f),
        "pharmacokinetics": pharmacokinetics_view(graph, entities, assertions, f),
        "everything": everything_view(graph, entities, assertions, f),
    }
