"""From a grid of cells to a DutyList: one set of rules for every source format.

Rows are told apart by what they hold: the header (序号 …, maybe over two rows),
a row with one text (a category ``一、党的建设（3项）``, ``（一）``, ``第一类``, or a
row merged over the whole width; the title; a closing ``注：``), or an item (a
number in the 序号 column). Columns are read by what their header says
(``headers``); a column no rule reads is kept on every item under its header.
Departments come from ``--departments`` when given (a name it does not know is
reported, never guessed), else from the list itself (``deptnames``). Every cell
is normalised one way (``normalize``), reported in the summary. Every problem is
collected with its place, then raised at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dutycli.errors import DataError, Problem, UsageError
from dutycli.lists import deptnames
from dutycli.lists.importers import headers as H
from dutycli.lists.importers.cells import CellReader
from dutycli.lists.importers.columns import Header, read_header
from dutycli.lists.importers.normalize import Normalizer
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
    department_names,
)
from dutycli.lists.validate import FieldPath, check_list, formula_warnings

KINDS = (BASIC, COOP, TAKEN_BACK)
KIND_NAMES = {"基本": BASIC, "配合": COOP, "收回": TAKEN_BACK, **{k: k for k in KINDS}}
CN_NUMERALS = "一二三四五六七八九十"

# Patterns are applied to normalised text and anchored so that none can
# backtrack over a long run of one character.
_CATEGORY = re.compile(
    rf"(?:[{CN_NUMERALS}]+ ?[、.．]|[（(] ?[{CN_NUMERALS}]+ ?[）)]"
    rf"|第[{CN_NUMERALS}]+ ?(?:类|部分|章|项)) ?[、:：]? ?"
)
_COUNT = re.compile(r"[（(] ?共? ?(\d+) ?项 ?[)）]")
_NOTE = re.compile(r"注 ?[:：] ?")
# The subdistrict a title names: 青山路街道…, 某某镇…, 某某苏木… (not the 镇 of 镇街).
_STREET = re.compile(r"^(.{1,20}?(?:街道办事处|街道|苏木|乡镇|镇(?!街)|乡|社区|嘎查))")
_MAX_DETAILS = 3  # located details after the first message for a file that is no list


def kind_named(name: str) -> str:
    try:
        return KIND_NAMES[name.strip()]
    except KeyError:
        raise UsageError(f"--kind 应为 基本、配合 或 收回，而不是“{name}”") from None


@dataclass
class _Scan:
    """What the rows of a grid are, before any item is read."""

    title: tuple[str, Place] | None = None
    note: str | None = None
    header: Header | None = None
    categories: list[tuple[str, Place, int | None]] = field(default_factory=list)
    rows: list[tuple[int, int, str]] = field(default_factory=list)  # (row, id, category)
    # An item's texts joined with its continuation rows, by the item's row.
    joined: dict[int, list[str]] = field(default_factory=dict)


def not_a_list(file: str, grids: list[Grid], why: str) -> DataError:
    """One message saying the file is no list and why, then a few located details."""
    first = Problem(
        file,
        f"这不是一份可导入的清单：{why}。清单表格应有一行列名，"
        "其中有“事项名称”一类的列（如 序号、事项名称、对应上级部门、街道配合职责）",
    )
    details = []
    for n, grid in enumerate(grids[:_MAX_DETAILS], start=1):
        filled = next((row for row in grid.rows if any(c.text.strip() for c in row.cells)), None)
        if filled is None:
            continue
        seen = " | ".join(Normalizer().line(c.text)[:12] for c in filled.cells if c.text.strip())
        width = len(filled.cells)
        details.append(
            filled.place.problem(f"表 {n}（{len(grid.rows)} 行 {width} 列）的第一行是：{seen[:80]}")
        )
    if len(grids) > _MAX_DETAILS:
        details.append(Problem(file, f"……另有 {len(grids) - _MAX_DETAILS} 个表格，同样没有表头"))
    return DataError([first, *details])


class Converter:
    def __init__(
        self,
        file: str,
        departments: tuple[Department, ...] | None,
        kind: str | None = None,
        street: str | None = None,
        columns: dict[str, str] | None = None,
    ) -> None:
        self.file = file
        self.table = departments  # None: the departments are the list's own
        self.kind_option = kind
        self.street_option = street
        self.columns = columns or {}
        self.norm = Normalizer()
        self.names = department_names(departments or ())
        self.reader = CellReader(self.names, self.norm, self.problem)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # the list is still written
        self.place = Place(file, 1)
        self.joined: dict[int, list[str]] = {}
        self.item: int | None = None
        self.summary: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(self.place.problem(message, self.item))

    # -- rows ---------------------------------------------------------------

    def run(self, grid: Grid) -> DutyList:
        scan = self.scan(grid)
        header = scan.header
        if header is None:
            raise not_a_list(self.file, [grid], "没有找到表头")
        kind = self.kind(scan.title, header)
        self.check_columns(header, kind)
        self.read_departments(grid, scan, header)
        self.joined = scan.joined
        items = [self.one_item(grid, r, header, n, cat) for r, n, cat in scan.rows]
        self.item = None
        info = self.list_info(scan.title, scan.note, kind, header.place)
        self.check_counts(scan.categories, items)
        categories = tuple(c for c, _, _ in scan.categories)
        if H.CATEGORY in header.columns:
            categories = tuple(dict.fromkeys(i.category for i in items if i.category))
        used = {name for item in items for name in item.departments}
        table = self.table if self.table is not None else self.own_departments
        dl = DutyList(info, categories, tuple(d for d in table if d.name in used), tuple(items))
        from dutycli.lists.serialize import schema_needed

        if schema_needed(dl) == 2:
            dl = DutyList(dl.info, dl.categories, dl.departments, dl.items, schema=2)
        self.check(dl, grid, [r for r, _, _ in scan.rows], scan.categories, header)
        if not items:
            self.place = header.place
            self.problem("没有找到任何事项行")
        if self.problems:
            raise DataError(self.problems)
        self.summarize(dl, header)
        return dl

    def scan(self, grid: Grid) -> _Scan:
        scan = _Scan()
        for text, place in grid.before:
            if scan.title is None and self.norm.line(text).endswith("清单"):
                scan.title = self.norm.line(text), place
        skip: int | None = None
        category = ""
        for r, row in enumerate(grid.rows):
            self.place, self.item = row.place, None
            texts = [cell.text for cell in row.cells]
            own = [
                c
                for c, cell in enumerate(row.cells)
                # Only cells that start in this row: a cell merged down from
                # above belongs to the row where it starts.
                if cell.origin[0] == r and cell.origin[1] == c and cell.text.strip()
            ]
            if r == skip or not own:
                continue
            if H.is_header(texts, self.columns):
                if scan.header is None:
                    scan.header, skip, problems = read_header(grid, r, self.columns, self.norm)
                    self.problems += problems
                continue
            if self.continued(grid, r, scan, own):
                continue
            category = self.scan_row(grid, r, own, scan, category)
        for text, _ in grid.after:
            note_mark = _NOTE.match(self.norm.line(text))
            if scan.note is None and note_mark:
                scan.note = self.norm.line(text)[note_mark.end() :]
        if scan.categories and scan.header is not None:
            for r, n, cat in scan.rows:
                if not cat and H.CATEGORY not in scan.header.columns:
                    self.item, self.place = n, grid.rows[r].place
                    self.problem("事项出现在第一个类别行之前")
            self.item = None
        return scan

    def scan_row(self, grid: Grid, r: int, own: list[int], scan: _Scan, category: str) -> str:
        """Read one row that is no header; returns the category in force after it."""
        row, header = grid.rows[r], scan.header
        texts = [cell.text for cell in row.cells]
        id_column = header.columns[H.ID] if header else 0
        id_text = self.norm.line(texts[id_column]) if id_column < len(texts) else ""
        if len(own) == 1 and not (header and own[0] == id_column and id_text.isdecimal()):
            # One text in the row: a category, the title or the closing note.
            one = self.norm.line(texts[own[0]])
            heading = _CATEGORY.match(one)
            note_mark = _NOTE.match(one)
            merged = row.cells[0].origin == row.cells[-1].origin and len(row.cells) > 1
            if heading and one[heading.end() :]:
                category, count = self.category_name(one[heading.end() :])
                scan.categories.append((category, row.place, count))
            elif note_mark:
                scan.note = one[note_mark.end() :]
            elif scan.title is None and not scan.rows and header is None:
                scan.title = one, row.place
            elif header is not None and merged:  # a merged row with the category alone
                category, count = self.category_name(one)
                scan.categories.append((category, row.place, count))
            else:
                self.problem(f"无法识别的行：{one[:40]}")
            return category
        if header is None:
            self.problem(
                f"表头（序号、事项名称……）之前出现了无法识别的行：{self.norm.line(texts[own[0]])[:40]}"
            )
        elif not id_text.isdecimal():
            self.place = grid.cell_place(r, id_column)
            if id_text:
                self.problem(f"序号“{id_text[:10]}”不是数字")
            else:
                self.problem(f"这一行没有序号：{self.norm.line(' '.join(texts))[:40]}")
        elif len(id_text) > 9:  # int() of thousands of digits fails, and no list is that long
            self.place = grid.cell_place(r, id_column)
            self.problem(f"序号“{id_text[:10]}…”有 {len(id_text)} 位：不是清单的序号")
        elif grid.ragged and len(texts) != header.width:
            self.item = int(id_text)
            self.problem(f"事项行应有 {header.width} 列（以制表符分隔），这一行有 {len(texts)} 列")
        else:
            scan.rows.append((r, int(id_text), category))
        return category

    @staticmethod
    def continued(grid: Grid, r: int, scan: _Scan, own: list[int]) -> bool:
        """Join row ``r`` to the item above if it goes on with it; says whether it did.

        An item longer than a spreadsheet row shows goes on in the rows below,
        its 序号 cell merged down over them (as ``-o xlsx`` writes it).
        """
        if scan.header is None or not scan.rows:
            return False
        item_row, cells = scan.rows[-1][0], grid.rows[r].cells
        column = scan.header.columns[H.ID]
        if not (column < len(cells) and cells[column].origin[0] == item_row != r):
            return False
        texts = scan.joined.setdefault(item_row, [cell.text for cell in grid.rows[item_row].cells])
        for c in own:
            texts[c] = f"{texts[c]}\n{cells[c].text}" if texts[c].strip() else cells[c].text
        return True

    def category_name(self, text: str) -> tuple[str, int | None]:
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

    def kind(self, title: tuple[str, Place] | None, header: Header) -> str:
        text = title[0] if title else ""
        from_title = next((k for k in KINDS if text.endswith(k + "清单")), None)
        if from_title is None and text.endswith("清单"):
            words = (("收回", TAKEN_BACK), ("配合", COOP), ("协助", COOP), ("基本", BASIC))
            from_title = next((k for w, k in words if w in text), None)
        if self.kind_option:
            if from_title and from_title != self.kind_option:
                self.place = title[1] if title else header.place
                self.problem(f"标题是{from_title}清单，而 --kind 指定的是{self.kind_option}")
            return self.kind_option
        return from_title or H.kind_of(set(header.columns), [h for h, _ in header.taken])

    def check_columns(self, header: Header, kind: str) -> None:
        missing = [f for f in H.REQUIRED[kind] if f not in header.columns]
        if missing:
            self.place = header.place
            self.item = None
            found = "；".join(f"“{h}”当作{what}" for h, what in header.taken) or "（无）"
            self.problem(
                f"{kind}清单缺少必需的列：{'、'.join(H.LABELS[f] for f in missing)}；"
                f'表头里的列：{found}。可用 --columns "表头=字段" 指定'
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
        named = _STREET.match(text)
        if street or named:
            return ListInfo(text, street or (named.group(1) if named else ""), kind, note)
        self.problem(f"标题“{text}”应为“某街道{kind}清单”的形式；或用 --street 指定街道名")
        return ListInfo(text, text, kind, note)

    def check(
        self,
        dl: DutyList,
        grid: Grid,
        rows: list[int],
        categories: list[tuple[str, Place, int | None]],
        header: Header,
    ) -> None:
        columns = {
            "name": H.NAME,
            "category": H.CATEGORY,
            "departments": H.DEPARTMENTS,
            "upper_duties": H.UPPER,
            "guarantees": H.GUARANTEES,
            "street_duties": H.STREET,
            "basis": H.BASIS,
            "method": H.METHOD,
        }
        extra_columns = dict(header.extras)
        located: list[Place] = []
        # An item whose cells were already reported gets no second, derived message.
        reported = {p.item for p in self.problems}

        def locate(path: FieldPath) -> tuple[int | None, int | None]:
            place = header.place
            if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
                key = str(path[2]) if len(path) > 2 else ""
                c = header.columns.get(columns.get(key, H.ID), header.columns[H.ID])
                if key == "extras" and len(path) > 3:
                    c = extra_columns.get(str(path[3]), c)
                place = grid.cell_place(rows[path[1]], c)
            elif len(path) >= 2 and path[0] == "categories" and isinstance(path[1], int):
                place = categories[path[1]][1] if path[1] < len(categories) else header.place
            located.append(place)
            return len(located) - 1, 0

        for p in check_list(dl, self.file, locate):
            assert p.line is not None
            item = p.item if isinstance(p.item, int) else None
            if item is not None and item in reported:
                continue
            self.problems.append(located[p.line].problem(p.message, item))
        for p in formula_warnings(dl, self.file, locate):
            assert p.line is not None
            item = p.item if isinstance(p.item, int) else None
            self.warnings.append(located[p.line].problem(p.message, item))

    # -- departments --------------------------------------------------------

    own_departments: tuple[Department, ...] = ()

    def read_departments(self, grid: Grid, scan: _Scan, header: Header) -> None:
        """Without ``--departments``: the departments the list's own cells name."""
        if self.table is not None or H.DEPARTMENTS not in header.columns:
            return
        c = header.columns[H.DEPARTMENTS]
        names = [
            name
            for r, _, _ in scan.rows
            for name in deptnames.split_names(" ".join(self.norm.words(grid.rows[r].cells[c].text)))
        ]
        self.own_departments = deptnames.departments_of(names, deptnames.load_abbreviations())
        self.names = department_names(self.own_departments)
        self.reader = CellReader(self.names, self.norm, self.problem)

    def departments(self, cell: str) -> tuple[str, ...]:
        words = self.norm.words(cell)
        if self.table is None:
            names = deptnames.split_names(" ".join(words))
            return tuple(dict.fromkeys(self.names[n] for n in names if n in self.names))
        # Names are separated by spaces, yet one name may itself hold a space
        # (包头市公安局 青山分局): join the longest run of words that is a name.
        words = [w for word in words for w in re.split(r"[、，,；;]", word) if w]
        out: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(4, len(words) - i), 0, -1):
                candidate = "".join(words[i : i + n]).lstrip(deptnames.CONNECTORS)
                if candidate in self.names:
                    out.append(self.names[candidate])
                    i += n
                    break
            else:
                self.problem(f"未知的部门“{words[i][:40]}”：请先把它加入部门表（--departments）")
                i += 1
        return tuple(out)

    # -- one item -----------------------------------------------------------

    def one_item(self, grid: Grid, r: int, header: Header, item_id: int, category: str) -> Item:
        self.item = item_id
        texts = self.joined.get(r) or [cell.text for cell in grid.rows[r].cells]
        cols = header.columns

        def cell(name: str) -> str:
            self.place = grid.cell_place(r, cols[name])
            return texts[cols[name]]

        read = self.reader
        name = self.norm.line(cell(H.NAME))
        if H.CATEGORY in cols:
            category = self.norm.line(cell(H.CATEGORY))
        departments = self.departments(cell(H.DEPARTMENTS)) if H.DEPARTMENTS in cols else ()
        blocks: tuple[Block, ...] = ()
        guarantees: tuple[str, ...] = ()
        if H.UPPER in cols:
            blocks, guarantees = read.upper(cell(H.UPPER), departments)
        if H.GUARANTEES in cols:
            extra = read.plain(cell(H.GUARANTEES))
            if extra and guarantees:
                self.problem("履职保障既写在“上级部门职责”里，又有单独的一列：请只保留一处")
            guarantees = guarantees or extra
        sections = read.street(cell(H.STREET)) if H.STREET in cols else ()
        basis = read.paragraphs(cell(H.BASIS)) if H.BASIS in cols else None
        method = read.paragraphs(cell(H.METHOD)) if H.METHOD in cols else None
        extras = tuple(
            (label, text) for label, c in header.extras if (text := self.norm.text(texts[c]))
        )
        return Item(
            item_id,
            name,
            category,
            departments,
            blocks,
            guarantees,
            sections,
            basis,
            method,
            extras,
        )

    # -- the summary ---------------------------------------------------------

    def summarize(self, dl: DutyList, header: Header) -> None:
        source = "来自清单本身，简称按规则生成" if self.table is None else "按 --departments 部门表"
        self.summary.append(
            f"导入{dl.info.kind}清单“{dl.info.title}”：{len(dl.items)} 项，"
            f"{len(dl.categories)} 个类别，{len(dl.departments)} 个部门（{source}）"
        )
        self.summary.append(
            "列：" + "；".join(f"“{h}”→{what}" for h, what in header.taken if "附加" not in what)
        )
        if header.extras:
            self.summary.append(
                "保留为附加字段的列（按原列名存入每项的 extras）："
                + "、".join(label for label, _ in header.extras)
            )
        normalized = self.norm.summary()
        if normalized:
            self.summary.append(normalized)
