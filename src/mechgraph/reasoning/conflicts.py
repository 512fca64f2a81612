"""Disagreements in a graph, each classified as explained by context or unexplained.

Four kinds of disagreement are found:

``mixed_evidence``
    one assertion with findings on both sides (``supporting`` and ``refuting``).
``opposite_sign``
    two assertions between the same entities, each with more evidence for than against,
    whose predicates have opposite signs (``esketamine has_adverse_effect anxiety`` and ``esketamine decreases anxiety``;
    ``required_for`` and ``not_required_for`` count as opposite too).
``opposite_verdict``
    two assertions of the same claim in different contexts, the evidence for one
    outweighing its evidence against and the other the reverse (studies weighted by
    level as in the evidence score): ``mtor required_for antidepressant-effect`` for
    esketamine (mouse study for) and for R-ketamine (mouse study with no effect).
``quantity``
    different values of the same quantity (same entity, name and qualifiers) in different
    findings, such as the bioavailability of intranasal esketamine.
``chain_sign``
    a drug's observed direct effect on an entity (esketamine increases BDNF release)
    whose sign differs from the composed sign of a mechanism chain from the drug to that
    entity (:mod:`mechgraph.reasoning.chains`); found when the graph's topology is given.

For the two assertion kinds, subjects may also be related drugs: enantiomers, a racemate
and its enantiomers (linked by ``enantiomer_of`` or ``part_of`` assertions), or a pooled
entity whose name names both (``Ketamine or esketamine (pooled)``).

Each disagreement compares the findings of its two sides along the context dimensions
of :mod:`mechgraph.reasoning.contexts` (species, preclinical or clinical setting, sex, drug or
enantiomer, dose, route, timepoint, population, outcome, brain region, cell type). The
dimensions whose values never match across the sides explain it (``"classification":
"context"``, named in ``contexts``); when none does, it is ``"unexplained"``.
"""

from __future__ import annotations

from itertools import combinations

from ..model.constants import PREDICATES
from .contexts import DIMENSIONS, differences, finding_context, shared
from .evidence import assertion_score, study_key, study_weights
from ..model.families import families
from ..model.core import Assertion, Finding, Model
from ..model.names import normalise

#: the kinds of disagreement, in report order
KINDS: tuple[str, ...] = ("mixed_evidence", "opposite_sign", "opposite_verdict", "quantity", "chain_sign")

#: predicates without a sign that negate or mirror a signed one: predicate -> (family, polarity)
_CLAIMS: dict[str, tuple[str, int]] = {
    "not_required_for": ("signed", -1),
    "positively_correlated_with": ("correlation", 1),
    "negatively_correlated_with": ("correlation", -1),
}


def claim(predicate: str) -> tuple[str, int]:
    """The claim family of a predicate and its polarity: signed predicates share one
    family (``+`` is 1, ``-`` is -1); an unsigned predicate is its own family.

    >>> claim("activates"), claim("inhibits"), claim("not_required_for"), claim("binds")
    (('signed', 1), ('signed', -1), ('signed', -1), ('binds', 1))
    """
    if predicate in _CLAIMS:
        return _CLAIMS[predicate]
    sign = PREDICATES[predicate].sign
    if sign is not None:
        return ("signed", 1 if sign == "+" else -1)
    return (predicate, 1)


