"""The commands: each takes parsed arguments, calls the core and hands the result to a renderer.

Parameters are declared with ``declare.Opt`` / ``declare.Arg``, not Typer's,
so that this module loads without Typer: ``quick`` calls these functions for
a plain query, ``app`` builds the Typer application from them for everything
else (help, usage errors, completion).

The one module without ``from __future__ import annotations``: both readers
take the annotations as objects, and string annotations would have to be
evaluated on every start.
"""

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING, DataError, Problem, shown
from dutycli.render import Format

if TYPE_CHECKING:
    from dutycli.lists.model import Item
    from dutycli.query.results import ItemRow, Result
    from dutycli.query.search import NoMatch
    from dutycli.store import Compiled, Library

DataOption = Annotated[
    Optional[Path],  # noqa: UP045 - read at run time, on 3.10 too
    Opt(
        "--data",
        metavar="PATH",
        help=(
            "读取另一份清单文件，或一个目录（其下每个 *.yaml 是一份清单）；"
            "也可用环境变量 DUTY_DATA 指定。默认是随程序安装的清单。"
        ),
        show_default=False,
    ),
]


StreetOption = Annotated[
    Optional[str],  # noqa: UP045
    Opt(
        "--street",
        "-s",
        metavar="NAME",
        help="载入多份清单时，只看这个街道（全称或能唯一确定街道的一部分）。",
        show_default=False,
    ),
]
KindOption = Annotated[
    Optional[str],  # noqa: UP045
    Opt(
        "--kind",
        metavar="基本|配合|收回",
        help="载入多份清单时，只看这一类清单：基本、配合或收回。",
        show_default=False,
    ),
]


class State:
    def __init__(self, data: Path | None) -> None:
        self.data = data


def _show_version(value: bool) -> None:
    if value:
        from dutycli import __version__

        echo(f"duty {__version__}")
        raise SystemExit(EXIT_FOUND)


VersionOption = Annotated[
    Optional[bool],  # noqa: UP045
    Opt("--version", help="显示版本并退出。", is_eager=True, callback=_show_version),
]
NoPagerOption = Annotated[
    bool,
    Opt(
        "--no-pager",
        help=(
            "长表格不经分页器（less）直接输出。分页器用 $PAGER，默认 less -FRX；"
            "输出到管道时从不分页。"
        ),
    ),
]


RawOption = Annotated[
    bool,
    Opt(
        "--raw",
        help=(
            "csv/tsv 单元格按原文写出：不给以 = + - @ 开头的单元格加前导 '"
            "（默认加上，防止 Excel 把清单或任务文字当公式执行）。xlsx 里的文字总是文本。"
        ),
    ),
]


class Paging:
    """Whether a long table on a terminal goes through the pager (--no-pager says no)."""

    on = True


def group_options(
    ctx: Context,
    data: DataOption = None,
    version: VersionOption = None,
    no_pager: NoPagerOption = False,
    raw: RawOption = False,
) -> None:
    """The options before the command name (``duty --data x.yaml search …``)."""
    from dutycli.render import Formulas

    ctx.obj = State(data)
    Paging.on = not no_pager
    Formulas.raw = raw


