"""The decision log (决定记录): the office's own record of the tasks pushed down to it.

Every task a department pushes down, what ``duty check`` said of it and what
the office decided (承接 / 退回 / 申请准入 / 其他), one row a task, in one file
per subdistrict: ``决定记录-<街道>.csv`` in the log directory (``logfiles.py``).

The format is CSV (RFC 4180), UTF-8 with a byte-order mark, a header row in
Chinese (``COLUMNS``), one row a decision:

- a double click opens it in Excel or WPS with its Chinese intact (Excel reads
  a UTF-8 CSV correctly only with the BOM; a .tsv is not opened by a double
  click), and any spreadsheet, script or ``grep`` reads it;
- a decision is one appended line, so adding never rewrites what is there;
- not YAML: every ``*.yaml`` beside the lists is read as a list
  (``lists/source.py``); not SQLite: a clerk could not open or correct it.

It is the office's data, not a cache: it lives beside the lists (or, for the
list shipped with the program, in the user's data directory), never in the
store's cache directory, so deleting the store loses nothing.

Writing: every change holds an exclusive lock on a hidden lock file beside the
log (``.决定记录-<街道>.csv.lock``, never replaced, so the lock stays on one
inode). ``add`` appends one row (``O_APPEND``, one write, fsync) under the
lock; ``remove`` writes the whole file to a temporary file and renames it over
the log, under the same lock. Two clerks adding at once both land; a reader
sees the old file or the new one. The lock file also keeps the highest number
given, so that a removed entry's number is never given again.

Reading is strict and located: a row that is not a decision is reported with
its line and column, and the tools refuse to change a log with problems, so a
hand edit is never lost by a later write. Excel's own habits are accepted: a
file saved back as GB18030 (the "CSV" of Chinese Windows), and dates written
2026/12/1 or 2026年12月1日.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dutycli.errors import DataError, Problem, UsageError

BOM = "\ufeff"

COLUMNS = (
    "编号",
    "日期",
    "部门",
    "任务",
    "判定",
    "清单",
    "事项编号",
    "事项名称",
    "职责部门",
    "职责原文",
    "决定",
    "决定人",
    "备注",
)
DECISIONS = ("承接", "退回", "申请准入", "其他")
VERDICTS = ("清单内", "相近", "清单外", "已收回")
KINDS = ("", "基本", "配合", "收回")
NAMES_SEPARATOR = " | "  # item names may hold 、 themselves
IDS_SEPARATOR = ","


@dataclass(frozen=True, slots=True)
class Entry:
    """One decision of the office on one task."""

    id: int
    date: str  # ISO date, 2026-12-01
    department: str  # the department that pushed the task down (canonical name)
    task: str
    verdict: str  # 清单内 / 相近 / 清单外 / 已收回: the tool's, or the office's correction
    kind: str  # the matched item's list: 基本 / 配合 / 收回, or ""
    item_ids: tuple[int, ...]
    item_names: tuple[str, ...]
    duty_department: str  # the task asks for this department's own step (in the list), or ""
    duty_text: str  # that step, in the list's words
    decision: str  # 承接 / 退回 / 申请准入 / 其他
    by: str = ""  # who decided
    note: str = ""
    line: int = field(default=0, compare=False)  # where it was read (0: not read from a file)

    def row(self) -> list[str]:
        return [
            str(self.id),
            self.date,
            self.department,
            self.task,
            self.verdict,
            self.kind,
            IDS_SEPARATOR.join(map(str, self.item_ids)),
            NAMES_SEPARATOR.join(self.item_names),
            self.duty_department,
            self.duty_text,
            self.decision,
            self.by,
            self.note,
        ]


@dataclass(frozen=True, slots=True)
class Ledger:
    """A log as read: its entries, and every problem of its rows (empty when valid)."""

    path: Path
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    encoding: str = "UTF-8"

    def valid(self) -> tuple[Entry, ...]:
        """The entries; a DataError listing every problem if there are any."""
        if self.problems:
            raise DataError(list(self.problems))
        return self.entries


# -- reading -------------------------------------------------------------------

_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def parse_date(text: str) -> dt.date | None:
    """2026-12-01, 2026/12/1, 2026.12.1 or 2026年12月1日; None if none of these."""
    m = _DATE.fullmatch(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _decode(raw: bytes, file: str) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return raw.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    file, "不是 UTF-8 或 GB18030 编码的文本：请在 Excel 里另存为“CSV UTF-8”", line
                )
            ]
        ) from None


def read(path: Path) -> Ledger:
    """The log at ``path`` (a missing file is an empty log); problems are collected, not raised."""
    from dutycli.lists.source import read_bytes

    file = str(path)
    if not path.exists():
        return Ledger(path, (), ())
    text, encoding = _decode(read_bytes(path), file)
    return parse(text, file, path, encoding)


def parse(text: str, file: str, path: Path | None = None, encoding: str = "UTF-8") -> Ledger:
    entries: list[Entry] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    seen: dict[int, int] = {}
    header_seen = False
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            del e  # the csv module's message is English: say it in Chinese
            problems.append(
                Problem(file, "CSV 格式错误：引号不成对，或引号后紧跟了别的字符", reader.line_num)
            )
            break  # the reader cannot find the next row reliably after a broken quote
        if not any(cell.strip() for cell in row):
            continue
        if not header_seen:
            header_seen = True
            if tuple(c.strip() for c in row) != COLUMNS:
                problems.append(Problem(file, f"第一行应为表头：{','.join(COLUMNS)}", start, None))
                break
            continue
        entry, found = _entry(row, file, start)
        problems += found
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(
                Problem(file, f"编号 {entry.id} 与第 {seen[entry.id]} 行重复", start, 1)
            )
            continue
        seen[entry.id] = start
        entries.append(entry)
    return Ledger(path or Path(file), tuple(entries), tuple(problems), encoding)


def _entry(row: list[str], file: str, line: int) -> tuple[Entry | None, list[Problem]]:
    """One row as an entry, or the problems that keep it from being one (column by column)."""
    if len(row) != len(COLUMNS):
        return None, [Problem(file, f"应有 {len(COLUMNS)} 列，这一行有 {len(row)} 列", line)]
    cells = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(file, f"{column}：{message}", line, COLUMNS.index(column) + 1))

    number = cells["编号"]
    if not (number.isascii() and number.isdigit() and int(number) > 0):
        bad("编号", f"应为正整数，而不是“{number}”")
    date = parse_date(cells["日期"])
    if date is None:
        bad("日期", f"应为日期（如 2026-12-01），而不是“{cells['日期']}”")
    for column in ("部门", "任务"):
        if not cells[column]:
            bad(column, "不能为空")
    if cells["判定"] not in VERDICTS:
        bad("判定", f"应为 {'、'.join(VERDICTS)} 之一，而不是“{cells['判定']}”")
    if cells["清单"] not in KINDS:
        bad("清单", f"应为空或 {'、'.join(KINDS[1:])} 之一，而不是“{cells['清单']}”")
    if cells["决定"] not in DECISIONS:
        bad("决定", f"应为 {'、'.join(DECISIONS)} 之一，而不是“{cells['决定']}”")
    ids_text = cells["事项编号"]
    parts = [p.strip() for p in re.split(r"[,，、]", ids_text)] if ids_text else []
    if not all(p.isascii() and p.isdigit() for p in parts):
        bad("事项编号", f"应为事项编号（多个用逗号分隔），而不是“{ids_text}”")
        parts = []
    names = (
        tuple(n.strip() for n in cells["事项名称"].split(NAMES_SEPARATOR.strip()))
        if cells["事项名称"]
        else ()
    )
    if parts and len(parts) != len(names):
        bad("事项名称", f"有 {len(parts)} 个事项编号，却有 {len(names)} 个事项名称（用 | 分隔）")
    if cells["判定"] in ("清单内", "已收回") and len(parts) != 1:
        bad("事项编号", f"判定为{cells['判定']}时应恰有一个事项编号")
    if problems or date is None:
        return None, problems
    entry = Entry(
        int(number),
        date.isoformat(),
        cells["部门"],
        cells["任务"],
        cells["判定"],
        cells["清单"],
        tuple(int(p) for p in parts),
        names,
        cells["职责部门"],
        cells["职责原文"],
        cells["决定"],
        cells["决定人"],
        cells["备注"],
        line,
    )
    return entry, []


def validate(path: Path) -> list[Problem]:
    """Every problem of a log file (empty: valid)."""
    try:
        ledger = read(path)
    except DataError as e:
        return list(e.problems)
    return list(ledger.problems)


# -- writing -------------------------------------------------------------------


def _csv_text(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # Excel's own line ends
    for row in rows:
        writer.writerow([_one_line(cell) for cell in row])
    return out.getvalue()


def _one_line(text: str) -> str:
    """A cell on one line: a line break inside a task is kept as a space (Excel shows both)."""
    return " ".join(text.split("\n")).replace("\r", " ") if "\n" in text or "\r" in text else text


@contextlib.contextmanager
def locked(path: Path) -> Iterator[int]:
    """An exclusive lock on the log ``path`` (on its lock file), held for the block.

    Yields the lock file's descriptor: the file also holds the highest number
    ever given (``_last_number``), so that a removed entry's number is not reused.
    """
    lock = path.with_name(f".{path.name}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise UsageError(f"无法写入决定记录 {path}：{e.strerror or e}") from None
    try:
        _lock(fd)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def _last_number(fd: int) -> int:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 32).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else 0


def _keep_number(fd: int, number: int) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    _write_all(fd, f"{number}\n".encode("ascii"))


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only

    def _lock(fd: int) -> None:
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue

else:

    def _lock(fd: int) -> None:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def add(path: Path, entry: Entry) -> Entry:
    """Append ``entry`` to the log with the next free number; the entry as written.

    A log with problems is not touched (DataError listing them); one saved by
    Excel as GB18030 is first written back as UTF-8, whole, atomically.
    """
    with locked(path) as lock:
        ledger = read(path)
        entries = ledger.valid()
        last = max([_last_number(lock), *(e.id for e in entries)])
        written = replace(entry, id=last + 1, line=0)
        if ledger.encoding != "UTF-8":
            _rewrite(path, [*entries, written])
            _keep_number(lock, written.id)
            return written
        data = _csv_text([written.row()])
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as e:
            raise UsageError(f"无法写入决定记录 {path}：{e.strerror or e}") from None
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                data = BOM + _csv_text([COLUMNS]) + data
            elif not _ends_with_newline(path, size):
                data = "\r\n" + data  # a hand edit left the last line open
            _write_all(fd, data.encode("utf-8"))
            os.fsync(fd)
            _keep_number(lock, written.id)
        except OSError as e:
            raise UsageError(f"无法写入决定记录 {path}：{e.strerror or e}") from None
        finally:
            os.close(fd)
    return written


def _ends_with_newline(path: Path, size: int) -> bool:
    with open(path, "rb") as f:
        f.seek(size - 1)
        return f.read(1) == b"\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def remove(path: Path, ids: Sequence[int]) -> list[Entry]:
    """Take the entries numbered ``ids`` out of the log (atomically); the entries taken out."""
    with locked(path) as lock:
        entries = read(path).valid()
        wanted = set(ids)
        missing = sorted(wanted - {e.id for e in entries})
        if missing:
            raise UsageError(
                f"决定记录 {path} 里没有编号 {'、'.join(map(str, missing))}：用 duty log 查看编号"
            )
        _keep_number(lock, max([_last_number(lock), *(e.id for e in entries)]))
        _rewrite(path, [e for e in entries if e.id not in wanted])
        return [e for e in entries if e.id in wanted]


def _rewrite(path: Path, entries: Sequence[Entry]) -> None:
    from dutycli.lists.source import replace_file

    data = (BOM + _csv_text([COLUMNS, *(e.row() for e in entries)])).encode("utf-8")
    try:
        replace_file(path, data)
    except OSError as e:
        raise UsageError(f"无法写入决定记录 {path}：{e.strerror or e}") from None
