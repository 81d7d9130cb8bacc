"""Command-line interface: parse arguments, call the core, hand results to a renderer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from dutycli.app import EXIT_ERROR, EXIT_FOUND, app
from dutycli.errors import DataError

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


@app.command()
def info(ctx: typer.Context) -> int:
    """显示当前读取的清单文件、清单标题与说明，以及事项、类别、部门的数量。"""
    from dutycli.render.text import info_text
    from dutycli.source import open_list, resolve

    dl = open_list(_state(ctx).data)
    typer.echo(info_text(dl, str(resolve(_state(ctx).data))))
    return EXIT_FOUND


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]", help="要检查的清单文件；省略时检查当前使用的清单。", show_default=False
        ),
    ] = None,
) -> int:
    """检查清单文件：一次列出全部问题（文件、行、列和事项编号）。有效退出 0，否则退出 2。"""
    from dutycli.load import load
    from dutycli.source import resolve

    target = path or resolve(_state(ctx).data)
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


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[Path, typer.Argument(
            metavar="SOURCE", help="公布的清单表格（制表符分隔、单元格含 HTML 的文本导出）。"
        )],
    departments: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--departments",
            metavar="FILE",
            help="部门表：一份清单文件（或只含 departments 的 YAML），提供部门全称和别名。默认用当前清单的部门表。",
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


def main() -> None:
    app()
