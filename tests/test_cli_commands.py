"""The ``syda`` group: subcommands listed from a table and imported only when they run."""

from __future__ import annotations

import doctest
import importlib
import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from sqlalchemy_syda import cli
from sqlalchemy_syda.cli import COMMANDS, LazyGroup, main

_HELP_IMPORTS = """
import json, sys
import sqlalchemy_syda
before = set(sys.modules)
from sqlalchemy_syda.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps({"package": sorted(before), "help": sorted(set(sys.modules) - before)}))
"""


def _modules_of_help() -> dict[str, list[str]]:
    """Modules a fresh interpreter holds after ``import sqlalchemy_syda``, and those ``syda --help`` adds."""
    out = subprocess.run([sys.executable, "-c", _HELP_IMPORTS], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_help_imports_no_subcommand_and_nothing_heavy():
    """Test that ``syda --help`` imports no subcommand module, and neither rich, numpy nor pandas."""
    modules = _modules_of_help()
    heavy = ("numpy", "pandas", "rich", "sqlalchemy")
    added = [m for m in modules["help"] if m.split(".")[0] in heavy or m.startswith("sqlalchemy_syda.cli.")]
    assert added == [], "syda --help imported " + ", ".join(added)
    if "numpy" not in modules["package"]:  # once `import sqlalchemy_syda` is lazy, --help stays without numpy
        assert not any(m.split(".")[0] in ("numpy", "pandas") for m in modules["package"] + modules["help"])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_line_is_the_commands_own_short_help(name):
    """Test that the one-liner ``syda --help`` shows from COMMANDS is what the command itself says."""
    module = importlib.import_module(f"sqlalchemy_syda.cli.{COMMANDS[name][0]}")
    assert isinstance(module.command, click.Command)
    assert click.Command(name, help=COMMANDS[name][1]).get_short_help_str(200) == module.command.get_short_help_str(200)


def test_help_lists_every_command_in_the_table():
    """Test that the command list of ``syda --help`` has one line per table entry, in name order."""
    output = CliRunner().invoke(main, ["--help"]).output
    listed = [line.split()[0] for line in output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)


def test_a_subcommand_is_imported_when_it_runs():
    """Test that running a subcommand loads its module, and an unknown one is a usage error."""
    result = CliRunner().invoke(main, ["plan", "--help"])
    assert result.exit_code == 0 and "--dry-run" not in result.output and "--fk-checks" in result.output
    assert "sqlalchemy_syda.cli.plan" in sys.modules
    unknown = CliRunner().invoke(main, ["nope"])
    assert unknown.exit_code == 2 and "No such command 'nope'" in unknown.output


def test_a_group_mixes_lazy_and_eager_commands():
    """Test that commands added the usual way are listed and run next to the lazy ones."""
    group = LazyGroup("g", lazy_commands={"plan": ("plan", "Print the seed plan.")})

    @group.command("hello")
    def hello() -> None:
        """Say hello."""
        click.echo("hello")

    assert group.list_commands(click.Context(group)) == ["hello", "plan"]
    result = CliRunner().invoke(group, ["--help"])
    assert "hello  Say hello." in result.output and "plan   Print the seed plan." in result.output
    assert CliRunner().invoke(group, ["hello"]).output == "hello\n"


@pytest.mark.parametrize("module", ["", ".inputs", ".output", ".llm_options"])
def test_module_docstring_examples_run(module):
    """Test that the examples in the CLI modules' docstrings hold (and that there are some)."""
    result = doctest.testmod(importlib.import_module(cli.__name__ + module))
    assert result.attempted > 0 and result.failed == 0