def find_conflicts(model: Model, *, entity: str | None = None, kinds=KINDS, topology=None) -> list[dict]:
    """Every disagreement in a model (the ``conflicts --json`` shape).

    Parameters
    ----------
    model : Model
        The graph's records.
    entity : str, optional
        Only disagreements involving this entity id.
    kinds : tuple of str, optional
        The kinds to look for (default: all of ``KINDS``).
    topology : Topology, optional
        The graph's topology; ``chain_sign`` needs it and is skipped without it.

    Returns
    -------
    list of dict
        Each item: ``{"kind", "assertion", "supporting": [FINDING], "refuting": [FINDING],
        "classification": "context" | "unexplained", "contexts": [str], "differences":
        [{"context", "supporting": [values], "refuting": [values]}], "explanation": str}``;
        ``opposite_*`` items add ``"opposing"`` (the other assertion) and ``quantity`` items
        add ``"values"`` (their supporting/refuting lists are empty); ``chain_sign`` items add
        ``"chain"`` (``{"nodes", "hops", "sign"}``) and put the chain's findings on the
        refuting side.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning import find_conflicts
    >>> conflict = find_conflicts(MechGraph.load("tests/data/example-graph").model)[0]
    >>> conflict["kind"], conflict["assertion"]["id"], conflict["classification"], conflict["contexts"]
    ('mixed_evidence', 'a-x-increases-expression-p', 'context', ['species'])
    """
    finder = _Finder(model)
    found = []
    if "mixed_evidence" in kinds:
        found += finder.mixed()
    if "opposite_sign" in kinds or "opposite_verdict" in kinds:
        found += [c for c in finder.opposing() if c["kind"] in kinds]
    if "quantity" in kinds:
        found += finder.quantities()
    if "chain_sign" in kinds and topology is not None:
        found += finder.chain_signs(topology)
    if entity is not None:
        found = [c for c in found if entity in c["_entities"]]
    for c in found:
        del c["_entities"]
    return found


