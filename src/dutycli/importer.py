"""Convert a published table (tab-separated rows with HTML cells) into a DutyList.

The shape it reads: a ``# title`` line; header rows (序号 …) repeated at will;
category rows as ``<b>一、党的建设</b>`` or as a markdown heading; ``----``
separator rows; item rows of five cells (序号, 事项名称, 对应上级部门, 上级部门职责,
街道配合职责); a closing ``注：`` line. Department names come from a curated
table; a name the table does not know is reported, never guessed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from dutycli.checks import Path, check_list
from dutycli.errors import DataError, Problem
from dutycli.model import Block, Department, DutyList, Item, ListInfo, Section, department_names

LIST_KINDS = ("基本履职事项", "配合履职事项", "上级部门收回事项")
CN_NUMERALS = "一二三四五六七八九十"

_CATEGORY = re.compile(rf"^\s*(?:<b>)?\s*[{CN_NUMERALS}]+\s*[、.．]\s*(.+?)\s*(?:</b>)?\s*$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_SEPARATOR = re.compile(r"^[\s|:-]*-{2,}[\s|:-]*$")
_BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|div|br|tr|td|h\d)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
# A space after full-width punctuation is layout, not content.
_SPACE_AFTER_PUNCT = re.compile(r"(?<=[。；，：、！？）》”」])\s+")
# A step number starts a cell, or follows a space or a clause-ending mark
# (检查：（1）是否…); never a digit inside a sentence (低保 5倍, 2.5万元).
_STEP = r"(?<![^\s：；。:;])(?:(?P<num>\d{1,2})[.．](?!\d)|（(?P<sub>\d{1,2})）)"
_GUARANTEE = r"(?P<gua>履职保障[:：])"
_DEPT_CONNECTORS = "及和、"


@dataclass
class _Seg:
    kind: str  # num | sub | gua | head | text
    text: str
    departments: tuple[str, ...] = ()


@dataclass
class _Run:
    """A block, a section or the guarantees while they are being read."""

    heading: str | None
    departments: tuple[str, ...] = ()
    steps: list[str] = field(default_factory=list)
    numbered: bool = False

    def add(self, seg: _Seg) -> str | None:
        """Take one segment; returns a problem message if it does not fit."""
        if seg.kind == "num":
            self.steps.append(seg.text)
            self.numbered = True
        elif seg.kind == "sub":
            if not self.steps:
                return f"子步骤“{seg.text[:12]}…”前面没有步骤"
            self.steps[-1] += "\n" + seg.text
        elif self.numbered and self.steps:
            # Unnumbered text after numbered steps continues the last step.
            self.steps[-1] += seg.text
        else:
            self.steps.append(seg.text)
        return None


def clean(text: str) -> str:
    text = html.unescape(_ANY_TAG.sub(" ", text))
    text = re.sub(r"\s+", " ", text).strip()
    return _SPACE_AFTER_PUNCT.sub("", text)


class _Importer:
    def __init__(self, file: str, departments: tuple[Department, ...]) -> None:
        self.file = file
        self.table = departments
        self.names = department_names(departments)
        alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        head = rf"(?P<head>(?:{alternatives})(?:、(?:{alternatives}))*(?:职责)?[:：])"
        self.upper_marks = re.compile(rf"{_STEP}|{_GUARANTEE}|(?<!\S){head}")
        self.street_marks = re.compile(_STEP)
        self.problems: list[Problem] = []
        self.line = 0
        self.item: int | None = None

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.file, message, self.line, None, self.item))

    def run(self, text: str) -> DutyList:
        title = note = None
        category: str | None = None
        categories: list[str] = []
        items: list[Item] = []
        rows: list[int] = []
        for self.line, raw in enumerate(text.splitlines(), start=1):
            self.item = None
            line = raw.strip()
            if not line or _SEPARATOR.match(line):
                continue
            cells = raw.split("\t")
            heading = _MD_HEADING.match(line)
            if heading and len(cells) == 1:
                level, words = heading.groups()
                found = _CATEGORY.match(words)
                if found:
                    category = found.group(1)
                    categories.append(category)
                elif title is None and len(level) == 1:
                    title = clean(words)
                else:
                    self.problem(f"无法识别的标题行：{words}")
                continue
            if len(cells) == 1 and re.match(r"^注\s*[:：]", line):
                note = clean(re.sub(r"^注\s*[:：]", "", line))
                continue
            first = clean(cells[0])
            if first == "序号":
                continue
            found = _CATEGORY.match(cells[0])
            if found and not "".join(cells[1:]).strip():
                category = clean(found.group(1))
                categories.append(category)
                continue
            if first.isdigit():
                self.item = int(first)
                if len(cells) != 5:
                    self.problem(f"事项行应有 5 列（以制表符分隔），这一行有 {len(cells)} 列")
                    continue
                if category is None:
                    self.problem("事项出现在第一个类别行之前")
                    continue
                items.append(self.one_item(int(first), category, cells))
                rows.append(self.line)
                continue
            self.problem(f"无法识别的行：{line[:40]}")
        self.item = None
        self.line = 0
        info = self.list_info(title, note)
        used = {name for item in items for name in item.departments}
        dl = DutyList(
            info=info,
            categories=tuple(categories),
            departments=tuple(d for d in self.table if d.name in used),
            items=tuple(items),
        )

        def locate(path: Path) -> tuple[int | None, int | None]:
            if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
                return rows[path[1]], None
            return None, None

        self.problems += check_list(dl, self.file, locate)
        if not items:
            self.problems.append(Problem(self.file, "没有找到任何事项行"))
        if self.problems:
            raise DataError(self.problems)
        return dl

    def list_info(self, title: str | None, note: str | None) -> ListInfo:
        if title is None:
            self.problem("缺少清单标题（以 # 开头的一行，如“# 青山路街道配合履职事项清单”）")
            return ListInfo("", "", "", note)
        for kind in LIST_KINDS:
            if title.endswith(kind + "清单") and len(title) > len(kind) + 2:
                return ListInfo(title, title[: -len(kind + "清单")], kind, note)
        self.problem(f"标题“{title}”应为“某街道{LIST_KINDS[1]}清单”的形式")
        return ListInfo(title, title, "", note)

    def one_item(self, item_id: int, category: str, cells: list[str]) -> Item:
        departments = self.departments(cells[2])
        segs = self.segments(cells[3], self.upper_marks)
        blocks, guarantees = self.upper(segs, departments)
        sections = self.street(self.segments(cells[4], self.street_marks))
        return Item(item_id, clean(cells[1]), category, departments, blocks, guarantees, sections)

    def departments(self, cell: str) -> tuple[str, ...]:
        # Names are separated by spaces, yet one name may itself hold a space
        # (包头市公安局 青山分局): join the longest run of words that is a name.
        words = clean(cell).split()
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                candidate = "".join(words[i : i + n]).lstrip(_DEPT_CONNECTORS)
                if candidate in self.names:
                    out.append(self.names[candidate])
                    i += n
                    break
            else:
                self.problem(f"未知的部门“{words[i]}”：请先把它加入部门表（--departments）")
                i += 1
        return tuple(out)

    def segments(self, cell: str, marks: re.Pattern[str]) -> list[_Seg]:
        out: list[_Seg] = []
        for piece in _BLOCK_TAG.split(cell):
            piece = html.unescape(_ANY_TAG.sub(" ", piece)).strip()
            if not piece:
                continue
            pos = 0
            kind = "text"
            for m in marks.finditer(piece):
                self._emit(out, kind, piece[pos : m.start()])
                pos = m.end()
                if m.group("num") is not None:
                    kind = "num"
                elif m.group("sub") is not None:
                    kind = "sub"
                elif m.groupdict().get("gua"):
                    out.append(_Seg("gua", ""))
                    kind = "text"
                else:
                    heading = clean(m.group("head"))
                    names = re.sub(r"(职责)?[:：]$", "", heading).split("、")
                    out.append(_Seg("head", heading, tuple(self.names[n] for n in names)))
                    kind = "text"
            self._emit(out, kind, piece[pos:])
        return out

    def _emit(self, out: list[_Seg], kind: str, text: str) -> None:
        text = clean(text)
        if text:
            out.append(_Seg(kind, text))
        elif kind in ("num", "sub"):
            self.problem("有一个编号后面没有内容")

    def upper(
        self, segs: list[_Seg], departments: tuple[str, ...]
    ) -> tuple[tuple[Block, ...], tuple[str, ...]]:
        blocks: list[_Run] = []
        guarantees = _Run(None)
        current: _Run | None = None
        for seg in segs:
            if seg.kind == "head":
                current = _Run(seg.text, seg.departments)
                blocks.append(current)
                continue
            if seg.kind == "gua":
                current = guarantees
                continue
            opens = self._uncovered_department(seg, departments, blocks)
            if opens is not None and current is not guarantees:
                # A department's paragraph without a 「XX职责：」 opening (item 40
                # of the 青山路 list) still gets a block of its own.
                current = _Run(None, (opens,))
                blocks.append(current)
            if current is None:
                self.problem(f"上级部门职责应以“某部门职责：”开头，却以“{seg.text[:12]}…”开头")
                continue
            message = current.add(seg)
            if message:
                self.problem(message)
        return (
            tuple(Block(b.departments, b.heading, tuple(b.steps)) for b in blocks),
            tuple(guarantees.steps),
        )

    def _uncovered_department(
        self, seg: _Seg, departments: tuple[str, ...], blocks: list[_Run]
    ) -> str | None:
        if seg.kind != "text":
            return None
        # Only the full name counts: a step may well begin with 消防 or 公安.
        covered = {name for b in blocks for name in b.departments}
        for name in departments:
            if name not in covered and seg.text.startswith(name):
                return name
        return None

    def street(self, segs: list[_Seg]) -> tuple[Section, ...]:
        sections: list[_Run] = []
        current: _Run | None = None
        for n, seg in enumerate(segs):
            heads_steps = n + 1 < len(segs) and segs[n + 1].kind == "num"
            if seg.kind == "text" and seg.text.endswith(("：", ":")) and heads_steps:
                # An unnumbered line ending in a colon that opens numbered steps
                # is a heading (联动监督：), not a step.
                current = _Run(seg.text)
                sections.append(current)
                continue
            if current is None:
                current = _Run(None)
                sections.append(current)
            message = current.add(seg)
            if message:
                self.problem(message)
        return tuple(Section(s.heading, tuple(s.steps)) for s in sections)


def import_table(text: str, file: str, departments: tuple[Department, ...]) -> DutyList:
    """The list in ``text``; every problem found is raised at once as a DataError."""
    return _Importer(file, departments).run(text)
