"""The header row of a published table: which column holds which field.

A column is taken as the field its header names (``headers``); a column no
rule reads, or a second column of a field already taken, is kept on every item
as an extra under its header as published. A header may span two rows: the
lower row names the columns the upper one spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from dutycli.errors import Problem
from dutycli.lists.importers import headers as H
from dutycli.lists.importers.normalize import Normalizer
from dutycli.lists.importers.table import Grid, Place


@dataclass
class Header:
    columns: dict[str, int]  # field -> column index
    extras: list[tuple[str, int]]  # (header as published, column) of the columns kept as extras
    taken: list[tuple[str, str]]  # (header, what it was taken as), for messages and the summary
    width: int
    place: Place


def read_header(
    grid: Grid, r: int, columns: dict[str, str], norm: Normalizer
) -> tuple[Header, int | None, list[Problem]]:
    """The header at row ``r`` (and the row below it, if it is one too).

    Returns the header, the row below when it was part of it (to skip), and the
    problems: a header of ``--columns`` (``columns``) that the table does not have.
    """
    row = grid.rows[r]
    labels = [cell.text for cell in row.cells]
    skip = None
    if r + 1 < len(grid.rows):
        below = grid.rows[r + 1].cells
        fresh = [c for c, cell in enumerate(below) if cell.origin == (r + 1, c)]
        texts = [below[c].text for c in fresh if below[c].text.strip()]
        if texts and all(H.field(t, columns) for t in texts) and len(below) == len(row.cells):
            # A two-row header: the lower row names the columns it spans.
            skip = r + 1
            for c in fresh:
                if below[c].text.strip():
                    labels[c] = below[c].text
    head = Header({}, [], [], len(row.cells), grid.rows[r].place)
    for c, label in enumerate(labels):
        if c > 0 and labels[c - 1] == label and row.cells[c].origin == row.cells[c - 1].origin:
            continue  # one header cell merged over several columns
        _add_column(grid, r, c, label, head, columns, norm)
    found = {H.normalize(label) for label in labels}
    problems = [
        head.place.problem(
            f"--columns 里的表头“{key}”不在表头中；表头是："
            + "、".join(H.normalize(label) for label in labels if label.strip())
        )
        for key in columns
        if key not in found
    ]
    return head, skip, problems


def _add_column(
    grid: Grid,
    r: int,
    c: int,
    label: str,
    head: Header,
    columns: dict[str, str],
    norm: Normalizer,
) -> None:
    """Take column ``c`` as the field its header names, else keep it as an extra."""
    name = H.field(label, columns) if label.strip() else None
    shown = norm.line(label)
    if name is not None and name != H.EXTRA and name not in head.columns:
        head.columns[name] = c
        head.taken.append((shown, H.LABELS[name]))
        return
    has_content = any(
        x.cells[c].text.strip()
        for x in grid.rows[r + 1 :]
        if c < len(x.cells) and x.cells[c].origin[1] == c
    )
    if not has_content:
        return
    shown = shown or f"第{c + 1}列"
    taken = {n for n, _ in head.extras}
    base, k = shown, 2
    while shown in taken or shown in H.FIELD_WORDS:
        shown, k = f"{base}（{k}）", k + 1
    head.extras.append((shown, c))
    why = f"（与第 {head.columns[name] + 1} 列重复）" if name in head.columns else ""
    head.taken.append((shown, H.LABELS[H.EXTRA] + why))
