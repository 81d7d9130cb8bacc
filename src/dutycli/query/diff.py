"""What changed between two versions of a list.

Items are paired by id and name together, then by name alone (the list was
renumbered), then by id alone (the item was renamed), then by a similar name
(renumbered and reworded). Within a pair every column is compared; steps are
aligned as sequences, and a step replaced by a similar one is ``reworded``,
with the characters that differ marked (Chinese has no spaces to diff words by).
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher
from typing import Any, NamedTuple

from dutycli.lists.model import DutyList, Item

REWORDED_AT = 0.5  # similarity at which a replaced step counts as the same step reworded
RENAMED_AT = 0.6  # similarity at which two unpaired names count as the same item


class Fragment(NamedTuple):
    op: str  # "=" kept, "-" removed, "+" added
    text: str


class StepChange(NamedTuple):
    where: str  # column and block, e.g. 上级部门职责·青山区民政局
    kind: str  # added | removed | reworded
    old: str | None
    new: str | None
    fragments: tuple[Fragment, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "diff": [[f.op, f.text] for f in self.fragments],
        }


class ItemChange(NamedTuple):
    old: Item
    new: Item
    fields: dict[str, tuple[Any, Any]]  # name, category, departments: (old, new)
    steps: list[StepChange]

    @property
    def renumbered(self) -> bool:
        return self.old.id != self.new.id

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_id": self.old.id,
            "new_id": self.new.id,
            "name": self.new.name,
            "changes": {
                k: {
                    "old": list(o) if isinstance(o, tuple) else o,
                    "new": list(n) if isinstance(n, tuple) else n,
                }
                for k, (o, n) in self.fields.items()
            },
            "steps": [s.as_dict() for s in self.steps],
        }


class ListDiff(NamedTuple):
    added: list[Item]
    removed: list[Item]
    changed: list[ItemChange]
    renumbered: list[ItemChange]  # moved to another id, otherwise unchanged

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.renumbered)

    def as_dict(self) -> dict[str, Any]:
        return {
            "same": self.same,
            "added": [{"id": i.id, "name": i.name} for i in self.added],
            "removed": [{"id": i.id, "name": i.name} for i in self.removed],
            "renumbered": [
                {"old_id": c.old.id, "new_id": c.new.id, "name": c.new.name}
                for c in self.renumbered
            ],
            "changed": [c.as_dict() for c in self.changed],
        }


# Characters past which a text is compared sentence by sentence: SequenceMatcher
# over characters takes time in the product of the two lengths (a reworded step
# of 20,000 characters took 80 s).
LONG = 2000
_SENTENCE_END = re.compile(r"(?<=[。；！？;!?\n])")


# Character comparisons a whole diff may spend on SequenceMatcher, which in
# Python compares each character of one text with every place the other text
# holds it: sum over characters of (count in a) * (count in b), counted before
# each comparison (``_cost``, linear). Real text holds a character a few times
# and two versions of a published list spend well under a million; a hostile
# list within the bounds of a list file (300 reworded steps of 300 characters
# took 36 s; 20 steps of one character repeated 2,000 times, minutes) is cut
# short here. Past the budget, texts are still paired and compared sentence by
# sentence, and a reworded piece is marked whole: the fragments still spell
# both versions exactly.
CHAR_BUDGET = 2_000_000  # for pairing (ratios), and as much again for marking (diffs)
PAIR_WINDOW = 8  # later new steps a removed step is compared with, in order


def _cost(a: str, b: str) -> int:
    small, large = sorted((Counter(a), Counter(b)), key=len)
    return sum(n * large[c] for c, n in small.items())


class Work:
    """What is left of ``CHAR_BUDGET`` for one diff: to pair texts, and to mark them."""

    def __init__(self, budget: int = CHAR_BUDGET) -> None:
        self.left = {"pair": budget, "mark": budget}

    def spend(self, a: str, b: str, purpose: str = "mark") -> bool:
        """Take what comparing ``a`` with ``b`` costs from the budget, if it is there."""
        if self.left[purpose] <= 0:
            return False
        cost = _cost(a, b)
        if cost > self.left[purpose]:
            self.left[purpose] = 0  # the next ones would mostly be as dear
            return False
        self.left[purpose] -= cost
        return True


def _ratio(a: str, b: str, work: Work) -> float:
    if len(a) + len(b) <= 2 * LONG and work.spend(a, b, "pair"):
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    # SequenceMatcher.quick_ratio's value (shared characters), counted in C: it
    # bounds ratio from above, enough to pair long steps.
    total = len(a) + len(b)
    return 2 * sum((Counter(a) & Counter(b)).values()) / total if total else 1.0


CANDIDATES = 8  # names compared in full per unpaired item: the most alike by shared pairs
COMMON_PAIR = 64  # a character pair in more names than this (工作, 开展) tells nothing


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


class _Likely:
    """The few unpaired items whose names share the most character pairs with a name.

    Comparing every unpaired name with every other one was quadratic (1,252
    renumbered and renamed items took 16 s). Names at least RENAMED_AT alike
    share most of their character pairs, so they are found through an index of
    pairs, and only they are compared in full.
    """

    def __init__(self, items: dict[int, Item]) -> None:
        self.items = items
        self.postings: dict[str, list[int]] = {}
        for item in items.values():
            for p in _pairs(item.name):
                self.postings.setdefault(p, []).append(item.id)

    def __call__(self, name: str) -> list[Item]:
        counts: dict[int, int] = {}
        for p in _pairs(name):
            ids = self.postings.get(p, ())
            if len(ids) > COMMON_PAIR:
                continue
            for i in ids:
                if i in self.items:  # still unpaired
                    counts[i] = counts.get(i, 0) + 1
        best = sorted(counts, key=lambda i: (-counts[i], i))[:CANDIDATES]
        return [self.items[i] for i in best]


def _whole(old: str, new: str) -> tuple[Fragment, ...]:
    return tuple(Fragment(op, text) for op, text in (("-", old), ("+", new)) if text)


def char_diff(old: str, new: str, work: Work | None = None) -> tuple[Fragment, ...]:
    """Fragments that spell ``old`` (= and -) and ``new`` (= and +); long texts by sentence."""
    work = work or Work()
    if len(old) + len(new) > 2 * LONG:
        return _sentence_diff(old, new, work)
    if not work.spend(old, new):
        return _whole(old, new)
    out: list[Fragment] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Fragment("=", old[a1:a2]))
            continue
        if a2 > a1:
            out.append(Fragment("-", old[a1:a2]))
        if b2 > b1:
            out.append(Fragment("+", new[b1:b2]))
    return tuple(out)


def _sentence_diff(old: str, new: str, work: Work) -> tuple[Fragment, ...]:
    """The diff of long texts: sentences matched first, characters only within short changes."""
    a, b = _SENTENCE_END.split(old), _SENTENCE_END.split(new)
    out: list[Fragment] = []
    # autojunk: a sentence repeated in more than 1% of a long text (20,000 "。")
    # is not used to align, which keeps the matcher from comparing every pair.
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b).get_opcodes():
        gone, came = "".join(a[a1:a2]), "".join(b[b1:b2])
        if op == "equal":
            out.append(Fragment("=", gone))
        elif a2 - a1 == b2 - b1 and all(
            len(x) + len(y) <= 2 * LONG for x, y in zip(a[a1:a2], b[b1:b2], strict=True)
        ):
            for x, y in zip(a[a1:a2], b[b1:b2], strict=True):  # each sentence reworded in place
                out += char_diff(x, y, work)
        elif gone and came and len(gone) + len(came) <= 2 * LONG:
            out += char_diff(gone, came, work)
        else:
            out += [Fragment("-", gone)] if gone else []
            out += [Fragment("+", came)] if came else []
    return tuple(out)


def diff_steps(
    where: str, old: tuple[str, ...], new: tuple[str, ...], work: Work | None = None
) -> list[StepChange]:
    work = work or Work()
    changes: list[StepChange] = []
    # autojunk: only a block of 200 steps or more has "popular" steps left out of the alignment.
    matcher = SequenceMatcher(None, old, new)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = list(old[a1:a2]), list(new[b1:b2])
        # Pair each removed step with its most similar new one among the next
        # PAIR_WINDOW, in order (all of them in a published list's blocks).
        pairs: list[tuple[str | None, str | None]] = []
        for step in gone:
            scores = [_ratio(step, c, work) for c in came[:PAIR_WINDOW]]
            best = max(range(len(scores)), key=scores.__getitem__, default=None)
            if best is not None and scores[best] >= REWORDED_AT:
                pairs += [(None, c) for c in came[:best]]
                pairs.append((step, came[best]))
                came = came[best + 1 :]
            else:
                pairs.append((step, None))
        pairs += [(None, c) for c in came]
        for before, after in pairs:
            if before is not None and after is not None:
                changes.append(
                    StepChange(where, "reworded", before, after, char_diff(before, after, work))
                )
            elif before is not None:
                changes.append(StepChange(where, "removed", before, None))
            elif after is not None:
                changes.append(StepChange(where, "added", None, after))
    return changes


def _upper_blocks(item: Item) -> dict[str, tuple[str, ...]]:
    return {"、".join(b.departments): b.steps for b in item.upper_duties}


def compare_items(old: Item, new: Item, work: Work | None = None) -> ItemChange:
    work = work or Work()
    fields: dict[str, tuple[Any, Any]] = {}
    for key in ("name", "category", "departments"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            fields[key] = (before, after)
    steps: list[StepChange] = []
    old_blocks, new_blocks = _upper_blocks(old), _upper_blocks(new)
    for depts in dict.fromkeys([*old_blocks, *new_blocks]):
        steps += diff_steps(
            f"上级部门职责·{depts}", old_blocks.get(depts, ()), new_blocks.get(depts, ()), work
        )
    steps += diff_steps("履职保障", old.guarantees, new.guarantees, work)
    old_street = tuple(s for sec in old.street_duties for s in (sec.heading or "", *sec.steps))
    new_street = tuple(s for sec in new.street_duties for s in (sec.heading or "", *sec.steps))
    steps += diff_steps(
        "街道配合职责", tuple(filter(None, old_street)), tuple(filter(None, new_street)), work
    )
    return ItemChange(old, new, fields, steps)


def diff_lists(old: DutyList, new: DutyList) -> ListDiff:
    work = Work()
    left = {i.id: i for i in old.items}
    right = {i.id: i for i in new.items}
    pairs: list[tuple[Item, Item]] = []

    def pair(a: Item, b: Item) -> None:
        pairs.append((a, b))
        del left[a.id], right[b.id]

    for item_id in [i for i in left if i in right and left[i].name == right[i].name]:
        pair(left[item_id], right[item_id])
    by_name: dict[str, Item] = {}
    for item in right.values():
        by_name.setdefault(item.name, item)
    for item in list(left.values()):
        match = by_name.get(item.name)
        if match is not None and match.id in right:
            pair(item, match)
    for item_id in [i for i in left if i in right]:
        if _ratio(left[item_id].name, right[item_id].name, work) >= RENAMED_AT:
            pair(left[item_id], right[item_id])
    likely = _Likely(right)
    for item in list(left.values()):
        candidates = likely(item.name)
        scores = [_ratio(item.name, c.name, work) for c in candidates]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= RENAMED_AT:
            pair(item, candidates[best])
    changed, renumbered = [], []
    for a, b in sorted(pairs, key=lambda p: p[1].id):
        change = compare_items(a, b, work)
        if change.fields or change.steps:
            changed.append(change)
        elif change.renumbered:
            renumbered.append(change)
    return ListDiff(
        added=sorted(right.values(), key=lambda i: i.id),
        removed=sorted(left.values(), key=lambda i: i.id),
        changed=changed,
        renumbered=renumbered,
    )
