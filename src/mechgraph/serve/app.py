"""The web app: a Starlette application over a :class:`~mechgraph.serve.watch.LiveGraph`.

Panels (HTML, each with the query parameters of its command's options)::

    /              the map (``render``'s page, in a frame) with its options
    /path          the path finder           /path.html     its chains as cascades on the map
    /explain       how a drug works          /explain.html  its chains on the mechanism view
    /conflicts     disagreements             /coverage      cited and uncited seed sentences
    /locate        a finding beside its source sentence
    /console       Cypher on the embedded engine, with CSV and JSON downloads

JSON (the ``--json`` shapes of the commands; errors as ``{"error": message}`` with 400)::

    /api/version  /api/stats  /api/search  /api/path  /api/explain  /api/conflicts
    /api/coverage  /api/locate  /api/query (format=json or csv)

Only GET (and HEAD) is answered; nothing writes. Every request's Host header is
checked first (:mod:`mechgraph.serve.hosts`); every response says nosniff, no
referrer, no caching, and carries a Content-Security-Policy (:mod:`mechgraph.serve.pages`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..errors import MechgraphError
from ..cli.output import to_json
from . import pages, queries
from .hosts import HostCheck, allowed_hosts
from .watch import LiveGraph

#: the console's default bounds: tighter than ``query``'s, since a page waits for the answer
TIMEOUT_S = 10.0
MAX_ROWS = 100_000
#: rendered map pages kept (per graph version and options)
MAP_CACHE = 8
#: headers every response carries unless it sets its own
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

log = logging.getLogger("mechgraph.serve")


class Form(dict):
    """A request's parameters for a template: a missing one is None."""

    def __missing__(self, key):
        return None


