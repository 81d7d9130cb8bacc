"""The flat columns of an item, for the delimited and markdown renderers."""

from __future__ import annotations

from dutycli.lists.views import as_text, guarantee_lines, joined, snippet, street_lines, upper_lines
from dutycli.query.results import CheckResult, DiffResult, Items, Result

ITEM_KEYS = ("id", "name", "category", "departments", "upper_duties", "guarantees", "street_duties")
ITEM_HEADINGS = (
    "编号",
    "事项名称",
    "类别",
    "对应上级部门",
    "上级部门职责",
    "履职保障",
    "街道配合职责",
)
SEARCH_KEYS = ("score", "matched")
SEARCH_HEADINGS = ("得分", "匹配")


def flat(result: Result) -> tuple[tuple[str, ...], tuple[str, ...], list[list[str]]]:
    """(keys, headings, rows), every value a string: lists joined with 、, steps by newlines."""
    if isinstance(result, (CheckResult, DiffResult)):
        result = result.table()
    if not isinstance(result, Items):
        rows = [[_value(record.get(key)) for key in result.keys] for record in result.records()]
        return result.keys, result.headings, rows
    searched = any(row.score is not None for row in result.rows)
    # 实施依据, 工作方式 and extra columns where any item has them, under their own headers.
    more = [
        (key, heading)
        for key, heading in (("basis", "实施依据"), ("method", "工作方式"))
        if any(getattr(row.item, key) for row in result.rows)
    ]
    extra_names = list(dict.fromkeys(n for row in result.rows for n, _ in row.item.extras))
    more += [(f"extras.{name}", name) for name in extra_names]
    keys = ITEM_KEYS + tuple(k for k, _ in more) + (SEARCH_KEYS if searched else ())
    headings = ITEM_HEADINGS + tuple(h for _, h in more) + (SEARCH_HEADINGS if searched else ())
    # by-dept: only the department's own blocks, as in every format.
    department = result.department if result.view == "department" else None
    out = []
    for row in result.rows:
        item = row.item
        values = [
            str(item.id),
            item.name,
            item.category,
            "、".join(item.departments),
            as_text(upper_lines(item, department, guarantees=False)),
            as_text(guarantee_lines(item)),
            as_text(street_lines(item)),
        ]
        extras = dict(item.extras)
        for key, _ in more:
            if key.startswith("extras."):
                values.append(extras.get(key[len("extras.") :], ""))
            else:
                values.append(getattr(item, key) or "")
        if searched:
            values.append(f"{row.score:g}" if row.score is not None else "")
            values.append(
                "\n".join(f"{m.column}：{snippet(m.text, m.start, m.end)[0]}" for m in row.matched)
            )
        out.append(values)
    return keys, headings, out


def _value(value: object) -> str:
    return joined(value)
