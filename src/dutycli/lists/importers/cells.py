"""Reading one cell of a published table: steps, blocks, sections, departments.

Inside a cell, paragraphs are lines; step numbers ``1.`` ``1、`` ``（1）`` ``①``
and the openings ``XXX职责：`` (with or without an enumerator: ``（一）旗民政局职责：``,
``一、``, ``1.``; either colon) and ``履职保障：`` split the text into blocks and
steps. Numbers are not kept in the data (views number steps as published: 1, 2, …);
an unnumbered line that opens numbered steps is the run's opening, not its
first step, so that ``3、`` stays step 3.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dutycli.lists.importers.normalize import Normalizer
from dutycli.lists.model import Block, Section

# Patterns are applied to normalised text and anchored so that none can
# backtrack over a long run of one character.
# A step number starts a cell, or follows a space or a clause-ending mark
# (检查：（1）是否…); never a digit inside a sentence (低保 5倍, 2.5万元).
_STEP = (
    r"(?<![^\s：；。:;])(?:(?P<num>\d{1,2}) ?[.．、](?!\d)"
    r"|[（(] ?(?P<sub>\d{1,2}) ?[）)]|(?P<circ>[①-⑳]))"
)
_GUARANTEE = r"(?P<gua>履职保障 ?[:：])"
# The enumerator a department heading may carry: （一） 一、 1.
_ENUMERATOR = (
    r"(?:[（(] ?[一二三四五六七八九十\d]{1,3} ?[）)]"
    r"|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、])"
)


@dataclass
class Seg:
    kind: str  # num | sub | circ | gua | head | text
    text: str
    departments: tuple[str, ...] = ()


@dataclass
class Run:
    """A block, a section or the guarantees while they are being read."""

    heading: str | None
    departments: tuple[str, ...] = ()
    steps: list[str] = field(default_factory=list)
    numbered: bool = False
    digits: bool = False
    opening: int = 0  # unnumbered lines before the first numbered step

    def add(self, seg: Seg) -> None:
        """Take one segment."""
        kind = seg.kind
        if kind == "circ":
            # ① numbers steps, or the sub-steps of steps numbered 1. 2. …
            kind = "sub" if self.digits and self.steps else "num"
        elif kind == "sub" and not self.digits:
            # （1）（2） under a heading numbered 1. (1.旗民政局职责：（1）…) are its steps.
            kind = "num"
        if kind == "num":
            self.steps.append(seg.text)
            self.numbered = True
            self.digits = self.digits or seg.kind == "num"
        elif kind == "sub":
            self.steps[-1] += "\n" + seg.text
        elif self.numbered and self.steps:
            # Unnumbered text after numbered steps continues the last step.
            self.steps[-1] += seg.text
        else:
            self.steps.append(seg.text)
            self.opening += 1

    def finished(self) -> tuple[str | None, tuple[str, ...]]:
        """(heading, steps): unnumbered lines that open numbered steps join the heading."""
        if not (self.numbered and self.opening) or self.opening == len(self.steps):
            return self.heading, tuple(self.steps)
        opening = self.steps[: self.opening]
        heading = "\n".join([self.heading, *opening] if self.heading else opening)
        return heading, tuple(self.steps[self.opening :])


class CellReader:
    """Reads cells with the department spellings of one list."""

    def __init__(
        self, names: dict[str, str], norm: Normalizer, problem: Callable[[str], None]
    ) -> None:
        self.names = names
        self.norm = norm
        self.problem = problem
        spellings = sorted((n for n in names if n), key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in spellings) or r"(?!)"
        head = (
            rf"(?P<head>{_ENUMERATOR}? ?(?P<hn>(?:{alternatives})(?:、(?:{alternatives}))*)"
            r"(?:(?:职责)? ?[:：]|职责$))"
        )
        self.upper_marks = re.compile(rf"(?<!\S){head}|{_STEP}|{_GUARANTEE}")
        self.plain_marks = re.compile(_STEP)

    def paragraphs(self, text: str) -> str | None:
        return self.norm.text(text) or None

    def plain(self, text: str) -> tuple[str, ...]:
        run = Run(None)
        for seg in self.segments(text, self.plain_marks):
            run.add(seg)
        return tuple(run.steps)

    def segments(self, cell: str, marks: re.Pattern[str]) -> list[Seg]:
        out: list[Seg] = []
        for piece in self.norm.text(cell, layout=False).split("\n"):
            pos = 0
            kind = "text"
            for m in marks.finditer(piece):
                self._emit(out, kind, piece[pos : m.start()])
                pos = m.end()
                kind = self._mark(out, m)
            self._emit(out, kind, piece[pos:])
        return out

    def _mark(self, out: list[Seg], m: re.Match[str]) -> str:
        """The kind of text after mark ``m``; headings and 履职保障： are segments themselves."""
        for kind in ("num", "sub", "circ"):
            if m.group(kind) is not None:
                return kind
        if m.groupdict().get("gua"):
            out.append(Seg("gua", ""))
        else:
            names = m.group("hn").split("、")
            heading = self.norm.layout(m.group("head"))
            out.append(Seg("head", heading, tuple(self.names[n] for n in names)))
        return "text"

    def _emit(self, out: list[Seg], kind: str, text: str) -> None:
        text = self.norm.layout(text)
        if text:
            out.append(Seg(kind, text))
        elif kind in ("num", "sub", "circ"):
            self.problem("有一个编号后面没有内容")

    def upper(
        self, cell: str, departments: tuple[str, ...]
    ) -> tuple[tuple[Block, ...], tuple[str, ...]]:
        blocks: list[Run] = []
        guarantees = Run(None)
        current: Run | None = None
        reported = False
        for seg in self.segments(cell, self.upper_marks):
            if seg.kind == "head":
                current = Run(seg.text, seg.departments)
                blocks.append(current)
                continue
            if seg.kind == "gua":
                current = guarantees
                continue
            opens = self._uncovered_department(seg, departments, blocks)
            if opens is not None and current is not guarantees:
                # A department's paragraph without a 「XX职责：」 opening (item 40
                # of the 青山路 list) still gets a block of its own.
                current = Run(None, (opens,))
                blocks.append(current)
            if current is None:
                if not reported:  # one message a cell, not one a line
                    self.problem(
                        f"上级部门职责应以“某部门职责：”开头，却以“{seg.text[:12]}…”开头"
                        f"（本项的部门：{'、'.join(departments) or '无'}）"
                    )
                    reported = True
                continue
            current.add(seg)
        out = []
        for b in blocks:
            heading, steps = b.finished()
            out.append(Block(b.departments, heading, steps))
        return tuple(out), tuple(guarantees.steps)

    @staticmethod
    def _uncovered_department(
        seg: Seg, departments: tuple[str, ...], blocks: list[Run]
    ) -> str | None:
        if seg.kind != "text":
            return None
        # Only the full name counts: a step may well begin with 消防 or 公安.
        covered = {name for b in blocks for name in b.departments}
        for name in departments:
            if name not in covered and seg.text.startswith(name):
                return name
        return None

    def street(self, cell: str) -> tuple[Section, ...]:
        segs = self.segments(cell, self.plain_marks)
        sections: list[Run] = []
        current: Run | None = None
        for n, seg in enumerate(segs):
            heads_steps = n + 1 < len(segs) and segs[n + 1].kind in ("num", "circ")
            if seg.kind == "text" and seg.text.endswith(("：", ":")) and heads_steps:
                # An unnumbered line ending in a colon that opens numbered steps
                # is a heading (联动监督：), not a step.
                current = Run(seg.text)
                sections.append(current)
                continue
            if current is None:
                current = Run(None)
                sections.append(current)
            current.add(seg)
        return tuple(Section(*s.finished()) for s in sections)
