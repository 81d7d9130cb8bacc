"""A saved web page: every ``<table>`` as a grid, ``rowspan``/``colspan`` made explicit.

Parsed with lxml's HTML parser (lxml comes with python-docx). Text inside a
cell keeps its paragraphs (``<p>``, ``<br>``, ``<li>`` …) as lines; the line
breaks of the page's source are just spaces.
"""

from __future__ import annotations

import re
from typing import Any

from dutycli.errors import DataError, Problem
from dutycli.lists.importers.table import Grid, GridBuilder, Place

BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "ol",
        "ul",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dd",
        "dt",
    ]
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_SOURCE_BREAKS = re.compile(r"[\r\n\t\f\v]+")


def decode(raw: bytes) -> str:
    """The page's text: UTF-8, else the charset the page declares, else GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(raw[:8192])
    names = [declared.group(1).decode("ascii")] if declared else []
    for name in [*names, "gb18030"]:
        try:
            # GB2312 and GBK pages are read as GB18030, the superset.
            if name.lower().replace("-", "") in ("gb2312", "gbk"):
                name = "gb18030"
            return raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


def text_of(cell: Any) -> str:
    """A cell's text, one line per paragraph; iterative, so deep nesting cannot overflow."""
    from lxml import etree

    parts: list[str] = []
    for event, el in etree.iterwalk(cell, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in BLOCKS or tag == "br":
                parts.append("\n")
            if el.text and tag not in ("script", "style") and isinstance(el.tag, str):
                parts.append(_SOURCE_BREAKS.sub(" ", el.text))
        else:
            if tag in BLOCKS:
                parts.append("\n")
            if el is not cell and el.tail:
                parts.append(_SOURCE_BREAKS.sub(" ", el.tail))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _span(el: Any, name: str) -> int:
    value = str(el.get(name) or "1").strip()
    digits = value[: len(value) - len(value.lstrip("0123456789"))] or "1"
    return max(1, min(int(digits[:4]), 1000))


def read(raw: bytes, file: str) -> list[Grid]:
    import lxml.html
    from lxml import etree

    text = decode(raw)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise DataError([Problem(file, f"无法解析网页：{e}")]) from None
    gave_up = _gave_up(parser, file)
    if gave_up is not None:
        raise DataError([gave_up])
    grids: list[Grid] = []
    befores = _befores(root, file)
    for t, table in enumerate(root.iter("table"), start=1):
        builder = GridBuilder()
        rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        for r, tr in enumerate(rows):
            builder.row(r, Place(file, r + 1, table=t))
            c = 0
            for td in tr.xpath("./td|./th"):
                while builder.occupied(r, c):
                    c += 1
                colspan = _span(td, "colspan")
                rowspan = min(_span(td, "rowspan"), len(rows) - r)
                builder.put(r, c, text_of(td), rowspan, colspan)
                c += colspan
        if rows:
            grid = builder.grid(befores.get(table, []))
            grids.append(grid)
    if not grids:
        raise DataError(
            [Problem(file, "网页里没有表格（<table>）：请打开清单所在的那一页，另存为网页后再导入")]
        )
    return grids


def _gave_up(parser: Any, file: str) -> Problem | None:
    """Where and why lxml's parser stopped before the end of the page, if it did.

    libxml2 stops at its resource limits (256 levels of nesting, 10 MB in one
    text or attribute) and returns the tree so far: the rest of the page, with
    any table in it, would be missing without a word.
    """
    for error in parser.error_log:
        if error.level_name != "FATAL":
            continue
        message = error.message
        if "depth" in message:
            why = "元素嵌套超过 256 层"
        elif "limit" in message.lower() or "huge" in message.lower():
            why = "一段文字或一个属性超过 10 MB"
        else:
            why = message.strip()[:80]
        return Problem(
            file,
            f"网页解析器在这里停止了：{why}。后面的内容没有读到，所以不导入这个网页；"
            "公布的清单不会这样，文件可能已损坏。请在浏览器里打开清单所在的页面，重新另存为网页",
            error.line or None,
            error.column or None,
        )
    return None


HEADINGS = frozenset(("h1", "h2", "h3", "h4", "p", "caption"))


def _befores(root: Any, file: str) -> dict[Any, list[tuple[str, Place]]]:
    """For each table, the last headings and paragraphs before its rows (and its caption).

    One pass over the page: a page with thousands of tables stays linear.
    """
    recent: list[tuple[str, Place]] = []
    out: dict[Any, list[tuple[str, Place]]] = {}
    for el in root.iter():
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "table":
            out[el] = list(recent)
        elif tag in HEADINGS:
            words = text_of(el).replace("\n", " ").strip()
            if words and len(words) <= 200:
                recent = [*recent[-9:], (words, Place(file, el.sourceline or 1, lines=True))]
    return out
