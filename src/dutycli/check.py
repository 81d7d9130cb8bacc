"""Is a task that a department pushes down on the list, and which item is it?

A lexical matcher, no model and no network: tasks and items are compared as
bags of character bigrams (Chinese has no spaces, and bigrams carry most of
its words), weighted by BM25 over three fields of each item: its name, the
subdistrict's duties (what a notice asks the subdistrict to do) and the upper
departments' duties. A small table of the words staff and notices use for the
list's own terms (打分 → 考评, 电瓶车 → 电动自行车) bridges paraphrase.

The verdict rests on three measured quantities of the best item: ``score``
(BM25; a generic task such as 做好救助工作 scores low against every item),
``coverage``, the share of the task's informative bigrams (by IDF) that the
item contains (an off-list task is mostly words the list never uses), and
``margin``, how far its score is ahead of the next item's. The thresholds were
tuned on tests/data/check/cases.tsv and then checked, unchanged, on
tests/data/check/holdout.tsv. They depend on this list's vocabulary: a much
larger or different list wants them measured again.

The seam (kept for #8, which rewrites the matching policy): the query side is
``task_terms`` (task → terms), ``score`` (terms + field statistics → score and
coverage per item) and ``decide`` (ranked items → verdict). The store
(``Library.check_material``) gives the items of one subdistrict's lists; their
bigram counts (``item_doc``) and the subdistrict's BM25 statistics
(``stats_of``) come from those items only — a subdistrict has about a thousand
(three lists), so this is bounded whatever the size of the library, and the
verdict does not drift with how many other lists are loaded.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from dutycli.store.library import Library

from dutycli.model import BASIC, TAKEN_BACK, Department, Item, department_names, kind_of

ON_LIST, SIMILAR, OFF_LIST = "清单内", "相近", "清单外"
# A task on the subdistrict's 收回 list: a department took that duty back.
TAKEN = "已收回"

# Tuned on the labelled set (see module docstring).
# On cases.tsv the on-list tasks score 64-243 with coverage 0.35-0.86, the
# generic ones 18-56, the off-list ones have coverage 0.03-0.18.
SCORE_ON = 60.0
COVERAGE_ON = 0.3
COVERAGE_NEAR = 0.25
MARGIN_ON = 1.3

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

# Words staff and notices use, mapped to the words the list uses.
SYNONYMS: dict[str, str] = {
    "打分": "考评考核",
    "考核": "考评",
    "物业公司": "物业",
    "电瓶车": "电动自行车",
    "电动车": "电动自行车",
    "煤气": "燃气",
    "液化气": "燃气瓶装液化气",
    "气罐": "燃气罐",
    "老鼠": "鼠类病媒",
    "蚊子": "蚊虫病媒",
    "灭鼠": "鼠类病媒",
    "烧纸": "祭祀焚烧",
    "祭扫": "祭祀",
    "扫墓": "祭祀",
    "当兵": "征兵兵役",
    "参军": "征兵兵役",
    "失能": "生活不能自理",
    "低保户": "低保",
    "社保费": "社保基金催缴",
    "养老金": "养老保险待遇",
    "医保": "医疗保险",
    "看病": "医疗",
    "刑释": "刑满释放",
    "社区矫正对象": "社区矫正",
    "黄赌毒": "治安违法",
    "暴雨": "防汛内涝",
    "积水": "内涝",
    "地陷": "地质灾害",
    "塌方": "地质灾害",
    "危房": "危旧房",
    "锅盖": "卫星地面接收设施",
    "噪音": "噪声",
    "扰民": "噪声扰民",
    "烧秸秆": "秸秆焚烧",
    "散煤": "燃煤散烧",
    "农药": "高毒农药",
    "疫苗": "传染病",
    "疫情": "传染病疫情",
    "辅具": "辅助器具",
    "轮椅": "辅助器具",
    "残疾证": "残疾人证",
    "孤儿": "孤儿事实无人抚养儿童",
    "流浪": "流浪乞讨",
    "乞丐": "流浪乞讨",
    "养老服务站": "居家社区养老服务站点",
    "助学": "金秋助学",
    "高考": "高考报名",
    "门牌": "地名",
    "路名": "地名命名",
    "公租房": "公共租赁住房",
    "违约": "违约失信",
    "失信": "违约失信",
    "黑作坊": "食品安全",
    "外墙": "外墙保温",
    "垃圾桶": "垃圾分类",
    "消防通道": "消防车通道疏散通道",
    "楼道": "疏散通道",
}

_SEGMENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def _normalize(text: str) -> str:
    for staff_word, list_words in SYNONYMS.items():
        if staff_word in text:
            text += "，" + list_words
    return text


def bigrams(text: str) -> list[str]:
    out = []
    for run in _SEGMENT.findall(text.lower()):
        if len(run) == 1:
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


Doc = dict[str, dict[str, int]]  # field -> bigram -> count, stop words removed
STOP = frozenset(_STOP_WORDS)


class Stats(NamedTuple):
    """BM25 statistics of one subdistrict's items, computed when the store is built."""

    n: int
    df: dict[str, int]
    avg: dict[str, float]


class Scored(NamedTuple):
    item: Item
    score: float
    coverage: float
    source: Any = None  # the store's ListRef of the item's list, where known


class Verdict(NamedTuple):
    task: str
    verdict: str
    matches: list[Scored]  # best first: the item for 清单内/已收回, the candidates otherwise
    kind: str | None = None  # the kind of the matched item's list (清单内 and 已收回)


def _fields(item: Item) -> dict[str, str]:
    upper = "".join((b.heading or "") + "".join(b.steps) for b in item.upper_duties)
    if item.method:  # a 收回 item: how the department does it now
        upper += item.method
    street = "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    return {"name": item.name, "street": street, "upper": upper}


