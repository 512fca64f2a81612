"""What Neo4j refuses when it compiles a query, refused here before anything runs:
unknown functions, undefined variables, a variable used as a node in one place and a
relationship in another, aggregates where none may be (nested, or in ORDER BY without
being projected), rand() inside an aggregate, an aggregating expression that uses a
variable or property the projection does not return as a grouping key, patterns used as
values, a literal SKIP or LIMIT that is not a non-negative integer, ``RETURN *`` with
nothing in scope, UNION parts with different columns; and the type errors the text
shows (:mod:`.static_types`).
"""

from __future__ import annotations

from . import ast as A
from .errors import InvalidQuery
from .functions import AGGREGATES, SCALARS, unknown_function
from .static_types import check_types


def walk(node):
    """``node`` and every node below it."""
    yield node
    for child in A.children(node):
        yield from walk(child)


def has_aggregate(expr) -> bool:
    """True when an aggregating function occurs in ``expr``."""
    return any(isinstance(n, A.Call) and n.name in AGGREGATES for n in walk(expr))


def pattern_vars(patterns) -> list[str]:
    """The variables patterns bind (path, node and relationship), in order."""
    names = []
    for p in patterns:
        for name in ([p.var] if p.var else []) + [n.var for n in p.nodes] + [r.var for r in p.rels]:
            if name not in names:
                names.append(name)
    return names


def check(tree) -> None:
    """Refuse, before running anything, what Neo4j refuses when it compiles a query:
    unknown functions, undefined or conflicting variables, aggregates where none may be,
    implicit grouping keys, patterns used as values, type errors the text shows."""
    for node in walk(tree):
        if isinstance(node, A.Call) and node.name not in SCALARS and node.name not in AGGREGATES \
                and node.name != "coalesce":
            raise unknown_function(node.name)
        if isinstance(node, (A.ListComp, A.Quantifier, A.Reduce)) and any(
                has_aggregate(part) for part in (getattr(node, name, None) for name in ("where", "project", "expr"))
                if part is not None):
            raise InvalidQuery("aggregating functions are not allowed inside list comprehensions, "
                              "quantifiers and reduce()")
        if isinstance(node, A.Call) and node.name in AGGREGATES and any(has_aggregate(a) for a in node.args):
            raise InvalidQuery("aggregating functions cannot be nested")
        if isinstance(node, A.Call) and node.name in AGGREGATES and any(
                isinstance(n, A.Call) and n.name == "rand" for a in node.args for n in walk(a)):
            raise InvalidQuery("rand() cannot be used inside an aggregating function (its value is not constant)")
        if isinstance(node, (A.Match, A.Projection)) and node.where is not None:
            _patterns_only_as_predicates(node.where, predicate=True)
    for node in walk(tree):
        if isinstance(node, A.Item):
            _patterns_only_as_predicates(node.expr, predicate=False)
    columns = [_check_scope(query) for query in (tree.queries if isinstance(tree, A.Union) else (tree,))]
    if None not in columns and any(c != columns[0] for c in columns[1:]):
        raise InvalidQuery("all sub-queries of a UNION must return the same column names")
    check_types(tree)


def _patterns_only_as_predicates(expr, predicate: bool) -> None:
    """A bare pattern ``(a)-->(b)`` is a predicate: allowed in WHERE and under AND, OR,
    XOR and NOT there, not as a value (Neo4j 5 removed pattern expressions)."""
    if isinstance(expr, A.PatternExists) and expr.bare and not predicate:
        raise InvalidQuery("a pattern can only be used as a predicate; use EXISTS { ... } or COUNT { ... } "
                          "or a pattern comprehension [(a)-->(b) | b] instead")
    logical = (isinstance(expr, A.Binary) and expr.op in ("AND", "OR", "XOR")) or \
              (isinstance(expr, A.Unary) and expr.op == "NOT")
    for child in A.children(expr):
        _patterns_only_as_predicates(child, predicate and logical)


