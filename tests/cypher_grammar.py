"""Hypothesis strategies for small random property graphs and random read-only Cypher.

Graphs have up to six nodes labelled from ``A``/``B`` with an integer ``id`` (unique),
and sometimes ``v`` (a number, possibly fractional or negative) and ``s`` (a short
string); up to ten ``R``/``S`` relationships, self loops and parallel ones included, with
an optional integer ``w``. Queries come from a grammar over those names: patterns with
labels, property maps, directions and variable length; OPTIONAL MATCH; WHERE with null
logic; WITH and aggregation; UNWIND; DISTINCT; list and string functions; ORDER BY with
SKIP and LIMIT. Every query returns scalars only, so any two engines' rows can be compared
as plain values; a query whose order is not total is compared as a multiset.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

LABELS = ("A", "B")
TYPES = ("R", "S")
NUMBERS = (-1, 0, 1, 2, 2.5, -0.5)
STRINGS = ("", "a", "b", "ab", "ba")


@dataclass(frozen=True)
class RandomGraph:
    """``nodes``: (labels, properties); ``relationships``: (type, start index, end index, properties)."""

    nodes: tuple[tuple[tuple[str, ...], dict], ...]
    relationships: tuple[tuple[str, int, int, dict], ...]


@st.composite
def graphs(draw) -> RandomGraph:
    count = draw(st.integers(1, 6))
    nodes = []
    for i in range(count):
        labels = tuple(label for label in LABELS if draw(st.booleans()))
        props: dict = {"id": i}
        if draw(st.booleans()):
            props["v"] = draw(st.sampled_from(NUMBERS))
        if draw(st.booleans()):
            props["s"] = draw(st.sampled_from(STRINGS))
        nodes.append((labels, props))
    relationships = []
    for _ in range(draw(st.integers(0, 10))):
        props = {"w": draw(st.integers(0, 3))} if draw(st.booleans()) else {}
        relationships.append((draw(st.sampled_from(TYPES)), draw(st.integers(0, count - 1)),
                              draw(st.integers(0, count - 1)), props))
    return RandomGraph(tuple(nodes), tuple(relationships))


def embedded_engine(graph: RandomGraph):
    """The embedded engine over a RandomGraph (element ids: the node's position, ``r`` + the relationship's)."""
    from mechgraph.cypher.engine import Engine
    from mechgraph.cypher.matching import GraphIndex
    from mechgraph.cypher.values import Node, Relationship
    nodes = [Node(str(i), labels, dict(props)) for i, (labels, props) in enumerate(graph.nodes)]
    rels = [Relationship(f"r{i}", t, dict(p), nodes[s], nodes[e]) for i, (t, s, e, p) in enumerate(graph.relationships)]
    return Engine.from_index(GraphIndex(nodes, rels))


def _literal(draw) -> str:
    return draw(st.sampled_from(["null", "0", "1", "2", "-1", "2.5", "'a'", "'ab'", "''", "true", "false"]))


def _node(draw, var: str, fresh: bool) -> str:
    label = draw(st.sampled_from(["", ":A", ":B", ":A:B"])) if fresh else ""
    props = ""
    if fresh and draw(st.integers(0, 5)) == 0:
        props = " {" + draw(st.sampled_from(["id: 0", "id: 1", "v: 1", "s: 'a'", "v: null"])) + "}"
    return f"({var}{label}{props})"


def _relationship(draw, var: str | None) -> str:
    rtype = draw(st.sampled_from(["", ":R", ":S", ":R|S"]))
    length = draw(st.sampled_from(["", "", "", "*1..2", "*0..1", "*2"]))
    inner = f"{var or ''}{rtype}{length}" if not length else f"{rtype}{length}"
    left, right = draw(st.sampled_from([("-", "->"), ("<-", "-"), ("-", "-")]))
    return f"{left}[{inner}]{right}"


def _number(draw, nodes: list[str], rels: list[str], safe: bool = False) -> str:
    """A numeric (or null) expression; one that cannot raise when ``safe`` (inside a predicate,
    where Neo4j may reorder or short-circuit evaluation, so an error there is not defined)."""
    choices = [f"{n}.id" for n in nodes] + [f"{n}.v" for n in nodes] + [f"{r}.w" for r in rels]
    choices += ["1", "-2", "0.5"]
    base = draw(st.sampled_from(choices))
    form = draw(st.integers(0, 11))
    if form == 0:
        op = draw(st.sampled_from(['+', '-', '*', '/', '%', '^']))
        if op in "/%":  # Neo4j raises "/ by zero" even for null / 0; openCypher (and mechgraph) give null
            divisor = draw(st.sampled_from(["2", "-1", "0.5"] + ([] if safe else ["0", "0.0"])))
            if divisor == "0":
                base = draw(st.sampled_from([f"{n}.id" for n in nodes] + ["7"]))
            return f"({base} {op} {divisor})"
        return f"({base} {op} {draw(st.sampled_from(choices))})"
    if form == 7:
        return draw(st.sampled_from([f"toInteger({base})", f"toFloat({base})", f"round({base})", f"sign({base})",
                                     f"ceil({base})", f"floor({base})"]))
    if form == 8 and nodes:
        return f"toInteger({draw(st.sampled_from(nodes))}.s)"
    if form == 9 and nodes:
        return f"[10, 20, 30][{draw(st.sampled_from(nodes))}.id]"
    if form == 10:
        return f"CASE WHEN {_predicate(draw, nodes, rels, 2)} THEN {base} ELSE -1 END"
    if form == 11 and nodes and not safe:
        return f"size(toUpper({draw(st.sampled_from(nodes))}.v))"  # a type error where v is a number
    if form == 1:
        return f"coalesce({base}, {draw(st.sampled_from(['0', '-1', '9']))})"
    if form == 2:
        return f"abs({base})"
    if form == 3 and nodes:
        return f"size({draw(st.sampled_from(nodes))}.s)"
    return base


def _text(draw, nodes: list[str], rels: list[str]) -> str:
    choices = [f"{n}.s" for n in nodes] + ["'a'", "'xyz'"] + [f"type({r})" for r in rels]
    base = draw(st.sampled_from(choices))
    form = draw(st.integers(0, 9))
    if form == 6:
        return draw(st.sampled_from([f"left(coalesce({base}, 'abc'), 2)", f"trim(' ' + {base})",
                                     f"replace({base}, 'a', 'xy')", f"lTrim({base})", f"right({base}, 1)"]))
    if form == 8 and nodes:
        return f"toString({draw(st.sampled_from(nodes))}.v)"
    if form == 0:
        return f"toUpper({base})"
    if form == 1:
        return f"({base} + {draw(st.sampled_from(choices))})"
    if form == 2:
        return f"substring(coalesce({base}, 'abc'), 1)"
    if form == 3:
        return f"reverse({base})"
    if form == 4 and nodes:
        return f"toString({draw(st.sampled_from(nodes))}.id)"
    return base


def _predicate(draw, nodes: list[str], rels: list[str], depth: int = 0) -> str:
    form = draw(st.integers(0, 9 if depth < 2 else 5))
    if form <= 1:
        op = draw(st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
        return f"{_number(draw, nodes, rels, safe=True)} {op} {draw(st.sampled_from(['0', '1', '2', 'null', '1.5']))}"
    if form == 2:
        what = draw(st.sampled_from([f"{n}.{p}" for n in nodes for p in ("v", "s")] + [f"{r}.w" for r in rels]))
        return f"{what} IS {draw(st.sampled_from(['NULL', 'NOT NULL']))}"
    if form == 3:
        op = draw(st.sampled_from(["STARTS WITH", "ENDS WITH", "CONTAINS", "=", "<"]))
        return f"{_text(draw, nodes, rels)} {op} {draw(st.sampled_from(['a', 'b', '']).map(repr))}"
    if form == 4 and nodes:
        return f"{draw(st.sampled_from(nodes))}.id IN {draw(st.sampled_from(['[0, 1]', '[2, null]', '[]']))}"
    if form == 5 and nodes:
        return f"{draw(st.sampled_from(nodes))}:{draw(st.sampled_from(LABELS))}"
    if form in (6, 7):
        op = draw(st.sampled_from(["AND", "OR", "XOR"]))
        return f"({_predicate(draw, nodes, rels, depth + 1)} {op} {_predicate(draw, nodes, rels, depth + 1)})"
    if form == 8:
        return f"NOT ({_predicate(draw, nodes, rels, depth + 1)})"
    if form == 9 and len(nodes) > 1:
        quant = draw(st.sampled_from(["any", "all", "none", "single"]))
        values = ", ".join(f"{n}.v" for n in nodes)
        return f"{quant}(x IN [{values}] WHERE x > {draw(st.sampled_from(['0', '1', 'null']))})"
    return draw(st.sampled_from(["true", "false", "null"]))


def _scalar(draw, nodes: list[str], rels: list[str], lists: list[str]) -> str:
    form = draw(st.integers(0, 5))
    if form <= 1:
        return _number(draw, nodes, rels)
    if form == 2:
        return _text(draw, nodes, rels)
    if form == 3:
        return f"({_predicate(draw, nodes, rels, 1)})"
    if form == 4 and lists:
        expr = draw(st.sampled_from(lists))
        return draw(st.sampled_from([f"size({expr})", f"head({expr})", f"last({expr})", f"{expr}[1..]",
                                     f"{expr}[-1]", f"{expr} + [0]", f"size(split(toString({expr}[0]), '.'))",
                                     f"[x IN {expr} WHERE x IS NOT NULL | x]",
                                     f"reduce(t = 0, x IN {expr} | t + coalesce(x, 0))"]))
    return _literal(draw)


@st.composite
def queries(draw) -> str:
    """One read-only query over a RandomGraph's names, returning scalars."""
    nodes, rels, lists = ["a"], [], []
    parts = []
    pattern = _node(draw, "a", True)
    if draw(st.integers(0, 3)) > 0:
        var = None if draw(st.integers(0, 3)) == 0 else "r"
        rel = _relationship(draw, var)
        if var and "*" not in rel:
            rels.append("r")
        elif "*" in rel and draw(st.booleans()):
            pattern = f"p = {pattern}"
            lists.append("[n IN nodes(p) | n.id]")
        far = _node(draw, "b", True)
        if draw(st.integers(0, 5)) == 0:  # a property map that reads another variable of the same MATCH
            far = f"(b {{{draw(st.sampled_from(['id', 'v']))}: a.{draw(st.sampled_from(['id', 'v']))}}})"
        pattern += rel + far
        nodes.append("b")
    elif draw(st.booleans()):  # two disconnected patterns: a cartesian product or a join in WHERE
        pattern += ", " + _node(draw, "b", True)
        nodes.append("b")
    parts.append(f"MATCH {pattern}")
    if draw(st.booleans()):
        parts.append(f"WHERE {_predicate(draw, nodes, rels)}")
    if draw(st.integers(0, 3)) == 0:
        source = draw(st.sampled_from(nodes))
        parts.append(f"OPTIONAL MATCH ({source}){_relationship(draw, 'o')}(c)")
        if draw(st.booleans()):
            parts.append(f"WHERE {_predicate(draw, ['c'], [])}")
        nodes.append("c")
        if "*" not in parts[-1] and "*" not in parts[-2]:
            rels.append("o")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"UNWIND {draw(st.sampled_from(['[1, 2, null]', '[]', 'range(0, a.id)', '[a.v, a.s]']))} AS u")
        lists.append("collect(u)")
        nodes_for_u = "u"
    else:
        nodes_for_u = None
    aggregate = draw(st.integers(0, 2)) == 0
    if aggregate:
        key = draw(st.sampled_from([f"{n}.id" for n in nodes] + [f"{n}.v" for n in nodes] + ["1"]))
        agg_value = draw(st.sampled_from([f"{n}.{p}" for n in nodes for p in ("id", "v")]
                                         + [f"{r}.w" for r in rels] + ([nodes_for_u] if nodes_for_u else [])))
        agg = draw(st.sampled_from([f"count({agg_value})", "count(*)", f"sum({agg_value})", f"min({agg_value})",
                                    f"max({agg_value})", f"count(DISTINCT {agg_value})", f"avg({agg_value})",
                                    f"size(collect({agg_value}))"]))
        if draw(st.booleans()):
            parts.append(f"WITH {key} AS k, {agg} AS g")
            if draw(st.booleans()):
                parts.append(f"WHERE g {draw(st.sampled_from(['>', '>=', '=']))} 1")
            items = ["k", "g"]
            parts.append("RETURN k, g")
        else:
            items = ["k", "g"]
            parts.append(f"RETURN {key} AS k, {agg} AS g")
    else:
        lists = [x for x in lists if not x.startswith("collect(")]
        scalars = [_scalar(draw, nodes, rels, lists) for _ in range(draw(st.integers(1, 3)))]
        if nodes_for_u:
            scalars.append("u")
        items = [f"c{i}" for i in range(len(scalars))]
        distinct = "DISTINCT " if draw(st.integers(0, 3)) == 0 else ""
        parts.append(f"RETURN {distinct}" + ", ".join(f"{s} AS {name}" for s, name in zip(scalars, items,
                                                                                             strict=True)))
    if draw(st.booleans()):
        order = ", ".join(f"{c}{draw(st.sampled_from(['', ' DESC']))}" for c in items)
        parts.append(f"ORDER BY {order}")
        if draw(st.booleans()):
            parts.append(f"SKIP {draw(st.integers(0, 2))}")
        if draw(st.booleans()):
            parts.append(f"LIMIT {draw(st.integers(0, 3))}")
    return "\n".join(parts)
