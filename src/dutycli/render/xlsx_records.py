"""Workbooks of results that are not items: check verdicts, citations, guarantees, diffs,
departments, categories, lists.

The same form as the list's sheet: a title over the width, a bordered header row
repeated on every printed page, wrapped cells as tall as their text (a record
too long for one row continues on the next), numbers stored as numbers, A4
landscape fitted to the page width, page numbers in the footer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from dutycli.lists.views import joined
from dutycli.query.results import CheckResult, DiffResult, Table
from dutycli.render.xlsx_sheet import (
    BODY_FONT,
    BODY_SIZE,
    GB2312,
    Style,
    default_font,
    merged_row,
    page_setup,
    put,
    text_width,
    write_record,
)

# Widths in column units: each column as wide as its longest line, within these,
# and all together no wider than the list's sheet, so that print stays legible.
MIN_COLUMN = 6.0
MAX_COLUMN = 60.0
NARROWEST_TEXT = 16.0
TOTAL_WIDTH = 180.0
# Keys whose values are numbers written as text by the result (``f"{score:.1f}"``).
NUMBER_TEXT_KEYS = frozenset({"score"})
_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")


def cell_value(key: str, value: object) -> object:
    """A record's value as the cell holds it: numbers as numbers, lists joined, the rest text."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and key in NUMBER_TEXT_KEYS and _NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return joined(value)


def widths_of(headings: Sequence[str], rows: list[list[object]]) -> list[float]:
    widths = []
    for col, heading in enumerate(headings):
        longest = max(
            [text_width(heading)]
            + [max(map(text_width, str(r[col]).split("\n"))) for r in rows if r[col] is not None]
        )
        widths.append(min(max(longest + 2, MIN_COLUMN), MAX_COLUMN))
    # Too wide for the page: narrow the widest columns, never below NARROWEST_TEXT.
    while sum(widths) > TOTAL_WIDTH:
        widest = max(range(len(widths)), key=lambda c: widths[c])
        if widths[widest] <= NARROWEST_TEXT:
            break
        widths[widest] -= 1
    return widths


def records_workbook(
    title: str | None, keys: Sequence[str], headings: Sequence[str], records: list[dict[str, Any]]
) -> bytes:
    """One sheet 结果: the title, a header row, then a bordered row (or more) a record."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    default_font(wb, Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312))
    style = Style()
    ws = wb.active
    assert ws is not None
    ws.title = "结果"
    rows = [[cell_value(k, record.get(k)) for k in keys] for record in records]
    widths = widths_of(headings, rows)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    numeric = [
        all(isinstance(r[c], (int, float)) or r[c] in ("", None) for r in rows)
        and any(isinstance(r[c], (int, float)) for r in rows)
        for c in range(len(keys))
    ]
    start = 1
    if title:
        merged_row(ws, 1, title, len(keys), style.header, style.center, style, sum(widths))
        start = 2
    for col, text in enumerate(headings, start=1):
        cell = put(ws, start, col, text)
        cell.font, cell.alignment, cell.border = style.header, style.center, style.border
    ws.row_dimensions[start].height = 22
    r = start + 1
    long = [not n for n in numeric]
    for values in rows:
        r = write_record(ws, r, values, widths, long, style, style.center)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    page_setup(ws, f"1:{start}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_bytes(result: Table | CheckResult | DiffResult) -> bytes:
    table = result if isinstance(result, Table) else result.table()
    return records_workbook(result_title(result), table.keys, table.headings, table.records())


def result_title(result: object) -> str | None:
    title = getattr(result, "title", None)
    if isinstance(result, DiffResult):
        return f"比较 {result.old} → {result.new}"
    return title if isinstance(title, str) else None
