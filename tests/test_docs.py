"""Every command has help with an example and is documented in the README."""

import re

import pytest
from click.testing import CliRunner

from conftest import ROOT
from mechgraph.cli import cli

COMMANDS = sorted(cli.list_commands(None))
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"mechgraph {name}" in result.output or (name == "path" and "mechgraph path" in result.output)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented_in_the_readme(name):
    assert re.search(rf"`{re.escape(name)}[ `]", README), f"README does not document `{name}`"


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    assert "bash scripts/test.sh" in README


def test_every_option_of_path_is_documented():
    command = cli.get_command(None, "path")
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in README, f"{opt} of path is not in the README"


def test_the_readme_calibration_table_is_the_bundled_graphs():
    import subprocess
    import sys
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "calibration.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_readmes_first_example_is_what_path_nmdar_bdnf_prints(run):
    """The quick start shows the real answer to the headline question."""
    marker = "<!-- example:path-nmdar-bdnf -->\n```console\n$ mechgraph path NMDAR BDNF\n"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert marker in readme
    shown = readme.split(marker, 1)[1].split("```", 1)[0]
    result = run("path", "NMDAR", "BDNF")
    assert result.exit_code == 0
    assert shown == result.stdout
