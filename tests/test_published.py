"""duty import of lists as published: Word, Excel, web pages; merged cells, header variants.

The files under tests/data/published/ are rendered by tests/fixtures/make_published.py
from data/items.yaml (the real list, itself the import of data/source/qingshanlu.txt)
and from two small lists written for the tests. Each import must give back the
list it was rendered from, field by field.
"""

from __future__ import annotations

import io
import os
import resource
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dutycli.lists.importers import headers, import_file
from dutycli.lists.importers.detect import DOC, DOCX, HTML, TSV, XLS, XLSX, detect
from dutycli.lists.load import load, parse, parse_departments
from dutycli.lists.model import COOP, DutyList, replace

from .conftest import DATA, REPO, SOURCE, Duty

sys.path.insert(0, str(REPO / "tests" / "fixtures"))
import make_published as mp
import make_variants as mv

PUBLISHED = REPO / "tests" / "data" / "published"
BAD = PUBLISHED / "bad"
TEST_DEPTS = PUBLISHED / "test-departments.yaml"
REAL: DutyList = load(DATA)
TABLE = REAL.departments

COOP_VARIANTS = [
    "qingshanlu.docx",
    "qingshanlu.xlsx",
    "qingshanlu.html",
    "qingshanlu.xls",
    "qingshanlu-guarantees-column.docx",
]


def assert_same_list(got: DutyList, want: DutyList) -> None:
    """Field by field, so that a failure names the item and the field."""
    assert got.info == want.info
    assert got.categories == want.categories
    assert got.departments == want.departments
    assert [i.id for i in got.items] == [i.id for i in want.items]
    for a, b in zip(got.items, want.items, strict=True):
        for name in a.__dataclass_fields__:
            assert getattr(a, name) == getattr(b, name), f"item {a.id}: {name}"
    assert got == want


@pytest.mark.parametrize("name", COOP_VARIANTS)
def test_each_published_layout_gives_back_the_list(name: str, duty: Duty) -> None:
    result = duty("import", str(PUBLISHED / name), "--departments", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert_same_list(parse(result.stdout, name), REAL)
    # Byte for byte too: the data file is exactly what importing any layout writes.
    assert result.stdout == DATA.read_text(encoding="utf-8")


def test_the_layouts_hold_the_traps_they_claim() -> None:
    # Merged category rows and a department cell merged down in Word...
    with zipfile.ZipFile(PUBLISHED / "qingshanlu.docx") as z:
        body = z.read("word/document.xml").decode()
    assert body.count('w:vMerge w:val="restart"') >= 5 and "w:gridSpan" in body
    assert "对应上级" in body and "<w:br/>" in body
    # ...merges and wrapped cells in Excel, on the second sheet...
    import openpyxl

    book = openpyxl.load_workbook(PUBLISHED / "qingshanlu.xlsx")
    assert book.sheetnames == ["说明", "清单"]
    ws = book["清单"]
    spans = [str(r) for r in ws.merged_cells.ranges]
    assert "A3:E3" in spans and any(r.startswith("C") and r[1:].split(":")[0] != "C" for r in spans)
    assert ws["E4"].alignment.wrap_text and "\n" in ws["E4"].value
    assert "镇街配合职责" in [c.value for c in ws[2]]
    # ...rowspan, colspan and a two-row header on a page with a table before the list.
    page = (PUBLISHED / "qingshanlu.html").read_text(encoding="utf-8")
    assert page.count("<table") == 2 and 'rowspan="2"' in page and 'colspan="2"' in page
    assert '<td rowspan="5">' in page and "<br>" in page


def test_basis_column_is_kept_and_makes_a_schema_2_list(duty: Duty) -> None:
    path = PUBLISHED / "qingshanlu-basis.xlsx"
    assert_same_list(import_file(path, TABLE), mp.with_basis(REAL))
    result = duty("import", str(path), "--departments", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 配合履职事项清单的数据文件（schema 2）")
    assert "\nschema: 2\n" in result.stdout
    assert "  basis: 测试用依据（第 67 项）\n" in result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [("basic.docx", mp.BASIC_LIST), ("taken-back.xlsx", mp.TAKEN_BACK_LIST)],
)
def test_basic_and_taken_back_lists(name: str, expected: DutyList) -> None:
    depts = parse_departments(TEST_DEPTS.read_text(encoding="utf-8"), str(TEST_DEPTS))
    assert_same_list(import_file(PUBLISHED / name, depts), expected)


def test_kind_option_must_agree_with_the_title(duty: Duty) -> None:
    path = PUBLISHED / "basic.docx"
    result = duty("import", str(path), "--departments", str(TEST_DEPTS), "--kind", "收回")
    assert result.exit_code == 2 and result.stdout == ""
    assert "标题是基本履职事项清单，而 --kind 指定的是上级部门收回事项" in result.stderr
    assert "缺少必需的列：对应上级部门（收回清单：承接部门）、工作方式" in result.stderr
    bad = duty("import", str(path), "--kind", "其他")
    assert bad.exit_code == 2 and "--kind 应为 基本、配合 或 收回" in bad.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.suffix != ".expect"))
