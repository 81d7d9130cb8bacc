"""The Typer application object and its error handling, shared by every command module.

DutyError is caught in exactly one place: ``DutyGroup.invoke``. Usage errors
are translated to Chinese in ``DutyGroup.main``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer import Abort, Exit
from typer._click import Context, echo
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from dutycli.errors import DutyError

EXIT_FOUND, EXIT_NOTHING, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 130, 141

_CLICK_MESSAGES: list[tuple[str, str]] = [
    (
        r"No such option: (\S+?)\s*(?:\(Possible options: (.*)\)|Did you mean (.*)\?)?$",
        "没有这个选项：{0}",
    ),
    (r"No such command '(.+?)'\.?(?: Did you mean (.*)\?)?$", "没有这个命令：{0}"),
    (r"Missing argument '(.+?)'\.?$", "缺少参数 {0}"),
    (r"Missing option '(.+?)'\.?.*$", "缺少选项 {0}"),
    (r"Option '(.+?)' requires an argument\.?$", "选项 {0} 需要一个值"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", "多余的参数：{0}"),
    (r"Invalid value for '(.+?)': '(.*?)' is not one of (.*)\.$", "{0} 的值“{1}”无效，可选：{2}"),
    (
        r"Invalid value for '(.+?)': '(.*?)' is not a valid int(?:eger)?\.?$",
        "{0} 应为整数，而不是“{1}”",
    ),
    (r"Invalid value for '(.+?)': (.*?) is not in the range (.*)\.$", "{0} 的值 {1} 超出范围 {2}"),
    (r"Invalid value for '(.+?)': (.*)$", "{0} 的值无效：{1}"),
]


def translate_usage(message: str) -> str:
    for pattern, template in _CLICK_MESSAGES:
        m = re.match(pattern, message.strip(), re.DOTALL)
        if m:
            text = template.format(*[g or "" for g in m.groups()])
            suggestion = next((g for g in m.groups()[1:] if g and "Did you mean" not in g), None)
            if suggestion and "{1}" not in template:
                text += f"（是不是 {suggestion}？）"
            return text
    return message


def _silence_stdout() -> None:
    # The reader went away: point stdout at /dev/null so that the interpreter's
    # final flush does not raise a second BrokenPipeError.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class DutyGroup(TyperGroup):
    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except DutyError as e:
            echo(f"duty: {e}", err=True)
            raise Exit(e.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise Exit(EXIT_CLOSED_PIPE) from None

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            code = rv if isinstance(rv, int) else EXIT_FOUND
        except NoArgsIsHelpError as e:
            echo(e.ctx.get_help() if e.ctx else "")
            code = EXIT_ERROR
        except UsageError as e:
            usage = e.ctx.get_usage() if e.ctx else ""
            usage = usage.replace("Usage:", "用法：", 1)
            name = e.ctx.command_path if e.ctx else "duty"
            echo(f"{usage}\n错误：{translate_usage(e.format_message())}", err=True)
            echo(f"运行 {name} --help 查看帮助。", err=True)
            code = EXIT_ERROR
        except ClickException as e:
            echo(f"错误：{translate_usage(e.format_message())}", err=True)
            code = e.exit_code
        except Abort:
            code = EXIT_INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DutyGroup,
    name="duty",
    help=(
        "查询街道配合履职事项清单：哪些事项涉及某个部门，某项任务是否在清单上，部门和街道各做什么。\n\n"
        "退出码：0 找到结果，1 没有结果，2 用法或数据错误（与 grep 相同）。"
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=True,
)
