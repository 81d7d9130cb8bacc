"""TSV and CSV with a header row.

CSV is for Excel: UTF-8 with a byte order mark (without it Excel shows the
Chinese as mojibake), steps on lines of their own inside a cell. TSV keeps one
record a line, so tabs, newlines and backslashes in a value are escaped.

Spreadsheets evaluate a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
after a tab or carriage return, Excel still does): a list someone sent, or a
task list from another office, must not put a live formula into the file a
colleague opens. So such a cell gets a leading ``'``, the rule OWASP gives for
CSV injection; ``--raw`` writes the exact text for those who read the file
with a program.
"""

from __future__ import annotations

import csv
from typing import TextIO

from dutycli.lists.validate import starts_formula
from dutycli.query.results import Result
from dutycli.render import Format, Formulas, controls_shown
from dutycli.render.columns import flat


def neutral(value: str) -> str:
    """``value`` as a cell no spreadsheet evaluates: a leading ``'`` if it could start a formula."""
    return "'" + value if starts_formula(value) else value


def _tsv_escape(value: str) -> str:
    # Backslash first, so that an escape can be read back; any other control character as \x1b.
    return controls_shown(
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def render(result: Result, fmt: Format, out: TextIO) -> None:
    _, headings, rows = flat(result)
    if not Formulas.raw:
        rows = [[neutral(v) for v in values] for values in rows]
    if fmt is Format.csv:
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headings)
        writer.writerows(rows)
        return
    out.write("\t".join(headings) + "\n")
    for values in rows:
        out.write("\t".join(_tsv_escape(v) for v in values) + "\n")
