"""An Excel 97-2003 workbook (.xls), read with xlrd; merges as for .xlsx.

xlrd reads a sheet whole (the format has no row stream it exposes), so the
bounds are checked on each sheet as soon as it is read, before any text is
taken from it; sheets are read one at a time (``on_demand``) and let go.
"""

from __future__ import annotations

from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import MAX_COLUMNS, MAX_ROWS, Grid
from dutycli.lists.importers.xlsx import clip, hidden_values, sheet_grid, too_large, value_text


def _text(sheet: Any, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype == xlrd.XL_CELL_DATE:
        return value_text(xlrd.xldate.xldate_as_datetime(cell.value, sheet.book.datemode))
    return value_text(cell.value)


def read(raw: bytes, file: str) -> list[Grid]:
    import xlrd

    try:
        # formatting_info: without it xlrd reports no merged cells.
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True, on_demand=True)
    except Exception as e:  # xlrd raises many types for a damaged file
        raise DataError(
            [
                Problem(
                    file, f"无法读取 Excel 文件：文件已损坏或不是 .xls 格式（{type(e).__name__}）"
                )
            ]
        ) from None
    grids: list[Grid] = []
    try:
        for index in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(index)
            except Exception as e:  # a damaged sheet
                raise DataError(
                    [Problem(file, f"无法读取 Excel 文件：工作表已损坏（{type(e).__name__}）")]
                ) from None
            if sheet.nrows > MAX_ROWS:
                raise too_large(file, sheet.name, MAX_ROWS + 1, None, f"工作表超过 {MAX_ROWS:,} 行")
            if sheet.ncols > MAX_COLUMNS:
                raise too_large(
                    file, sheet.name, 1, MAX_COLUMNS + 1, f"工作表超过 {MAX_COLUMNS} 列"
                )
            rows = [[_text(sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
            merges = clip(
                [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells],
                sheet.nrows,
                sheet.ncols,
            )
            hidden = hidden_values(rows, merges, file, sheet.name)
            if hidden:
                raise DataError(hidden)
            grids.append(sheet_grid(rows, merges, file, sheet.name))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return grids
