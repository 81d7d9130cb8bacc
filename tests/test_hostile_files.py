"""Hostile published files: ``duty import`` answers each with a located message, within bounds.

Each case builds its file at test time (from the published fixtures, or from
scratch) and runs ``duty import`` as a real process under kernel limits on CPU
time and address space (tests/bounded.py); the answer must say why it stopped.
These are the causes of issue 22's second hostile round that lie in the
readers: zip bombs, merge ranges expanded before any bound, tables parsed whole
before the bounds applied, an HTML parser that gave up without a word, and
internal errors on damaged values.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from .bounded import assert_sound, run_bounded
from .conftest import DATA

PUBLISHED = Path(__file__).resolve().parent / "data" / "published"
HEADER = ("序号", "事项名称", "对应上级部门", "上级部门职责", "街道配合职责")
ITEM = ("低保业务", "青山区民政局", "青山区民政局职责：审核材料。", "受理申请。")


def rewrite(source: Path, target: Path, parts: dict[str, Callable[[bytes], bytes]]) -> Path:
    """A copy of the zip ``source`` with some parts changed (or added, from b"")."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        names = z.namelist()
        for name in names:
            data = z.read(name)
            out.writestr(name, parts[name](data) if name in parts else data)
        for name in parts.keys() - set(names):
            out.writestr(name, parts[name](b""))
    return target


