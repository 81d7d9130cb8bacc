"""What the office decided (the decision log, ``lists/ledger.py``), brought to bear on queries.

- ``teach``: the one place recorded decisions reach ``check``. A task the
  office has decided before in this subdistrict (the same words, or
  near-identical ones: ``NEAR``) takes the verdict the office recorded, and the
  earlier decision (date, decision, note) is shown beside it. Only that
  subdistrict's log is read, so a decision never leaks into another's checks.
- ``entry_for``: a checked task as a log entry (``duty check --record``, ``duty log add``).

The log as a table and its tally are in ``query/tally.py`` (``check`` loads only this module).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dutycli.errors import UsageError
from dutycli.lists.ledger import DECISIONS, VERDICTS, Entry
from dutycli.lists.model import SHORT_KINDS, TAKEN_BACK, kind_of
from dutycli.query.check import OFF_LIST, ON_LIST, TAKEN, Scored, Verdict, bigrams
from dutycli.query.check_terms import STOP_WORDS as _STOP_WORDS

if TYPE_CHECKING:
    from dutycli.lists.model import Item
    from dutycli.store.library import Library, ListRef

# Near-identical: the cosine of the two tasks' bigram sets reaches this. Dates and
# numbers are left out, and the words of notices that name no duty (check's stop
# words: 完成, 上报, 请各, …), so that the same notice with another deadline is the
# same task.
NEAR = 0.8
# Verdicts an office settles: a recorded 相近 is shown, but decides nothing.
SETTLED = (ON_LIST, TAKEN, OFF_LIST)
_STOP = frozenset(_STOP_WORDS)

_NUMBERS = re.compile(r"[0-9０-９]+")
_DATES = re.compile(r"[0-9０-９]+\s*[年月日号时点分]?")


def _grams(text: str) -> set[str]:
    return {g for g in bigrams(_DATES.sub("，", text)) if g not in _STOP}


def similarity(a: str, b: str) -> float:
    """How alike two tasks are: 1.0 for the same words, whatever dates and numbers they hold."""
    return _cosine(_grams(a), a, b)


def _cosine(mine: set[str], a: str, b: str) -> float:
    theirs = _grams(b)
    if not mine or not theirs:
        return 1.0 if _NUMBERS.sub("", a).strip() == _NUMBERS.sub("", b).strip() else 0.0
    return len(mine & theirs) / math.sqrt(len(mine) * len(theirs))


def near(task: str, entries: Iterable[Entry]) -> list[tuple[Entry, float]]:
    """The entries whose task is near-identical to ``task``: the closest, then the latest, first."""
    mine = _grams(task)
    found = [(e, _cosine(mine, task, e.task)) for e in entries]
    found = [(e, s) for e, s in found if s >= NEAR]
    # closest first; among equally close ones the latest decision first
    found.sort(key=lambda pair: (round(pair[1], 6), pair[0].date, pair[0].id), reverse=True)
    return found


@dataclass(frozen=True, slots=True)
class Earlier:
    """An earlier decision on a task near-identical to the one checked."""

    entry: Entry
    similarity: float
    applied: bool  # the office's verdict was taken
    tool: str = ""  # the tool's own verdict, where the office's replaced a different one

    def summary(self) -> str:
        """One line: 2026-12-01 退回（记录第 3 条）."""
        return f"{self.entry.date} {self.entry.decision}（记录第 {self.entry.id} 条）"

    def as_dict(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": e.id,
            "date": e.date,
            "department": e.department,
            "task": e.task,
            "verdict": e.verdict,
            "items": [{"id": i, "name": n} for i, n in zip(e.item_ids, e.item_names, strict=False)],
            "decision": e.decision,
            "by": e.by,
            "note": e.note,
            "similarity": round(self.similarity, 2),
            "applied": self.applied,
            "tool_verdict": self.tool or None,
        }


def teach(
    lib: Library, verdicts: Sequence[Verdict], entries: Sequence[Entry]
) -> tuple[list[Verdict], list[tuple[Earlier, ...]]]:
    """The verdicts as the office's recorded decisions settle them, and those decisions.

    ``entries`` is the log of the subdistrict the tasks were checked against. The
    closest near-identical entry (the latest among equals) whose verdict is
    settled (清单内, 已收回 or 清单外) gives its verdict and item, if that item is
    still in the subdistrict's selected lists under the same number and name.
    """
    out: list[Verdict] = []
    shown: list[tuple[Earlier, ...]] = []
    for v in verdicts:
        found = near(v.task, entries)
        settled = _settled(lib, v, found[0][0]) if found else None
        earlier = []
        for n, (entry, sim) in enumerate(found[:3]):
            applied = n == 0 and settled is not None
            changed = applied and settled is not None and settled.verdict != v.verdict
            earlier.append(Earlier(entry, sim, applied, v.verdict if changed else ""))
        out.append(settled or v)
        shown.append(tuple(earlier))
    return out, shown


def _settled(lib: Library, v: Verdict, entry: Entry) -> Verdict | None:
    if entry.verdict not in SETTLED:
        return None
    if entry.verdict == OFF_LIST:
        return Verdict(v.task, OFF_LIST, [], v.split if v.verdict == OFF_LIST else None)
    found = find_item(lib, entry)
    if found is None:
        return None
    item, ref = found
    same = next((m for m in v.matches if m.item == item), None)
    scored = same or Scored(item, 0.0, 0.0, source=ref)
    kind = kind_of(ref.kind)
    split = v.split if v.split is not None and v.split.item == item.id else None
    return Verdict(v.task, TAKEN if kind == TAKEN_BACK else ON_LIST, [scored], split, kind)


def find_item(lib: Library, entry: Entry) -> tuple[Item, ListRef] | None:
    """The entry's (first) item in the selected lists of its subdistrict: same number, same name."""
    if not entry.item_ids:
        return None
    subdistrict = lib.one_subdistrict()
    hits = lib.find_ids([entry.item_ids[0]]).get(entry.item_ids[0], [])
    hits = [h for h in hits if h[1].subdistrict == subdistrict]
    if entry.kind:
        hits = [h for h in hits if h[1].short_kind == entry.kind]
    for item, ref in lib.decode([rowid for rowid, _ in hits]):
        if not entry.item_names or item.name == entry.item_names[0]:
            return item, ref
    return None


