"""Every module of commands, in the order ``duty --help`` lists their groups.

Importing a module registers its commands (``declare.command``). Each module
names its heading in ``--help`` as ``HELP_GROUP``. A new module of commands is
added to ``MODULES``, and its commands to ``DECLARED_IN``.

``DECLARED_IN`` is Click's "lazily loading subcommands" pattern: a run that
names one command imports only the module that declares it, not the other
modules and what they import. tests/test_startup.py checks the table against
what the modules declare.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from dutycli.cli import declare
from dutycli.cli.options import group_options

MODULES = (
    "dutycli.cli.query_commands",
    "dutycli.cli.check_commands",
    "dutycli.cli.office_commands",
    "dutycli.cli.list_commands",
    "dutycli.cli.admin_commands",
)

# The module of each command, by the command's first word ("log" for "log add").
DECLARED_IN = {
    "search": "dutycli.cli.query_commands",
    "by-dept": "dutycli.cli.query_commands",
    "by-category": "dutycli.cli.query_commands",
    "show": "dutycli.cli.query_commands",
    "check": "dutycli.cli.check_commands",
    "cite": "dutycli.cli.check_commands",
    "guarantees": "dutycli.cli.check_commands",
    "log": "dutycli.cli.office_commands",
    "reply": "dutycli.cli.office_commands",
    "lists": "dutycli.cli.list_commands",
    "list": "dutycli.cli.list_commands",
    "depts": "dutycli.cli.list_commands",
    "categories": "dutycli.cli.list_commands",
    "export": "dutycli.cli.list_commands",
    "html": "dutycli.cli.list_commands",
    "diff": "dutycli.cli.list_commands",
    "info": "dutycli.cli.admin_commands",
    "validate": "dutycli.cli.admin_commands",
    "import": "dutycli.cli.admin_commands",
}


def declared(name: str | None = None) -> dict[str, Callable[..., int]]:
    """The commands named ``name`` (with its subcommands), or every command when it names none."""
    if name in DECLARED_IN:
        import_module(DECLARED_IN[name])
        return {n: fn for n, fn in declare.COMMANDS.items() if n.partition(" ")[0] == name}
    for module in MODULES:
        import_module(module)
    return dict(declare.COMMANDS)


__all__ = ["DECLARED_IN", "MODULES", "declared", "group_options"]
