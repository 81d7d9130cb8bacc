"""The one exception family of dutycli, the exit codes, and ``answer``: where they are caught."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import NamedTuple

from dutycli.streams import OutputFailed, echo, silence_stdout

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


class DataError(DutyError):
    """A data file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(DutyError):
    """An argument the user gave is not what was expected."""


class LookupFailed(UsageError):
    """A department or category name that names none, or more than one."""

    def __init__(self, message: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(message)


def answer(call: Callable[[], object], passthrough: tuple[type[BaseException], ...] = ()) -> object:
    """What ``call`` returns, or the exit status of the error it raised, said in one line.

    The one place where errors are caught, for both ways in (``quick`` and the
    Typer application). ``passthrough``: the CLI library's own exits and errors.
    """
    passing: tuple[type[BaseException], ...] = (OutputFailed, *passthrough)
    try:
        return call()
    except DutyError as e:
        echo(f"duty: {e}", err=True)
        return e.exit_code
    except BrokenPipeError:
        silence_stdout()
        return EXIT_CLOSED_PIPE
    except passing:
        raise  # stdout failed: main says so; the CLI library's own: it answers
    except Exception as e:
        # A bug of ours: say so in one line instead of a traceback.
        if os.environ.get("DUTY_DEBUG"):
            raise
        echo(f"duty: 内部错误（{type(e).__name__}: {e}）。设置 DUTY_DEBUG=1 可看到详情。", err=True)
        return EXIT_ERROR
