"""Whose step is it: the subdistrict's, or the department's pushed down?

A 配合 item has two columns: what the upper department does (审批, 核发, 认定,
处罚, 组织考试 …) and what the subdistrict does to help (宣传, 摸排, 初审, 上报 …).
A task on an item's topic that asks the subdistrict for the department's step is
not on the list ("清单之外无事项"): ``department_step`` finds it, and the verdict
becomes 清单外 with a note naming the department and its duty as the list words it.

Which steps are the department's comes from the item's own two columns, read through a
general table of the powers a department holds (``POWERS``: approving, issuing
certificates, recognising, examining, deciding recruits, fining, enforcing, suing; and
paying out, giving a verdict, assessing, accepting works, planning, publishing, naming,
reviewing, procuring …), each with the words lists and people use for it (审批/批准/批了,
核发/颁发/发证, 处罚/罚款/罚 …). ``powers`` reads which of them an item's department column
words and which its street column gives the subdistrict as its own step: a power the
street column gives, in any of its words, stays the subdistrict's (审批 in 临时救助, item
7 of the shipped list; 审核审批 in 低保, item 6); a firm power (the law's: 审批, 处罚 …)
is otherwise the department's, another only where the department's column words it. A
street duty that only hands the step on (初审通过后上报区卫健委进行复审), waits for it
(区残联制证完毕后) or takes its result (根据区民政局反馈的评估认定结果) does not make it
the subdistrict's. In the task, a word counts when it is asked of the subdistrict: not
handed on, not said of a department, not done already, not the name of a document
(调查评估意见书存档); or when the task hands a decision to the subdistrict to take on its
own (``ON_ITS_OWN``: 直接发放, 自行组织, 由街道审批 …).

``street_step`` says which step of the subdistrict's column a task matched, for
``check --explain``; the Split of a department's step names the department's column's.
``scripts/step_check.py`` measures the rule apart from the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from dutycli.lists.model import Item

# Whom a task is addressed to, not what it asks for: never a department's step (a column
# that says 各街道 hands something down to the subdistrict).
ADDRESSEES = frozenset(("街道", "各街道", "你街道", "本街道", "街镇", "乡镇", "社区", "属地"))
SPLIT_MIN_IDF = 3.0  # the least a task's words must say to be called a department's step
OWN_SHARE = 0.75  # of a word's bigrams in the item's name and street column: its own word

_SEGMENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def bigrams(text: str) -> list[str]:
    """The character bigrams of the text's runs of letters and digits (lower-cased)."""
    out = []
    for run in _SEGMENT.findall(text.lower()):
        if len(run) == 1:
            continue
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


# The powers a department holds and a subdistrict, by the list's design, does not: the
# kinds of administrative power (行政许可、确认、处罚、强制、给付、裁决 …) and the
# department's own acts a 配合 list keeps upstream (examining, assessing, accepting works,
# planning, publishing, naming). A general table of how lists and people word each one;
# which of them is a department's on an item the item's two columns say (``powers``). Cut
# to the words the shipped list's department columns use and those issue 18 names, the rule
# catches as many of the fit files' department-step tasks (scripts/step_check.py
# --list-words): the rest are everyday synonyms for wordings no labelled task has.
# ``firm``: a power the law gives departments, the subdistrict's only where its own column
# says so; the others are a department's step only where the department's column words
# them and the subdistrict's does not.
class Power(NamedTuple):
    name: str
    firm: bool
    words: tuple[str, ...]


