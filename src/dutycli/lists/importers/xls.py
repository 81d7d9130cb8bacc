"""An Excel 97-2003 workbook (.xls), read with xlrd; merges as for .xlsx."""

from __future__ import annotations

from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import MAX_COLUMNS, MAX_SLOTS, Grid, TableTooLarge
from dutycli.lists.importers.xlsx import sheet_grid, value_text


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
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True)
    except Exception as e:  # xlrd raises many types for a damaged file
        raise DataError(
            [
                Problem(
                    file, f"无法读取 Excel 文件：文件已损坏或不是 .xls 格式（{type(e).__name__}）"
                )
            ]
        ) from None
    grids: list[Grid] = []
    for sheet in book.sheets():
        if sheet.ncols > MAX_COLUMNS or sheet.nrows * max(sheet.ncols, 1) > MAX_SLOTS:
            raise TableTooLarge
        rows = [[_text(sheet, r, c) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        merges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
        grids.append(sheet_grid(rows, merges, file, sheet.name))
    return grids
