"""The benchmark harness runs and writes its results; no timing is asserted here."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

COMMANDS = ["mechgraph path NMDAR BDNF", "mechgraph show BDNF", "mechgraph search tarp"]


def test_quick_coldstart_writes_ratios_against_the_floor(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--only", "coldstart",
                           "--output", str(out)], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))

    assert results["quick"] is True
    assert results["machine"]["cores"] >= 1
    assert results["machine"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert list(results["sections"]) == ["coldstart"]
    section = results["sections"]["coldstart"]
    assert section["status"] == "ok"
    rows = {r["measure"]: r for r in section["rows"]}
    floor = rows['python -c "import networkx, click, yaml" (the floor)']["value"]
    assert floor > 0
    for command in COMMANDS:
        r = rows[command]
        assert r["unit"] == "ms" and r["baseline"] == floor
        assert abs(r["ratio"] - r["value"] / floor) < 0.01
        assert r["target"] == "<= 1.5x floor" and r["met"] == (r["ratio"] <= 1.5)
        assert len(section["samples_ms"][command]) == section["rounds"]
    # the table printed to the terminal carries the same rows
    assert "| mechgraph path NMDAR BDNF |" in done.stdout
    assert "cores" in done.stdout and results["machine"]["python"] in done.stdout

