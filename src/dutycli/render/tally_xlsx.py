"""The tally of the decision log (``duty log tally -o xlsx``) as a workbook ready to attach.

A 公文-style table: the title in 方正小标宋简体 (the report's heading), a line
naming the subdistrict and the period, the header row in 黑体 (repeated on each
printed page), one row a department and verdict with the department merged
down its rows, the counts by decision and a total, a 合计 row, and the date the
table was made. Body text in 仿宋_GB2312; A4 landscape fitted to the width.

Every text cell is written as a string, never a formula, whatever it holds (a
department name typed as ``=…`` in a hand-edited log stays that text); the
counts are integers.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from dutycli.lists.ledger import DECISIONS
from dutycli.query.tally import Tally
from dutycli.render.reply import BODY_FONT, HEADING_FONT, TITLE_FONT, chinese_date

GB2312 = 134
HEADERS = ("部门", "判定", *DECISIONS, "合计")
WIDTHS = (34, 10, 9, 9, 11, 9, 9)


def _text(ws: Any, row: int, column: int, value: str) -> Any:
    """A cell holding ``value`` as text: openpyxl would read ``=…`` as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    return cell


def tally_xlsx(tally: Tally, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = tally.period.label[:31]
    ncol = len(HEADERS)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    body = Font(name=BODY_FONT, size=12, charset=GB2312)
    bold = Font(name=HEADING_FONT, size=12, charset=GB2312)

    _text(ws, 1, 1, tally.title() + "表").font = Font(name=TITLE_FONT, size=18, charset=GB2312)
    ws.cell(row=1, column=1).alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 36
    about = f"填报单位：{tally.subdistrict}　　统计期间：{tally.period.label}"
    _text(ws, 2, 1, about).font = body
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    for column, heading in enumerate(HEADERS, start=1):
        cell = _text(ws, 3, column, heading)
        cell.font, cell.alignment, cell.border = bold, center, border
    row = 4
    start_of: dict[str, int] = {}
    for r in tally.rows:
        start_of.setdefault(r.department, row)
        values: list[Any] = [r.department, r.verdict, *r.counts, r.total]
        for column, value in enumerate(values, start=1):
            cell = _text(ws, row, column, value) if isinstance(value, str) else ws.cell(row, column)
            if not isinstance(value, str):
                cell.value = value
            cell.font, cell.border = body, border
            cell.alignment = left if column == 1 else center
        ws.row_dimensions[row].height = 22
        row += 1
    for dept, first in start_of.items():
        last = first + sum(1 for r in tally.rows if r.department == dept) - 1
        if last > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    totals = tally.totals()
    for column, value in enumerate(["合计", "", *totals, sum(totals)], start=1):
        cell = _text(ws, row, column, value) if isinstance(value, str) else ws.cell(row, column)
        if not isinstance(value, str):
            cell.value = value
        cell.font, cell.border, cell.alignment = bold, border, center
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.row_dimensions[row].height = ws.row_dimensions[3].height = 22
    made = _text(ws, row + 2, 1, f"制表日期：{chinese_date(today)}")
    made.font, made.alignment = body, Alignment(horizontal="right")
    ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=ncol)
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + column)].width = width
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
