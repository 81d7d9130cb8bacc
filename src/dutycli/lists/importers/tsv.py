"""Today's format: the tab-separated text dump of a web table with HTML in its cells.

The shape: a ``# title`` line; header rows (序号 …) repeated at will; category
rows as ``<b>一、党的建设</b>`` or as a markdown heading; ``----`` separator rows;
item rows, one cell per column; a closing ``注：`` line. Every pattern here is
linear in the length of the line: no regex that can backtrack over a long run
of one character.
"""

from __future__ import annotations

import html
import re

from dutycli.errors import DataError
from dutycli.lists.importers.table import MAX_COLUMNS, MAX_ROWS, Cell, Grid, Place, Row

# Tags that break a cell into paragraphs. ``[^<>]*`` (not ``[^>]*``) so that a
# run of "<p<p<p…" is scanned once, not once per "<".
BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|div|br|tr|td|h\d)\b[^<>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^<>]*>")
_SEPARATOR_CHARS = frozenset(" \t|:-")


def cell_text(cell: str) -> str:
    """An HTML cell as text: one line per paragraph, other markup dropped."""
    pieces = (html.unescape(ANY_TAG.sub(" ", piece)).strip() for piece in BLOCK_TAG.split(cell))
    return "\n".join(p for p in pieces if p)


def _heading(line: str) -> str | None:
    """The words of a markdown heading (``#### 四、城乡建设``), else None."""
    level = len(line) - len(line.lstrip("#"))
    if 1 <= level <= 6 and line[level : level + 1].isspace():
        return line[level:].strip()
    return None


def _too_large(place: Place, what: str) -> DataError:
    return DataError(
        [place.problem(f"{what}：公布的清单远没有这么大，文件可能已损坏；读到这里就停止了")]
    )


def read(text: str, file: str) -> list[Grid]:
    rows: list[Row] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or (set(line) <= _SEPARATOR_CHARS and "--" in line):
            continue
        place = Place(file, number, lines=True)
        r = len(rows)
        if r >= MAX_ROWS:
            raise _too_large(place, f"超过 {MAX_ROWS:,} 行")
        cells = raw.split("\t", MAX_COLUMNS)
        if len(cells) > MAX_COLUMNS:
            raise _too_large(place, f"这一行超过 {MAX_COLUMNS} 列")
        words = _heading(line) if len(cells) == 1 else None
        if words is not None:
            rows.append(Row(place, [Cell(cell_text(words), (r, 0))]))
            continue
        rows.append(Row(place, [Cell(cell_text(c), (r, i)) for i, c in enumerate(cells)]))
    return [Grid(rows, ragged=True)]
