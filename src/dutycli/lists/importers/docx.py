"""A Word document (.docx): every table as a grid, merged cells made explicit.

Read with python-docx, but at the level of the table XML: ``row.cells``
repeats a merged cell, which would hide whether a category row spans the
width or a department cell spans several items. Here a horizontal merge is
``w:gridSpan`` and a vertical one is ``w:vMerge`` (restart / continue); a
table nested in a cell is read as further lines of that cell.
"""

from __future__ import annotations

import io
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import MAX_COLUMNS, MAX_ROWS, Grid, GridBuilder, Place

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR = _W + "t", _W + "tab", _W + "br", _W + "cr"


def _paragraph_text(p: Any) -> str:
    """The paragraph's text as Word shows it (line breaks as "\n").

    One walk over the paragraph's elements; python-docx's ``Paragraph.text``
    runs an XPath query per paragraph and per run, which made up most of the
    time of reading a 340-item list.
    """
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    lines: list[str] = []
    for child in tc.inner_content_elements:
        if child.tag.endswith("}p"):
            lines.append(_paragraph_text(child))
        else:  # a nested table: its cells, row by row
            for tr in child.tr_lst:
                for inner in tr.tc_lst:
                    lines.append(_cell_text(inner))
    return "\n".join(line for line in lines if line.strip())


def _count(el: Any, path: str, place: Place, what: str) -> int:
    """A whole number the table XML states (``w:gridSpan w:val="2"``), 1 when absent.

    Read from the XML here: python-docx raises on a value that is not a
    number, and a damaged or hostile file may hold any text there.
    """
    found = el.find(path) if el is not None else None
    value = found.get(_W + "val") if found is not None else None
    if value is None:
        return 1 if what == "gridSpan" else 0
    text = value.strip()
    if not text.isdecimal() or len(text) > 4 or not 0 <= int(text) <= MAX_COLUMNS:
        raise DataError(
            [
                place.problem(
                    f"单元格的 {what} 值“{value[:20]}”不是 0 到 {MAX_COLUMNS} 的整数：文件已损坏"
                )
            ]
        )
    return max(int(text), 1) if what == "gridSpan" else int(text)


def _continues(tc: Any) -> bool:
    """Does the cell continue a vertical merge (``<w:vMerge/>`` or ``w:val="continue"``)?"""
    merge = tc.tcPr.find(_W + "vMerge") if tc.tcPr is not None else None
    return merge is not None and merge.get(_W + "val", "continue") == "continue"


def _grid(tbl: Any, number: int, file: str, before: list[tuple[str, Place]]) -> Grid:
    builder = GridBuilder()
    for r, tr in enumerate(tbl.tr_lst):
        if r >= MAX_ROWS:
            raise DataError(
                [
                    Place(file, r + 1, table=number).problem(
                        f"表格超过 {MAX_ROWS:,} 行：公布的清单远没有这么大，文件可能已损坏"
                    )
                ]
            )
        place = Place(file, r + 1, table=number)
        builder.row(r, place)
        c = _count(tr.trPr, _W + "gridBefore", place, "gridBefore")
        for tc in tr.tc_lst:
            span = _count(tc.tcPr, _W + "gridSpan", place.at(c + 1), "gridSpan")
            if _continues(tc) and builder.extend_down(r, c, span):
                c += span
                continue
            builder.put(r, c, _cell_text(tc), 1, span)
            c += span
    return builder.grid(before)


def read(raw: bytes, file: str) -> list[Grid]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise DataError([Problem(file, f"无法读取 Word 文件：文件已损坏（{e}）")]) from None
    except Exception as e:  # lxml and zip errors of a damaged file have many types
        raise DataError(
            [Problem(file, f"无法读取 Word 文件：文件已损坏（{type(e).__name__}）")]
        ) from None
    grids: list[Grid] = []
    paragraphs: list[tuple[str, Place]] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _paragraph_text(child).strip()
            if text:
                place = Place(file, len(paragraphs) + 1, paragraph=True)
                paragraphs.append((text, place))
                if grids:
                    grids[-1].after.append((text, place))
        elif tag == "tbl":
            grids.append(_grid(child, len(grids) + 1, file, paragraphs[-10:]))
    if not grids:
        raise DataError([Problem(file, "Word 文件里没有表格：清单应是文件中的一个表格")])
    return grids
