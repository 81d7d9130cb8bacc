"""Is the store as fresh as the lists? Answered from ``stat`` alone, never by reading a list.

The store holds what ``stat`` said of each file when it was built (size,
mtime_ns, ctime_ns, inode) and of each directory of a library (mtime_ns,
ctime_ns, inode: a file added, removed or renamed changes them). A warm query
stats the directories and the files it answers from — every file for a query
over the whole library, only the files of the selected street's lists for
``--street`` — and compares. A directory changed within ``RACY_NS`` of being
listed is recorded as changed, so that a file added in the same clock tick is
still seen the next time.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from typing import Any

from dutycli.lists.source import DirStamp, SourceFile

# A directory changed this recently when it was listed may change again within
# the same tick of the file system's clock (coarse: up to a jiffy; seconds on
# FAT): it is recorded as changed, and listed again by the next query.
RACY_NS = 2_000_000_000


# (size, mtime_ns, ctime_ns, inode) of a stat result, in C: 5,000 files a query.
_stat_of: Callable[[os.stat_result], tuple[int, int, int, int]] = attrgetter(
    "st_size", "st_mtime_ns", "st_ctime_ns", "st_ino"
)


def tree_record(files: Sequence[SourceFile], dirs: Sequence[DirStamp], listed_at: int) -> bytes:
    """What a warm query compares, from what ``list_tree`` found (``listed_at``: time_ns before)."""
    if not dirs:
        (src,) = files
        return marshal.dumps(("file", src.key, (src.size, src.mtime_ns, src.ctime_ns, src.inode)))
    sep = os.sep
    per_dir: dict[str, tuple[list[str], list[tuple[int, int, int, int]]]] = {}
    for d in dirs:
        per_dir[d.absolute] = ([], [])
    for src in files:
        directory, _, name = src.key.rpartition(sep)
        if directory not in per_dir:  # the root "/" (never a library in practice)
            directory += sep
        names, stats = per_dir[directory]
        names.append(name)
        stats.append((src.size, src.mtime_ns, src.ctime_ns, src.inode))
    entries = []
    for d in dirs:
        settled = listed_at - max(d.mtime_ns, d.ctime_ns) >= RACY_NS
        stamp = (d.mtime_ns, d.ctime_ns, d.inode) if settled else (-1, -1, -1)
        names, stats = per_dir[d.absolute]
        entries.append((d.absolute, stamp, tuple(names), stats))
    return marshal.dumps(("dir", entries))


def _dir_fresh(
    path: str, stamp: tuple[int, int, int], names: Any = None, stats: Any = None
) -> bool:
    """The directory and the files named (None: none of them) as recorded."""
    if not _AT_DIR:  # pragma: no cover - no dir_fd on this platform (Windows)
        try:
            st = os.stat(path)
            found = [os.stat(os.path.join(path, n)) for n in names or ()]
        except OSError:
            return False
        if (st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != stamp:
            return False
        return not names or bool(list(map(_stat_of, found)) == stats)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if (st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != stamp:
            return False
        if names:
            return bool(list(map(_stat_of, map(partial(os.stat, dir_fd=fd), names))) == stats)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


_AT_DIR = os.stat in os.supports_dir_fd


def is_fresh(conn: sqlite3.Connection, street: str | None) -> bool:
    """What stat says now of the lists a query reads, as the last build recorded it.

    Every directory, so that an added, removed or renamed file anywhere is
    seen; then every file, or for ``street`` only the files of its lists.
    """
    wanted = _street_files(conn, street) if street is not None else None
    if wanted is not None:
        # The directories' own record: a province's file names are not read.
        row = conn.execute("SELECT value FROM records WHERE name = 'dirs'").fetchone()
        if row is not None:
            dirs = marshal.loads(row[0])
            try:
                return all(_dir_fresh(path, stamp, None, None) for path, stamp in dirs) and all(
                    _stat_of(os.stat(key)) == tuple(rec) for key, *rec in wanted
                )
            except OSError:
                return False
    row = conn.execute("SELECT value FROM records WHERE name = 'tree'").fetchone()
    if row is None:
        return False
    tree = marshal.loads(row[0])
    if tree[0] == "file":
        try:
            return bool(_stat_of(os.stat(tree[1])) == tree[2])
        except OSError:
            return False
    return all(_dir_fresh(*entry) for entry in tree[1])


def _street_files(conn: sqlite3.Connection, street: str) -> list[tuple[Any, ...]] | None:
    """(key, size, mtime_ns, ctime_ns, inode) of the files of the lists ``street`` names.

    None where ``street`` names no one subdistrict: then every file is checked,
    and the selection's own message comes from fresh lists.
    """
    name = "".join(street.split())
    sql = (
        "SELECT f.path, f.size, f.mtime_ns, f.ctime_ns, f.ino FROM lists l"
        " JOIN files f ON f.list = l.id WHERE l.subdistrict = ?"
    )
    rows = conn.execute(sql, (name,)).fetchall()
    if rows or not name:
        return rows or None
    parts = [
        s
        for (s,) in conn.execute(
            "SELECT DISTINCT subdistrict FROM lists WHERE instr(subdistrict, ?) > 0", (name,)
        )
    ]
    return conn.execute(sql, (parts[0],)).fetchall() or None if len(parts) == 1 else None


def record_tree(conn: sqlite3.Connection, tree: bytes) -> None:
    conn.execute("INSERT OR REPLACE INTO records VALUES ('tree', ?)", (tree,))
    # The directories alone, for a query scoped to one street.
    record = marshal.loads(tree)
    conn.execute("DELETE FROM records WHERE name = 'dirs'")
    if record[0] == "dir":
        dirs = marshal.dumps([(path, stamp) for path, stamp, _, _ in record[1]])
        conn.execute("INSERT INTO records VALUES ('dirs', ?)", (dirs,))


def same_files(conn: sqlite3.Connection, files: list[SourceFile]) -> bool:
    """The same files with the same stat as the ``files`` table records: nothing to rebuild."""
    try:
        recorded = {
            row[0]: row[1:]
            for row in conn.execute("SELECT path, size, mtime_ns, ctime_ns, ino FROM files")
        }
    except sqlite3.Error:
        return False
    return len(recorded) == len(files) and all(
        recorded.get(src.key) == (src.size, src.mtime_ns, src.ctime_ns, src.inode) for src in files
    )
