"""What :class:`~mechgraph.MechGraph`'s methods return: the documented JSON shapes, typed.

Each result is a ``dict`` or ``list`` holding exactly what the command's ``--json``
prints (the shapes of ``src/mechgraph/schemas/``), so ``json.dumps(result)`` and every
``result["key"]`` work as before; each adds a few properties, ``to_json()`` (a plain,
JSON-ready copy), ``to_frame()`` where a table fits (pandas, the ``frames`` extra), and
``_repr_html_``: Jupyter shows it as an HTML table. Every text in that table is escaped
(``html.escape``), names of the graph included.

A query's result is the exception: its cells may be nodes, relationships and paths, so
:class:`QueryResult` is not a dict, and ``to_json()`` gives its JSON shape.
:class:`MapView` is the interactive map shown inline.

>>> from mechgraph import MechGraph
>>> hits = MechGraph.load("tests/data/example-graph").search("drug")
>>> type(hits).__name__, hits.best["id"]
('SearchHits', 'drug-x')
>>> print(hits._repr_html_()[:60])
<table class="mechgraph"><thead><tr><th>id</th><th>name</th>
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["PathResult", "ExplainResult", "EntityView", "SearchHits", "Conflicts", "Stats", "ScoreParts",
           "Rendered", "Exported", "QueryResult", "MapView"]

#: the most rows an HTML table shows (the rest are counted below it)
SHOWN_ROWS = 100


def _escape(text: str, quote: bool = True) -> str:
    """``html.escape``, imported on first use: importing html costs every command a millisecond."""
    from html import escape
    return escape(text, quote)


def _cell(value: Any) -> str:
    """A value as escaped text: lists joined by commas, maps as ``key: value``, None empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _escape(f"{value:g}")
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_escape(str(k))}: {_cell(v)}" for k, v in value.items())
    return _escape(str(value))


def html_table(columns: list[str], rows: list[list[Any]], *, caption: str | None = None,
               limit: int | None = SHOWN_ROWS) -> str:
    """An HTML table of ``rows`` under ``columns``, every text escaped; past ``limit``
    rows (None: no limit), a line counts those left out.

    >>> html_table(["name"], [["<script>alert(1)</script>"]], caption="a & b")
    '<table class="mechgraph"><caption>a &amp; b</caption><thead><tr><th>name</th></tr></thead><tbody><tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{_escape(str(c))}</th>" for c in columns)
    shown = rows if limit is None else rows[:limit]
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in shown)
    title = f"<caption>{_escape(caption)}</caption>" if caption else ""
    more = f"<p>… {len(rows) - len(shown)} more rows</p>" if len(rows) > len(shown) else ""
    return f'<table class="mechgraph">{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


def _frame(rows: list[dict], columns: list[str] | None = None):
    """A pandas DataFrame of ``rows``; MechgraphError when pandas is not installed."""
    try:
        import pandas
    except ImportError:
        from .errors import MechgraphError
        raise MechgraphError("to_frame() needs pandas: pip install 'mechgraph[frames]'") from None
    return pandas.DataFrame(rows, columns=columns)


def _name(entity: dict) -> str:
    return entity.get("name") or entity.get("id", "")


def _path_text(path: dict) -> str:
    """``A —predicate→ B ←predicate— C``: a path's entities and the direction of each step."""
    names = {n["id"]: _name(n) for n in path["nodes"]}
    text = names[path["nodes"][0]["id"]]
    for hop in path["hops"]:
        arrow = f" —{hop['predicate']}→ " if hop["source"] == hop["subject"] else f" ←{hop['predicate']}— "
        text += arrow + names.get(hop["target"], hop["target"])
    return text


class _Shown:
    """What every dict or list result shares: ``to_json()`` and the notebook display."""

    def to_json(self) -> Any:
        """A plain copy of the result (dicts, lists, strings, numbers), as ``--json`` prints it."""
        return json.loads(json.dumps(self))

    def _repr_html_(self) -> str:
        return self._html()

    def _html(self) -> str:  # pragma: no cover - each result has its own
        raise NotImplementedError


