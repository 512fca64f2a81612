"""Rendering: writing the full HTML map, and the map drawn and still in headless Chromium.

- ``mechgraph render -o FILE`` as a fresh process, against ``mechgraph stats`` (the
  same start-up and graph loading, no page) in the same rounds; the library call
  the command makes (``mechgraph.html.build_map`` and an atomic write), against
  writing the same graph as node-link JSON (a plain serialisation floor).
- The written page opened from file:// in Debian's Chromium (headless, driven by
  playwright): time from navigation to the first complete drawing (the page's own
  ``window.mechgraph.drawnAt``) and until it is still: no redraw and no node moving
  for a full second (``still`` is the last drawing or movement seen). The baseline
  is a blank page that draws one canvas frame, in the same browser.

Target: the map still within 2 s.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from .common import Context, NotAvailable, interleaved_medians, median, mechgraph_command, row, time_call

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGET_STILL_MS = 2000
QUIET_MS = 1000

BLANK = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>blank</title></head>
<body><canvas id="c" width="1600" height="900"></canvas><script>
window.mechgraph = {ready: false, drawnAt: null};
requestAnimationFrame(function () {
  var ctx = document.getElementById("c").getContext("2d");
  ctx.fillStyle = "#90a4ae"; ctx.fillRect(10, 10, 100, 100);
  requestAnimationFrame(function () { window.mechgraph.drawnAt = performance.now(); window.mechgraph.ready = true; });
});
</script></body></html>
"""

#: after the first drawing: count redraws and watch node positions until quiet
WATCH = """() => {
  const api = window.mechgraph;
  window.__draws = [];
  if (api.network) api.network.on("afterDrawing", () => window.__draws.push(performance.now()));
  return true;
}"""
SAMPLE = """() => {
  const api = window.mechgraph;
  let positions = "";
  if (api.network) {
    const pos = api.network.getPositions();
    positions = JSON.stringify(Object.keys(pos).sort().map(k => [k, Math.round(pos[k].x), Math.round(pos[k].y)]));
  }
  return {now: performance.now(), draws: window.__draws.length,
          lastDraw: window.__draws.length ? window.__draws[window.__draws.length - 1] : null,
          positions: positions};
}"""


def run(ctx: Context) -> dict:
    try:
        from mechgraph.html import build_map
    except ImportError as exc:
        raise NotAvailable(f"the HTML map is not built yet ({exc})") from None
    from mechgraph import MechGraph
    from mechgraph.atomic import write_text

    rows, notes = [], []
    exe = mechgraph_command()
    env = ctx.env()
    out = ctx.scratch / "map.html"
    argvs = {"mechgraph render -o FILE": exe + ["render", "-o", str(out)],
             "mechgraph stats": exe + ["stats"]}
    ms = interleaved_medians(argvs, env=env, rounds=3 if ctx.quick else 9)
    cli_ms = ms["mechgraph render -o FILE"]
    stats_ms = ms["mechgraph stats"]
    rows.append(row("mechgraph render -o FILE (fresh process)", cli_ms, "ms", baseline=stats_ms,
                    baseline_label="mechgraph stats", target="(no target)"))

    graph = MechGraph.load(ctx.graph)
    _ = graph.nx  # built once, as in the command
    page = build_map(graph)
    repeat = 3 if ctx.quick else 9
    lib = time_call(lambda: write_text(out, build_map(graph).html), repeat)

    def node_link():
        import networkx as nx
        data = nx.node_link_data(graph.nx, edges="links")
        write_text(ctx.scratch / "graph.json", json.dumps(data, ensure_ascii=False, default=str))

    floor = time_call(node_link, repeat)
    rows.append(row("build_map + write (in process)", median(lib) * 1000, "ms",
                    baseline=median(floor) * 1000, baseline_label="node-link JSON write",
                    target="(no target)"))
    size = len(page.html.encode("utf-8"))
    notes.append(f"the page: {page.entities} entities, {page.assertions} assertions, {page.findings} findings, "
                 f"{size / 1e6:.2f} MB")

    browser_rows, browser_info = _browser(ctx, out)
    rows.extend(browser_rows)
    return {"rows": rows, "notes": notes + browser_info.pop("notes", []), "page_bytes": size,
            "counts": page.counts(), **browser_info}


def _browser(ctx: Context, page_file: Path) -> tuple[list[dict], dict]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [], {"notes": ["browser timing not available: playwright is not installed"]}
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        return [], {"notes": ["browser timing not available: chromium is not installed"]}
    blank = ctx.scratch / "blank.html"
    blank.write_text(BLANK, encoding="utf-8")
    loads = 3 if ctx.quick else 7
    samples = {"map": [], "blank": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            _open(browser, blank)  # the first page of a browser pays one-off costs
            for _ in range(loads):
                samples["blank"].append(_open(browser, blank))
                samples["map"].append(_open(browser, page_file))
        finally:
            browser.close()
    blank_drawn = median([s["drawn"] for s in samples["blank"]])
    drawn = median([s["drawn"] for s in samples["map"]])
    still = median([s["still"] for s in samples["map"]])
    worst = max(s["still"] for s in samples["map"])
    rows = [
        row("map drawn in Chromium (navigation to first drawing)", drawn, "ms", baseline=blank_drawn,
            baseline_label="blank page drawn", target="(no target)"),
        row("map still in Chromium", still, "ms", baseline=blank_drawn, baseline_label="blank page drawn",
            target=f"<= {TARGET_STILL_MS} ms", met=still <= TARGET_STILL_MS, worst=round(worst, 1)),
    ]
    redraws = max(s["redraws"] for s in samples["map"])
    moved = any(s["moved"] for s in samples["map"])
    return rows, {"browser_samples": samples, "notes": [
        f"Chromium: median of {loads} loads, each in a fresh tab; slowest still {worst:.0f} ms; "
        f"redraws after the first drawing: {redraws}; nodes moved after it: {'yes' if moved else 'no'}"]}


def _open(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    try:
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.mechgraph && window.mechgraph.ready === true", timeout=60_000)
        drawn = page.evaluate("window.mechgraph.drawnAt")
        page.evaluate(WATCH)
        first = last = page.evaluate(SAMPLE)
        last_change = drawn
        moved = False
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            page.wait_for_timeout(100)
            now = page.evaluate(SAMPLE)
            if now["positions"] != last["positions"]:
                moved = True
                last_change = now["now"]
            if now["lastDraw"] is not None:
                last_change = max(last_change, now["lastDraw"])
            last = now
            if now["now"] - max(last_change, first["now"]) >= QUIET_MS:
                break
        else:
            raise RuntimeError(f"{path.name} was still moving or redrawing after 30 s")
        return {"drawn": round(drawn, 1), "still": round(last_change, 1), "redraws": last["draws"], "moved": moved}
    finally:
        page.close()
