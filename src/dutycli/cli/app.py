"""The Typer application, built from the commands of ``cli``: help screens and usage errors.

Every run that ``quick`` does not answer comes here: help, usage errors,
completion. Errors of a command are caught by ``errors.answer`` (in
``DutyGroup.invoke``), usage errors are translated to Chinese in
``DutyGroup.main``.

Help is formatted here rather than by Typer's Rich panels: those import Rich
and markdown-it (~55 ms, most of ``duty --help``), and wrap Chinese only at
spaces. This formatter measures terminal cells and breaks Chinese lines the
way the tables do.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, get_args, get_origin

import typer
from typer import Abort, Exit
from typer._click import Context, HelpFormatter, echo
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperCommand, TyperGroup

from dutycli.cli import commands as cli
from dutycli.cli import declare
from dutycli.cli.answer import answer
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_INTERRUPTED
from dutycli.render.cells import cell_width, wrap

_OPT = r"'([^']+)'(?: / '[^']+')*"  # '--limit' / '-n': the first spelling names it
_CLICK_MESSAGES: list[tuple[str, str]] = [
    (
        r"No such option: (\S+?)\s*(?:\(Possible options: (.*)\)|Did you mean (.*)\?)?$",
        "没有这个选项：{0}",
    ),
    (r"No such command '(.+?)'\.?(?: Did you mean (.*)\?)?$", "没有这个命令：{0}"),
    (r"Missing argument '(.+?)'\.?$", "缺少参数 {0}"),
    (r"Missing command\.?$", "缺少命令（如 search、show、list）"),
    (r"Missing option '(.+?)'\.?.*$", "缺少选项 {0}"),
    (r"Option '(.+?)' requires an argument\.?$", "选项 {0} 需要一个值"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", "多余的参数：{0}"),
    (rf"Invalid value for {_OPT}: '(.*?)' is not one of (.*)\.$", "{0} 的值“{1}”无效，可选：{2}"),
    (
        rf"Invalid value for {_OPT}: '(.*?)' is not a valid int(?:eger)?(?: range)?\.?$",
        "{0} 应为整数，而不是“{1}”",
    ),
    (
        rf"Invalid value for {_OPT}: (.*?) is not in the range (.*)\.$",
        "{0} 的值 {1} 超出范围：应{2}",
    ),
    (rf"Invalid value for {_OPT}: \w+ '(.*)' does not exist\.$", "{0}：找不到“{1}”"),
    (rf"Invalid value for {_OPT}: \w+ '(.*)' is a directory\.$", "{0}：“{1}”是目录，应为文件"),
    (rf"Invalid value for {_OPT}: \w+ '(.*)' is a file\.$", "{0}：“{1}”是文件，应为目录"),
    (rf"Invalid value for {_OPT}: \w+ '(.*)' is not readable\.$", "{0}：没有权限读取“{1}”"),
    (rf"Invalid value for {_OPT}: \w+ '(.*)' is not writable\.$", "{0}：没有权限写入“{1}”"),
    (rf"Invalid value for {_OPT}: (.*)$", "{0} 的值无效：{1}"),
]


def _chinese_range(text: str) -> str:
    """Click's ranges (x>=0, 1<=x<=5) in words."""
    return (
        text.replace("x>=", "不小于 ")
        .replace("x<=", "不大于 ")
        .replace("<=x<=", " 到 ")
        .replace("x>", "大于 ")
        .replace("x<", "小于 ")
    )


def translate_usage(message: str) -> str:
    for pattern, template in _CLICK_MESSAGES:
        m = re.match(pattern, message.strip(), re.DOTALL)
        if m:
            groups = [g or "" for g in m.groups()]
            if "超出范围" in template:
                groups[2] = _chinese_range(groups[2])
            if "可选" in template:
                groups[2] = "、".join(c.strip(" '") for c in groups[2].split(","))
            text = template.format(*groups)
            suggestion = next((g for g in m.groups()[1:] if g and "Did you mean" not in g), None)
            if suggestion and "{1}" not in template:
                text += f"（是不是 {suggestion}？）"
            return text
    return message


