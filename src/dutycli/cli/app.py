"""The Typer application, built from the declared commands: every run of ``duty`` goes through it.

Errors of a command are caught by ``answer`` (in ``DutyGroup.invoke``);
Click's usage errors are said in Chinese through the one table of
``cli.usage`` (in ``DutyGroup.main``).

Only Typer's public names are used: ``typer.Context`` (and the help formatter
it names), ``typer.echo``, ``typer.Exit`` / ``Abort`` / ``TyperException``
(the base of Click's errors in the Click Typer carries), ``typer.core`` and
``typer.completion``; nothing of ``typer._click``.

Help is formatted here rather than by Typer's Rich panels: those import Rich
and markdown-it (~55 ms, most of ``duty --help``), and wrap Chinese only at
spaces. This formatter measures terminal cells and breaks Chinese lines the
way the tables do.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

import typer
from typer import Abort, Exit, TyperException, echo
from typer.core import TyperCommand, TyperGroup

from dutycli.cli import commands, declare
from dutycli.cli.answer import answer
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_INTERRUPTED

if TYPE_CHECKING:
    # Only the type checker reads these names: Typer exports no public name for
    # the types of the Context and help formatter it passes to a Group's methods.
    from typer._click import Context, HelpFormatter
else:
    Context = typer.Context
    HelpFormatter = typer.Context.formatter_class  # the formatter Typer's context uses

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


# Help and usage errors import what they need when they are shown (render.cells
# and its unicodedata, cli.usage): a query's run never formats help.


def _width(text: str) -> int:
    from dutycli.render.cells import cell_width

    return sum(cell_width(ch) for ch in text)


class _Formatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        from dutycli.render.cells import wrap

        indent = " " * self.current_indent
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        for n, para in enumerate(paragraphs):
            if n:
                self.write("\n")
            for line in wrap(" ".join(para.split()), self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        from dutycli.render.cells import wrap

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


class DutySubGroup(_ChineseHelp, TyperGroup):
    """A command with subcommands (``duty log``, ``duty log add``): errors are the group's."""


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
        """The commands under their modules' headings, in the order of ``commands.MODULES``."""
        shown = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                shown[name] = cmd
        groups: dict[str, list[tuple[str, str]]] = {}
        wide = max(map(_width, shown), default=0)  # one column for every group
        order = {module: n for n, module in enumerate(commands.MODULES)}
        declared = sorted(declare.COMMANDS.items(), key=lambda c: order.get(c[1].__module__, 99))
        for name, fn in declared:
            if name in shown:
                title = getattr(sys.modules[fn.__module__], "HELP_GROUP", "其他命令")
                row = (name.ljust(wide), shown[name].get_short_help_str(limit=1000))
                groups.setdefault(title, []).append(row)
        for title, rows in groups.items():
            with formatter.section(title):
                formatter.write_dl(rows)

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:
        with formatter.section("例子"):
            formatter.write_dl(list(_EXAMPLES), col_max=34)

    def invoke(self, ctx: Context) -> Any:
        return answer(lambda: super(DutyGroup, self).invoke(ctx), (Exit, Abort, TyperException))

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
            elif not command and arg in _GROUP_VALUE_OPTIONS:
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
        alone = not args  # `duty` alone: its help, and exit 2 like any other usage error
        for param in self.params:
            if param.name == "install_completion":
                param.callback = _install_completion
        try:
            rv = super().main(
                args=args or ["--help"],
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
            code = EXIT_ERROR if alone else rv if isinstance(rv, int) else EXIT_FOUND
        except TyperException as e:  # Click's errors: a usage error carries its context
            from dutycli.cli.usage import translate

            if not hasattr(e, "ctx"):
                echo(f"错误：{translate(e.format_message())}", err=True)
                code = e.exit_code
            else:
                self._usage_error(e, e.ctx, args)
                code = EXIT_ERROR
        except Abort:
            code = EXIT_INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code

    def _usage_error(self, e: TyperException, ctx: Context | None, args: list[str]) -> None:
        from dutycli.cli.usage import translate

        usage = ctx.get_usage() if ctx else ""
        usage = usage.replace("Usage:", "用法：", 1)
        name = ctx.command_path if ctx else "duty"
        if ctx is None or ctx.parent is None:
            # Typer reports some errors of a command's options on the group:
            # point at the command's own help all the same.
            command = next((a for a in args if a in self.commands), None)
            if command:
                name, usage = f"{name} {command}", ""
        said = f"错误：{translate(e.format_message())}"
        echo(f"{usage}\n{said}" if usage.strip() else said, err=True)
        echo(f"运行 {name} --help 查看帮助。", err=True)


def _install_completion(ctx: Context, param: Any, value: Any) -> Any:
    """Typer's --install-completion, saying what it did in Chinese."""
    if not value or ctx.resilient_parsing:
        return value
    # Typer's public --install-completion says what it did in English; its
    # installer (not public) is called here to say it in Chinese.
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
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        add_completion=True,
        rich_markup_mode=None,
    )
    built.callback()(typed(group))
    subgroups: dict[str, typer.Typer] = {}
    for name, fn in commands.items():
        head, _, sub = name.partition(" ")
        if not sub and not any(other.startswith(f"{name} ") for other in commands):
            built.command(name, cls=DutyCommand)(typed(fn))
            continue
        # "log add": a subcommand of "log"; "log" itself runs when no subcommand is named.
        if head not in subgroups:
            subgroups[head] = typer.Typer(cls=DutySubGroup, rich_markup_mode=None)
            built.add_typer(subgroups[head], name=head)
        if sub:
            subgroups[head].command(sub, cls=DutyCommand)(typed(fn))
        else:
            subgroups[head].callback(invoke_without_command=True)(typed(fn))
    return built


def __getattr__(name: str) -> Any:
    """``app``: the application with every command (tests and scripts import it), built once."""
    if name == "app":
        built = globals()["app"] = build(commands.declared(), commands.group_options)
        return built
    raise AttributeError(name)


# Options of the group itself, before the command name, that take a value.
_GROUP_VALUE_OPTIONS = ("--data", "--street", "-s", "--kind")
_GROUP_FLAG_PREFIXES = ("--data=", "--street=", "--kind=", "--no-pager", "--raw")


def app_for(argv: Sequence[str]) -> typer.Typer:
    """The application for ``argv``: with only the command it names plainly, or with every one.

    Typer turns every registered function into a Click command on every run
    (their parameters, types and help). When the arguments name one command
    plainly, the others cannot be reached, so they are left out. Anything else
    — no command, a name that is none of ours, the group's help or version,
    shell completion — gets them all.
    """
    # The command and its subcommands ("log", "log add", …), if it has any; or every command.
    return build(commands.declared(_named_command(argv)), commands.group_options)


def _named_command(argv: Sequence[str]) -> str | None:
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _GROUP_VALUE_OPTIONS:
            i += 2
        elif arg.startswith("-"):
            if arg == "--" or not arg.startswith(_GROUP_FLAG_PREFIXES):
                return None  # help, version, completion, or a typo: the full group answers
            i += 1
        else:
            return arg
    return None
