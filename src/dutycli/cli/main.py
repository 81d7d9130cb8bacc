"""The entry point: ``duty`` as installed.

Arguments are checked for bytes that are not UTF-8, the standard streams made
to fail plainly, and then the arguments go to the Typer application in ``app``.
"""

from __future__ import annotations

import contextlib
import os
import sys

from dutycli.cli import streams
from dutycli.errors import EXIT_ERROR


def _undecodable_argument() -> str | None:
    """Arguments (and $DUTY_DATA) as UTF-8; a message for the first whose bytes are not.

    Under a C or POSIX locale Python decodes arguments as ASCII: their UTF-8
    bytes are recovered here. Bytes that are not UTF-8 (a GBK terminal, a GBK
    file name) are refused with the bytes shown escaped.
    """
    values = [(n, arg) for n, arg in enumerate(sys.argv) if n]
    env = os.environ.get("DUTY_DATA")
    if env is not None:
        values.append((-1, env))
    for n, value in values:
        try:
            value.encode("utf-8")
            continue
        except UnicodeEncodeError:
            raw = os.fsencode(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            shown = raw.decode("utf-8", "backslashreplace")
            return (
                f"duty: 参数“{shown}”含有不是 UTF-8 编码的字节（常见于 GBK 终端或 GBK 文件名）。"
                "请把终端设为 UTF-8，或把文件改为 UTF-8 名称后再试。"
            )
        if n > 0:  # $DUTY_DATA is a path only: it opens as it is
            sys.argv[n] = text
    return None


def _utf8_mode() -> None:
    """Run again in Python's UTF-8 mode where file names would be read as ASCII.

    Under a C or POSIX locale with PYTHONUTF8=0, Python takes every argument and
    file name for ASCII: a Chinese file name could not even be opened. One more
    start in that rare setting, instead of a tool that cannot read 低保.yaml.
    """
    if sys.getfilesystemencoding().lower().replace("-", "") == "utf8":
        return
    if os.environ.get("DUTY_UTF8_MODE"):
        return
    os.environ["DUTY_UTF8_MODE"] = "1"
    argv: list[bytes] = [os.fsencode(a) for a in (sys.executable, "-X", "utf8", "-m", "dutycli")]
    argv += [os.fsencode(arg) for arg in sys.argv[1:]]
    with contextlib.suppress(OSError):
        os.execv(sys.executable, argv)


def main() -> None:
    _utf8_mode()
    streams.setup()
    bad = _undecodable_argument()
    if bad:
        sys.stderr.write(bad + "\n")
        _exit_now(EXIT_ERROR)
    code: object = 0
    try:
        from dutycli.cli.app import app_for

        app_for(sys.argv[1:])()
    except SystemExit as e:
        code = e.code
    except streams.OutputFailed:
        code = EXIT_ERROR
    _exit_now(code)


def _exit_now(code: object) -> None:
    """Flush and leave without the interpreter's teardown.

    Freeing every module at exit takes ~10 ms, a seventh of a whole query;
    nothing of ours needs it: every file we write is closed when written.
    """
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
        code = 1
    status = code if isinstance(code, int) else 0 if code is None else 1
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    status = streams.exit_status(status)
    said = streams.message()
    if said:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(said + "\n")
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)