POWERS = (
    Power(
        "审批",
        True,
        (
            "审批",
            "批准",
            "批复",
            "核准",
            "审定",
            "审核确认",
            "准予",
            "签批",
            "批了",
            "直接批",
            "来批",
            "给批",
            "批一下",
            "批下来",
        ),
    ),
    Power(
        "发证",
        True,
        ("核发", "签发", "颁发", "发证", "办证", "制证", "补办", "补证", "换证", "换发", "补发"),
    ),
    Power(
        "认定",
        True,
        ("认定", "鉴定", "评定", "定级", "评级", "判定", "定性", "资格确认", "确认资格"),
    ),
    Power("考试", True, ("考试", "笔试", "面试", "命题", "出题", "阅卷", "监考")),
    Power("定兵", True, ("定兵", "审定新兵", "批准入伍", "确定新兵")),
    Power(
        "处罚",
        True,
        (
            "处罚",
            "罚款",
            "罚单",
            "罚钱",
            "处以",
            "罚没",
            "吊销",
            "停业整顿",
            "责令改正",
            "责令停",
            "没收",
            "罚",
        ),
    ),
    Power(
        "强制",
        True,
        (
            "查封",
            "封停",
            "关停",
            "扣押",
            "扣车",
            "拖离",
            "拖走",
            "拖车",
            "强制拆除",
            "强拆",
            "封锁",
            "取缔",
            "查处",
            "立案",
            "打击",
        ),
    ),
    Power("诉讼", True, ("起诉", "诉讼", "打官司")),
    Power(
        "给付",
        False,
        (
            "发放",
            "拨付",
            "拨款",
            "支付",
            "付款",
            "结算",
            "兑付",
            "发钱",
            "打款",
            "发下去",
            "下拨",
            "代发",
        ),
    ),
    Power("结论", False, ("出具", "出结论", "下结论", "作出结论", "作出决定", "下定论")),
    Power("评估", False, ("评估", "评审", "评价", "测评")),
    Power("验收", False, ("验收",)),
    Power("计划", False, ("制定", "拟定", "编制", "起草")),
    Power("发布", False, ("发布", "公布")),
    Power("命名", False, ("命名", "更名")),
    Power("复审", False, ("复审", "复核", "年审", "终审")),
    Power("采购", False, ("采购", "招标", "购置", "配备", "购买")),
    Power("核销", False, ("核销",)),
    Power("调查", False, ("流行病学调查", "流调", "事故调查", "原因调查", "调查原因")),
)
# Phrases a task asks for a power by, the verb apart from its object (确定房屋安全等级,
# 出个结论, 开具鉴定报告, 发放版权证书).
PHRASES = (
    (re.compile(r"(?:确定|给定|定个|定|评)[^，。；,;]{0,8}?(?:等级|星级|档次)"), "认定"),
    (
        re.compile(
            r"(?:出具|开具|出个|出|下个|下|作出|做出)[^，。；,;]{0,8}?"
            r"(?:认定书|鉴定书|鉴定报告|处罚决定书?)"
        ),
        "认定",
    ),
    (
        re.compile(
            r"(?:出具|开具|出个|出|下个|下|作出|做出)[^，。；,;]{0,8}?"
            r"(?:结论|报告|意见书|决定书)"
        ),
        "结论",
    ),
    (re.compile(r"(?:发放|颁发|发给|发|开)[^，。；,;]{0,6}?(?:证书|执照|许可证)"), "发证"),
    (re.compile(r"调查[^，。；,;]{0,6}?原因"), "调查"),
)
_POWER_OF = {w: p for p in POWERS for w in p.words}
_BY_NAME = {p.name: p for p in POWERS}
# The words longest first, so that 审核确认 wins over 审核 and 处罚 over 罚.
_WORDS = sorted(_POWER_OF, key=len, reverse=True)
AUTHORITY = tuple(_WORDS)
# The task hands the decision or the money to the subdistrict itself.
ON_ITS_OWN = re.compile(
    r"(说了算)|(?:直接|自行|自己|由街道|由我们街道|由你街道|让咱们街道|让咱街道|让街道)"
    r"[^，。；,;]{0,6}?"
    r"(发放|发下去|拨付|钱发|批|审批|审核|确定|确认|给定|定个|罚|处以|拖离|办理|委托|公布|"
    r"组织|采购|聘请|安置|出具|评估|评|认定|核销|办)"
)
# How a street duty or a task passes a step on rather than taking it (上报区卫健委进行复审,
# 拒不整改的报大队查处, 由第三方机构进行能力评估, 我局委托第三方评估).
_PASSES_ON = re.compile(
    r"(上报|报送|报至|报给|报区|报委|报局|报大队|报上去|报民政|报卫健|提交|交由|移交|反馈|委托|"
    r"我局|我委|由(?!街道|我们|你街道|咱)|经(?:区|市|过|由|部门)|待)[^，。；、：:]{0,12}$"
)
# A department as the one doing it (区残联制证完毕后, 民政局批下来的), unless the
# subdistrict helps it (协助区残联验收) or it is telling the subdistrict (残联说…让街道).
_DEPARTMENT_DOES = re.compile(r"(?:局|委|残联|大队|中心|政府)[^，。；、：:说让要叫请通]{0,12}$")
_HELPS = re.compile(r"协助|配合|协同|联合|会同|跟着|陪同")
# After the word: the department's step is done already (审批结果, 复审通过了, 审定新兵会议后).
_DONE = re.compile(
    r"^(后|情况|办法|意见书?反馈|的通知|[\u4e00-\u9fff]{0,4}?(?:结果|通过|完毕|会议后)"
    # the result of the step, or applying for it (鉴定为C级, 认定为特困, 鉴定申报, 申请认定)
    r"|为|申报|申请)"
)
# After the word: it names a document, not the act (调查评估意见书存档, 发放清册).
_DOCUMENT = re.compile(r"^(意见书|报告|结论|清册|表|书|标准|办法|通知)")
# Before the word: it is done already (公告已发布, 经认定的老人, 已于5月10日在网站发布), newly
# (新认定的对象, 新办证的残疾人; 重新认定 asks for it again), by a third party (经第三方机构
# 评估), still going on (补贴仍在发放) or asked about (改完谁验收: a question of whose step).
_ALREADY = re.compile(
    r"(?:已|已经|业已|经|(?<!重)新|仍在|还在|正在)$|已于[^，。；]{0,14}$"
    r"|经(?:第三方|专业|专家|医院|鉴定机构|评估机构)[^，。；]{0,8}$"
    r"|(?:谁|哪个部门|哪个单位|哪家)[来去负责]{0,3}$"
)
# Before a word followed by 了: it is asked for all the same (把…了, 能不能直接去…了).
_ASKING = re.compile(r"把|直接|自行|能不能|可不可以|能否|可以|要|得|去|来|请|帮|给")
# After a word of paying out (给付): what is handed out is no money (发放宣传资料, 发放残疾人证).
_NOT_MONEY = re.compile(
    r"^(?:宣传|资料|传单|明白纸|倡议书|告知书|通知书|手册|调查表|问卷|[^，。；]{0,3}证)"
)
_TITLE = re.compile(r"《[^》]*》")
# A subdistrict's or community's office named as the one doing it (街道安全办牵头, 社区居委会
# 负责): its name is no verb (办, 站), so ON_ITS_OWN reads the task without it.
_OFFICE = re.compile(
    r"(?<=街道|街镇|社区|乡镇)[\u4e00-\u9fff]{1,4}?(?:办公室|办|所|站|中心|科|委员会|居委会)"
    r"(?=牵头|负责|直接|组织|具体|专人|派|统一|会同|联合|配合|协助|对|要|在|于|的|和|、|，)"
)
# Authority words that are also the inside of an ordinary word: 排查处理 is no 查处.
# (审核发放 and 稽核发现 are no 核发; 没收入 is no 没收.) Any of the characters, before or after.
_INSIDE = {
    "查处": "排",
    "处以": "理",
    "考试": "招",
    "命名": "无",
    "没收": "入",
    "核发": "稽审复查考现",
}


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
    it on to the department, 上报区卫健委进行复审, nor takes the department's step as done,
    区残联制证完毕后、根据区民政局反馈的评估认定结果)."""
    for match in re.finditer(re.escape(word), street):
        before = street[max(0, match.start() - 16) : match.start()]
        before = re.split(r"[。；;\n]", before)[-1]
        if not _passes_on(before) and not _DONE.match(street[match.end() :]):
            return True
    return False


def _passes_on(before: str) -> bool:
    """Whether the words before a step (to the start of its clause) hand it on to the
    department or say the department does it."""
    if _PASSES_ON.search(before):
        return True
    does = _DEPARTMENT_DOES.search(before)
    return does is not None and not _HELPS.search(before[: does.start()])


def _asks_for(task: str, start: int, end: int) -> bool:
    """Whether the word at task[start:end] is asked of the subdistrict, not said of the
    department (报区卫健委复审) or of a step already done (审批结果)."""
    before = re.split(r"[，。；;,\n]", task[max(0, start - 16) : start])[-1]
    after = task[end:]
    return not (
        _HELPS.search(before)  # 配合区住建局开展鉴定: helping the department's step
        or _passes_on(before)
        or _ALREADY.search(before)
        or _DONE.match(after)
        or _DOCUMENT.match(after)
        # 民政批下来了: done (but 把罚款处罚了 and 能不能直接去查封了 ask for it)
        or (after.startswith("了") and not _ASKING.search(before))
    )


class Powers(NamedTuple):
    """What an item's two columns say of the powers (``POWERS``)."""

    upper: str  # the department's column, as one text
    street: str  # the subdistrict's column, as one text
    name: str  # the item's name
    worded: frozenset[str]  # the powers the department's column words
    given: frozenset[str]  # the powers the subdistrict's column gives it as its own step


