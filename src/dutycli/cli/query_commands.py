"""Query commands that find items: search, by-dept, by-category, show.

``check``, ``cite`` and ``guarantees`` are in ``check_commands``.

No ``from __future__ import annotations``: Typer reads the annotations as objects.
"""

from typing import TYPE_CHECKING, Annotated, Optional

from dutycli.cli.declare import Arg, Context, Opt, command
from dutycli.cli.options import (
    FormatOption,
    KindOption,
    LimitOption,
    OutputOption,
    StreetOption,
    compiled,
    complete_category,
    complete_department,
    cut,
    emit,
    items_by_id,
    items_result,
    lib_items,
    library,
    parse_ids,
    rows_of,
    say_cut,
    sources,
)
from dutycli.cli.streams import echo
from dutycli.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOTHING, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dutycli.query.results import ItemRow
    from dutycli.query.search import Found, NoMatch
    from dutycli.store import Library
    from dutycli.store.library import ListRef

# The heading of these commands in ``duty --help``.
HELP_GROUP = "查询命令"


# Long input is cut, so that any query answers in bounded time and memory:
# a pasted paragraph is not a query.
MAX_QUERY_WORDS, MAX_QUERY_CHARS = 8, 64


def _capped_query(query: list[str]) -> list[str]:
    words = [w for q in query for w in q.split()]
    kept: list[str] = []
    used = 0
    for w in words[:MAX_QUERY_WORDS]:
        if used >= MAX_QUERY_CHARS:
            break
        kept.append(w[: MAX_QUERY_CHARS - used])
        used += len(kept[-1])
    total = sum(len(w) for w in words)
    if used < total:
        echo(
            f"duty: 查询太长（{len(words)} 个词，{total} 个字），只用了前 {used} 个字："
            f"{' '.join(kept)}。搜索最多用 {MAX_QUERY_WORDS} 个词、{MAX_QUERY_CHARS} 个字。",
            err=True,
        )
    return kept


