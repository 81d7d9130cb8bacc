"""What a column of a published table holds, read from what its header says.

Published tables name the same column many ways (配合部门, 牵头部门, 对应上级部门;
乡镇（街道）职责, 镇街职责, 苏木镇职责; 项目名称, 赋权事项名称 …). Rather than a
fixed dictionary of spellings, ``field_of`` reads two things from a header:

- the *content*: 依据 (basis), 保障 (guarantees), 方式 (method), 职责/责任事项
  (duties), 部门/单位 (departments), 名称/事项 (the item's name), 类别 (category),
  序号 (the number);
- for duties, *whose*: a header naming the subdistrict's side (街道, 乡镇, 镇街,
  苏木, 社区, 镇, 乡 …) is the subdistrict's duties; any other (区/县/旗/市级部门,
  上级部门, 部门) is the upper departments'.

A header none of these rules reads is an *extra* column: kept on every item
under its header, never dropped. ``--columns "表头=字段"`` overrides the rules.
tests/data/header_variants.tsv holds the published wordings, with a test each.
Headers are compared after removing every space and line break and with
half-width brackets made full-width (``乡镇(街道)配合职责``).
"""

from __future__ import annotations

import re

from dutycli.errors import UsageError
from dutycli.lists.model import BASIC, COOP, TAKEN_BACK

# Field names of a row, in the order of the published tables.
ID, CATEGORY, NAME, DEPARTMENTS, UPPER, GUARANTEES, STREET, BASIS, METHOD = (
    "id",
    "category",
    "name",
    "departments",
    "upper",
    "guarantees",
    "street",
    "basis",
    "method",
)
EXTRA = "extra"  # a column kept as published under its own header

# What the messages call each field.
LABELS = {
    ID: "序号",
    CATEGORY: "类别",
    NAME: "事项名称",
    DEPARTMENTS: "对应上级部门（收回清单：承接部门）",
    UPPER: "上级部门职责",
    GUARANTEES: "履职保障",
    STREET: "街道配合职责",
    BASIS: "实施依据",
    METHOD: "工作方式",
    EXTRA: "附加列（按原列名保留）",
}

# The words ``--columns`` accepts for each field: its key, its label, short forms.
FIELD_WORDS: dict[str, str] = {
    **{f: f for f in LABELS},
    "序号": ID,
    "编号": ID,
    "类别": CATEGORY,
    "事项名称": NAME,
    "名称": NAME,
    "部门": DEPARTMENTS,
    "对应上级部门": DEPARTMENTS,
    "承接部门": DEPARTMENTS,
    "上级部门职责": UPPER,
    "部门职责": UPPER,
    "履职保障": GUARANTEES,
    "街道职责": STREET,
    "街道配合职责": STREET,
    "实施依据": BASIS,
    "依据": BASIS,
    "工作方式": METHOD,
    "附加": EXTRA,
    "附加列": EXTRA,
}

REQUIRED: dict[str, tuple[str, ...]] = {
    COOP: (ID, NAME, DEPARTMENTS, UPPER, STREET),
    BASIC: (ID, NAME),
    TAKEN_BACK: (ID, NAME, DEPARTMENTS, METHOD),
}

_SPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_ID = re.compile(r"(?:序号|编号|序|序次|[Nn][Oo]\.?|ID|id)")
_CATEGORY = re.compile(r"(?:所属)?(?:事项)?(?:类别|分类|领域)(?:名称)?")
# The subdistrict's side of a split; anything else that holds duties is the upper side.
STREET_BODIES = ("街道", "乡镇", "镇街", "街镇", "苏木", "社区", "镇", "乡", "嘎查", "村")
_DUTIES = ("职责", "责任事项", "工作任务", "工作内容", "履职内容", "职责任务")
_DEPARTMENT = ("部门", "单位", "机关", "科室")
_NAME = re.compile(r".*(?:名称|项目|事项|事项内容)")


def normalize(text: str) -> str:
    text = _SPACE.sub("", text).replace("(", "（").replace(")", "）")
    return text.rstrip("：:*＊")


def field_of(text: str) -> str | None:
    """The field a header names, or None: the column is kept as an extra."""
    key = normalize(text)
    if not key:
        return None
    if _ID.fullmatch(key):
        return ID
    if _CATEGORY.fullmatch(key):
        return CATEGORY
    for word, field in (("依据", BASIS), ("保障", GUARANTEES), ("方式", METHOD)):
        if word in key:
            return field
    if key == "责任事项":  # a 权责清单's duties are its publisher's own
        return STREET
    if any(word in key for word in _DUTIES):
        return STREET if any(body in key for body in STREET_BODIES) else UPPER
    if "追责" in key or "类型" in key or "范围" in key or "备注" in key:
        return None
    if any(word in key for word in _DEPARTMENT):
        return DEPARTMENTS
    if _NAME.fullmatch(key) or key in ("事项", "履职事项"):
        return NAME
    return None


def parse_columns(option: str) -> dict[str, str]:
    """``--columns "表头=字段,…"`` as {normalized header: field}; a wrong pair is a UsageError."""
    out: dict[str, str] = {}
    for pair in re.split(r"[,，;；]", option):
        if not pair.strip():
            continue
        header, sep, word = pair.partition("=")
        if not sep:
            header, sep, word = pair.partition("＝")
        field = FIELD_WORDS.get(word.strip())
        if not sep or not normalize(header) or field is None:
            words = "、".join(dict.fromkeys(FIELD_WORDS))
            raise UsageError(f"--columns 的“{pair.strip()}”应写成“表头=字段”，字段为：{words}")
        out[normalize(header)] = field
    return out


def is_header(texts: list[str], columns: dict[str, str] | None = None) -> bool:
    """A row of column names: 序号 first, or a name column and one more known column."""
    known = [field(t, columns) for t in texts if t.strip()]
    if known and known[0] == ID and _ID.fullmatch(normalize(texts[0])):
        return True
    return NAME in known and sum(1 for k in known if k and k != EXTRA) >= 2


def field(text: str, columns: dict[str, str] | None) -> str | None:
    """``field_of`` unless ``--columns`` names this header."""
    if columns:
        chosen = columns.get(normalize(text))
        if chosen is not None:
            return chosen
    return field_of(text)


def kind_of(fields: set[str], labels: list[str]) -> str:
    """The list kind its columns imply."""
    if UPPER in fields:
        return COOP
    if STREET in fields and DEPARTMENTS in fields and METHOD not in fields:
        return COOP
    if METHOD in fields and not any("配合" in normalize(t) for t in labels):
        return TAKEN_BACK
    if METHOD in fields:
        return COOP
    return BASIC
