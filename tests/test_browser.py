"""The HTML map in a real browser: Debian's chromium driven by playwright.

Each page is opened with the network watched: any request other than the page's own
file, any console error, page error or dialog fails the test. A screenshot of the
bundled map goes to tests/artifacts/ for inspection.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DATA, IN_CI, ROOT
from mechgraph import MechGraph, NoPath
from mechgraph.html import render_html, write_paths_page

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
XSS_GRAPH = DATA / "xss-graph"


def _missing(reason: str):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page with everything it does recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": 1600, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)
        # a function, not an expression: the page's CSP forbids evaluating strings
        self.page.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true", timeout=30_000)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def assert_clean(self):
        assert self.errors == []
        assert self.dialogs == []
        assert self.requests == [self.url]

    def panel(self) -> dict:
        return self.js("""() => { const b = document.getElementById('panel-body');
            return {kind: b.dataset.kind, id: b.dataset.id, text: b.textContent,
                    title: (b.querySelector('h2') || {}).textContent}; }""")

    def dom_point(self, canvas_point: dict) -> tuple[float, float]:
        box = self.page.locator("#map canvas").bounding_box()
        dom = self.js("p => window.mechgraph.network.canvasToDOM(p)", canvas_point)
        return box["x"] + dom["x"], box["y"] + dom["y"]

    def click_edge(self, edge_id: str):
        """Click the drawn edge with the mouse, at a point where only that edge is hit."""
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75):
            point = self.js("""([id, t]) => { const net = window.mechgraph.network;
                const e = net.body.edges[id]; const p = e.edgeType.getPoint(t);
                const dom = net.canvasToDOM(p);
                return {x: p.x, y: p.y, edge: net.getEdgeAt(dom), node: net.getNodeAt(dom)}; }""", [edge_id, t])
            if point["edge"] == edge_id and point["node"] is None:
                self.page.mouse.click(*self.dom_point(point))
                return
        raise AssertionError(f"edge {edge_id} has no point free of other edges and nodes")

    def click_node(self, node_id: str):
        position = self.js("id => window.mechgraph.network.getPositions([id])[id]", node_id)
        self.page.mouse.click(*self.dom_point(position))

    def drawn(self) -> tuple[list[str], list[str]]:
        """Ids of the nodes and edges vis-network draws (hidden ones excluded)."""
        return self.js("""() => { const b = window.mechgraph.network.body;
            return [b.nodeIndices.slice().sort(), b.edgeIndices.slice().sort()]; }""")


@pytest.fixture(scope="module")
def bundled():
    return MechGraph.load()


@pytest.fixture(scope="module")
def bundled_page(browser, bundled, tmp_path_factory):
    path = tmp_path_factory.mktemp("bundled") / "mechgraph.html"
    path.write_text(render_html(bundled), encoding="utf-8")
    watched = Watched(browser, path)
    yield watched
    watched.page.close()


@pytest.fixture
def toy_page(browser, example_dir, tmp_path):
    path = tmp_path / "toy.html"
    path.write_text(render_html(MechGraph.load(example_dir)), encoding="utf-8")
    watched = Watched(browser, path)
    yield watched
    watched.page.close()


# -- the bundled map ----------------------------------------------------------------------------

def test_bundled_map_draws_every_entity_and_assertion(bundled_page, bundled):
    nodes, edges = bundled_page.drawn()
    assert nodes == sorted(bundled.model.entities)
    assert edges == sorted(bundled.model.assertions)
    assert bundled_page.js("window.mechgraph.network.physics.options.enabled") is False
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bundled_page.page.screenshot(path=str(ARTIFACTS / "mechgraph-map.png"))
    bundled_page.assert_clean()


def test_searching_tarp_gamma_8_selects_tarp_gamma8(bundled_page, bundled):
    page = bundled_page.page
    page.fill("#search", "tarp gamma 8")
    assert page.locator("#search-hits li").first.get_attribute("data-id") == "tarp-gamma8"
    page.press("#search", "Enter")
    assert bundled_page.js("window.mechgraph.network.getSelectedNodes()") == ["tarp-gamma8"]
    panel = bundled_page.panel()
    assert (panel["kind"], panel["id"]) == ("entity", "tarp-gamma8")
    assert panel["title"] == bundled.model.entities["tarp-gamma8"].name
    bundled_page.assert_clean()


def test_searching_a_chinese_name_or_alias_finds_the_entity(bundled_page, bundled):
    page = bundled_page.page
    for text, expected in ((bundled.model.entities["esketamine"].name_zh, "esketamine"), ("NR2B", "glun2b"),
                           ("gluN-2b", "glun2b")):
        page.fill("#search", text)
        assert page.locator("#search-hits li").first.get_attribute("data-id") == expected, text
    page.fill("#search", "")
    bundled_page.assert_clean()


QUERIES = ["tarp gamma 8", "TARP-γ8", "CACNG8", "NR2B", "glun2b", "氯胺酮", "艾司氯胺酮", "ketamin", "bdfn", "mtor",
           "psd95", "AMPA", "postpartum", "esketamin", "hipocampus"]


def test_page_search_ranks_like_the_command_line(bundled_page, bundled):
    """The page's forgiving search is a port of mechgraph search: same best hit."""
    for query in QUERIES:
        expected = [h["id"] for h in bundled.search(query, limit=1)]
        assert bundled_page.js("q => window.mechgraph.search(q, 1).map(h => h.id)", query) == expected, query


