"""What a query or task means: a list of concepts, each with the alternatives that express it.

A concept is one thing the user means (``word``, the user's text) with its
terms: the word itself, or the words segmentation split it into, the list's
words the thesaurus says it means, and the department it names. Search
requires every concept to match one of its terms; check scores the terms.
Both call ``understand``, so they never disagree about whether a word is
understood.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from dutycli.text.segment import Vocabulary, segment
from dutycli.text.thesaurus import Thesaurus

if TYPE_CHECKING:
    from dutycli.text.layer import SoundIndex

EXACT, SEGMENT, SYNONYM, DEPARTMENT = "exact", "segment", "synonym", "department"
HOMOPHONE = "homophone"
PINYIN = "pinyin"  # a known word the user typed by its initials (cjr → 残疾人)
SPELLED = "spelled"  # a known word the user typed in full pinyin (canjizheng → 残疾证)
AUTO, WHOLE, SPLIT = "auto", "whole", "split"  # how understand treats an unspaced word
DEPARTMENT_WEIGHT = 0.9
HOMOPHONE_WEIGHT = 0.85
PINYIN_WEIGHT = 0.9  # a word typed in full pinyin (canjizheng → 残疾证)
_MAX_READINGS = 64  # combinations of heteronym readings tried for one piece

# Words of notices and of the list alike that say nothing about which duty is meant.
_STOP = """
    的 了 和 与 及 或 对 为 向 在 把 将 从 由 于 等 各 请 并 也 再 要
    做 好 进行 开展 做好 工作 有关 相关 及时 组织 落实 完成 负责 协助 配合
    按照 根据 要求 通知 情况 认真 切实 确保 按时 街道 街镇 辖区 社区 本辖区
    各街道 请各 加强 推进 督促 全面 积极 一下 一些 我们 你们 他们 需要 帮忙
    怎么 如何 哪些 什么 事项 任务 通过 关于 以及 进一步 全区 本月 今年 月底
    近期 相关工作
"""
STOP_WORDS = frozenset(_STOP.split())
# How a clerk asks (燃气泄漏找谁, 残疾人有啥补贴, 噪音扰民咋办): words of the question, not of
# what it is about. They leave a query's concepts, so that they never make an answer empty.
_QUESTION = """
    有啥 有没有 有么 有吗 有什么 啥 咋 咋办 咋整 怎么办 怎么弄 怎样 怎么样 找谁 找哪 找哪个
    谁管 归谁管 归谁 谁负责 谁来管 谁去 谁去查 谁处理 哪个部门 什么部门 在哪 在哪里 在哪儿
    去哪 去哪儿 哪里 哪儿 吗 呢 吧 啊 呀 么 能不能 可不可以 可以 能否 是否 为啥 为什么
    那个 这个 一下子 还能 能领 有钱
