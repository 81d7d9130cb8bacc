"""The decision log: its file, concurrent adds, hand edits, the tally, decisions teaching check."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dutycli.errors import DataError, UsageError
from dutycli.lists import ledger, logfiles
from dutycli.lists.ledger import COLUMNS, Entry
from dutycli.query import decisions, tally
from dutycli.query.check import OFF_LIST, ON_LIST, check_tasks
from dutycli.store import open_library

from .conftest import EXAMPLES

LIBRARY = EXAMPLES / "lists" / "library"
FIXTURE = EXAMPLES / "log" / "决定记录-青山路街道.csv"


def entry(task: str = "请街道统计辖区内的广告牌", **changes: object) -> Entry:
    base = Entry(
        0, "2026-12-01", "青山区民政局", task, "清单外", "", (), (), "", "", "退回", "张三", ""
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_round_trip_keeps_every_character(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-青山路街道.csv"
    written = [
        ledger.add(path, entry('任务里有逗号,引号"和；分号')),
        ledger.add(
            path,
            entry(
                "配合区住建局对物业服务企业考评打分",
                verdict="清单内",
                kind="配合",
                item_ids=(59,),
                item_names=("物业综合考评工作",),
                decision="承接",
                note="=1+1 不是公式",
            ),
        ),
        ledger.add(
            path,
            entry(
                "两个候选",
                verdict="相近",
                item_ids=(5, 6),
                item_names=("名称里有、顿号", "另一项"),
                decision="其他",
                by="",
            ),
        ),
    ]
    assert [e.id for e in written] == [1, 2, 3]
    back = ledger.read(path)
    assert back.problems == () and back.entries == tuple(written)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # what Excel opens as UTF-8
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    removed = ledger.remove(path, [2, 3])
    assert [e.id for e in removed] == [2, 3]
    assert ledger.read(path).entries == (written[0],)
    assert ledger.add(path, entry("再记一条")).id == 4  # a removed number is not given again


def test_missing_log_is_empty_and_remove_of_unknown_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-x.csv"
    assert ledger.read(path).entries == ()
    ledger.add(path, entry())
    with pytest.raises(UsageError, match="没有编号 7"):
        ledger.remove(path, [7])
    assert len(ledger.read(path).entries) == 1


ADDER = """
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any
from dutycli.lists import ledger, logfiles
from dutycli.lists.ledger import Entry
path, who = Path(sys.argv[1]), sys.argv[2]
for n in range(200):
    e = Entry(0, "2026-12-01", "青山区民政局", f"{who} 的第 {n} 项任务", "清单外", "", (), (),
              "", "", "退回", who, "")
    ledger.add(path, e)
