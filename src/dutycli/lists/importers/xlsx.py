"""An Excel workbook (.xlsx): every worksheet as a grid, merge ranges made explicit.

Each sheet's XML is read as a stream of rows by openpyxl's own sheet parser
(the one its read-only mode uses), so the bounds apply while reading: a
sheet that holds more rows, columns or cells than any published list stops
at the first one past the bound, with its address. Merge ranges are taken as
the sheet's XML states them (``<mergeCell ref="A1:D1"/>``) and clipped to the
cells that hold text before anything expands them; openpyxl's full mode would
first create a cell object for every slot of every range (``A1:XFD1048576``
is seventeen billion). Each cell keeps its address (D17) for messages.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SLOTS,
    Grid,
    GridBuilder,
    Place,
    column_letters,
)

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


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


def clip(merges: list[Merge], height: int, width: int) -> list[Merge]:
    """The merges within the ``height`` x ``width`` cells that hold text; the rest cut off.

    A range that starts outside holds no text and is dropped; one that reaches
    past the last row or column of text ends there (formatting often merges
    a title over the whole sheet width).
    """
    out = []
    for r1, c1, r2, c2 in merges:
        if r1 < height and c1 < width and r2 >= r1 and c2 >= c1:
            out.append((r1, c1, min(r2, height - 1), min(c2, width - 1)))
    return out


def hidden_values(
    rows: list[list[str]], merges: list[Merge], file: str, sheet: str
) -> list[Problem]:
    """Cells a merge covers that hold a text of their own (Excel would show only the first)."""
    problems = []
    for r1, c1, r2, c2 in merges:
        first = rows[r1][c1] if c1 < len(rows[r1]) else ""
        for r in range(r1, r2 + 1):
            for c in range(c1, min(c2 + 1, len(rows[r]))):
                text = rows[r][c]
                if (r, c) != (r1, c1) and text and text != first:
                    place = Place(file, r + 1, c + 1, sheet=sheet)
                    span = f"{column_letters(c1 + 1)}{r1 + 1}:{column_letters(c2 + 1)}{r2 + 1}"
                    problems.append(
                        place.problem(
                            f"合并单元格 {span} 盖住了这个有内容的单元格（“{text[:20]}”）："
                            "Excel 只显示合并区域左上角的内容，文件可能已损坏。"
                            "请在 Excel 里取消合并、把内容放好后另存"
                        )
                    )
                    break  # one problem a row of a range is enough
    return problems


def sheet_grid(rows: list[list[str]], merges: list[Merge], file: str, sheet: str) -> Grid:
    """A grid from cell texts (0-based) and merges within them (see ``clip``)."""
    builder = GridBuilder()
    for r1, c1, r2, c2 in merges:
        text = rows[r1][c1] if c1 < len(rows[r1]) else ""
        builder.put(r1, c1, text, r2 - r1 + 1, c2 - c1 + 1)
    for r, values in enumerate(rows):
        builder.row(r, Place(file, r + 1, sheet=sheet))
        for c, text in enumerate(values):
            if not builder.occupied(r, c):
                builder.put(r, c, text)
    return builder.grid()


def too_large(file: str, sheet: str, row: int, column: int | None, what: str) -> DataError:
    place = Place(file, row, column, sheet=sheet)
    return DataError(
        [place.problem(f"{what}：公布的清单远没有这么大，文件可能已损坏；读到这里就停止了")]
    )


def _sheet_cells(book: Any, ws: Any, file: str) -> tuple[dict[tuple[int, int], Any], list[Merge]]:
    """The cells of a sheet that hold a value (1-based keys), and its merges; bounded."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    values: dict[tuple[int, int], Any] = {}
    # ``_archive`` and ``_worksheet_path``: where openpyxl's read-only sheet reads its XML.
    with book._archive.open(ws._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            book.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for r, cells in parser.parse():
            for cell in cells:
                value = cell["value"]
                if value is None or value == "":
                    continue
                c = cell["column"]
                if r > MAX_ROWS:
                    raise too_large(file, ws.title, r, c, f"工作表超过 {MAX_ROWS:,} 行")
                if c > MAX_COLUMNS:
                    raise too_large(file, ws.title, r, c, f"工作表超过 {MAX_COLUMNS} 列")
                values[(r, c)] = value
                if len(values) > MAX_SLOTS // 4:
                    raise too_large(
                        file, ws.title, r, c, f"工作表超过 {MAX_SLOTS // 4:,} 个有内容的单元格"
                    )
        merges: list[Merge] = []
        for merged in getattr(parser.merged_cells, "mergeCell", None) or ():
            try:
                c1, r1, c2, r2 = range_boundaries(merged.ref)
            except (TypeError, ValueError):
                continue  # not a range: nothing to merge
            if None not in (c1, r1, c2, r2):
                merges.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
    return values, merges


def read(raw: bytes, file: str) -> list[Grid]:
    import openpyxl

    def damaged(e: Exception) -> DataError:
        return DataError(
            [
                Problem(
                    file, f"无法读取 Excel 文件：文件已损坏或不是 Excel 格式（{type(e).__name__}）"
                )
            ]
        )

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # zip, XML and openpyxl errors of a damaged file have many types
        raise damaged(e) from None
    grids: list[Grid] = []
    try:
        for ws in book.worksheets:
            try:
                values, merges = _sheet_cells(book, ws, file)
            except DataError:
                raise
            except Exception as e:  # a damaged sheet's XML
                raise damaged(e) from None
            height = max((r for r, _ in values), default=0)
            width = max((c for _, c in values), default=0)
            rows = [
                [value_text(values.get((r, c))) for c in range(1, width + 1)]
                for r in range(1, height + 1)
            ]
            merges = clip(merges, height, width)
            hidden = hidden_values(rows, merges, file, ws.title)
            if hidden:
                raise DataError(hidden)
            grids.append(sheet_grid(rows, merges, file, ws.title))
    finally:
        book.close()
    return grids
