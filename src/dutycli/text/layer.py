"""The query-understanding layer of one list, compiled with it.

``build_layer`` is what a store runs at build time. It has two tiers, so that
a query the list answers word for word reads only the small one:

- the core (``TextLayer.to_data``: the thesaurus as one string, department
  spellings, each item's departments), needed by every search and check;
- the vocabulary (``Vocabulary.to_data``: word -> cost), needed only to
  segment a word the list does not hold as written.

Both are plain strings, dicts and lists (marshal/JSON-able). The store keeps
them beside its database (``dutycli.query.layers``), keyed on the content of
the lists they were built from and on the thesaurus table, each built the
first time a query needs it.

For a store's build step (one row or blob per list):

    thesaurus, names, by_department = build_core(items, departments)   # ~0.2 s
    vocab = build_words(items, names, thesaurus)                   # ~0.3 s
    core = TextLayer(vocab, thesaurus, names, by_department).to_data()  # store these two
    words = vocab.to_data()
    ...
    layer = TextLayer.from_data(core, Vocabulary(loader=lambda: words_from_store))

and hand ``layer`` to ``Matcher(items, departments, layer, readings)`` and to
``concepts.understand``. The key of both is the list's content plus
``_table_key`` (the thesaurus table's content and LAYER_VERSION). The typo
index (``build_sounds``) needs the pinyin readings table and may be built at
the same time or on first need.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from dutycli.lists.model import Department, Item, department_names
from dutycli.text.segment import Vocabulary, build_vocabulary, substrings
from dutycli.text.thesaurus import (
    Thesaurus,
    build_thesaurus,
    cilin_groups,
    default_table_path,
    read_table,
)

LAYER_VERSION = 7  # bump when the layer's shape or its build changes (7: sounds of 7-8 characters)
ENV_VAR = "DUTY_THESAURUS"  # an office's own table, used instead of the shipped one
_MAX_KEYS = 8  # sound keys kept for one word (heteronyms multiply them)


class TextLayer(NamedTuple):
    vocab: Vocabulary  # may load on first use
    thesaurus: Thesaurus
    departments: dict[str, str]  # every spelling -> the department's name
    department_items: dict[str, list[int]]  # department -> its items (indices), for concepts

    def to_data(self) -> dict[str, Any]:
        """The core tier; ``vocab.to_data()`` is the other."""
        return {
            "version": LAYER_VERSION,
            "thesaurus": self.thesaurus.to_data(),
            "departments": self.departments,
            "department_items": self.department_items,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], vocab: Vocabulary) -> TextLayer:
        if data.get("version") != LAYER_VERSION:
            raise ValueError("layer version")
        return cls(
            vocab,
            Thesaurus.from_data(data["thesaurus"]),
            dict(data["departments"]),
            {k: list(v) for k, v in data["department_items"].items()},
        )


def item_texts(item: Item) -> list[str]:
    out = [item.name]
    for block in item.upper_duties:
        out += [block.heading or "", *block.steps]
    out += list(item.guarantees)
    for section in item.street_duties:
        out += [section.heading or "", *section.steps]
    return out


def table_path() -> Path | None:
    explicit = os.environ.get(ENV_VAR)
    return Path(explicit) if explicit else default_table_path()


def _table(table: dict[str, list[str]] | None) -> dict[str, list[str]]:
    if table is not None:
        return table
    path = table_path()
    return read_table(path) if path else {}


def build_core(
    items: Sequence[Item],
    departments: Iterable[Department],
    table: dict[str, list[str]] | None = None,
    groups: Iterable[list[str]] | None = None,
) -> tuple[Thesaurus, dict[str, str], dict[str, list[int]]]:
    """Thesaurus (the table, and 词林 cut down to this list), department spellings."""
    names = department_names(tuple(departments))
    seen = substrings([t for item in items for t in item_texts(item)] + list(names))
    thesaurus = build_thesaurus(
        lambda w: w in seen, _table(table), cilin_groups() if groups is None else groups
    )
    by_department: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for name in item.departments:
            by_department.setdefault(name, []).append(i)
    return thesaurus, names, by_department


def build_words(
    items: Sequence[Item],
    names: Iterable[str],
    thesaurus: Thesaurus,
    table: dict[str, list[str]] | None = None,
) -> Vocabulary:
    """The segmentation vocabulary: jieba's dictionary cut down to this list and its thesaurus."""
    texts = [t for item in items for t in item_texts(item)]
    words = [w for w in thesaurus.words() if len(w) >= 2]
    return build_vocabulary(texts, [*names, *_table(table)], words)