def big_part(target: Path, source: Path, name: str, megabytes: int) -> Path:
    """``source`` with a part of ``megabytes`` MB of zeros: a zip bomb (it compresses 1000:1)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            if info.filename != name:
                out.writestr(info.filename, z.read(info.filename))
        with out.open(name, "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return target


def _inline(r: int, c: int, text: str) -> str:
    column = "ABCDEFGH"[c]
    return f'<c r="{column}{r}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: int, merges: tuple[str, ...] = (), compact: bool = False) -> bytes:
    """A list's sheet: a title, the header, then ``rows`` items (``compact``: name only)."""
    out = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    out.append('<sheetData><row r="1">' + _inline(1, 0, "测试街道配合履职事项清单") + "</row>")
    out.append('<row r="2">' + "".join(_inline(2, c, h) for c, h in enumerate(HEADER)) + "</row>")
    out.append('<row r="3">' + _inline(3, 0, "一、民生服务") + "</row>")
    for n in range(1, rows + 1):
        r = n + 3
        texts = ITEM[:1] if compact else ITEM
        cells = f'<c r="A{r}"><v>{n}</v></c>' + "".join(
            _inline(r, c + 1, t) for c, t in enumerate(texts)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    out.append("</sheetData>")
    if merges:
        out.append(
            f'<mergeCells count="{len(merges)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
            + "</mergeCells>"
        )
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def xlsx_with_sheet(target: Path, sheet: bytes) -> Path:
    """The published workbook with its list sheet replaced."""
    return rewrite(
        PUBLISHED / "qingshanlu.xlsx",
        target,
        {"xl/worksheets/sheet2.xml": lambda _: sheet, "xl/worksheets/sheet1.xml": lambda _: sheet},
    )


def xls_rows(target: Path, rows: int) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("清单")
    sheet.write(0, 0, "测试街道配合履职事项清单")
    for c, h in enumerate(HEADER):
        sheet.write(1, c, h)
    for n in range(1, rows - 1):
        sheet.write(n + 1, 0, n)
        for c, t in enumerate(ITEM, start=1):
            sheet.write(n + 1, c, t)
    book.save(str(target))
    return target


def text_table(target: Path, megabytes: int) -> Path:
    with open(target, "w", encoding="utf-8") as out:
        out.write("# 测试街道配合履职事项清单\n\n" + "\t".join(HEADER) + "\n")
        n, size = 0, 0
        while size < megabytes * 1024 * 1024:
            n += 1
            size += out.write(f"{n}\t" + "\t".join(ITEM) + "\n") * 3
    return target


HEAD = (
    "<html><body><p>测试街道配合履职事项清单</p><table><tr>"
    + "".join(f"<th>{h}</th>" for h in HEADER)
    + '</tr><tr><td colspan="5">一、民生服务</td></tr>'
)
ROW = "<tr><td>1</td>" + "".join(f"<td>{t}</td>" for t in ITEM) + "</tr>"
TAIL = "</table></body></html>"


def docx_changed(target: Path, change: Callable[[str], str]) -> Path:
    return rewrite(
        PUBLISHED / "qingshanlu.docx",
        target,
        {"word/document.xml": lambda data: change(data.decode("utf-8")).encode("utf-8")},
    )


def _first_id_cell(xml: str, digits: str) -> str:
    # The first item's 序号 cell: <w:t>1</w:t> after the header row.
    return re.sub(r"<w:t>1</w:t>", f"<w:t>{digits}</w:t>", xml, count=1)


class Case(NamedTuple):
    make: Callable[[Path], Path]  # writes the file to import into the given directory
    err: str  # the reason the answer gives
    code: int = 2
    slow: bool = False


CASES: dict[str, Case] = {
    # -- zip bombs: refused by the declared sizes, before any part is read -----
    "docx-200mb-part": Case(
        lambda d: big_part(d / "bomb.docx", PUBLISHED / "qingshanlu.docx", "word/media/x.png", 200),
        "文件解压后过大",
    ),
    "docx-document-xml-100mb": Case(
        lambda d: big_part(
            d / "bomb.docx", PUBLISHED / "qingshanlu.docx", "word/document.xml", 100
        ),
        "文件解压后过大",
    ),
    "xlsx-sheet-xml-100mb": Case(
        lambda d: big_part(
            d / "bomb.xlsx", PUBLISHED / "qingshanlu.xlsx", "xl/worksheets/sheet2.xml", 100
        ),
        "文件解压后过大",
    ),
    # -- merge ranges: clipped before anything expands them --------------------
    "xlsx-merge-whole-sheet": Case(
        lambda d: xlsx_with_sheet(d / "merge.xlsx", sheet_xml(3, ("A1:XFD1048576",))),
        "合并单元格 A1:E6 盖住了这个有内容的单元格",
    ),
    "xlsx-merge-over-id-column": Case(
        lambda d: xlsx_with_sheet(d / "merge.xlsx", sheet_xml(77, ("A1:A80",))),
        "合并单元格 A1:A80 盖住了这个有内容的单元格",
    ),
    "xlsx-merge-title-past-the-table": Case(
        # A title merged over the whole width of the sheet: clipped, and the list reads.
        lambda d: xlsx_with_sheet(d / "merge.xlsx", sheet_xml(3, ("A1:XFD1",))),
        "",
        code=0,
    ),
    # -- large tables: bounds apply while reading -------------------------------
    "xlsx-100000-rows": Case(
        lambda d: xlsx_with_sheet(d / "rows.xlsx", sheet_xml(100_000, compact=True)),
        "工作表超过 10,000 行",
        slow=True,
    ),
    "xlsx-1000000-rows": Case(
        # 60 MB of sheet XML: refused by its size before a row is read.
        lambda d: xlsx_with_sheet(d / "rows.xlsx", sheet_xml(1_000_000, compact=True)),
        "文件解压后过大",
        slow=True,
    ),
    "xls-65536-rows": Case(lambda d: xls_rows(d / "rows.xls", 65_536), "超过 10,000 行", slow=True),
    "text-60mb": Case(lambda d: text_table(d / "big.txt", 60), "超过 10,000 行", slow=True),
    "html-one-row-of-200000-cells": Case(
        lambda d: _write(d / "wide.html", HEAD + "<tr>" + "<td>x</td>" * 200_000 + "</tr>" + TAIL),
        "超过 64 列",
    ),
    # -- the HTML parser's limits are said, not blamed on the file's content ----
    "html-10000-nested-tables": Case(
        lambda d: _write(d / "nested.html", "<table><tr><td>" * 10_000 + HEAD + ROW + TAIL),
        "网页解析器在这里停止了：元素嵌套超过 256 层",
    ),
    "html-50mb-attribute": Case(
        lambda d: _write(
            d / "attr.html", HEAD + f'<tr><td title="{"a" * 50_000_000}">1</td></tr>' + ROW + TAIL
        ),
        "网页解析器在这里停止了：一段文字或一个属性超过 10 MB",
    ),
    "html-50mb-cell-text": Case(
        lambda d: _write(d / "text.html", HEAD + f"<tr><td>{'字' * 17_000_000}</td></tr>" + TAIL),
        "网页解析器在这里停止了：一段文字或一个属性超过 10 MB",
    ),
    "html-after-64kb-of-comment": Case(
        # A page, not tab-separated text (which gave 972 error lines): it imports.
        lambda d: _write(d / "late.html", "<!--" + "x" * 70_000 + "-->\n" + HEAD + ROW + TAIL),
        "",
        code=0,
    ),
    # -- damaged values: located messages, not internal errors -----------------
    "docx-gridspan-abc": Case(
        lambda d: docx_changed(
            d / "span.docx",
            lambda x: x.replace('w:gridSpan w:val="5"', 'w:gridSpan w:val="abc"', 1),
        ),
        "gridSpan 值“abc”不是 0 到 64 的整数",
    ),
    "docx-id-of-5000-digits": Case(
        lambda d: docx_changed(d / "id.docx", lambda x: _first_id_cell(x, "9" * 5000)),
        "有 5000 位：不是清单的序号",
    ),
    "text-id-of-5000-digits": Case(
        lambda d: _write(
            d / "id.txt",
            "# 测试街道配合履职事项清单\n\n"
            + "\t".join(HEADER)
            + "\n"
            + "9" * 5000
            + "\t"
            + "\t".join(ITEM)
            + "\n",
        ),
        "id.txt:4: 序号“9999999999…”有 5000 位",
    ),
    # -- a cell longer than any list's text: refused at its place, with the numbers --
    "text-a-step-of-30000-characters": Case(
        lambda d: _write(
            d / "long.txt",
            "# 测试街道配合履职事项清单\n\n"
            + "\t".join(HEADER)
            + "\n1\t"
            + "\t".join(ITEM[:3])
            + "\t"
            + "受理申请并入户调查。" * 3000
            + "\n",
        ),
        "long.txt:4: 第 1 项：这段文字有 30,000 个字，超过了一段文字最多 20,000 个字的上限",
    ),
    # -- problems are capped: the first 50 and a count -------------------------
    "text-3000-bad-rows": Case(
        lambda d: _write(
            d / "bad.txt",
            "# 测试街道配合履职事项清单\n\n"
            + "\t".join(HEADER)
            + "\n"
            + "".join(
                f"{n}\t低保{n}\t财政局\t财政局职责：拨款。\t配合。\n" for n in range(1, 3001)
            ),
        ),
        "……另有",
    ),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=[pytest.mark.slow] if c.slow else []) for n, c in CASES.items()],
)
def test_hostile_file(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = case.make(tmp_path)
    run = run_bounded(["import", str(path), "--departments", str(DATA)], cache=tmp_path / "cache")
    assert_sound(run, {case.code})
    assert case.err in run.stderr, run.stderr[:2000]
    if case.code == 2:
        # At most the first 50 problems and a count: never a screenful per row.
        assert len(run.stderr.splitlines()) <= 51, run.stderr[:2000]


def test_the_published_workbook_still_reads_after_clipping() -> None:
    """The bounds and the clipping change nothing in a real list's workbook."""
    from dutycli.lists.importers import read_grids
    from dutycli.lists.importers.detect import XLSX

    raw = (PUBLISHED / "qingshanlu.xlsx").read_bytes()
    grids = read_grids(raw, XLSX, "qingshanlu.xlsx")
    sheet = next(g for g in grids if any(c.text == "序号" for r in g.rows for c in r.cells))
    # The department merged down C9:C14 is one cell, the category row A7:E7 spans the width.
    rows = {r.place.row: r for r in sheet.rows}
    assert rows[10].cells[2].origin == (8, 2) and rows[9].cells[2].origin == (8, 2)
    assert {c.origin for c in rows[7].cells} == {(6, 0)}


# -- a .doc that keeps LibreOffice busy: stopped, with why -----------------------
# LibreOffice itself is replaced by a small program on PATH that behaves as a
# hostile file makes it behave (the real conversion is tested in test_published,
# marked office); the bounds under test are duty's.


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    soffice = bin_dir / "soffice"
    soffice.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    soffice.chmod(0o755)
    return bin_dir


def test_a_conversion_past_its_time_is_stopped_with_its_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutycli.errors import DataError
    from dutycli.lists.importers import doc

    pid_file = tmp_path / "grandchild.pid"
    # Like soffice: a launcher that starts the real worker and waits for it.
    bin_dir = _fake_soffice(tmp_path, f"sleep 600 &\necho $! > {pid_file}\nwait\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(doc, "BASE_SECONDS", 1)
    monkeypatch.setattr(doc, "SECONDS_PER_MB", 0)
    source = tmp_path / "hostile.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 4096)
    with pytest.raises(DataError) as caught:
        doc.convert_doc(source)
    message = str(caught.value.problems[0])
    assert "用 LibreOffice 转换用了 1 秒还没完成，已停止" in message, message
    assert "另存为" in message
    grandchild = int(pid_file.read_text())
    for _ in range(50):  # the kill is sent; the kernel reaps it at once (init adopts it)
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        with contextlib.suppress(FileNotFoundError):
            if Path(f"/proc/{grandchild}/stat").read_text().split()[2] == "Z":
                break
        time.sleep(0.1)
    else:
        raise AssertionError("the worker LibreOffice started is still running")


def test_a_conversion_gets_cpu_seconds_scaled_to_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutycli.lists.importers import doc

    limit_file = tmp_path / "limit"
    # Records the CPU limit it runs under, then converts (a real .docx as the result).
    docx = PUBLISHED / "qingshanlu.docx"
    bin_dir = _fake_soffice(
        tmp_path,
        f'ulimit -t > {limit_file}\nfor last; do :; done\ncp {docx} "${{last%.*}}.docx"\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    source = tmp_path / "list.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * (3 * 1024 * 1024))  # 3 MB and a bit
    assert doc.convert_doc(source) == docx.read_bytes()
    assert int(limit_file.read_text()) == doc.seconds_for(source.stat().st_size) == 30 + 4 * 10
    assert doc.seconds_for(500 * 1024 * 1024) == doc.MAX_SECONDS < 180