_POWERS_MEMO: dict[tuple[str, str], Powers] = {}


def powers(item: Item) -> Powers:
    """The powers the item's department column words, and those its street column gives
    the subdistrict (a word of the power it does itself, not only hands on: 上报区民政局
    起诉追缴 gives it no 诉讼)."""
    upper = "\n".join("".join(b.steps) for b in item.upper_duties)
    street = _street_text(item)
    key = (upper, street + "\0" + item.name)
    if key not in _POWERS_MEMO:
        worded = frozenset(p.name for p in POWERS if any(w in upper for w in p.words))
        given = frozenset(p.name for p in POWERS if any(_street_gives(street, w) for w in p.words))
        _POWERS_MEMO[key] = Powers(upper, street, item.name, worded, given)
    return _POWERS_MEMO[key]


def _theirs(power: Power, word: str, held: Powers) -> bool:
    """Whether ``word``, a word of ``power``, asks for the department's step on the item.

    Never when the subdistrict's column gives it the power, in any of its words (审批 is the
    subdistrict's in 临时救助, so 直接批 is too), nor when the item's name says the word
    (the name is what the subdistrict helps with: 残疾人证公示及发放); else a firm power
    always, another only where the department's column words the power."""
    if power.name in held.given or word in held.name:
        return False
    return power.firm or power.name in held.worded


