"""What tasks and items say, as ``check`` compares them (``check_match.Matcher``).

- ``STOP_WORDS``: words of notices and of the list alike that say nothing about which
  duty is meant (their bigrams are left out of every comparison);
- ``fields``: an item's three fields (name, the subdistrict's duties, the departments');
- ``plain``: a text's letters and digits only (what "word for word" compares);
- ``unframe``: a task without the hotline's or the minutes' wrapper;
- ``account``, ``untold``: a task without the words of a resident's account (我家楼下, 天天),
  a voice transcript's fillers and a question's frame (那个, 嗯, 归我们管吗);
- ``siblings``: the items whose street duties are the same word for word (a qualifier
  family: only their names tell them apart).

Nothing here depends on a list's or a subdistrict's name: only on the items.
"""

from __future__ import annotations

import re

from dutycli.lists.model import Item

# Words of notices and of the list alike that say nothing about which duty is meant.
STOP_WORDS = (
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
)

_SEGMENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


def fields(item: Item) -> dict[str, str]:
    """The item's name, the subdistrict's duties and the departments' (with how a
    department does a 收回 item now)."""
    upper = "".join((b.heading or "") + "".join(b.steps) for b in item.upper_duties)
    if item.method:  # a 收回 item: how the department does it now
        upper += item.method
    street = "".join((s.heading or "") + "".join(s.steps) for s in item.street_duties)
    return {"name": item.name, "street": street, "upper": upper}


def plain(text: str) -> str:
    """The text's runs of letters and digits, joined (spaces and punctuation left out)."""
    return "".join(_SEGMENT.findall(text))


# The wrappers the hotline and meeting minutes put around any task: they say how the
# task came, not what it is, and must not move a verdict (市民反映…，请属地街道核实处置).
_FRAME_HEAD = re.compile(
    r"^\s*(?:工单(?:编号|号)?[：:\s]*[A-Za-z0-9\-－_]*[，,：:；;。\s]*)?"
    r"(?:(?:市民|居民|群众|网友|来电人)(?:来电)?(?:反映|投诉|来电|诉求)|会议议定|会议决定)?[：:，,\s]*"
)
# The time the hotline gives for an answer (…并于5个工作日内回复), then its request to the
# subdistrict (请属地街道核实处置, 请属地街道核实并回复).
_FRAME_DUE = re.compile(
    r"[，,；;\s]*(?:并)?(?:于|在)?\d+(?:个)?(?:工作)?(?:日|天)内(?:回复|反馈|答复|办结)[。.！!]?\s*$"
)
_FRAME_TAIL = re.compile(
    r"[，,；;\s]*请(?:属地)?街道(?:(?:核实|核查)(?:并|后)?)?(?:协调)?"
    r"(?:处置|处理|回复|反馈|答复|核实|核查)(?:并(?:回复|反馈|答复))?[。.！!]?\s*$"
)


# A formal letter's basis (根据《中华人民共和国兵役法》第十二条的规定): the article's number
# says nothing of the duty and reads as other words (十二条 holds 十二, as 十二月 does), and
# the law's title only dilutes what the task asks (cross-validated on the fit sets: 清单内 with
# the item 53.5 % keeping the title's words, 56.7 % without them). The address before it
# (东风街道：) is the letter's, not the task's.
_ADDRESS = re.compile(r"^\s*[\u4e00-\u9fff]{2,10}(?:街道办事处|街道|镇人民政府|乡人民政府)[：:]")
_ARTICLE = re.compile(
    r"第[零〇一二两三四五六七八九十百千\d]+[条款项](?:之[一二三四五六七八九十]+)?"
)
_BASIS = re.compile(r"(?:根据|依据|按照|依照)《[^《》]{0,40}》(?:的)?(?:有关|相关)?(?:规定|要求)?")


def unframe(task: str) -> str:
    """The task without the hotline's, the minutes' or a letter's wrapper (all of it if that
    is all)."""
    core = _FRAME_TAIL.sub("", _FRAME_DUE.sub("", _FRAME_HEAD.sub("", task)))
    core = _BASIS.sub("", _ARTICLE.sub("", _ADDRESS.sub("", core)))
    return core if core.strip() else task


