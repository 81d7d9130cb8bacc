"""Read a list file and validate it into the records of ``model``, reporting every problem."""

from __future__ import annotations

import bisect
import codecs
import difflib
import gc
import re
from collections.abc import Callable
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

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
)
from dutycli.lists.source import read_bytes
from dutycli.lists.validate import Path, check_list

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_TAG_NAMES = {
    _STR: "文字",
    _INT: "整数",
    _NULL: "空值",
    "tag:yaml.org,2002:float": "小数",
    "tag:yaml.org,2002:bool": "布尔值",
    "tag:yaml.org,2002:timestamp": "日期",
}

TOP_KEYS = ("schema", "list", "categories", "departments", "items")
LIST_KEYS = ("title", "subdistrict", "kind")
LIST_KEYS_2 = ("district", "city", "province", "version")  # optional, schema 2
ITEM_KEYS = ("id", "name", "category", "departments", "upper_duties", "street_duties")
ITEM_KEYS_2 = ("basis", "method")  # optional, schema 2
# What an item must have, by the list's kind; category only where the list has categories.
REQUIRED_KEYS = {BASIC: ("id", "name", "category"), TAKEN_BACK: ("id", "name", "category")}
REQUIRED_KEYS_TAKEN_BACK = ("departments", "method")


def read_text(path: str | FsPath) -> str:
    """The file's text; a missing, unreadable or non-UTF-8 file is a DataError."""
    return decode(read_bytes(path), str(path))


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


MAX_INT_DIGITS = 9


def int_value(text: str) -> int | None:
    """A YAML integer as Python reads it, or None for what int() cannot take.

    YAML 1.1 calls ``010`` (octal), ``1:30`` (base 60), ``!!int abc`` and a
    number of 5,000 digits integers; none is an item number.
    """
    digits = text.replace("_", "")
    if len(digits) > MAX_INT_DIGITS + 1:
        return None
    try:
        return int(digits, 0)
    except ValueError:
        return None


def load(path: str | FsPath) -> DutyList:
    return parse(read_text(path), str(path))


def validate(path: str | FsPath) -> list[Problem]:
    try:
        load(path)
    except DataError as e:
        return e.problems
    return []


# A light node tree: PyYAML's nodes carry two Mark objects and a __dict__ each,
# which made a 50 MB list take 900 MB. These keep what the walker reads.
class Node:
    __slots__ = ("index", "tag", "value")  # index: where it starts, in characters of the text

    def __init__(self, tag: str, value: Any, index: int) -> None:
        self.tag, self.value, self.index = tag, value, index


class ScalarNode(Node):
    __slots__ = ()


class SequenceNode(Node):
    __slots__ = ()


class MappingNode(Node):
    __slots__ = ()


_RESOLVER: Any = yaml.resolver.Resolver()


def _build(text: str, file: str, on_item: Callable[[Node, int], None] | None = None) -> Node | None:
    """Compose the node tree from the parser's events, refusing anchors and aliases.

    An alias bomb fails at its first anchor, in microseconds, instead of expanding.
    With ``on_item``, each element of the top-level ``items`` is handed over as
    soon as it is read and left out of the tree, so that memory does not grow
    with the list.
    """
    root: Node | None = None
    stack: list[Node] = []
    keys: list[Node | None] = []  # per open mapping: the key waiting for its value
    documents = 0
    items: Node | None = None  # the top-level items sequence, once open
    for event in yaml.parse(text, Loader=_Loader):
        kind = type(event)
        if kind is AliasEvent or getattr(event, "anchor", None):
            at: Any = event.start_mark
            message = "不允许使用 YAML 锚点（&）和别名（*）：每条内容请直接写出"
            line, column = Where(text)(at)
            raise DataError([Problem(file, message, line, column)])
        if kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                line, column = Where(text)(event.start_mark)
                message = "文件里有多份 YAML 文档（---）：一个文件只能有一份清单"
                raise DataError([Problem(file, message, line, column)])
            continue
        if kind is SequenceEndEvent or kind is MappingEndEvent:
            done = stack.pop()
            if isinstance(done, MappingNode):
                keys.pop()
            if on_item is not None and items is not None and stack and stack[-1] is items:
                on_item(done, len(items.value) - 1)
                items.value[-1] = ScalarNode(_NULL, None, done.index)  # read: keep only its place
            continue
        mark: int = event.start_mark.index  # type: ignore[union-attr]
        node: Node
        tag: Any = getattr(event, "tag", None)
        if kind is ScalarEvent:
            value: Any = event.value  # type: ignore[attr-defined]
            if tag is None or tag == "!":
                tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[attr-defined]
            node = ScalarNode(tag, value, mark)
        elif kind is SequenceStartEvent:
            if tag is None or tag == "!":
                tag = _RESOLVER.resolve(yaml.SequenceNode, None, event.implicit)  # type: ignore[attr-defined]
            node = SequenceNode(tag, [], mark)
        elif kind is MappingStartEvent:
            if tag is None or tag == "!":
                tag = _RESOLVER.resolve(yaml.MappingNode, None, event.implicit)  # type: ignore[attr-defined]
            node = MappingNode(tag, [], mark)
        else:  # stream and document ends
            continue
        if (
            len(stack) == 1
            and kind is SequenceStartEvent
            and isinstance(stack[0], MappingNode)
            and keys[0] is not None
            and keys[0].value == "items"
        ):
            items = node
        if not stack:
            root = node
        elif isinstance(stack[-1], SequenceNode):
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None
        if kind is not ScalarEvent:
            stack.append(node)
            if kind is MappingStartEvent:
                keys.append(None)
        elif on_item is not None and items is not None and stack and stack[-1] is items:
            on_item(node, len(items.value) - 1)
    return root