# -- storage side: computed at build time ---------------------------------------


def item_doc(item: Item) -> Doc:
    return {
        f: dict(Counter(g for g in bigrams(t) if g not in STOP)) for f, t in _fields(item).items()
    }


def stats_of(docs: Iterable[Doc]) -> Stats:
    n = 0
    df: Counter[str] = Counter()
    total = dict.fromkeys(_FIELD_WEIGHTS, 0)
    for doc in docs:
        n += 1
        df.update(set().union(*doc.values()))
        for f in _FIELD_WEIGHTS:
            total[f] += sum(doc[f].values())
    return Stats(n, dict(df), {f: total[f] / max(n, 1) for f in _FIELD_WEIGHTS})


def department_aliases(departments: Iterable[Department]) -> list[tuple[str, str]]:
    """Short forms a notice uses for a department, longest first (区卫健委 before 卫健委).

    Two-character forms (税务, 民政) are ordinary words in a notice and are
    left out: with them 协助税务部门催缴税款 looked like item 20.
    """
    names = department_names(tuple(departments))
    return sorted(
        ((alias, full) for alias, full in names.items() if alias != full and len(alias) >= 3),
        key=lambda pair: -len(pair[0]),
    )


# -- query side -----------------------------------------------------------------


def task_terms(task: str, aliases: list[tuple[str, str]]) -> list[str]:
    """The terms of a task: bigrams, with staff words and department short forms expanded."""
    text = _normalize(task)
    for alias, full in aliases:
        if alias in task:
            text += "，" + full
            task = task.replace(alias, "")
    return sorted({g for g in bigrams(text) if g not in STOP})


def score(
    terms: list[str], docs: Iterable[tuple[Any, Doc]], stats: Stats
) -> list[tuple[Any, float, float]]:
    """(key, BM25 score, coverage) per doc, best first; ``stats`` are the subdistrict's."""
    n = stats.n
    idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in stats.df.items()}
    unknown_idf = math.log(1 + (n + 0.5) / 0.5)
    total = sum(idf.get(t, unknown_idf) for t in terms) or 1.0
    out = []
    for key, doc in docs:
        value = 0.0
        for f, weight in _FIELD_WEIGHTS.items():
            tf_field = doc[f]
            length = sum(tf_field.values())
            norm = _K1 * (1 - _B + _B * length / (stats.avg[f] or 1))
            for t in terms:
                tf = tf_field.get(t)
                if tf:
                    value += weight * idf[t] * tf * (_K1 + 1) / (tf + norm)
        covered = sum(idf[t] for t in terms if any(t in doc[f] for f in doc))
        out.append((key, value, covered / total))
    return out


def decide(
    task: str, ranked: list[Scored], kind_of_best: str | None = None, candidates: int = 5
) -> Verdict:
    """The verdict policy: thresholds on the best item's score, coverage and margin."""
    if not ranked or ranked[0].score <= 0:
        return Verdict(task, OFF_LIST, [])
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    clear = best.score >= SCORE_ON and best.score >= MARGIN_ON * runner_up
    if clear and best.coverage >= COVERAGE_ON:
        kind = kind_of(kind_of_best) if kind_of_best else None
        return Verdict(task, TAKEN if kind == TAKEN_BACK else ON_LIST, [best], kind)
    if best.coverage >= COVERAGE_NEAR:
        near = [s for s in ranked[:candidates] if s.score >= best.score / 3]
        return Verdict(task, SIMILAR, near)
    return Verdict(task, OFF_LIST, [])


def own_duty(verdict: Verdict) -> bool:
    """A 清单内 verdict on the 基本 list: the subdistrict's own duty."""
    return verdict.verdict == ON_LIST and verdict.kind == BASIC


class Matcher:
    """BM25 over the items of one list held in memory; build once, ask many times."""

    def __init__(self, items: Iterable[Item], departments: Iterable[Department] = ()) -> None:
        self.items = list(items)
        self.aliases = department_aliases(departments)
        self.docs = [item_doc(item) for item in self.items]
        self.stats = stats_of(self.docs)

    def query(self, task: str) -> list[str]:
        return task_terms(task, self.aliases)

    def rank(self, task: str) -> list[Scored]:
        scored = score(self.query(task), enumerate(self.docs), self.stats)
        out = [Scored(self.items[i], value, coverage) for i, value, coverage in scored]
        out.sort(key=lambda s: (-s.score, s.item.id))
        return out

    def check(self, task: str, candidates: int = 5) -> Verdict:
        return decide(task, self.rank(task), None, candidates)


def check_tasks(lib: Library, tasks: list[str], candidates: int = 5) -> list[Verdict]:
    """Verdicts on tasks against the one selected subdistrict's lists, from the store."""
    subdistrict = lib.one_subdistrict()
    everything, chosen, departments = lib.check_material(subdistrict)
    docs = {rowid: item_doc(item) for rowid, _, item in everything}
    stats = stats_of(docs.values())  # the whole subdistrict's, whatever else is loaded
    aliases = department_aliases(departments)
    out = []
    for task in tasks:
        terms = task_terms(task, aliases)
        wanted = set(terms)
        # Candidates: the selected items that hold a term of the task at all.
        held = {
            rowid: (ref, item)
            for rowid, ref, item in chosen
            if any(not wanted.isdisjoint(counts) for counts in docs[rowid].values())
        }
        scored = score(terms, ((rowid, docs[rowid]) for rowid in held), stats)
        scored.sort(key=lambda s: (-s[1], s[0]))
        ranked = [
            Scored(held[rowid][1], value, coverage, held[rowid][0])
            for rowid, value, coverage in scored[: candidates + 1]
        ]
        out.append(decide(task, ranked, ranked[0].source.kind if ranked else None, candidates))
    return out
