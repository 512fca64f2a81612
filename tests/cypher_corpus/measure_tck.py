"""Score the embedded engine on the read-only openCypher TCK scenarios, the standard way.

    python tests/cypher_corpus/measure_tck.py ../shared/tck [--core] [--only TEXT] [-v]

Read-only means the query has no updating clause and calls no procedure that is not
known to be read-only (:func:`mechgraph.cypher.guard.writes`, the rule ``mechgraph
query`` applies; the TCK's test procedures count as writing). Two figures:

- **result tables**: of every read-only scenario that expects a result (a table or an
  empty result), how many the engine answers with an equal table. Everything else counts
  against it: a wrong table, a refusal by name, any error, a graph that could not be
  built.
- **errors**: of every read-only scenario that expects an error, how many raise an error
  of the expected class (SyntaxError, TypeError, ArgumentError, ...: ``CypherError.kind``)
  at the expected phase (compile time or run time: ``CypherError.phase``). A refusal by
  name, an error of another class or phase, or no error count against it.

Each scenario's graph is built by a private FalkorDB (the setup queries CREATE it) and
read back; temporal values in setup queries (which FalkorDB cannot return) stand in as
marker strings and are computed by the embedded engine. ``--core`` keeps the MATCH-first
scenarios (match, match-where, return, return-orderby, return-skip-limit, aggregation);
``--only TEXT`` the feature files whose path contains TEXT (for a quick look). This is a
measurement for the docs' Cypher page (docs/cypher.md), not part of the test suite.
"""

from __future__ import annotations

import json
import math
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CORE = ("clauses/match/", "clauses/match-where/", "clauses/return/", "clauses/return-orderby/",
        "clauses/return-skip-limit/", "expressions/aggregation/")
#: a temporal constructor call in a setup query (not a method such as date.truncate)
TEMPORAL_CALL = re.compile(r"(?<![\w.])(?:date|datetime|localdatetime|localtime|time|duration)\s*\(", re.IGNORECASE)
#: the TCK's "a TypeError should be raised at runtime: ..." and its phases
EXPECTED_ERROR = re.compile(r"an? (\w+) should be raised at (compile time|runtime|any time)")
PHASES = {"compile time": ("compile",), "runtime": ("runtime",), "any time": ("compile", "runtime")}


class TckValue:
    """Parse the TCK's value syntax: Cypher literals plus (:L {k: v}), [:T {k: v}], <path>."""

    def __init__(self, text: str):
        from mechgraph.cypher.lexer import tokenize
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self, k=0):
        return self.tokens[self.i + k]

    def take(self, text=None):
        token = self.tokens[self.i]
        if text is not None and token.text != text:
            raise ValueError(f"expected {text!r}, found {token.text!r}")
        self.i += 1
        return token

    def value(self):
        t = self.peek()
        if t.kind == "symbol" and t.text == "(":
            return self.node()
        if t.kind == "symbol" and t.text == "[" and self.peek(1).text == ":":
            return self.rel()
        if t.kind == "symbol" and t.text == "<":
            return self.path()
        if t.kind == "symbol" and t.text == "[":
            self.take("[")
            items = []
            while self.peek().text != "]":
                items.append(self.value())
                if self.peek().text == ",":
                    self.take(",")
            self.take("]")
            return ("list", tuple(items))
        if t.kind == "symbol" and t.text == "{":
            return ("map", tuple(sorted(self.map_items())))
        if t.kind == "symbol" and t.text == "-":
            self.take("-")
            v = self.value()
            return -v if isinstance(v, int) else ("float", -v[1]) if isinstance(v, tuple) else v
        self.take()
        if t.kind == "string":
            return t.text
        if t.kind == "number":
            if any(c in t.text for c in ".eE") and not t.text.startswith("0x"):
                return ("float", round(float(t.text), 9))
            return int(t.text, 0)
        word = t.text.lower()
        if word in ("true", "false"):
            return word == "true"
        if word == "null":
            return None
        if word == "nan":
            return ("float", "nan")
        if word in ("inf", "infinity"):
            return ("float", math.inf)
        raise ValueError(f"unexpected {t.text!r}")

    def map_items(self):
        self.take("{")
        items = []
        while self.peek().text != "}":
            key = self.take().text
            self.take(":")
            items.append((key, self.value()))
            if self.peek().text == ",":
                self.take(",")
        self.take("}")
        return items

    def node(self):
        self.take("(")
        labels = []
        while self.peek().text == ":":
            self.take(":")
            labels.append(self.take().text)
        props = self.map_items() if self.peek().text == "{" else []
        self.take(")")
        return ("node", tuple(sorted(labels)), ("map", tuple(sorted(props))))

    def rel(self):
        self.take("[")
        self.take(":")
        rel_type = self.take().text
        props = self.map_items() if self.peek().text == "{" else []
        self.take("]")
        return ("rel", rel_type, ("map", tuple(sorted(props))))

    def path(self):
        self.take("<")
        nodes, rels = [self.node()], []
        while self.peek().text in ("-", "<"):
            if self.peek().text == "<":
                self.take("<")
            self.take("-")
            rels.append(self.rel())
            self.take("-")
            if self.peek().text == ">":
                self.take(">")
            nodes.append(self.node())
        self.take(">")
        return ("path", tuple(nodes), tuple(rels))


