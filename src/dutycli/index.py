"""The compiled form of a list: its items, and the search index built from them.

Searching never walks the dataclasses: every searchable text sits on one line
of a single UTF-8 byte string (``TextIndex.blob``), so a query is a few
``bytes.find`` calls at C speed over a buffer read straight from the cache, and
only the items that match are decoded. UTF-8 is self-synchronising, so a byte
match of an encoded word is a character match. Pinyin is computed here,
once, so that answering a query never imports pypinyin.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from dutycli.model import Department, DutyList, Item, ListInfo, department_names

# What a line of the text index holds.
NAME, UPPER, GUARANTEES, STREET = 0, 1, 2, 3
FIELD_KEYS = ("name", "upper", "guarantees", "street")
FIELD_LABELS = ("事项名称", "上级部门职责", "履职保障", "街道配合职责")
# Sub-steps are lines of one step; inside the blob a newline ends a text.
_INNER_NEWLINE = b"\x1f"


class TextRef(NamedTuple):
    item: int  # index into the list's items
    field: int  # NAME, UPPER, GUARANTEES or STREET
    group: int  # block or section index; -1 for the name and the guarantees
    step: int  # step index; -1 for a heading or the name


class TextIndex(NamedTuple):
    blob: bytes | bytearray  # UTF-8, one text a line
    starts: array[int]  # byte offset of each line in blob, plus one past the end
    refs: array[int]  # four ints a line: item, field, group, step

    def __len__(self) -> int:
        return len(self.starts) - 1

    def line_at(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def raw(self, line: int) -> bytes | bytearray:
        return self.blob[self.starts[line] : self.starts[line + 1] - 1]

    def text(self, line: int) -> str:
        return self.raw(line).replace(_INNER_NEWLINE, b"\n").decode("utf-8")

    def chars(self, line: int, start: int, end: int) -> tuple[int, int]:
        """Byte offsets within a line, as character offsets."""
        raw = self.raw(line)
        first = len(raw[:start].decode("utf-8", "ignore"))
        return first, first + len(raw[start:end].decode("utf-8", "ignore"))

    def ref(self, line: int) -> TextRef:
        i = 4 * line
        r = self.refs
        return TextRef(r[i], r[i + 1], r[i + 2], r[i + 3])


def build_text_index(items: tuple[Item, ...] | list[Item]) -> TextIndex:
    parts: list[bytes] = []
    starts = array("q")
    refs = array("i")
    pos = 0

    def add(text: str, *ref: int) -> None:
        nonlocal pos
        raw = text.encode("utf-8").replace(b"\n", _INNER_NEWLINE)
        starts.append(pos)
        refs.extend(ref)
        parts.append(raw)
        pos += len(raw) + 1

    for i, item in enumerate(items):
        add(item.name, i, NAME, -1, -1)
        for b, block in enumerate(item.upper_duties):
            if block.heading:
                add(block.heading, i, UPPER, b, -1)
            for s, step in enumerate(block.steps):
                add(step, i, UPPER, b, s)
        for g, text in enumerate(item.guarantees):
            add(text, i, GUARANTEES, -1, g)
        for n, section in enumerate(item.street_duties):
            if section.heading:
                add(section.heading, i, STREET, n, -1)
            for s, step in enumerate(section.steps):
                add(step, i, STREET, n, s)
    starts.append(pos)
    blob = b"\n".join(parts) + b"\n" if parts else b""
    return TextIndex(blob, starts, refs)


def strip_tone(syllable: str) -> str:
    plain = "".join(
        c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c)
    )
    return plain.replace("ü", "v").lower()


class PinyinIndex(NamedTuple):
    """Toneless pinyin, one syllable a character, of item names and department names.

    Characters without a reading keep their own (lower-cased) spelling, so the
    list of syllables always lines up with the characters of the text.
    """

    names: list[list[str]]  # per item
    departments: dict[str, list[str]]  # per department spelling (names and aliases)
    item_departments: list[list[str]]  # per item, so a department hit finds its items


def _characters(run: str) -> Any:
    # pypinyin's errors callback: text without readings, one syllable a character.
    return list(run.lower())


def build_pinyin_index(items: Sequence[Item], departments: tuple[Department, ...]) -> PinyinIndex:
    from pypinyin import Style, lazy_pinyin  # slow to import: only ever here

    def syllables(text: str) -> list[str]:
        # Whole texts, so that heteronyms take the reading of the word around
        # them; runs without readings come back one character a syllable.
        readings = lazy_pinyin(text, style=Style.NORMAL, errors=_characters)
        if len(readings) != len(text):  # never seen; keep the alignment regardless
            return [c.lower() for c in text]
        return [strip_tone(r) for r in readings]

    spellings = {s: syllables(s) for d in departments for s in (d.name, *d.aliases)}
    return PinyinIndex(
        [syllables(item.name) for item in items],
        spellings,
        [list(item.departments) for item in items],
    )


def build_readings() -> dict[str, str]:
    """Toneless syllable -> every character that can be read so (heteronyms included)."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: dict[str, list[str]] = {}
    for codepoint, readings in pinyin_dict.items():
        for syllable in {strip_tone(r) for r in readings.split(",")}:
            out.setdefault(syllable, []).append(chr(codepoint))
    return {syllable: "".join(chars) for syllable, chars in out.items()}


