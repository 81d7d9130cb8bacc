"""Reply drafts: the .docx text read back for each kind of verdict, the layout, the templates."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from dutycli.errors import DataError, UsageError
from dutycli.lists.load import load
from dutycli.query.check import check_tasks
from dutycli.query.replies import case_of
from dutycli.render.reply import check_templates, compose, docx_bytes, load_templates
from dutycli.store import open_library

from .conftest import EXAMPLES, REPO

LIBRARY = EXAMPLES / "lists" / "library"
STREET = LIBRARY / "青山路街道"
DAY = dt.date(2026, 12, 7)


def _library() -> Any:
    lib = open_library(LIBRARY, "青山路街道")
    lib.select("青山路街道", None)
    return lib


def _draft(task: str, department: str = "青山区住房和城乡建设局") -> tuple[str, list[Any], str]:
    lib = _library()
    verdict = check_tasks(lib, [task])[0]
    case = case_of(lib, verdict, department, DAY)
    data = docx_bytes(compose(case, load_templates(), DAY))
    doc = Document(io.BytesIO(data))
    paragraphs = [p for p in doc.paragraphs if p.text]
    return case.case, paragraphs, "\n".join(p.text for p in paragraphs)


def _east_asian(paragraph: Any) -> str:
    r_fonts = paragraph.runs[0]._element.rPr.find(qn("w:rFonts"))
    return str(r_fonts.get(qn("w:eastAsia")))


def test_off_the_list_cites_no_item_and_the_admission_procedure() -> None:
    case, paragraphs, text = _draft("请街道帮忙给辖区企业发放营业执照")
    assert case == "清单外"
    basic = load(STREET / "基本.yaml").info.title
    coop = load(STREET / "配合.yaml").info.title
    assert f"《{basic}》《{coop}》" in text
    assert "清单之外无事项" in text and "准入" in text
    assert paragraphs[1].text == "青山区住房和城乡建设局："
    assert paragraphs[-2].text == "青山路街道" and paragraphs[-1].text == "2026年12月7日"
    assert "第" not in text.split("收悉")[1].split("特此")[0].replace("第一", "")


def test_a_departments_own_step_is_quoted_in_the_lists_words() -> None:
    case, _, text = _draft("请街道制定物业服务企业综合考评办法并组织开展考评")
    assert case == "部门职责"
    item = load(STREET / "配合.yaml").by_id[59]
    (block,) = item.upper_duties
    assert f"第59项“{item.name}”" in text
    assert f"“{block.steps[0]}”" in text
    assert f"{block.departments[0]}履行" in text
    for section in item.street_duties:
        for step in section.steps:
            assert step in text  # what the subdistrict does do, for the record


def test_taken_back_names_the_item_and_the_department() -> None:
    case, _, text = _draft("查处占道经营和流动摊贩违法行为", "青山区城市管理综合执法局")
    assert case == "已收回"
    item = load(STREET / "收回.yaml").by_id[1]
    assert f"第1项“{item.name}”" in text
    assert f"已由{item.departments[0]}收回" in text
    assert item.method and item.method in text


def test_on_the_list_gives_the_item_and_the_split() -> None:
    case, paragraphs, text = _draft("物业综合考评工作")
    assert case == "清单内"
    item = load(STREET / "配合.yaml").by_id[59]
    assert f"第59项“{item.name}”" in text
    for block in item.upper_duties:
        assert block.heading and block.heading in text
        assert all(step in text for step in block.steps)
    assert all(step in text for s in item.street_duties for step in s.steps)
    heading = next(p for p in paragraphs if p.text == item.upper_duties[0].heading)
    assert _east_asian(heading) == "黑体"


def test_the_subdistricts_own_duty() -> None:
    case, _, text = _draft("组织开展辖区老年人文体娱乐活动")
    assert case == "基本"
    item = load(STREET / "基本.yaml").by_id[2]
    assert f"第2项“{item.name}”" in text and "基本履职事项" in text


def test_a_similar_verdict_drafts_nothing() -> None:
    lib = _library()
    verdict = check_tasks(lib, ["低保户动态监测，受理低保申请"])[0]
    assert verdict.verdict == "相近"
    with pytest.raises(UsageError, match="相近"):
        case_of(lib, verdict, "青山区民政局", DAY)


def test_the_layout_is_the_usual_one() -> None:
    _, paragraphs, _ = _draft("物业综合考评工作")
    title, addressee, body = paragraphs[0], paragraphs[1], paragraphs[2]
    assert _east_asian(title) == "方正小标宋简体" and title.runs[0].font.size.pt == 22
    assert _east_asian(body) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    assert body.paragraph_format.first_line_indent.pt == 32
    assert addressee.paragraph_format.first_line_indent is None
    assert title.alignment == 1 and paragraphs[-1].alignment == 2  # centred; date at the right


def _templates(tmp_path: Path, change: Any) -> Path:
    text = (REPO / "data" / "reply_templates.yaml").read_text(encoding="utf-8")
    out = tmp_path / "模板.yaml"
    out.write_text(change(text), encoding="utf-8")
    return out


def test_the_shipped_templates_are_valid_and_an_edit_shows(tmp_path: Path) -> None:
    assert check_templates(REPO / "data" / "reply_templates.yaml") == []
    edited = _templates(tmp_path, lambda t: t.replace("特此回复。", "此复。"))
    lib = _library()
    verdict = check_tasks(lib, ["物业综合考评工作"])[0]
    paragraphs = compose(case_of(lib, verdict, "x", DAY), load_templates(edited), DAY)
    assert "此复。" in [p.text for p in paragraphs]


def test_template_problems_are_located(tmp_path: Path) -> None:
    text = (REPO / "data" / "reply_templates.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    bad_name = next(n for n, line in enumerate(lines, 1) if "清单之外无事项" in line)
    path = _templates(
        tmp_path,
        lambda t: t.replace("清单之外无事项", "{清单之外}").replace("结尾:", "结局:"),
    )
    problems = check_templates(path)
    messages = [(p.line, p.message) for p in problems]
    assert any(line == bad_name and "{清单之外}" in m for line, m in messages), messages
    assert any("结局" in m for _, m in messages) and any("缺少模板“结尾”" in m for _, m in messages)
    inline = _templates(tmp_path, lambda t: t.replace("上级部门职责：\n", "职责：{街道职责}\n"))
    assert any("单独占一行" in p.message for p in check_templates(inline))
    with pytest.raises(DataError):
        load_templates(path)


def test_a_reply_from_a_log_entry_cites_the_list_as_it_is_today() -> None:
    from dutycli.lists.ledger import Entry
    from dutycli.query.replies import case_of_entry

    lib = _library()
    item = load(STREET / "收回.yaml").by_id[1]
    entry = Entry(
        4, "2026-12-01", "青山区城市管理综合执法局", "占道经营", "已收回", "收回",
        (1,), (item.name,), "", "", "退回", line=5,
    )  # fmt: skip
    case = case_of_entry(lib, entry, "决定记录.csv", DAY)
    assert (case.case, case.item) == ("已收回", item)
    text = "\n".join(p.text for p in compose(case, load_templates(), DAY))
    assert f"已由{item.departments[0]}收回" in text
    renamed = Entry(
        4, "2026-12-01", "x", "占道经营", "已收回", "收回", (1,), ("旧名称",), "", "", "退回",
        line=5,
    )  # fmt: skip
    with pytest.raises(DataError) as found:
        case_of_entry(lib, renamed, "决定记录.csv", DAY)
    (problem,) = found.value.problems
    assert problem.line == 5 and "旧名称" in problem.message and "第 4 条" in problem.message