def parse_value(text: str):
    return TckValue(text).value()


def canon(value, unordered: bool):
    from mechgraph.cypher.temporal import Temporal
    from mechgraph.cypher.values import Node, Path, Relationship
    if isinstance(value, Temporal):  # the TCK writes temporal values as their text
        return str(value)
    if isinstance(value, Node):
        return ("node", tuple(sorted(value.labels)), canon(value.properties, unordered))
    if isinstance(value, Relationship):
        return ("rel", value.type, canon(value.properties, unordered))
    if isinstance(value, Path):
        return ("path", tuple(canon(n, unordered) for n in value.nodes),
                tuple(canon(r, unordered) for r in value.relationships))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, canon(v, unordered)) for k, v in value.items())))
    if isinstance(value, list):
        items = tuple(canon(v, unordered) for v in value)
        return ("list", tuple(sorted(items, key=repr)) if unordered else items)
    if isinstance(value, float):
        return ("float", "nan") if math.isnan(value) else ("float", round(value, 9))
    return value


def sort_lists(value):
    if isinstance(value, tuple) and value and value[0] == "list":
        return ("list", tuple(sorted((sort_lists(v) for v in value[1]), key=repr)))
    if isinstance(value, tuple):
        return tuple(sort_lists(v) for v in value)
    return value


def stand_ins(statement: str) -> tuple[str, dict[str, str]]:
    """``statement`` with each temporal constructor call replaced by a marker string, and
    marker -> the call's text."""
    calls: dict[str, str] = {}
    out, i = [], 0
    while True:
        match = TEMPORAL_CALL.search(statement, i)
        if match is None:
            out.append(statement[i:])
            return "".join(out), calls
        end = _closing(statement, match.end() - 1)
        marker = f"__tck_temporal_{len(calls)}__"
        calls[marker] = statement[match.start():end + 1]
        out.append(statement[i:match.start()] + f"'{marker}'")
        i = end + 1


def _closing(text: str, open_at: int) -> int:
    """The index of the parenthesis that closes the one at ``open_at`` (quotes skipped)."""
    depth, quote, i = 0, None, open_at
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced parentheses in {text!r}")


def restore(value, calls: dict[str, str], engine):
    """A property value with its marker strings computed back into temporal values."""
    if isinstance(value, str) and value in calls:
        return engine.run(f"RETURN {calls[value]} AS v").rows[0][0]
    if isinstance(value, list):
        return [restore(v, calls, engine) for v in value]
    return value


