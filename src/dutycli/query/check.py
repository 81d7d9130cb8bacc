"""Is a task that a department pushes down on the list, and which item is it?

A lexical matcher, no model and no network: tasks and items are compared as
bags of character bigrams (Chinese has no spaces, and bigrams carry most of
its words), weighted by BM25 over three fields of each item: its name, the
subdistrict's duties (what a notice asks the subdistrict to do) and the upper
departments' duties. The task is read through the query-understanding layer
search uses (``dutycli.text``): its words (segmentation), what they mean on
the list (data/thesaurus.yaml and 词林: 打分 → 考评, 小饭馆 → 餐饮), the
departments it names, typos read by their sound (争兵 → 征兵).

Three steps, kept apart so that a store can supply the statistics:

1. terms (``Matcher.weighted``, ``factors``, ``explained``): the task's
   bigrams, those of what its words mean (weighted below 1), and how much
   each says (an everyday word the list never uses is filler);
2. ranking (``Matcher.rank``): BM25 score, ``coverage`` (the share of what
   the task says that the item holds), ``name_coverage`` (the share of the
   item's name the task says);
3. the verdict (``decide``), a pure function of the ranked items, of what the
   task says (``Matcher.evidence``) and of the qualifier family
   (``Matcher.qualifiers``: items whose street duties are the same and whose
   names differ in one qualifier, such as the venue): the rules the issue
   states (the item's name in full; the family member whose qualifier the task
   names), then two logistic regressions over ``features`` (``check_model``),
   plus ``split_step`` (the task asks for a step the list gives a department).

The model is fitted by scripts/fit_check.py on the training files under
tests/data/check, its thresholds by cross-validation there; the held-out file
(heldout3.tsv), written independently before the fit, is scored and reported,
never fitted on. The weights depend on this list's vocabulary: a much larger or
different list wants them measured again.

Across kinds (``check_tasks``): a task is checked against one subdistrict's
lists (基本, 配合, 收回) together, with that subdistrict's items only, so the
verdict does not drift with how many other lists are loaded. A 清单内 match on
the 基本 list is the subdistrict's own duty; on the 收回 list it is a duty a
department took back (``TAKEN``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.errors import UsageError
from dutycli.lists.model import TAKEN_BACK, Department, Item, department_names, kind_of

if TYPE_CHECKING:
    from dutycli.query.check_model import VerdictModel
    from dutycli.query.precedents import Index, Recall
    from dutycli.store.library import Library
    from dutycli.text.concepts import Concept
    from dutycli.text.layer import TextLayer

ON_LIST, SIMILAR, OFF_LIST = "清单内", "相近", "清单外"
# A task on the subdistrict's 收回 list: a department took that duty back.
TAKEN = "已收回"

FILLER = 0.25  # weight of an everyday word the list never uses, in coverage
SPLIT_MIN_IDF = 3.0
# An off-list task is flagged as a department's step when at least two of its words,
# this share of what it says, are that step's: on the off-list training tasks the
# flags above it named the department's own step (licensing, fining, exams, …).
SPLIT_OFF_SHARE = 0.2

_FIELD_WEIGHTS = {"name": 2.5, "street": 1.5, "upper": 1.0}
_K1, _B = 1.2, 0.75

# Words of notices and of the list alike that say nothing about which duty is meant.
_STOP_WORDS = [
    "请各",
    "各街",
    "街道",
    "街镇",
    "辖区",
    "社区",
    "居民",
    "群众",
    "做好",
    "开展",
    "工作",
    "相关",
    "有关",
    "及时",
    "组织",
    "落实",
    "进行",
    "完成",
    "负责",
    "协助",
    "配合",
    "上报",
    "报送",
    "按照",
    "根据",
    "要求",
    "通知",
    "情况",
    "认真",
    "切实",
    "确保",
    "按时",
    "本月",
    "月底",
    "今年",
    "全区",
    "加强",
    "推进",
    "督促",
    "实际",
    "统筹",
    "定期",
    "日常",
    "对象",
    "人员",
    "材料",
    "信息",
    "并做",
    "并及",
    "好辖",
    "展辖",
    "区内",
]

_SEGMENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def bigrams(text: str) -> list[str]:
    out = []
    for run in _SEGMENT.findall(text.lower()):
        if len(run) == 1:
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


class Scored(NamedTuple):
    item: Item
    score: float
    coverage: float  # share of the task's informative bigrams (by IDF) the item holds
    name_coverage: float = 0.0  # share of the item's name (by IDF) the task says
    known: float = 0.0  # coverage of the part of the task whose bigrams the list uses
    duty: float = 0.0  # the same, by the item's name and the subdistrict's duties only
    source: Any = None  # the store's ListRef of the item's list, where known


class Evidence(NamedTuple):
    """What the task says, whatever item it is compared with."""

    mass: float  # IDF of the task's own informative bigrams (fillers weighed down)
    unknown: float  # of which bigrams the list never uses, in words nothing explains


class Split(NamedTuple):
    """The task asks the subdistrict for a step the list gives to a department."""

    item: int  # the item's id
    department: str
    step: str  # the department's step, as the list words it
    words: str  # the words of the task that are that step's


class Verdict(NamedTuple):
    task: str
    verdict: str
    matches: list[Scored]  # best first: the item for 清单内/已收回, the candidates otherwise
    split: Split | None = None
    kind: str | None = None  # the kind of the matched item's list (清单内 and 已收回)


def _fields(item: Item) -> dict[str, str]:
    upper = "".join((b.heading or "") + "".join(b.steps) for b in item.upper_duties)
    if item.method:  # a 收回 item: how the department does it now
        upper += item.method
    street = "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    return {"name": item.name, "street": street, "upper": upper}


class Matcher:
    """BM25 over the items of one list; build once, ask many times.

    ``layer`` is the list's compiled query-understanding layer (text/): the
    same segmentation, thesaurus and department names search uses.
    """

    def __init__(
        self,
        items: Iterable[Item],
        departments: Iterable[Department] = (),
        layer: TextLayer | None = None,
        readings: Callable[[], dict[str, str]] | None = None,
        sounds: Callable[[], dict[str, list[str]]] | None = None,
        precedents: Index | None = None,
    ) -> None:
        self.items = list(items)
        self.precedents = precedents  # decided tasks of this list (dutycli.query.precedents)
        departments = tuple(departments)
        if layer is None:
            from dutycli.text.layer import build_layer

            layer = build_layer(self.items, departments)
        self.layer = layer
        # Characters' readings, for typos; loaded the first time a word is not understood.
        self._readings = readings or _build_readings
        self._by_char: Callable[[str], list[str]] | None = None
        self._sound_index: dict[str, list[str]] | None = None
        self._sound_loader = sounds
        self._memo: dict[tuple[str, str], Any] = {}
        # A notice names a department by its short form (区住建局); the items
        # name it in full. Two-character forms (税务, 民政) are ordinary words
        # in a notice and are left out: with them 协助税务部门催缴税款 looked
        # like item 20. Longest spellings first, so 区卫健委 wins over 卫健委.
        names = department_names(departments)
        self.aliases = sorted(
            ((alias, full) for alias, full in names.items() if alias != full and len(alias) >= 3),
            key=lambda pair: -len(pair[0]),
        )
        stop = set(_STOP_WORDS)
        self.docs: list[dict[str, Counter[str]]] = []
        for item in self.items:
            fields = _fields(item)
            self.docs.append(
                {f: Counter(g for g in bigrams(t) if g not in stop) for f, t in fields.items()}
            )
        n = len(self.items)
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(set().union(*doc.values()))
        self.idf = {g: math.log(1 + (n - d + 0.5) / (d + 0.5)) for g, d in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)
        self.avg = {
            f: sum(sum(doc[f].values()) for doc in self.docs) / max(n, 1) for f in _FIELD_WEIGHTS
        }
        self.stop = stop
        self.text = "\n".join(t for item in self.items for t in _fields(item).values())
        self.siblings = _siblings(self.items)
        self.index = {id(item): i for i, item in enumerate(self.items)}
        self.item_texts = [
            "\n".join(_fields(item).values()) + "\n" + "、".join(item.departments)
            for item in self.items
        ]

    def _remember(self, kind: str, task: str, compute: Callable[[str], Any]) -> Any:
        # rank and check ask for a task's terms several times: segment it once.
        key = (kind, task)
        if key not in self._memo:
            self._memo[key] = compute(task)
        return self._memo[key]

    def concepts(self, task: str) -> list[Concept]:
        result: list[Concept] = self._remember("concepts", task, self._concepts)
        return result

    def weighted(self, task: str) -> dict[str, float]:
        """The task's bigrams (weight 1) and those of what its words mean (below 1)."""
        result: dict[str, float] = self._remember("weighted", task, self._weighted)
        return result

    def factors(self, task: str) -> dict[str, float]:
        """How much each of the task's bigrams says (see ``_factors``)."""
        result: dict[str, float] = self._remember("factors", task, self._factors)
        return result

    def _concepts(self, task: str) -> list[Concept]:
        from dutycli.text.concepts import understand

        layer = self.layer
        return understand(
            task,
            layer.vocab,
            layer.thesaurus,
            layer.departments,
            lambda w: w in self.text,
            self._sounds,
            self._char,
        )

    def _sounds(self) -> dict[str, list[str]]:
        if self._sound_index is None:
            if self._sound_loader is not None:
                self._sound_index = self._sound_loader()
            else:
                from dutycli.text.layer import build_sounds

                self._sound_index = build_sounds(self.layer, self._char)
        return self._sound_index

    def _char(self, ch: str) -> list[str]:
        if self._by_char is None:
            from dutycli.text.layer import char_readings

            self._by_char = char_readings(self._readings())
        return self._by_char(ch)

    def _weighted(self, task: str) -> dict[str, float]:
        """The task's bigrams (weight 1) and those of what its words mean (below 1)."""
        terms = {g: 1.0 for g in self.query(task)}
        for concept in self.concepts(task):
            for term in concept.terms:
                if term.via not in ("synonym", "department", "homophone"):
                    continue
                for g in bigrams(term.text):
                    if g not in self.stop and terms.get(g, 0.0) < term.weight:
                        terms[g] = term.weight
        return terms

    def explained(self, task: str) -> list[dict[str, float]]:
        """Per item, the task's bigrams whose word the item says in other words, with the weight."""
        out: list[dict[str, float]] = [{} for _ in self.items]
        for concept in self.concepts(task):
            others = [t for t in concept.terms if t.via in ("synonym", "department", "homophone")]
            if not others:
                continue
            grams = set(bigrams(concept.word))
            for i, text in enumerate(self.item_texts):
                weight = max((t.weight for t in others if t.text in text), default=0.0)
                if weight:
                    for g in grams:
                        out[i][g] = max(out[i].get(g, 0.0), weight)
        return out

    def query(self, task: str) -> list[str]:
        """The task's informative bigrams, within its words (dates and numbers left out)."""
        return sorted(self.factors(task))

    def _factors(self, task: str) -> dict[str, float]:
        """The task's bigrams, each with how much it says: an everyday word the list
        never uses (安排, 晚上) is filler, and counts FILLER of a word that names a duty."""
        text = task
        for alias, full in self.aliases:
            if alias in task:
                text += "，" + full
                task = task.replace(alias, "")
        out: dict[str, float] = {}
        costs = self.layer.vocab.costs
        for piece in self.pieces(text):
            filler = (
                piece in costs
                and piece not in self.text
                and not self.layer.thesaurus.expand(piece)
                and piece not in self.layer.departments
            )
            for g in bigrams(piece):
                if g not in self.stop:
                    out[g] = max(out.get(g, 0.0), FILLER if filler else 1.0)
        return out

    def pieces(self, text: str) -> list[str]:
        from dutycli.text.segment import segment

        return [p for p in segment(text, self.layer.vocab) if not p.isdigit()]

    def rank(self, task: str) -> list[Scored]:
        terms = self.weighted(task)
        factors = self.factors(task)
        own = [t for t, w in terms.items() if w >= 1.0]
        total = sum(self.idf.get(t, self.unknown_idf) * factors.get(t, 1.0) for t in own) or 1.0
        explained = self.explained(task)
        raw = set(bigrams(task))
        plain_task = _plain(task)
        out = []
        for index, (item, doc) in enumerate(zip(self.items, self.docs, strict=True)):
            score = 0.0
            for f, weight in _FIELD_WEIGHTS.items():
                tf_field, length = doc[f], sum(doc[f].values())
                norm = _K1 * (1 - _B + _B * length / (self.avg[f] or 1))
                for t, w in terms.items():
                    tf = tf_field.get(t)
                    if tf:
                        score += w * weight * self.idf[t] * tf * (_K1 + 1) / (tf + norm)
            covered = known = duty = 0.0
            for t in own:
                other_words = explained[index].get(t, 0.0)
                hit = 1.0 if any(t in doc[f] for f in doc) else other_words
                mass = self.idf.get(t, self.unknown_idf) * factors.get(t, 1.0)
                covered += mass * hit
                if t in doc["name"] or t in doc["street"]:
                    duty += mass
                else:
                    duty += mass * other_words
                if hit or t in self.idf:
                    known += mass
            name = doc["name"]
            name_total = sum(self.idf[g] for g in name) or 1.0
            said = sum(self.idf[g] for g in name if g in terms or g in raw)
            if _plain(item.name) in plain_task:
                said = name_total  # the task names the item word for word
            out.append(
                Scored(
                    item,
                    score,
                    covered / total,
                    said / name_total,
                    covered / (known or 1.0),
                    duty / (known or 1.0),
                )
            )
        out.sort(key=lambda s: (-s.score, s.item.id))
        return out

    def evidence(self, task: str) -> Evidence:
        factors = self.factors(task)
        understood = {g for c in self.concepts(task) if c.understood for g in bigrams(c.word)}
        mass = unknown = 0.0
        for t, w in self.weighted(task).items():
            if w >= 1.0:
                weight = self.idf.get(t, self.unknown_idf) * factors.get(t, 1.0)
                mass += weight
                if t not in self.idf and t not in understood:
                    unknown += weight
        return Evidence(mass, unknown)

    def check(self, task: str, candidates: int = 5) -> Verdict:
        if not task.strip():
            raise UsageError("请给出任务描述，例如：duty check 督促物业公司做好考评打分工作")
        ranked = self.rank(task)
        terms = self.weighted(task)
        qualified = self.qualifiers(ranked, terms) if ranked else None
        recall = self.recall(task, ranked, qualified)
        evidence = self.evidence(task)
        verdict = decide(task, ranked, qualified, evidence, candidates, recall=recall)
        if verdict.verdict != OFF_LIST:
            split = split_step(verdict.matches[0].item, self.pieces(task), self.idf)
            verdict = verdict._replace(split=split)
        elif ranked and ranked[0].score > 0:
            # Off the list, but mostly a step the closest item gives its department: say whose.
            split = split_step(lead(ranked, qualified)[0].item, self.pieces(task), self.idf)
            if split is not None and self._mostly(evidence, split):
                verdict = verdict._replace(split=split)
        return verdict

    def _mostly(self, evidence: Evidence, split: Split) -> bool:
        words = split.words.split("、")
        said = sum(self.idf.get(g, 0.0) for w in words for g in bigrams(w))
        return len(words) >= 2 and said >= SPLIT_OFF_SHARE * (evidence.mass or 1.0)

    def recall(
        self,
        task: str,
        ranked: list[Scored],
        qualified: Qualified | None,
        skip: Callable[[int], bool] | None = None,
    ) -> Recall | None:
        """How close the closest decided tasks of this list are (None: the list has none)."""
        if self.precedents is None or not ranked:
            return None
        name = lead(ranked, qualified)[0].item.name
        return self.precedents.recall(self.grams(task), self.weight, name, skip)

    def grams(self, text: str) -> set[str]:
        """The informative bigrams of a text (stop words left out)."""
        return {g for g in bigrams(text) if g not in self.stop}

    def weight(self, gram: str) -> float:
        return self.idf.get(gram, self.unknown_idf)

    def qualifiers(self, ranked: list[Scored], terms: dict[str, float]) -> Qualified | None:
        """When the best items differ only in a qualifier (the venue, the people served)."""
        best = ranked[0]
        index = self.index[id(best.item)]
        family = self.siblings.get(index)
        if not family:
            return None
        names = {i: self.docs[i]["name"] for i in family}
        said: dict[int, float] = {}
        for i in family:
            others = set().union(*(set(names[j]) for j in family if j != i))
            own = [g for g in names[i] if g not in others]
            said[i] = sum(self.idf[g] * terms[g] for g in own if g in terms)
        by_rank = {s.item.id: s for s in ranked}
        members = sorted(
            (by_rank[self.items[i].id] for i in family),
            key=lambda s: (-said[self.index[id(s.item)]], -s.score, s.item.id),
        )
        top = said[self.index[id(members[0].item)]]
        second = said[self.index[id(members[1].item)]] if len(members) > 1 else 0.0
        winner = members[0] if top > 0 and top > second else None
        return Qualified(members, winner)


