"""Every workbook as a user sees it: printed to PDF by LibreOffice Calc, read back with poppler.

All workbooks are converted in one soffice run (a few seconds), then each PDF is
checked: every step of every column of every item (or every cell of a results
table) is in the printed text; every row lies whole on one page; every page
carries the column headings (the sheet fits the page width) and its complete
page-number footer; no page is empty. CI installs LibreOffice Calc, poppler and
the Noto CJK fonts of Linux desktops (.ci/run); elsewhere the tests skip, saying
why, only when CI is unset and Calc or poppler is missing (conftest.needs).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from dutycli.cli.app import app
from dutycli.lists.load import load
from dutycli.lists.model import DutyList, Item, replace

from .conftest import TERMINAL, needs
from .test_xlsx import LIBRARY, LIST, continuation_rows, long_list, write_list

pytestmark = [pytest.mark.office, pytest.mark.slow]

SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return SPACE.sub("", text)


def item_texts(item: Item, department: str | None = None) -> list[str]:
    """Every text of an item a printout must show: name, departments, each step's lines."""
    out = [item.name, *item.departments]
    for block in item.upper_duties:
        if department and department not in block.departments:
            continue
        out += [block.heading] if block.heading else []
        out += [part for step in block.steps for part in step.split("\n")]
    out += [part for g in item.guarantees for part in g.split("\n")]
    for section in item.street_duties:
        out += [section.heading] if section.heading else []
        out += [part for step in section.steps for part in step.split("\n")]
    if item.method:
        out.append(item.method)
    return out


@dataclass
class Printed:
    book: Path
    pdf: Path
    expected: list[str]  # texts the printout must contain

    @cached_property
    def pages(self) -> list[str]:
        text = _run("pdftotext", "-raw", str(self.pdf), "-").stdout.decode("utf-8")
        pages = text.split("\f")
        return pages[:-1] if pages and not pages[-1].strip() else pages


def _run(*argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, capture_output=True, check=True, timeout=300)


def _soffice() -> str:
    """LibreOffice's soffice with Calc (libsclo), and poppler: skip outside CI when missing."""
    soffice = shutil.which("soffice")
    calc = soffice and any(
        p.name.split(".")[0] in ("libsclo", "sclo")
        for p in Path(os.path.realpath(soffice)).parent.glob("*sclo.*")
    )
    tools = calc and shutil.which("pdftotext") and shutil.which("pdftoppm")
    needs(
        tools,
        "LibreOffice Calc or poppler",
        "apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk",
    )
    assert soffice is not None
    return soffice


