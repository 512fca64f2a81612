"""Cold start: ``mechgraph path|show|search|stats|explain`` as fresh processes against an import floor.

The floor is ``python -c "import click, yaml"``: the libraries a command line like
mechgraph's needs (these commands run on the cached store and import no networkx), so
the ratio says how much mechgraph adds on top of them (argument parsing, its own
modules, loading the graph from the cache, the work and the output). The graph cache (keyed by the graph files) is warmed by one run of each
command first, as a user's second run would find it. Runs are interleaved round by
round so that the machine's noise falls on every command alike.

Target: every command's median at most 1.5x the floor.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from .common import Context, median, mechgraph_command, row, run_checked

TARGET = 1.5

#: what a user types after ``mechgraph``
COMMANDS = {
    "mechgraph path NMDAR BDNF": ["path", "NMDAR", "BDNF"],
    "mechgraph show BDNF": ["show", "BDNF"],
    "mechgraph search tarp": ["search", "tarp"],
    "mechgraph stats": ["stats"],
    "mechgraph explain esketamine": ["explain", "esketamine"],
}
FLOOR = 'python -c "import click, yaml"'

#: not targets: they show where the time above the floor goes
DIAGNOSTICS: dict[str, list[str] | None] = {
    'python -c "pass"': [sys.executable, "-c", "pass"],
    'python -c "import networkx, click, yaml"': [sys.executable, "-c", "import networkx, click, yaml"],
    'python -c "import mechgraph.cli"': [sys.executable, "-c", "import mechgraph.cli"],
    "mechgraph --help": None,
}


def run(ctx: Context) -> dict:
    exe = mechgraph_command()
    env = ctx.env()
    argvs = {label: exe + args for label, args in COMMANDS.items()}
    argvs[FLOOR] = [sys.executable, "-c", "import click, yaml"]
    for label, argv in DIAGNOSTICS.items():
        argvs[label] = argv if argv is not None else exe + ["--help"]

    diagnostics = list(DIAGNOSTICS)
    envs = {label: env for label in argvs}
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # this shell forbids bytecode files: show what that costs a start-up
        label = "mechgraph path NMDAR BDNF with PYTHONDONTWRITEBYTECODE=1"
        argvs[label] = argvs["mechgraph path NMDAR BDNF"]
        diagnostics.append(label)
        envs[label] = {**env, "PYTHONDONTWRITEBYTECODE": "1"}

    for label, argv in argvs.items():  # warm the graph cache, the bytecode and the OS file cache
        run_checked(argv, env=envs[label])

    rounds = 5 if ctx.quick else 21
    labels = list(argvs)
    times: dict[str, list[float]] = {label: [] for label in labels}
    for i in range(rounds):
        order = labels[i % len(labels):] + labels[:i % len(labels)]
        for label in order:
            start = time.perf_counter()
            done = subprocess.run(argvs[label], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env=envs[label])
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise RuntimeError(f"{label} exited {done.returncode}: {done.stderr.decode()[-500:]}")
            times[label].append(elapsed)

    floor = median(times[FLOOR]) * 1000
    rows = [row(FLOOR + " (the floor)", floor, "ms", target="", met=None)]
    for label in COMMANDS:
        ms = median(times[label]) * 1000
        ratio = ms / floor
        rows.append(row(label, ms, "ms", baseline=floor, baseline_label="floor",
                        target=f"<= {TARGET}x floor", met=ratio <= TARGET))
    for label in diagnostics:
        ms = median(times[label]) * 1000
        rows.append(row(label, ms, "ms", baseline=floor, baseline_label="floor", target="(diagnostic)"))
    return {
        "rows": rows,
        "rounds": rounds,
        "invocation": exe,
        "graph": str(ctx.graph) if ctx.graph else "bundled",
        "samples_ms": {label: [round(t * 1000, 1) for t in ts] for label, ts in times.items()},
        "notes": [f"median of {rounds} fresh processes each, interleaved; graph cache warm; "
                  f"started as {' '.join(exe)}"],
    }