class PathResult(_Shown, dict[str, Any]):
    """Ranked paths between two entities (``path --json``): ``source``, ``target``,
    ``relation``, ``drug``, ``chains_found``, ``note`` and ``paths``, best first.

    >>> from mechgraph import MechGraph
    >>> found = MechGraph.load("tests/data/example-graph").path("drug-x", "protein-p", relation="any")
    >>> [n["id"] for n in found.best["nodes"]]
    ['drug-x', 'protein-p']
    >>> found.to_frame()[["path", "step", "predicate", "object"]].head(1).values.tolist()
    [[0, 0, 'increases_expression', 'protein-p']]
    """

    @property
    def paths(self) -> list[dict]:
        """The paths, best first."""
        return self["paths"]

    @property
    def best(self) -> dict | None:
        """The best path, or None when there is none."""
        return self["paths"][0] if self["paths"] else None

    def to_frame(self):
        """One row per step of every path: ``path`` (its rank, from 0), ``step``, the
        path's ``kind`` and ``score``, then the step's fields (pandas)."""
        rows = [{"path": i, "step": j, "kind": p["kind"], "path_score": p["score"], **hop}
                for i, p in enumerate(self["paths"]) for j, hop in enumerate(p["hops"])]
        return _frame(rows)

    def _html(self) -> str:
        caption = f"{_name(self['source'])} → {_name(self['target'])} ({self['relation']})"
        if self.get("note"):
            caption += f": {self['note']}"
        rows = [[i + 1, p["kind"], p["score"], _path_text(p), p["hops"][p["weakest"]]["predicate"]
                 if p.get("weakest") is not None and p["hops"] else ""] for i, p in enumerate(self["paths"])]
        return html_table(["#", "kind", "score", "path", "weakest step"], rows, caption=caption)


class ExplainResult(_Shown, dict[str, Any]):
    """How a drug works (``explain --json``): ``drug``, ``outcome``, ``chains``, its
    ``families`` of chains (each best first), ``open_ends`` and ``guidance``.

    >>> from mechgraph import MechGraph
    >>> how = MechGraph.load().explain("esketamine")
    >>> how.families[0]["chains"][0] == how.best
    True
    """

    @property
    def families(self) -> list[dict]:
        """The mechanism families, in the order ``explain`` ranks them."""
        return self["families"]

    @property
    def best(self) -> dict | None:
        """The best chain of the first family, or None when no family has one."""
        return next((f["chains"][0] for f in self["families"] if f["chains"]), None)

    def _html(self) -> str:
        caption = f"{_name(self['drug'])} → {_name(self['outcome'])}: {self['chains']} chains"
        rows = [[f["name"], f["chains_found"], f["chains"][0]["score"] if f["chains"] else "",
                 _path_text(f["chains"][0]) if f["chains"] else "", len(f.get("conflicts", []))]
                for f in self["families"]]
        return html_table(["family", "chains", "best score", "best chain", "disagreements"], rows, caption=caption)


class EntityView(_Shown, dict[str, Any]):
    """One entity with its edges and findings (``show --json``): ``entity``, ``out``,
    ``in``, ``mentions``, ``guidance`` and ``findings``.

    >>> from mechgraph import MechGraph
    >>> view = MechGraph.load("tests/data/example-graph").show("Drug X")
    >>> view.entity["id"], [e["other"]["id"] for e in view.edges][:2]
    ('drug-x', ['disease-d', 'receptor-r'])
    """

    @property
    def entity(self) -> dict:
        """The entity's own fields."""
        return self["entity"]

    @property
    def edges(self) -> list[dict]:
        """Its edges, out then in, each with ``direction`` (``out`` or ``in``) added."""
        return [{"direction": side, **edge} for side in ("out", "in") for edge in self[side]]

    def to_frame(self):
        """Its edges as a table (pandas), one row per edge."""
        return _frame([{**e, "other": e["other"]["id"]} for e in self.edges])

    def _html(self) -> str:
        e = self["entity"]
        caption = f"{e['name']} ({e['id']}, {e['type']}): {len(self['findings'])} findings"
        rows = [[d["direction"], d["predicate"], _name(d["other"]), d["level"], d["score"], len(d["findings"])]
                for d in self.edges]
        return html_table(["direction", "predicate", "other", "level", "score", "findings"], rows, caption=caption)


