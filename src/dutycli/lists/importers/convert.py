"""From a grid of cells to a DutyList: one set of rules for every source format.

Rows are told apart by what they hold: the header (序号 …, maybe over two rows),
a row with one text (a category ``一、党的建设（3项）``, the title, a closing
``注：``), or an item (a number in the 序号 column). Inside a cell, paragraphs
are lines; step numbers ``1.`` ``1、`` ``（1）`` ``①`` and the openings
``XXX职责：`` and ``履职保障：`` split the text into blocks and steps. Department
names come from a curated table; a name the table does not know is reported,
never guessed. Every problem is collected with its place, then raised at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dutycli.errors import DataError, Problem, UsageError
from dutycli.lists.importers import headers as H
from dutycli.lists.importers.table import Grid, Place
from dutycli.lists.model import (
    BASIC,
    COOP,
    TAKEN_BACK,
    Block,
    Department,
    DutyList,
    Item,
    ListInfo,
    Section,
    department_names,
)
from dutycli.lists.validate import Path, check_list, formula_warnings

KINDS = (BASIC, COOP, TAKEN_BACK)
KIND_NAMES = {"基本": BASIC, "配合": COOP, "收回": TAKEN_BACK, **{k: k for k in KINDS}}
CN_NUMERALS = "一二三四五六七八九十"

# Patterns are applied to cleaned text (whitespace runs are one space) and
# anchored so that none can backtrack over a long run of one character.
_CATEGORY = re.compile(rf"[{CN_NUMERALS}]+ ?[、.．] ?")
_COUNT = re.compile(r"[（(] ?共? ?(\d+) ?项 ?[)）]")
_NOTE = re.compile(r"注 ?[:：] ?")
_SPACE = re.compile(r"\s+")
# A space after full-width punctuation is layout, not content.
_SPACE_AFTER_PUNCT = re.compile(r"(?<=[。；，：、！？）》”」]) ")
# A step number starts a cell, or follows a space or a clause-ending mark
# (检查：（1）是否…); never a digit inside a sentence (低保 5倍, 2.5万元).
_STEP = (
    r"(?<![^\s：；。:;])(?:(?P<num>\d{1,2}) ?[.．、](?!\d)"
    r"|[（(] ?(?P<sub>\d{1,2}) ?[）)]|(?P<circ>[①-⑳]))"
)
_GUARANTEE = r"(?P<gua>履职保障 ?[:：])"
_DEPT_CONNECTORS = "及和、"


def clean(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return _SPACE_AFTER_PUNCT.sub("", text)


def kind_named(name: str) -> str:
    try:
        return KIND_NAMES[name.strip()]
    except KeyError:
        raise UsageError(f"--kind 应为 基本、配合 或 收回，而不是“{name}”") from None


@dataclass
class _Seg:
    kind: str  # num | sub | circ | gua | head | text
    text: str
    departments: tuple[str, ...] = ()


@dataclass
class _Run:
    """A block, a section or the guarantees while they are being read."""

    heading: str | None
    departments: tuple[str, ...] = ()
    steps: list[str] = field(default_factory=list)
    numbered: bool = False
    digits: bool = False

    def add(self, seg: _Seg) -> str | None:
        """Take one segment; returns a problem message if it does not fit."""
        kind = seg.kind
        if kind == "circ":
            # ① numbers steps, or the sub-steps of steps numbered 1. 2. …
            kind = "sub" if self.digits and self.steps else "num"
        if kind == "num":
            self.steps.append(seg.text)
            self.numbered = True
            self.digits = self.digits or seg.kind == "num"
        elif kind == "sub":
            if not self.steps:
                return f"子步骤“{seg.text[:12]}…”前面没有步骤"
            self.steps[-1] += "\n" + seg.text
        elif self.numbered and self.steps:
            # Unnumbered text after numbered steps continues the last step.
            self.steps[-1] += seg.text
        else:
            self.steps.append(seg.text)
        return None


@dataclass
class _Header:
    columns: dict[str, int]  # field -> column index
    width: int
    place: Place


class Converter:
    def __init__(
        self,
        file: str,
        departments: tuple[Department, ...],
        kind: str | None = None,
        street: str | None = None,
    ) -> None:
        self.file = file
        self.table = departments
        self.kind_option = kind
        self.street_option = street
        self.names = department_names(departments)
        alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        head = rf"(?P<head>(?:{alternatives})(?:、(?:{alternatives}))*(?:职责)? ?[:：])"
        self.upper_marks = re.compile(rf"{_STEP}|{_GUARANTEE}|(?<!\S){head}")
        self.plain_marks = re.compile(_STEP)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # the list is still written
        self.place = Place(file, 1)
        self.item: int | None = None

    def problem(self, message: str) -> None:
        self.problems.append(self.place.problem(message, self.item))

    # -- rows ---------------------------------------------------------------

    def run(self, grid: Grid) -> DutyList:
        title: tuple[str, Place] | None = None
        note: str | None = None
        category = ""
        categories: list[tuple[str, Place, int | None]] = []
        items: list[Item] = []
        places: list[tuple[int, _Header]] = []
        header: _Header | None = None
        skip: int | None = None

        for text, place in grid.before:
            if title is None and clean(text).endswith("清单"):
                title = clean(text), place
        for r, row in enumerate(grid.rows):
            self.place, self.item = row.place, None
            if r == skip:
                continue
            texts = [cell.text for cell in row.cells]
            own: list[int] = []
            origins: set[tuple[int, int]] = set()
            for c, cell in enumerate(row.cells):
                # Only cells that start in this row: a cell merged down from
                # above belongs to the row where it starts.
                if cell.origin[0] == r and cell.origin not in origins and cell.text.strip():
                    own.append(c)
                    origins.add(cell.origin)
            if not own:
                continue
            if H.is_header(texts):
                if header is None:
                    header, skip = self.header(grid, r)
                continue
            id_column = header.columns[H.ID] if header else 0
            id_text = clean(texts[id_column]) if id_column < len(texts) else ""
            if len(own) == 1 and not (header and own[0] == id_column and id_text.isdecimal()):
                # One text in the row: a category, the title or the closing note.
                one = clean(texts[own[0]])
                heading = _CATEGORY.match(one)
                note_mark = _NOTE.match(one)
                if heading and one[heading.end() :]:
                    category, count = self.category_name(one[heading.end() :])
                    categories.append((category, row.place, count))
                elif note_mark:
                    note = one[note_mark.end() :]
                elif title is None and not items and header is None:
                    title = one, row.place
                else:
                    self.problem(f"无法识别的行：{one[:40]}")
                continue
            if header is None:
                self.problem(
                    f"表头（序号、事项名称……）之前出现了无法识别的行：{clean(texts[own[0]])[:40]}"
                )
                continue
            if not id_text.isdecimal():
                self.place = grid.cell_place(r, id_column)
                if id_text:
                    self.problem(f"序号“{id_text[:10]}”不是数字")
                else:
                    self.problem(f"这一行没有序号：{clean(' '.join(texts))[:40]}")
                continue
            if len(id_text) > 9:  # int() of thousands of digits fails, and no list is that long
                self.place = grid.cell_place(r, id_column)
                self.problem(f"序号“{id_text[:10]}…”有 {len(id_text)} 位：不是清单的序号")
                continue
            self.item = int(id_text)
            if grid.ragged and len(texts) != header.width:
                self.problem(
                    f"事项行应有 {header.width} 列（以制表符分隔），这一行有 {len(texts)} 列"
                )
                continue
            items.append(self.one_item(grid, r, header, texts, category))
            places.append((r, header))
        self.item = None
        for text, _ in grid.after:
            note_mark = _NOTE.match(clean(text))
            if note is None and note_mark:
                note = clean(text)[note_mark.end() :]
        if header is None:
            self.place = grid.rows[0].place if grid.rows else Place(self.file, 1)
            self.problem("没有找到表头：清单表格应有一行列名（序号、事项名称……）")
            raise DataError(self.problems)
        if categories:
            for item, (r, _) in zip(items, places, strict=True):
                if not item.category:
                    self.item = item.id
                    self.place = grid.rows[r].place
                    self.problem("事项出现在第一个类别行之前")
            self.item = None
        kind = self.kind(title, header)
        self.check_columns(header, kind)
        info = self.list_info(title, note, kind, header.place)
        self.check_counts(categories, items)
        used = {name for item in items for name in item.departments}
        dl = DutyList(
            info=info,
            categories=tuple(c for c, _, _ in categories),
            departments=tuple(d for d in self.table if d.name in used),
            items=tuple(items),
        )
        from dutycli.lists.serialize import schema_needed

        if schema_needed(dl) == 2:
            dl = DutyList(dl.info, dl.categories, dl.departments, dl.items, schema=2)
        self.check(dl, grid, places, categories, header)
        if not items:
            self.place = header.place
            self.problem("没有找到任何事项行")
        if self.problems:
            raise DataError(self.problems)
        return dl

    @staticmethod
    def category_name(text: str) -> tuple[str, int | None]:
        """一、党的建设（3项） -> (党的建设, 3): the count is checked, then dropped."""
        cut = max(text.rfind("（"), text.rfind("("))
        if cut > 0:
            count = _COUNT.fullmatch(text[cut:])
            if count:
                return text[:cut].strip(), int(count.group(1))
        return text, None

    def check_counts(
        self, categories: list[tuple[str, Place, int | None]], items: list[Item]
    ) -> None:
        for name, place, count in categories:
            found = sum(1 for i in items if i.category == name)
            if count is not None and found != count:
                self.problems.append(
                    place.problem(f"类别“{name}”写明 {count} 项，表格里却有 {found} 项")
                )

    def header(self, grid: Grid, r: int) -> tuple[_Header, int | None]:
        """The columns named by the header at row ``r`` (and the row below it, if it is one too)."""
        row = grid.rows[r]
        labels = [cell.text for cell in row.cells]
        skip = None
        if r + 1 < len(grid.rows):
            below = grid.rows[r + 1].cells
            fresh = [c for c, cell in enumerate(below) if cell.origin == (r + 1, c)]
            texts = [below[c].text for c in fresh if below[c].text.strip()]
            if texts and all(H.field_of(t) for t in texts) and len(below) == len(row.cells):
                # A two-row header: the lower row names the columns it spans.
                skip = r + 1
                for c in fresh:
                    if below[c].text.strip():
                        labels[c] = below[c].text
        columns: dict[str, int] = {}
        for c, label in enumerate(labels):
            if not label.strip():
                continue
            if c > 0 and labels[c - 1] == label and row.cells[c].origin == row.cells[c - 1].origin:
                continue  # one header cell merged over several columns
            name = H.field_of(label)
            self.place = grid.cell_place(r, c)
            if name is None:
                if any(
                    clean(x.cells[c].text)
                    for x in grid.rows[r + 1 :]
                    if c < len(x.cells) and x.cells[c].origin[1] == c
                ):
                    self.problem(
                        f"未知的列“{clean(label)}”：不知道它对应清单的哪个字段，"
                        f"可识别的列：{'、'.join(sorted(set(H.VARIANTS)))}"
                    )
            elif name in columns:
                self.problem(
                    f"列“{clean(label)}”重复（第 {columns[name] + 1} 列已是{H.LABELS[name]}）"
                )
            else:
                columns[name] = c
        return _Header(columns, len(row.cells), grid.rows[r].place), skip

    def kind(self, title: tuple[str, Place] | None, header: _Header) -> str:
        from_title = next((k for k in KINDS if title and title[0].endswith(k + "清单")), None)
        if self.kind_option:
            if from_title and from_title != self.kind_option:
                self.place = title[1] if title else header.place
                self.problem(f"标题是{from_title}清单，而 --kind 指定的是{self.kind_option}")
            return self.kind_option
        return from_title or H.kind_of(set(header.columns))

    def check_columns(self, header: _Header, kind: str) -> None:
        missing = [f for f in H.REQUIRED[kind] if f not in header.columns]
        if missing:
            self.place = header.place
            self.item = None
            found = "、".join(H.LABELS[f] for f in header.columns) or "（无）"
            self.problem(
                f"{kind}清单缺少必需的列：{'、'.join(H.LABELS[f] for f in missing)}；"
                f"表头里能识别的列：{found}"
            )
            raise DataError(self.problems)

    def list_info(
        self, title: tuple[str, Place] | None, note: str | None, kind: str, place: Place
    ) -> ListInfo:
        street = self.street_option
        if title is None:
            if street:
                return ListInfo(f"{street}{kind}清单", street, kind, note)
            self.place = place
            self.problem(
                "缺少清单标题（如“青山路街道配合履职事项清单”）："
                "请在表格上方写明，或用 --street 指定街道名"
            )
            return ListInfo("", "", kind, note)
        text, self.place = title
        for k in KINDS:
            if text.endswith(k + "清单") and len(text) > len(k) + 2:
                return ListInfo(text, street or text[: -len(k + "清单")], kind, note)
        if street:
            return ListInfo(text, street, kind, note)
        self.problem(f"标题“{text}”应为“某街道{kind}清单”的形式；或用 --street 指定街道名")
        return ListInfo(text, text, kind, note)

    def check(
        self,
        dl: DutyList,
        grid: Grid,
        places: list[tuple[int, _Header]],
        categories: list[tuple[str, Place, int | None]],
        header: _Header,
    ) -> None:
        columns = {
            "name": H.NAME,
            "departments": H.DEPARTMENTS,
            "upper_duties": H.UPPER,
            "guarantees": H.GUARANTEES,
            "street_duties": H.STREET,
            "basis": H.BASIS,
            "method": H.METHOD,
        }
        located: dict[tuple[int, int], Place] = {}

        def locate(path: Path) -> tuple[int | None, int | None]:
            if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
                r, head = places[path[1]]
                name = columns.get(str(path[2])) if len(path) > 2 else None
                c = head.columns.get(name, head.columns[H.ID]) if name else head.columns[H.ID]
                place = grid.cell_place(r, c)
            elif len(path) >= 2 and path[0] == "categories" and isinstance(path[1], int):
                place = categories[path[1]][1]
            else:
                place = header.place
            located[(len(located), 0)] = place
            return len(located) - 1, 0

        for p in check_list(dl, self.file, locate):
            assert p.line is not None
            place = located[(p.line, 0)]
            self.problems.append(
                place.problem(p.message, p.item if isinstance(p.item, int) else None)
            )
        for p in formula_warnings(dl, self.file, locate):
            assert p.line is not None
            place = located[(p.line, 0)]
            self.warnings.append(
                place.problem(p.message, p.item if isinstance(p.item, int) else None)
            )

    # -- one item -----------------------------------------------------------

    def one_item(
        self, grid: Grid, r: int, header: _Header, texts: list[str], category: str
    ) -> Item:
        cols = header.columns

        def cell(name: str) -> str:
            if name not in cols:
                return ""
            self.place = grid.cell_place(r, cols[name])
            return texts[cols[name]]

        item_id = self.item or 0
        name = clean(cell(H.NAME))
        departments = self.departments(cell(H.DEPARTMENTS)) if H.DEPARTMENTS in cols else ()
        blocks: tuple[Block, ...] = ()
        guarantees: tuple[str, ...] = ()
        if H.UPPER in cols:
            segs = self.segments(cell(H.UPPER), self.upper_marks)
            blocks, guarantees = self.upper(segs, departments)
        if H.GUARANTEES in cols:
            extra = self.plain(cell(H.GUARANTEES))
            if extra and guarantees:
                self.problem("履职保障既写在“上级部门职责”里，又有单独的一列：请只保留一处")
            guarantees = guarantees or extra
        sections = (
            self.street(self.segments(cell(H.STREET), self.plain_marks)) if H.STREET in cols else ()
        )
        basis = self.paragraphs(cell(H.BASIS)) if H.BASIS in cols else None
        method = self.paragraphs(cell(H.METHOD)) if H.METHOD in cols else None
        return Item(
            item_id, name, category, departments, blocks, guarantees, sections, basis, method
        )

    @staticmethod
    def paragraphs(text: str) -> str | None:
        lines = [clean(line) for line in text.split("\n")]
        return "\n".join(line for line in lines if line) or None

    def plain(self, text: str) -> tuple[str, ...]:
        run = _Run(None)
        for seg in self.segments(text, self.plain_marks):
            message = run.add(seg)
            if message:
                self.problem(message)
        return tuple(run.steps)

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
                self.problem(f"未知的部门“{words[i][:40]}”：请先把它加入部门表（--departments）")
                i += 1
        return tuple(out)

    def segments(self, cell: str, marks: re.Pattern[str]) -> list[_Seg]:
        out: list[_Seg] = []
        for line in cell.split("\n"):
            piece = line.strip()
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
                elif m.group("circ") is not None:
                    kind = "circ"
                elif m.groupdict().get("gua"):
                    out.append(_Seg("gua", ""))
                    kind = "text"
                else:
                    heading = clean(m.group("head"))
                    opening = heading.rstrip("：: ")
                    opening = opening[:-2] if opening.endswith("职责") else opening
                    names = opening.split("、")
                    out.append(_Seg("head", heading, tuple(self.names[n] for n in names)))
                    kind = "text"
            self._emit(out, kind, piece[pos:])
        return out

    def _emit(self, out: list[_Seg], kind: str, text: str) -> None:
        text = clean(text)
        if text:
            out.append(_Seg(kind, text))
        elif kind in ("num", "sub", "circ"):
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
            heads_steps = n + 1 < len(segs) and segs[n + 1].kind in ("num", "circ")
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