def test_search_hits_follow_the_arrow_keys(bundled_page):
    page = bundled_page.page
    page.fill("#search", "glun2")
    ids = page.locator("#search-hits li").evaluate_all("items => items.map(i => i.dataset.id)")
    assert len(ids) >= 2
    page.press("#search", "ArrowDown")
    page.press("#search", "Enter")
    assert bundled_page.panel()["id"] == ids[1]
    bundled_page.assert_clean()


# -- interaction on the toy graph ------------------------------------------------------------------------

def test_clicking_an_edge_shows_its_supporting_and_refuting_findings(toy_page, example_dir):
    graph = MechGraph.load(example_dir)
    toy_page.click_edge("a-x-increases-expression-p")
    panel = toy_page.panel()
    assert (panel["kind"], panel["id"]) == ("assertion", "a-x-increases-expression-p")
    supporting = toy_page.js("Array.from(document.querySelectorAll('#panel-body .supporting .finding'))"
                             ".map(f => [f.dataset.finding, f.querySelector('.statement').textContent])")
    refuting = toy_page.js("Array.from(document.querySelectorAll('#panel-body .refuting .finding'))"
                           ".map(f => [f.dataset.finding, f.querySelector('.statement').textContent])")
    assert supporting == [["f-x-p-mouse", graph.model.findings["f-x-p-mouse"].statement]]
    assert refuting == [["f-x-p-rat-null", graph.model.findings["f-x-p-rat-null"].statement]]
    score = graph.nx.edges["drug-x", "protein-p", "a-x-increases-expression-p"]["score"]
    assert f"Evidence score{score}" in panel["text"]
    for text in ("10 mg/kg", "intraperitoneal", "toy.txt p5.s1-2", "toy.txt p5.s3", "mouse", "rat",
                 "A toy mechanism review"):
        assert text in panel["text"]
    toy_page.assert_clean()


def test_clicking_a_node_shows_the_entity(toy_page):
    toy_page.click_node("protein-p")
    panel = toy_page.panel()
    assert (panel["kind"], panel["id"], panel["title"]) == ("entity", "protein-p", "Protein P")
    assert "HGNC: PPP" in panel["text"]
    toy_page.page.locator("#panel-body button.link", has_text="regulates").click()
    assert toy_page.panel()["id"] == "a-p-regulates-q"
    toy_page.assert_clean()


def test_a_type_filter_hides_those_nodes(toy_page, example_dir):
    graph = MechGraph.load(example_dir)
    toy_page.page.click("#legend-types input[data-type=Drug]")
    nodes, edges = toy_page.drawn()
    assert nodes == sorted(set(graph.model.entities) - {"drug-x"})
    assert edges == sorted(a.id for a in graph.model.assertions.values() if "drug-x" not in (a.subject, a.object))
    toy_page.page.click("#legend-types input[data-type=Drug]")
    assert toy_page.drawn() == [sorted(graph.model.entities), sorted(graph.model.assertions)]
    toy_page.assert_clean()


def test_minimum_evidence_level_hides_weaker_edges(toy_page):
    toy_page.page.select_option("#min-level", "rct")
    assert toy_page.drawn() == [["disease-d", "drug-x"], ["a-x-treats-d"]]
    toy_page.page.select_option("#min-level", "")
    assert len(toy_page.drawn()[1]) == 6
    toy_page.assert_clean()


