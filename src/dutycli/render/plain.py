"""Plain lines for pipes: one record a line, fields separated by tabs, no header."""

from __future__ import annotations

from typing import TextIO

from dutycli.query.results import DiffResult, Items, Result
from dutycli.render import Format, controls_shown


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if isinstance(result, DiffResult):
        from dutycli.render.report import diff_lines, plain_added, plain_removed

        lines = diff_lines(result, plain_removed, plain_added, lambda s: s)
        out.write("\n".join(lines) + "\n")
        return
    if isinstance(result, Items) and result.view in ("split", "department"):
        # The whole split, as the table shows it: a pipe or a file gets every duty.
        from dutycli.lists.views import as_text, split_lines

        department = result.department if result.view == "department" else None
        for n, row in enumerate(result.rows):
            out.write(("\n" if n else "") + as_text(split_lines(row.item, department)) + "\n")
        return
    if isinstance(result, Items):
        for row in result.rows:
            item = row.item
            line = f"{item.id}\t{item.name}\t{item.category}\t{'、'.join(item.departments)}"
            if row.source is not None:  # several lists loaded: say which one
                line += f"\t{row.source.label()}"
            out.write(line + "\n")
        return
    from dutycli.render.columns import flat  # not needed for items: keep the common path lean

    if getattr(result, "text_keys", None):
        for record in result.records():
            out.write("\t".join(str(record[k]) for k in result.text_keys) + "\n")  # type: ignore[union-attr]
        return
    _, _, rows = flat(result)
    for values in rows:
        out.write("\t".join(field(v) for v in values) + "\n")


# A line break or tab inside a field would cut the line; any other control character is
# shown (controls_shown), so that ESC ] 0 ; never sets the title of the terminal the pipe ends in.
_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def field(value: str) -> str:
    """One field of a plain line: breaks as spaces, other control characters as ``\\x1b``."""
    return value if value.isprintable() else controls_shown(value.translate(_BREAKS))
