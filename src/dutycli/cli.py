"""Command-line interface: parse arguments, call the core, hand results to a renderer.

The one module without ``from __future__ import annotations``: Typer reads the
parameter annotations at run time, and string annotations would make it
evaluate each of them on every start (~3 ms measured).
"""

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from dutycli.app import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING, app, command
from dutycli.errors import DataError
from dutycli.render import Format

if TYPE_CHECKING:
    from dutycli.index import Compiled
    from dutycli.model import Item
    from dutycli.results import Result
    from dutycli.search import NoMatch

DataOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer 0.28 reads the annotation at run time on 3.10
    typer.Option(
        "--data",
        metavar="PATH",
        help="读取另一份清单文件（也可用环境变量 DUTY_DATA 指定）。默认是随程序安装的清单。",
        show_default=False,
    ),
]


class State:
    def __init__(self, data: Path | None) -> None:
        self.data = data


@app.callback()
def _main(ctx: typer.Context, data: DataOption = None) -> None:
    ctx.obj = State(data)


def _state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State(None)


@command()
def info(ctx: typer.Context) -> int:
    """显示当前读取的清单文件、清单标题与说明，以及事项、类别、部门的数量。"""
    from dutycli.render.text import info_text

    c = _compiled(ctx)
    typer.echo(info_text(c))
    return EXIT_FOUND


@command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]",
            help="要检查的清单文件或常用说法对照表（thesaurus.yaml）；省略时检查当前使用的清单。",
            show_default=False,
        ),
    ] = None,
) -> int:
    """检查清单文件：一次列出全部问题（文件、行、列和事项编号）。有效退出 0，否则退出 2。"""
    from dutycli.load import load
    from dutycli.source import resolve

    target = path or resolve(_state(ctx).data)
    if _is_thesaurus(target):
        return _validate_thesaurus(target)
    try:
        dl = load(target)
    except DataError as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"共发现 {len(e.problems)} 个问题。", err=True)
        return EXIT_ERROR
    typer.echo(
        f"{target}：有效。{len(dl.items)} 项事项，{len(dl.categories)} 个类别，"
        f"{len(dl.departments)} 个部门。"
    )
    return EXIT_FOUND


def _is_thesaurus(path: Path) -> bool:
    from dutycli.text.thesaurus import looks_like_table

    return looks_like_table(path)


def _validate_thesaurus(path: Path) -> int:
    """A thesaurus table (data/thesaurus.yaml): every problem with file, line and column."""
    from dutycli.text.thesaurus import read_table

    try:
        table = read_table(path)
    except DataError as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"共发现 {len(e.problems)} 个问题。", err=True)
        return EXIT_ERROR
    words = sum(len(v) for v in table.values())
    typer.echo(f"{path}：有效。常用说法对照表，{len(table)} 个清单用词，{words} 个说法。")
    return EXIT_FOUND


@command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE", help="公布的清单表格（制表符分隔、单元格含 HTML 的文本导出）。"
        ),
    ],
    departments: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--departments",
            metavar="FILE",
            help=(
                "部门表：一份清单文件（或只含 departments 的 YAML），提供部门全称和别名。"
                "默认用当前清单的部门表。"
            ),
            show_default=False,
        ),
    ] = None,
) -> int:
    """把公布的清单表格转换成本工具的 YAML 数据格式，写到标准输出。未知部门会报告，不会猜测。"""
    from dutycli.importer import import_table
    from dutycli.load import parse_departments, read_text
    from dutycli.serialize import dump_yaml
    from dutycli.source import resolve

    table_path = departments or resolve(_state(ctx).data)
    table = parse_departments(read_text(table_path), str(table_path))
    dl = import_table(read_text(source), str(source), table)
    typer.echo(dump_yaml(dl), nl=False)
    return EXIT_FOUND


# -- queries ------------------------------------------------------------------

