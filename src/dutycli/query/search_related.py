"""The items most like the one a search found first, to fill a short answer.

A query that one or two items answer (养老保险, 危房, 育儿补贴) usually has
neighbours on the list that a clerk also wants to see: the other items of the
same template or topic (养老保险 beside 社保基金追缴, 危旧房改造 beside 自建房
鉴定, 育儿补贴 beside 入托补贴). When a search finds fewer than ``RELATED``
items, the answer is filled up with the items most like the first one among
the items of its departments (items of one topic are one department's), by
the character bigrams of all their text (name, both columns, guarantees),
each weighted by how few of those items hold it (inverse item frequency), as
a cosine. Only an item at least ``FLOOR`` alike is added, so that a list
without such neighbours adds nothing; an item naming no department has none.
The items added come after every item found by the words, with a score below
the last of them, and no matched words.

Nothing here depends on the list: only on the items' own text. ``page/search.js``
(``neighbours``) runs the same procedure over the same lines.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutycli.query.search_stages import Hit
    from dutycli.store.library import Library, Line

# Cosine; on the shipped list a family's members share 0.07-0.74, and 0.03-0.05 changed nothing.
FLOOR = 0.04
MAX_ITEMS = 2_000  # departments holding more items (a province's) get no neighbours


_HAN_RUNS: list[re.Pattern[str]] = []


def han_grams(text: str, out: set[str]) -> None:
    """Add the bigrams of the runs of Chinese characters in ``text`` to ``out``."""
    if not _HAN_RUNS:  # compiled on the first short answer, not at start-up
        _HAN_RUNS.append(re.compile("[\u3400-\u9fff\uf900-\ufaff]{2,}"))
    for run in _HAN_RUNS[0].findall(text):
        out.update(run[i : i + 2] for i in range(len(run) - 1))


class Profiles:
    """Some items' bigrams, each weighted by its inverse frequency among them, and norms."""

    def __init__(self, lines: list[Line]) -> None:
        from dutycli.text.concepts import STOP_WORDS

        grams: dict[int, set[str]] = {}
        for line in lines:
            han_grams(line.text, grams.setdefault(line.item, set()))
        df: Counter[str] = Counter()
        for found in grams.values():
            found -= STOP_WORDS
            df.update(found)
        n = len(grams)
        weight = {g: math.log(1.0 + n / (d + 0.5)) ** 2 for g, d in df.items()}
        self.weight, self.grams = weight, grams
        # (The order of a sum changes its last bits only: cosines are compared rounded.)
        self.norm = {
            item: math.sqrt(sum(map(weight.__getitem__, found))) or 1.0
            for item, found in grams.items()
        }

    def like(self, item: int) -> list[tuple[float, int]]:
        """(cosine, item) of every other item sharing a bigram with ``item``."""
        mine = self.grams.get(item)
        if not mine:
            return []
        out = []
        weight = self.weight
        for other, found in self.grams.items():
            if other == item:
                continue
            shared = sum(map(weight.__getitem__, found & mine))
            if shared:
                out.append((shared / (self.norm[item] * self.norm[other]), other))
        return out


def neighbours(
    lib: Library, first: int, last_score: float, have: set[int], count: int
) -> list[tuple[float, int, list[Hit]]]:
    """Up to ``count`` items most like ``first`` (not in ``have``), each scored below
    ``last_score`` in proportion to its likeness, best first (ties by list and id)."""
    if count <= 0:
        return []
    # Only the items of the first one's departments: items of one topic are one
    # department's (危旧房改造 and 自建房鉴定 are both 住建's). An item naming no
    # department has no neighbours.
    ((item, _),) = lib.decode([first])
    same = {first} | {r for d in item.departments for r, _ in lib.department_rows(d)}
    if len(same) < 2 or len(same) > MAX_ITEMS:
        return []
    lib.only_items = sorted(same)
    try:
        lines = lib.lines(None, None)
    finally:
        lib.only_items = None
    alike = Profiles(lines).like(first)
    like = [(round(c, 9), i) for c, i in alike if i not in have and c >= FLOOR]
    if not like:
        return []
    keys = lib.order_keys([i for _, i in like])
    like.sort(key=lambda x: (-x[0], keys.get(x[1], ("", 0, 0))))
    return [(round(last_score * c, 6), i, []) for c, i in like[:count]]
