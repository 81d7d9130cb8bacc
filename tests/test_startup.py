"""Start-up: Typer builds only the command the arguments name, and nothing a user sees changes."""

from __future__ import annotations

import pytest

from dutycli.cli import declare
from dutycli.cli.app import app_for

from .conftest import DATA, run_main


def names_built(argv: list[str]) -> list[str]:
    built = app_for(argv)
    names = [info.name or info.callback.__name__ for info in built.registered_commands]
    for group in built.registered_groups:  # a command with subcommands: "log", "log add", …
        sub = group.typer_instance
        names += [str(group.name)] if sub.registered_callback else []
        names += [f"{group.name} {info.name}" for info in sub.registered_commands]
    return names


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["search", "低保"], ["search"]),
        (["--data", "x.yaml", "--no-pager", "by-dept", "民政局"], ["by-dept"]),
        (["--data=x.yaml", "list"], ["list"]),
        (["import", "a.docx"], ["import"]),
        (["log", "add", "x"], ["log", "log add", "log tally", "log remove"]),
    ],
)
def test_a_named_command_is_built_alone(argv: list[str], kept: list[str]) -> None:
    assert names_built(argv) == kept


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["-h", "search"],
        ["--version", "search"],
        ["--show-completion", "search"],
        ["serach", "低保"],
        ["--data"],
        ["--", "search"],
    ],
)
def test_anything_else_gets_every_command(argv: list[str]) -> None:
    assert sorted(names_built(argv)) == sorted(declare.COMMANDS)
    assert len(declare.COMMANDS) > 10


def test_shell_completion_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DUTY_COMPLETE", "complete_bash")
    assert sorted(names_built(["search", "x"])) == sorted(declare.COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "--help"],
        ["--help", "search"],
        ["--data", str(DATA), "show", "17"],
        ["serach", "低保"],
        ["--no-pager", "by-dept", "民政局", "--limit", "2"],
        ["search"],
        ["show", "17", "--limit", "3"],
        ["check", "--format", "nonsense", "督促物业公司"],
    ],
)
def test_a_real_run_says_what_the_full_group_says(argv: list[str]) -> None:
    """Typer as ``main`` runs it (one command built) against the same run with every command."""
    every = "import dutycli.cli.app as a; a._named_command = lambda argv: None; "
    built_alone = run_main(argv)
    assert built_alone == run_main(argv, every)
    assert built_alone[1] or built_alone[2]


def test_the_table_of_modules_says_where_each_command_is_declared() -> None:
    from dutycli.cli import commands

    every = commands.declared()
    assert {name.partition(" ")[0]: fn.__module__ for name, fn in every.items()} == (
        commands.DECLARED_IN
    )
    assert set(commands.DECLARED_IN.values()) == set(commands.MODULES)


def test_a_named_command_imports_only_its_own_module() -> None:
    """``duty search`` imports neither the modules of the other commands nor what they import."""
    from dutycli.cli import commands

    probe = (
        "import os, sys; _exit = os._exit; "
        "os._exit = lambda code: (os.write(2, ' '.join(sys.modules).encode()), _exit(code)); "
    )
    code, out, err = run_main(["--data", str(DATA), "search", "低保"], probe)
    assert code == 0, err
    assert "低保" in out
    imported = set(err.split())
    assert "dutycli.cli.query_commands" in imported
    assert not imported & (set(commands.MODULES) - {"dutycli.cli.query_commands"})
    # Nor what only help, a usage error or a query naming an item by number needs.
    assert not imported & {
        "dutycli.cli.usage",
        "dutycli.render.cells",
        "unicodedata",
        "dutycli.query.resolve",
    }
