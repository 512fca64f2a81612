"""`mechgraph render`, `path --html` and the html export: the page as a file (no browser).

The browser tests are in test_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from mechgraph import MechGraph
from mechgraph.constants import ENTITY_TYPES

XSS_GRAPH = DATA / "xss-graph"


class PageParser(HTMLParser):
    """Collects every element (tag and attributes) and the text of each script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def page_data(html: str) -> dict:
    """The JSON the page carries."""
    parser = parse(html)
    blobs = [text for attrs, text in parser.scripts if attrs.get("id") == "mechgraph-data"]
    assert len(blobs) == 1
    return json.loads(blobs[0])


def render(run, graph_dir, tmp_path, *args, name="map.html") -> tuple[str, dict]:
    out = tmp_path / name
    result = run("--graph", graph_dir, "render", "-o", out, *args)
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    return html, page_data(html)


# -- the command -----------------------------------------------------------------------------

def test_render_writes_the_whole_toy_graph(run, example_dir, tmp_path):
    out = tmp_path / "toy.html"
    result = run("--graph", example_dir, "render", "-o", out)
    assert result.exit_code == 0
    assert result.stdout == f"wrote {out}: 7 entities, 6 assertions, 7 findings\n"
    data = page_data(out.read_text(encoding="utf-8"))
    graph = MechGraph.load(example_dir)
    assert sorted(n["id"] for n in data["nodes"]) == sorted(graph.model.entities)
    assert sorted(e["id"] for e in data["edges"]) == sorted(graph.model.assertions)
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        (a.subject, a.object) for a in graph.model.assertions.values()}
    assert sorted(data["findings"]) == sorted(graph.model.findings)


