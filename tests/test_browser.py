"""The HTML map in a real browser: Debian's chromium driven by playwright.

Each page is opened with the network watched: any request other than the page's own
file, any console error, page error or dialog fails the test. Screenshots of each view
of the bundled map go to tests/artifacts/ for inspection, and to docs/images/ when
MECHGRAPH_DOCS_IMAGES=1 (the pictures the documentation shows).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from mechgraph import MechGraph, NoPath
from mechgraph.html import render_html, write_paths_page

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_IMAGES = ROOT / "docs" / "images"
XSS_GRAPH = DATA / "xss-graph"
VIEWS = ("mechanism", "clinical", "pharmacokinetics", "everything")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


class Watched:
    """A page with everything it does recorded."""

    def __init__(self, browser, path: Path, viewport=(1600, 900)):
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
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

    def node_point(self, node_id: str) -> tuple[float, float]:
        position = self.js("id => window.mechgraph.network.getPositions([id])[id]", node_id)
        assert position is not None, f"{node_id} is not drawn"
        return self.dom_point(position)

    def click_node(self, node_id: str):
        self.page.mouse.click(*self.node_point(node_id))

    def dblclick_node(self, node_id: str):
        self.page.mouse.dblclick(*self.node_point(node_id))

    def drawn(self) -> tuple[list[str], list[str]]:
        """Ids of the nodes and edges vis-network draws (hidden ones excluded)."""
        return self.js("""() => { const b = window.mechgraph.network.body;
            return [b.nodeIndices.slice().sort(), b.edgeIndices.slice().sort()]; }""")

    def scene(self) -> dict:
        return self.js("window.mechgraph.scene()")

    def view(self, name: str):
        self.page.click(f"#views button[data-view={name}]")
        assert self.js("window.mechgraph.view()") == name

    def labels(self) -> list[dict]:
        self.js("window.mechgraph.network.redraw()")
        return self.js("window.mechgraph.labelBoxes()")

    def data(self) -> dict:
        return json.loads(self.js("document.getElementById('mechgraph-data').textContent"))


def _no_overlap(boxes: list[dict]) -> list[tuple[str, str]]:
    clashes = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and \
                    a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                clashes.append((a["id"], b["id"]))
    return clashes


def _breaks_between_words(label: dict) -> bool:
    """Every line break of a drawn label falls at a space, after '/' or '-', or between two
    Chinese characters: never inside a word ("PS D95")."""
    text, lines = label["text"], label["lines"]
    if lines and lines[-1].endswith("\u2026"):
        lines = lines[:-1] + [lines[-1][:-1]]
    at = 0
    for first, second in zip(lines, lines[1:], strict=False):
        at = text.index(first, at) + len(first)
        if text[at:at + 1] == " ":
            at += 1
        elif not (first.endswith(("/", "-")) or (CJK.match(first[-1]) and CJK.match(second[0]))):
            return False
        if not text.startswith(second, at):
            return False
    return True


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
def fresh_bundled(browser, bundled_page):
    """A new tab on the bundled map (its file already written)."""
    watched = Watched(browser, Path(bundled_page.url[len("file://"):]))
    yield watched
    watched.page.close()


@pytest.fixture
def toy_page(browser, example_dir, tmp_path):
    path = tmp_path / "toy.html"
    path.write_text(render_html(MechGraph.load(example_dir)), encoding="utf-8")
    watched = Watched(browser, path)
    watched.view("everything")
    yield watched
    watched.page.close()


# -- views ----------------------------------------------------------------------------------------------

def test_the_map_opens_on_the_mechanism_view_and_every_view_draws_its_part(fresh_bundled, bundled):
    page = fresh_bundled
    data = page.data()
    assert page.js("window.mechgraph.view()") == "mechanism"
    assert page.js("window.mechgraph.network.physics.options.enabled") is False
    findings_of = lambda ids: {f for a in ids for f in bundled.model.assertions[a].findings}  # noqa: E731
    for name in VIEWS:
        page.view(name)
        view = data["views"][name]
        scene = page.scene()
        assert scene["entities"] == sorted(view["entities"]), name
        assert scene["assertions"] == sorted(view["assertions"]), name
        nodes, edges = page.drawn()
        assert nodes == scene["nodes"] and edges == scene["edges"], name
        counts = page.js("document.getElementById('counts').textContent")
        assert counts == (f"{len(view['entities'])} entities · {len(view['assertions'])} assertions · "
                          f"{len(findings_of(view['assertions']))} findings in this view"), name
        legend = page.js("Array.from(document.querySelectorAll('#legend-types input')).map(i => i.dataset.type)")
        assert sorted(legend) == sorted({bundled.model.entities[e].type for e in view["entities"]}), name
    # the everything view is the whole graph
    page.view("everything")
    assert page.drawn() == [sorted(bundled.model.entities), sorted(bundled.model.assertions)]
    page.assert_clean()


def test_a_screenshot_of_each_view(fresh_bundled):
    page = fresh_bundled
    targets = [ARTIFACTS]
    if os.environ.get("MECHGRAPH_DOCS_IMAGES") == "1":
        targets.append(DOCS_IMAGES)
    for target in targets:
        target.mkdir(parents=True, exist_ok=True)
    page.page.set_viewport_size({"width": 1400, "height": 820})
    for name in VIEWS:
        page.view(name)
        page.js("window.mechgraph.fit()")
        for target in targets:
            page.page.screenshot(path=str(target / f"map-{name}.png"))
    page.js("window.mechgraph.setLanguage('zh')")
    page.view("mechanism")
    page.page.screenshot(path=str(ARTIFACTS / "map-mechanism-zh.png"))
    for target in targets:
        assert all((target / f"map-{name}.png").stat().st_size > 10_000 for name in VIEWS)
    page.assert_clean()


def test_a_view_without_entities_says_so(browser, example_dir, tmp_path):
    path = tmp_path / "toy.html"
    path.write_text(render_html(MechGraph.load(example_dir)), encoding="utf-8")
    watched = Watched(browser, path)
    watched.view("pharmacokinetics")
    assert watched.drawn() == [[], []]
    assert "Nothing in this graph belongs to this view." in watched.panel()["text"]
    watched.assert_clean()
    watched.page.close()


# -- exploring ------------------------------------------------------------------------------------------

def test_clicking_a_node_highlights_its_neighbourhood(fresh_bundled):
    page = fresh_bundled
    view = page.data()["views"]["mechanism"]
    centre = "nmdar" if "nmdar" in view["entities"] else view["info"]["drug"]
    page.click_node(centre)
    assert page.panel()["id"] == centre
    scene_edges = page.js("window.mechgraph.edges.get().map(e => [e.id, e.from, e.to, e.color.opacity])")
    near = {centre} | {f for _, f, t_, _ in scene_edges if t_ == centre} | {t_ for _, f, t_, _ in scene_edges if f == centre}
    opacity = dict(page.js("window.mechgraph.nodes.get().map(n => [n.id, n.opacity])"))
    assert {n for n, o in opacity.items() if o == 1} == near
    assert all(o < 0.5 for n, o in opacity.items() if n not in near)
    for key, f, t_, o in scene_edges:
        assert (o == 1) == (centre in (f, t_)), key
    # the background clears the highlight
    box = page.page.locator("#map canvas").bounding_box()
    empty = page.js("""() => { const net = window.mechgraph.network, c = net.body.container;
        for (let y = 10; y < c.clientHeight; y += 17) for (let x = 10; x < c.clientWidth; x += 17)
          if (net.getNodeAt({x, y}) === undefined && net.getEdgeAt({x, y}) === undefined) return {x, y};
        return null; }""")
    page.page.mouse.click(box["x"] + empty["x"], box["y"] + empty["y"])
    assert set(page.js("window.mechgraph.nodes.get().map(n => n.opacity)")) == {1}
    page.assert_clean()


def test_double_click_brings_the_neighbours_in_and_again_takes_them_out(fresh_bundled, bundled):
    page = fresh_bundled
    view = page.data()["views"]["mechanism"]
    node = "nmdar" if "nmdar" in view["entities"] else view["info"]["drug"]
    before = page.scene()
    neighbours = {a.object if a.subject == node else a.subject
                  for a in bundled.model.assertions.values() if node in (a.subject, a.object)}
    expected = sorted(set(before["entities"]) | neighbours)
    assert neighbours - set(before["entities"]), "the test needs an entity with neighbours outside the view"
    page.dblclick_node(node)
    after = page.scene()
    assert after["entities"] == expected
    touching = {a.id for a in bundled.model.assertions.values()
                if (a.subject in neighbours - set(before["entities"]) or a.object in neighbours - set(before["entities"]))
                and a.subject in expected and a.object in expected}
    assert touching <= set(after["assertions"])
    assert page.js("window.mechgraph.labels()")  # every new node has a label
    page.dblclick_node(node)
    assert page.scene() == before
    # back undoes, step by step
    page.dblclick_node(node)
    assert page.scene()["entities"] == expected
    page.page.click("#back")
    assert page.scene() == before
    page.assert_clean()


def test_the_panel_button_expands_and_collapses_too(toy_page):
    toy_page.view("mechanism")
    before = toy_page.scene()
    toy_page.js("window.mechgraph.selectEntity('drug-x')")
    toy_page.page.click("#panel-body button.expand")
    assert set(toy_page.scene()["entities"]) - set(before["entities"]) == {"protein-p", "disease-d"}
    toy_page.page.click("#panel-body button.collapse")
    assert toy_page.scene()["entities"] == before["entities"]
    toy_page.assert_clean()


def test_groups_collapse_into_one_node_and_expand_again(fresh_bundled):
    page = fresh_bundled
    page.view("everything")
    data = page.data()
    group = next(g for g in data["views"]["everything"]["groups"] if g["id"] == "type:Receptor")
    before = page.scene()
    page.page.click(f"#groups input[data-group='{group['id']}']")
    after = page.scene()
    assert "group:" + group["id"] in after["nodes"]
    assert not set(group["members"]) & set(after["nodes"])
    assert after["entities"] == before["entities"]          # still in the view, drawn as one
    aggregated = page.js("window.mechgraph.edges.get().filter(e => e.id.startsWith('agg:')).length")
    assert aggregated > 0
    page.page.click(f"#groups input[data-group='{group['id']}']")
    assert page.scene() == before
    # clicking a box's title collapses it too
    title = next(b for b in page.labels() if b["kind"] == "group" and b["id"] == group["id"])
    box = page.page.locator("#map canvas").bounding_box()
    page.page.mouse.click(box["x"] + title["x"] + 3, box["y"] + title["y"] + 5)
    assert "group:" + group["id"] in page.scene()["nodes"]
    page.assert_clean()


def test_filters_refit_the_view(toy_page, example_dir):
    graph = MechGraph.load(example_dir)
    fitted = toy_page.js("window.mechgraph.fitted")
    toy_page.page.click("#legend-types input[data-type=Drug]")
    nodes, edges = toy_page.drawn()
    assert nodes == sorted(set(graph.model.entities) - {"drug-x"})
    assert edges == sorted(a.id for a in graph.model.assertions.values() if "drug-x" not in (a.subject, a.object))
    assert toy_page.js("window.mechgraph.fitted") == fitted + 1
    inside = toy_page.js("""() => { const net = window.mechgraph.network, c = net.body.container;
        return Object.values(net.getPositions()).every(p => { const d = net.canvasToDOM(p);
            return d.x >= 0 && d.y >= 0 && d.x <= c.clientWidth && d.y <= c.clientHeight; }); }""")
    assert inside
    toy_page.page.click("#legend-types input[data-type=Drug]")
    assert toy_page.drawn() == [sorted(graph.model.entities), sorted(graph.model.assertions)]
    toy_page.assert_clean()


def test_minimum_evidence_level_hides_weaker_edges(toy_page):
    fitted = toy_page.js("window.mechgraph.fitted")
    toy_page.page.select_option("#min-level", "rct")
    assert toy_page.drawn() == [["disease-d", "drug-x"], ["a-x-treats-d"]]
    assert toy_page.js("window.mechgraph.fitted") == fitted + 1
    toy_page.page.select_option("#min-level", "")
    assert len(toy_page.drawn()[1]) == 6
    toy_page.assert_clean()


def test_labels_never_overlap_and_never_break_inside_a_word(fresh_bundled):
    page = fresh_bundled
    for name in VIEWS:
        page.view(name)
        for zoom in (1, 2.5, 0.4):
            page.js("z => { const n = window.mechgraph.network; window.mechgraph.fit(); "
                    "n.moveTo({scale: n.getScale() * z, animation: false}); }", zoom)
            labels = page.labels()
            assert labels, name
            assert _no_overlap(labels) == [], (name, zoom)
            for label in labels:
                if label["kind"] == "node":
                    assert _breaks_between_words(label), label
                    assert label["h"] <= 3 * 19 + 2
    # zoomed out on the whole graph, only some labels fit: the most connected come first
    page.view("everything")
    page.js("() => { const n = window.mechgraph.network; n.moveTo({scale: n.getScale() * 0.5, animation: false}); }")
    shown = {b["id"] for b in page.labels() if b["kind"] == "node"}
    assert 0 < len(shown) < len(page.scene()["nodes"])
    page.assert_clean()


def test_psd_95_is_one_word_on_its_label(fresh_bundled, bundled):
    page = fresh_bundled
    page.view("everything")
    page.js("window.mechgraph.selectEntity('psd-95')")
    label = next(b for b in page.labels() if b["id"] == "psd-95")
    assert label["lines"] == [bundled.model.entities["psd-95"].name]
    page.assert_clean()


def test_the_trail_goes_back_to_an_earlier_view(fresh_bundled):
    page = fresh_bundled
    page.view("clinical")
    page.view("pharmacokinetics")
    crumbs = page.js("Array.from(document.querySelectorAll('#trail button.crumb')).map(b => b.textContent)")
    assert crumbs[-2:] == ["Mechanism", "Clinical"]
    page.page.locator("#trail button.crumb", has_text="Clinical").click()
    assert page.js("window.mechgraph.view()") == "clinical"
    page.page.click("#back")
    assert page.js("window.mechgraph.view()") == "mechanism"
    page.assert_clean()


def test_a_large_graph_opens_as_groups_that_expand(browser, tmp_path):
    import sys
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    generate(tmp_path / "big", 10_000, nodes=3_000, seed=3)
    path = tmp_path / "big.html"
    path.write_text(render_html(MechGraph.load(tmp_path / "big")), encoding="utf-8")
    watched = Watched(browser, path)
    watched.view("everything")
    data = watched.data()
    groups = {g["id"]: g for g in data["views"]["everything"]["groups"]}
    scene = watched.scene()
    assert len(scene["entities"]) == 3000 and len(scene["nodes"]) == len([g for g in groups.values() if not g.get("parent")])
    big = next(g for g in groups.values() if g.get("children"))
    watched.js("g => window.mechgraph.toggleGroup(g)", big["id"])
    watched.js("g => window.mechgraph.toggleGroup(g)", big["children"][0])
    shown = set(watched.scene()["nodes"])
    assert set(groups[big["children"][0]]["members"]) <= shown
    assert len(shown) <= 450
    assert _no_overlap(watched.labels()) == []
    watched.assert_clean()
    watched.page.close()


def test_a_group_of_hundreds_lists_its_first_members_and_a_double_click_still_opens_it(browser, tmp_path):
    import sys
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    generate(tmp_path / "big", 10_000, nodes=3_000, seed=5)
    path = tmp_path / "big.html"
    path.write_text(render_html(MechGraph.load(tmp_path / "big"), view="everything"), encoding="utf-8")
    watched = Watched(browser, path)
    groups = watched.data()["views"]["everything"]["groups"]
    big = max((g for g in groups if not g.get("parent")), key=lambda g: len(g["members"]))
    assert len(big["members"]) > 250
    watched.click_node("group:" + big["id"])
    assert watched.panel()["kind"] == "group"
    listed = watched.js("() => document.querySelectorAll('#panel-body ul.links li').length")
    assert listed == 200
    more = watched.page.locator("#panel-body button.group-show-all")
    assert more.text_content() == f"Show all {len(big['members'])} members"
    more.click()
    assert watched.js("() => document.querySelectorAll('#panel-body ul.links li').length") == len(big["members"])
    # a click on a group costs little, so that the two clicks of a double-click stay one double-click
    watched.dblclick_node("group:" + big["id"])
    watched.page.wait_for_function("g => !window.mechgraph.state.collapsed[g]", arg=big["id"], timeout=10_000)
    watched.assert_clean()
    watched.page.close()


# -- search -------------------------------------------------------------------------------------------

def test_searching_tarp_gamma_8_selects_tarp_gamma8(fresh_bundled, bundled):
    page = fresh_bundled.page
    page.fill("#search", "tarp gamma 8")
    assert page.locator("#search-hits li").first.get_attribute("data-id") == "tarp-gamma8"
    page.press("#search", "Enter")
    assert fresh_bundled.js("window.mechgraph.network.getSelectedNodes()") == ["tarp-gamma8"]
    panel = fresh_bundled.panel()
    assert (panel["kind"], panel["id"]) == ("entity", "tarp-gamma8")
    assert panel["title"] == bundled.model.entities["tarp-gamma8"].name
    fresh_bundled.assert_clean()


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


# -- the evidence panel on the toy graph ------------------------------------------------------------------------

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
    assert panel["title"] == "Drug X increases the expression of Protein P"
    for text in ("10 mg/kg", "intraperitoneal", "toy.txt p5.s1-2", "toy.txt p5.s3", "mouse", "rat",
                 "A toy mechanism review"):
        assert text in panel["text"]
    toy_page.assert_clean()


def test_clicking_a_node_shows_the_entity(toy_page):
    toy_page.click_node("protein-p")
    panel = toy_page.panel()
    assert (panel["kind"], panel["id"], panel["title"]) == ("entity", "protein-p", "Protein P")
    assert "HGNC.SYMBOL:PPP" in panel["text"]
    toy_page.page.locator("#panel-body button.link", has_text="regulates").click()
    assert toy_page.panel()["id"] == "a-p-regulates-q"
    toy_page.assert_clean()


def test_the_language_switch_changes_labels_and_panel(toy_page, example_dir):
    graph = MechGraph.load(example_dir)
    labels = "Object.entries(window.mechgraph.labels()).sort()"
    assert toy_page.js(labels) == sorted([e.id, e.name] for e in graph.model.entities.values())
    legend = "document.querySelector('#legend-types input[data-type=Drug]').parentElement.textContent"
    english_legend = toy_page.js(legend)
    toy_page.js("window.mechgraph.selectAssertion('a-x-treats-d')")
    toy_page.page.click("#lang-toggle")
    assert toy_page.js("document.documentElement.lang") == "zh"
    assert toy_page.js(labels) == sorted([e.id, e.name_zh] for e in graph.model.entities.values())
    assert graph.model.findings["f-x-treats-d"].statement_zh in toy_page.panel()["text"]
    assert toy_page.panel()["title"] == "药物X 治疗 疾病D"
    assert toy_page.js(legend) != english_legend
    assert toy_page.js("document.querySelector('#views button[data-view=clinical]').textContent") == "临床"
    toy_page.page.click("#lang-toggle")
    assert toy_page.js(labels) == sorted([e.id, e.name] for e in graph.model.entities.values())
    assert graph.model.findings["f-x-treats-d"].statement in toy_page.panel()["text"]
    toy_page.assert_clean()


def test_chinese_mode_shows_the_chinese_quality_note(browser, example_dir, tmp_path):
    """Where a finding has a Chinese quality note, Chinese mode shows it and not the English one;
    English mode shows the English one, and a field that only has Chinese text not at all."""
    graph_dir = tmp_path / "graph"
    shutil.copytree(example_dir, graph_dir)
    yaml_file = graph_dir / "toy.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    text = text.replace("    statement_zh: 在一项40名患者的临床研究中，药物X治疗了疾病D。\n",
                        "    statement_zh: 在一项40名患者的临床研究中，药物X治疗了疾病D。\n"
                        "    quality_note: The review does not say how patients were allocated.\n"
                        "    quality_note_zh: 综述未说明患者如何分组。\n")
    text = text.replace("    aliases: [RR, R-γ2]\n", "    aliases: [RR, R-γ2]\n    description_zh: 只有中文的描述。\n")
    yaml_file.write_text(text, encoding="utf-8")
    path = tmp_path / "note.html"
    path.write_text(render_html(MechGraph.load(graph_dir), lang="zh"), encoding="utf-8")
    watched = Watched(browser, path)
    watched.js("window.mechgraph.selectAssertion('a-x-treats-d')")
    text = watched.panel()["text"]
    assert "综述未说明患者如何分组。" in text and "allocated" not in text
    watched.js("window.mechgraph.setLanguage('en')")
    text = watched.panel()["text"]
    assert "The review does not say how patients were allocated." in text and "综述未说明" not in text
    watched.js("window.mechgraph.selectEntity('receptor-r')")
    assert "只有中文的描述" not in watched.panel()["text"]          # no English description: none shown
    watched.js("window.mechgraph.setLanguage('zh')")
    assert "只有中文的描述" in watched.panel()["text"]
    watched.assert_clean()
    watched.page.close()


def test_chinese_quality_notes_on_the_bundled_graph(fresh_bundled, bundled):
    page = fresh_bundled
    page.js("window.mechgraph.setLanguage('zh')")
    noted = [f for f in bundled.model.findings.values() if f.quality_note_zh and f.quality_note]
    assert noted, "the bundled graph has Chinese quality notes"
    shown_any = 0
    for finding in noted:
        assertion = next((a for a in bundled.model.assertions.values() if finding.id in a.findings), None)
        if assertion is None:
            continue
        page.js("id => window.mechgraph.showAssertion(id)", assertion.id)
        shown = page.panel()["text"]
        assert finding.quality_note_zh in shown and finding.quality_note not in shown, finding.id
        shown_any += 1
    assert shown_any
    page.assert_clean()


def test_english_mode_shows_no_chinese_field_value(fresh_bundled, bundled):
    """Every entity and assertion panel in English: no value of the graph's Chinese fields
    (names, descriptions, statements, quality notes) is shown, except where marked as the
    other language's name or an original title. An English note may quote a Chinese term."""
    page = fresh_bundled
    names, texts_zh = set(), set()
    for e in bundled.model.entities.values():
        if e.name_zh and CJK.search(e.name_zh):
            names.add(e.name_zh)
        if e.description_zh and CJK.search(e.description_zh):
            texts_zh.add(e.description_zh)
    for f in bundled.model.findings.values():
        texts_zh.update(x for x in (f.statement_zh, f.quality_note_zh) if x and CJK.search(x))
    shown = page.js("""() => { const api = window.mechgraph, data = JSON.parse(document.getElementById('mechgraph-data').textContent);
        const out = [];
        const pieces = () => { const b = document.getElementById('panel-body').cloneNode(true);
            b.querySelectorAll('.alt-name').forEach(n => n.remove());
            const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT), found = [];
            while (walker.nextNode()) { found.push(walker.currentNode.nodeValue); }
            return found; };
        Object.keys(data.entities).forEach(id => { api.showEntity(id); out.push([id, pieces()]); });
        Object.keys(data.assertions).forEach(id => { api.showAssertion(id); out.push([id, pieces()]); });
        return out; }""")
    assert len(shown) == len(bundled.model.entities) + len(bundled.model.assertions)
    for record, pieces in shown:
        whole = "\n".join(pieces)
        leaked = [x for x in texts_zh if x in whole]
        parts = {p.strip() for piece in pieces for p in re.split(r" · |, |; | → | — ", piece)}
        leaked += sorted(parts & names)
        assert leaked == [], (record, leaked[:3])
    page.assert_clean()


