"""List text that is script or markup stays text in ``duty html`` (issue 22's acceptance).

Every text of a list that reaches the page — title, subdistrict, note,
categories, department aliases, item names, headings, steps, guarantees,
basis, method, extra columns — is set to ``<script>``, ``</script>``,
``javascript:`` URLs, ``onerror=``/``onload=`` handlers and the page template's
own placeholders. The page is then read two ways: by an HTML parser (the
elements and attributes are exactly those of the clean page, and the data
block gives back every text, character for character), and in Chromium with
the content policy turned off (nothing runs, no handler or ``javascript:``
link exists in the live document, the texts are shown as text).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from dutycli.lists.model import Department, DutyList, replace
from dutycli.lists.serialize import dump_yaml
from dutycli.page import build_page

from .conftest import Duty
from .test_page import LIST, Opener, browser, open_page, wait_until  # noqa: F401

HOSTILE = (
    '</script><script>window.__pwned="script"</script>',
    "<img src=x onerror=\"window.__pwned='img'\">",
    "<svg onload=\"window.__pwned='svg'\"></svg>",
    "<a href=\"javascript:window.__pwned='a'\">点我</a>",
    "javascript:window.__pwned='url'",
    "<!--<script>",
    "</script ",
    "{{SCRIPT}}{{DATA}}",
    "\u2028\u2029",
)
EVIL = "".join(HOSTILE)
# What a list file can hold past ``validate`` (which refuses a whole HTML tag).
LOADABLE = (
    "javascript:window.__pwned='url' onerror=window.__pwned='attr' "
    "</script <script src=data:,window.__pwned='src' <!-- {{SCRIPT}}"
)


def hostile_list(evil: str) -> DutyList:
    """The shipped list's first ten items with ``evil`` added to every text the page shows."""
    cat = {c: c + evil for c in LIST.categories}
    items = []
    for item in LIST.items[:10]:
        blocks = tuple(
            replace(b, heading=(b.heading or "") + evil, steps=tuple(s + evil for s in b.steps))
            for b in item.upper_duties
        )
        sections = tuple(
            replace(s, steps=tuple(t + evil for t in s.steps)) for s in item.street_duties
        )
        items.append(
            replace(
                item,
                name=item.name + evil,
                category=cat[item.category],
                upper_duties=blocks,
                guarantees=tuple(g + evil for g in item.guarantees),
                street_duties=sections,
                basis="依据" + evil,
                method="方式" + evil,
                extras=(("备注", "附加" + evil),),
            )
        )
    departments = tuple(
        Department(d.name, (*d.aliases, d.name[:2] + evil)) for d in LIST.departments
    )
    info = replace(
        LIST.info, title=LIST.info.title + evil, subdistrict=LIST.info.subdistrict + evil
    )
    info = replace(info, note=(LIST.info.note or "") + evil)
    return replace(
        LIST,
        info=info,
        categories=tuple(cat.values()),
        departments=departments,
        items=tuple(items),
    )


class Elements(HTMLParser):
    """Every element with its attributes, the text of <title>, and each script's content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.scripts: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))
        self._in = tag
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "title":
            self.title += data


def parsed(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


def texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def data_block(page: str, name: str = "data") -> str:
    """A JSON element's content, as an HTML tokenizer sees it end (at the first ``</script``)."""
    opening = f'<script type="application/json" id="{name}">'
    start = page.index(opening) + len(opening)
    return page[start : page.index("</script", start)]


def test_the_page_holds_no_element_or_attribute_from_the_list() -> None:
    page = build_page([hostile_list(EVIL)])
    # Browsers end a script at "</script" before a space, "/" or ">", and start a
    # comment at "<!--": the data holds no "<" or ">" at all, so none of them.
    block = data_block(page)
    assert "<" not in block and ">" not in block
    # The search's tables (each item's searchable lines) are list text too.
    tables = data_block(page, "search-data")
    assert "\\u003c" in tables  # the list's "<" reached the tables, escaped
    assert "<" not in tables and ">" not in tables
    assert page.count("<script") == 3 and page.count("</script") == 3
    clean, evil = parsed(build_page([LIST])), parsed(page)
    assert json.loads(block) == json.loads(evil.scripts[0])
    # Element for element, attribute for attribute, the page of the clean list
    # (the only difference allowed: the policy's hash of the same script).
    strip = [(t, tuple(a for a in attrs if a[0] != "content")) for t, attrs in clean.tags]
    assert [(t, tuple(a for a in attrs if a[0] != "content")) for t, attrs in evil.tags] == strip
    assert len(evil.scripts) == 3
    for _, attrs in evil.tags:
        for name, value in attrs:
            assert not name.startswith("on") and "javascript:" not in (value or ""), (name, value)
    # The title is the list's title as text; the data block gives back every text whole.
    assert evil.title == LIST.info.title + EVIL
    data = json.loads(evil.scripts[0])
    shown = texts(data)
    assert sum(EVIL in t for t in shown) >= 10 * 5
    assert data["lists"][0]["title"] == LIST.info.title + EVIL
    assert data["items"][0]["name"] == LIST.items[0].name + EVIL
    assert evil.scripts[1] == clean.scripts[1]  # the page's own script, unchanged
    assert any(EVIL in t for t in texts(json.loads(evil.scripts[2])))  # tables whole


def test_a_list_file_past_validate_gives_an_inert_page(duty: Duty, tmp_path: Path) -> None:
    """The route a user takes: a list file whose texts pass ``validate``, then ``duty html``."""
    dl = hostile_list(" " + LOADABLE)
    dl = replace(dl, departments=LIST.departments)  # aliases must be unique: keep the list's
    source = tmp_path / "evil.yaml"
    source.write_text(dump_yaml(dl), encoding="utf-8")
    assert duty("validate", str(source)).exit_code == 0
    target = tmp_path / "evil.html"
    result = duty("--data", str(source), "html", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    for name in ("data", "search-data"):
        assert "<" not in data_block(page, name) and ">" not in data_block(page, name)
    assert page.count("<script") == 3 and page.count("</script") == 3
    evil, clean = parsed(page), parsed(build_page([LIST]))
    assert [t for t, _ in evil.tags] == [t for t, _ in clean.tags]
    data = json.loads(evil.scripts[0])
    assert data["items"][0]["name"] == LIST.items[0].name + " " + LOADABLE


def test_nothing_from_the_list_runs_in_chromium(open_page: Opener, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "evil.html"
    target.write_text(build_page([hostile_list(EVIL)]), encoding="utf-8")
    page = open_page(target, bypass_csp=True)  # the escaping alone must keep the data inert
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.fill("#q", "script")
    page.fill("#q", "")
    first = LIST.items[0]
    page.evaluate(f"location.hash = '#{first.id}'")
    page.wait_for_selector("#detail:not([hidden])")
    page.emulate_media(media="print")
    wait_until(page, "document.querySelectorAll('#print tbody tr').length > 0")
    assert page.evaluate("window.__pwned") is None and dialogs == []
    handlers = page.evaluate(
        "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))"
        ".map(a => e.tagName + ' ' + a.name + '=' + a.value))"
    )
    assert handlers == []
    assert page.evaluate("document.querySelectorAll('body img, body svg, body iframe').length") == 0
    # The data, the page's script and the search's tables: nothing added.
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert first.name + EVIL in page.inner_text("#detail h2")
    assert page.errors == []
