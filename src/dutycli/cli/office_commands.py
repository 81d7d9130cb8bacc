"""What an office does after ``check``: the decision log, the tally, reply drafts.

``duty log add`` / ``duty check … --record`` record a decision in the
subdistrict's log (``lists/ledger.py``), ``duty log`` lists it, ``duty log
tally`` counts it, ``duty log remove`` takes an entry out, ``duty reply``
drafts the answer to the department as a .docx. ``checked`` is how ``check``
reads the log: the office's earlier decisions on the same tasks.

No ``from __future__ import annotations``: the declarations are read as objects
(see ``declare``).
"""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.office import (
    ByOption,
    DateOption,
    DecisionOption,
    FromOption,
    ItemOption,
    NoteOption,
    VerdictOption,
    checked,
    log_file,
    record,
    recorded_line,
    today,
)
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    OutputOption,
    StreetOption,
    emit,
    library,
    sources,
)
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_FOUND, EXIT_NOTHING, UsageError
from dutycli.render import Format

if TYPE_CHECKING:
    from dutycli.errors import Problem
    from dutycli.store import Library

# The heading of these commands in ``duty --help``.
HELP_GROUP = "决定记录与回复"

# -- the commands --------------------------------------------------------------

TaskArgument = Annotated[
    list[str],
    Arg(metavar="TEXT...", help="任务描述（与 duty check 相同）。", show_default=False),
]