class SearchHits(_Shown, list[dict[str, Any]]):
    """Entities matching a text (``search --json``), best first: ``{"id", "name",
    "name_zh", "type", "score"}`` each.

    >>> from mechgraph import MechGraph
    >>> hits = MechGraph.load("tests/data/example-graph").search("receptor")
    >>> hits.best["id"], hits.to_frame().loc[0, "type"]
    ('receptor-r', 'Receptor')
    """

    @property
    def best(self) -> dict | None:
        """The best hit, or None."""
        return self[0] if self else None

    def to_frame(self):
        """The hits as a table (pandas)."""
        return _frame(list(self), ["id", "name", "name_zh", "type", "score"])

    def _html(self) -> str:
        return html_table(["id", "name", "name_zh", "type", "score"],
                          [[h["id"], h["name"], h["name_zh"], h["type"], h["score"]] for h in self])


def _claim(conflict: dict) -> str:
    a = conflict["assertion"]
    if "quantity" in a:
        return f"{_name(a['entity'])}: {a['quantity']}"
    return f"{_name(a['subject'])} {a['predicate']} {_name(a['object'])}"


class Conflicts(_Shown, list[dict[str, Any]]):
    """Disagreements (``conflicts --json``), each classified as explained by
    ``context`` or ``unexplained``.

    >>> from mechgraph import MechGraph
    >>> found = MechGraph.load().conflicts()
    >>> {c["classification"] for c in found.unexplained()}
    {'unexplained'}
    """

    def unexplained(self) -> Conflicts:
        """Only the disagreements that no recorded context explains."""
        return Conflicts(c for c in self if c["classification"] == "unexplained")

    def to_frame(self):
        """One row per disagreement: kind, classification, the claim, findings on each
        side and the explanation (pandas)."""
        return _frame([{"kind": c["kind"], "classification": c["classification"], "claim": _claim(c),
                        "supporting": len(c["supporting"]), "refuting": len(c["refuting"]),
                        "explanation": c["explanation"]} for c in self])

    def _html(self) -> str:
        rows = [[c["kind"], c["classification"], _claim(c), len(c["supporting"]), len(c["refuting"]),
                 c["explanation"]] for c in self]
        return html_table(["kind", "classification", "claim", "for", "against", "explanation"], rows)


class Stats(_Shown, dict[str, Any]):
    """Counts (``stats --json``): records, then entities by type, assertions by
    predicate, findings by level and so on.

    >>> from mechgraph import MechGraph
    >>> MechGraph.load("tests/data/example-graph").stats().rows()[:2]
    [['entities', '', 7], ['assertions', '', 6]]
    """

    def rows(self) -> list[list]:
        """``[count, key, number]`` rows: a total's key is empty, a breakdown's is its key
        (the keys of a nested breakdown joined by ``/``, as in ``by_type / Drug / coverage``)."""
        rows: list[list] = []

        def walk(name: str, key: str, value: Any) -> None:
            if isinstance(value, dict):
                for inner, v in value.items():
                    walk(name, f"{key} / {inner}" if key else str(inner), v)
            else:
                rows.append([name, key, value])

        for name, value in self.items():
            walk(name, "", value)
        return rows

    def _html(self) -> str:
        return html_table(["count", "key", "number"], self.rows(), limit=None)  # a report: every count


class ScoreParts(_Shown, dict[str, Any]):
    """How an assertion's evidence score is computed (``score_parts`` in ``show
    --evidence --json``): ``score``, ``support``, ``against``, ``dissent``, the units for
    and against, the findings excluded, and the ``formula`` to recompute it.

    >>> from mechgraph import MechGraph
    >>> parts = MechGraph.load("tests/data/example-graph").score("a-x-antagonizes-r")
    >>> parts.score == parts["score"]
    True
    """

    @property
    def score(self) -> float:
        """The score, 0 to 1."""
        return self["score"]

    def _html(self) -> str:
        rows = [[side, u["kind"], u["level"], u["weight"], u["findings"]]
                for side, units in (("for", self["for"]), ("against", self["against_units"])) for u in units]
        rows += [["excluded", x["role"], "", "", [x["finding"]]] for x in self["excluded"]]
        return html_table(["side", "unit", "level", "weight", "findings"], rows,
                          caption=f"score {self['score']:g}: " + "; ".join(self["formula"]))


class Rendered(_Shown, dict[str, Any]):
    """The map written (``render --json``): ``file``, the ``entities``, ``assertions``
    and ``findings`` drawn, and its size in ``bytes``.

    >>> import os, tempfile
    >>> from mechgraph import MechGraph
    >>> out = os.path.join(tempfile.mkdtemp(), "map.html")
    >>> written = MechGraph.load("tests/data/example-graph").render(out)
    >>> written.path.stat().st_size == written["bytes"], sorted(written)
    (True, ['assertions', 'bytes', 'entities', 'file', 'findings'])
    """

    @property
    def path(self) -> Path:
        """The file written."""
        return Path(self["file"])

    def _html(self) -> str:
        return html_table(list(self), [list(self.values())])


