"""Every module of commands, in the order ``duty --help`` lists their groups.

Importing a module registers its commands (``declare.command``); a new module
of commands is added to ``MODULES`` and nowhere else. Each module names its
heading in ``--help`` as ``HELP_GROUP``.
"""

from __future__ import annotations

from dutycli.cli import admin_commands, list_commands, query_commands
from dutycli.cli.options import group_options

MODULES = (query_commands, list_commands, admin_commands)

__all__ = ["MODULES", "group_options"]
