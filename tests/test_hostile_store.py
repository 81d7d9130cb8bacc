"""A hostile or busy cache (issue 22, causes 7, 8 and 11): every query still answers, and right.

Each case first builds the store with a real run, then damages or locks the
cache the way another program (a DB browser, a backup, a hand edit, a kill -9)
could, and runs ``duty`` again under kernel limits (tests/bounded.py). The
answer must be the list's, whatever the cache holds.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from .bounded import assert_sound, run_bounded

QUERY = ["search", "低保"]
ANSWER = "6\t低保业务的新增、动态调整及低保金的追缴工作"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    first = run_bounded(QUERY, cache=cache)
    assert_sound(first, {0})
    return cache


def _store(cache: Path) -> Path:
    (db,) = (cache / "dutycli").glob("store-*.sqlite")
    return db


def _answers(cache: Path) -> str:
    run = run_bounded(QUERY, cache=cache)
    assert_sound(run, {0})
    assert run.stdout.startswith(ANSWER), run.stdout[:300]
    return run.stderr


@pytest.fixture
def exclusive(cache: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(_store(cache), isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def test_a_lock_held_elsewhere_gives_an_answer_and_says_why(
    cache: Path, exclusive: sqlite3.Connection
) -> None:
    # The lock was waited for 120 s; now about a second, then the lists are compiled in memory.
    assert "正被另一个进程锁定" in _answers(cache)


def test_an_update_under_a_read_lock_answers(cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "list.yaml"
    data.write_text(
        (Path(__file__).parent.parent / "data" / "items.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    first = run_bounded(["--data", str(data), *QUERY], cache=cache)
    assert_sound(first, {0})
    db = next(
        p for p in (cache / "dutycli").glob("store-*.sqlite") if p != _store_of_default(cache)
    )
    data.write_text(
        data.read_text(encoding="utf-8").replace("低保业务的新增", "低保业务之新增"), "utf-8"
    )
    reader = sqlite3.connect(db, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM items").fetchone()  # a shared lock, held
    try:
        run = run_bounded(["--data", str(data), *QUERY], cache=cache)
    finally:
        reader.execute("ROLLBACK")
        reader.close()
    assert_sound(run, {0})
    assert "低保业务之新增" in run.stdout
    # Waited for 120 s before; now about a second, and the answer says why it is slower.
    assert "正被另一个进程锁定" in run.stderr


def _other_store(cache: Path) -> Path:
    """The store of the one other target the test queried besides the shipped list."""
    default = _store_of_default(cache)
    return next(p for p in (cache / "dutycli").glob("store-*.sqlite") if p != default)


def _store_of_default(cache: Path) -> Path:
    from dutycli.lists.source import resolve
    from dutycli.store import store_path

    return store_path(resolve(None), cache / "dutycli")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_a_stamp_that_is_not_a_file_is_no_stamp(cache: Path, kind: str) -> None:
    stamp = _store(cache).with_name(_store(cache).name + ".stamp")
    stamp.unlink()
    if kind == "fifo":
        os.mkfifo(stamp)  # was read forever
    elif kind == "dev-zero":
        stamp.symlink_to("/dev/zero")  # was read until memory ran out
    else:
        stamp.mkdir()
    _answers(cache)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_text_layer_parts_that_are_not_files_are_rebuilt(cache: Path, kind: str) -> None:
    parts = [p for p in (cache / "dutycli" / "text").rglob("*") if p.is_file()]
    assert parts
    for part in parts:
        part.unlink()
        if kind == "fifo":
            os.mkfifo(part)
        else:
            part.symlink_to("/dev/zero")
    _answers(cache)


def _hand_stamp(db: Path) -> None:
    """Rewrite the stamp so that it matches the database as it is now (a hand edit)."""
    from dutycli.store import APP

    st = os.stat(db)
    stamp = db.with_name(db.name + ".stamp")
    stamp.write_text(
        f"{APP}\n{st.st_ino} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}\n", encoding="utf-8"
    )


# Tables every query reads, tables only some read (departments, pinyin,
# homophones), a full-text index's own storage, and an index.
@pytest.mark.parametrize(
    "drop",
    [
        "TABLE lines",
        "TABLE items",
        "TABLE fts",
        "TABLE dept_names",
        "TABLE name_fts",
        "TABLE readings",
        "TABLE fts_data",
        "INDEX items_id",
    ],
)
def test_a_hand_edited_stamp_does_not_make_a_damaged_store_trusted(cache: Path, drop: str) -> None:
    db = _store(cache)
    conn = sqlite3.connect(db)
    conn.execute(f"DROP {drop}")
    conn.commit()
    conn.close()
    _hand_stamp(db)
    _answers(cache)
    for args in (["by-dept", "民政"], ["search", "dibao"], ["show", "6"]):
        run = run_bounded(args, cache=cache)
        assert_sound(run, {0})
        assert "低保业务的新增" in run.stdout, (args, run.stdout[:300])


def test_a_store_built_for_other_lists_is_not_trusted(cache: Path, tmp_path: Path) -> None:
    """Another target's store put in place of this one's, with a stamp that matches it."""
    other = tmp_path / "other.yaml"
    source = Path(__file__).parent.parent / "data" / "items.yaml"
    other.write_text(
        source.read_text(encoding="utf-8").replace("低保业务的新增", "别的清单的新增"), "utf-8"
    )
    first = run_bounded(["--data", str(other), *QUERY], cache=cache)
    assert_sound(first, {0})
    mine = _store_of_default(cache)
    theirs = next(p for p in (cache / "dutycli").glob("store-*.sqlite") if p != mine)
    os.replace(theirs, mine)
    _hand_stamp(mine)
    _answers(cache)
    # And the other list's own store is built again, not taken from the default's.
    run = run_bounded(["--data", str(other), *QUERY], cache=cache)
    assert_sound(run, {0})
    assert "别的清单的新增" in run.stdout and "低保业务的新增" not in run.stdout


def test_a_store_of_an_older_copy_of_the_lists_is_not_trusted(cache: Path, tmp_path: Path) -> None:
    """The store of a list as it was, put back with a stamp that matches: the list changed since."""
    data = tmp_path / "list.yaml"
    source = Path(__file__).parent.parent / "data" / "items.yaml"
    data.write_text(source.read_text(encoding="utf-8"), "utf-8")
    assert_sound(run_bounded(["--data", str(data), *QUERY], cache=cache), {0})
    db = next(
        p for p in (cache / "dutycli").glob("store-*.sqlite") if p != _store_of_default(cache)
    )
    saved = db.read_bytes()
    text = data.read_text(encoding="utf-8").replace("低保业务的新增", "低保业务之新增")
    data.write_text(text, "utf-8")
    assert_sound(run_bounded(["--data", str(data), *QUERY], cache=cache), {0})
    db.write_bytes(saved)  # the old store back, from a backup
    _hand_stamp(db)
    run = run_bounded(["--data", str(data), *QUERY], cache=cache)
    assert_sound(run, {0})
    assert "低保业务之新增" in run.stdout and "低保业务的新增" not in run.stdout


def test_temporary_stores_of_a_killed_build_are_removed(cache: Path) -> None:
    db = _store(cache)
    # A build killed with -9 left its temporary file; that process is gone.
    stale = db.with_name(f".{db.name}.4194999.7f00.tmp")
    stale.write_bytes(b"SQLite format 3\0" + b"\0" * 4096)
    alive = db.with_name(f".{db.name}.{os.getpid()}.7f00.tmp")  # a build still running
    alive.write_bytes(b"")
    db.unlink()  # the next run builds again
    _answers(cache)
    assert not stale.exists() and alive.exists()


_WRITER = """
import os, sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")  # pages spill: the journal and the database are written
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE items SET name = name || '改'")
print(os.path.exists(sys.argv[1] + "-journal"), flush=True)
time.sleep(600)
"""


def test_an_update_killed_mid_way_is_rolled_back_once(cache: Path) -> None:
    """kill -9 during an update leaves a hot journal: one rebuild, then the store is trusted
    again (a journal left beside the new store made every later query rebuild it)."""
    import subprocess
    import sys

    db = _store(cache)
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(db)], stdout=subprocess.PIPE)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == b"True"
    finally:
        writer.kill()  # SIGKILL: no rollback, no clean-up
        writer.wait()
    assert Path(f"{db}-journal").exists()
    _answers(cache)
    assert not Path(f"{db}-journal").exists()
    built = os.stat(db)
    _answers(cache)
    again = os.stat(db)
    assert (again.st_ino, again.st_mtime_ns) == (built.st_ino, built.st_mtime_ns), "rebuilt again"


def test_temporary_stores_are_removed_when_the_store_is_there(cache: Path, tmp_path: Path) -> None:
    """A killed first build while another finished: its file goes at the next change."""
    data = tmp_path / "list.yaml"
    data.write_text(
        (Path(__file__).parent.parent / "data" / "items.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert_sound(run_bounded(["--data", str(data), *QUERY], cache=cache), {0})
    db = _other_store(cache)
    stale = db.with_name(f".{db.name}.4194999.7f00.tmp")
    stale.write_bytes(b"SQLite format 3\0" + b"\0" * 4096)
    os.utime(data)  # touched: the query looks at the library again, the store stays
    run = run_bounded(["--data", str(data), *QUERY], cache=cache)
    assert_sound(run, {0})
    assert not stale.exists() and db.exists()
