"""What commands return: plain data that any renderer can present."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.lists.model import BASIC, SHORT_KINDS, Department, DutyList, Item, ListInfo
from dutycli.query.search import Match

if TYPE_CHECKING:
    from dutycli.query.check import Split, Verdict
    from dutycli.query.check_verdict import Near
    from dutycli.query.diff import ListDiff


class ItemRow(NamedTuple):
    item: Item
    score: float | None = None
    matched: tuple[Match, ...] = ()
    # The list the item is from (store.ListRef), set where several lists are loaded.
    source: Any = None


class Items(NamedTuple):
    """A list of items; ``view`` says how the table renderer lays them out.

    view: ``compact`` (one line an item), ``split`` (the two columns side by
    side), ``department`` (one department's steps beside the subdistrict's),
    ``search`` (results with the matched snippets).
    """

    rows: list[ItemRow]
    view: str
    info: ListInfo
    categories: tuple[str, ...]
    departments: tuple[Department, ...]
    department: str | None = None
    title: str | None = None

    def as_list(self) -> DutyList:
        """A list file holding just these items and what they use."""
        from dutycli.lists.serialize import subset

        whole = DutyList(self.info, self.categories, self.departments, ())
        return subset(whole, [r.item for r in self.rows])

    def records(self) -> list[dict[str, Any]]:
        from dutycli.lists.serialize import item_to_dict

        out = []
        for row in self.rows:
            record = item_to_dict(row.item)
            if self.view == "department" and self.department:
                # by-dept: the department's own blocks, as every format shows them.
                record["upper_duties"] = [
                    b for b in record["upper_duties"] if self.department in b["departments"]
                ]
            if row.source is not None:
                record["list"] = row.source.as_dict()
            if row.score is not None:
                record["score"] = row.score
                record["matched"] = [m.as_dict() for m in row.matched]
            out.append(record)
        return out

    def json_value(self) -> Any:
        return self.records()


class Table(NamedTuple):
    """Rows of plain values with Chinese headings (departments, categories, …)."""

    keys: tuple[str, ...]
    headings: tuple[str, ...]
    rows: list[dict[str, Any]]
    yaml_value: Any  # what --format yaml writes: a fragment a list file could hold
    title: str | None = None
    # Keys printed as bare paragraphs in plain and table output (text meant to be
    # copied, such as citations); None prints the whole grid.
    text_keys: tuple[str, ...] | None = None

    def records(self) -> list[dict[str, Any]]:
        return self.rows

    def json_value(self) -> Any:
        return self.rows


class CheckResult(NamedTuple):
    """Verdicts of ``duty check``, one a task; ``explain``: say why (``check --explain``)."""

    verdicts: list[Verdict]
    # Per verdict, the office's earlier decisions on near-identical tasks
    # (query.decisions.Earlier), where its decision log was read; () otherwise.
    earlier: tuple[tuple[Any, ...], ...] = ()

    def earlier_of(self, index: int) -> tuple[Any, ...]:
        return self.earlier[index] if index < len(self.earlier) else ()

    explain: bool = False

    @property
    def rows(self) -> list[Verdict]:
        return self.verdicts

    def records(self) -> list[dict[str, Any]]:
        from dutycli.lists.serialize import item_to_dict

        out: list[dict[str, Any]] = []
        for v in self.verdicts:
            record: dict[str, Any] = {"task": v.task, "verdict": v.verdict}
            if v.kind is not None:
                record["kind"] = v.kind
            record["matches"] = [
                {
                    **item_to_dict(m.item),
                    **(
                        {"list": m.source.as_dict(), "kind": m.source.as_dict()["kind"]}
                        if m.source is not None
                        else {}
                    ),
                    "score": round(m.score, 1),
                    "coverage": round(m.coverage, 2),
                }
                for m in v.matches
            ]
            record["split"] = v.split._asdict() if v.split else None
            # A 清单外 naming nothing else: the closest items and the words they share.
            record["nearest"] = [
                {
                    "id": n.match.item.id,
                    "name": n.match.item.name,
                    "words": n.words,
                    **({"list": n.match.source.as_dict()} if n.match.source is not None else {}),
                }
                for n in v.nearest
            ]
            if self.earlier:
                record["decisions"] = [e.as_dict() for e in self.earlier_of(len(out))]
            # Why (check --explain shows the same): the rule, the model's probabilities,
            # the features by name, the street step matched.
            record["explain"] = v.why.as_dict() if v.why else None
            out.append(record)
        return out

    def json_value(self) -> Any:
        records = self.records()
        return records[0] if len(records) == 1 else records

    @staticmethod
    def explain_lines(v: Verdict) -> list[str]:
        """Why a verdict is what it is, in words (``check --explain``)."""
        from dutycli.query.check_model import FEATURE_WORDS
        from dutycli.query.check_verdict import RULE_WORDS

        why = v.why
        if why is None:
            return []
        lines = [f"依据：{RULE_WORDS.get(why.rule, why.rule)}（{why.rule}）"]
        if why.off is not None and why.top is not None:
            lines.append(
                f"模型（{why.model}）：不在清单上的概率 {why.off:.3f}，"
                f"排第一的事项正是该任务事项的概率 {why.top:.3f}"
            )
            lines.append(
                "特征："
                + "；".join(
                    f"{FEATURE_WORDS.get(name, name)} = {value:.3f}" for name, value in why.features
                )
            )
        if why.street is not None:
            st = why.street
            lines.append(
                f"对上的职责：第{st.item}项 街道配合职责 第{st.section}部分第{st.step}条"
                f"“{st.text}”（共有的字：{st.words}）"
            )
        if v.split is not None:
            lines.append(
                f"对上的职责：第{v.split.item}项 上级部门职责（{v.split.department}）"
                f"“{v.split.step}”（任务里的“{v.split.words}”）"
            )
        return lines

    def table(self) -> Table:
        rows = []
        for n, v in enumerate(self.verdicts):
            best = v.matches[0] if v.matches else None
            rows.append(
                {
                    "decisions": "；".join(e.summary() for e in self.earlier_of(n)),
                    "task": v.task,
                    "verdict": v.verdict
                    + (f"（{SHORT_KINDS[v.kind]}）" if v.kind == BASIC else ""),
                    # Names may hold 、 themselves: separators a script can split on.
                    "ids": ",".join(str(m.item.id) for m in v.matches),
                    "names": " | ".join(m.item.name for m in v.matches),
                    "score": f"{best.score:.1f}" if best else "",
                    # A pipe or a file keeps the note the table shows (issue 20).
                    "note": split_note(v.split) if v.split else nearest_note(v.nearest),
                    # check --explain: the reasons in one cell (plain, tsv, csv, markdown).
                    **({"explain": "；".join(self.explain_lines(v))} if self.explain else {}),
                }
            )
        # The note column only when a task has a note, the decisions column only
        # where the office has decided one of these tasks before: the five fields
        # keep their places for scripts either way.
        keys: tuple[str, ...] = ("task", "verdict", "ids", "names", "score")
        headings: tuple[str, ...] = ("任务", "判定", "事项编号", "事项名称", "得分")
        if any(v.split or v.nearest for v in self.verdicts):
            keys, headings = (*keys, "note"), (*headings, "注意")
        if any(self.earlier):
            keys, headings = (*keys, "decisions"), (*headings, "已有决定")
        if self.explain:
            keys, headings = (*keys, "explain"), (*headings, "依据")
        return Table(keys, headings, rows, None)


def split_note(split: Split) -> str:
    """The task asks the subdistrict for a department's step: say whose it is."""
    if not split.step:  # a firm power no step of the column words (check_step._closest_upper)
        return (
            f"任务中的“{split.words}”是上级部门的职权，第{split.item}项的街道配合职责里没有这一步"
            f"（这一项的上级部门：{split.department}）。"
        )
    return (
        f"任务中的“{split.words}”在第{split.item}项是{split.department}的职责"
        f"（“{split.step}”），不是街道配合职责。"
    )


