"""The store: every loaded list compiled into one SQLite database, ready to query.

One way in: source (which files) → load (parse and validate one file) → store
(build, keep fresh) → query (``Library``). The database lives in the user's
cache directory, one a ``--data`` target::

    dutycli/store-<hash of the target's path>-L<layout>-v<version>-<python tag>.sqlite
    dutycli/….sqlite.stamp     inode, size, mtime_ns and ctime_ns of that database

Freshness (``store/freshness.py``) never reads the lists on a warm query; when
stat says something changed, the library is listed again, a file whose stat
changed is hashed, and only a list whose content changed is rebuilt, inside
one transaction.

The store is trusted only for what it holds itself. Its ``meta`` table names
the program and layout that built it, the ``--data`` target it was built for
(the absolute path), and a digest of its own schema (every table, index and
full-text shadow table as ``sqlite_master`` lists them); a store whose
target, schema or program differs is rebuilt. Freshness compares the lists on
disk with what the store records of them (stat, then the content digest of
every file whose stat changed: ``store/freshness``, ``build.sync``), never
with a side file. So a store built for other lists, or for an older copy of
these, or with a table or index dropped, is rebuilt whatever the stamp says.

The stamp beside it is a cheap guard on top: it records the database file's
own inode, size, mtime and ctime (ctime cannot be set back by anyone), so that
a database edited in place by another program (rows changed, not the schema)
is rebuilt too. A first build goes to a temporary file that is renamed into
place, so concurrent first runs each answer from a whole database of their
own; the temporary file of a build whose process is gone (killed) is removed
by the next build. Where the cache directory cannot be written, the lists are
compiled into memory: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import sys
import time
from pathlib import Path

from dutycli import __version__
from dutycli.errors import DataError
from dutycli.lists.source import SourceFile, list_tree, read_bytes, resolve
from dutycli.store.freshness import is_fresh, record_tree, same_files, tree_record
from dutycli.store.library import Compiled, Library, ListRef
from dutycli.store.schema import LAYOUT, digest

__all__ = ["Compiled", "Library", "ListRef", "cache_root", "open_library", "store_path"]

_TAG = sys.implementation.cache_tag or "python"
APP = f"dutycli {__version__} {_TAG} layout {LAYOUT}"
# How long a query waits for a lock another process holds (a DB browser, a
# backup, a stuck process, another duty updating a province): past it, the
# lists are compiled in memory and the answer says so (``_locked``).
BUSY_MS = 1_000
# The schema as the store holds it: a digest of this is recorded in ``meta`` by
# the build, and compared by every open (a dropped table, index or FTS5 shadow
# table changes it).
_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
# Page cache while building: the FTS and index b-trees of a province stop thrashing.
BUILD_CACHE_KIB = 256 * 1024


def _private_temp_root() -> Path | None:
    """A cache directory under /tmp, only if it is ours alone (owner us, mode 0700)."""
    import tempfile

    uid = os.getuid() if hasattr(os, "getuid") else 0
    path = Path(tempfile.gettempdir()) / f"dutycli-{uid}"
    with contextlib.suppress(FileExistsError, OSError):
        path.mkdir(mode=0o700)
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if (
        not stat.S_ISDIR(st.st_mode)
        or (hasattr(os, "getuid") and st.st_uid != os.getuid())
        or st.st_mode & 0o077
    ):
        return None  # someone else's, or open to others: build in memory instead
    return path


def cache_root() -> Path | None:
    """Where the store lives; None when there is no safe place (then it is built in memory)."""
    explicit = os.environ.get("DUTY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    try:
        if sys.platform == "win32":
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Caches"
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except (RuntimeError, KeyError):  # no home directory (some service accounts)
        temp = _private_temp_root()
        return temp / "dutycli" if temp is not None else None
    return base / "dutycli"


def store_path(target: str | Path, root: Path) -> Path:
    key = digest(_target_key(target).encode("utf-8", "surrogateescape"))[:20]
    return root / f"store-{key}-L{LAYOUT}-v{__version__}-{_TAG}.sqlite"


def _stamp_of(db: Path) -> str:
    st = os.stat(db)
    return f"{APP}\n{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}\n"


def _write_stamp(db: Path) -> None:
    stamp = db.with_name(db.name + ".stamp")
    tmp = stamp.with_name(f".{stamp.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(_stamp_of(db), encoding="utf-8")
        os.replace(tmp, stamp)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _uri(db: Path, mode: str) -> str:
    path = str(db).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{path}?mode={mode}"


def _target_key(target: str | Path) -> str:
    """The ``--data`` target as the store records it (and ``store_path`` hashes it)."""
    return os.path.abspath(str(target))


def schema_digest(conn: sqlite3.Connection) -> str:
    """A digest of every object the store's schema holds, as ``sqlite_master`` lists them."""
    return digest(repr(conn.execute(_SCHEMA).fetchall()).encode("utf-8", "surrogateescape"))


