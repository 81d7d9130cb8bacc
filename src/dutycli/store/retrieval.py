"""Retrieval for the commands: items by row, by id, by department; one whole list (``Compiled``).

Everything here reads only the rows a query touches and decodes only the items
that are shown: ``decode`` is the one place records of items are decoded for
a listing.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Sequence
from typing import Any, overload

from dutycli.errors import LookupFailed
from dutycli.lists.model import Department, DutyList, Item, department_names
from dutycli.lists.serialize import item_from_dict
from dutycli.store.rows import ListRef, in_chunks, record
from dutycli.store.selection import Selection


class Retrieval(Selection):
    """The items of the selection, as the commands list and show them."""

    def one(self) -> Compiled:
        """The one selected list, for commands that read a whole list."""
        selected = self.selected
        if len(selected) == 1:
            return Compiled(self, selected[0])
        self.refuse_twins(selected, every=True)
        raise LookupFailed(
            f"已载入 {len(selected)} 份清单，请用 --street/-s 和 --kind 选定一份：\n"
            + self.listing(selected),
            [ref.path for ref in selected],
        )

    def decode(self, rowids: Sequence[int]) -> list[tuple[Item, ListRef]]:
        """The items at these rowids, in that order: the only place records are decoded."""
        rows: dict[int, tuple[int, bytes]] = {}
        for marks, chunk in in_chunks(list(dict.fromkeys(rowids))):
            for rowid, list_id, data in self.conn.execute(
                f"SELECT rowid, list, data FROM items WHERE rowid IN ({marks})", chunk
            ):
                rows[rowid] = (list_id, data)
        self.refs(list_id for list_id, _ in rows.values())
        out = {
            rowid: (item_from_dict(record(data)), self.ref(list_id))
            for rowid, (list_id, data) in rows.items()
        }
        return [out[r] for r in rowids]

    def rows(self) -> list[int]:
        """Rowids of every selected item, list by list in file order."""
        order = {ref.id: n for n, ref in enumerate(self.lists)}
        rows = self.conn.execute(f"SELECT rowid, list, pos FROM items WHERE 1{self._in()}")
        return [r for r, _, _ in sorted(rows, key=lambda r: (order[r[1]], r[2]))]

    def find_ids(self, ids: Sequence[int]) -> dict[int, list[tuple[int, ListRef]]]:
        """For each item id, the (rowid, list) of every selected list that has it."""
        found: dict[int, list[tuple[int, ListRef]]] = {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT rowid, list, id FROM items WHERE id IN ({marks}){self._in()}", list(ids)
        ).fetchall()
        self.refs(list_id for _, list_id, _ in rows)
        for rowid, list_id, item_id in rows:
            found.setdefault(item_id, []).append((rowid, self.ref(list_id)))
        for hits in found.values():
            hits.sort(key=lambda h: h[1].path)
        return found

    def department_rows(self, canonical: str) -> DepartmentRows:
        """(rowid, list) of a department's selected items, by subdistrict, list and position.

        A sequence read on demand: its length is one count per list, and its
        first rows (``[:20]``) read only the lists they come from.
        """
        (total,) = self.conn.execute(
            f"SELECT coalesce(sum(n), 0) FROM dept_counts WHERE dept = ?{self._in()}",
            (canonical,),
        ).fetchone()
        return DepartmentRows(self, canonical, total)

    # -- check retrieval -------------------------------------------------------------

    def check_material(
        self, subdistrict: str
    ) -> tuple[list[tuple[int, ListRef, Item]], list[tuple[int, ListRef, Item]], list[Department]]:
        """The items of a subdistrict's lists: all of them, the selected ones, and departments.

        Check's statistics are the whole subdistrict's (all its lists, whatever
        else is loaded), so a verdict does not drift with the size of the library.
        """
        refs = self.of_street(subdistrict)
        ids = ",".join(str(ref.id) for ref in refs) or "0"
        everything = [
            (rowid, self.ref(list_id), item_from_dict(record(data)))
            for rowid, list_id, data in self.conn.execute(
                f"SELECT rowid, list, data FROM items WHERE list IN ({ids}) ORDER BY list, pos"
            )
        ]
        chosen = {ref.id for ref in self.selected} if self._chosen is not None else None
        depts: list[Department] = []
        for ref in refs:
            (blob,) = self.conn.execute(
                "SELECT departments FROM list_data WHERE id = ?", (ref.id,)
            ).fetchone()
            depts += (Department(n, tuple(a)) for n, a in marshal.loads(blob))
        mine = everything if chosen is None else [x for x in everything if x[1].id in chosen]
        return everything, mine, depts


class DepartmentRows(Sequence[tuple[int, ListRef]]):
    """A department's items across the selected lists, read from the store as they are asked for."""

    def __init__(self, lib: Selection, dept: str, total: int) -> None:
        self._lib = lib
        self._dept = dept
        self._total = total
        self._read: list[tuple[int, ListRef]] = []
        # Of each item read: the department's place among its 对应上级部门 (0: the lead).
        self.places: dict[int, int] = {}
        self._lists: list[int] | None = []  # the lists to read next, in order; None: no more
        self._seen = 0  # how many lists have been asked for
        self._chunk = 4

    def __len__(self) -> int:
        return self._total

    def _next_lists(self) -> list[int]:
        """The next few lists that have the department, by subdistrict and path."""
        rows = self._lib.conn.execute(
            "SELECT l.id FROM lists l JOIN dept_counts c ON c.dept = ? AND c.list = l.id"
            f" WHERE 1{self._lib._in('l.id')} ORDER BY l.street_rank, l.list_rank"
            " LIMIT ? OFFSET ?",
            (self._dept, self._chunk, self._seen),
        ).fetchall()
        self._seen += len(rows)
        self._chunk = min(self._chunk * 4, 4096)
        return [list_id for (list_id,) in rows]

    def _upto(self, end: int) -> None:
        while len(self._read) < end and self._lists is not None:
            if not self._lists:
                self._lists = self._next_lists() or None
                if self._lists is None:
                    break
                self._lib.refs(self._lists)
            list_id = self._lists.pop(0)
            ref = self._lib.ref(list_id)
            for item, nth in self._lib.conn.execute(
                "SELECT item, nth FROM item_depts WHERE dept = ? AND list = ? ORDER BY pos",
                (self._dept, list_id),
            ):
                self._read.append((item, ref))
                self.places[item] = nth

    @overload
    def __getitem__(self, index: int) -> tuple[int, ListRef]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, ListRef]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, ListRef] | list[tuple[int, ListRef]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._total)
            self._upto(self._total if step < 0 else stop)
            return self._read[start:stop:step]
        if index < 0:
            index += self._total
        if not 0 <= index < self._total:
            raise IndexError(index)
        self._upto(index + 1)
        return self._read[index]

    def __iter__(self) -> Iterator[tuple[int, ListRef]]:
        self._upto(self._total)
        return iter(self._read)


