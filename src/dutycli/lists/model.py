"""The list as immutable records: what every other module reads.

The records of a list (ListInfo, Department, Block, Section, Item) are frozen
dataclasses with slots, as the design card asks. The list itself stays a small
immutable class: it caches ``by_id`` and ``department_names``, and a slotted
dataclass has no ``__dict__`` for ``cached_property``. ``replace`` copies any of them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

SCHEMA_VERSION = 1
# Schema 2 adds the kinds of list and their fields; schema 1 files stay valid
# and mean a 配合 list. The writer keeps writing 1 when a list needs nothing of 2.
SCHEMA_LATEST = 2

# The three kinds of list a subdistrict publishes, and their short names.
BASIC, COOP, TAKEN_BACK = "基本履职事项", "配合履职事项", "上级部门收回事项"
KINDS = (BASIC, COOP, TAKEN_BACK)
SHORT_KINDS = {BASIC: "基本", COOP: "配合", TAKEN_BACK: "收回"}


def kind_of(kind: str) -> str:
    """The kind a list counts as: a schema 1 list with another word is a 配合 list."""
    return kind if kind in KINDS else COOP


# Views print this before an item's guarantees; the data file keeps the text only.
GUARANTEES_LABEL = "履职保障："


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What a list is: its title, subdistrict and kind, and where it was published."""

    title: str
    subdistrict: str
    kind: str
    note: str | None = None
    district: str | None = None
    city: str | None = None
    province: str | None = None
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Department:
    """A department of the list's table, with the other names people write it by."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """One 「XXX职责：」 block of the upper-department column.

    ``heading`` is the block's opening as published (``青山区民政局职责：``), or
    None where the source has none. A step's first line is the step; further
    lines are its sub-steps, which views number （1）（2）….
    """

    departments: tuple[str, ...]
    heading: str | None
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A run of the subdistrict's steps, with a heading only where the source has one."""

    heading: str | None
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One item of a list: its number, name, category, departments and their duties."""

    id: int
    name: str
    category: str
    departments: tuple[str, ...]
    upper_duties: tuple[Block, ...]
    guarantees: tuple[str, ...]
    street_duties: tuple[Section, ...]
    basis: str | None = None  # 实施依据 (schema 2)
    method: str | None = None  # 工作方式 of a 收回 item (schema 2)
    # Columns of the published table that are none of the fields above, kept as
    # published: (column header, cell text) in column order (schema 2 ``extras``).
    extras: tuple[tuple[str, str], ...] = ()


def department_names(departments: tuple[Department, ...]) -> dict[str, str]:
    """Every name and alias, mapped to the canonical department name."""
    names: dict[str, str] = {}
    for dept in departments:
        names[dept.name] = dept.name
        for alias in dept.aliases:
            names[alias] = dept.name
    return names


class DutyList:
    """A whole list, as a file holds it; immutable.

    Equal and hashed by its content: ``path``, where it was read from, is not
    part of it.
    """

    info: ListInfo
    categories: tuple[str, ...]
    departments: tuple[Department, ...]
    items: tuple[Item, ...]
    schema: int
    path: str

    _FIELDS = ("info", "categories", "departments", "items", "schema", "path")

    def __init__(
        self,
        info: ListInfo,
        categories: tuple[str, ...],
        departments: tuple[Department, ...],
        items: tuple[Item, ...],
        schema: int = SCHEMA_VERSION,
        path: str = "",
    ) -> None:
        put = object.__setattr__
        put(self, "info", info)
        put(self, "categories", categories)
        put(self, "departments", departments)
        put(self, "items", items)
        put(self, "schema", schema)
        put(self, "path", path)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"DutyList is immutable: use replace(dl, {name}=…)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("DutyList is immutable")

    def _content(self) -> tuple[Any, ...]:
        return (self.info, self.categories, self.departments, self.items, self.schema)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not DutyList:
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"DutyList({fields})"

    def _replace(self, **changes: Any) -> DutyList:
        values = {name: getattr(self, name) for name in self._FIELDS}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"DutyList has no field {', '.join(sorted(unknown))}")
        return DutyList(**{**values, **changes})

    @cached_property
    def by_id(self) -> dict[int, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def department_names(self) -> dict[str, str]:
        return department_names(self.departments)


R = TypeVar("R", ListInfo, Department, Block, Section, Item, DutyList)


def replace(record: R, **changes: Any) -> R:
    """A copy of ``record`` with ``changes``."""
    if isinstance(record, DutyList):
        copy: Any = record._replace(**changes)
        return copy  # type: ignore[no-any-return]
    return dataclasses.replace(record, **changes)
