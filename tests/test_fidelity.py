"""data/items.yaml against the published table, character by character.

This reads the source with its own minimal rules (split rows on tabs, drop
markup, whitespace and step numbers) and compares each column's whole text
with the concatenated text of the YAML. It does not share the importer's way
of splitting a cell into blocks and steps, so a character the importer drops,
duplicates or moves to another column fails here.
"""

from __future__ import annotations

import re

import pytest

from dutycli.lists.load import load
from dutycli.lists.model import GUARANTEES_LABEL, DutyList, Item

from .conftest import DATA, SOURCE

TAG = re.compile(r"<[^>]*>")
STEP_NUMBER = re.compile(r"(?<!\S)(?:\d{1,2}\.(?!\d)|（\d{1,2}）)")
CATEGORY = re.compile(r"[一二三四五六七八九十]+、(.+)")


def bare(text: str) -> str:
    """Text without markup, step numbers and whitespace."""
    text = TAG.sub(" ", text)
    text = STEP_NUMBER.sub(" ", text)
    return re.sub(r"\s+", "", text)


def source_rows() -> dict[int, tuple[str, list[str]]]:
    """id -> (category, five raw cells), read straight from the published table."""
    rows: dict[int, tuple[str, list[str]]] = {}
    category = ""
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        heading = re.sub(r"^#+\s*", "", TAG.sub("", cells[0])).strip()
        if CATEGORY.fullmatch(heading):
            category = CATEGORY.fullmatch(heading).group(1)  # type: ignore[union-attr]
        elif cells[0].strip().isdigit():
            assert len(cells) == 5, line[:40]
            assert int(cells[0]) not in rows, f"id {cells[0]} twice in the source"
            rows[int(cells[0])] = (category, cells)
    return rows


ROWS = source_rows()
LIST: DutyList = load(DATA)


def upper_text(item: Item) -> str:
    text = "".join((b.heading or "") + "".join(b.steps) for b in item.upper_duties)
    if item.guarantees:
        text += GUARANTEES_LABEL + "".join(item.guarantees)
    return re.sub(r"\s+", "", text)


def street_text(item: Item) -> str:
    text = "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    return re.sub(r"\s+", "", text)


def test_same_items_as_the_source() -> None:
    assert [i.id for i in LIST.items] == sorted(ROWS) == list(range(1, 68))


def test_counts_from_the_issue() -> None:
    per_category = [sum(1 for i in LIST.items if i.category == c) for c in LIST.categories]
    assert list(LIST.categories) == [
        "党的建设",
        "民生服务",
        "平安法治",
        "城乡建设",
        "生态环保",
        "文化旅游",
    ]
    assert per_category == [3, 29, 24, 6, 3, 2]
    assert len(LIST.departments) == 28


@pytest.mark.parametrize("item_id", sorted(ROWS))
def test_every_column_survives(item_id: int) -> None:
    category, cells = ROWS[item_id]
    item = LIST.by_id[item_id]
    assert item.category == category
    assert re.sub(r"\s+", "", item.name) == bare(cells[1])
    assert upper_text(item) == bare(cells[3])
    assert street_text(item) == bare(cells[4])


@pytest.mark.parametrize("item_id", sorted(ROWS))
def test_department_column_survives(item_id: int) -> None:
    # The cell lists names separated by spaces (some names hold a space of
    # their own); the only other character allowed between names is the
    # connective 及 of item 40.
    rest = bare(ROWS[item_id][1][2])
    for name in LIST.by_id[item_id].departments:
        rest = rest.removeprefix("及")
        assert rest.startswith(name), f"expected {name!r} at {rest!r}"
        rest = rest[len(name) :]
    assert rest == ""


def test_title_and_note() -> None:
    text = SOURCE.read_text(encoding="utf-8")
    assert f"# {LIST.info.title}" in text
    assert f"注：{LIST.info.note}" in text


def test_duty_text_keeps_what_a_careless_split_would_lose() -> None:
    # Spot checks that make the rules above concrete.
    item40 = LIST.by_id[40]
    assert item40.departments == ("青山区应急管理局", "其他行业主管部门")
    checks = item40.street_duties[0].steps[1].split("\n")
    assert checks[0] == "安全生产检查：" and len(checks) == 9
    assert LIST.by_id[1].street_duties[1].heading == "联合办案："
    assert LIST.by_id[5].guarantees == ("提供业务指导培训、资金支持",)
    assert "包头市公安局青山分局" in LIST.by_id[17].departments