# -- paths and cascades -----------------------------------------------------------------------------------------

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


def test_a_path_outside_the_view_is_brought_into_it(browser, example_dir, tmp_path):
    path = tmp_path / "toy.html"
    path.write_text(render_html(MechGraph.load(example_dir)), encoding="utf-8")
    watched = Watched(browser, path)
    assert "pathway-q" not in watched.scene()["entities"]
    watched.js("() => window.mechgraph.highlightPath('drug-x', 'pathway-q')")
    highlighted = watched.js("window.mechgraph.highlighted")
    assert set(highlighted["nodes"]) <= set(watched.scene()["nodes"])
    assert set(highlighted["edges"]) <= set(watched.scene()["edges"])
    watched.assert_clean()
    watched.page.close()


def _cascades(watched: Watched) -> list[dict]:
    return watched.js("""() => Array.from(document.querySelectorAll('#cascades .cascade')).map(c => ({
        nodes: c.dataset.nodes.split(' '), hops: c.dataset.hops.split(' '),
        borrowed: Array.from(c.querySelectorAll('li.step')).map(s => s.dataset.borrowed === 'true'),
        family: c.closest('section.family') ? c.closest('section.family').dataset.family : null,
        steps: Array.from(c.querySelectorAll('li.step')).map(s => s.querySelector('.evidence').textContent)}))""")