def _csv_cells(out: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    # The heading row is printed on every page; the cells below it once.
    return [cell for row in rows[1:] for cell in row if cell.strip()]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, shared_cache: str) -> dict[str, Printed]:
    soffice = _soffice()
    folder = tmp_path_factory.mktemp("print")
    runner = CliRunner()
    env: dict[str, str | None] = {**TERMINAL, "XDG_CACHE_HOME": shared_cache, "DUTY_DATA": None}

    def duty(*args: str) -> Any:
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code in (0, 1), (args, result.output)
        return result

    long = long_list()
    long_path = write_list(folder, long)
    (folder / "old").mkdir()
    old_path = write_list(folder / "old", LIST)
    changed = replace(LIST.items[7], name=LIST.items[7].name + "（修订）")
    new_list = DutyList(
        LIST.info, LIST.categories, LIST.departments, (*LIST.items[:7], changed, *LIST.items[9:])
    )
    (folder / "new").mkdir()
    new_path = write_list(folder / "new", new_list)
    library = [item for p in sorted(LIBRARY.rglob("*.yaml")) for item in load(p).items]
    dept = "青山区民政局"
    searched = json.loads(duty("search", "低保", "--limit", "0", "-o", "json").stdout)
    by_id = {i.id: i for i in LIST.items}

    items: dict[str, tuple[list[str], list[str]]] = {
        "list": (["list"], [t for i in LIST.items for t in item_texts(i)]),
        "long": (
            ["--data", str(long_path), "list"],
            [t for i in long.items for t in item_texts(i)],
        ),
        "library": (["--data", str(LIBRARY), "list"], [t for i in library for t in item_texts(i)]),
        "by-dept": (
            ["by-dept", "民政局"],
            [t for i in LIST.items if dept in i.departments for t in item_texts(i, dept)],
        ),
        "search": (
            ["search", "低保", "--limit", "0"],
            [t for r in searched for t in item_texts(by_id[r["id"]])],
        ),
        "show": (["show", "36", "17"], [t for n in (36, 17) for t in item_texts(by_id[n])]),
        "by-category": (
            ["by-category", "平安法治"],
            [t for i in LIST.items if i.category == "平安法治" for t in item_texts(i)],
        ),
    }
    records = {
        "check": ["check", "督促物业公司做好考评打分工作", "残疾人补贴发放", "组织开展消防演练"],
        "cite": ["cite", "17", "36"],
        "guarantees": ["guarantees"],
        "diff": ["diff", str(old_path), str(new_path)],
        "depts": ["depts"],
        "categories": ["categories"],
        "lists": ["--data", str(LIBRARY), "lists"],
        "by-dept-count": ["--data", str(LIBRARY), "by-dept", "民政局", "--count"],
    }
    out: dict[str, Printed] = {}
    for name, (args, expected) in items.items():
        book = folder / f"{name}.xlsx"
        book.write_bytes(duty(*args, "-o", "xlsx").stdout_bytes)
        out[name] = Printed(book, folder / f"{name}.pdf", expected)
    for name, args in records.items():
        book = folder / f"{name}.xlsx"
        book.write_bytes(duty(*args, "-o", "xlsx").stdout_bytes)
        # What the workbook must show: every cell of the same table written as CSV.
        out[name] = Printed(
            book, folder / f"{name}.pdf", _csv_cells(duty(*args, "-o", "csv").stdout)
        )
    profile = folder / "profile"
    _run(
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        *(str(p.book) for p in out.values()),
    )
    return out


