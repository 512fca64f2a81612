"""A pytest plugin: Debian's chromium through Playwright, for the tests that open pages.

``browser`` is one headless chromium per test module, closed at the end. Without
Playwright or chromium the tests that use it are skipped, except in CI (``CI=true``),
where that fails the run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from falkordb_server import IN_CI

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