def test_paths_page_draws_each_path_as_a_cascade_in_the_command_lines_order(browser, example_dir, tmp_path, run):
    out = tmp_path / "paths.html"
    result = run("--graph", example_dir, "path", "drug-x", "pathway-q", "--json", "--html", out)
    expected = json.loads(result.stdout)
    watched = Watched(browser, out)
    cascades = _cascades(watched)
    assert [(c["nodes"], c["hops"]) for c in cascades] == [
        ([n["id"] for n in p["nodes"]], [h["assertion"] for h in p["hops"]]) for p in expected["paths"]]
    for cascade, path in zip(cascades, expected["paths"], strict=True):
        assert cascade["borrowed"] == [h["borrowed"] for h in path["hops"]]
        for text, hop in zip(cascade["steps"], path["hops"], strict=True):
            assert str(hop["score"]) in text and hop["level"].replace("_", " ") in text
    nodes, edges = watched.drawn()
    assert nodes == sorted({n["id"] for p in expected["paths"] for n in p["nodes"]})
    assert edges == sorted({h["assertion"] for p in expected["paths"] for h in p["hops"]})
    watched.page.locator("#cascades .cascade button.highlight").nth(1).click()
    assert watched.js("window.mechgraph.highlighted.nodes") == [n["id"] for n in expected["paths"][1]["nodes"]]
    watched.assert_clean()
    watched.page.close()