def expected_error(text: str) -> tuple[str, tuple[str, ...]]:
    """(error class, accepted phases) of the TCK's expectation."""
    match = EXPECTED_ERROR.match(text)
    if match is None:
        raise ValueError(f"cannot read the expected error {text!r}")
    return match.group(1), PHASES[match.group(2)]


def select(scenarios, core_only: bool, only: str | None):
    """The read-only scenarios to score (see the module docstring)."""
    from mechgraph.cypher.guard import writes
    from mechgraph.errors import MechgraphError
    chosen = []
    for s in scenarios:
        try:
            writing = writes(s["query"])
        except MechgraphError:  # not even tokens: a syntax-error scenario, read-only
            writing = None
        if writing or (core_only and not s["file"].startswith(CORE)) or (only and only not in s["file"]):
            continue
        chosen.append(s)
    return chosen


def split_create(statement: str) -> str | None:
    """``CREATE (a), (b {x: a.y})`` as ``CREATE (a) CREATE (b {x: a.y})`` (the same graph),
    or None when the statement is not made of CREATE clauses alone."""
    pieces, depth, quote, start = [], 0, None, 0
    for i, c in enumerate(statement):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            pieces.append(statement[start:i])
            start = i + 1
    pieces.append(statement[start:])
    words = re.findall(r"[A-Za-z]+", re.sub(r"'[^']*'|\([^()]*\)|\{[^{}]*\}|\[[^\[\]]*\]", " ", statement))
    if not statement.lstrip().upper().startswith("CREATE") or {w.upper() for w in words} - {"CREATE"}:
        return None
    return "\nCREATE ".join(piece.strip() for piece in pieces)


def build_graph(conn, tck: Path, s, empty_engine):
    """The scenario's graph, built by FalkorDB and read back, as a GraphIndex."""
    from mechgraph.cypher.matching import GraphIndex
    from mechgraph.errors import MechgraphError
    from mechgraph.cypher.values import Node, Relationship
    setup = list(s["setup"])
    if s["graph"] != "empty":
        setup.insert(0, (tck / "graphs" / s["graph"] / f"{s['graph']}.cypher").read_text(encoding="utf-8"))
    calls: dict[str, str] = {}
    conn.write("MATCH (n) DETACH DELETE n")
    for statement in setup:
        text, found = stand_ins(statement.strip().rstrip(";"))
        calls.update(found)
        try:
            conn.write(text)
        except MechgraphError:  # FalkorDB cannot read a variable bound in the same CREATE
            split = split_create(text)
            if split is None:
                raise
            conn.write(split)

    def props(properties):
        return {k: restore(v, calls, empty_engine) for k, v in properties.items()}

    nodes = {n.element_id: Node(n.element_id, tuple(n.labels), props(n.properties))
             for (n,) in conn.read("MATCH (n) RETURN n").rows}
    rels = [Relationship(r.element_id, r.type, props(r.properties), nodes[r.start.element_id],
                         nodes[r.end.element_id])
            for (r,) in conn.read("MATCH ()-[r]->() RETURN r").rows]
    return GraphIndex(list(nodes.values()), rels)


def score(s, engine, params, failures) -> str:
    """The outcome of one scenario whose graph is built: a tally key."""
    from mechgraph.cypher.errors import UnsupportedFeature
    from mechgraph.errors import MechgraphError
    outcome = s["outcome"]
    name = f"{s['file']} {s['name']}"
    try:
        result = engine.run(s["query"], params)
    except UnsupportedFeature as exc:
        failures.setdefault("refused by name", []).append(f"{name}: {exc}")
        return "refused by name"
    except MechgraphError as exc:
        if outcome["type"] != "error":
            failures.setdefault("other error", []).append(f"{name}: {exc}")
            return "other error"
        kind, phases = expected_error(outcome["text"])
        got = (getattr(exc, "kind", None), getattr(exc, "phase", None))
        if got[0] == kind and got[1] in phases:
            return "pass"
        failures.setdefault("wrong error", []).append(
            f"{name}: expected {outcome['text']}; raised {got[0] or 'an unclassified error'} at "
            f"{got[1] or 'an unknown phase'}: {exc}")
        return "wrong error"
    if outcome["type"] == "error":
        failures.setdefault("missed error", []).append(f"{name}: {outcome['text']}")
        return "missed error"
    expected_rows = [] if outcome["type"] == "empty" else outcome["rows"]
    unordered = bool(outcome.get("ignore_list_order"))
    expected = [tuple(parse_value(v) for v in row) for row in expected_rows]
    got = [tuple(canon(v, unordered) for v in row) for row in result.rows]
    if unordered:
        expected = [sort_lists(r) for r in expected]
    if outcome["type"] == "table" and list(outcome["header"]) != result.columns:
        same = False
    elif outcome.get("ordered"):
        same = expected == got
    else:
        same = sorted(expected, key=repr) == sorted(got, key=repr)
    if not same:
        failures.setdefault("wrong table", []).append(name)
        return "wrong table"
    return "pass"


