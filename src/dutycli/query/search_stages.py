"""The stages of ``duty search``: where one word matches in the store's lines.

Each stage takes a word and returns its hits, with character offsets in their
line: ``_exact`` (substrings, Latin case-insensitively, and the pinyin of names
and departments), ``_homophone`` (text that reads the same), ``_fuzzy`` (small
typos through rapidfuzz). ``dutycli.query.search`` runs them in that order and
stops at the first that finds anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from dutycli.store.schema import FIELD_KEYS, FIELD_LABELS, NAME, match_all, match_any

if TYPE_CHECKING:
    from dutycli.store.library import Library, Line

DEPARTMENTS = len(FIELD_KEYS)  # a pseudo-field: the 对应上级部门 column, matched by pinyin
_FIELD_KEYS = (*FIELD_KEYS, "departments")
_FIELD_LABELS = (*FIELD_LABELS, "对应上级部门")

# How much one hit is worth, by where it is and how it was found.
_FIELD_WEIGHT = {NAME: 100.0, DEPARTMENTS: 60.0, **{f: 10.0 for f in range(1, len(FIELD_KEYS))}}
_VIA_WEIGHT = {"exact": 1.0, "pinyin": 0.9, "homophone": 0.8, "fuzzy": 0.6}
# A department hit by the department's place among the item's 对应上级部门: the lead department
# is named first, and each place after it weighs LEAD_STEP less, down to LEAD_FLOOR. (城管局
# finds 垃圾分类, where it is the only department, before 城镇燃气整治, where it is the fifth of
# eight; 应急局 finds the items it leads before those it joins.)
LEAD_STEP, LEAD_FLOOR = 0.1, 0.5


def lead(nth: int) -> float:
    """The weight of a department hit where the department is the item's ``nth`` (0-based)."""
    return max(1.0 - LEAD_STEP * nth, LEAD_FLOOR)


FUZZY_CUTOFF = 70.0  # measured: real typos score 75-86 here, unrelated words at most 60
FUZZY_MIN_LENGTH = 3  # a two-character word with one wrong character is noise at 50
# A slip of the input method or a typo is looked for in a word of up to this many
# characters: a pasted sentence is no typo, and its homophone OR-query alone took
# 0.7 s and 60 MB (issue 10 bounds any query to 1 s and 60 MB).
TYPO_MAX_LENGTH = 16


def _is_han(ch: str) -> bool:
    # A plain comparison: compiling the equivalent regex costs ~2 ms per run.
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_PINYIN_WORD = re.compile(r"[a-z]+")


# Search records are NamedTuples, not dataclasses: they are made by the
# thousand, and each dataclass costs ~0.6 ms to define at every start-up.
class Hit(NamedTuple):
    word: str
    item: int  # the item's rowid in the store
    line: int  # rowid of the line; for a department hit, -1
    start: int  # span of the hit within that line's text (characters)
    end: int
    via: str  # exact | pinyin | homophone | fuzzy | segment | synonym | department
    field: int
    weight: float
    department: str | None = None  # the department a DEPARTMENTS hit names
    text: str = ""  # the line's text
    group: int = -1
    step: int = -1


# -- stages -------------------------------------------------------------------
# Hits carry character offsets within their line.

