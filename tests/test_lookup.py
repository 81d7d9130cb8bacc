"""by-dept and by-category: every way of naming, and the errors."""

from __future__ import annotations

import json

import pytest

from dutycli.lists.load import load

from .conftest import DATA, Duty

LIST = load(DATA)


def ids(stdout: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in stdout.splitlines()]


@pytest.mark.parametrize(
    ("query", "department"),
    [
        ("青山区民政局", "青山区民政局"),  # full name
        ("民政局", "青山区民政局"),  # alias
        ("区卫健委", "青山区卫生健康委员会"),  # the list's own short form
        ("卫生健康", "青山区卫生健康委员会"),  # a part naming one department
        ("派出所", "包头市公安局青山分局"),
        ("包头市公安局 青山分局", "包头市公安局青山分局"),  # as the source spells it
        ("其他行业主管部门", "其他行业主管部门"),
    ],
)
def test_by_dept_names(duty: Duty, query: str, department: str) -> None:
    result = duty("by-dept", query, "-o", "jsonl")
    assert result.exit_code == 0, result.stderr
    found = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert found == [i.id for i in LIST.items if department in i.departments]


def test_by_dept_ambiguous_part_lists_candidates(duty: Duty) -> None:
    result = duty("by-dept", "青山区")
    assert result.exit_code == 2
    assert result.stdout == ""
    candidates = [d.name for d in LIST.departments if "青山区" in d.name]
    assert f"可以指 {len(candidates)} 个部门" in result.stderr
    for name in candidates:
        assert f"  {name}\n" in result.stderr


def test_by_dept_unknown_names_closest(duty: Duty) -> None:
    result = duty("by-dept", "卫建委")
    assert result.exit_code == 2 and result.stdout == ""
    assert "没有部门“卫建委”" in result.stderr
    assert "青山区卫生健康委员会" in result.stderr


@pytest.mark.parametrize("query", ["民生服务", "民生", "2", "二"])
def test_by_category(duty: Duty, query: str) -> None:
    result = duty("by-category", query)
    assert result.exit_code == 0
    assert ids(result.stdout) == [i.id for i in LIST.items if i.category == "民生服务"]


@pytest.mark.parametrize(
    ("query", "message"), [("7", "1 到 6"), ("交通", "没有类别“交通”"), ("0", "1 到 6")]
)
def test_by_category_errors(duty: Duty, query: str, message: str) -> None:
    result = duty("by-category", query)
    assert result.exit_code == 2 and result.stdout == ""
    assert message in result.stderr


def test_show_several_and_missing(duty: Duty) -> None:
    # The items found are shown; an id the list does not have is an error (exit 2).
    result = duty("show", "17", "3", "99", "-o", "jsonl")
    assert result.exit_code == 2
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [17, 3]
    assert "没有第 99 项" in result.stderr
    missing = duty("show", "99")
    assert missing.exit_code == 2 and missing.stdout == ""
    bad = duty("show", "十七")
    assert bad.exit_code == 2 and "应为整数" in bad.stderr
    # People write 第17项 as the list does.
    written = duty("show", "第17项", "5项", "-o", "jsonl")
    assert written.exit_code == 0
    assert [json.loads(line)["id"] for line in written.stdout.splitlines()] == [17, 5]


def test_list_depts_categories(duty: Duty) -> None:
    assert ids(duty("list").stdout) == [i.id for i in LIST.items]
    depts = duty("depts").stdout.splitlines()
    assert [line.split("\t")[0] for line in depts] == [d.name for d in LIST.departments]
    for line, dept in zip(depts, LIST.departments, strict=False):
        count = sum(1 for i in LIST.items if dept.name in i.departments)
        assert line.split("\t")[2] == str(count)
        assert line.split("\t")[1] == "、".join(dept.aliases)
    cats = [line.split("\t") for line in duty("categories").stdout.splitlines()]
    assert [(c[1], int(c[2])) for c in cats] == [
        (c, sum(1 for i in LIST.items if i.category == c)) for c in LIST.categories
    ]


def test_shell_completion_offers_departments_and_categories() -> None:
    from typer.testing import CliRunner

    from dutycli.cli.app import app

    def complete(words: str) -> list[str]:
        env = {
            "_DUTY_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        result = CliRunner().invoke(app, [], env=env, prog_name="duty")
        return result.stdout.split()

    assert "民政局" in complete("duty by-dept 民政")
    assert "青山区民政局" in complete("duty by-dept 青山区民")
    assert complete("duty by-category 民") == ["民生服务"]
    assert "青山区卫生健康委员会" in complete("duty guarantees 青山区卫")
