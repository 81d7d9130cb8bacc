"""Departments from a list itself: names split out of its cells, short names made by rule.

A list imported without ``--departments`` names its own departments: each
department cell is split on 、，,；; spaces and line breaks, and a name that
is the tail of another name of the same list (区民政局 of 青山区民政局) is the
same department. Aliases are generated, never guessed from outside the list:

- the place dropped: 青山区民政局 → 区民政局, 民政局; 国家税务总局包头市青山区税务局
  → 区税务局, 税务局; a party body keeps its level (青山区委宣传部 → 区委宣传部, 宣传部);
- a branch: 包头市公安局青山分局 → 公安局, 公安分局, 青山分局;
- the common abbreviations of the shipped table data/departments_abbrev.yaml
  (卫生健康委员会 → 卫健委, 卫健), with the level too (区卫健委), and back
  (a list that writes 区卫健委 also answers to 卫生健康委员会).

An alias two departments of the list would share is given to neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.model import Department

ABBREV_FILE = "departments_abbrev.yaml"
# Separators of several departments in one cell. A space separates too, except
# inside a name written with one (包头市公安局 青山分局: see ``split_names``).
_SEPARATORS = re.compile(r"[、，,；;\s]+")
_CONNECTOR = re.compile(r"^(?:及|和|与|以及)")
CONNECTORS = "及和、"  # what may stand before a name in a department cell
_NATIONAL = re.compile(r"^国家[\u4e00-\u9fff]{1,6}?总局")
# Levels of place, largest first: a place is stripped only inside a larger one.
_LEVELS = (
    ("省", "自治区", "特别行政区"),
    ("市", "盟", "自治州", "州", "地区"),
    ("区", "县", "旗", "自治县", "自治旗", "新区"),
)
_LEVEL_WORDS = "特别行政区|自治区|自治州|自治县|自治旗|新区|地区|省|市|盟|州|区|县|旗"
# A place name holds no word of an organisation (生态环境局青山区分局 is no place).
_PLACE = re.compile(
    r"^(?P<place>(?:(?!局|委|办|部|会|院|所|队|站|中心)[\u4e00-\u9fffA-Za-z]){0,10}?)"
    rf"(?P<level>{_LEVEL_WORDS})"
)
# Bodies a level word belongs to: 区委, 县人民政府, 旗人大 …
_BODY_AFTER_LEVEL = ("委", "人民政府", "政府", "人大", "政协", "级")
_BRANCH = re.compile(
    r"^(?P<body>[\u4e00-\u9fff]{2,12}?局)(?P<place>[\u4e00-\u9fff]{1,4}?(?:区|县|旗)?)分局$"
)
_ORG_END = re.compile(
    r"(?:局|委|办|部|会|院|所|队|站|中心|室|处|科|联|团|社|行|馆|厅|署|组|庭|政府|公司)$"
)


def split_names(cell: str) -> list[str]:
    """The department names in one cell, as written; 及/和 before a name dropped."""
    words = [w for w in _SEPARATORS.split(cell) if w]
    out: list[str] = []
    for word in words:
        word = _CONNECTOR.sub("", word) or word
        if out and _BRANCH.match(out[-1] + word) and not _BRANCH.match(out[-1]):
            out[-1] += word  # 包头市公安局 青山分局: one name written with a space
        elif out and not _ORG_END.search(out[-1]):
            out[-1] += word  # a name broken by a line break
        else:
            out.append(word)
    return out


def _place_forms(name: str) -> tuple[str, str]:
    """(the name with its places dropped but the lowest level kept, or "", and the core)."""
    core = _NATIONAL.sub("", name)
    form = ""
    level_rank = -1
    while True:
        m = _PLACE.match(core)
        if m is None:
            break
        after = core[m.end() :]
        rank = next((k for k, words in enumerate(_LEVELS) if m.group("level") in words), 2)
        if rank <= level_rank or len(after) < 2 or not _ORG_END.search(after):
            break
        if not m.group("place") and rank < 2:
            break  # a bare 市 or 省 starts a word (市场监督管理局), not a place
        level_rank = rank
        form = m.group("level") + after
        core = after
        if after.startswith(_BODY_AFTER_LEVEL):
            break
    if core.startswith("委") and len(core) > 3:
        core = core[1:]
    return form, core


def generated_aliases(name: str, table: dict[str, tuple[str, ...]]) -> list[str]:
    """Every alias the rules give ``name``, most specific first."""
    form, core = _place_forms(name)
    out = [form, core]
    level = form[: len(form) - len(core)] if form.endswith(core) else ""
    branch = _BRANCH.match(core)
    if branch:
        body, place = branch.group("body"), branch.group("place")
        out += [f"{place}分局", f"{body[:-1]}分局", body]
        core, level = body, ""
    for full, shorts in table.items():
        if core.endswith(full):
            head = core[: -len(full)]
            for short in shorts:
                if _ORG_END.search(short):
                    out.append(level + head + short)
                out.append(head + short)
        elif core in shorts:
            out += [level + full, full] if level else [full]
            out += [s for s in shorts if s != core]
    return [a for a in dict.fromkeys(out) if a and a != name and len(a) >= 2]


def departments_of(
    names: Iterable[str], table: dict[str, tuple[str, ...]]
) -> tuple[Department, ...]:
    """The departments a list names, in order of first mention, with generated aliases."""
    written = list(dict.fromkeys(names))
    canonical: dict[str, str] = {}
    for name in written:
        longer = [n for n in written if n != name and n.endswith(name)]
        canonical[name] = longer[0] if len(longer) == 1 else name
    fulls = [n for n in written if canonical[n] == n]
    proposed = {n: [w for w in written if canonical[w] == n and w != n] for n in fulls}
    for n in fulls:
        proposed[n] += generated_aliases(n, table)
    owners: dict[str, set[str]] = {}
    for n, aliases in proposed.items():
        for alias in aliases:
            owners.setdefault(alias, set()).add(n)
    full_names = set(fulls)
    out = []
    for n in fulls:
        keep = [
            a for a in dict.fromkeys(proposed[n]) if len(owners[a]) == 1 and a not in full_names
        ]
        out.append(Department(n, tuple(keep)))
    return tuple(out)


def looks_like_abbreviations(path: Path) -> bool:
    """Whether a file is the abbreviation table (a top-level ``abbreviations:``), not a list."""
    from dutycli.lists.source import head_text

    head = head_text(path)
    if head is None:
        return False
    return any(line.rstrip() == "abbreviations:" for line in head.splitlines())


def abbreviation_file() -> Path | None:
    from dutycli.lists.source import shipped

    return shipped(ABBREV_FILE)


def load_abbreviations(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """The shipped abbreviation table; a broken table is a DataError with every problem located."""
    path = path or abbreviation_file()
    if path is None:
        return {}
    from dutycli.lists.load import read_text

    text = read_text(path)
    table, problems = parse_abbreviations(text, str(path))
    if problems:
        raise DataError(problems)
    return table


def parse_abbreviations(text: str, file: str) -> tuple[dict[str, tuple[str, ...]], list[Problem]]:
    """``abbreviations: {全称: [简称, …]}`` with its problems (what ``duty validate`` reports)."""
    from dutycli.lists.yamlnodes import STR, MappingNode, ScalarNode, SequenceNode, Where, compose

    where = Where(text)
    problems: list[Problem] = []

    def err(index: int, message: str) -> None:
        line, column = where.at(index)
        problems.append(Problem(file, message, line, column))

    root = compose(text, file)
    top = dict((k.value, v) for k, v in root.value) if isinstance(root, MappingNode) else {}
    node = top.get("abbreviations")
    if not isinstance(node, MappingNode):
        err(root.index, "部门简称表应有 abbreviations: {部门全称: [简称, …]}")
        return {}, problems
    for key in top:
        if key not in ("schema", "abbreviations"):
            err(root.index, f"部门简称表有未知的键“{key}”（可用的键：schema、abbreviations）")
    table: dict[str, tuple[str, ...]] = {}
    for key, value in node.value:
        full = key.value if isinstance(key, ScalarNode) and key.tag == STR else None
        if not full or not str(full).strip():
            err(key.index, "部门全称应为文字")
            continue
        if full in table:
            err(key.index, f"部门全称“{full}”重复")
        if not isinstance(value, SequenceNode):
            err(value.index, f"“{full}”的简称应为列表 [简称, …]")
            continue
        table[full] = _shorts(full, value.value, err)
    for key, value in node.value:
        for child in value.value if isinstance(value, SequenceNode) else ():
            if child.value in table and child.value != key.value:
                err(child.index, f"简称“{child.value}”是表里另一个部门的全称")
    return table, problems


def _shorts(full: str, nodes: list[Any], err: Callable[[int, str], None]) -> tuple[str, ...]:
    """The abbreviations of one entry: each a text, shorter than ``full``, once."""
    from dutycli.lists.yamlnodes import STR, ScalarNode

    shorts: list[str] = []
    for child in nodes:
        short = child.value if isinstance(child, ScalarNode) and child.tag == STR else None
        if not short or not short.strip():
            err(child.index, f"“{full}”的简称应为文字")
        elif len(short) >= len(full):
            err(child.index, f"简称“{short}”不比全称“{full}”短")
        elif short in shorts:
            err(child.index, f"“{full}”的简称“{short}”重复")
        else:
            shorts.append(short)
    return tuple(shorts)
