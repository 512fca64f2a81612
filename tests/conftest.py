"""Shared fixtures: the toy example graph, the seeds, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mechgraph.cli import cli

pytest_plugins = ["falkordb_server", "neo4j_server", "chromium"]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_GRAPH = DATA / "example-graph"
EXAMPLE_SEEDS = DATA / "example-seeds"
SEEDS = Path(os.environ.get("MECHGRAPH_SEEDS", ROOT.parent / "shared" / "seeds"))
IN_CI = os.environ.get("CI", "").lower() == "true"
#: tests of the curated data rather than of code: what a reader of the seeds would ask
CONTENT = Path(__file__).resolve().parent / "content"


def pytest_collection_modifyitems(items):
    """Mark every test under tests/content as ``content`` (``-m content`` runs them alone)."""
    for item in items:
        if CONTENT in item.path.parents:
            item.add_marker(pytest.mark.content)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Each test session caches parsed graphs in its own directory."""
    monkeypatch.setenv("MECHGRAPH_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE_GRAPH


@pytest.fixture
def example_seeds() -> Path:
    return EXAMPLE_SEEDS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The real seed texts (``MECHGRAPH_SEEDS``, else ``../shared/seeds`` beside the checkout):
    every test that reads them finds them here; their absence fails the run in CI and
    skips those tests elsewhere."""
    if not SEEDS.is_dir():
        if IN_CI:
            pytest.fail(f"seed directory {SEEDS} is missing")
        pytest.skip(f"seed directory {SEEDS} is missing")
    return SEEDS


@pytest.fixture
def run():
    """Invoke the CLI as a user would; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