FormatOption = Annotated[
    Optional[Format],  # noqa: UP045
    typer.Option(
        "--format",
        "-o",
        case_sensitive=False,
        help=(
            "输出格式。默认：在终端里是 table（表格），"
            "输出到管道或文件时是 plain（每项一行，制表符分隔）。"
        ),
        show_default=False,
    ),
]


def _compiled(ctx: typer.Context) -> "Compiled":
    from dutycli.source import open_compiled

    return open_compiled(_state(ctx).data)


def _render(result: "Result", fmt: Format | None) -> None:
    from dutycli.render import default_format, render

    render(result, fmt or default_format(sys.stdout), sys.stdout)
    sys.stdout.flush()


def _emit(result: "Result", fmt: Format | None, empty_message: str) -> int:
    """Render to stdout; nothing found leaves stdout empty and exits 1."""
    if not result.rows:
        typer.echo(empty_message, err=True)
        return EXIT_NOTHING
    _render(result, fmt)
    return EXIT_FOUND


def _items_by_id(c: "Compiled", ids: list[int]) -> "list[Item]":
    """The items with these ids, in the order asked, each once; missing ids are reported."""
    by_id = {item.id: item for item in c.all_items()}
    missing = [i for i in ids if i not in by_id]
    if missing:
        known = sorted(by_id)
        span = f"编号 {known[0]}–{known[-1]}" if known else "没有事项"
        typer.echo(
            f"清单里没有第 {'、'.join(map(str, missing))} 项（共 {len(known)} 项，{span}）。",
            err=True,
        )
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def _items(c: "Compiled", rows: list, view: str, **extra: object) -> "Result":  # type: ignore[type-arg]
    from dutycli.results import Items

    return Items(rows, view, c.info, c.categories, c.departments, **extra)  # type: ignore[arg-type]


def _complete_department(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        c = _compiled(ctx)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [name for name in c.department_names if incomplete in name]


def _complete_category(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        c = _compiled(ctx)
    except Exception:
        return []
    return [name for name in c.categories if name.startswith(incomplete)]


@command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help="要找的词；多个词须全部匹配。支持拼音（canji、cjr）、同音字和小的错别字。",
            show_default=False,
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="最多显示多少项；0 表示全部。")
    ] = 20,
    fields: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--in",
            metavar="FIELD",
            help=(
                "只在这些栏目里找（可重复）：name 事项名称、upper 上级部门职责、"
                "guarantees 履职保障、street 街道配合职责。"
            ),
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
) -> int:
    """在事项名称、各部门职责、履职保障和街道配合职责中搜索，按相关程度排序。"""
    from dutycli.results import ItemRow
    from dutycli.search import parse_fields
    from dutycli.search import search as run_search

    c = _compiled(ctx)
    found = run_search(c, query, parse_fields(fields or []), limit or None)
    rows = [ItemRow(f.item, f.score, tuple(f.matched)) for f in found]
    if not rows:
        from dutycli.search import explain

        typer.echo(
            _no_match_text(" ".join(query), explain(c, query, parse_fields(fields or []))), err=True
        )
        return EXIT_NOTHING
    return _emit(_items(c, rows, "search"), fmt, f"没有找到与“{' '.join(query)}”相关的事项。")


def _no_match_text(query: str, why: "NoMatch") -> str:
    text = f"没有找到与“{query}”相关的事项。试过：{'；'.join(why.tried)}。"
    if why.suggestions:
        close = "；".join(f"第{item.id}项“{item.name}”" for item in why.suggestions)
        text += f"只匹配部分词的事项：{close}。"
    return text


@command("by-dept")
def by_dept(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="部门全称、简称（如 区卫健委）或能唯一确定部门的一部分（如 民政局）。",
            autocompletion=_complete_department,
        ),
    ],
    fmt: FormatOption = None,
) -> int:
    """列出某个部门参与的全部事项：该部门的职责与街道配合职责并排显示。"""
    from dutycli.resolve import department
    from dutycli.results import ItemRow

    c = _compiled(ctx)
    dept = department(c, name)
    rows = [ItemRow(item) for item in c.all_items() if dept in item.departments]
    result = _items(c, rows, "department", department=dept, title=f"{dept}：{len(rows)} 项")
    return _emit(result, fmt, f"{dept} 在清单里没有事项。")


