"""The list as frozen dataclasses: what every other module reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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

# The three kinds of list (schema 2); short names in options and messages: 基本 / 配合 / 收回.
BASIC, COOP, TAKEN_BACK = "基本履职事项", "配合履职事项", "上级部门收回事项"


@dataclass(frozen=True)
class ListInfo:
    title: str
    subdistrict: str
    kind: str
    note: str | None = None
    district: str | None = None
    city: str | None = None
    province: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Department:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One 「XXX职责：」 block of the upper-department column.

    ``heading`` is the block's opening as published (``青山区民政局职责：``), or
    None where the source has none. A step's first line is the step; further
    lines are its sub-steps, which views number （1）（2）….
    """

    departments: tuple[str, ...]
    heading: str | None
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A run of the subdistrict's steps, with a heading only where the source has one."""

    heading: str | None
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    category: str
    departments: tuple[str, ...]
    upper_duties: tuple[Block, ...]
    guarantees: tuple[str, ...]
    street_duties: tuple[Section, ...]
    basis: str | None = None  # 实施依据 (schema 2)
    method: str | None = None  # 工作方式 of a 收回 item (schema 2)

    def blocks_of(self, department: str) -> tuple[Block, ...]:
        return tuple(b for b in self.upper_duties if department in b.departments)


def department_names(departments: tuple[Department, ...]) -> dict[str, str]:
    """Every name and alias, mapped to the canonical department name."""
    names: dict[str, str] = {}
    for dept in departments:
        names[dept.name] = dept.name
        for alias in dept.aliases:
            names[alias] = dept.name
    return names


@dataclass(frozen=True)
class DutyList:
    info: ListInfo
    categories: tuple[str, ...]
    departments: tuple[Department, ...]
    items: tuple[Item, ...]
    schema: int = SCHEMA_VERSION
    # Where it was loaded from; not part of the list's identity.
    path: str = field(default="", compare=False)

    @cached_property
    def by_id(self) -> dict[int, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def department_names(self) -> dict[str, str]:
        return department_names(self.departments)
