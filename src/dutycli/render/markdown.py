"""A Markdown table, for pasting into documents and issue trackers."""

from __future__ import annotations

from typing import TextIO

from dutycli.render import Format
from dutycli.render.columns import flat
from dutycli.results import Result


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def render(result: Result, fmt: Format, out: TextIO) -> None:
    _, headings, rows = flat(result)
    if getattr(result, "title", None):
        out.write(f"**{result.title}**\n\n")
    out.write("| " + " | ".join(headings) + " |\n")
    out.write("|" + "|".join("---" for _ in headings) + "|\n")
    for values in rows:
        out.write("| " + " | ".join(_cell(v) for v in values) + " |\n")