class _Finder:
    def __init__(self, model: Model):
        self.m = model
        self.family, self.enantiomers = families(model)

    # -- shapes ---------------------------------------------------------------------------
    def assertion_json(self, a: Assertion) -> dict:
        e = self.m.entities
        return {
            "id": a.id,
            "subject": e[a.subject].summary(),
            "predicate": a.predicate,
            "object": e[a.object].summary(),
            "sign": PREDICATES[a.predicate].sign,
            "context": {k: list(v) for k, v in a.context.items()},
            "score": assertion_score(self.m, a),
        }

    def finding_json(self, f: Finding, a: Assertion | None) -> dict:
        out = f.summary()
        out["context"] = {k: v for k, v in finding_context(self.m, f, a).items() if v}
        if a is not None:
            out["assertion"] = a.id
        return out

    def sides(self, kind: str, a: Assertion, pro: list[tuple[Finding, Assertion]],
              con: list[tuple[Finding, Assertion]], entities: set[str], *,
              opposing: Assertion | None = None, labels=("supporting", "refuting"),
              extra_difference: dict | None = None) -> dict:
        ctx_a = [finding_context(self.m, f, x) for f, x in pro]
        ctx_b = [finding_context(self.m, f, x) for f, x in con]
        diffs = differences(ctx_a, ctx_b, related=self.enantiomers)
        if extra_difference is not None:
            diffs.insert(0, extra_difference)
        item = {"kind": kind, "assertion": self.assertion_json(a)}
        if opposing is not None:
            item["opposing"] = self.assertion_json(opposing)
        item["supporting"] = [self.finding_json(f, x) for f, x in pro]
        item["refuting"] = [self.finding_json(f, x) for f, x in con]
        item["classification"] = "context" if diffs else "unexplained"
        item["contexts"] = [d["context"] for d in diffs]
        item["differences"] = [{"context": d["context"], "supporting": d["a"], "refuting": d["b"]} for d in diffs]
        sizes = ([n for f, _ in pro if (n := _size(f))], [n for f, _ in con if (n := _size(f))])
        levels = ([f.level for f, _ in pro], [f.level for f, _ in con])
        item["explanation"] = _explain(diffs, ctx_a, ctx_b, labels, sizes, levels)
        item["_entities"] = entities
        return item

    # -- one assertion, both sides ---------------------------------------------------------------
    def mixed(self) -> list[dict]:
        out = []
        for a in self.m.assertions.values():
            pro = [(f, a) for f in self._findings(a.supporting)]
            con = [(f, a) for f in self._findings(a.refuting)]
            if pro and con:
                item = self.sides("mixed_evidence", a, pro, con, self._involved(a))
                self._by_finding(item, a, pro, con)
                out.append(item)
        return out

    def _by_finding(self, item: dict, a: Assertion, pro, con) -> None:
        """Classify each dissenting finding on its own: against the supporting findings of
        the same study when there are any (a trial null at one week and positive at six),
        else against all supporting findings. When the two sides as wholes differ in no
        context but every dissenting finding does, the disagreement is explained by the
        union of those contexts."""
        ctx_all = [finding_context(self.m, f, x) for f, x in pro]
        rows = []
        for f, x in con:
            same = [(g, y) for g, y in pro if study_key(g) == study_key(f)]
            against = same or pro
            ctx = [finding_context(self.m, g, y) for g, y in against] if same else ctx_all
            diffs = differences(ctx, [finding_context(self.m, f, x)], related=self.enantiomers)
            rows.append({"finding": f.id, "compared_with": [g.id for g, _ in against], "same_study": bool(same),
                         "contexts": [d["context"] for d in diffs],
                         "differences": [{"context": d["context"], "supporting": d["a"], "refuting": d["b"]}
                                         for d in diffs]})
        item["by_finding"] = rows
        if item["contexts"] or len(rows) < 2 and not any(r["same_study"] for r in rows):
            return
        notes = []
        for r in rows:
            whom = ("the same study's supporting finding(s) " if r["same_study"] else "the supporting findings ")
            if r["differences"]:
                parts = "; ".join(f"{d['context'].replace('_', ' ')} ({', '.join(d['refuting'])} vs "
                                  f"{', '.join(d['supporting'])})" for d in r["differences"])
                notes.append(f"{r['finding']} differs from {whom}{', '.join(r['compared_with'])} in {parts}.")
            else:
                notes.append(f"{r['finding']}: no recorded context separates it from {whom.strip()}.")
        if all(r["contexts"] for r in rows):
            found = {c for r in rows for c in r["contexts"]}
            item["classification"] = "context"
            item["contexts"] = [d for d in (*DIMENSIONS, "enantiomer") if d in found]
            item["explanation"] = "Explained by context, finding by finding: " + " ".join(notes)
        else:
            item["explanation"] += " Finding by finding: " + " ".join(notes)

    # -- two assertions -----------------------------------------------------------------------------
    def opposing(self) -> list[dict]:
        groups: dict[tuple, list[Assertion]] = {}
        for a in self.m.assertions.values():
            if a.findings:
                family, _ = claim(a.predicate)
                groups.setdefault((self.family.get(a.subject, a.subject), a.object, family), []).append(a)
        out = []
        for members in groups.values():
            for a, b in combinations(members, 2):
                va, vb = _verdict(self.m, a), _verdict(self.m, b)
                if 0 in (va, vb) or (va < 0 and vb < 0):
                    continue  # undecided, or both refuted ("neither raises nor lowers")
                if claim(a.predicate)[1] * va == claim(b.predicate)[1] * vb:
                    continue  # they agree
                if va > 0 and vb > 0:
                    kind = "opposite_sign"
                    if claim(b.predicate)[1] > claim(a.predicate)[1]:
                        a, b = b, a
                else:
                    kind = "opposite_verdict"
                    if va < 0:
                        a, b = b, a
                pro = [(f, a) for f in self._findings(a.supporting)]
                con = [(f, b) for f in self._findings(b.supporting if kind == "opposite_sign" else b.refuting)]
                subjects = None
                if a.subject != b.subject and self.m.entities[a.subject].type != "Drug":
                    subjects = {"context": "subject", "a": [a.subject], "b": [b.subject]}
                out.append(self.sides(kind, a, pro, con, self._involved(a) | self._involved(b),
                                      opposing=b, extra_difference=subjects))
        out.sort(key=lambda c: (KINDS.index(c["kind"]), c["assertion"]["id"], c["opposing"]["id"]))
        return out

    # -- a drug's direct effect against its chains ---------------------------------------------------
    def chain_signs(self, topology, max_hops: int = 4) -> list[dict]:
        from .chains import mechanism_chains
        from ..model.relations import DRUG_TYPES
        out = []
        for a in self.m.assertions.values():
            subject = self.m.entities.get(a.subject)
            sign = PREDICATES[a.predicate].sign
            if subject is None or subject.type not in DRUG_TYPES or not sign or not a.supporting \
                    or self.m.relation_of(a) not in ("drug-effect", "drug-target") or _verdict(self.m, a) <= 0:
                continue
            chains = mechanism_chains(topology, self.m, a.subject, a.object, max_hops=max_hops, k=5,
                                      both_ways=False)
            for chain in chains:
                if len(chain["hops"]) < 2 or not chain["sign"] or chain["sign"] == sign:
                    continue
                steps = [self.m.assertions[h["assertion"]] for h in chain["hops"]]
                pro = [(f, a) for f in self._findings(a.supporting)]
                con = [(f, step) for step in steps for f in self._findings(step.supporting)]
                involved = self._involved(a).union(*(self._involved(step) for step in steps))
                item = self.sides("chain_sign", a, pro, con, involved, labels=("direct effect", "chain"))
                item["chain"] = {"nodes": chain["nodes"], "hops": [h["assertion"] for h in chain["hops"]],
                                 "sign": chain["sign"]}
                out.append(item)
        out.sort(key=lambda c: (c["assertion"]["id"], c["chain"]["nodes"]))
        return out

    # -- quantities --------------------------------------------------------------------------------
    def quantities(self) -> list[dict]:
        backs: dict[str, list[Assertion]] = {}
        for a in self.m.assertions.values():
            for fid in a.findings:
                backs.setdefault(fid, []).append(a)
        groups: dict[tuple, list[tuple]] = {}
        for f in self.m.findings.values():
            if not f.quantities:
                continue
            assertions = backs.get(f.id, [])
            entities = [a.subject for a in assertions] + ([f.drug] if f.drug else []) + list(f.about)
            for q in f.quantities:
                quals = tuple(sorted((normalise(k), normalise(v)) for k, v in q.qualifiers.items()))
                for ent in dict.fromkeys(entities):
                    groups.setdefault((ent, normalise(q.name), quals), []).append((f, q, assertions))
        out, seen = [], set()
        for (ent, _, _), members in groups.items():
            values: dict[tuple, list[tuple]] = {}
            for f, q, assertions in members:
                values.setdefault(_value_key(q), []).append((f, q, assertions))
            keys = list(values)
            clashing = [(x, y) for x, y in combinations(keys, 2) if not _overlap(x, y)]
            if not clashing:
                continue
            ids = frozenset(f.id for f, _, _ in members)
            q0 = members[0][1]
            signature = (ids, normalise(q0.name))
            if signature in seen:
                continue
            seen.add(signature)
            out.append(self._quantity_item(ent, q0, values, clashing))
        return out

    def _quantity_item(self, ent: str, q0, values: dict, clashing: list) -> dict:
        def ctxs(key):
            return [finding_context(self.m, f, (a[0] if a else None)) for f, _, a in values[key]]

        names = None
        for x, y in clashing:
            found = {d["context"]: d for d in differences(ctxs(x), ctxs(y), related=self.enantiomers)}
            names = set(found) if names is None else names & set(found)
        first, second = clashing[0]
        diffs = [d for d in differences(ctxs(first), ctxs(second), related=self.enantiomers)
                 if d["context"] in (names or set())]
        sources = sorted({f.source for members in values.values() for f, _, _ in members})
        listing = []
        for members in values.values():
            q = members[0][1]
            listing.append({"value": q.value, "low": q.low, "high": q.high, "unit": q.unit,
                            "sources": sorted({f.source for f, _, _ in members}),
                            "findings": [self.finding_json(f, a[0] if a else None) for f, _, a in members]})
        shown = " vs ".join(f"{v['value']} ({', '.join(v['sources'])})" for v in listing)
        text = f"{q0.name} differs: {shown}. "
        text += _explain(diffs, ctxs(first), ctxs(second), ("first value", "second value"))
        involved = {ent} | {a.subject for members in values.values() for _, _, al in members for a in al}
        return {
            "kind": "quantity",
            "assertion": {"entity": self.m.entities[ent].summary(), "quantity": q0.name,
                          "qualifiers": dict(q0.qualifiers),
                          "assertions": sorted({a.id for members in values.values()
                                                for _, _, al in members for a in al})},
            "supporting": [],
            "refuting": [],
            "values": listing,
            "sources": sources,
            "classification": "context" if diffs else "unexplained",
            "contexts": [d["context"] for d in diffs],
            "differences": [{"context": d["context"], "supporting": d["a"], "refuting": d["b"]} for d in diffs],
            "explanation": text,
            "_entities": involved,
        }

    # -- helpers -------------------------------------------------------------------------------------
    def _findings(self, ids) -> list[Finding]:
        return [self.m.findings[i] for i in ids if i in self.m.findings]

    def _involved(self, a: Assertion) -> set[str]:
        ids = {a.subject, a.object, *a.context.get("drug", ())}
        ids.update(i.drug for f in self._findings(a.findings) for i in f.interventions)
        return ids