def test_broken_files_are_refused_clearly(name: str, duty: Duty, tmp_path: Path) -> None:
    expect = (BAD / f"{name}.expect").read_text(encoding="utf-8").strip()
    target = tmp_path / "out.yaml"
    env = {"PATH": str(tmp_path)}  # no soffice: the .doc is refused, not converted
    result = duty("import", str(BAD / name), "--output", str(target), env=env)
    assert result.exception is None
    assert result.exit_code == 2, result.stdout
    assert result.stdout == "" and expect in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr
    assert not target.exists()


def test_every_problem_at_once_with_its_cell(duty: Duty) -> None:
    # The real list read with a department table that knows none of its departments.
    for name, first in [
        ("qingshanlu.xlsx", "（工作表“清单” C4）: 第 1 项：未知的部门“青山区纪委监委”"),
        ("qingshanlu.docx", "（表 1，第 3 行第 3 列）: 第 1 项：未知的部门“青山区纪委监委”"),
        ("qingshanlu.html", "（表 2，第 4 行第 3 列）: 第 1 项：未知的部门“青山区纪委监委”"),
    ]:
        result = duty("import", str(PUBLISHED / name), "--departments", str(TEST_DEPTS))
        assert result.exit_code == 2 and result.stdout == ""
        lines = result.stderr.removeprefix("duty: ").splitlines()
        assert f"{name}{first}" in lines[0], lines[0]
        # Every item's departments are found, not just the first; the first 50 are said.
        assert len(lines) == 51, lines[-1]
        total = int(lines[-1].rsplit("共 ", 1)[1].split(" ")[0])
        assert total > 67 and lines[-1].startswith(f"……另有 {total - 50} 个问题未列出")
        assert not any(":0:" in line or "第 0 行" in line for line in lines)


def test_table_option(duty: Duty) -> None:
    page = str(PUBLISHED / "qingshanlu.html")
    second = duty("import", page, "--departments", str(DATA), "--table", "2")
    assert second.exit_code == 0 and second.stdout == DATA.read_text(encoding="utf-8")
    first = duty("import", page, "--departments", str(DATA), "--table", "1")
    assert first.exit_code == 2 and "没有找到表头" in first.stderr
    none = duty("import", page, "--table", "3")
    assert none.exit_code == 2 and "--table 应在 1 到 2 之间" in none.stderr


# -- .doc / .wps through LibreOffice ---------------------------------------------


