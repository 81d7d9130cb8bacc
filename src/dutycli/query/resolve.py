"""Turn what a user typed into one department or one category of the list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dutycli.errors import LookupFailed
from dutycli.store.selection import one_of

if TYPE_CHECKING:
    from dutycli.store.library import Compiled, Library

CN_DIGITS = "一二三四五六七八九十"


def _closest(query: str, choices: list[str], n: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process  # only on the error path

    found = process.extract(query, choices, scorer=fuzz.WRatio, limit=n, score_cutoff=40)
    return [choice for choice, _, _ in found]


def department(c: Compiled | Library, query: str) -> str:
    """The canonical name for a full name, an alias, or a part naming one department only."""
    query = "".join(query.split())
    # A library narrows in SQL first: it may hold a province's departments.
    matching = getattr(c, "matching_names", None)
    names = matching(query) if matching is not None and query else c.department_names
    if query in names:
        return names[query]
    # Candidates in the order the departments are declared (first spelling of each).
    candidates = list(
        dict.fromkeys(
            canonical for spelling, canonical in names.items() if query and query in spelling
        )
    )
    order = {name: n for n, name in enumerate(dict.fromkeys(names.values()))}
    candidates.sort(key=order.__getitem__)
    found = one_of(query, candidates, "部门")
    if found is not None:
        return found
    names = c.department_names  # suggestions come from every name
    closest = _closest(query, list(names))
    canon = list(dict.fromkeys(names[c_] for c_ in closest))
    hint = "，最接近的是：" + "、".join(canon) if canon else ""
    raise LookupFailed(f"清单里没有部门“{query}”{hint}。用 duty depts 查看全部部门。", canon)


def category(c: Compiled, query: str) -> str:
    """A category by name, unique prefix, or number (2 or 二)."""
    query = query.strip()
    cats = list(c.categories)
    if query in cats:
        return query
    number = None
    if query.isascii() and query.isdigit():  # not ² or ①, which isdigit() also accepts
        number = int(query) if len(query) <= 6 else 0
    elif len(query.rstrip("、")) == 1 and query[0] in CN_DIGITS:
        number = CN_DIGITS.index(query[0]) + 1
    if number is not None:
        if 1 <= number <= len(cats):
            return cats[number - 1]
        raise LookupFailed(f"类别编号应在 1 到 {len(cats)} 之间，而不是 {query}", cats)
    starts = [cat for cat in cats if cat.startswith(query)] or [cat for cat in cats if query in cat]
    if len(starts) == 1:
        return starts[0]
    listing = "\n".join(f"  {n}. {cat}" for n, cat in enumerate(cats, start=1))
    if starts:
        raise LookupFailed(f"“{query}”可以指多个类别：{'、'.join(starts)}", starts)
    raise LookupFailed(f"清单里没有类别“{query}”。可选的类别：\n{listing}", cats)
