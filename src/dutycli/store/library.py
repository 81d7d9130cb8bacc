"""Queries on the store: which lists are loaded and selected, and retrieval for the commands.

Everything here reads only the rows a query touches and decodes only the items
that are shown; the query side (which words, which verdict) lives in
``search.py`` and ``check.py``.
"""

from __future__ import annotations

import marshal
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from dutycli.errors import LookupFailed, UsageError
from dutycli.lists.model import (
    KINDS,
    SHORT_KINDS,
    Department,
    DutyList,
    Item,
    ListInfo,
    department_names,
    kind_of,
)
from dutycli.lists.serialize import item_from_dict
from dutycli.store.schema import ITEM_MASK, LIST_COLUMNS, NAME, match_all


def _record(data: bytes) -> Any:
    return marshal.loads(zlib.decompress(data))


def _in_chunks(ids: Sequence[int]) -> Iterator[tuple[str, Sequence[int]]]:
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


_LIST_COLUMNS = LIST_COLUMNS
_SEPARATORS = {"/", "\\"} if sys.platform == "win32" else {"/"}
_STREETS = "SELECT subdistrict FROM lists ORDER BY street_rank, list_rank"
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


# A selection of more items than this (a province's lists at once) is searched
# as typed, and its exact hits of one word are ranked from the index alone.
LARGE = 20_000


