"""The committed ruff configuration (pyproject.toml: pyflakes, bugbear, pyupgrade,
simplify) finds nothing in the code, the tests, the benchmarks or the scripts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import IN_CI, ROOT


def test_ruff_finds_nothing():
    venv_ruff = ROOT / ".venv" / "bin" / "ruff"
    ruff = str(venv_ruff) if venv_ruff.exists() else shutil.which("ruff")
    if ruff is None or not Path(ruff).exists():
        if IN_CI:
            pytest.fail("ruff is not installed (pip install -e '.[test]')")
        pytest.skip("ruff is not installed")
    found = subprocess.run([ruff, "check", "--no-cache", "src", "tests", "benchmarks", "scripts"],
                           cwd=ROOT, capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stdout + found.stderr
