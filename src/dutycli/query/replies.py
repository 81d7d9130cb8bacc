"""What a reply to a department cites: the case a verdict (or a log entry) makes.

``duty reply`` answers the department that pushed a task down. Which answer
depends on the verdict (``case_of``):

- 清单外: the task is on none of the subdistrict's 基本/配合 lists (清单之外无事项,
  the department applies for admission, 准入);
- 部门职责: the task asks for a step the list gives the department itself (the
  item, and that duty in the list's words);
- 已收回: the item is on the 收回 list (the item, and the department that took it back);
- 清单内 / 基本: the item, and the split of duties, for the record.

A 相近 verdict is not settled: no reply is drafted until the office records which item it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dutycli.errors import DataError, Problem, UsageError
from dutycli.lists.model import BASIC, TAKEN_BACK, Item, kind_of
from dutycli.query.check import OFF_LIST, ON_LIST, TAKEN, Verdict

if TYPE_CHECKING:
    from dutycli.lists.ledger import Entry
    from dutycli.store.library import Library, ListRef

OWN_STEP, OWN_DUTY = "部门职责", "基本"
CASES = (OFF_LIST, OWN_STEP, TAKEN, ON_LIST, OWN_DUTY)


@dataclass(frozen=True, slots=True)
class ReplyCase:
    """Everything a reply cites, in the list's own words."""

    case: str  # one of CASES
    task: str
    department: str  # the department replied to
    subdistrict: str
    lists: tuple[str, ...]  # titles of the lists the task was checked against (基本, 配合)
    item: Item | None = None
    list_title: str = ""  # the title of the item's list
    duty_department: str = ""  # 部门职责: whose step it is
    duty_text: str = ""  # 部门职责: the step as the list words it
    date: dt.date | None = None


def _checked_lists(lib: Library, subdistrict: str) -> tuple[str, ...]:
    refs = lib.of_street(subdistrict)
    order = {BASIC: 0, TAKEN_BACK: 2}
    own = [r for r in refs if kind_of(r.kind) != TAKEN_BACK]
    own.sort(key=lambda r: order.get(kind_of(r.kind), 1))
    return tuple(r.title for r in own)


def case_of(
    lib: Library,
    v: Verdict,
    department: str,
    date: dt.date | None = None,
    item: tuple[Item, ListRef] | None = None,
) -> ReplyCase:
    """The reply case of a verdict on a task from ``department`` (``item``: where known)."""
    subdistrict = lib.one_subdistrict()
    lists = _checked_lists(lib, subdistrict)
    if item is None and v.matches and v.verdict in (ON_LIST, TAKEN):
        m = v.matches[0]
        item = (m.item, m.source) if m.source is not None else None
    if v.verdict == OFF_LIST and v.split is None:
        return ReplyCase(OFF_LIST, v.task, department, subdistrict, lists, date=date)
    if v.verdict not in (ON_LIST, TAKEN, OFF_LIST):
        raise UsageError(
            f"“{v.task}”判定为{v.verdict}：还没有确定对应哪一项，不能起草回复。"
            "请核对后用 duty log add … --verdict 清单内 --item 编号 记下决定，"
            "再用 duty reply --entry 编号 起草"
        )
    if item is None and v.split is not None:
        item = _item_by_id(lib, v.split.item, subdistrict)
    if item is None:
        raise UsageError(f"“{v.task}”：在{subdistrict}的清单里找不到对应的事项")
    found, ref = item
    title = ref.title
    if v.split is not None:
        return ReplyCase(
            OWN_STEP,
            v.task,
            department,
            subdistrict,
            lists,
            found,
            title,
            v.split.department,
            v.split.step,
            date,
        )
    kind = kind_of(ref.kind)
    case = TAKEN if kind == TAKEN_BACK else OWN_DUTY if kind == BASIC else ON_LIST
    return ReplyCase(case, v.task, department, subdistrict, lists, found, title, date=date)


def _item_by_id(lib: Library, item_id: int, subdistrict: str) -> tuple[Item, ListRef] | None:
    hits = [h for h in lib.find_ids([item_id]).get(item_id, []) if h[1].subdistrict == subdistrict]
    if len(hits) != 1:
        return None
    return lib.decode([hits[0][0]])[0]


def case_of_entry(lib: Library, entry: Entry, file: str, date: dt.date | None = None) -> ReplyCase:
    """The reply case of a logged decision, from the item as the list says it today."""
    from dutycli.query.check import Split
    from dutycli.query.decisions import find_item

    item = None
    if entry.item_ids:
        item = find_item(lib, entry)
        if item is None:
            kind = f"{entry.kind}清单" if entry.kind else "清单"
            raise DataError(
                [
                    Problem(
                        file,
                        f"第 {entry.id} 条记录的第 {entry.item_ids[0]} 项“{entry.item_names[0]}”"
                        f"在现在的{kind}里找不到（清单改过编号或名称？）：请核对后重新记录",
                        entry.line or None,
                    )
                ]
            )
    split = None
    if entry.duty_department and entry.item_ids:
        split = Split(entry.item_ids[0], entry.duty_department, entry.duty_text, "")
    verdict = Verdict(entry.task, entry.verdict, [], split, None)
    if entry.verdict in (ON_LIST, TAKEN) and item is not None:
        from dutycli.query.check import Scored

        verdict = verdict._replace(matches=[Scored(item[0], 0.0, 0.0, source=item[1])])
    return case_of(lib, verdict, entry.department, date, item)
