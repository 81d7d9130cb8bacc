"""Which lists are loaded and which are selected (``--street``, ``--kind``), and their departments.

The base of ``Library``: the connection, the lists as the store knows them
(read as a query needs them: by id for the rows shown, by subdistrict for
``--street``; all of them only for a listing), the selection queries are
restricted to (``_in``), and the names of the selected departments.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, overload

from dutycli.errors import LookupFailed
from dutycli.lists.model import SHORT_KINDS, Department, kind_of
from dutycli.store.rows import ListRef, in_chunks, parse_kind
from dutycli.store.schema import LIST_COLUMNS

_SEPARATORS = {"/", "\\"} if sys.platform == "win32" else {"/"}
_STREETS = "SELECT subdistrict FROM lists ORDER BY street_rank, list_rank"


def one_of(query: str, candidates: list[str], what: str) -> str | None:
    """The one candidate a part names; several are a LookupFailed listing them; none is None."""
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listing = "\n".join(f"  {name}" for name in candidates)
        raise LookupFailed(
            f"“{query}”可以指 {len(candidates)} 个{what}，请说得具体些：\n{listing}", candidates
        )
    return None


class Selection:
    """The loaded lists and the selection (--street, --kind) queries are restricted to."""

    def __init__(self, conn: sqlite3.Connection, target: str) -> None:
        self.conn = conn
        self.target = target
        # A list's path as the user wrote it: --data as given plus the path
        # below it (the store records absolute paths).
        self._absolute = os.path.abspath(target)
        self._join = os.path.join
        counts = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('lists', 'items')").fetchall()
        )
        self._count = int(counts.get("lists", 0))
        self._items = int(counts.get("items", 0))
        self._refs: dict[int, ListRef] = {}
        self._all: list[ListRef] | None = None
        self._chosen: list[ListRef] | None = None  # None: every list
        self._misses = 0
        self._memo: dict[str, Any] = {}
        self.only_items: list[int] | None = None  # lines() of these items only

    def memo(self, key: str, loader: Callable[[], Any]) -> Any:
        """A value worked out once for the current selection (``select`` forgets them)."""
        if key not in self._memo:
            self._memo[key] = loader()
        return self._memo[key]

    # -- the lists -----------------------------------------------------------------

    def _ref(self, row: Sequence[Any]) -> ListRef:
        ref = self._refs.get(row[0])
        if ref is None:
            rest = row[1][len(self._absolute) :]
            if rest[:1] in _SEPARATORS:
                rest = rest[1:]
            path = self._join(self.target, rest) if rest else self.target
            ref = self._refs[row[0]] = ListRef(row[0], path, *row[2:])
        return ref

    def _query(self, where: str = "", args: Sequence[Any] = ()) -> list[ListRef]:
        sql = f"SELECT {LIST_COLUMNS} FROM lists{where} ORDER BY path"
        return [self._ref(row) for row in self.conn.execute(sql, args)]

    @property
    def lists(self) -> list[ListRef]:
        """Every loaded list, by path."""
        if self._all is None:
            self._all = self._query()
        return self._all

    def ref(self, list_id: int) -> ListRef:
        """One list by its id (read on first use)."""
        ref = self._refs.get(list_id)
        if ref is None:
            self._misses += 1
            if self._misses > 50:  # reading many one by one: read them all at once
                return {ref.id: ref for ref in self.lists}[list_id]
            ref = self._query(" WHERE id = ?", (list_id,))[0]
        return ref

    def refs(self, list_ids: Iterable[int]) -> None:
        """Read these lists now (one query) for ``ref`` to give."""
        missing = sorted({i for i in list_ids if i not in self._refs})
        for marks, chunk in in_chunks(missing):
            self._query(f" WHERE id IN ({marks})", chunk)

    @property
    def selected(self) -> Sequence[ListRef]:
        """The lists queries are restricted to (every list until ``select``)."""
        if self._chosen is not None:
            return self._chosen
        return _AllLists(self, self._count)

    def selected_items(self) -> int:
        """How many items the selection holds."""
        if self._chosen is None:
            return self._items
        return sum(ref.items for ref in self._chosen)

    def sources(self) -> Sequence[str]:
        """The path of every loaded list (read when first asked for)."""
        return _Paths(self)

    # -- selection ---------------------------------------------------------------

    @property
    def several(self) -> bool:
        """More than one list loaded: listings say which list each item is from."""
        return self._count > 1

    def subdistricts(self, refs: Iterable[ListRef] | None = None) -> list[str]:
        if refs is None:
            return list(dict.fromkeys(s for (s,) in self.conn.execute(_STREETS)).keys())
        return list(dict.fromkeys(ref.subdistrict for ref in refs))

    def of_street(self, subdistrict: str) -> list[ListRef]:
        """The lists of one subdistrict, by path."""
        return self._query(" WHERE subdistrict = ?", (subdistrict,))

    def select(self, street: str | None = None, kind: str | None = None) -> None:
        chosen: list[ListRef] | None = None
        if street is not None:
            chosen = self.of_street(self.street(street))
        if kind is not None:
            wanted = parse_kind(kind)
            among = self.lists if chosen is None else chosen
            chosen = [ref for ref in among if kind_of(ref.kind) == wanted]
            if not chosen:
                raise LookupFailed(
                    f"没有{SHORT_KINDS[wanted]}清单。已载入的清单：\n{self.listing(self.lists)}",
                    [ref.path for ref in self.lists],
                )
        if chosen is not None and len(chosen) == self._count:
            chosen = None
        self._chosen = chosen
        self._memo.clear()

    def street(self, query: str) -> str:
        """A subdistrict by full name or a part that names one only."""
        query = "".join(query.split())
        if (
            query
            and self.conn.execute(
                "SELECT 1 FROM lists WHERE subdistrict = ? LIMIT 1", (query,)
            ).fetchone()
        ):
            return query
        names = self.subdistricts()
        found = one_of(query, [name for name in names if query and query in name], "街道")
        if found is not None:
            return found
        listing = "\n".join(f"  {name}" for name in names[:20])
        more = f"\n  …共 {len(names)} 个" if len(names) > 20 else ""
        raise LookupFailed(f"没有街道“{query}”。已载入的街道：\n{listing}{more}", names)

    @staticmethod
    def listing(refs: Sequence[ListRef], limit: int = 20) -> str:
        lines = [f"  {ref.subdistrict}\t{ref.short_kind}\t{ref.title}\t{ref.path}" for ref in refs]
        if len(lines) > limit:
            lines = [*lines[:limit], f"  …共 {len(refs)} 份"]
        return "\n".join(lines)

    def one_subdistrict(self) -> str:
        """The subdistrict of the selection; several: a usage error naming them."""
        names = self.subdistricts(self._chosen)
        if len(names) == 1:
            return names[0]
        listing = "\n".join(f"  {name}" for name in names[:20])
        more = f"\n  …共 {len(names)} 个" if len(names) > 20 else ""
        raise LookupFailed(
            f"已载入 {len(names)} 个街道的清单：核对任务须用 --street/-s 选定一个街道：\n"
            f"{listing}{more}",
            names,
        )

    def _in(self, column: str = "list") -> str:
        """SQL restricting ``column`` to the selected lists ('' when all are selected)."""
        if self._chosen is None:
            return ""
        return f" AND {column} IN ({','.join(str(ref.id) for ref in self._chosen)})"

    # -- departments -------------------------------------------------------------

    @property
    def department_names(self) -> dict[str, str]:
        """Every name and alias in the selected lists, to its canonical name (first list wins)."""
        names: dict[str, str] | None = self._memo.get("names")
        if names is None:
            names = {}
            for spelling, canonical in self.conn.execute(
                "SELECT spelling, canonical FROM dept_names"
                f" WHERE 1{self._in()} ORDER BY list, rowid"
            ):
                names.setdefault(spelling, canonical)
            self._memo["names"] = names
        return names

    def matching_names(self, query: str) -> dict[str, str]:
        """The spellings that hold ``query``, to their canonical names (one scan, no decoding).

        The scan runs over ``dept_pinyin`` (every spelling once, a few hundred
        rows however many lists are loaded); each spelling's first owner —
        lowest list, then declaration order, as the whole-table scan gave — is
        then one index lookup.
        """
        spellings = [
            s
            for (s,) in self.conn.execute(
                "SELECT spelling FROM dept_pinyin WHERE instr(spelling, ?) > 0", (query,)
            )
        ]
        found: list[tuple[int, int, str, str]] = []
        for spelling in spellings:
            row = self.conn.execute(
                "SELECT list, rowid, canonical FROM dept_names"
                f" WHERE spelling = ?{self._in()} ORDER BY list, rowid LIMIT 1",
                (spelling,),
            ).fetchone()
            if row is not None:
                found.append((row[0], row[1], spelling, row[2]))
        found.sort()
        return {spelling: canonical for _, _, spelling, canonical in found}

    def departments_of(self, list_ids: Iterable[int]) -> tuple[Department, ...]:
        """The departments of these lists, each name once (for a list file of mixed results)."""
        ids = list(dict.fromkeys(list_ids))
        blobs: dict[int, bytes] = {}
        for marks, chunk in in_chunks(ids):
            sql = f"SELECT id, departments FROM list_data WHERE id IN ({marks})"
            blobs.update(self.conn.execute(sql, chunk).fetchall())
        out: dict[str, Department] = {}
        for list_id in ids:
            for name, aliases in marshal.loads(blobs[list_id]):
                out.setdefault(name, Department(name, tuple(aliases)))
        return tuple(out.values())

    @property
    def departments(self) -> tuple[Department, ...]:
        depts: tuple[Department, ...] | None = self._memo.get("departments")
        if depts is None:
            aliases: dict[str, list[str]] = {}
            for spelling, canonical in self.department_names.items():
                own = aliases.setdefault(canonical, [])
                if spelling != canonical:
                    own.append(spelling)
            depts = tuple(Department(name, tuple(a)) for name, a in aliases.items())
            self._memo["departments"] = depts
        return depts

    def department_syllables(self) -> list[tuple[str, list[str]]]:
        """(spelling, syllables) of every department name and alias in the store, each once."""
        return [
            (spelling, syllables.split(" "))
            for spelling, syllables in self.conn.execute(
                "SELECT spelling, syllables FROM dept_pinyin"
            )
        ]


class _AllLists(Sequence[ListRef]):
    """Every loaded list as the selection: its length known, its lists read when asked for."""

    def __init__(self, lib: Selection, count: int) -> None:
        self._lib = lib
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> ListRef: ...

    @overload
    def __getitem__(self, index: slice) -> list[ListRef]: ...

    def __getitem__(self, index: int | slice) -> ListRef | list[ListRef]:
        if index == 0 and self._lib._all is None and self._count:
            return self._lib._query(" WHERE path = (SELECT min(path) FROM lists)")[0]
        return self._lib.lists[index]

    def __iter__(self) -> Iterator[ListRef]:
        return iter(self._lib.lists)


class _Paths(Sequence[str]):
    """The path of every loaded list, read on first use (``--output`` checks them)."""

    def __init__(self, lib: Selection) -> None:
        self._lib = lib

    def _paths(self) -> list[str]:
        return [ref.path for ref in self._lib.lists]

    def __len__(self) -> int:
        return len(self._paths())

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._paths()[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths())
