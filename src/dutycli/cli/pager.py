"""Long tables on a terminal go through a pager, as git and gh do.

The pager is ``$DUTY_PAGER``, else ``$PAGER``, else ``less``; like git, ``LESS``
defaults to ``FRX`` (quit when the text fits one screen, keep colours, leave the
text on the screen). An empty value or ``cat`` means no pager. Output that fits
the terminal is written directly, without starting one. Never used when stdout
is not a terminal (the caller checks), or with ``--no-pager``.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from typing import TextIO


class _Screen(io.StringIO):
    """Collects the rendering as a terminal would get it (Rich asks isatty for colours)."""

    def isatty(self) -> bool:
        return True


def pager_command() -> list[str] | None:
    value = os.environ.get("DUTY_PAGER", os.environ.get("PAGER", "less"))
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    if not words or words == ["cat"]:
        return None
    return words


def page(write: Callable[[TextIO], None], out: TextIO) -> None:
    screen = _Screen()
    write(screen)
    text = screen.getvalue()
    command = pager_command()
    if command is None or text.count("\n") < shutil.get_terminal_size().lines:
        out.write(text)
        return
    out.flush()
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        out.write(text)
        return
    assert process.stdin is not None
    try:
        process.stdin.write(text.encode(getattr(out, "encoding", None) or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the reader quit the pager early: that is the answer, not an error
    try:
        process.wait()
    except KeyboardInterrupt:
        process.wait()