def test_the_cascades_top_path_is_the_command_lines_on_the_bundled_graph(browser, bundled, tmp_path, run):
    """For a few questions a pharmacologist asks, path --html and explain --html put the
    command line's top chain first, step for step, borrowed evidence marked as it says."""
    pairs = [("esketamine", "antidepressant-effect"), ("NMDAR", "BDNF"), ("esketamine", "mTOR")]
    compared = 0
    for a, b in pairs:
        out = tmp_path / f"{a}-{b}.html"
        result = run("path", a, b, "--json", "--html", out)
        if result.exit_code != 0:
            continue
        expected = json.loads(result.stdout)["paths"][0]
        watched = Watched(browser, out)
        first = _cascades(watched)[0]
        assert (first["nodes"], first["hops"]) == ([n["id"] for n in expected["nodes"]],
                                                   [h["assertion"] for h in expected["hops"]]), (a, b)
        assert first["borrowed"] == [h["borrowed"] for h in expected["hops"]], (a, b)
        watched.assert_clean()
        watched.page.close()
        compared += 1
    assert compared >= 1
    out = tmp_path / "explain.html"
    result = run("explain", "esketamine", "--json", "--html", out)
    assert result.exit_code == 0, result.stderr
    explained = json.loads(result.stdout)
    watched = Watched(browser, out)
    cascades = _cascades(watched)
    expected = [(f"family:{f['id']}", [n["id"] for n in c["nodes"]]) for f in explained["families"] for c in f["chains"]]
    assert [(c["family"], c["nodes"]) for c in cascades] == expected
    watched.assert_clean()
    watched.page.close()


