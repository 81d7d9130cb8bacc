"""Lists in the shapes other places publish them (tests/fixtures/make_variants.py).

Every variant is imported as a new user would, without ``--departments``, and
every published cell is compared with what the import made of it: the
recogniser must take each column as the field the generator says it is, and
the cell's text, step numbers aside, must be the text of that field.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dutycli.lists.importers import import_file
from dutycli.lists.importers.normalize import Normalizer
from dutycli.lists.load import parse
from dutycli.lists.model import BASIC, COOP, TAKEN_BACK, DutyList, Item
from dutycli.lists.serialize import dump_yaml

from .conftest import REPO, Duty

VARIANTS = REPO / "tests" / "data" / "published" / "variants"
NAMES = sorted(p.name for p in VARIANTS.iterdir() if p.suffix != ".json")
# A step number or a heading's enumerator as published: 1. 1、 （1） ① （一） 一、
_NUMBER = re.compile(
    r"(?:(?<=^)|(?<=\s)|(?<=[：:；;。]))"
    r"(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)"
)


def source(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VARIANTS / name).with_suffix(".json").read_text("utf-8"))
    return data


@functools.cache
def imported(name: str) -> DutyList:
    """The variant as imported, once per session (a DutyList is immutable)."""
    return import_file(VARIANTS / name)


@pytest.fixture(scope="module")
def data_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The variant as a data file, written once for the module: its store is compiled once."""
    folder = tmp_path_factory.mktemp("variants")

    def write(name: str) -> Path:
        path = folder / f"{name}.yaml"
        if not path.exists():
            path.write_text(dump_yaml(imported(name)), encoding="utf-8")
        return path

    return write


def bare(text: str) -> str:
    """Text as compared: normalised as the import documents it, numbers and white space out."""
    text = Normalizer().text(text)
    return re.sub(r"\s", "", _NUMBER.sub("", text))


def field_text(dl: DutyList, item: Item, field: str, header: str) -> str:
    """What the import made of one column of ``item``, as one text."""
    if field == "name":
        return item.name
    if field == "category":
        return item.category
    if field == "departments":
        return ""  # compared name by name in test_departments_come_from_the_list
    if field == "upper":
        parts = []
        for block in item.upper_duties:
            parts += [block.heading or "", *block.steps]
        if item.guarantees:
            parts += ["履职保障：", *item.guarantees]
        return "".join(parts)
    if field == "street":
        return "".join(f"{s.heading or ''}{''.join(s.steps)}" for s in item.street_duties)
    if field == "basis":
        return item.basis or ""
    if field == "method":
        return item.method or ""
    assert field == "extra", field
    return dict(item.extras).get(header, "")


def item_rows(data: dict[str, Any]) -> list[list[str]]:
    return [row for row in data["rows"] if isinstance(row, list)]


def test_there_are_at_least_twelve_variants_in_five_formats() -> None:
    assert len(NAMES) >= 12
    assert {Path(n).suffix for n in NAMES} == {".docx", ".xlsx", ".xls", ".html", ".txt"}


@pytest.mark.parametrize("name", NAMES)
def test_every_published_cell_is_in_the_imported_list(name: str) -> None:
    data = source(name)
    dl = imported(name)
    rows = item_rows(data)
    assert [i.id for i in dl.items] == [int(r[0]) for r in rows]
    for row, item in zip(rows, dl.items, strict=True):
        for header, field, cell in zip(data["headers"], data["fields"], row, strict=True):
            if field in ("id", "departments"):
                continue
            got = field_text(dl, item, field, header)
            assert bare(got) == bare(cell), f"{name} item {item.id}, column {header}"


@pytest.mark.parametrize("name", NAMES)
def test_departments_come_from_the_list(name: str) -> None:
    data = source(name)
    if "departments" not in data["fields"]:
        return
    c = data["fields"].index("departments")
    dl = imported(name)
    names = dl.department_names
    for row, item in zip(item_rows(data), dl.items, strict=True):
        written = [w for w in re.split(r"[、，,；\n]", row[c]) if w.strip()]
        # Every name as written is the department or one of its spellings.
        for word in written:
            joined = word.replace(" ", "")
            assert names.get(joined) in item.departments or joined in "".join(item.departments)
        assert len(item.departments) >= 1