def _state(ctx: Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State(None)


@command()
def info(ctx: Context, street: StreetOption = None, kind: KindOption = None) -> int:
    """显示当前读取的清单文件、清单标题与说明，以及事项、类别、部门的数量。"""
    from dutycli.render.info import info_text

    c = _compiled(ctx, street, kind)
    echo(info_text(c))
    return EXIT_FOUND


@command()
def validate(
    ctx: Context,
    path: Annotated[
        Optional[Path],  # noqa: UP045
        Arg(
            metavar="[PATH]",
            help="要检查的清单文件或常用说法对照表（thesaurus.yaml）；省略时检查当前使用的清单。",
            show_default=False,
        ),
    ] = None,
) -> int:
    """检查清单文件（或目录下的每份清单）：一次列出全部问题（文件、行、列和事项编号）。

    有效退出 0，否则退出 2。
    """
    from dutycli.lists.load import parse, read_text, warnings
    from dutycli.lists.source import list_files, resolve

    target = path or resolve(_state(ctx).data)
    if _is_thesaurus(target):
        return _validate_thesaurus(target)
    problems = []
    try:
        # A directory: every list in it, each checked whole.
        files = [f.path for f in list_files(target)] if Path(target).is_dir() else [str(target)]
    except DataError as e:
        files, problems = [], e.problems
    for file in files:
        try:
            text = read_text(file)
            dl = parse(text, file)
        except DataError as e:
            problems += e.problems
            continue
        for line in shown(warnings(text, file, dl)):
            echo(line, err=True)
        echo(
            f"{file}：有效。{len(dl.items)} 项事项，{len(dl.categories)} 个类别，"
            f"{len(dl.departments)} 个部门。"
        )
    if problems:
        for line in shown(problems):
            echo(line, err=True)
        echo(f"共发现 {len(problems)} 个问题。", err=True)
        return EXIT_ERROR
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
        for line in shown(e.problems):
            echo(line, err=True)
        echo(f"共发现 {len(e.problems)} 个问题。", err=True)
        return EXIT_ERROR
    words = sum(len(v) for v in table.values())
    echo(f"{path}：有效。常用说法对照表，{len(table)} 个清单用词，{words} 个说法。")
    return EXIT_FOUND


@command("import")
def import_(
    ctx: Context,
    source: Annotated[
        Path,
        Arg(
            metavar="FILE",
            help=(
                "公布的清单：Word（.docx，或经 LibreOffice 转换的 .doc/.wps）、"
                "Excel（.xlsx/.xls）、"
                "另存的网页（.html）或制表符分隔的文本。格式按文件内容识别。"
            ),
        ),
    ],
    kind: Annotated[
        Optional[str],  # noqa: UP045
        Opt(
            "--kind",
            metavar="基本|配合|收回",
            help="清单种类。默认从标题（如“……配合履职事项清单”）或表头推断。",
            show_default=False,
        ),
    ] = None,
    street: Annotated[
        Optional[str],  # noqa: UP045
        Opt(
            "--street",
            metavar="NAME",
            help="街道（乡镇）名称，如“青山路街道”。默认从标题读出。",
            show_default=False,
        ),
    ] = None,
    departments: Annotated[
        Optional[Path],  # noqa: UP045
        Opt(
            "--departments",
            metavar="FILE",
            help=(
                "部门表：一份清单文件（或只含 departments 的 YAML），提供部门全称和别名。"
                "默认用当前清单的部门表。"
            ),
            show_default=False,
        ),
    ] = None,
    table: Annotated[
        Optional[int],  # noqa: UP045
        Opt(
            "--table",
            metavar="N",
            help="文件里有几个表格（或工作表）时，用第 N 个。默认用第一个带清单表头的。",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        Opt(
            "--output",
            metavar="FILE",
            help="写到这个文件（整体替换，出错时不动它），而不是标准输出。不能是输入文件。",
            show_default=False,
        ),
    ] = None,
) -> int:
    """把公布的清单（Word、Excel、网页表格或文本）转换成本工具的 YAML 数据格式。

    未知部门、未知的列和无法识别的行都会连同位置一并报告，不会猜测；有任何问题时什么都不写。
    """
    from dutycli.cli.outfile import check_target, write_atomic
    from dutycli.lists.importers import import_file, kind_named
    from dutycli.lists.load import parse_departments, read_text
    from dutycli.lists.serialize import dump_yaml
    from dutycli.lists.source import resolve

    table_path = departments or resolve(_state(ctx).data)
    inputs = [source, table_path]
    if output is not None:
        check_target(output, inputs)
    else:
        _refuse_stdout_onto(inputs)
    table_depts = parse_departments(read_text(table_path), str(table_path))
    found: list[Problem] = []
    dl = import_file(source, table_depts, kind_named(kind) if kind else None, street, table, found)
    for line in shown(found):
        echo(line, err=True)
    text = dump_yaml(dl)
    _check_written(text, dl)
    if output is not None:
        write_atomic(output, text.encode("utf-8"), inputs=inputs)
    else:
        echo(text, nl=False)
    return EXIT_FOUND


def _refuse_stdout_onto(inputs: list[Path]) -> None:
    """``duty import a.docx > items.yaml`` with items.yaml an input: the shell emptied it."""
    from dutycli.errors import UsageError

    try:
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return
    for path in inputs:
        with contextlib.suppress(OSError):
            st = path.stat()
            if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
                raise UsageError(
                    f"标准输出被重定向到了输入文件 {path}：shell 在运行前已把它清空了"
                    "（可用 git checkout 或备份恢复）。请改用 --output 写文件"
                )


def _check_written(text: str, dl: object) -> None:
    """The YAML about to be written loads back as the same list (if this duty reads its schema)."""
    from dutycli.lists.load import parse
    from dutycli.lists.model import SCHEMA_VERSION, DutyList

    assert isinstance(dl, DutyList)
    if dl.schema <= SCHEMA_VERSION:
        back = parse(text, "（导入结果）")
        assert back == dl, "import: the written YAML does not load back as the same list"


# -- queries ------------------------------------------------------------------

FormatOption = Annotated[
    Optional[Format],  # noqa: UP045
    Opt(
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


OutputOption = Annotated[
    Optional[Path],  # noqa: UP045
    Opt(
        "--output",
        metavar="FILE",
        help=(
            "把结果写入文件（原子写入，不会覆盖正在读取的清单）。不给 --format 时"
            "按文件的扩展名选格式，例如 清单.xlsx 写出 Excel 工作簿。"
        ),
        show_default=False,
    ),
]


def _library(ctx: Context, street: str | None = None, kind: str | None = None) -> "Library":
    from dutycli.store import open_library

    lib = open_library(_state(ctx).data, street)
    if street is not None or kind is not None:
        lib.select(street, kind)
    return lib


def _compiled(ctx: Context, street: str | None = None, kind: str | None = None) -> "Compiled":
    """The one selected list, for commands that read a whole list."""
    return _library(ctx, street, kind).one()


def _rows(lib: "Library", rowids: list[int]) -> "list[ItemRow]":
    from dutycli.query.results import ItemRow

    return [ItemRow(item, source=ref if lib.several else None) for item, ref in lib.decode(rowids)]


def _render(
    result: "Result", fmt: Format | None, output: Path | None = None, sources: Sequence[str] = ()
) -> None:
    from dutycli.render import BINARY, default_format, render

    if output is not None:
        _write_output(result, fmt or _format_of(output), output, sources)
        return
    if fmt in BINARY and _interactive():
        from dutycli.errors import UsageError

        raise UsageError(
            f"{fmt.value} 是二进制文件格式，不能显示在终端里："
            f"请用 --output 文件名.{fmt.value} 写入文件，或重定向（> 文件名.{fmt.value}）"
        )
    fmt = fmt or default_format(sys.stdout)
    if fmt is Format.table and Paging.on and _interactive():
        from dutycli.cli.pager import page

        page(lambda out: render(result, fmt, out), sys.stdout)
    else:
        render(result, fmt, sys.stdout)
    sys.stdout.flush()


# --output without --format: the file name's extension says which format.
_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json"}
_EXTENSIONS |= {".jsonl": "jsonl", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}


def _format_of(output: Path) -> Format:
    return Format(_EXTENSIONS.get(output.suffix.lower(), "plain"))


def _interactive() -> bool:
    """Is a person reading stdout at a terminal?"""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _write_output(result: "Result", fmt: Format, output: Path, sources: Sequence[str]) -> None:
    """--output: the rendering written atomically, never over a list it was read from."""
    from dutycli.cli.outfile import write_atomic
    from dutycli.render import render_bytes

    write_atomic(output, render_bytes(result, fmt), inputs=[Path(p) for p in sources if p])


def _sources(lib: "Library") -> Sequence[str]:
    """Every list file loaded (read if --output is given): --output must not land on any."""
    return lib.sources()


def _emit(
    result: "Result",
    fmt: Format | None,
    empty_message: str,
    output: Path | None = None,
    sources: Sequence[str] = (),
) -> int:
    """Render to stdout (or to --output, never over ``sources``); nothing found exits 1."""
    if not result.rows:
        echo(empty_message, err=True)
        return EXIT_NOTHING
    _render(result, fmt, output, sources)
    return EXIT_FOUND


def _parse_ids(values: list[str]) -> list[int]:
    """Item numbers as people write them: 17, 第17项, 17项."""
    import re

    from dutycli.errors import UsageError

    out = []
    for value in values:
        m = re.fullmatch(r"\s*第?\s*([0-9]{1,9})\s*项?\s*", value)
        if not m:
            raise UsageError(
                f"事项编号应为整数（如 17 或 第17项），而不是“{value[:40]}”。"
                "按名称找事项请用 duty search。"
            )
        out.append(int(m.group(1)))
    return out


def _items_by_id(c: "Compiled", ids: list[int]) -> "tuple[list[Item], list[int]]":
    """The items with these ids, in the order asked, each once; and the ids not in the list.

    Missing ids are reported here; the command then exits 2 (an id the list does not have).
    """
    by_id = {item.id: item for item in c.all_items()}
    missing = [i for i in ids if i not in by_id]
    if missing:
        known = sorted(by_id)
        span = f"编号 {known[0]}–{known[-1]}" if known else "没有事项"
        echo(
            f"duty: 清单里没有第 {'、'.join(map(str, missing))} 项（共 {len(known)} 项，{span}）。",
            err=True,
        )
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id], missing


def _items(c: "Compiled", rows: list, view: str, **extra: object) -> "Result":  # type: ignore[type-arg]
    from dutycli.query.results import Items

    return Items(rows, view, c.info, c.categories, c.departments, **extra)  # type: ignore[arg-type]


def _lib_items(lib: "Library", rows: list, view: str, **extra: object) -> "Result":  # type: ignore[type-arg]
    """Items from any of the selected lists; one list's heading when there is one."""
    from dutycli.query.results import Items

    if len(lib.selected) == 1:
        return _items(lib.one(), rows, view, **extra)
    first = lib.selected[0].info
    depts = lib.departments_of(row.source.id for row in rows if row.source is not None)
    return Items(rows, view, first, (), depts, **extra)  # type: ignore[arg-type]


def _complete_department(ctx: Context, incomplete: str) -> list[str]:
    try:
        c = _library(ctx)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [name for name in c.department_names if incomplete in name]


def _complete_category(ctx: Context, incomplete: str) -> list[str]:
    try:
        c = _compiled(ctx)
    except Exception:
        return []
    return [name for name in c.categories if name.startswith(incomplete)]


# Long input is cut, so that any query answers in bounded time and memory:
# a pasted paragraph is not a query.
MAX_QUERY_WORDS, MAX_QUERY_CHARS, MAX_TASK_CHARS = 8, 64, 500
MAX_STDIN_BYTES = 10 * 1024 * 1024 + 1  # one byte more than textin accepts, to notice
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
            help="要找的词；多个词须全部匹配。支持拼音（canji、cjr）、同音字和小的错别字。",
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
                "guarantees 履职保障、street 街道配合职责。"
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
    lib = _library(ctx, street, kind)
    # At a terminal, say when results were left out; a pipe gets exactly --limit.
    counting = bool(limit) and _interactive()
    found = run_search(lib, query, parse_fields(fields or []), None if counting else limit or None)
    if counting and len(found) > limit:
        echo(f"显示 {limit} / {len(found)} 项，用 --limit 0 查看全部。", err=True)
        found = found[:limit]
    several = lib.several
    rows = [
        ItemRow(f.item, f.score, tuple(f.matched), f.source if several else None) for f in found
    ]
    if not rows:
        from dutycli.query.search import explain

        echo(
            _no_match_text(" ".join(query), explain(lib, query, parse_fields(fields or []))),
            err=True,
        )
        return EXIT_NOTHING
    return _emit(
        _lib_items(lib, rows, "search"),
        fmt,
        f"没有找到与“{' '.join(query)}”相关的事项。",
        output,
        _sources(lib),
    )


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
            autocompletion=_complete_department,
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

    载入多份清单时按街道分组列出；--count 只列出每个街道的事项数。
    """
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    lib = _library(ctx, street, kind)
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
        return _emit(table, fmt, f"{dept} 在清单里没有事项。", output, _sources(lib))
    total = len(found)
    if limit:
        found = found[:limit]
    rows = _rows(lib, [rowid for rowid, _ in found])
    streets = len({ref.subdistrict for _, ref in found})
    title = f"{dept}：{total} 项" + (f"，{streets} 个街道" if lib.several else "")
    if limit and total > limit:
        title += f"（显示前 {limit} 项）"
    result = _lib_items(lib, rows, "department", department=dept, title=title)
    return _emit(result, fmt, f"{dept} 在清单里没有事项。", output, _sources(lib))


@command("by-category")
def by_category(
    ctx: Context,
    name: Annotated[
        str,
        Arg(
            metavar="NAME",
            help="类别名称、唯一的开头（如 民生）或序号（2 或 二）。",
            autocompletion=_complete_category,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """列出某个类别下的全部事项。"""
    from dutycli.query.resolve import category
    from dutycli.query.results import ItemRow

    c = _compiled(ctx, street, kind)
    cat = category(c, name)
    rows = [ItemRow(item) for item in c.all_items() if item.category == cat]
    return _emit(
        _items(c, rows, "compact", title=f"{cat}：{len(rows)} 项"),
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
    numbers = _parse_ids(ids)
    lib = _library(ctx, street, kind)
    if len(lib.selected) == 1:
        from dutycli.query.results import ItemRow

        found, missing = _items_by_id(lib.one(), numbers)
        rows = [ItemRow(item) for item in found]
    else:
        rowids, missing = _rowids_by_id(lib, numbers)
        rows = _rows(lib, rowids)
    if rows:
        _emit(_lib_items(lib, rows, "split"), fmt, "", output, _sources(lib))
    return EXIT_ERROR if missing else EXIT_FOUND


def _rowids_by_id(lib: "Library", ids: list[int]) -> tuple[list[int], list[int]]:
    """Store rows of these item ids across the selected lists; an id in several is ambiguous."""
    from dutycli.errors import LookupFailed

    found = lib.find_ids(ids)
    for item_id in dict.fromkeys(ids):
        hits = found.get(item_id, [])
        if len(hits) > 1:
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


@command("list")
def list_(
    ctx: Context,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    output: OutputOption = None,
) -> int:
    """列出全部事项，每项一行：编号、名称、类别、对应上级部门（载入多份清单时再加所属清单）。"""
    lib = _library(ctx, street, kind)
    rows = _rows(lib, lib.rows())
    title = (
        f"{lib.selected[0].title}：{len(rows)} 项"
        if len(lib.selected) == 1
        else f"{len(lib.selected)} 份清单：{len(rows)} 项"
    )
    return _emit(
        _lib_items(lib, rows, "compact", title=title),
        fmt,
        "清单里没有事项。",
        output,
        _sources(lib),
    )


@command()
def lists(
    ctx: Context,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    output: OutputOption = None,
) -> int:
    """列出载入的每份清单：街道、类型、标题、事项数和文件。"""
    from dutycli.query.results import Table

    lib = _library(ctx, street, kind)
    rows = [
        {
            "subdistrict": ref.subdistrict,
            "kind": ref.short_kind,
            "title": ref.title,
            "items": ref.items,
            "file": ref.path,
        }
        for ref in lib.selected
    ]
    table = Table(
        ("subdistrict", "kind", "title", "items", "file"),
        ("街道", "类型", "标题", "事项数", "文件"),
        rows,
        None,
    )
    return _emit(table, fmt, "没有载入清单。", output, _sources(lib))


@command()
def depts(
    ctx: Context,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    output: OutputOption = None,
) -> int:
    """列出全部部门，及其别名和参与的事项数。"""
    from dutycli.query.results import Table

    c = _compiled(ctx, street, kind)
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
    return _emit(table, fmt, "清单里没有部门。", output, [c.path])


@command()
def categories(
    ctx: Context,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    output: OutputOption = None,
) -> int:
    """列出全部类别及各自的事项数。"""
    from dutycli.query.results import Table

    c = _compiled(ctx, street, kind)
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
    return _emit(table, fmt, "清单里没有类别。", output, [c.path])


@command()
def export(
    ctx: Context,
    fmt: Annotated[
        Format,
        Opt("--format", "-o", case_sensitive=False, help="输出格式；yaml 写出完整的清单文件。"),
    ] = Format.json,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """导出整份清单（默认 JSON：事项对象的数组）。"""
    from dutycli.query.results import ItemRow

    c = _compiled(ctx, street, kind)
    rows = [ItemRow(item) for item in c.all_items()]
    return _emit(_items(c, rows, "compact"), fmt, "清单里没有事项。", output, [c.path])


@command()
def check(
    ctx: Context,
    task: Annotated[
        list[str],
        Arg(
            metavar="TEXT...",
            help="上级部门要求街道做的任务描述；写 - 则从标准输入读取，每行一项任务。",
            show_default=False,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """判断任务是否在清单上：清单内（对应哪一项、怎样分工）、相近（列出候选）或清单外（须按准入程序办理）。

    载入多个街道的清单时须用 --street 选定一个街道；任务与该街道的基本、配合、收回清单一起核对：
    在基本清单上是街道自身的职责，在收回清单上是已由部门收回的事项。
    全部任务都在清单内时退出 0，否则退出 1。
    """
    from dutycli.errors import UsageError
    from dutycli.query.check import ON_LIST, check_tasks
    from dutycli.query.results import CheckResult

    if task == ["-"]:
        from dutycli.cli.textin import decode_input

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
        tasks = [_capped_task(" ".join(task).strip())]
        if not tasks[0]:
            raise UsageError(
                "任务描述是空的：请写出上级部门要求街道做的事，例如 duty check 督促物业公司做好考评"
            )
    lib = _library(ctx, street, kind)
    result = CheckResult(check_tasks(lib, tasks))
    _emit(result, fmt, "", output, _sources(lib))
    return EXIT_FOUND if all(v.verdict == ON_LIST for v in result.verdicts) else EXIT_NOTHING


@command()
def diff(
    old: Annotated[Path, Arg(metavar="OLD", help="旧版清单文件。", show_default=False)],
    new: Annotated[Path, Arg(metavar="NEW", help="新版清单文件。", show_default=False)],
    fmt: FormatOption = None,
) -> int:
    """比较两版清单：新增、删除、改动的事项（按编号和名称对应，能识别重新编号），改动细到每一条职责。

    与 diff 相同：相同退出 0，不同退出 1，出错退出 2。
    """
    from dutycli.lists.load import load
    from dutycli.query.diff import diff_lists
    from dutycli.query.results import DiffResult

    result = DiffResult(diff_lists(load(old), load(new)), str(old), str(new))
    _render(result, fmt)  # also when they are the same: that is the answer
    return EXIT_FOUND if result.diff.same else EXIT_NOTHING


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
            autocompletion=_complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """生成可直接粘贴进书面答复的引用：依据《清单》第N项“名称”，及部门和街道的职责分工。"""
    from dutycli.query.cite import citation
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    numbers = _parse_ids(ids)
    c = _compiled(ctx, street, kind)
    focus = department(c, dept) if dept else None
    found, missing = _items_by_id(c, numbers)
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
    code = _emit(table, fmt, "") if rows else EXIT_NOTHING
    return EXIT_ERROR if missing else code


@command()
def guarantees(
    ctx: Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        Arg(
            metavar="[DEPT]",
            help="只看这个部门（全称、简称或唯一的一部分）；省略时列出全部部门。",
            autocompletion=_complete_department,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """按部门列出履职保障：各部门承诺提供的培训、指导、资金、物资等。

    履职保障按事项公布；多部门事项的保障列在每个对应部门之下。
    """
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    c = _compiled(ctx, street, kind)
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


@command()
def html(
    ctx: Context,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        Opt(
            "--output",
            metavar="FILE",
            help="网页的文件名，如 清单.html（原子写入）。省略时输出到管道或重定向的文件。",
            show_default=False,
        ),
    ] = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """生成一个独立的网页文件：搜索（含拼音、同义词）、按部门和类别筛选、职责分工并排显示、打印成表格。

    网页不联网、不需要安装任何软件，用浏览器直接打开；可以发给同事或放在共享盘上。
    载入多份清单时网页包含选中的全部清单（可用 --street、--kind 选定），并可按街道和清单类型筛选。
    """
    from dutycli.cli.outfile import write_atomic
    from dutycli.errors import UsageError
    from dutycli.page import PinyinIndex, build_page
    from dutycli.store import Compiled

    lib = _library(ctx, street, kind)
    chosen = [Compiled(lib, ref) for ref in lib.selected]
    # Pinyin from the store, where the build computed it: no pypinyin import here.
    page = build_page(
        [c.dutylist() for c in chosen],
        [PinyinIndex(c.name_pinyin(), c.department_pinyin()) for c in chosen],
    )
    if output is not None:
        write_atomic(output, page.encode("utf-8"), inputs=[Path(p) for p in _sources(lib)])
    elif _interactive():
        raise UsageError("网页不能显示在终端里：请用 --output 文件名.html 写入文件，或重定向到文件")
    else:
        sys.stdout.write(page)
    return EXIT_FOUND
