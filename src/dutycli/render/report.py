"""The wording of ``duty diff`` and ``duty check`` reports, shared by the text renderers.

A renderer passes how removed and added text is marked: ``[-旧-]{+新+}``
in plain text, strike-through and bold in Markdown, styles in a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dutycli.query.check import OFF_LIST, ON_LIST, Split, Verdict
from dutycli.query.diff import StepChange
from dutycli.query.results import FIELD_NAMES, DiffResult, _joined

Mark = Callable[[str], str]

ADMISSION = "清单外的任务不属于街道配合履职事项，如确需街道承担，应按事项准入程序报批后再交办。"


def plain_removed(text: str) -> str:
    return f"[-{text}-]"


def plain_added(text: str) -> str:
    return f"{{+{text}+}}"


def step_text(change: StepChange, removed: Mark, added: Mark) -> str:
    if change.kind == "reworded":
        return "".join(
            f.text if f.op == "=" else removed(f.text) if f.op == "-" else added(f.text)
            for f in change.fragments
        )
    if change.kind == "added":
        return added(change.new or "")
    return removed(change.old or "")


def diff_lines(result: DiffResult, removed: Mark, added: Mark, heading: Mark) -> list[str]:
    d = result.diff
    lines = [f"比较 {result.old} → {result.new}"]
    if d.same:
        return [*lines, "两份清单内容相同。"]
    counts = (
        f"新增 {len(d.added)} 项，删除 {len(d.removed)} 项，"
        f"改动 {len(d.changed)} 项，仅编号变动 {len(d.renumbered)} 项。"
    )
    lines.append(counts)
    for item in d.added:
        lines.append(heading(f"新增事项：第{item.id}项 {item.name}"))
    for item in d.removed:
        lines.append(heading(f"删除事项：第{item.id}项 {item.name}"))
    for c in d.renumbered:
        lines.append(heading(f"编号变动：第{c.old.id}项 → 第{c.new.id}项 {c.new.name}"))
    for c in d.changed:
        moved = f"（原第{c.old.id}项）" if c.renumbered else ""
        lines.append(heading(f"改动事项：第{c.new.id}项{moved} {c.new.name}"))
        for key, (before, after) in c.fields.items():
            lines.append(
                f"  {FIELD_NAMES[key]}：{removed(_joined(before))} → {added(_joined(after))}"
            )
        for s in c.steps:
            label = {"added": "新增", "removed": "删除", "reworded": "改写"}[s.kind]
            lines.append(f"  {s.where}（{label}）：{step_text(s, removed, added)}")
    return lines


def verdict_line(v_verdict: str, ids: list[int], names: list[str]) -> str:
    if v_verdict == ON_LIST:
        return f"判定：{ON_LIST}。对应第{ids[0]}项“{names[0]}”，按清单的职责分工办理。"
    if v_verdict == OFF_LIST:
        return f"判定：{OFF_LIST}。{ADMISSION}"
    listing = "；".join(f"第{i}项“{n}”" for i, n in zip(ids, names, strict=True))
    return f"判定：相近。没有一项明确对应，最接近的是：{listing}。请核对后再定。"


def verdict_text(v: Verdict) -> str:
    """The verdict for people; on a library it names the kind of list that matched."""
    from dutycli.lists.model import BASIC
    from dutycli.query.check import TAKEN

    ids = [m.item.id for m in v.matches]
    names = [m.item.name for m in v.matches]
    source = v.matches[0].source if v.matches else None
    title = f"《{source.title}》" if source is not None else "清单"
    if v.verdict == ON_LIST and v.kind == BASIC:
        return (
            f"判定：{ON_LIST}（基本履职事项）。对应{title}第{ids[0]}项“{names[0]}”，"
            "是街道自身的职责，由街道负责办理。"
        )
    if v.verdict == TAKEN:
        item = v.matches[0].item
        depts = "、".join(item.departments) or "上级部门"
        how = f"工作方式：{item.method}" if item.method else ""
        return (
            f"判定：{TAKEN}。对应{title}第{ids[0]}项“{names[0]}”：这项工作已由{depts}收回，"
            f"街道不再承担，应由{depts}办理。{how}"
        )
    return verdict_line(v.verdict, ids, names)


def earlier_line(earlier: Any) -> str:
    """An earlier decision of the office on this task (query.decisions.Earlier)."""
    e = earlier.entry
    who = f"，{e.by}" if e.by else ""
    note = f"；备注：{e.note}" if e.note else ""
    what = f"相近的任务“{e.task}”" if earlier.similarity < 1.0 else "这项任务"
    head = (
        f"已有决定：{e.date} {e.department}交办{what}，"
        f"决定{e.decision}（记录第 {e.id} 条{who}{note}）。"
    )
    if not earlier.applied:
        return head + f"当时判定为{e.verdict}，供参考。"
    if earlier.tool:
        return head + f"按这条记录判定为{e.verdict}；工具自己的判定是{earlier.tool}。"
    return head + "判定与这条记录一致。"


def split_line(split: Split) -> str:
    """The task asks the subdistrict for a department's step: say whose it is."""
    from dutycli.query.results import split_note

    return f"注意：{split_note(split)}"