Stage = Callable[["Library", str, "set[int] | None"], "list[Hit]"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _find_all(text: str, needle: str) -> Iterator[int]:
    pos = text.find(needle)
    while pos != -1:
        yield pos
        pos = text.find(needle, pos + 1)


def _hit(word: str, line: Line, start: int, end: int, via: str, weight: float) -> Hit:
    return Hit(
        word,
        line.item,
        line.rowid,
        start,
        end,
        via,
        line.field,
        weight,
        None,
        line.text,
        line.group,
        line.step,
    )


def _exact(lib: Library, word: str, fields: set[int] | None, pinyin: bool = True) -> list[Hit]:
    fold = any(ch.isascii() and ch.isalpha() for ch in word)
    needle = word.translate(_ASCII_LOWER) if fold else word
    match = match_all(word)
    lines = lib.lines(match, fields, "" if match else word)
    hits = []
    for line in lines:
        text = line.text.translate(_ASCII_LOWER) if fold else line.text
        for pos in _find_all(text, needle):
            hits.append(_hit(word, line, pos, pos + len(word), "exact", _FIELD_WEIGHT[line.field]))
    q = word.lower()
    if pinyin and _PINYIN_WORD.fullmatch(q) and len(q) >= 2:
        hits += _pinyin(lib, word, q, fields)
    return hits


def _pinyin_spans(syllables: list[str], q: str) -> Iterator[tuple[int, int]]:
    """Character spans of ``syllables`` that spell ``q`` in full pinyin or by initials."""
    n = len(syllables)
    for i in range(n):
        # Full pinyin: whole syllables, the last one may be cut short (canj).
        rest, j = q, i
        while rest and j < n and syllables[j][:1].isalpha():
            syl = syllables[j]
            if rest.startswith(syl):
                rest, j = rest[len(syl) :], j + 1
            elif syl.startswith(rest):
                rest, j = "", j + 1
            else:
                break
        if not rest:
            yield i, j
            continue
        # Initials: one letter a character.
        if i + len(q) <= n and all(syllables[i + k][:1] == q[k] for k in range(len(q))):
            yield i, i + len(q)


def _pinyin(lib: Library, word: str, q: str, fields: set[int] | None) -> list[Hit]:
    hits: list[Hit] = []
    weight = _FIELD_WEIGHT[NAME] * _VIA_WEIGHT["pinyin"]
    if fields is None or NAME in fields:
        spans = {
            item: found
            for item, syllables in lib.name_syllables(q)
            if (found := list(_pinyin_spans(syllables, q)))
        }
        names = lib.name_lines(spans)
        for item, found in spans.items():
            line = names[item]
            hits += (_hit(word, line, s, e, "pinyin", weight) for s, e in found)
    if fields is None:
        # A department hit counts for every item of that department; its span
        # is in characters of the department's name.
        dept_spans: dict[str, tuple[int, int]] = {}
        for spelling, syllables in lib.department_syllables():
            for s, e in _pinyin_spans(syllables, q):
                dept_spans[spelling] = (s, e)
                break
        matched: dict[tuple[int, str], tuple[int, int]] = {}
        for spelling, list_id, canonical in lib.spelling_owners(list(dept_spans)):
            if spelling == canonical:
                matched[list_id, canonical] = dept_spans[spelling]
            else:
                matched.setdefault((list_id, canonical), (0, 0))
        dept_weight = _FIELD_WEIGHT[DEPARTMENTS] * _VIA_WEIGHT["pinyin"]
        spans_by_dept = {key[1]: span for key, span in matched.items()}
        for item, name in lib.items_of(matched):
            s, e = spans_by_dept[name]
            hits.append(Hit(word, item, -1, s, e, "pinyin", DEPARTMENTS, dept_weight, name, name))
    return hits


def _homophone(lib: Library, word: str, fields: set[int] | None) -> list[Hit]:
    hits = _exact(lib, word, fields)
    if len(word) > TYPO_MAX_LENGTH or not any(_is_han(ch) for ch in word):
        return hits
    alike = [lib.alike(ch) if _is_han(ch) else ch for ch in word]
    from dutycli.query.layers import selection_chars  # only for a word that needs it

    present = selection_chars(lib)
    if present is not None:
        # A reading is shared by up to 400 characters, most in no list: asking the
        # index for their bigrams took 10,000 OR-terms and ~70 ms for a sentence.
        # A character no selected line holds can match nothing, so the answer is the same.
        alike = ["".join(c for c in chars if c in present) for chars in alike]
        if not all(alike):
            return hits
    # Every match with at least one character as typed holds a bigram of one
    # typed character and a character alike to its neighbour: ask the index for those.
    grams: set[str] = set()
    for i in range(len(word) - 1):
        grams.update(word[i] + b for b in alike[i + 1])
        grams.update(a + word[i + 1] for a in alike[i])
    match = match_any(grams) if len(word) > 1 else match_all(word)
    if match is None:
        return hits
    pattern = re.compile("".join("[" + re.escape(chars) + "]" for chars in alike))
    # A slip of the input method changes a character or two, not the word:
    # at least half the characters must be the ones typed (火箭 is not 或检).
    need = (len(word) + 1) // 2
    weight = _VIA_WEIGHT["homophone"]
    for line in lib.lines(match, fields):
        for m in pattern.finditer(line.text):
            found = m.group(0)
            same = sum(a == b for a, b in zip(found, word, strict=True))
            if found != word and same >= need:
                hits.append(
                    _hit(
                        word,
                        line,
                        m.start(),
                        m.end(),
                        "homophone",
                        _FIELD_WEIGHT[line.field] * weight,
                    )
                )
    return hits


def _fuzzy(lib: Library, word: str, fields: set[int] | None) -> list[Hit]:
    hits = _homophone(lib, word, fields)
    if not FUZZY_MIN_LENGTH <= len(word) <= TYPO_MAX_LENGTH:
        return hits
    from rapidfuzz import fuzz, process  # only when nothing matched exactly

    query = word.casefold()
    # Candidates through the index: lines sharing a bigram with the word.
    match = match_any({query[i : i + 2] for i in range(len(query) - 1)})
    if match is None:
        return hits
    lines = lib.lines(match, fields)
    found = process.extract(
        query,
        [line.text for line in lines],
        scorer=fuzz.partial_ratio,
        processor=str.casefold,
        score_cutoff=FUZZY_CUTOFF,
        limit=None,
    )
    for text, score, n in found:
        line = lines[n]
        span = fuzz.partial_ratio_alignment(query, text.casefold())
        s, e = (span.dest_start, span.dest_end) if span else (0, len(text))
        weight = _FIELD_WEIGHT[line.field] * _VIA_WEIGHT["fuzzy"] * score / 100
        hits.append(_hit(word, line, s, e, "fuzzy", weight))
    return hits
