"""docs/curating.md runs as written: every file it shows is written, every edit made,
every command run in order, and each command's output is what the page shows."""

from __future__ import annotations

import re
import shlex
import shutil

from click.testing import CliRunner

from conftest import DATA, ROOT
from mechgraph.cli import cli

TUTORIAL = ROOT / "docs" / "curating.md"
_FILE = re.compile(r"^<!-- file: (\S+) -->$")
_REPLACE = re.compile(r"^<!-- replace in (\S+): (.+?) => (.+?) -->$")


def steps(text: str) -> list[tuple]:
    """The page as steps: ("file", path, text), ("replace", path, old, new) and
    ("run", command, shown output or None), in page order."""
    found, pending, lines = [], None, text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if match := _FILE.match(line):
            pending = match[1]
        elif match := _REPLACE.match(line):
            found.append(("replace", match[1], match[2], match[3]))
        elif line.startswith("```"):
            language = line[3:].strip()
            end = lines.index("```", index + 1)
            block = lines[index + 1:end]
            if language == "yaml" and pending:
                found.append(("file", pending, "\n".join(block) + "\n"))
            elif language == "console":
                found += _commands(block)
            pending = None
            index = end
        index += 1
    return found


def _commands(block: list[str]) -> list[tuple]:
    out = []
    for line in block:
        if line.startswith("$ "):
            out.append(["run", line[2:], []])
        elif out:
            out[-1][2].append(line)
    return [("run", command, "\n".join(shown) if shown else None) for _, command, shown in out]


def run_step(step: tuple, root) -> str | None:
    """Carry out one step in ``root``; for a command, return what it printed."""
    if step[0] == "file":
        (root / step[1]).write_text(step[2], encoding="utf-8")
        return None
    if step[0] == "replace":
        path = root / step[1]
        text = path.read_text(encoding="utf-8")
        assert text.count(step[2]) == 1, f"{step[1]} does not hold {step[2]!r} once"
        path.write_text(text.replace(step[2], step[3]), encoding="utf-8")
        return None
    words = shlex.split(step[1])
    if words[:2] == ["cp", "-r"]:
        shutil.copytree(root / words[2], root / words[3])
        return None
    assert words[0] == "mechgraph", f"the tutorial runs only mechgraph and cp -r: {step[1]}"
    result = CliRunner().invoke(cli, words[1:], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.output.rstrip("\n")


def test_every_command_of_the_tutorial_runs_as_shown(tmp_path, monkeypatch):
    (tmp_path / "tests" / "data").mkdir(parents=True)
    shutil.copytree(DATA / "tutorial", tmp_path / "tests" / "data" / "tutorial")
    monkeypatch.chdir(tmp_path)
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    commands = [s for s in found if s[0] == "run"]
    assert len(commands) >= 10 and any(s[0] == "file" for s in found)
    for step in found:
        printed = run_step(step, tmp_path)
        if step[0] == "run" and step[2] is not None:
            assert printed == step[2], f"$ {step[1]}"


def test_the_tutorial_covers_every_sentence_and_curation_command():
    found = steps(TUTORIAL.read_text(encoding="utf-8"))
    ran = " ".join(s[1] for s in found if s[0] == "run")
    for command in ("init", "validate", "coverage", "locate", "path", "explain", "conflicts", "diff"):
        assert f"mechgraph {command} " in ran or f" {command} " in ran, command
    assert "11/11 substantive sentences cited (100.0%)" in TUTORIAL.read_text(encoding="utf-8")
