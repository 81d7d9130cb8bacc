"""What tasks and items say, as ``check`` compares them (``check_match.Matcher``).

- ``STOP_WORDS``: words of notices and of the list alike that say nothing about which
  duty is meant (their bigrams are left out of every comparison);
- ``fields``: an item's three fields (name, the subdistrict's duties, the departments');
- ``plain``: a text's letters and digits only (what "word for word" compares);
- ``unframe``: a task without the hotline's or the minutes' wrapper;
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
_FRAME_HEAD = re.compile(r"^\s*(?:市民(?:来电)?(?:反映|投诉|来电)|会议议定|会议决定)[：:，,\s]*")
_FRAME_TAIL = re.compile(
    r"[，,；;\s]*请(?:属地)?街道(?:核实处置|协调处置|核实处理|核实后处置|核实并处置|处置|处理)[。.！!]?\s*$"
)


def unframe(task: str) -> str:
    """The task without the hotline's or the minutes' wrapper (all of it if that is all)."""
    core = _FRAME_TAIL.sub("", _FRAME_HEAD.sub("", task))
    return core if core.strip() else task


def siblings(items: list[Item]) -> dict[int, list[int]]:
    """Items whose street duties are the same word for word: only their names tell them apart."""
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        street = "\n".join(step for section in item.street_duties for step in section.steps)
        if street:
            groups.setdefault(street, []).append(i)
    return {i: family for family in groups.values() if len(family) > 1 for i in family}
