"""Make the README's screenshots of the web page and of the Excel workbook.

    python scripts/screenshots.py            # writes docs/page.png, docs/page-phone.png,
                                             # docs/workbook.png

The page: ``duty html`` of the real list, opened in headless Chromium (Debian's
``chromium``, driven by Playwright as in the tests) at 1280 and 390 pixels wide.
The workbook: ``duty export -o xlsx`` printed to PDF by LibreOffice (what many
offices open it with besides Excel and WPS; its print setup is the workbook's
own: A4 landscape, fitted to the width, header row repeated) and the first page
turned into a PNG by pdftoppm.

Needs: apt-get install chromium fonts-wqy-microhei libreoffice-calc-nogui poppler-utils
(a Chinese font, or every character shows as a box). Nothing is downloaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dutycli.page import HEADLESS_CHROMIUM_ARGS

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
CHROMIUM_ARGS = HEADLESS_CHROMIUM_ARGS


def duty(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "dutycli", *args], check=True, cwd=REPO)


def page_shots(work: Path) -> None:
    from playwright.sync_api import sync_playwright

    html = work / "清单.html"
    duty("html", "--output", str(html))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        wide = browser.new_page(viewport={"width": 1280, "height": 820})
        wide.goto(html.as_uri())
        wide.wait_for_selector("html[data-ready='1']")
        wide.fill("#q", "低保")
        wide.evaluate("location.hash = '#6'")
        wide.wait_for_selector("#detail:not([hidden])")
        wide.evaluate("window.scrollTo(0, 0)")
        wide.screenshot(path=str(DOCS / "page.png"))
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        phone.goto(html.as_uri())
        phone.wait_for_selector("html[data-ready='1']")
        phone.select_option("#f-dept", "青山区民政局")
        phone.evaluate("location.hash = '#17'")
        phone.wait_for_selector("#detail:not([hidden])")
        phone.screenshot(path=str(DOCS / "page-phone.png"))
        browser.close()


def workbook_shot(work: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        raise SystemExit(
            "需要 LibreOffice 和 pdftoppm：apt-get install libreoffice-calc-nogui poppler-utils"
        )
    book = work / "清单.xlsx"
    duty("export", "-o", "xlsx", "--output", str(book))
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(book)],
        check=True,
        capture_output=True,
        env={"HOME": str(work), "PATH": "/usr/bin:/bin"},
    )
    pdf = book.with_suffix(".pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(DOCS / "workbook")],
        check=True,
    )  # fmt: skip


def main() -> int:
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="duty-shots-") as tmp:
        work = Path(tmp)
        page_shots(work)
        workbook_shot(work)
    for name in ("page.png", "page-phone.png", "workbook.png"):
        print(DOCS / name, (DOCS / name).stat().st_size // 1024, "KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
