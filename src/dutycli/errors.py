"""The one exception family of dutycli, the exit codes, and ``answer``: where they are caught."""

from __future__ import annotations

from typing import NamedTuple

# Like grep: 0 found, 1 nothing found, 2 usage or data error.
EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 130, 141


class Problem(NamedTuple):
    """One thing wrong with a data file, located as precisely as we know it.

    A NamedTuple rather than a dataclass: this module loads on every start,
    and defining a dataclass costs ~0.7 ms.
    """

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    item: int | str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        item = f"第 {self.item} 项：" if self.item is not None else ""
        return f"{where}: {item}{self.message}"


class DutyError(Exception):
    """Base of every error a user may see; the message is already in Chinese."""

    exit_code = 2


# Problems said at most: a damaged file of 100,000 rows must not print 100,000 lines.
MAX_SHOWN = 50


def shown(problems: list[Problem]) -> list[str]:
    """The lines that say ``problems``: the first ``MAX_SHOWN``, then how many more there are."""
    lines = [str(p) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"……另有 {len(problems) - MAX_SHOWN} 个问题未列出（共 {len(problems)} 个）")
    return lines


class DataError(DutyError):
    """A data file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(shown(problems)))


class UsageError(DutyError):
    """An argument the user gave is not what was expected."""


class LookupFailed(UsageError):
    """A department or category name that names none, or more than one."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(message)
