"""Situation words: what residents, grid workers and 12345 hotline orders say for what an item
deals with (赌钱, 土坡, 卤肉, 花线, 丧失劳动能力), as entries of data/thesaurus.yaml.

Generated from the shipped table: every entry whose list word only a few items hold (a
situation or a duty, not a kind of venue or a department), with every everyday word of it,
put into a resident's, a grid worker's and a hotline order's sentence:

- an item holding the list word ranks among the first three (``Matcher.rank``), and
- ``check`` answers nearly all of them usefully (``USEFUL``): not a bare 清单外, and an item
  holding the list word is the one answered or among the first three candidates.

A resident's account of who saw it, where and when (我家楼下, 天天半夜) and the hotline's
wrapper (工单编号…，市民反映…，请属地街道核实处置并于5个工作日内回复) say nothing about
which duty is meant: they leave a task before it is compared (``Matcher.core``). Everyday
words of tasks the list does not hold (高龄津贴, 物业费, 加装电梯) stay 清单外 in the same
sentences.
"""

from __future__ import annotations

import pytest

from dutycli.lists.load import load
from dutycli.query.check import OFF_LIST, Matcher, Verdict, check_tasks, subdistrict_matcher
from dutycli.query.check_terms import account, fields, unframe, untold
from dutycli.store import open_library
from dutycli.text.thesaurus import read_table

from .conftest import DATA, REPO

LIST = load(DATA)
TEXTS = {item.id: "\n".join(fields(item).values()) for item in LIST.items}
DEPARTMENTS = {d.name for d in LIST.departments}
# How a resident, a grid worker and the hotline put what they saw.
VOICES = (
    "我家楼下{}，好几天了，也没人管",
    "网格员上报：小区里{}",
    "工单编号QS20261207-0042：市民反映{}，请属地街道核实处置并于5个工作日内回复。",
)
FEW = 3  # a list word held by more items names a kind of venue or a department, not a duty
# The share of the generated sentences check must answer usefully (95.6 % when written; 93.1 %
# after issue 18's sixth round), that share of a resident's and of a hotline order's (99.4 %
# each then), and the most of a resident's or a hotline order's that may be a bare 清单外 (0.4 %
# when written, 0.5 % then). The grid worker's two-word report (网格员上报：小区里…) is the one
# most often too short to say: 12 % bare when written, 16.5 % at the fifth round's end, 19.4 %
# after the sixth, whose refit answers more off-list tasks 清单外 (off_at 0.425 -> 0.40;
# cross-validated off-list 94.7 -> 95.3 %, with the bare on-list tasks of the fresh held-out
# sets' residents and hotline orders unchanged).
USEFUL = 0.93
TOLD_USEFUL = 0.99
BARE = 0.01


def _situations() -> list[tuple[str, str, frozenset[int]]]:
    """(list word, everyday word, the items holding the list word) for every such entry."""
    table = read_table(REPO / "data" / "thesaurus.yaml")
    out = []
    for term, words in table.items():
        held = frozenset(i for i, text in TEXTS.items() if term in text)
        if held and len(held) <= FEW and term not in DEPARTMENTS:
            # A task's numbers are left out of it (4050人员 reads as 人员): words without them.
            out += [(term, word, held) for word in words if not any(c.isdigit() for c in word)]
    return out


