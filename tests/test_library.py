"""A library of lists: loading a directory, selecting, ambiguity, check across kinds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dutycli.lists.load import load
from dutycli.lists.model import BASIC, COOP, TAKEN_BACK
from dutycli.query.check import OFF_LIST, ON_LIST, SIMILAR, TAKEN

from .conftest import DATA, EXAMPLES, Duty

LIBRARY = EXAMPLES / "lists" / "library"
FILES = sorted(LIBRARY.rglob("*.yaml"))
LISTS = {path: load(path) for path in FILES}


def lib(duty: Duty, *argv: str) -> object:
    return duty("--data", str(LIBRARY), *argv)


def test_lists_shows_every_list_with_its_kind_and_count(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "lists", "-o", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    expected = {
        (
            dl.info.subdistrict,
            dl.info.kind[:2] if dl.info.kind != TAKEN_BACK else "收回",
            dl.info.title,
            len(dl.items),
            str(path),
        )
        for path, dl in LISTS.items()
    }
    got = {(r["subdistrict"], r["kind"], r["title"], r["items"], r["file"]) for r in rows}
    assert got == expected


def test_search_over_the_library_names_each_items_list(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "search", "低保", "-o", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    expected = {
        (dl.info.title, item.id)
        for dl in LISTS.values()
        for item in dl.items
        if "低保" in item.name or any("低保" in s for sec in item.street_duties for s in sec.steps)
    }
    # The items the word matched; any after them are the items most like the first (no match).
    assert {(r["list"]["title"], r["id"]) for r in records if r["matched"]} == expected
    assert {r["list"]["subdistrict"] for r in records} == {"青山路街道", "富强路街道"}
    plain = duty("--data", str(LIBRARY), "search", "低保").stdout.splitlines()
    assert {line.split("\t")[-1] for line in plain} == {"青山路街道·配合", "富强路街道·配合"}


def test_one_list_keeps_the_json_contract_without_a_list_field(duty: Duty) -> None:
    records = json.loads(duty("search", "低保", "-o", "json").stdout)
    assert records and all("list" not in r for r in records)


def test_street_selects_by_full_name_or_unique_part(duty: Duty) -> None:
    for name in ("富强路街道", "富强"):
        result = duty("--data", str(LIBRARY), "list", "-s", name, "-o", "json")
        assert result.exit_code == 0, result.stderr
        records = json.loads(result.stdout)
        assert {r["list"]["subdistrict"] for r in records} == {"富强路街道"}
        assert len(records) == len(LISTS[LIBRARY / "富强路街道" / "配合.yaml"].items)


@pytest.mark.parametrize("name", ["路街道", "没有这个街道"])
def test_ambiguous_or_unknown_street_exits_2_with_candidates(duty: Duty, name: str) -> None:
    result = duty("--data", str(LIBRARY), "list", "-s", name)
    assert result.exit_code == 2 and result.stdout == ""
    assert "青山路街道" in result.stderr and "富强路街道" in result.stderr


def test_kind_selects_one_kind(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "list", "--kind", "基本", "-o", "json")
    assert result.exit_code == 0, result.stderr
    basic = LISTS[LIBRARY / "青山路街道" / "基本.yaml"]
    assert [r["id"] for r in json.loads(result.stdout)] == [i.id for i in basic.items]
    assert duty("--data", str(LIBRARY), "list", "--kind", "其他").exit_code == 2


def test_show_an_id_that_several_lists_have_exits_2_with_candidates(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "show", "17")
    assert result.exit_code == 2 and result.stdout == ""
    assert "富强路街道配合履职事项清单" in result.stderr
    assert "青山路街道配合履职事项清单" in result.stderr
    chosen = duty("--data", str(LIBRARY), "show", "17", "-s", "富强", "-o", "json")
    assert chosen.exit_code == 0, chosen.stderr
    [record] = json.loads(chosen.stdout)
    assert record["name"] == LISTS[LIBRARY / "富强路街道" / "配合.yaml"].by_id[17].name
    # An id only one list has needs no selection.
    only = duty("--data", str(LIBRARY), "show", "59", "-o", "json")
    assert only.exit_code == 0 and json.loads(only.stdout)[0]["name"] == "物业综合考评工作"


def test_whole_list_commands_want_one_list(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "categories")
    assert result.exit_code == 2 and "--street" in result.stderr
    one = duty("--data", str(LIBRARY), "categories", "-s", "青山路", "--kind", "基本")
    assert one.exit_code == 0
    assert [line.split("\t")[1] for line in one.stdout.splitlines()] == list(
        LISTS[LIBRARY / "青山路街道" / "基本.yaml"].categories
    )


def test_by_dept_groups_by_subdistrict_and_counts(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "by-dept", "民政局", "-o", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    streets = [r["list"]["subdistrict"] for r in records]
    assert streets == sorted(streets, key=streets.index)  # grouped: each street once, together
    expected: dict[str, int] = {}
    for dl in LISTS.values():
        n = sum("青山区民政局" in item.departments for item in dl.items)
        if n:
            expected[dl.info.subdistrict] = expected.get(dl.info.subdistrict, 0) + n
    assert {s: streets.count(s) for s in streets} == expected
    counted = duty("--data", str(LIBRARY), "by-dept", "民政局", "--count", "-o", "json")
    assert {r["subdistrict"]: r["items"] for r in json.loads(counted.stdout)} == expected
    limited = duty("--data", str(LIBRARY), "by-dept", "民政局", "--limit", "1", "-o", "json")
    assert json.loads(limited.stdout) == records[:1]


def test_check_wants_one_subdistrict(duty: Duty) -> None:
    result = duty("--data", str(LIBRARY), "check", "指导社区党组织按期换届选举工作")
    assert result.exit_code == 2 and result.stdout == ""
    assert "青山路街道" in result.stderr and "富强路街道" in result.stderr


def test_check_on_the_basic_list_is_the_subdistricts_own_duty(duty: Duty) -> None:
    argv = ("check", "-s", "青山路", "指导社区党组织按期换届选举工作")
    result = duty("--data", str(LIBRARY), *argv, "-o", "json")
    assert result.exit_code == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["verdict"], body["kind"]) == (ON_LIST, BASIC)
    [match] = body["matches"]
    assert match["list"]["title"] == "青山路街道基本履职事项清单" and match["kind"] == BASIC
    text = duty("--data", str(LIBRARY), *argv, "-o", "table").stdout
    assert "街道自身的职责" in text


def test_check_on_the_taken_back_list_names_the_department_and_exits_1(duty: Duty) -> None:
    argv = ("check", "-s", "青山路", "请街道查处占道经营和流动摊贩违法行为并直接执法")
    result = duty("--data", str(LIBRARY), *argv, "-o", "json")
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert (body["verdict"], body["kind"]) == (TAKEN, TAKEN_BACK)
    assert body["matches"][0]["departments"] == ["青山区城市管理综合执法局"]
    text = duty("--data", str(LIBRARY), *argv, "-o", "table").stdout
    assert "已由青山区城市管理综合执法局收回" in text
    # Reworded (辖区 inside the name), the model may be less sure, but the taken-back item
    # comes first and the task is never the subdistrict's own.
    reworded = ("check", "-s", "青山路", "请街道查处辖区占道经营和流动摊贩违法行为并直接执法")
    body = json.loads(duty("--data", str(LIBRARY), *reworded, "-o", "json").stdout)
    assert body["verdict"] in (TAKEN, SIMILAR)
    assert (body["matches"][0]["id"], body["matches"][0]["kind"]) == (1, TAKEN_BACK)


def test_check_on_the_coop_list_is_as_before(duty: Duty) -> None:
    argv = ("check", "-s", "青山路", "低保业务的新增和动态调整，入户调查核实家庭经济状况")
    body = json.loads(duty("--data", str(LIBRARY), *argv, "-o", "json").stdout)
    assert (body["verdict"], body["kind"]) == (ON_LIST, COOP)
    assert body["matches"][0]["id"] == 6
    off = duty("--data", str(LIBRARY), "check", "-s", "青山路", "开展全民反诈宣传进社区活动")
    assert off.exit_code == 1 and OFF_LIST in off.stdout


def test_the_verdict_does_not_drift_with_other_streets_loaded(duty: Duty, tmp_path: Path) -> None:
    """The same list checked alone and among many other streets' lists scores the same."""
    library = tmp_path / "library"
    library.mkdir()
    shutil.copy(DATA, library / "qingshanlu.yaml")
    text = DATA.read_text(encoding="utf-8")
    for n in range(6):
        other = text.replace("subdistrict: 青山路街道", f"subdistrict: 测试{n}街道", 1)
        # Other streets word their lists differently: that must not move our scores.
        other = other.replace("物业", "小区", 3).replace("考评", "评比", 2)
        (library / f"other-{n}.yaml").write_text(other, encoding="utf-8")
    tasks = ["督促物业公司做好考评打分工作", "开展辖区消防安全检查", "开展全民反诈宣传进社区活动"]
    for task in tasks:
        alone = json.loads(duty("--data", str(DATA), "check", task, "-o", "json").stdout)
        among = duty("--data", str(library), "check", "-s", "青山路街道", task, "-o", "json")
        body = json.loads(among.stdout)
        assert body["verdict"] == alone["verdict"], task
        assert [(m["id"], m["score"]) for m in body["matches"]] == [
            (m["id"], m["score"]) for m in alone["matches"]
        ]