@pytest.mark.parametrize("name", NAMES)
def test_the_import_loads_back_as_the_same_list(name: str) -> None:
    dl = imported(name)
    assert parse(dump_yaml(dl), name) == dl


def test_kinds_and_categories_as_published() -> None:
    assert imported("06-basic-basis.docx").info.kind == BASIC
    assert imported("13-quanze.xlsx").info.kind == BASIC
    assert imported("07-taken-back.xlsx").info.kind == TAKEN_BACK
    assert imported("10-method-column.xls").info.kind == COOP
    assert imported("02-no-categories.xlsx").categories == ()
    assert imported("08-category-forms.docx").categories == ("党的建设", "民生服务", "平安法治")
    by_column = imported("09-category-column.xlsx")
    assert by_column.categories == ("生态环保", "城乡建设")
    assert [i.category for i in by_column.items] == ["生态环保", "城乡建设"]


def test_enumerated_headings_open_their_departments_blocks() -> None:
    dl = imported("03-enumerated-headings.docx")
    first, second, third = dl.items
    assert [b.departments for b in first.upper_duties] == [
        ("达尔罕茂明安联合旗民政局",),
        ("达尔罕茂明安联合旗医疗保障局",),
    ]
    assert first.upper_duties[1].heading == "（二）旗医疗保障局职责:"
    assert second.upper_duties[0].heading == "一、旗民政局职责："
    assert third.upper_duties[0].steps == ("审批临时救助。",)


def test_several_departments_in_one_cell() -> None:
    dl = imported("04-several-departments.html")
    assert dl.items[0].departments == ("青山区民政局", "青山区残联")
    assert dl.items[1].departments == ("青山区司法局", "青山区民政局")
    assert dl.items[2].departments == (
        "青山区民政局",
        "青山区卫生健康委员会",
        "包头市公安局青山分局",
    )
    # One heading for two departments, and headings by short name (区卫健委, 青山分局).
    assert dl.items[0].upper_duties[0].departments == ("青山区民政局", "青山区残联")
    blocks = dl.items[2].upper_duties
    assert [b.departments[0] for b in blocks] == list(dl.items[2].departments)


def test_published_step_numbers_survive_an_opening_line() -> None:
    item = imported("12-opening-lines.docx").items[0]
    (section,) = item.street_duties
    assert section.heading == "协助做好以下工作"
    assert section.steps == ("排查隐患；", "转移群众；", "上报灾情；")  # 3、 stays step 3
    (block,) = item.upper_duties
    assert block.heading == "九原区应急管理局职责:\n负责统筹全区防汛工作"
    assert block.steps == ("制定防汛预案;", "调拨物资;")


def test_white_space_and_invisible_characters_are_normalised_one_way() -> None:
    summary: list[str] = []
    item = import_file(VARIANTS / "11-invisible-characters.txt", summary=summary).items[0]
    assert item.name == "医疗救助申请"
    assert item.upper_duties[0].steps == ("审核医疗救助。", "拨付资金。")
    # A space beside a digit is content: 低保 5倍 stays as published.
    assert item.street_duties[0].steps == ("受理申请。", "低保 5倍以上的家庭另行上报。")
    assert any("删去不可见字符 3 个" in line for line in summary), summary


def test_extras_keep_their_columns_and_the_summary_names_them() -> None:
    summary: list[str] = []
    dl = import_file(VARIANTS / "05-extra-columns.xlsx", summary=summary)
    assert dl.items[0].extras == (
        ("追责情形", "未及时发现、报告的\n隐瞒不报的"),
        ("备注", "2025 年起执行"),
    )
    assert dl.items[1].extras == (("备注", "与社区共同承担"),)  # an empty cell adds nothing
    assert any(line.endswith("追责情形、备注") for line in summary), summary
    quanze = imported("13-quanze.xlsx").items[0]
    assert dict(quanze.extras)["权力类型"] == "行政处罚"


