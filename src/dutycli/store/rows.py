"""The rows of the store as records: a loaded list (``ListRef``), a searchable line (``Line``).

And what every part of the store's reading shares: decoding a stored record,
reading ids in chunks SQLite accepts, and the kinds as ``--kind`` names them.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from dutycli.errors import UsageError
from dutycli.lists.model import KINDS, SHORT_KINDS, ListInfo, kind_of


def record(data: bytes) -> Any:
    return marshal.loads(zlib.decompress(data))


def in_chunks(ids: Sequence[int]) -> Iterator[tuple[str, Sequence[int]]]:
    """``ids`` 500 at a time (well under SQLite's bound variables), each with its ``?,?,…``."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        yield ",".join("?" * len(chunk)), chunk


class ListRef(NamedTuple):
    """One loaded list, as the store knows it."""

    id: int
    path: str  # as the user wrote it (--data, plus the path below a directory)
    title: str
    subdistrict: str
    kind: str
    district: str | None
    city: str | None
    province: str | None
    version: str | None
    note: str | None
    schema: int
    items: int

    @property
    def short_kind(self) -> str:
        return SHORT_KINDS[kind_of(self.kind)]

    @property
    def info(self) -> ListInfo:
        return ListInfo(
            self.title,
            self.subdistrict,
            self.kind,
            self.note,
            self.district,
            self.city,
            self.province,
            self.version,
        )

    def as_dict(self) -> dict[str, Any]:
        """The ``list`` field of JSON records."""
        return {
            "title": self.title,
            "subdistrict": self.subdistrict,
            "kind": kind_of(self.kind),
            "file": self.path,
        }

    def label(self) -> str:
        return f"{self.subdistrict}·{self.short_kind}"


class Line(NamedTuple):
    """A searchable text of an item (a row of ``lines``)."""

    rowid: int
    item: int  # the item's rowid in the store
    field: int
    group: int
    step: int
    text: str


_SHORT = {short: kind for kind, short in SHORT_KINDS.items()}


def parse_kind(text: str) -> str:
    """基本 / 配合 / 收回 (or the full kind) to the kind."""
    text = text.strip()
    if text in _SHORT:
        return _SHORT[text]
    if text in KINDS:
        return text
    for kind in KINDS:
        if text and text in kind:
            return kind
    raise UsageError(f"--kind 的值应为 基本、配合、收回 之一，而不是“{text}”")
