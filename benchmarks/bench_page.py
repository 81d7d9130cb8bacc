"""The page of ``duty html`` in headless Chromium: size, time to open, time to answer.

    python benchmarks/bench_page.py            # 15 fresh loads
    python benchmarks/bench_page.py --runs 31

Needs Debian's chromium (/usr/bin/chromium) and the playwright package (a test
dependency); never downloads a browser. Each run opens the page in a fresh
browser context and measures, inside the page, the time from navigation start
to the script's ``duty-ready`` mark (parse, data, first list drawn), and the
time to answer a search for 低保 (the input event through results drawn).
Target (issue 12): opened and answered within 200 ms, a page of at most 1 MB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEASURE = """() => {
  const ready = performance.getEntriesByName("duty-ready")[0].startTime;
  const q = document.querySelector("#q");
  const t = performance.now();
  q.value = "低保";
  q.dispatchEvent(new Event("input"));
  const search = performance.now() - t;
  const first = document.querySelector("#results li.item").dataset.id;
  return [ready, search, first];
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from playwright.sync_api import sync_playwright

    from dutycli.lists.load import load
    from dutycli.page import HEADLESS_CHROMIUM_ARGS as ARGS
    from dutycli.page import build_page

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "page.html"
        path.write_text(build_page([load(REPO / "data" / "items.yaml")]), encoding="utf-8")
        size = path.stat().st_size
        ready, search = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(path.as_uri())
                page.wait_for_selector("html[data-ready='1']")
                r, s, first = page.evaluate(MEASURE)
                assert first == "6", first
                ready.append(r)
                search.append(s)
                context.close()
            version = browser.version
            browser.close()
    total = statistics.median(ready) + statistics.median(search)
    print(
        f"Chromium {version}, {args.runs} fresh loads; page {size / 1024:.0f} KiB (target ≤ 1024)"
    )
    for name, times in (("open (navigation start to ready)", ready), ("search 低保", search)):
        print(f"{name:<34} median {statistics.median(times):6.1f} ms, max {max(times):6.1f} ms")
    ok = total <= 200 and size <= 1 << 20
    print(f"open + answer: {total:.1f} ms (target ≤ 200 ms) {'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
