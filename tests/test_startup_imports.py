"""The commands that read the store start without networkx (nor pandas, numpy, yaml once
cached): each runs in a fresh process, with an empty cache and then a warm one, and
reports which modules it imported. No timing is asserted here (benchmarks/coldstart.py
measures it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import DATA, ROOT

#: run a command as the console script does, then print the top-level modules it imported
PROBE = r"""
import json, sys
from mechgraph.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="mechgraph", standalone_mode=False)
finally:
    sys.stdout.flush()
    print("\n" + json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""

COMMANDS = {
    "path": ["path", "NMDAR", "BDNF"],
    "show": ["show", "BDNF"],
    "search": ["search", "tarp"],
    "stats": ["stats"],
    "explain": ["explain", "esketamine"],
}
KGX_COMMANDS = {
    "path": ["path", "EX:drug-a", "EX:gene-b", "--relation", "any"],
    "show": ["show", "EX:gene-b"],
    "search": ["search", "gene"],
    "stats": ["stats"],
}


def imported(args: list[str], cache, graph=None) -> set[str]:
    env = {"PATH": "/usr/bin:/bin", "MECHGRAPH_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    argv = [sys.executable, "-c", PROBE, *(["--graph", str(graph)] if graph else []), *args]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("command", list(COMMANDS))
def test_reading_commands_do_not_import_networkx(command, tmp_path):
    first = imported(COMMANDS[command], tmp_path)  # builds the cache from YAML
    assert "networkx" not in first
    again = imported(COMMANDS[command], tmp_path)  # reads it
    assert not again & {"networkx", "yaml", "pandas", "numpy", "html", "csv"}


@pytest.mark.parametrize("command", list(KGX_COMMANDS))
def test_reading_commands_on_a_kgx_graph_do_not_import_networkx(command, tmp_path):
    graph = DATA / "kgx-graph"
    assert "networkx" not in imported(KGX_COMMANDS[command], tmp_path, graph)
    assert not imported(KGX_COMMANDS[command], tmp_path, graph) & {"networkx", "pandas", "numpy"}


def test_a_command_started_from_the_console_script_collects_less(tmp_path):
    """The console script raises the collector's youngest threshold to ``COLLECT_AFTER``
    before it imports the command line or the library (the default of 700 made some 25
    collections while they loaded), then freezes what was imported; the command's output is
    the same as through ``cli``."""
    probe = ("import gc, sys\nfrom mechgraph.console import COLLECT_AFTER, main\n"
             "print(sorted({'click', 'mechgraph.graph', 'mechgraph.cli'} & set(sys.modules)), file=sys.stderr)\n"
             "seen = []\n"
             "class Spy:\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        if name == 'click' and not seen:\n"
             "            seen.append(gc.get_threshold()[0])\n"
             "sys.meta_path.insert(0, Spy())\n"
             "sys.argv = ['mechgraph', 'stats']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(seen == [COLLECT_AFTER], gc.get_threshold()[0] == COLLECT_AFTER, gc.get_freeze_count() > 0,"
             " file=sys.stderr)")
    env = {"PATH": "/usr/bin:/bin", "MECHGRAPH_CACHE_DIR": str(tmp_path)}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[0] == "[]"  # the entry point itself imports nothing heavy
    assert done.stderr.strip().splitlines()[-1] == "True True True"
    plain = subprocess.run([sys.executable, "-c", PROBE, "stats"], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=300)
    assert done.stdout == plain.stdout and done.stdout.startswith("entities ")


def test_importing_the_library_leaves_the_collector_alone():
    """Only the console script tunes the collector: a program that imports mechgraph keeps
    its own settings, and every public name is there when asked for."""
    probe = ("import gc, sys\nbefore = gc.get_threshold()\nimport mechgraph\n"
             "names = [getattr(mechgraph, name).__name__ for name in mechgraph.__all__ if name != '__version__']\n"
             "from mechgraph import MechGraph, PathResult\n"
             "print(gc.get_threshold() == before, gc.get_freeze_count() == 0, len(names) == len(mechgraph.__all__) - 1,"
             " set(mechgraph.__all__) <= set(dir(mechgraph)), file=sys.stderr)\n"
             "try:\n    mechgraph.nothing_here\nexcept AttributeError as exc:\n    print(exc, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ})
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == ["True True True True",
                                                "module 'mechgraph' has no attribute 'nothing_here'"]


def test_a_path_of_any_relation_does_not_load_the_chain_search(tmp_path):
    """``path --relation any`` labels its connections without the chain search's module
    nor the signed reading of paths (:mod:`mechgraph.reasoning.connections` holds what they
    need); a chain search loads the first, ``--signed`` the second."""
    probe = ("import sys\nfrom mechgraph.cli import cli\n"
             "cli.main(sys.argv[1:], prog_name='mechgraph', standalone_mode=False)\n"
             "print('mechgraph.reasoning.signs' in sys.modules, file=sys.stderr)\n"
             "print('mechgraph.reasoning.chains' in sys.modules, file=sys.stderr)")
    env = {"PATH": "/usr/bin:/bin", "MECHGRAPH_CACHE_DIR": str(tmp_path)}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    def loads(*args: str) -> tuple[bool, bool]:
        """Whether the command loaded the signs' module, and the chain search's."""
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr
        signs, chains = done.stderr.strip().splitlines()[-2:]
        return signs == "True", chains == "True"

    assert loads("path", "NMDAR", "BDNF", "--relation", "any") == (False, False)
    assert loads("path", "NMDAR", "BDNF", "--relation", "any", "--signed") == (True, False)
    assert loads("path", "NMDAR", "BDNF")[1]


def test_a_path_of_any_relation_imports_one_module_beyond_the_load(tmp_path):
    """After a graph is loaded, ``path --relation any`` imports nothing but the module that
    labels connections (each module imported is a cost every first call pays)."""
    probe = ("import sys\nfrom mechgraph import MechGraph\ngraph = MechGraph.load()\nbefore = set(sys.modules)\n"
             "graph.path('NMDAR', 'BDNF', relation='any', k=1)\n"
             "print(sorted(set(sys.modules) - before), file=sys.stderr)")
    env = {"PATH": "/usr/bin:/bin", "MECHGRAPH_CACHE_DIR": str(tmp_path)}
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    for _ in range(2):  # a fresh cache, then a warm one
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == "['mechgraph.reasoning.connections']"
