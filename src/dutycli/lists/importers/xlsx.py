"""An Excel workbook (.xlsx): every worksheet as a grid, merge ranges made explicit.

openpyxl reports merged ranges only when the workbook is not opened read-only,
so it is opened in full; a 340-item list still loads in well under a second.
Each cell keeps its address (D17) for messages.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import (
    MAX_COLUMNS,
    MAX_SLOTS,
    Grid,
    GridBuilder,
    Place,
    TableTooLarge,
)


def value_text(value: Any) -> str:
    """A cell's value as the text it shows: 3.0 -> "3", a date -> 2025-03-01."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def sheet_grid(
    rows: list[list[str]], merges: list[tuple[int, int, int, int]], file: str, sheet: str
) -> Grid:
    """A grid from cell texts (0-based) and merges as (first row, first col, last row, last col)."""
    builder = GridBuilder()
    for r1, c1, r2, c2 in merges:
        if r1 < len(rows):
            text = rows[r1][c1] if c1 < len(rows[r1]) else ""
            builder.put(r1, c1, text, min(r2, len(rows) - 1) - r1 + 1, c2 - c1 + 1)
    for r, values in enumerate(rows):
        builder.row(r, Place(file, r + 1, sheet=sheet))
        for c, text in enumerate(values):
            if not builder.occupied(r, c):
                builder.put(r, c, text)
    return builder.grid()


def read(raw: bytes, file: str) -> list[Grid]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as e:  # zip, XML and openpyxl errors of a damaged file have many types
        raise DataError(
            [
                Problem(
                    file, f"无法读取 Excel 文件：文件已损坏或不是 Excel 格式（{type(e).__name__}）"
                )
            ]
        ) from None
    grids: list[Grid] = []
    for ws in book.worksheets:
        # The cells that hold a value: ``max_row``/``max_column`` also count
        # cells that only carry formatting, and a damaged or hostile file may
        # claim XFD1048576. (``_cells`` is openpyxl's own map of the cells it read.)
        values = {pos: cell.value for pos, cell in ws._cells.items() if cell.value is not None}
        height = max((r for r, _ in values), default=0)
        width = max((c for _, c in values), default=0)
        if width > MAX_COLUMNS or height * max(width, 1) > MAX_SLOTS:
            raise TableTooLarge
        rows = [
            [value_text(values.get((r, c))) for c in range(1, width + 1)]
            for r in range(1, height + 1)
        ]
        merges = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in ws.merged_cells.ranges
        ]
        grids.append(sheet_grid(rows, merges, file, ws.title))
    return grids