def nearest_note(nearest: tuple[Near, ...]) -> str:
    """A 清单外 that names no department's step: the closest items, to look at."""
    if not nearest:
        return ""
    named = "；".join(
        f"第{n.match.item.id}项“{n.match.item.name}”（共有：{n.words}）" for n in nearest
    )
    return f"不像清单上的任何一项；最接近的：{named}，请核对。"


class DiffResult(NamedTuple):
    """``duty diff``: what changed from one list file to another."""

    diff: ListDiff
    old: str
    new: str

    @property
    def rows(self) -> list[object]:
        d = self.diff
        return [*d.added, *d.removed, *d.changed, *d.renumbered]

    def records(self) -> list[dict[str, Any]]:
        return [self.json_value()]

    def json_value(self) -> Any:
        return {"old": self.old, "new": self.new, **self.diff.as_dict()}

    def table(self) -> Table:
        rows: list[dict[str, Any]] = []
        d = self.diff
        for item in d.added:
            rows.append({"kind": "新增事项", "old_id": "", "new_id": item.id, "name": item.name})
        for item in d.removed:
            rows.append({"kind": "删除事项", "old_id": item.id, "new_id": "", "name": item.name})
        for c in d.renumbered:
            rows.append(
                {"kind": "编号变动", "old_id": c.old.id, "new_id": c.new.id, "name": c.new.name}
            )
        for c in d.changed:
            base = {"old_id": c.old.id, "new_id": c.new.id, "name": c.new.name}
            for key, (before, after) in c.fields.items():
                rows.append(
                    {
                        **base,
                        "kind": f"{FIELD_NAMES[key]}变动",
                        "where": FIELD_NAMES[key],
                        "old": _joined(before),
                        "new": _joined(after),
                    }
                )
            for s in c.steps:
                rows.append(
                    {
                        **base,
                        "kind": STEP_KINDS[s.kind],
                        "where": s.where,
                        "old": s.old or "",
                        "new": s.new or "",
                    }
                )
        return Table(
            ("kind", "old_id", "new_id", "name", "where", "old", "new"),
            ("变动", "原编号", "新编号", "事项名称", "位置", "原文", "新文"),
            rows,
            None,
        )


FIELD_NAMES = {"name": "事项名称", "category": "类别", "departments": "对应上级部门"}
STEP_KINDS = {"added": "新增条目", "removed": "删除条目", "reworded": "条目改写"}


def _joined(value: object) -> str:
    return "、".join(value) if isinstance(value, tuple) else str(value)


Result = Items | Table | CheckResult | DiffResult
