"""The fast way in: a plain query's arguments, parsed without Typer.

Typer and Click take ~40 ms to import: more than a query over a province's
335,000 items takes itself. Most runs are plain — ``duty search 低保``,
``duty -s 青山 show 17 -o json`` — and for those ``parse`` reads the
parameters ``cli`` declares (``declare.Opt`` / ``declare.Arg``), converts the
values as Click would, and ``run`` calls the command.

Whatever it is not sure of, it leaves alone: help, ``--version``, a misspelt
command or option, a value Click would refuse, an option given twice, shell
completion. ``parse`` returns None and the Typer application answers, with its
Chinese usage messages, exactly as before. ``tests/test_quick.py`` holds the
two ways to the same calls: for any arguments this parser takes, Typer calls
the same command with the same values.
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple, Union, get_args, get_origin

from dutycli.cli import commands as cli
from dutycli.cli import declare
from dutycli.cli.answer import answer
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_FOUND, EXIT_INTERRUPTED


class Call(NamedTuple):
    """A command and the values given for its parameters (the rest keep their defaults)."""

    command: str
    group: dict[str, Any]  # of cli.group_options: --data, --no-pager
    values: dict[str, Any]
    context: str | None  # the command's parameter that takes the context, if any


class _Declined(Exception):
    """Not a plain query: the Typer application answers."""


# What Typer passes on to Click unchanged, or only uses for help and completion.
_UNDERSTOOD = {"help", "metavar", "show_default", "min", "max", "case_sensitive", "autocompletion"}


class _Param(NamedTuple):
    name: str
    kind: str  # flag, int, str, path or choice
    many: bool  # a list: an option given several times, or an argument taking the rest
    required: bool
    plain: bool  # declared with nothing but _UNDERSTOOD
    options: dict[str, Any]
    base: Any


def _params(fn: Callable[..., Any]) -> tuple[str | None, dict[str, _Param], list[_Param]]:
    """The context parameter, the options by each spelling, and the arguments in order."""
    code = fn.__code__
    positional = code.co_varnames[: code.co_argcount]
    defaults = set(positional[len(positional) - len(fn.__defaults__ or ()) :])
    defaults |= set(fn.__kwdefaults__ or ())
    context = None
    options: dict[str, _Param] = {}
    arguments: list[_Param] = []
    for name, hint in fn.__annotations__.items():
        if name == "return":
            continue
        if hint is declare.Context:
            context = name
            continue
        decl = next(
            (m for m in getattr(hint, "__metadata__", ()) if isinstance(m, declare.Param)), None
        )
        if decl is None:
            raise _Declined  # a parameter whose kind Typer would infer: not ours to guess
        kind, many, base = _kind(hint.__origin__)
        plain = set(decl.options) <= _UNDERSTOOD
        param = _Param(name, kind, many, name not in defaults, plain, decl.options, base)
        if isinstance(decl, declare.Arg):
            arguments.append(param)
            continue
        if not decl.decls or any("/" in d for d in decl.decls):
            raise _Declined  # names Typer would make up, or a --yes/--no pair
        for spelling in decl.decls:
            options[spelling] = param
    return context, options, arguments


def _kind(hint: Any) -> tuple[str, bool, Any]:
    """(kind, many, base type) of an annotation such as Optional[list[str]]."""
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise _Declined
        hint = args[0]
    many = get_origin(hint) is list
    if many:
        (hint,) = get_args(hint)
    if hint is bool and not many:
        return "flag", False, hint
    kinds = {int: "int", str: "str", Path: "path"}
    if hint in kinds:
        return kinds[hint], many, hint
    if isinstance(hint, type) and issubclass(hint, Enum):
        return "choice", many, hint
    raise _Declined


def _convert(param: _Param, value: str) -> Any:
    """The value as Click and Typer would pass it on; _Declined where they would refuse it."""
    if "\0" in value:
        raise _Declined
    if param.kind == "str":
        return value
    if param.kind == "int":
        try:
            number = int(value)
        except ValueError:
            raise _Declined from None
        low, high = param.options.get("min"), param.options.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            raise _Declined
        return number
    if param.kind == "path":
        # Click stats the path: one that exists must be readable.
        try:
            os.stat(value)
        except OSError:
            return Path(value)
        if not os.access(value, os.R_OK):
            raise _Declined
        return Path(value)
    choices = [member.value for member in param.base]
    if param.options.get("case_sensitive", True):
        found = [c for c in choices if c == value]
    else:
        found = [c for c in choices if c.casefold() == value.casefold()]
    if len(found) != 1:
        raise _Declined
    return param.base(found[0])


def _option(args: Sequence[str], i: int, options: dict[str, _Param], into: dict[str, Any]) -> int:
    """Take the option at ``args[i]`` (and its value) into ``into``; the index after it."""
    spelled, attached, value = args[i], False, ""
    if spelled.startswith("--") and "=" in spelled:
        spelled, value = spelled.split("=", 1)
        attached = True
    param = options.get(spelled)
    if param is None or not param.plain:
        raise _Declined
    if param.kind == "flag":
        if attached:
            raise _Declined
        i, converted = i + 1, True
    else:
        if not attached:
            if i + 1 == len(args) or args[i + 1].startswith("-"):
                raise _Declined  # no value, or one Click might read another way
            value = args[i + 1]
            i += 1
        i, converted = i + 1, _convert(param, value)
    if param.many:
        into.setdefault(param.name, []).append(converted)
    elif param.name in into:
        raise _Declined  # given twice
    else:
        into[param.name] = converted
    return i


def _arguments(arguments: list[_Param], given: list[str], into: dict[str, Any]) -> None:
    """Positional values to the command's arguments, as Click hands them out."""
    fixed = [a for a in arguments if not a.many]
    rest = [a for a in arguments if a.many]
    if len(rest) > 1 or (rest and arguments[-1] is not rest[0]):
        raise _Declined
    if len(given) > len(fixed) and not rest:
        raise _Declined  # extra arguments
    for param, value in zip(fixed, given, strict=False):
        into[param.name] = _convert(param, value)
    for param in fixed[len(given) :]:
        if param.required:
            raise _Declined
    if rest:
        values = [_convert(rest[0], v) for v in given[len(fixed) :]]
        if values:
            into[rest[0].name] = values
        elif rest[0].required or len(given) < len(fixed):
            raise _Declined


