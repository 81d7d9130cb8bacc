"""Start-up: Typer builds only the command the arguments name, and nothing a user sees changes."""

from __future__ import annotations

import pytest

from dutycli.cli import declare
from dutycli.cli.app import app_for

from .conftest import DATA, run_main


def names_built(argv: list[str]) -> list[str]:
    return [info.name or info.callback.__name__ for info in app_for(argv).registered_commands]


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["search", "低保"], ["search"]),
        (["--data", "x.yaml", "--no-pager", "by-dept", "民政局"], ["by-dept"]),
        (["--data=x.yaml", "list"], ["list"]),
        (["import", "a.docx"], ["import"]),
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
    assert names_built(argv) == list(declare.COMMANDS)
    assert len(declare.COMMANDS) > 10


def test_shell_completion_gets_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DUTY_COMPLETE", "complete_bash")
    assert names_built(["search", "x"]) == list(declare.COMMANDS)


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