SITUATIONS = _situations()
SENTENCES = [
    (term, word, held, voice.format(word)) for term, word, held in SITUATIONS for voice in VOICES
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return subdistrict_matcher(open_library(None)).matcher


@pytest.fixture(scope="module")
def verdicts() -> list[Verdict]:
    return check_tasks(open_library(None), [s for *_, s in SENTENCES])


def test_the_table_has_situation_words_for_every_item() -> None:
    """Every item of the list has everyday words of its own in the table."""
    covered = {i for _, _, held in SITUATIONS for i in held}
    assert covered == set(TEXTS)
    assert len(SITUATIONS) >= 600


def test_every_everyday_word_survives_the_account_filter(matcher: Matcher) -> None:
    """A phrase holding a resident's account word or a spoken filler (没人管, 一下, 楼上:
    check_terms) loses it before matching and can never match: the table has none."""
    table = read_table(REPO / "data" / "thesaurus.yaml")
    dead = [(term, w) for term, words in table.items() for w in words if matcher.core(w) != w]
    assert dead == []


def test_a_situation_word_ranks_its_item_among_the_first(matcher: Matcher) -> None:
    missed = []
    for term, word, held, sentence in SENTENCES:
        first = [s.item.id for s in matcher.rank(matcher.core(sentence))[:3]]
        if not held & set(first):
            missed.append((word, term, sorted(held), first))
    assert missed == []


def test_a_situation_word_is_answered_usefully(verdicts: list[Verdict]) -> None:
    bare, useful = [], 0
    for (_, _, held, sentence), v in zip(SENTENCES, verdicts, strict=True):
        if v.verdict == OFF_LIST and v.split is None:
            bare.append(sentence)
        elif held & {m.item.id for m in v.matches[:3]}:
            useful += 1
    assert useful >= USEFUL * len(SENTENCES), bare[:20]
    told = [s for s in bare if not s.startswith(VOICES[1][:5])]  # the resident's, the hotline's
    assert len(told) <= BARE * len(SENTENCES) * 2 / 3, told
    for voice in (VOICES[0], VOICES[2]):  # the resident's and the hotline order's, each
        mine = [
            (held, v)
            for (_, _, held, sentence), v in zip(SENTENCES, verdicts, strict=True)
            if sentence.startswith(voice[:4])
        ]
        answered = sum(
            1
            for held, v in mine
            if not (v.verdict == OFF_LIST and v.split is None)
            and held & {m.item.id for m in v.matches[:3]}
        )
        assert answered >= TOLD_USEFUL * len(mine), (voice, answered, len(mine))


@pytest.mark.parametrize(
    "words",
    [
        "高龄津贴没发",
        "物业费太贵",
        "想加装电梯",
        "楼下饭店油烟太大",
        "小区停车位不够",
        "快递柜收费",
    ],
)
def test_everyday_words_of_tasks_off_the_list_stay_off_it(words: str) -> None:
    tasks = [voice.format(words) for voice in VOICES]
    found = check_tasks(open_library(None), tasks)
    assert [v.verdict for v in found] == [OFF_LIST] * len(tasks)


@pytest.mark.parametrize(
    ("task", "core"),
    [
        (
            "工单编号QS2025-0311：市民反映小区车库里有人加工卤肉，请属地街道核实处置并于5个工作日内回复。",
            "小区车库里有人加工卤肉",
        ),
        ("市民来电反映：楼道堆物，请街道核实并回复", "楼道堆物"),
        ("会议议定：征兵宣传，由社区办牵头", "征兵宣传，由社区办牵头"),
        # Nothing but a wrapper: the task as it is.
        ("请街道处理", "请街道处理"),
    ],
)
def test_the_hotlines_wrapper_leaves_the_task(task: str, core: str) -> None:
    assert unframe(task) == core


def test_a_residents_account_leaves_the_task_but_the_lists_words_stay() -> None:
    text = "\n".join(TEXTS.values())
    pattern = account(text)
    assert untold("隔壁出租屋天天半夜打麻将好像在赌钱", pattern) == "，出租屋，，打麻将，在赌钱"
    # 有人 and 网格员 are the list's own words (所有人, 网格员): they stay.
    assert "有人" in text and "网格员" in text
    assert untold("网格员发现有人飞线充电", pattern) == "网格员发现有人飞线充电"
    # All of it an account: the task as it is.
    assert untold("我家楼下", pattern) == "我家楼下"
    # A list that words an account word keeps it.
    assert untold("楼下有人赌钱", account(text + "楼下")) == "楼下有人赌钱"
