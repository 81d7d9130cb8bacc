"""Compile list files into the store: list by list, so that memory stays that of one list.

Everything a query needs is computed here, once: the character bigrams of every
text (FTS5), the pinyin of item and department names (pypinyin is imported
here and never to answer a query), the homophone table, the department and
category tables.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.errors import DataError
from dutycli.lists.model import DutyList, Item
from dutycli.lists.serialize import item_to_dict
from dutycli.lists.source import SourceFile, read_bytes

# Re-exported: the page's and check's pinyin come from here.
from dutycli.store.pinyin import Pinyin, add_readings, known, reading_tables, strip_tone
from dutycli.store.schema import (
    BASIS,
    DDL,
    EXTRAS,
    GUARANTEES,
    LAYOUT,
    METHOD,
    NAME,
    STREET,
    UPPER,
    digest,
    grams,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = [
    "Pinyin",
    "create",
    "digest",
    "insert",
    "prepare",
    "reading_tables",
    "remove_list",
    "strip_tone",
    "sync",
]


def item_lines(item: Item) -> Iterator[tuple[int, int, int, str]]:
    """(field, group, step, text) of every searchable text, in reading order."""
    yield NAME, -1, -1, item.name
    for b, block in enumerate(item.upper_duties):
        if block.heading:
            yield UPPER, b, -1, block.heading
        for s, step in enumerate(block.steps):
            yield UPPER, b, s, step
    for g, text in enumerate(item.guarantees):
        yield GUARANTEES, -1, g, text
    for n, section in enumerate(item.street_duties):
        if section.heading:
            yield STREET, n, -1, section.heading
        for s, step in enumerate(section.steps):
            yield STREET, n, s, step
    # 实施依据 (a 基本 list's only text besides the name), 工作方式, the extra columns.
    if item.basis:
        yield BASIS, -1, -1, item.basis
    if item.method:
        yield METHOD, -1, -1, item.method
    for n, (_, text) in enumerate(item.extras):
        yield EXTRAS, n, -1, text


def create(conn: sqlite3.Connection, app: str) -> None:
    conn.executescript(DDL)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("layout", LAYOUT), ("app", app), ("readings", 0)]
    )


def counts(dl: DutyList) -> tuple[dict[str, int], dict[str, int]]:
    per_category = {c: 0 for c in dl.categories}
    per_department = {d.name: 0 for d in dl.departments}
    for item in dl.items:
        if item.category:
            per_category[item.category] = per_category.get(item.category, 0) + 1
        for name in item.departments:
            per_department[name] = per_department.get(name, 0) + 1
    return per_category, per_department


def parse_file(src: SourceFile, raw: bytes) -> DutyList:
    from dutycli.lists.load import decode, parse

    return parse(decode(raw, src.path), src.path)


class Prepared(NamedTuple):
    """One list file parsed, validated and turned into rows: all but the inserts."""

    src: SourceFile
    key: str
    list_row: tuple[Any, ...]
    names: list[tuple[str, str]]  # (spelling, canonical), in declaration order
    pinyin: list[tuple[str, str]]  # (spelling, syllables)
    items: list[tuple[Any, ...]]  # (id, pos, name, category, syllables, data, full, initials)
    item_depts: list[tuple[str, int, int]]  # (department, pos, its place among the item's)
    lines: list[tuple[int, int, int, int, str, str]]  # (pos, field, group, step, text, grams)


def prepare(src: SourceFile, raw: bytes, key: str, pinyin: Pinyin) -> Prepared:
    """Parse and validate one list file and compute its rows (no database: runs anywhere)."""
    dl = parse_file(src, raw)
    info = dl.info
    per_category, per_department = counts(dl)
    list_row = (
        src.key,
        key,
        dl.schema,
        info.title,
        info.subdistrict,
        info.kind,
        info.district,
        info.city,
        info.province,
        info.version,
        info.note,
        marshal.dumps(list(dl.categories)),
        marshal.dumps([[d.name, list(d.aliases)] for d in dl.departments]),
        marshal.dumps(per_category),
        marshal.dumps(per_department),
        len(dl.items),
    )
    names = [(s, d.name) for d in dl.departments for s in dict.fromkeys((d.name, *d.aliases))]
    items: list[tuple[Any, ...]] = []
    item_depts: list[tuple[str, int, int]] = []
    lines: list[tuple[int, int, int, int, str, str]] = []
    for pos, item in enumerate(dl.items):
        syllables = pinyin(item.name)
        items.append(
            (
                item.id,
                pos,
                item.name,
                item.category,
                "\t".join(syllables),
                zlib.compress(marshal.dumps(item_to_dict(item)), 1),
                "".join(syllables),
                "".join(s[:1] for s in syllables),
            )
        )
        item_depts += ((d, pos, nth) for nth, d in enumerate(dict.fromkeys(item.departments)))
        lines += ((pos, f, g, st, text, grams(text)) for f, g, st, text in item_lines(item))
    return Prepared(
        src,
        key,
        list_row,
        names,
        [(s, " ".join(pinyin(s))) for s, _ in names],
        items,
        item_depts,
        lines,
    )


def insert(conn: sqlite3.Connection, p: Prepared) -> int:
    """Add one prepared list (``name_fts`` apart: see ``index_names``); returns its id."""
    cur = conn.execute(
        "INSERT INTO lists(path, digest, schema, title, subdistrict, kind, district, city,"
        " province, version, note, count) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (*p.list_row[:11], p.list_row[15]),
    )
    list_id = cur.lastrowid
    assert list_id is not None
    conn.execute("INSERT INTO list_data VALUES (?,?,?,?,?)", (list_id, *p.list_row[11:15]))
    conn.execute(
        "INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?)", (*p.src.stamp, p.key, list_id)
    )
    conn.executemany("INSERT INTO dept_names VALUES (?,?,?)", ((s, list_id, c) for s, c in p.names))
    conn.executemany("INSERT OR IGNORE INTO dept_pinyin VALUES (?,?)", p.pinyin)
    first = conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM items").fetchone()[0]
    conn.executemany(
        "INSERT INTO items(rowid, list, id, pos, name, category, syllables, data)"
        " VALUES (?,?,?,?,?,?,?,?)",
        ((first + row[1], list_id, *row[:6]) for row in p.items),
    )
    conn.executemany(
        "INSERT INTO pinyin_fts(rowid, full, initials) VALUES (?,?,?)",
        ((first + row[1], row[6], row[7]) for row in p.items),
    )
    conn.executemany(
        "INSERT INTO item_depts VALUES (?,?,?,?,?)",
        ((d, list_id, pos, first + pos, nth) for d, pos, nth in p.item_depts),
    )
    per_dept: dict[str, int] = {}
    for d, _, _ in p.item_depts:
        per_dept[d] = per_dept.get(d, 0) + 1
    conn.executemany(
        "INSERT INTO dept_counts VALUES (?,?,?)", ((d, list_id, n) for d, n in per_dept.items())
    )
    line = conn.execute("SELECT coalesce(max(rowid), 0) + 1 FROM lines").fetchone()[0]
    conn.executemany(
        "INSERT INTO lines(rowid, item, list, field, grp, step, text) VALUES (?,?,?,?,?,?,?)",
        ((line + n, first + r[0], list_id, r[1], r[2], r[3], r[4]) for n, r in enumerate(p.lines)),
    )
    conn.executemany(
        "INSERT INTO fts(rowid, grams) VALUES (?, ?)",
        ((line + n, r[5]) for n, r in enumerate(p.lines)),
    )
    return list_id


# FTS5 keeps an index's new rows in memory only while their rowids rise; a lower
# one flushes them to a new segment. Name rows (see NAME_SHIFT) rise by name
# length, not by item: they are added in rowid order, all at once, per build.
_NAME_ROWS = "(length(CAST(name AS BLOB)) << 32) | rowid"


def sql_grams(conn: sqlite3.Connection) -> None:
    """``grams(text)`` in SQL, for ``name_fts``."""
    conn.create_function("grams", 1, grams, deterministic=True)


def index_names(conn: sqlite3.Connection, lists: list[int]) -> None:
    """The names of these lists' items into ``name_fts``, in rowid order (needs ``sql_grams``)."""
    for start in range(0, len(lists), 500):
        chunk = ",".join(str(i) for i in lists[start : start + 500])
        conn.execute(
            f"INSERT INTO name_fts(rowid, grams) SELECT {_NAME_ROWS}, grams(name) FROM items"
            f" WHERE list IN ({chunk}) ORDER BY 1"
        )


