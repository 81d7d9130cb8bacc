"""Run ``duty`` as a real process under resource limits, and measure that process alone.

The hostile suites bound what a run may use by the kernel, not by a stopwatch:
``RLIMIT_AS`` (address space) makes an allocation past the bound fail inside
``duty``, and ``RLIMIT_CPU`` stops a run that computes too long with SIGXCPU
(a signal is not an exit status a case accepts, so the case fails). CPU
seconds do not depend on how busy the machine is, as wall-clock time does.

Peak memory is the ``ru_maxrss`` of ``duty``'s own process. ``duty`` is
started by a small launcher, not forked from pytest: Linux carries the
peak of the address space a process had before ``exec`` into its
``ru_maxrss``, so a process forked from pytest reports pytest's size.
The launcher sets the limits, starts ``duty`` with ``posix_spawn``, waits
for it with ``wait4`` and writes its usage to a file.

A run that blocks without using CPU (on a FIFO, say) is stopped after
``HANG_SECONDS``: a guard that the suite ends, not a measure of speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

# Bounds of one run: the issue's "no input makes duty use more than ~500 MB or
# run past ~10 s" on a quiet machine; CPU seconds are counted by the kernel.
CPU_SECONDS = 20
ADDRESS_SPACE_MB = 1536  # virtual: libraries and arenas reserve more than they touch
RESIDENT_MB = 500
HANG_SECONDS = 300

_LAUNCHER = r"""
import json, os, resource, signal, sys
report, cpu, space = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
resource.setrlimit(resource.RLIMIT_AS, (space, space))
for fd in json.loads(sys.argv[4]):
    os.close(fd)
pid = os.posix_spawn(sys.executable, [sys.executable, *sys.argv[5:]], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    json.dump({"maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
               "status": status}, out)
if os.WIFSIGNALED(status):
    os._exit(128 + os.WTERMSIG(status))
os._exit(os.WEXITSTATUS(status))
"""


class Run(NamedTuple):
    code: int  # the exit status; 128 + N when a signal N ended it (SIGXCPU: 152)
    stdout: str
    stderr: str
    cpu_seconds: float
    megabytes: float  # peak resident memory of duty's own process


def run_bounded(
    args: list[str | bytes],
    stdin: bytes | Path = b"",
    env: dict[str, str] | None = None,
    stdout: str = "file",  # file | closed | full | closed-pipe
    stderr: str = "file",  # file | closed | full
    cache: Path | None = None,
    cpu: int = CPU_SECONDS,
    address_space_mb: int = ADDRESS_SPACE_MB,
) -> Run:
    """``python -m dutycli ARGS`` under the limits; its output, status and usage."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path, in_path = (Path(tmp) / n for n in ("out", "err", "in"))
        report = Path(tmp) / "usage.json"
        if isinstance(stdin, Path):
            in_path = stdin
        else:
            in_path.write_bytes(stdin)
        environment = {
            k: v for k, v in os.environ.items() if k not in ("DUTY_DATA", "COLUMNS", "DUTY_DEBUG")
        }
        environment.update({"XDG_CACHE_HOME": str(cache or Path(tmp) / "cache"), "NO_COLOR": "1"})
        environment.update(env or {})
        closers: list[int] = []

        def target(kind: str, path: Path) -> int:
            if kind == "full":
                fd = os.open("/dev/full", os.O_WRONLY)
            elif kind == "closed-pipe":
                read, fd = os.pipe()
                os.close(read)  # the reader is gone before duty writes a byte
            else:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT)
            closers.append(fd)
            return fd

        out_fd, err_fd = target(stdout, out_path), target(stderr, err_path)
        to_close = [n for n, kind in ((1, stdout), (2, stderr)) if kind == "closed"]
        launcher = [
            sys.executable,
            "-c",
            _LAUNCHER,
            str(report),
            str(cpu),
            str(address_space_mb * 1024 * 1024),
            json.dumps(to_close),
            "-m",
            "dutycli",
        ]
        with open(in_path, "rb") as stdin_file:
            process = subprocess.Popen(
                [*launcher, *args],
                stdin=stdin_file,
                stdout=out_fd,
                stderr=err_fd,
                env=environment,
            )
            try:
                code = process.wait(timeout=HANG_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(f"duty hung: no answer in {HANG_SECONDS} s") from None
        for fd in closers:
            os.close(fd)
        usage = json.loads(report.read_text()) if report.exists() else {}

        def text(p: Path) -> str:
            return p.read_text(encoding="utf-8", errors="replace") if p.exists() else ""

        return Run(
            code,
            text(out_path),
            text(err_path),
            float(usage.get("cpu", 0.0)),
            usage.get("maxrss_kb", 0) / 1024,
        )


def assert_sound(run: Run, codes: set[int]) -> None:
    """What every hostile run must keep: an answer, not a crash, within the bounds."""
    everything = run.stdout + run.stderr
    assert "Traceback" not in everything, run.stderr[-3000:]
    assert "内部错误" not in everything, run.stderr[-3000:]
    assert run.code != 128 + 24, f"stopped by RLIMIT_CPU after {run.cpu_seconds:.1f} s of CPU"
    assert run.code in {0, 1, 2, 141}, run._replace(stdout=run.stdout[:2000])
    assert run.code in codes, run._replace(stdout=run.stdout[:2000], stderr=run.stderr[:3000])
    assert run.megabytes <= RESIDENT_MB, f"{run.megabytes:.0f} MB"
