"""A format-neutral table: rows of cells, merges made explicit, every cell with its place.

Every reader (TSV, HTML, .docx, .xlsx, .xls) turns its source into ``Grid``s;
one converter (``convert.py``) turns a grid into a list. A merged cell is kept
once, at its top-left slot (its *origin*); every slot it covers points back to
that origin, so the converter can tell a category row merged over the whole
width from a department cell merged down over several items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dutycli.errors import Problem


def column_letters(column: int) -> str:
    """1 -> A, 27 -> AA: the column part of a spreadsheet cell address."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class Place:
    """Where something is in the source: a line of a text file, or a cell of a table."""

    file: str
    row: int  # 1-based: the line (TSV), the row of the table, or the sheet's row number
    column: int | None = None  # 1-based
    table: int | None = None  # 1-based number of the table in the document
    sheet: str | None = None  # the worksheet of a workbook (then row/column are the sheet's)
    lines: bool = False  # a text file read line by line (TSV): file:line
    paragraph: bool = False  # a paragraph of a document, outside any table

    def at(self, column: int | None) -> Place:
        return Place(
            self.file, self.row, column, self.table, self.sheet, self.lines, self.paragraph
        )

    def problem(self, message: str, item: int | None = None) -> Problem:
        if self.lines:
            return Problem(self.file, message, self.row, None, item)
        if self.sheet is not None:
            cell = (
                f"{column_letters(self.column)}{self.row}" if self.column else f"第 {self.row} 行"
            )
            return Problem(f"{self.file}（工作表“{self.sheet}” {cell}）", message, None, None, item)
        if self.paragraph:
            return Problem(f"{self.file}（第 {self.row} 段）", message, None, None, item)
        where = f"表 {self.table}，" if self.table is not None else ""
        where += f"第 {self.row} 行"
        if self.column is not None:
            where += f"第 {self.column} 列"
        return Problem(f"{self.file}（{where}）", message, None, None, item)


@dataclass(frozen=True)
class Cell:
    """One slot of the grid; ``origin`` is the (row, column) of the merged cell it belongs to."""

    text: str  # paragraphs and line breaks as "\n"
    origin: tuple[int, int]


@dataclass
class Row:
    place: Place  # the row's place; ``place.at(c + 1)`` is a cell's
    cells: list[Cell]


@dataclass
class Grid:
    """One table of the source, with the paragraphs around it (title, note)."""

    rows: list[Row]
    before: list[tuple[str, Place]] = field(default_factory=list)
    after: list[tuple[str, Place]] = field(default_factory=list)
    # A text file has no fixed width: a row with too few cells is an error there.
    ragged: bool = False

    def cell_place(self, r: int, c: int) -> Place:
        return self.rows[r].place.at(c + 1)


# Bounds that no published list comes near; beyond them a table is damaged or
# hostile (rowspan="999999" colspan="999999"), and filling it would take hours.
MAX_COLUMNS = 64
MAX_SLOTS = 1_000_000
# Rows a reader takes from one table (a published list has a few hundred); it
# stops at the first row past this, before holding the rest.
MAX_ROWS = 10_000


class TableTooLarge(Exception):
    """Raised by GridBuilder; the reader turns it into a DataError with the file's name."""


class GridBuilder:
    """Collects cells with their spans (HTML, .docx, spreadsheets) into a rectangular Grid."""

    def __init__(self) -> None:
        self.slots: dict[tuple[int, int], Cell] = {}
        self.places: dict[int, Place] = {}
        self.width = 0

    def occupied(self, r: int, c: int) -> bool:
        return (r, c) in self.slots

    def put(self, r: int, c: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        cell = Cell(text, (r, c))
        colspan = min(colspan, MAX_COLUMNS)
        if c + colspan > MAX_COLUMNS or len(self.slots) + rowspan * colspan > MAX_SLOTS:
            raise TableTooLarge
        for dr in range(max(rowspan, 1)):
            for dc in range(max(colspan, 1)):
                self.slots.setdefault((r + dr, c + dc), cell)
        self.width = max(self.width, c + max(colspan, 1))

    def extend_down(self, r: int, c: int, colspan: int = 1) -> bool:
        """A vertical merge continues into (r, c): point it at the cell above's origin."""
        above = self.slots.get((r - 1, c))
        if above is None:
            return False
        if c + colspan > MAX_COLUMNS or len(self.slots) + colspan > MAX_SLOTS:
            raise TableTooLarge
        for dc in range(max(colspan, 1)):
            self.slots.setdefault((r, c + dc), self.slots.get((r - 1, c + dc), above))
        self.width = max(self.width, c + max(colspan, 1))
        return True

    def row(self, r: int, place: Place) -> None:
        self.places[r] = place

    def grid(self, before: list[tuple[str, Place]] | None = None) -> Grid:
        rows: list[Row] = []
        for r in sorted(self.places):
            cells = [self.slots.get((r, c), Cell("", (r, c))) for c in range(self.width)]
            rows.append(Row(self.places[r], cells))
        # Origins are row numbers of the builder; make them indices into ``rows``.
        index = {r: i for i, r in enumerate(sorted(self.places))}
        for row in rows:
            row.cells = [
                Cell(cell.text, (index.get(cell.origin[0], 0), cell.origin[1]))
                for cell in row.cells
            ]
        return Grid(rows, before or [])
