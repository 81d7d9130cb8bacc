"""``duty html``: one self-contained web page holding the selected lists.

The page needs no network and no Python: its script, style and data are inline.
The page searches as ``duty search`` does, with the same procedure over the same
tables: ``search.js`` follows ``query/search.py``, ``query/search_stages.py`` and
``text/`` function by function, and ``engine_tables`` ships what they read — each
item's lines as the store holds them, the toneless pinyin of item and department
names (pypinyin runs here, never in the browser), the segmentation vocabulary, the
thesaurus, department spellings, characters by reading and every weight and limit,
taken from the Python modules, never copied by hand. Ties rank by list (in path
order) and item id, as in ``duty search``.

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
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.lists.model import Department, DutyList, Item
from dutycli.lists.views import Line, field_lines, guarantee_lines, step_lines, street_lines

if TYPE_CHECKING:
    from dutycli.text.layer import TextLayer

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


_PLACEHOLDER = re.compile(r"\{\{(TITLE|CSP|STYLE|SCRIPT|DATA|SEARCH|HEADING)\}\}")


def _asset(name: str) -> str:
    return resources.files("dutycli.page").joinpath(name).read_text(encoding="utf-8")


def _lines(lines: list[Line]) -> list[list[Any]]:
    return [[line.indent, line.text, line.kind] for line in lines]


def _search_lines(item: Item) -> list[list[Any]]:
    """[field, text] of each line the store searches (store.build.item_lines), in its order."""
    from dutycli.store.build import item_lines

    return [[field, text] for field, _, _, text in item_lines(item)]


def _item(item: Item, list_index: int, syllables: list[str], order: int) -> dict[str, Any]:
    return {
        "l": list_index,
        "o": order,
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


class Engine(NamedTuple):
    """What search reads besides the lists: from the store when the caller has one."""

    layer: TextLayer | None = None  # the query-understanding layer of these lists
    readings: dict[str, str] | None = None  # toneless syllable -> characters read so
    paths: Sequence[str] | None = None  # each list's path: ties rank by (path, item id)


def engine_tables(
    lists: Sequence[DutyList], spellings: dict[str, list[str]], engine: Engine
) -> dict[str, Any]:
    """The tables and weights ``search.js`` reads, taken from the Python modules it follows."""
    from dutycli.query import search as search_module
    from dutycli.query import search_related
    from dutycli.query import search_stages as stages
    from dutycli.store import search_support
    from dutycli.text import concepts, thesaurus
    from dutycli.text import layer as text_layer

    layer = engine.layer
    if layer is None:
        items = [item for dl in lists for item in dl.items]
        depts: dict[str, Department] = {}
        for dl in lists:
            for d in dl.departments:
                depts.setdefault(d.name, d)
        layer = text_layer.build_layer(items, tuple(depts.values()))
    readings = engine.readings
    if readings is None:
        from dutycli.store.build import reading_tables

        readings = {s: "".join(chars) for s, chars in reading_tables()[0].items()}
    costs, longest, unknown = layer.vocab.to_data()
    return {
        "weights": {
            "field": [stages._FIELD_WEIGHT[f] for f in range(stages.DEPARTMENTS + 1)],
            "via": stages._VIA_WEIGHT,
            "department": concepts.DEPARTMENT_WEIGHT,
            "homophone_word": concepts.HOMOPHONE_WEIGHT,
            "pinyin_word": concepts.PINYIN_WEIGHT,
            "domain": thesaurus.DOMAIN_WEIGHT,
            "lead_step": stages.LEAD_STEP,
            "lead_floor": stages.LEAD_FLOOR,
        },
        "limits": {
            "fuzzy_cutoff": stages.FUZZY_CUTOFF,
            "fuzzy_min": stages.FUZZY_MIN_LENGTH,
            "typo_max": stages.TYPO_MAX_LENGTH,
            "related": search_module.RELATED,
            "partial_max": search_module.PARTIAL_MAX_CONCEPTS,
            "per_concept": search_module._PER_CONCEPT,
            "told": search_module._TOLD,
            "max_readings": concepts._MAX_READINGS,
            "initials_max": concepts.INITIALS_MAX,
            "join_max": concepts.JOIN_MAX,
            "neighbour_floor": search_related.FLOOR,
            "neighbour_max": search_related.MAX_ITEMS,
            "large": search_support.LARGE,  # a province: no neighbours (Library.large)
            "max_keys": text_layer._MAX_KEYS,
            "sound_max": text_layer.SOUND_MAX,
        },
        "departments_field": stages.DEPARTMENTS,
        # The names of policy areas, longest first: search cuts them out of a query whole.
        "areas": layer.thesaurus.area_words(),
        "columns": list(stages._FIELD_LABELS),
        "stop": sorted(concepts.STOP_WORDS),
        "question": sorted(concepts.QUESTION_WORDS),
        "question_order": concepts._QUESTION_ORDER,
        "vocab": {
            "words": list(costs),
            "costs": list(costs.values()),
            "longest": longest,
            "unknown": unknown,
        },
        # The thesaurus' text with tabs for its separators (no word holds whitespace), and
        # without the sources search does not read: "\nword\tterm\tweight\tterm\tweight…".
        "thesaurus": "\n".join(
            "\t".join(
                [line.split("\t", 1)[0]]
                + [
                    f
                    for target in line.split("\t", 1)[1].split("\x1e")
                    for f in target.split("\x1f")[:2]
                ]
            )
            if line
            else ""
            for line in layer.thesaurus.to_data().split("\n")
        ),
        "departments": [[k, v] for k, v in layer.departments.items()],
        # Characters beyond the BMP left out: the page's script reads text by UTF-16 units.
        "readings": {
            k: "".join(c for c in v if c <= "\uffff") for k, v in sorted(readings.items())
        },
        "department_pinyin": [[k, v] for k, v in spellings.items()],
        "department_names": [
            [spelling, n, name]
            for n, dl in enumerate(lists)
            for spelling, name in dl.department_names.items()
        ],
    }


def page_data(
    lists: Sequence[DutyList],
    pinyin: Sequence[PinyinIndex | None] = (),
    engine: Engine | None = None,
) -> dict[str, Any]:
    """The page's data; ``pinyin`` may hold each list's index from the compiled cache,
    ``engine`` what the store has of the search's tables (the rest is computed here)."""
    engine = engine or Engine()
    items: list[dict[str, Any]] = []
    spellings: dict[str, list[str]] = {}
    departments: dict[str, list[str]] = {}
    paths = list(engine.paths) if engine.paths is not None else [""] * len(lists)
    order = {
        key: n
        for n, key in enumerate(
            sorted(
                (paths[n], item.id, pos, n)
                for n, dl in enumerate(lists)
                for pos, item in enumerate(dl.items)
            )
        )
    }
    for n, dl in enumerate(lists):
        index = pinyin[n] if n < len(pinyin) else None
        if index is None:
            index = build_pinyin_index(dl)
        for spelling, syllables in index.departments.items():
            spellings.setdefault(spelling, syllables)
        for d in dl.departments:
            departments.setdefault(d.name, list(d.aliases))
        items += [
            _item(item, n, index.names[i], order[paths[n], item.id, i, n])
            for i, item in enumerate(dl.items)
        ]
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
        "search": engine_tables(lists, spellings, engine),
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


def build_page(
    lists: Sequence[DutyList],
    pinyin: Sequence[PinyinIndex | None] = (),
    engine: Engine | None = None,
) -> str:
    """The page as one HTML string (``pinyin``, ``engine``: as for page_data)."""
    script = _asset("search.js") + "\n" + _asset("app.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{digest}'; "
        "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
    )
    title = page_title(lists)
    data = page_data(lists, pinyin, engine)
    # The search's tables after the script, so that the list shows before they are parsed.
    tables = data.pop("search")
    parts = {
        "TITLE": html.escape(title),
        "HEADING": html.escape(title),
        "CSP": html.escape(csp),
        "STYLE": _asset("style.css"),
        "SCRIPT": script,
        "DATA": script_json(data),
        "SEARCH": script_json(tables),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("template.html"))
