"""Toneless pinyin for the store: of item and department names, and the reading tables.

pypinyin is imported here, only while a list is compiled (never to answer a
query), and only for a name the store does not already hold.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable
from typing import Any

_TONELESS: dict[str, str] = {}


def strip_tone(syllable: str) -> str:
    plain = _TONELESS.get(syllable)
    if plain is None:
        plain = "".join(
            c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c)
        )
        plain = _TONELESS[syllable] = plain.replace("ü", "v").lower()
    return plain


def _characters(run: str) -> Any:
    # pypinyin's errors callback: text without readings, one syllable a character.
    return list(run.lower())


class Pinyin:
    """Toneless pinyin, one syllable a character, memoised: lists repeat their names.

    ``known``: texts whose syllables the store already holds (the names of a
    list being rebuilt, every department spelling), as this class gave them.
    pypinyin (~0.3 s to import, its phrase dictionary) is imported at the first
    text that is not among them: a list edited anywhere but in its names is
    rebuilt without it.
    """

    def __init__(self, known: dict[str, list[str]] | None = None) -> None:
        self._lazy: Callable[..., list[str]] | None = None
        self._style: Any = None
        self._memo: dict[str, list[str]] = dict(known or {})

    def _convert(self, text: str) -> list[str]:
        if self._lazy is None:
            from pypinyin import Style, lazy_pinyin  # slow to import: only ever here

            self._lazy = lazy_pinyin
            self._style = Style.NORMAL
        return self._lazy(text, style=self._style, errors=_characters)

    def __call__(self, text: str) -> list[str]:
        got = self._memo.get(text)
        if got is None:
            # Whole texts, so that heteronyms take the reading of the word
            # around them; runs without readings come back one character a syllable.
            readings = self._convert(text)
            if len(readings) != len(text):  # never seen; keep the alignment regardless
                got = [c.lower() for c in text]
            else:
                got = [strip_tone(r) for r in readings]
            self._memo[text] = got
        return got


def reading_tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Toneless syllable -> every character read so (heteronyms included), and back."""
    from pypinyin.pinyin_dict import pinyin_dict

    by_syllable: dict[str, list[str]] = {}
    by_char: dict[str, list[str]] = {}
    for codepoint, readings in pinyin_dict.items():
        ch = chr(codepoint)
        for syllable in sorted({strip_tone(r) for r in readings.split(",")}):
            by_syllable.setdefault(syllable, []).append(ch)
            by_char.setdefault(ch, []).append(syllable)
    return by_syllable, by_char


def add_readings(conn: sqlite3.Connection) -> None:
    """The reading tables into the store, for homophones and typos."""
    by_syllable, by_char = reading_tables()
    conn.executemany(
        "INSERT OR REPLACE INTO syllables VALUES (?, ?)",
        ((s, "".join(chars)) for s, chars in by_syllable.items()),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO readings VALUES (?, ?)",
        ((ch, " ".join(syls)) for ch, syls in by_char.items()),
    )
    conn.execute("UPDATE meta SET value = 1 WHERE key = 'readings'")


def known(conn: sqlite3.Connection | None, lists: list[int]) -> dict[str, list[str]]:
    """Syllables the store holds: the names of these lists' items, every department spelling.

    A text with a space or a tab is left out: those separate the stored syllables.
    """
    if conn is None:
        return {}
    out: dict[str, list[str]] = {}
    for spelling, syllables in conn.execute("SELECT spelling, syllables FROM dept_pinyin"):
        if " " not in spelling and "\t" not in spelling:
            out[spelling] = syllables.split(" ")
    for list_id in lists:
        for name, syllables in conn.execute(
            "SELECT name, syllables FROM items WHERE list = ?", (list_id,)
        ):
            if " " not in name and "\t" not in name:
                out[name] = syllables.split("\t")
    return out
