"""Find the items a query means, best first.

Every word of the query must match somewhere in an item. Matching is tried in
stages and stops at the first stage that finds anything, so that a near miss
never crowds out an exact answer:

1. exact: substrings (Latin text case-insensitively); for ASCII words also the
   pinyin of item names and department names, in full (``canji``) or by
   initials (``cjr``);
2. homophones: a Chinese word also matches text that reads the same in pinyin
   (``残急人`` finds 残疾人), the usual slip of a pinyin input method;
3. fuzzy: small typos through rapidfuzz, with a cut-off that keeps noise out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from dutycli.errors import UsageError
from dutycli.index import FIELD_KEYS, FIELD_LABELS, NAME, Compiled, TextIndex
from dutycli.model import Item

if TYPE_CHECKING:
    from dutycli.text.concepts import Concept

DEPARTMENTS = len(FIELD_KEYS)  # a pseudo-field: the 对应上级部门 column, matched by pinyin
_FIELD_KEYS = (*FIELD_KEYS, "departments")
_FIELD_LABELS = (*FIELD_LABELS, "对应上级部门")

# How much one hit is worth, by where it is and how it was found.
_FIELD_WEIGHT = {NAME: 100.0, 1: 10.0, 2: 10.0, 3: 10.0, DEPARTMENTS: 60.0}
_VIA_WEIGHT = {"exact": 1.0, "pinyin": 0.9, "homophone": 0.8}
FUZZY_CUTOFF = 70.0  # measured: real typos score 75-86 here, unrelated words at most 60
FUZZY_MIN_LENGTH = 3  # a two-character word with one wrong character is noise at 50


def _is_han(ch: str) -> bool:
    # A plain comparison: compiling the equivalent regex costs ~2 ms per run.
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_PINYIN_WORD = re.compile(r"[a-z]+")


# Search records are NamedTuples, not dataclasses: they are made by the
# thousand, and each dataclass costs ~0.6 ms to define at every start-up.
class Hit(NamedTuple):
    word: str
    item: int  # index into the list's items
    line: int  # line of the text index; for a department hit, -1
    start: int  # span of the hit within that line's text
    end: int
    via: str  # exact | pinyin | homophone | fuzzy | segment | synonym | department
    field: int
    weight: float
    department: str | None = None  # the department a DEPARTMENTS hit names


class Match(NamedTuple):
    """Where one word of the query matched, for people and for JSON."""

    word: str
    via: str
    field: str
    column: str
    text: str
    start: int
    end: int
    department: str | None = None
    step: int | None = None  # 1-based; None for a heading or the name

    def as_dict(self) -> dict[str, object]:
        return {
            "word": self.word,
            "via": self.via,
            "field": self.field,
            "column": self.column,
            "department": self.department,
            "step": self.step,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


class Found(NamedTuple):
    item: Item
    score: float
    matched: list[Match]


def parse_fields(names: Iterable[str]) -> set[int] | None:
    chosen = set()
    for name in names:
        if name not in FIELD_KEYS:
            raise UsageError(f"--in 的值应为 {'、'.join(FIELD_KEYS)} 之一，而不是“{name}”")
        chosen.add(FIELD_KEYS.index(name))
    return chosen or None


def search(
    c: Compiled, query: list[str], fields: set[int] | None = None, limit: int | None = None
) -> list[Found]:
    from dutycli.text.concepts import SPLIT, WHOLE

    concepts = understand_query(c, query)
    # A segmentation that leaves a piece nobody understands may have cut a
    # typo apart (残疾个证): the whole word goes on to the homophone and typo stages too.
    readings = [concepts]
    whole = understand_query(c, query, WHOLE)
    if whole != concepts and any(not _known(c, k) for k in concepts):
        readings.append(whole)
    ranked: list[tuple[float, int, list[Hit]]] = []
    reading: list[Concept] = concepts
    for stage in (_exact, _homophone, _fuzzy):
        for reading in readings:
            ranked = _rank(c, reading, stage, fields)
            if ranked:
                break
        if ranked:
            break
    if ranked and reading is concepts:
        # A word the list holds as written (残疾人就业) ranks its items first,
        # then come the items holding all of its words (残疾人 … 就业).
        split = understand_query(c, query, SPLIT)
        if split != concepts:
            have = {i for _, i, _ in ranked}
            ranked += [r for r in _rank(c, split, _exact, fields) if r[1] not in have]
    if limit is not None:
        ranked = ranked[:limit]
    items = c.items([i for _, i, _ in ranked])
    return [
        Found(item, round(score, 1), _matches(c.texts, item, hits))
        for (score, _, hits), item in zip(ranked, items, strict=False)
    ]


def _rank(
    c: Compiled, concepts: list[Concept], stage: Stage, fields: set[int] | None
) -> list[tuple[float, int, list[Hit]]]:
    """Items matching every concept at this stage, best first."""
    per_word = [_by_item(_concept_hits(c, concept, stage, fields)) for concept in concepts]
    common = set.intersection(*(set(d) for d in per_word))
    return sorted(
        (
            (_score(c.texts, [d[i] for d in per_word]), i, [h for d in per_word for h in d[i]])
            for i in common
        ),
        key=lambda x: (-x[0], x[1]),
    )


def _known(c: Compiled, concept: Concept) -> bool:
    """Whether the list holds the concept's word, or its word stands for something."""
    return concept.understood or concept.word.encode("utf-8") in c.texts.blob


