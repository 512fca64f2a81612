"""`mechgraph figure`: publication figures as SVG (and PNG), checked as XML, against the
library's answers, and as Chromium draws them (no two texts overlap)."""

from __future__ import annotations

import re
import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import IN_CI
from mechgraph import MechGraph
from mechgraph.figures import explain_figure, focus_figure, path_figure, write_figure
from mechgraph.figures.style import LEVEL_SHORT, OKABE_ITO

NS = {"svg": "http://www.w3.org/2000/svg"}
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
CHROMIUM = "/usr/bin/chromium"
SAFE_COLOURS = set(OKABE_ITO.values()) | {"#555555"}


@pytest.fixture(scope="module")
def bundled():
    return MechGraph.load()


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def texts(root) -> list[ET.Element]:
    return root.findall(".//svg:text", NS)


def entity_labels(root) -> dict[str, str]:
    """entity id -> its label, from the lines drawn in its box."""
    out = {}
    for group in root.findall(".//svg:g[@class='entity']", NS):
        lines = [t.text for t in group.findall("svg:text", NS)]
        joined = lines[0]
        for line in lines[1:]:
            joined += ("" if joined.endswith(("-", "/")) or (CJK.match(joined[-1]) and CJK.match(line[0])) else " ") + line
        assert joined == group.get("data-label"), (lines, group.get("data-label"))
        out.setdefault(group.get("data-id"), joined)
    return out


def figures(graph, lang="en", width="double"):
    return {
        "path": path_figure(graph, "esketamine", "antidepressant-effect", lang=lang, width=width),
        "explain": explain_figure(graph, "esketamine", lang=lang, width=width),
        "focus": focus_figure(graph, "nmdar", lang=lang, width=width),
    }


