"""Rules a list must keep beyond its shape: shared by the YAML loader and the importer.

Each rule reports through ``locate(path)``, so the loader can point at the
line and column of a YAML node and the importer at a row of the source table.
A ``FieldPath`` is the way to a value inside the data file (``("items", 3,
"upper_duties", 0, "steps", 1)``), not a path on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import fields

from dutycli.errors import Problem
from dutycli.lists.model import COOP, TAKEN_BACK, DutyList, Item, kind_of

FieldPath = tuple[str | int, ...]
Locator = Callable[[FieldPath], tuple[int | None, int | None]]
Report = Callable[[FieldPath, str], None]

HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# A step number the importer should have removed: 1. / 1、 / （1） / (1) / ① / 一、
LEFTOVER_NUMBER = re.compile(
    r"^\s*(?:\d{1,3}\s*[.．、](?!\d)|[（(]\s*\d{1,3}\s*[）)]|[①-⑳]|[一二三四五六七八九十]{1,3}、)",
    re.MULTILINE,
)


# Control characters no list text holds: a terminal runs them (ESC ] 0 ; sets the
# window title), XML cannot hold them (-o xlsx). Tab and newline are text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# The longest text (a name, a step, a guarantee, a basis) a list may hold:
# published steps are under 2,000 characters. Comparing two versions of a text
# (``diff``) and indexing it grow with its length; past this bound a text is
# almost surely a whole document pasted into one cell. docs/MANUAL.md says so.
MAX_TEXT_CHARS = 20_000
# All the texts of one item together (the longest published item holds about
# 1,100 characters): one item is what ``show`` lays out as a table at once.
MAX_ITEM_CHARS = 100_000


def length_problem(text: str) -> str | None:
    """The message for a text over ``MAX_TEXT_CHARS``, if it is one."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return (
        f"这段文字有 {len(text):,} 个字，超过了一段文字最多 {MAX_TEXT_CHARS:,} 个字的上限"
        "（公布的清单里一个步骤不到 2,000 字）：多半是整篇文件粘进了一个单元格，请分成步骤"
    )


def control_problem(text: str) -> str | None:
    """The message for the first control character in ``text``, if there is one."""
    m = CONTROL.search(text)
    if m is None:
        return None
    return (
        f"含有控制字符 U+{ord(m.group()):04X}（第 {m.start() + 1} 个字）："
        "清单文字里不应有，终端会执行它；请删去（常见于从网页或 Word 复制的文字）"
    )


def item_texts(item: Item, index: int) -> Iterator[tuple[FieldPath, str]]:
    """Every free text of an item with its path in the data file."""
    base: FieldPath = ("items", index)
    yield (*base, "name"), item.name
    for b, block in enumerate(item.upper_duties):
        if block.heading is not None:
            yield (*base, "upper_duties", b, "heading"), block.heading
        for s, step in enumerate(block.steps):
            yield (*base, "upper_duties", b, "steps", s), step
    for g, text in enumerate(item.guarantees):
        yield (*base, "guarantees", g), text
    if item.basis is not None:
        yield (*base, "basis"), item.basis
    if item.method is not None:
        yield (*base, "method"), item.method
    for n, section in enumerate(item.street_duties):
        if section.heading is not None:
            yield (*base, "street_duties", n, "heading"), section.heading
        for s, step in enumerate(section.steps):
            yield (*base, "street_duties", n, "steps", s), step
    for name, text in item.extras:
        yield (*base, "extras", name), text


# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def starts_formula(text: str) -> bool:
    """Would a spreadsheet run ``text`` as a formula? (A plain number such as -3 is a value.)"""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def formula_warnings(
    dl: DutyList, file: str, locate: Locator, indices: list[int] | None = None
) -> list[Problem]:
    """Warnings (not errors) for texts Excel would run as a formula: the outputs neutralise them."""
    texts: list[tuple[FieldPath, str, int | None]] = [
        (("categories", n), c, None) for n, c in enumerate(dl.categories)
    ]
    texts += [(("departments", n, "name"), d.name, None) for n, d in enumerate(dl.departments)]
    for k, item in enumerate(dl.items):
        index = indices[k] if indices is not None else k
        texts += [(path, text, item.id) for path, text in item_texts(item, index)]
    warnings = []
    for path, text, item_id in texts:
        if starts_formula(text):
            line, column = locate(path)
            shown = {"\t": "制表符", "\r": "回车"}.get(text[0], text[0])
            warnings.append(
                Problem(
                    file,
                    f"警告：文字以“{shown}”开头，Excel 会把它当公式执行"
                    "（duty 写 csv/tsv 时加前导 '，写 xlsx 时存为文本）",
                    line,
                    column,
                    item_id,
                )
            )
    return warnings


def check_list(
    dl: DutyList, file: str, locate: Locator, indices: list[int] | None = None
) -> list[Problem]:
    """Problems of ``dl``; ``indices[k]`` is the file position of ``dl.items[k]``."""
    problems: list[Problem] = []

    def report(path: FieldPath, message: str, item: int | None = None) -> None:
        line, column = locate(path)
        problems.append(Problem(file, message, line, column, item))

    _check_tables(dl, report)
    seen_ids: dict[int, int] = {}
    for k, item in enumerate(dl.items):
        index = indices[k] if indices is not None else k
        base: FieldPath = ("items", index)

        def at(
            path: FieldPath, message: str, item_id: int = item.id, base: FieldPath = base
        ) -> None:
            report((*base, *path), message, item_id)

        if item.id <= 0:
            at(("id",), f"编号应为正整数，实际是 {item.id}")
        if item.id in seen_ids:
            at(("id",), f"编号 {item.id} 重复（第 {seen_ids[item.id] + 1} 条记录已使用）")
        seen_ids.setdefault(item.id, index)
        _check_item(dl, item, at)
        _check_texts(item, index, at)
    return problems


