"""What a query may not do where it is sent: the write guard and FalkorDB's gaps.

``mechgraph query`` is read-only unless ``--write``. Neo4j enforces that itself in a
READ transaction; FalkorDB does not (a CREATE in a READ transaction succeeds), so every
query is also checked here before it is sent: an updating clause (CREATE, MERGE, SET,
DELETE, REMOVE, FOREACH, DROP, ...) or a procedure not known to be read-only is refused
without ``--write``.

>>> writes("MATCH (n) SET n.x = 1 RETURN n")
'SET'
>>> writes("MATCH (n {set: 1}) WHERE n.create = 'MERGE' RETURN n") is None
True
>>> writes("CALL db.labels()") is None
True
"""

from __future__ import annotations

from .lexer import END, NAME, SYMBOL, WORD, Token, tokenize

#: words that begin an updating clause or a schema or administration command
UPDATING = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "DROP", "ALTER",
                      "GRANT", "DENY", "REVOKE", "RENAME", "INSERT"})
#: procedures that only read
READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints", "db.info",
    "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
    "dbms.components", "dbms.procedures", "dbms.functions", "db.ping",
})


def _significant(tokens: list[Token], i: int) -> Token | None:
    return tokens[i] if 0 <= i < len(tokens) else None


def _is_keyword(tokens: list[Token], i: int) -> bool:
    """A word used as a keyword: not a property key, label, map key or parameter."""
    before = _significant(tokens, i - 1)
    after = _significant(tokens, i + 1)
    if before is not None and before.kind == SYMBOL and before.text in (".", ":", "$"):
        return False
    if after is not None and after.kind == SYMBOL and after.text == ":":
        return False
    return True


def _procedure(tokens: list[Token], i: int) -> str:
    """The dotted procedure name after CALL at ``i``."""
    parts = []
    j = i + 1
    while tokens[j].kind in (WORD, NAME):
        parts.append(tokens[j].text)
        if tokens[j + 1].kind == SYMBOL and tokens[j + 1].text == ".":
            j += 2
            continue
        break
    return ".".join(parts)


def writes(query: str) -> str | None:
    """The first updating keyword or procedure call in ``query`` (None when it only reads).

    Raises CypherSyntaxError when the text cannot be tokenised.
    """
    tokens = tokenize(query)
    for i, token in enumerate(tokens):
        word = token.upper
        if not word or not _is_keyword(tokens, i):
            continue
        if word in UPDATING:
            return "DETACH DELETE" if word == "DETACH" else word
        if word in ("START", "STOP") and tokens[i + 1].upper == "DATABASE":
            return f"{word} DATABASE"
        if word == "CALL":
            name = _procedure(tokens, i)
            if name and name.lower() not in READ_ONLY_PROCEDURES:
                return f"CALL {name}"
    return None


#: function name (lower case) -> what FalkorDB lacks or gets wrong
_FALKORDB_FUNCTIONS = {
    "shortestpath": "shortestPath() (FalkorDB rejects it here; Neo4j and the embedded engine run it)",
    "allshortestpaths": "allShortestPaths() (FalkorDB rejects it here; Neo4j runs it)",
    "elementid": "elementId()",
    **{name: f"temporal values ({name}()): returning one over Bolt stops the FalkorDB server"
       for name in ("date", "datetime", "localdatetime", "time", "localtime", "duration")},
}


def falkordb_gap(query: str) -> str | None:
    """A feature of ``query`` that FalkorDB cannot run or answers differently from Neo4j,
    or None. Refusing these up front gives a clear message where FalkorDB's Bolt layer
    would report only "unknown error" (or, for temporal values, crash)."""
    tokens = tokenize(query)
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else Token(END, "", 0)
        if token.kind == SYMBOL and token.text == "=~":
            return "the regular-expression operator =~"
        word = token.upper
        if not word or not _is_keyword(tokens, i):
            continue
        if word in ("EXISTS", "COUNT", "COLLECT") and nxt.kind == SYMBOL and nxt.text == "{":
            return f"{word} {{ }} subqueries"
        if word == "CONSTRAINT" and i > 0 and tokens[i - 1].upper in ("CREATE", "DROP"):
            return "uniqueness constraints (CREATE CONSTRAINT)"
        if nxt.kind == SYMBOL and nxt.text == "(" and token.text.lower() in _FALKORDB_FUNCTIONS \
                and not (i > 0 and tokens[i - 1].kind == SYMBOL and tokens[i - 1].text == "."):
            return _FALKORDB_FUNCTIONS[token.text.lower()]
        if word == "ROUND" and nxt.text == "(" and _has_top_level_comma(tokens, i + 1):
            return "round() with a precision argument"
    for i, token in enumerate(tokens):  # a named variable-length relationship: -[r*1..3]-
        if token.kind == SYMBOL and token.text == "[" and tokens[i + 1].kind in (WORD, NAME) \
                and i > 0 and tokens[i - 1].text in ("-", "<"):
            j = i + 2
            if tokens[j].text == ":":
                j += 1
                while tokens[j].kind in (WORD, NAME) or tokens[j].text in ("|", ":"):
                    j += 1
            if tokens[j].text == "*":
                return "a named variable-length relationship ([r*..]); name the path and use relationships(p)"
    return None


def _has_top_level_comma(tokens: list[Token], open_index: int) -> bool:
    depth = 0
    for token in tokens[open_index:]:
        if token.kind == SYMBOL and token.text in "([{":
            depth += 1
        elif token.kind == SYMBOL and token.text in ")]}":
            depth -= 1
            if depth == 0:
                return False
        elif depth == 1 and token.kind == SYMBOL and token.text == ",":
            return True
    return False