_WORKER_PINYIN: Pinyin | None = None


def _prepare_in_worker(task: tuple[SourceFile, str]) -> tuple[str, Any]:
    """Read, hash, parse and prepare one file in a worker process; errors come back as data."""
    global _WORKER_PINYIN
    src, old_key = task
    try:
        raw = read_bytes(src.path)
        key = digest(raw)
        if key == old_key:
            return "same", key
        if _WORKER_PINYIN is None:
            _WORKER_PINYIN = Pinyin()
        return "built", prepare(src, raw, key, _WORKER_PINYIN)
    except DataError as e:
        return "error", e.problems


def _prepare_chunk(tasks: list[tuple[SourceFile, str]]) -> list[tuple[str, Any]]:
    return [_prepare_in_worker(task) for task in tasks]


def remove_list(conn: sqlite3.Connection, list_id: int) -> str | None:
    """Delete a list and everything built from it; returns its subdistrict."""
    row = conn.execute("SELECT subdistrict FROM lists WHERE id = ?", (list_id,)).fetchone()
    # A contentless FTS5 table forgets a row only when told its tokens again.
    conn.executemany(
        "INSERT INTO fts(fts, rowid, grams) VALUES ('delete', ?, ?)",
        (
            (rowid, grams(text))
            for rowid, text in conn.execute(
                "SELECT rowid, text FROM lines WHERE list = ?", (list_id,)
            ).fetchall()
        ),
    )
    conn.executemany(
        "INSERT INTO pinyin_fts(pinyin_fts, rowid, full, initials) VALUES ('delete', ?, ?, ?)",
        (
            (rowid, syl.replace("\t", ""), "".join(s[:1] for s in syl.split("\t")))
            for rowid, syl in conn.execute(
                "SELECT rowid, syllables FROM items WHERE list = ?", (list_id,)
            ).fetchall()
        ),
    )
    conn.execute(
        f"INSERT INTO name_fts(name_fts, rowid, grams) SELECT 'delete', {_NAME_ROWS}, grams(name)"
        " FROM items WHERE list = ? ORDER BY 2",
        (list_id,),
    )
    for table, column in (
        ("lines", "list"),
        ("dept_counts", "list"),
        ("items", "list"),
        ("item_depts", "list"),
        ("dept_names", "list"),
        ("files", "list"),
        ("list_data", "id"),
        ("lists", "id"),
    ):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (list_id,))
    return row[0] if row else None


