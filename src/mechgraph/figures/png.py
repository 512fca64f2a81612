"""SVG to PNG with whatever converter is installed, tried in this order:

1. ``cairosvg`` (``pip install cairosvg``);
2. ``rsvg-convert`` (librsvg, ``apt-get install librsvg2-bin``);
3. Chromium driven by ``playwright`` (``pip install playwright``, with Debian's
   ``chromium`` or a browser playwright installed).

None of them fetches anything: the SVG refers to no file or address. When none is
found, :func:`to_png` raises MechgraphError naming all three.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import MechgraphError

#: where Chromium is looked for, besides PATH
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def converters() -> list[str]:
    """The converters available here, in the order they are tried."""
    found = []
    if importlib.util.find_spec("cairosvg") is not None:
        found.append("cairosvg")
    if shutil.which("rsvg-convert"):
        found.append("rsvg-convert")
    if importlib.util.find_spec("playwright") is not None and _chromium() is not None:
        found.append("chromium")
    return found


def _chromium() -> str | None:
    for candidate in CHROMIUM:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def to_png(svg: str, width_mm: float, height_mm: float, *, dpi: int = 300) -> bytes:
    """The PNG of ``svg`` (``width_mm`` by ``height_mm``) at ``dpi``."""
    available = converters()
    if not available:
        raise MechgraphError("no SVG-to-PNG converter is installed: pip install cairosvg, or install librsvg "
                             "(rsvg-convert), or pip install playwright with a Chromium; or write an .svg instead")
    scale = dpi / 96
    pixels = (round(width_mm / 25.4 * 96), round(height_mm / 25.4 * 96))
    kind = available[0]
    if kind == "cairosvg":
        import cairosvg
        return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")
    if kind == "rsvg-convert":
        done = subprocess.run(["rsvg-convert", "--format=png", f"--dpi-x={dpi}", f"--dpi-y={dpi}",
                               f"--zoom={scale}", "--background-color=white"], input=svg.encode("utf-8"),
                              capture_output=True, timeout=120)
        if done.returncode != 0:
            raise MechgraphError(f"rsvg-convert failed: {done.stderr.decode(errors='replace').strip()[:300]}")
        return done.stdout
    return _chromium_png(svg, pixels, scale)


def _chromium_png(svg: str, pixels: tuple[int, int], scale: float) -> bytes:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory(prefix="mechgraph-figure-") as tmp:
        page_file = Path(tmp) / "figure.svg"
        page_file.write_text(svg, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=_chromium(), args=[
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            try:
                page = browser.new_page(viewport={"width": pixels[0], "height": pixels[1]},
                                        device_scale_factor=scale)
                page.goto(page_file.as_uri())
                return page.screenshot()
            finally:
                browser.close()