def test_the_mechanism_panel_lists_explains_chains_by_family(fresh_bundled, bundled):
    from mechgraph.reasoning.explain import explain
    explained = explain(bundled, "esketamine")
    panel = fresh_bundled.js("""() => Array.from(document.querySelectorAll('#panel-body section.family')).map(s => [
        s.dataset.family, Array.from(s.querySelectorAll('.cascade')).map(c => c.dataset.hops)])""")
    expected = [[f"family:{f['id']}", [" ".join(h["assertion"] for h in c["hops"]) for c in f["chains"]]]
                for f in explained["families"]]
    assert panel == expected
    fresh_bundled.assert_clean()


def test_the_map_highlights_the_same_top_chain_as_the_command_line(bundled_page, bundled):
    """For every pair of entities with a mechanism chain among a deterministic sample,
    the page's chain search picks the CLI's top chain, step for step, with the same
    drugs behind each step and the same borrowed marks."""
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
        assert [(s["drugs"], s["borrowed"]) for s in chain["steps"]] == [
            (h["drugs"], h["borrowed"]) for h in top["hops"]], (a, b)
        compared += 1
    assert compared >= 20, "the sample must hold enough pairs with chains to mean something"


def test_the_evidence_panel_shows_how_the_score_is_computed(toy_page, example_dir):
    from mechgraph.reasoning.evidence import score_parts
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