NAMES = [
    "list", "long", "library", "by-dept", "search", "show", "by-category",
    "check", "cite", "guarantees", "diff", "depts", "categories", "lists", "by-dept-count",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_the_printout_holds_every_character(printed: dict[str, Printed], name: str) -> None:
    p = printed[name]
    assert p.expected
    text = flow(p)
    missing = [t for t in p.expected if not printed_in(t, text)]
    assert not missing, f"{len(missing)} texts not printed, first: {missing[:3]}"


def printed_in(expected: str, text: str) -> bool:
    """``expected`` is in ``text``; a text longer than a row holds goes on in the row below,
    after the other columns of its row, so it is found sentence by sentence."""
    if squeeze(expected) in text:
        return True
    sentences = re.split(r"(?<=[。；！？])", expected)
    return len(expected) > 400 and all(squeeze(s) in text for s in sentences)


def flow(p: Printed) -> str:
    """The printed text without spaces, page after page, without what each page repeats.

    A page starts with its footer and the rows repeated on every page (title,
    column headings); without them, a text that goes on over a page break reads
    on as one.
    """
    furniture: set[str] = set()
    for ws in openpyxl.load_workbook(p.book).worksheets:
        rows = ws.print_title_rows.split(":")[-1].lstrip("$") if ws.print_title_rows else "0"
        for row in ws.iter_rows(min_row=1, max_row=int(rows), values_only=True):
            furniture.add(squeeze("".join(str(v) for v in row if v is not None)))
    pages = [squeeze(page) for page in p.pages]
    out = []
    for number, page in enumerate(pages, start=1):
        repeated = {f"第{number}页，共{len(pages)}页", *furniture} - {""}
        while starts := [r for r in repeated if page.startswith(r)]:
            page = page[len(starts[0]) :]
        out.append(page)
    return "".join(out)


def _sheet_rows(book: Path) -> list[tuple[list[str], list[list[str]], list[float]]]:
    """Per sheet: its column headings, its rows' cell texts, and the rows' heights."""
    out = []
    for ws in openpyxl.load_workbook(book).worksheets:
        rows = [["" if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True)]
        header = next(n for n, r in enumerate(rows) if sum(1 for v in r if v) > 1)
        heights = [ws.row_dimensions[n].height or 15.0 for n in range(1, len(rows) + 1)]
        out.append((rows[header], rows, heights))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_no_printed_page_is_cut(printed: dict[str, Printed], name: str) -> None:
    p = printed[name]
    pages = [squeeze(page) for page in p.pages]
    count = len(pages)
    assert count == int(re.search(r"Pages:\s+(\d+)", _pdfinfo(p.pdf)).group(1))
    sheets = _sheet_rows(p.book)
    physical = sum(1 for _, rows, _ in sheets for r in rows if any(r))
    # No empty or overflow pages: each page prints at least one row of its own.
    assert count <= physical
    # A sheet shorter than a page prints on one page (columns fitted to its width).
    if len(sheets) == 1 and sum(sheets[0][2]) < 400:
        assert count == 1
    for number, page in enumerate(pages, start=1):
        # Every page repeats the column headings of its sheet: nothing spilled to the right.
        assert any(all(squeeze(h) in page for h in headings if h) for headings, _, _ in sheets)
        # Page numbers go through the whole document, the footer whole on every page.
        assert f"第{number}页，共" in page and f"页，共{count}页" in page, number
    # Every row lies whole on one page: all its cells' text on the same page.
    for _, rows, _ in sheets:
        for row in rows:
            texts = [squeeze(v) for v in row if v.strip()]
            if texts:
                assert any(all(t in page for t in texts) for page in pages), row[:2]
    for number in {1, count}:
        _assert_footer_drawn_whole(p.pdf, number)


def test_long_items_go_on_in_rows_that_print(printed: dict[str, Printed]) -> None:
    # The shipped list and the long one have items cut into several rows; those
    # rows are the ones the other tests find whole in the printout.
    for name in ("list", "long"):
        ws = openpyxl.load_workbook(printed[name].book).active
        assert continuation_rows(ws), name


def _pdfinfo(pdf: Path) -> str:
    return _run("pdfinfo", str(pdf)).stdout.decode("utf-8")


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _assert_footer_drawn_whole(pdf: Path, page: int, dpi: int = 144) -> None:
    """The footer's glyphs are inked down to their bottom: a clipped footer shows only the top half.

    pdftotext reports the footer's text (and box) even when LibreOffice clips it;
    the page rendered by pdftoppm shows what is really drawn.
    """
    xml = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-").stdout
    text = xml.decode("utf-8")
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', text).group(1))
    words = [tuple(map(float, w[:4])) for w in WORD.findall(text) if float(w[1]) > height * 0.85]
    assert words, f"page {page}: no footer"
    x0, y0 = min(w[0] for w in words), min(w[1] for w in words)
    x1, y1 = max(w[2] for w in words), max(w[3] for w in words)
    k = dpi / 72
    box = [int(x0 * k), int(y0 * k), int((x1 - x0) * k) + 1, int((y1 - y0) * k) + 1]
    pgm = _run(
        "pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray",
        "-x", str(box[0]), "-y", str(box[1]), "-W", str(box[2]), "-H", str(box[3]), str(pdf),
    ).stdout  # fmt: skip
    head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", pgm)
    assert head
    w, h = int(head.group(1)), int(head.group(2))
    pixels = pgm[head.end() :]
    inked = [r for r in range(h) if min(pixels[r * w : (r + 1) * w]) < 128]
    assert inked and inked[-1] >= 0.6 * h, (
        f"page {page}: footer cut (ink rows {inked[:1]}…{inked[-1:]} of {h})"
    )
