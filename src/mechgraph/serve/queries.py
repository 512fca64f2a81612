"""What each panel asks of the library, from a request's query parameters.

Every function takes a graph and the request's parameters (a mapping of strings,
optionally with ``getlist`` for repeated keys), checks them the way the command's
options are checked, calls the same library function the command calls and returns
its ``--json`` shape. A missing or out-of-range parameter raises :class:`BadRequest`;
the library's own errors (an unknown entity, a Cypher syntax error, a refused write)
are MechgraphErrors as well, so a server answers all of them with their message.

>>> from mechgraph import MechGraph
>>> graph = MechGraph.load("tests/data/example-graph")
>>> [n["id"] for n in path_result(graph, {"source": "DX", "target": "protein p"})["paths"][0]["nodes"]]
['drug-x', 'receptor-r', 'protein-p']
>>> path_result(graph, {"source": "DX", "target": "protein p", "k": "0"})
Traceback (most recent call last):
...
mechgraph.serve.queries.BadRequest: k must be a whole number from 1 to 100
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Literal, overload

from ..reasoning.conflicts import KINDS
from ..model.constants import EVIDENCE_LEVELS
from ..errors import MechgraphError

#: the longest name, finding id or other short text a parameter may carry
MAX_TEXT = 1000
#: the longest Cypher query the console takes
MAX_QUERY = 100_000
#: the deepest list or map a query parameter may hold (as ``query -p``)
MAX_DEPTH = 64
#: views of the map (:mod:`mechgraph.html.views`) and its languages
MAP_VIEWS = ("mechanism", "clinical", "pharmacokinetics", "everything")
MAP_LANGS = ("en", "zh")


class BadRequest(MechgraphError):
    """A request's parameter is missing, malformed or out of range."""


