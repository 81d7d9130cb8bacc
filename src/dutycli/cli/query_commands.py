"""Query commands: search, by-dept, by-category, show, check, cite, guarantees.

No ``from __future__ import annotations``: Typer reads the annotations as objects.
"""

import sys
from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.office import ByOption, DecisionOption, FromOption, NoteOption
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    LimitOption,
    OutputOption,
    StreetOption,
    compiled,
    complete_category,
    complete_department,
    cut,
    emit,
    items_by_id,
    items_result,
    lib_items,
    library,
    parse_ids,
    rows_of,
    say_cut,
    sources,
)
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING

if TYPE_CHECKING:
    from dutycli.query.results import ItemRow
    from dutycli.query.search import Found, NoMatch
    from dutycli.store import Library

# The heading of these commands in ``duty --help``.
HELP_GROUP = "查询命令"


# Long input is cut, so that any query answers in bounded time and memory:
# a pasted paragraph is not a query.
MAX_QUERY_WORDS, MAX_QUERY_CHARS, MAX_TASK_CHARS = 8, 64, 500
MAX_STDIN_BYTES = 10 * 1024 * 1024 + 1  # one byte more than cli/stdin.py accepts, to notice
MAX_TASKS, MAX_TASKS_CHARS = 1000, 20000  # one `check -`: a few seconds at most


def _capped_query(query: list[str]) -> list[str]:
    words = [w for q in query for w in q.split()]
    kept: list[str] = []
    used = 0
    for w in words[:MAX_QUERY_WORDS]:
        if used >= MAX_QUERY_CHARS:
            break
        kept.append(w[: MAX_QUERY_CHARS - used])
        used += len(kept[-1])
    total = sum(len(w) for w in words)
    if used < total:
        echo(
            f"duty: 查询太长（{len(words)} 个词，{total} 个字），只用了前 {used} 个字："
            f"{' '.join(kept)}。搜索最多用 {MAX_QUERY_WORDS} 个词、{MAX_QUERY_CHARS} 个字。",
            err=True,
        )
    return kept


def _capped_task(task: str) -> str:
    if len(task) <= MAX_TASK_CHARS:
        return task
    echo(f"duty: 任务描述太长（{len(task)} 个字），只用了前 {MAX_TASK_CHARS} 个字。", err=True)
    return task[:MAX_TASK_CHARS]


