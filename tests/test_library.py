"""The library: each MechGraph method returns its typed result, which is the documented
JSON shape (the command's --json output, checked against its JSON Schema), shows as an
HTML table with every text escaped, and the map shows inline without the network."""

from __future__ import annotations

import copy
import json
import pickle
import re
import shutil
from html import unescape
from html.parser import HTMLParser

import pytest

from conftest import EXAMPLE_GRAPH
from mechgraph import MechGraph, MechgraphError
from mechgraph.results import (Conflicts, EntityView, ExplainResult, Exported, MapView, PathResult, QueryResult,
                               Rendered, ScoreParts, SearchHits, Stats)
from test_json_schemas import check, errors

pd = pytest.importorskip("pandas")

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """The session's private cache (conftest's), for the graphs loaded once per module."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
        yield


@pytest.fixture(scope="module")
def g(cache) -> MechGraph:
    return MechGraph.load()


@pytest.fixture(scope="module")
def toy(cache) -> MechGraph:
    return MechGraph.load(EXAMPLE_GRAPH)


@pytest.fixture(scope="module")
def hostile(cache, tmp_path_factory) -> MechGraph:
    """The example graph with markup in its names, Chinese names and a statement."""
    directory = tmp_path_factory.mktemp("hostile") / "graph"
    shutil.copytree(EXAMPLE_GRAPH, directory)
    toy = directory / "toy.yaml"
    text = toy.read_text(encoding="utf-8")
    for old, new in [("name: Drug X", f'name: "Drug {SCRIPT}"'), ("name: Receptor R", 'name: "R <img src=x>"'),
                     ("name_zh: 蛋白P", f'name_zh: "蛋白{SCRIPT}"'),
                     ("name: Depression-like behaviour", f'name: "B {SCRIPT}"'),
                     ("statement: In rats, drug X did not change protein P.", f'statement: "rats {SCRIPT}"')]:
        assert old in text
        text = text.replace(old, new, 1)
    toy.write_text(text, encoding="utf-8")
    return MechGraph.load(directory)


def cli_json(run, *args):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- each method returns its type, which is the command's --json output ----------------------------

@pytest.mark.parametrize("call, args, kind, schema", [
    (lambda g: g.path("NMDAR", "BDNF"), ("path", "NMDAR", "BDNF"), PathResult, "path"),
    (lambda g: g.path("NMDAR", "esketamine", relation="any", k=8),
     ("path", "NMDAR", "esketamine", "--relation", "any", "-k", "8"), PathResult, "path"),
    (lambda g: g.path("esketamine", "BDNF", signed=True), ("path", "esketamine", "BDNF", "--signed"), PathResult,
     "path"),
    (lambda g: g.explain("esketamine"), ("explain", "esketamine"), ExplainResult, "explain"),
    (lambda g: g.show("BDNF"), ("show", "BDNF"), EntityView, "show"),
    (lambda g: g.show("mtor", evidence=True), ("show", "mtor", "--evidence"), EntityView, "show"),
    (lambda g: g.search("tarp"), ("search", "tarp"), SearchHits, "search"),
    (lambda g: g.conflicts(), ("conflicts",), Conflicts, "conflicts"),
    (lambda g: g.conflicts().unexplained(), ("conflicts", "--unexplained"), Conflicts, "conflicts"),
    (lambda g: g.stats(), ("stats",), Stats, "stats"),
], ids=["path", "path any", "path signed", "explain", "show", "show evidence", "search", "conflicts", "unexplained", "stats"])
def test_each_method_returns_its_type_in_the_documented_shape(g, run, call, args, kind, schema):
    result = call(g)
    assert type(result) is kind
    assert json.loads(json.dumps(result)) == cli_json(run, *args) == result.to_json()
    check(schema, result.to_json())
    assert type(result.to_json()) in (dict, list)


def test_score_is_the_score_parts_shape_and_the_assertions_score(g):
    shown = g.show("mtor", evidence=True)
    edge = shown["out"][0]
    parts = g.score(edge["assertion"])
    assert type(parts) is ScoreParts
    assert parts == edge["score_parts"] and parts.score == edge["score"]
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://mechgraph.invalid/schemas/score-test.json",
                "$ref": "common.schema.json#/$defs/score_parts"}
    from test_json_schemas import REGISTRY
    from jsonschema import Draft202012Validator
    assert not list(Draft202012Validator(document, registry=REGISTRY).iter_errors(parts.to_json()))


def test_score_of_an_unknown_assertion_names_the_closest(toy):
    with pytest.raises(MechgraphError, match=r"unknown assertion 'a-x-treats'\. Did you mean: a-x-treats-d,"):
        toy.score("a-x-treats")


def test_query_returns_rows_records_a_frame_and_the_query_json_shape(g, run):
    cypher = "MATCH (d:Drug {id: $id})-[r:ANTAGONIZES]->(t) RETURN d, r, t.id AS target ORDER BY target"
    result = g.query(cypher, {"id": "esketamine"})
    assert type(result) is QueryResult
    assert result.columns == ["d", "r", "target"] and len(result) == len(result.rows) > 0
    assert result.records()[0]["target"] == result.rows[0][2]
    assert result.to_json() == cli_json(run, "query", cypher, "-p", "id=esketamine")
    check("query", result.to_json())
    frame = result.to_frame()
    assert list(frame.columns) == result.columns and len(frame) == len(result)
    assert "<table" in result._repr_html_() and "&quot;labels&quot;" in result._repr_html_()


def test_query_limits_stop_a_query(toy):
    from mechgraph.cypher import CypherError
    with pytest.raises(CypherError, match="max-rows|rows"):
        toy.query("UNWIND range(1, 100000) AS n RETURN n", max_rows=10)


def test_render_writes_the_map_and_reports_as_the_command_does(toy, run, tmp_path):
    pytest.importorskip("pyvis")
    result = toy.render(tmp_path / "lib.html", focus="Drug X")
    assert type(result) is Rendered
    check("render", result.to_json())
    cli = cli_json(run, "--graph", EXAMPLE_GRAPH, "render", "--focus", "Drug X", "-o", tmp_path / "cli.html")
    assert {**result, "file": ""} == {**cli, "file": ""}
    assert result.path.read_bytes() == (tmp_path / "cli.html").read_bytes()


def test_export_writes_the_format_and_reports_as_the_command_does(toy, run, tmp_path):
    result = toy.export("graphml", tmp_path / "lib.graphml")
    assert type(result) is Exported and result.paths == [tmp_path / "lib.graphml"]
    check("export", result.to_json())
    cli_json(run, "--graph", EXAMPLE_GRAPH, "export", "--format", "graphml", "-o", tmp_path / "cli.graphml")
    assert result.paths[0].read_bytes() == (tmp_path / "cli.graphml").read_bytes()
    with pytest.raises(MechgraphError, match="unknown export format 'nope'"):
        toy.export("nope", tmp_path / "x")


def test_results_keep_their_type_when_copied_or_pickled(toy):
    for result in (toy.path("drug-x", "protein-p", relation="any"), toy.search("drug"), toy.stats()):
        assert type(copy.deepcopy(result)) is type(result) and copy.deepcopy(result) == result
        assert type(pickle.loads(pickle.dumps(result))) is type(result)


def test_a_few_useful_methods(toy):
    found = toy.path("drug-x", "protein-p", relation="any")
    assert found.best is found.paths[0]
    frame = found.to_frame()
    assert set(frame["path"]) == set(range(len(found.paths)))
    assert len(frame) == sum(len(p["hops"]) for p in found.paths)
    view = toy.show("protein-p")
    assert [e["direction"] for e in view.edges] == ["out"] * len(view["out"]) + ["in"] * len(view["in"])
    assert len(view.to_frame()) == len(view.edges)
    assert list(toy.search("drug").to_frame().columns) == ["id", "name", "name_zh", "type", "score"]
    assert toy.search("zzzz qqqq").best is None
    rows = toy.stats().rows()
    assert rows[0] == ["entities", "", 7] and all(isinstance(n, (int, float)) for _, _, n in rows)
    assert ["by_type", "Drug", 1] in rows
    conflicts = toy.conflicts()
    assert len(conflicts.to_frame()) == len(conflicts)
    assert all(isinstance(c, Conflicts) for c in (conflicts, conflicts.unexplained()))


# -- notebook display ---------------------------------------------------------------------------

class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)


def parsed(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    parser.close()
    return parser


def test_every_result_shows_as_an_html_table_with_every_text_escaped(hostile):
    results = [hostile.path("drug-x", "protein-p", relation="any"), hostile.path("drug-x", "behaviour-b"),
               hostile.explain("drug-x"), hostile.show("drug-x"), hostile.show("protein-p"),
               hostile.search("drug"), hostile.conflicts(), hostile.stats(),
               hostile.score("a-x-increases-expression-p"),
               hostile.query("MATCH (e:Entity) RETURN e.name AS name, e ORDER BY name")]
    shown = [r._repr_html_() for r in results]
    for text in shown:
        tags = {tag for tag, _ in parsed(text).elements}
        assert tags <= {"table", "caption", "thead", "tbody", "tr", "th", "td", "p"}, tags
        assert "<script" not in text.lower() and "<img" not in text.lower()
    together = "".join(unescape(t) for t in shown)
    assert SCRIPT in together and "R <img src=x>" in together  # shown as text, not dropped


def test_a_long_result_shows_its_first_rows_and_counts_the_rest(g):
    from mechgraph.results import SHOWN_ROWS
    result = g.query("UNWIND range(1, 250) AS n RETURN n")
    text = result._repr_html_()
    assert text.count("<tr>") == SHOWN_ROWS + 1 and f"… {250 - SHOWN_ROWS} more rows" in text


def test_the_map_shows_inline_and_loads_nothing_from_the_network(hostile, tmp_path):
    pytest.importorskip("pyvis")
    view = hostile.map(focus="drug-x", depth=2)
    assert type(view) is MapView and view.counts["entities"] > 0
    outer = view._repr_html_()
    frames = parsed(outer).elements
    assert [tag for tag, _ in frames] == ["iframe"]
    attrs = frames[0][1]
    assert set(attrs) == {"srcdoc", "sandbox", "style", "title"} and attrs["sandbox"] == "allow-scripts"
    page = attrs["srcdoc"]
    assert page == view.html and page.startswith("<!DOCTYPE html>")
    inner = parsed(page)
    assert not {"link", "img", "iframe", "object", "embed"} & {tag for tag, _ in inner.elements}
    for tag, attributes in inner.elements:
        assert "src" not in attributes and "href" not in attributes, (tag, attributes)
    csp = next(a["content"] for t, a in inner.elements if t == "meta" and a.get("http-equiv") ==
               "Content-Security-Policy")
    assert csp.startswith("default-src 'none';") and "http" not in csp
    loads = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
                       re.IGNORECASE)
    assert not loads.search(outer) and not loads.search(page)
    assert SCRIPT not in outer and "<script>alert" not in page  # the hostile name travels as escaped data
    assert view.save(tmp_path / "m.html").read_text(encoding="utf-8") == view.html


def test_the_schema_check_catches_a_changed_result(g):
    """The shape test above is not vacuous: a key the schema does not name fails it."""
    document = g.stats().to_json()
    document["undocumented"] = 1
    assert errors("stats", document)


def test_jupyter_shows_each_result_as_its_html(toy):
    IPython = pytest.importorskip("IPython")
    from IPython.core.formatters import DisplayFormatter
    formatter = DisplayFormatter()
    for result in (toy.path("drug-x", "protein-p", relation="any"), toy.search("drug"), toy.conflicts(),
                   toy.stats(), toy.query("MATCH (d:Drug) RETURN d.id")):
        shown, _ = formatter.format(result)
        assert shown["text/html"] == result._repr_html_(), IPython.__version__


@pytest.mark.slow
def test_the_inline_map_draws_in_a_browser_without_a_request(toy, browser, tmp_path):
    """The notebook's frame, opened in chromium: the map inside it gets ready, reports no
    error, and nothing but the outer page itself is requested."""
    pytest.importorskip("pyvis")
    notebook = tmp_path / "notebook.html"
    notebook.write_text("<!DOCTYPE html><html><body>" + toy.map(focus="drug-x")._repr_html_() + "</body></html>",
                        encoding="utf-8")
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.goto(notebook.as_uri())
    frame = next(f for f in page.frames if f is not page.main_frame)
    frame.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true", timeout=30_000)
    drawn = frame.evaluate("() => document.querySelectorAll('canvas').length")
    page.close()
    assert drawn > 0
    assert errors == []
    assert [r for r in requests if r not in (notebook.as_uri(), "about:srcdoc")] == []
