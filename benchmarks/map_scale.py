"""The map at scale: a synthetic graph of 3,000 entities and 10,000 assertions, drawn by
``mechgraph render`` and by pyvis's default output of the same graph, in one Chromium.
``--large`` also draws graphs of 1,000 and 10,000 entities (3,333 and 33,333 assertions);
``MECHGRAPH_BENCH_MAP_SIZES`` names other entity counts (``1000,3000``), each with
10/3 as many assertions. pyvis's default page is loaded at 3,000 entities only (its
physics takes minutes there); every size has pyvis with physics off beside it (above
3,000 entities loaded twice, with three zooms and pans each: every one of them redraws
all its edges, and a load takes minutes).

Pages (all written by fresh processes from the same graph directory):

- **mechgraph**: ``mechgraph --graph DIR render -o FILE``, the page a user gets (it opens
  on the mechanism view), and the same with ``--view everything`` (every entity; a view
  this large opens as one node per group, and a double-click opens a group).
- **pyvis default**: ``pyvis.network.Network(directed=True)`` given every entity and
  assertion, default options otherwise (physics on, with its stabilisation before the
  first drawing), written with ``write_html``. pyvis's default resources come from a
  CDN that the page cannot reach here, so vis-network is inlined
  (``cdn_resources="in_line"``) and the browser refuses the remaining Bootstrap requests,
  which only style pyvis's menus.
- **pyvis, physics off**: the same with ``toggle_physics(False)``, the quickest page pyvis
  makes of this graph: every node and edge drawn at once at vis-network's initial places.

Measured in headless Chromium (Debian's, driven by playwright), each load in a fresh tab,
the pages alternating round by round:

- **drawn**: navigation to the end of the first drawing with nodes in it (a hook wraps
  ``vis.Network`` before any script runs, so every page is timed the same way);
- **zoom redraw**: a mouse-wheel step over the map to the end of the drawing it causes
  (median of ``ZOOMS`` steps per load, alternately in and out);
- **pan redraw**: the map dragged by the mouse from a point with no node under it: each
  move of ``PAN_STEP_PX`` pixels to the end of the drawing it causes (median of ``PANS``
  moves per load, after two moves that start the drag; a drag that took a node along
  instead is let go and tried from the next empty point);
- **select a node**: a click on a node to the end of the drawing that shows it selected
  (mechgraph: its neighbourhood highlighted and its panel filled; pyvis: the node and its
  edges selected). On mechgraph's whole-graph view, a double-click first opens the
  largest group (**open a group**) and a node in it is then clicked;
- **JS heap**: used JavaScript heap after a garbage collection, at the end of the load;
- **page size**, and the time to write the page as a fresh process.

pyvis's default page draws nothing until its physics has stabilised, which at this size
takes many minutes: it is loaded once, for at most ``PYVIS_LIMIT_S`` seconds (without
limit under ``--large``), and its progress is read from its own loading bar. A value
equal to the limit is a lower bound. Its interactions are measured only when it drew;
the interaction rows compare against pyvis with physics off.

Targets (from the issues): drawn within 2 s at 3,000 entities; a zoom or pan redraw
within a 50 ms frame. Every ratio is against pyvis in the same run; nothing here is
asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

from .common import Context, NotAvailable, interleaved_medians, median, mechgraph_command, row, run_checked

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 900}
ENTITIES, ASSERTIONS = 3_000, 10_000
QUICK_ENTITIES, QUICK_ASSERTIONS = 150, 400
#: the entity counts ``--large`` draws (assertions: 10/3 as many)
LARGE_ENTITIES = (1_000, 3_000, 10_000)
#: how long pyvis's default page may take to draw (seconds; --large waits this long)
PYVIS_LIMIT_S, QUICK_PYVIS_LIMIT_S, LARGE_PYVIS_LIMIT_S = 120, 10, 1800
#: how long any other page or interaction may take
LIMIT_S = 90
ZOOMS, QUICK_ZOOMS = 6, 2
PANS, QUICK_PANS, PAN_STEP_PX = 8, 2, 24
TARGET_DRAWN_MS, TARGET_FRAME_MS = 2000, 50
#: above this many entities, pyvis with physics off takes minutes per load (each zoom or pan
#: of 33k edges redraws them all): it is loaded ``STILL_BIG_ROUNDS`` times, with
#: ``STILL_BIG_MOVES`` zooms and pans each, and without a first load to warm the browser
STILL_BIG_ABOVE, STILL_BIG_ROUNDS, STILL_BIG_MOVES = 3_000, 2, 3

#: wraps vis.Network before the page's scripts run: every drawing is recorded, with how
#: many nodes it drew and the node selected, when the task that drew it ended
HOOK = """
(() => {
  const m = window.__bench = { drawn: null, draws: [], input: {}, progress: null };
  for (const type of ["wheel", "pointerup", "pointermove"]) {
    window.addEventListener(type, () => { m.input[type] = performance.now(); }, { capture: true, passive: true });
  }
  let value = null, proxy = null, wrapped = null;
  const wrap = Original => {
    const Network = function (...args) {
      const net = new Original(...args);
      window.__net = net;
      net.on("afterDrawing", () => {
        const nodes = net.body.nodeIndices.length, selected = net.getSelectedNodes()[0] || null;
        setTimeout(() => {
          const now = performance.now();
          m.draws.push([now, nodes, selected]);
          if (m.drawn === null && nodes > 0) { m.drawn = now; }
        }, 0);
      });
      net.on("stabilizationProgress", p => { m.progress = p.iterations / p.total; });
      return net;
    };
    Network.prototype = Original.prototype;
    return Network;
  };
  Object.defineProperty(window, "vis", { configurable: true,
    get() { return proxy; },
    set(v) { value = v; proxy = new Proxy(v, { get(target, prop) {
      if (prop === "Network" && target.Network) { wrapped = wrapped || wrap(target.Network); return wrapped; }
      return target[prop]; } }); } });
})();
"""

#: a fresh process that writes pyvis's page of the graph: argv graph directory, output, "physics"/"still"
PYVIS_WRITER = """
import sys
from mechgraph import MechGraph
from pyvis.network import Network
graph = MechGraph.load(sys.argv[1])
net = Network(directed=True, cdn_resources="in_line")
for entity in graph.model.entities.values():
    net.add_node(entity.id, label=entity.name, title=entity.type)