def test_the_language_switch_changes_labels_and_panel(toy_page, example_dir):
    graph = MechGraph.load(example_dir)
    labels = "window.mechgraph.nodes.get().map(n => [n.id, n.label]).sort()"
    assert toy_page.js(labels) == sorted([e.id, e.name] for e in graph.model.entities.values())
    legend = "document.querySelector('#legend-types input[data-type=Drug]').parentElement.textContent"
    english_legend = toy_page.js(legend)
    toy_page.js("window.mechgraph.selectAssertion('a-x-treats-d')")
    toy_page.page.click("#lang-toggle")
    assert toy_page.js("document.documentElement.lang") == "zh"
    assert toy_page.js(labels) == sorted([e.id, e.name_zh] for e in graph.model.entities.values())
    assert graph.model.findings["f-x-treats-d"].statement_zh in toy_page.panel()["text"]
    assert toy_page.js(legend) != english_legend
    toy_page.page.click("#lang-toggle")
    assert toy_page.js(labels) == sorted([e.id, e.name] for e in graph.model.entities.values())
    assert graph.model.findings["f-x-treats-d"].statement in toy_page.panel()["text"]
    toy_page.assert_clean()


def test_highlighting_a_path_between_two_entities(toy_page, example_dir):
    expected = MechGraph.load(example_dir).path("drug-x", "pathway-q", k=1)["paths"][0]
    page = toy_page.page
    page.fill("#path-from", "DX")
    page.fill("#path-to", "pathway q")
    page.click("#path-go")
    highlighted = toy_page.js("window.mechgraph.highlighted")
    assert highlighted["nodes"] == [n["id"] for n in expected["nodes"]]
    assert highlighted["edges"] == [h["assertion"] for h in expected["hops"]]
    opacity = toy_page.js("window.mechgraph.nodes.get('disease-d').opacity")
    assert opacity < 0.5
    assert toy_page.panel()["kind"] == "path"
    page.click("#path-clear")
    assert toy_page.js("window.mechgraph.highlighted") is None
    toy_page.assert_clean()


def test_paths_page_lists_and_highlights_each_path(browser, example_dir, tmp_path):
    graph = MechGraph.load(example_dir)
    result = graph.path("drug-x", "pathway-q")
    path = tmp_path / "paths.html"
    write_paths_page(graph, result, path)
    watched = Watched(browser, path)
    nodes, edges = watched.drawn()
    assert nodes == sorted({n["id"] for p in result["paths"] for n in p["nodes"]})
    assert edges == sorted({h["assertion"] for p in result["paths"] for h in p["hops"]})
    items = watched.page.locator("#panel-body ol li button")
    assert items.count() == len(result["paths"])
    items.nth(1).click()
    assert watched.js("window.mechgraph.highlighted.nodes") == [n["id"] for n in result["paths"][1]["nodes"]]
    watched.assert_clean()
    watched.page.close()


def test_the_map_highlights_the_same_top_chain_as_the_command_line(bundled_page, bundled):
    """For every pair of entities with a mechanism chain among a deterministic sample,
    the page's chain search picks the CLI's top chain, step for step."""
    import random
    ids = sorted(bundled.model.entities)
    pairs = random.Random(7).sample([(a, b) for a in ids for b in ids if a < b], 3000)
    compared = 0
    for a, b in pairs:
        try:
            result = bundled.path(a, b, k=1)
        except NoPath:
            continue
        if not result["chains_found"]:
            continue
        top = result["paths"][0]
        chain = bundled_page.js("([a, b]) => window.mechgraph.bestChain(a, b)", [a, b])
        assert chain is not None, (a, b)
        assert (chain["nodes"], chain["hops"]) == ([n["id"] for n in top["nodes"]],
                                                   [h["assertion"] for h in top["hops"]]), (a, b)
        compared += 1
    assert compared >= 20, "the sample must hold enough pairs with chains to mean something"


def test_the_evidence_panel_shows_how_the_score_is_computed(toy_page, example_dir):
    from mechgraph.evidence import score_parts
    graph = MechGraph.load(example_dir)
    parts = score_parts(graph.model, graph.model.assertions["a-x-increases-expression-p"])
    toy_page.js("id => window.mechgraph.selectAssertion(id)", "a-x-increases-expression-p")
    units = toy_page.js("""() => Array.from(document.querySelectorAll('#panel-body .score-parts li.unit'))
        .map(li => li.textContent)""")
    assert len(units) == len(parts["for"]) + len(parts["against_units"]) + len(parts["excluded"])
    assert any("w 0.25 × 0.5" in u for u in units)
    formula = toy_page.js("document.querySelector('#panel-body .score-parts pre.formula').textContent")
    assert formula.splitlines() == parts["formula"]
    toy_page.assert_clean()


