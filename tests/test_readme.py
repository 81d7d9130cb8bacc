"""The README shows real output: every ``$ duty …`` example is run again and compared."""

from __future__ import annotations

import re
import shlex

import pytest

from .conftest import REPO, Duty

README = (REPO / "README.md").read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    out = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        parts = re.split(r"^\$ duty (.*)$", block, flags=re.M)
        for i in range(1, len(parts), 2):
            out.append((parts[i], parts[i + 1].strip("\n")))
    return out


EXAMPLES = examples()


def test_there_are_examples_for_every_query_command() -> None:
    shown = {
        next(w for w in shlex.split(command) if not w.startswith("-") and "/" not in w)
        for command, _ in EXAMPLES
    }
    assert shown >= {
        "search",
        "by-dept",
        "by-category",
        "show",
        "check",
        "cite",
        "guarantees",
        "diff",
        "list",
        "depts",
        "categories",
        "export",
        "validate",
        "import",
        "info",
    }


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_example_output_is_current(
    duty: Duty, command: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # examples name data/items.yaml relative to the checkout
    command, _, head = command.partition(" | head -")
    result = duty(*shlex.split(command), env={"COLUMNS": "80"})
    assert result.exception is None
    output = result.output.strip("\n")
    if head:
        output = "\n".join(output.splitlines()[: int(head)])
    assert output == expected


def test_quick_start() -> None:
    commands = re.findall(r"```bash\n(python3 -m venv[^\n]*)\n```", README)
    assert len(commands) == 2
    install_and_search, install_and_test = commands
    assert install_and_search.endswith("duty search 低保")
    assert install_and_test.endswith("pytest") and ".[test]" in install_and_test
    # CI runs the README's test command, word for word.
    assert install_and_test in (REPO / ".ci" / "run").read_text(encoding="utf-8")
