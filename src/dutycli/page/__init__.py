"""``duty html``: one self-contained web page holding the selected lists.

The page needs no network and no Python: its script, style and data are inline.
Everything a search needs is computed here, once: the searchable texts of each
item in the order ``duty search`` scans them, the toneless pinyin of item and
department names (pypinyin runs here, never in the browser) and the synonyms.
The browser script repeats ``duty search``'s exact and pinyin stages and its
scoring, so that the page ranks like the command; where those find nothing it
tries the synonyms, as a person would.

Nothing from the data can run as script: the data travels as JSON in a
``<script type="application/json">`` element with every ``<``, ``>`` and ``&``
escaped, the page script writes it only through ``textContent``, and the
page's Content-Security-Policy admits the one inline script by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any, NamedTuple

from dutycli.lists.model import DutyList, Item
from dutycli.lists.views import Line, field_lines, guarantee_lines, step_lines, street_lines

# How the tests, the benchmark and the screenshot script start Debian's Chromium:
# headless, as root, with no background traffic on a machine with no network.
HEADLESS_CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PinyinIndex(NamedTuple):
    """Toneless pinyin, one syllable a character, of one list's item and department names."""

    names: list[list[str]]  # per item, in list order
    departments: dict[str, list[str]]  # per department spelling (names and aliases)


def build_pinyin_index(dl: DutyList) -> PinyinIndex:
    """The index computed here (imports pypinyin): for lists that are not in the store."""
    from dutycli.store.build import Pinyin

    syllables = Pinyin()
    return PinyinIndex(
        [syllables(item.name) for item in dl.items],
        {s: syllables(s) for d in dl.departments for s in (d.name, *d.aliases)},
    )


_PLACEHOLDER = re.compile(r"\{\{(TITLE|CSP|STYLE|SCRIPT|DATA|HEADING)\}\}")


def _asset(name: str) -> str:
    return resources.files("dutycli.page").joinpath(name).read_text(encoding="utf-8")


def _lines(lines: list[Line]) -> list[list[Any]]:
    return [[line.indent, line.text, line.kind] for line in lines]


def _search_lines(item: Item) -> list[list[Any]]:
    """[field, text] in the order of index.build_text_index: name, upper, guarantees, street."""
    out: list[list[Any]] = [[0, item.name]]
    for block in item.upper_duties:
        if block.heading:
            out.append([1, block.heading])
        out += [[1, step] for step in block.steps]
    out += [[2, text] for text in item.guarantees]
    for section in item.street_duties:
        if section.heading:
            out.append([3, section.heading])
        out += [[3, step] for step in section.steps]
    out += [[5, line.text] for line in field_lines(item)]
    return out


def _item(item: Item, list_index: int, syllables: list[str]) -> dict[str, Any]:
    return {
        "l": list_index,
        "id": item.id,
        "name": item.name,
        "category": item.category,
        "departments": list(item.departments),
        "blocks": [
            {"d": list(b.departments), "h": b.heading, "lines": _lines(step_lines(b.steps))}
            for b in item.upper_duties
        ],
        "guarantees": _lines(guarantee_lines(item)),
        "street": _lines(street_lines(item)),
        "more": _lines(field_lines(item)),
        "text": _search_lines(item),
        "py": syllables,
    }


def synonyms(lists: Sequence[DutyList]) -> dict[str, list[str]]:
    """Staff words -> words the lists use (the thesaurus table, data/thesaurus.yaml, turned
    round); only words that the lists contain, and only staff words the lists do not."""
    from dutycli.text.layer import table_path
    from dutycli.text.thesaurus import read_table

    path = table_path()
    table = read_table(path) if path else {}
    corpus = "\n".join(text for dl in lists for item in dl.items for _, text in _search_lines(item))
    out: dict[str, list[str]] = {}
    for list_word, staff_words in table.items():
        if list_word not in corpus:
            continue
        for staff_word in staff_words:
            if staff_word != list_word and list_word not in out.get(staff_word, []):
                out.setdefault(staff_word, []).append(list_word)
    return out


def page_data(
    lists: Sequence[DutyList], pinyin: Sequence[PinyinIndex | None] = ()
) -> dict[str, Any]:
    """The page's data; ``pinyin`` may hold each list's index from the compiled cache."""
    items: list[dict[str, Any]] = []
    spellings: dict[str, list[Any]] = {}
    departments: dict[str, list[str]] = {}
    for n, dl in enumerate(lists):
        index = pinyin[n] if n < len(pinyin) else None
        if index is None:
            index = build_pinyin_index(dl)
        names = dl.department_names
        for spelling, syllables in index.departments.items():
            spellings.setdefault(spelling, [spelling, names[spelling], syllables])
        for d in dl.departments:
            departments.setdefault(d.name, list(d.aliases))
        items += [_item(item, n, index.names[i]) for i, item in enumerate(dl.items)]
    return {
        "lists": [
            {
                "title": dl.info.title,
                "subdistrict": dl.info.subdistrict,
                "kind": dl.info.kind,
                "note": dl.info.note,
                "categories": list(dl.categories),
            }
            for dl in lists
        ],
        "departments": [{"name": k, "aliases": v} for k, v in departments.items()],
        "spellings": list(spellings.values()),
        "synonyms": synonyms(lists),
        "items": items,
    }


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no <, > or & survives to close it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def page_title(lists: Sequence[DutyList]) -> str:
    if len(lists) == 1:
        return lists[0].info.title
    return f"履职事项清单（{len(lists)} 份）"


def build_page(lists: Sequence[DutyList], pinyin: Sequence[PinyinIndex | None] = ()) -> str:
    """The page as one HTML string (``pinyin``: as for page_data)."""
    script = _asset("app.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    )
    title = page_title(lists)
    parts = {
        "TITLE": html.escape(title),
        "HEADING": html.escape(title),
        "CSP": html.escape(csp),
        "STYLE": _asset("style.css"),
        "SCRIPT": script,
        "DATA": script_json(page_data(lists, pinyin)),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("template.html"))