def authority_words(task: str, held: Powers | None = None) -> list[str]:
    """The words of the task that ask the subdistrict for a department's step, longest
    first: a word of a power that is the department's (``_theirs``; without ``held``, every
    firm power), or a step handed to the subdistrict to do on its own (直接发放, 自行组织)
    that its column does not give it."""
    if held is None:
        held = Powers("", "", "", frozenset(), frozenset())
    task = _TITLE.sub(lambda m: "\0" * len(m.group(0)), task)  # 《…认定办法》 names a rule
    found: list[str] = []
    taken = [False] * len(task)
    for word in _WORDS:
        for m in re.finditer(re.escape(word), task):
            edges = task[max(0, m.start() - 1) : m.start()] + task[m.end() : m.end() + 1]
            if any(taken[m.start() : m.end()]) or set(edges) & set(_INSIDE.get(word, "")):
                continue
            taken[m.start() : m.end()] = [True] * len(word)
            if _POWER_OF[word].name == "给付" and _NOT_MONEY.match(task[m.end() :]):
                continue
            if _asks_for(task, m.start(), m.end()) and _theirs(_POWER_OF[word], word, held):
                found.append(word)
    for pattern, name in PHRASES:
        for m in pattern.finditer(task):
            power = _BY_NAME[name]
            if (
                _asks_for(task, m.start(), m.end())
                and (power.firm or power.name in held.worded)
                and power.name not in held.given
            ):
                found.append(m.group(0))
    own = _OFFICE.sub("", task)  # 由街道民政办直接受理: the office is no verb 办
    for m in ON_ITS_OWN.finditer(own):
        verb = m.group(m.lastindex or 0)
        # 由街道待区民政局确认: the department's step, waited for.
        handed = _passes_on(own[m.start() : m.start(m.lastindex or 0)])
        # 由街道组织志愿者配合派出所巡逻: the subdistrict's hands for the department's step.
        helping = _HELPS.search(re.split(r"[，。；;,\n]", own[m.end() :])[0])
        if m.group(1) or not (handed or helping or _street_gives(held.street, verb)):
            found.append(m.group(0))
    return list(dict.fromkeys(found))


