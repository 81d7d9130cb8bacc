"""Which list files to read, and reading one safely.

``--data PATH`` / ``$DUTY_DATA`` name a list file or a directory: every
``*.yaml`` below a directory is one list (a library). The shipped list is the
default. Only regular files are read, and only up to ``MAX_BYTES`` each
(``LIST_MAX_BYTES`` for a list file): a FIFO, a device such as /dev/zero or a
socket is refused before it is opened for reading, so that a mistyped path
never blocks or eats memory.

This module imports nothing of dutycli but the errors: source → load → store →
query is the one way in.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from pathlib import Path as FsPath
from typing import NamedTuple

from dutycli.errors import DataError, Problem

ENV_VAR = "DUTY_DATA"
MAX_BYTES = 64 * 1024 * 1024  # any file read whole (a published file to import, a log)
# A list file (*.yaml): published lists are well under 1 MB (the shipped one is
# 110 KB). Compiling a list costs about a second of CPU a MB on first use, so a
# list over this bound is refused by its size before a byte is read, with the
# numbers (a 50 MB list took 51 s and 669 MB before). docs/MANUAL.md says so.
LIST_MAX_BYTES = 4 * 1024 * 1024
SUFFIX = ".yaml"


class SourceFile(NamedTuple):
    """A list file and what ``stat`` says about it: the store's freshness key."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    absolute: str = ""  # the key, where list_files worked it out (abspath costs ~2 µs a file)

    @property
    def key(self) -> str:
        """The absolute path: what the store records (``path`` is as the user wrote it)."""
        return self.absolute or os.path.abspath(self.path)

    @property
    def stamp(self) -> tuple[str, int, int, int, int]:
        return (self.key, self.size, self.mtime_ns, self.ctime_ns, self.inode)

    @classmethod
    def of(cls, path: str, st: os.stat_result, absolute: str = "") -> SourceFile:
        return cls(path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, absolute)


def shipped(name: str) -> Path | None:
    """A file the package ships in data/ (the list, the thesaurus, the decided tasks):
    beside this package when installed, or data/NAME of a source checkout."""
    # The wheel puts data/ beside the package (pyproject: force-include).
    # Path(__file__) finds it as importlib.resources would for an installed
    # package, without the ~4 ms that importing importlib.resources costs.
    package = Path(__file__).resolve().parent.parent  # src/dutycli, or site-packages/dutycli
    # An editable install or a run from the source tree reads the repository's file.
    for candidate in (package / "data" / name, package.parent.parent / "data" / name):
        if candidate.is_file():
            return candidate
    return None


def default_data_path() -> Path:
    """The list shipped with the package, or data/items.yaml of a source checkout."""
    found = shipped("items.yaml")
    if found is None:
        packaged = Path(__file__).resolve().parent.parent / "data" / "items.yaml"
        raise DataError(
            [Problem(str(packaged), "找不到随程序安装的清单文件：请重新安装，或用 --data 指定")]
        )
    return found


def resolve(path: str | Path | None) -> Path:
    """--data wins, then $DUTY_DATA, then the shipped list."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return default_data_path()


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _refuse(file: str, mode: int) -> DataError:
    return DataError(
        [Problem(file, f"这是{_what(mode)}，不是清单文件：--data 应为清单文件或存放清单文件的目录")]
    )


def _too_big(file: str, size: int, limit: int = LIST_MAX_BYTES) -> DataError:
    mb = limit // (1024 * 1024)
    shown = f"{size / 1048576:.1f}".removesuffix(".0")
    if limit == LIST_MAX_BYTES:
        why = (
            f"一份清单文件最多 {mb} MB（公布的清单都在 1 MB 以内；"
            "更大的文件编译要几十秒、占用大量内存，多半不是一份清单）"
        )
    else:
        why = f"最多读 {mb} MB"
    return DataError([Problem(file, f"文件太大（{shown} MB）：{why}")])


def _stat(file: str) -> os.stat_result:
    try:
        return os.stat(file)
    except FileNotFoundError:
        raise DataError([Problem(file, "找不到这个文件")]) from None
    except OSError as e:
        raise DataError([Problem(file, f"无法读取：{e.strerror}")]) from None


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _utf8(name: str) -> bool:
    """Is a file name (as ``os`` decodes it, undecodable bytes as surrogates) UTF-8?"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class DirStamp(NamedTuple):
    """A directory of a library and what ``stat`` said of it before it was listed.

    A file added, removed or renamed in it changes its mtime and ctime; the
    store compares these to notice new files without listing every directory.
    """

    absolute: str
    mtime_ns: int
    ctime_ns: int
    inode: int


