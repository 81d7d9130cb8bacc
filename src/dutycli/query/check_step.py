"""Whose step is it: the subdistrict's, or the department's pushed down?

A 配合 item has two columns: what the upper department does (审批, 核发, 认定,
处罚, 组织考试 …) and what the subdistrict does to help (宣传, 摸排, 初审, 上报 …).
A task on an item's topic that asks the subdistrict for the department's step is
not on the list ("清单之外无事项"): ``department_step`` finds it, and the verdict
becomes 清单外 with a note naming the department and its duty as the list words it.

The department's steps are recognised by the words that confer a department's
authority (``AUTHORITY``: approving, issuing, deciding, fining, examining, paying out
directly, giving a verdict), or by the words that hand a decision to the subdistrict
(``ON_ITS_OWN``: 直接发放, 自行组织, 由街道审批 …). A word counts only when the
subdistrict's own column does not give it that step: 审批 is the subdistrict's in
临时救助 (item 7 of the shipped list), and there it stays 清单内. A street duty that
only hands the step on (初审通过后上报区卫健委进行复审) does not make it the
subdistrict's.

``street_step`` says which step of the subdistrict's column a task matched, for
``check --explain``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from dutycli.lists.model import Item

SPLIT_MIN_IDF = 3.0  # the least a task's words must say to be called a department's step

_SEGMENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def bigrams(text: str) -> list[str]:
    """The character bigrams of the text's runs of letters and digits (lower-cased)."""
    out = []
    for run in _SEGMENT.findall(text.lower()):
        if len(run) == 1:
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


# Words of a department's authority, as lists word the upper column. Longest first
# when matched, so that 审核确认 wins over 审核.
AUTHORITY = (
    "审批",
    "批准",
    "审定",
    "审核确认",
    "核发",
    "签发",
    "颁发",
    "发证",
    "补办",
    "换证",
    "制证",
    "认定",
    "评定等级",
    "确定等级",
    "定等级",
    "鉴定报告",
    "出具",
    "结论",
    "笔试",
    "面试",
    "命题",
    "阅卷",
    "准考证",
    "考试",
    "定兵",
    "审定新兵",
    "役前教育",
    "处罚",
    "罚款",
    "罚单",
    "处以",
    "查处",
    "查封",
    "立案",
    "吊销",
    "停业整顿",
    "责令改正通知书",
    "拖离",
    "拖车",
    "拨付",
    "复审",
    "复核",
    "年审",
    "起诉",
    "核销",
    "竣工验收",
    "招标",
    "第三方评估",
    "第三方机构",
    "能力评估",
    "风险评估",
    "流行病学调查",
    "封锁",
    "配租",
    "分配公租房",
    "筹集",
    "命名",
    "更名审批",
    "事故认定",
    "抽检",
    "打击",
    "版权登记",
    "版权证书",
)
# The task hands the decision or the money to the subdistrict itself.
ON_ITS_OWN = re.compile(
    r"(说了算)|(?:直接|自行|自己|由街道|由我们街道|由你街道|让咱们街道|让咱街道|让街道)"
    r"[^，。；,;]{0,6}?"
    r"(发放|发下去|拨付|批|审批|审核|确定|确认|给定|定个|罚|处以|拖离|办理|委托|公布|"
    r"组织|采购|聘请|安置|出具|评估|认定|核销|办)"
)
# How a street duty or a task passes a step on rather than taking it (上报区卫健委进行复审,
# 拒不整改的报大队查处, 由第三方机构进行能力评估, 我局委托第三方评估).
_PASSES_ON = re.compile(
    r"(上报|报送|报至|报给|报区|报委|报局|报大队|报上去|报民政|报卫健|提交|交由|移交|反馈|委托|"
    r"我局|我委|由(?!街道|我们|你街道|咱)|经|待)[^，。；、]{0,12}$"
)
# After the word: the department's step is done already (审批结果, 复审通过了, 审定新兵会议后).
_DONE = re.compile(r"^(结果|通过|后|完毕|会议后|情况|办法|意见书?反馈)")
_TITLE = re.compile(r"《[^》]*》")
# Authority words that are also the inside of an ordinary word: 排查处理 is no 查处.
_INSIDE = {"查处": "排", "处以": "理", "考试": "招", "命名": "无"}