# -- the SVG as a document ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", ["single", "double"])
def test_figures_are_valid_svg_sized_for_a_journal_column(bundled, lang, width):
    for name, fig in figures(bundled, lang, width).items():
        root = parse(fig.svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert root.get("width") == ("85mm" if width == "single" else "180mm"), name
        # one user unit is one point at the printed size
        view = [float(v) for v in root.get("viewBox").split()]
        assert abs(view[2] - float(root.get("width")[:-2]) * 72 / 25.4) < 0.03, name
        assert abs(view[3] - float(root.get("height")[:-2]) * 72 / 25.4) < 0.03, name
        sizes = {float(t.get("font-size")) for t in texts(root)}
        assert min(sizes) >= 6, (name, sizes)            # legible in print
        assert fig.overlaps == [], name
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang


def test_a_figure_fetches_nothing(bundled):
    for name, fig in figures(bundled).items():
        assert "href" not in fig.svg and "url(" not in fig.svg and "<image" not in fig.svg, name
        assert "http" not in fig.svg.replace("http://www.w3.org/2000/svg", ""), name


def test_the_same_graph_gives_the_same_bytes(bundled, tmp_path, example_dir):
    assert figures(bundled) == figures(MechGraph.load())
    copy = tmp_path / "graph"
    shutil.copytree(example_dir, copy)
    a = path_figure(MechGraph.load(example_dir), "drug-x", "protein-p").svg
    b = path_figure(MechGraph.load(copy), "drug-x", "protein-p").svg
    assert a == b and str(example_dir) not in a


# -- what the figures show ---------------------------------------------------------------------------------

def test_the_path_figure_draws_the_command_lines_paths_in_order(bundled):
    result = bundled.path("esketamine", "antidepressant-effect", k=6)
    root = parse(path_figure(bundled, "esketamine", "antidepressant-effect").svg)
    chains = root.findall(".//svg:g[@class='chain']", NS)
    assert [c.get("data-hops").split() for c in chains] == [[h["assertion"] for h in p["hops"]] for p in result["paths"]]
    labels = entity_labels(root)
    for p in result["paths"]:
        for node in p["nodes"]:
            assert labels[node["id"]] == node["name"]


def test_every_step_prints_its_evidence_level_and_score(bundled):
    result = bundled.path("esketamine", "antidepressant-effect", k=6)
    root = parse(path_figure(bundled, "esketamine", "antidepressant-effect").svg)
    notes = [t.text for t in root.findall(".//svg:text[@class='note']", NS)]
    hops = [h for p in result["paths"] for h in p["hops"]]
    evidence = [n for n in notes if re.match(r"^(MA|RCT|CT|OBS|VIVO|VITRO|REV) \d\.\d\d", n)]
    assert evidence == [f"{LEVEL_SHORT[h['level']][0]} {h['score']:.2f}" + (f" · refuted ×{len(h['refuting'])}"
                                                                            if h["refuting"] else "") for h in hops]
    steps = root.findall(".//svg:g[@class='step'][@data-assertion]", NS)
    assert [s.get("data-assertion") for s in steps] == [h["assertion"] for h in hops]
    # borrowed evidence is dashed, and only borrowed evidence
    for step, hop in zip(steps, hops, strict=True):
        line = step.find("svg:line", NS)
        assert (line.get("stroke-dasharray") is not None) == hop["borrowed"], hop["assertion"]


def test_signs_differ_in_shape_and_colours_are_colour_blind_safe(bundled):
    root = parse(focus_figure(bundled, "nmdar").svg)
    kinds = {}
    for step in root.findall(".//svg:g[@class='step']", NS):
        line = step.find("svg:line", NS)
        assert line.get("stroke") in SAFE_COLOURS
        head = "arrow" if step.find("svg:polygon", NS) is not None else \
            "bar" if len(step.findall("svg:line", NS)) == 2 else "open"
        kinds.setdefault(line.get("stroke"), set()).add(head)
    assert kinds[OKABE_ITO["blue"]] == {"arrow"} and kinds[OKABE_ITO["vermillion"]] == {"bar"}
    assert kinds["#555555"] == {"open"}


def test_the_explain_figure_follows_explains_families(bundled):
    from mechgraph.reasoning.explain import explain
    result = explain(bundled, "esketamine")
    root = parse(explain_figure(bundled, "esketamine").svg)
    headings = [t.text for t in root.findall(".//svg:text[@class='heading']", NS)]
    assert headings == [f["name"] for f in result["families"]]
    chains = [c.get("data-hops").split() for c in root.findall(".//svg:g[@class='chain']", NS)]
    assert chains == [[h["assertion"] for h in c["hops"]] for f in result["families"] for c in f["chains"]]


def test_the_focus_figure_shows_the_strongest_assertions_on_each_side(bundled):
    fig = focus_figure(bundled, "nmdar", limit=5)
    root = parse(fig.svg)
    steps = [s.get("data-assertion") for s in root.findall(".//svg:g[@class='step'][@data-assertion]", NS)]
    shown = bundled.show("nmdar")
    for side in ("in", "out"):
        edges = [e for e in shown[side] if e["other"]["id"] != "nmdar"]
        edges.sort(key=lambda e: (-e["score"], -__import__("mechgraph.model.constants").model.constants.level_rank(e["level"]),
                                  e["assertion"]))
        expected = [e["assertion"] for e in edges[:5]]
        assert [s for s in steps if s in {e["assertion"] for e in edges}] == expected, side
    assert entity_labels(root)["nmdar"] == "NMDA receptor"


def test_chinese_labels_and_no_chinese_in_english(bundled):
    zh = parse(path_figure(bundled, "esketamine", "antidepressant-effect", lang="zh").svg)
    labels = entity_labels(zh)
    assert labels["esketamine"] == bundled.model.entities["esketamine"].name_zh
    assert any(t.text == "拮抗" or t.text == "增加释放" for t in texts(zh))
    for name, fig in figures(bundled, "en").items():
        assert not [t.text for t in texts(parse(fig.svg)) if CJK.search(t.text)], name


def test_no_layout_overlaps_anywhere_in_the_bundled_graph(bundled):
    """The layouts' own metrics: every focus figure of the bundled graph at both widths."""
    for entity in sorted(bundled.model.entities):
        for width in ("single", "double"):
            try:
                fig = focus_figure(bundled, entity, width=width, limit=8)
            except Exception as exc:  # an entity with no assertion has no figure
                assert "has no assertion" in str(exc)
                continue
            assert fig.overlaps == [], (entity, width)


# -- the command -------------------------------------------------------------------------------------------

def test_figure_commands_write_svg(run, tmp_path):
    for args in (["path", "esketamine", "antidepressant effect"], ["explain", "esketamine", "--lang", "zh"],
                 ["focus", "NMDAR", "--width", "single"], ["focus", "esketamine", "--relation", "drug-target"]):
        out = tmp_path / f"{args[0]}.svg"
        result = run("figure", *args, "-o", out)
        assert result.exit_code == 0, result.stderr
        assert re.fullmatch(rf"wrote {re.escape(str(out))} \(\d+(\.\d+)? x \d+(\.\d+)? mm\)\n", result.stdout)
        parse(out.read_text(encoding="utf-8"))


def test_figure_focus_relation_keeps_only_that_class(run, tmp_path, bundled):
    out = tmp_path / "targets.svg"
    assert run("figure", "focus", "esketamine", "--relation", "drug-target", "--limit", "60", "-o", out).exit_code == 0
    steps = {s.get("data-assertion") for s in parse(out.read_text()).findall(".//svg:g[@class='step'][@data-assertion]", NS)}
    targets = {k for _, _, k, d in bundled.nx.out_edges("esketamine", keys=True, data=True) if d["relation"] == "drug-target"}
    assert steps == targets


@pytest.mark.parametrize("args, message", [
    (["explain", "esketamine", "-o", "x.pdf"], "error: cannot write x.pdf: a figure is .svg or .png\n"),
    (["focus", "esketamine", "--width", "12", "-o", "x.svg"], None),
    (["path", "nothing-like-it", "BDNF", "-o", "x.svg"], "error: unknown entity 'nothing-like-it'.\n"),
])
def test_figure_errors_are_one_line(run, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("figure", *args)
    assert result.exit_code != 0
    if message:
        assert result.stderr.startswith(message.rstrip("\n").split(".")[0])
        assert result.stderr.count("\n") == 1
    assert not (tmp_path / "x.svg").exists() and not (tmp_path / "x.pdf").exists()


def test_png_without_a_converter_is_a_clear_message(run, tmp_path, monkeypatch):
    import mechgraph.figures.png as png
    monkeypatch.setattr(png, "converters", lambda: [])
    out = tmp_path / "x.png"
    result = run("figure", "path", "esketamine", "antidepressant effect", "-o", out)
    assert result.exit_code == 1
    assert result.stderr == ("error: no SVG-to-PNG converter is installed: pip install cairosvg, or install librsvg "
                             "(rsvg-convert), or pip install playwright with a Chromium; or write an .svg instead\n")
    assert not out.exists()


# -- in a browser ---------------------------------------------------------------------------------------------

def _chromium_or_skip():
    try:
        import playwright  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")


@pytest.mark.slow
def test_figures_render_in_chromium_with_no_overlapping_text(bundled, tmp_path):
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright
    files = []
    for lang in ("en", "zh"):
        for width in ("single", "double"):
            for name, fig in figures(bundled, lang, width).items():
                path = tmp_path / f"{name}-{lang}-{width}.svg"
                write_figure(fig, path)
                files.append(path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        for path in files:
            requests.clear()
            page.goto(path.as_uri())
            boxes = page.evaluate("""() => Array.from(document.querySelectorAll('text')).map(t => {
                const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; })""")
            assert requests == [path.as_uri()]
            view = page.evaluate("() => { const v = document.documentElement.viewBox.baseVal; return {width: v.width}; }")
            assert len(boxes) > 10
            for i, a in enumerate(boxes):
                assert a["w"] > 0, (path.name, a)
                assert a["x"] >= 0 and a["x"] + a["w"] <= view["width"] + 0.5, (path.name, a)
                for b in boxes[i + 1:]:
                    # boxes may touch (rounding), never overlap
                    overlap_x = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
                    overlap_y = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
                    assert overlap_x <= 0.2 or overlap_y <= 0.2, (path.name, a["text"], b["text"])
            inside = page.evaluate("""() => Array.from(document.querySelectorAll('g.entity')).every(g => {
                const r = g.querySelector('rect').getBBox();
                return Array.from(g.querySelectorAll('text')).every(t => { const b = t.getBBox();
                    return b.x >= r.x - 0.5 && b.x + b.width <= r.x + r.width + 0.5; }); })""")
            assert inside, path.name
        browser.close()


@pytest.mark.slow
def test_png_where_a_converter_is_installed(run, tmp_path):
    from mechgraph.figures.png import converters
    if not converters():
        if IN_CI:
            pytest.fail("no PNG converter in CI (chromium and playwright are installed there)")
        pytest.skip("no SVG-to-PNG converter installed")
    out = tmp_path / "x.png"
    result = run("figure", "path", "esketamine", "antidepressant effect", "--width", "single", "--dpi", "150", "-o", out)
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert abs(width - round(85 / 25.4 * 150)) <= 2