def test_render_json_reports_what_it_wrote(run, example_dir, tmp_path):
    out = tmp_path / "toy.html"
    result = run("--graph", example_dir, "render", "-o", out, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report == {"file": str(out), "entities": 7, "assertions": 6, "findings": 7,
                      "bytes": out.stat().st_size}


def test_default_output_is_mechgraph_html_in_the_current_directory(run, example_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--graph", example_dir, "render")
    assert result.exit_code == 0
    assert (tmp_path / "mechgraph.html").is_file()


def test_page_is_self_contained_and_offline(run, example_dir, tmp_path):
    html, _ = render(run, example_dir, tmp_path)
    parser = parse(html)
    tags = [tag for tag, _ in parser.elements]
    assert "link" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attrs in parser.elements:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert [attrs for attrs, _ in parser.scripts] == [{"id": "mechgraph-data", "type": "application/json"}, {}, {}]
    assert "bootstrap" not in html.lower() and "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_content_security_policy_allows_only_the_pages_own_scripts(run, example_dir, tmp_path):
    html, _ = render(run, example_dir, tmp_path)
    parser = parse(html)
    csp = next(attrs["content"] for tag, attrs in parser.elements
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    executable = [text for attrs, text in parser.scripts if "type" not in attrs]
    assert hashes == {base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() for text in executable}


def test_vis_network_is_inlined_with_its_licence_header(run, example_dir, tmp_path):
    import pyvis
    html, _ = render(run, example_dir, tmp_path)
    bundle = (Path(pyvis.__file__).parent / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(encoding="utf-8")
    assert bundle.startswith("/**\n * vis-network")
    assert bundle in html
    assert "@license" in html and "vis.js is dual licensed" in html


def test_same_graph_gives_the_same_bytes_wherever_it_lives(run, example_dir, tmp_path):
    copy = tmp_path / "elsewhere" / "graph"
    shutil.copytree(example_dir, copy)
    first, _ = render(run, example_dir, tmp_path, name="a.html")
    again, _ = render(run, example_dir, tmp_path, name="b.html")
    moved, _ = render(run, copy, tmp_path, name="c.html")
    assert first == again == moved
    assert str(tmp_path) not in first


def test_layout_reads_from_drug_to_clinical_outcome(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path)
    x = {n["id"]: n["x"] for n in data["nodes"]}
    assert x["drug-x"] < x["receptor-r"] < x["protein-p"] < x["island"] < x["behaviour-b"] < x["disease-d"]
    assert x["protein-p"] == x["pathway-q"]         # both signalling
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert [t["id"] for t in data["columns"]["tiers"]] == [
        "drugs", "targets", "signalling", "plasticity", "behaviour", "clinical"]


def test_edges_show_sign_evidence_and_contest(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path)
    edges = {e["id"]: e for e in data["edges"]}
    heads = {key: e["arrows"]["to"]["type"] for key, e in edges.items()}
    assert heads["a-x-antagonizes-r"] == "bar"            # inhibition
    assert heads["a-x-increases-expression-p"] == "arrow"  # activation
    assert heads["a-p-regulates-q"] == "vee"              # no sign
    assert edges["a-x-antagonizes-r"]["color"]["color"] != edges["a-x-increases-expression-p"]["color"]["color"]
    # only the assertion with a no-effect finding is dashed
    assert [key for key, e in edges.items() if e["dashes"]] == ["a-x-increases-expression-p"]
    # stronger evidence: wider (score) and more opaque (level)
    assert edges["a-x-antagonizes-r"]["width"] > edges["a-p-regulates-q"]["width"]
    assert edges["a-x-treats-d"]["color"]["opacity"] > edges["a-x-antagonizes-r"]["color"]["opacity"] \
        > edges["a-p-regulates-q"]["color"]["opacity"]
    assert all(e["smooth"]["enabled"] for e in edges.values())  # drawn, never simulated


def test_panel_data_carries_every_finding_field(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path)
    graph = MechGraph.load(example_dir)
    edge = data["assertions"]["a-x-increases-expression-p"]
    assert edge["supporting"] == ["f-x-p-mouse"] and edge["refuting"] == ["f-x-p-rat-null"]
    assert edge["score"] == graph.nx.edges["drug-x", "protein-p", "a-x-increases-expression-p"]["score"]
    finding = data["findings"]["f-x-p-mouse"]
    assert finding["statement"] == "In mice, drug X raised protein P by blocking receptor R."
    assert finding["interventions"] == [{"drug": "drug-x", "dose": "10 mg/kg", "route": "intraperitoneal"}]
    assert (finding["species"], finding["study_type"], finding["level"]) == (["mouse"], "animal_in_vivo", "animal_in_vivo")
    assert (finding["source"], finding["locator"], finding["direction"]) == ("toy-seed", ["p5.s1-2"], "supports")
    assert data["sources"]["toy-seed"]["file"] == "toy.txt"


def test_lang_zh_opens_the_page_in_chinese(run, example_dir, tmp_path):
    html, data = render(run, example_dir, tmp_path, "--lang", "zh")
    assert '<html lang="zh">' in html
    assert data["meta"]["lang"] == "zh"
    assert {n["id"]: n["label"] for n in data["nodes"]}["drug-x"] == "药物X"
    assert set(data["vocabulary"]["zh"]) >= set(ENTITY_TYPES)


def test_every_vocabulary_term_has_a_chinese_label():
    from mechgraph.html.i18n import missing_translations
    assert missing_translations() == []


def test_focus_and_depth_draw_a_neighbourhood(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path, "--focus", "Receptor R", "--depth", "1")
    assert sorted(n["id"] for n in data["nodes"]) == ["drug-x", "protein-p", "receptor-r"]
    assert sorted(e["id"] for e in data["edges"]) == [
        "a-r-decreases-expression-p", "a-x-antagonizes-r", "a-x-increases-expression-p"]
    assert data["meta"]["filters"] == {"focus": "receptor-r", "depth": 1}
    _, data = render(run, example_dir, tmp_path, "--focus", "RR", "--depth", "0")
    assert [n["id"] for n in data["nodes"]] == ["receptor-r"] and data["edges"] == []


def test_types_keep_only_those_entities(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path, "--types", "drug,Protein")
    assert sorted(n["id"] for n in data["nodes"]) == ["drug-x", "protein-p"]
    assert [e["id"] for e in data["edges"]] == ["a-x-increases-expression-p"]


def test_evidence_filters_drop_weak_edges_and_orphans(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path, "--min-level", "rct")
    assert [e["id"] for e in data["edges"]] == ["a-x-treats-d"]
    assert sorted(n["id"] for n in data["nodes"]) == ["disease-d", "drug-x"]
    _, data = render(run, example_dir, tmp_path, "--min-score", "0.45")
    graph = MechGraph.load(example_dir)
    strong = sorted(k for _, _, k, d in graph.nx.edges(keys=True, data=True) if d["score"] >= 0.45)
    assert sorted(e["id"] for e in data["edges"]) == strong
    assert "a-p-regulates-q" not in strong and "pathway-q" not in [n["id"] for n in data["nodes"]]


@pytest.mark.parametrize("args, message", [
    (["--depth", "2"], "error: --depth needs --focus\n"),
    (["--types", "Drug,Bogus"], f"error: unknown entity type 'Bogus'; choose from {', '.join(ENTITY_TYPES)}\n"),
    (["--focus", "disease d", "--types", "Drug"],
     "error: the focus entity Disease D (disease-d) is a Condition, which --types leaves out\n"),
    (["--focus", "nothing-like-it"], "error: unknown entity 'nothing-like-it'.\n"),
    (["--types", "Gene"], "error: nothing to draw: no entity passes the filters\n"),
])
def test_render_errors_are_one_line(run, example_dir, tmp_path, args, message):
    out = tmp_path / "never.html"
    result = run("--graph", example_dir, "render", "-o", out, *args)
    assert result.exit_code == 1
    assert result.stderr == message
    assert not out.exists()


def test_render_into_a_missing_directory_fails_cleanly(run, example_dir, tmp_path):
    result = run("--graph", example_dir, "render", "-o", tmp_path / "no" / "map.html")
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {tmp_path / 'no' / 'map.html'}: directory {tmp_path / 'no'} does not exist\n"


def test_open_hands_the_file_to_the_browser(example_dir, tmp_path):
    record = tmp_path / "opened.txt"
    fake = tmp_path / "fake-browser"
    fake.write_text(f"#!{sys.executable}\nimport sys\nopen({str(record)!r}, 'w').write(sys.argv[1])\n")
    fake.chmod(0o755)
    out = tmp_path / "map.html"
    env = {**os.environ, "BROWSER": str(fake)}
    done = subprocess.run([sys.executable, "-m", "mechgraph", "--graph", str(example_dir), "render", "-o", str(out),
                           "--open"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert record.read_text() == out.resolve().as_uri()


# -- path --html and the export registry -------------------------------------------------------------

def test_path_html_writes_just_the_paths(run, example_dir, tmp_path):
    out = tmp_path / "paths.html"
    result = run("--graph", example_dir, "path", "drug-x", "pathway-q", "--html", out)
    assert result.exit_code == 0
    assert result.stderr == f"wrote {out}\n"
    data = page_data(out.read_text(encoding="utf-8"))
    expected = MechGraph.load(example_dir).path("drug-x", "pathway-q")
    nodes = sorted({n["id"] for p in expected["paths"] for n in p["nodes"]})
    hops = sorted({h["assertion"] for p in expected["paths"] for h in p["hops"]})
    assert sorted(n["id"] for n in data["nodes"]) == nodes
    assert sorted(e["id"] for e in data["edges"]) == hops
    assert [p["hops"] for p in data["paths"]] == [[h["assertion"] for h in p["hops"]] for p in expected["paths"]]
    assert data["meta"]["mode"] == "paths" and data["meta"]["title"] == "Drug X → Pathway Q"


def test_html_is_an_export_format(example_dir, tmp_path):
    from mechgraph.io.registry import writer
    written = writer("html")(MechGraph.load(example_dir), tmp_path / "m.html")
    assert written == [tmp_path / "m.html"]
    assert len(page_data(written[0].read_text(encoding="utf-8"))["nodes"]) == 7


# -- safety ------------------------------------------------------------------------------------------------

def test_hostile_texts_never_become_markup(run, tmp_path):
    """Every name, alias, statement and citation of the hostile graph stays inside the
    JSON data: the page has exactly its own elements and scripts."""
    for html in (render(run, XSS_GRAPH, tmp_path)[0],
                 render(run, XSS_GRAPH, tmp_path, "--lang", "zh", name="zh.html")[0]):
        parser = parse(html)
        tags = {tag for tag, _ in parser.elements}
        assert not tags & {"img", "iframe", "object", "svg", "a", "marquee", "b", "embed"}
        assert len(parser.scripts) == 3
        assert all(not name.startswith("on") for _, attrs in parser.elements for name in attrs)
        data = page_data(html)
        assert data["entities"]["evil-drug"]["name"] == "<script>window.__xss = 'name'</script>"
    out = tmp_path / "paths.html"
    assert run("--graph", XSS_GRAPH, "path", "evil-drug", "quoted-condition", "--html", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert ("<title>&lt;script&gt;window.__xss = &#39;name&#39;&lt;/script&gt; → Quote &#34;double&#34; and "
            "&#39;single&#39; &amp; ampersand &lt;/title&gt;</title>") in html
    assert len(parse(html).scripts) == 3


def test_script_json_escapes_markup():
    from mechgraph.html.payload import script_json
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# -- start-up: commands that do not render never import pyvis ------------------------------------------------

@pytest.mark.parametrize("args", [
    ["path", "drug-x", "disease-d"], ["show", "drug-x"], ["search", "drug"], ["path", "DX", "Pathway Q", "--json"]])
def test_commands_that_do_not_render_do_not_import_pyvis(example_dir, args):
    code = ("import sys; from mechgraph.cli import cli\n"
            "try:\n"
            f"    cli({['--graph', str(example_dir), *args]!r}, prog_name='mechgraph')\n"
            "except SystemExit as exc:\n"
            "    assert not exc.code, exc.code\n"
            "heavy = sorted(m for m in ('pyvis', 'jinja2', 'IPython', 'mechgraph.html') if m in sys.modules)\n"
            "print('IMPORTED', heavy)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "IMPORTED []"


# -- the committed map -----------------------------------------------------------------------------------

def test_committed_map_is_current():
    """exports/mechgraph.html is the bundled graph's map; regenerate it with
    `mechgraph render -o exports/mechgraph.html` (or `mechgraph export --all`)."""
    committed = ROOT / "exports" / "mechgraph.html"
    if not committed.is_file():
        pytest.fail("exports/mechgraph.html is missing: run `mechgraph render -o exports/mechgraph.html`")
    from mechgraph.html import render_html
    if committed.read_text(encoding="utf-8") != render_html(MechGraph.load()):
        pytest.fail("exports/mechgraph.html is stale: run `mechgraph render -o exports/mechgraph.html`")
