"""How an item's columns read as numbered lines; shared by every renderer.

A line is (indent, text, kind): kind ``heading`` for a block or section
heading, ``step`` for a numbered step, ``label`` for 履职保障：. Renderers decide
what a kind looks like; the words and the numbering are decided here only.
"""

from __future__ import annotations

from typing import NamedTuple

from dutycli.lists.model import GUARANTEES_LABEL, Item


class Line(NamedTuple):
    indent: int
    text: str
    kind: str  # heading | step | label


def step_lines(steps: tuple[str, ...]) -> list[Line]:
    out: list[Line] = []
    numbered = len(steps) > 1
    for n, step in enumerate(steps, start=1):
        first, *subs = step.split("\n")
        # No space after the number: Rich wraps at spaces, and a space here
        # would push every long Chinese step onto the next line.
        out.append(Line(0, f"{n}.{first}" if numbered else first, "step"))
        out += [Line(1, f"（{k}）{sub}", "step") for k, sub in enumerate(subs, start=1)]
    return out


def upper_lines(item: Item, department: str | None = None, guarantees: bool = True) -> list[Line]:
    """The 上级部门职责 column: each block (or only ``department``'s), then 履职保障."""
    out: list[Line] = []
    for block in item.upper_duties:
        if department is not None and department not in block.departments:
            continue
        if block.heading:
            out.append(Line(0, block.heading, "heading"))
        out += step_lines(block.steps)
    if guarantees and item.guarantees:
        out.append(Line(0, GUARANTEES_LABEL, "label"))
        out += guarantee_lines(item)
    return out


def guarantee_lines(item: Item) -> list[Line]:
    return step_lines(item.guarantees)


def street_lines(item: Item) -> list[Line]:
    out: list[Line] = []
    for section in item.street_duties:
        if section.heading:
            out.append(Line(0, section.heading, "heading"))
        out += step_lines(section.steps)
    return out


def field_lines(item: Item) -> list[Line]:
    """实施依据, 工作方式 and the columns kept as published (extras), each a label and its text."""
    out: list[Line] = []
    fields = [("实施依据", item.basis), ("工作方式", item.method), *item.extras]
    for label, text in fields:
        if text:
            first, *more = text.split("\n")
            out.append(Line(0, f"{label}：{first}", "label"))
            out += [Line(1, line, "step") for line in more]
    return out


def split_lines(item: Item, department: str | None = None) -> list[Line]:
    """The whole split of one item as lines, one column after the other.

    For pipes and files, and for terminals too narrow for two columns side by
    side. A column the item does not have (a 基本 item's split) is left out, and
    every other field the list publishes follows.
    """
    about = [Line(0, f"第{item.id}项：{item.name}", "heading")]
    if item.category:
        about.append(Line(0, f"类别：{item.category}", "label"))
    if item.departments:
        about.append(Line(0, f"对应上级部门：{'、'.join(item.departments)}", "label"))
    out = list(about)
    if item.upper_duties or item.guarantees:
        upper = [Line(ln.indent + 1, ln.text, ln.kind) for ln in upper_lines(item, department)]
        out += [Line(0, "上级部门职责：", "heading"), *upper]
    if item.street_duties:
        street = [Line(ln.indent + 1, ln.text, ln.kind) for ln in street_lines(item)]
        out += [Line(0, "街道配合职责：", "heading"), *street]
    return out + field_lines(item)


def joined(values: object) -> str:
    """A list as one string: names with 、, but sentences (ending in 。) one after another."""
    if not isinstance(values, (list, tuple)):
        return "" if values is None else str(values)
    out = ""
    for value in map(str, values):
        if out and not out.endswith(("。", "；", "！", "？", "\n")):
            out += "、"
        out += value
    return out


def as_text(lines: list[Line]) -> str:
    return "\n".join("  " * line.indent + line.text for line in lines)


def snippet(text: str, start: int, end: int, context: int = 18) -> tuple[str, int, int]:
    """A short window of ``text`` around [start, end), with the span's new position."""
    text = text.replace("\n", " ")
    left = max(0, start - context)
    right = min(len(text), end + context)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    window = prefix + text[left:right] + suffix
    offset = len(prefix) - left
    return window, start + offset, end + offset
