"""``-o xlsx`` and ``--output``: the workbook read back with openpyxl, cell by cell."""

from __future__ import annotations

import itertools
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dutycli.lists.load import load
from dutycli.lists.model import DutyList, Item, replace
from dutycli.render.xlsx import Sheet, chinese_number, sheet_name, workbook

from .conftest import DATA, Duty

LIST = load(DATA)
HEADERS = ["序号", "事项名称", "对应上级部门", "上级部门职责", "街道配合职责"]
STEP_NUMBER = re.compile(r"^(\d+)\.")
SUB_NUMBER = re.compile(r"^（(\d+)）")


def write(duty: Duty, tmp_path: Path, *args: str) -> Any:
    target = tmp_path / "out.xlsx"
    result = duty(*args, "-o", "xlsx", "--output", str(target))
    assert result.exception is None, result.exception
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return openpyxl.load_workbook(target)


def physical(ws: Any) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def continuation_rows(ws: Any) -> set[int]:
    """Rows that go on with the record above: the first column is merged down over them."""
    return {
        r
        for m in ws.merged_cells.ranges
        if m.min_col == 1 and m.max_row > m.min_row
        for r in range(m.min_row + 1, m.max_row + 1)
    }


def values(ws: Any) -> list[list[str]]:
    """One row a record: a record's continuation rows joined to it, line after line."""
    going_on = continuation_rows(ws)
    out: list[list[str]] = []
    for n, row in enumerate(physical(ws), start=1):
        if n in going_on:
            out[-1] = [
                f"{a}\n{b}" if a and b else a or b for a, b in zip(out[-1], row, strict=True)
            ]
        else:
            out.append(row)
    return out


def unnumbered(cell: str) -> list[str]:
    """The cell's lines without step numbers, checking the numbers count 1, 2, … per run."""
    out, expected_step, expected_sub = [], 1, 1
    for line in cell.split("\n"):
        step, sub = STEP_NUMBER.match(line), SUB_NUMBER.match(line)
        if step:
            if int(step.group(1)) == 1:
                expected_step = 1
            assert int(step.group(1)) == expected_step, cell
            expected_step += 1
            expected_sub = 1
            line = line[step.end() :]
        elif sub:
            assert int(sub.group(1)) == expected_sub, cell
            expected_sub += 1
            line = line[sub.end() :]
        out.append(line)
    return out


def expected_upper(item: Item, department: str | None = None) -> list[str]:
    """The data's texts of the 上级部门职责 column, in order, 履职保障 last."""
    out: list[str] = []
    for block in item.upper_duties:
        if department and department not in block.departments:
            continue
        out += [block.heading] if block.heading else []
        out += [part for step in block.steps for part in step.split("\n")]
    if len(item.guarantees) == 1:
        out.append("履职保障：" + item.guarantees[0])
    elif item.guarantees:
        out += ["履职保障：", *[p for g in item.guarantees for p in g.split("\n")]]
    return out


def expected_street(item: Item) -> list[str]:
    out: list[str] = []
    for section in item.street_duties:
        out += [section.heading] if section.heading else []
        out += [part for step in section.steps for part in step.split("\n")]
    return out


def check_items(rows: list[list[str]], items: list[Item], department: str | None = None) -> None:
    """Category rows and item rows, every cell compared with the data."""
    categories = LIST.categories
    expected: list[list[str]] = []
    current = None
    for item in items:
        if item.category != current:
            current = item.category
            label = f"{chinese_number(categories.index(current) + 1)}、{current}"
            expected.append([label, "", "", "", ""])
        expected.append([str(item.id), item.name, "\n".join(item.departments), "", ""])
    assert len(rows) == len(expected)
    by_id = {i.id: i for i in items}
    for row, want in zip(rows, expected, strict=True):
        assert row[:3] == want[:3]
        if want[0] in {str(i) for i in by_id} and want[1]:
            item = by_id[int(want[0])]
            assert unnumbered(row[3]) == expected_upper(item, department), item.id
            assert unnumbered(row[4]) == expected_street(item), item.id
        else:
            assert row[1:] == ["", "", "", ""]