PARALLEL_FROM = 16  # lists: below this, starting worker processes costs more than it saves
CHUNK = 8  # lists a worker prepares at a time
AHEAD = 3  # chunks a worker may have ready or under way before the writer takes them


def _prepared(
    stale: list[SourceFile],
    recorded: dict[str, Any],
    read: Callable[[SourceFile], bytes] | None,
    conn: sqlite3.Connection | None = None,
) -> Iterator[tuple[str, Any, SourceFile]]:
    """(status, Prepared or digest, file) for each stale file, in order; errors raised in order."""
    old = [recorded[src.key][5] if src.key in recorded else "" for src in stale]
    workers = min(os.cpu_count() or 1, 8)
    context = None
    if read is None and len(stale) >= PARALLEL_FROM and workers > 1:
        import multiprocessing

        try:
            # fork: workers inherit the loaded modules and never touch the
            # database (they end with os._exit, closing nothing of the parent's).
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: one process
            context = None
    if context is not None:
        from concurrent.futures import ProcessPoolExecutor

        tasks = list(zip(stale, old, strict=True))
        chunks = iter([tasks[i : i + CHUNK] for i in range(0, len(tasks), CHUNK)])
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            # A few chunks ahead of the writer, not all of them: when the
            # writer is the slower side, prepared lists must not pile up in memory.
            ahead: deque[tuple[list[tuple[SourceFile, str]], Future[list[tuple[str, Any]]]]]
            ahead = deque()
            while True:
                while len(ahead) < workers * AHEAD:
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    ahead.append((chunk, pool.submit(_prepare_chunk, chunk)))
                if not ahead:
                    break
                chunk, future = ahead.popleft()
                for (src, _), (status, value) in zip(chunk, future.result(), strict=True):
                    if status == "error":
                        pool.shutdown(cancel_futures=True)
                        raise DataError(value)
                    yield status, value, src
        return
    pinyin: Pinyin | None = None
    reader = read or (lambda src: read_bytes(src.path))
    for src, old_key in zip(stale, old, strict=True):
        raw = reader(src)
        key = digest(raw)
        if key == old_key:
            yield "same", key, src
            continue
        if pinyin is None:
            pinyin = Pinyin(known(conn, [recorded[s.key][6] for s in stale if s.key in recorded]))
        yield "built", prepare(src, raw, key, pinyin), src


