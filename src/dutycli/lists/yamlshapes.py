"""The shapes of YAML nodes: a mapping of known keys, a list, a text, an integer.

Each check of ``Shapes`` returns the value, or None after recording a located
problem; the list reader (``load``) builds the records on top of these checks.
"""

from __future__ import annotations

import difflib

from dutycli.errors import Problem
from dutycli.lists.validate import FieldPath
from dutycli.lists.yamlnodes import (
    INT,
    NULL,
    STR,
    TAG_NAMES,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    Where,
)

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


def kind_name(node: Node) -> str:
    """What a node is, as a message says it."""
    if isinstance(node, MappingNode):
        return "映射（键: 值）"
    if isinstance(node, SequenceNode):
        return "列表"
    return TAG_NAMES.get(node.tag, node.tag)


class Shapes:
    """Checks of a node's shape, each wrong shape a located problem in ``problems``."""

    def __init__(self, file: str, where: Where | None = None) -> None:
        self.file = file
        self.where = where or Where("")
        self.problems: list[Problem] = []
        self.item: int | None = None
        self.root: Node | None = None
        self.path: FieldPath = ()

    def locate(self, path: FieldPath) -> tuple[int | None, int | None]:
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
            self.err(node, f"{what}应为映射（键: 值），实际是{kind_name(node)}")
            return None
        out: dict[str, Node] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str) or key_node.tag != STR:
                self.err(key_node, f"{what}的键应为文字，实际是{kind_name(key_node)}")
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
            self.err(node, f"{what}应为列表，实际是{kind_name(node)}")
            return None
        return list(node.value)

    def string(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode) or node.tag != STR:
            self.err(node, f"{what}应为文字，实际是{kind_name(node)}")
            return None
        value: str = node.value
        if not value.strip():
            self.err(node, f"{what}不能为空")
            return None
        return value

    def optional_string(self, node: Node | None, what: str) -> str | None:
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL):
            return None
        return self.string(node, what)

    def integer(self, node: Node, what: str) -> int | None:
        if not isinstance(node, ScalarNode) or node.tag != INT:
            self.err(node, f"{what}应为整数，实际是{kind_name(node)}")
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