class _QuietGC:
    """No cyclic garbage collection while a list is read.

    Reading makes millions of small objects and no cycles; the collector ran
    over all of them again and again (a 20 MB list: 6.7 s instead of 1.5 s).
    """

    def __enter__(self) -> None:
        self.was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *_: object) -> None:
        if self.was_on:
            gc.enable()


def compose(text: str, file: str, on_item: Callable[[Node, int], None] | None = None) -> Node:
    """YAML text to a node tree; syntax errors, anchors and aliases are DataErrors."""
    if not text.strip():
        raise DataError(
            [
                Problem(
                    file, "文件是空的：应为一份清单（schema、list、categories、departments、items）"
                )
            ]
        )
    try:
        node = _build(text, file, on_item)
    except yaml.MarkedYAMLError as e:
        mark: Any = e.problem_mark or e.context_mark
        what = yaml_problem(e.problem or e.context or "")
        line, column = Where(text)(mark) if mark is not None else (None, None)
        raise DataError([Problem(file, f"YAML 语法错误：{what}", line, column)]) from None
    except yaml.reader.ReaderError as e:
        code = e.character if isinstance(e.character, int) else ord(e.character)
        index = e.position
        if not (index < len(text) and ord(text[index]) == code):
            # libyaml counts the position in bytes of UTF-8, PyYAML in characters.
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, column = Where(text).at(index)
        message = f"含有不允许的控制字符 U+{code:04X}：请删去它（常见于从网页或 Word 复制的文字）"
        raise DataError([Problem(file, message, line, column)]) from None
    except yaml.YAMLError as e:
        raise DataError([Problem(file, f"YAML 语法错误：{yaml_problem(str(e))}")]) from None
    if node is None:
        raise DataError([Problem(file, "文件里只有注释，没有内容")])
    return node