class Qualified(NamedTuple):
    members: list[Scored]  # the items that differ only in a qualifier, the named one first
    winner: Scored | None  # the one whose qualifier the task names, if exactly one


def _build_readings() -> dict[str, str]:
    from dutycli.store.build import reading_tables

    by_syllable, _ = reading_tables()
    return {syllable: "".join(chars) for syllable, chars in by_syllable.items()}


def _plain(text: str) -> str:
    return "".join(_SEGMENT.findall(text))


def _siblings(items: list[Item]) -> dict[int, list[int]]:
    """Items whose street duties are the same word for word: only their names tell them apart."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        street = "\n".join(step for section in item.street_duties for step in section.steps)
        if street:
            groups.setdefault(street, []).append(i)
    return {i: family for family in groups.values() if len(family) > 1 for i in family}


def features(
    ranked: list[Scored],
    evidence: Evidence,
    qualified: Qualified | None,
    recall: Recall | None = None,
) -> list[float]:
    """The measured quantities the verdict model reads (``check_model.FEATURES``, then
    ``RECALL_FEATURES`` where the list has decided tasks), of ``lead(ranked, qualified)``."""
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    s1 = math.log1p(best.score)
    s2 = math.log1p(second.score) if second else 0.0
    mass = evidence.mass or 1.0
    return [
        s1,
        s1 - s2,
        best.coverage,
        best.name_coverage,
        best.known,
        evidence.unknown / mass,
        math.log1p(evidence.mass),
        1.0 if qualified is not None else 0.0,
        second.coverage if second else 0.0,
        best.duty,
        (1.0 - best.duty) if qualified is not None else 0.0,
        *(() if recall is None else (recall.off, recall.on, recall.off - recall.on)),
    ]


def decide(
    task: str,
    ranked: list[Scored],
    qualified: Qualified | None,
    evidence: Evidence,
    candidates: int = 5,
    model: VerdictModel | None = None,
    recall: Recall | None = None,
) -> Verdict:
    """The verdict policy: the rules the issue states, then the fitted model (check_model)."""
    if not ranked or ranked[0].score <= 0:
        return Verdict(task, OFF_LIST, [])
    # The task says an item's name in full (all of its words): that item, if only one.
    named_in_full = [s for s in ranked[:candidates] if s.name_coverage >= 1.0]
    if named_in_full:
        longest = max(len(s.item.name) for s in named_in_full)
        full = [s for s in named_in_full if len(s.item.name) == longest]
        if len(full) == 1:
            return Verdict(task, ON_LIST, full)
    if model is None:
        from dutycli.query.check_model import MODEL, PLAIN

        model = PLAIN if recall is None else MODEL
    ranked = lead(ranked, qualified)
    x = model.standard(features(ranked, evidence, qualified, recall))
    off = model.off.probability(x)
    if off > model.off_at:
        return Verdict(task, OFF_LIST, [])
    best = ranked[0]
    if qualified is not None:
        # Items that differ only in a qualifier: the one the task names, else all of them.
        if qualified.winner is not None and off <= model.named_at:
            return Verdict(task, ON_LIST, [qualified.winner])
        return Verdict(task, SIMILAR, qualified.members)
    if model.top.probability(x) > model.top_at and off <= model.sure_at:
        return Verdict(task, ON_LIST, [best])
    near = [s for s in ranked[:candidates] if s.score >= best.score / 3]
    return Verdict(task, SIMILAR, near)


def lead(ranked: list[Scored], qualified: Qualified | None) -> list[Scored]:
    """The ranking with the item whose qualifier the task names first."""
    if qualified is None or qualified.winner is None or ranked[0] is qualified.winner:
        return ranked
    return [qualified.winner, *(s for s in ranked if s is not qualified.winner)]


def split_step(item: Item, pieces: list[str], idf: dict[str, float]) -> Split | None:
    """Whether the task asks for a step the list gives the department, not the subdistrict.

    The task's words that are not in the item's name, that one department's
    step holds and that the subdistrict's duties never use.
    """
    name = set(bigrams(item.name))
    street = "".join("".join(s.steps) for s in item.street_duties)
    words = [p for p in dict.fromkeys(pieces) if len(p) >= 2 and p not in street]
    words = [w for w in words if not set(bigrams(w)) <= name]
    best: tuple[float, str, str, list[str]] | None = None
    for block in item.upper_duties:
        for step in block.steps:
            theirs = [w for w in words if w in step]
            weight = sum(idf.get(g, 0.0) for w in theirs for g in bigrams(w))
            if theirs and weight >= SPLIT_MIN_IDF and (best is None or weight > best[0]):
                best = (weight, "、".join(block.departments), step, theirs)
    if best is None:
        return None
    return Split(item.id, best[1], best[2], "、".join(best[3]))


class Subdistrict(NamedTuple):
    """One subdistrict's lists, ready to check tasks against (``subdistrict_matcher``)."""

    matcher: Matcher  # all of the subdistrict's items, with the lists' layer and decided tasks
    refs: list[Any]  # the store's ListRef of each of its lists
    of_item: dict[int, Any]  # id(item) -> the ListRef of its list
    wanted: set[int]  # id(item) of the items of the selected lists (--kind)