def test_the_whole_list_reads_back_cell_by_cell(duty: Duty, tmp_path: Path) -> None:
    wb = write(duty, tmp_path, "list")
    assert wb.sheetnames == ["青山路街道配合"]
    ws = wb.active
    rows = values(ws)
    assert rows[0] == ["青山路街道配合履职事项清单", "", "", "", ""]
    assert rows[1] == HEADERS
    assert rows[-1] == ["注：" + (LIST.info.note or ""), "", "", "", ""]
    check_items(rows[2:-1], list(LIST.items))
    # Category rows (and title and note) are merged across the width; an item
    # continued on rows below has its first three columns merged down over them.
    lines = physical(ws)
    merged = {str(r) for r in ws.merged_cells.ranges}
    category_rows = [
        n for n, row in enumerate(lines, start=1) if re.match(r"^[一二三四五六七八九十]+、", row[0])
    ]
    assert len(category_rows) == len(LIST.categories)
    across = {f"A{n}:E{n}" for n in [1, *category_rows, len(lines)]}
    assert across <= merged
    down = [m for m in ws.merged_cells.ranges if str(m) not in across]
    assert down, "the shipped list has items longer than one row"
    for m in down:
        assert (m.min_col, m.max_col) in {(1, 1), (2, 2), (3, 3)} and m.max_row > m.min_row
        assert lines[m.min_row - 1][0].isdigit() and not lines[m.max_row - 1][0]


def test_print_and_screen_setup(duty: Duty, tmp_path: Path) -> None:
    ws = write(duty, tmp_path, "export").active
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert [c.font.name for c in ws[2]] == ["黑体"] * 5
    body = ws["D4"]
    assert body.font.name == "仿宋" and body.font.charset == 134  # GB2312: WPS/Excel substitute
    assert body.alignment.wrap_text
    widths = [ws.column_dimensions[c].width for c in "ABCDE"]
    # The duty columns are the wide ones; the number column is narrow.
    assert widths[0] < widths[1] < widths[3] and widths[3] == widths[4]
    # Every item row is tall enough for its lines at the column's width.
    for row in ws.iter_rows(min_row=4, max_row=10):
        if isinstance(row[0].value, int):
            lines = max(len(str(c.value or "").split("\n")) for c in row)
            assert ws.row_dimensions[row[0].row].height >= 14 * lines


def test_by_dept_holds_only_the_departments_blocks(duty: Duty, tmp_path: Path) -> None:
    dept = "青山区民政局"
    rows = values(write(duty, tmp_path, "by-dept", "民政局").active)
    assert rows[0][0] == f"青山路街道配合履职事项清单（{dept}）"
    items = [i for i in LIST.items if dept in i.departments]
    assert len(items) == 12
    check_items(rows[2:-1], items, department=dept)
    item17 = next(r for r in rows if r[0] == "17")
    assert "青山区教育局职责：" not in item17[3] and "青山区民政局职责：" in item17[3]


def test_search_keeps_its_ranking(duty: Duty, tmp_path: Path) -> None:
    ranked = [r["id"] for r in json.loads(duty("search", "低保", "-o", "json").stdout)]
    rows = values(write(duty, tmp_path, "search", "低保").active)
    ids = [int(r[0]) for r in rows if r[0].isdigit()]
    assert ids == ranked


def test_show_and_by_category(duty: Duty, tmp_path: Path) -> None:
    rows = values(write(duty, tmp_path, "show", "17", "4").active)
    assert [r[0] for r in rows[2:-1]] == ["二、民生服务", "17", "4"]
    rows = values(write(duty, tmp_path, "by-category", "城乡").active)
    assert [r[0] for r in rows[2:-1]] == ["四、城乡建设", *map(str, range(57, 63))]


def test_check_writes_its_verdicts(duty: Duty, tmp_path: Path) -> None:
    target = tmp_path / "check.xlsx"
    result = duty("check", "督促物业公司做好考评打分工作", "-o", "xlsx", "--output", str(target))
    assert result.exit_code == 0
    rows = values(openpyxl.load_workbook(target).active)
    assert rows[0][:4] == ["任务", "判定", "事项编号", "事项名称"]
    assert rows[1][:4] == ["督促物业公司做好考评打分工作", "清单内", "59", "物业综合考评工作"]


