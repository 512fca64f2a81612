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
from mechgraph.model.constants import ENTITY_TYPES

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


def test_everything_view_reads_from_drug_to_clinical_outcome(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path)
    everything = data["views"]["everything"]
    x = {n: p[0] for n, p in everything["positions"].items()}
    assert x["drug-x"] < x["receptor-r"] < x["protein-p"] < x["island"] < x["behaviour-b"] < x["disease-d"]
    assert x["protein-p"] == x["pathway-q"]         # both signalling
    assert all(isinstance(v, int) for p in everything["positions"].values() for v in p)
    assert [t["id"] for t in everything["columns"]["tiers"]] == [
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
    assert data["meta"]["view"] == "mechanism" and data["view_order"] == [
        "mechanism", "clinical", "pharmacokinetics", "everything"]


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
    assert data["phrases"]["zh"]["antagonizes"] == "{s} 拮抗 {o}"
    assert set(data["vocabulary"]["zh"]) >= set(ENTITY_TYPES)


def test_every_vocabulary_term_has_a_chinese_label():
    from mechgraph.html.i18n import missing_translations
    assert missing_translations() == []


def test_every_predicate_reads_as_a_sentence_in_both_languages():
    from mechgraph.model.constants import PREDICATES
    from mechgraph.html.i18n import missing_phrases, phrases
    assert missing_phrases() == []
    for lang, table in phrases().items():
        assert sorted(table) == sorted(PREDICATES)
        for predicate, template in table.items():
            assert template.count("{s}") == 1 and template.count("{o}") == 1, (lang, predicate)
            assert "_" not in template, (lang, predicate)
    zh = phrases()["zh"]
    assert zh["antagonizes"].format(s="艾司氯胺酮", o="NMDA受体") == "艾司氯胺酮 拮抗 NMDA受体"
    assert "所必需" in zh["required_for"] and "为其" not in zh["required_for"]


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


# -- views -----------------------------------------------------------------------------------------------

BOX = (70, 50, 70, 42)   # the padding app.js draws around a group's members: left, top, right, bottom


def _boxes(view: dict, parts: bool = False) -> dict[str, tuple]:
    """The boxes of the outer groups (or of the parts of large groups)."""
    out = {}
    for group in view["groups"]:
        if bool(group.get("parent")) != parts:
            continue
        xs = [view["positions"][m][0] for m in group["members"]]
        ys = [view["positions"][m][1] for m in group["members"]]
        out[group["id"]] = (min(xs) - BOX[0], min(ys) - BOX[1], max(xs) + BOX[2], max(ys) + BOX[3])
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def bundled():
    return MechGraph.load()


@pytest.fixture(scope="module")
def bundled_data(bundled):
    from mechgraph.html import render_html
    return page_data(render_html(bundled))


def test_the_mechanism_view_holds_the_drugs_chains_and_targets(bundled, bundled_data):
    from mechgraph.reasoning.explain import explain
    view = bundled_data["views"]["mechanism"]
    explained = explain(bundled, "esketamine", chains_per_family=200)
    assert view["info"]["drug"] == "esketamine" and view["info"]["outcome"] == explained["outcome"]["id"]
    chains = [c for f in explained["families"] for c in f["chains"]]
    assert chains, "the bundled graph has mechanism chains"
    assert {n["id"] for c in chains for n in c["nodes"]} <= set(view["entities"])
    assert {h["assertion"] for c in chains for h in c["hops"]} <= set(view["assertions"])
    targets = {k for u, v, k, d in bundled.nx.out_edges("esketamine", keys=True, data=True)
               if d["relation"] == "drug-target"}
    assert targets and targets <= set(view["assertions"])
    assert "nmdar" in view["entities"]
    # only mechanism steps: the drug's targets and effects on the way, causal steps after it
    for key in view["assertions"]:
        a = bundled.model.assertions[key]
        relation = bundled.nx.edges[a.subject, a.object, key]["relation"]
        assert relation == "causal" or (a.subject == "esketamine" and relation in ("drug-target", "drug-effect")), key
    assert len(view["entities"]) < len(bundled.model.entities) / 2
    # families as groups, in explain's order; a node on a chain sits with the first family
    # whose chains pass through it (a chain outranks an open end of an earlier family)
    groups = {g["id"]: g for g in view["groups"] if g["kind"] == "family" and not g["id"].startswith("targets:")}
    order = ["family:" + f["id"] for f in explained["families"]]
    assert list(groups) == [key for key in order if key in groups]
    first_family: dict[str, str] = {}
    for f in explained["families"]:
        for c in f["chains"]:
            for n in c["nodes"][1:-1]:
                first_family.setdefault(n["id"] if isinstance(n, dict) else n, "family:" + f["id"])
    assert first_family
    for node, key in first_family.items():
        assert node in groups[key]["members"], (node, key)


def test_the_mechanism_view_reads_left_to_right_along_each_chain(bundled_data):
    view = bundled_data["views"]["mechanism"]
    x = {n: p[0] for n, p in view["positions"].items()}
    drug, outcome = view["info"]["drug"], view["info"]["outcome"]
    assert x[drug] == min(x.values()) and x[outcome] == max(x.values())
    assert sum(1 for n in x if x[n] == x[drug]) == 1 and sum(1 for n in x if x[n] == x[outcome]) == 1
    for family in view["info"]["families"]:
        for chain in family["chains"]:
            xs = [x[n] for n in chain["nodes"]]
            assert xs == sorted(xs) and len(set(xs)) == len(xs), chain["nodes"]


@pytest.mark.parametrize("name", ["mechanism", "clinical", "pharmacokinetics", "everything"])
def test_group_boxes_never_overlap_and_hold_only_their_members(bundled_data, name):
    view = bundled_data["views"][name]
    boxes = _boxes(view)
    ids = sorted(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert not _overlap(boxes[a], boxes[b]), (name, a, b)
    members = {m: g["id"] for g in view["groups"] if not g.get("parent") for m in g["members"]}
    for node, (x, y) in view["positions"].items():
        for gid, box in boxes.items():
            if members.get(node) != gid:
                assert not (box[0] <= x <= box[2] and box[1] <= y <= box[3]), (name, node, gid)


def test_a_large_groups_parts_are_strips_of_its_box(tmp_path):
    import sys
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    from mechgraph.html import render_html
    from mechgraph.html.views import GROUP_LIMIT
    generate(tmp_path / "big", 4_000, nodes=1_200, seed=5)
    view = page_data(render_html(MechGraph.load(tmp_path / "big")))["views"]["everything"]
    outer, parts = _boxes(view), _boxes(view, parts=True)
    assert parts, "the synthetic graph has groups larger than GROUP_LIMIT"
    groups = {g["id"]: g for g in view["groups"]}
    for pid, box in parts.items():
        group = groups[pid]
        parent = groups[group["parent"]]
        assert len(group["members"]) <= GROUP_LIMIT and set(group["members"]) <= set(parent["members"])
        assert outer[parent["id"]][0] <= box[0] and box[2] <= outer[parent["id"]][2]
    for group in view["groups"]:
        if group.get("children"):
            assert sorted(m for c in group["children"] for m in groups[c]["members"]) == sorted(group["members"])
            ys = [(min(view["positions"][m][1] for m in groups[c]["members"]),
                   max(view["positions"][m][1] for m in groups[c]["members"])) for c in group["children"]]
            assert all(a[1] < b[0] for a, b in zip(ys, ys[1:], strict=False)), "parts are horizontal strips, top to bottom"


def test_positions_never_coincide(bundled_data):
    for name, view in bundled_data["views"].items():
        points = [tuple(p) for p in view["positions"].values()]
        assert len(points) == len(set(points)), name


def test_the_clinical_view_holds_every_clinical_assertion(bundled, bundled_data):
    view = bundled_data["views"]["clinical"]
    clinical = {k for _, _, k, d in bundled.nx.edges(keys=True, data=True) if d["relation"] == "clinical"}
    assert clinical and clinical <= set(view["assertions"])
    bands = {g["id"].split(":")[1].split("@")[0]: set(g["members"]) for g in view["groups"]}
    for key in clinical:
        a = bundled.model.assertions[key]
        if a.predicate == "has_adverse_effect":
            assert a.object in bands["safety"], key
        if a.predicate == "treats" and bundled.model.entities[a.object].type == "Condition":
            assert a.object in bands["efficacy"] | bands["populations"], key
    mechanism_only = {k for _, _, k, d in bundled.nx.edges(keys=True, data=True) if d["relation"] == "causal"}
    assert not mechanism_only & set(view["assertions"])


def test_the_pharmacokinetics_view_holds_routes_and_metabolism(bundled, bundled_data):
    view = bundled_data["views"]["pharmacokinetics"]
    wanted = {k for _, _, k, d in bundled.nx.edges(keys=True, data=True)
              if d["predicate"] in ("administered_via", "metabolized_to", "catalyzes_formation_of")}
    assert wanted and wanted <= set(view["assertions"])
    routes = {e.id for e in bundled.model.entities.values() if e.type in ("Route", "Metabolite")}
    assert routes <= set(view["entities"])
    x = {n: p[0] for n, p in view["positions"].items()}
    for key in wanted:
        a = bundled.model.assertions[key]
        if a.predicate == "metabolized_to":
            assert x[a.subject] < x[a.object], key          # parent drug left of its metabolite
        if a.predicate == "administered_via":
            assert x[a.object] < x[a.subject], key          # the route leads to the drug


def test_the_everything_view_holds_the_whole_graph(bundled, bundled_data):
    view = bundled_data["views"]["everything"]
    assert view["entities"] == sorted(bundled.model.entities)
    assert view["assertions"] == sorted(bundled.model.assertions)
    assert view["collapsed"] == []           # the bundled graph fits: nothing starts collapsed
    assert sorted(m for g in view["groups"] if not g.get("parent") for m in g["members"]) == view["entities"]


def test_a_focus_keeps_its_own_targets_below_the_evidence_floor(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path, "--focus", "drug-x", "--min-level", "rct")
    assert "a-x-antagonizes-r" in data["assertions"] and "receptor-r" in data["entities"]
    assert data["pinned"] == ["a-x-antagonizes-r"]
    assert "a-x-decreases-b" not in data["assertions"]       # a drug effect, not a target: the floor holds
    assert data["meta"]["view"] == "everything" and data["meta"]["focus"] == "drug-x"


def test_render_focus_esketamine_at_animal_level_keeps_the_nmda_receptor(run, tmp_path, bundled):
    out = tmp_path / "focus.html"
    result = run("render", "--focus", "esketamine", "--min-level", "animal_in_vivo", "-o", out)
    assert result.exit_code == 0, result.stderr
    data = page_data(out.read_text(encoding="utf-8"))
    targets = {k for u, v, k, d in bundled.nx.out_edges("esketamine", keys=True, data=True)
               if d["relation"] == "drug-target"}
    assert "nmdar" in data["entities"]
    assert targets <= set(data["assertions"])
    assert set(data["pinned"]) <= targets


def test_render_view_and_drug_options(run, example_dir, tmp_path):
    _, data = render(run, example_dir, tmp_path, "--view", "clinical", "--drug", "DX")
    assert data["meta"]["view"] == "clinical" and data["views"]["mechanism"]["info"]["drug"] == "drug-x"
    result = run("--graph", example_dir, "render", "-o", tmp_path / "x.html", "--drug", "Receptor R",
                 "--types", "Drug")
    assert result.exit_code == 1
    assert result.stderr == "error: the drug Receptor R (receptor-r) is not among the entities drawn\n"


def test_a_large_view_opens_with_its_groups_collapsed(tmp_path):
    """Beyond what fits, the overview shows groups: a synthetic graph of 3,000 entities."""
    import sys
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    from mechgraph.html import render_html
    from mechgraph.html.views import FIT_ENTITIES
    generate(tmp_path / "big", 10_000, nodes=3_000, seed=3)
    graph = MechGraph.load(tmp_path / "big")
    data = page_data(render_html(graph))
    everything = data["views"]["everything"]
    assert len(everything["entities"]) > FIT_ENTITIES
    assert sorted(everything["collapsed"]) == sorted(g["id"] for g in everything["groups"])
    assert sorted(m for g in everything["groups"] if not g.get("parent") for m in g["members"]) == everything["entities"]


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
