"""What every benchmark section shares: timing, result rows, subprocesses, free ports.

Every figure a section reports is a ratio against a baseline measured in the same
run (these machines are shared and noisy), so a row carries its value, its baseline
and the ratio between them. Nothing here reads a previous run's results.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


class NotAvailable(Exception):
    """The feature a section measures is not there (yet): the section is skipped, not failed."""


class Context:
    """Options every section sees: quick mode, the graph directory, a scratch directory."""

    def __init__(self, *, quick: bool, graph: Path | None, scratch: Path, large: bool = False):
        self.quick = quick
        self.large = large
        self.graph = graph
        self.scratch = scratch

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a mechgraph subprocess: the user's, with --graph applied,
        the graph cache on, and bytecode caching on (an installed package ships its
        bytecode; ``PYTHONDONTWRITEBYTECODE`` would recompile mechgraph on every start)."""
        env = dict(os.environ)
        env.pop("MECHGRAPH_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if self.graph is not None:
            env["MECHGRAPH_GRAPH"] = str(self.graph)
        env.update(extra)
        return env


def machine() -> dict:
    """The facts a reader needs to weigh the numbers."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    from mechgraph import __version__
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "mechgraph": __version__,
        "load_average_at_start": load,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def median(values) -> float:
    return statistics.median(values)


def time_call(func: Callable[[], object], repeat: int) -> list[float]:
    """Wall times in seconds of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def row(measure: str, value: float, unit: str, *, baseline: float | None = None,
        baseline_label: str = "", ratio: float | None = None, target: str = "",
        met: bool | None = None, **extra) -> dict:
    """One line of the results table.

    ``ratio`` defaults to value / baseline; ``target`` describes the goal in words
    and ``met`` says whether this run reached it (None when there is no target).
    """
    if ratio is None and baseline:
        ratio = value / baseline
    return {"measure": measure, "value": _round(value), "unit": unit,
            "baseline": _round(baseline) if baseline is not None else None,
            "baseline_label": baseline_label,
            "ratio": round(ratio, 3) if ratio is not None else None,
            "target": target, "met": met, **extra}


def _round(x: float | None) -> float | None:
    if x is None:
        return None
    if abs(x) >= 100:
        return round(x, 1)
    return float(f"{x:.4g}")


def mechgraph_command() -> list[str]:
    """How a user of this interpreter starts mechgraph: the console script installed
    beside it (what ``pip install`` puts on PATH), else ``python -m mechgraph``.

    Version-manager shims (pyenv) in front of the script are not mechgraph's start-up,
    so the script next to ``sys.executable`` is preferred to whatever ``which`` finds.
    """
    script = Path(sys.executable).parent / "mechgraph"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("mechgraph")
    if found and "shims" not in found:
        return [found]
    return [sys.executable, "-m", "mechgraph"]


def run_checked(argv: list[str], *, env: dict | None = None, timeout: float = 600,
                cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a command; raise RuntimeError with its stderr when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=timeout,
                          cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-800:]}")
    return done


def interleaved_medians(argvs: dict[str, list[str]], *, env: dict, rounds: int) -> dict[str, float]:
    """Median wall time in ms of each command as fresh processes, after one warm-up run each.

    Rounds alternate the order of the commands so that neither always runs first.
    """
    for argv in argvs.values():  # warm the graph cache
        run_checked(argv, env=env)
    times: dict[str, list[float]] = {name: [] for name in argvs}
    for i in range(rounds):
        for name in (list(argvs) if i % 2 == 0 else list(reversed(argvs))):
            started = time.perf_counter()
            run_checked(argvs[name], env=env)
            times[name].append(time.perf_counter() - started)
    return {name: median(values) * 1000 for name, values in times.items()}


def run_json_child(code: str, *args: str, env: dict | None = None, timeout: float = 900) -> dict:
    """Run Python ``code`` in a fresh interpreter; its last stdout line is JSON to return.

    Measuring in a child gives each measurement a clean heap, so peak memory
    and first-call timings belong to that measurement alone (read peak memory from
    ``VmHWM`` in /proc/self/status: ``ru_maxrss`` carries the parent's over on Linux).
    """
    argv = [sys.executable, "-c", code, *args]
    done = run_checked(argv, env=env, timeout=timeout, cwd=ROOT)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError(f"child printed nothing; stderr: {done.stderr.strip()[-800:]}")
    return json.loads(lines[-1])


def free_port(low: int = 20000, high: int = 32767) -> int:
    """A TCP port in ``low..high`` that was free on all interfaces a moment ago.

    The range stays below 32768 because FalkorDB's BOLT_PORT silently ignores larger
    ports (and the kernel hands out ephemeral ports above it).
    """
    import random
    for _ in range(200):
        port = random.randint(low, high)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free TCP port between {low} and {high}")


def growth_exponent(sizes: list[float], times: list[float]) -> float | None:
    """The slope of log(time) against log(size): 1.0 is linear growth."""
    points = [(s, t) for s, t in zip(sizes, times, strict=True) if s > 0 and t and t > 0]
    if len(points) < 2:
        return None
    import math
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if not sxx:
        return None
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx, 3)
