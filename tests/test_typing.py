"""The package ships ``py.typed``: mypy, under the committed configuration
(``[tool.mypy]`` in pyproject.toml), finds no error in ``src/``; and each folder's
public names (``EXPORTS``, imported on first use) are the names its ``__init__`` imports
under ``if TYPE_CHECKING:``, so that a type checker sees what a user gets."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import IN_CI, ROOT

PACKAGE = ROOT / "src" / "mechgraph"


def test_mypy_finds_nothing():
    venv_mypy = ROOT / ".venv" / "bin" / "mypy"
    mypy = str(venv_mypy) if venv_mypy.exists() else shutil.which("mypy")
    if mypy is None or not Path(mypy).exists():
        if IN_CI:
            pytest.fail("mypy is not installed (pip install -e '.[test]')")
        pytest.skip("mypy is not installed")
    # the cache lives outside the tree; a warm one makes a re-run take seconds
    cache = Path(tempfile.gettempdir()) / f"mechgraph-mypy-cache-{sys.version_info.major}.{sys.version_info.minor}"
    found = subprocess.run([mypy, "--cache-dir", str(cache)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stdout + found.stderr


def _exports_and_type_checking_imports(init) -> tuple[dict[str, str], dict[str, str]]:
    """``EXPORTS`` of a package ``__init__``, and what it imports under ``if TYPE_CHECKING:``
    in the same form (public name -> ``"module"`` or ``"module:name"``)."""
    exports: dict[str, str] = {}
    imported: dict[str, str] = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "EXPORTS" for t in node.targets):
            exports = ast.literal_eval(node.value)
        elif isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                assert isinstance(child, ast.ImportFrom) and child.level == 1 and child.module, \
                    f"{init}: only relative imports of the folder's modules belong under TYPE_CHECKING"
                for alias in child.names:
                    public = alias.asname or alias.name
                    imported[public] = child.module if alias.name == public else f"{child.module}:{alias.name}"
    return exports, imported


PACKAGES_WITH_EXPORTS = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")
                               if "EXPORTS" in p.read_text(encoding="utf-8"))


def test_some_folders_export_lazily():
    assert {"reasoning", "cypher", "io", "backends"} <= set(PACKAGES_WITH_EXPORTS)


@pytest.mark.parametrize("folder", PACKAGES_WITH_EXPORTS)
def test_type_checking_imports_match_exports(folder):
    exports, imported = _exports_and_type_checking_imports(PACKAGE / folder / "__init__.py")
    assert exports, f"{folder}/__init__.py has no EXPORTS"
    assert imported == exports