# libyaml's English, in the words of the people who edit the files.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "这里不能出现“键: 值”：文字里的“: ”请加引号，或检查缩进"),
    ("could not find expected ':'", "找不到应有的冒号“:”：检查上一行是否漏了冒号或引号没有闭合"),
    (
        "found character that cannot start any token",
        "这个字符不能出现在这里（如 Tab 缩进、@、`）：请用空格缩进，或给文字加引号",
    ),
    ("did not find expected key", "缩进没有对齐：找不到应有的键"),
    ("did not find expected node content", "缺少内容：冒号或“- ”后面应有值"),
    ("did not find expected ',' or ']'", "列表 [ … ] 没有闭合：缺少“,”或“]”"),
    ("did not find expected ',' or '}'", "映射 { … } 没有闭合：缺少“,”或“}”"),
    ("expected <block end>", "缩进没有对齐"),
    ("did not find expected '-' indicator", "缩进没有对齐：这里应是以“- ”开头的列表项"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unknown escape character", "双引号里有无法识别的转义（\\ 后的字符）：请改用单引号"),
    ("found a tab character", "含有 Tab：YAML 只能用空格缩进"),
    ("found undefined tag handle", "无法识别的标签（! 开头）"),
    ("found unexpected ':'", "这里不能出现冒号：文字里的冒号请加引号"),
    ("found duplicate anchor", "锚点重复"),
    ("found undefined alias", "别名没有对应的锚点"),
    ("expected a comment or a line break", "这一行多出了内容：注释前要有空格"),
    ("expected alphabetic or numeric character", "锚点或别名的名字无效"),
    ("expected the node content, but found", "缺少内容"),
    ("expected ',' or ']'", "列表 [ … ] 没有闭合：缺少“,”或“]”"),
    ("expected ',' or '}'", "映射 { … } 没有闭合：缺少“,”或“}”"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("while parsing", "结构不完整：检查缩进和括号"),
)


def yaml_problem(english: str) -> str:
    for key, chinese in _YAML_PROBLEMS:
        if key in english:
            return chinese
    return "无法解析（检查这一处的缩进、冒号和引号）"


class Where:
    """Line and column as editors and grep count them: only a newline ends a line.

    libyaml also ends lines at U+0085, U+2028 and U+2029, which would put every
    later problem a line too far down.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.exact = not any(ch in text for ch in "\x85\u2028\u2029")
        self.newlines: list[int] | None = None

    def __call__(self, mark: Any) -> tuple[int, int]:
        if self.exact:
            return mark.line + 1, mark.column + 1
        return self.at(mark.index)

    def at(self, index: int) -> tuple[int, int]:
        if self.newlines is None:  # once, when the first problem is located
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self.newlines, index)
        start = self.newlines[line - 1] + 1 if line else 0
        return line + 1, index - start + 1


def parse(text: str, file: str) -> DutyList:
    with _QuietGC():
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


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "映射（键: 值）"
    if isinstance(node, SequenceNode):
        return "列表"
    return _TAG_NAMES.get(node.tag, node.tag)


class _Walker:
    """Checks the shape of the node tree while building the records."""

    def __init__(self, file: str, where: Where | None = None) -> None:
        self.file = file
        self.where = where or Where("")
        self.problems: list[Problem] = []
        self.item: int | None = None
        self.root: Node | None = None
        self.streamed: list[Item | None] | None = None  # items read while parsing
        self.streamed_mode: tuple[int, str, bool] | None = None
        self.path: Path = ()
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

    def locate(self, path: Path) -> tuple[int | None, int | None]:
        """Where ``path`` is in the file, or its nearest ancestor that is there.

        Found by walking the node tree when a problem is reported, rather than
        recording the place of every node (which cost hundreds of MB on a large list).
        """
        node, found = self.root, None
        for step in path:
            if isinstance(node, MappingNode):
                node = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, SequenceNode) and isinstance(step, int):
                node = node.value[step] if 0 <= step < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            found = node
        return self.where.at(found.index) if found is not None else (None, None)

    def err(self, node: Node, message: str) -> None:
        line, column = self.where.at(node.index)
        self.problems.append(Problem(self.file, message, line, column, self.item))

    def at(self, node: Node, *path: str | int) -> Node:
        return node  # places are found by locate() when a problem needs one

    # -- shapes -------------------------------------------------------------

    def mapping(
        self, node: Node, what: str, required: tuple[str, ...], allowed: tuple[str, ...]
    ) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.err(node, f"{what}应为映射（键: 值），实际是{_kind(node)}")
            return None
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != _STR:
                self.err(key_node, f"{what}的键应为文字，实际是{_kind(key_node)}")
            elif key in out:
                self.err(key_node, f"{what}的键“{key}”重复")
            elif key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"，是不是“{close[0]}”？" if close else f"（可用的键：{'、'.join(allowed)}）"
                self.err(key_node, f"{what}有未知的键“{key}”{hint}")
            else:
                out[key] = value
        for key in required:
            if key not in out:
                self.err(node, f"{what}缺少必填字段“{key}”")
        return out

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.err(node, f"{what}应为列表，实际是{_kind(node)}")
            return None
        return list(node.value)

    def string(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != _STR:
            self.err(node, f"{what}应为文字，实际是{_kind(node)}")
            return None
        value: str = node.value
        if not value.strip():
            self.err(node, f"{what}不能为空")
            return None
        return value

    def optional_string(self, node: Node | None, what: str) -> str | None:
        if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
            return None
        return self.string(node, what)

    def integer(self, node: Node, what: str) -> int | None:
        if not isinstance(node, ScalarNode) or node.tag != _INT:
            self.err(node, f"{what}应为整数，实际是{_kind(node)}")
            return None
        value = int_value(node.value)
        if value is None:
            self.err(
                node,
                f"{what}应为十进制整数（不以 0 开头、不超过 {MAX_INT_DIGITS} 位），"
                f"而不是“{node.value[:20]}”",
            )
        return value

    def strings(self, node: Node, what: str, *path: str | int) -> tuple[str, ...] | None:
        nodes = self.sequence(node, what)
        if nodes is None:
            return None
        out: list[str] = []
        ok = True
        for n, child in enumerate(nodes):
            self.at(child, *path, n)
            value = self.string(child, f"{what}的第 {n + 1} 条")
            ok = ok and value is not None
            out.append(value or "")
        return tuple(out) if ok else None

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
            heading = info._replace(kind=self.kind) if info else ListInfo("", "", self.kind)
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
                if is_id and isinstance(value, ScalarNode) and value.tag == _INT:
                    self.item = int_value(value.value)
                    what = "本项" if self.item is not None else what
        required: tuple[str, ...] = ITEM_KEYS
        if self.kind in REQUIRED_KEYS:
            required = REQUIRED_KEYS[self.kind]
            if not self.has_categories:
                required = required[:2]
            if self.kind == TAKEN_BACK:
                required += REQUIRED_KEYS_TAKEN_BACK
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
        if (
            item_id is None
            or name is None
            or category is None
            or departments is None
            or blocks is None
            or guarantees is None
            or sections is None
        ):
            return None
        return Item(
            item_id, name, category, departments, blocks, guarantees, sections, basis, method
        )

    def blocks(self, node: Node, base: Path) -> tuple[Block, ...] | None:
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

    def sections(self, node: Node, base: Path) -> tuple[Section, ...] | None:
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
