"""The one way every cell's text is normalised on import, counted for the import summary.

For every cell, in this order:

1. invisible characters are removed: zero-width spaces and joiners (U+200B–U+200D,
   U+2060), the byte order mark (U+FEFF), the soft hyphen (U+00AD), direction
   marks (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069);
2. every other white space (tab, no-break space U+00A0, ideographic space U+3000,
   U+2000–U+200A …) becomes an ordinary space, and a run of spaces one space;
   a cell's paragraphs and line breaks stay lines of their own;
3. spaces at the start and end of a line are removed, and so is a space between
   two Chinese characters or next to Chinese punctuation (layout of justified
   Word text, ``街道 配合``), while a space beside Latin letters or digits is
   published content and stays (``低保 5倍``, ``12345 热线``).

Nothing else of the text changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_OTHER_SPACE = re.compile(r"[^\S\n ]|(?<= ) +")  # any white space but " " and "\n"; repeats
_SPACES = re.compile(r"[^\S\n]+")
_CJK = "\u2e80-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—…·"
# A space with a Chinese character or mark on both sides, or a mark on either side.
_LAYOUT_SPACE = re.compile(
    rf"(?<=[{_CJK}{_CJK_PUNCT}]) (?=[{_CJK}{_CJK_PUNCT}])"
    rf"|(?<=[{_CJK_PUNCT}]) | (?=[{_CJK_PUNCT}])"
)


@dataclass
class Normalizer:
    """Normalises texts and counts what it changed."""

    invisible: int = 0  # invisible characters removed
    spaces: int = 0  # other white space made a space, runs made one
    layout_spaces: int = 0  # spaces removed between Chinese text

    def line(self, text: str) -> str:
        """One line: steps 1–3; a line break inside becomes a space."""
        return self.text(text.replace("\n", " ")).strip()

    def text(self, text: str, layout: bool = True) -> str:
        """A cell: steps 1–3 on each of its lines; empty lines are dropped.

        ``layout=False`` leaves step 3's spaces between Chinese text, for a reader
        that splits lines at marks a space introduces (``…救助。 青山区教育局职责：``)
        and then calls ``layout`` on each piece.
        """
        if not text:
            return text
        text, n = INVISIBLE.subn("", text)
        self.invisible += n
        out = []
        for raw in text.split("\n"):
            self.spaces += len(_OTHER_SPACE.findall(raw))
            line = _SPACES.sub(" ", raw).strip()
            if layout:
                line = self.layout(line)
            if line:
                out.append(line)
        return "\n".join(out)

    def layout(self, line: str) -> str:
        """Step 3 on one line whose white space is already one space at most."""
        line, n = _LAYOUT_SPACE.subn("", line.strip())
        self.layout_spaces += n
        return line

    def words(self, text: str) -> list[str]:
        """A cell split at white space, invisible characters removed (department cells)."""
        text, n = INVISIBLE.subn("", text)
        self.invisible += n
        return text.split()

    def summary(self) -> str | None:
        if not (self.invisible or self.spaces or self.layout_spaces):
            return None
        parts = []
        if self.invisible:
            parts.append(f"删去不可见字符 {self.invisible} 个")
        if self.spaces:
            parts.append(f"把制表符、全角空格等空白及连续空格统一为一个空格 {self.spaces} 处")
        if self.layout_spaces:
            parts.append(f"删去中文之间的排版空格 {self.layout_spaces} 个")
        return "空白与不可见字符已统一处理：" + "，".join(parts)