# -- understanding the query (text/) -------------------------------------------


def understand_query(c: Compiled, query: list[str], split: str = "auto") -> list[Concept]:
    """The concepts of the query, through the layer search and check share."""
    from dutycli.text.concepts import understand
    from dutycli.text.layer import compiled_layer, compiled_sounds

    words = [w for q in query for w in q.split()]
    if not words:
        raise UsageError("请给出要搜索的词，例如：duty search 低保")
    layer = compiled_layer(c)
    blob = c.texts.blob

    def present(word: str) -> bool:
        raw = word.encode("utf-8")
        if not word.isascii():
            return raw in blob
        return raw.lower() in c.memo("blob_lower", blob.lower)  # a copy: only when asked

    return understand(
        " ".join(words),
        layer.vocab,
        layer.thesaurus,
        layer.departments,
        present,
        lambda: compiled_sounds(c, _char_readings(c)),
        lambda ch: _char_readings(c)(ch),
        split,
    )


def _char_readings(c: Compiled) -> Callable[[str], list[str]]:
    from dutycli.text.layer import char_readings

    result: Callable[[str], list[str]] = c.memo("char_readings", lambda: char_readings(c.readings))
    return result


def _concept_hits(
    c: Compiled, concept: Concept, stage: Stage, fields: set[int] | None
) -> list[Hit]:
    """Hits of any of a concept's terms: the user's words through ``stage``, the rest exactly."""
    hits: list[Hit] = []
    for term in concept.terms:
        if term.via == "department":
            hits += _department(c, concept.word, term.text, term.weight, fields)
            continue
        found = (stage if term.via in ("exact", "segment") else _exact)(c, term.text, fields)
        for h in found:
            via = h.via if term.via == "exact" or h.via != "exact" else term.via
            hits.append(h._replace(word=concept.word, via=via, weight=h.weight * term.weight))
    return hits


def _department(
    c: Compiled, word: str, name: str, weight: float, fields: set[int] | None
) -> list[Hit]:
    """A department named in the query matches every item of that department."""
    if fields is not None:
        return []
    from dutycli.text.layer import compiled_layer

    items = compiled_layer(c).department_items.get(name, [])
    w = _FIELD_WEIGHT[DEPARTMENTS] * weight
    return [Hit(word, i, -1, 0, len(name), "department", DEPARTMENTS, w, name) for i in items]


class NoMatch(NamedTuple):
    """Why a search found nothing: what each word was taken to mean, and the closest items."""

    tried: list[str]
    suggestions: list[Item]


def explain(
    c: Compiled, query: list[str], fields: set[int] | None = None, limit: int = 5
) -> NoMatch:
    """For an empty answer: the concepts tried, and the items that match the most of them."""
    from dutycli.text.concepts import tried

    concepts = understand_query(c, query)
    counts: dict[int, float] = {}
    for concept in concepts:
        per_item = _by_item(_concept_hits(c, concept, _homophone, fields))
        for i, hits in per_item.items():
            counts[i] = counts.get(i, 0.0) + 1000.0 + max(h.weight for h in hits)
    best = sorted(counts, key=lambda i: (-counts[i], i))[:limit]
    return NoMatch(tried(concepts), c.items(best))


