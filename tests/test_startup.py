"""Start-up: Typer builds only the command the arguments name, and nothing a user sees changes."""

from __future__ import annotations

import pytest

from dutycli.cli.app import app, only_the_command

from .conftest import DATA, WITHOUT_QUICK, run_main


def names_kept(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> list[str]:
    monkeypatch.setattr(app, "registered_commands", list(app.registered_commands))
    only_the_command(argv)
    return [info.name or info.callback.__name__ for info in app.registered_commands]


@pytest.mark.parametrize(
    ("argv", "kept"),
    [
        (["search", "低保"], ["search"]),
        (["--data", "x.yaml", "--no-pager", "by-dept", "民政局"], ["by-dept"]),
        (["--data=x.yaml", "list"], ["list"]),
        (["import", "a.docx"], ["import"]),
    ],
)
def test_a_named_command_is_built_alone(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], kept: list[str]
) -> None:
    assert names_kept(monkeypatch, argv) == kept


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
def test_anything_else_keeps_every_command(
    monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    assert len(names_kept(monkeypatch, argv)) == len(app.registered_commands) > 10


def test_shell_completion_keeps_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_DUTY_COMPLETE", "complete_bash")
    assert len(names_kept(monkeypatch, ["search", "x"])) > 10


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
    """Typer as ``main`` runs it (pruned) against the same run with every command."""
    every = "import dutycli.cli.app as a; a.only_the_command = lambda argv: None; "
    pruned = run_main(argv, WITHOUT_QUICK)
    assert pruned == run_main(argv, WITHOUT_QUICK + every)
    assert pruned[1] or pruned[2]