def test_several_lists_make_a_sheet_each(tmp_path: Path) -> None:
    other = replace(LIST.info, subdistrict="幸福路街道", title="幸福路街道配合履职事项清单")
    taken_back = replace(LIST.info, kind="上级部门收回事项", title="青山路街道上级部门收回事项清单")
    sheets = [
        Sheet(LIST.info, LIST.categories, LIST.items[:3]),
        Sheet(other, LIST.categories, LIST.items[3:5]),
        Sheet(taken_back, LIST.categories, LIST.items[5:6]),
    ]
    target = tmp_path / "many.xlsx"
    target.write_bytes(workbook(sheets))
    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["青山路街道配合", "幸福路街道配合", "青山路街道收回"]
    assert values(wb["幸福路街道配合"])[0][0] == "幸福路街道配合履职事项清单"
    assert [r[0] for r in values(wb["幸福路街道配合"])[3:]] == ["4", "5"]
    assert values(wb["青山路街道收回"])[1] == ["序号", "事项名称", "承接部门", "工作方式"]


def test_sheet_names_are_legal_and_unique() -> None:
    info = replace(LIST.info, subdistrict="很长的名字" * 8 + "[a]/b")
    taken: set[str] = set()
    first, second = sheet_name(info, taken), sheet_name(info, taken)
    assert first != second and len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first + second)


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九",
    ]  # fmt: skip


