"""Turn what a user typed into one department or one category of the list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dutycli.errors import LookupFailed
from dutycli.store.selection import one_of

if TYPE_CHECKING:
    from dutycli.store.library import Compiled, Library

CN_DIGITS = "一二三四五六七八九十"

# --- What people type: one normaliser for ids, departments and categories ---
# Full-width digits and Latin letters (an IME in full-width mode) as ASCII; the
# ideographic space as a space. Nothing else is folded: department names keep
# their full-width parentheses.
_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c - 0xFEE0).isalnum()}
_WIDE[0x3000] = 0x20
# Punctuation a name or a number is typed or pasted with: 民政局。 “民政局” 17、
_EDGES = " \t\r\n。，、；：！？,.;:!?“”‘’\"'《》「」『』【】…·"
_ID_SEPARATORS = re.compile(r"[、，,；;\s]+")
_ITEM = re.compile(r"第?\s*([0-9]{1,9})\s*项?")
ITEM_REF = re.compile(r"第\s*([0-9]{1,9})\s*项?|([0-9]{1,9})\s*项")
# A category as the list heads it: 二、民生服务, 2. 民生服务, （二）民生服务
_NUMBERED = re.compile(
    r"^(?:[（(]\s*)?([一二三四五六七八九十]+|[0-9]+)\s*(?:[）)]|[、.．])\s*(.+)$"
)


def typed(text: str) -> str:
    """``text`` as it was meant: full-width digits and letters as ASCII, edge punctuation gone."""
    return text.translate(_WIDE).strip(_EDGES)


def item_numbers(values: Iterable[str]) -> list[int] | None:
    """Item numbers as people write them (17, １７, 第17项, 17、18); None if one is not a number."""
    out = []
    for value in values:
        for piece in _ID_SEPARATORS.split(value.translate(_WIDE)):
            piece = piece.strip(_EDGES)
            if not piece:
                continue
            m = _ITEM.fullmatch(piece)
            if not m:
                return None
            out.append(int(m.group(1)))
    return out


def item_ref(word: str) -> int | None:
    """The item a search word names (第17项, 17项), or None."""
    m = ITEM_REF.fullmatch(typed(word))
    return int(m.group(1) or m.group(2)) if m else None


def _closest(query: str, choices: list[str], n: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process  # only on the error path

    found = process.extract(query, choices, scorer=fuzz.WRatio, limit=n, score_cutoff=40)
    return [choice for choice, _, _ in found]


def department(c: Compiled | Library, query: str) -> str:
    """The canonical name for a full name, an alias, or a part naming one department only."""
    query = "".join(typed(query).split())
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
    found = one_of(query, candidates, "部门") or _by_initials(c, query)
    if found is not None:
        return found
    names = c.department_names  # suggestions come from every name
    closest = _closest(query, list(names))
    canon = list(dict.fromkeys(names[c_] for c_ in closest))
    hint = "，最接近的是：" + "、".join(canon) if canon else ""
    raise LookupFailed(f"清单里没有部门“{query}”{hint}。用 duty depts 查看全部部门。", canon)


def _by_initials(c: Compiled | Library, query: str) -> str | None:
    """A department by the pinyin of a spelling: initials (mzj, wjw) or whole (minzhengju).

    The pinyin may start at any syllable (mzj for 东河区民政局, wjw for 区卫健委):
    people drop the district. Two letters must spell a whole name.
    """
    if not (query.isascii() and query.isalpha() and len(query) >= 2):
        return None
    query = query.lower()
    names = c.department_names
    own = getattr(c, "department_pinyin", None)
    syllables = own().items() if own is not None else c.department_syllables()  # type: ignore[union-attr]
    syllables = [(spelling, sounds) for spelling, sounds in syllables if spelling in names]
    order = {name: n for n, name in enumerate(dict.fromkeys(names.values()))}
    # A whole spelling first (wjw: 卫健委, not 纪委监委's end); then the end of one.
    for tails in (range(1), range(1, 99) if len(query) >= 3 else range(0)):
        found = {names[s] for s, sounds in syllables if _spelled(query, sounds, tails)}
        if found:
            return one_of(query, sorted(found, key=order.__getitem__), "部门")
    return None


def _spelled(query: str, sounds: list[str], starts: range) -> bool:
    return any(
        query in ("".join(s[:1] for s in sounds[k:]), "".join(sounds[k:]))
        for k in starts
        if k < len(sounds)
    )


def category(c: Compiled, query: str) -> str:
    """A category by name, unique prefix, number (2 or 二), or as a list heads it (二、民生服务)."""
    query = typed(query)
    cats = list(c.categories)
    if query in cats:
        return query
    numbered = _NUMBERED.match(query)
    if numbered:
        query = numbered.group(2)  # the name decides: lists number their categories differently
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
