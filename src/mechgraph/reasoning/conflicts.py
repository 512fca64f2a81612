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

from array import array
from collections.abc import Container, Iterable, Iterator
from typing import Any
from itertools import chain as chained, combinations

from ..model.constants import PREDICATES
from .contexts import DIMENSIONS, differences, finding_context, shared
from .evidence import assertion_score, study_key, study_weights
from ..model.families import NAMED_FAMILIES, WordSets, families, label_words
from ..model.core import Assertion, Finding, Model
from ..model.names import normalise
from ..store.recordfile import one_pass, positional
from ..store.topology import TYPES

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
        The graph's topology; ``chain_sign`` needs it and is skipped without it. With it
        the records are read once (a pass over the assertions, and one over the findings
        for ``quantity``), and only the assertions that could take part are read again.

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
    if topology is not None:
        found = _whole_graph(model, topology, kinds)
    else:  # each kind walks the records itself
        finder = _Finder(model)
        found = finder.mixed() if "mixed_evidence" in kinds else []
        if "opposite_sign" in kinds or "opposite_verdict" in kinds:
            found += [c for c in finder.opposing() if c["kind"] in kinds]
        if "quantity" in kinds:
            found += finder.quantities()
    if entity is not None:
        found = [c for c in found if entity in c["_entities"]]
    for c in found:
        del c["_entities"]
    return found


def conflicts_touching(model: Model, topology, assertions: Iterable[str], *,
                       edges: Iterable[int] | None = None) -> list[dict]:
    """The disagreements of :func:`find_conflicts` (given the topology) that name one of
    ``assertions``, found around those assertions instead of over the whole graph.

    An item names an assertion as its own, as the opposing one, or as a step of its chain
    (``quantity`` items name none of their own and are never among them). The items and
    their order are those of ``find_conflicts(model, topology=topology)`` kept when they
    name one of ``assertions``: each side's evidence is read the same way, only the
    assertions that could take part are visited (those between the same entities for the
    two-assertion kinds; for ``chain_sign``, the drug assertions whose chains of at most
    four steps could pass through one of them), and the families of related subjects and
    enantiomers are followed from the entities asked about.

    Parameters
    ----------
    model : Model
        The graph's records.
    topology : Topology
        The graph's topology (its edges in the model's assertion order).
    assertions : iterable of str
        Assertion ids; unknown ids are ignored.
    edges : iterable of int, optional
        The topology's edges of those assertions, when known (saves looking their ids up).

    Returns
    -------
    list of dict
        Items in the :func:`find_conflicts` shape.

    Examples
    --------
    >>> from mechgraph import MechGraph
    >>> from mechgraph.reasoning.conflicts import conflicts_touching
    >>> g = MechGraph.load("tests/data/example-graph")
    >>> [c["kind"] for c in conflicts_touching(g.model, g.topology, ["a-x-increases-expression-p"])]
    ['mixed_evidence']
    """
    t = topology
    wanted = set(assertions)
    if edges is None:
        numbers = sorted(e for aid in wanted if (e := _edge_of(model, t, aid)) is not None)
    else:
        numbers = sorted(set(edges))
    finder = _Finder(model, topology)
    records = [finder.at(e) for e in numbers]
    found = finder.mixed(records)
    found += finder.opposing(finder.groups_around(t, numbers), only=wanted)
    found += [c for c in finder.chain_signs(t, assertions=finder.chain_sign_candidates(t, numbers))
              if c["assertion"]["id"] in wanted or wanted.intersection(c["chain"]["hops"])]
    for c in found:
        del c["_entities"]
    return found


def _whole_graph(model: Model, topology, kinds) -> list[dict]:
    """:func:`find_conflicts` given the topology: what one pass over the records tells
    (:class:`_Survey`) chooses the assertions each kind reads again; the families of
    related subjects and enantiomers are followed from the entities met, as
    :func:`conflicts_touching` follows them."""
    t = topology
    finder = _Finder(model, t)
    survey = _Survey(model, t, kinds)
    found = finder.mixed(finder.at(e) for e in survey.mixed) if "mixed_evidence" in kinds else []
    if "opposite_sign" in kinds or "opposite_verdict" in kinds:
        found += [c for c in finder.opposing(finder.groups_by_object(t, survey.claims)) if c["kind"] in kinds]
    if "quantity" in kinds:
        found += finder.quantities(survey.quantified, survey.backs)
    if "chain_sign" in kinds:
        by_drug = sorted(survey.effects, key=lambda e: (t.subject[e], e))
        found += finder.chain_signs(t, assertions=(finder.at(e) for e in by_drug), keep_searches=False)
    return found


