"""What commands return: plain data that any renderer can present."""

from __future__ import annotations

from typing import Any, NamedTuple

from dutycli.model import Department, DutyList, Item, ListInfo
from dutycli.search import Match


class ItemRow(NamedTuple):
    item: Item
    score: float | None = None
    matched: tuple[Match, ...] = ()


class Items(NamedTuple):
    """A list of items; ``view`` says how the table renderer lays them out.

    view: ``compact`` (one line an item), ``split`` (the two columns side by
    side), ``department`` (one department's steps beside the subdistrict's),
    ``search`` (results with the matched snippets).
    """

    rows: list[ItemRow]
    view: str
    info: ListInfo
    categories: tuple[str, ...]
    departments: tuple[Department, ...]
    department: str | None = None
    title: str | None = None

    def as_list(self) -> DutyList:
        """A list file holding just these items and what they use."""
        from dutycli.serialize import subset

        whole = DutyList(self.info, self.categories, self.departments, ())
        return subset(whole, [r.item for r in self.rows])

    def records(self) -> list[dict[str, Any]]:
        from dutycli.serialize import item_to_dict

        out = []
        for row in self.rows:
            record = item_to_dict(row.item)
            if row.score is not None:
                record["score"] = row.score
                record["matched"] = [m.as_dict() for m in row.matched]
            out.append(record)
        return out


class Table(NamedTuple):
    """Rows of plain values with Chinese headings (departments, categories, …)."""

    keys: tuple[str, ...]
    headings: tuple[str, ...]
    rows: list[dict[str, Any]]
    yaml_value: Any  # what --format yaml writes: a fragment a list file could hold
    title: str | None = None

    def records(self) -> list[dict[str, Any]]:
        return self.rows


Result = Items | Table
