"""``mechgraph serve``: the app's routes through Starlette's test client (Host check,
every endpoint's JSON against the command's --json, errors, refused writes, the CSP of
each page, escaping), the file watcher, the command itself on a real port, and the
panels in Debian's chromium against a real server (see tests/test_browser.py).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE_GRAPH, EXAMPLE_SEEDS, IN_CI
from falkordb_server import stop_process
from mechgraph import MechGraph
from mechgraph.serve import pages
from mechgraph.serve.hosts import HostCheck, allowed_hosts, host_allowed
from mechgraph.serve.watch import LiveGraph

try:
    from starlette.testclient import TestClient
except ImportError:  # the serve extra is missing: a failure in CI, a skip elsewhere
    if IN_CI:
        raise
    pytest.skip("the serve extra is not installed (pip install 'mechgraph[serve]')", allow_module_level=True)

from mechgraph.serve.app import create_app  # noqa: E402

XSS_GRAPH = DATA / "xss-graph"
LOCAL = "http://127.0.0.1:8765"
HTML_ROUTES = ("/", "/map.html", "/path", "/path?source=DX&target=protein+p", "/path.html?source=DX&target=protein+p",
               "/explain", "/explain?drug=DX", "/explain.html?drug=DX", "/conflicts", "/coverage",
               "/locate", "/locate?finding=f-x-blocks-r", "/console", "/console?q=MATCH+(n)+RETURN+n.id",
               "/console?q=CREATE+(n)", "/no-such-page")


def client(graph_dir: Path = EXAMPLE_GRAPH, *, sources: Path | None = EXAMPLE_SEEDS, base_url: str = LOCAL,
           **options) -> TestClient:
    live = LiveGraph(graph_dir, MechGraph.load(graph_dir))
    return TestClient(create_app(live, sources=sources, **options), base_url=base_url)


@pytest.fixture(scope="module")
def toy() -> TestClient:
    return client()


def cli_json(run, *args) -> object:
    result = run("--graph", EXAMPLE_GRAPH, *args)
    return json.loads(result.stdout)


# -- the Host header -----------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8765", "localhost", "LocalHost:80", "[::1]:8765"])
def test_loopback_names_are_answered(toy, host):
    response = toy.get("/api/version", headers={"host": host})
    assert response.status_code == 200
    assert response.json()["version"] == 1


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil",
                                  "127.0.0.2", "127.0.0.1:8765@evil.example", "[::2]", "0.0.0.0:8765"])
def test_any_other_host_is_refused_before_routing(toy, host):
    for path in ("/api/version", "/", "/no-such-page"):
        response = toy.get(path, headers={"host": host})
        assert response.status_code == 421, (host, path)
        assert "local name" in response.text


def test_the_explicit_host_is_answered_too():
    lan = client(host="192.168.7.5")
    assert lan.get("/api/version", headers={"host": "192.168.7.5:8765"}).status_code == 200
    assert lan.get("/api/version", headers={"host": "localhost:8765"}).status_code == 200
    assert lan.get("/api/version", headers={"host": "192.168.7.6:8765"}).status_code == 421
    assert host_allowed("[fe80::1]:80", allowed_hosts("fe80::1"))


def test_a_request_without_a_host_header_gets_400():
    sent = []

    async def app(scope, receive, send):  # never reached
        raise AssertionError("the request passed the check")

    async def send(message):
        sent.append(message)

    asyncio.run(HostCheck(app, allowed_hosts("127.0.0.1"))({"type": "http", "headers": []}, None, send))
    assert sent[0]["status"] == 400
    sent.clear()
    two = [(b"host", b"127.0.0.1"), (b"host", b"evil.example")]
    asyncio.run(HostCheck(app, allowed_hosts("127.0.0.1"))({"type": "http", "headers": two}, None, send))
    assert sent[0]["status"] == 421


# -- JSON: the commands' --json shapes ----------------------------------------------------------------------

def test_api_path_is_what_path_json_prints(toy, run):
    for params, args in (({"source": "DX", "target": "protein p"}, ["DX", "protein p"]),
                         ({"source": "receptor-r", "target": "disease-d", "relation": "any", "k": "2"},
                          ["receptor-r", "disease-d", "--relation", "any", "-k", "2"]),
                         ({"source": "DX", "target": "protein p", "signed": "1", "min_level": "animal_in_vivo"},
                          ["DX", "protein p", "--signed", "--min-level", "animal_in_vivo"])):
        response = toy.get("/api/path", params=params)
        assert response.status_code == 200
        assert response.json() == cli_json(run, "path", *args, "--json")


def test_api_explain_conflicts_stats_search_are_the_commands_json(toy, run):
    assert toy.get("/api/explain", params={"drug": "DX"}).json() == cli_json(run, "explain", "DX", "--json")
    assert toy.get("/api/explain", params={"drug": "DX", "outcome": "disease d", "k": "1"}).json() == \
        cli_json(run, "explain", "DX", "disease d", "-k", "1", "--json")
    conflicts = toy.get("/api/conflicts").json()
    assert conflicts and conflicts == cli_json(run, "conflicts", "--json")
    assert toy.get("/api/conflicts", params={"entity": "protein p", "kind": "mixed_evidence"}).json() == \
        cli_json(run, "conflicts", "--entity", "protein p", "--kind", "mixed_evidence", "--json")
    assert toy.get("/api/conflicts", params={"unexplained": "1"}).json() == \
        cli_json(run, "conflicts", "--unexplained", "--json")
    assert toy.get("/api/stats").json() == cli_json(run, "stats", "--json")
    assert toy.get("/api/search", params={"text": "drug"}).json() == cli_json(run, "search", "drug", "--json")


def test_api_coverage_and_locate_are_the_commands_json(toy, run):
    coverage = toy.get("/api/coverage").json()
    assert coverage == cli_json(run, "coverage", "--sources", EXAMPLE_SEEDS, "--json")
    assert coverage["seeds"][0]["sentences"] > 0
    located = toy.get("/api/locate", params={"finding": "f-x-p-mouse"}).json()
    assert located == cli_json(run, "locate", "f-x-p-mouse", "--sources", EXAMPLE_SEEDS, "--json")
    assert [s["locator"] for s in located["sentences"]] == ["p5.s1", "p5.s2"]


def test_api_query_is_what_query_prints_as_json_and_csv(toy, run):
    cypher = "MATCH (e:Entity) RETURN e.id AS id, e.name AS name, labels(e) AS labels ORDER BY id"
    response = toy.get("/api/query", params={"q": cypher})
    assert response.json() == cli_json(run, "query", cypher, "--json")
    assert len(response.json()["rows"]) == 7
    csv_response = toy.get("/api/query", params={"q": cypher, "format": "csv"})
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    assert csv_response.text == run("--graph", EXAMPLE_GRAPH, "query", cypher, "--csv").stdout
    with_params = toy.get("/api/query", params={"q": "MATCH (e:Entity {id: $id}) RETURN e.name AS name",
                                                "params": '{"id": "protein-p"}'})
    assert with_params.json()["rows"] == [{"name": "Protein P"}]


def test_api_version_says_what_is_shown(toy):
    assert toy.get("/api/version").json() == {"version": 1, "watching": False, "errors": [],
                                              "graph": str(EXAMPLE_GRAPH)}


# -- errors ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "params", "message"), [
    ("/api/path", {"source": "no-such-thing", "target": "BDNF"}, "unknown entity 'no-such-thing'"),
    ("/api/path", {"source": "DX"}, "target is required"),
    ("/api/path", {"source": "DX", "target": "protein p", "k": "0"}, "k must be a whole number from 1 to 100"),
    ("/api/path", {"source": "DX", "target": "protein p", "min_score": "2"}, "min_score must be a number from 0 to 1"),
    ("/api/path", {"source": "DX", "target": "protein p", "min_level": "gossip"}, "min_level must be one of"),
    ("/api/path", {"source": "DX", "target": "protein p", "signed": "maybe"}, "signed must be true or false"),
    ("/api/path", {"source": "DX", "target": "island"}, "no mechanism chain between Drug X and Isolated"),
    ("/api/explain", {"drug": "protein p"}, "not a drug"),
    ("/api/conflicts", {"kind": "bad_kind"}, "kind must be one of"),
    ("/api/locate", {"finding": "f-nope"}, "unknown finding 'f-nope'"),
    ("/api/search", {}, "text is required"),
    ("/api/query", {"q": "MATCH (n RETURN n"}, "expected"),
    ("/api/query", {"q": "MATCH (n) RETURN n", "params": "[1]"}, "params must be a JSON object"),
    ("/api/query", {"q": "MATCH (n) RETURN n", "params": "{"}, "params is not JSON"),
    ("/api/query", {"q": "MATCH (n) RETURN n", "format": "xml"}, "format must be one of json, csv"),
    ("/api/query", {}, "q is required"),
])
def test_bad_input_is_a_400_with_a_message(toy, path, params, message):
    response = toy.get(path, params=params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]
    assert "Traceback" not in response.text


@pytest.mark.parametrize("cypher", ["CREATE (n:Entity {id: 'x'})", "MATCH (n) DETACH DELETE n",
                                    "MATCH (n:Entity) SET n.name = 'x' RETURN n", "MERGE (n:X)",
                                    "CALL db.createLabel('X')"])
def test_writes_are_refused(toy, cypher):
    response = toy.get("/api/query", params={"q": cypher})
    assert response.status_code == 400
    assert "this server is read-only and runs no writes" in response.json()["error"]
    page = toy.get("/console", params={"q": cypher})
    assert page.status_code == 400
    assert "read-only and runs no writes" in page.text
    assert toy.get("/api/stats").json()["entities"] == 7


def test_the_console_runs_within_its_limits():
    tight = client(max_rows=50)
    response = tight.get("/api/query", params={"q": "UNWIND range(1, 1000) AS x RETURN x"})
    assert response.status_code == 400
    assert "more than 50" in response.json()["error"]
    assert tight.get("/api/query", params={"q": "UNWIND range(1, 40) AS x RETURN x"}).status_code == 200


def test_coverage_and_locate_without_sources_say_what_they_need():
    bare = client(sources=None)
    for path, params in (("/api/coverage", {}), ("/api/locate", {"finding": "f-x-blocks-r"})):
        response = bare.get(path, params=params)
        assert response.status_code == 400
        assert "start the server with --sources DIR" in response.json()["error"]
    page = bare.get("/locate", params={"finding": "f-x-blocks-r"})
    assert page.status_code == 200
    assert "Drug X (10 mg/kg i.p.) blocked receptor R in mice." in page.text
    assert "start the server with --sources DIR" in page.text


def test_unknown_routes_are_404_and_only_get_is_answered(toy):
    assert toy.get("/api/nothing").status_code == 404
    assert toy.get("/api/nothing").json() == {"error": "no such page"}
    page = toy.get("/nothing")
    assert page.status_code == 404 and "no such page" in page.text
    for method in ("post", "put", "delete", "patch"):
        for path in ("/api/query", "/console", "/"):
            response = toy.request(method, path, params={"q": "CREATE (n)"})
            assert response.status_code == 405, (method, path)
            assert "GET" in response.headers["allow"]
    assert toy.head("/api/version").status_code == 200


def test_bad_panel_input_is_shown_in_the_page(toy):
    for path, params, message in (("/path", {"source": "no-such-thing", "target": "x"}, "unknown entity"),
                                  ("/", {"focus": "no-such-thing"}, "unknown entity"),
                                  ("/map.html", {"depth": "2"}, "depth needs focus"),
                                  ("/explain", {"drug": "island"}, "not a drug"),
                                  ("/console", {"q": "MATCH (n"}, "expected"),
                                  ("/locate", {"finding": "f-nope"}, "unknown finding")):
        response = toy.get(path, params=params)
        assert response.status_code == 400, path
        assert response.headers["content-type"].startswith("text/html")
        error = re.search(r'<p class="error" id="error">(.*?)</p>', response.text, re.S)
        assert error and message in html.unescape(error.group(1)), path


# -- pages: policy, content, escaping --------------------------------------------------------------------

def _scripts(page: str) -> list[str]:
    return re.findall(r"<script(?: [^>]*)?>(.*?)</script>", page, re.S)


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("path", HTML_ROUTES)
def test_every_page_has_a_policy_that_allows_only_its_own_scripts(toy, path):
    response = toy.get(path)
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "base-uri 'none'" in policy
    assert "unsafe-eval" not in policy and "script-src 'unsafe-inline'" not in policy
    assert "frame-ancestors" in policy
    scripts = [s for s in _scripts(response.text) if not s.lstrip().startswith("{")]  # JSON data blocks aside
    assert scripts
    for script in scripts:
        assert _hash(script) in policy, path
    assert not re.search(r'(?:src|href|action)="(?:https?:)?//', response.text), path
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    if path.startswith(("/map.html", "/path.html", "/explain.html")):
        assert "frame-ancestors 'self'" in policy and "connect-src" not in policy
    else:
        assert policy == pages.csp()


def test_json_responses_carry_a_closed_policy(toy):
    response = toy.get("/api/version")
    assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_the_map_panel_frames_the_rendered_map_with_its_options(toy):
    from mechgraph.html import build_map
    page = toy.get("/", params={"focus": "DX", "depth": "1", "lang": "zh"})
    assert 'src="/map.html?focus=DX&amp;depth=1&amp;lang=zh"' in page.text
    framed = toy.get("/map.html", params={"focus": "DX", "depth": "1", "lang": "zh"})
    assert framed.text == build_map(MechGraph.load(EXAMPLE_GRAPH), focus="DX", depth=1, lang="zh").html


def test_the_path_panel_shows_the_chains_path_json_ranks(toy, run):
    expected = cli_json(run, "path", "DX", "protein p", "--json")
    page = toy.get("/path", params={"source": "DX", "target": "protein p"}).text
    ranked = re.findall(r'<section class="chain" data-rank="(\d+)" data-nodes="([^"]*)"', page)
    assert [nodes.split() for _, nodes in ranked] == [[n["id"] for n in p["nodes"]] for p in expected["paths"]]
    first = expected["paths"][0]
    assert f"weakest step {first['score']}" in page
    for hop in first["hops"]:
        for finding in hop["findings"]:
            assert f'href="/locate?finding={finding}"' in page


def test_the_console_table_holds_the_engines_rows(toy):
    from mechgraph.cypher import run_query
    from mechgraph.cli.output import text
    cypher = "MATCH (d:Drug)-[r]->(t) RETURN d.name AS drug, type(r) AS predicate, t AS target ORDER BY predicate"
    expected = run_query(cypher, graph=MechGraph.load(EXAMPLE_GRAPH))
    page = toy.get("/console", params={"q": cypher}).text
    head = re.search(r'<table class="result" id="result">\s*<thead><tr>(.*?)</tr>', page, re.S).group(1)
    assert [html.unescape(c) for c in re.findall(r"<th>(.*?)</th>", head)] == expected.columns
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert rows == [[text(v) for v in row] for row in expected.rows]
    assert f"{len(expected.rows)} rows in" in page
    assert 'href="/api/query?q=MATCH' in page and "format=csv" in page and "format=json" in page


def test_coverage_conflicts_and_locate_panels_show_their_results(toy):
    from mechgraph.curation.coverage import check_coverage
    report = check_coverage(MechGraph.load(EXAMPLE_GRAPH).model, EXAMPLE_SEEDS).to_json()
    page = html.unescape(toy.get("/coverage").text)
    for seed in report["seeds"]:
        assert f"{seed['cited']}/{seed['sentences']} cited" in page
        for sentence in seed["uncited"]:
            assert sentence["text"] in page
    conflicts = toy.get("/conflicts").text
    assert 'data-assertion="a-x-increases-expression-p"' in conflicts
    assert 'data-kind="mixed_evidence"' in conflicts
    located = html.unescape(toy.get("/locate", params={"finding": "f-x-treats-d"}).text)
    assert "In a clinical study of 40 patients, drug X treated disease D." in located
    assert "临床研究中，药物X治疗了疾病D（n=40）。" in located


def test_hostile_names_are_escaped_in_every_panel():
    hostile = client(XSS_GRAPH, sources=None)
    responses = [hostile.get(path, params=params) for path, params in (
        ("/path", {"source": "evil-drug", "target": "evil-receptor"}),
        ("/explain", {"drug": "evil-drug", "outcome": "quoted-condition"}),
        ("/conflicts", {}),
        ("/locate", {"finding": "f-evil-blocks"}),
        ("/console", {"q": "MATCH (e:Entity) RETURN e.name, e.name_zh, e.aliases"}),
        ("/console", {"q": "MATCH (e:Entity) RETURN e.name", "params": '{"x": "</script><script>alert(1)</script>"}'}),
        ("/path", {"source": "<script>alert(1)</script>", "target": "x"}),
        ("/", {"focus": "<img src=x onerror=alert(1)>"}),
    )]
    assert [r.status_code for r in responses][:6] == [200] * 6
    for response in responses:
        scripts = _scripts(response.text)
        assert len(scripts) == 1 and scripts[0] == pages.script(), response.url
        for raw in ("<script>window.__xss", "<img src=x", "<svg onload", "<iframe src=", "onerror=\"window"):
            assert raw not in response.text, (response.url, raw)
    assert "&lt;script&gt;window.__xss = &#39;name&#39;&lt;/script&gt;" in responses[0].text
    assert "&lt;script&gt;window.__xss = &#39;name&#39;&lt;/script&gt;" in responses[4].text


# -- watching ------------------------------------------------------------------------------------------------

@pytest.fixture
def graph_copy(tmp_path) -> Path:
    target = tmp_path / "graph"
    shutil.copytree(EXAMPLE_GRAPH, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_valid_edit_replaces_the_graph_and_an_invalid_one_keeps_it(graph_copy):
    live = LiveGraph(graph_copy, MechGraph.load(graph_copy))
    app = TestClient(create_app(live), base_url=LOCAL)
    yaml = graph_copy / "toy.yaml"
    assert live.check() is False
    _edit(yaml, "name: Protein P\n", "name: Protein P prime\n")
    assert live.check() is True
    assert live.version == 2 and live.errors == []
    assert app.get("/api/search", params={"text": "protein p prime"}).json()[0]["name"] == "Protein P prime"
    _edit(yaml, "predicate: regulates", "predicate: frobnicates")
    assert live.check() is True
    status = app.get("/api/version").json()
    assert status["version"] == 2
    assert status["errors"] == [{"file": "toy.yaml", "line": 130, "message": status["errors"][0]["message"]}]
    assert "unknown predicate 'frobnicates'" in status["errors"][0]["message"]
    # the last good graph is still served, and every page shows the errors
    assert app.get("/api/path", params={"source": "protein p prime", "target": "pathway q"}).status_code == 200
    page = app.get("/path").text
    assert re.search(r'<section id="graph-errors" role="alert">', page)
    assert "<code>toy.yaml:130</code> unknown predicate" in html.unescape(page)
    _edit(yaml, "predicate: frobnicates", "predicate: regulates")
    assert live.check() is True
    assert live.version == 3 and live.errors == []
    assert '<section id="graph-errors" role="alert" hidden>' in app.get("/path").text


def test_a_file_caught_half_written_is_read_only_once_it_is_whole(graph_copy):
    """An editor that truncates a file and then writes it: a look between the two sees a
    shorter file (here an empty one, which reads as a graph without its entities). The
    watcher waits until the files look the same twice, so only the whole file is shown."""
    live = LiveGraph(graph_copy, MechGraph.load(graph_copy))
    yaml = graph_copy / "toy.yaml"
    whole = yaml.read_text(encoding="utf-8").replace("name: Protein P\n", "name: Protein Pi\n", 1)
    yaml.write_text("", encoding="utf-8")
    writer = threading.Timer(0.05, lambda: yaml.write_text(whole, encoding="utf-8"))
    writer.start()
    try:
        assert live.check() is True
    finally:
        writer.join()
    assert live.version == 2 and live.errors == []
    assert [e.name for e in live.graph.model.entities.values() if e.id == "protein-p"] == ["Protein Pi"]
    assert live.check() is False  # nothing changed after the read


def test_the_watcher_thread_picks_up_an_edit(graph_copy):
    live = LiveGraph(graph_copy, MechGraph.load(graph_copy))
    live.watch(interval=0.05)
    try:
        assert live.status()["watching"] is True
        _edit(graph_copy / "toy.yaml", "name: Disease D\n", "name: Disease D2\n")
        deadline = time.monotonic() + 10
        while live.version == 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert live.version == 2
        assert live.snapshot()[0].resolve("disease-d").name == "Disease D2"
    finally:
        live.stop()
    assert live.status()["watching"] is False


def test_a_deleted_graph_directory_is_an_error_not_a_crash(graph_copy):
    live = LiveGraph(graph_copy, MechGraph.load(graph_copy))
    shutil.rmtree(graph_copy)
    assert live.check() is True
    assert live.errors and live.version == 1
    assert live.snapshot()[0].resolve("DX").id == "drug-x"


# -- the command -------------------------------------------------------------------------------------------

def test_without_the_extra_serve_says_what_to_install(monkeypatch):
    import mechgraph.serve
    monkeypatch.setattr(mechgraph.serve, "extra_installed", lambda: False)
    from click.testing import CliRunner
    from mechgraph.cli import cli
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert result.stderr == "error: serve needs the optional extra: pip install 'mechgraph[serve]'\n"


def test_serve_refuses_an_invalid_graph(run, tmp_path):
    shutil.copytree(EXAMPLE_GRAPH, tmp_path / "g")
    _edit(tmp_path / "g" / "toy.yaml", "predicate: regulates", "predicate: frobnicates")
    result = run("serve", "--graph", tmp_path / "g", "--port", "0")
    assert result.exit_code == 1
    assert "error: toy.yaml:130: unknown predicate 'frobnicates'" in result.stderr


class Served:
    """``mechgraph serve`` in a subprocess on a free loopback port."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "mechgraph", "serve", "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.line = self.process.stdout.readline()
        match = re.fullmatch(r"serving (.+) at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\)\n", self.line)
        if match is None:
            self.stop()
            raise AssertionError(f"unexpected first line {self.line!r}; stderr: {self.process.stderr.read()}")
        self.graph, self.url, self.port = match.group(1), match.group(2), int(match.group(3))

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path.lstrip("/"), headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def stop(self) -> None:
        stop_process(self.process)
        for stream in (self.process.stdout, self.process.stderr):
            if not stream.closed:
                stream.close()


