"""What the office's commands share with ``check``: the options and the log of a subdistrict.

``checked`` is how ``check`` reads the decision log (the office's earlier
decisions on the same tasks); ``record`` is how ``check --record`` and ``duty
log add`` write to it. The commands themselves are in ``office_commands``.

No ``from __future__ import annotations``: the declarations are read as objects.
"""

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Context, Opt
from dutycli.cli.options import complete_department, state
from dutycli.cli.streams import echo
from dutycli.errors import UsageError

if TYPE_CHECKING:
    from dutycli.lists.ledger import Entry
    from dutycli.query.check import Verdict
    from dutycli.query.results import CheckResult
    from dutycli.store import Library

FromOption = Annotated[
    Optional[str],  # noqa: UP045 - read at run time, on 3.10 too
    Opt(
        "--from",
        metavar="部门",
        help="交办任务的部门：全称、简称或能唯一确定部门的一部分（与 by-dept 相同）。",
        autocompletion=complete_department,
        show_default=False,
    ),
]
DecisionOption = Annotated[
    Optional[str],  # noqa: UP045
    Opt(
        "--decision",
        metavar="承接|退回|申请准入|其他",
        help="办公室的决定。",
        show_default=False,
    ),
]
ByOption = Annotated[str, Opt("--by", metavar="姓名", help="谁作的决定。", show_default=False)]
NoteOption = Annotated[str, Opt("--note", metavar="TEXT", help="备注。", show_default=False)]
DateOption = Annotated[
    Optional[str],  # noqa: UP045
    Opt("--date", metavar="YYYY-MM-DD", help="日期，默认今天。", show_default=False),
]
VerdictOption = Annotated[
    Optional[str],  # noqa: UP045
    Opt(
        "--verdict",
        metavar="清单内|相近|清单外|已收回",
        help="办公室核定的判定（不给时记工具的判定）；清单内须同时用 --item 指定事项。",
        show_default=False,
    ),
]
ItemOption = Annotated[
    Optional[int],  # noqa: UP045
    Opt("--item", metavar="N", help="办公室核定的事项编号（清单内或已收回）。", show_default=False),
]


def today(text: str | None) -> dt.date:
    from dutycli.query.tally import date_option

    return date_option(text, "--date") or dt.date.today()


def log_file(ctx: Context, lib: "Library") -> Path:
    """The log of the selected subdistrict, beside the lists (lists/ledger.py)."""
    from dutycli.lists.logfiles import log_directory, log_path
    from dutycli.lists.source import resolve, shipped

    directory = log_directory(resolve(state(ctx).data), shipped("items.yaml"))
    return log_path(directory, lib.one_subdistrict())


def checked(
    ctx: Context, lib: "Library", verdicts: "list[Verdict]", explain: bool = False
) -> "CheckResult":
    """``check``'s verdicts, settled by the office's earlier decisions on the same tasks.

    A log with problems is reported and left out (the check itself still answers).
    Without a log, this costs a ``stat``: the log's code is not loaded.
    """
    from dutycli.query.results import CheckResult

    path = log_file(ctx, lib)
    if not path.is_file():
        return CheckResult(verdicts, explain=explain)
    from dutycli.errors import DataError
    from dutycli.lists import ledger
    from dutycli.query.decisions import teach

    try:
        entries = ledger.read(path).valid()
    except DataError as e:
        echo(f"duty: 决定记录 {path} 有问题，本次核对没有参考它：", err=True)
        for problem in e.problems:
            echo(f"  {problem}", err=True)
        return CheckResult(verdicts, explain=explain)
    if not entries:
        return CheckResult(verdicts, explain=explain)
    settled, earlier = teach(lib, verdicts, entries)
    return CheckResult(settled, tuple(earlier), explain)


def _ask_decision() -> str:
    from dutycli.lists.ledger import DECISIONS

    choices = " / ".join(f"{n} {d}" for n, d in enumerate(DECISIONS, start=1))
    echo(f"决定（{choices}）：", err=True, nl=False)
    answer = sys.stdin.readline().strip()
    if answer.isdigit() and 1 <= int(answer) <= len(DECISIONS):
        return DECISIONS[int(answer) - 1]
    if answer in DECISIONS:
        return answer
    raise UsageError(f"没有记录：决定应为 {'、'.join(DECISIONS)} 之一（或其编号）")


def _interactive_input() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def record_options(department: str | None, decision: str | None, can_ask: bool) -> None:
    """What recording a decision needs: the department, and a decision (or a terminal to ask)."""
    from dutycli.lists.ledger import DECISIONS

    if department is None:
        raise UsageError("记录决定须用 --from 给出交办任务的部门")
    if decision is None and not (can_ask and _interactive_input()):
        raise UsageError("记录决定须用 --decision 给出决定：承接、退回、申请准入或其他")
    if decision is not None and decision not in DECISIONS:
        raise UsageError(f"--decision 应为 {'、'.join(DECISIONS)} 之一，而不是“{decision}”")


def record(
    ctx: Context,
    lib: "Library",
    verdicts: "list[Verdict]",
    department: str | None,
    decision: str | None,
    by: str = "",
    note: str = "",
    date: str | None = None,
    can_ask: bool = True,
) -> "list[Entry]":
    """Record checked tasks in the subdistrict's log (``check --record``, ``log add``)."""
    from dutycli.lists import ledger
    from dutycli.query.check import OFF_LIST
    from dutycli.query.decisions import entry_for, item_name
    from dutycli.query.resolve import department as resolve_department

    record_options(department, decision, can_ask)
    assert department is not None
    dept = resolve_department(lib, department)
    day = today(date)
    path = log_file(ctx, lib)
    written = []
    for v in verdicts:
        chosen = decision if decision is not None else _ask_decision()
        split_name = ""
        if v.verdict == OFF_LIST and v.split is not None:
            split_name = item_name(lib, v.split.item)
        e = entry_for(v, dept, chosen, day, by, note, split_name)
        written.append(ledger.add(path, e))
    return written


def recorded_line(e: "Entry", path: Path) -> str:
    return f"已记入 {path}：第 {e.id} 条，{e.date} {e.department}，{e.verdict}，{e.decision}。"