@pytest.mark.parametrize(
    ("name", "short", "department"),
    [
        ("01-peihe-headers.docx", "民政局", "蜀山区民政局"),
        ("01-peihe-headers.docx", "卫健委", "蜀山区卫生健康委员会"),
        ("01-peihe-headers.docx", "人社局", "蜀山区人力资源和社会保障局"),
        ("02-no-categories.xlsx", "城管局", "渝北区城市管理局"),
        ("02-no-categories.xlsx", "市场监管局", "渝北区市场监督管理局"),
        ("03-enumerated-headings.docx", "旗民政局", "达尔罕茂明安联合旗民政局"),
        ("08-category-forms.docx", "组织部", "东河区委组织部"),
        ("10-method-column.xls", "退役军人局", "固阳县退役军人事务局"),
        ("10-method-column.xls", "林草局", "固阳县林业和草原局"),
    ],
)
def test_by_dept_with_a_short_name_on_another_district(
    name: str, short: str, department: str, duty: Duty, data_file: Callable[[str], Path]
) -> None:
    data = data_file(name)
    result = duty("--data", str(data), "by-dept", short, "-o", "json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert found and all(department in i["departments"] for i in found)


@pytest.mark.parametrize("name", NAMES)
def test_import_export_import_round_trip(
    name: str, duty: Duty, tmp_path: Path, data_file: Callable[[str], Path]
) -> None:
    data, book = data_file(name), tmp_path / "list.xlsx"
    text = data.read_text(encoding="utf-8")
    assert text == dump_yaml(imported(name))
    exported = duty("--data", str(data), "export", "-o", "xlsx", "--output", str(book))
    assert exported.exit_code == 0, exported.stderr
    again = duty("import", str(book))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == text


@pytest.fixture
def extras_list(data_file: Callable[[str], Path]) -> Path:
    """The 权责清单 variant (a 基本 list: 设定依据, 责任事项, two extra columns) as a data file."""
    return data_file("13-quanze.xlsx")


def test_basis_and_extras_are_shown(duty: Duty, extras_list: Path) -> None:
    shown = duty("--data", str(extras_list), "show", "1")
    assert shown.exit_code == 0, shown.stderr
    assert "实施依据：《殡葬管理条例》第二十条" in shown.stdout
    assert "权力类型：行政处罚" in shown.stdout and "追责情形：1.不依法立案的" in shown.stdout
    assert "上级部门职责" not in shown.stdout  # no empty 配合 template for a 基本 item
    table = duty("--data", str(extras_list), "show", "1", "-o", "table")
    assert table.exit_code == 0, table.stderr
    for text in ("实施依据：《殡葬管理条例》第二十条", "权力类型：行政处罚", "立案责任"):
        assert text in table.stdout.replace("│", "").replace(" ", ""), text


@pytest.mark.parametrize(
    ("word", "field"), [("殡葬管理条例", "basis"), ("行政处罚", "extras"), ("调查取证", "street")]
)
def test_basis_and_extras_are_searched(
    word: str, field: str, duty: Duty, extras_list: Path
) -> None:
    everywhere = duty("--data", str(extras_list), "search", word, "-o", "json")
    assert everywhere.exit_code == 0, everywhere.stderr
    assert [i["id"] for i in json.loads(everywhere.stdout)] == [1]
    only = duty("--data", str(extras_list), "search", word, "--in", field, "-o", "json")
    assert only.exit_code == 0 and json.loads(only.stdout)[0]["id"] == 1
    elsewhere = duty("--data", str(extras_list), "search", word, "--in", "name")
    assert elsewhere.exit_code == 1


def test_basis_and_extras_are_cited(duty: Duty, extras_list: Path) -> None:
    cited = duty("--data", str(extras_list), "cite", "1")
    assert cited.exit_code == 0, cited.stderr
    assert "实施依据：《殡葬管理条例》第二十条。" in cited.stdout
    assert "权力类型：行政处罚。" in cited.stdout
    assert "立案责任" in cited.stdout and "滥用职权的" in cited.stdout


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "json", "jsonl", "yaml"])
def test_basis_and_extras_are_exported(fmt: str, duty: Duty, extras_list: Path) -> None:
    out = duty("--data", str(extras_list), "export", "-o", fmt)
    assert out.exit_code == 0, out.stderr
    for text in ("《殡葬管理条例》第二十条", "行政处罚", "权力类型", "滥用职权的"):
        assert text in out.stdout, (fmt, text)