#: what a variable holds, as far as the query text tells
NODE, REL, RELS, PATH, VALUE, UNKNOWN = ("a node", "a relationship", "a list of relationships", "a path",
                                          "a value", "unknown")
_VALUE_EXPRESSIONS = (A.Literal, A.ListLit, A.MapLit, A.Compare, A.Binary, A.IsNull, A.HasLabels,
                      A.ListComp, A.PatternComp, A.PatternExists, A.PatternCount, A.Quantifier)


def _kind_of(expr, kinds: dict[str, str]) -> str:
    if isinstance(expr, A.Var):
        return kinds.get(expr.name, UNKNOWN)
    if isinstance(expr, A.Literal) and expr.value is None:
        return UNKNOWN
    return VALUE if isinstance(expr, _VALUE_EXPRESSIONS) else UNKNOWN


def _bind(kinds: dict, name: str, kind: str, clause_vars: set[str]) -> None:
    """Record that a pattern binds ``name`` to ``kind``; refuse conflicting uses."""
    if name.startswith(" "):
        return
    before = kinds.get(name)
    if kind == PATH and before is not None:
        raise InvalidQuery(f"variable `{name}` is already defined; a path variable needs a new name")
    if before is not None and before not in (kind, UNKNOWN) and not (kind == RELS and before == VALUE):
        raise InvalidQuery(f"variable `{name}` is {before} here, not {kind}")
    if kind == REL and name in clause_vars:
        raise InvalidQuery(f"relationship variable `{name}` is used twice in one pattern "
                          f"(a relationship is matched at most once)")
    kinds[name] = kind
    clause_vars.add(name)


def _check_patterns(patterns, kinds: dict[str, str], scope: set[str]) -> set[str]:
    clause_vars: set[str] = set()
    for p in patterns:
        if p.var:
            _bind(kinds, p.var, PATH, clause_vars)
        for node in p.nodes:
            _bind(kinds, node.var, NODE, clause_vars)
        for rel in p.rels:
            _bind(kinds, rel.var, REL if rel.min_hops is None else RELS, clause_vars)
        for item in (*p.nodes, *p.rels):
            if isinstance(item.props, A.Param):
                raise InvalidQuery(f"a parameter map (${item.props.name}) cannot stand for properties in MATCH; "
                                  f"write the properties, e.g. {{id: ${item.props.name}.id}}")
            if item.props is not None:
                _need(item.props, scope | set(pattern_vars(patterns)))
    return set(pattern_vars(patterns))


def _check_scope(query: A.SingleQuery) -> list[str] | None:
    """Check the variables of each clause; return the query's column names (None when a
    procedure gives them)."""
    scope: set[str] = set()
    columns: list[str] | None = []
    kinds: dict[str, str] = {}
    for clause in query.clauses:
        if isinstance(clause, A.Match):
            scope |= _check_patterns(clause.patterns, kinds, scope)
            if clause.where is not None:
                _need(clause.where, scope)
                _no_aggregate(clause.where, "WHERE")
                _no_path_properties(clause.where, kinds)
        elif isinstance(clause, A.Unwind):
            _need(clause.expr, scope)
            _no_aggregate(clause.expr, "UNWIND")
            scope.add(clause.var)
            kinds[clause.var] = UNKNOWN
        elif isinstance(clause, A.Projection):
            for item in clause.items:
                _need(item.expr, scope)
                _no_path_properties(item.expr, kinds)
            new = {item.name for item in clause.items} | (scope if clause.star else set())
            new_kinds = {name: kinds.get(name, UNKNOWN) for name in new if clause.star and name in scope}
            new_kinds.update({item.name: _kind_of(item.expr, kinds) for item in clause.items})
            if clause.star and clause.final and not any(not v.startswith(" ") for v in scope):
                raise InvalidQuery("RETURN * is not allowed when there are no variables in scope")
            aggregating = any(has_aggregate(item.expr) for item in clause.items)
            if aggregating:
                _no_implicit_grouping(clause, scope)
            projected = {item.expr for item in clause.items}
            for sort in clause.order:
                if _aggregate_outside(sort.expr, projected):
                    raise InvalidQuery("ORDER BY can only use an aggregate that the projection returns")
                _need(sort.expr, new if (aggregating or clause.distinct) else new | scope,
                      items={item.expr for item in clause.items})
            for expr, what in ((clause.skip, "SKIP"), (clause.limit, "LIMIT")):
                if expr is not None:
                    _need(expr, set())
                    _count_literal(expr, what)
            if clause.where is not None:
                _need(clause.where, new if aggregating else new | scope, items={item.expr for item in clause.items})
                _no_aggregate(clause.where, "WHERE")
            columns = sorted(v for v in scope if not v.startswith(" ")) if clause.star else []
            columns += [item.name for item in clause.items]
            scope, kinds = new, new_kinds
        elif isinstance(clause, A.CallProcedure):
            columns = None  # known once the procedure runs
            for arg in clause.args:
                _need(arg, scope)
            for _, target in clause.yields or ():
                scope.add(target)
                kinds[target] = VALUE


    return columns


