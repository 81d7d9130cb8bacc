"""``answer``: the one place where errors of a command are caught and said in one line."""

from __future__ import annotations

import os
from collections.abc import Callable

from dutycli.cli.streams import OutputFailed, echo, silence_stdout
from dutycli.errors import EXIT_CLOSED_PIPE, EXIT_ERROR, DutyError


def answer(call: Callable[[], object], passthrough: tuple[type[BaseException], ...] = ()) -> object:
    """What ``call`` returns, or the exit status of the error it raised, said in one line.

    The one place where errors of a command are caught (the Typer application
    calls every command through it). ``passthrough``: Typer's own exits and errors.
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