def _take(
    entry: os.DirEntry[str], prefix: str, found: list[SourceFile], problems: list[Problem]
) -> None:
    """A file of a library: a list file is found, a bad one is a problem, others are skipped."""
    name = entry.name
    if not name.endswith(SUFFIX):
        return
    est = entry.stat()
    if not stat.S_ISREG(est.st_mode):
        problems.append(_refuse(entry.path, est.st_mode).problems[0])
    elif est.st_size > LIST_MAX_BYTES:
        problems.append(_too_big(entry.path, est.st_size).problems[0])
    elif not os.access(entry.path, os.R_OK):
        # Found now, named with the library's other problems and how to leave it
        # out, rather than failing the build that would read it.
        problems.append(Problem(entry.path, "无法读取：没有读取这个文件的权限"))
    else:
        found.append(SourceFile.of(entry.path, est, prefix + name))


def list_files(target: str | Path) -> list[SourceFile]:
    """The list files ``target`` names: itself, or every *.yaml below a directory, sorted."""
    return list_tree(target)[0]


def list_tree(target: str | Path) -> tuple[list[SourceFile], list[DirStamp]]:
    """The list files ``target`` names, and every directory listed to find them (none for a file).

    A directory is stat-ed before it is listed, so that a change made while it
    is being listed leaves it looking changed the next time.
    """
    file = str(target)
    st = _stat(file)
    if stat.S_ISREG(st.st_mode):
        if st.st_size > LIST_MAX_BYTES:
            raise _too_big(file, st.st_size)
        return [SourceFile.of(file, st)], []
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(file, st.st_mode)
    found: list[SourceFile] = []
    dirs: list[DirStamp] = []
    problems: list[Problem] = []
    # Below the root, every path is the root's plus names scandir gave (never
    # "." or "..", hidden names are skipped): the absolute key is the absolute
    # root plus the same names, without an abspath a file.
    sep = os.sep

    def opened(directory: str, absolute: str) -> tuple[Iterator[os.DirEntry[str]], str] | None:
        """The sorted entries of a directory and the prefix of their keys; None if unreadable."""
        try:
            dst = os.stat(directory)
            with os.scandir(directory) as it:
                entries = sorted(it, key=_name)
        except OSError as e:
            problems.append(Problem(directory, f"无法读取目录：{e.strerror}"))
            return None
        dirs.append(DirStamp(absolute, dst.st_mtime_ns, dst.st_ctime_ns, dst.st_ino))
        return iter(entries), absolute if absolute.endswith(sep) else absolute + sep

    # Depth first, in name order, with a stack of its own: a library nested
    # 1,100 directories deep must not exhaust Python's recursion limit.
    top = opened(file, os.path.abspath(file))
    stack = [top] if top is not None else []
    while stack:
        entries, prefix = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif not _utf8(entry.name):
            shown = os.fsencode(entry.path).decode("utf-8", "backslashreplace")
            problems.append(Problem(shown, "文件名不是 UTF-8 编码：请改用 UTF-8 的文件名"))
        elif not entry.name.startswith("."):  # hidden: editors' backups, .git
            try:
                if entry.is_dir():
                    inner = opened(entry.path, prefix + entry.name)
                    stack += [inner] if inner is not None else []
                else:
                    _take(entry, prefix, found, problems)
            except OSError as e:
                problems.append(Problem(entry.path, f"无法读取：{e.strerror}"))
    if problems:
        problems.append(
            Problem(
                file,
                "目录里有上面这些读不了的文件或目录，整个目录没有载入。"
                "不要读某个文件或目录时，把它移出目录，或改名为以“.”开头（隐藏）"
                "或不以 .yaml 结尾",
            )
        )
        raise DataError(problems)
    if not found:
        raise DataError([Problem(file, f"目录里没有清单文件（*{SUFFIX}）")])
    return found, dirs


def head_text(path: str | FsPath, size: int = 65536) -> str | None:
    """The first ``size`` bytes of a regular file as text, or None (missing, special, unreadable).

    For telling a side file (a thesaurus, an abbreviation or template table) from a list by
    its first keys: a FIFO or a device is never opened for reading, and a bad byte is replaced
    (the file's own loader reports it).
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as f:
            return f.read(size).decode("utf-8-sig", errors="replace")
    except OSError:
        return None


def read_bytes(path: str | FsPath, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes; a missing, unreadable, special or huge file is a DataError.

    ``limit``: the most bytes read (``LIST_MAX_BYTES`` for a list file).
    """
    file = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DataError([Problem(file, "找不到这个文件")]) from None
    except IsADirectoryError:
        raise DataError([Problem(file, "这是一个目录，不是数据文件")]) from None
    except OSError as e:
        raise DataError([Problem(file, f"无法读取：{e.strerror}")]) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise DataError([Problem(file, "这是一个目录，不是数据文件")])
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(file, st.st_mode)
        if st.st_size > limit:
            raise _too_big(file, st.st_size, limit)
        chunks, got = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            got += len(chunk)
            if got > limit:  # grew while we read it
                raise _too_big(file, got, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as e:
        raise DataError([Problem(file, f"无法读取：{e.strerror}")]) from None
    finally:
        os.close(fd)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step: a temporary file in the same directory,
    flushed to disk, renamed over ``path``. A failure (OSError, or an interrupt)
    removes the temporary file and leaves the old ``path`` as it was."""
    directory = path.parent if str(path.parent) else Path(".")
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
