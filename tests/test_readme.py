"""The README and the manual show real output: every ``$ duty …`` example is run again and compared.

``scripts/refresh_readme.py`` writes the outputs after a change that alters them on purpose.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from pathlib import Path

import pytest

from .conftest import REPO, Duty

README_PATH = REPO / "README.md"
DOCUMENTS = [README_PATH, REPO / "docs" / "MANUAL.md"]
README = README_PATH.read_text(encoding="utf-8")


def examples() -> list[tuple[str, str, str]]:
    out = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
            parts = re.split(r"^\$ duty (.*)$", block, flags=re.M)
            for i in range(1, len(parts), 2):
                out.append((path.name, parts[i], parts[i + 1].strip("\n")))
    return out


EXAMPLES = examples()


def test_there_are_examples_for_every_command() -> None:
    shown = {
        next(w for w in shlex.split(command) if not w.startswith("-") and "/" not in w)
        for _, command, _ in EXAMPLES
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


@pytest.mark.parametrize(
    ("document", "command", "expected"), EXAMPLES, ids=[f"{d}: {c}" for d, c, _ in EXAMPLES]
)
def test_example_output_is_current(
    duty: Duty, document: str, command: str, expected: str, monkeypatch: pytest.MonkeyPatch
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


def test_the_readme_is_for_a_user_and_short() -> None:
    assert len(README.splitlines()) <= 200
    assert any(name == "README.md" for name, _, _ in EXAMPLES)
    for heading in ("## 快速开始", "## 常用命令", "## 输出格式", "## 退出码"):
        assert heading in README


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(
        ch for ch in heading.strip().lower() if ch in " -_" or unicodedata.category(ch)[0] in "LN"
    )
    return kept.replace(" ", "-")


def _links(path: Path) -> list[tuple[str, str]]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text)


@pytest.mark.parametrize(
    "path",
    [README_PATH, *sorted((REPO / "docs").glob("*.md"))],
    ids=lambda p: p.name,
)
def test_links_between_the_documents_lead_somewhere(path: Path) -> None:
    for target, anchor in _links(path):
        if target.startswith(("http://", "https://")):
            continue
        file = (path.parent / target).resolve() if target else path
        assert file.exists(), f"{path.name}: {target}"
        if anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.*)$", file.read_text(encoding="utf-8"), flags=re.M)
            assert anchor in {_anchor(h) for h in headings}, f"{path.name}: {target}#{anchor}"