def _check_tables(dl: DutyList, report: Report) -> None:
    """Categories and departments declared once; an alias names one department."""
    for i, cat in enumerate(dl.categories):
        if cat in dl.categories[:i]:
            report(("categories", i), f"类别“{cat}”重复")
    named: list[tuple[FieldPath, str]] = [
        (("categories", i), c) for i, c in enumerate(dl.categories)
    ]
    for d, dept in enumerate(dl.departments):
        named.append((("departments", d, "name"), dept.name))
        named += [(("departments", d, "aliases", a), x) for a, x in enumerate(dept.aliases)]
    info = dl.info
    named += [
        (("list", f.name), getattr(info, f.name))
        for f in fields(info)
        if isinstance(getattr(info, f.name), str)
    ]
    for path, text in named:
        control = control_problem(text)
        if control is not None:
            report(path, control)

    owner: dict[str, str] = {}
    for d, dept in enumerate(dl.departments):
        if dept.name in owner:
            report(("departments", d, "name"), f"部门“{dept.name}”重复")
        owner.setdefault(dept.name, dept.name)
    for d, dept in enumerate(dl.departments):
        for a, alias in enumerate(dept.aliases):
            other = owner.get(alias)
            if other is not None and other != dept.name:
                report(
                    ("departments", d, "aliases", a),
                    f"别名“{alias}”同时指向“{other}”和“{dept.name}”：一个别名只能指一个部门",
                )
            owner.setdefault(alias, dept.name)


def _check_item(dl: DutyList, item: Item, at: Report) -> None:
    """An item's category, departments and the fields its kind requires."""
    kind = kind_of(dl.info.kind)
    if item.category not in dl.categories and (item.category or dl.categories):
        at(("category",), f"类别“{item.category}”未在 categories 中声明")
    declared = {d.name for d in dl.departments}
    for n, name in enumerate(item.departments):
        if name not in declared:
            at(("departments", n), f"部门“{name}”未在 departments 中声明" + _hint(name, dl))
        elif name in item.departments[:n]:
            at(("departments", n), f"部门“{name}”重复")
    if kind == COOP and not item.upper_duties:
        at(("upper_duties",), "缺少上级部门职责")
    if kind == COOP and not item.street_duties:
        at(("street_duties",), "缺少街道配合职责")
    if kind == TAKEN_BACK and not item.departments:
        at(("departments",), "收回事项须写明承接部门（departments）")
    if kind == TAKEN_BACK and not (item.method or "").strip():
        at(("method",), "收回事项须写明工作方式（method）")
    _check_blocks(dl, item, at)


def _check_blocks(dl: DutyList, item: Item, at: Report) -> None:
    """Each block names departments of the item, in its heading too; every department has one."""
    covered: set[str] = set()
    for b, block in enumerate(item.upper_duties):
        covered.update(block.departments)
        for n, name in enumerate(block.departments):
            if name not in item.departments:
                at(
                    ("upper_duties", b, "departments", n),
                    f"职责块的部门“{name}”不在本项的 departments 中",
                )
        if block.heading is not None:
            for name in block.departments:
                spellings = {name, *_aliases(dl, name)}
                if not any(s in block.heading for s in spellings):
                    at(
                        ("upper_duties", b, "heading"),
                        f"职责块标题“{block.heading}”没有写出部门“{name}”",
                    )
        if not block.steps:
            at(("upper_duties", b, "steps"), "职责块没有任何步骤")
    for name in item.departments if kind_of(dl.info.kind) == COOP else ():
        if name not in covered:
            at(("departments",), f"部门“{name}”在本项没有职责块（upper_duties）")
    for n, section in enumerate(item.street_duties):
        if not section.steps:
            at(("street_duties", n, "steps"), "街道配合职责段落没有任何步骤")


def _check_texts(item: Item, index: int, at: Report) -> None:
    """Every text: not empty, not too long, no HTML, no step number left at a step's start."""
    total = sum(len(text) for _, text in item_texts(item, index))
    if total > MAX_ITEM_CHARS:
        at(
            (),
            f"这一项的文字共有 {total:,} 个字，超过了一项最多 {MAX_ITEM_CHARS:,} 个字的上限"
            "（公布的清单里一项不到 2,000 字）",
        )
    for path, text in item_texts(item, index):
        rel = path[2:]
        if not text.strip():
            at(rel, "文字为空")
        control = control_problem(text)
        if control is not None:
            at(rel, control)
        too_long = length_problem(text)
        if too_long is not None:
            at(rel, too_long)
            continue  # the rules below would scan it whole for nothing
        tag = HTML_TAG.search(text)
        if tag:
            at(rel, f"含有 HTML 标记：{tag.group(0)}")
        if rel[-2:-1] == ("steps",) or rel[0] == "guarantees":
            m = LEFTOVER_NUMBER.search(text)
            if m:
                at(rel, f"步骤开头残留编号“{m.group(0).strip()}”：编号由显示时生成，数据里不写")


def _aliases(dl: DutyList, name: str) -> tuple[str, ...]:
    for dept in dl.departments:
        if dept.name == name:
            return dept.aliases
    return ()


def _hint(name: str, dl: DutyList) -> str:
    canonical = dl.department_names.get(name)
    if canonical is not None and canonical != name:
        return f"；“{name}”是“{canonical}”的别名，这里请写全称"
    import difflib

    close = difflib.get_close_matches(name, [d.name for d in dl.departments], n=1, cutoff=0.5)
    return f"；是不是“{close[0]}”？" if close else ""
