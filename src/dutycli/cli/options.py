"""What several commands share: the options, the group's state, and how a result reaches the user.

Parameters are declared with ``declare.Opt`` / ``declare.Arg``; ``app`` builds
them into Typer. Like the command modules, this one has no ``from __future__
import annotations``: Typer reads the annotations as objects.
"""

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Context, Opt
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_FOUND, EXIT_NOTHING
from dutycli.render import Format

if TYPE_CHECKING:
    from dutycli.lists.model import Item
    from dutycli.query.results import ItemRow, Result
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


class Paging:
    """Whether a long table on a terminal goes through the pager (--no-pager says no)."""

    on = True


def group_options(
    ctx: Context,
    data: DataOption = None,
    version: VersionOption = None,
    no_pager: NoPagerOption = False,
) -> None:
    """The options before the command name (``duty --data x.yaml search …``)."""
    ctx.obj = State(data)
    Paging.on = not no_pager


def state(ctx: Context) -> State:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, State) else State(None)


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


def library(ctx: Context, street: str | None = None, kind: str | None = None) -> "Library":
    from dutycli.store import open_library

    lib = open_library(state(ctx).data, street)
    if street is not None or kind is not None:
        lib.select(street, kind)
    return lib


def compiled(ctx: Context, street: str | None = None, kind: str | None = None) -> "Compiled":
    """The one selected list, for commands that read a whole list."""
    return library(ctx, street, kind).one()


def rows_of(lib: "Library", rowids: list[int]) -> "list[ItemRow]":
    from dutycli.query.results import ItemRow

    return [ItemRow(item, source=ref if lib.several else None) for item, ref in lib.decode(rowids)]


def render_result(
    result: "Result", fmt: Format | None, output: Path | None = None, sources: Sequence[str] = ()
) -> None:
    from dutycli.render import BINARY, default_format, render

    if output is not None:
        write_output(result, fmt or format_of(output), output, sources)
        return
    if fmt in BINARY and interactive():
        from dutycli.errors import UsageError

        raise UsageError(
            f"{fmt.value} 是二进制文件格式，不能显示在终端里："
            f"请用 --output 文件名.{fmt.value} 写入文件，或重定向（> 文件名.{fmt.value}）"
        )
    fmt = fmt or default_format(sys.stdout)
    if fmt is Format.table and Paging.on and interactive():
        from dutycli.cli.pager import page

        page(lambda out: render(result, fmt, out), sys.stdout)
    else:
        render(result, fmt, sys.stdout)
    sys.stdout.flush()


# --output without --format: the file name's extension says which format.
_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".tsv": "tsv", ".json": "json"}
_EXTENSIONS |= {".jsonl": "jsonl", ".yaml": "yaml", ".yml": "yaml", ".md": "markdown"}


def format_of(output: Path) -> Format:
    return Format(_EXTENSIONS.get(output.suffix.lower(), "plain"))


def interactive() -> bool:
    """Is a person reading stdout at a terminal?"""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def write_output(result: "Result", fmt: Format, output: Path, sources: Sequence[str]) -> None:
    """--output: the rendering written atomically, never over a list it was read from."""
    from dutycli.cli.outfile import write_atomic
    from dutycli.render import render_bytes

    write_atomic(output, render_bytes(result, fmt), inputs=[Path(p) for p in sources if p])


def sources(lib: "Library") -> Sequence[str]:
    """Every list file loaded (read if --output is given): --output must not land on any."""
    return lib.sources()


def emit(
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
    render_result(result, fmt, output, sources)
    return EXIT_FOUND


def parse_ids(values: list[str]) -> list[int]:
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


def items_by_id(c: "Compiled", ids: list[int]) -> "tuple[list[Item], list[int]]":
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


def items_result(c: "Compiled", rows: list, view: str, **extra: object) -> "Result":  # type: ignore[type-arg]
    from dutycli.query.results import Items

    return Items(rows, view, c.info, c.categories, c.departments, **extra)  # type: ignore[arg-type]


def lib_items(lib: "Library", rows: list, view: str, **extra: object) -> "Result":  # type: ignore[type-arg]
    """Items from any of the selected lists; one list's heading when there is one."""
    from dutycli.query.results import Items

    if len(lib.selected) == 1:
        return items_result(lib.one(), rows, view, **extra)
    first = lib.selected[0].info
    depts = lib.departments_of(row.source.id for row in rows if row.source is not None)
    return Items(rows, view, first, (), depts, **extra)  # type: ignore[arg-type]


def complete_department(ctx: Context, incomplete: str) -> list[str]:
    try:
        c = library(ctx)
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [name for name in c.department_names if incomplete in name]


def complete_category(ctx: Context, incomplete: str) -> list[str]:
    try:
        c = compiled(ctx)
    except Exception:
        return []
    return [name for name in c.categories if name.startswith(incomplete)]
