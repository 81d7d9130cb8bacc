"""Plain lines for pipes: one record a line, fields separated by tabs, no header."""

from __future__ import annotations

from typing import TextIO

from dutycli.render import Format
from dutycli.results import Items, Result


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if isinstance(result, Items):
        for row in result.rows:
            item = row.item
            out.write(f"{item.id}\t{item.name}\t{item.category}\t{'、'.join(item.departments)}\n")
        return
    from dutycli.render.columns import flat  # not needed for items: keep the common path lean

    _, _, rows = flat(result)
    for values in rows:
        out.write("\t".join(v.replace("\t", " ").replace("\n", " ") for v in values) + "\n")