def _record_identity(conn: sqlite3.Connection, target: str | Path) -> None:
    """What the store is for, inside it: the target, and its schema as built."""
    conn.executemany(
        "INSERT OR REPLACE INTO meta VALUES (?, ?)",
        [("target", _target_key(target)), ("schema", schema_digest(conn))],
    )


def _open_trusted(db: Path, target: str | Path, mode: str = "ro") -> sqlite3.Connection | None:
    """The store at ``db`` if it is ours, built for ``target``, whole and unedited; else None.

    What the store holds decides: the program and layout that built it, the
    target it was built for and the digest of its schema, all in ``meta``.
    The stamp (the database file's own stat when the build finished) is
    compared first, as a cheap guard against edits in place by other programs.
    (A read-only connection needs no lock to be opened.)
    """
    try:
        # Like a list file: a regular file only (a FIFO would block, /dev/zero
        # never end), of bounded size; anything else is "no store" and rebuilt.
        stamp = read_bytes(db.with_name(db.name + ".stamp"))
        if len(stamp) > 4096 or stamp.decode("utf-8") != _stamp_of(db):
            return None
        conn = sqlite3.connect(_uri(db, mode), uri=True, timeout=BUSY_MS / 1000)
    except (OSError, ValueError, sqlite3.Error, DataError):
        return None
    try:
        meta = dict(
            conn.execute(
                "SELECT key, value FROM meta WHERE key IN ('app', 'layout', 'target', 'schema')"
            ).fetchall()
        )
        if (
            meta.get("app") == APP
            and meta.get("layout") == LAYOUT
            and meta.get("target") == _target_key(target)
            and meta.get("schema") == schema_digest(conn)
        ):
            return conn
    except sqlite3.OperationalError as e:
        conn.close()
        if _is_locked(e):
            raise _Locked from None
        return None
    except sqlite3.Error:
        pass
    conn.close()
    return None


class _Locked(Exception):
    """Another process holds a lock on the store past ``BUSY_MS``."""


def _is_locked(e: sqlite3.Error) -> bool:
    return "locked" in str(e) or "busy" in str(e)