for a in graph.model.assertions.values():
    net.add_edge(a.subject, a.object, title=a.predicate)
if sys.argv[3] == "still":
    net.toggle_physics(False)
net.write_html(sys.argv[2])
"""

LABELS = {
    "drawn": "drawn (navigation to first drawing)",
    "zoom": "zoom redraw (wheel step to drawn)",
    "pan": "pan redraw (drag step to drawn)",
    "select": "select a node (click to drawn)",
    "open_group": "open the largest group into its parts (double-click to drawn)",
    "open": "open the largest part of it (double-click to drawn)",
    "heap_mb": "JS heap after the load",
}

def run(ctx: Context) -> dict:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise NotAvailable("playwright is not installed") from None
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        raise NotAvailable("chromium is not installed")
    try:
        import pyvis  # noqa: F401
        import mechgraph.html  # noqa: F401
    except ImportError as exc:
        raise NotAvailable(f"the HTML map needs pyvis ({exc})") from None

    out: dict = {"rows": [], "notes": [], "samples": {}, "graphs": [], "chromium": None, "pyvis_limit_s": None}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        out["chromium"] = browser.version
        out["notes"].append(f"Chromium {browser.version}, headless, viewport {VIEWPORT['width']}x{VIEWPORT['height']}")
        try:
            for entities, assertions in sizes(ctx):
                print(f"   map: {entities:,} entities / {assertions:,} assertions", flush=True)
                found = _one_size(ctx, browser, entities, assertions)
                for key in ("rows", "notes"):
                    out[key] += found[key]
                out["samples"][found["label"]] = found["samples"]
                out["graphs"].append(found["graph"])
                out["pyvis_limit_s"] = found["pyvis_limit_s"] or out["pyvis_limit_s"]
        finally:
            browser.close()
    return out


def sizes(ctx: Context) -> list[tuple[int, int]]:
    """``(entities, assertions)`` of each graph drawn: ``MECHGRAPH_BENCH_MAP_SIZES`` (entity
    counts), else 3,000 entities (and 1,000 and 10,000 with ``--large``), each with 10/3 as
    many assertions; a small graph with ``--quick``."""
    if ctx.quick:
        return [(QUICK_ENTITIES, QUICK_ASSERTIONS)]
    listed = os.environ.get("MECHGRAPH_BENCH_MAP_SIZES", "")
    counts = [int(x) for x in listed.split(",") if x.strip()] or (LARGE_ENTITIES if ctx.large else (ENTITIES,))
    return [(n, n * 10 // 3) for n in counts]


def _one_size(ctx: Context, browser, entities: int, assertions: int) -> dict:
    """Write the pages of one synthetic graph and load them, alternating; pyvis's default page
    only at the size the issue names (or ``--quick``'s): it takes minutes."""
    from .synthetic import generate

    graph_dir = ctx.scratch / f"map-scale-graph-{entities}"
    generate(graph_dir, assertions, nodes=entities, seed=11)
    with_default = entities in (ENTITIES, QUICK_ENTITIES)
    pages = {"mechgraph": ctx.scratch / f"map-scale-mechgraph-{entities}.html",
             "mechgraph_everything": ctx.scratch / f"map-scale-everything-{entities}.html",
             "pyvis": ctx.scratch / f"map-scale-pyvis-{entities}.html",
             "pyvis_still": ctx.scratch / f"map-scale-pyvis-still-{entities}.html"}
    exe = mechgraph_command() + ["--graph", str(graph_dir)]
    writer = [sys.executable, "-c", PYVIS_WRITER, str(graph_dir)]
    # writing the pages, as fresh processes (the graph cache warmed by the first run of each)
    build_ms = interleaved_medians({"mechgraph": exe + ["render", "-o", str(pages["mechgraph"])],
                                    "pyvis": writer + [str(pages["pyvis"]), "physics"]},
                                   env=ctx.env(), rounds=1 if ctx.quick else 3)
    run_checked(exe + ["render", "--view", "everything", "-o", str(pages["mechgraph_everything"])], env=ctx.env())
    run_checked(writer + [str(pages["pyvis_still"]), "still"], env=ctx.env())

    rounds = 1 if ctx.quick else 5
    limit = QUICK_PYVIS_LIMIT_S if ctx.quick else LARGE_PYVIS_LIMIT_S if ctx.large else PYVIS_LIMIT_S
    samples: dict[str, list[dict]] = {name: [] for name in pages}
    zooms, pans = (QUICK_ZOOMS, QUICK_PANS) if ctx.quick else (ZOOMS, PANS)
    big = entities > STILL_BIG_ABOVE
    if not big:  # a size's first page pays one-off costs (at a big size, mechgraph's first load pays them)
        _load(browser, pages["pyvis_still"], "pyvis_still", zooms=1, pans=1)
    order = ["mechgraph", "pyvis_still", "mechgraph_everything"]
    for i in range(rounds):
        for name in (order if i % 2 == 0 else list(reversed(order))):
            if name == "pyvis_still" and big:
                if i < STILL_BIG_ROUNDS:
                    samples[name].append(_load(browser, pages[name], name, zooms=STILL_BIG_MOVES,
                                               pans=STILL_BIG_MOVES))
                continue
            samples[name].append(_load(browser, pages[name], name, zooms=zooms, pans=pans))
        if i == 0 and with_default:  # once: it takes minutes
            samples["pyvis"].append(_load(browser, pages["pyvis"], "pyvis", limit=limit, zooms=zooms, pans=pans))
    return _report(samples, pages, build_ms, rounds=rounds, limit=limit if with_default else None,
                   graph={"entities": entities, "assertions": assertions})


def _report(samples: dict, pages: dict, build_ms: dict, *, rounds: int, limit: float | None, graph: dict) -> dict:
    """The rows and notes of one size; ``limit`` is None when pyvis's default page was not loaded."""
    def med(name: str, measure: str) -> float | None:
        values = [s[measure] for s in samples[name] if s.get(measure) is not None]
        return median(values) if values else None

    size = f"{graph['entities']:,} entities / {graph['assertions']:,} assertions"
    loaded = limit is not None
    drew = med("pyvis", "drawn") is not None
    default = "pyvis default" + ("" if drew or not loaded else f", not drawn within {limit:g} s")
    rows = []
    for name, view in (("mechgraph", "as the page opens (mechanism view)"), ("mechgraph_everything", "everything view")):
        measures = ("drawn", "zoom", "pan", "select") if name == "mechgraph" else (
            "drawn", "zoom", "pan", "open_group", "open", "select")
        for measure in measures:
            value = med(name, measure)
            if value is None:
                continue
            still = med("pyvis_still", "select" if measure.startswith("open") else measure)
            if measure.startswith("open"):
                baseline, label = None, ""
            elif not loaded:
                baseline, label = still, "pyvis physics off"
            elif measure == "drawn":  # pyvis default, or the limit it did not draw within (a lower bound)
                baseline, label = med("pyvis", "drawn") if drew else limit * 1000.0, default
            else:
                baseline, label = (med("pyvis", measure), "pyvis default") if drew else (still, "pyvis physics off")
            target, met = "(no target)", None
            if measure == "drawn" and graph["entities"] == ENTITIES:
                target, met = f"<= {TARGET_DRAWN_MS} ms", value <= TARGET_DRAWN_MS
            elif measure in ("zoom", "pan"):
                target, met = f"<= {TARGET_FRAME_MS} ms", value <= TARGET_FRAME_MS
            rows.append(row(f"{size}, {view}: {LABELS[measure]}", value, "ms", baseline=baseline, baseline_label=label,
                            target=target, met=met, worst=max(s[measure] for s in samples[name] if s.get(measure)),
                            pyvis_physics_off=still, vs_pyvis_physics_off=_ratio(value, still)))
        heap, still = med(name, "heap_mb"), med("pyvis_still", "heap_mb")
        heap_baseline = (med("pyvis", "heap_mb"), "pyvis default" + ("" if drew else " (stabilising)")) if loaded \
            else (still, "pyvis physics off")
        rows.append(row(f"{size}, {view}: {LABELS['heap_mb']}", heap, "MB", baseline=heap_baseline[0],
                        baseline_label=heap_baseline[1], target="(no target)",
                        pyvis_physics_off=still, vs_pyvis_physics_off=_ratio(heap, still)))
    baseline_page = pages["pyvis" if loaded else "pyvis_still"]
    rows.append(row(f"{size}: page size", pages["mechgraph"].stat().st_size / 1e6, "MB",
                    baseline=baseline_page.stat().st_size / 1e6,
                    baseline_label="pyvis default" if loaded else "pyvis physics off", target="(no target)"))
    rows.append(row(f"{size}: write the page (fresh process)", build_ms["mechgraph"], "ms",
                    baseline=build_ms["pyvis"], baseline_label="pyvis default write_html, same graph loading",
                    target="(no target)"))
    shown = samples["mechgraph_everything"][-1]
    still_loads = len(samples["pyvis_still"])
    notes = [f"{size}: median of {rounds} fresh-tab loads per page, the pages alternating"
             + (f" (pyvis physics off: {still_loads}, with {STILL_BIG_MOVES} zooms and pans each)"
                if still_loads < rounds else "")
             + ("; pyvis default loaded once" if loaded else "; pyvis default not loaded at this size")]
    if loaded:
        pyvis = samples["pyvis"][0]
        notes.append(f"{size}: " + (f"pyvis default drew after {pyvis['drawn'] / 1000:.0f} s" if drew else
                                    f"pyvis default had not drawn after {limit:g} s: its physics had stabilised "
                                    f"{100 * (pyvis.get('progress') or 0):.0f}% (of 1,000 iterations)"))
    notes += [
        f"{size}: pyvis physics off (every node and edge drawn): " + ", ".join(
            f"{measure} {_fmt(med('pyvis_still', measure))}" for measure in ("drawn", "zoom", "pan", "select"))
        + f" ms, JS heap {_fmt(med('pyvis_still', 'heap_mb'))} MB",
        f"{size}: mechgraph draws {samples['mechgraph'][-1].get('nodes')} nodes as it opens; the everything view "
        f"{shown.get('nodes')}" + (f" (one per group), {shown['opened_nodes']} once the largest part is open"
                                   if shown.get("opened_nodes") else ""),
    ]
    return {"label": size, "rows": rows, "notes": notes, "samples": samples, "graph": graph, "pyvis_limit_s": limit}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def _ratio(value: float | None, baseline: float | None) -> float | None:
    return round(value / baseline, 3) if value is not None and baseline else None


def _load(browser, path: Path, name: str, *, limit: float = LIMIT_S, zooms: int = ZOOMS, pans: int = PANS) -> dict:
    """One fresh-tab load of ``path``: when it drew, its interactions and its heap."""
    page = browser.new_page(viewport=VIEWPORT)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.add_init_script(HOOK)
    cdp = page.context.new_cdp_session(page)
    try:
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=LIMIT_S * 1000)
        out: dict = {"drawn": None}
        try:
            page.wait_for_function("() => window.__bench.drawn !== null", timeout=limit * 1000, polling=100)
        except Exception:  # not drawn within the limit (pyvis stabilising)
            out["progress"] = page.evaluate("() => window.__bench.progress")
            out["heap_mb"] = _heap(cdp)
            return out
        out["drawn"] = round(page.evaluate("() => window.__bench.drawn"), 1)
        if name.startswith("mechgraph"):
            page.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true", timeout=LIMIT_S * 1000)
        out["nodes"] = page.evaluate("() => window.__net.body.nodeIndices.length")
        _settle(page)
        out["zoom"] = median([_zoom(page, i) for i in range(zooms)])
        out["pan"] = _pan(page, pans)
        if name == "mechgraph_everything":
            # the largest group; a group too large to open at once opens into parts: then its largest part
            group = page.evaluate("""() => { const v = window.mechgraph.state.view;
                const groups = JSON.parse(document.getElementById('mechgraph-data').textContent).views[v].groups;
                const big = groups.filter(g => !g.parent).sort((a, b) => b.members.length - a.members.length)[0];
                const parts = groups.filter(g => g.parent === big.id).sort((a, b) => b.members.length - a.members.length);
                if (!window.__net.body.nodes['group:' + big.id]) return [];  // a view small enough opens whole
                return ['group:' + big.id].concat(parts.slice(0, 1).map(g => 'group:' + g.id)); }""")
            for i, node in enumerate(group):
                if not page.evaluate("n => !!window.__net.body.nodes[n]", node):
                    break  # the group was small enough to open whole: it has no parts to open
                out["open_group" if i < len(group) - 1 else "open"] = _double_click(page, node)
                _settle(page)
            out["opened_nodes"] = page.evaluate("() => window.__net.body.nodeIndices.length")
            box = page.locator("canvas").first.bounding_box()
            page.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)  # on no node: nothing selected
            _settle(page)
        out["select"] = _select(page)
        out["heap_mb"] = _heap(cdp)
        return out
    finally:
        cdp.detach()
        page.close()


