"""Issue 20, input forms: what people type reaches the same answer as the plain form.

Full-width digits and Chinese punctuation, 第17项, 17、18, 二、民生服务, the pinyin
initials of a department's short name, each argument of `check` one task, a
task of stop words only refused, and the options before the command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Duty

ROOT = Path(__file__).parent
MINIMAL = ROOT / "data" / "good" / "minimal.yaml"
LIBRARY = ROOT / "data" / "lists" / "library"
SPLIT_TASK = "为流浪乞讨人员办理户口"  # asks the subdistrict for the police's step (test_text)


def _out(duty: Duty, *args: str) -> str:
    result = duty(*args, "-o", "plain")
    assert result.exit_code == 0, (args, result.stderr)
    assert result.stdout.strip()
    return result.stdout


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["１７"], ["17"]),
        (["第17项"], ["17"]),
        (["17项。"], ["17"]),
        (["17、18"], ["17", "18"]),
        (["１７，１８"], ["17", "18"]),
        (["第17项、第18项"], ["17", "18"]),
    ],
)
@pytest.mark.parametrize("command", ["show", "cite"])
def test_item_numbers_as_people_type_them(
    duty: Duty, command: str, typed: list[str], meant: list[str]
) -> None:
    assert _out(duty, command, *typed) == _out(duty, command, *meant)


def test_a_number_that_is_not_one_is_still_refused(duty: Duty) -> None:
    result = duty("show", "17、十八")
    assert result.exit_code == 2 and "事项编号应为整数" in result.stderr


TYPED_DEPTS = ["民政局。", "“民政局”", "民政局，", "《民政局》", "mzj", "ｍｚｊ"]


@pytest.mark.parametrize("typed", TYPED_DEPTS)
def test_departments_as_people_type_them(duty: Duty, typed: str) -> None:
    assert _out(duty, "by-dept", typed) == _out(duty, "by-dept", "民政局")
    assert _out(duty, "guarantees", typed) == _out(duty, "guarantees", "民政局")
    assert _out(duty, "cite", "5", "--dept", typed) == _out(duty, "cite", "5", "--dept", "民政局")


def test_pinyin_initials_of_a_short_name(duty: Duty) -> None:
    assert _out(duty, "by-dept", "wjw") == _out(duty, "by-dept", "卫健委")
    # Whole pinyin too, and a full name's initials.
    assert _out(duty, "by-dept", "minzhengju") == _out(duty, "by-dept", "民政局")
    assert _out(duty, "by-dept", "qsqmzj") == _out(duty, "by-dept", "民政局")
    nothing = duty("by-dept", "xyz")
    assert nothing.exit_code == 2 and "没有部门" in nothing.stderr


def test_pinyin_initials_on_a_list_without_aliases(duty: Duty, tmp_path: Path) -> None:
    """Another district, no short names declared: mzj is the end of 东河区民政局's pinyin."""
    text = MINIMAL.read_text(encoding="utf-8").replace("测试区", "东河区")
    text = "\n".join(line for line in text.splitlines() if "aliases" not in line) + "\n"
    other = tmp_path / "东河.yaml"
    other.write_text(text, encoding="utf-8")
    got = _out(duty, "--data", str(other), "by-dept", "mzj")
    assert got == _out(duty, "--data", str(other), "by-dept", "东河区民政局")
    assert "东河区民政局" in got


def _categories(duty: Duty, *data: str) -> list[str]:
    return [c["name"] for c in json.loads(duty(*data, "categories", "-o", "json").stdout)]


@pytest.mark.parametrize("form", ["二、{}", "2.{}", "（二）{}", "2、{}", "{}。", "“{}”"])
def test_categories_as_lists_head_them(duty: Duty, form: str) -> None:
    second = _categories(duty)[1]
    typed = form.format(second)
    assert _out(duty, "by-category", typed) == _out(duty, "by-category", second)


def test_search_for_an_item_number_shows_that_item_first(duty: Duty) -> None:
    alone = duty("search", "第17项", "-o", "json")
    assert alone.exit_code == 0
    assert [item["id"] for item in json.loads(alone.stdout)] == [17]

    def ids(*query: str) -> list[int]:
        return [i["id"] for i in json.loads(duty("search", *query, "-o", "json").stdout)]

    with_words, words = ids("第17项", "救助"), ids("救助")
    assert with_words[0] == 17
    assert with_words[1:] == [i for i in words if i != 17]
    missing = duty("search", "第999项")
    assert missing.exit_code == 1 and "没有第 999 项" in missing.stderr


@pytest.mark.parametrize("task", ["的", "做好工作。", "协助开展相关工作"])
def test_a_task_of_stop_words_only_is_a_usage_error(duty: Duty, task: str) -> None:
    result = duty("check", task)
    assert result.exit_code == 2 and result.exception is None
    assert "不指明事项的词" in result.stderr and not result.stdout


def test_a_stop_word_line_on_stdin_is_a_usage_error(duty: Duty) -> None:
    result = duty("check", "-", input="督促物业公司做好考评打分工作\n的\n")
    assert result.exit_code == 2 and "第 2 项任务" in result.stderr


def test_each_argument_of_check_is_one_task(duty: Duty) -> None:
    a, b = "督促物业公司做好考评打分工作", "开展全民反诈宣传进社区活动"
    both = duty("check", a, b, "-o", "json")
    verdicts = json.loads(both.stdout)
    assert [v["task"] for v in verdicts] == [a, b]
    assert verdicts == json.loads(duty("check", "-", "-o", "json", input=f"{a}\n{b}\n").stdout)
    assert both.exit_code == 1  # b is not on the list
    assert "每个参数是一项任务" in " ".join(duty("check", "--help").stdout.split())


@pytest.mark.parametrize("fmt", ["plain", "tsv", "csv"])
def test_piped_check_keeps_the_note_on_a_departments_step(duty: Duty, fmt: str) -> None:
    split = json.loads(duty("check", SPLIT_TASK, "-o", "json").stdout)["split"]
    assert split is not None
    out = duty("check", SPLIT_TASK, "-o", fmt).stdout
    assert f"是{split['department']}的职责" in out and split["step"] in out
    if fmt == "tsv":
        header, row = out.splitlines()
        assert dict(zip(header.split("\t"), row.split("\t"), strict=True))["注意"].startswith(
            f"任务中的“{split['words']}”"
        )


def test_street_and_kind_before_the_command(duty: Duty) -> None:
    data = ("--data", str(LIBRARY))
    after = _out(duty, *data, "list", "-s", "富强", "--kind", "配合")
    assert _out(duty, *data, "-s", "富强", "--kind", "配合", "list") == after
    one_street = _out(duty, *data, "list", "-s", "富强")
    assert _out(duty, *data, "--street=富强路街道", "list") == one_street
    taken = _out(duty, *data, "list", "--kind", "收回")
    assert _out(duty, *data, "--kind", "收回", "list") == taken
    # After the command wins over before it.
    assert _out(duty, *data, "-s", "青山", "list", "-s", "富强", "--kind", "配合") == after


def test_street_before_a_command_that_reads_files_is_refused(duty: Duty) -> None:
    result = duty("-s", "青山", "diff", str(MINIMAL), str(MINIMAL))
    assert result.exit_code == 2 and "--street" in result.stderr