"""
QUESTION_WORDS = frozenset(_QUESTION.split())
# Longest first: 归谁管 before 谁管, 怎么办 before 怎么; words of one length in the order
# written above (a set's order changes with the interpreter's hash seed: 有没有什么 lost
# 有没有 in one run and 有什么 in the next, leaving the word 有没 behind).
_QUESTION_ORDER = sorted(
    dict.fromkeys([*_QUESTION.split(), "怎么", "如何", "哪些", "什么"]), key=len, reverse=True
)


def strip_question(word: str) -> tuple[str, list[str]]:
    """``word`` without the question words it ends with or holds (找谁, 咋办, 有啥), and those
    words. A word that is nothing but a question word is kept as it is."""
    dropped: list[str] = []
    rest = word
    changed = True
    while changed:
        changed = False
        for q in _QUESTION_ORDER:
            if len(q) >= 2 and q in rest and rest != q:
                rest = rest.replace(q, " ")
                dropped.append(q)
                changed = True
    rest = " ".join(rest.split())
    return (rest or word), dropped


class Term(NamedTuple):
    text: str
    via: str  # exact | segment | synonym | department
    weight: float


class Concept(NamedTuple):
    word: str  # the user's text
    terms: tuple[Term, ...]

    @property
    def understood(self) -> bool:
        """Whether anything but the literal text stands for it (a synonym, a department)."""
        return any(t.via in (SYNONYM, DEPARTMENT, HOMOPHONE, PINYIN, SPELLED) for t in self.terms)


def _alternatives(
    word: str, via: str, thesaurus: Thesaurus, departments: dict[str, str], areas: bool = False
) -> list[Term]:
    terms = [Term(word, via, 1.0)]
    seen = {word}
    full = departments.get(word)
    if full:
        terms.append(Term(full, DEPARTMENT, DEPARTMENT_WEIGHT))
        seen.add(full)
    for target, weight, _source in thesaurus.expand(word, areas):
        if target in seen:
            continue
        seen.add(target)
        if target in departments:
            terms.append(Term(departments[target], DEPARTMENT, weight))
        else:
            terms.append(Term(target, SYNONYM, weight))
    return terms


def understand(
    query: str,
    vocab: Vocabulary,
    thesaurus: Thesaurus,
    departments: dict[str, str],
    present: Callable[[str], bool],
    sounds: Callable[[], SoundIndex] | None = None,
    readings: Callable[[str], list[str]] | None = None,
    split: str = AUTO,
    lone: bool = False,
    areas: bool = False,
) -> list[Concept]:
    """The concepts of ``query``; words separated by spaces are separate concepts.

    ``departments``: every department spelling (name, alias) -> its name.
    ``present(w)``: whether the list's text contains ``w``. A word the list
    contains, that the thesaurus knows or that names a department stays whole;
    any other word is segmented (``split``: AUTO; WHOLE never segments, SPLIT
    always does), and its pieces that mean
    nothing (stop words, numbers) drop out. A piece that is not understood but
    reads like a known word (``sounds()``: pinyin -> words, built on first
    need; ``readings``: a character's toneless syllables) also stands for that word: the usual slip
    of a pinyin input method (低宝金 → 低保金). Otherwise it stays as typed, so
    that the homophone and typo stages of search still see it. ``lone`` (search): a
    character of such a run that the thesaurus or the departments know is cut out of it
    (天天吵到半夜 → 天天 吵 到半夜). ``areas`` (search): the names of policy areas the table
    gives (兜底保障, 生育支持) are cut out of a word whole and stand for their areas' list words
    (``_cut_areas``).
    """
    concepts: list[Concept] = []

    def known(word: str) -> bool:
        return present(word) or bool(thesaurus.expand(word, areas)) or word in departments

    words = []
    for typed in query.split():
        stripped, _ = strip_question(typed) if not typed.isascii() else (typed, [])
        words += stripped.split()
    if sounds is not None:
        words = _join_syllables(words, present, sounds)
    if areas and any(len(w) >= 3 for w in words):  # (an area name cut out leaves a piece)
        names = thesaurus.area_words()
        words = [piece for word in words for piece in _cut_areas(word, names, present)]

    def single(ch: str) -> bool:
        return lone and (bool(thesaurus.expand(ch, areas)) or ch in departments)

    for word in words:
        # Pinyin, maybe with tone marks or numbers (cánjí, can2ji2): read as the letters.
        letters = pinyin_letters(word) if sounds is not None else None
        if letters and sounds is not None and not present(word):
            spelled = _pinyin_concepts(word, letters, sounds, thesaurus, departments, areas)
            if spelled:
                concepts += spelled
                continue
        if split == WHOLE or (known(word) and not (split == SPLIT and len(word) > 2)):
            concepts.append(
                Concept(word, tuple(_alternatives(word, EXACT, thesaurus, departments, areas)))
            )
            continue
        pieces = [p for p in segment(word, vocab) if not p.isdigit()]
        if sounds and readings:
            pieces = [
                q for p in pieces for q in _split_by_sound(p, known, sounds, readings, single)
            ]
        kept = [p for p in pieces if p not in STOP_WORDS and p not in QUESTION_WORDS]
        # A lone character is noise (卫星锅: 锅; 计生办: 办) unless it is all there is,
        # or it is a word the thesaurus or the departments know.
        kept = (
            [p for p in kept if len(p) > 1 or thesaurus.expand(p, areas) or p in departments]
            or kept
            or pieces
            or [word]
        )
        via = SEGMENT if len(kept) > 1 or kept[0] != word else EXACT
        for piece in dict.fromkeys(kept):
            terms = _alternatives(piece, via, thesaurus, departments, areas)
            if not known(piece) and piece not in vocab.costs and sounds and readings:
                for alike in _sounds_like(piece, sounds, readings):
                    for t in _alternatives(alike, HOMOPHONE, thesaurus, departments):
                        terms.append(t._replace(weight=t.weight * HOMOPHONE_WEIGHT))
            concepts.append(Concept(piece, tuple(terms)))
    return concepts


def _cut_areas(word: str, names: list[str], present: Callable[[str], bool]) -> list[str]:
    """``word`` with the names of areas it holds cut out whole (社会救助兜底保障 → 社会救助
    兜底保障), the longest first (``names`` are so ordered); the rest in pieces around them.
    A word the lists hold as written stays whole (another list's 《殡葬管理条例》)."""
    if not names or len(word) < 3 or word in names:
        return [word]
    for name in names:
        at = word.find(name)
        if at >= 0:
            if present(word):
                return [word]
            before, after = word[:at], word[at + len(name) :]
            return [
                *(_cut_areas(before, names, present) if before else []),
                name,
                *(_cut_areas(after, names, present) if after else []),
            ]
    return [word]


def _pinyin_concepts(
    word: str,
    letters: str,
    sounds: Callable[[], SoundIndex],
    thesaurus: Thesaurus,
    departments: dict[str, str],
    areas: bool = False,
) -> list[Concept]:
    """The concepts of a word of Latin letters the lists lack, read as pinyin: the known
    words it spells in full (SPELLED) or by initials (PINYIN), or, when it spells none whole,
    several known words in one run (dibaoshenqing → 低保 申请), a concept each. The word
    stays as typed; its first term is its letters (the pinyin of names is matched so)."""
    spelled = _spelled_whole(letters, sounds)
    by_initials = [] if spelled else _by_initials(letters, sounds)
    runs = [(word, letters, spelled or by_initials)]
    if not spelled and not by_initials:
        runs = [(run, run, found) for run, found in _spelled_words(letters, sounds)]
    via = PINYIN if by_initials else SPELLED
    concepts = []
    for run, plain, found_words in runs:
        terms = [Term(plain if plain != run.lower() else run, EXACT, 1.0)]
        for found in found_words:
            # A department spelled (minzhengju) stands for its items, not for its
            # name wherever a text mentions it.
            terms += [
                t._replace(
                    via=t.via if t.via == DEPARTMENT else via,
                    weight=PINYIN_WEIGHT * t.weight,
                )
                for t in _alternatives(found, EXACT, thesaurus, departments, areas)
                if not (t.via == EXACT and found in departments)
            ]
        concepts.append(Concept(run, tuple(dict.fromkeys(terms))))
    return concepts


def pinyin_letters(word: str) -> str | None:
    """``word`` as plain lower-case pinyin letters when it is Latin letters, maybe with tone
    marks (cánjí) or tone numbers after syllables (can2ji2); None for anything else."""
    if word.isascii():
        text = word.lower()
    elif any(
        c > "\u024f" and not ("\u0300" <= c <= "\u036f" or "\u1e00" <= c <= "\u1eff") for c in word
    ):
        return None  # beyond the Latin letters pinyin is written with (Chinese, say)
    else:
        from unicodedata import normalize

        text = "".join(c for c in normalize("NFD", word.lower()) if not "\u0300" <= c <= "\u036f")
    if not text.isascii() or not text[:1].isalpha():
        return None
    # A tone number (0-5) follows a letter; any other digit makes it no pinyin.
    text = "".join(c for n, c in enumerate(text) if not (c in "012345" and text[n - 1].isalpha()))
    return text if text.isalpha() else None


JOIN_MAX = 8  # words of pinyin typed apart (can ji zheng) that are tried as one


def _join_syllables(
    words: list[str], present: Callable[[str], bool], sounds: Callable[[], SoundIndex]
) -> list[str]:
    """Pinyin typed with spaces (can ji zheng, dibao shen qing): neighbouring Latin words
    that together, and only together, spell a known word become that one word."""
    out: list[str] = []
    i = 0
    while i < len(words):
        took = 1
        if pinyin_letters(words[i]) and not present(words[i]):
            for j in range(min(len(words), i + JOIN_MAX), i + 1, -1):
                letters = [pinyin_letters(w) for w in words[i:j]]
                if not all(letters):
                    continue
                if _spelled_whole("".join(w for w in letters if w), sounds):
                    took = j - i
                    break
        out.append("".join(words[i : i + took]))
        i += took
    return out


def _spelled_words(word: str, sounds: Callable[[], SoundIndex]) -> list[tuple[str, list[str]]]:
    """A run of pinyin cut into the fewest known words, each spelled in full (dibaoshenqing
    → dibao 低保, shenqing 申请); [] when it cannot be cut so."""
    q = word.lower()
    if len(q) < 6 or len(q) > 40:
        return []
    # best[i]: the fewest pieces spelling q[:i], as (end, words) pairs.
    best: list[list[tuple[int, list[str]]] | None] = [[]] + [None] * len(q)
    for i in range(len(q)):
        done = best[i]
        if done is None:
            continue
        for j in range(i + 3, len(q) + 1):
            found = _spelled_whole(q[i:j], sounds)
            here = best[j]
            if found and (here is None or len(here) > len(done) + 1):
                best[j] = [*done, (j, found)]
    cut = best[len(q)]
    if not cut or len(cut) < 2:
        return []
    out, start = [], 0
    for end, found in cut:
        out.append((word[start:end], found))
        start = end
    return out


def _by_initials(word: str, sounds: Callable[[], SoundIndex]) -> list[str]:
    """The known words whose syllables begin with the letters of ``word``, one letter a
    syllable (jmyb → 居民医保, fxcd → 飞线充电)."""
    if not 3 <= len(word) <= INITIALS_MAX:
        return []
    return list(sounds().initials().get(word, ()))


def _spelled_whole(word: str, sounds: Callable[[], SoundIndex]) -> list[str]:
    """The known words whose toneless pinyin, syllable by syllable (two or more), is ``word``
    (canjizheng → 残疾证): every way of cutting it into the syllables the sound index uses."""
    if len(word) < 3 or len(word) > 40:
        return []
    index = sounds()
    syllables = index.syllables()
    longest = max((len(s) for s in syllables), default=0)
    # cuts[i]: the ways of spelling word[:i] as syllables (a few at most).
    cuts: list[list[list[str]]] = [[[]]]
    cuts += [[] for _ in word]
    for i in range(len(word)):
        if not cuts[i]:
            continue
        for j in range(i + 1, min(len(word), i + longest) + 1):
            if word[i:j] in syllables:
                cuts[j] += [[*c, word[i:j]] for c in cuts[i]][:8]
    out: list[str] = []
    for cut in cuts[len(word)]:
        if len(cut) < 2:
            continue
        for found in index.words.get("-".join(cut), ()):
            if found not in out:
                out.append(found)
    return out


INITIALS_MAX = 8  # a longer run of letters is no abbreviation


def _all_han(text: str) -> bool:
    return all("\u3400" <= ch <= "\u9fff" for ch in text)


def _split_by_sound(
    piece: str,
    known: Callable[[str], bool],
    sounds: Callable[[], SoundIndex],
    readings: Callable[[str], list[str]],
    lone: Callable[[str], bool] = lambda ch: False,
) -> list[str]:
    """Cut a run segmentation could not place where part of it reads like a known word,
    or where one of its characters is a word the thesaurus or the departments know.

    电东车进楼 → 电东车 (reads as 电动车) + 进楼; 天天吵到半夜 → 天天 + 吵 + 到半夜.
    """
    if len(piece) <= 2 or known(piece) or not _all_han(piece):
        return [piece]
    out: list[str] = []
    loose = ""
    i = 0
    while i < len(piece):
        for size in (4, 3, 2, 1):
            part = piece[i : i + size]
            if len(part) != size:
                continue
            # A lone character only as the thesaurus or the departments know it; a longer
            # part as a known word or as what it reads like.
            found = (
                lone(part) if size == 1 else (known(part) or _sounds_like(part, sounds, readings))
            )
            if found:
                if loose:
                    out.append(loose)
                    loose = ""
                out.append(part)
                i += size
                break
        else:
            loose += piece[i]
            i += 1
    if loose:
        out.append(loose)
    return out


def _sounds_like(
    piece: str, sounds: Callable[[], SoundIndex], readings: Callable[[str], list[str]]
) -> list[str]:
    """Known words that read like ``piece`` and keep at least half its characters."""
    if not 2 <= len(piece) <= 6 or not _all_han(piece):
        return []
    keys = [""]
    for ch in piece:
        options = readings(ch) or [ch]
        keys = [f"{k}-{o}" if k else o for k in keys for o in options][:_MAX_READINGS]
    need = (len(piece) + 1) // 2
    out = []
    index = sounds().words
    for key in keys:
        for word in index.get(key, ()):
            same = sum(a == b for a, b in zip(word, piece, strict=True))
            if word != piece and same >= need and word not in out:
                out.append(word)
    return out


def tried(concepts: list[Concept]) -> list[str]:
    """For a message: each concept with what stood for it (残疾人（或 残疾）)."""
    out = []
    for concept in concepts:
        others = [t.text for t in concept.terms if t.text != concept.word]
        out.append(f"{concept.word}（或 {'、'.join(others)}）" if others else concept.word)
    return out
