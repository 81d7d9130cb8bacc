"""Import a published list: Word, Excel, a saved web page, or today's tab-separated text.

``import_file`` finds the format from the content (``detect``), lets that
format's reader turn the file into grids of cells (``table``), picks the grid
that holds the list, and converts it (``convert``). Readers import their
libraries (python-docx, openpyxl, xlrd, lxml) only when called, so no other
command pays for them.
"""

from __future__ import annotations

from pathlib import Path

from dutycli.errors import DataError, Problem, UsageError
from dutycli.lists.importers import headers
from dutycli.lists.importers.convert import Converter, kind_named, not_a_list
from dutycli.lists.importers.detect import DOC, DOCX, HTML, TSV, XLS, XLSX, detect
from dutycli.lists.importers.doc import convert_doc
from dutycli.lists.importers.table import MAX_COLUMNS, MAX_SLOTS, Grid, TableTooLarge
from dutycli.lists.model import Department, DutyList

__all__ = ["import_file", "import_table", "kind_named"]


def import_table(
    text: str, file: str, departments: tuple[Department, ...] | None = None
) -> DutyList:
    """The list in tab-separated ``text``; every problem found is raised at once as a DataError."""
    from dutycli.lists.importers import tsv

    return Converter(file, departments).run(tsv.read(text, file)[0])


def import_file(
    path: str | Path,
    departments: tuple[Department, ...] | None = None,
    kind: str | None = None,
    street: str | None = None,
    table: int | None = None,
    columns: str | None = None,
    summary: list[str] | None = None,
    warnings: list[Problem] | None = None,
) -> DutyList:
    """The list in the file at ``path``, in any format ``detect`` knows.

    ``departments`` None: the list's own departments, with aliases made by rule.
    ``columns``: the ``--columns "表头=字段,…"`` option. ``summary`` receives
    the lines of the import summary (counts, columns, extras, normalisation).
    Warnings (the list is still good) are added to ``warnings`` when it is given.
    """
    from dutycli.lists.source import read_bytes

    file = str(path)
    raw = read_bytes(path)
    fmt = detect(raw, file)
    if fmt == DOC:
        raw = convert_doc(Path(path))
        if detect(raw, file) != DOCX:
            raise DataError([Problem(file, "LibreOffice 转换出的文件不是 .docx")])
        fmt = DOCX
    chosen = headers.parse_columns(columns) if columns else None
    grids = read_grids(raw, fmt, file)
    converter = Converter(file, departments, kind, street, chosen)
    dl = converter.run(pick(grids, table, file, chosen))
    if summary is not None:
        summary += converter.summary
    if warnings is not None:
        warnings += converter.warnings
    return dl


def read_grids(raw: bytes, fmt: str, file: str) -> list[Grid]:
    try:
        return _read_grids(raw, fmt, file)
    except TableTooLarge:
        raise DataError(
            [
                Problem(
                    file,
                    f"表格太大或合并单元格异常（超过 {MAX_COLUMNS} 列或 {MAX_SLOTS:,} 个单元格）："
                    "文件可能已损坏",
                )
            ]
        ) from None


def _read_grids(raw: bytes, fmt: str, file: str) -> list[Grid]:
    if fmt == TSV:
        from dutycli.lists.importers import tsv
        from dutycli.lists.load import decode

        return tsv.read(decode(raw, file), file)
    if fmt == HTML:
        from dutycli.lists.importers import html

        return html.read(raw, file)
    if fmt == DOCX:
        from dutycli.lists.importers import docx

        return docx.read(raw, file)
    if fmt == XLSX:
        from dutycli.lists.importers import xlsx

        return xlsx.read(raw, file)
    assert fmt == XLS, fmt
    from dutycli.lists.importers import xls

    return xls.read(raw, file)


def pick(
    grids: list[Grid], table: int | None, file: str, columns: dict[str, str] | None = None
) -> Grid:
    """The grid ``--table N`` names, else the first one with the list's header."""
    if table is not None:
        if not 1 <= table <= len(grids):
            raise UsageError(
                f"--table 应在 1 到 {len(grids)} 之间：{file} 里有 {len(grids)} 个表格"
            )
        return grids[table - 1]
    for grid in grids:
        if any(headers.is_header([c.text for c in row.cells], columns) for row in grid.rows):
            return grid
    why = f"文件里的 {len(grids)} 个表格都没有表头" if len(grids) > 1 else "文件里的表格没有表头"
    if not grids:
        why = "文件里没有表格"
    elif len(grids) == 1 and grids[0].ragged and all(len(r.cells) <= 1 for r in grids[0].rows):
        why = "这是普通文字，没有以制表符分隔的表格"
    raise not_a_list(file, grids, why + "，或用 --table N 指定第几个表格")