def _heap(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return round(metrics["JSHeapUsedSize"] / 1e6, 1)


def _settle(page) -> None:
    """Wait until nothing has been drawn for half a second (hover, tooltips, physics)."""
    deadline = time.monotonic() + LIMIT_S
    while time.monotonic() < deadline:
        quiet = page.evaluate("""() => { const d = window.__bench.draws;
            return d.length === 0 || performance.now() - d[d.length - 1][0] > 500; }""")
        if quiet:
            return
        page.wait_for_timeout(100)


def _after(page, event: str, condition: str = "() => true", timeout: float = LIMIT_S) -> float | None:
    """Milliseconds from the last ``event`` input to the end of the first drawing after it
    for which ``condition(draw)`` holds (draw = [time, nodes, selected node]); None when
    no such drawing came within ``timeout`` seconds."""
    try:
        found = page.wait_for_function(f"""() => {{ const m = window.__bench, t = m.input["{event}"];
            if (t === undefined) return null;
            const test = {condition};
            const d = m.draws.find(d => d[0] > t && test(d));
            return d ? d[0] - t : null; }}""", timeout=timeout * 1000, polling=20)
    except Exception:  # playwright's TimeoutError
        return None
    return round(found.json_value(), 1)


def _centre(page) -> tuple[float, float]:
    box = page.locator("canvas").first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _zoom(page, i: int) -> float:
    page.mouse.move(*_centre(page))
    page.evaluate("() => { delete window.__bench.input.wheel; }")
    page.mouse.wheel(0, -100 if i % 2 == 0 else 100)
    value = _after(page, "wheel")
    if value is None:
        raise RuntimeError("a wheel step over the map drew nothing")
    _settle(page)
    return value


def _empty_points(page, count: int = 12) -> list[tuple[float, float]]:
    """Points of the map, nearest its centre first, with no node and no edge under them or
    along the first steps of a drag to their right."""
    points = page.evaluate("""([step, count]) => { const net = window.__net, r = net.body.container.getBoundingClientRect();
        const spots = [];
        for (let x = 40; x < r.width - 40 - 3 * step; x += 16) for (let y = 40; y < r.height - 40; y += 16) spots.push([x, y]);
        spots.sort((a, b) => Math.hypot(a[0] - r.width / 2, a[1] - r.height / 2)
                             - Math.hypot(b[0] - r.width / 2, b[1] - r.height / 2));
        const empty = (x, y) => net.getNodeAt({x, y}) === undefined && net.getEdgeAt({x, y}) === undefined;
        const clear = ([x, y]) => { for (let dx = 0; dx <= 3 * step; dx += 4) if (!empty(x + dx, y)) return false;
                                    return true; };
        return spots.filter(clear).slice(0, count).map(([x, y]) => [r.left + x, r.top + y]); }""", [PAN_STEP_PX, count])
    return [(x, y) for x, y in points]


def _pan(page, moves: int) -> float:
    """Drag the map by an empty point: the median time from each move of the mouse to the end
    of the drawing it causes. The first two moves start the drag and are not timed; a drag that
    took a node along instead of the view (the map has the last word on what lies under the
    mouse) is let go and tried again from the next point."""
    view = "() => window.__net.getViewPosition()"
    for x, y in _empty_points(page):
        before = page.evaluate(view)
        page.mouse.move(x, y)
        page.mouse.down()
        values = []
        try:
            for _ in range(2):  # the first move starts the drag, the second moves what it took
                x += PAN_STEP_PX
                page.mouse.move(x, y)
                _after(page, "pointermove", timeout=10)
            if page.evaluate(view) == before:
                continue
            for i in range(moves):
                page.evaluate("() => { delete window.__bench.input.pointermove; }")
                x += PAN_STEP_PX if (i // 4) % 2 == 0 else -PAN_STEP_PX  # back and forth, staying on the page
                page.mouse.move(x, y)
                value = _after(page, "pointermove")
                if value is None:
                    raise RuntimeError("dragging the map drew nothing")
                values.append(value)
        finally:
            page.mouse.up()
            _settle(page)
        return median(values)
    raise RuntimeError("no drag moved the map")


def _node_point(page, node: str) -> dict | None:
    """Where ``node`` is on the page, if it is drawn on screen and a click there hits it."""
    return page.evaluate("""id => { const net = window.__net, p = net.getPositions([id])[id];
        if (!p) return null;
        const d = net.canvasToDOM(p), r = net.body.container.getBoundingClientRect();
        if (d.x < 20 || d.y < 20 || d.x > r.width - 20 || d.y > r.height - 20) return null;
        if (net.getNodeAt(d) !== id) return null;
        return {x: r.left + d.x, y: r.top + d.y}; }""", node)


def _select(page) -> float | None:
    """Click the most connected node that a click can hit; time to the drawing showing it selected."""
    candidates = page.evaluate("""() => { const net = window.__net, degree = {};
        const r = net.body.container.getBoundingClientRect();
        net.body.edgeIndices.forEach(id => { const e = net.body.edges[id];
            degree[e.fromId] = (degree[e.fromId] || 0) + 1; degree[e.toId] = (degree[e.toId] || 0) + 1; });
        return net.body.nodeIndices.filter(id => { const p = net.getPositions([id])[id], d = net.canvasToDOM(p);
                return !String(id).startsWith('group:') && d.x > 20 && d.y > 20 && d.x < r.width - 20
                    && d.y < r.height - 20 && net.getNodeAt(d) === id; })
            .sort((a, b) => (degree[b] || 0) - (degree[a] || 0) || (a < b ? -1 : 1)).slice(0, 20); }""")
    for node in candidates:
        point = _node_point(page, node)
        if point is None:
            continue
        page.evaluate("() => { delete window.__bench.input.pointerup; }")
        page.mouse.click(point["x"], point["y"])
        value = _after(page, "pointerup", f"d => d[2] === {json.dumps(node)}", timeout=10)
        if value is not None:
            return value
        _settle(page)  # the click missed (a tooltip over the node): try the next node
    return None


def _double_click(page, node: str) -> float:
    point = _node_point(page, node)
    if point is None:
        raise RuntimeError(f"{node} cannot be clicked on the page")
    before = page.evaluate("() => window.__net.body.nodeIndices.length")
    page.evaluate("() => { delete window.__bench.input.pointerup; }")
    page.mouse.dblclick(point["x"], point["y"])
    value = _after(page, "pointerup", f"d => d[1] !== {before}")
    if value is None:
        raise RuntimeError(f"a double-click on {node} did not open it")
    return value