def department_step(item: Item, task: str) -> Split | None:
    """The department's step of ``item`` the task asks the subdistrict for, if any.

    Only a 配合 item has the two columns: a 基本 item is the subdistrict's own duty, and a
    收回 item (``method``) is a duty a department took back, which check names as such."""
    if item.method or not item.street_duties or not item.upper_duties:
        return None
    words = authority_words(task, powers(item))
    if not words:
        return None
    block, step = _closest_upper(item, words)
    return Split(item.id, block, step, "、".join(dict.fromkeys(words)))


def worded(item: Item, split: Split) -> bool:
    """Whether the item's department column words the step ``split`` found, word for word."""
    upper = powers(item).upper
    return any(w in upper for w in split.words.split("、"))


def _closest_upper(item: Item, words: list[str]) -> tuple[str, str]:
    """The department and the step of the upper column that say one of ``words`` (the longest
    said first), else the item's departments and no step: a firm power (处罚, 审批) is a
    department's whatever its column words, and a step that does not say it is not quoted
    as if it did (处罚 on an item whose column only hands down data)."""
    grams = {w[i : i + 2] for w in words for i in range(len(w) - 1)}
    best: tuple[int, float, str, str] | None = None
    for block in item.upper_duties:
        for step in block.steps:
            said = max((len(w) for w in words if w in step), default=0)
            if not said:
                continue
            # Of the steps that say it, the one it is most of (发放补贴资金 over a long step
            # that also says 发放).
            share = sum(1 for g in grams if g in step) / len(step)
            if best is None or (said, share) > best[:2]:
                best = (said, share, "、".join(block.departments), step)
    if best is not None:
        return best[2], best[3]
    departments = dict.fromkeys(d for block in item.upper_duties for d in block.departments)
    return "、".join(departments or item.departments), ""


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
    # A word the item's name or street column says, or nearly says (城乡居民养老保险 for
    # 城乡居民基本养老保险), is the subdistrict's topic, not a department's step.
    own = name | set(bigrams(street))
    words = [
        p
        for p in dict.fromkeys(pieces)
        if len(p) >= 2 and p not in ADDRESSEES and _share(p, own) < OWN_SHARE
    ]
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


def _share(word: str, grams: set[str]) -> float:
    mine = set(bigrams(word))
    return len(mine & grams) / len(mine) if mine else 1.0


def step_index(steps: Iterable[str], stop: set[str]) -> dict[str, tuple[int, ...]]:
    """Which of the steps (by position) hold each bigram."""
    out: dict[str, list[int]] = {}
    for k, step in enumerate(steps):
        for g in set(bigrams(step)) - stop:
            out.setdefault(g, []).append(k)
    return {g: tuple(ks) for g, ks in out.items()}


def best_step(steps: dict[str, tuple[int, ...]], held: dict[str, float]) -> float:
    """Of one column's steps (``step_index``), how much of the task (``held``: the item's
    bigrams the task says, by what each says) the step holding most of it holds."""
    sums: dict[int, float] = {}
    for t, m in held.items():
        for k in steps.get(t, ()):
            sums[k] = sums.get(k, 0.0) + m
    return max(sums.values(), default=0.0)
