"""Read a list file and validate it into the records of ``model``, reporting every problem."""

from __future__ import annotations

import codecs
from pathlib import Path as FsPath

from dutycli.errors import DataError, Problem
from dutycli.lists.model import (
    BASIC,
    KINDS,
    SCHEMA_LATEST,
    TAKEN_BACK,
    Block,
    Department,
    DutyList,
    Item,
    ListInfo,
    Section,
    kind_of,
    replace,
)
from dutycli.lists.source import LIST_MAX_BYTES, read_bytes
from dutycli.lists.validate import FieldPath, check_list
from dutycli.lists.yamlnodes import (
    INT,
    MappingNode,
    Node,
    QuietGC,
    ScalarNode,
    SequenceNode,
    Where,
    compose,
)
from dutycli.lists.yamlshapes import Shapes, int_value, kind_name

# Re-exported for the thesaurus reader (text/thesaurus.py), which reads YAML the same way.
__all__ = ["MappingNode", "ScalarNode", "SequenceNode", "Where", "compose", "load", "parse"]

TOP_KEYS = ("schema", "list", "categories", "departments", "items")
LIST_KEYS = ("title", "subdistrict", "kind")
LIST_KEYS_2 = ("district", "city", "province", "version")  # optional, schema 2
ITEM_KEYS = ("id", "name", "category", "departments", "upper_duties", "street_duties")
ITEM_KEYS_2 = ("basis", "method", "extras")  # optional, schema 2
# What an item must have, by the list's kind; category only where the list has categories.
REQUIRED_KEYS = {BASIC: ("id", "name", "category"), TAKEN_BACK: ("id", "name", "category")}
REQUIRED_KEYS_TAKEN_BACK = ("departments", "method")


def read_text(path: str | FsPath) -> str:
    """The file's text; a missing, unreadable or non-UTF-8 file is a DataError."""
    return decode(read_bytes(path, LIST_MAX_BYTES), str(path))


