"""Screenshots of each view of the bundled map, for the docs site's map page (docs/screenshots/).

    python scripts/screenshots.py               # write docs/screenshots/map-*.png
    python scripts/screenshots.py --out DIR     # somewhere else

Builds the map of the bundled graph, opens it from file:// in Debian's Chromium
(headless, driven by playwright, as the browser tests do) at 1600x1000, each picture in
a fresh tab: every view as a click on its tab shows it (fitted to the window), in
English, and the mechanism view of the page rendered with ``--lang zh``. Needs the html
extra, playwright, chromium and a CJK font (fonts-wqy-microhei or fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import base64
import re
import shutil
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import mechgraph.html
from mechgraph import MechGraph
from mechgraph.html import render_html
from mechgraph.html.views import VIEW_IDS

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 1000}
#: (file name, view, language)
SHOTS = tuple((f"map-{view}.png", view, "en") for view in VIEW_IDS) + (("map-mechanism-zh.png", "mechanism", "zh"),)
CSS_COLOURS = re.compile(r"#[0-9a-fA-F]{6}\b")
#: a picture larger than this is a sign that something is drawn that should not be
MAX_BYTES = 500_000

#: resolves once two frames have been drawn since the call (the view is on screen)
DRAWN = """() => new Promise(resolve => {
  window.mechgraph.network.redraw();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)));
})"""


#: a PNG (data URL) and exact colours to keep (0xRRGGBB) -> {width, height, palette, pixels:
#: base64 of one palette index per pixel}. The palette: the colours to keep, the most
#: frequent ones, and a median cut of the rest (split where colours differ most, so that
#: the faint blends of green and red edges keep their hue); every colour maps to its nearest.
QUANTISE = """async ([url, keep]) => {
  const img = new Image(); img.src = url; await img.decode();
  const canvas = document.createElement("canvas"); canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d"); ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data, counts = new Map();
  const rgb = c => [c >> 16, (c >> 8) & 255, c & 255];
  for (let i = 0; i < px.length; i += 4) {
    const c = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2]; counts.set(c, (counts.get(c) || 0) + 1);
  }
  const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const palette = [...new Set(keep.filter(c => counts.has(c)).concat(byCount.slice(0, 48).map(e => e[0])))];
  const taken = new Set(palette);
  let boxes = [byCount.filter(e => !taken.has(e[0])).map(e => rgb(e[0]).concat([e[1]]))];
  const spread = box => { let best = [0, 0];
    for (let ch = 0; ch < 3; ch++) { let lo = 255, hi = 0;
      box.forEach(e => { lo = Math.min(lo, e[ch]); hi = Math.max(hi, e[ch]); });
      if (hi - lo > best[0]) best = [hi - lo, ch]; }
    return best; };
  while (palette.length + boxes.length < 256) {
    let pick = -1, score = 0, channel = 0;
    boxes.forEach((box, i) => { if (box.length < 2) return;
      const [range, ch] = spread(box), pixels = box.reduce((s, e) => s + e[3], 0);
      const value = range * Math.pow(pixels, 0.3);
      if (value > score) { score = value; pick = i; channel = ch; } });
    if (pick < 0) break;
    const box = boxes[pick].sort((a, b) => a[channel] - b[channel]);
    const total = box.reduce((s, e) => s + e[3], 0);
    let run = 0, cut = 1;
    for (; cut < box.length - 1; cut++) { run += box[cut - 1][3]; if (run >= total / 2) break; }
    boxes.splice(pick, 1, box.slice(0, cut), box.slice(cut));
  }
  boxes.filter(box => box.length).forEach(box => {
    const total = box.reduce((s, e) => s + e[3], 0), mean = [0, 1, 2].map(ch =>
      Math.round(box.reduce((s, e) => s + e[ch] * e[3], 0) / total));
    palette.push((mean[0] << 16) | (mean[1] << 8) | mean[2]);
  });
  const colours = palette.map(rgb), index = new Map(palette.map((c, i) => [c, i]));
  const out = new Uint8Array(px.length / 4);
  for (let i = 0, j = 0; i < px.length; i += 4, j++) {
    const c = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
    let k = index.get(c);
    if (k === undefined) {
      let best = Infinity;
      colours.forEach((p, n) => {
        const d = (p[0] - px[i]) ** 2 + (p[1] - px[i + 1]) ** 2 + (p[2] - px[i + 2]) ** 2;
        if (d < best) { best = d; k = n; }
      });
      index.set(c, k);
    }
    out[j] = k;
  }
  let text = "";
  for (let i = 0; i < out.length; i += 32768) { text += String.fromCharCode.apply(null, out.subarray(i, i + 32768)); }
  return { width: img.width, height: img.height, palette, pixels: btoa(text) };
}"""
#: the colours the page draws with: entity types, signs, groups
PAGE_COLOURS = """() => { const d = JSON.parse(document.getElementById("mechgraph-data").textContent);
  return Object.values(d.types).map(t => t.color).concat(Object.values(d.signs).map(s => s.color),
    Object.values(d.group_colors)); }"""


def take(out: Path, graph: MechGraph | None = None) -> list[Path]:
    """Write the screenshots into ``out``; returns their paths."""
    from playwright.sync_api import sync_playwright
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium)")
    out.mkdir(parents=True, exist_ok=True)
    graph = graph or MechGraph.load()
    written = []
    with tempfile.TemporaryDirectory(prefix="mechgraph-shots-") as scratch:
        files = {}
        for lang in sorted({lang for _, _, lang in SHOTS}):
            files[lang] = Path(scratch) / f"map-{lang}.html"
            files[lang].write_text(render_html(graph, lang=lang), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
            try:
                for name, view, lang in SHOTS:
                    written.append(_shoot(browser, files[lang], view, out / name))
            finally:
                browser.close()
    return written


def _shoot(browser, page_file: Path, view: str, path: Path) -> Path:
    """Open the page in a fresh tab, click the view's tab, and take the picture."""
    page = browser.new_page(viewport=VIEWPORT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(page_file.resolve().as_uri())
        page.wait_for_function("() => window.mechgraph && window.mechgraph.ready === true")
        if page.evaluate("() => window.mechgraph.view()") != view:
            page.click(f"#views button[data-view={view}]")
        page.evaluate(DRAWN)
        shot = page.screenshot()
        colours = page.evaluate(PAGE_COLOURS) + CSS_COLOURS.findall(
            (Path(mechgraph.html.__file__).parent / "static" / "app.css").read_text(encoding="utf-8"))
    finally:
        page.close()
    if errors:
        raise SystemExit(f"{path.name}: the page raised: " + "; ".join(errors))
    keep = sorted({int(c.lstrip("#"), 16) for c in colours if len(c) == 7})
    path.write_bytes(_palette_png(browser, shot, keep))
    return path


def _palette_png(browser, png: bytes, keep: list[int]) -> bytes:
    """``png`` with at most 256 colours, as an indexed PNG (about a third of the bytes):
    the colours in ``keep`` stay exact, the rest take the nearest of the palette."""
    page = browser.new_page()
    try:
        image = page.evaluate(QUANTISE, ["data:image/png;base64," + base64.b64encode(png).decode(), keep])
    finally:
        page.close()
    width, height, pixels = image["width"], image["height"], base64.b64decode(image["pixels"])
    rows = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    palette = b"".join(bytes((c >> 16, (c >> 8) & 255, c & 255)) for c in image["palette"])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", palette) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="directory to write into")
    args = parser.parse_args(argv)
    status = 0
    for path in take(args.out):
        size = path.stat().st_size
        print(f"wrote {path} ({size / 1000:.0f} KB)")
        if size > MAX_BYTES:
            print(f"warning: {path.name} is over {MAX_BYTES // 1000} KB", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
