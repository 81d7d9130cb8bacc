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

Between query and store: ``understand_query`` reads the query through the
query-understanding layer (``dutycli.text``: segmentation, the thesaurus,
department names, typos by sound) into concepts, each with the terms that may
stand for it; an item matches when every concept matches one of its terms.
The store (``dutycli.store``) retrieves candidate lines through its FTS5
index of character bigrams — all of a term's bigrams for the exact stage, an
OR of bigrams for the homophone and fuzzy stages — and the pinyin of names;
this module confirms each hit on the few lines retrieved, scores and ranks
(``_score``), and decodes only the items shown. One word taken as typed with a
limit is ranked in SQL first (``Library.exact_candidates``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from dutycli.errors import UsageError
from dutycli.lists.model import Item
from dutycli.query.search_stages import (
    _FIELD_KEYS,
    _FIELD_LABELS,
    _FIELD_WEIGHT,
    DEPARTMENTS,
    Hit,
    Stage,
    _exact,
    _fuzzy,
    _homophone,
    lead,
)
from dutycli.store.library import Library, ListRef
from dutycli.store.schema import FIELD_KEYS, NAME

if TYPE_CHECKING:
    from dutycli.text.concepts import Concept


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
    source: ListRef | None = None  # the list the item is from


def parse_fields(names: Iterable[str]) -> set[int] | None:
    chosen = set()
    for name in names:
        if name not in FIELD_KEYS:
            raise UsageError(f"--in 的值应为 {'、'.join(FIELD_KEYS)} 之一，而不是“{name}”")
        chosen.add(FIELD_KEYS.index(name))
    return chosen or None


def query_words(query: list[str]) -> list[str]:
    """The words of a query, as typed (spaces separate them)."""
    words = [w for q in query for w in q.split()]
    if not words:
        raise UsageError("请给出要搜索的词，例如：duty search 低保")
    return words


class Results(list[Found]):
    """What ``search`` found, best first. ``partial``: no item matches every concept, and
    these are the items matching the most of them; ``unmatched``: then, the words that
    matched nothing; ``by_words``: how many items the words found; after them come (up to
    RELATED in all) the items most like the first (``search_related``), with no matches."""

    def __init__(
        self, found: list[Found], unmatched: list[str], partial: bool, by_words: int | None = None
    ) -> None:
        super().__init__(found)
        self.unmatched = unmatched
        self.partial = partial
        self.by_words = len(found) if by_words is None else min(by_words, len(found))

    def alike(self, shown: int) -> list[Found]:
        """Of the first ``shown``, the items no word matched: those most like the first."""
        return self[self.by_words : shown]


def search(
    lib: Library, query: list[str], fields: set[int] | None = None, limit: int | None = None
) -> Results:
    """The items matching every concept of the query, best first, followed (when fewer than
    RELATED) by those matching the most of them; when none matches every concept, those."""
    from dutycli.text.concepts import SPLIT, WHOLE

    concepts = understand_query(lib, query)
    # A segmentation that leaves a piece nobody understands may have cut a
    # typo apart (残疾个证): the whole word goes on to the homophone and typo stages too.
    readings = [concepts]
    whole = understand_query(lib, query, WHOLE)
    if whole != concepts and any(not _known(lib, k) for k in concepts):
        readings.append(whole)
    ranked: list[tuple[float, int, list[Hit]]] = []
    reading: list[Concept] = concepts
    # One word taken as typed and a limit: the store ranks the exact stage in
    # SQL and hands over only the items that can be shown; they are scored below
    # as ever. (A word with synonyms or a department reading is matched in full.)
    narrowed = None
    if limit and len(concepts) == 1 and len(readings) == 1:
        (term, *others) = concepts[0].terms
        if not others and term.via == "exact" and term.text == concepts[0].word:
            if lib.large():  # a province: the index's order picks the few
                narrowed = lib.index_candidates(term.text, fields, limit)
            else:
                narrowed = lib.exact_candidates(term.text, fields, limit)
    try:
        for stage in (_exact, _homophone, _fuzzy):
            lib.only_items = narrowed if stage is _exact else None
            for reading in readings:
                ranked = _rank(lib, reading, stage, fields)
                if ranked:
                    break
            if ranked:
                break
    finally:
        lib.only_items = None
    split = concepts
    if ranked and reading is concepts:
        # A word the list holds as written (残疾人就业) ranks its items first,
        # then come the items holding all of its words (残疾人 … 就业).
        split = understand_query(lib, query, SPLIT)
        if split != concepts:
            have = {i for _, i, _ in ranked}
            ranked += [r for r in _rank(lib, split, _exact, fields) if r[1] not in have]
    unmatched: list[str] = []
    partial = False
    # Few items hold every word: the items holding the most of them follow (or, when none
    # holds all, stand alone, with the words that matched nothing named). One word the
    # list holds whole (气象灾害预警) is followed by the items holding most of its words.
    words = concepts if len(concepts) > 1 or not ranked else split
    if (
        1 < len(words) <= PARTIAL_MAX_CONCEPTS
        and len(ranked) < RELATED
        and (not ranked or reading is concepts)
    ):
        more, unmatched = _rank_partial(lib, words, fields)
        partial = not ranked and bool(more)
        have = {i for _, i, _ in ranked}
        ranked += [r for r in more if r[1] not in have][: RELATED - len(ranked)]
        if not partial:
            unmatched = []
    by_words = len(ranked)
    if 0 < len(ranked) < min(RELATED, limit or RELATED) and fields is None and not lib.large():
        # A short answer is filled up with the items most like its first (search_related).
        from dutycli.query.search_related import neighbours

        have = {i for _, i, _ in ranked}
        ranked += neighbours(lib, ranked[0][1], ranked[-1][0], have, RELATED - len(ranked))
    if limit is not None:
        ranked = ranked[:limit]
    decoded = lib.decode([i for _, i, _ in ranked])
    found = [
        Found(item, round(score, 1), _matches(item, hits), ref)
        for (score, _, hits), (item, ref) in zip(ranked, decoded, strict=True)
    ]
    return Results(found, unmatched, partial, by_words)


# A query of several words that few items hold in full is followed by the items holding
# most of its words, up to this many in all (what a first screen shows).
RELATED = 5
# A pasted paragraph is no question: its words are not each looked up for a partial answer.
PARTIAL_MAX_CONCEPTS = 12
# A partial answer ranks by how many of the query's concepts an item holds, then by score.
_PER_CONCEPT = 1000.0
# ... each concept counting by its inverse item frequency, times this when the office's table
# or a department's name says what the word means (measured on the fit sets: 1.5 and 2 alike;
# at 2 a table word held by two items outranks a word of the list held by one).
_TOLD = 1.5


def _rank_partial(
    lib: Library, concepts: list[Concept], fields: set[int] | None
) -> tuple[list[tuple[float, int, list[Hit]]], list[str]]:
    """Items matching some of the concepts, the most first, and the words no item matched.

    A concept that few items hold says more than one most of them hold (by inverse
    item frequency), so that 残疾人 … 轮椅 ranks the item on 辅具 above any 残疾人 item;
    and a word the office's table (or a department's name) explains says more than a
    word the list merely holds somewhere (``told``): 孩子 … 没人抚养 ranks the item on
    事实无人抚养儿童 above the one whose name holds 孩子."""
    import math

    per_concept: list[dict[int, list[Hit]]] = []
    for concept in concepts:
        # As written (and what the word stands for): a homophone of one word of several
        # is noise (发射 is not 发社).
        per_concept.append(_by_item(_concept_hits(lib, concept, _exact, fields)))
    unmatched = [c.word for c, found in zip(concepts, per_concept, strict=True) if not found]
    if len(unmatched) == len(concepts):
        return [], unmatched
    total = max(len(set().union(*per_concept)), 1)
    weight = [
        math.log1p(total / len(found)) * (_TOLD if told(concept) else 1.0) if found else 0.0
        for concept, found in zip(concepts, per_concept, strict=True)
    ]
    scores: dict[int, float] = {}
    for found, w in zip(per_concept, weight, strict=True):
        for i in found:
            scores[i] = scores.get(i, 0.0) + w
    out = []
    for i, held in scores.items():
        hits = [found[i] for found in per_concept if i in found]
        out.append((_PER_CONCEPT * held + _score(hits), i, [h for hs in hits for h in hs]))
    return _in_order(lib, out), unmatched


def told(concept: Concept) -> bool:
    """Whether the office's own table (or a department's name) says what the word means."""
    from dutycli.text.concepts import DEPARTMENT, SYNONYM
    from dutycli.text.thesaurus import DOMAIN_WEIGHT

    return any(
        t.via == DEPARTMENT or (t.via == SYNONYM and t.weight >= DOMAIN_WEIGHT)
        for t in concept.terms
    )


def _rank(
    lib: Library, concepts: list[Concept], stage: Stage, fields: set[int] | None
) -> list[tuple[float, int, list[Hit]]]:
    """Items matching every concept at this stage, best first."""
    # Stop at the first concept that leaves no item: a pasted paragraph must
    # not run every stage over every one of its words.
    per_word: list[dict[int, list[Hit]]] = []
    common: set[int] = set()
    for n, concept in enumerate(concepts):
        found = _by_item(_concept_hits(lib, concept, stage, fields))
        common = set(found) if n == 0 else common & set(found)
        if not common:
            return []
        per_word.append(found)
    return _in_order(
        lib,
        [
            (_score([d[i] for d in per_word]), i, [h for d in per_word for h in d[i]])
            for i in common
        ],
    )


def _in_order(
    lib: Library, ranked: list[tuple[float, int, list[Hit]]]
) -> list[tuple[float, int, list[Hit]]]:
    """Best first; equal scores by list path and item id (whatever lists were rebuilt, and
    so the rowids: a cached answer and a fresh one agree). The page does the same."""
    ranked.sort(key=lambda x: (-x[0], x[1]))
    tied = [
        r[1]
        for n, r in enumerate(ranked)
        if (n and ranked[n - 1][0] == r[0]) or (n + 1 < len(ranked) and ranked[n + 1][0] == r[0])
    ]
    if tied:
        keys = lib.order_keys(tied)
        ranked.sort(key=lambda x: (-x[0], keys.get(x[1], ("", 0, 0))))
    return ranked


def _present(lib: Library, word: str) -> bool:
    """Whether the selected lists' text holds ``word`` as written (ASCII folded)."""
    memo: dict[str, bool] = lib.memo("present", dict)
    if word not in memo:
        memo[word] = bool(_exact(lib, word, None, pinyin=False))
    return memo[word]


def _known(lib: Library, concept: Concept) -> bool:
    """Whether the lists hold the concept's word, or its word stands for something."""
    return concept.understood or _present(lib, concept.word)


# -- understanding the query (text/) -------------------------------------------


def understand_query(lib: Library, query: list[str], split: str = "auto") -> list[Concept]:
    """The concepts of the query, through the layer search and check share."""
    from dutycli.query.layers import selection_layer
    from dutycli.text.concepts import Concept, Term, understand

    words = query_words(query)
    source = selection_layer(lib)
    if source is None:  # too many lists for a layer: the words as typed
        return [Concept(w, (Term(w, "exact", 1.0),)) for w in words]
    layer = source.layer()
    return understand(
        " ".join(words),
        layer.vocab,
        layer.thesaurus,
        layer.departments,
        lambda w: _present(lib, w),
        source.sounds,
        source.by_char(),
        split,
        lone=True,
        areas=True,
    )


def _concept_hits(
    lib: Library, concept: Concept, stage: Stage, fields: set[int] | None
) -> list[Hit]:
    """Hits of any of a concept's terms: the user's words through ``stage``, the rest exactly."""
    hits: list[Hit] = []
    for term in concept.terms:
        if term.via == "pinyin" and hits:
            continue  # the pinyin of names and departments found it: words by initials are moot
        if term.via == "department":
            hits += _department(lib, concept.word, term.text, term.weight, fields)
            continue
        found = (stage if term.via in ("exact", "segment") else _exact)(lib, term.text, fields)
        for h in found:
            # A word spelled in full pinyin is found as typed in Chinese, and says so as pinyin.
            via = h.via if term.via == "exact" or h.via != "exact" else term.via
            via = "pinyin" if via == "spelled" else via
            hits.append(h._replace(word=concept.word, via=via, weight=h.weight * term.weight))
    return hits


def _department(
    lib: Library, word: str, name: str, weight: float, fields: set[int] | None
) -> list[Hit]:
    """A department named in the query matches every item of that department, those it
    leads (named first in 对应上级部门) above those it is one of several for (``lead``)."""
    if fields is not None:
        return []
    w = _FIELD_WEIGHT[DEPARTMENTS] * weight
    rows = lib.department_rows(name)  # a row's place is known once it is read (rows.places)
    return [
        Hit(
            word,
            rowid,
            -1,
            0,
            len(name),
            "department",
            DEPARTMENTS,
            w * lead(rows.places[rowid]),
            name,
            name,
        )
        for rowid, _ in rows
    ]


class NoMatch(NamedTuple):
    """Why a search found nothing: what each word was taken to mean, and the closest items."""

    tried: list[str]
    suggestions: list[Item]


def explain(
    lib: Library, query: list[str], fields: set[int] | None = None, limit: int = 5
) -> NoMatch:
    """For an empty answer: the concepts tried, and the items that match the most of them."""
    from dutycli.text.concepts import tried

    concepts = understand_query(lib, query)
    counts: dict[int, float] = {}
    for concept in concepts:
        per_item = _by_item(_concept_hits(lib, concept, _homophone, fields))
        for i, hits in per_item.items():
            counts[i] = counts.get(i, 0.0) + 1000.0 + max(h.weight for h in hits)
    keys = lib.order_keys(counts)
    best = sorted(counts, key=lambda i: (-counts[i], keys.get(i, ("", 0, 0))))[:limit]
    return NoMatch(tried(concepts), [item for item, _ in lib.decode(best)])


# -- ranking ------------------------------------------------------------------


def _by_item(hits: list[Hit]) -> dict[int, list[Hit]]:
    out: dict[int, list[Hit]] = {}
    for hit in hits:
        out.setdefault(hit.item, []).append(hit)
    return out


def _score(hits_per_word: list[list[Hit]]) -> float:
    """A name hit outweighs any number of text hits; more and closer hits add a little."""
    score = 0.0
    line_sets: list[set[int]] = []
    for hits in hits_per_word:
        best = max(hits, key=lambda h: h.weight)
        score += best.weight + min(len(hits) - 1, 9)
        if best.field == NAME and best.line >= 0:
            # Measured in UTF-8 bytes, as the compiled cache before the store did.
            name_length = len(best.text.encode("utf-8"))
            covered = len(best.text[best.start : best.end].encode("utf-8"))
            score += 20.0 * covered / max(name_length, 1)
        line_sets.append({h.line for h in hits if h.line >= 0})
    if len(hits_per_word) > 1 and set.intersection(*line_sets):
        score += 15.0  # all words within one sentence
    return score


def _matches(item: Item, hits: list[Hit], per_word: int = 3) -> list[Match]:
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
            text, start, end = hit.text, hit.start, hit.end
            department = (
                "、".join(item.upper_duties[hit.group].departments) if hit.field == 1 else None
            )
            step = hit.step + 1 if hit.step >= 0 else None
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