class Params:
    """Typed access to a request's query parameters; each getter raises BadRequest."""

    def __init__(self, values):
        self.values = values

    @overload
    def text(self, name: str, *, required: Literal[True], limit: int = ...) -> str: ...
    @overload
    def text(self, name: str, *, required: bool = ..., limit: int = ...) -> str | None: ...

    def text(self, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        value = (self.values.get(name) or "").strip()
        if not value:
            if required:
                raise BadRequest(f"{name} is required")
            return None
        if len(value) > limit:
            raise BadRequest(f"{name} is longer than {limit:,} characters")
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        text = self.text(name)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise BadRequest(f"{name} must be a whole number from {low} to {high}")
        return value

    def number(self, name: str, default: float, low: float, high: float) -> float:
        text = self.text(name)
        if text is None:
            return default
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            raise BadRequest(f"{name} must be a number from {low:g} to {high:g}")
        return value

    def choice(self, name: str, choices, default: str | None = None) -> str | None:
        text = self.text(name)
        if text is None:
            return default
        if text not in choices:
            raise BadRequest(f"{name} must be one of {', '.join(choices)}")
        return text

    def choices(self, name: str, choices) -> list[str]:
        values = self.values.getlist(name) if hasattr(self.values, "getlist") else \
            [v for v in [self.values.get(name)] if v]
        picked = [v for v in values if v]
        for value in picked:
            if value not in choices:
                raise BadRequest(f"{name} must be one of {', '.join(choices)}")
        return picked

    def flag(self, name: str) -> bool:
        text = (self.values.get(name) or "").strip().lower()
        if text in ("", "0", "false", "off", "no"):
            return False
        if text in ("1", "true", "on", "yes"):
            return True
        raise BadRequest(f"{name} must be true or false")


def path_options(values) -> dict:
    """The ``path`` command's options from request parameters (same names and defaults)."""
    p = Params(values)
    return {"source": p.text("source", required=True), "target": p.text("target", required=True),
            "max_hops": p.integer("max_hops", 4, 1, 8), "k": p.integer("k", 5, 1, 100),
            "relation": p.choice("relation", ("chain", "any"), "chain"), "drug": p.text("drug"),
            "min_level": p.choice("min_level", EVIDENCE_LEVELS), "directed": p.flag("directed"),
            "min_score": p.number("min_score", 0.0, 0, 1), "signed": p.flag("signed")}


def path_result(graph, values) -> dict:
    """``mechgraph path --json``: ranked chains (or labelled connections) between two entities."""
    options = path_options(values)
    signed = options.pop("signed")
    result = graph.path(options.pop("source"), options.pop("target"), **options)
    if signed:
        from ..reasoning.signs import annotate_signs
        result = annotate_signs(graph, result)
    return result


def explain_options(values) -> dict:
    """The ``explain`` command's options from request parameters."""
    p = Params(values)
    return {"drug": p.text("drug", required=True), "outcome": p.text("outcome"),
            "max_hops": p.integer("max_hops", 6, 1, 8), "min_level": p.choice("min_level", EVIDENCE_LEVELS),
            "min_score": p.number("min_score", 0.0, 0, 1), "k": p.integer("k", 3, 1, 50)}


def explain_result(graph, values) -> dict:
    """``mechgraph explain --json``: a drug's chains to an outcome, by mechanism family."""
    from ..reasoning.explain import explain
    o = explain_options(values)
    return explain(graph, o["drug"], o["outcome"], max_hops=o["max_hops"], min_level=o["min_level"],
                   min_score=o["min_score"], chains_per_family=o["k"])


def conflicts_result(graph, values) -> list[dict]:
    """``mechgraph conflicts --json``: every disagreement, optionally about one entity,
    of some kinds, or only the unexplained ones."""
    from ..reasoning.conflicts import find_conflicts
    p = Params(values)
    entity = p.text("entity")
    kinds = p.choices("kind", KINDS)
    entity_id = graph.resolve(entity).id if entity else None
    found = find_conflicts(graph.model, entity=entity_id, kinds=kinds or KINDS, topology=graph.topology)
    if p.flag("unexplained"):
        found = [c for c in found if c["classification"] == "unexplained"]
    return found


def _sources(sources: Path | None, what: str) -> Path:
    if sources is None:
        raise BadRequest(f"{what} needs the seed texts: start the server with --sources DIR")
    return sources


def coverage_result(graph, sources: Path | None) -> dict:
    """``mechgraph coverage --json``: provenance problems and the uncited sentences of each seed."""
    from ..curation.coverage import check_coverage
    return check_coverage(graph.model, _sources(sources, "coverage")).to_json()


def locate_result(graph, sources: Path | None, values) -> dict:
    """``mechgraph locate --json``: a finding's summary beside the seed sentences it cites."""
    from ..curation.coverage import cited_sentences, load_seeds
    finding = graph.finding(Params(values).text("finding", required=True))
    seeds = load_seeds(graph.model, _sources(sources, "locate"))
    seed = seeds.get(finding.source)
    if seed is None:
        raise BadRequest(f"the source {finding.source!r} of {finding.id} is not a seed text")
    return {"finding": finding.summary(), "seed": seed.name,
            "sentences": [{"locator": s.locator, "section": s.section, "text": s.text}
                          for s in cited_sentences(seed, finding)]}


def cypher_query(values) -> tuple[str, dict]:
    """The console's query and its parameters (``params``: a JSON object, for ``$name``)."""
    p = Params(values)
    query = p.text("q", required=True, limit=MAX_QUERY)
    text = p.text("params", limit=MAX_QUERY)
    if text is None:
        return query, {}
    try:
        params = json.loads(text)
    except RecursionError:
        raise BadRequest(f"params is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as exc:
        raise BadRequest(f"params is not JSON: {exc}") from None
    if not isinstance(params, dict):
        raise BadRequest('params must be a JSON object, such as {"id": "bdnf"}')
    if _depth(params) > MAX_DEPTH:
        raise BadRequest(f"params is nested too deeply (at most {MAX_DEPTH} levels)")
    return query, params


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH or not isinstance(value, (list, dict)):
        return level
    items = value.values() if isinstance(value, dict) else value
    return max((_depth(v, level + 1) for v in items), default=level + 1)


def run_cypher(graph, query: str, params: dict, *, timeout: float, max_rows: int):
    """Run a read-only query on the embedded engine within its limits; return its Result.
    A query that writes is refused before it runs."""
    from ..cypher import run_query
    from ..cypher.guard import writes
    clause = writes(query)
    if clause is not None:
        raise BadRequest(f"the query writes ({clause}); this server is read-only and runs no writes")
    return run_query(query, params, graph=graph, timeout=timeout, max_rows=max_rows)


def map_options(values) -> dict:
    """``mechgraph render``'s options from request parameters (for ``html.build_map``)."""
    p = Params(values)
    focus = p.text("focus")
    depth = p.integer("depth", 1, 0, 10)
    if p.text("depth") is not None and focus is None:
        raise BadRequest("depth needs focus")
    return {"focus": focus, "depth": depth, "types": p.text("types"),
            "min_level": p.choice("min_level", EVIDENCE_LEVELS), "min_score": p.number("min_score", 0.0, 0, 1),
            "drug": p.text("drug"), "view": p.choice("view", MAP_VIEWS), "lang": p.choice("lang", MAP_LANGS, "en")}
