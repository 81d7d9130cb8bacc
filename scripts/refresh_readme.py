"""Write the real output of every ``$ duty …`` example into README.md and docs/MANUAL.md.

tests/test_readme.py runs each example again and compares; after a change that
alters output on purpose, run this (from the checkout, with dutycli installed)
and read the diff before committing it:

    python scripts/refresh_readme.py && git diff README.md docs/MANUAL.md
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from dutycli.cli.app import app

REPO = Path(__file__).resolve().parent.parent
# The documents whose ```console examples are real output.
DOCUMENTS = [REPO / "README.md", REPO / "docs" / "MANUAL.md"]
# The same terminal as tests/conftest.py, at the documents' 80 columns.
TERMINAL = {"NO_COLOR": "1", "COLUMNS": "80", "LINES": "50", "TERM": "dumb"}


def run(command: str) -> str:
    command, _, head = command.partition(" | head -")
    result = CliRunner().invoke(app, shlex.split(command), env=TERMINAL, color=False)
    output = (result.stdout + result.stderr).strip("\n")
    if head:
        output = "\n".join(output.splitlines()[: int(head)])
    return output


def refresh(text: str) -> str:
    def block(m: re.Match[str]) -> str:
        parts = re.split(r"^(\$ duty .*)$", m.group(1), flags=re.M)
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append(parts[i] + "\n" + run(parts[i][len("$ duty ") :]) + "\n")
        return "```console\n" + "".join(out) + "```"

    return re.sub(r"```console\n(.*?)```", block, text, flags=re.S)


def main() -> int:
    os.chdir(REPO)
    os.environ.pop("DUTY_DATA", None)
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()
    for document in DOCUMENTS:
        before = document.read_text(encoding="utf-8")
        after = refresh(before)
        document.write_text(after, encoding="utf-8")
        name = document.relative_to(REPO)
        print(f"{name}: " + ("updated" if after != before else "unchanged"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