class Exported(_Shown, dict[str, Any]):
    """The files an export wrote (``export --json``): ``{"written": [file, ...]}``.

    >>> import os, tempfile
    >>> from mechgraph import MechGraph
    >>> out = os.path.join(tempfile.mkdtemp(), "kgx")
    >>> [p.name for p in MechGraph.load("tests/data/example-graph").export("kgx", out).paths]
    ['nodes.tsv', 'edges.tsv', 'context.jsonld']
    """

    @property
    def paths(self) -> list[Path]:
        """The files written."""
        return [Path(p) for p in self["written"]]

    def _html(self) -> str:
        return html_table(["written"], [[p] for p in self["written"]])


class QueryResult:
    """A Cypher query's answer: ``columns``, ``rows`` (lists of values: None, booleans,
    numbers, strings, lists, maps, or :class:`~mechgraph.cypher.Node`,
    :class:`~mechgraph.cypher.Relationship` and :class:`~mechgraph.cypher.Path`), the
    ``backend`` that answered and, after writes, ``counters``.

    >>> from mechgraph import MechGraph
    >>> found = MechGraph.load("tests/data/example-graph").query("MATCH (d:Drug) RETURN d.id AS drug")
    >>> found.columns, found.rows, found.records()
    (['drug'], [['drug-x']], [{'drug': 'drug-x'}])
    >>> found.to_json()
    {'backend': 'embedded', 'columns': ['drug'], 'rows': [{'drug': 'drug-x'}]}
    """

    def __init__(self, columns: list[str], rows: list[list[Any]], backend: str = "",
                 counters: dict[str, int] | None = None):
        self.columns = list(columns)
        self.rows = rows
        self.backend = backend
        self.counters = dict(counters or {})

    @classmethod
    def of(cls, result) -> QueryResult:
        """The same answer as a :class:`mechgraph.cypher.Result`."""
        return cls(result.columns, result.rows, result.backend, result.counters)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"QueryResult(columns={self.columns!r}, rows={len(self.rows)}, backend={self.backend!r})"

    def records(self) -> list[dict[str, Any]]:
        """The rows as ``{column: value}`` dicts."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json(self) -> dict:
        """The ``query --json`` shape: ``{"backend", "columns", "rows": [{column: value}],
        "counters"?}``, graph values as plain maps (:func:`mechgraph.cypher.to_plain`)."""
        from .cypher import result_json
        return result_json(self)

    def to_frame(self):
        """The rows as a DataFrame (pandas), one column per column, values as returned."""
        return _frame(self.records(), self.columns)

    def _repr_html_(self) -> str:
        from .cypher import Temporal, to_plain
        cells = [[v if isinstance(v, (str, int, float)) or v is None
                  else str(v) if isinstance(v, Temporal)
                  else json.dumps(to_plain(v), ensure_ascii=False) for v in row] for row in self.rows]
        count = f"{len(self.rows)} row{'s' if len(self.rows) != 1 else ''} ({self.backend})"
        return html_table(self.columns, cells, caption=count)


class MapView:
    """The interactive map of a graph, shown inline in Jupyter: the same offline page
    ``render`` writes (everything inline, a Content-Security-Policy that allows no
    network access), inside a sandboxed ``<iframe srcdoc>``.

    ``html`` is the page, ``counts`` what it draws; ``save(path)`` writes it.

    >>> from mechgraph import MechGraph
    >>> view = MechGraph.load("tests/data/example-graph").map(types="Drug,Receptor")
    >>> view
    MapView(entities=2, assertions=1, findings=5)
    >>> view._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """

    def __init__(self, html: str, counts: dict, *, height: int = 640):
        self.html = html
        self.counts = dict(counts)
        self.height = height

    def __repr__(self) -> str:
        return "MapView(" + ", ".join(f"{k}={v}" for k, v in self.counts.items()) + ")"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (whole or not at all); return the path."""
        from .atomic import write_text
        return write_text(path, self.html)

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{_escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd" '
                f'title="mechgraph map"></iframe>')
