"""Line breaking for Chinese text in a fixed number of terminal cells.

Shared by the help screens and the Rich tables: Chinese breaks between any two
characters, Latin words and numbers only at spaces, and the rules of 禁则 keep
a closing mark from starting a line and an opening mark from ending one.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from unicodedata import east_asian_width

NO_START = frozenset("。，、；：？！）》〉」』】〕”’…—%,.;:!?)]")
NO_END = frozenset("（《〈「『【〔“‘([")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def cell_width(ch: str) -> int:
    return 2 if east_asian_width(ch) in "WF" else 1


def break_points(
    text: str, width: int, indent: int = 0, measure: Callable[[str], int] = cell_width
) -> list[int]:
    """Offsets where ``text`` breaks into lines of at most ``width`` cells.

    Continuation lines are taken to start ``indent`` cells in.
    """
    offsets: list[int] = []
    start, column, space = 0, 0, -1
    for i, ch in enumerate(text):
        w = measure(ch)
        if column + w > width and i > start:
            brk = i
            if _latin(ch) and i > 0 and _latin(text[i - 1]):
                # Inside a Latin word or a number: break before the word instead.
                word = i
                while word > start and _latin(text[word - 1]):
                    word -= 1
                if word > start:
                    brk = word
            elif ch.isascii() and ch.isalnum() and space > start:
                brk = space + 1
            while brk - 1 > start and (text[brk] in NO_START or text[brk - 1] in NO_END):
                brk -= 1
            offsets.append(brk)
            start, space = brk, -1
            column = indent + sum(measure(c) for c in text[brk:i])
        if ch == " ":
            space = i
        column += w
    return offsets


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """``text`` as lines of at most ``width`` cells; lines after the first lack ``indent``."""
    cuts = [0, *break_points(text, width, indent), len(text)]
    # A line broken at a space neither ends nor starts with it.
    return [text[a:b].strip() if a else text[a:b].rstrip() for a, b in pairwise(cuts)]