_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}
_HELP_EXTRAS = (("[default: ", "[默认："), ("[required]", "[必填]"), ("[env var: ", "[环境变量："))
_OWN_HELP = {"help": "显示本帮助并退出。"}
# Typer's own options are added after the group exists; their help is
# translated where it is written.
_TYPER_HELP = {
    "Install completion for the current shell.": (
        "为当前 shell 安装命令补全（可补全部门和类别名称）。"
    ),
    "Show completion for the current shell, to copy it or customize the installation.": (
        "显示当前 shell 的补全脚本，以便复制或自行修改。"
    ),
}


def _width(text: str) -> int:
    return sum(cell_width(ch) for ch in text)


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        for n, para in enumerate(paragraphs):
            if n:
                self.write("\n")
            for line in wrap(" ".join(para.split()), self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((_width(r[0]) for r in rows), default=0), col_max) + col_spacing
        text_width = max(self.width - first_col - self.current_indent, 20)
        for first, second in rows:
            second = _TYPER_HELP.get(second, second)
            for english, chinese in _HELP_EXTRAS:
                second = second.replace(english, chinese)
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(" ".join(second.split()), text_width)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class _Context(Context):
    formatter_class = _Formatter


class _ChineseHelp:
    """Help in Chinese, laid out by _Formatter; mixed into the command and the group."""

    context_class: type[Context] = _Context

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _OWN_HELP["help"]
        return option


class DutyCommand(_ChineseHelp, TyperCommand):
    pass


# --help lists the commands people query with first, administration last.
_COMMAND_GROUPS = (
    ("查询命令", ("search", "by-dept", "by-category", "show", "check", "cite", "guarantees")),
    ("列出、比较与导出", ("lists", "list", "depts", "categories", "export", "html", "diff")),
    ("管理命令", ("info", "validate", "import")),
)
_EXAMPLES = (
    ("duty search 低保", "搜索事项（也可用拼音：duty search cjr）"),
    ("duty by-dept 民政局", "某个部门参与的全部事项"),
    ("duty show 17", "第17项的职责分工，左右并排"),
    ("duty check 督促物业公司做好考评", "这项任务在不在清单上"),
    ("duty check - < 任务.txt", "逐行核对一份任务清单"),
    ("duty cite 4", "可直接粘贴进书面答复的引用"),
    ("duty list -o xlsx --output 清单.xlsx", "存成 Excel 工作簿（版式同公布的清单）"),
    ("duty diff 旧.yaml 新.yaml", "比较两版清单"),
    ("duty search --help", "某个命令的帮助"),
)
# Options of the group that people also write after the command: moved before it.
_GLOBAL_FLAGS = ("--no-pager", "--raw")


class DutyGroup(_ChineseHelp, TyperGroup):
    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        commands = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                commands[name] = cmd
        placed: set[str] = set()
        wide = max(map(_width, commands), default=0)  # one column for every group
        for title, names in (*_COMMAND_GROUPS, ("其他命令", tuple(commands))):
            rows = [
                (name.ljust(wide), commands[name].get_short_help_str(limit=1000))
                for name in names
                if name in commands and name not in placed
            ]
            placed.update(name.strip() for name, _ in rows)
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:
        with formatter.section("例子"):
            formatter.write_dl(list(_EXAMPLES), col_max=34)

    def invoke(self, ctx: Context) -> Any:
        return answer(lambda: super(DutyGroup, self).invoke(ctx), (Exit, Abort, ClickException))

    def _data_first(self, args: list[str]) -> list[str]:
        """``duty list --data x.yaml`` means ``duty --data x.yaml list``."""
        out: list[str] = []
        moved: list[str] = []
        command = False
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                out += args[i:]
                break
            if command and arg == "--data":
                moved += args[i : i + 2]
                i += 2
                continue
            if command and (arg.startswith("--data=") or arg in _GLOBAL_FLAGS):
                moved.append(arg)
            elif not command and arg == "--data":
                out += args[i : i + 2]
                i += 2
                continue
            else:
                command = command or arg in self.commands
                out.append(arg)
            i += 1
        return moved + out

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        args = self._data_first(list(sys.argv[1:] if args is None else args))
        for param in self.params:
            if param.name == "install_completion":
                param.callback = _install_completion
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
            if e.ctx is None or e.ctx.parent is None:
                # Typer reports some errors of a command's options on the group:
                # point at the command's own help all the same.
                command = next((a for a in args if a in self.commands), None)
                if command:
                    name, usage = f"{name} {command}", ""
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


