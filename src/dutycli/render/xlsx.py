"""An Excel workbook laid out like the published table.

One sheet a list: a title row, the header row 序号 / 事项名称 / 对应上级部门 /
上级部门职责 / 街道配合职责 (repeated on every printed page and frozen on
screen), a merged row for each category (``一、党的建设``), then one row an
item whose duty columns hold numbered lines in wrapped cells, 履职保障 last.
A4 landscape, fitted to the page width. Headers in 黑体, the body in 仿宋;
both fonts carry the GB2312 character set, so that Excel or WPS substitutes a
Chinese font of the same family where the named one is missing.

The renderer takes a sequence of sheets, each a list's info and items, so that
results drawn from several lists become one workbook with a sheet each.
openpyxl is imported only here, and this module only for ``-o xlsx``.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.lists.model import GUARANTEES_LABEL, Item, ListInfo
from dutycli.lists.views import Line, step_lines, street_lines, upper_lines
from dutycli.query.results import Items, Result
from dutycli.render.cells import cell_width

if TYPE_CHECKING:
    from dutycli.render import Format

HEADERS = ("序号", "事项名称", "对应上级部门", "上级部门职责", "街道配合职责")
# Headers of the other two kinds of list (schema 2): 收回 items name the
# department that takes them over and how; 基本 items have no partner.
TAKEN_BACK_HEADERS = ("序号", "事项名称", "承接部门", "工作方式")
BASIC_HEADERS = ("序号", "事项名称")
BASIS_HEADER = "实施依据"
# The published table lists a row's departments apart by white space; in a
# wrapped cell a line each reads best and imports the same.
DEPARTMENT_SEPARATOR = "\n"
KIND_SHORT = {"基本履职事项": "基本", "配合履职事项": "配合", "上级部门收回事项": "收回"}

HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
GB2312 = 134  # font charset: lets Excel and WPS substitute a Chinese font
# Column widths in characters of the body font: least and most.
MIN_WIDTH = {"序号": 6, "事项名称": 20, "对应上级部门": 16, "承接部门": 16}
MAX_WIDTH = {"序号": 7, "事项名称": 30, "对应上级部门": 24, "承接部门": 24}
# Each duty column: 27 Chinese characters a line in Excel and WPS (LibreOffice
# sets Chinese a little narrower, and leaves some room under the text).
TEXT_WIDTH = 56
BODY_SIZE = 11
LINE_HEIGHT = 14.5  # points per line of 11-point text


class Sheet(NamedTuple):
    """One sheet: a list's items, optionally one department's blocks only."""

    info: ListInfo
    categories: tuple[str, ...]
    items: Sequence[Item]
    department: str | None = None
    note: str | None = None  # the 注： row under the table


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (category rows count so)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(n)


def category_label(categories: tuple[str, ...], category: str) -> str:
    number = categories.index(category) + 1 if category in categories else 0
    return f"{chinese_number(number)}、{category}" if number else category


def _text(lines: list[Line]) -> str:
    # The published cells number steps 1. 2. and sub-steps （1）（2） without indent.
    return "\n".join(line.text for line in lines)


def upper_text(item: Item, department: str | None = None) -> str:
    """上级部门职责 as published: each block, then 履职保障 last (on one line if single)."""
    lines = upper_lines(item, department, guarantees=False)
    if item.guarantees:
        guarantees = step_lines(item.guarantees)
        if len(guarantees) == 1:
            lines.append(Line(0, GUARANTEES_LABEL + guarantees[0].text, "label"))
        else:
            lines.append(Line(0, GUARANTEES_LABEL, "label"))
            lines += guarantees
    return _text(lines)


def street_text(item: Item) -> str:
    return _text(street_lines(item))


def headers(sheet: Sheet) -> tuple[str, ...]:
    kind = sheet.info.kind
    base: tuple[str, ...]
    if kind == "上级部门收回事项":
        base = TAKEN_BACK_HEADERS
    elif kind == "基本履职事项" and not any(i.upper_duties or i.street_duties for i in sheet.items):
        base = BASIC_HEADERS
    else:
        base = HEADERS
    if any(getattr(i, "basis", None) for i in sheet.items):
        base = (*base, BASIS_HEADER)
    return base


def row_values(sheet: Sheet, item: Item, columns: tuple[str, ...]) -> list[str | int]:
    values: dict[str, str | int] = {
        "序号": item.id,
        "事项名称": item.name,
        "对应上级部门": DEPARTMENT_SEPARATOR.join(item.departments),
        "承接部门": DEPARTMENT_SEPARATOR.join(item.departments),
        "工作方式": getattr(item, "method", None) or "",
        "上级部门职责": upper_text(item, sheet.department),
        "街道配合职责": street_text(item),
        BASIS_HEADER: getattr(item, "basis", None) or "",
    }
    return [values[c] for c in columns]


def sheet_title(sheet: Sheet) -> str:
    title = sheet.info.title
    if sheet.department:
        title += f"（{sheet.department}）"
    return title


def sheet_name(info: ListInfo, taken: set[str]) -> str:
    """``青山路街道配合``: subdistrict and kind, within Excel's 31 characters, unique."""
    base = info.subdistrict + KIND_SHORT.get(info.kind, info.kind)
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in base)[:31] or "清单"
    name, n = base, 1
    while name in taken:
        n += 1
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name)
    return name