class Split(NamedTuple):
    """The task asks the subdistrict for a step the list gives to a department."""

    item: int  # the item's id
    department: str
    step: str  # the department's step, as the list words it
    words: str  # the words of the task that are that step's


class StreetStep(NamedTuple):
    """The step of the subdistrict's column (街道配合职责) a task matched best."""

    item: int
    section: int  # 1-based section of the column
    step: int  # 1-based step within it
    text: str
    words: str  # the task's words found in it


def _street_text(item: Item) -> str:
    return "\n".join("".join(s.steps) for s in item.street_duties)


def _street_gives(street: str, word: str) -> bool:
    """Whether the subdistrict's column gives it ``word`` as its own step (not only hands
    it on to the department: 上报区卫健委进行复审)."""
    for match in re.finditer(re.escape(word), street):
        before = street[max(0, match.start() - 16) : match.start()]
        before = re.split(r"[。；;\n]", before)[-1]
        if not _PASSES_ON.search(before):
            return True
    return False


def _asks_for(task: str, start: int, end: int) -> bool:
    """Whether the word at task[start:end] is asked of the subdistrict, not said of the
    department (报区卫健委复审) or of a step already done (审批结果)."""
    before = re.split(r"[，。；;,\n]", task[max(0, start - 16) : start])[-1]
    return not _PASSES_ON.search(before) and not _DONE.match(task[end:])


def authority_words(task: str, street: str = "") -> list[str]:
    """The words of the task that ask the subdistrict for a department's step, longest
    first: an authority word the street column ``street`` does not give it, or a step
    handed to the subdistrict to do on its own (直接发放, 自行组织)."""
    task = _TITLE.sub(lambda m: "\0" * len(m.group(0)), task)  # 《…认定办法》 names a rule
    found: list[str] = []
    taken = [False] * len(task)
    for word in sorted(AUTHORITY, key=len, reverse=True):
        for m in re.finditer(re.escape(word), task):
            if any(taken[m.start() : m.end()]) or _INSIDE.get(word, "\0") in (
                task[max(0, m.start() - 1) : m.start()],
                task[m.end() : m.end() + 1],
            ):
                continue
            taken[m.start() : m.end()] = [True] * len(word)
            if _asks_for(task, m.start(), m.end()) and not _street_gives(street, word):
                found.append(word)
    for m in ON_ITS_OWN.finditer(task):
        verb = m.group(m.lastindex or 0)
        if m.group(1) or not _street_gives(street, verb):
            found.append(m.group(0))
    return list(dict.fromkeys(found))


def department_step(item: Item, task: str) -> Split | None:
    """The department's step of ``item`` the task asks the subdistrict for, if any.

    Only a 配合 item has the two columns: a 基本 item is the subdistrict's own duty, and a
    收回 item (``method``) is a duty a department took back, which check names as such."""
    if item.method or not item.street_duties or not item.upper_duties:
        return None
    words = authority_words(task, _street_text(item))
    if not words:
        return None
    block, step = _closest_upper(item, words)
    return Split(item.id, block, step, "、".join(dict.fromkeys(words)))


def _closest_upper(item: Item, words: list[str]) -> tuple[str, str]:
    """The department and the step of the upper column that share the most with ``words``."""
    best: tuple[int, str, str] | None = None
    grams = {w[i : i + 2] for w in words for i in range(len(w) - 1)} | {
        ch for w in words for ch in w
    }
    for block in item.upper_duties:
        for step in block.steps:
            shared = sum(1 for g in grams if g in step)
            if best is None or shared > best[0]:
                best = (shared, "、".join(block.departments), step)
    if best is None:
        return "、".join(item.departments), ""
    return best[1], best[2]


def street_step(item: Item, grams: set[str]) -> StreetStep | None:
    """The step of the item's street column that holds the most of the task's bigrams."""
    best: tuple[int, StreetStep] | None = None
    for s, section in enumerate(item.street_duties, start=1):
        for k, text in enumerate(section.steps, start=1):
            held = sorted(g for g in grams if g in text)
            if held and (best is None or len(held) > best[0]):
                best = (len(held), StreetStep(item.id, s, k, text, "、".join(held)))
    return best[1] if best else None


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
