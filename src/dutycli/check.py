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
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from dutycli.model import Department, Item, department_names

ON_LIST, SIMILAR, OFF_LIST = "清单内", "相近", "清单外"

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


class Scored(NamedTuple):
    item: Item
    score: float
    coverage: float


class Verdict(NamedTuple):
    task: str
    verdict: str
    matches: list[Scored]  # best first: the item for 清单内, the candidates otherwise


def _fields(item: Item) -> dict[str, str]:
    upper = "".join((b.heading or "") + "".join(b.steps) for b in item.upper_duties)
    street = "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    return {"name": item.name, "street": street, "upper": upper}


class Matcher:
    """BM25 over the items of one list; build once, ask many times."""

    def __init__(self, items: Iterable[Item], departments: Iterable[Department] = ()) -> None:
        self.items = list(items)
        # A notice names a department by its short form (区住建局); the items
        # name it in full. Two-character forms (税务, 民政) are ordinary words
        # in a notice and are left out: with them 协助税务部门催缴税款 looked
        # like item 20. Longest spellings first, so 区卫健委 wins over 卫健委.
        names = department_names(tuple(departments))
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

    def query(self, task: str) -> list[str]:
        text = _normalize(task)
        for alias, full in self.aliases:
            if alias in task:
                text += "，" + full
                task = task.replace(alias, "")
        return sorted({g for g in bigrams(text) if g not in self.stop})

    def rank(self, task: str) -> list[Scored]:
        terms = self.query(task)
        total = sum(self.idf.get(t, self.unknown_idf) for t in terms) or 1.0
        out = []
        for item, doc in zip(self.items, self.docs, strict=True):
            score = 0.0
            for f, weight in _FIELD_WEIGHTS.items():
                tf_field, length = doc[f], sum(doc[f].values())
                norm = _K1 * (1 - _B + _B * length / (self.avg[f] or 1))
                for t in terms:
                    tf = tf_field.get(t)
                    if tf:
                        score += weight * self.idf[t] * tf * (_K1 + 1) / (tf + norm)
            covered = sum(self.idf[t] for t in terms if any(t in doc[f] for f in doc))
            out.append(Scored(item, score, covered / total))
        out.sort(key=lambda s: (-s.score, s.item.id))
        return out

    def check(self, task: str, candidates: int = 5) -> Verdict:
        ranked = self.rank(task)
        if not ranked or ranked[0].score <= 0:
            return Verdict(task, OFF_LIST, [])
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        clear = best.score >= SCORE_ON and best.score >= MARGIN_ON * runner_up
        if clear and best.coverage >= COVERAGE_ON:
            return Verdict(task, ON_LIST, [best])
        if best.coverage >= COVERAGE_NEAR:
            near = [s for s in ranked[:candidates] if s.score >= best.score / 3]
            return Verdict(task, SIMILAR, near)
        return Verdict(task, OFF_LIST, [])
