"""Commands that list, export and compare: lists, list, depts, categories, export, html, diff.

No ``from __future__ import annotations``: Typer reads the annotations as objects.
"""

import sys
from pathlib import Path
from typing import Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    LimitOption,
    OutputOption,
    StreetOption,
    compiled,
    cut,
    emit,
    interactive,
    items_result,
    lib_items,
    library,
    no_selection,
    render_result,
    rows_of,
    sources,
)
from dutycli.errors import EXIT_FOUND, EXIT_NOTHING
from dutycli.render import Format

# The heading of these commands in ``duty --help``.
HELP_GROUP = "列出、比较与导出"


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

    lib = library(ctx, street, kind)
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
    return emit(table, fmt, "没有载入清单。", output, sources(lib))


@command("list")
def list_(
    ctx: Context,
    fmt: FormatOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    output: OutputOption = None,
    limit: LimitOption = 0,
) -> int:
    """列出全部事项，每项一行：编号、名称、类别、对应上级部门（载入多份清单时再加所属清单）。"""
    lib = library(ctx, street, kind)
    rows = rows_of(lib, cut(lib.rows(), limit))
    title = (
        f"{lib.selected[0].title}：{len(rows)} 项"
        if len(lib.selected) == 1
        else f"{len(lib.selected)} 份清单：{len(rows)} 项"
    )
    return emit(
        lib_items(lib, rows, "compact", title=title),
        fmt,
        "清单里没有事项。",
        output,
        sources(lib),
    )


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

    c = compiled(ctx, street, kind)
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
    return emit(table, fmt, "清单里没有部门。", output, [c.path])


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

    c = compiled(ctx, street, kind)
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
    return emit(table, fmt, "清单里没有类别。", output, [c.path])


@command()
def export(
    ctx: Context,
    fmt: Annotated[
        Optional[Format],  # noqa: UP045
        Opt(
            "--format",
            "-o",
            case_sensitive=False,
            help=(
                "输出格式；yaml 写出完整的清单文件。默认 json；"
                "给了 --output 时按文件的扩展名选格式（如 清单.xlsx）。"
            ),
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """导出整份清单（默认 JSON：事项对象的数组）。"""
    from dutycli.query.results import ItemRow

    c = compiled(ctx, street, kind)
    rows = [ItemRow(item) for item in c.all_items()]
    if fmt is None and output is None:
        fmt = Format.json
    return emit(items_result(c, rows, "compact"), fmt, "清单里没有事项。", output, [c.path])


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
    from dutycli.page import Engine, PinyinIndex, build_page
    from dutycli.query.layers import selection_layer
    from dutycli.store import Compiled

    lib = library(ctx, street, kind)
    chosen = [Compiled(lib, ref) for ref in lib.selected]
    # Pinyin, readings and the query layer from the store and its cache, as search reads them.
    source = selection_layer(lib)
    page = build_page(
        [c.dutylist() for c in chosen],
        [PinyinIndex(c.name_pinyin(), c.department_pinyin()) for c in chosen],
        Engine(
            source.layer() if source is not None else None,
            lib.readings(),
            [ref.path for ref in lib.selected],
        ),
    )
    if output is not None:
        from dutycli.cli.filekinds import page_output

        page_output(output)
        write_atomic(output, page.encode("utf-8"), inputs=[Path(p) for p in sources(lib)])
    elif interactive():
        raise UsageError("网页不能显示在终端里：请用 --output 文件名.html 写入文件，或重定向到文件")
    else:
        sys.stdout.write(page)
    return EXIT_FOUND


@command()
def diff(
    ctx: Context,
    old: Annotated[Path, Arg(metavar="OLD", help="旧版清单文件。", show_default=False)],
    new: Annotated[Path, Arg(metavar="NEW", help="新版清单文件。", show_default=False)],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> int:
    """比较两版清单：新增、删除、改动的事项（按编号和名称对应，能识别重新编号），改动细到每一条职责。

    与 diff 相同：相同退出 0，不同退出 1，出错退出 2。
    """
    from dutycli.cli.filekinds import refuse_published
    from dutycli.lists.load import load
    from dutycli.query.diff import diff_lists
    from dutycli.query.results import DiffResult

    no_selection(ctx, "diff")
    refuse_published(old, "diff")
    refuse_published(new, "diff")
    result = DiffResult(diff_lists(load(old), load(new)), str(old), str(new))
    # Also when they are the same: that is the answer.
    render_result(result, fmt, output, [str(old), str(new)])
    return EXIT_FOUND if result.diff.same else EXIT_NOTHING