@command()
def search(
    ctx: Context,
    query: Annotated[
        list[str],
        Arg(
            metavar="QUERY...",
            help=(
                "要找的词或一句问话；匹配全部词的事项排在前面，没有时列出匹配最多词的事项。"
                "“找谁”“咋办”“有啥”等问话用词不算。支持拼音（canji、canjizheng、cjr）、"
                "同音字和小的错别字。"
            ),
            show_default=False,
        ),
    ],
    limit: Annotated[
        int, Opt("--limit", "-n", min=0, metavar="N", help="最多显示多少项；0 表示全部。")
    ] = 20,
    fields: Annotated[
        Optional[list[str]],  # noqa: UP045
        Opt(
            "--in",
            metavar="FIELD",
            help=(
                "只在这些栏目里找（可重复）：name 事项名称、upper 上级部门职责、"
                "guarantees 履职保障、street 街道配合职责、basis 实施依据、"
                "method 工作方式、extras 导入时按原列名保留的其他列。"
            ),
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """在事项名称、各部门职责、履职保障和街道配合职责中搜索，按相关程度排序。"""
    from dutycli.query.results import ItemRow
    from dutycli.query.search import parse_fields
    from dutycli.query.search import search as run_search

    query = _capped_query(query)
    lib = library(ctx, street, kind)
    named, query = _named_items(lib, query)  # 第17项: that item first
    if not query:
        return (
            emit(lib_items(lib, named, "search"), fmt, "", output, sources(lib))
            if named
            else EXIT_NOTHING
        )
    found: list[Found] = run_search(lib, query, parse_fields(fields or []))
    if getattr(found, "partial", False):
        echo(_partial_text(" ".join(query), getattr(found, "unmatched", [])), err=True)
    if limit and len(found) > limit:
        say_cut(limit, len(found))
        found = found[:limit]
    several = lib.several
    rows = [
        ItemRow(f.item, f.score, tuple(f.matched), f.source if several else None) for f in found
    ]
    rows = _first(named, rows)
    if not rows:
        from dutycli.query.search import explain

        echo(
            _no_match_text(" ".join(query), explain(lib, query, parse_fields(fields or []))),
            err=True,
        )
        return EXIT_NOTHING
    return emit(
        lib_items(lib, rows, "search"),
        fmt,
        f"没有找到与“{' '.join(query)}”相关的事项。",
        output,
        sources(lib),
    )


def _named_items(lib: "Library", query: list[str]) -> "tuple[list[ItemRow], list[str]]":
    """The items a query names by number (第17项, 17项), and the words left to search for."""
    from dutycli.query.resolve import item_ref

    refs = [item_ref(word) for word in query]
    ids = [n for n in refs if n is not None]
    rest = [word for word, n in zip(query, refs, strict=True) if n is None]
    if not ids:
        return [], query
    found = lib.find_ids(ids)
    rows = rows_of(lib, [rowid for n in dict.fromkeys(ids) for rowid, _ in found.get(n, [])])
    if not rows:
        echo(f"已载入的清单里没有第 {'、'.join(map(str, ids))} 项。", err=True)
    return rows, rest


def _first(named: "list[ItemRow]", rows: "list[ItemRow]") -> "list[ItemRow]":
    """The named items, then the rest of the results without them."""

    def key(row: "ItemRow") -> tuple[int, object]:
        return row.item.id, getattr(row.source, "path", None)

    seen = {key(row) for row in named}
    return named + [row for row in rows if key(row) not in seen]


def _partial_text(query: str, unmatched: list[str]) -> str:
    text = f"没有一项同时匹配“{query}”的全部词，下面是匹配词最多的事项"
    if unmatched:
        text += f"；没有匹配任何事项的词：{'、'.join(unmatched)}"
    return text + "。"


def _no_match_text(query: str, why: "NoMatch") -> str:
    text = f"没有找到与“{query}”相关的事项。试过：{'；'.join(why.tried)}。"
    if why.suggestions:
        close = "；".join(f"第{item.id}项“{item.name}”" for item in why.suggestions)
        text += f"只匹配部分词的事项：{close}。"
    return text


@command("by-dept")
def by_dept(
    ctx: Context,
    name: Annotated[
        str,
        Arg(
            metavar="NAME",
            help="部门全称、简称（如 区卫健委）或能唯一确定部门的一部分（如 民政局）。",
            autocompletion=complete_department,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    count: Annotated[
        bool, Opt("--count", help="只列出每个街道的事项数。", show_default=False)
    ] = False,
    limit: Annotated[
        int, Opt("--limit", "-n", min=0, metavar="N", help="最多显示多少项；0 表示全部。")
    ] = 0,
) -> int:
    """列出某个部门参与的全部事项：该部门的职责与街道配合职责并排显示。

    每种格式（表格、文字、csv、json、xlsx……）都只列出该部门的职责块、履职保障和街道配合职责。

    -o yaml 写出可再载入的清单文件，事项完整；某项全部部门的职责用 show。

    载入多份清单时按街道分组列出；--count 只列出每个街道的事项数。
    """
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    lib = library(ctx, street, kind)
    dept = department(lib, name)
    found = lib.department_rows(dept)
    if count:
        per: dict[tuple[str, str], int] = {}
        for _, ref in found:
            key = (ref.subdistrict, ref.short_kind)
            per[key] = per.get(key, 0) + 1
        table = Table(
            ("subdistrict", "kind", "items"),
            ("街道", "清单", "事项数"),
            [{"subdistrict": s, "kind": k, "items": n} for (s, k), n in per.items()],
            None,
            title=f"{dept}：{len(per)} 份清单，{len(found)} 项",
        )
        return emit(table, fmt, f"{dept} 在清单里没有事项。", output, sources(lib))
    total = len(found)
    if limit and total > limit:
        say_cut(limit, total)
        found = found[:limit]
    rows = rows_of(lib, [rowid for rowid, _ in found])
    streets = len({ref.subdistrict for _, ref in found})
    title = f"{dept}：{total} 项" + (f"，{streets} 个街道" if lib.several else "")
    if limit and total > limit:
        title += f"（显示前 {limit} 项）"
    result = lib_items(lib, rows, "department", department=dept, title=title)
    return emit(result, fmt, f"{dept} 在清单里没有事项。", output, sources(lib))


@command("by-category")
def by_category(
    ctx: Context,
    name: Annotated[
        str,
        Arg(
            metavar="NAME",
            help="类别名称、唯一的开头（如 民生）或序号（2 或 二）。",
            autocompletion=complete_category,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    limit: LimitOption = 0,
) -> int:
    """列出某个类别下的全部事项。"""
    from dutycli.query.resolve import category
    from dutycli.query.results import ItemRow

    c = compiled(ctx, street, kind)
    cat = category(c, name)
    rows = [ItemRow(item) for item in c.all_items() if item.category == cat]
    total, rows = len(rows), cut(rows, limit)
    return emit(
        items_result(c, rows, "compact", title=f"{cat}：{total} 项"),
        fmt,
        f"类别“{cat}”下没有事项。",
        output,
        [c.path],
    )


@command()
def show(
    ctx: Context,
    ids: Annotated[
        list[str],
        Arg(metavar="ID...", help="事项编号（17 或 第17项），可给多个。", show_default=False),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """并排显示事项的职责分工：左栏上级部门职责（按部门分块，履职保障在最后），右栏街道配合职责。"""
    numbers = parse_ids(ids)
    lib = library(ctx, street, kind)
    if len(lib.selected) == 1:
        from dutycli.query.results import ItemRow

        found, missing = items_by_id(lib.one(), numbers)
        rows = [ItemRow(item) for item in found]
    else:
        rowids, missing = _rowids_by_id(lib, numbers)
        rows = rows_of(lib, rowids)
    if rows:
        emit(lib_items(lib, rows, "split"), fmt, "", output, sources(lib))
    return EXIT_ERROR if missing else EXIT_FOUND


def _rowids_by_id(lib: "Library", ids: list[int]) -> tuple[list[int], list[int]]:
    """Store rows of these item ids across the selected lists; an id in several is ambiguous."""
    from dutycli.errors import LookupFailed

    found = lib.find_ids(ids)
    for item_id in dict.fromkeys(ids):
        hits = found.get(item_id, [])
        if len(hits) > 1:
            lib.refuse_twins([ref for _, ref in hits], every=True)
            listing = lib.listing([ref for _, ref in hits])
            raise LookupFailed(
                f"第 {item_id} 项在 {len(hits)} 份清单里都有，请用 --street/-s 或 --kind 选定：\n"
                + listing,
                [ref.path for _, ref in hits],
            )
    missing = [i for i in ids if i not in found]
    if missing:
        echo(f"已载入的清单里没有第 {'、'.join(map(str, missing))} 项。", err=True)
    return [found[i][0][0] for i in dict.fromkeys(ids) if i in found], missing


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

    words = sorted(STOP_WORDS, key=len, reverse=True)
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
