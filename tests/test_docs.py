"""Every command has help with an example, is documented on the docs site and has an
example in the README; the README stays a short front page."""

import re

import pytest
from click.testing import CliRunner

from conftest import ROOT
from mechgraph.cli import cli

COMMANDS = sorted(cli.list_commands(None))
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
COMMANDS_PAGE = (DOCS / "commands.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"mechgraph {name}" in result.output or (name == "path" and "mechgraph path" in result.output)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_on_the_commands_page(name):
    assert re.search(rf"`{re.escape(name)}[ `]", COMMANDS_PAGE), f"docs/commands.md does not document `{name}`"


@pytest.mark.parametrize("name", COMMANDS)
def test_the_readme_has_an_example_of_every_command(name):
    assert re.search(rf"^\| `{re.escape(name)}` \| `mechgraph {re.escape(name)}[ `]", README, re.M), \
        f"the README's table has no example of `{name}`"


def test_the_readme_is_a_short_front_page():
    assert len(README.splitlines()) < 300


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    assert "bash scripts/test.sh" in README


def test_every_option_of_path_is_documented():
    command = cli.get_command(None, "path")
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in COMMANDS_PAGE, f"{opt} of path is not in docs/commands.md"


def test_every_docs_page_the_readme_links_to_exists():
    for target in re.findall(r"\]\(((?:docs|graph)/[^)#]*)", README):
        assert (ROOT / target).exists(), f"the README links to {target}, which does not exist"


def test_the_evidence_pages_calibration_table_is_the_bundled_graphs():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "calibration.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("page", ["README.md", "docs/index.md"])
def test_the_first_example_is_what_path_nmdar_bdnf_prints(run, page):
    """The quick start shows the real answer to the headline question."""
    marker = "<!-- example:path-nmdar-bdnf -->\n```console\n$ mechgraph path NMDAR BDNF\n"
    text = (ROOT / page).read_text(encoding="utf-8")
    assert marker in text
    shown = text.split(marker, 1)[1].split("```", 1)[0]
    result = run("path", "NMDAR", "BDNF")
    assert result.exit_code == 0
    assert shown == result.stdout


def test_demo_says_what_it_does_and_writes_the_map_where_the_readme_says():
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    lines = [line.strip() for line in demo.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for index, line in enumerate(lines):
        if re.match(r"(python3 -m venv|quiet_pip install|\.venv/bin/mechgraph (path|render) )", line):
            assert lines[index - 1].startswith("echo "), f"demo.sh runs `{line}` without saying so first"
    assert 'cd "$(dirname "$0")/.."' in demo and "render -o mechgraph.html" in demo
    assert "writes mechgraph.html here" in README and "`mechgraph.html` at the top of the checkout" in README