def _locked(target: Path, files: list[SourceFile], tree: bytes) -> sqlite3.Connection:
    """The lists compiled in memory, with a line saying why (the store is locked)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(
            "duty: 清单的缓存正被另一个进程锁定（如数据库浏览器、备份或另一个 duty），"
            "这次在内存里编译清单来回答（较慢，结果相同）\n"
        )
        sys.stderr.flush()
    return _build(None, target, files, tree)


def _remove_stale_builds(db: Path) -> None:
    """Temporary stores of builds whose process is gone (killed during a first build)."""
    try:
        found = list(db.parent.glob(f".{db.name}.*.tmp"))
    except OSError:
        return
    for tmp in found:
        pid = tmp.name[len(db.name) + 2 :].split(".", 1)[0]
        if not pid.isdecimal() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                tmp.unlink()
        except (OSError, OverflowError):
            pass  # alive (another user's) or unknowable: leave it


# -- freshness -----------------------------------------------------------------
# ``records`` 'tree': for a file, ("file", key, stat); for a directory,
# ("dir", [(directory, (mtime_ns, ctime_ns, inode), names, stats), ...]) with
# the names of its list files and their (size, mtime_ns, ctime_ns, inode);
# 'dirs': the directories and their stamps alone.


def _refresh_tree(db: Path, target: Path, tree: bytes) -> None:
    """Record the stats of a store whose lists did not change (best effort)."""
    conn = _open_trusted(db, target, "rw")
    if conn is None:
        return
    conn.isolation_level = None
    try:
        conn.execute("BEGIN IMMEDIATE")
        record_tree(conn, tree)
        conn.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        return
    finally:
        conn.close()
    _write_stamp(db)


def _update(
    db: Path, target: Path, files: list[SourceFile], tree: bytes
) -> sqlite3.Connection | None:
    """Rebuild the changed lists in place, in one transaction; None if the store is unusable."""
    from dutycli.store.build import sync

    conn = _open_trusted(db, target, "rw")
    if conn is None:
        return None
    conn.isolation_level = None
    try:
        conn.execute("BEGIN IMMEDIATE")  # one writer; others wait, then find nothing to do
        sync(conn, files)
        record_tree(conn, tree)
        conn.execute("COMMIT")
    except DataError:
        conn.execute("ROLLBACK")
        conn.close()
        raise
    except (sqlite3.Error, OSError) as e:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        conn.close()
        if isinstance(e, sqlite3.OperationalError) and _is_locked(e):
            raise _Locked from None
        return None
    _write_stamp(db)
    return conn


def _settle_journal(db: Path) -> None:
    """Roll back the journal an update killed mid-way left beside ``db`` (best effort).

    Left there, it would be "hot" for the database renamed into place next: a
    read-only open refuses such a store, so every query would build it again
    (and a writable one would roll foreign pages into it). Opening the old
    database for writing and reading it lets SQLite roll the journal back and
    delete it; a journal a live writer holds is not hot and is left alone.
    """
    if not os.path.exists(f"{db}-journal"):
        return
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(_uri(db, "rw"), uri=True, timeout=BUSY_MS / 1000)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()


def _build(
    db: Path | None, target: Path, files: list[SourceFile], tree: bytes
) -> sqlite3.Connection:
    """A whole new store: in a temporary file renamed into place, or in memory."""
    from dutycli.store.build import create, sync

    tmp: Path | None = None
    conn: sqlite3.Connection | None = None
    if db is not None:
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_builds(db)
            tmp = db.with_name(f".{db.name}.{os.getpid()}.{id(files):x}.tmp")
            conn = sqlite3.connect(tmp)
        except (OSError, sqlite3.Error):
            tmp, conn = None, None
    if conn is None:
        conn = sqlite3.connect(":memory:")
    try:
        # Nothing to protect until the rename: no journal, no syncs.
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KIB}")
        conn.execute("BEGIN")
        create(conn, APP)
        _record_identity(conn, target)
        sync(conn, files)
        record_tree(conn, tree)
        conn.execute("COMMIT")
        if tmp is not None and db is not None:
            conn.execute("PRAGMA journal_mode=DELETE")
            _settle_journal(db)
            os.replace(tmp, db)
            _write_stamp(db)
    except BaseException as e:
        conn.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(e, (OSError, sqlite3.OperationalError)) and tmp is not None:
            # The disk filled up or went away: build in memory.
            return _build(None, target, files, tree)
        raise
    return conn


def open_library(data: str | Path | None, street: str | None = None) -> Library:
    """The lists ``--data`` names (a file or a directory; default the shipped list), fresh.

    ``street``: the query reads only that subdistrict's lists (``--street``), so
    only their files need to be as recorded (besides every directory).
    """
    target = resolve(data)
    root = cache_root()
    db = store_path(target, root) if root is not None else None
    locked = False
    try:
        conn = _open_trusted(db, target) if db is not None else None
    except _Locked:
        conn, locked = None, True
    if conn is not None:
        try:
            fresh = is_fresh(conn, street)
        except sqlite3.OperationalError as e:
            fresh, locked = False, _is_locked(e)
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            fresh = False
        if fresh:
            return Library(conn, str(target))
    if db is not None:
        _remove_stale_builds(db)  # not only before a build: a store may be there already
    listed_at = time.time_ns()
    files, dirs = list_tree(target)
    tree = tree_record(files, dirs, listed_at)
    if locked:
        if conn is not None:
            conn.close()
        return Library(_locked(target, files, tree), str(target))
    if conn is not None and db is not None:
        if same_files(conn, files):
            # Only a directory was touched (or changed too recently to trust):
            # the store answers; the new stats are recorded where it can be written.
            _refresh_tree(db, target, tree)
            return Library(conn, str(target))
        conn.close()
        try:
            conn = _update(db, target, files, tree)
        except _Locked:
            return Library(_locked(target, files, tree), str(target))
    if conn is None:
        conn = _build(db, target, files, tree)
    return Library(conn, str(target))