def _option(argv, flag):
    return argv[argv.index(flag) + 1] if flag in argv else None


def main(argv):
    from falkordb_server import FalkorServer

    from mechgraph.cypher.engine import Engine
    from mechgraph.cypher.matching import GraphIndex
    from mechgraph.errors import MechgraphError
    from mechgraph.backends.bolt import connect, quiet_driver_logs

    tck = Path(argv[0])
    core_only = "--core" in argv
    only = _option(argv, "--only")
    scenarios = json.loads((tck / "scenarios.json").read_text(encoding="utf-8"))
    chosen = select(scenarios, core_only, only)
    empty_engine = Engine.from_index(GraphIndex([], []))
    quiet_driver_logs()
    server = FalkorServer(Path(tempfile.mkdtemp()))
    server.start()
    tallies = {"table": Counter(), "error": Counter(), "core table": Counter(), "core error": Counter()}
    failures: dict[str, list[str]] = {}
    try:
        conn = connect(server.uri, user="falkordb")
        for s in chosen:
            group = "error" if s["outcome"]["type"] == "error" else "table"
            try:
                index = build_graph(conn, tck, s, empty_engine)
            except (MechgraphError, KeyError) as exc:
                kind = "setup failed"
                failures.setdefault(kind, []).append(f"{s['file']} {s['name']}: {exc}")
                if server.process is None or server.process.poll() is not None:
                    server.start()
                    conn = connect(server.uri, user="falkordb")
            else:
                params = {k: _plain(parse_value(v)) for k, v in (s["params"] or [])}
                kind = score(s, Engine.from_index(index), params, failures)
            tallies[group][kind] += 1
            if s["file"].startswith(CORE):
                tallies["core " + group][kind] += 1
        conn.close()
    finally:
        server.stop()
    scope = " (core)" if core_only else f" (files matching {only!r})" if only else ""
    for label, tally, what in (
            ("Result tables", tallies["table"], "read-only scenarios that expect a result"),
            ("Errors", tallies["error"], "read-only scenarios that expect an error (right class, right phase)"),
            ("Core result tables", tallies["core table"], "core scenarios that expect a result"),
            ("Core errors", tallies["core error"], "core scenarios that expect an error")):
        total = sum(tally.values())
        if not total or (label.startswith("Core") and core_only):
            continue
        rest = ", ".join(f"{k} {v}" for k, v in sorted(tally.items()) if k != "pass")
        print(f"{label}{scope}: {tally['pass']} of {total} {what} pass ({tally['pass'] / total:.1%})"
              + (f"; {rest}" if rest else ""))
    if "-v" in argv:
        for kind in ("wrong table", "missed error", "wrong error", "other error", "setup failed",
                     "refused by name"):
            for line in failures.get(kind, []):
                print(f"  {kind}: {line}")
    return 0


def _plain(value):
    if isinstance(value, tuple):
        if value[0] == "float":
            return float(value[1])
        if value[0] == "list":
            return [_plain(v) for v in value[1]]
        if value[0] == "map":
            return {k: _plain(v) for k, v in value[1]}
    return value


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
