"""Every command and every option explains itself, in Chinese."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from dutycli.cli.app import app

from .conftest import Duty

ROOT = get_command(app)
COMMANDS = sorted(ROOT.commands)  # type: ignore[attr-defined]
HAN = re.compile(r"[\u4e00-\u9fff]")
# Typer's own completion options are the only ones in English.
TYPER_OWN = {"install_completion", "show_completion", "help"}


def test_the_commands_the_issues_name_exist() -> None:
    assert set(COMMANDS) >= {
        "search",
        "by-dept",
        "by-category",
        "show",
        "list",
        "depts",
        "categories",
        "export",
        "info",
        "validate",
        "import",
    }


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_its_parameters_have_chinese_help(name: str) -> None:
    command = ROOT.commands[name]  # type: ignore[attr-defined]
    assert command.help and HAN.search(command.help), name
    for param in command.params:
        if param.name in TYPER_OWN:
            continue
        text = getattr(param, "help", None)
        assert text and HAN.search(text), f"{name} {param.name}"


def test_global_options_have_help() -> None:
    for param in ROOT.params:
        if param.name not in TYPER_OWN:
            assert param.help and HAN.search(param.help), param.name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_help_runs(duty: Duty, name: str) -> None:
    result = duty(name, "--help")
    assert result.exit_code == 0
    assert HAN.search(result.stdout)