# -- stages -------------------------------------------------------------------
# Hits carry byte offsets within their line; Match converts them to characters.


Stage = Callable[["Compiled", str, "set[int] | None"], "list[Hit]"]


def _lines(
    texts: TextIndex, spans: Iterable[tuple[int, int]], fields: set[int] | None
) -> Iterator[tuple[int, int, int, int]]:
    """(line, start, end, field) of blob spans, kept to the chosen fields."""
    for start, end in spans:
        line = texts.line_at(start)
        f = texts.refs[4 * line + 1]
        if fields is None or f in fields:
            base = texts.starts[line]
            yield line, start - base, end - base, f


def _find_all(blob: bytes | bytearray, needle: bytes) -> Iterator[tuple[int, int]]:
    pos = blob.find(needle)
    while pos != -1:
        yield pos, pos + len(needle)
        pos = blob.find(needle, pos + 1)


def _byte_span(text: str, start: int, end: int) -> tuple[int, int]:
    first = len(text[:start].encode("utf-8"))
    return first, first + len(text[start:end].encode("utf-8"))


def _exact(c: Compiled, word: str, fields: set[int] | None) -> list[Hit]:
    texts = c.texts
    blob, needle = texts.blob, word.encode("utf-8")
    if any(ch.isascii() and ch.isalpha() for ch in word):
        # bytes.lower() folds ASCII only and keeps every offset where it was.
        blob, needle = c.memo("blob_lower", texts.blob.lower), needle.lower()
    hits = [
        Hit(word, texts.refs[4 * line], line, s, e, "exact", f, _FIELD_WEIGHT[f])
        for line, s, e, f in _lines(texts, _find_all(blob, needle), fields)
    ]
    q = word.lower()
    if _PINYIN_WORD.fullmatch(q) and len(q) >= 2:
        hits += _pinyin(c, word, q, fields)
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


def _pinyin(c: Compiled, word: str, q: str, fields: set[int] | None) -> list[Hit]:
    index = c.pinyin
    texts = c.texts
    hits: list[Hit] = []
    weight = _FIELD_WEIGHT[NAME] * _VIA_WEIGHT["pinyin"]
    if fields is None or NAME in fields:
        name_lines = c.memo("name_lines", lambda: _name_lines(texts))
        for item, syllables in enumerate(index.names):
            for s, e in _pinyin_spans(syllables, q):
                line = name_lines[item]
                bs, be = _byte_span(texts.text(line), s, e)
                hits.append(Hit(word, item, line, bs, be, "pinyin", NAME, weight))
    if fields is None:
        # A department hit counts for every item of that department; its span
        # is in characters of the department's name.
        names = c.department_names
        matched: dict[str, tuple[int, int]] = {}
        for spelling, syllables in index.departments.items():
            canonical = names[spelling]
            for s, e in _pinyin_spans(syllables, q):
                if spelling == canonical:
                    matched[canonical] = (s, e)
                else:
                    matched.setdefault(canonical, (0, 0))
                break
        dept_weight = _FIELD_WEIGHT[DEPARTMENTS] * _VIA_WEIGHT["pinyin"]
        for item, departments in enumerate(index.item_departments):
            for name in departments:
                if name in matched:
                    s, e = matched[name]
                    hits.append(Hit(word, item, -1, s, e, "pinyin", DEPARTMENTS, dept_weight, name))
    return hits


def _name_lines(texts: TextIndex) -> list[int]:
    return [line for line in range(len(texts)) if texts.refs[4 * line + 1] == NAME]


