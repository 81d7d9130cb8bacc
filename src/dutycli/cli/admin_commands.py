"""Administration commands: info, validate, import.

No ``from __future__ import annotations``: Typer reads the annotations as objects.
"""

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    OutputOption,
    StreetOption,
    compiled,
    emit,
    no_selection,
    selection,
    state,
)
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, DataError, Problem, shown

# The heading of these commands in ``duty --help``.
HELP_GROUP = "管理命令"


@command()
def info(
    ctx: Context,
    street: StreetOption = None,
    kind: KindOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> int:
    """显示当前读取的清单文件、清单标题与说明，以及事项、类别、部门的数量。"""
    from dutycli.render.info import info_text

    c = compiled(ctx, street, kind)
    if fmt is None and output is None:
        echo(info_text(c))
        return EXIT_FOUND
    from dutycli.query.results import Table

    rows = [
        {"name": name, "value": value}
        for name, value in (line.split("：", 1) for line in info_text(c).splitlines())
    ]
    table = Table(("name", "value"), ("项目", "内容"), rows, None, title=c.info.title)
    return emit(table, fmt, "", output, [c.path])


@command()
def validate(
    ctx: Context,
    path: Annotated[
        Optional[Path],  # noqa: UP045
        Arg(
            metavar="[PATH]",
            help=(
                "要检查的清单文件、常用说法对照表（thesaurus.yaml）、部门简称表（departments_abbrev.yaml）、"
                "决定记录（.csv）或回复模板；省略时检查当前使用的清单。"
            ),
            show_default=False,
        ),
    ] = None,
) -> int:
    """检查清单文件（或目录下的每份清单和决定记录）：一次列出全部问题（文件、行、列和事项编号）。

    有效退出 0，否则退出 2。
    """
    from dutycli.cli.filekinds import path_is, refuse_published
    from dutycli.cli.office_commands import logs_in, office_file
    from dutycli.lists.load import parse, read_text, warnings
    from dutycli.lists.source import list_files, resolve

    no_selection(ctx, "validate")
    target = path or resolve(state(ctx).data)
    refuse_published(Path(target), "validate")
    if _is_thesaurus(target):
        return _validate_thesaurus(target)
    if _is_abbreviations(target):
        return _validate_abbreviations(target)
    problems: list[Problem] = []
    office = office_file(Path(target))  # a decision log or reply templates
    if office is not None:
        problems, holds = office
        files = []
        if not problems:
            echo(f"{target}：有效。{holds}。")
    else:
        try:
            # A directory: every list in it, each checked whole.
            files = (
                [f.path for f in list_files(target)]
                if path_is(Path(target).is_dir)
                else [str(target)]
            )
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
    for log in logs_in(Path(target)):  # the office's decision logs beside the lists
        found, holds = office_file(log) or ([], "")
        problems += found
        if not found:
            echo(f"{log}：有效。{holds}。")
    if problems:
        for line in shown(problems):
            echo(line, err=True)
        echo(f"共发现 {len(problems)} 个问题。", err=True)
        return EXIT_ERROR
    return EXIT_FOUND


def _is_thesaurus(path: Path) -> bool:
    from dutycli.text.thesaurus import looks_like_table

    return looks_like_table(path)


def _is_abbreviations(path: Path) -> bool:
    from dutycli.lists.deptnames import looks_like_abbreviations

    return looks_like_abbreviations(path)


def _validate_abbreviations(path: Path) -> int:
    """The department abbreviation table (data/departments_abbrev.yaml), every problem located."""
    from dutycli.lists.deptnames import parse_abbreviations
    from dutycli.lists.load import read_text

    try:
        table, problems = parse_abbreviations(read_text(path), str(path))
    except DataError as e:
        table, problems = {}, e.problems
    if problems:
        for problem in problems:
            echo(str(problem), err=True)
        echo(f"共发现 {len(problems)} 个问题。", err=True)
        return EXIT_ERROR
    shorts = sum(len(v) for v in table.values())
    echo(f"{path}：有效。部门简称表，{len(table)} 个部门全称，{shorts} 个简称。")
    return EXIT_FOUND


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
    areas = len({name for names in table.areas.values() for name in names})
    more = f"，{areas} 个领域统称（只用于 search）" if areas else ""
    echo(f"{path}：有效。常用说法对照表，{len(table)} 个清单用词，{words} 个说法{more}。")
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
                "默认用清单本身写出的部门，简称按规则和部门简称表生成。"
            ),
            show_default=False,
        ),
    ] = None,
    columns: Annotated[
        Optional[str],  # noqa: UP045
        Opt(
            "--columns",
            metavar="表头=字段,…",
            help=(
                "指定列的含义，覆盖按表头文字的识别，如 "
                '--columns "要做的事=事项名称,街道干什么=街道职责,说明=附加"。'
                "字段：序号、类别、事项名称、部门、上级部门职责、履职保障、街道职责、"
                "实施依据、工作方式、附加（按原列名保留）。"
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

    列按表头的文字识别（如“配合部门”“镇街职责”“项目名称”）；不认识的列按原列名保留在每项里。
    部门取自清单本身（或 --departments 部门表）。无法识别的行、部门表里没有的部门都会连同位置
    一并报告，不会猜测；有任何问题时什么都不写。导入摘要（列的识别、保留的列、空白的统一处理）
    写到标准错误。
    """
    from dutycli.cli.outfile import check_target, write_atomic
    from dutycli.lists.importers import import_file, kind_named
    from dutycli.lists.load import parse_departments, read_text
    from dutycli.lists.serialize import dump_yaml

    street, kind = selection(ctx, street, kind)  # also written before the command
    inputs = [source] if departments is None else [source, departments]
    if output is not None:
        from dutycli.cli.filekinds import list_output

        check_target(output, inputs)
        list_output(output)
    else:
        _refuse_stdout_onto(inputs)
    table_depts = None
    if departments is not None:
        table_depts = parse_departments(read_text(departments), str(departments))
    summary: list[str] = []
    found: list[Problem] = []
    dl = import_file(
        source,
        table_depts,
        kind_named(kind) if kind else None,
        street,
        table,
        columns=columns,
        summary=summary,
        warnings=found,
    )
    for line in shown(found):
        echo(line, err=True)
    text = dump_yaml(dl)
    _check_written(text, dl)
    if output is not None:
        write_atomic(output, text.encode("utf-8"), inputs=inputs)
    else:
        echo(text, nl=False)
    for line in summary:
        echo(line, err=True)
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
