"""Departments from a list itself: splitting cells, aliases by rule, the abbreviation table."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutycli.errors import UsageError
from dutycli.lists.deptnames import (
    departments_of,
    generated_aliases,
    load_abbreviations,
    parse_abbreviations,
    split_names,
)
from dutycli.lists.importers.headers import EXTRA, NAME, STREET, parse_columns

from .conftest import REPO, Duty

TABLE = load_abbreviations()
ABBREV = REPO / "data" / "departments_abbrev.yaml"


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("青山区民政局、青山区残联", ["青山区民政局", "青山区残联"]),
        ("青山区民政局 青山区残联", ["青山区民政局", "青山区残联"]),
        ("青山区民政局，青山区司法局；青山区残联", ["青山区民政局", "青山区司法局", "青山区残联"]),
        ("青山区民政局\n及青山区司法局", ["青山区民政局", "青山区司法局"]),
        ("包头市公安局 青山分局", ["包头市公安局青山分局"]),  # one name written with a space
        ("青山区住房和城乡\n建设局", ["青山区住房和城乡建设局"]),  # a name broken by a line
    ],
)
def test_split_names(cell: str, names: list[str]) -> None:
    assert split_names(cell) == names


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("青山区民政局", {"区民政局", "民政局"}),
        ("青山区卫生健康委员会", {"区卫健委", "卫健委", "卫生健康委员会"}),
        ("国家税务总局包头市青山区税务局", {"区税务局", "税务局"}),
        ("包头市公安局青山分局", {"青山分局", "公安分局", "公安局"}),
        ("青山区委社会工作部", {"区委社会工作部", "社会工作部", "社工部"}),
        ("达尔罕茂明安联合旗民政局", {"旗民政局", "民政局"}),
        ("渝北区市场监督管理局", {"市场监管局", "市监局"}),
        ("区卫健委", {"卫健委", "卫生健康委员会"}),  # written short: answers to the full name
    ],
)
def test_aliases_by_rule(name: str, aliases: set[str]) -> None:
    assert aliases <= set(generated_aliases(name, TABLE))


def test_a_bare_level_word_is_no_place() -> None:
    # 市场监督管理局 starts with 市, which is not a city here.
    assert "场监督管理局" not in generated_aliases("市场监督管理局", TABLE)


def test_shared_aliases_and_tails() -> None:
    depts = departments_of(
        [
            "包头市公安局青山分局",
            "包头市生态环境局青山区分局",
            "包头市自然资源局青山区分局",
            "区民政局",
            "青山区民政局",
        ],
        TABLE,
    )
    names = {d.name: d.aliases for d in depts}
    # 区民政局 is the tail of 青山区民政局: the same department, kept as a spelling.
    assert list(names) == [
        "包头市公安局青山分局",
        "包头市生态环境局青山区分局",
        "包头市自然资源局青山区分局",
        "青山区民政局",
    ]
    assert "区民政局" in names["青山区民政局"]
    assert "青山分局" in names["包头市公安局青山分局"]
    # 青山区分局 would name two departments: neither gets it.
    assert all("青山区分局" not in a for a in names.values())
    assert "环保局" in names["包头市生态环境局青山区分局"]


def test_the_shipped_abbreviation_table_is_valid(duty: Duty) -> None:
    table, problems = parse_abbreviations(ABBREV.read_text("utf-8"), str(ABBREV))
    assert problems == [] and len(table) >= 40
    assert "卫健委" in table["卫生健康委员会"]


def test_a_broken_abbreviation_table_is_located(tmp_path: Path) -> None:
    text = "abbreviations:\n  民政局: [民政局]\n  应急管理局: [应急局, 应急局]\n  司法局: 司法\n"
    _, problems = parse_abbreviations(text, "t.yaml")
    found = [(p.line, p.message) for p in problems]
    assert (2, "简称“民政局”不比全称“民政局”短") in found
    assert (3, "“应急管理局”的简称“应急局”重复") in found
    assert (4, "“司法局”的简称应为列表 [简称, …]") in found


def test_columns_option() -> None:
    assert parse_columns("要做的事=事项名称，街道干什么=street,说明=附加") == {
        "要做的事": NAME,
        "街道干什么": STREET,
        "说明": EXTRA,
    }
    with pytest.raises(UsageError, match="应写成“表头=字段”"):
        parse_columns("要做的事=不知道")
