"""The decision log as a table (``duty log``) and its tally (``duty log tally``).

- ``select`` / ``listing``: the log, filtered, as a table;
- ``period`` / ``tally``: counts by department × verdict × decision in a month, quarter or year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dutycli.errors import UsageError
from dutycli.lists.ledger import DECISIONS, VERDICTS, Entry, parse_date
from dutycli.query.results import Table


@dataclass(frozen=True, slots=True)
class Filters:
    department: str | None = None  # canonical name
    since: dt.date | None = None
    until: dt.date | None = None
    decision: str | None = None
    verdict: str | None = None


def date_option(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    found = parse_date(text)
    if found is None:
        raise UsageError(f"{option} 应为日期（如 2026-12-01），而不是“{text}”")
    return found


def select(entries: Iterable[Entry], f: Filters, canonical: dict[str, str]) -> list[Entry]:
    """The entries that pass the filters; ``canonical`` maps a department's every name to it."""
    if f.decision is not None and f.decision not in DECISIONS:
        raise UsageError(f"--decision 应为 {'、'.join(DECISIONS)} 之一，而不是“{f.decision}”")
    if f.verdict is not None and f.verdict not in VERDICTS:
        raise UsageError(f"--verdict 应为 {'、'.join(VERDICTS)} 之一，而不是“{f.verdict}”")
    out = []
    for e in entries:
        day = dt.date.fromisoformat(e.date)
        if f.department is not None and canonical.get(e.department, e.department) != f.department:
            continue
        if (f.since and day < f.since) or (f.until and day > f.until):
            continue
        if (f.decision and e.decision != f.decision) or (f.verdict and e.verdict != f.verdict):
            continue
        out.append(e)
    return out


LOG_KEYS = ("id", "date", "department", "task", "verdict", "items", "decision", "by", "note")
LOG_HEADINGS = ("编号", "日期", "部门", "任务", "判定", "事项", "决定", "决定人", "备注")


def items_text(e: Entry) -> str:
    kind = f"{e.kind}·" if e.kind else ""
    return "；".join(f"{kind}第{i}项“{n}”" for i, n in zip(e.item_ids, e.item_names, strict=False))


def listing(entries: Sequence[Entry], title: str) -> Table:
    rows: list[dict[str, Any]] = [
        {
            "id": e.id,
            "date": e.date,
            "department": e.department,
            "task": e.task,
            "verdict": e.verdict,
            "items": items_text(e),
            "decision": e.decision,
            "by": e.by,
            "note": e.note,
        }
        for e in entries
    ]
    return Table(LOG_KEYS, LOG_HEADINGS, rows, None, title=title)


# -- the tally -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # 2026年12月, 2026年第四季度, 2026年
    start: dt.date
    end: dt.date  # the day after the last

    def holds(self, day: dt.date) -> bool:
        return self.start <= day < self.end


_QUARTERS = "一二三四"
_MONTH = re.compile(r"(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?")
_QUARTER = re.compile(r"(\d{4})\s*(?:-|年)?\s*(?:[Qq]|第)\s*([1-4一二三四])\s*(?:季度?)?")
_YEAR = re.compile(r"(\d{4})\s*年?")


def period(text: str | None, today: dt.date) -> Period:
    """A month (2026-12, 2026年12月), quarter (2026-Q4, 2026年第四季度) or year (2026);
    None: the current month."""
    if text is None:
        text = f"{today.year}-{today.month}"
    spec = text.strip()
    if m := _QUARTER.fullmatch(spec):
        year, q = int(m.group(1)), m.group(2)
        n = int(q) if q.isdigit() else _QUARTERS.index(q) + 1
        start = dt.date(year, 3 * n - 2, 1)
        end = dt.date(year + 1, 1, 1) if n == 4 else dt.date(year, 3 * n + 1, 1)
        return Period(f"{year}年第{_QUARTERS[n - 1]}季度", start, end)
    if (m := _MONTH.fullmatch(spec)) and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
        return Period(f"{year}年{month}月", dt.date(year, month, 1), end)
    if m := _YEAR.fullmatch(spec):
        year = int(m.group(1))
        return Period(f"{year}年", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    raise UsageError(
        f"统计期间应为月份（2026-12）、季度（2026-Q4 或 2026年第四季度）或年份（2026），"
        f"而不是“{text}”"
    )


@dataclass(frozen=True, slots=True)
class TallyRow:
    department: str
    verdict: str
    counts: tuple[int, ...]  # by decision, in the order of DECISIONS

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True, slots=True)
class Tally:
    subdistrict: str
    period: Period
    rows: tuple[TallyRow, ...]  # department by department (most tasks first), verdicts in order

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(r.counts[i] for r in self.rows) for i in range(len(DECISIONS)))

    def title(self) -> str:
        return f"{self.subdistrict}{self.period.label}上级部门交办任务统计"

    def table(self) -> Table:
        keys = ("department", "verdict", *DECISIONS, "total")
        rows: list[dict[str, Any]] = []
        for r in self.rows:
            rows.append(
                {"department": r.department, "verdict": r.verdict}
                | dict(zip(DECISIONS, r.counts, strict=True))
                | {"total": r.total}
            )
        totals = self.totals()
        rows.append(
            {"department": "合计", "verdict": ""}
            | dict(zip(DECISIONS, totals, strict=True))
            | {"total": sum(totals)}
        )
        return Table(keys, ("部门", "判定", *DECISIONS, "合计"), rows, None, title=self.title())


def tally(
    entries: Iterable[Entry], when: Period, subdistrict: str, canonical: dict[str, str]
) -> Tally:
    """Counts of the period's entries by department × verdict × decision."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for e in entries:
        if when.holds(dt.date.fromisoformat(e.date)):
            dept = canonical.get(e.department, e.department)
            counts[(dept, e.verdict, e.decision)] += 1
    per_dept: Counter[str] = Counter()
    for (dept, _, _), n in counts.items():
        per_dept[dept] += n
    rows = []
    for dept in sorted(per_dept, key=lambda d: (-per_dept[d], d)):
        for verdict in VERDICTS:
            row = tuple(counts[(dept, verdict, d)] for d in DECISIONS)
            if any(row):
                rows.append(TallyRow(dept, verdict, row))
    return Tally(subdistrict, when, tuple(rows))