class _Survey:
    """What one pass over a graph's assertions (and, for ``quantity``, one over its
    findings) tells each kind of disagreement, as edge numbers of the topology (the
    assertions' positions)."""

    def __init__(self, model: Model, topology, kinds):
        from ..model.relations import DRUG_TYPES
        t = topology
        #: assertions with findings on both sides (``mixed_evidence``)
        self.mixed: list[int] = []
        #: edge -> a number for the claim family of its predicate; -1 for an assertion without findings
        self.claims = array("i")
        #: the signed, supported assertions of a drug (``chain_sign`` reads them for a direct effect)
        self.effects: list[int] = []
        #: the findings with quantities, and the assertions listing each (``quantity``)
        self.quantified = [f for f in one_pass(model.findings) if f.quantities] if "quantity" in kinds else []
        self.backs: dict[str, list[Assertion]] = {}
        wanted = {f.id for f in self.quantified}
        numbers: dict[str, int] = {}
        for e, a in enumerate(one_pass(model.assertions)):
            if a.supporting and a.refuting:
                self.mixed.append(e)
            self.claims.append(numbers.setdefault(claim(a.predicate)[0], len(numbers)) if a.findings else -1)
            if a.supporting and PREDICATES[a.predicate].sign and t.type_of(t.subject[e]) in DRUG_TYPES:
                self.effects.append(e)
            if wanted:
                for fid in a.findings:
                    if fid in wanted:
                        self.backs.setdefault(fid, []).append(a)


def _edge_of(model: Model, topology, aid: str) -> int | None:
    """The topology's edge of an assertion id, or None."""
    a = model.assertions.get(aid)
    if a is None or a.subject not in topology.index or a.object not in topology.index:
        return None
    obj = topology.index[a.object]
    for edge in topology.out_of(topology.index[a.subject]):
        if topology.object[edge] == obj and topology.edge_key(edge) == aid:
            return edge
    return None


