"""How tall a workbook row must be, and how an item too long for one row is cut into several.

A spreadsheet row is at most 409 points tall; text beyond that is not shown on
screen or on paper. So a cell's text is measured at its column's width, and
an item that needs more lines than one row holds continues on the following
rows, its lines cut only between lines (or, for a single line taller than a
row, between wrapped lines) so that every character is in some row.

The measures hold for the fonts a desktop uses for the workbook's 仿宋 and 黑体:
Excel and WPS on Windows (仿宋/SimSun, a Chinese character two digits wide,
lines of 14.3 pt at 11 pt), macOS (STFangsong or PingFang, 15.4 pt) and Linux or
信创 desktops, which substitute Noto Sans CJK / 思源黑体 (lines of 15.9 pt,
LibreOffice also sets a Chinese character at 1.83 digits). A line is counted
at 16.5 pt and a Chinese character at 2.2 width units: some room beyond the
tallest and widest of these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from dutycli.render.cells import break_points

MAX_ROW_HEIGHT = 409.0  # points: the most Excel, WPS and LibreOffice keep
LINE_HEIGHT = 16.5  # points a line of 11-point text, with room (see the module's text)
ROW_PADDING = 6.0  # points above and below the text of a cell
CJK_UNITS = 2.2  # column-width units one Chinese character takes, with room
CELL_MARGIN_UNITS = 1.5  # column-width units a cell keeps free at its sides
MAX_LINES = int((MAX_ROW_HEIGHT - ROW_PADDING) // LINE_HEIGHT)  # lines one row holds
SENTENCE_ENDS = "。；！？"


def cells_per_line(width: float) -> int:
    """Terminal cells (a Chinese character is two) that fit a line of a column ``width`` wide."""
    return max(2, math.floor((width - CELL_MARGIN_UNITS) / CJK_UNITS * 2))


def line_pieces(line: str, width: float) -> list[str]:
    """One line of text as the wrapped lines a spreadsheet shows; joined they give ``line``."""
    cuts = [0, *break_points(line, cells_per_line(width)), len(line)]
    return [line[a:b] for a, b in pairwise(cuts)] or [""]


def lines_needed(text: str, width: float) -> int:
    return sum(len(line_pieces(line, width)) for line in text.split("\n"))


def height_of(lines: int, line_height: float = LINE_HEIGHT) -> float:
    """Points a row needs for ``lines`` lines, never more than a row can be."""
    return min(max(lines, 1) * line_height + ROW_PADDING, MAX_ROW_HEIGHT)


def _leading_pieces(line: str, width: float, max_lines: int) -> list[str]:
    """``line_pieces`` as far as ``chunks`` needs them: all of a line of at most
    ``max_lines + 2`` wrapped lines' worth of characters, else those of that prefix.

    Breaking is greedy from the left and looks only back, so the prefix's pieces
    before its last are the line's own; and a longer line gives the prefix more
    than ``max_lines`` pieces (a piece holds at most ``cells_per_line``
    characters), so ``chunks`` cuts it as before. Wrapping the whole rest of a
    line again after every cut made a 20,000-character step quadratic.
    """
    window = (max_lines + 2) * cells_per_line(width)
    return line_pieces(line if len(line) <= window else line[:window], width)


def chunks(text: str, width: float, max_lines: int = MAX_LINES) -> list[tuple[str, int]]:
    """``text`` cut into pieces of at most ``max_lines`` wrapped lines, with each piece's lines.

    Pieces end at line ends; a line longer than a whole piece is cut after its
    last sentence that fits (or, in a sentence longer than a row, between two
    wrapped lines), and that continuation starts a fresh piece. The
    pieces joined with newlines (or, where a line was cut, without one) give
    ``text`` back.
    """
    out: list[tuple[str, int]] = []
    current: list[str] = []
    count = 0
    for line in text.split("\n"):
        pieces = _leading_pieces(line, width, max_lines)
        if count + len(pieces) <= max_lines:
            current.append(line)
            count += len(pieces)
            continue
        if current:
            out.append(("\n".join(current), count))
            current, count = [], 0
        while len(pieces) > max_lines:
            head = "".join(pieces[:max_lines])
            # Cut after the last sentence that fits, else between two wrapped lines.
            end = max(head.rfind(mark) for mark in SENTENCE_ENDS) + 1
            head = head[:end] if end > 0 else head
            out.append((head, lines_needed(head, width)))
            line = line[len(head) :]
            pieces = _leading_pieces(line, width, max_lines)
        current, count = ["".join(pieces)], len(pieces)
    if current:
        out.append(("\n".join(current), count))
    return out


class RowPlan:
    """The physical rows one record takes: the long columns' pieces and each row's height.

    ``texts[k][c]`` is what row ``k`` holds in column ``c`` (short columns are
    written in the first row only and merged down over the others).
    """

    def __init__(
        self, values: Sequence[object], widths: Sequence[float], long: Sequence[bool]
    ) -> None:
        pieces: list[list[tuple[str, int]]] = []
        short_lines = 1
        for value, width, is_long in zip(values, widths, long, strict=True):
            text = "" if value is None else str(value)
            if is_long:
                pieces.append(chunks(text, width))
            else:
                pieces.append([(text, lines_needed(text, width))])
                short_lines = max(short_lines, lines_needed(text, width))
        count = max(len(p) for p in pieces)
        self.texts: list[list[object]] = []
        lines: list[int] = []
        for k in range(count):
            row: list[object] = []
            most = 1
            for value, is_long, column in zip(values, long, pieces, strict=True):
                if is_long:
                    text, n = column[k] if k < len(column) else ("", 1)
                    row.append(text)
                    most = max(most, n)
                else:
                    row.append(value if k == 0 else None)
            lines.append(most)
            self.texts.append(row)
        # The short columns (merged over the rows) need their lines in the rows' sum.
        missing = short_lines - sum(lines)
        for k in range(len(lines)):
            if missing <= 0:
                break
            room = min(MAX_LINES - lines[k], missing)
            lines[k] += room
            missing -= room
        while missing > 0:
            self.texts.append([None if not is_long else "" for is_long in long])
            lines.append(min(missing, MAX_LINES))
            missing -= MAX_LINES
        self.heights = [height_of(n) for n in lines]

    @property
    def rows(self) -> int:
        return len(self.texts)
