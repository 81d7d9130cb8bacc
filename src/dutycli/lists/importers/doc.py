"""Old Word and WPS files (.doc/.wps): converted to .docx by LibreOffice, within bounds.

A hostile .doc can keep LibreOffice busy for minutes. The conversion gets a
time scaled to the file's size (``seconds_for``: published lists convert in a
few seconds), and LibreOffice's processes get the same number of CPU seconds
from the kernel (RLIMIT_CPU, inherited by every process it starts). Past either,
every process of the conversion (its own session) is killed and the message
says why it stopped and what to do instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from dutycli.errors import DataError, Problem

# Seconds a conversion may take: a base (LibreOffice's own start-up), more for
# a larger file, never more than the cap. A published list's .doc (< 1 MB)
# converts in 2–5 s on an office machine.
BASE_SECONDS = 30
SECONDS_PER_MB = 10
MAX_SECONDS = 120


def seconds_for(size: int) -> int:
    """The time and CPU seconds a conversion of a file of ``size`` bytes gets."""
    return min(MAX_SECONDS, BASE_SECONDS + SECONDS_PER_MB * -(-size // (1024 * 1024)))


def _limit_cpu(seconds: int) -> None:  # pragma: no cover - runs in the child, before exec
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def _problem(path: Path, message: str) -> DataError:
    return DataError([Problem(str(path), message)])


_INSTEAD = "请在 Word 或 WPS 里打开它，“另存为”Word 文档（*.docx）后再导入"


def convert_doc(path: Path) -> bytes:
    """A .doc/.wps file as .docx bytes, converted by LibreOffice when it is installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise _problem(
            path,
            "这是旧版 Word/WPS 文件（.doc/.wps），需要先转换为 .docx："
            "在 Word 或 WPS 里打开，"
            "“另存为”Word 文档（*.docx）；或安装 LibreOffice 后运行 "
            f"soffice --headless --convert-to docx {path}，再导入生成的 .docx 文件",
        )
    size = os.stat(path).st_size
    seconds = seconds_for(size)
    with tempfile.TemporaryDirectory(prefix="duty-import-") as tmp:
        source = Path(tmp) / ("source" + (path.suffix.lower() or ".doc"))
        shutil.copyfile(path, source)
        profile = Path(tmp, "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            tmp,
            str(source),
        ]
        posix = sys.platform != "win32"
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "HOME": tmp},
                # Its own session: a timeout kills soffice.bin too, not only the launcher.
                start_new_session=posix,
                preexec_fn=(lambda: _limit_cpu(seconds)) if posix else None,
            )
        except OSError as e:
            raise _problem(path, f"无法启动 LibreOffice 转换：{e.strerror or e}") from None
        try:
            _, err = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _kill(process, posix)
            raise _problem(
                path,
                f"用 LibreOffice 转换用了 {seconds} 秒还没完成，已停止"
                f"（{size / 1048576:.1f} MB 的文件最多等 {seconds} 秒；公布的清单几秒就能转换完，"
                f"文件可能已损坏或有意构造）。{_INSTEAD}",
            ) from None
        finally:
            if process.poll() is None:  # interrupted: leave no LibreOffice behind
                _kill(process, posix)
        _kill(process, posix)  # anything it left running in its session
        if posix and process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _problem(
                path,
                f"用 LibreOffice 转换用完了 {seconds} 秒的 CPU 时间上限，已停止"
                f"（{size / 1048576:.1f} MB 的文件最多用 {seconds} 秒 CPU；"
                f"公布的清单几秒就能转换完，文件可能已损坏或有意构造）。{_INSTEAD}",
            )
        target = Path(tmp) / "source.docx"
        if process.returncode != 0 or not target.is_file():
            detail = err.decode("utf-8", "replace").strip()[:200]
            raise _problem(
                path, f"用 LibreOffice 转换为 .docx 失败{('：' + detail) if detail else ''}"
            )
        return target.read_bytes()


def _kill(process: subprocess.Popen[bytes], posix: bool) -> None:
    """Kill the conversion's session (LibreOffice starts soffice.bin under its launcher)."""
    if posix:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
