"""Type errors the query text already shows, refused before anything runs, as Neo4j's
semantic analysis refuses them.

Each expression gets the type its text tells, when it tells one: literals, list and map
literals, pattern variables (a node, a relationship, a list of relationships, a path),
predicates (booleans), and variables carried from those by WITH, UNWIND and the
variable of a list comprehension, quantifier or reduce(). Everything else (a property,
a parameter, a function's result, ...) is of unknown type, and is never refused here: a
check fires only where the type is known and cannot be right, so it never refuses a
query Neo4j accepts.

Refused as a SyntaxError (openCypher's InvalidArgumentType at compile time): a
non-boolean operand of AND, OR, XOR or NOT, or a non-boolean WHERE; a non-list on the
right of IN; an operand of ``-``, ``*``, ``/``, ``%``, ``^`` (or unary minus) that is
not a number; a graph function given the wrong kind of value (``labels(path)``,
``type(node)``, ``length(node)``, ``size(path)``, ``properties(1)``, ...). Refused as a
TypeError at compile time: a property of a number, boolean, string or list.

>>> from .parser import parse
>>> check_types(parse("RETURN NOT 1"))
Traceback (most recent call last):
...
mechgraph.cypher.errors.InvalidQuery: type mismatch: NOT needs a BOOLEAN, not INTEGER (1)
>>> check_types(parse("MATCH (n) WHERE NOT n.flag RETURN n.id % 2"))  # unknown types pass
"""

from __future__ import annotations

from . import ast as A
from .errors import CypherTypeError, InvalidQuery

#: a type the text does not tell
ANY = "ANY"
NULL, BOOLEAN, INTEGER, FLOAT, STRING, MAP = "NULL", "BOOLEAN", "INTEGER", "FLOAT", "STRING", "MAP"
NODE, RELATIONSHIP, PATH = "NODE", "RELATIONSHIP", "PATH"


def list_of(element) -> tuple:
    return ("LIST", element)


def is_list(t) -> bool:
    return isinstance(t, tuple) and t[0] == "LIST"


def describe(t) -> str:
    """The Cypher name of a static type (``LIST<STRING>``), as runtime errors name types."""
    return f"LIST<{describe(t[1])}>" if is_list(t) else str(t)


#: the types that are surely not numbers (nor temporal values or durations)
_NOT_NUMBERS = {BOOLEAN, STRING, MAP, NODE, RELATIONSHIP, PATH}
#: graph and collection functions: the argument types each accepts (null always is)
_ARGUMENTS = {
    "labels": {NODE},
    "type": {RELATIONSHIP},
    "startnode": {RELATIONSHIP},
    "endnode": {RELATIONSHIP},
    "properties": {NODE, RELATIONSHIP, MAP},
    "keys": {NODE, RELATIONSHIP, MAP},
    "length": {PATH},
    "nodes": {PATH},
    "relationships": {PATH},
    "size": {STRING, "LIST"},
}
_PREDICATES = (A.Compare, A.IsNull, A.HasLabels, A.Quantifier, A.PatternExists)
_BOOLEAN_OPS = ("AND", "OR", "XOR", "IN", "STARTS WITH", "ENDS WITH", "CONTAINS", "=~")


def type_of(expr, env: dict) -> object:
    """The static type of ``expr`` where variables have the types in ``env``; ANY when
    the text does not tell."""
    if isinstance(expr, A.Literal):
        v = expr.value
        if v is None:
            return NULL
        if isinstance(v, bool):
            return BOOLEAN
        return {int: INTEGER, float: FLOAT, str: STRING}.get(type(v), ANY)
    if isinstance(expr, A.Var):
        return env.get(expr.name, ANY)
    if isinstance(expr, A.ListLit):
        kinds = {type_of(item, env) for item in expr.items} - {NULL}
        return list_of(kinds.pop() if len(kinds) == 1 else ANY)
    if isinstance(expr, (A.MapLit, A.MapProjection)):
        return MAP
    if isinstance(expr, _PREDICATES):
        return BOOLEAN
    if isinstance(expr, A.Unary):
        if expr.op == "NOT":
            return BOOLEAN
        inner = type_of(expr.operand, env)
        return inner if inner in (INTEGER, FLOAT) else ANY
    if isinstance(expr, A.Binary) and expr.op in _BOOLEAN_OPS:
        return BOOLEAN
    if isinstance(expr, A.PatternCount):
        return INTEGER
    if isinstance(expr, (A.ListComp, A.PatternComp)):
        return list_of(ANY)
    return ANY


def element_type(t) -> object:
    """The type of an element of a value of type ``t`` (ANY unless a list's)."""
    return t[1] if is_list(t) else ANY


def check_types(tree) -> None:
    """Refuse the type errors the text shows (see the module docstring)."""
    for query in tree.queries if isinstance(tree, A.Union) else (tree,):
        env: dict = {}
        for clause in query.clauses:
            env = _clause(clause, env)


