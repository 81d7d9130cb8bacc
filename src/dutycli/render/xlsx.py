"""An Excel workbook laid out like the published table.

One sheet a list: a title row, the header row 序号 / 事项名称 / 对应上级部门 /
上级部门职责 / 街道配合职责 (repeated on every printed page and frozen on
screen), a merged row for each category (``一、党的建设``), then one row an
item whose duty columns hold numbered lines in wrapped cells, 履职保障 last.
An item longer than a row can show goes on in the rows below, its 序号, name
and departments merged down over them (``xlsx_rows``): no character is ever
hidden. A4 landscape, fitted to the page width, page numbers in the footer.
Headers in 黑体, the body in 仿宋;
both fonts carry the GB2312 character set, so that Excel or WPS substitutes a
Chinese font of the same family where the named one is missing.

The renderer takes a sequence of sheets, each a list's info and items, so that
results drawn from several lists become one workbook with a sheet each.
openpyxl is imported only by the xlsx modules, and they only for ``-o xlsx``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.lists.model import GUARANTEES_LABEL, Item, ListInfo
from dutycli.lists.views import Line, step_lines, street_lines, upper_lines
from dutycli.query.results import Items, Result
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

# Column widths in characters of the body font: least and most.
MIN_WIDTH = {"序号": 6, "事项名称": 20, "对应上级部门": 16, "承接部门": 16}
MAX_WIDTH = {"序号": 7, "事项名称": 30, "对应上级部门": 24, "承接部门": 24}
# Each duty column: 27 Chinese characters a line in Excel and WPS (LibreOffice
# sets Chinese a little narrower, and leaves some room under the text).
TEXT_WIDTH = 56


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
    elif kind == "基本履职事项":
        # The columns a 基本 list has content in (a 权责清单's 责任事项, a 赋权 list's 原行使部门).
        wanted = {
            "对应上级部门": any(i.departments for i in sheet.items),
            "上级部门职责": any(i.upper_duties or i.guarantees for i in sheet.items),
            "街道配合职责": any(i.street_duties for i in sheet.items),
        }
        base = (*BASIC_HEADERS, *(h for h in HEADERS if wanted.get(h)))
    else:
        base = HEADERS
    if any(getattr(i, "basis", None) for i in sheet.items):
        base = (*base, BASIS_HEADER)
    if "工作方式" not in base and any(i.method for i in sheet.items):
        base = (*base, "工作方式")
    # The columns an import kept as published, under their own headers.
    extras = tuple(dict.fromkeys(n for i in sheet.items for n, _ in i.extras if n not in base))
    return (*base, *extras)


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
    extras = dict(item.extras)
    return [values[c] if c in values else extras.get(c, "") for c in columns]


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


def column_widths(columns: tuple[str, ...], rows: list[list[str | int]]) -> list[float]:
    widths = []
    for n, column in enumerate(columns):
        if column in MIN_WIDTH:
            longest = max(
                [text_width(column)] + [max(map(text_width, str(r[n]).split("\n"))) for r in rows]
            )
            widths.append(min(max(longest + 2, MIN_WIDTH[column]), MAX_WIDTH[column]))
        else:
            widths.append(float(TEXT_WIDTH))
    return widths


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The workbook's bytes: one sheet per element of ``sheets``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    default_font(wb, Font(name=BODY_FONT, size=BODY_SIZE, charset=GB2312))
    style = Style()

    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet_name(sheet.info, taken))
        columns = headers(sheet)
        rows = [row_values(sheet, item, columns) for item in sheet.items]
        widths = column_widths(columns, rows)
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        long = [c not in MIN_WIDTH for c in columns]
        wide = sum(widths)

        merged_row(ws, 1, sheet_title(sheet), len(columns), style.title, style.center, style, wide)
        for col, text in enumerate(columns, start=1):
            cell = put(ws, 2, col, text)
            cell.font, cell.alignment, cell.border = style.header, style.center, style.border
        ws.row_dimensions[2].height = 22

        r = 3
        current: str | None = None
        for item, values in zip(sheet.items, rows, strict=True):
            if sheet.categories and item.category != current:
                current = item.category
                label = category_label(sheet.categories, current)
                merged_row(ws, r, label, len(columns), style.category, style.left, style, wide)
                r += 1
            r = write_record(ws, r, values, widths, long, style, style.center)
        if sheet.note:
            note = sheet.note if sheet.note.startswith("注") else f"注：{sheet.note}"
            merged_row(ws, r, note, len(columns), style.body, style.left, style, wide)

        ws.freeze_panes = "A3"
        page_setup(ws, "1:2")
    if not wb.worksheets:
        wb.create_sheet("清单")
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
    from dutycli.render import xlsx_records

    return xlsx_records.render_bytes(result)


def render(result: Result, fmt: Format, out: Any) -> None:
    """Write the workbook to a binary stream (``out.buffer`` for a text stream)."""
    data = render_bytes(result)
    target = getattr(out, "buffer", out)
    target.write(data)