def _no_implicit_grouping(clause: A.Projection, scope: set[str]) -> None:
    """An expression that aggregates may use, outside its aggregates, only grouping keys
    that the projection returns as such: a variable or a property (``RETURN n.a,
    n.a + count(*)``), not a part of a larger returned expression (``RETURN n.a + n.b,
    n.a + n.b + count(*)`` is refused, as Neo4j refuses it). ORDER BY may use the
    projection's names and any expression it returns, however large (Neo4j reads them as
    the returned columns: ``RETURN n.a + n.b, count(*) ORDER BY n.a + n.b + count(*)``)."""
    keys = {item.expr for item in clause.items
            if isinstance(item.expr, (A.Var, A.Prop)) and not has_aggregate(item.expr)}
    key_vars = {e.name for e in keys if isinstance(e, A.Var)} | (scope if clause.star else set())
    names = {item.name for item in clause.items}
    projected = {item.expr for item in clause.items}
    for expr, known, allowed in [(item.expr, keys, key_vars) for item in clause.items] + \
                                [(sort.expr, keys | projected, key_vars | names) for sort in clause.order]:
        if has_aggregate(expr):
            implicit = _implicit_keys(expr, known, allowed)
            if implicit:
                raise InvalidQuery(f"an expression that aggregates uses {_show(implicit[0])}, which the projection "
                                   f"does not return as a grouping key; compute it in a preceding WITH")


def _implicit_keys(expr, keys: set, key_vars: set[str], local: frozenset = frozenset()) -> list:
    """The variables and properties of ``expr``, outside its aggregates, that are not
    grouping keys."""
    if expr in keys or (isinstance(expr, A.Call) and expr.name in AGGREGATES):
        return []
    if isinstance(expr, A.Var):
        return [] if expr.name in key_vars or expr.name in local or expr.name.startswith(" ") else [expr]
    if isinstance(expr, A.Prop):
        return [expr] if _implicit_keys(expr.subject, keys, key_vars, local) else []
    if isinstance(expr, (A.PatternExists, A.PatternCount, A.PatternComp, A.MapProjection)):
        return []
    if isinstance(expr, (A.ListComp, A.Quantifier, A.Reduce)):
        inner = local | {expr.var} | ({expr.acc} if isinstance(expr, A.Reduce) else set())
        found = _implicit_keys(expr.source, keys, key_vars, local)
        for part in (getattr(expr, name, None) for name in ("where", "project", "expr", "init")):
            if part is not None:
                found += _implicit_keys(part, keys, key_vars, local if part is getattr(expr, "init", None) else inner)
        return found
    return [found for child in A.children(expr) for found in _implicit_keys(child, keys, key_vars, local)]