def _clause(clause, env: dict) -> dict:
    if isinstance(clause, A.Match):
        env = dict(env)
        for p in clause.patterns:
            for node in p.nodes:
                if node.var:
                    env[node.var] = NODE
            for rel in p.rels:
                if rel.var:
                    env[rel.var] = RELATIONSHIP if rel.min_hops is None else list_of(RELATIONSHIP)
            if p.var:
                env[p.var] = PATH
        for p in clause.patterns:
            for props in [n.props for n in p.nodes] + [r.props for r in p.rels]:
                if props is not None:
                    _expr(props, env)
        if clause.where is not None:
            _predicate(clause.where, env, "WHERE")
        return env
    if isinstance(clause, A.Unwind):
        _expr(clause.expr, env)
        t = type_of(clause.expr, env)
        return {**env, clause.var: element_type(t)}
    if isinstance(clause, A.Projection):
        for item in clause.items:
            _expr(item.expr, env)
        new = dict(env) if clause.star else {}
        new.update({item.name: type_of(item.expr, env) for item in clause.items})
        both = {**env, **new}
        for sort in clause.order:
            _expr(sort.expr, both)
        if clause.where is not None:
            _predicate(clause.where, both, "WHERE")
        return new
    if isinstance(clause, A.CallProcedure):
        for arg in clause.args:
            _expr(arg, env)
        env = dict(env)
        for _, target in clause.yields or ():
            env[target] = ANY
        return env
    return env


def _predicate(expr, env: dict, what: str) -> None:
    _expr(expr, env)
    _boolean(expr, env, what)


def _boolean(expr, env: dict, what: str) -> None:
    t = type_of(expr, env)
    if t not in (BOOLEAN, NULL, ANY):
        raise InvalidQuery(f"type mismatch: {what} needs a BOOLEAN, not {describe(t)} ({_text(expr)})")


def _text(expr) -> str:
    if isinstance(expr, A.Literal):
        return repr(expr.value)
    if isinstance(expr, A.Var):
        return expr.name
    return type(expr).__name__.lower()


def _expr(expr, env: dict) -> None:
    """Check ``expr`` and everything below it."""
    if isinstance(expr, (A.ListComp, A.Quantifier)):
        _expr(expr.source, env)
        inner = {**env, expr.var: element_type(type_of(expr.source, env))}
        if expr.where is not None:
            _predicate(expr.where, inner, "WHERE")
        if isinstance(expr, A.ListComp) and expr.project is not None:
            _expr(expr.project, inner)
        return
    if isinstance(expr, A.Reduce):
        _expr(expr.init, env)
        _expr(expr.source, env)
        _expr(expr.expr, {**env, expr.acc: ANY, expr.var: element_type(type_of(expr.source, env))})
        return
    if isinstance(expr, (A.PatternExists, A.PatternCount, A.PatternComp)):
        inner = dict(env)
        for p in expr.patterns if not isinstance(expr, A.PatternComp) else (expr.pattern,):
            inner = _clause(A.Match(patterns=(p,), where=None, optional=False), inner)
        if expr.where is not None:
            _predicate(expr.where, inner, "WHERE")
        if isinstance(expr, A.PatternComp):
            _expr(expr.project, inner)
        return
    if isinstance(expr, A.MapProjection):
        for _, _, sub in expr.items:
            if sub is not None:
                _expr(sub, env)
        return
    for child in A.children(expr):
        if isinstance(child, A.Expr):
            _expr(child, env)
    if isinstance(expr, A.Binary) and expr.op in ("AND", "OR", "XOR"):
        _boolean(expr.left, env, expr.op)
        _boolean(expr.right, env, expr.op)
    elif isinstance(expr, A.Unary) and expr.op == "NOT":
        _boolean(expr.operand, env, "NOT")
    elif isinstance(expr, A.Unary) and _not_number(type_of(expr.operand, env)):
        raise InvalidQuery(f"type mismatch: cannot apply unary {expr.op} to {describe(type_of(expr.operand, env))}")
    elif isinstance(expr, A.Binary) and expr.op == "IN":
        t = type_of(expr.right, env)
        if t not in (NULL, ANY) and not is_list(t):
            raise InvalidQuery(f"type mismatch: IN needs a LIST on its right, not {describe(t)} "
                               f"({_text(expr.right)})")
    elif isinstance(expr, A.Binary) and expr.op in ("-", "*", "/", "%", "^"):
        left, right = type_of(expr.left, env), type_of(expr.right, env)
        if _not_number(left) or _not_number(right):
            raise InvalidQuery(f"type mismatch: cannot apply {expr.op} to {describe(left)} and {describe(right)}")
    elif isinstance(expr, A.Prop):
        t = type_of(expr.subject, env)
        if t in (INTEGER, FLOAT, BOOLEAN, STRING) or is_list(t):
            raise CypherTypeError(f"type mismatch: {_text(expr.subject)} is {describe(t)}, which has no property "
                                  f"{expr.key} (only nodes, relationships, maps and temporal values have)")
    elif isinstance(expr, A.Call) and expr.name in _ARGUMENTS and len(expr.args) == 1:
        t = type_of(expr.args[0], env)
        accepted = _ARGUMENTS[expr.name]
        if t not in (NULL, ANY) and ("LIST" if is_list(t) else t) not in accepted:
            raise InvalidQuery(f"type mismatch: {expr.name}() cannot take {describe(t)} "
                               f"({_text(expr.args[0])})")


def _not_number(t) -> bool:
    """True when a value of type ``t`` is surely not a number (nor a temporal value)."""
    return t in _NOT_NUMBERS or is_list(t)