def parse(args: Sequence[str]) -> Call | None:
    """The command and values Typer would call for ``args``; None where unsure."""
    if any(key.endswith("_COMPLETE") for key in os.environ):
        return None  # shell completion
    try:
        return _parse(list(args))
    except _Declined:
        return None


def _parse(args: list[str]) -> Call:
    _, group_options, _ = _params(cli.group_options)
    group: dict[str, Any] = {}
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i = _option(args, i, group_options, group)
    if i == len(args) or args[i] not in declare.COMMANDS:
        raise _Declined
    name = args[i]
    context, options, arguments = _params(declare.COMMANDS[name])
    values: dict[str, Any] = {}
    given: list[str] = []
    i += 1
    while i < len(args):
        arg = args[i]
        if arg == "--":
            given += args[i + 1 :]
            break
        if arg.startswith("-") and arg != "-":
            spelled = arg.split("=", 1)[0] if arg.startswith("--") else arg
            # --data and --no-pager after the command are the group's (app._data_first).
            into = values if spelled in options else group
            i = _option(args, i, options if into is values else group_options, into)
            continue
        given.append(arg)
        i += 1
    _arguments(arguments, given, values)
    return Call(name, group, values, context)


class _Root:
    """The context a command reads: the group's state, set by cli.group_options."""

    obj: Any = None

    def find_root(self) -> _Root:
        return self


def run(args: Sequence[str]) -> int | None:
    """The exit status of the command ``args`` name; None where Typer must answer."""
    call = parse(args)
    if call is None:
        return None
    fn = declare.COMMANDS[call.command]
    root = _Root()

    def invoke() -> object:
        cli.group_options(root, **call.group)
        return fn(**({call.context: root} if call.context else {}), **call.values)

    try:
        status = answer(invoke)
    except KeyboardInterrupt:
        echo("", err=True)  # as Click does
        return EXIT_INTERRUPTED
    return status if isinstance(status, int) else EXIT_FOUND
