"""Split unspaced Chinese into words, with the list's own vocabulary and a general dictionary.

The general dictionary is jieba's ``dict.txt`` (349,046 words with corpus
frequencies), read as data at build time and cut down to the words that occur
in the loaded lists or in the thesaurus: about 3,300 words for a 67-item list,
50 KB marshalled. Segmentation is a unigram shortest path (the words' costs
are -log of their frequencies), which is what jieba does without its HMM.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

MAX_WORD = 8  # longest dictionary word kept, in characters
# Everyday words (安排, 晚上, 马上 …) are kept whatever the list says, about
# 2,700 of them: a notice is segmented around them, and check can tell its
# filler from the words that name a duty.
COMMON_FREQUENCY = 2000
_HAN = "[\u3400-\u9fff\uf900-\ufaff]+"
# A list word (a department's name, a word of the list) costs at most this,
# so that it is never split in favour of two general words.
_LIST_WORD_COST = 8.0


class Vocabulary:
    """Word -> cost (-log p); ``unknown`` is the cost of a character no word covers.

    Loaded on first use (``loader``): a query the list answers word for word
    never needs it.
    """

    __slots__ = ("_data", "_loader")

    def __init__(
        self,
        costs: dict[str, float] | None = None,
        longest: int = 1,
        unknown: float = 20.0,
        loader: Callable[[], tuple[dict[str, float], int, float]] | None = None,
    ) -> None:
        self._data = None if loader else (costs or {}, longest, unknown)
        self._loader = loader

    def _get(self) -> tuple[dict[str, float], int, float]:
        if self._data is None:
            assert self._loader is not None
            costs, longest, unknown = self._loader()
            self._data = (dict(costs), int(longest), float(unknown))
        return self._data

    @property
    def costs(self) -> dict[str, float]:
        return self._get()[0]

    @property
    def longest(self) -> int:
        return self._get()[1]

    @property
    def unknown(self) -> float:
        return self._get()[2]

    def to_data(self) -> tuple[dict[str, float], int, float]:
        return self._get()

    @classmethod
    def from_data(cls, data: tuple[dict[str, float], int, float]) -> Vocabulary:
        costs, longest, unknown = data
        return cls(dict(costs), int(longest), float(unknown))


def han_runs(texts: Iterable[str]) -> list[str]:
    pattern = re.compile(_HAN)  # build time only: compiling it costs ~2 ms
    return [run for text in texts for run in pattern.findall(text)]


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _kind(ch: str) -> int:
    if _is_han(ch):
        return 1
    return 2 if ch.isascii() and ch.isalnum() else 0


def tokens(text: str) -> list[tuple[str, bool]]:
    """Runs of Chinese characters (True) and of ASCII letters and digits (False)."""
    out: list[tuple[str, bool]] = []
    start, kind = 0, 0
    for i, ch in enumerate(text + " "):
        k = _kind(ch) if i < len(text) else 0
        if k != kind:
            if kind:
                out.append((text[start:i], kind == 1))
            start, kind = i, k
    return out


def substrings(texts: Iterable[str], longest: int = MAX_WORD) -> set[str]:
    """Every run of Chinese characters up to ``longest`` long that occurs in ``texts``."""
    out: set[str] = set()
    for run in set(han_runs(texts)):
        n = len(run)
        for i in range(n):
            for j in range(i + 1, min(n, i + longest) + 1):
                out.add(run[i:j])
    return out


def general_dictionary() -> Path | None:
    """jieba's dict.txt, found without importing jieba (find_spec runs no package code)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("jieba")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "dict.txt"
    return path if path.is_file() else None


def read_dictionary(
    path: Path, keep: set[str], common: int | None = None
) -> tuple[dict[str, int], int]:
    """(frequency of each word in ``keep``, total frequency of the whole dictionary).

    With ``common``, also every word of 2-4 characters at least that frequent.
    """
    freqs: dict[str, int] = {}
    total = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ")
            if len(parts) < 2:
                continue
            try:
                freq = int(parts[1])
            except ValueError:
                continue
            total += freq
            word = parts[0]
            if word in keep or (common is not None and freq >= common and 2 <= len(word) <= 4):
                freqs[word] = freq
    return freqs, total


def build_vocabulary(
    texts: Iterable[str], list_words: Iterable[str] = (), extra: Iterable[str] = ()
) -> Vocabulary:
    """The words segmentation knows, for lists whose searchable ``texts`` are given.

    ``list_words``: whole words of the lists (department names and aliases),
    kept even when the general dictionary lacks them. ``extra``: words users
    say that the lists do not use (the thesaurus' staff words), kept so that
    a query segments around them.
    """
    seen = substrings(texts)
    named = {w for w in list_words if w}
    wanted = {w for w in extra if w}
    keep = seen | named | wanted
    path = general_dictionary()
    freqs, total = read_dictionary(path, keep, COMMON_FREQUENCY) if path else ({}, 0)
    total = max(total, 1_000_000)
    log_total = math.log(total)
    costs = {w: log_total - math.log(f) for w, f in freqs.items() if f > 0}
    for w in named | wanted:
        costs[w] = min(costs.get(w, _LIST_WORD_COST), _LIST_WORD_COST)
    longest = max((len(w) for w in costs), default=1)
    return Vocabulary(costs, longest, log_total + 2.0)


def _best_path(run: str, vocab: Vocabulary) -> list[str]:
    n = len(run)
    best = [0.0] * (n + 1)
    cut = [n] * (n + 1)
    costs = vocab.costs
    for i in range(n - 1, -1, -1):
        top = min(n, i + vocab.longest)
        choice, where = vocab.unknown + best[i + 1], i + 1
        for j in range(i + 2, top + 1):
            cost = costs.get(run[i:j])
            if cost is not None and cost + best[j] < choice:
                choice, where = cost + best[j], j
        single = costs.get(run[i])
        if single is not None and single + best[i + 1] < choice:
            choice, where = single + best[i + 1], i + 1
        best[i], cut[i] = choice, where
    out, i = [], 0
    while i < n:
        out.append(run[i : cut[i]])
        i = cut[i]
    return out


def segment(text: str, vocab: Vocabulary) -> list[str]:
    """Words of ``text``; Latin letters and digits stay whole, punctuation drops out.

    Characters that form no word with their neighbours stay together as one
    piece (``残急人`` is one unknown piece, not three characters), so that a
    typo is looked up as the user typed it.
    """
    out: list[str] = []
    for token, han in tokens(text):
        if not han:
            out.append(token)
            continue
        pieces = _best_path(token, vocab)
        merged: list[str] = []
        loose = ""
        for piece in pieces:
            if len(piece) == 1:
                loose += piece
                continue
            if loose:
                merged.append(loose)
                loose = ""
            merged.append(piece)
        if loose:
            merged.append(loose)
        out += merged
    return out