# How a resident or a grid worker tells what happened: who saw it and where, when and how
# often, how sure they are (我家楼下, 天天半夜, 好像). They say nothing about which duty is
# meant, and the list never words a duty so; ``account`` leaves out those the list does not
# use (有人 is in 所有人, 网格员 in the list's duties: those stay).
_ACCOUNT = """
    我家 我们家 俺家 我们小区 咱们小区 我们楼 我们单元 我们社区 咱们社区 我们这 咱们 我们 我是
    邻居家 邻居 隔壁 对门 对面 楼上 楼下 楼里 院子里 院里 小区里 附近 旁边 门口 有个 有些人
    有几个人 好多人 一些人 几个人 每天晚上 天天 每天 每晚 最近 近来 这几天 这两天 好几天 好几次
    好久 半夜 深夜 夜里 晚上 白天 早上 凌晨 一直 总是 老是 反复 好像 似乎 听说 感觉 担心 害怕
    希望 麻烦 赶紧 也没人管 没人管 没人处理 也不管 不知道 怎么回事 实在 非常
"""
# How a task is spoken or asked rather than what it asks for: a voice transcript's fillers
# (那个, 嗯, 就是), a WeChat message's tags (呢, 嘛, 一下), a plain question's frame (归我们管吗,
# 找谁, 要不要). They dilute what the task says (社区矫正对象日常管理这个归我们街道管吗 was a
# bare 清单外 where 社区矫正对象日常管理 is 相近) and are left out the same way, where the list
# does not use them. Not 吧 (网吧, 酒吧), not 额 (金额), not 的活 (的活动).
_SPOKEN = """
    就是说 还有就是 那个 这个 就是 然后 那么 这块儿 这块 那块 这边 那边 弄一下 搞一下 整一下
    一下 的话 反正 完了 嗯 呃 哎 唉 啊 呀 哦 噢 吗 呢 嘛
    归不归 归我们管 归咱们管 归我们 归咱们 归谁管 归谁 谁管 谁负责 谁来管 该找谁 找谁 咋办 咋整
    咋弄 怎么办 怎么弄 怎么搞 是不是 要不要 能不能 用不用 需不需要 该不该 管不管 算不算
    有没有 可不可以 我们的事 街道的事 分内的事 要做吗 要管吗 管吗 做吗 负责吗
"""
ACCOUNT_WORDS = _ACCOUNT.split() + _SPOKEN.split()
# Longest first (我们小区 before 我们), words of one length in the order written above.
_ACCOUNT_ORDER = sorted(ACCOUNT_WORDS, key=len, reverse=True)


class Account:
    """The words a list's text uses (``account``): its account words stay in a task."""

    __slots__ = ("_text", "_uses")

    def __init__(self, words_of_list: str) -> None:
        self._text = words_of_list
        self._uses: dict[str, bool] = {}

    def uses(self, word: str) -> bool:
        known = self._uses.get(word)
        if known is None:
            known = self._uses[word] = word in self._text
        return known


def fingerprint() -> bytes:
    """What a task's compared words depend on here: the wrappers, the account and spoken
    words, the stop words. Part of the key of the compiled decided tasks (query.layers):
    compiled with other words, they would answer for code that reads tasks otherwise."""
    patterns = (_FRAME_HEAD, _FRAME_DUE, _FRAME_TAIL, _ADDRESS, _ARTICLE, _BASIS)
    parts = [p.pattern for p in patterns] + ACCOUNT_WORDS + list(STOP_WORDS)
    return "\n".join(parts).encode()


def account(words_of_list: str) -> Account:
    """What ``untold`` needs of a list: its text. Which account words the list does not use
    is looked up per task, for the few words a task holds (building one pattern of all of
    them for every list cost ``duty check`` 5 ms of start-up)."""
    return Account(words_of_list)


def untold(task: str, of: Account | None) -> str:
    """The task without the account words (ACCOUNT_WORDS) the list does not use, each left as
    a break, so that what stands either side of it forms no bigram; all of it if that is all."""
    if of is None:
        return task
    kept = [w for w in _ACCOUNT_ORDER if w in task and not of.uses(w)]
    if not kept:
        return task
    core = re.sub("|".join(map(re.escape, kept)), "，", task)
    return core if plain(core) else task


def siblings(items: list[Item]) -> dict[int, list[int]]:
    """Items whose street duties are the same word for word: only their names tell them apart."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        street = "\n".join(step for section in item.street_duties for step in section.steps)
        if street:
            groups.setdefault(street, []).append(i)
    return {i: family for family in groups.values() if len(family) > 1 for i in family}