def test_the_clinical_view_shows_the_drugs_guidance(fresh_bundled, bundled):
    fresh_bundled.view("clinical")
    guidance = bundled.show("esketamine")["guidance"]
    panel = fresh_bundled.panel()
    assert (panel["kind"], panel["id"]) == ("guidance", "esketamine")
    topics = fresh_bundled.js("Array.from(document.querySelectorAll('#panel-body section.guidance h4')).length")
    assert topics == len(guidance)
    fresh_bundled.assert_clean()


def test_a_focus_below_the_floor_keeps_the_nmda_receptor_on_the_page(browser, bundled, tmp_path):
    path = tmp_path / "focus.html"
    path.write_text(render_html(bundled, focus="esketamine", min_level="animal_in_vivo"), encoding="utf-8")
    watched = Watched(browser, path)
    assert watched.js("window.mechgraph.view()") == "everything"
    assert "nmdar" in watched.scene()["nodes"]
    assert watched.panel()["id"] == "esketamine"
    watched.assert_clean()
    watched.page.close()


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
    watched.view("everything")
    for entity in graph.model.entities.values():
        page.mouse.move(*watched.node_point(entity.id))
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
    for name in VIEWS:
        watched.view(name)
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
    watched.view("mechanism")
    watched.js("window.mechgraph.toggleExpand('evil-drug')")
    page.locator("#trail button.crumb").last.click()
    _assert_inert(watched)
    watched.page.close()


def test_hostile_paths_and_explain_pages_run_nothing(browser, tmp_path, run):
    graph = MechGraph.load(XSS_GRAPH)
    path = tmp_path / "xss-paths.html"
    write_paths_page(graph, graph.path("evil-drug", "quoted-condition"), path)
    watched = Watched(browser, path)
    source, target = graph.model.entities["evil-drug"], graph.model.entities["quoted-condition"]
    assert watched.js("document.title") == f"{source.name} → {target.name}"
    watched.page.locator("#cascades .cascade button.highlight").first.click()
    watched.page.locator("#cascades li.step button.phrase").first.click()
    _assert_inert(watched)
    watched.page.close()
    out = tmp_path / "xss-explain.html"
    result = run("--graph", XSS_GRAPH, "explain", "evil-drug", "--html", out)
    if result.exit_code == 0:
        watched = Watched(browser, out)
        _assert_inert(watched)
        watched.page.close()
