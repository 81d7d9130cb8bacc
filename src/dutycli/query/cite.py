"""Sentences ready to paste into a written reply, quoting the list."""

from __future__ import annotations

from dutycli.lists.model import GUARANTEES_LABEL, Item, ListInfo
from dutycli.lists.views import step_lines


def _numbered(steps: tuple[str, ...]) -> str:
    # Numbered as every view numbers them (1. and （1）), run together for a sentence.
    return "".join(line.text for line in step_lines(steps))


def citation(info: ListInfo, item: Item, department: str | None = None) -> str:
    """依据《清单》第N项“名称”，… with the split of duties (one department's, if given)."""
    # Quotes inside the quoted name become single quotes, as Chinese nests them.
    name = item.name.replace("“", "‘").replace("”", "’")
    parts = [
        f"依据《{info.title}》第{item.id}项“{name}”"
        + (f"（{item.category}类）" if item.category else "")
        + (f"，对应上级部门为{'、'.join(item.departments)}。" if item.departments else "。")
    ]
    for block in item.upper_duties:
        if department is not None and department not in block.departments:
            continue
        label = block.heading or f"{'、'.join(block.departments)}："
        parts.append(f"{label}{_numbered(block.steps)}")
    if item.guarantees:
        parts.append(f"{GUARANTEES_LABEL}{_numbered(item.guarantees)}")
    street = []
    for section in item.street_duties:
        street.append((section.heading or "") + _numbered(section.steps))
    if street:
        parts.append(f"街道配合职责：{''.join(street)}")
    # 实施依据, 工作方式 and the columns an import kept, each under its own name.
    fields = [("实施依据", item.basis), ("工作方式", item.method), *item.extras]
    parts += [f"{label}：{text.replace(chr(10), '；')}" for label, text in fields if text]
    return "".join(_closed(p) for p in parts)


def _closed(part: str) -> str:
    """A part ends in one full stop: a step's closing ；, ; or ， gives way to it (not ；。)."""
    if part.endswith(("。", "：", "！", "？")):
        return part
    return part.rstrip("；;，,、 ") + "。"
