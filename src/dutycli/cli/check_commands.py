"""Query commands that answer about a task or an item: check, cite, guarantees.

No ``from __future__ import annotations``: Typer reads the annotations as objects.
"""

import sys
from typing import Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.office import ByOption, DecisionOption, FromOption, NoteOption
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    OutputOption,
    StreetOption,
    compiled,
    complete_department,
    emit,
    items_by_id,
    library,
    parse_ids,
    sources,
)
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING

# The heading of these commands in ``duty --help`` (the same as query_commands').
HELP_GROUP = "查询命令"

# Long input is cut, so that any check answers in bounded time and memory.
MAX_TASK_CHARS = 500
MAX_STDIN_BYTES = 10 * 1024 * 1024 + 1  # one byte more than cli/stdin.py accepts, to notice
MAX_TASKS, MAX_TASKS_CHARS = 1000, 20000  # one `check -`: a few seconds at most


def _capped_task(task: str) -> str:
    if len(task) <= MAX_TASK_CHARS:
        return task
    echo(f"duty: 任务描述太长（{len(task)} 个字），只用了前 {MAX_TASK_CHARS} 个字。", err=True)
    return task[:MAX_TASK_CHARS]


@command()
def check(
    ctx: Context,
    task: Annotated[
        list[str],
        Arg(
            metavar="TEXT...",
            help=(
                "上级部门要求街道做的任务描述。每个参数是一项任务（check A B 核对两项任务，"
                "与 check - 的两行相同）；含空格的任务请加引号。"
                "写 - 则从标准输入读取，每行一项任务。"
            ),
            show_default=False,
        ),
    ],
    explain: Annotated[
        bool,
        Opt(
            "--explain",
            help=(
                "说明判定的依据：哪条规则、模型的概率和各项特征、对上了哪一栏的哪一条职责"
                "（-o json 总带这些字段）。"
            ),
        ),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    record: Annotated[
        bool,
        Opt("--record", help="把核对结果和决定记入街道的决定记录（在终端上会询问决定）。"),
    ] = False,
    department: FromOption = None,
    decision: DecisionOption = None,
    by: ByOption = "",
    note: NoteOption = "",
) -> int:
    """判断任务是否在清单上：清单内（对应哪一项、怎样分工）、相近（列出候选）或清单外（须按准入程序办理）。

    载入多个街道的清单时须用 --street 选定一个街道；任务与该街道的基本、配合、收回清单一起核对：
    在基本清单上是街道自身的职责，在收回清单上是已由部门收回的事项。
    街道以前对同样的任务作过决定（duty log），就显示那条决定并按它判定。
    --record 把结果和决定记下（--from 部门，--decision 决定）。
    全部任务都在清单内时退出 0，否则退出 1。
    """
    from dutycli.errors import UsageError
    from dutycli.query.check import ON_LIST, check_tasks

    if task == ["-"]:
        from dutycli.cli.stdin import decode_input

        stdin = getattr(sys.stdin, "buffer", None)
        decoded = decode_input(stdin.read(MAX_STDIN_BYTES) if stdin else b"")
        if decoded.encoding != "UTF-8":
            echo(f"duty: 标准输入按 {decoded.encoding} 编码读取。", err=True)
        lines = [line.strip() for line in decoded.text.splitlines() if line.strip()]
        tasks, used = [], 0
        for line in lines[:MAX_TASKS]:
            tasks.append(_capped_task(line))
            used += len(tasks[-1])
            if used >= MAX_TASKS_CHARS:
                break
        if len(tasks) < len(lines):
            echo(
                f"duty: 标准输入有 {len(lines)} 项任务，只核对了前 {len(tasks)} 项"
                f"（一次最多 {MAX_TASKS} 项、{MAX_TASKS_CHARS} 个字）；请分批核对。",
                err=True,
            )
        if not tasks:
            raise UsageError("标准输入里没有任务：每行写一项任务。")
    else:
        # Each argument is one task, as each line of `check -` is (said in --help).
        tasks = [_capped_task(t.strip()) for t in task]
        if not all(tasks):
            raise UsageError(
                "任务描述是空的：请写出上级部门要求街道做的事，例如 duty check 督促物业公司做好考评"
            )
    _refuse_empty_tasks(tasks, from_stdin=task == ["-"])
    recording = {"--from": department, "--decision": decision, "--by": by, "--note": note}
    given = [name for name, value in recording.items() if value]
    if given and not record:  # else the user cannot tell whether anything was kept
        raise UsageError(
            f"{'、'.join(given)} 只在记录决定时使用：要记下这次核对和决定，请加上 --record"
        )
    from dutycli.cli import office

    lib = library(ctx, street, kind)
    result = office.checked(ctx, lib, check_tasks(lib, tasks), explain)
    if record:  # wrong options are said before the answer: nothing is half done
        office.record_options(department, decision, can_ask=task != ["-"])
    emit(result, fmt, "", output, sources(lib))
    if record:
        sys.stdout.flush()
        for e in office.record(
            ctx, lib, result.verdicts, department, decision, by, note, can_ask=task != ["-"]
        ):
            echo(office.recorded_line(e, office.log_file(ctx, lib)), err=True)
    return EXIT_FOUND if all(v.verdict == ON_LIST for v in result.verdicts) else EXIT_NOTHING


def _refuse_empty_tasks(tasks: list[str], from_stdin: bool) -> None:
    """A task of words that name no duty (的, 做好工作) gets no verdict: a usage error."""
    from dutycli.errors import UsageError
    from dutycli.text.concepts import STOP_WORDS

    words = sorted(STOP_WORDS, key=lambda w: (-len(w), w))  # the same whatever the hash seed
    for n, task in enumerate(tasks, start=1):
        rest = "".join(ch for ch in task if ch.isalnum())
        for word in words:
            rest = rest.replace(word, "")
        if not rest:
            where = f"标准输入的第 {n} 项任务" if from_stdin else "任务"
            raise UsageError(
                f"{where}“{task[:40]}”只有“的”“做好”“工作”这类不指明事项的词，无法核对："
                "请写出要做的事，例如 duty check 督促物业公司做好考评"
            )


@command()
def cite(
    ctx: Context,
    ids: Annotated[
        list[str],
        Arg(metavar="ID...", help="事项编号（17 或 第17项），可给多个。", show_default=False),
    ],
    dept: Annotated[
        Optional[str],  # noqa: UP045
        Opt(
            "--dept",
            metavar="NAME",
            help="只引用这个部门的职责（全称、简称或唯一的一部分）。",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """生成可直接粘贴进书面答复的引用：依据《清单》第N项“名称”，及部门和街道的职责分工。"""
    from dutycli.query.cite import citation
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    numbers = parse_ids(ids)
    c = compiled(ctx, street, kind)
    focus = department(c, dept) if dept else None
    found, missing = items_by_id(c, numbers)
    rows = [
        {"id": item.id, "name": item.name, "citation": citation(c.info, item, focus)}
        for item in found
        if focus is None or focus in item.departments
    ]
    if focus and found and not rows:
        echo(f"{focus} 不是这些事项的对应上级部门。", err=True)
    table = Table(
        ("id", "name", "citation"),
        ("编号", "事项名称", "引用"),
        rows,
        None,
        text_keys=("citation",),
    )
    code = emit(table, fmt, "", output, [c.path]) if rows else EXIT_NOTHING
    return EXIT_ERROR if missing else code


@command()
def guarantees(
    ctx: Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        Arg(
            metavar="[DEPT]",
            help="只看这个部门（全称、简称或唯一的一部分）；省略时列出全部部门。",
            autocompletion=complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """按部门列出履职保障：各部门承诺提供的培训、指导、资金、物资等。

    履职保障按事项公布；多部门事项的保障列在每个对应部门之下。
    """
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    c = compiled(ctx, street, kind)
    focus = department(c, name) if name else None
    items = c.all_items()
    rows = [
        {
            "department": d.name,
            "id": item.id,
            "name": item.name,
            "guarantees": list(item.guarantees),
        }
        for d in c.departments
        if focus is None or d.name == focus
        for item in items
        if d.name in item.departments and item.guarantees
    ]
    table = Table(
        ("department", "id", "name", "guarantees"),
        ("部门", "编号", "事项名称", "履职保障"),
        rows,
        None,
        title=f"{focus or '各部门'}的履职保障：{len(rows)} 条",
    )
    return emit(table, fmt, f"{focus or '清单'}没有列出履职保障。", output, [c.path])
