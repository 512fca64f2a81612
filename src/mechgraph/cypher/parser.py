"""Parse the read-only Cypher the embedded engine runs into a syntax tree (cypher.ast).

Anything outside that subset is refused here, by name: writing clauses, CALL
subqueries, LOAD CSV, quantified path patterns and so on raise UnsupportedFeature
(ReadOnly for writes), so that the engine never guesses.

>>> parse("MATCH (d:Drug)-[r:ANTAGONIZES]->(t) RETURN t.id AS target").clauses[1].items[0].name
'target'
"""

from __future__ import annotations

import math
from typing import Any

from . import ast as A
from .errors import CypherSyntaxError, ReadOnly, UnsupportedFeature
from .lexer import END, NAME, NUMBER, PARAM, STRING, SYMBOL, WORD, Token, position, tokenize

#: words that cannot be a variable where an expression starts
RESERVED = frozenset(["ALL", "AND", "AS", "ASC", "ASCENDING", "BY", "CALL", "CASE", "CONTAINS", "CREATE", "DELETE", "DESC", "DESCENDING", "DETACH", "DISTINCT", "ELSE", "END", "ENDS", "FOREACH", "IN", "IS", "LIMIT", "MATCH", "MERGE", "NOT", "OPTIONAL", "OR", "ORDER", "REMOVE", "RETURN", "SET", "SKIP", "STARTS", "THEN", "UNION", "UNWIND", "WHEN", "WHERE", "WITH", "XOR", "YIELD"])
_WRITES = {"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "DROP", "ALTER", "INSERT"}
_COMPARISONS = ("=", "<>", "!=", "<", ">", "<=", ">=")


def parse(text: str) -> A.SingleQuery | A.Union:
    """The syntax tree of a query; raise CypherSyntaxError, UnsupportedFeature or ReadOnly."""
    return Parser(text).query()


class Parser:
    """A recursive-descent parser over the token list."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.anonymous = 0

    # -- token helpers -------------------------------------------------------------
    def peek(self, k: int = 0) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.peek()
        self.i += 1
        return token

    def at_word(self, *words: str, k: int = 0) -> bool:
        return self.peek(k).upper in words

    def at_symbol(self, *symbols: str, k: int = 0) -> bool:
        token = self.peek(k)
        return token.kind == SYMBOL and token.text in symbols

    def accept_word(self, word: str) -> bool:
        if self.at_word(word):
            self.i += 1
            return True
        return False

    def accept_symbol(self, symbol: str) -> bool:
        if self.at_symbol(symbol):
            self.i += 1
            return True
        return False

    def expect_word(self, word: str) -> None:
        if not self.accept_word(word):
            raise self.error(f"expected {word}")

    def expect_symbol(self, symbol: str) -> None:
        if not self.accept_symbol(symbol):
            raise self.error(f"expected '{symbol}'")

    def error(self, message: str) -> CypherSyntaxError:
        token = self.peek()
        found = "the end of the query" if token.kind == END else repr(self.text[token.pos:token.end])
        return CypherSyntaxError(f"{message} but found {found} at {position(self.text, token.pos)}")

    def name(self, what: str = "a name") -> str:
        """A symbolic name: a word or a `quoted name`."""
        token = self.peek()
        if token.kind in (WORD, NAME):
            self.i += 1
            return token.text
        raise self.error(f"expected {what}")

    def variable(self) -> str:
        token = self.peek()
        if token.kind == NAME or (token.kind == WORD and token.upper not in RESERVED):
            self.i += 1
            return token.text
        raise self.error("expected a variable")

    def fresh(self) -> str:
        """A name for an anonymous pattern element (not a valid Cypher variable)."""
        self.anonymous += 1
        return f"  anon{self.anonymous}"

    # -- queries and clauses ---------------------------------------------------------------
    def query(self) -> A.SingleQuery | A.Union:
        if self.at_word("EXPLAIN", "PROFILE"):
            raise UnsupportedFeature(f"{self.peek().upper} (query plans)")
        queries = [self.single_query()]
        union_all = None
        while self.accept_word("UNION"):
            this_all = self.accept_word("ALL")
            if union_all is not None and this_all != union_all:
                raise CypherSyntaxError("UNION and UNION ALL cannot be mixed in one query")
            union_all = this_all
            queries.append(self.single_query())
        self.accept_symbol(";")
        if self.peek().kind != END:
            raise self.error("expected the end of the query")
        if len(queries) == 1:
            return queries[0]
        return A.Union(tuple(queries), bool(union_all))

    def single_query(self) -> A.SingleQuery:
        clauses: list[Any] = []
        while self.peek().kind != END and not self.at_word("UNION") and not self.at_symbol(";"):
            if clauses and isinstance(clauses[-1], A.Projection) and clauses[-1].final:
                raise self.error("RETURN must be the last clause")
            clauses.append(self.clause())
        if not clauses:
            raise self.error("expected a clause")
        last = clauses[-1]
        if not (isinstance(last, A.Projection) and last.final) and not (
                isinstance(last, A.CallProcedure) and len(clauses) == 1):
            raise CypherSyntaxError("a query must end with RETURN")
        return A.SingleQuery(tuple(clauses))

    def clause(self):
        word = self.peek().upper
        if word == "OPTIONAL":
            self.next()
            self.expect_word("MATCH")
            return self.match(optional=True)
        if word == "MATCH":
            self.next()
            return self.match(optional=False)
        if word == "UNWIND":
            self.next()
            expr = self.expression()
            self.expect_word("AS")
            return A.Unwind(expr, self.variable())
        if word in ("WITH", "RETURN"):
            self.next()
            return self.projection(final=word == "RETURN")
        if word == "CALL":
            self.next()
            return self.call()
        if word in _WRITES:
            if word == "DETACH":
                word = "DETACH DELETE"
            raise ReadOnly(f"the embedded graph is read-only ({word} is a write); "
                           f"load the graph into Neo4j and use --uri with --write to change it")
        if word == "LOAD":
            raise UnsupportedFeature("LOAD CSV")
        if word == "USE":
            raise UnsupportedFeature("USE (choosing a database)")
        if word == "SHOW":
            raise UnsupportedFeature("SHOW commands")
        if word == "FINISH":
            raise UnsupportedFeature("FINISH")
        raise self.error("expected a clause (MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN)")

    def match(self, optional: bool) -> A.Match:
        patterns = [self.path_pattern()]
        while self.accept_symbol(","):
            patterns.append(self.path_pattern())
        where = self.expression() if self.accept_word("WHERE") else None
        return A.Match(tuple(patterns), where, optional)

    def projection(self, final: bool) -> A.Projection:
        distinct = self.accept_word("DISTINCT")
        star = False
        items: list[A.Item] = []
        if self.accept_symbol("*"):
            star = True
            if self.accept_symbol(","):
                items = self.items(final)
        else:
            items = self.items(final)
        names = [item.name for item in items]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate is not None:
            raise CypherSyntaxError(f"multiple result columns are called {duplicate!r}")
        order: list[A.SortItem] = []
        if self.at_word("ORDER"):
            self.next()
            self.expect_word("BY")
            while True:
                expr = self.expression()
                descending = False
                if self.at_word("DESC", "DESCENDING"):
                    self.next()
                    descending = True
                elif self.at_word("ASC", "ASCENDING"):
                    self.next()
                order.append(A.SortItem(expr, descending))
                if not self.accept_symbol(","):
                    break
        skip = self.expression() if self.accept_word("SKIP") or self.accept_word("OFFSET") else None
        limit = self.expression() if self.accept_word("LIMIT") else None
        where = None
        if not final and self.accept_word("WHERE"):
            where = self.expression()
        return A.Projection(tuple(items), star, distinct, tuple(order), skip, limit, where, final)

    def items(self, final: bool) -> list[A.Item]:
        items = []
        while True:
            start = self.peek().pos
            expr = self.expression()
            end = self.tokens[self.i - 1].end
            if self.accept_word("AS"):
                items.append(A.Item(expr, self.variable(), True))
            else:
                if not final and not isinstance(expr, A.Var):
                    raise CypherSyntaxError(f"an expression in WITH must be aliased (use AS): "
                                            f"{self.text[start:end]}")
                name = expr.name if isinstance(expr, A.Var) else self.text[start:end]
                items.append(A.Item(expr, name, False))
            if not self.accept_symbol(","):
                return items

    def call(self) -> A.CallProcedure:
        if self.at_symbol("{"):
            raise UnsupportedFeature("CALL { } subqueries")
        parts = [self.name("a procedure name")]
        while self.accept_symbol("."):
            parts.append(self.name("a procedure name"))
        args: list[A.Expr] = []
        if self.accept_symbol("("):
            if not self.accept_symbol(")"):
                args.append(self.expression())
                while self.accept_symbol(","):
                    args.append(self.expression())
                self.expect_symbol(")")
        yields: tuple[tuple[str, str], ...] | None = None
        where = None
        if self.accept_word("YIELD"):
            if self.accept_symbol("*"):
                yields = None
            else:
                columns: list[tuple[str, str]] = []
                while True:
                    column = self.name("a column")
                    columns.append((column, self.variable() if self.accept_word("AS") else column))
                    if not self.accept_symbol(","):
                        break
                yields = tuple(columns)
            if self.accept_word("WHERE"):
                where = self.expression()
        return A.CallProcedure(".".join(parts), tuple(args), yields, where)

    # -- patterns ------------------------------------------------------------------------
    def path_pattern(self) -> A.PathPattern:
        var = None
        if self.peek().kind in (WORD, NAME) and self.at_symbol("=", k=1):
            var = self.variable()
            self.next()
        shortest = None
        if self.at_word("SHORTESTPATH", "ALLSHORTESTPATHS") and self.at_symbol("(", k=1):
            shortest = "shortest" if self.next().upper == "SHORTESTPATH" else "all"
            self.next()
            nodes, rels = self.chain()
            self.expect_symbol(")")
        else:
            if self.at_word("ANY", "SHORTEST", "ALL") and not self.at_symbol("(", k=1):
                raise UnsupportedFeature("GQL path selectors (ANY, SHORTEST, ALL SHORTEST)")
            nodes, rels = self.chain()
        return A.PathPattern(var, nodes, rels, shortest)

    def chain(self) -> tuple[tuple[A.NodePattern, ...], tuple[A.RelPattern, ...]]:
        nodes = [self.node_pattern()]
        rels = []
        while self.at_symbol("-") or (self.at_symbol("<") and self.at_symbol("-", k=1)):
            rels.append(self.rel_pattern())
            nodes.append(self.node_pattern())
        if self.at_symbol("{") or self.at_symbol("+") or (self.at_symbol("*") and self.at_symbol(")", k=-1)):
            raise UnsupportedFeature("quantified path patterns")
        return tuple(nodes), tuple(rels)

    def node_pattern(self) -> A.NodePattern:
        if not self.at_symbol("("):
            raise self.error("expected a node pattern '('")
        self.next()
        if self.at_symbol("("):
            raise UnsupportedFeature("quantified path patterns")
        var = None
        if self.peek().kind == NAME or (self.peek().kind == WORD and self.peek().upper != "WHERE"):
            var = self.variable()
        labels, any_labels = self.label_expression()
        props = self.pattern_properties()
        if self.at_word("WHERE"):
            raise UnsupportedFeature("WHERE inside a node pattern")
        self.expect_symbol(")")
        return A.NodePattern(var or self.fresh(), labels, any_labels, props)

    def label_expression(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        labels: list[str] = []
        any_labels: list[str] = []
        if self.at_symbol(":") and (self.at_symbol("!", k=1) or self.at_symbol("%", k=1) or self.at_symbol("(", k=1)):
            raise UnsupportedFeature("label expressions with !, % or parentheses")
        while self.accept_symbol(":"):
            labels.append(self.name("a label"))
            if self.at_symbol("|"):
                if len(labels) > 1:
                    raise UnsupportedFeature("label expressions mixing : and |")
                any_labels.append(labels.pop())
                while self.accept_symbol("|"):
                    self.accept_symbol(":")
                    any_labels.append(self.name("a label"))
                if self.at_symbol(":"):
                    raise UnsupportedFeature("label expressions mixing : and |")
            if self.at_symbol("&") or self.at_symbol("!"):
                raise UnsupportedFeature("label expressions with & or !")
        return tuple(labels), tuple(any_labels)

    def pattern_properties(self) -> A.Expr | None:
        if self.at_symbol("{"):
            return self.map_literal()
        if self.peek().kind == PARAM:
            return A.Param(self.next().text)
        return None

    def rel_pattern(self) -> A.RelPattern:
        left = self.accept_symbol("<")
        self.expect_symbol("-")
        var = None
        types: tuple[str, ...] = ()
        props = None
        min_hops = max_hops = None
        if self.accept_symbol("["):
            if self.peek().kind == NAME or (self.peek().kind == WORD and self.peek().upper != "WHERE"):
                var = self.variable()
            if self.accept_symbol(":"):
                if self.at_symbol("!") or self.at_symbol("%") or self.at_symbol("("):
                    raise UnsupportedFeature("relationship type expressions with !, % or parentheses")
                found = [self.name("a relationship type")]
                while self.accept_symbol("|"):
                    self.accept_symbol(":")
                    found.append(self.name("a relationship type"))
                if self.at_symbol("&") or self.at_symbol(":"):
                    raise UnsupportedFeature("relationship type expressions with & or :")
                types = tuple(found)
            if self.accept_symbol("*"):
                low = self.integer() if self.peek().kind == NUMBER else None
                if self.accept_symbol(".."):
                    high = self.integer() if self.peek().kind == NUMBER else None
                else:
                    high = low
                min_hops, max_hops = (1 if low is None else low), high
            props = self.pattern_properties()
            if self.at_word("WHERE"):
                raise UnsupportedFeature("WHERE inside a relationship pattern")
            self.expect_symbol("]")
        self.expect_symbol("-")
        right = self.accept_symbol(">")
        direction = "both" if left == right else "in" if left else "out"  # <--> means either way
        return A.RelPattern(var or self.fresh(), types, direction, props, min_hops, max_hops)

    def integer(self) -> int:
        token = self.next()
        try:
            return int(token.text, 0)
        except ValueError:
            raise CypherSyntaxError(f"expected a whole number at {position(self.text, token.pos)}") from None

    # -- expressions ----------------------------------------------------------------------
    def expression(self) -> A.Expr:
        return self.or_expr()

    def or_expr(self) -> A.Expr:
        left = self.xor_expr()
        while self.accept_word("OR"):
            left = A.Binary("OR", left, self.xor_expr())
        return left

    def xor_expr(self) -> A.Expr:
        left = self.and_expr()
        while self.accept_word("XOR"):
            left = A.Binary("XOR", left, self.and_expr())
        return left

    def and_expr(self) -> A.Expr:
        left = self.not_expr()
        while self.accept_word("AND"):
            left = A.Binary("AND", left, self.not_expr())
        return left

    def not_expr(self) -> A.Expr:
        if self.accept_word("NOT"):
            return A.Unary("NOT", self.not_expr())
        return self.comparison()

    def comparison(self) -> A.Expr:
        first = self.predicate()
        ops, operands = [], [first]
        while self.at_symbol(*_COMPARISONS):
            op = self.next().text
            ops.append("<>" if op == "!=" else op)
            operands.append(self.predicate())
        return first if not ops else A.Compare(tuple(ops), tuple(operands))

    def predicate(self) -> A.Expr:
        left = self.additive()
        while True:
            if self.at_word("STARTS") and self.at_word("WITH", k=1):
                self.i += 2
                left = A.Binary("STARTS WITH", left, self.additive())
            elif self.at_word("ENDS") and self.at_word("WITH", k=1):
                self.i += 2
                left = A.Binary("ENDS WITH", left, self.additive())
            elif self.accept_word("CONTAINS"):
                left = A.Binary("CONTAINS", left, self.additive())
            elif self.accept_word("IN"):
                left = A.Binary("IN", left, self.additive())
            elif self.accept_symbol("=~"):
                left = A.Binary("=~", left, self.additive())
            elif self.at_word("IS"):
                self.next()
                negated = self.accept_word("NOT")
                if not self.accept_word("NULL"):
                    if self.at_word("NORMALIZED", "TYPED", "LABELED") or self.peek().text == "::":
                        raise UnsupportedFeature(f"IS {self.peek().upper}")
                    raise self.error("expected NULL")
                left = A.IsNull(left, negated)
            else:
                return left

    def additive(self) -> A.Expr:
        left = self.multiplicative()
        while self.at_symbol("+", "-"):
            left = A.Binary(self.next().text, left, self.multiplicative())
        return left

    def multiplicative(self) -> A.Expr:
        left = self.power()
        while self.at_symbol("*", "/", "%"):
            left = A.Binary(self.next().text, left, self.power())
        return left

    def power(self) -> A.Expr:
        left = self.unary()
        while self.accept_symbol("^"):
            left = A.Binary("^", left, self.unary())
        return left

    def unary(self) -> A.Expr:
        if self.at_symbol("-", "+"):
            op = self.next().text
            negative_literal = op == "-" and self.peek().kind == NUMBER
            operand = self.unary() if not negative_literal else self.postfix(self.atom(allow_min=True))
            if op == "-" and isinstance(operand, A.Literal) and isinstance(operand.value, (int, float)) \
                    and not isinstance(operand.value, bool):
                return A.Literal(-operand.value)
            return A.Unary(op, operand)
        return self.postfix(self.atom())

    def postfix(self, expr: A.Expr) -> A.Expr:
        while True:
            if self.at_symbol(".") and self.peek(1).kind in (WORD, NAME):
                self.next()
                expr = A.Prop(expr, self.name())
            elif self.at_symbol("["):
                self.next()
                start = None if self.at_symbol("..") else self.expression()
                if self.accept_symbol(".."):
                    stop = None if self.at_symbol("]") else self.expression()
                    self.expect_symbol("]")
                    expr = A.Slice(expr, start, stop)
                else:
                    assert start is not None  # "[.." is a slice
                    self.expect_symbol("]")
                    expr = A.Index(expr, start)
            elif self.at_symbol(":") and self.peek(1).kind in (WORD, NAME):
                labels = []
                while self.accept_symbol(":"):
                    labels.append(self.name("a label"))
                if self.at_symbol("|") or self.at_symbol("&"):
                    raise UnsupportedFeature("label expressions with | or & in a WHERE test")
                expr = A.HasLabels(expr, tuple(labels))
            elif self.at_symbol("{") and isinstance(expr, A.Var):
                expr = self.map_projection(expr)
            else:
                return expr

    def atom(self, allow_min: bool = False) -> A.Expr:
        token = self.peek()
        if token.kind == NUMBER and not allow_min and not any(c in token.text for c in ".eE") \
                and int(token.text, 0) == 2 ** 63:
            raise CypherSyntaxError(f"the integer {token.text} is too large")
        if token.kind == NUMBER:
            self.next()
            text = token.text
            if any(c in text for c in ".eE") and not text.startswith(("0x", "0o")):
                value = float(text)
                if math.isinf(value):
                    raise CypherSyntaxError(f"the number {text} is too large for a float")
                return A.Literal(value)
            value = int(text, 0)
            if value > 2 ** 63:
                raise CypherSyntaxError(f"the integer {text} is too large")
            return A.Literal(value)
        if token.kind == STRING:
            self.next()
            return A.Literal(token.text)
        if token.kind == PARAM:
            self.next()
            return A.Param(token.text)
        if token.kind == SYMBOL:
            if token.text == "(":
                return self.parenthesised()
            if token.text == "[":
                return self.bracketed()
            if token.text == "{":
                return self.map_literal()
            raise self.error("expected an expression")
        if token.kind == NAME:
            self.next()
            if self.at_symbol("("):
                return self.function_call(token.text)
            return A.Var(token.text)
        if token.kind != WORD:
            raise self.error("expected an expression")
        word = token.upper
        if word in ("TRUE", "FALSE"):
            self.next()
            return A.Literal(word == "TRUE")
        if word == "NULL":
            self.next()
            return A.Literal(None)
        if word == "CASE":
            return self.case()
        if word in ("EXISTS", "COUNT", "COLLECT") and self.at_symbol("{", k=1):
            return self.subquery(word)
        if word in ("ANY", "ALL", "NONE", "SINGLE") and self.at_symbol("(", k=1) \
                and self.peek(2).kind in (WORD, NAME) and self.at_word("IN", k=3):
            self.i += 2
            var = self.variable()
            self.expect_word("IN")
            source = self.expression()
            self.expect_word("WHERE")
            where = self.expression()
            self.expect_symbol(")")
            return A.Quantifier(word.lower(), var, source, where)
        if word == "REDUCE" and self.at_symbol("(", k=1):
            self.i += 2
            acc = self.variable()
            self.expect_symbol("=")
            init = self.expression()
            self.expect_symbol(",")
            var = self.variable()
            self.expect_word("IN")
            source = self.expression()
            self.expect_symbol("|")
            expr = self.expression()
            self.expect_symbol(")")
            return A.Reduce(acc, init, var, source, expr)
        if word in ("SHORTESTPATH", "ALLSHORTESTPATHS") and self.at_symbol("(", k=1):
            raise UnsupportedFeature(f"{token.text}() outside MATCH")
        if word in RESERVED:
            raise self.error("expected an expression")
        self.next()
        name = token.text
        if self._dotted_call_ahead():
            while self.accept_symbol("."):
                name += "." + self.name()
        if self.at_symbol("("):
            return self.function_call(name)
        return A.Var(name)

    def _dotted_call_ahead(self) -> bool:
        """True when ``.name(.name)*(`` follows: a namespaced function such as apoc.text.join(."""
        j = self.i
        while self.tokens[j].kind == SYMBOL and self.tokens[j].text == "." and self.tokens[j + 1].kind in (WORD, NAME):
            j += 2
            if self.tokens[j].kind == SYMBOL and self.tokens[j].text == "(":
                return True
        return False

    def function_call(self, name: str) -> A.Expr:
        self.expect_symbol("(")
        lower = name.lower()
        if lower == "count" and self.at_symbol("*"):
            self.next()
            self.expect_symbol(")")
            return A.Call("count", (), star=True)
        if lower == "exists":
            raise UnsupportedFeature("exists() (removed in Neo4j 5: use IS NOT NULL, or EXISTS { pattern })")
        distinct = self.accept_word("DISTINCT")
        args: list[A.Expr] = []
        if not self.at_symbol(")"):
            args.append(self.expression())
            while self.accept_symbol(","):
                args.append(self.expression())
        self.expect_symbol(")")
        return A.Call(lower, tuple(args), distinct)

    def case(self) -> A.Case:
        self.expect_word("CASE")
        subject = None if self.at_word("WHEN") else self.expression()
        whens = []
        while self.accept_word("WHEN"):
            condition = self.expression()
            if self.at_symbol(","):
                raise UnsupportedFeature("CASE WHEN with several values")
            self.expect_word("THEN")
            whens.append((condition, self.expression()))
        if not whens:
            raise self.error("expected WHEN")
        default = self.expression() if self.accept_word("ELSE") else None
        self.expect_word("END")
        return A.Case(subject, tuple(whens), default)

    def subquery(self, word: str) -> A.Expr:
        self.i += 2  # the word and {
        if word == "COLLECT":
            raise UnsupportedFeature("COLLECT { } subqueries")
        self.accept_word("MATCH")
        patterns = [self.path_pattern()]
        while self.accept_symbol(","):
            patterns.append(self.path_pattern())
        where = self.expression() if self.accept_word("WHERE") else None
        if not self.at_symbol("}"):
            raise UnsupportedFeature(f"{word} {{ }} subqueries with clauses other than MATCH and WHERE")
        self.next()
        return (A.PatternExists if word == "EXISTS" else A.PatternCount)(tuple(patterns), where)

    def parenthesised(self) -> A.Expr:
        start = self.i
        try:
            pattern = self.path_pattern()
        except (CypherSyntaxError, UnsupportedFeature):
            pattern = None
        if pattern is not None and pattern.rels and pattern.var is None:
            return A.PatternExists((pattern,), None, bare=True)
        self.i = start
        self.expect_symbol("(")
        expr = self.expression()
        self.expect_symbol(")")
        return expr

    def bracketed(self) -> A.Expr:
        start = self.i
        self.next()
        # a pattern comprehension: [p = (a)-->(b) WHERE ... | expr]
        if self.at_symbol("(") or (self.peek().kind in (WORD, NAME) and self.at_symbol("=", k=1)):
            mark = self.i
            try:
                pattern = self.path_pattern()
            except (CypherSyntaxError, UnsupportedFeature):
                pattern = None
            if pattern is not None and pattern.rels and (self.at_word("WHERE") or self.at_symbol("|")):
                where = self.expression() if self.accept_word("WHERE") else None
                self.expect_symbol("|")
                project = self.expression()
                self.expect_symbol("]")
                return A.PatternComp(pattern, where, project)
            self.i = mark
        # a list comprehension: [x IN list WHERE ... | expr]
        if self.peek().kind in (WORD, NAME) and self.at_word("IN", k=1):
            var = self.variable()
            self.next()
            source = self.expression()
            where = self.expression() if self.accept_word("WHERE") else None
            each = self.expression() if self.accept_symbol("|") else None
            self.expect_symbol("]")
            return A.ListComp(var, source, where, each)
        self.i = start + 1
        items = []
        if not self.at_symbol("]"):
            items.append(self.expression())
            while self.accept_symbol(","):
                items.append(self.expression())
        self.expect_symbol("]")
        return A.ListLit(tuple(items))

    def map_literal(self) -> A.MapLit:
        self.expect_symbol("{")
        items = []
        if not self.at_symbol("}"):
            while True:
                key = self.name("a property key")
                self.expect_symbol(":")
                items.append((key, self.expression()))
                if not self.accept_symbol(","):
                    break
        self.expect_symbol("}")
        return A.MapLit(tuple(items))

    def map_projection(self, subject: A.Var) -> A.MapProjection:
        self.expect_symbol("{")
        items: list[tuple[str, str, A.Expr | None]] = []
        if not self.at_symbol("}"):
            while True:
                if self.accept_symbol("."):
                    if self.accept_symbol("*"):
                        items.append(("all", "", None))
                    else:
                        items.append(("prop", self.name("a property key"), None))
                elif self.peek().kind in (WORD, NAME) and self.at_symbol(":", k=1):
                    key = self.name()
                    self.next()
                    items.append(("key", key, self.expression()))
                else:
                    items.append(("var", self.variable(), None))
                if not self.accept_symbol(","):
                    break
        self.expect_symbol("}")
        return A.MapProjection(subject, tuple(items))
