"""Rich tables for people at a terminal.

Rich wraps text only at spaces, and Chinese has none: every column folds, so a
long step breaks at the column's edge instead of being cut off with an ellipsis.
"""

from __future__ import annotations

from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.containers import Lines
from rich.table import Table
from rich.text import Text

from dutycli.cells import break_points
from dutycli.render import Format
from dutycli.results import CheckResult, DiffResult, ItemRow, Items, Result
from dutycli.results import Table as Records
from dutycli.views import Line, snippet, street_lines, upper_lines

_STYLE = {"heading": "bold", "label": "bold", "step": ""}


class FoldedText(Text):
    """Text that wraps like Chinese: anywhere between characters, with 禁则 and hanging indents."""

    def wrap(self, console: Console, width: int, **_: object) -> Lines:
        lines = Lines()
        for para in self.split(allow_blank=True):
            plain = para.plain
            indent = min(len(plain) - len(plain.lstrip(" ")), width // 2)
            cuts = break_points(plain, width, indent, measure=cell_len)
            for n, piece in enumerate(para.divide(cuts)):
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


def _console(out: TextIO) -> Console:
    # Width comes from the terminal, or from $COLUMNS, else 80.
    return _Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)


def _text(lines: list[Line]) -> Text:
    text = FoldedText()
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        text.append("  " * line.indent + line.text, style=_STYLE[line.kind])
    return text


def _grid(*headers: str, ratios: tuple[int, ...] | None = None) -> Table:
    table = Table(box=box.SQUARE, expand=ratios is not None, show_lines=True, header_style="bold")
    for n, header in enumerate(headers):
        table.add_column(header, overflow="fold", ratio=ratios[n] if ratios else None)
    return table


def _about(row: ItemRow, number: bool = True) -> Text:
    item = row.item
    text = FoldedText()
    text.append(f"第{item.id}项：{item.name}" if number else item.name, style="bold")
    text.append(f"\n类别：{item.category}\n对应上级部门：{'、'.join(item.departments)}")
    return text


def _split(row: ItemRow, department: str | None) -> Group:
    # The department's own blocks carry its name; the header stays the column's.
    table = _grid("上级部门职责", "街道配合职责", ratios=(1, 1))
    table.add_row(_text(upper_lines(row.item, department)), _text(street_lines(row.item)))
    return Group(_about(row), table)


def _compact(result: Items) -> Table:
    table = _grid("编号", "事项名称", "类别", "对应上级部门", ratios=(1, 6, 2, 6))
    for row in result.rows:
        item = row.item
        table.add_row(
            str(item.id),
            FoldedText(item.name),
            item.category,
            FoldedText("、".join(item.departments)),
        )
    return table


def _search(result: Items) -> Table:
    table = _grid("编号", "事项", "匹配内容", ratios=(1, 5, 7))
    table.columns[0].min_width = 4
    for row in result.rows:
        about = _about(row, number=False)
        matches = FoldedText()
        for n, match in enumerate(row.matched):
            window, start, end = snippet(match.text, match.start, match.end)
            if n:
                matches.append("\n")
            where = match.column + (f"·第{match.step}条" if match.step else "")
            matches.append(f"〔{where}〕", style="dim")
            matches.append(window[:start])
            matches.append(window[start:end], style="bold reverse")
            matches.append(window[end:])
        table.add_row(str(row.item.id), about, matches)
    return table


def _records(result: Records) -> Table:
    table = _grid(*result.headings)
    for record in result.records():
        values: list[Text] = []
        for key in result.keys:
            value = record.get(key)
            if isinstance(value, (list, tuple)):
                value = "、".join(map(str, value))
            values.append(FoldedText("" if value is None else str(value)))
        table.add_row(*values)
    return table


def _diff(result: DiffResult, console: Console) -> None:
    from dutycli.render.report import diff_lines

    lines = diff_lines(
        result,
        lambda s: f"\x00-{s}\x01",
        lambda s: f"\x00+{s}\x01",
        lambda s: f"\x00#{s}\x01",
    )
    styles = {"-": "red strike", "+": "green bold", "#": "bold"}
    for line in lines:
        text = FoldedText()
        for n, part in enumerate(line.split("\x00")):
            if n == 0:
                text.append(part)
                continue
            marked, _, rest = part.partition("\x01")
            text.append(marked[1:], style=styles[marked[0]])
            text.append(rest)
        _say(console, text)


def _check(result: CheckResult, console: Console) -> None:
    from dutycli.check import ON_LIST
    from dutycli.render.report import verdict_line

    for n, v in enumerate(result.verdicts):
        if n:
            console.print()
        _say(console, FoldedText(f"任务：{v.task}"))
        ids = [m.item.id for m in v.matches]
        names = [m.item.name for m in v.matches]
        _say(console, FoldedText(verdict_line(v.verdict, ids, names), style="bold"))
        if v.split:
            from dutycli.render.report import split_line

            _say(console, FoldedText(split_line(v.split)))
        if v.verdict == ON_LIST:
            console.print(_split(ItemRow(v.matches[0].item), None))


def render(result: Result, fmt: Format, out: TextIO) -> None:
    console = _console(out)
    if isinstance(result, DiffResult):
        _diff(result, console)
        return
    if isinstance(result, CheckResult):
        _check(result, console)
        return
    if isinstance(result, Records) and result.text_keys:
        # Text to copy gets no borders; the terminal wraps it.
        for n, record in enumerate(result.records()):
            if n:
                console.print()
            for key in result.text_keys:
                _say(console, FoldedText(str(record[key])))
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
        console.print(_search(result))
    else:
        department = result.department if result.view == "department" else None
        for n, row in enumerate(result.rows):
            if n:
                console.print()
            console.print(_split(row, department))
