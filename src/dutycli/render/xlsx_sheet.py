"""What every sheet of a workbook shares: fonts, cells, records that continue, print setup.

Used by ``xlsx`` (the list's sheets) and ``xlsx_records`` (other results);
openpyxl is imported only inside these functions, for ``-o xlsx``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dutycli.render.cells import cell_width
from dutycli.render.xlsx_rows import LINE_HEIGHT, RowPlan, height_of, lines_needed

HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
GB2312 = 134  # font charset: lets Excel and WPS substitute a Chinese font
BODY_SIZE = 11
# Inches: the footer's line of CJK text needs room between the body and the edge.
FOOTER_BOTTOM = 0.9
FOOTER_DISTANCE = 0.35


def text_width(text: str) -> float:
    """Width in column units: digits of the Normal font; a Chinese character is two."""
    return float(sum(cell_width(ch) for ch in text))


def default_font(wb: Any, font: Any) -> None:
    """Make ``font`` the workbook's Normal font.

    Column widths count characters of the Normal font's digits; with a Chinese
    font there, a Chinese character is two of them in Excel, WPS and
    LibreOffice alike, so that the row heights below hold in each.
    """
    from openpyxl.utils.indexed_list import IndexedList

    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def put(ws: Any, row: int, column: int, value: object) -> Any:
    """Write one cell: numbers as numbers, text always as text (``=…`` is never a formula).

    openpyxl stores any text that starts with "=" as a formula, so the data type
    is set to string after the value. Characters XML cannot hold (control
    characters) are written as Excel's own ``_xHHHH_`` escape.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", str(value))
        cell.data_type = "s"
    return cell


class Style:
    """The fonts, borders and alignments both kinds of sheet use."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title = Font(name=HEADING_FONT, size=16, bold=True, charset=GB2312)
        self.header = Font(name=HEADING_FONT, size=12, bold=True, charset=GB2312)
        self.category = Font(name=HEADING_FONT, size=BODY_SIZE, bold=True, charset=GB2312)
        self.body = Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.center_top = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)


def merged_row(
    ws: Any, row: int, text: str, width: int, font: Any, align: Any, style: Style, wide: float
) -> None:
    """One text over the whole width (title, category, note), as tall as its lines."""
    put(ws, row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font, cell.alignment = font, align
        if row > 1:
            cell.border = style.border
    scale = font.size / BODY_SIZE
    lines = lines_needed(text, wide / scale)
    ws.row_dimensions[row].height = max(height_of(lines, LINE_HEIGHT * scale), 20 * scale)


def write_record(
    ws: Any,
    row: int,
    values: Sequence[object],
    widths: Sequence[float],
    long: Sequence[bool],
    style: Style,
    short_align: Any,
) -> int:
    """Write one record from ``row``; returns the next free row.

    A record longer than one row can show continues on the rows below: its long
    columns carry on there, its short columns are merged down over them.
    """
    plan = RowPlan(values, widths, long)
    for k, (texts, height) in enumerate(zip(plan.texts, plan.heights, strict=True)):
        for col, (text, is_long) in enumerate(zip(texts, long, strict=True), start=1):
            cell = put(ws, row + k, col, text)
            cell.font, cell.border = style.body, style.border
            if is_long:
                cell.alignment = style.top_left
            else:
                cell.alignment = short_align if plan.rows == 1 else style.center_top
        ws.row_dimensions[row + k].height = height
    if plan.rows > 1:
        for col, is_long in enumerate(long, start=1):
            if not is_long:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row + plan.rows - 1, end_column=col
                )
    return row + plan.rows


def page_setup(ws: Any, title_rows: str) -> None:
    """A4 landscape, the columns fitted to the page width, titles and page numbers on every page."""
    from openpyxl.worksheet.page import PageMargins

    ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # The footer needs a line of CJK text (16 pt) between the body and the
    # paper's edge: 0.35 inch under the footer, 0.9 inch of bottom margin.
    ws.page_margins = PageMargins(
        left=0.4, right=0.4, top=0.5, bottom=FOOTER_BOTTOM, header=0.3, footer=FOOTER_DISTANCE
    )
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
