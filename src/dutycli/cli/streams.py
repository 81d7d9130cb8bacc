"""Standard streams that fail plainly: closed, full or gone away.

``setup()`` replaces ``sys.stdout`` and ``sys.stderr`` once, at the start of
``main.main``. Whatever happens to them afterwards is recorded here and turned
into an exit status by ``exit_status``:

- stdout's reader went away (EPIPE): 141, as for any Unix tool killed by SIGPIPE;
- stdout cannot be written (closed, disk full, I/O error): a plain message on
  stderr and exit 2, as grep does;
- stderr cannot be written: its messages are lost, the exit status is the one
  the answer deserves.

Only ``os``, ``io`` and ``sys``: this runs on every start.
"""

from __future__ import annotations

import errno
import io
import os
import sys

_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EBADF: "标准输出已关闭",
    errno.EIO: "输入输出错误",
    errno.EFBIG: "文件过大",
}


class OutputFailed(OSError):
    """stdout could not be written, for another reason than a closed pipe."""


class _State:
    pipe_closed = False
    failure: OSError | None = None


state = _State()


class _Raw(io.RawIOBase):
    """A file descriptor whose write errors are recorded (stdout) or swallowed (stderr)."""

    def __init__(self, fd: int, closed: bool, swallow: bool) -> None:
        super().__init__()
        self._fd = fd
        self._was_closed = closed
        self._swallow = swallow

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return not self._was_closed and os.isatty(self._fd)

    def write(self, b: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        size = len(b)
        if self._was_closed:
            if self._swallow:
                return size
            state.failure = OutputFailed(errno.EBADF, _REASONS[errno.EBADF])
            raise state.failure
        try:
            return os.write(self._fd, b)
        except BrokenPipeError:
            if self._swallow:
                return size
            state.pipe_closed = True
            raise
        except OSError as e:
            if self._swallow:
                return size
            state.failure = OutputFailed(e.errno, _REASONS.get(e.errno or 0, e.strerror))
            raise state.failure from None


def _plug(fd: int) -> bool:
    """Point a closed descriptor at /dev/null, so that no file we open takes its number."""
    try:
        os.fstat(fd)
        return False
    except OSError:
        pass
    try:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
    except OSError:
        pass
    return True


def visible(text: str) -> str:
    """``text`` with its control characters shown as ``\x1b`` instead of run by the terminal.

    Newlines, tabs and colour changes (``ESC [ … m``, as Rich writes them) are
    kept; anything else (``ESC ] 0 ;`` sets the window title, ``ESC [ 2 J``
    clears the screen) comes from text, never from duty.
    """
    import re

    return re.sub(
        r"\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]",
        lambda m: m.group() if len(m.group()) > 1 else f"\\x{ord(m.group()):02x}",
        text,
    )


class _Terminal(io.TextIOWrapper):
    """A terminal's text stream: control characters from text are shown, not run."""

    def write(self, s: str) -> int:
        # isprintable() is false for every control character: the common case costs no regex.
        if not s.isprintable():
            s = visible(s)
        return super().write(s)


def _text(fd: int, closed: bool, swallow: bool, old: object) -> io.TextIOWrapper:
    raw = _Raw(fd, closed, swallow)
    tty = raw.isatty()
    # Piped output is always UTF-8; a terminal keeps its own encoding and never crashes.
    encoding = (getattr(old, "encoding", None) or "utf-8") if tty else "utf-8"
    return (_Terminal if tty else io.TextIOWrapper)(
        io.BufferedWriter(raw),  # type: ignore[type-var]
        encoding=encoding,
        errors="replace" if tty else "backslashreplace",
        line_buffering=tty,
    )


def setup() -> None:
    closed = {fd: _plug(fd) for fd in (0, 1, 2)}
    if sys.stdin is None:
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = _text(1, closed[1], False, sys.stdout)
    sys.stderr = _text(2, closed[2], True, sys.stderr)


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """A line to stdout or stderr, flushed: what ``click.echo`` does with text."""
    out = sys.stderr if err else sys.stdout
    out.write(message + "\n" if nl else message)
    out.flush()


def silence_stdout() -> None:
    """The reader went away: point stdout at /dev/null, so that the final flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def message() -> str | None:
    """What to tell the user about stdout, if it failed."""
    if state.failure is None:
        return None
    return f"duty: 无法写入标准输出：{state.failure.strerror}。"


def exit_status(status: int) -> int:
    if state.pipe_closed:
        return 141
    if state.failure is not None:
        return 2
    return status
