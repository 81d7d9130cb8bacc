"""What changed between two versions of a list.

Items are paired by id and name together, then by name alone (the list was
renumbered), then by id alone (the item was renamed), then by a similar name
(renumbered and reworded). Within a pair every column is compared; steps are
aligned as sequences, and a step replaced by a similar one is ``reworded``,
with the characters that differ marked (Chinese has no spaces to diff words by).
"""

from __future__ import annotations

import re
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


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # quick_ratio (shared characters, linear) bounds ratio from above: enough to pair steps.
    return matcher.ratio() if len(a) + len(b) <= 2 * LONG else matcher.quick_ratio()


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


def char_diff(old: str, new: str) -> tuple[Fragment, ...]:
    """Fragments that spell ``old`` (= and -) and ``new`` (= and +); long texts by sentence."""
    if len(old) + len(new) > 2 * LONG:
        return _sentence_diff(old, new)
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


def _sentence_diff(old: str, new: str) -> tuple[Fragment, ...]:
    """The diff of long texts: sentences matched first, characters only within short changes."""
    a, b = _SENTENCE_END.split(old), _SENTENCE_END.split(new)
    out: list[Fragment] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        gone, came = "".join(a[a1:a2]), "".join(b[b1:b2])
        if op == "equal":
            out.append(Fragment("=", gone))
        elif a2 - a1 == b2 - b1 and all(
            len(x) + len(y) <= 2 * LONG for x, y in zip(a[a1:a2], b[b1:b2], strict=True)
        ):
            for x, y in zip(a[a1:a2], b[b1:b2], strict=True):  # each sentence reworded in place
                out += char_diff(x, y)
        elif gone and came and len(gone) + len(came) <= 2 * LONG:
            out += char_diff(gone, came)
        else:
            out += [Fragment("-", gone)] if gone else []
            out += [Fragment("+", came)] if came else []
    return tuple(out)


def diff_steps(where: str, old: tuple[str, ...], new: tuple[str, ...]) -> list[StepChange]:
    changes: list[StepChange] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = list(old[a1:a2]), list(new[b1:b2])
        # Pair each removed step with its most similar new one, in order.
        pairs: list[tuple[str | None, str | None]] = []
        for step in gone:
            best = max(came, key=lambda c: _ratio(step, c), default=None)
            if best is not None and _ratio(step, best) >= REWORDED_AT:
                at = came.index(best)
                pairs += [(None, c) for c in came[:at]]
                pairs.append((step, best))
                came = came[at + 1 :]
            else:
                pairs.append((step, None))
        pairs += [(None, c) for c in came]
        for before, after in pairs:
            if before is not None and after is not None:
                changes.append(
                    StepChange(where, "reworded", before, after, char_diff(before, after))
                )
            elif before is not None:
                changes.append(StepChange(where, "removed", before, None))
            elif after is not None:
                changes.append(StepChange(where, "added", None, after))
    return changes


def _upper_blocks(item: Item) -> dict[str, tuple[str, ...]]:
    return {"、".join(b.departments): b.steps for b in item.upper_duties}


def compare_items(old: Item, new: Item) -> ItemChange:
    fields: dict[str, tuple[Any, Any]] = {}
    for key in ("name", "category", "departments"):
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            fields[key] = (before, after)
    steps: list[StepChange] = []
    old_blocks, new_blocks = _upper_blocks(old), _upper_blocks(new)
    for depts in dict.fromkeys([*old_blocks, *new_blocks]):
        steps += diff_steps(
            f"上级部门职责·{depts}", old_blocks.get(depts, ()), new_blocks.get(depts, ())
        )
    steps += diff_steps("履职保障", old.guarantees, new.guarantees)
    old_street = tuple(s for sec in old.street_duties for s in (sec.heading or "", *sec.steps))
    new_street = tuple(s for sec in new.street_duties for s in (sec.heading or "", *sec.steps))
    steps += diff_steps(
        "街道配合职责", tuple(filter(None, old_street)), tuple(filter(None, new_street))
    )
    return ItemChange(old, new, fields, steps)


def diff_lists(old: DutyList, new: DutyList) -> ListDiff:
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
        if _ratio(left[item_id].name, right[item_id].name) >= RENAMED_AT:
            pair(left[item_id], right[item_id])
    likely = _Likely(right)
    for item in list(left.values()):
        candidates = likely(item.name)
        best = max(candidates, key=lambda c: _ratio(item.name, c.name), default=None)
        if best is not None and _ratio(item.name, best.name) >= RENAMED_AT:
            pair(item, best)
    changed, renumbered = [], []
    for a, b in sorted(pairs, key=lambda p: p[1].id):
        change = compare_items(a, b)
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