def _verdict(model: Model, a: Assertion) -> int:
    """+1 when an assertion's evidence for outweighs its evidence against (independent
    studies weighted by level, as in the score), -1 when the reverse, 0 on a tie."""
    pro = sum(study_weights(model, a.supporting))
    con = sum(study_weights(model, a.refuting, against=True))
    return (pro > con) - (pro < con)


def _value_key(q) -> tuple:
    if q.low is None and q.high is None:
        return ("text", normalise(q.value), q.unit)
    return ("range", q.low if q.low is not None else float("-inf"),
            q.high if q.high is not None else float("inf"), q.unit)


def _overlap(x: tuple, y: tuple) -> bool:
    if x[0] == "text" or y[0] == "text":
        return x == y
    return x[1] <= y[2] and y[1] <= x[2]


def _explain(diffs: list[dict], ctx_a: list[dict], ctx_b: list[dict], labels: tuple[str, str],
             sizes: tuple[list[int], list[int]] = ([], []), levels: tuple[list[str], list[str]] = ([], [])) -> str:
    """One paragraph: what separates the sides, what they share, and leads for an
    unexplained disagreement (a context stated on one side only, different sample sizes)."""
    if diffs:
        parts = [f"{d['context'].replace('_', ' ')} ({', '.join(d['a'])} vs {', '.join(d['b'])})" for d in diffs]
        text = f"Explained by context: the {labels[0]} and {labels[1]} sides differ in " + "; ".join(parts) + "."
    else:
        text = "Unexplained: no recorded context separates the two sides."
    agree = shared(ctx_a, ctx_b)
    if agree:
        text += " They share " + ", ".join(a.replace("_", " ") for a in agree) + "."
    if not diffs:
        for dim in DIMENSIONS:
            if dim == "setting":
                continue
            a = [v for c in ctx_a for v in c.get(dim, ())]
            b = [v for c in ctx_b for v in c.get(dim, ())]
            if bool(a) != bool(b):
                side, values = (labels[0], a) if a else (labels[1], b)
                text += f" Only the {side} side states {dim.replace('_', ' ')} ({', '.join(dict.fromkeys(values))})."
    if not diffs and levels[0] and levels[1]:
        text += (f" Evidence levels: {', '.join(dict.fromkeys(levels[0]))} ({labels[0]})"
                 f" vs {', '.join(dict.fromkeys(levels[1]))} ({labels[1]}).")
    a_n, b_n = sizes
    if a_n and b_n and (max(a_n) < min(b_n) or max(b_n) < min(a_n)):
        (side, few), many = ((labels[0], a_n), b_n) if max(a_n) < min(b_n) else ((labels[1], b_n), a_n)
        text += (f" The {side} side's studies are smaller (n = {', '.join(map(str, sorted(set(few))))}"
                 f" vs {', '.join(map(str, sorted(set(many))))}).")
    return text


def _size(finding: Finding) -> int | None:
    """A finding's number of participants or animals: ``n.total`` or the sum of its counts."""
    if not finding.n:
        return None
    return finding.n.get("total", sum(finding.n.values()))
