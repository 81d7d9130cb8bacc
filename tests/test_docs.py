"""Every command is documented, in the manual and in its ``--help`` (as in sqlite-utils).

The commands and their options are read from the application itself, so a new
command, subcommand or option fails here until the user documents
(docs/MANUAL.md, and docs/OFFICE.md for the office's commands) name it and its
``--help`` says what it does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from typer.main import get_command

from dutycli.cli.app import app

from .conftest import REPO, Duty

DOCS = ("MANUAL.md", "OFFICE.md")
TEXT = "\n".join((REPO / "docs" / name).read_text(encoding="utf-8") for name in DOCS)
ROOT = get_command(app)
# The group's options that may stand between ``duty`` and the command's name.
GROUP_VALUE_OPTIONS = {"--data", "-s", "--street", "--kind"}
# Typer's own: the same for every program, said by Typer.
TYPER_OWN = {"--help", "--install-completion", "--show-completion"}


def _commands(
    group: object, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], object]]:
    for name, command in sorted(getattr(group, "commands", {}).items()):
        yield (*path, name), command
        yield from _commands(command, (*path, name))


COMMANDS = dict(_commands(ROOT))


def _long_options(command: object) -> list[str]:
    return [
        opt
        for param in getattr(command, "params", [])
        for opt in param.opts
        if opt.startswith("--") and opt not in TYPER_OWN
    ]


def documented_commands(text: str) -> set[tuple[str, ...]]:
    """Every command a ``duty …`` line of the documents runs: ``log`` and ``log add`` for one."""
    found: set[tuple[str, ...]] = set()
    for line in re.findall(r"\bduty((?: +[^\s`|]+)+)", text):
        words = line.split()
        i = 0
        while i < len(words) and words[i].startswith("-"):
            i += 2 if words[i] in GROUP_VALUE_OPTIONS else 1
        path: tuple[str, ...] = ()
        for word in words[i:]:
            if word.startswith("-"):
                break
            path = (*path, word)
            found.add(path)
    return found


def test_the_reader_finds_commands_after_the_groups_options() -> None:
    text = (
        "运行 `duty --data 清单 -s 青山路 log add 任务 --from 民政局` 或 duty --no-pager show 17。"
    )
    assert documented_commands(text) >= {("log",), ("log", "add"), ("show",)}
    assert ("清单",) not in documented_commands(text)


def test_every_command_is_in_the_manual() -> None:
    assert len(COMMANDS) > 15
    missing = [" ".join(path) for path in COMMANDS if path not in documented_commands(TEXT)]
    assert missing == [], f"not in docs/{' or docs/'.join(DOCS)}: {missing}"


def test_every_option_is_in_the_manual() -> None:
    missing = [
        f"duty {' '.join(path)} {opt}"
        for path, command in COMMANDS.items()
        for opt in _long_options(command)
        if not re.search(rf"{re.escape(opt)}(?![\w-])", TEXT)
    ]
    missing += [
        f"duty {opt}"
        for opt in _long_options(ROOT)
        if not re.search(rf"{re.escape(opt)}(?![\w-])", TEXT)
    ]
    assert missing == []


@pytest.mark.parametrize("path", list(COMMANDS), ids=" ".join)
def test_every_command_says_in_its_help_what_each_option_does(
    duty: Duty, path: tuple[str, ...]
) -> None:
    result = duty(*path, "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"用法：duty {' '.join(path)}")
    command = COMMANDS[path]
    assert re.search(r"[\u4e00-\u9fff]", getattr(command, "help", "") or ""), path
    lines = result.stdout.splitlines()
    for opt in _long_options(command):
        # The option's own line in the help, and a Chinese explanation on it.
        own = re.compile(rf"^ +(?:-\w, )?{re.escape(opt)}(?![\w-])")
        [k] = [k for k, line in enumerate(lines) if own.match(line)]
        said = [lines[k]]  # and the lines its explanation goes on to (under a long option)
        for line in lines[k + 1 :]:
            if not line.startswith("    ") or line.lstrip().startswith("-"):
                break
            said.append(line)
        assert re.search(r"[\u4e00-\u9fff]", "".join(said)), (path, opt, said)