def _homophone(c: Compiled, word: str, fields: set[int] | None) -> list[Hit]:
    hits = _exact(c, word, fields)
    if not any(_is_han(ch) for ch in word):
        return hits
    readings = c.readings
    parts = []
    for ch in word:
        alike = {ch}
        if _is_han(ch):
            alike |= {x for chars in readings.values() if ch in chars for x in chars}
        parts.append(b"(?:" + b"|".join(re.escape(x.encode("utf-8")) for x in sorted(alike)) + b")")
    pattern = re.compile(b"".join(parts))
    texts = c.texts
    matches = ((m.start(), m.end()) for m in pattern.finditer(texts.blob))
    # A slip of the input method changes a character or two, not the word:
    # at least half the characters must be the ones typed (火箭 is not 或检).
    need = (len(word) + 1) // 2
    weight = _VIA_WEIGHT["homophone"]
    for line, s, e, f in _lines(texts, matches, fields):
        found = texts.raw(line)[s:e].decode("utf-8")
        same = sum(a == b for a, b in zip(found, word, strict=True))
        if found != word and same >= need:
            hits.append(
                Hit(
                    word,
                    texts.refs[4 * line],
                    line,
                    s,
                    e,
                    "homophone",
                    f,
                    _FIELD_WEIGHT[f] * weight,
                )
            )
    return hits


def _fuzzy(c: Compiled, word: str, fields: set[int] | None) -> list[Hit]:
    hits = _homophone(c, word, fields)
    if len(word) < FUZZY_MIN_LENGTH:
        return hits
    from rapidfuzz import fuzz, process  # only when nothing matched exactly

    texts = c.texts
    query = word.casefold()
    lines = texts.blob.decode("utf-8").split("\n")[:-1]
    found = process.extract(
        query,
        lines,
        scorer=fuzz.partial_ratio,
        processor=str.casefold,
        score_cutoff=FUZZY_CUTOFF,
        limit=None,
    )
    for text, score, line in found:
        f = texts.refs[4 * line + 1]
        if fields is not None and f not in fields:
            continue
        span = fuzz.partial_ratio_alignment(query, text.casefold())
        s, e = _byte_span(text, span.dest_start, span.dest_end) if span else (0, len(text))
        weight = _FIELD_WEIGHT[f] * 0.6 * score / 100
        hits.append(Hit(word, texts.refs[4 * line], line, s, e, "fuzzy", f, weight))
    return hits


# -- ranking ------------------------------------------------------------------


def _by_item(hits: list[Hit]) -> dict[int, list[Hit]]:
    out: dict[int, list[Hit]] = {}
    for hit in hits:
        out.setdefault(hit.item, []).append(hit)
    return out


def _score(texts: TextIndex, hits_per_word: list[list[Hit]]) -> float:
    """A name hit outweighs any number of text hits; more and closer hits add a little."""
    score = 0.0
    line_sets: list[set[int]] = []
    for hits in hits_per_word:
        best = max(hits, key=lambda h: h.weight)
        score += best.weight + min(len(hits) - 1, 9)
        if best.field == NAME and best.line >= 0:
            name_length = texts.starts[best.line + 1] - texts.starts[best.line] - 1
            score += 20.0 * (best.end - best.start) / max(name_length, 1)
        line_sets.append({h.line for h in hits if h.line >= 0})
    if len(hits_per_word) > 1 and set.intersection(*line_sets):
        score += 15.0  # all words within one sentence
    if len(hits_per_word) > 1 and all(any(h.field == NAME for h in hits) for hits in hits_per_word):
        score += 50.0  # every concept in the name: these items come first
    return score


def _matches(texts: TextIndex, item: Item, hits: list[Hit], per_word: int = 3) -> list[Match]:
    out: list[Match] = []
    seen: dict[str, set[int]] = {}
    for hit in sorted(hits, key=lambda h: (-h.weight, h.line)):
        lines = seen.setdefault(hit.word, set())
        if len(lines) >= per_word or hit.line in lines:
            continue
        lines.add(hit.line)
        if hit.field == DEPARTMENTS:
            text, department, step = hit.department or "", hit.department, None
            start, end = hit.start, hit.end
        else:
            ref = texts.ref(hit.line)
            text = texts.text(hit.line)
            start, end = texts.chars(hit.line, hit.start, hit.end)
            department = (
                "、".join(item.upper_duties[ref.group].departments) if hit.field == 1 else None
            )
            step = ref.step + 1 if ref.step >= 0 else None
        out.append(
            Match(
                hit.word,
                hit.via,
                _FIELD_KEYS[hit.field],
                _FIELD_LABELS[hit.field],
                text,
                start,
                end,
                department,
                step,
            )
        )
    return out