def fake_soffice(directory: Path, docx: Path) -> None:
    """A stand-in for LibreOffice: converts by copying a prepared .docx to --outdir."""
    script = directory / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'out=""; src=""\n'
        "while [ $# -gt 0 ]; do\n"
        '  case "$1" in --outdir) out="$2"; shift;; -*) ;; *) src="$1";; esac; shift\n'
        "done\n"
        f'name=$(basename "$src"); cp "{docx}" "$out/${{name%.*}}.docx"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_doc_is_converted_when_libreoffice_is_installed(duty: Duty, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_soffice(bin_dir, PUBLISHED / "qingshanlu.docx")
    env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin"}
    result = duty("import", str(BAD / "old-word.doc"), "--departments", str(DATA), env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == DATA.read_text(encoding="utf-8")


def test_a_real_word_97_file_imports_through_libreoffice(
    duty: Duty, tmp_path: Path, soffice_writer: str
) -> None:
    """The real thing: LibreOffice saves the published .docx as Word 97 (.doc), and
    `duty import` turns that .doc back into the list through LibreOffice, character for
    character. .ci/run installs LibreOffice Writer; in CI this test never skips."""
    soffice = soffice_writer
    profile = tmp_path / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(PUBLISHED / "qingshanlu.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    word97 = tmp_path / "qingshanlu.doc"
    assert word97.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2, not a zip
    result = duty("import", str(word97), "--departments", str(DATA))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == DATA.read_text(encoding="utf-8")


def test_doc_without_libreoffice_says_how_to_convert(duty: Duty, tmp_path: Path) -> None:
    result = duty("import", str(BAD / "old-word.doc"), env={"PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "“另存为”Word 文档（*.docx）" in result.stderr
    assert "soffice --headless --convert-to docx" in result.stderr


# -- --output ------------------------------------------------------------------------


def test_output_is_written_atomically_and_never_over_an_input(duty: Duty, tmp_path: Path) -> None:
    target = tmp_path / "items.yaml"
    ok = duty("import", str(PUBLISHED / "qingshanlu.docx"), "--departments", str(DATA),
              "--output", str(target))  # fmt: skip
    assert ok.exit_code == 0 and ok.stdout == ""
    assert target.read_text(encoding="utf-8") == DATA.read_text(encoding="utf-8")
    # The target is the departments table, then the source itself: refused, untouched.
    before = target.read_bytes()
    again = duty("import", str(PUBLISHED / "qingshanlu.xlsx"), "--departments", str(target),
                 "--output", str(target))  # fmt: skip
    assert again.exit_code == 2 and "不能把结果写到输入文件" in again.stderr
    assert target.read_bytes() == before
    source = tmp_path / "table.txt"
    source.write_bytes(SOURCE.read_bytes())
    onto = duty("import", str(source), "--departments", str(DATA), "--output", str(source))
    assert onto.exit_code == 2 and source.read_bytes() == SOURCE.read_bytes()
    # A failing import leaves an existing target as it was.
    failed = duty("import", str(BAD / "missing-column.docx"), "--departments", str(DATA),
                  "--output", str(target))  # fmt: skip
    assert failed.exit_code == 2 and target.read_bytes() == before


def test_redirecting_stdout_onto_an_input_is_caught(tmp_path: Path) -> None:
    # `duty import … > items.yaml` empties items.yaml before duty runs; duty must
    # say so instead of reporting an empty department table.
    table = tmp_path / "items.yaml"
    table.write_bytes(DATA.read_bytes())
    with table.open("r+b") as out:
        out.truncate(0)
        done = subprocess.run(
            [sys.executable, "-m", "dutycli", "import", str(SOURCE), "--departments", str(table)],
            stdout=out,
            capture_output=False,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 2
    assert (
        "标准输出被重定向到了输入文件" in done.stderr.decode()
        and "--output" in done.stderr.decode()
    )


# -- pieces --------------------------------------------------------------------------


def _header_variants() -> list[tuple[str, str]]:
    rows = (REPO / "tests" / "data" / "header_variants.tsv").read_text("utf-8").splitlines()
    return [
        (header.replace("\\n", "\n"), field)
        for header, field in (r.split("\t") for r in rows if r and not r.startswith("#"))
    ]


@pytest.mark.parametrize(("header", "field"), _header_variants())
def test_header_variants(header: str, field: str) -> None:
    # Each published wording, read by what it says (tests/data/header_variants.tsv).
    assert (headers.field_of(header) or headers.EXTRA) == field


def test_format_is_found_from_content_not_extension(tmp_path: Path) -> None:
    for name, fmt in [
        ("qingshanlu.docx", DOCX),
        ("qingshanlu.xlsx", XLSX),
        ("qingshanlu.xls", XLS),
        ("qingshanlu.html", HTML),
    ]:
        assert detect((PUBLISHED / name).read_bytes(), "x.txt") == fmt
    assert detect(SOURCE.read_bytes(), "x.docx") == TSV
    assert detect((BAD / "old-word.doc").read_bytes(), "x") == DOC
    renamed = tmp_path / "清单.txt"
    renamed.write_bytes((PUBLISHED / "qingshanlu.xlsx").read_bytes())
    assert import_file(renamed, TABLE) == REAL


def tsv(
    *rows: str, header: str = "序号\t事项名称\t对应上级部门\t上级部门职责\t街道配合职责"
) -> str:
    return "\n".join(["# 测试街道配合履职事项清单", header, *rows, ""])


def run_tsv(duty: Duty, tmp_path: Path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    result = duty("import", str(path), "--departments", str(DATA))
    assert result.exception is None
    return result.exit_code, result.stdout, result.stderr


ROW = "1\t低保\t青山区民政局\t青山区民政局职责： 1、审核。 2、 发放。\t①受理。 ②上报。"


def test_numbering_styles_and_category_counts(duty: Duty, tmp_path: Path) -> None:
    code, out, err = run_tsv(duty, tmp_path, tsv("一、民生服务（1项）\t\t\t\t", ROW))
    assert code == 0, err
    item = parse(out, "out").items[0]
    assert item.upper_duties[0].steps == ("审核。", "发放。")
    assert item.street_duties[0].steps == ("受理。", "上报。")
    assert parse(out, "out").categories == ("民生服务",)
    code, _, err = run_tsv(duty, tmp_path, tsv("一、民生服务（2项）\t\t\t\t", ROW))
    assert code == 2 and "t.txt:3: 类别“民生服务”写明 2 项，表格里却有 1 项" in err


def test_unknown_column_with_content_is_kept_as_an_extra(duty: Duty, tmp_path: Path) -> None:
    header = "序号\t事项名称\t对应上级部门\t上级部门职责\t街道配合职责\t备注"
    code, out, err = run_tsv(
        duty, tmp_path, tsv("一、民生服务\t\t\t\t\t", ROW + "\t要紧的话", header=header)
    )
    assert code == 0, err
    assert parse(out, "t").items[0].extras == (("备注", "要紧的话"),)
    assert "保留为附加字段的列（按原列名存入每项的 extras）：备注" in err


def test_a_row_numbered_with_a_superscript_is_reported(duty: Duty, tmp_path: Path) -> None:
    code, out, err = run_tsv(duty, tmp_path, tsv("一、民生服务\t\t\t\t", "²" + ROW[1:]))
    assert code == 2 and out == ""
    assert "t.txt:4: 序号“²”不是数字" in err


def test_no_problem_is_placed_at_line_0(duty: Duty, tmp_path: Path) -> None:
    code, _, err = run_tsv(
        duty, tmp_path, "序号\t事项名称\t对应上级部门\t上级部门职责\t街道配合职责\n"
    )
    assert code == 2
    assert ":0:" not in err and "t.txt:1: 缺少清单标题" in err


# -- hostile input: near-linear whatever the content --------------------------------

MB = 1 << 20
HEAD = "# 测试街道配合履职事项清单\n序号\t事项名称\t对应上级部门\t上级部门职责\t街道配合职责\n"
HOSTILE = {
    "dashes.txt": "-" * MB,
    "category-spaces.txt": HEAD + "一、a" + " " * MB + "b\n",
    "open-tags.txt": HEAD + "1\tx\t青山区民政局\t" + "<p" * (MB // 2),
    "heading-spaces.txt": "#" + " " * MB + "x",
    "step-numbers.txt": HEAD + "1\tx\t青山区民政局\t" + " 1." * (MB // 3) + "\ty\n",
    "department-heads.txt": HEAD
    + "1\tx\t青山区民政局\t"
    + " 青山区民政局、" * (MB // 24)
    + "\ty\n",
    "spans.html": "<table>" + '<tr><td rowspan="99999" colspan="99999">x</td></tr>' * 3000,
    "tables.html": "<html>" + "<p>清单</p><table><tr><td>序号</td></tr></table>" * 20000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_megabyte_is_refused_in_seconds(name: str, tmp_path: Path) -> None:
    # Not a timing test of speed, a guard against backtracking: these inputs
    # took from 39 s to hours before; a near-linear import uses well under 2 s
    # of CPU. The child gets 20 s of CPU time (RLIMIT_CPU, which a busy machine
    # does not use up): backtracking is killed by SIGXCPU and fails the exit code.
    path = tmp_path / name
    path.write_text(HOSTILE[name], encoding="utf-8")
    assert path.stat().st_size >= MB * 0.9 or name.endswith(".html")

    def cpu_limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (20, 20))

    done = subprocess.run(
        [sys.executable, "-m", "dutycli", "import", str(path), "--departments", str(DATA)],
        capture_output=True,
        timeout=600,
        check=False,
        preexec_fn=cpu_limit,
    )
    if name == "department-heads.txt":
        # One long step that names a department: read whole (no backtracking), then
        # refused by its length, at its row (a list's text holds at most 20,000 characters).
        err = done.stderr.decode()
        assert done.returncode == 2 and done.stdout == b""
        assert f"{path}:3: 第 1 项：这段文字有 305,830 个字" in err  # the cell as normalised
        assert "超过了一段文字最多 20,000 个字" in err
    else:
        assert done.returncode == 2 and done.stdout == b""
    assert b"Traceback" not in done.stderr


def test_the_guarantees_column_and_inline_guarantees_conflict(duty: Duty, tmp_path: Path) -> None:
    header = "序号\t事项名称\t对应上级部门\t上级部门职责\t履职保障\t街道配合职责"
    row = "1\t低保\t青山区民政局\t青山区民政局职责：审核。 履职保障：培训。\t资金。\t受理。"
    code, _, err = run_tsv(duty, tmp_path, tsv("一、民生服务\t\t\t\t\t", row, header=header))
    assert code == 2 and "履职保障既写在“上级部门职责”里，又有单独的一列" in err


def test_import_result_loads_as_the_same_list() -> None:
    got = import_file(PUBLISHED / "qingshanlu-guarantees-column.docx", TABLE)
    assert got.info.kind == COOP and got.schema == 1
    assert replace(got, path="") == REAL


def test_a_docx_that_is_a_zip_of_something_else_names_what_it_is(tmp_path: Path) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    path = tmp_path / "a.docx"
    path.write_bytes(data.getvalue())
    from dutycli.errors import DataError

    with pytest.raises(DataError) as e:
        import_file(path, TABLE)
    assert "不是 Word（.docx）或 Excel（.xlsx）文件" in str(e.value)


def test_the_committed_fixtures_are_what_the_generator_makes() -> None:
    good = mp.good_files()
    files = {**good, **mp.bad_files(good)}
    files.update({f"variants/{name}": data for name, data in mv.files().items()})
    assert {f"{p.relative_to(PUBLISHED)}" for p in PUBLISHED.rglob("*") if p.is_file()} == set(
        files
    )
    for name, data in files.items():
        if name == "bad/protected.xlsx":
            continue  # encrypted with a fresh random salt each time
        assert (PUBLISHED / name).read_bytes() == data, (
            f"{name}: run tests/fixtures/make_published.py (variants/: make_variants.py)"
        )
    import msoffcrypto

    protected = msoffcrypto.OfficeFile(io.BytesIO((BAD / "protected.xlsx").read_bytes()))
    protected.load_key(password="测试密码")
    plain = io.BytesIO()
    protected.decrypt(plain)
    assert plain.getvalue() == good["taken-back.xlsx"]


def test_a_gbk_page_is_read_by_its_declared_charset(tmp_path: Path) -> None:
    # Government sites still serve GB2312/GBK pages.
    page = (PUBLISHED / "qingshanlu.html").read_text(encoding="utf-8")
    path = tmp_path / "page.htm"
    path.write_bytes(page.replace('charset="utf-8"', 'charset="gb2312"').encode("gb18030"))
    assert import_file(path, TABLE) == REAL


def test_a_table_nested_in_a_cell_is_read_as_more_lines_of_that_cell(tmp_path: Path) -> None:
    import docx

    short = replace(REAL, items=REAL.items[1:2], categories=REAL.categories[:1])
    data = mp.render_docx(mp.Layout(short, mp.coop_columns()))
    document = docx.Document(io.BytesIO(data))
    street = document.tables[0].rows[2].cells[4]  # header, category, item 2
    nested = street.add_table(rows=2, cols=1)
    nested.cell(0, 0).text = "3.补充的第一步。"
    nested.cell(1, 0).text = "4.补充的第二步。"
    path = tmp_path / "nested.docx"
    document.save(str(path))
    got = import_file(path, TABLE).items[0]
    want = REAL.by_id[2]
    assert got.upper_duties == want.upper_duties and got.name == want.name
    steps = (*want.street_duties[-1].steps, "补充的第一步。", "补充的第二步。")
    assert got.street_duties[-1].steps == steps


def test_a_title_without_a_street_is_placed_at_its_paragraph(duty: Duty, tmp_path: Path) -> None:
    nameless = replace(mp.BASIC_LIST, info=replace(mp.BASIC_LIST.info, title="基本履职事项清单"))
    path = tmp_path / "nameless.docx"
    path.write_bytes(mp.render_docx(mp.Layout(nameless, mp.BASIC_COLUMNS)))
    result = duty("import", str(path), "--departments", str(TEST_DEPTS))
    assert result.exit_code == 2
    assert (
        "nameless.docx（第 2 段）: 标题“基本履职事项清单”应为“某街道基本履职事项清单”的形式"
        in result.stderr
    )
    named = duty("import", str(path), "--departments", str(TEST_DEPTS), "--street", "测试街道")
    assert named.exit_code == 0, named.stderr
    assert "  subdistrict: 测试街道\n" in named.stdout
