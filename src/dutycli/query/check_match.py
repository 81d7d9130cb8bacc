"""Matching a task against a list's items: its terms, and the items ranked by them.

A lexical matcher, no model and no network: tasks and items are compared as
bags of character bigrams (Chinese has no spaces, and bigrams carry most of
its words), weighted by BM25 over three fields of each item: its name, the
subdistrict's duties (what a notice asks the subdistrict to do) and the upper
departments' duties. The task is read through the query-understanding layer
search uses (``dutycli.text``): its words (segmentation), what they mean on
the list (data/thesaurus.yaml and 词林: 打分 → 考评, 小饭馆 → 餐饮), the
departments it names, typos read by their sound (争兵 → 征兵).

1. terms (``Matcher.weighted``, ``factors``, ``explained``): the task's
   bigrams, those of what its words mean (weighted below 1), and how much
   each says (an everyday word the list never uses is filler);
2. ranking (``Matcher.rank``): BM25 score, ``coverage`` (the share of what
   the task says that the item holds), ``name_coverage`` (the share of the
   item's name the task says), how much of the task the item's best single
   street step and best single department's step hold (``step``, ``upper``),
   and the qualifier family (``Matcher.qualifiers``);
3. ``Matcher.check`` hands them to the verdict (``check_verdict.decide``).

The words that say nothing, the items' fields and the hotline's wrapper are in
``check_terms``.

Nothing here depends on a list's or a subdistrict's name: only on the items.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from dutycli.errors import UsageError
from dutycli.lists.model import Department, Item, department_names
from dutycli.query.check_step import (
    Split,
    best_step,
    bigrams,
    department_step,
    split_step,
    step_index,
    street_step,
    worded,
)
from dutycli.query.check_terms import STOP_WORDS, account, fields, plain, siblings, unframe, untold
from dutycli.query.check_verdict import (
    NEAREST_BELOW,
    NEAREST_ITEMS,
    OFF_LIST,
    Evidence,
    Qualified,
    Scored,
    Verdict,
    decide,
    lead,
    nearest,
)

if TYPE_CHECKING:
    from dutycli.query.precedents import Index, Recall
    from dutycli.text.concepts import Concept
    from dutycli.text.layer import SoundIndex, TextLayer

SHORT = 10  # a short task, as people type one (2–8 characters, a few more with 开展…工作)
FILLER = 0.25  # weight of an everyday word the list never uses, in coverage
# An off-list task is flagged as a department's step when at least two of its words,
# this share of what it says, are that step's: on the off-list training tasks the
# flags above it named the department's own step (licensing, fining, exams, …).
SPLIT_OFF_SHARE = 0.2
# The candidates whose department column may hold the step a task asks for, and the least
# score (a share of the lead's) they must have.
STEP_CANDIDATES = 3
STEP_SCORE = 0.5
# Candidates this close to the lead (a share of its score) are as likely the task's item: a
# step the subdistrict does on one of them is no department's step.
STEP_TIE = 0.8

_FIELD_WEIGHTS = {"name": 2.5, "street": 1.5, "upper": 1.0}
_K1, _B = 1.2, 0.75


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
        sounds: Callable[[], SoundIndex] | None = None,
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
        self._sound_index: SoundIndex | None = None
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
        stop = set(STOP_WORDS)
        self.docs: list[dict[str, Counter[str]]] = []
        for item in self.items:
            parts = fields(item)
            self.docs.append(
                {f: Counter(g for g in bigrams(t) if g not in stop) for f, t in parts.items()}
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
        self.text = "\n".join(t for item in self.items for t in fields(item).values())
        self.account = account(self.text)  # which of a resident's words the list uses
        self.siblings = siblings(self.items)
        self.index = {id(item): i for i, item in enumerate(self.items)}
        self.name_totals = [sum(self.idf[g] for g in doc["name"]) or 1.0 for doc in self.docs]
        self.plain_names = [plain(item.name) for item in self.items]
        self.duty_texts = [
            item.name + "\n" + "\n".join(st for sec in item.street_duties for st in sec.steps)
            for item in self.items
        ]
        self.department_grams = {g for d in departments for g in bigrams(d.name) if g not in stop}
        # What a task may hold word for word: each item's name and each of its street steps.
        self.wholes = [
            [
                w
                for w in (
                    plain(item.name),
                    *(plain(st) for s in item.street_duties for st in s.steps),
                )
                if len(w) >= 2
            ]
            for item in self.items
        ]
        # Per item, which of its street steps and of its departments' steps hold each bigram
        # (the step features: how much of a task one step holds).
        self.street_steps = [
            step_index((st for sec in item.street_duties for st in sec.steps), stop)
            for item in self.items
        ]
        self.upper_steps = [
            step_index((st for block in item.upper_duties for st in block.steps), stop)
            for item in self.items
        ]
        self.item_texts = [
            "\n".join(fields(item).values()) + "\n" + "、".join(item.departments)
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

    def _sounds(self) -> SoundIndex:
        if self._sound_index is None:
            if self._sound_loader is not None:
                self._sound_index = self._sound_loader()
            else:
                from dutycli.text.layer import SoundIndex, build_sounds

                self._sound_index = SoundIndex(build_sounds(self.layer, self._char))
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

    @cached_property
    def rare(self) -> list[set[str]]:
        """Per item, the bigrams of its name and street duties that few items hold (nearest):
        worked out for the first 清单外 that needs them, not at every start (~3 ms)."""
        duty_grams = [set(doc["name"]) | set(doc["street"]) for doc in self.docs]
        duty_df = Counter(g for grams in duty_grams for g in grams)
        return [{g for g in grams if duty_df[g] <= NEAREST_ITEMS} for grams in duty_grams]

    def rank(self, task: str) -> list[Scored]:
        terms = self.weighted(task)
        factors = self.factors(task)
        own = [t for t, w in terms.items() if w >= 1.0]
        total = sum(self.idf.get(t, self.unknown_idf) * factors.get(t, 1.0) for t in own) or 1.0
        explained = self.explained(task)
        raw = set(bigrams(task))
        plain_task = plain(task)
        dept = self.department_grams
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
            held: dict[str, float] = {}
            for t in own:
                other_words = explained[index].get(t, 0.0)
                hit = 1.0 if any(t in doc[f] for f in doc) else other_words
                mass = self.idf.get(t, self.unknown_idf) * factors.get(t, 1.0)
                covered += mass * hit
                if hit >= 1.0:
                    held[t] = mass
                if t in doc["name"] or t in doc["street"] or (t in dept and t in doc["upper"]):
                    duty += mass  # naming the item's department is no word off its duty
                else:
                    duty += mass * other_words
                if hit or t in self.idf:
                    known += mass
            name = doc["name"]
            name_total = self.name_totals[index]
            said = sum(self.idf[g] for g in name if g in terms or g in raw)
            if self.plain_names[index] in plain_task:
                said = name_total  # the task names the item word for word
            step = best_step(self.street_steps[index], held)
            upper = best_step(self.upper_steps[index], held)
            out.append(
                Scored(
                    item,
                    score,
                    covered / total,
                    said / name_total,
                    covered / (known or 1.0),
                    duty / (known or 1.0),
                    step / total,
                    upper / total,
                    held,
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
        verdict = self._check(self.core(task), candidates)
        return verdict._replace(task=task)

    def _check(self, task: str, candidates: int) -> Verdict:
        ranked = self.rank(task)
        terms = self.weighted(task)
        qualified = self.qualifiers(ranked, terms) if ranked else None
        recall = self.recall(task, ranked, qualified)
        evidence = self.evidence(task)
        step = self.step(task, ranked, qualified)
        holds = self.holding(task, ranked)
        covers = self.covering(task, ranked)
        verdict = decide(
            task,
            ranked,
            qualified,
            evidence,
            candidates,
            recall=recall,
            step=step,
            holds=holds,
            covers=covers,
        )
        if verdict.verdict != OFF_LIST:
            item = verdict.matches[0].item
            split = split_step(item, self.pieces(task), self.idf)
            verdict = verdict._replace(split=split)
            if verdict.why is not None:
                matched = street_step(item, set(self.weighted(task)))
                verdict = verdict._replace(why=verdict.why._replace(street=matched))
        elif verdict.split is None and ranked and ranked[0].score > 0:
            # Off the list, but mostly a step the closest item gives its department: say whose.
            split = split_step(lead(ranked, qualified)[0].item, self.pieces(task), self.idf)
            if split is not None and self._mostly(evidence, split):
                verdict = verdict._replace(split=split)
        # Off the list with no note, and the model not all but sure of it: say where to look.
        p_off = verdict.why.off if verdict.why is not None else None
        unsure = p_off is not None and p_off < NEAREST_BELOW
        if verdict.verdict == OFF_LIST and verdict.split is None and unsure:
            rare = self.rare
            near = nearest(task, lead(ranked, qualified), lambda s: rare[self.index[id(s.item)]])
            verdict = verdict._replace(nearest=near)
        return verdict

    def holding(self, task: str, ranked: list[Scored]) -> list[Scored]:
        """The items whose name or one of whose street steps the task holds word for word:
        the one holding the longest such text first, then in the list's order (so that
        whatever else the task says does not reorder them)."""
        plain_task = plain(task)
        held: dict[int, int] = {}
        for item, wholes in zip(self.items, self.wholes, strict=True):
            longest = max((len(w) for w in wholes if w in plain_task), default=0)
            if longest:
                held[id(item)] = longest
        if not held:
            return []
        return sorted(
            (s for s in ranked if id(s.item) in held),
            key=lambda s: (-held[id(s.item)], self.index[id(s.item)]),
        )

    def covering(self, task: str, ranked: list[Scored]) -> list[Scored]:
        """For a short task (SHORT characters or fewer besides its stop words, as 开展征兵工作):
        the ranked items whose name or street duties hold every one of its words (stop words
        aside), as written or as what they mean (the thesaurus)."""
        # Short by what it says: a question's frame and the stop words (街道, 工作) do not
        # count (社区矫正对象日常管理，这个归我们街道管吗 is as short as its first words).
        said = plain(task)
        for word in STOP_WORDS:
            said = said.replace(word, "")
        if len(said) > SHORT or not ranked or ranked[0].score <= 0:
            return []
        words = [
            [t.text for t in c.terms]
            for c in self.concepts(task)
            if len(c.word) >= 2 and not all(g in self.stop for g in bigrams(c.word))
        ]
        if not words:
            return []
        texts = self.duty_texts
        return [
            s
            for s in ranked
            if all(any(t in texts[self.index[id(s.item)]] for t in terms) for terms in words)
        ]

    def step(self, task: str, ranked: list[Scored], qualified: Qualified | None) -> Split | None:
        """The department's step of the lead item the task asks for (check_step). When the
        lead item's department column does not word it, but a close candidate's does, the
        note names that item's department and step (the task names another item's step).
        Where the best items differ only in a qualifier, or score within STEP_TIE of the
        lead, a step the subdistrict does on one of them is no department's step
        (护理补贴资金发放: the subdistrict pays one of the two); nor is one the subdistrict
        does on an item whose street step the task holds word for word."""
        if not ranked or ranked[0].score <= 0:
            return None
        first = lead(ranked, qualified)
        found = department_step(first[0].item, task)
        if found is not None and not worded(first[0].item, found):
            for s in first[1:STEP_CANDIDATES]:
                if s.score < first[0].score * STEP_SCORE:
                    break
                other = department_step(s.item, task)
                if other is not None and worded(s.item, other):
                    found = other
                    break
        members = qualified.members if qualified is not None else []
        if found is not None:
            close = [s for s in first[1:STEP_CANDIDATES] if s.score >= first[0].score * STEP_TIE]
            members = [*members, *close, *self.holding(task, ranked)]
        if found is not None and any(department_step(s.item, task) is None for s in members):
            return None
        return found

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
        """How close the closest decided tasks are (None: none apply to the best item)."""
        if self.precedents is None or not ranked:
            return None
        name = lead(ranked, qualified)[0].item.name
        if not self.precedents.knows(name):
            return None  # an item of another list: the plain model
        return self.precedents.recall(self.grams(task), self.weight, name, skip)

    def core(self, task: str) -> str:
        """The task without its wrapper (``unframe``) and the words of a resident's account
        (``untold``): what it asks for."""
        return untold(unframe(task), self.account)

    def grams(self, text: str) -> set[str]:
        """The informative bigrams of a text (its framing, account and stop words left out)."""
        return {g for g in bigrams(self.core(text)) if g not in self.stop}

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
        # Exactly one named: a task naming several (a notice listing 小商店、小餐饮、小旅馆…)
        # names none of them above the others, even when one's words weigh a little more.
        winner = members[0] if top > 0 and second == 0 else None
        return Qualified(members, winner)


def _build_readings() -> dict[str, str]:
    from dutycli.store.build import reading_tables

    by_syllable, _ = reading_tables()
    return {syllable: "".join(chars) for syllable, chars in by_syllable.items()}