def item_name(lib: Library, item_id: int) -> str:
    """The name of item ``item_id`` in the selected subdistrict's lists (one list: its own)."""
    subdistrict = lib.one_subdistrict()
    hits = [h for h in lib.find_ids([item_id]).get(item_id, []) if h[1].subdistrict == subdistrict]
    decoded = lib.decode([rowid for rowid, _ in hits[:1]])
    return decoded[0][0].name if decoded else ""


def entry_for(
    v: Verdict,
    department: str,
    decision: str,
    date: dt.date,
    by: str = "",
    note: str = "",
    split_name: str = "",
) -> Entry:
    """The log entry of a checked task (its number is given when it is added)."""
    if decision not in DECISIONS:
        raise UsageError(f"决定应为 {'、'.join(DECISIONS)} 之一，而不是“{decision}”")
    kind = SHORT_KINDS.get(v.kind or "", "")
    if not kind and len(v.matches) == 1 and v.matches[0].source is not None:
        kind = v.matches[0].source.short_kind
    ids = tuple(m.item.id for m in v.matches)
    names = tuple(m.item.name for m in v.matches)
    if not ids and v.split is not None:  # off the list, but a department's step of an item
        ids, names = (v.split.item,), (split_name,)
    return Entry(
        0,
        date.isoformat(),
        department,
        " ".join(v.task.split()),
        v.verdict,
        kind,
        ids,
        names,
        v.split.department if v.split else "",
        v.split.step if v.split else "",
        decision,
        by,
        note,
    )


def corrected(lib: Library, v: Verdict, verdict: str | None, item: int | None) -> Verdict:
    """The tool's verdict as the office corrects it (``--verdict``, ``--item``)."""
    if verdict is None and item is None:
        return v
    if verdict is not None and verdict not in VERDICTS:
        raise UsageError(f"判定应为 {'、'.join(VERDICTS)} 之一，而不是“{verdict}”")
    if verdict == OFF_LIST:
        if item is not None:
            raise UsageError("判定为清单外时不能指定 --item")
        return Verdict(v.task, OFF_LIST, [], None)
    if item is None:
        if verdict in (ON_LIST, TAKEN) and v.verdict in (ON_LIST, TAKEN) and v.matches:
            return v
        raise UsageError(f"判定为{verdict}时请用 --item 指定清单上的事项编号")
    subdistrict = lib.one_subdistrict()
    hits = [h for h in lib.find_ids([item]).get(item, []) if h[1].subdistrict == subdistrict]
    if len(hits) != 1:
        where = "没有" if not hits else f"有 {len(hits)} 份清单都有"
        raise UsageError(f"{subdistrict}的清单里{where}第 {item} 项：请用 --kind 选定清单")
    found, ref = lib.decode([hits[0][0]])[0]
    kind = kind_of(ref.kind)
    taken = kind == TAKEN_BACK
    if verdict is not None and verdict != (TAKEN if taken else ON_LIST):
        raise UsageError(f"第 {item} 项在《{ref.title}》上：判定应为{TAKEN if taken else ON_LIST}")
    split = v.split if v.split is not None and v.split.item == found.id else None
    return Verdict(
        v.task, TAKEN if taken else ON_LIST, [Scored(found, 0.0, 0.0, source=ref)], split, kind
    )
