"""A Markdown table, for pasting into documents and issue trackers."""

from __future__ import annotations

from typing import TextIO

from dutycli.query.results import DiffResult, Result
from dutycli.render import Format
from dutycli.render.columns import flat


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def render(result: Result, fmt: Format, out: TextIO) -> None:
    if isinstance(result, DiffResult):
        from dutycli.render.report import diff_lines

        lines = diff_lines(
            result, lambda s: f"~~{s}~~", lambda s: f"**{s}**", lambda s: f"\n### {s}\n"
        )
        out.write("\n".join(lines).replace("\n  ", "\n- ") + "\n")
        return
    _, headings, rows = flat(result)
    title = getattr(result, "title", None)
    if title:
        out.write(f"**{title}**\n\n")
    out.write("| " + " | ".join(headings) + " |\n")
    out.write("|" + "|".join("---" for _ in headings) + "|\n")
    for values in rows:
        out.write("| " + " | ".join(_cell(v) for v in values) + " |\n")