class Compiled:
    """A validated list in the form queries use; its parts load only when asked for.

    The loaders are functions (cache.CachedList's): each part is read from the
    compiled cache, or rebuilt from the data file when that fails.
    """

    def __init__(
        self,
        *,
        info: ListInfo,
        categories: tuple[str, ...],
        departments: tuple[Department, ...],
        category_counts: dict[str, int],
        department_counts: dict[str, int],
        count: int,
        path: str,
        items: Callable[[list[int] | None], Sequence[Item]],
        texts: Callable[[], TextIndex],
        pinyin: Callable[[], PinyinIndex],
        readings: Callable[[], dict[str, str]],
    ) -> None:
        self.info = info
        self.categories = categories
        self.departments = departments
        self.category_counts = category_counts
        self.department_counts = department_counts
        self.count = count
        self.path = path
        self._item_loader = items
        self._loaders: dict[str, Callable[[], Any]] = {
            "texts": texts,
            "pinyin": pinyin,
            "readings": readings,
        }
        self._cache: dict[str, Any] = {}

    def items(self, indices: list[int] | None = None) -> list[Item]:
        """The items at ``indices`` (all of them for None), in that order."""
        return list(self._item_loader(indices))

    def all_items(self) -> list[Item]:
        return self.items(None)

    def dutylist(self) -> DutyList:
        return DutyList(
            self.info, self.categories, self.departments, tuple(self.all_items()), path=self.path
        )

    def memo(self, key: str, loader: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = loader()
        return self._cache[key]

    @property
    def texts(self) -> TextIndex:
        result: TextIndex = self.memo("texts", self._loaders["texts"])
        return result

    @property
    def pinyin(self) -> PinyinIndex:
        result: PinyinIndex = self.memo("pinyin", self._loaders["pinyin"])
        return result

    @property
    def readings(self) -> dict[str, str]:
        result: dict[str, str] = self.memo("readings", self._loaders["readings"])
        return result

    @property
    def department_names(self) -> dict[str, str]:
        """Every name and alias, mapped to the canonical department name."""
        result: dict[str, str] = self.memo("names", lambda: department_names(self.departments))
        return result


def counts(dl: DutyList) -> tuple[dict[str, int], dict[str, int]]:
    per_category = {c: 0 for c in dl.categories}
    per_department = {d.name: 0 for d in dl.departments}
    for item in dl.items:
        per_category[item.category] = per_category.get(item.category, 0) + 1
        for name in item.departments:
            per_department[name] = per_department.get(name, 0) + 1
    return per_category, per_department
