"""Every example in every ``--help`` runs as written.

Each command's examples run in order in a sandbox laid out as they assume: a git
repository (branch ``main``, two commits) whose ``graph/`` is a copy of the bundled graph,
``my-graph/`` with its ``sources/``, ``path/to/my-graph``, ``old-graph/`` and ``new-graph/``,
the texts ``review.txt``, ``part1.txt`` and ``part2.txt``, and ``../shared/seeds``. Examples
that name a Bolt server run against the FalkorDB test server; ``--open`` opens nothing
(``BROWSER=true``); ``serve`` runs until it says it is serving.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import click
import pytest
from click.testing import CliRunner

from conftest import EXAMPLE_GRAPH, EXAMPLE_SEEDS, ROOT, SEEDS
from mechgraph.cli import cli

_ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")


def help_examples(command: click.Command, name: str) -> list[str]:
    """The example command lines of one command's help."""
    ctx = click.Context(command, info_name=name)
    lines, out, inside = command.get_help(ctx).splitlines(), [], False
    for line in lines:
        if re.match(r"^\s*Examples?:\s*$", line):
            inside = True
        elif inside and not line.strip():
            inside = False
        elif inside:
            out.append(line.strip())
    return out


EXAMPLES = {name: help_examples(cli.get_command(None, name), name) for name in cli.list_commands(None)}
EXAMPLES["(top level)"] = help_examples(cli, "mechgraph")


def test_every_command_has_examples():
    for name, examples in EXAMPLES.items():
        assert examples and all("mechgraph" in e for e in examples), name


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@localhost",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@localhost"})


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    work = tmp_path / "work"
    shutil.copytree(ROOT / "graph", work / "graph")
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", "graph")
    _git(work, "commit", "-q", "-m", "graph")
    readme = work / "graph" / "NOTE.txt"
    readme.write_text("a second commit\n", encoding="utf-8")
    _git(work, "add", "graph")
    _git(work, "commit", "-q", "-m", "note")
    for name in ("my-graph", "path/to/my-graph", "old-graph", "new-graph"):
        shutil.copytree(EXAMPLE_GRAPH, work / name)
    shutil.copytree(EXAMPLE_SEEDS, work / "my-graph" / "sources")
    toy = work / "new-graph" / "toy.yaml"
    toy.write_text(toy.read_text(encoding="utf-8").replace("study_type: animal_in_vivo", "study_type: rct", 1),
                   encoding="utf-8")
    for name in ("review.txt", "part1.txt", "part2.txt"):
        (work / name).write_text(f"{name}: ketamine blocks the NMDA receptor in mice. It raises BDNF.\n\n"
                                 "This review covers its mechanism.\n", encoding="utf-8")
    (tmp_path / "shared").mkdir()
    if SEEDS.is_dir():
        (tmp_path / "shared" / "seeds").symlink_to(SEEDS)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MECHGRAPH_GRAPH", str(work / "graph"))
    monkeypatch.setenv("BROWSER", "true")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    import mechgraph.cli.export as export_command
    monkeypatch.setattr(export_command, "default_exports_dir", lambda: work / "exports")
    return work


def _split(example: str, server=None) -> tuple[dict, list[str]]:
    words = shlex.split(example.replace("\\$", "$"))  # a shell turns \$ into $
    env = {}
    while words and _ASSIGNMENT.match(words[0]):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    assert words[0] == "mechgraph", example
    args = words[1:]
    if server is not None:
        args = [server.uri if re.match(r"^(bolt|neo4j)://", a) else a for a in args]
        env["NEO4J_PASSWORD"] = server.password  # the test server's credentials stand for the example's
    return env, args


def _needs(example: str) -> str:
    if re.search(r"(bolt|neo4j)://", example):
        return "server"
    if re.match(r"^mechgraph( --graph \S+)? serve\b", example):
        return "serve"
    return ""


def _run(example: str, server=None):
    env, args = _split(example, server)
    if args[0] == "init":
        shutil.rmtree(args[1], ignore_errors=True)
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    if result.exit_code != 0 and "no SVG-to-PNG converter" in result.output + (result.stderr or ""):
        pytest.skip(f"{example}: no PNG converter is installed here")
    assert result.exit_code == 0, f"{example}\n{result.output}"
    assert "Traceback" not in result.output


def _serve(example: str):
    env, args = _split(example)
    if "--port" not in args:
        from falkordb_server import free_port
        args += ["--port", str(free_port())]  # the default port may be taken on a shared machine
    process = subprocess.Popen([sys.executable, "-m", "mechgraph", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, **env})
    try:
        deadline, seen = time.monotonic() + 60, ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            seen += line
            if "serving" in line and "http://127.0.0.1:" in line:
                return
            if not line and process.poll() is not None:
                break
        pytest.fail(f"{example} did not start serving:\n{seen}")
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_examples_run(name, sandbox, seeds_dir):
    ran = 0
    for example in EXAMPLES[name]:
        if _needs(example):
            continue
        _run(example)
        ran += 1
    if not ran:
        pytest.skip(f"every example of {name} needs a server or serve (the slow tests run them)")


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for examples in EXAMPLES.values() for e in examples if _needs(e)])
def test_the_server_and_serve_examples_run(example, sandbox, request):
    if _needs(example) == "serve":
        _serve(example)
        return
    server = request.getfixturevalue("falkordb").server()
    _run(example, server)