def decode(raw: bytes, file: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            hint = "请把文件另存为 UTF-8 编码"
        else:
            hint = (
                "看起来是 GBK/GB18030 编码（Windows 中文版的默认编码）。"
                f"请先转换为 UTF-8，例如：iconv -f GB18030 -t UTF-8 {file} > 新文件.yaml"
            )
        raise DataError([Problem(file, f"文件不是 UTF-8 编码：{hint}", line, column)]) from None


def load(path: str | FsPath) -> DutyList:
    return parse(read_text(path), str(path))


def parse(text: str, file: str) -> DutyList:
    with QuietGC():
        # Items are read as the parser reaches them; a valid list never holds
        # the node tree of all its items (a 50 MB list: 450 MB before).
        walker = _Walker(file, Where(text))
        walker.streamed = []
        dl = walker.top(compose(text, file, walker.take_item))
        streamed_wrong = walker.streamed_mode not in (None, walker.mode())
        if walker.problems or streamed_wrong:
            # Read again, whole, so that every problem is located precisely
            # (or every item is read by its list's kind).
            walker = _Walker(file, Where(text))
            dl = walker.top(compose(text, file))
    problems = walker.problems
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise DataError(problems)
    assert dl is not None
    return dl


def warnings(text: str, file: str, dl: DutyList) -> list[Problem]:
    """Warnings of a valid list read from ``text`` (texts Excel would run as formulas), located.

    The file is read again whole only when there is something to locate.
    """
    from dutycli.lists.validate import formula_warnings

    if not formula_warnings(dl, file, lambda path: (None, None)):
        return []
    walker = _Walker(file, Where(text))
    walker.top(compose(text, file))
    return formula_warnings(dl, file, walker.locate)


def parse_departments(text: str, file: str) -> tuple[Department, ...]:
    """The department table of a list file (or of a file holding just ``departments:``)."""
    node = compose(text, file)
    walker = _Walker(file, Where(text))
    fields = walker.mapping(node, "文件", ("departments",), TOP_KEYS)
    depts = (
        walker.departments(fields["departments"]) if fields and "departments" in fields else None
    )
    if walker.problems or depts is None:
        raise DataError(walker.problems or [Problem(file, "没有部门表")])
    return depts


class _Walker(Shapes):
    """Checks the shape of the node tree while building the records (``Shapes``'s checks)."""

    def __init__(self, file: str, where: Where | None = None) -> None:
        super().__init__(file, where)
        self.streamed: list[Item | None] | None = None  # items read while parsing
        self.streamed_mode: tuple[int, str, bool] | None = None
        self.schema = 1
        self.kind = ""
        self.has_categories = True

    def mode(self) -> tuple[int, str, bool]:
        """What reading an item depends on, besides the item itself."""
        kind = self.kind if self.kind in REQUIRED_KEYS else ""
        return self.schema, kind, self.has_categories

    def take_item(self, node: Node, index: int) -> None:
        # Items stream before top() has read the list's schema and kind: they
        # are read as a schema 1 配合 list's, and read again whole if that was wrong.
        assert self.streamed is not None
        if self.streamed_mode is None:
            self.streamed_mode = self.mode()
        self.streamed.append(self.one_item(node, index))

    # -- the schema ----------------------------------------------------------

    def top(self, node: Node) -> DutyList | None:
        self.root = node
        fields = self.mapping(node, "文件顶层", TOP_KEYS, TOP_KEYS)
        if fields is None:
            return None
        schema = self.integer(fields["schema"], "schema") if "schema" in fields else None
        if schema is not None and not 1 <= schema <= SCHEMA_LATEST:
            self.err(
                fields["schema"],
                f"不支持的 schema 版本 {schema}：这个版本的 duty 只读 schema 1 和 {SCHEMA_LATEST}",
            )
        self.schema = schema if schema in (1, 2) else 1
        info = self.list_info(fields["list"]) if "list" in fields else None
        self.kind = kind_of(info.kind) if info is not None else ""
        categories = (
            self.strings(self.at(fields["categories"], "categories"), "categories", "categories")
            if "categories" in fields
            else None
        )
        self.has_categories = bool(categories) or self.schema == 1
        departments = self.departments(fields["departments"]) if "departments" in fields else None
        items = self.items(fields["items"]) if "items" in fields else None
        if categories is not None and departments is not None and items is not None:
            # Cross-check the items that were read whole, so that one broken
            # item does not hide the duplicate id or unknown department of another.
            read = [(i, item) for i, item in enumerate(items) if item is not None]
            # The list's own title and names when they were read (their texts are checked too).
            heading = replace(info, kind=self.kind) if info else ListInfo("", "", self.kind)
            partial = DutyList(heading, categories, departments, tuple(x for _, x in read))
            self.problems += check_list(partial, self.file, self.locate, [i for i, _ in read])
        if (
            info is None
            or schema is None
            or None in (categories, departments, items)
            or self.problems
        ):
            return None
        assert categories is not None and departments is not None and items is not None
        return DutyList(
            info, categories, departments, tuple(x for x in items if x), schema, path=self.file
        )

    def list_info(self, node: Node) -> ListInfo | None:
        extra = LIST_KEYS_2 if self.schema == 2 else ()
        fields = self.mapping(node, "list", LIST_KEYS, (*LIST_KEYS, "note", *extra))
        if fields is None:
            return None
        values = {k: self.string(fields[k], f"list.{k}") for k in LIST_KEYS if k in fields}
        note = self.optional_string(fields.get("note"), "list.note")
        more = {k: self.optional_string(fields.get(k), f"list.{k}") for k in extra}
        if len(values) < len(LIST_KEYS) or None in values.values():
            return None
        if self.schema == 2 and values["kind"] not in KINDS:
            self.err(
                fields["kind"], f"list.kind 应为 {'、'.join(KINDS)} 之一，而不是“{values['kind']}”"
            )
            return None
        return ListInfo(
            values["title"] or "", values["subdistrict"] or "", values["kind"] or "", note, **more
        )

    def departments(self, node: Node) -> tuple[Department, ...] | None:
        nodes = self.sequence(self.at(node, "departments"), "departments")
        if nodes is None:
            return None
        out: list[Department] = []
        for d, child in enumerate(nodes):
            self.at(child, "departments", d)
            fields = self.mapping(child, f"第 {d + 1} 个部门", ("name",), ("name", "aliases"))
            if fields is None or "name" not in fields:
                continue
            name = self.string(self.at(fields["name"], "departments", d, "name"), "部门名称")
            aliases: tuple[str, ...] | None = ()
            if "aliases" in fields:
                aliases = self.strings(
                    fields["aliases"], f"部门“{name}”的 aliases", "departments", d, "aliases"
                )
            if name is not None and aliases is not None:
                out.append(Department(name, aliases))
        return tuple(out) if len(out) == len(nodes) else None

    def items(self, node: Node) -> list[Item | None] | None:
        """The items in file order, None where an item could not be read."""
        nodes = self.sequence(self.at(node, "items"), "items")
        if nodes is None:
            return None
        if self.streamed is not None:
            self.item = None
            return self.streamed
        out = [self.one_item(child, i) for i, child in enumerate(nodes)]
        self.item = None
        return out

    def one_item(self, node: Node, index: int) -> Item | None:
        self.item = None
        self.at(node, "items", index)
        what = f"第 {index + 1} 条记录"
        if isinstance(node, MappingNode):
            for key_node, value in node.value:
                is_id = isinstance(key_node, ScalarNode) and key_node.value == "id"
                if is_id and isinstance(value, ScalarNode) and value.tag == INT:
                    self.item = int_value(value.value)
                    what = "本项" if self.item is not None else what
        required: tuple[str, ...] = ITEM_KEYS
        if self.kind in REQUIRED_KEYS:
            required = REQUIRED_KEYS[self.kind]
            if self.kind == TAKEN_BACK:
                required += REQUIRED_KEYS_TAKEN_BACK
        if not self.has_categories:  # a list without categories (schema 2)
            required = tuple(k for k in required if k != "category")
        extra = ITEM_KEYS_2 if self.schema == 2 else ()
        fields = self.mapping(node, what, required, (*ITEM_KEYS, "guarantees", *extra))
        if fields is None:
            return None
        # Fields a kind does not require default to empty.
        if "category" not in fields and "category" not in required:
            category_default: str | None = ""
        else:
            category_default = None
        base = ("items", index)
        for key, value in fields.items():
            self.at(value, *base, key)
        item_id = self.integer(fields["id"], "id") if "id" in fields else None
        name = self.string(fields["name"], "name") if "name" in fields else None
        category = (
            self.string(fields["category"], "category")
            if "category" in fields
            else category_default
        )
        optional = () if self.kind in REQUIRED_KEYS else None
        departments = (
            self.strings(fields["departments"], "departments", *base, "departments")
            if "departments" in fields
            else optional
        )
        blocks = self.blocks(fields["upper_duties"], base) if "upper_duties" in fields else optional
        guarantees: tuple[str, ...] | None = ()
        if "guarantees" in fields:
            guarantees = self.strings(fields["guarantees"], "guarantees", *base, "guarantees")
        sections = (
            self.sections(fields["street_duties"], base) if "street_duties" in fields else optional
        )
        basis = self.optional_string(fields.get("basis"), "basis")
        method = self.optional_string(fields.get("method"), "method")
        extras = self.extras(fields["extras"]) if "extras" in fields else ()
        if (
            item_id is None
            or name is None
            or category is None
            or departments is None
            or blocks is None
            or guarantees is None
            or sections is None
            or extras is None
        ):
            return None
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

    def extras(self, node: Node) -> tuple[tuple[str, str], ...] | None:
        """The published columns that are no field of the list: {column header: text}."""
        if not isinstance(node, MappingNode):
            self.err(node, f"extras 应为映射（列名: 文字），实际是{kind_name(node)}")
            return None
        out: list[tuple[str, str]] = []
        ok = True
        for key_node, value in node.value:
            key = self.string(key_node, "extras 的列名")
            if key is not None and any(k == key for k, _ in out):
                self.err(key_node, f"extras 的列名“{key}”重复")
                key = None
            text = self.string(value, f"extras 的“{key}”")
            if key is None or text is None:
                ok = False
                continue
            out.append((key, text))
        return tuple(out) if ok else None

    def blocks(self, node: Node, base: FieldPath) -> tuple[Block, ...] | None:
        nodes = self.sequence(node, "upper_duties")
        if nodes is None:
            return None
        out: list[Block] = []
        for b, child in enumerate(nodes):
            path = (*base, "upper_duties", b)
            self.at(child, *path)
            what = f"upper_duties 的第 {b + 1} 块"
            fields = self.mapping(
                child, what, ("departments", "steps"), ("departments", "heading", "steps")
            )
            if fields is None or "departments" not in fields or "steps" not in fields:
                continue
            if "heading" in fields:
                self.at(fields["heading"], *path, "heading")
            depts = self.strings(
                fields["departments"], f"{what}的 departments", *path, "departments"
            )
            heading = self.optional_string(fields.get("heading"), f"{what}的 heading")
            steps = self.strings(fields["steps"], f"{what}的 steps", *path, "steps")
            if depts is not None and steps is not None:
                out.append(Block(depts, heading, steps))
        return tuple(out) if len(out) == len(nodes) else None

    def sections(self, node: Node, base: FieldPath) -> tuple[Section, ...] | None:
        nodes = self.sequence(node, "street_duties")
        if nodes is None:
            return None
        out: list[Section] = []
        for n, child in enumerate(nodes):
            path = (*base, "street_duties", n)
            self.at(child, *path)
            what = f"street_duties 的第 {n + 1} 段"
            fields = self.mapping(child, what, ("steps",), ("heading", "steps"))
            if fields is None or "steps" not in fields:
                continue
            if "heading" in fields:
                self.at(fields["heading"], *path, "heading")
            heading = self.optional_string(fields.get("heading"), f"{what}的 heading")
            steps = self.strings(fields["steps"], f"{what}的 steps", *path, "steps")
            if steps is not None:
                out.append(Section(heading, steps))
        return tuple(out) if len(out) == len(nodes) else None
