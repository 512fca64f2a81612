"""`pip install .` into a fresh virtual environment works from any directory."""

import os
import subprocess
import sys
import venv

import pytest

from conftest import IN_CI, ROOT


@pytest.mark.slow
def test_wheel_installs_and_runs_from_elsewhere(tmp_path):
    try:
        import hatchling  # noqa: F401
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("hatchling is not installed")
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True)
    wheel = next(wheels.glob("mechgraph-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MECHGRAPH_GRAPH")}
    env["MECHGRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run([str(env_dir / "bin" / "mechgraph"), "path", "NMDAR", "BDNF"], cwd=elsewhere,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("NMDA receptor (nmdar) → BDNF (bdnf):")
