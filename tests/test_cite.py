"""duty cite and duty guarantees."""

from __future__ import annotations

import json
import re

from dutycli.lists.load import load

from .conftest import DATA, Duty

LIST = load(DATA)
NUMBERS = re.compile(r"(?:\d+\.|（\d+）)")


def test_citation_quotes_the_item_and_every_duty(duty: Duty) -> None:
    result = duty("cite", "17")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    item = LIST.by_id[17]
    assert line.startswith(f"依据《青山路街道配合履职事项清单》第17项“{item.name}”")
    for block in item.upper_duties:
        assert block.heading and block.heading in line
        for step in block.steps:
            assert step in line
    for section in item.street_duties:
        for step in section.steps:
            assert step in line
    assert "履职保障：" + item.guarantees[0] in line


def test_nested_quotes_and_substeps(duty: Duty) -> None:
    line = duty("cite", "7").stdout
    assert "第7项“办理‘救急难’和临时救助业务”" in line
    line40 = duty("cite", "40").stdout
    assert "安全生产检查：（1）员工是否依规佩戴安全帽等防护用具。（2）" in line40


def test_cite_one_department(duty: Duty) -> None:
    line = duty("cite", "17", "--dept", "教育局").stdout
    assert "青山区教育局职责：" in line
    assert "青山区民政局职责：" not in line and "街道配合职责：" in line
    missing = duty("cite", "1", "--dept", "教育局")
    assert missing.exit_code == 1 and "不是这些事项的对应上级部门" in missing.stderr


def test_cite_json(duty: Duty) -> None:
    records = json.loads(duty("cite", "17", "3", "-o", "json").stdout)
    assert [r["id"] for r in records] == [17, 3]
    assert all(r["citation"].startswith("依据《") for r in records)


def test_guarantees_by_department(duty: Duty) -> None:
    records = json.loads(duty("guarantees", "-o", "json").stdout)
    expected = [
        (d.name, i.id, list(i.guarantees))
        for d in LIST.departments
        for i in LIST.items
        if d.name in i.departments and i.guarantees
    ]
    assert [(r["department"], r["id"], r["guarantees"]) for r in records] == expected
    one = json.loads(duty("guarantees", "医保局", "-o", "json").stdout)
    assert one == [
        {
            "department": "青山区医保局",
            "id": 29,
            "name": LIST.by_id[29].name,
            "guarantees": list(LIST.by_id[29].guarantees),
        }
    ]
    assert len(one[0]["guarantees"]) == 2


def test_new_commands_speak_json(duty: Duty) -> None:
    for argv in (("check", "低保"), ("cite", "1"), ("guarantees",), ("diff", str(DATA), str(DATA))):
        result = duty(*argv, "-o", "json")
        assert result.exit_code in (0, 1), argv
        json.loads(result.stdout)