def test_serve_prints_its_address_and_answers_there(graph_copy):
    served = Served("--graph", str(graph_copy))
    try:
        assert served.graph == str(graph_copy) and served.port > 0
        status, body = served.get("/api/version")
        assert status == 200 and json.loads(body)["version"] == 1
        assert served.get("/api/version", host=f"rebound.example:{served.port}")[0] == 421
        served.process.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = served.process.communicate(timeout=10)
        assert (served.process.returncode, out, err) == (0, "", "")
    finally:
        served.stop()


def test_a_taken_port_is_one_error_line(run):
    from mechgraph.serve.server import listen
    sock = listen("127.0.0.1", 0)
    try:
        result = run("--graph", EXAMPLE_GRAPH, "serve", "--port", sock.getsockname()[1])
        assert result.exit_code == 1
        assert result.stderr.startswith("error: cannot listen on 127.0.0.1:")
    finally:
        sock.close()


# -- in the browser --------------------------------------------------------------------------------------

ARTIFACTS = Path(__file__).resolve().parents[1] / "tests" / "artifacts"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example graph (a copy) served with its seeds, watched."""
    copy = tmp_path_factory.mktemp("served") / "graph"
    shutil.copytree(EXAMPLE_GRAPH, copy)
    server = Served("--graph", str(copy), "--sources", str(EXAMPLE_SEEDS), "--watch")
    yield server
    server.stop()


class Tab:
    """A browser tab on the server with everything it does recorded: any request elsewhere,
    console error (a refused script or style included), page error or dialog fails the test."""

    def __init__(self, browser, server: Served, path: str = "/"):
        self.server = server
        self.page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.goto(path)

    def goto(self, path: str):
        self.page.goto(self.server.url + path.lstrip("/"))
        self.page.wait_for_function("() => window.mechgraphServe && window.mechgraphServe.ready === true")

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.text_content()

    def map_frame(self, part: str = "/map.html"):
        """The frame of the map, once its script has drawn it."""
        self.page.wait_for_function(f"() => document.querySelector('iframe') && "
                                    f"document.querySelector('iframe').src.includes('{part}')")
        # the frame takes the new address once its navigation commits, a moment after the src changes
        deadline = time.monotonic() + 30
        while (frame := next((f for f in self.page.frames
                              if f is not self.page.main_frame and part in f.url), None)) is None:
            assert time.monotonic() < deadline, f"no frame navigated to {part} within 30 s"
            self.page.wait_for_timeout(50)
        frame.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true", timeout=30_000)
        return frame

    def map_shows(self, text: str, timeout: float = 30.0) -> None:
        """Wait until the map's data holds ``text``; the page may reload meanwhile (under
        --watch), detaching the frame looked at, so each try looks up the frame again."""
        from playwright.sync_api import Error as PlaywrightError
        deadline = time.monotonic() + timeout
        while True:
            try:
                frame = self.map_frame()
                if frame.evaluate("(t) => document.getElementById('mechgraph-data').textContent.includes(t)", text):
                    return
            except PlaywrightError as exc:  # a frame detached or a page navigating
                if time.monotonic() > deadline:
                    raise AssertionError(f"the map never showed {text!r}: {exc}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"the map never showed {text!r}")
            time.sleep(0.2)

    def shot(self, name: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"serve-{name}.png"))

    def answered_400(self):
        """The page just shown came with status 400 (bad input, shown in the page): the
        browser logs that once; take it off the record."""
        logged = "error: Failed to load resource: the server responded with a status of 400 (Bad Request)"
        assert logged in self.errors
        self.errors.remove(logged)

    def assert_clean(self):
        assert self.errors == []
        assert self.dialogs == []
        assert self.requests and all(url.startswith(self.server.url) for url in self.requests), self.requests

    def close(self):
        self.page.close()


@pytest.mark.slow
def test_the_map_panel_shows_the_map_with_all_its_views(browser, served):
    tab = Tab(browser, served)
    frame = tab.map_frame()
    for view in ("mechanism", "clinical", "pharmacokinetics", "everything"):
        frame.click(f"#views button[data-view={view}]")
        assert frame.evaluate("window.mechgraph.view()") == view
    assert frame.evaluate("window.mechgraph.scene()")["entities"] == sorted(MechGraph.load(EXAMPLE_GRAPH).model.entities)
    tab.shot("map")
    tab.page.fill("input[name=focus]", "receptor R")
    tab.page.select_option("select[name=lang]", "zh")
    tab.page.click("form.options button[type=submit]")
    frame = tab.map_frame("focus=receptor")
    assert frame.evaluate("document.documentElement.lang") == "zh"
    assert frame.evaluate("window.mechgraph.view()") == "everything"
    tab.assert_clean()
    tab.close()


@pytest.mark.slow
def test_the_path_panel_shows_the_chains_path_ranks(browser, served, run):
    expected = json.loads(run("--graph", EXAMPLE_GRAPH, "path", "Drug X", "Protein P", "-k", "3", "--json").stdout)
    tab = Tab(browser, served, "/path")
    tab.page.fill("input[name=source]", "Drug X")
    tab.page.fill("input[name=target]", "Protein P")
    tab.page.fill("input[name=k]", "3")
    with tab.page.expect_navigation():
        tab.page.click("form.options button[type=submit]")
    chains = tab.page.eval_on_selector_all("section.chain", "els => els.map(e => e.dataset.nodes.split(' '))")
    assert chains == [[n["id"] for n in p["nodes"]] for p in expected["paths"]]
    assert tab.text("section.chain h3") == "1. " + " → ".join(n["name"] for n in expected["paths"][0]["nodes"])
    tab.shot("path")
    with tab.page.expect_navigation():
        tab.page.click("text=show as cascades on the map")
    tab.page.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true")
    assert tab.page.evaluate("window.mechgraph.view()") == "paths"
    tab.goto("/path?source=Drug+X&target=no+such+thing")
    assert "unknown entity 'no such thing'" in tab.text("#error")
    tab.answered_400()
    tab.assert_clean()
    tab.close()


@pytest.mark.slow
def test_the_explain_conflicts_coverage_and_locate_panels(browser, served, run):
    tab = Tab(browser, served, "/explain")
    tab.page.fill("input[name=drug]", "DX")
    with tab.page.expect_navigation():
        tab.page.click("form.options button[type=submit]")
    explained = json.loads(run("--graph", EXAMPLE_GRAPH, "explain", "DX", "--json").stdout)
    assert tab.text("#summary").startswith(f"How {explained['drug']['name']} reaches {explained['outcome']['name']}")
    families = tab.page.eval_on_selector_all("section.family", "els => els.map(e => e.dataset.family)")
    assert families == [f["id"] for f in explained["families"]]
    tab.shot("explain")

    conflicts = json.loads(run("--graph", EXAMPLE_GRAPH, "conflicts", "--json").stdout)
    tab.page.click("nav a[data-panel=conflicts]")
    tab.page.wait_for_selector("section.conflict")
    assert tab.page.locator("section.conflict").count() == len(conflicts)
    tab.shot("conflicts")
    with tab.page.expect_navigation():
        tab.page.click("section.conflict a[data-finding=f-x-p-rat-null]")
    assert tab.page.url.endswith("/locate?finding=f-x-p-rat-null")
    statement = tab.page.locator("#statement").bounding_box()
    source = tab.page.locator("#source").bounding_box()
    assert source["x"] > statement["x"] + statement["width"] - 1 and abs(source["y"] - statement["y"]) < 2
    assert "In rats, drug X did not change protein P." in tab.text("#statement")
    assert tab.text("#source blockquote.sentence") == "p5.s3 (§2)另一项研究在大鼠中未观察到药物X对蛋白P的影响。"
    tab.shot("locate")

    report = json.loads(run("--graph", EXAMPLE_GRAPH, "coverage", "--sources", EXAMPLE_SEEDS, "--json").stdout)
    tab.page.click("nav a[data-panel=coverage]")
    tab.page.wait_for_selector("#summary")
    shown = tab.page.eval_on_selector_all("table.uncited td:last-child", "els => els.map(e => e.textContent)")
    assert shown == [u["text"] for seed in report["seeds"] for u in seed["uncited"]]
    tab.shot("coverage")
    tab.assert_clean()
    tab.close()


@pytest.mark.slow
def test_the_cypher_console(browser, served):
    from mechgraph.cypher import run_query
    from mechgraph.cli.output import text, to_csv
    cypher = "MATCH (e:Entity)-[r]->(t:Entity) RETURN e.name AS subject, type(r) AS predicate, t ORDER BY subject, predicate"
    expected = run_query(cypher, graph=MechGraph.load(EXAMPLE_GRAPH))
    tab = Tab(browser, served, "/console")
    tab.page.fill("#q", cypher)
    with tab.page.expect_navigation():
        tab.page.press("#q", "Control+Enter")
    assert tab.page.eval_on_selector_all("#result th", "els => els.map(e => e.textContent)") == expected.columns
    rows = tab.page.eval_on_selector_all("#result tbody tr",
                                         "trs => trs.map(tr => Array.from(tr.cells).map(td => td.textContent))")
    assert rows == [[text(v) for v in row] for row in expected.rows]
    assert tab.text("#summary").startswith(f"{len(expected.rows)} rows in")
    tab.shot("console")
    with tab.page.expect_download() as download:
        tab.page.click("#download-csv")
    assert Path(download.value.path()).read_text(encoding="utf-8") == to_csv(expected)
    with tab.page.expect_download() as download:
        tab.page.click("#download-json")
    assert json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["columns"] == expected.columns

    tab.page.fill("#q", "MATCH (n RETURN n")
    with tab.page.expect_navigation():
        tab.page.click("form.console button[type=submit]")
    assert tab.text("#error").startswith("expected ")
    tab.answered_400()
    assert tab.page.locator("#result").count() == 0
    tab.page.fill("#q", "CREATE (n:Entity {id: 'new'}) RETURN n")
    with tab.page.expect_navigation():
        tab.page.click("form.console button[type=submit]")
    assert tab.text("#error") == "the query writes (CREATE); this server is read-only and runs no writes"
    tab.answered_400()
    tab.goto("/console?q=" + urllib.parse.quote("MATCH (e:Entity {id: 'new'}) RETURN count(e) AS n"))
    assert tab.page.eval_on_selector_all("#result td", "els => els.map(e => e.textContent)") == ["0"]
    # a CSP violation or any request elsewhere would have been recorded
    tab.assert_clean()
    tab.close()


@pytest.mark.slow
def test_an_edit_under_watch_shows_up_and_an_invalid_one_keeps_the_last_good_graph(browser, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(EXAMPLE_GRAPH, graph)
    yaml = graph / "toy.yaml"
    server = Served("--graph", str(graph), "--sources", str(EXAMPLE_SEEDS), "--watch")
    try:
        tab = Tab(browser, server, "/path?source=DX&target=protein-p")
        map_tab = Tab(browser, server, "/")
        map_tab.map_frame()
        assert tab.text("#summary").startswith("Drug X → Protein P:")

        started = time.monotonic()
        _edit(yaml, "name: Protein P\n", "name: Protein Pi\n")
        tab.page.wait_for_function("() => document.getElementById('summary').textContent.includes('Protein Pi')",
                                   timeout=15_000)
        shown_after = time.monotonic() - started
        map_tab.map_shows("Protein Pi")
        print(f"\na watched edit showed up in the page after {shown_after:.2f} s")
        assert shown_after < 10

        tab.page.evaluate("() => { window.notReloaded = true; }")
        _edit(yaml, "predicate: regulates", "predicate: frobnicates")
        tab.page.wait_for_selector("#graph-errors:not([hidden])", timeout=15_000)
        banner = tab.text("#graph-errors-list li")
        assert banner.startswith("toy.yaml:130 unknown predicate 'frobnicates'")
        assert tab.page.evaluate("window.notReloaded") is True
        assert tab.text("#summary").startswith("Drug X → Protein Pi:")
        assert tab.page.locator("section.chain").count() >= 1
        map_tab.page.wait_for_selector("#graph-errors:not([hidden])", timeout=15_000)
        assert map_tab.map_frame().evaluate("window.mechgraph.ready") is True
        tab.shot("watch-invalid")
        # a page opened now shows the last good graph and the errors at once
        late = Tab(browser, server, "/path?source=DX&target=protein-p")
        assert late.page.locator("#graph-errors").is_visible()
        assert late.text("#summary").startswith("Drug X → Protein Pi:")
        late.close()

        _edit(yaml, "predicate: frobnicates", "predicate: regulates")
        tab.page.wait_for_function("() => window.notReloaded === undefined && "
                                   "document.getElementById('graph-errors').hidden", timeout=15_000)
        for each in (tab, map_tab):
            each.assert_clean()
            each.close()
    finally:
        server.stop()


@pytest.mark.slow
def test_a_hostile_graph_runs_no_script_in_any_panel(browser):
    server = Served("--graph", str(XSS_GRAPH))
    try:
        tab = Tab(browser, server)
        tab.map_frame()
        for path in ("/path?source=evil-drug&target=evil-receptor", "/explain?drug=evil-drug&outcome=quoted-condition",
                     "/conflicts", "/locate?finding=f-evil-blocks",
                     "/console?q=" + urllib.parse.quote("MATCH (e:Entity) RETURN e.name, e.name_zh, e.aliases, e"),
                     "/path.html?source=evil-drug&target=evil-receptor"):
            if path.startswith("/path.html"):
                tab.page.goto(server.url + path.lstrip("/"))
                tab.page.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true")
            else:
                tab.goto(path)
            assert tab.page.evaluate("() => window.__xss") is None, path
            if not path.startswith("/path.html"):  # the map page's own icons are its test's business
                assert tab.page.locator("main img, main iframe, main svg, main marquee").count() == 0, path
        tab.goto("/locate?finding=f-evil-blocks")
        assert tab.text("#statement blockquote") == "</script><script>window.__xss = 'statement'</script>"
        tab.assert_clean()
        tab.close()
    finally:
        server.stop()