def subdistrict_matcher(lib: Library) -> Subdistrict:
    """The matcher of the one selected subdistrict, from the store.

    It holds all of the subdistrict's items (its statistics are the subdistrict's,
    whatever else is loaded), the layer of its lists and, where they are its list's
    alone, the shipped decided tasks (dutycli.query.precedents).
    """
    from dutycli.query.layers import LayerSource
    from dutycli.query.precedents import Precedents, for_lists

    everything, chosen, departments = lib.check_material(lib.one_subdistrict())
    refs = list(dict.fromkeys(ref for _, ref, _ in everything))
    items = [item for _, _, item in everything]
    source = LayerSource(lib, refs, lambda: items, lambda: departments)
    matcher = Matcher(items, departments, source.layer(), lib.readings, source.sounds)
    shipped = for_lists((ref.subdistrict, ref.kind) for ref in refs)
    if shipped is not None:
        raw = shipped[0]

        def compile_them() -> Index | None:
            found = Precedents.parse(raw.decode("utf-8", "replace"))
            return found.compile(matcher.grams, matcher.weight) if found else None

        matcher.precedents = source.precedents(raw, compile_them)
    of_item = {id(item): ref for _, ref, item in everything}
    wanted = {id(item) for _, _, item in chosen}
    return Subdistrict(matcher, refs, of_item, wanted)


def check_tasks(lib: Library, tasks: list[str], candidates: int = 5) -> list[Verdict]:
    """Verdicts on tasks against the one selected subdistrict's lists, from the store;
    matches are kept to the selected lists (``--kind``)."""
    matcher, refs, of_item, wanted = subdistrict_matcher(lib)
    out = []
    for task in tasks:
        verdict = matcher.check(task, candidates)
        matches = [
            m._replace(source=of_item[id(m.item)]) for m in verdict.matches if id(m.item) in wanted
        ]
        if not matches and verdict.verdict != OFF_LIST:
            verdict = Verdict(task, OFF_LIST, [])
        else:
            verdict = verdict._replace(matches=matches)
        if verdict.verdict == OFF_LIST and verdict.split and len(refs) > 1:
            verdict = verdict._replace(split=None)  # an item number alone names no list here
        if verdict.verdict == ON_LIST and matches:
            kind = kind_of(matches[0].source.kind)
            verdict = verdict._replace(verdict=TAKEN if kind == TAKEN_BACK else ON_LIST, kind=kind)
        out.append(verdict)
    return out
