"""The docs site builds with ``mkdocs build --strict`` (a broken link or anchor fails it),
offline, and its generated parts hold what their sources hold."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "docs"))
import hooks  # noqa: E402  (docs/hooks.py, the generators)


class _Loads(HTMLParser):
    """Every address a page makes the browser fetch (scripts, styles, images, frames)."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.fetched.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") not in ("canonical", "alternate"):
            self.fetched.append(a["href"])


#: loaded into the build's Python: any connection it opens (other than to this machine) fails the build
_NO_NETWORK = """
import socket

_LOCAL = (None, "127.0.0.1", "::1", "localhost")
_connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo


def _refuse_connect(self, address, *args):
    if self.family != getattr(socket, "AF_UNIX", None) and address[0] not in _LOCAL:
        raise SystemExit(f"the docs build tried to reach {address!r}")
    return _connect(self, address, *args)


def _refuse_lookup(host, *args, **kwargs):
    if host not in _LOCAL:
        raise SystemExit(f"the docs build looked up {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.getaddrinfo = _refuse_connect, _refuse_lookup
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs")
    out = tmp_path_factory.mktemp("site")
    guard = tmp_path_factory.mktemp("guard")
    (guard / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-5000:]
    return out


@pytest.mark.slow
def test_the_site_builds_strict_and_offline(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in parser.fetched if re.match(r"(https?:)?//", u)]
        assert not remote, f"{page.relative_to(site)} loads {remote}"
    for style in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+['\"]?(url\()?\s*['\"]?(https?:)?//",
                             style.read_text(encoding="utf-8")), f"{style.relative_to(site)} loads a remote file"


@pytest.mark.slow
def test_the_generated_pages_hold_their_sources(site):
    shapes = (site / "json-shapes" / "index.html").read_text(encoding="utf-8")
    for name in ("path", "explain", "show", "conflicts", "diff", "query"):
        assert f'id="json-{name}"' in shapes
    assert "score_parts" in shapes and "weakest_step" in shapes
    performance = (site / "performance" / "index.html").read_text(encoding="utf-8")
    assert "coldstart" in performance and "growth" in performance
    assert "<!-- generated" not in performance
    assert 'id="vocabulary-predicates"' in (site / "graph-format" / "index.html").read_text(encoding="utf-8")
    assert "q-entity-by-id" in (site / "cypher-support" / "index.html").read_text(encoding="utf-8")
    assert "assertion_score" in (site / "api" / "reasoning" / "index.html").read_text(encoding="utf-8")


def test_every_marker_in_the_pages_has_a_generator():
    for page in (ROOT / "docs").glob("*.md"):
        for name in re.findall(r"<!-- generated: ([a-z-]+) -->", page.read_text(encoding="utf-8")):
            assert name in hooks.GENERATORS, f"{page.name}: no generator {name!r} in docs/hooks.py"


def test_the_evidence_weights_are_the_modules():
    from mechgraph.reasoning.evidence import LEVEL_WEIGHTS
    text = hooks.evidence_levels()
    for level, weight in LEVEL_WEIGHTS.items():
        assert f"| `{level}` | {weight} |" in text


def test_the_reference_scores_are_computed():
    rows = dict(re.findall(r"^\| (.+?) \| ([0-9.]+) \|$", hooks.evidence_examples(), re.M))
    assert rows["one mouse study"] == "0.5"
    assert rows["ten RCTs for, one null RCT"] == "0.962"
    assert rows["a mouse study for, a mouse study with no effect"] == "0.417"


def test_the_cypher_support_page_lists_every_corpus_query():
    from cypher_corpus.corpus import load_corpus
    text = hooks.cypher_support()
    for query in load_corpus():
        assert f"{{#q-{query.id}}}" in text


def test_the_json_shapes_page_covers_every_schema():
    from mechgraph import schemas
    text = hooks.json_shapes()
    for name in schemas.names():
        assert f"{{#json-{name}}}" in text or name == "common"