def _width(text: str) -> float:
    """Width in column units: digits of the Normal font; a Chinese character is two."""
    return float(sum(cell_width(ch) for ch in text))


def _lines_needed(text: str, width: float) -> int:
    return sum(max(1, math.ceil(_width(line) / max(width - 2, 1))) for line in text.split("\n"))


def column_widths(columns: tuple[str, ...], rows: list[list[str | int]]) -> list[float]:
    widths = []
    for n, column in enumerate(columns):
        if column in MIN_WIDTH:
            longest = max(
                [_width(column)] + [max(map(_width, str(r[n]).split("\n"))) for r in rows]
            )
            widths.append(min(max(longest + 2, MIN_WIDTH[column]), MAX_WIDTH[column]))
        else:
            widths.append(float(TEXT_WIDTH))
    return widths


def _default_font(wb: Any, font: Any) -> None:
    """Make ``font`` the workbook's Normal font.

    Column widths count characters of the Normal font's digits; with a Chinese
    font there, a Chinese character is two of them in Excel, WPS and
    LibreOffice alike, so that the row heights below hold in each.
    """
    from openpyxl.utils.indexed_list import IndexedList

    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def _put(ws: Any, row: int, column: int, value: str | int) -> Any:
    """Write ``value`` into a cell: text is always a string cell, never a formula.

    openpyxl stores any text that starts with "=" as a formula, so a list or
    task text like ``=HYPERLINK(...)`` would become live. Characters XML cannot
    hold (control characters) are written as Excel's own ``_xHHHH_`` escape.
    """
    if not isinstance(value, str):
        return ws.cell(row=row, column=column, value=value)
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    cell = ws.cell(row=row, column=column, value=text)
    cell.data_type = "s"
    return cell


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes: one sheet per element of ``sheets``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    wb = Workbook()
    wb.remove(wb.active)
    _default_font(wb, Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    title_font = Font(name=HEADING_FONT, size=16, bold=True, charset=GB2312)
    header_font = Font(name=HEADING_FONT, size=12, bold=True, charset=GB2312)
    category_font = Font(name=HEADING_FONT, size=BODY_SIZE, bold=True, charset=GB2312)
    body_font = Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)

    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet_name(sheet.info, taken))
        columns = headers(sheet)
        rows = [row_values(sheet, item, columns) for item in sheet.items]
        widths = column_widths(columns, rows)
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width

        def merged(row: int, text: str, font: Any, align: Any, height: float, ws: Any = ws) -> None:
            _put(ws, row, 1, text)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ws.max_column)
            for col in range(1, ws.max_column + 1):
                cell = ws.cell(row=row, column=col)
                cell.font, cell.alignment = font, align
                if row > 1:
                    cell.border = border
            ws.row_dimensions[row].height = height

        for col, text in enumerate(columns, start=1):
            _put(ws, 2, col, text)
        merged(1, sheet_title(sheet), title_font, center, 30)
        for col, text in enumerate(columns, start=1):
            cell = _put(ws, 2, col, text)
            cell.font, cell.alignment, cell.border = header_font, center, border
        ws.row_dimensions[2].height = 22

        r = 3
        current: str | None = None
        for item, values in zip(sheet.items, rows, strict=True):
            if sheet.categories and item.category != current:
                current = item.category
                merged(r, category_label(sheet.categories, current), category_font, left, 20)
                r += 1
            lines = 1
            for col, (value, width) in enumerate(zip(values, widths, strict=True), start=1):
                cell = _put(ws, r, col, value)
                cell.font, cell.border = body_font, border
                long_text = columns[col - 1] not in MIN_WIDTH
                cell.alignment = top_left if long_text else center
                lines = max(lines, _lines_needed(str(value), width))
            # LibreOffice keeps a row without a height one line tall: say how tall.
            ws.row_dimensions[r].height = min(lines * LINE_HEIGHT + 4, 409)
            r += 1
        if sheet.note:
            note = sheet.note if sheet.note.startswith("注") else f"注：{sheet.note}"
            merged(r, note, body_font, left, 20)

        ws.freeze_panes = "A3"
        ws.print_title_rows = "1:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if not wb.worksheets:
        wb.create_sheet("清单")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def records_workbook(title: str | None, headings: Sequence[str], rows: list[list[str]]) -> bytes:
    """Tables other than items (check verdicts, diffs): one plain sheet with a header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    _default_font(wb, Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312))
    ws = wb.active
    assert ws is not None
    ws.title = "结果"
    start = 1
    if title:
        _put(ws, 1, 1, title).font = Font(name=HEADING_FONT, size=14, bold=True)
        start = 2
    for col, text in enumerate(headings, start=1):
        cell = _put(ws, start, col, text)
        cell.font = Font(name=HEADING_FONT, bold=True, charset=GB2312)
    for r, values in enumerate(rows, start=start + 1):
        for col, value in enumerate(values, start=1):
            cell = _put(ws, r, col, value)
            cell.font = Font(name=BODY_FONT, charset=GB2312)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for col in range(1, len(headings) + 1):
        longest = max(
            [_width(headings[col - 1])]
            + [max(map(_width, str(r[col - 1]).split("\n"))) for r in rows]
        )
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 6), 60)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    ws.print_title_rows = f"{start}:{start}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheets_of(result: Items) -> list[Sheet]:
    """The sheets of an item result: one a list, in the order the lists first appear.

    A result of several lists names each row's list (``row.source``, the store's
    list); that list's categories are taken in the order its items show them,
    which is the published order.
    """
    department = result.department if result.view == "department" else None
    groups: dict[ListInfo, tuple[ListInfo, tuple[str, ...] | None, list[Item]]] = {}
    for row in result.rows:
        source = getattr(row, "source", None)
        info = source.info if source is not None else result.info
        categories = None if source is not None else result.categories
        groups.setdefault(info, (info, categories, []))[2].append(row.item)
    # The list's note (注：…) stands under every sheet of it, as under the published table.
    return [
        Sheet(
            info,
            categories if categories is not None else _categories_of(items),
            items,
            department,
            info.note,
        )
        for info, categories, items in groups.values()
    ]


def _categories_of(items: Sequence[Item]) -> tuple[str, ...]:
    """A list's categories in the order its items show them (a list may have none)."""
    return tuple(dict.fromkeys(item.category for item in items if item.category))


def render_bytes(result: Result) -> bytes:
    if isinstance(result, Items):
        return workbook(sheets_of(result))
    from dutycli.render.columns import flat

    _, headings, rows = flat(result)
    return records_workbook(getattr(result, "title", None), headings, rows)


def render(result: Result, fmt: Format, out: Any) -> None:
    """Write the workbook to a binary stream (``out.buffer`` for a text stream)."""
    data = render_bytes(result)
    target = getattr(out, "buffer", out)
    target.write(data)