def test_cite_ends_a_step_once(duty: Duty, data_file: Callable[[str], Path]) -> None:
    data = data_file("12-opening-lines.docx")
    cited = duty("--data", str(data), "cite", "1")
    assert cited.exit_code == 0, cited.stderr
    assert "；。" not in cited.stdout and ";。" not in cited.stdout
    assert "3.上报灾情" in cited.stdout  # the published number, not 4.


def test_the_import_summary_goes_to_stderr(duty: Duty) -> None:
    result = duty("import", str(VARIANTS / "05-extra-columns.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("#") and "extras:" in result.stdout
    assert "“追责情形”" not in result.stdout
    assert "保留为附加字段的列（按原列名存入每项的 extras）：追责情形、备注" in result.stderr
    assert "部门（来自清单本身" in result.stderr


def test_columns_option_names_a_column(duty: Duty) -> None:
    # 备注 taken as the 工作方式 of each item instead of an extra.
    result = duty("import", str(VARIANTS / "05-extra-columns.xlsx"), "--columns", "备注=工作方式")
    assert result.exit_code == 0, result.stderr
    dl = parse(result.stdout, "t")
    assert dl.items[0].method == "2025 年起执行" and "备注" not in dict(dl.items[0].extras)
    wrong = duty("import", str(VARIANTS / "05-extra-columns.xlsx"), "--columns", "说明=工作方式")
    assert wrong.exit_code == 2 and "--columns 里的表头“说明”不在表头中" in wrong.stderr


def test_a_file_that_is_no_list_says_so_first(duty: Duty, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    rows = "".join(f"<tr><td>{n}</td><td>新闻 {n}</td></tr>" for n in range(700))
    page.write_text(f"<table>{rows}</table>" * 5, encoding="utf-8")
    result = duty("import", str(page))
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"duty: {page}: 这不是一份可导入的清单：文件里的 5 个表格都没有表头")
    assert 2 <= len(lines) <= 5 and "表 1（700 行 2 列）" in lines[1]


def test_validate_checks_the_abbreviation_table(duty: Duty, tmp_path: Path) -> None:
    shipped = duty("validate", str(REPO / "data" / "departments_abbrev.yaml"))
    assert shipped.exit_code == 0 and "部门简称表" in shipped.stdout
    broken = tmp_path / "abbrev.yaml"
    broken.write_text("abbreviations:\n  民政局: [民政局]\n", encoding="utf-8")
    result = duty("validate", str(broken))
    assert result.exit_code == 2 and f"{broken}:2:" in result.stderr


def test_basis_and_extras_are_on_the_web_page(
    duty: Duty, extras_list: Path, tmp_path: Path
) -> None:
    page = tmp_path / "page.html"
    result = duty("--data", str(extras_list), "html", "--output", str(page))
    assert result.exit_code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<script[^>]*id="data"[^>]*>(.*?)</script>', text, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    (item,) = data["items"]
    shown = [line[1] for line in item["more"]]
    assert "实施依据：《殡葬管理条例》第二十条" in shown and "权力类型：行政处罚" in shown
    # Searchable on the page too, as duty search's store holds them (basis 4, extras 6).
    assert [4, "《殡葬管理条例》第二十条"] in item["text"] and [6, "行政处罚"] in item["text"]