class Compiled:
    """One list of the store, in the form whole-list commands read it."""

    def __init__(self, library: Selection, ref: ListRef) -> None:
        self.library = library
        self.ref = ref
        row = library.conn.execute(
            "SELECT categories, departments, category_counts, department_counts FROM list_data"
            " WHERE id = ?",
            (ref.id,),
        ).fetchone()
        self.info = ref.info
        self.categories: tuple[str, ...] = tuple(marshal.loads(row[0]))
        self.departments = tuple(Department(n, tuple(a)) for n, a in marshal.loads(row[1]))
        self.category_counts: dict[str, int] = marshal.loads(row[2])
        self.department_counts: dict[str, int] = marshal.loads(row[3])
        self.count = ref.items
        self.path = ref.path
        self._memo: dict[str, Any] = {}

    def items(self, indices: list[int] | None = None) -> list[Item]:
        """The items at these positions (all of them for None), in that order."""
        rows = dict(
            self.library.conn.execute(
                "SELECT pos, data FROM items WHERE list = ? ORDER BY pos", (self.ref.id,)
            ).fetchall()
        )
        order = sorted(rows) if indices is None else indices
        return [item_from_dict(record(rows[i])) for i in order]

    def all_items(self) -> list[Item]:
        return self.items(None)

    def dutylist(self) -> DutyList:
        return DutyList(
            self.info,
            self.categories,
            self.departments,
            tuple(self.all_items()),
            self.ref.schema,
            path=self.path,
        )

    def memo(self, key: str, loader: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = loader()
        return self._memo[key]

    @property
    def department_names(self) -> dict[str, str]:
        result: dict[str, str] = self.memo("names", lambda: department_names(self.departments))
        return result

    def name_pinyin(self) -> list[list[str]]:
        """Toneless syllables of each item's name, in list order (computed at build time)."""
        rows = self.library.conn.execute(
            "SELECT syllables FROM items WHERE list = ? ORDER BY pos", (self.ref.id,)
        )
        return [syllables.split("\t") for (syllables,) in rows]

    def department_pinyin(self) -> dict[str, list[str]]:
        """Toneless syllables of this list's department names and aliases."""
        stored = dict(self.library.department_syllables())
        spellings = (s for d in self.departments for s in (d.name, *d.aliases))
        return {s: stored[s] for s in spellings if s in stored}