def sync(
    conn: sqlite3.Connection,
    files: list[SourceFile],
    read: Callable[[SourceFile], bytes] | None = None,
) -> int:
    """Bring the store in line with ``files``: rebuild only the lists whose content changed.

    Runs inside the caller's transaction. Files whose stat is unchanged are not
    read; files whose stat changed are hashed, and rebuilt only if their
    content did. Returns how many lists were (re)built.
    """
    sql_grams(conn)  # first: SQLite will not define a function while a statement runs
    recorded = {
        row[0]: row
        for row in conn.execute(
            "SELECT path, size, mtime_ns, ctime_ns, ino, digest, list FROM files"
        )
    }
    current = {src.key: src for src in files}
    for path, row in recorded.items():
        if path not in current:
            remove_list(conn, row[6])
    stale = [
        src
        for src in files
        if (row := recorded.get(src.key)) is None or tuple(row[:5]) != src.stamp
    ]
    built: list[int] = []
    for status, value, src in _prepared(stale, recorded, read, conn):
        row = recorded.get(src.key)
        if status == "same":
            # Touched, not changed: remember the new stat, keep what was built.
            conn.execute(
                "UPDATE files SET size=?, mtime_ns=?, ctime_ns=?, ino=? WHERE path=?",
                (*src.stamp[1:], src.key),
            )
            continue
        if row is not None:
            remove_list(conn, row[6])
        built.append(insert(conn, value))
    index_names(conn, built)
    if not conn.execute("SELECT value FROM meta WHERE key = 'readings'").fetchone()[0]:
        add_readings(conn)
    rank(conn)
    return len(built)


def rank(conn: sqlite3.Connection) -> None:
    """Each list's place in listings, and the counts a query reads instead of the lists."""
    streets: dict[str, int] = {}
    ranks = []
    items = 0
    rows = conn.execute(
        "SELECT id, subdistrict, count, street_rank, list_rank FROM lists ORDER BY path"
    ).fetchall()
    for n, (list_id, subdistrict, count, old_street, old_n) in enumerate(rows):
        street = streets.setdefault(subdistrict, len(streets))
        if (street, n) != (old_street, old_n):
            ranks.append((street, n, list_id))
        items += count
    conn.executemany("UPDATE lists SET street_rank = ?, list_rank = ? WHERE id = ?", ranks)
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)", [("lists", len(rows)), ("items", items)]
    )