def _show(expr) -> str:
    if isinstance(expr, A.Var):
        return f"`{expr.name}`"
    if isinstance(expr, A.Prop):
        return f"{_show(expr.subject).strip('`')}.{expr.key}"
    return "an expression"


def _aggregate_outside(expr, projected: set) -> bool:
    """True when ``expr`` has an aggregate that is not part of a projected expression."""
    if expr in projected:
        return False
    if isinstance(expr, A.Call) and expr.name in AGGREGATES:
        return True
    return any(_aggregate_outside(child, projected) for child in A.children(expr))


def _count_literal(expr, what: str) -> None:
    """A SKIP or LIMIT written as a literal must be a non-negative integer."""
    value = expr.value if isinstance(expr, A.Literal) else None
    if isinstance(expr, A.Unary) and expr.op == "-" and isinstance(expr.operand, A.Literal):
        value = expr.operand.value
        value = -value if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    elif not isinstance(expr, A.Literal):
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidQuery(f"{what} needs a non-negative integer, not {value!r}")


def _no_aggregate(expr, where: str) -> None:
    if has_aggregate(expr):
        raise InvalidQuery(f"aggregating functions are not allowed in {where}")


def _no_path_properties(expr, kinds: dict[str, str]) -> None:
    for node in walk(expr):
        if isinstance(node, A.Prop) and isinstance(node.subject, A.Var) and kinds.get(node.subject.name) == PATH:
            raise InvalidQuery(f"`{node.subject.name}` is a path, which has no properties")


def _need(expr, scope: set[str], items: frozenset | set = frozenset()) -> None:
    missing = _free(expr, scope, items)
    if missing:
        raise InvalidQuery(f"variable `{sorted(missing)[0]}` not defined")


def _free(expr, scope: set[str], items=frozenset()) -> set[str]:
    """Variables ``expr`` uses that are not in ``scope`` (sub-expressions in ``items`` are
    projected, so they count as defined)."""
    if expr in items:
        return set()
    if isinstance(expr, A.Var):
        return set() if expr.name in scope or expr.name.startswith(" ") else {expr.name}
    if isinstance(expr, (A.ListComp, A.Quantifier)):
        inner = scope | {expr.var}
        parts = [_free(expr.source, scope, items)]
        for sub in (getattr(expr, "where", None), getattr(expr, "project", None)):
            if sub is not None:
                parts.append(_free(sub, inner, items))
        return set().union(*parts)
    if isinstance(expr, A.Reduce):
        inner = scope | {expr.acc, expr.var}
        return _free(expr.init, scope, items) | _free(expr.source, scope, items) | _free(expr.expr, inner, items)
    if isinstance(expr, (A.PatternExists, A.PatternCount, A.PatternComp)):
        patterns = expr.patterns if not isinstance(expr, A.PatternComp) else (expr.pattern,)
        if isinstance(expr, A.PatternExists) and expr.bare:
            new = [v for v in pattern_vars(patterns) if v not in scope and not v.startswith(" ")]
            if new:
                raise InvalidQuery(f"a pattern used as a predicate cannot introduce new variables (`{new[0]}`); "
                                  f"use EXISTS {{ ... }} instead")
        inner = scope | set(pattern_vars(patterns))
        found = set()
        for p in patterns:
            elements: list[A.NodePattern | A.RelPattern] = [*p.nodes, *p.rels]
            for item in elements:
                if item.props is not None:
                    found |= _free(item.props, inner, items)
        for sub in (expr.where, getattr(expr, "project", None)):
            if sub is not None:
                found |= _free(sub, inner, items)
        return found
    if isinstance(expr, A.MapProjection):
        found = _free(expr.subject, scope, items)
        for kind, key, sub in expr.items:
            if kind == "var" and key not in scope:
                found.add(key)
            elif sub is not None:
                found |= _free(sub, scope, items)
        return found
    found = set()
    for child in A.children(expr):
        found |= _free(child, scope, items)
    return found
