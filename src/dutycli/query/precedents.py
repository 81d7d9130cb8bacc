"""Decided tasks (判例): tasks whose verdict people have settled, attached to items' content.

``data/check_examples.tsv`` holds the labelled tasks the verdict model was
fitted on (scripts/fit_check.py writes it from the fit and decided-only files
under data/labelled/check): for a new task, how close the closest decided
off-list task is, and how close the closest decided task on the best-ranked
item is, are quantities ``check`` weighs (a department pushes down the same
kinds of tasks again and again).

They attach to items by content, not to one list's identity: each decided task
names its items by name, and they apply wherever the items checked hold most of
those items (``for_items``: the same template published by another subdistrict,
the list copied under another name, the list beside other lists), and to a task
only when its best-ranked item is one of them (``Index.knows``). The file's first
line records the list they were written for, for people; it decides nothing.

File format (UTF-8, tab-separated): ``# list<TAB>subdistrict<TAB>kind`` first,
then ``class<TAB>item names joined by " | " (or -)<TAB>task`` per line (lines
starting with ``#`` are comments).

API for other parts (the decision log weighs recorded decisions through it):
``Precedents.parse(text)`` → rows; ``Precedents(...).compile(grams, idf)`` →
``Index``; ``Index.recall(task_grams, idf, item_name)`` → ``Recall(off, on)``;
``for_items(names)`` → the shipped file's bytes when they apply to those items.

Compiled (``Precedents.compile``) with the list's bigram weights into an
inverted index of byte arrays, which the store keeps beside the query-understanding
layer (a part named ``recall3-…``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

OFF = "清单外"
SEPARATOR = " | "


class Recall(NamedTuple):
    off: float  # similarity of the closest decided off-list task
    on: float  # similarity of the closest decided task on the best-ranked item


class Precedent(NamedTuple):
    label: str
    items: frozenset[str]  # the names of its items (清单内, 相近)
    task: str


class Precedents(NamedTuple):
    subdistrict: str
    kind: str
    rows: list[Precedent]

    @classmethod
    def parse(cls, text: str) -> Precedents | None:
        lines = text.splitlines()
        head = lines[0].split("\t") if lines else []
        if len(head) != 3 or head[0] != "# list":
            return None
        rows = []
        for line in lines[1:]:
            parts = line.split("\t")
            if line.startswith("#") or len(parts) != 3:
                continue
            names = frozenset() if parts[1] == "-" else frozenset(parts[1].split(SEPARATOR))
            rows.append(Precedent(parts[0], names, parts[2]))
        return cls(head[1], head[2], rows)

    def compile(self, grams: Callable[[str], set[str]], idf: Callable[[str], float]) -> Index:
        names: dict[str, int] = {}
        families: dict[tuple[int, ...], int] = {}
        family_of = array("H")
        weights = array("d")
        postings: dict[str, list[int]] = {}
        for position, precedent in enumerate(self.rows):
            family = tuple(sorted(names.setdefault(n, len(names)) for n in precedent.items))
            family_of.append(families.setdefault(family, len(families)))
            theirs = grams(precedent.task)
            weights.append(sum(idf(g) for g in theirs))
            for g in theirs:
                postings.setdefault(g, []).append(position)
        lexicon = sorted(g for g in postings if len(g) == 2)
        starts, held = array("I", [0]), array("H")
        for g in lexicon:
            held.extend(postings[g])
            starts.append(len(held))
        return Index(
            tuple(names),
            tuple(families),
            bytes(p.label == OFF for p in self.rows),
            family_of.tobytes(),
            weights.tobytes(),
            "".join(lexicon),
            starts.tobytes(),
            held.tobytes(),
        )


class Index(NamedTuple):
    """The decided tasks as an inverted index of their bigrams, with their weights.

    Plain strings and byte arrays (unsigned shorts, unsigned ints, doubles), so that
    the cache loads it without building an object per bigram or per number."""

    names: tuple[str, ...]  # the items' names
    families: tuple[tuple[int, ...], ...]  # sets of names (indices), one per kind of decision
    off: bytes  # per precedent: 1 if decided 清单外
    family_of: bytes  # per precedent: its set of names (array "H")
    weights: bytes  # per precedent: the IDF of its bigrams (array "d")
    lexicon: str  # the bigrams, two characters each, sorted
    starts: bytes  # per bigram: where its precedents start in ``held`` (array "I"), and the end
    held: bytes  # the precedents of each bigram in turn (array "H")

    def to_data(self) -> tuple[Any, ...]:
        return tuple(self)

    @classmethod
    def from_data(cls, data: Any) -> Index:
        names, families, off, family_of, weights, lexicon, starts, held = data
        return cls(
            tuple(names),
            tuple(tuple(f) for f in families),
            bytes(off),
            bytes(family_of),
            bytes(weights),
            str(lexicon),
            bytes(starts),
            bytes(held),
        )

    def knows(self, item: str) -> bool:
        """Whether an item of this name (spaces and punctuation aside) has decided tasks."""
        return _plain(item) in self._plain_names()

    def _plain_names(self) -> dict[str, int]:
        return _plain_index(self.names)

    def _holding(self, gram: str, starts: array[int]) -> array[int]:
        at = self.lexicon.find(gram)
        while at > 0 and at % 2:  # a match across two bigrams: look further
            at = self.lexicon.find(gram, at + 1)
        if at < 0:
            return array("H")
        k = at // 2
        return array("H", self.held[2 * starts[k] : 2 * starts[k + 1]])

    def recall(
        self,
        mine: set[str],
        idf: Callable[[str], float],
        item: str,
        skip: Callable[[int], bool] | None = None,
    ) -> Recall:
        """The closest decided tasks to a task's bigrams: off-list ones, and ones on
        ``item`` (a name). Similarity is the cosine of the IDF-weighted bigram sets;
        ``skip`` leaves out precedents by position (scripts/fit_check.py: a writer's own)."""
        grams = sorted(mine)  # summed in one order: the same floats in every process
        own = sum(idf(g) for g in grams)
        if not own:
            return Recall(0.0, 0.0)
        starts = array("I", self.starts)
        shared: dict[int, float] = {}
        for g in grams:
            if len(g) != 2:
                continue
            weight = idf(g)
            for position in self._holding(g, starts):
                shared[position] = shared.get(position, 0.0) + weight
        weights = array("d", self.weights)
        family_of = array("H", self.family_of)
        name = self._plain_names().get(_plain(item), -1)
        on_item = [name in family for family in self.families]
        off = on = 0.0
        for position, common in shared.items():
            is_off = self.off[position]
            if not is_off and not on_item[family_of[position]]:
                continue
            if skip is not None and skip(position):
                continue
            similarity = common / math.sqrt(own * weights[position])
            if is_off:
                off = max(off, similarity)
            else:
                on = max(on, similarity)
        return Recall(off, on)


def default_path() -> Path | None:
    """data/check_examples.tsv: beside the package when installed, or in the checkout."""
    from dutycli.lists.source import shipped

    return shipped("check_examples.tsv")


# Decided tasks apply to a set of items holding at least this share of the items they decide.
APPLY_SHARE = 0.6


def _plain(name: str) -> str:
    return "".join(ch for ch in name if ch.isalnum())


@lru_cache(maxsize=8)
def _plain_index(names: tuple[str, ...]) -> dict[str, int]:
    """Each name, spaces and punctuation aside -> its position."""
    return {_plain(n): i for i, n in enumerate(names)}


def decided_items(text: str) -> set[str]:
    """The names (spaces and punctuation aside) of the items a decided-tasks file decides."""
    out: set[str] = set()
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and not line.startswith("#") and parts[1] != "-":
            out.update(_plain(n) for n in parts[1].split(SEPARATOR))
    return out


def for_items(names: Iterable[str], path: Path | None = None) -> bytes | None:
    """The shipped file's content if the items checked (``names``) hold at least
    APPLY_SHARE of the items it decides, whatever their list or subdistrict is called;
    None otherwise (or if it is missing or unreadable)."""
    path = default_path() if path is None else path
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        decided = decided_items(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    have = {_plain(n) for n in names}
    if not decided or len(decided & have) < APPLY_SHARE * len(decided):
        return None
    return raw