@command("by-category")
def by_category(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="类别名称、唯一的开头（如 民生）或序号（2 或 二）。",
            autocompletion=_complete_category,
        ),
    ],
    fmt: FormatOption = None,
) -> int:
    """列出某个类别下的全部事项。"""
    from dutycli.resolve import category
    from dutycli.results import ItemRow

    c = _compiled(ctx)
    cat = category(c, name)
    rows = [ItemRow(item) for item in c.all_items() if item.category == cat]
    return _emit(
        _items(c, rows, "compact", title=f"{cat}：{len(rows)} 项"), fmt, f"类别“{cat}”下没有事项。"
    )


@command()
def show(
    ctx: typer.Context,
    ids: Annotated[
        list[int], typer.Argument(metavar="ID...", help="事项编号，可给多个。", show_default=False)
    ],
    fmt: FormatOption = None,
) -> int:
    """并排显示事项的职责分工：左栏上级部门职责（按部门分块，履职保障在最后），右栏街道配合职责。"""
    from dutycli.results import ItemRow

    c = _compiled(ctx)
    rows = [ItemRow(item) for item in _items_by_id(c, ids)]
    if not rows:
        return EXIT_NOTHING
    return _emit(_items(c, rows, "split"), fmt, "")


@command("list")
def list_(ctx: typer.Context, fmt: FormatOption = None) -> int:
    """列出全部事项，每项一行：编号、名称、类别、对应上级部门。"""
    from dutycli.results import ItemRow

    c = _compiled(ctx)
    rows = [ItemRow(item) for item in c.all_items()]
    return _emit(
        _items(c, rows, "compact", title=f"{c.info.title}：{len(rows)} 项"), fmt, "清单里没有事项。"
    )


@command()
def depts(ctx: typer.Context, fmt: FormatOption = None) -> int:
    """列出全部部门，及其别名和参与的事项数。"""
    from dutycli.results import Table

    c = _compiled(ctx)
    rows = [
        {"name": d.name, "aliases": list(d.aliases), "items": c.department_counts.get(d.name, 0)}
        for d in c.departments
    ]
    table = Table(
        ("name", "aliases", "items"),
        ("部门", "别名", "事项数"),
        rows,
        yaml_value={"departments": [{"name": r["name"], "aliases": r["aliases"]} for r in rows]},
    )
    return _emit(table, fmt, "清单里没有部门。")


@command()
def categories(ctx: typer.Context, fmt: FormatOption = None) -> int:
    """列出全部类别及各自的事项数。"""
    from dutycli.results import Table

    c = _compiled(ctx)
    rows = [
        {"number": n, "name": cat, "items": c.category_counts.get(cat, 0)}
        for n, cat in enumerate(c.categories, start=1)
    ]
    table = Table(
        ("number", "name", "items"),
        ("序号", "类别", "事项数"),
        rows,
        yaml_value={"categories": list(c.categories)},
    )
    return _emit(table, fmt, "清单里没有类别。")


@command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        Format,
        typer.Option(
            "--format", "-o", case_sensitive=False, help="输出格式；yaml 写出完整的清单文件。"
        ),
    ] = Format.json,
) -> int:
    """导出整份清单（默认 JSON：事项对象的数组）。"""
    from dutycli.results import ItemRow

    c = _compiled(ctx)
    rows = [ItemRow(item) for item in c.all_items()]
    return _emit(_items(c, rows, "compact"), fmt, "清单里没有事项。")


