"""Rich tables for people at a terminal.

Rich wraps text only at spaces, and Chinese has none: every column folds, so a
long step breaks at the column's edge instead of being cut off with an ellipsis.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.containers import Lines
from rich.table import Table
from rich.text import Text

from dutycli.lists.views import (
    Line,
    field_lines,
    joined,
    snippet,
    split_lines,
    street_lines,
    upper_lines,
)
from dutycli.query.results import CheckResult, DiffResult, ItemRow, Items, Result
from dutycli.query.results import Table as Records
from dutycli.render import Format
from dutycli.render.cells import break_points

_STYLE = {"heading": "bold", "label": "bold", "step": ""}
# Below this many columns a table has no room for its cells: each record is
# printed as lines, one field after the other (never cropped, never empty).
MIN_TABLE_WIDTH = 60
MIN_TEXT_WIDTH = 20


class FoldedText(Text):
    """Text that wraps like Chinese: anywhere between characters, with 禁则 and hanging indents."""

    def wrap(self, console: Console, width: int, **_: object) -> Lines:
        lines = Lines()
        for para in self.split(allow_blank=True):
            plain = para.plain
            indent = min(len(plain) - len(plain.lstrip(" ")), width // 2)
            cuts = break_points(plain, width, indent, measure=cell_len)
            for n, piece in enumerate(para.divide(cuts)):
                if n:
                    # A line broken at a space does not start with it.
                    blank = len(piece.plain) - len(piece.plain.lstrip(" "))
                    piece = piece[blank:] if blank < len(piece.plain) else piece
                if n and indent:
                    piece = Text(" " * indent) + piece
                piece.rstrip_end(width)
                lines.append(piece)
        return lines


def _say(console: Console, text: Text) -> None:
    # Console.print merges bare Text objects into a plain Text, which would
    # lose FoldedText's line breaking; inside a Group each keeps its own.
    console.print(Group(text))


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # Rich would exit 1 here, which means "nothing found" to a script;
        # the CLI ends a closed pipe the same way for every format.
        raise BrokenPipeError


MAX_WIDTH = 1000  # columns: wider than any terminal


def _console(out: TextIO) -> Console:
    # Width comes from the terminal, or from $COLUMNS, else 80.
    console = _Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)
    if console.width < 1:  # COLUMNS=0: no width known
        console.width = 80
    # COLUMNS=99999999999: Rich would pad every line to that width (MemoryError).
    console.width = min(console.width, MAX_WIDTH)
    return console


def _text(lines: list[Line]) -> Text:
    text = FoldedText()
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        text.append("  " * line.indent + line.text, style=_STYLE[line.kind])
    return text


def _grid(*headers: str, ratios: tuple[int, ...] | None = None, lines: bool = True) -> Table:
    table = Table(box=box.SQUARE, expand=ratios is not None, show_lines=lines, header_style="bold")
    for n, header in enumerate(headers):
        # 编号 takes the width of its widest cell (never 编/号 on two lines);
        # the other columns share the rest by their ratios.
        ratio = ratios[n] if ratios and header != "编号" else None
        table.add_column(header, overflow="fold", ratio=ratio)
    return table


def _names(names: tuple[str, ...] | list[str]) -> FoldedText:
    # One department a line: a name breaks only when it is wider than the column.
    return FoldedText("\n".join(names))


def _about(row: ItemRow, number: bool = True) -> Text:
    item = row.item
    text = FoldedText()
    text.append(f"第{item.id}项：{item.name}" if number else item.name, style="bold")
    if row.source is not None:
        text.append(f"\n清单：{row.source.title}")
    text.append(f"\n类别：{item.category}\n对应上级部门：{'、'.join(item.departments)}")
    return text


def _split(row: ItemRow, department: str | None) -> Group:
    # The department's own blocks carry its name; the header stays the column's.
    item = row.item
    parts: list[Any] = [_about(row)]
    if item.upper_duties or item.guarantees or item.street_duties:
        table = _grid("上级部门职责", "街道配合职责", ratios=(1, 1))
        table.add_row(_text(upper_lines(item, department)), _text(street_lines(item)))
        parts.append(table)
    more = field_lines(item)  # 实施依据, 工作方式, the columns kept as published
    if more:
        parts.append(_text(more))
    return Group(*parts)


def _compact(result: Items) -> Table:
    # One line an item mostly: no rule between rows (duty list was 228 lines with them).
    table = _grid("编号", "事项名称", "类别", "对应上级部门", ratios=(1, 6, 2, 6), lines=False)
    for row in result.rows:
        item = row.item
        table.add_row(
            str(item.id),
            FoldedText(item.name + (f"（{row.source.label()}）" if row.source else "")),
            item.category,
            _names(item.departments),
        )
    return table


def _matches(row: ItemRow, context: int) -> FoldedText:
    matches = FoldedText()
    for n, match in enumerate(row.matched):
        window, start, end = snippet(match.text, match.start, match.end, context)
        if n:
            matches.append("\n")
        where = match.column + (f"·第{match.step}条" if match.step else "")
        matches.append(f"〔{where}〕", style="dim")
        begin = len(matches.plain)
        matches.append(window)
        # Every occurrence of what matched is marked, not only the first.
        hit = window[start:end]
        at = window.find(hit) if hit else -1
        while at >= 0:
            matches.stylize("bold reverse", begin + at, begin + at + len(hit))
            at = window.find(hit, at + len(hit))
    return matches


def _context(width: int) -> int:
    """Characters of context each side of a hit: about two lines of the 匹配内容 column."""
    column = width * 7 // 13 - 4
    return max(18, column // 2)


def _search(result: Items, width: int) -> Table:
    table = _grid("编号", "事项", "匹配内容", ratios=(1, 5, 7))
    for row in result.rows:
        table.add_row(str(row.item.id), _about(row, number=False), _matches(row, _context(width)))
    return table


def _records(result: Records) -> Table:
    table = _grid(*result.headings)
    for record in result.records():
        values: list[Text] = []
        for key in result.keys:
            values.append(FoldedText(joined(record.get(key))))
        table.add_row(*values)
    return table


def _stacked(result: Items | Records, console: Console) -> None:
    """Records as lines, one field after another: for terminals too narrow for a table."""
    if isinstance(result, Records):
        for n, record in enumerate(result.records()):
            if n:
                console.print()
            for key, heading in zip(result.keys, result.headings, strict=True):
                _say(console, FoldedText(f"{heading}：{joined(record.get(key))}"))
        return
    department = result.department if result.view == "department" else None
    for n, row in enumerate(result.rows):
        if n:
            console.print()
        if result.view in ("split", "department"):
            _say(console, _text(split_lines(row.item, department)))
            continue
        item = row.item
        text = FoldedText(f"第{item.id}项：{item.name}", style="bold")
        text.append(f"\n类别：{item.category}\n对应上级部门：{'、'.join(item.departments)}")
        _say(console, text)
        if row.matched:
            _say(console, _matches(row, 18))


def _diff(result: DiffResult, console: Console) -> None:
    from dutycli.render.report import diff_lines

    lines = diff_lines(
        result,
        lambda s: f"\x00-{s}\x01",
        lambda s: f"\x00+{s}\x01",
        lambda s: f"\x00#{s}\x01",
    )
    styles = {"-": "red strike", "+": "green bold", "#": "bold"}
    # Without colour a strike-through may not show at all: keep the text markers.
    marks = {"-": ("[-", "-]"), "+": ("{+", "+}"), "#": ("", "")}
    bare = console.no_color or console.color_system is None
    for line in lines:
        text = FoldedText()
        for n, part in enumerate(line.split("\x00")):
            if n == 0:
                text.append(part)
                continue
            marked, _, rest = part.partition("\x01")
            opening, closing = marks[marked[0]] if bare else ("", "")
            text.append(opening + marked[1:] + closing, style=styles[marked[0]])
            text.append(rest)
        _say(console, text)


def _check(result: CheckResult, console: Console) -> None:
    from dutycli.query.check import ON_LIST, TAKEN
    from dutycli.render.report import verdict_text

    for n, v in enumerate(result.verdicts):
        if n:
            console.print()
        _say(console, FoldedText(f"任务：{v.task}"))
        _say(console, FoldedText(verdict_text(v), style="bold"))
        for earlier in result.earlier_of(n):
            from dutycli.render.report import earlier_line

            _say(console, FoldedText(earlier_line(earlier)))
        if v.split:
            from dutycli.render.report import split_line

            _say(console, FoldedText(split_line(v.split)))
        if result.explain:
            for line in result.explain_lines(v):
                _say(console, FoldedText(line))
        best = v.matches[0].item if v.verdict in (ON_LIST, TAKEN) else None
        if best is not None and (best.upper_duties or best.street_duties):
            if console.width < MIN_TABLE_WIDTH:
                _say(console, _text(split_lines(best)))
            else:
                console.print(_split(ItemRow(best), None))


def render(result: Result, fmt: Format, out: TextIO) -> None:
    console = _console(out)
    if isinstance(result, DiffResult):
        _diff(result, console)
        return
    if isinstance(result, CheckResult):
        _check(result, console)
        return
    if isinstance(result, Records) and result.text_keys:
        # Text to copy is one paragraph, without borders or line breaks of
        # ours: the terminal wraps it, and a copy pastes as one paragraph.
        for n, record in enumerate(result.records()):
            out.write(
                ("\n" if n else "") + "\n".join(str(record[k]) for k in result.text_keys) + "\n"
            )
        return
    if console.width < MIN_TABLE_WIDTH:
        console.width = max(console.width, MIN_TEXT_WIDTH)
        if result.title:
            _say(console, FoldedText(result.title, style="bold"))
        _stacked(result, console)
        return
    if isinstance(result, Records):
        if result.title:
            _say(console, FoldedText(result.title, style="bold"))
        console.print(_records(result))
        return
    if result.title:
        _say(console, FoldedText(result.title, style="bold"))
    if result.view == "compact":
        console.print(_compact(result))
    elif result.view == "search":
        console.print(_search(result, console.width))
    else:
        department = result.department if result.view == "department" else None
        for n, row in enumerate(result.rows):
            if n:
                console.print()
            console.print(_split(row, department))
