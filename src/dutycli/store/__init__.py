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

The store is trusted only as the build left it: the stamp records the
database file's own inode, size, mtime and ctime, and ctime cannot be set back
by anyone. A database that was copied in from elsewhere, edited, truncated or
damaged no longer matches its stamp and is rebuilt before it answers. A first
build goes to a temporary file that is renamed into place, so concurrent first
runs each answer from a whole database of their own. Where the cache directory
cannot be written, the lists are compiled into memory: slower, never wrong.
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
from dutycli.lists.source import SourceFile, list_tree, resolve
from dutycli.store.freshness import is_fresh, record_tree, same_files, tree_record
from dutycli.store.library import Compiled, Library, ListRef
from dutycli.store.schema import LAYOUT, digest

__all__ = ["Compiled", "Library", "ListRef", "cache_root", "open_library", "store_path"]

_TAG = sys.implementation.cache_tag or "python"
APP = f"dutycli {__version__} {_TAG} layout {LAYOUT}"
BUSY_MS = 120_000  # a writer building a province-sized library holds the lock that long
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
    key = digest(os.path.abspath(str(target)).encode("utf-8", "surrogateescape"))[:20]
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


def _open_trusted(db: Path, mode: str = "ro") -> sqlite3.Connection | None:
    """The store at ``db`` if it is exactly as our last build left it, else None.

    (A read-only connection needs no lock to be opened: the stamp, compared
    with the file's own stat first, is what says the store is ours and whole.)
    """
    try:
        stamp = db.with_name(db.name + ".stamp").read_text(encoding="utf-8")
        if stamp != _stamp_of(db):
            return None
        conn = sqlite3.connect(_uri(db, mode), uri=True, timeout=BUSY_MS / 1000)
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('app', 'layout')").fetchall()
        )
        if meta.get("app") == APP and meta.get("layout") == LAYOUT:
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None


# -- freshness -----------------------------------------------------------------
# ``records`` 'tree': for a file, ("file", key, stat); for a directory,
# ("dir", [(directory, (mtime_ns, ctime_ns, inode), names, stats), ...]) with
# the names of its list files and their (size, mtime_ns, ctime_ns, inode);
# 'dirs': the directories and their stamps alone.


def _refresh_tree(db: Path, tree: bytes) -> None:
    """Record the stats of a store whose lists did not change (best effort)."""
    conn = _open_trusted(db, "rw")
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


def _update(db: Path, files: list[SourceFile], tree: bytes) -> sqlite3.Connection | None:
    """Rebuild the changed lists in place, in one transaction; None if the store is unusable."""
    from dutycli.store.build import sync

    conn = _open_trusted(db, "rw")
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
    except (sqlite3.Error, OSError):
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        conn.close()
        return None
    _write_stamp(db)
    return conn


def _build(db: Path | None, files: list[SourceFile], tree: bytes) -> sqlite3.Connection:
    """A whole new store: in a temporary file renamed into place, or in memory."""
    from dutycli.store.build import create, sync

    tmp: Path | None = None
    conn: sqlite3.Connection | None = None
    if db is not None:
        try:
            db.parent.mkdir(parents=True, exist_ok=True)
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
        sync(conn, files)
        record_tree(conn, tree)
        conn.execute("COMMIT")
        if tmp is not None and db is not None:
            conn.execute("PRAGMA journal_mode=DELETE")
            os.replace(tmp, db)
            _write_stamp(db)
    except BaseException as e:
        conn.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(e, (OSError, sqlite3.OperationalError)) and tmp is not None:
            return _build(None, files, tree)  # the disk filled up or went away: build in memory
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
    conn = _open_trusted(db) if db is not None else None
    if conn is not None:
        try:
            fresh = is_fresh(conn, street)
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            fresh = False
        if fresh:
            return Library(conn, str(target))
    listed_at = time.time_ns()
    files, dirs = list_tree(target)
    tree = tree_record(files, dirs, listed_at)
    if conn is not None and db is not None:
        if same_files(conn, files):
            # Only a directory was touched (or changed too recently to trust):
            # the store answers; the new stats are recorded where it can be written.
            _refresh_tree(db, tree)
            return Library(conn, str(target))
        conn.close()
        conn = _update(db, files, tree)
    if conn is None:
        conn = _build(db, files, tree)
    return Library(conn, str(target))