@command()
def search(
    ctx: Context,
    query: Annotated[
        list[str],
        Arg(
            metavar="QUERY...",
            help=(
                "要找的词或一句问话；匹配全部词的事项排在前面，没有时列出匹配最多词的事项。"
                "“找谁”“咋办”“有啥”等问话用词不算。支持拼音（canji、canjizheng、cjr）、"
                "同音字和小的错别字。"
            ),
            show_default=False,
        ),
    ],
    limit: LimitOption = 20,
    fields: Annotated[
        Optional[list[str]],  # noqa: UP045
        Opt(
            "--in",
            metavar="FIELD",
            help=(
                "只在这些栏目里找（可重复）：name 事项名称、upper 上级部门职责、"
                "guarantees 履职保障、street 街道配合职责、basis 实施依据、"
                "method 工作方式、extras 导入时按原列名保留的其他列。"
            ),
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """在事项名称、各部门职责、履职保障和街道配合职责中搜索，按相关程度排序。"""
    from dutycli.query.results import ItemRow
    from dutycli.query.search import parse_fields
    from dutycli.query.search import search as run_search

    if not any(q.strip() for q in query):  # duty search "": nothing asked
        raise UsageError("请给出要找的词，例如：duty search 低保")
    query = _capped_query(query)
    lib = library(ctx, street, kind)
    named, query = _named_items(lib, query)  # 第17项: that item first
    if not query:
        return (
            emit(lib_items(lib, named, "search"), fmt, "", output, sources(lib))
            if named
            else EXIT_NOTHING
        )
    results = run_search(lib, query, parse_fields(fields or []))
    found: list[Found] = results
    if results.partial:
        echo(_partial_text(" ".join(query), results.unmatched), err=True)
    alike = results.alike(limit or len(results))
    if alike:
        echo(_alike_text(results[0], alike, lib.several), err=True)
    if limit and len(found) > limit:
        say_cut(limit, len(found))
        found = found[:limit]
    several = lib.several
    rows = [
        ItemRow(f.item, f.score, tuple(f.matched), f.source if several else None) for f in found
    ]
    rows = _first(named, rows)
    if not rows:
        from dutycli.query.search import explain

        echo(
            _no_match_text(" ".join(query), explain(lib, query, parse_fields(fields or []))),
            err=True,
        )
        return EXIT_NOTHING
    return emit(
        lib_items(lib, rows, "search"),
        fmt,
        f"没有找到与“{' '.join(query)}”相关的事项。",
        output,
        sources(lib),
    )


def _named_items(lib: "Library", query: list[str]) -> "tuple[list[ItemRow], list[str]]":
    """The items a query names by number (第17项, 17项), and the words left to search for."""
    if not any(ch.isdigit() for word in query for ch in word):
        return [], query  # no number (ASCII or full-width) in any word: no import of resolve
    from dutycli.query.resolve import item_ref

    refs = [item_ref(word) for word in query]
    ids = [n for n in refs if n is not None]
    rest = [word for word, n in zip(query, refs, strict=True) if n is None]
    if not ids:
        return [], query
    found = lib.find_ids(ids)
    rows = rows_of(lib, [rowid for n in dict.fromkeys(ids) for rowid, _ in found.get(n, [])])
    if not rows:
        echo(f"已载入的清单里没有第 {'、'.join(map(str, ids))} 项。", err=True)
    return rows, rest


def _first(named: "list[ItemRow]", rows: "list[ItemRow]") -> "list[ItemRow]":
    """The named items, then the rest of the results without them."""

    def key(row: "ItemRow") -> tuple[int, object]:
        return row.item.id, getattr(row.source, "path", None)

    seen = {key(row) for row in named}
    return named + [row for row in rows if key(row) not in seen]


def _partial_text(query: str, unmatched: list[str]) -> str:
    text = f"没有一项同时匹配“{query}”的全部词，下面是匹配词最多的事项"
    if unmatched:
        text += f"；没有匹配任何事项的词：{'、'.join(unmatched)}"
    return text + "。"


def _alike_text(first: "Found", alike: "list[Found]", several: bool) -> str:
    def name(f: "Found") -> str:
        where = f.source.subdistrict if several and f.source else ""
        return f"{where}第{f.item.id}项"

    shown = "、".join(name(f) for f in alike)
    return f"{shown}不含所查的词，列在后面，是内容与{name(first)}最相近的事项。"


def _no_match_text(query: str, why: "NoMatch") -> str:
    text = f"没有找到与“{query}”相关的事项。试过：{'；'.join(why.tried)}。"
    if why.suggestions:
        close = "；".join(f"第{item.id}项“{item.name}”" for item in why.suggestions)
        text += f"只匹配部分词的事项：{close}。"
    return text


@command("by-dept")
def by_dept(
    ctx: Context,
    name: Annotated[
        str,
        Arg(
            metavar="NAME",
            help="部门全称、简称（如 区卫健委）或能唯一确定部门的一部分（如 民政局）。",
            autocompletion=complete_department,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    count: Annotated[
        bool, Opt("--count", help="只列出每个街道的事项数。", show_default=False)
    ] = False,
    limit: LimitOption = 0,
) -> int:
    """列出某个部门参与的全部事项：该部门的职责与街道配合职责并排显示。

    每种格式（表格、文字、csv、json、xlsx……）都只列出该部门的职责块、履职保障和街道配合职责。

    -o yaml 写出可再载入的清单文件，事项完整；某项全部部门的职责用 show。

    载入多份清单时按街道分组列出；--count 只列出每个街道的事项数。
    """
    from dutycli.query.resolve import department
    from dutycli.query.results import Table

    lib = library(ctx, street, kind)
    dept = department(lib, name)
    found: Sequence[tuple[int, ListRef]] = lib.department_rows(dept)
    if count:
        per: dict[tuple[str, str], int] = {}
        for _, ref in found:
            key = (ref.subdistrict, ref.short_kind)
            per[key] = per.get(key, 0) + 1
        table = Table(
            ("subdistrict", "kind", "items"),
            ("街道", "清单", "事项数"),
            [{"subdistrict": s, "kind": k, "items": n} for (s, k), n in per.items()],
            None,
            title=f"{dept}：{len(per)} 份清单，{len(found)} 项",
        )
        return emit(table, fmt, f"{dept} 在清单里没有事项。", output, sources(lib))
    total = len(found)
    if limit and total > limit:
        say_cut(limit, total)
        found = found[:limit]
    rows = rows_of(lib, [rowid for rowid, _ in found])
    streets = len({ref.subdistrict for _, ref in found})
    title = f"{dept}：{total} 项" + (f"，{streets} 个街道" if lib.several else "")
    if limit and total > limit:
        title += f"（显示前 {limit} 项）"
    result = lib_items(lib, rows, "department", department=dept, title=title)
    return emit(result, fmt, f"{dept} 在清单里没有事项。", output, sources(lib))


@command("by-category")
def by_category(
    ctx: Context,
    name: Annotated[
        str,
        Arg(
            metavar="NAME",
            help="类别名称、唯一的开头（如 民生）或序号（2 或 二）。",
            autocompletion=complete_category,
        ),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
    limit: LimitOption = 0,
) -> int:
    """列出某个类别下的全部事项。"""
    from dutycli.query.resolve import category
    from dutycli.query.results import ItemRow

    c = compiled(ctx, street, kind)
    cat = category(c, name)
    rows = [ItemRow(item) for item in c.all_items() if item.category == cat]
    total, rows = len(rows), cut(rows, limit)
    return emit(
        items_result(c, rows, "compact", title=f"{cat}：{total} 项"),
        fmt,
        f"类别“{cat}”下没有事项。",
        output,
        [c.path],
    )


@command()
def show(
    ctx: Context,
    ids: Annotated[
        list[str],
        Arg(metavar="ID...", help="事项编号（17 或 第17项），可给多个。", show_default=False),
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
    street: StreetOption = None,
    kind: KindOption = None,
) -> int:
    """并排显示事项的职责分工：左栏上级部门职责（按部门分块，履职保障在最后），右栏街道配合职责。"""
    numbers = parse_ids(ids)
    lib = library(ctx, street, kind)
    if len(lib.selected) == 1:
        from dutycli.query.results import ItemRow

        found, missing = items_by_id(lib.one(), numbers)
        rows = [ItemRow(item) for item in found]
    else:
        rowids, missing = _rowids_by_id(lib, numbers)
        rows = rows_of(lib, rowids)
    if rows:
        emit(lib_items(lib, rows, "split"), fmt, "", output, sources(lib))
    return EXIT_ERROR if missing else EXIT_FOUND


def _rowids_by_id(lib: "Library", ids: list[int]) -> tuple[list[int], list[int]]:
    """Store rows of these item ids across the selected lists; an id in several is ambiguous."""
    from dutycli.errors import LookupFailed

    found = lib.find_ids(ids)
    for item_id in dict.fromkeys(ids):
        hits = found.get(item_id, [])
        if len(hits) > 1:
            lib.refuse_twins([ref for _, ref in hits], every=True)
            listing = lib.listing([ref for _, ref in hits])
            raise LookupFailed(
                f"第 {item_id} 项在 {len(hits)} 份清单里都有，请用 --street/-s 或 --kind 选定：\n"
                + listing,
                [ref.path for _, ref in hits],
            )
    missing = [i for i in ids if i not in found]
    if missing:
        echo(f"已载入的清单里没有第 {'、'.join(map(str, missing))} 项。", err=True)
    return [found[i][0][0] for i in dict.fromkeys(ids) if i in found], missing
