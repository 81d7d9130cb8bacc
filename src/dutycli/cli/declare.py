"""The commands and their parameters, declared without Typer.

``cli`` declares each command's parameters as ``Annotated[type, Opt(...)]``
or ``Annotated[type, Arg(...)]``, and registers the command with
``@command()``. Two readers take these declarations:

- ``app`` hands them to Typer, as ``typer.Option`` / ``typer.Argument`` with
  the same arguments (help, ``--help`` and every message that is not a plain
  query);
- ``quick`` parses plain query arguments straight from them, so that a query
  does not import Typer and Click (~40 ms, more than the query itself).

Nothing here imports Typer: this module loads on every start.
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