class SecurityHeaders:
    """ASGI middleware: add :data:`HEADERS` to every response that does not set them."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class App:
    """The server's state and handlers; :attr:`starlette` is the ASGI application."""

    def __init__(self, live: LiveGraph, *, sources: Path | None = None, host: str = "127.0.0.1",
                 timeout: float = TIMEOUT_S, max_rows: int = MAX_ROWS):
        self.live = live
        self.sources = sources
        self.timeout = timeout
        self.max_rows = max_rows
        self.graph_name = str(live.path)
        self._maps: OrderedDict = OrderedDict()
        self._maps_lock = threading.Lock()
        routes = [Route(path, endpoint, methods=["GET"]) for path, endpoint in (
            ("/", self.map_panel), ("/map.html", self.map_page),
            ("/path", self.path_panel), ("/path.html", self.path_page),
            ("/explain", self.explain_panel), ("/explain.html", self.explain_page),
            ("/conflicts", self.conflicts_panel), ("/coverage", self.coverage_panel),
            ("/locate", self.locate_panel), ("/console", self.console_panel),
            ("/api/version", self.api_version), ("/api/stats", self.api_stats), ("/api/search", self.api_search),
            ("/api/path", self.api_path), ("/api/explain", self.api_explain), ("/api/conflicts", self.api_conflicts),
            ("/api/coverage", self.api_coverage), ("/api/locate", self.api_locate), ("/api/query", self.api_query),
        )]
        self.starlette = Starlette(
            routes=routes,
            middleware=[Middleware(HostCheck, allowed=allowed_hosts(host)), Middleware(SecurityHeaders)],
            # Starlette types every handler as taking any Exception, though it calls one only with
            # instances of its key; a handler of HTTPException cannot be typed to match (Kludex/starlette#2403)
            exception_handlers={HTTPException: self.http_error,  # type: ignore[dict-item]
                                Exception: self.internal_error})

    # -- responses --------------------------------------------------------------------------------------
    def page(self, request: Request, template: str, *, panel: str, title: str, status: int = 200,
             **context) -> HTMLResponse:
        form = Form(request.query_params.items())
        html = pages.render(template, panel=panel, title=title, status=self.live.status(),
                            graph_name=self.graph_name, form=form, query=_query(request), **context)
        return HTMLResponse(html, status_code=status, headers={"content-security-policy": pages.csp()})

    @staticmethod
    def embedded(html: str) -> HTMLResponse:
        """A rendered map page, under the policy it declares."""
        return HTMLResponse(html, headers={"content-security-policy": pages.embedded_csp(html),
                                           "x-frame-options": "SAMEORIGIN"})

    @staticmethod
    def json(value, status: int = 200) -> Response:
        return Response(to_json(value) + "\n", status_code=status, media_type="application/json")

    def answer(self, compute) -> Response:
        """The JSON of ``compute(graph)``, or its MechgraphError as ``{"error"}`` with 400."""
        graph, _ = self.live.snapshot()
        try:
            return self.json(compute(graph))
        except MechgraphError as exc:
            return self.json({"error": str(exc)}, 400)

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else exc.detail
        if request.url.path.startswith("/api/"):
            response = self.json({"error": message}, exc.status_code)
        else:
            response = self.page(request, "message.html", panel="", title=str(exc.detail), heading=str(exc.detail),
                                 message=message, status=exc.status_code)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def internal_error(self, request: Request, exc: Exception) -> Response:
        log.error("internal error on %s", request.url.path, exc_info=exc)
        return self.json({"error": f"internal error ({type(exc).__name__}); see the server's output"}, 500)

    # -- the map ---------------------------------------------------------------------------------------
    def map_html(self, options: dict) -> str:
        """The map page for ``options`` (``html.build_map``'s), built once per graph version."""
        from ..html import build_map
        graph, version = self.live.snapshot()
        key = (version, tuple(sorted(options.items())))
        with self._maps_lock:
            if key in self._maps:
                self._maps.move_to_end(key)
                return self._maps[key]
        html = build_map(graph, **options).html
        with self._maps_lock:
            self._maps[key] = html
            while len(self._maps) > MAP_CACHE:
                self._maps.popitem(last=False)
        return html

    def map_panel(self, request: Request) -> Response:
        message, options = None, {}
        try:
            options = queries.map_options(request.query_params)
            self.map_html(options)
        except MechgraphError as exc:
            message = str(exc)
        from ..model.constants import EVIDENCE_LEVELS
        return self.page(request, "map.html", panel="map", title="Map", options=Form(options), message=message,
                         levels=EVIDENCE_LEVELS, views=queries.MAP_VIEWS, langs=queries.MAP_LANGS,
                         status=400 if message else 200)

    def map_page(self, request: Request) -> Response:
        try:
            return self.embedded(self.map_html(queries.map_options(request.query_params)))
        except MechgraphError as exc:
            return self.page(request, "message.html", panel="map", title="Map", heading="No map",
                             message=str(exc), status=400)

    # -- panels ----------------------------------------------------------------------------------------
    def _panel(self, request: Request, template: str, panel: str, title: str, compute, *, wanted=True,
               **context) -> Response:
        """A panel with its form, and ``compute(graph)``'s result when ``wanted``."""
        from ..model.constants import EVIDENCE_LEVELS
        result, message = None, None
        if wanted:
            graph, _ = self.live.snapshot()
            try:
                result = compute(graph)
            except MechgraphError as exc:
                message = str(exc)
        return self.page(request, template, panel=panel, title=title, result=result, message=message,
                         levels=EVIDENCE_LEVELS, status=400 if message else 200, **context)

    def path_panel(self, request: Request) -> Response:
        params = request.query_params
        return self._panel(request, "path.html", "path", "Path", lambda g: queries.path_result(g, params),
                           wanted="source" in params or "target" in params)

    def _drawn_page(self, request: Request, render, result, panel: str, title: str, heading: str) -> Response:
        """The page ``render(graph, result(graph, params))`` draws, or the error in a message page."""
        graph, _ = self.live.snapshot()
        try:
            return self.embedded(render(graph, result(graph, request.query_params)))
        except MechgraphError as exc:
            return self.page(request, "message.html", panel=panel, title=title, heading=heading,
                             message=str(exc), status=400)

    def path_page(self, request: Request) -> Response:
        from ..html import render_paths_html
        return self._drawn_page(request, render_paths_html, queries.path_result, "path", "Path", "No paths")

    def explain_panel(self, request: Request) -> Response:
        params = request.query_params
        return self._panel(request, "explain.html", "explain", "Explain", lambda g: queries.explain_result(g, params),
                           wanted="drug" in params)

    def explain_page(self, request: Request) -> Response:
        from ..html import render_explain_html
        return self._drawn_page(request, render_explain_html, queries.explain_result, "explain", "Explain",
                                "No explanation")

    def conflicts_panel(self, request: Request) -> Response:
        from ..reasoning.conflicts import KINDS
        params = request.query_params
        return self._panel(request, "conflicts.html", "conflicts", "Conflicts",
                           lambda g: queries.conflicts_result(g, params), kinds=KINDS,
                           picked=params.getlist("kind"))

    def coverage_panel(self, request: Request) -> Response:
        return self._panel(request, "coverage.html", "coverage", "Coverage",
                           lambda g: queries.coverage_result(g, self.sources))

    def locate_panel(self, request: Request) -> Response:
        graph, _ = self.live.snapshot()
        finding_ids = sorted(graph.model.findings)[:5000]
        item = located = message = source_message = None
        if request.query_params.get("finding"):
            try:
                item = graph.finding(queries.Params(request.query_params).text("finding", required=True)).summary()
            except MechgraphError as exc:
                message = str(exc)
            else:
                try:
                    located = queries.locate_result(graph, self.sources, request.query_params)
                except MechgraphError as exc:
                    source_message = str(exc)
        return self.page(request, "locate.html", panel="locate", title="Locate", item=item, located=located,
                         message=message, source_message=source_message, finding_ids=finding_ids,
                         status=400 if message else 200)

    def console_panel(self, request: Request) -> Response:
        result = message = elapsed = None
        if request.query_params.get("q", "").strip():
            graph, _ = self.live.snapshot()
            try:
                query, params = queries.cypher_query(request.query_params)
                started = time.perf_counter()
                result = queries.run_cypher(graph, query, params, timeout=self.timeout, max_rows=self.max_rows)
                elapsed = round((time.perf_counter() - started) * 1000)
            except MechgraphError as exc:
                message = str(exc)
        return self.page(request, "console.html", panel="console", title="Cypher", result=result, message=message,
                         elapsed=elapsed, shown=pages.SHOWN_ROWS, examples=pages.EXAMPLES, timeout=self.timeout,
                         max_rows=self.max_rows, status=400 if message else 200)

    # -- JSON ------------------------------------------------------------------------------------------
    def api_version(self, request: Request) -> Response:
        return self.json({**self.live.status(), "graph": self.graph_name})

    def api_stats(self, request: Request) -> Response:
        return self.answer(lambda g: g.stats())

    def api_search(self, request: Request) -> Response:
        p = queries.Params(request.query_params)
        return self.answer(lambda g: g.search(p.text("text", required=True), limit=p.integer("limit", 20, 1, 1000)))

    def api_path(self, request: Request) -> Response:
        return self.answer(lambda g: queries.path_result(g, request.query_params))

    def api_explain(self, request: Request) -> Response:
        return self.answer(lambda g: queries.explain_result(g, request.query_params))

    def api_conflicts(self, request: Request) -> Response:
        return self.answer(lambda g: queries.conflicts_result(g, request.query_params))

    def api_coverage(self, request: Request) -> Response:
        return self.answer(lambda g: queries.coverage_result(g, self.sources))

    def api_locate(self, request: Request) -> Response:
        return self.answer(lambda g: queries.locate_result(g, self.sources, request.query_params))

    def api_query(self, request: Request) -> Response:
        from ..cli.output import to_csv
        from ..cypher.values import result_json
        graph, _ = self.live.snapshot()
        try:
            form = queries.Params(request.query_params).choice("format", ("json", "csv"), "json")
            query, params = queries.cypher_query(request.query_params)
            result = queries.run_cypher(graph, query, params, timeout=self.timeout, max_rows=self.max_rows)
        except MechgraphError as exc:
            return self.json({"error": str(exc)}, 400)
        if form == "csv":
            return Response(to_csv(result), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'attachment; filename="query.csv"'})
        return self.json(result_json(result))


def _query(request: Request) -> str:
    """The request's parameters, encoded again without the empty ones (for links to the
    same result elsewhere)."""
    return urlencode([(key, value) for key, value in request.query_params.multi_items() if value.strip()])


def create_app(live: LiveGraph, *, sources: Path | None = None, host: str = "127.0.0.1",
               timeout: float = TIMEOUT_S, max_rows: int = MAX_ROWS) -> Starlette:
    """The ASGI application serving ``live``'s graph: read-only, answering only requests
    addressed to a loopback name or to ``host``. ``sources`` is the seed texts' directory
    (coverage and locate need it); ``timeout`` and ``max_rows`` bound each Cypher query.

    >>> from mechgraph import MechGraph
    >>> from starlette.testclient import TestClient
    >>> app = create_app(LiveGraph("tests/data/example-graph", MechGraph.load("tests/data/example-graph")))
    >>> TestClient(app, base_url="http://127.0.0.1").get("/api/path", params={"source": "DX", "target": "protein p"}).json()["paths"][0]["score"]
    0.5
    """
    return App(live, sources=sources, host=host, timeout=timeout, max_rows=max_rows).starlette