@command("log add")
def log_add(
    ctx: Context,
    task: TaskArgument,
    department: FromOption = None,
    decision: DecisionOption = None,
    by: ByOption = "",
    note: NoteOption = "",
    date: DateOption = None,
    verdict: VerdictOption = None,
    item: ItemOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """记下一项任务和办公室的决定：先核对任务（与 duty check 相同），记下判定、事项和决定。

    判定不对时用 --verdict（和 --item）改正：以后核对同样的任务就按这条记录判定。
    """
    from dutycli.cli.check_commands import _capped_task
    from dutycli.query.check import check_tasks
    from dutycli.query.decisions import corrected

    text = _capped_task(" ".join(task).strip())
    if not text:
        raise UsageError("任务描述是空的：请写出部门交办的任务")
    lib = library(ctx, street, kind)
    result = checked(ctx, lib, check_tasks(lib, [text]))
    v = corrected(lib, result.verdicts[0], verdict, item)
    (written,) = record(ctx, lib, [v], department, decision, by, note, date)
    echo(recorded_line(written, log_file(ctx, lib)))
    return EXIT_FOUND


@command("log")
def log_list(
    ctx: Context,
    department: FromOption = None,
    since: Annotated[
        Optional[str],  # noqa: UP045
        Opt("--since", metavar="YYYY-MM-DD", help="从这一天起（含）。", show_default=False),
    ] = None,
    until: Annotated[
        Optional[str],  # noqa: UP045
        Opt("--until", metavar="YYYY-MM-DD", help="到这一天止（含）。", show_default=False),
    ] = None,
    decision: DecisionOption = None,
    verdict: Annotated[
        Optional[str],  # noqa: UP045
        Opt("--verdict", metavar="清单内|相近|清单外|已收回", help="只看这种判定。"),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """决定记录：列出（可按部门、日期、判定、决定筛选），或 add 记下、tally 统计、remove 删除。

    记录是街道自己的数据：每个街道一个 CSV 文件（决定记录-街道.csv），放在清单旁边。
    """
    if getattr(ctx, "invoked_subcommand", None):
        return EXIT_FOUND  # duty log add / tally / remove: the subcommand answers
    from dutycli.lists import ledger
    from dutycli.query.resolve import department as resolve_department
    from dutycli.query.tally import Filters, date_option, listing, select

    lib = library(ctx, street, kind)
    path = log_file(ctx, lib)
    entries = ledger.read(path).valid()
    filters = Filters(
        resolve_department(lib, department) if department else None,
        date_option(since, "--since"),
        date_option(until, "--until"),
        decision,
        verdict,
    )
    found = select(entries, filters, lib.department_names)
    title = f"{lib.one_subdistrict()}决定记录：{len(found)} 条（{path}）"
    empty = f"决定记录 {path} 里没有符合条件的记录。" if entries else f"还没有决定记录（{path}）。"
    return emit(listing(found, title), fmt, empty, output, [*sources(lib), str(path)])


@command("log tally")
def log_tally(
    ctx: Context,
    period: Annotated[
        Optional[str],  # noqa: UP045
        Arg(
            metavar="[期间]",
            help="月份（2026-12）、季度（2026-Q4、2026年第四季度）或年份（2026）；默认本月。",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """按部门 × 判定 × 决定统计一个月、季度或年份的决定记录；-o xlsx 写出可直接报送的表格。"""
    from dutycli.lists import ledger
    from dutycli.query.tally import period as parse_period
    from dutycli.query.tally import tally

    lib = library(ctx, street, kind)
    path = log_file(ctx, lib)
    entries = ledger.read(path).valid()
    today = dt.date.today()
    counted = tally(
        entries, parse_period(period, today), lib.one_subdistrict(), lib.department_names
    )
    code = EXIT_FOUND if counted.rows else EXIT_NOTHING
    if not counted.rows:
        echo(f"{counted.period.label}没有决定记录（{path}）。", err=True)
    wants_xlsx = fmt is Format.xlsx or (fmt is None and output and output.suffix.lower() == ".xlsx")
    if wants_xlsx:
        from dutycli.cli.outfile import write_atomic
        from dutycli.render.tally_xlsx import tally_xlsx

        if output is None:
            raise UsageError("xlsx 是二进制文件格式：请用 --output 文件名.xlsx 写入文件")
        write_atomic(output, tally_xlsx(counted, today), inputs=[path])
        echo(f"已写出 {output}：{counted.title()}。")
        return code
    if counted.rows:
        emit(counted.table(), fmt, "", output, [*sources(lib), str(path)])
    return code


@command("log remove")
def log_remove(
    ctx: Context,
    ids: Annotated[list[int], Arg(metavar="编号...", help="要删除的记录编号。")],
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """从决定记录里删除记录（按编号）：以后核对同样的任务不再参考它。"""
    from dutycli.lists import ledger

    lib = library(ctx, street, kind)
    path = log_file(ctx, lib)
    for e in ledger.remove(path, ids):
        echo(f"已删除第 {e.id} 条：{e.date} {e.department}“{e.task}”，{e.decision}。")
    return EXIT_FOUND


@command()
def reply(
    ctx: Context,
    task: Annotated[
        Optional[list[str]],  # noqa: UP045
        Arg(
            metavar="[TEXT...]",
            help="任务描述；或用 --entry 指定一条决定记录。",
            show_default=False,
        ),
    ] = None,
    entry: Annotated[
        Optional[int],  # noqa: UP045
        Opt("--entry", metavar="N", help="按第 N 条决定记录起草。", show_default=False),
    ] = None,
    department: FromOption = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        Opt("--output", metavar="FILE.docx", help="写到这个文件（默认按部门和日期命名）。"),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        Opt(
            "--template", metavar="FILE", help="回复模板（默认随程序安装的 reply_templates.yaml）。"
        ),
    ] = None,
    date: DateOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """起草给交办部门的回复（.docx，公文格式）：引用清单原文说明判定。

    清单外：不在基本、配合清单上，清单之外无事项，须按程序申请准入；部门自己的职责：引用事项和部门职责原文；
    已收回：事项和收回的部门；清单内：事项和分工。措辞在模板里，可以改写。
    """
    from dutycli.cli.outfile import write_atomic
    from dutycli.lists import ledger
    from dutycli.query.check import check_tasks
    from dutycli.query.replies import case_of, case_of_entry
    from dutycli.query.resolve import department as resolve_department
    from dutycli.render.reply import compose, docx_bytes, load_templates

    templates = load_templates(template)  # its problems first, before any work
    day = today(date)
    lib = library(ctx, street, kind)
    if entry is not None:
        if task:
            raise UsageError("请只给任务描述或 --entry 之一")
        path = log_file(ctx, lib)
        found = [e for e in ledger.read(path).valid() if e.id == entry]
        if not found:
            raise UsageError(f"决定记录 {path} 里没有第 {entry} 条：用 duty log 查看编号")
        case = case_of_entry(lib, found[0], str(path), day)
    else:
        from dutycli.cli.check_commands import _capped_task

        text = _capped_task(" ".join(task or []).strip())
        if not text:
            raise UsageError("请给出任务描述，或用 --entry 指定一条决定记录")
        if department is None:
            raise UsageError("起草回复须用 --from 给出交办任务的部门")
        v = checked(ctx, lib, check_tasks(lib, [text])).verdicts[0]
        case = case_of(lib, v, resolve_department(lib, department), day)
    target = output or _free_name(Path(f"回复-{case.department}-{day.isoformat()}.docx"))
    if target.suffix.lower() != ".docx":
        raise UsageError(f"{target}：回复草稿是 Word 文件，文件名应以 .docx 结尾")
    write_atomic(target, docx_bytes(compose(case, templates, day)), inputs=_inputs(lib, template))
    echo(f"已写出回复草稿 {target}（{case.case}）。")
    return EXIT_FOUND


def _inputs(lib: "Library", template: Path | None) -> list[Path]:
    return [Path(p) for p in sources(lib) if p] + ([template] if template else [])


def _free_name(path: Path) -> Path:
    """``path``, or ``name-2.docx``, … : a default name never lands on an existing file."""
    n = 2
    out = path
    while out.exists():
        out = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return out


# -- duty validate ---------------------------------------------------------------


def office_file(path: Path) -> "tuple[list[Problem], str] | None":
    """``duty validate`` of a decision log or of reply templates: its problems and what it
    holds; None for any other file."""
    from dutycli.cli.filekinds import path_is
    from dutycli.lists.logfiles import is_log

    if not path_is(path.is_file):
        return None
    if is_log(path) or path.suffix.lower() == ".csv":
        from dutycli.lists import ledger

        problems = ledger.validate(path)
        return problems, "" if problems else f"{len(ledger.read(path).entries)} 条决定记录"
    from dutycli.render.reply import check_templates, looks_like_templates

    if not looks_like_templates(path):
        return None
    return check_templates(path), "回复模板"


def logs_in(directory: Path) -> "list[Path]":
    """The decision logs in a directory of lists, which ``duty validate DIR`` checks too."""
    from dutycli.cli.filekinds import path_is
    from dutycli.lists.logfiles import PREFIX, SUFFIX

    return sorted(directory.glob(f"{PREFIX}*{SUFFIX}")) if path_is(directory.is_dir) else []