def _install_completion(ctx: Context, param: Any, value: Any) -> Any:
    """Typer's --install-completion, saying what it did in Chinese."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    echo(f"已为 {shell} 安装命令补全：{path}\n重新打开终端后生效。")
    sys.exit(EXIT_FOUND)


def typed(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` as Typer reads it: each ``declare.Opt``/``Arg`` as ``typer.Option``/``Argument``.

    A new function with the same name, help and parameters, whose annotations
    carry Typer's objects made from the same arguments; it calls ``fn``.
    """
    hints = {name: _typer_hint(hint) for name, hint in fn.__annotations__.items()}
    signature = inspect.signature(fn)
    signature = signature.replace(
        parameters=[
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
        ]
    )

    def call(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    call.__name__, call.__qualname__, call.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    call.__module__ = fn.__module__
    call.__annotations__ = hints
    call.__signature__ = signature  # type: ignore[attr-defined]
    return call


def _typer_hint(hint: Any) -> Any:
    if hint is declare.Context:
        return typer.Context
    if get_origin(hint) is not Annotated:
        return hint
    base, *extras = get_args(hint)
    params = (base, *map(_typer_param, extras))
    return Annotated[params]


def _typer_param(extra: Any) -> Any:
    if not isinstance(extra, declare.Param):
        return extra
    options = dict(extra.options)
    if "autocompletion" in options:
        options["autocompletion"] = typed(options["autocompletion"])
    return getattr(typer, extra.typer_name)(*extra.decls, **options)


def build(commands: Mapping[str, Callable[..., Any]], group: Callable[..., Any]) -> typer.Typer:
    """The Typer application of these commands and group options (``cli``'s, or a test's)."""
    built = typer.Typer(
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
        rich_markup_mode=None,
    )
    built.callback()(typed(group))
    for name, fn in commands.items():
        built.command(name, cls=DutyCommand)(typed(fn))
    return built


app = build(declare.COMMANDS, cli.group_options)


# Options of the group itself, before the command name; --data takes a value.
_GROUP_VALUE_OPTIONS = ("--data",)


def only_the_command(argv: Sequence[str]) -> None:
    """Register only the command ``argv`` names, so that Typer builds that one alone.

    Typer turns every registered function into a Click command on every run
    (their parameters, types and help: ~4 ms for 17 commands). When the
    arguments name one command plainly, the others cannot be reached, so they
    are left out. Anything else — no command, a name that is none of ours, the
    group's help or version, shell completion — keeps them all.
    """
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _GROUP_VALUE_OPTIONS:
            i += 2
        elif arg.startswith("-"):
            if arg == "--" or not arg.startswith(("--data=", "--no-pager", "--raw")):
                return  # help, version, completion, or a typo: the full group answers
            i += 1
        else:
            break
    else:
        return
    name = args[i]

    def name_of(info: Any) -> str:
        return str(info.name or info.callback.__name__.lower().replace("_", "-"))

    chosen = [info for info in app.registered_commands if name_of(info) == name]
    if len(chosen) == 1:
        app.registered_commands = chosen