class _NearFamilies:
    """What :func:`~mechgraph.model.families.families` tells, answered for the entities asked
    about: a drug's enantiomers and racemate through the ``enantiomer_of`` and ``part_of``
    assertions around it, and a subject's family through those and the names of the
    entities of its type (indexed on first need). As a container it holds the enantiomer
    pairs (``frozenset({x, y}) in near``), as the set ``families`` returns does."""

    def __init__(self, model: Model, topology):
        self.m, self.t = model, topology
        self.at = positional(model.assertions)  # edge -> its assertion (edges are in assertion order)
        self._chiral: dict[str, frozenset[str]] = {}
        self._family: dict[str, frozenset[str]] = {}
        self._names: dict[str, tuple[list[str], dict[str, int], WordSets]] = {}
        self._types: dict[str, str | None] = {}
        self._linked: dict[str, list[str]] = {}

    def __contains__(self, pair: object) -> bool:
        if not isinstance(pair, frozenset) or len(pair) != 2:
            return False
        x, y = pair
        return y in self.chiral(x)

    def __bool__(self) -> bool:
        # differences() asks whether any pair is known before asking about its own pairs,
        # which are then all known or not: answering "yes" changes nothing
        return True

    def _type(self, entity: str) -> str | None:
        if entity in self._types:
            return self._types[entity]
        found = self.m.entities.get(entity)
        kind = self._types[entity] = found.type if found is not None else None
        return kind

    def _links(self, drug: str) -> list[str]:
        """The drugs a supported ``enantiomer_of`` or ``part_of`` assertion links to ``drug``
        (worked out once per drug)."""
        out = self._linked.get(drug)
        if out is None:
            out = self._linked[drug] = self._find_links(drug)
        return out

    def _find_links(self, drug: str) -> list[str]:
        t, node = self.t, self.t.index.get(drug)
        out: list[str] = []
        if node is None or self._type(drug) != "Drug":
            return out
        for edge in chained(t.out_of(node), t.into(node)):
            if t.type_of(t.subject[edge]) != "Drug" or t.type_of(t.object[edge]) != "Drug":
                continue
            a = self.at(edge)
            if a.predicate in ("enantiomer_of", "part_of") and a.supporting and self._type(a.subject) == "Drug" \
                    and self._type(a.object) == "Drug":
                out.append(a.object if a.subject == drug else a.subject)
        return out

    def _component(self, start: str, links) -> frozenset[str]:
        seen, todo = {start}, [start]
        while todo:
            for other in links(todo.pop()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return frozenset(seen)

    def chiral(self, drug: str) -> frozenset[str]:
        """The drugs linked to ``drug`` by enantiomer and racemate assertions, itself included."""
        found = self._chiral.get(drug)
        if found is None:
            found = self._component(drug, self._links)
            for member in found:
                self._chiral[member] = found
        return found

    def _named(self, entity: str) -> list[str]:
        """The entities of ``entity``'s type whose label words include, or are included in, its own."""
        kind = self._type(entity)
        assert kind is not None
        if kind not in self._names:
            t, entities = self.t, self.m.entities
            code = TYPES.index(kind)
            ids = [t.nodes[n] for n in range(len(t.nodes)) if t.types[n] == code]
            sets = WordSets([label_words(entities[i]) for i in ids])
            self._names[kind] = (ids, {i: n for n, i in enumerate(ids)}, sets)
        ids, position, sets = self._names[kind]
        return [ids[n] for n in sorted(sets.related(position[entity]))]

    def same(self, x: str, y: str) -> bool:
        """Whether two subjects make the same claim: one entity, or one family."""
        if x == y:
            return True
        kind = self._type(x)
        if kind not in NAMED_FAMILIES or kind != self._type(y):
            return False
        found = self._family.get(x)
        if found is None:
            found = self._component(x, lambda e: [*self._links(e), *self._named(e)])
            for member in found:
                self._family[member] = found
        return y in found


class _Finder:
    def __init__(self, model: Model, topology=None):
        self.m = model
        self.near: _NearFamilies | None = None
        self._verdicts: dict[str, int] = {}
        self._searches: dict[tuple[int, int], Any] = {}
        self._rows: dict[int, dict[int, dict[int, int]]] = {}  # start -> its searches' shared rows
        self.enantiomers: Container[frozenset]
        if topology is None:
            self.family, self.enantiomers = families(model)
        else:  # around the assertions asked about (conflicts_touching)
            self.family, self.near = {}, _NearFamilies(model, topology)
            self.enantiomers = self.near
            self.at = self.near.at

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
    def mixed(self, assertions: Iterable[Assertion] | None = None) -> list[dict]:
        out = []
        for a in self.m.assertions.values() if assertions is None else assertions:
            if not a.supporting or not a.refuting:
                continue  # one side has no findings
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
    def opposing(self, groups: Iterable[list[Assertion]] | None = None, only: set[str] | None = None) -> list[dict]:
        """Pairs of assertions of one claim that disagree; ``groups`` (default: every group of
        the graph) holds the assertions with findings of one subject family, object and claim,
        in the model's order; with ``only``, just the pairs naming one of those ids."""
        if groups is None:
            grouped: dict[tuple, list[Assertion]] = {}
            for a in self.m.assertions.values():
                if a.findings:
                    family, _ = claim(a.predicate)
                    grouped.setdefault((self.family.get(a.subject, a.subject), a.object, family), []).append(a)
            groups = grouped.values()
        out = []
        for members in groups:
            for a, b in combinations(members, 2):
                if only is not None and a.id not in only and b.id not in only:
                    continue
                va, vb = self.verdict(a), self.verdict(b)
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

    def groups_around(self, topology, edges: list[int]) -> list[list[Assertion]]:
        """The groups of :meth:`opposing` that hold one of the assertions of ``edges`` (in the
        model's order): for each, the assertions into its object with findings, the same claim
        and a subject of the same family."""
        assert self.near is not None
        t = topology
        groups: dict[tuple[str, ...], list[Assertion]] = {}
        for e in edges:
            a = self.at(e)
            if not a.findings:
                continue
            family = claim(a.predicate)[0]
            members = []
            for edge in t.into(t.object[e]):
                b = a if edge == e else self.at(edge)
                if b.findings and claim(b.predicate)[0] == family and self.near.same(a.subject, b.subject):
                    members.append(b)
            groups.setdefault(tuple(b.id for b in members), members)
        return list(groups.values())

    def groups_by_object(self, topology, claims: array) -> Iterator[list[Assertion]]:
        """The groups of :meth:`opposing` of two assertions or more, over the whole graph:
        the assertions into each entity with findings (``claims[edge]`` the number of their
        claim family, -1 without findings), by claim family and subject family."""
        assert self.near is not None
        t, near = topology, self.near
        for node in range(len(t.nodes)):
            by_claim: dict[int, list[int]] = {}
            for edge in t.into(node):
                if claims[edge] >= 0:
                    by_claim.setdefault(claims[edge], []).append(edge)
            for edges in by_claim.values():
                while len(edges) > 1:
                    first = t.nodes[t.subject[edges[0]]]
                    members: list[int] = []
                    others: list[int] = []
                    for edge in edges:
                        (members if near.same(first, t.nodes[t.subject[edge]]) else others).append(edge)
                    if len(members) > 1:
                        yield [self.at(e) for e in members]
                    edges = others

    # -- a drug's direct effect against its chains ---------------------------------------------------
    def chain_sign_candidates(self, topology, edges: list[int], max_hops: int = 4) -> list[Assertion]:
        """The drug effects (:meth:`_direct_effect`) that are one of ``edges`` or whose chains of
        at most ``max_hops`` steps could pass through one of them, in the model's order (a
        superset of those whose chains do).

        A drug whose effect could qualify reaches the subject of one of ``edges``, and the
        effect's end is reached from its object, in few enough steps through entities a chain
        may pass; such an effect is kept when, under its own chain search, the edge is the
        step between its two ends and the drug's steps reach the edge's subject, and the
        edge's object reaches the end, in at most ``max_hops`` steps with the edge."""
        from .chains import NOT_THROUGH
        from ..model.relations import DRUG_TYPES
        t = topology
        from .chains import may_step
        steps = [e for e in edges if may_step(t, e)]
        before = _steps_away(t, {t.subject[e] for e in steps}, max_hops - 1, backward=True, closed=NOT_THROUGH)
        after = _steps_away(t, {t.object[e] for e in steps}, max_hops - 1, backward=False, closed=NOT_THROUGH)
        inside = set(edges)
        found = {e for e in edges if t.type_of(t.subject[e]) in DRUG_TYPES}
        for node, away in before.items():
            if t.type_of(node) not in DRUG_TYPES:
                continue
            for edge in t.out_of(node):
                end = after.get(t.object[edge])
                if end is not None and away + 1 + end <= max_hops:
                    found.add(edge)
        out = []
        for edge in sorted(found):
            a = self.at(edge)
            if self._direct_effect(a) and (edge in inside or _passes_through(
                    self.search(t, t.subject[edge], t.object[edge]), steps, max_hops)):
                out.append(a)
        return out

    def _direct_effect(self, a: Assertion) -> bool:
        """Whether ``a`` is a drug's signed, supported effect that ``chain_signs`` compares with its chains."""
        from ..model.relations import DRUG_TYPES
        subject = self.m.entities.get(a.subject)
        return subject is not None and subject.type in DRUG_TYPES and bool(PREDICATES[a.predicate].sign) \
            and bool(a.supporting) and self.m.relation_of(a) in ("drug-effect", "drug-target") \
            and self.verdict(a) > 0

    def chain_signs(self, topology, max_hops: int = 4, assertions: Iterable[Assertion] | None = None, *,
                    keep_searches: bool = True) -> list[dict]:
        """Drug effects whose chains compose to the other sign; without ``keep_searches`` the
        chain searches from one drug are let go when the next drug's effects begin (the
        whole graph's would grow with it, and none is asked for again)."""
        out = []
        last = None
        for a in self.m.assertions.values() if assertions is None else assertions:
            if not keep_searches and a.subject != last:
                self._searches.clear()
                self._rows.clear()
                last = a.subject
            if not self._direct_effect(a):
                continue
            sign = PREDICATES[a.predicate].sign
            for nodes, hops, chain_sign in self._signed_chains(topology, a, max_hops):
                if len(hops) < 2 or not chain_sign or chain_sign == sign:
                    continue
                steps = [self.m.assertions[h] for h in hops]
                pro = [(f, a) for f in self._findings(a.supporting)]
                con = [(f, step) for step in steps for f in self._findings(step.supporting)]
                involved = self._involved(a).union(*(self._involved(step) for step in steps))
                item = self.sides("chain_sign", a, pro, con, involved, labels=("direct effect", "chain"))
                item["chain"] = {"nodes": nodes, "hops": hops, "sign": chain_sign}
                out.append(item)
        out.sort(key=lambda c: (c["assertion"]["id"], c["chain"]["nodes"]))
        return out

    def _signed_chains(self, topology, a: Assertion, max_hops: int) -> list[tuple[list[str], list[str], str | None]]:
        """The five best chains from a drug effect's subject to its object: ``(nodes, assertion
        ids, sign)`` each. Over the whole graph they are :func:`~mechgraph.reasoning.chains.mechanism_chains`'s;
        around chosen assertions the same chains, ranked on the topology's arrays and read
        only for their steps' signs."""
        from .chains import mechanism_chains, ranked_chain_edges
        from .connections import net_sign
        if self.near is None:
            return [(c["nodes"], [h["assertion"] for h in c["hops"]], c["sign"])
                    for c in mechanism_chains(topology, self.m, a.subject, a.object, max_hops=max_hops, k=5,
                                              both_ways=False)]
        t, out = topology, []
        start, end = t.index[a.subject], t.index[a.object]
        for nodes, edges in ranked_chain_edges(t, start, end, max_hops=max_hops, k=5,
                                               search=self.search(t, start, end)):
            signs = [t.edge_data(e)["sign"] for e in edges]
            out.append(([t.nodes[n] for n in nodes], [t.edge_key(e) for e in edges],
                        net_sign(signs) if all(signs) else None))
        return out

    # -- quantities --------------------------------------------------------------------------------
    def quantities(self, quantified: Iterable[Finding] | None = None,
                   backs: dict[str, list[Assertion]] | None = None) -> list[dict]:
        """Values of one quantity that differ; ``quantified`` (default: the graph's) are the
        findings with quantities, in the model's order, and ``backs`` the assertions listing
        each of them."""
        if backs is None:
            backs = {}
            for a in self.m.assertions.values():
                for fid in a.findings:
                    backs.setdefault(fid, []).append(a)
        groups: dict[tuple, list[tuple]] = {}
        for f in self.m.findings.values() if quantified is None else quantified:
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
    def verdict(self, a: Assertion) -> int:
        """:func:`_verdict` of an assertion, worked out once."""
        found = self._verdicts.get(a.id)
        if found is None:
            found = self._verdicts[a.id] = _verdict(self.m, a)
        return found

    def search(self, topology, start: int, end: int):
        """The chain search from ``start`` to ``end`` without evidence filters, one per pair of
        ends (its steps are worked out once for the candidates and their chains alike, and the
        edges from each entity once for every search from the same start)."""
        found = self._searches.get((start, end))
        if found is None:
            from .chains import ChainSearch
            found = self._searches[(start, end)] = ChainSearch(topology, start, end,
                                                               rows=self._rows.setdefault(start, {}))
        return found

    def _findings(self, ids) -> list[Finding]:
        return [self.m.findings[i] for i in ids if i in self.m.findings]

    def _involved(self, a: Assertion) -> set[str]:
        ids = {a.subject, a.object, *a.context.get("drug", ())}
        ids.update(i.drug for f in self._findings(a.findings) for i in f.interventions)
        return ids


def _passes_through(search, edges: list[int], max_hops: int) -> bool:
    """Whether a chain of at most ``max_hops`` steps between the ends of ``search`` (the chain
    search between a drug effect's ends without evidence filters, as
    :func:`~mechgraph.reasoning.chains.mechanism_chains` searches it) could have one of
    ``edges`` as a step: the edge is the search's step between its ends, the start reaches its
    subject and its object reaches the end in few enough steps."""
    t = search.t
    subjects = {t.subject[e] for e in edges}
    from_start = search.distances_from_start(max_hops - 1, until=subjects.issubset)
    near = [e for e in edges if t.subject[e] in from_start and search.steps(t.subject[e]).get(t.object[e]) == e]
    if not near:
        return False
    to_end = search.distances_to_end(max(max_hops - 1 - from_start[t.subject[e]] for e in near))
    return any(t.object[e] in to_end and from_start[t.subject[e]] + 1 + to_end[t.object[e]] <= max_hops
               for e in near)


def _steps_away(topology, starts: set[int], limit: int, *, backward: bool, closed) -> dict[int, int]:
    """Entity -> the fewest steps (at most ``limit``) between it and one of ``starts``, along
    edges into them (``backward``) or out of them that may be chain steps
    (:func:`~mechgraph.reasoning.chains.may_step`), going on only through entities whose type
    is not in ``closed``."""
    from .chains import may_step
    t = topology
    dist = dict.fromkeys(starts, 0)
    frontier = list(starts)
    for depth in range(1, limit + 1):
        nxt = []
        for node in frontier:
            if t.type_of(node) in closed:
                continue
            for edge in (t.into(node) if backward else t.out_of(node)):
                other = t.subject[edge] if backward else t.object[edge]
                if other not in dist and may_step(t, edge):
                    dist[other] = depth
                    nxt.append(other)
        frontier = nxt
    return dist


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