@command()
def check(
    ctx: typer.Context,
    task: Annotated[
        list[str],
        typer.Argument(
            metavar="TEXT...",
            help="上级部门要求街道做的任务描述；写 - 则从标准输入读取，每行一项任务。",
            show_default=False,
        ),
    ],
    fmt: FormatOption = None,
) -> int:
    """判断任务是否在清单上：清单内（对应哪一项、怎样分工）、相近（列出候选）或清单外（须按准入程序办理）。

    全部任务都在清单内时退出 0，否则退出 1。
    """
    from dutycli.check import ON_LIST, Matcher
    from dutycli.errors import UsageError
    from dutycli.results import CheckResult

    if task == ["-"]:
        tasks = [line.strip() for line in sys.stdin if line.strip()]
        if not tasks:
            raise UsageError("标准输入里没有任务：每行写一项任务。")
    else:
        tasks = [" ".join(task)]
    c = _compiled(ctx)
    from dutycli.text.layer import compiled_layer

    matcher = Matcher(c.all_items(), c.departments, compiled_layer(c), lambda: c.readings)
    result = CheckResult([matcher.check(t) for t in tasks])
    _emit(result, fmt, "")
    return EXIT_FOUND if all(v.verdict == ON_LIST for v in result.verdicts) else EXIT_NOTHING


@command()
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="旧版清单文件。", show_default=False)],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="新版清单文件。", show_default=False)],
    fmt: FormatOption = None,
) -> int:
    """比较两版清单：新增、删除、改动的事项（按编号和名称对应，能识别重新编号），改动细到每一条职责。

    与 diff 相同：相同退出 0，不同退出 1，出错退出 2。
    """
    from dutycli.diff import diff_lists
    from dutycli.load import load
    from dutycli.results import DiffResult

    result = DiffResult(diff_lists(load(old), load(new)), str(old), str(new))
    _render(result, fmt)  # also when they are the same: that is the answer
    return EXIT_FOUND if result.diff.same else EXIT_NOTHING


@command()
def cite(
    ctx: typer.Context,
    ids: Annotated[
        list[int], typer.Argument(metavar="ID...", help="事项编号，可给多个。", show_default=False)
    ],
    dept: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--dept",
            metavar="NAME",
            help="只引用这个部门的职责（全称、简称或唯一的一部分）。",
            autocompletion=_complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
) -> int:
    """生成可直接粘贴进书面答复的引用：依据《清单》第N项“名称”，及部门和街道的职责分工。"""
    from dutycli.cite import citation
    from dutycli.resolve import department
    from dutycli.results import Table

    c = _compiled(ctx)
    focus = department(c, dept) if dept else None
    found = _items_by_id(c, ids)
    rows = [
        {"id": item.id, "name": item.name, "citation": citation(c.info, item, focus)}
        for item in found
        if focus is None or focus in item.departments
    ]
    if focus and found and not rows:
        typer.echo(f"{focus} 不是这些事项的对应上级部门。", err=True)
    table = Table(
        ("id", "name", "citation"),
        ("编号", "事项名称", "引用"),
        rows,
        None,
        text_keys=("citation",),
    )
    return _emit(table, fmt, "")


@command()
def guarantees(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[DEPT]",
            help="只看这个部门（全称、简称或唯一的一部分）；省略时列出全部部门。",
            autocompletion=_complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
) -> int:
    """按部门列出履职保障：各部门承诺提供的培训、指导、资金、物资等。

    履职保障按事项公布；多部门事项的保障列在每个对应部门之下。
    """
    from dutycli.resolve import department
    from dutycli.results import Table

    c = _compiled(ctx)
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
    return _emit(table, fmt, f"{focus or '清单'}没有列出履职保障。")


def _reconfigure_streams() -> None:
    """Piped output is always UTF-8; a terminal gets its own encoding, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                stream.reconfigure(errors="replace")  # type: ignore[union-attr]
            else:
                stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def main() -> None:
    _reconfigure_streams()
    try:
        app()
        code: object = 0
    except SystemExit as e:
        code = e.code
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
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = 141
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stderr.flush()
    os._exit(status)
