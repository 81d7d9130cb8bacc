"""The positional YAML composer: YAML text to a light tree of nodes that know where they start.

PyYAML's composer keeps two Mark objects and a ``__dict__`` per node; this one
keeps what the list reader needs (tag, value, index in the text), refuses
anchors and aliases before they expand, can hand over each item of a list as
soon as it is read, and turns libyaml's English into the words of the people
who edit the files. ``Where`` turns an index into a line and column.
"""

from __future__ import annotations

import bisect
import gc
import re
from collections.abc import Callable
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

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
NULL = "tag:yaml.org,2002:null"
TAG_NAMES = {
    STR: "文字",
    INT: "整数",
    NULL: "空值",
    "tag:yaml.org,2002:float": "小数",
    "tag:yaml.org,2002:bool": "布尔值",
    "tag:yaml.org,2002:timestamp": "日期",
}


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

    One loop over the event kinds (complexity 21, above the guide's ~15): it
    runs once for each of the millions of events of a large list, and
    splitting it into a function per event kind would put a call per event
    on that path. Each branch is a few lines; the kinds are PyYAML's.

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
                items.value[-1] = ScalarNode(NULL, None, done.index)  # read: keep only its place
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


class QuietGC:
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
