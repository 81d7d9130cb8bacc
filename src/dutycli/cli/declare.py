"""How a command and its parameters are declared: ``@command()``, ``Opt(...)``, ``Arg(...)``.

A module of commands (listed in ``cli.commands``) declares each parameter as
``Annotated[type, Opt(...)]`` or ``Annotated[type, Arg(...)]`` with the
arguments ``typer.Option`` / ``typer.Argument`` take, and registers the
command with ``@command()``. ``app`` builds them into Typer, only the command
a run names: declaring costs nothing until then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Param:
    """A parameter as ``typer.Option`` or ``typer.Argument`` would take it: the same arguments."""

    typer_name = ""

    def __init__(self, *decls: str, **options: Any) -> None:
        self.decls = decls
        self.options = options

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self.decls!r}"


class Opt(Param):
    typer_name = "Option"


class Arg(Param):
    typer_name = "Argument"


class Context(Protocol):
    """What a command reads of its context: the group's state, on the root."""

    obj: Any

    def find_root(self) -> Context: ...


# The commands, by name, in the order --help lists them within a group.
COMMANDS: dict[str, Callable[..., int]] = {}


def command(name: str | None = None) -> Callable[[F], F]:
    """Register a command under ``name`` (default: the function's name)."""

    def register(fn: F) -> F:
        COMMANDS[name or fn.__name__] = fn
        return fn

    return register
