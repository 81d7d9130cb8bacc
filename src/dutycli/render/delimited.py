"""TSV and CSV with a header row.

CSV is for Excel: UTF-8 with a byte order mark (without it Excel shows the
Chinese as mojibake), steps on lines of their own inside a cell. TSV keeps one
record a line, so tabs, newlines and backslashes in a value are escaped.
"""

from __future__ import annotations

import csv
from typing import TextIO

from dutycli.query.results import Result
from dutycli.render import Format
from dutycli.render.columns import flat


def _tsv_escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def render(result: Result, fmt: Format, out: TextIO) -> None:
    _, headings, rows = flat(result)
    if fmt is Format.csv:
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerows(rows)
        return
    out.write("\t".join(headings) + "\n")
    for values in rows:
        out.write("\t".join(_tsv_escape(v) for v in values) + "\n")
