"""Score the embedded engine on the read-only openCypher TCK scenarios.

    python tests/cypher_corpus/measure_tck.py ../shared/tck [--core]

Each scenario's graph is built by a private FalkorDB (the setup queries CREATE it), read
back, and queried with the embedded engine. A pass is an equal result table (or an error
where the TCK expects one). Reported: passes, refusals by name (UnsupportedFeature),
other errors, wrong tables and errors that should have been raised. ``--core`` keeps the
MATCH-first scenarios (match, match-where, return, return-orderby, return-skip-limit,
aggregation). Scenarios that write, call test procedures or use temporal values are left
out. This is a measurement for the README's Cypher section, not part of the test suite.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CORE = ("clauses/match/", "clauses/match-where/", "clauses/return/", "clauses/return-orderby/",
        "clauses/return-skip-limit/", "expressions/aggregation/")
TEMPORAL = ("date(", "datetime(", "time(", "duration(", "localtime(", "localdatetime(")


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
    from mechgraph.cypher.values import Node, Path, Relationship
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


def main(argv):
    from falkordb_server import FalkorServer

    from mechgraph.cypher.engine import Engine
    from mechgraph.cypher.errors import UnsupportedFeature
    from mechgraph.cypher.guard import writes
    from mechgraph.cypher.matching import GraphIndex
    from mechgraph.errors import MechgraphError
    from mechgraph.neo4j_backend import connect, quiet_driver_logs

    tck = Path(argv[0])
    core_only = "--core" in argv
    scenarios = json.loads((tck / "scenarios.json").read_text(encoding="utf-8"))
    chosen = []
    for s in scenarios:
        setup_text = " ".join(s["setup"]) + s["query"]
        try:
            writing = writes(s["query"])
        except MechgraphError:  # not even tokens: a syntax-error scenario, read-only
            writing = None
        if "procedure" in s["flags"] or writing or any(t in setup_text for t in TEMPORAL):
            continue
        if s["file"].startswith("expressions/temporal"):
            continue
        if core_only and not s["file"].startswith(CORE):
            continue
        chosen.append(s)
    quiet_driver_logs()
    server = FalkorServer(Path(tempfile.mkdtemp()))
    server.start()
    tally: Counter = Counter()
    failures: dict[str, list[str]] = {}
    try:
        conn = connect(server.uri, user="falkordb")
        for s in chosen:
            setup = list(s["setup"])
            if s["graph"] != "empty":
                setup.insert(0, (tck / "graphs" / s["graph"] / f"{s['graph']}.cypher").read_text(encoding="utf-8"))
            try:
                conn.write("MATCH (n) DETACH DELETE n")
                for statement in setup:
                    conn.write(statement)
                nodes = {n.element_id: n for (n,) in conn.read("MATCH (n) RETURN n").rows}
                rels = []
                from mechgraph.cypher.values import Relationship
                for (r,) in conn.read("MATCH ()-[r]->() RETURN r").rows:
                    rels.append(Relationship(r.element_id, r.type, r.properties, nodes[r.start.element_id],
                                             nodes[r.end.element_id]))
            except (MechgraphError, KeyError) as exc:
                tally["setup failed"] += 1
                failures.setdefault("setup failed", []).append(f"{s['file']} {s['name']}: {exc}")
                if server.process is None or server.process.poll() is not None:
                    server.start()
                    conn = connect(server.uri, user="falkordb")
                continue
            engine = Engine.from_index(GraphIndex(list(nodes.values()), rels))
            params = {k: _plain(parse_value(v)) for k, v in (s["params"] or [])}
            outcome = s["outcome"]
            try:
                result = engine.run(s["query"], params)
            except UnsupportedFeature as exc:
                kind = "pass (error expected)" if outcome["type"] == "error" else "refused by name"
                tally[kind] += 1
                failures.setdefault(kind, []).append(f"{s['file']} {s['name']}: {exc}")
                continue
            except MechgraphError as exc:
                kind = "pass (error expected)" if outcome["type"] == "error" else "other error"
                tally[kind] += 1
                failures.setdefault(kind, []).append(f"{s['file']} {s['name']}: {exc}")
                continue
            if outcome["type"] == "error":
                tally["missed error"] += 1
                failures.setdefault("missed error", []).append(f"{s['file']} {s['name']}: {outcome['text']}")
                continue
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
            kind = "pass" if same else "wrong table"
            tally[kind] += 1
            if not same:
                failures.setdefault(kind, []).append(f"{s['file']} {s['name']}")
        conn.close()
    finally:
        server.stop()
    total = sum(tally.values())
    passed = tally["pass"] + tally["pass (error expected)"]
    print(f"{len(chosen)} read-only scenarios{' (core)' if core_only else ''}: {passed} pass "
          f"({passed / total:.1%}); " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    if "-v" in argv:
        for kind in ("wrong table", "missed error", "other error", "setup failed", "refused by name"):
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
