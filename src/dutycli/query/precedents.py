"""Decided tasks (判例): tasks of one list whose verdict people have settled.

``data/check_examples.tsv`` holds the labelled tasks the verdict model was
fitted on (scripts/fit_check.py writes it from tests/data/check): for a new
task, how close the closest decided off-list task is, and how close the closest
decided task on the best-ranked item is, are quantities ``check`` weighs (a
department pushes down the same kinds of tasks again and again). They belong to
one list: the file's first line names its subdistrict and kind, and they are
used only when that list is checked.

File format (UTF-8, tab-separated): ``# list<TAB>subdistrict<TAB>kind`` first,
then ``class<TAB>item names joined by " | " (or -)<TAB>task`` per line (lines
starting with ``#`` are comments).

Compiled (``Precedents.compile``) with the list's bigram weights into an
inverted index of byte arrays, which the store keeps beside the query-understanding
layer (a part named ``recall3-…``).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
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
        own = sum(idf(g) for g in mine)
        if not own:
            return Recall(0.0, 0.0)
        starts = array("I", self.starts)
        shared: dict[int, float] = {}
        for g in mine:
            if len(g) != 2:
                continue
            weight = idf(g)
            for position in self._holding(g, starts):
                shared[position] = shared.get(position, 0.0) + weight
        weights = array("d", self.weights)
        family_of = array("H", self.family_of)
        name = self.names.index(item) if item in self.names else -1
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


def for_lists(lists: Iterable[tuple[str, str]]) -> tuple[bytes, str] | None:
    """The shipped file's content, if ``lists`` ((subdistrict, kind) of the lists a task
    is checked against) are its list alone, with that list's name; None otherwise (or if
    it is missing or unreadable). A task decided off the 配合 list may be on the same
    subdistrict's 基本 list: with other lists loaded, the decided tasks do not apply."""
    from dutycli.lists.model import kind_of

    wanted = {(street, kind_of(kind)) for street, kind in lists}
    path = default_path()
    if path is None or len(wanted) != 1:
        return None
    try:
        raw = path.read_bytes()
        head = raw[: raw.find(b"\n")].decode("utf-8").split("\t")
    except (OSError, UnicodeDecodeError):
        return None
    if len(head) != 3 or head[0] != "# list" or (head[1], kind_of(head[2])) not in wanted:
        return None
    return raw, f"{head[1]} {head[2]}"