def build_layer(
    items: Sequence[Item],
    departments: Iterable[Department],
    table: dict[str, list[str]] | None = None,
) -> TextLayer:
    """Both tiers for one list (slow: reads jieba's and 词林's data)."""
    table = _table(table)
    thesaurus, names, by_department = build_core(items, departments, table)
    return TextLayer(build_words(items, names, thesaurus, table), thesaurus, names, by_department)


def char_readings(readings: dict[str, str]) -> Callable[[str], list[str]]:
    """A character's toneless syllables, from a syllable -> characters table.

    A scan of the ~400 syllables per character asked (~20 µs): a query asks
    for a handful, the sound index for thousands (then the table is inverted).
    """
    table: dict[str, list[str]] = {}
    asked = [0]

    def lookup(ch: str) -> list[str]:
        if ch in table:
            return table[ch]
        asked[0] += 1
        if asked[0] == 64:  # many characters: invert the whole table once
            table.clear()
            for syllable, chars in readings.items():
                for c in chars:
                    table.setdefault(c, []).append(syllable)
            return table.get(ch, [])
        found = table[ch] = [syllable for syllable, chars in readings.items() if ch in chars]
        return found

    return lookup


# The longest known word the sound index holds: the initials of a policy's full name are typed
# too (cxjmylbx → 城乡居民养老保险, eight characters; concepts.INITIALS_MAX letters).
SOUND_MAX = 8


def build_sounds(layer: TextLayer, by_char: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """Toneless pinyin ("di-bao-jin") -> the known words (2-SOUND_MAX characters) that read so.

    Known: the vocabulary (the list's words and the thesaurus' words) and the
    department spellings. Needed only when a query holds a piece nobody
    understands (a possible typo); the store keeps it as a third part.
    """
    words = [*layer.vocab.costs, *layer.departments]
    out: dict[str, list[str]] = {}
    for word in dict.fromkeys(words):
        if not 2 <= len(word) <= SOUND_MAX:
            continue
        keys = [""]
        for ch in word:
            options = by_char(ch)
            if not options:
                keys = []
                break
            keys = [f"{k}-{o}" if k else o for k in keys for o in options][:_MAX_KEYS]
        for key in keys:
            out.setdefault(key, []).append(word)
    return out


class SoundIndex:
    """Toneless pinyin ("di-bao-jin") -> the known words that read so (``build_sounds``),
    with two look-ups derived from it: the syllables its keys use (to cut full pinyin,
    canjizheng) and the words by initials (cjr). Each is derived on first need; the store
    keeps them as parts of their own (``query.layers``), so that a query reads them instead
    of deriving them from the index in every process (25 and 60-120 ms)."""

    def __init__(
        self,
        words: dict[str, list[str]],
        syllables: Callable[[], frozenset[str]] | None = None,
        initials: Callable[[], dict[str, list[str]]] | None = None,
    ) -> None:
        self.words = words
        self._syllables_of = syllables or (lambda: sound_syllables(words))
        self._initials_of = initials or (lambda: sound_initials(words))
        self._syllables: frozenset[str] | None = None
        self._initials: dict[str, list[str]] | None = None

    def syllables(self) -> frozenset[str]:
        if self._syllables is None:
            self._syllables = self._syllables_of()
        return self._syllables

    def initials(self) -> dict[str, list[str]]:
        if self._initials is None:
            self._initials = self._initials_of()
        return self._initials


def sound_syllables(words: dict[str, list[str]]) -> frozenset[str]:
    """The syllables the keys of a sound index use."""
    return frozenset(s for key in words for s in key.split("-"))


def sound_initials(words: dict[str, list[str]]) -> dict[str, list[str]]:
    """Initials ("jmyb") -> the known words read so, from a sound index, in its order."""
    known: dict[str, list[str]] = {}
    for key, found in words.items():
        out = known.setdefault("".join(s[:1] for s in key.split("-")), [])
        out += (w for w in found if w not in out)
    return known


# -- keys -----------------------------------------------------------------------


def table_key(path: Path | None = None) -> str:
    """The thesaurus table's content and LAYER_VERSION: part of every layer's key."""
    path = table_path() if path is None else path
    try:
        raw = path.read_bytes() if path else b""
    except OSError:
        raw = b"unreadable"
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other interpreters
        from hashlib import blake2b
    return blake2b(raw + b"%d" % LAYER_VERSION, digest_size=10).hexdigest()