"""


def test_two_processes_adding_200_each_leave_400_valid_entries(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-青山路街道.csv"
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), who]) for who in ("甲", "乙")
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    back = ledger.read(path)
    assert back.problems == ()
    assert len(back.entries) == 400
    assert sorted(e.id for e in back.entries) == list(range(1, 401))
    for who in ("甲", "乙"):
        tasks = [e.task for e in back.entries if e.by == who]
        assert tasks == [f"{who} 的第 {n} 项任务" for n in range(200)]


def test_a_hand_edited_log_is_reported_where_and_never_written_over(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-青山路街道.csv"
    for task in ("第一项", "第二项", "第三项"):
        ledger.add(path, entry(task))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace("2026-12-01", "2026-13-01")  # line 2: no such month
    lines[2] = lines[2].replace("退回", "退货")  # line 3: not a decision
    lines.append("4,2026-12-02,区民政局,少了几列")  # line 5: too few columns
    lines.append(lines[3].replace(",第三项,", ",复制的一行,"))  # line 6: number 3 again
    path.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    before = path.read_bytes()
    problems = ledger.validate(path)
    where = {(p.line, p.column) for p in problems}
    assert (2, COLUMNS.index("日期") + 1) in where
    assert (3, COLUMNS.index("决定") + 1) in where
    assert any(p.line == 5 and "13 列" in p.message for p in problems)
    assert any(p.line == 6 and "重复" in p.message for p in problems)
    assert all(str(path) in str(p) for p in problems)
    with pytest.raises(DataError):
        ledger.add(path, entry("新任务"))
    with pytest.raises(DataError):
        ledger.remove(path, [1])
    assert path.read_bytes() == before  # nothing lost, nothing changed


def test_a_broken_quote_is_located(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-x.csv"
    ledger.add(path, entry())
    with path.open("a", encoding="utf-8") as f:
        f.write('2,2026-12-01,区民政局,"没有收尾的引号,清单外,,,,,,退回,,\r\n')
    problems = ledger.validate(path)
    assert problems and "引号" in problems[0].message and problems[0].line == 3


def test_excel_habits_are_read_gb18030_and_slashed_dates(tmp_path: Path) -> None:
    path = tmp_path / "决定记录-x.csv"
    ledger.add(path, entry("第一项"))
    text = path.read_text(encoding="utf-8-sig").replace("2026-12-01", "2026/12/1")
    path.write_bytes(text.encode("gb18030"))  # what Excel's plain "CSV" saves on Chinese Windows
    back = ledger.read(path)
    assert back.problems == () and back.encoding == "GB18030"
    assert back.entries[0].date == "2026-12-01" and back.entries[0].task == "第一项"
    added = ledger.add(path, entry("第二项"))
    assert added.id == 2
    again = ledger.read(path)
    assert again.encoding == "UTF-8" and [e.task for e in again.entries] == ["第一项", "第二项"]


def test_a_log_without_a_final_line_break_takes_the_next_row_on_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    path = tmp_path / "决定记录-x.csv"
    ledger.add(path, entry("第一项"))
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))
    ledger.add(path, entry("第二项"))
    assert [e.task for e in ledger.read(path).valid()] == ["第一项", "第二项"]


def test_the_log_lives_beside_the_lists_not_in_the_cache(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    one = lists / "a.yaml"
    one.write_text("x", encoding="utf-8")
    assert logfiles.log_directory(lists, None) == lists
    assert logfiles.log_directory(one, None) == lists
    shipped = EXAMPLES.parent.parent / "data" / "items.yaml"
    assert logfiles.log_directory(shipped, shipped) == logfiles.user_directory()
    assert logfiles.log_path(lists, "青山/路街道").name == "决定记录-青山_路街道.csv"


# -- the tally -------------------------------------------------------------------


def test_periods() -> None:
    today = dt.date(2026, 12, 7)
    assert tally.period(None, today).label == "2026年12月"
    q = tally.period("2026年第四季度", today)
    assert (q.start, q.end) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert tally.period("2026-Q2", today).start == dt.date(2026, 4, 1)
    assert tally.period("2026", today).end == dt.date(2027, 1, 1)
    assert tally.period("2026年3月", today).end == dt.date(2026, 4, 1)
    with pytest.raises(UsageError):
        tally.period("去年", today)


def test_tally_matches_the_hand_count() -> None:
    entries = ledger.read(FIXTURE).valid()
    names = {"区民政局": "青山区民政局", "民政局": "青山区民政局"}
    december = tally.tally(
        entries, tally.period("2026-12", dt.date(2026, 12, 7)), "青山路街道", names
    )
    rows = {(r.department, r.verdict): r.counts for r in december.rows}
    # Counted by hand from tests/data/log/决定记录-青山路街道.csv (December 2026 rows):
    # 民政局 under three spellings: 清单外 退回 ×2, 申请准入 ×1; 清单内 承接 ×1.
    # 住建局: 清单外 退回 ×1; 清单内 承接 ×2. 城管局: 已收回 退回 ×1. 卫健委: 相近 其他 ×1.
    assert rows == {
        ("青山区民政局", "清单外"): (0, 2, 1, 0),
        ("青山区民政局", "清单内"): (1, 0, 0, 0),
        ("青山区住房和城乡建设局", "清单外"): (0, 1, 0, 0),
        ("青山区住房和城乡建设局", "清单内"): (2, 0, 0, 0),
        ("青山区城市管理综合执法局", "已收回"): (0, 1, 0, 0),
        ("青山区卫生健康委员会", "相近"): (0, 0, 0, 1),
    }
    assert [r.department for r in december.rows][:2] == ["青山区民政局", "青山区民政局"]
    assert december.totals() == (3, 4, 1, 1)
    quarter = tally.tally(
        entries, tally.period("2026-Q4", dt.date(2026, 12, 7)), "青山路街道", names
    )
    assert sum(quarter.totals()) == 11  # and two in October/November
    year = tally.tally(entries, tally.period("2026", dt.date(2026, 12, 7)), "x", names)
    assert sum(year.totals()) == 12  # and one in March; the 2025 row is in no 2026 period


def test_tally_workbook_is_text_not_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from dutycli.render.tally_xlsx import tally_xlsx

    entries = [*ledger.read(FIXTURE).valid(), entry(department="=HYPERLINK(1)", id=99)]
    period = tally.period("2026-12", dt.date(2026, 12, 7))
    data = tally_xlsx(tally.tally(entries, period, "青山路街道", {}), dt.date(2026, 12, 7))
    out = tmp_path / "t.xlsx"
    out.write_bytes(data)
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "青山路街道2026年12月上级部门交办任务统计表"
    assert values[2] == ["部门", "判定", "承接", "退回", "申请准入", "其他", "合计"]
    flat = [c for row in ws.iter_rows() for c in row]
    formula = [c for c in flat if c.value == "=HYPERLINK(1)"]
    assert formula and all(c.data_type == "s" for c in formula)
    last = next(r for r in values if r[0] == "合计")
    assert last[2:] == [3, 5, 1, 1, 10]
    assert ws.cell(row=3, column=1).font.name == "黑体"
    assert ws.cell(row=4, column=1).font.name == "仿宋_GB2312"


# -- decisions teach check -------------------------------------------------------


def _library() -> object:
    lib = open_library(LIBRARY, "青山路街道")
    lib.select("青山路街道", None)
    return lib


TASK = "低保户动态监测，受理低保申请"


def test_a_recorded_decision_settles_the_next_check_of_the_same_task() -> None:
    lib = _library()
    first = check_tasks(lib, [TASK])[0]  # type: ignore[arg-type]
    assert first.verdict == "相近"
    settled = decisions.corrected(lib, first, "清单内", 6)  # type: ignore[arg-type]
    recorded = decisions.entry_for(
        settled, "青山区民政局", "承接", dt.date(2026, 12, 1), "李四", "民政所确认"
    )
    recorded = replace(recorded, id=1)
    assert (recorded.verdict, recorded.item_ids, recorded.kind) == ("清单内", (6,), "配合")
    # The same notice again, with another date: near-identical.
    again = "低保户动态监测，受理低保申请（12月20日前）"
    verdicts, shown = decisions.teach(lib, check_tasks(lib, [again]), [recorded])  # type: ignore[arg-type]
    assert verdicts[0].verdict == ON_LIST and verdicts[0].matches[0].item.id == 6
    (earlier,) = shown[0]
    assert earlier.applied and earlier.tool == "相近" and earlier.entry.note == "民政所确认"
    # A different task is not touched.
    other = "请街道帮忙给辖区企业发放营业执照"
    verdicts, shown = decisions.teach(lib, check_tasks(lib, [other]), [recorded])  # type: ignore[arg-type]
    assert verdicts[0].verdict == OFF_LIST and shown[0] == ()


def test_an_off_list_decision_overrides_an_on_list_verdict() -> None:
    lib = _library()
    task = "物业综合考评工作"
    tool = check_tasks(lib, [task])[0]  # type: ignore[arg-type]
    assert tool.verdict == ON_LIST
    off = entry(task, verdict="清单外", id=3)
    verdicts, shown = decisions.teach(lib, [tool], [off])  # type: ignore[arg-type]
    assert verdicts[0].verdict == OFF_LIST and verdicts[0].matches == []
    assert shown[0][0].tool == ON_LIST


def test_a_recorded_item_the_list_no_longer_has_is_shown_but_not_applied() -> None:
    lib = _library()
    tool = check_tasks(lib, [TASK])[0]  # type: ignore[arg-type]
    stale = entry(
        TASK, verdict="清单内", kind="配合", item_ids=(6,), item_names=("改过的名称",), id=1
    )
    verdicts, shown = decisions.teach(lib, [tool], [stale])  # type: ignore[arg-type]
    assert verdicts[0] == tool and not shown[0][0].applied


def test_similarity_ignores_numbers_and_tells_tasks_apart() -> None:
    assert decisions.similarity("6月30日前报送", "7月15日前报送") == 1.0
    assert decisions.similarity("低保金追缴", "低保金追缴，12月20日前完成") >= decisions.NEAR
    assert decisions.similarity("请街道统计辖区户外广告牌", "请街道统计辖区电梯") < decisions.NEAR
    assert decisions.similarity("低保金追缴", "发放营业执照") < decisions.NEAR


# -- the round through the command line ------------------------------------------


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    """A copy of the test library: the log is written beside the lists."""
    import shutil

    target = tmp_path / "lists"
    shutil.copytree(LIBRARY, target)
    return target


OFF_TASK = "请街道帮忙给辖区企业发放营业执照"


def test_check_record_log_tally_reply_round(duty: Any, lists: Path, tmp_path: Path) -> None:
    data = ("--data", str(lists))
    first = duty(
        *data,
        "check",
        "-s",
        "青山路",
        TASK,
        "--record",
        "--from",
        "民政局",
        "--decision",
        "承接",
        "--by",
        "李四",
        "--note",
        "民政所确认",
    )
    assert first.exit_code == 1 and "相近" in first.stdout
    log = lists / "决定记录-青山路街道.csv"
    assert "已记入" in first.stderr and log.is_file()
    (recorded,) = ledger.read(log).valid()
    assert (recorded.department, recorded.verdict, recorded.decision) == (
        "青山区民政局",
        "相近",
        "承接",
    )
    # The office settles which item it is.
    fixed = duty(
        *data,
        "log",
        "add",
        "-s",
        "青山路",
        TASK,
        "--from",
        "区民政局",
        "--decision",
        "承接",
        "--verdict",
        "清单内",
        "--item",
        "6",
    )
    assert fixed.exit_code == 0, fixed.output
    again = duty(*data, "check", "-s", "青山路", TASK + "（12月20日前）")
    assert again.exit_code == 0, again.output
    assert "清单内" in again.stdout and "记录第 2 条" in again.stdout
    elsewhere = duty(*data, "check", "-s", "富强路", TASK)
    assert "记录第" not in elsewhere.output
    listed = duty(*data, "log", "-s", "青山路", "--from", "民政局", "--verdict", "清单内")
    assert listed.exit_code == 0 and listed.stdout.count("\n") == 1 and "\t承接\t" in listed.stdout
    off = duty(
        *data,
        "check",
        "-s",
        "青山路",
        OFF_TASK,
        "--record",
        "--from",
        "市场监管局",
        "--decision",
        "退回",
    )
    assert off.exit_code == 1
    # The month the entries were recorded in (not today's: a run may cross midnight).
    months = {e.date[:7] for e in ledger.read(log).valid()}
    assert len(months) == 1
    (month,) = months
    counted = duty(*data, "log", "tally", "-s", "青山路", month, "-o", "csv")
    assert counted.exit_code == 0
    assert "青山区民政局,清单内,1,0,0,0,1" in counted.stdout
    assert "青山区市场监督管理局,清单外,0,1,0,0,1" in counted.stdout
    assert counted.stdout.strip().splitlines()[-1] == "合计,,2,1,0,0,3"
    sheet = tmp_path / "统计.xlsx"
    assert duty(*data, "log", "tally", "-s", "青山路", "--output", str(sheet)).exit_code == 0
    assert sheet.read_bytes().startswith(b"PK")
    draft = tmp_path / "回复.docx"
    replied = duty(*data, "reply", "-s", "青山路", "--entry", "3", "--output", str(draft))
    assert replied.exit_code == 0, replied.output
    from docx import Document

    text = "\n".join(p.text for p in Document(str(draft)).paragraphs)
    assert "青山区市场监督管理局：" in text and "清单之外无事项" in text and OFF_TASK in text


def test_deleting_the_store_loses_no_decision(duty: Any, lists: Path, own_cache: None) -> None:
    import os
    import shutil

    data = ("--data", str(lists))
    added = duty(
        *data, "log", "add", "-s", "青山路", OFF_TASK, "--from", "民政局", "--decision", "退回"
    )
    assert added.exit_code == 0, added.output
    shutil.rmtree(os.environ["XDG_CACHE_HOME"])
    listed = duty(*data, "log", "-s", "青山路", "-o", "json")
    assert listed.exit_code == 0 and OFF_TASK in listed.stdout


def test_record_in_a_script_needs_a_decision_and_asks_on_a_terminal(
    duty: Any, lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutycli.cli import office

    data = ("--data", str(lists))
    script = duty(*data, "check", "-s", "青山路", OFF_TASK, "--record", "--from", "民政局")
    assert script.exit_code == 2 and "--decision" in script.stderr
    assert not (lists / "决定记录-青山路街道.csv").exists()
    monkeypatch.setattr(office, "_interactive_input", lambda: True)
    asked = duty(
        *data, "check", "-s", "青山路", OFF_TASK, "--record", "--from", "民政局", input="3\n"
    )
    assert "申请准入" in asked.stderr, asked.output
    (e,) = ledger.read(lists / "决定记录-青山路街道.csv").valid()
    assert e.decision == "申请准入"


def test_a_removed_decision_no_longer_settles_check(duty: Any, lists: Path) -> None:
    data = ("--data", str(lists))
    duty(
        *data,
        "log",
        "add",
        "-s",
        "青山路",
        "物业综合考评工作",
        "--from",
        "住建局",
        "--decision",
        "退回",
        "--verdict",
        "清单外",
    )
    assert "清单外" in duty(*data, "check", "-s", "青山路", "物业综合考评工作").stdout
    removed = duty(*data, "log", "remove", "-s", "青山路", "1")
    assert removed.exit_code == 0 and "已删除第 1 条" in removed.stdout
    assert "清单内" in duty(*data, "check", "-s", "青山路", "物业综合考评工作").stdout


def test_a_corrupt_log_is_located_and_check_still_answers(duty: Any, lists: Path) -> None:
    data = ("--data", str(lists))
    duty(*data, "log", "add", "-s", "青山路", OFF_TASK, "--from", "民政局", "--decision", "退回")
    log = lists / "决定记录-青山路街道.csv"
    log.write_bytes(log.read_bytes().replace("退回".encode(), "退了".encode()))
    before = log.read_bytes()
    listed = duty(*data, "log", "-s", "青山路")
    assert listed.exit_code == 2 and f"{log}:2:11" in listed.stderr
    checked = duty(*data, "check", "-s", "青山路", OFF_TASK)
    assert checked.exit_code == 1 and "清单外" in checked.stdout and "有问题" in checked.stderr
    added = duty(
        *data, "log", "add", "-s", "青山路", "x任务", "--from", "民政局", "--decision", "退回"
    )
    assert added.exit_code == 2 and log.read_bytes() == before
    validated = duty("validate", str(log))
    assert validated.exit_code == 2 and ":2:11" in validated.stderr
    assert duty("validate", str(lists)).exit_code == 2  # a directory's logs are checked too


def test_validate_checks_the_reply_templates(duty: Any, tmp_path: Path) -> None:
    from .conftest import REPO

    shipped = REPO / "data" / "reply_templates.yaml"
    ok = duty("validate", str(shipped))
    assert ok.exit_code == 0 and "有效" in ok.stdout
    bad = tmp_path / "模板.yaml"
    bad.write_text(
        shipped.read_text(encoding="utf-8").replace("{任务}", "{任物}"), encoding="utf-8"
    )
    result = duty("validate", str(bad))
    assert result.exit_code == 2 and "{任物}" in result.stderr