def _duty_process(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DUTY_CACHE_DIR": str(kwargs.pop("cache"))}
    return subprocess.run([sys.executable, "-m", "dutycli", *argv], env=env, timeout=60, **kwargs)


@pytest.mark.parametrize("argv", [["list", "-o", "xlsx"], ["html"]], ids=" ".join)
def test_a_workbook_or_page_is_never_written_to_a_terminal(tmp_path: Path, argv: list[str]) -> None:
    leader, follower = pty.openpty()
    try:
        proc = _duty_process(argv, stdout=follower, stderr=subprocess.PIPE, cache=tmp_path)
    finally:
        os.close(follower)
    os.set_blocking(leader, False)
    try:
        written = os.read(leader, 65536)
    except OSError:
        written = b""
    os.close(leader)
    assert proc.returncode == 2
    assert "--output" in proc.stderr.decode("utf-8") and "终端" in proc.stderr.decode("utf-8")
    assert b"PK" not in written and b"<html" not in written


def test_a_pipe_gets_the_workbook(tmp_path: Path) -> None:
    proc = _duty_process(["by-dept", "司法局", "-o", "xlsx"], capture_output=True, cache=tmp_path)
    assert proc.returncode == 0 and proc.stdout[:2] == b"PK"
    target = tmp_path / "piped.xlsx"
    target.write_bytes(proc.stdout)
    ids = [r[0] for r in values(openpyxl.load_workbook(target).active) if r[0].isdigit()]
    assert ids == ["33", "35"]


def test_output_writes_text_formats_too(duty: Duty, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    assert duty("search", "低保", "-o", "json", "--output", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(
        duty("search", "低保", "-o", "json").stdout
    )


def test_output_takes_the_format_from_the_file_name(duty: Duty, tmp_path: Path) -> None:
    book, table = tmp_path / "民政局.xlsx", tmp_path / "民政局.csv"
    assert duty("by-dept", "民政局", "--output", str(book)).exit_code == 0
    assert duty("by-dept", "民政局", "--output", str(table)).exit_code == 0
    assert values(openpyxl.load_workbook(book).active)[1] == HEADERS
    assert table.read_text(encoding="utf-8-sig").startswith("编号,事项名称")


def test_output_never_overwrites_the_list_it_reads(duty: Duty, tmp_path: Path) -> None:
    data = tmp_path / "items.yaml"
    shutil.copy(DATA, data)
    before = data.read_bytes()
    result = duty("--data", str(data), "list", "-o", "xlsx", "--output", str(data))
    assert result.exit_code == 2 and "输入文件" in result.stderr
    assert data.read_bytes() == before


# The workbook staff get is one `duty import` reads back: the same list, field by field.
def test_round_trip_through_import_equals_the_list(duty: Duty, tmp_path: Path) -> None:
    workbook_path = tmp_path / "list.xlsx"
    assert duty("export", "-o", "xlsx", "--output", str(workbook_path)).exit_code == 0
    result = duty("import", str(workbook_path), "--departments", str(DATA))
    assert result.exit_code == 0, result.output
    imported = tmp_path / "imported.yaml"
    imported.write_text(result.stdout, encoding="utf-8")
    again: DutyList = load(imported)
    assert again == LIST


HEAVY = ("openpyxl", "playwright", "dutycli.page", "dutycli.render.xlsx")


def _imports(argv: list[str], cache: Path) -> set[str]:
    command = [sys.executable, "-X", "importtime", "-m", "dutycli", *argv]
    env = {**os.environ, "DUTY_CACHE_DIR": str(cache)}
    subprocess.run(command, env=env, capture_output=True, timeout=60)  # warm the cache
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-500:]
    return {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }


@pytest.mark.parametrize(
    "argv",
    [["search", "低保"], ["list", "-o", "csv"], ["show", "17", "-o", "table"], ["--help"]],
    ids=" ".join,
)
def test_other_commands_never_import_the_office_outputs(argv: list[str], tmp_path: Path) -> None:
    imported = _imports(argv, tmp_path)
    assert "dutycli.cli.commands" in imported
    assert not {m for m in imported if m.startswith(HEAVY)}


def test_xlsx_and_html_import_what_they_need(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    assert "openpyxl" in _imports(["list", "-o", "xlsx", "--output", str(out)], tmp_path)
    page = _imports(["html", "--output", str(tmp_path / "p.html")], tmp_path)
    assert "dutycli.page" in page and "openpyxl" not in page and "playwright" not in page


LIBRARY = DATA.parent.parent / "tests" / "data" / "lists" / "library"


def test_a_library_gets_a_sheet_per_list_with_every_item(duty: Duty, tmp_path: Path) -> None:
    target = tmp_path / "library.xlsx"
    result = duty("--data", str(LIBRARY), "list", "-o", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(target)
    lists = [load(p) for p in sorted(LIBRARY.rglob("*.yaml"))]
    assert sorted(wb.sheetnames) == sorted(sheet_name(dl.info, set()) for dl in lists)
    for dl in lists:
        ws = wb[sheet_name(dl.info, set())]
        rows = values(ws)
        assert rows[0][0] == dl.info.title
        shown = [(row[0], row[1]) for row in rows[2:] if row[0].isdigit()]
        assert shown == [(str(item.id), item.name) for item in dl.items]
        # A category row opens each run of items of one category, as in the published
        # table; a list without categories (收回) has none.
        labels = [row[0] for row in rows[2:] if not row[0].isdigit() and row[0]]
        runs = [c for c, _ in itertools.groupby(i.category for i in dl.items) if c]
        assert [label.split("、", 1)[1] for label in labels if "、" in label] == runs


# -- rows that hold their text ------------------------------------------------

# What a spreadsheet shows at most: a row of 409 points. A duty column 56 units
# wide holds 27 Chinese characters a line in Excel and WPS with 仿宋 (fewer with
# other fonts), and a line of 11-point CJK text is 14.3 points there, 15.9 with
# the Noto Sans CJK of Linux and 信创 desktops.
MOST_POINTS = 409
LINE_POINTS = 15.9
CHARACTERS_A_LINE = 26


def shown_lines(text: str) -> int:
    """Lines a duty cell's text takes: each line of it wrapped at CHARACTERS_A_LINE."""
    return sum(
        max(1, -(-sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) // (2 * CHARACTERS_A_LINE)))
        for line in text.split("\n")
    )


def long_list() -> DutyList:
    """The shipped list with item 17 far longer than a row: one step of 1,300 characters
    (longer than a whole row), 40 street steps, a name over three lines."""
    item = next(i for i in LIST.items if i.id == 17)
    sentence = "街道配合做好有关工作，按时上报材料并建立台账"
    step = "".join(f"第{n}句：{sentence}。" for n in range(1, 61))
    block = replace(item.upper_duties[0], steps=(step, *item.upper_duties[0].steps))
    section = replace(item.street_duties[0], steps=tuple(f"{sentence}（{n}）。" for n in range(40)))
    long_item = replace(
        item,
        name=item.name + "（含" + "、".join(f"第{n}类对象" for n in range(1, 9)) + "）",
        upper_duties=(block, *item.upper_duties[1:]),
        street_duties=(section,),
    )
    items = tuple(long_item if i.id == 17 else i for i in LIST.items)
    return DutyList(LIST.info, LIST.categories, LIST.departments, items)


def write_list(tmp_path: Path, dl: DutyList) -> Path:
    from dutycli.lists.serialize import dump_yaml

    path = tmp_path / "list.yaml"
    path.write_text(dump_yaml(dl), encoding="utf-8")
    return path


@pytest.mark.parametrize("which", ["shipped", "long"])
def test_every_row_holds_its_text(duty: Duty, tmp_path: Path, which: str) -> None:
    data = write_list(tmp_path, long_list()) if which == "long" else DATA
    ws = write(duty, tmp_path, "--data", str(data), "list").active
    heights = {r: ws.row_dimensions[r].height for r in range(3, ws.max_row + 1)}
    for r, height in heights.items():
        assert height is not None and height <= MOST_POINTS, r
        for column in "DE":
            lines = shown_lines(str(ws[f"{column}{r}"].value or ""))
            assert lines * LINE_POINTS <= height, (r, column, lines, height)
    # The items too long for one row go on below (the shipped list has some), and
    # every character is still there: the rows read back as the list.
    assert len(values(ws)) < ws.max_row
    rows = values(ws)
    items = list(long_list().items) if which == "long" else list(LIST.items)
    assert [r[1] for r in rows if r[0].isdigit()] == [i.name for i in items]


def test_a_long_list_round_trips_through_import(duty: Duty, tmp_path: Path) -> None:
    dl = long_list()
    source = write_list(tmp_path, dl)
    book = tmp_path / "long.xlsx"
    assert duty("--data", str(source), "export", "-o", "xlsx", "--output", str(book)).exit_code == 0
    result = duty("import", str(book), "--departments", str(DATA))
    assert result.exit_code == 0, result.output
    imported = tmp_path / "imported.yaml"
    imported.write_text(result.stdout, encoding="utf-8")
    assert load(imported).items == dl.items


def test_data_cells_are_text_never_formulas(duty: Duty, tmp_path: Path) -> None:
    first = LIST.items[0]
    hostile = replace(first, name='=HYPERLINK("http://x","点击")', guarantees=("=1+1",))
    dl = DutyList(LIST.info, LIST.categories, LIST.departments, (hostile, *LIST.items[1:]))
    ws = write(duty, tmp_path, "--data", str(write_list(tmp_path, dl)), "list").active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == hostile.name for c in cells)
    assert any(c.value.endswith("履职保障：=1+1") for c in cells)
    assert all(c.data_type == "s" for c in cells)
    target = tmp_path / "check.xlsx"
    assert duty("check", "=SUM(A1:A9)", "-o", "xlsx", "--output", str(target)).exit_code in (0, 1)
    task = openpyxl.load_workbook(target).active["A2"]
    assert task.value == "=SUM(A1:A9)" and task.data_type == "s"


# -- the other commands' workbooks ----------------------------------------------


def _book(duty: Duty, tmp_path: Path, *args: str) -> Any:
    target = tmp_path / f"{args[0]}.xlsx"
    result = duty(*args, "-o", "xlsx", "--output", str(target))
    assert result.exit_code in (0, 1), result.output
    return openpyxl.load_workbook(target).active


@pytest.mark.parametrize(
    ("args", "numbers"),
    [
        (("depts",), ["事项数"]),
        (("categories",), ["序号", "事项数"]),
        (("lists",), ["事项数"]),
        (("check", "督促物业公司做好考评打分工作", "残疾人补贴"), ["得分"]),
    ],
    ids=lambda v: v[0] if isinstance(v, tuple) else "",
)
def test_records_workbooks_are_bordered_wrapped_and_numeric(
    duty: Duty, tmp_path: Path, args: tuple[str, ...], numbers: list[str]
) -> None:
    ws = _book(duty, tmp_path, *args)
    rows = list(ws.iter_rows())
    header = next(n for n, row in enumerate(rows) if row[1].value is not None)
    headings = [c.value for c in rows[header]]
    body = rows[header + 1 :]
    assert body
    for row in [rows[header], *body]:
        for cell in row:
            assert all(getattr(cell.border, s).style == "thin" for s in ("left", "right", "top"))
            assert cell.alignment.wrap_text
    for name in numbers:
        col = headings.index(name)
        cells = [row[col] for row in body if row[col].value is not None]
        assert cells and all(c.data_type == "n" for c in cells), name
        assert all(isinstance(c.value, (int, float)) for c in cells)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows and "&P" in ws.oddFooter.center.text
    assert ws.page_margins.bottom - ws.page_margins.footer >= 0.5
    # Wrapped rows are as tall as their lines.
    for row in body:
        lines = max(shown_lines(str(c.value or "")) for c in row)
        assert ws.row_dimensions[row[0].row].height >= lines * LINE_POINTS


# -- exports cut by --limit say so -----------------------------------------------


@pytest.mark.parametrize(
    "fmt", ["plain", "csv", "tsv", "json", "jsonl", "yaml", "markdown", "xlsx"]
)
def test_a_cut_export_says_so_in_every_format(duty: Duty, tmp_path: Path, fmt: str) -> None:
    everything = json.loads(duty("search", "社区", "--limit", "0", "-o", "json").stdout)
    assert len(everything) > 20
    target = tmp_path / f"out.{fmt}"
    result = duty("search", "社区", "-o", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    assert f"显示 20 / {len(everything)} 项；--limit 0 输出全部。" in result.stderr
    piped = duty("search", "社区", "-o", fmt) if fmt != "xlsx" else result
    assert f"显示 20 / {len(everything)} 项" in piped.stderr
    if fmt == "json":
        assert len(json.loads(target.read_text(encoding="utf-8"))) == 20
    if fmt == "xlsx":
        shown = [r[0] for r in values(openpyxl.load_workbook(target).active) if r[0].isdigit()]
        assert shown == [str(r["id"]) for r in everything[:20]]


def test_by_dept_with_a_limit_says_what_it_left_out(duty: Duty) -> None:
    dept = "青山区民政局"
    total = sum(1 for i in LIST.items if dept in i.departments)
    result = duty("by-dept", "民政局", "--limit", "5", "-o", "csv")
    assert f"显示 5 / {total} 项；--limit 0 输出全部。" in result.stderr
    assert "显示" not in duty("by-dept", "民政局", "-o", "csv").stderr


# -- by-dept shows the department's blocks in every format -------------------------


@pytest.mark.parametrize(
    "fmt", ["table", "plain", "csv", "tsv", "json", "jsonl", "markdown", "xlsx"]
)
def test_by_dept_shows_the_same_blocks_in_every_format(
    duty: Duty, tmp_path: Path, fmt: str
) -> None:
    dept, other = "青山区民政局", "青山区教育局"
    items = [i for i in LIST.items if dept in i.departments]
    shared = [i for i in items if other in i.departments]
    assert shared  # item 17: 民政局 and 教育局 each have a block
    target = tmp_path / f"by-dept.{fmt}"
    result = duty("by-dept", "民政局", "-o", fmt, "--output", str(target))
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        text = "\n".join("\n".join(r) for r in values(openpyxl.load_workbook(target).active))
    else:
        text = target.read_text(encoding="utf-8-sig")
    if fmt in ("json", "jsonl"):
        records = (
            json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
        )
        assert [r["id"] for r in records] == [i.id for i in items]
        for record in records:
            assert all(dept in b["departments"] for b in record["upper_duties"]), record["id"]
            assert record["upper_duties"], record["id"]
        text = json.dumps(records, ensure_ascii=False)

    def parts(blocks: Any) -> set[str]:
        return {part for b in blocks for step in b.steps for part in step.split("\n")}

    own = parts(b for i in items for b in i.upper_duties if dept in b.departments)
    others = parts(b for i in items for b in i.upper_duties if dept not in b.departments)
    shown = (
        own
        | parts(s for i in items for s in i.street_duties)
        | {g for i in items for g in i.guarantees}
    )
    assert others - shown
    for part in others - shown:
        assert part not in text, part
    if fmt != "table":  # (the table wraps lines)
        assert all(part in text for part in own)
    assert f"{other}职责：" not in text and f"{dept}职责：" in text


def test_by_dept_yaml_is_a_list_file_of_whole_items(duty: Duty, tmp_path: Path) -> None:
    target = tmp_path / "by-dept.yaml"
    assert duty("by-dept", "民政局", "-o", "yaml", "--output", str(target)).exit_code == 0
    items = [i for i in LIST.items if "青山区民政局" in i.departments]
    assert load(target).items == tuple(items)