def test_the_entity_panel_lists_findings_by_role_and_guidance(bundled_page, bundled):
    shown = bundled.show("rapamycin")
    bundled_page.js("id => window.mechgraph.selectEntity(id)", "rapamycin")
    roles = bundled_page.js("""() => Array.from(document.querySelectorAll('#panel-body section.mentions'))
        .map(s => [s.dataset.role, s.querySelectorAll('article.finding').length])""")
    expected = [[role, len(ids)] for role, ids in shown["mentions"].items() if role != "about"]
    assert roles == expected and any(role == "co_intervention" for role, _ in roles)
    guidance = bundled.show("esketamine")["guidance"]
    bundled_page.js("id => window.mechgraph.selectEntity(id)", "esketamine")
    shown_topics = bundled_page.js("""() => Array.from(document.querySelectorAll('#panel-body section.guidance h4'))
        .map(x => x.textContent)""")
    assert len(shown_topics) == len(guidance)
    bundled_page.assert_clean()


# -- safety ------------------------------------------------------------------------------------------------

def _assert_inert(watched: Watched):
    assert watched.js("window.__xss") is None
    assert watched.js("""() => Array.from(document.querySelectorAll('*')).flatMap(el =>
        Array.from(el.attributes).filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""") == []
    assert watched.js("document.querySelectorAll('img, iframe, object, embed, marquee, a, b, style:not(head style)').length") == 0
    assert watched.js("document.scripts.length") == 3
    watched.assert_clean()


def test_hostile_graph_renders_as_plain_text_and_runs_nothing(browser, tmp_path):
    graph = MechGraph.load(XSS_GRAPH)
    path = tmp_path / "xss.html"
    path.write_text(render_html(graph), encoding="utf-8")
    watched = Watched(browser, path)
    page = watched.page
    assert watched.js("document.title") == "Mechanism map"
    for entity in graph.model.entities.values():
        position = watched.js("id => window.mechgraph.network.getPositions([id])[id]", entity.id)
        page.mouse.move(*watched.dom_point(position))
        page.wait_for_function("() => document.querySelector('.vis-tooltip') && "
                               "document.querySelector('.vis-tooltip').style.visibility === 'visible'")
        tooltip = watched.js("(() => { const t = document.querySelector('.vis-tooltip');"
                             " return [t.textContent, t.childElementCount]; })()")
        assert tooltip == [f"{entity.name} — {entity.type}", 0]
        watched.click_node(entity.id)
        panel = watched.panel()
        assert panel["title"] == entity.name
        assert entity.description in panel["text"] and ", ".join(entity.aliases) in panel["text"]
    texts = {}
    for assertion in graph.model.assertions.values():
        watched.js("id => window.mechgraph.selectAssertion(id)", assertion.id)
        texts[assertion.id] = watched.panel()["text"]
        for finding in graph.model.findings_of(assertion):
            assert finding.statement in texts[assertion.id]
    study = graph.model.sources["evil-study"]
    assert study.authors[0] in texts["a-evil-antagonizes"] and study.journal in texts["a-evil-antagonizes"]
    page.fill("#search", "<script>")
    assert page.locator("#search-hits li").first.get_attribute("data-id") == "evil-drug"
    page.fill("#search", "tarp gamma 8 <b>")
    page.press("#search", "Enter")
    assert watched.panel()["title"] == graph.model.entities["evil-receptor"].name
    page.fill("#path-from", "javascript:window.__xss='alias'")
    page.fill("#path-to", "Quote")
    page.click("#path-go")
    assert watched.js("window.mechgraph.highlighted.nodes") == ["evil-drug", "quoted-condition"]
    page.click("#lang-toggle")
    watched.js("window.mechgraph.selectAssertion('a-evil-antagonizes')")
    assert graph.model.findings["f-evil-blocks"].statement_zh in watched.panel()["text"]
    _assert_inert(watched)
    watched.page.close()


def test_hostile_paths_page_runs_nothing(browser, tmp_path):
    graph = MechGraph.load(XSS_GRAPH)
    path = tmp_path / "xss-paths.html"
    write_paths_page(graph, graph.path("evil-drug", "quoted-condition"), path)
    watched = Watched(browser, path)
    source, target = graph.model.entities["evil-drug"], graph.model.entities["quoted-condition"]
    assert watched.js("document.title") == f"{source.name} → {target.name}"
    watched.page.locator("#panel-body ol li button").first.click()
    _assert_inert(watched)
    watched.page.close()
