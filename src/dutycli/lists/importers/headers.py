"""The header map: how each published header variant names a field of the list.

Headers are compared after removing every space and line break (``对应上级\\n部门``)
and with half-width brackets made full-width (``乡镇(街道)配合职责``).
"""

from __future__ import annotations

import re

from dutycli.lists.model import BASIC, COOP, TAKEN_BACK

# Field names of a row, in the order of the published tables.
ID, NAME, DEPARTMENTS, UPPER, GUARANTEES, STREET, BASIS, METHOD = (
    "id",
    "name",
    "departments",
    "upper",
    "guarantees",
    "street",
    "basis",
    "method",
)

# What the messages call each field.
LABELS = {
    ID: "序号",
    NAME: "事项名称",
    DEPARTMENTS: "对应上级部门（收回清单：承接部门）",
    UPPER: "上级部门职责",
    GUARANTEES: "履职保障",
    STREET: "街道配合职责",
    BASIS: "实施依据",
    METHOD: "工作方式",
}

VARIANTS: dict[str, str] = {
    "序号": ID,
    "编号": ID,
    "事项名称": NAME,
    "事项": NAME,
    "履职事项": NAME,
    "履职事项名称": NAME,
    "事项内容": NAME,
    "收回事项": NAME,
    "收回事项名称": NAME,
    "对应上级部门": DEPARTMENTS,
    "上级部门": DEPARTMENTS,
    "对应部门": DEPARTMENTS,
    "上级主管部门": DEPARTMENTS,
    "主管部门": DEPARTMENTS,
    "责任部门": DEPARTMENTS,
    "承接部门": DEPARTMENTS,
    "上级部门职责": UPPER,
    "对应上级部门职责": UPPER,
    "履职保障": GUARANTEES,
    "上级部门履职保障": GUARANTEES,
    "实施依据": BASIS,
    "依据": BASIS,
    "法律依据": BASIS,
    "政策依据": BASIS,
    "设定依据": BASIS,
    "工作方式": METHOD,
    "承接方式": METHOD,
}

# Every variant of 街道配合职责 ends so: 镇街、乡镇（街道）、苏木乡镇（街道）…
STREET_SUFFIX = "配合职责"

REQUIRED: dict[str, tuple[str, ...]] = {
    COOP: (ID, NAME, DEPARTMENTS, UPPER, STREET),
    BASIC: (ID, NAME),
    TAKEN_BACK: (ID, NAME, DEPARTMENTS, METHOD),
}

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    text = _SPACE.sub("", text).replace("(", "（").replace(")", "）")
    return text.rstrip("：:*＊")


def field_of(text: str) -> str | None:
    key = normalize(text)
    if key in VARIANTS:
        return VARIANTS[key]
    if key.endswith(STREET_SUFFIX) and len(key) <= 16:
        return STREET
    return None


def is_header(texts: list[str]) -> bool:
    """A row of column names: 序号 first, or at least two known names one of which is 事项名称."""
    known = [field_of(t) for t in texts if t.strip()]
    if known and known[0] == ID and normalize(texts[0]) in ("序号", "编号"):
        return True
    return NAME in known and sum(1 for k in known if k) >= 2


def kind_of(fields: set[str]) -> str:
    """The list kind its columns imply."""
    if STREET in fields or UPPER in fields:
        return COOP
    if METHOD in fields:
        return TAKEN_BACK
    return BASIC