class Library:
    """The loaded lists and the selection (--street, --kind) queries are restricted to.

    The lists are read from the store as a query needs them: by id for the rows
    shown, by subdistrict for ``--street``; all of them only for a listing.
    """

    def __init__(self, conn: sqlite3.Connection, target: str) -> None:
        import os

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
        sql = f"SELECT {_LIST_COLUMNS} FROM lists{where} ORDER BY path"
        return [self._ref(row) for row in self.conn.execute(sql, args)]

    @property
    def lists(self) -> list[ListRef]:
        """Every loaded list, by path."""
        if self._all is None:
            self._all = self._query()
        return self._all

    @property
    def by_id(self) -> dict[int, ListRef]:
        return {ref.id: ref for ref in self.lists}

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
        for marks, chunk in _in_chunks(missing):
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

    def large(self) -> bool:
        """A selection of more than ``LARGE`` items (searched as typed, ranked by the index)."""
        return self.selected_items() > LARGE

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
        from dutycli.query.resolve import one_of

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

    def one(self) -> Compiled:
        """The one selected list, for commands that read a whole list."""
        selected = self.selected
        if len(selected) == 1:
            return Compiled(self, selected[0])
        raise LookupFailed(
            f"已载入 {len(selected)} 份清单，请用 --street/-s 和 --kind 选定一份：\n"
            + self.listing(selected),
            [ref.path for ref in selected],
        )

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

    # -- items -------------------------------------------------------------------

    def decode(self, rowids: Sequence[int]) -> list[tuple[Item, ListRef]]:
        """The items at these rowids, in that order: the only place records are decoded."""
        rows: dict[int, tuple[int, bytes]] = {}
        for marks, chunk in _in_chunks(list(dict.fromkeys(rowids))):
            for rowid, list_id, data in self.conn.execute(
                f"SELECT rowid, list, data FROM items WHERE rowid IN ({marks})", chunk
            ):
                rows[rowid] = (list_id, data)
        self.refs(list_id for list_id, _ in rows.values())
        out = {
            rowid: (item_from_dict(_record(data)), self.ref(list_id))
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

    def department_rows(self, canonical: str) -> Sequence[tuple[int, ListRef]]:
        """(rowid, list) of a department's selected items, by subdistrict, list and position.

        A sequence read on demand: its length is one count per list, and its
        first rows (``[:20]``) read only the lists they come from.
        """
        (total,) = self.conn.execute(
            f"SELECT coalesce(sum(n), 0) FROM dept_counts WHERE dept = ?{self._in()}",
            (canonical,),
        ).fetchone()
        return DepartmentRows(self, canonical, total)

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
        for marks, chunk in _in_chunks(ids):
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

    # -- search retrieval ----------------------------------------------------------

    def exact_candidates(self, word: str, fields: set[int] | None, limit: int) -> list[int] | None:
        """Items that can be among the first ``limit`` exact hits of ``word``, ranked in SQL.

        For a word search.py scores by occurrences alone (no Latin letters to
        fold, no pinyin, no overlap of the word with itself, so that counting
        by ``replace`` equals counting every start), the score of ``_score`` is
        computed here by the same operations: a name hit 100, any other 10,
        plus one for each further occurrence up to nine, plus 20 × the share of
        the name's UTF-8 bytes the word covers. The first ``limit`` by score
        and rowid are returned, with any item whose score is within 1e-6 of
        the last one's (so a rounding difference can never drop one): search.py
        then scores these exactly as before. None: not such a word, or no hit.
        """
        match = match_all(word)
        if (
            limit <= 0
            or match is None
            or any(ch.isascii() and ch.isalpha() for ch in word)
            or any(word[:j] == word[-j:] for j in range(1, len(word)))
        ):
            return None
        where = self._in()
        if fields is not None:
            where += f" AND field IN ({','.join(str(f) for f in sorted(fields))})"
        sql = (
            "SELECT item, 0.0 + ((CASE WHEN max(field = 0) THEN 100.0 ELSE 10.0 END)"
            " + min(sum(length(text) - length(replace(text, :w, ''))) / :n - 1, 9))"
            " + coalesce(20.0 * :b / max(max(CASE WHEN field = 0"
            " THEN length(CAST(text AS BLOB)) END), 1), 0.0) AS score"
            " FROM lines WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH :m)"
            f"{where} AND instr(text, :w) > 0 GROUP BY item ORDER BY score DESC, item"
        )
        args = {"w": word, "n": len(word), "b": len(word.encode("utf-8")), "m": match}
        out: list[int] = []
        last = 0.0
        for item, score in self.conn.execute(sql, args):
            if len(out) < limit:
                out.append(item)
                last = score
            elif score >= last - 1e-6 and score != last:
                out.append(item)  # within rounding of the last: let search.py decide
            elif score < last - 1e-6:
                break
        return out or None

    def index_candidates(self, word: str, fields: set[int] | None, limit: int) -> list[int] | None:
        """The first ``limit`` items holding ``word``, in the order the index gives them.

        For a large selection, where scoring every hit would read every line
        that holds the word (50,000 of 低保 in a province): items whose name
        holds the word come first, the shortest name first (the largest share
        of it covered), then the other items holding it, each in store order.
        search.py scores and orders these few as ever; an item outside them
        never outranks one inside by its name, only by how often the word
        recurs. None: nothing to look up this way (Latin letters, which also
        match pinyin), or no hit.
        """
        match = match_all(word)
        if limit <= 0 or match is None or any(ch.isascii() and ch.isalpha() for ch in word):
            return None
        out: list[int] = []
        if fields is None or NAME in fields:
            sql = (
                "SELECT i.rowid FROM name_fts n JOIN items i ON i.rowid = (n.rowid & ?)"
                f" WHERE name_fts MATCH ?{self._in('i.list')} AND instr(i.name, ?) > 0"
                " ORDER BY n.rowid LIMIT ?"
            )
            out += (r for (r,) in self.conn.execute(sql, (ITEM_MASK, match, word, limit)))
        others = None if fields is None else fields - {NAME}
        if len(out) < limit and (others is None or others):
            where = self._in()
            where += (
                " AND field != 0"
                if others is None
                else f" AND field IN ({','.join(str(f) for f in sorted(others))})"
            )
            have = set(out)
            sql = (
                "SELECT item FROM lines WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
                f"{where} AND instr(text, ?) > 0 ORDER BY rowid"
            )
            for (item,) in self.conn.execute(sql, (match, word)):
                if item not in have:
                    have.add(item)
                    out.append(item)
                    if len(out) >= limit:
                        break
        return out or None

    def lines(self, match: str | None, fields: set[int] | None, contains: str = "") -> list[Line]:
        """Selected lines whose bigrams satisfy the FTS query ``match`` (None: every line).

        With ``only_items`` set (the candidates of the exact stage), every line
        of those items instead: the caller finds the word in each.
        """
        where = self._in()
        if fields is not None:
            where += f" AND field IN ({','.join(str(f) for f in sorted(fields))})"
        if self.only_items is not None:  # search.py's exact or index candidates
            items = ",".join(str(i) for i in self.only_items)
            sql = f"SELECT rowid, item, field, grp, step, text FROM lines WHERE item IN ({items})"
            return [Line(*r) for r in self.conn.execute(sql + where)]
        if match is None:
            sql = f"SELECT rowid, item, field, grp, step, text FROM lines WHERE 1{where}"
            args: tuple[str, ...] = ()
            if contains:
                sql += " AND instr(lower(text), lower(?)) > 0"
                args = (contains,)
            return [Line(*r) for r in self.conn.execute(sql, args)]
        sql = (
            "SELECT rowid, item, field, grp, step, text FROM lines"
            f" WHERE rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?){where}"
        )
        return [Line(*r) for r in self.conn.execute(sql, (match,))]

    def name_lines(self, items: Iterable[int]) -> dict[int, Line]:
        out: dict[int, Line] = {}
        for marks, chunk in _in_chunks(list(items)):
            for r in self.conn.execute(
                "SELECT rowid, item, field, grp, step, text FROM lines"
                f" WHERE field = 0 AND item IN ({marks})",
                chunk,
            ):
                out[r[1]] = Line(*r)
        return out

    def name_syllables(self, q: str) -> list[tuple[int, list[str]]]:
        """(item rowid, syllables of its name) of selected items whose pinyin may hold ``q``."""
        if len(q) >= 3:
            sql = (
                "SELECT rowid, syllables FROM items WHERE rowid IN"
                f" (SELECT rowid FROM pinyin_fts WHERE pinyin_fts MATCH ?){self._in()}"
            )
            rows = self.conn.execute(sql, (f'"{q}"',))
        else:  # too short for trigrams: read the (short) names' pinyin
            rows = self.conn.execute(f"SELECT rowid, syllables FROM items WHERE 1{self._in()}")
        return [(rowid, syllables.split("\t")) for rowid, syllables in rows]

    def department_syllables(self) -> list[tuple[str, list[str]]]:
        """(spelling, syllables) of every department name and alias in the store, each once."""
        return [
            (spelling, syllables.split(" "))
            for spelling, syllables in self.conn.execute(
                "SELECT spelling, syllables FROM dept_pinyin"
            )
        ]

    def spelling_owners(self, spellings: Sequence[str]) -> list[tuple[str, int, str]]:
        """(spelling, list id, canonical name) in the selected lists for these spellings."""
        out: list[tuple[str, int, str]] = []
        for start in range(0, len(spellings), 500):
            chunk = list(spellings[start : start + 500])
            marks = ",".join("?" * len(chunk))
            out += self.conn.execute(
                "SELECT spelling, list, canonical FROM dept_names"
                f" WHERE spelling IN ({marks}){self._in()}",
                chunk,
            ).fetchall()
        return out

    def items_of(self, pairs: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
        """(item rowid, department) for (list id, canonical department) pairs."""
        wanted = set(pairs)
        names = sorted({dept for _, dept in wanted})
        out: list[tuple[int, str]] = []
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            marks = ",".join("?" * len(chunk))
            out += (
                (item, dept)
                for item, list_id, dept in self.conn.execute(
                    f"SELECT item, list, dept FROM item_depts WHERE dept IN ({marks}){self._in()}",
                    chunk,
                )
                if (list_id, dept) in wanted
            )
        return out

    def char_syllables(self, ch: str) -> list[str]:
        """The toneless syllables ``ch`` may be read as (for typos read by their sound)."""
        row = self.conn.execute("SELECT syllables FROM readings WHERE ch = ?", (ch,)).fetchone()
        return row[0].split(" ") if row else []

    def readings(self) -> dict[str, str]:
        """Toneless syllable -> every character read so."""
        return dict(self.conn.execute("SELECT syllable, chars FROM syllables"))

    def alike(self, ch: str) -> str:
        """Characters that share a toneless reading with ``ch`` (itself included)."""
        row = self.conn.execute("SELECT syllables FROM readings WHERE ch = ?", (ch,)).fetchone()
        if row is None:
            return ch
        syllables = row[0].split(" ")
        marks = ",".join("?" * len(syllables))
        chars = {ch}
        for (text,) in self.conn.execute(
            f"SELECT chars FROM syllables WHERE syllable IN ({marks})", syllables
        ):
            chars.update(text)
        return "".join(sorted(chars))

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
            (rowid, self.ref(list_id), item_from_dict(_record(data)))
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


class _AllLists(Sequence[ListRef]):
    """Every loaded list as the selection: its length known, its lists read when asked for."""

    def __init__(self, lib: Library, count: int) -> None:
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

    def __init__(self, lib: Library) -> None:
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


class DepartmentRows(Sequence[tuple[int, ListRef]]):
    """A department's items across the selected lists, read from the store as they are asked for."""

    def __init__(self, lib: Library, dept: str, total: int) -> None:
        self._lib = lib
        self._dept = dept
        self._total = total
        self._read: list[tuple[int, ListRef]] = []
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
            self._read += (
                (item, ref)
                for (item,) in self._lib.conn.execute(
                    "SELECT item FROM item_depts WHERE dept = ? AND list = ? ORDER BY pos",
                    (self._dept, list_id),
                )
            )

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

    def __init__(self, library: Library, ref: ListRef) -> None:
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
        return [item_from_dict(_record(rows[i])) for i in order]

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
