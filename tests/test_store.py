"""The store: incremental rebuilds, what it trusts, and what --data may name."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dutycli.errors import DataError
from dutycli.lists.source import LIST_MAX_BYTES
from dutycli.store import cache_root, open_library, store_path

from .conftest import DATA, EXAMPLES, Duty

LIBRARY = EXAMPLES / "lists" / "library"


# These tests look at the store's files: each gets a cache of its own.
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    target = tmp_path / "library"
    shutil.copytree(LIBRARY, target)
    return target


def list_ids(target: Path) -> dict[str, int]:
    lib = open_library(target)
    return {os.path.relpath(ref.path, target): ref.id for ref in lib.lists}


def test_one_changed_file_rebuilds_only_its_list(library: Path) -> None:
    before = list_ids(library)
    assert len(before) == 4
    changed = library / "富强路街道" / "配合.yaml"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("孕产妇健康管理工作", "孕产妇健康随访工作"),
        encoding="utf-8",
    )
    after = list_ids(library)
    rebuilt = {name for name in before if after[name] != before[name]}
    assert rebuilt == {os.path.join("富强路街道", "配合.yaml")}
    lib = open_library(library)
    lib.select("富强路街道")
    [(item, _)] = lib.decode([rowid for rowid, _ in lib.find_ids([17])[17]])
    assert item.name == "孕产妇健康随访工作"


def test_a_touched_file_is_hashed_not_rebuilt(library: Path) -> None:
    before = list_ids(library)
    touched = library / "青山路街道" / "基本.yaml"
    os.utime(touched, ns=(1, 1))
    assert list_ids(library) == before


def test_a_warm_query_reads_no_list_file(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    list_ids(library)
    read: list[str] = []

    def spy(path: str) -> bytes:
        read.append(str(path))
        return Path(path).read_bytes()

    monkeypatch.setattr("dutycli.store.build.read_bytes", spy)
    list_ids(library)
    assert read == []
    touched = library / "青山路街道" / "收回.yaml"
    os.utime(touched, ns=(2, 2))
    list_ids(library)
    assert read == [str(touched)]


def test_added_and_removed_files(library: Path, duty: Duty) -> None:
    list_ids(library)
    (library / "青山路街道" / "收回.yaml").unlink()
    shutil.copy(DATA, library / "real.yaml")
    names = {os.path.relpath(ref.path, library) for ref in open_library(library).lists}
    assert "real.yaml" in names and os.path.join("青山路街道", "收回.yaml") not in names
    result = duty("--data", str(library), "check", "-s", "青山路", "查处占道经营和流动摊贩违法行为")
    assert "已收回" not in result.stdout


def test_an_invalid_list_in_a_library_is_reported_and_nothing_answers(
    library: Path, duty: Duty
) -> None:
    assert duty("--data", str(library), "lists").exit_code == 0
    bad = library / "富强路街道" / "配合.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("- id: 17", "- id: 1"), "utf-8")
    result = duty("--data", str(library), "search", "低保")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{bad}:" in result.stderr and "编号 1 重复" in result.stderr


def test_a_store_copied_from_another_list_never_answers(tmp_path: Path, duty: Duty) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(DATA, a)
    b.write_text(
        DATA.read_text(encoding="utf-8").replace("流浪乞讨人员救助管理工作", "乙清单的第十七项"),
        encoding="utf-8",
    )
    expected = {p: duty("--data", str(p), "show", "17", "-o", "json").stdout for p in (a, b)}
    root = cache_root()
    assert root is not None
    store_a, store_b = store_path(a, root), store_path(b, root)
    for with_stamp in (False, True):
        shutil.copy(store_b, store_a)
        if with_stamp:
            shutil.copy(f"{store_b}.stamp", f"{store_a}.stamp")
        assert duty("--data", str(a), "show", "17", "-o", "json").stdout == expected[a]
        assert duty("--data", str(b), "show", "17", "-o", "json").stdout == expected[b]


def test_a_foreign_database_is_rebuilt(tmp_path: Path, duty: Duty) -> None:
    data = tmp_path / "items.yaml"
    shutil.copy(DATA, data)
    expected = duty("--data", str(data), "search", "低保", "-o", "json").stdout
    root = cache_root()
    assert root is not None
    db = store_path(data, root)
    db.unlink()
    conn = sqlite3.connect(db)  # some other program's database under our name
    conn.execute("CREATE TABLE meta(key, value)")
    conn.execute("INSERT INTO meta VALUES ('app', 'something else')")
    conn.commit()
    conn.close()
    Path(f"{db}.stamp").unlink()
    assert duty("--data", str(data), "search", "低保", "-o", "json").stdout == expected


def test_concurrent_first_builds_of_a_library_agree(library: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DUTY_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "dutycli", "--data", str(library), "search", "低保", "-o", "json"]
    procs = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e.decode() for _, e in outs]
    results = [json.loads(out) for out, _ in outs]
    assert results[0] and all(r == results[0] for r in results)
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_no_home_uses_a_private_temp_directory_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, duty: Duty
) -> None:
    import tempfile

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("no home directory")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    uid = os.getuid()
    private = tmp_path / f"dutycli-{uid}"
    assert cache_root() == private / "dutycli"
    assert private.stat().st_mode & 0o777 == 0o700
    expected = duty("search", "低保").stdout
    assert expected and list(private.rglob("*.sqlite"))
    # Someone made the directory open to others (or a link elsewhere): not used.
    shutil.rmtree(private)
    private.mkdir(mode=0o777)
    private.chmod(0o777)
    assert cache_root() is None
    assert duty("search", "低保").stdout == expected
    assert not list(private.rglob("*"))
    private.rmdir()
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    private.symlink_to(tmp_path / "elsewhere")
    assert cache_root() is None


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "list.yaml"
    os.mkfifo(fifo)
    for argv in (["--data", str(fifo), "list"], ["validate", str(fifo)]):
        proc = subprocess.run(
            [sys.executable, "-m", "dutycli", *argv], capture_output=True, text=True, timeout=30
        )
        assert proc.returncode == 2 and "命名管道" in proc.stderr, proc.stderr
    # ...also inside a library directory.
    proc = subprocess.run(
        [sys.executable, "-m", "dutycli", "--data", str(tmp_path), "lists"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2 and "命名管道" in proc.stderr


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused(duty: Duty, device: str) -> None:
    for argv in (["--data", device, "search", "低保"], ["validate", device]):
        result = duty(*argv)
        assert result.exit_code == 2 and "设备文件" in result.stderr


def test_a_socket_is_refused(tmp_path: Path, duty: Duty) -> None:
    path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        result = duty("--data", str(path), "list")
        assert result.exit_code == 2 and "套接字" in result.stderr
    finally:
        server.close()


def test_a_huge_file_is_refused(tmp_path: Path, duty: Duty) -> None:
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as f:
        f.truncate(LIST_MAX_BYTES + 1)  # sparse: no disk used
    for argv in (["--data", str(huge), "list"], ["validate", str(huge)]):
        result = duty(*argv)
        assert result.exit_code == 2 and "文件太大" in result.stderr
        assert "最多 4 MB" in result.stderr


def test_an_empty_directory_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="没有清单文件"):
        open_library(tmp_path)


def test_unit_separator_in_a_name_is_refused(tmp_path: Path, duty: Duty) -> None:
    data = tmp_path / "items.yaml"
    text = DATA.read_text(encoding="utf-8")
    data.write_text(
        text.replace("name: 流浪乞讨人员救助管理工作", 'name: "流浪乞讨\\x1f人员救助管理工作"', 1),
        encoding="utf-8",
    )
    # A control character is no list text (issue 22): refused with its place, never stored.
    for _ in range(2):
        r = duty("--data", str(data), "show", "17", "-o", "json")
        assert r.exit_code == 2 and r.stdout == ""
        assert "含有控制字符 U+001F" in r.stderr and f"{data}:" in r.stderr


def test_a_parallel_build_equals_a_serial_one(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large libraries are parsed in worker processes: same store, same errors."""
    from dutycli.store import build

    def snapshot(cache: str) -> list[object]:
        monkeypatch.setenv("DUTY_CACHE_DIR", str(tmp_path / cache))
        lib = open_library(library)
        return [
            (ref.title, ref.subdistrict, ref.kind, ref.items, ref.path, item)
            for item, ref in lib.decode(lib.rows())
        ]

    monkeypatch.setattr(build, "PARALLEL_FROM", 10**9)
    serial = snapshot("serial")
    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    assert snapshot("parallel") == serial
    bad = library / "富强路街道" / "配合.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("- id: 17", "- id: 1"), "utf-8")
    with pytest.raises(DataError, match="编号 1 重复"):
        snapshot("parallel-bad")


@pytest.mark.parametrize("spelling", ["{abs}", "{abs}/", "./library", "library/", "./library/./"])
def test_file_keys_are_absolute_however_the_directory_is_written(
    library: Path, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    from dutycli.lists.source import list_files

    monkeypatch.chdir(library.parent)
    files = list_files(spelling.format(abs=library))
    assert len(files) == 4
    assert [src.key for src in files] == [os.path.abspath(src.path) for src in files]


def test_the_lists_record_follows_every_change(library: Path) -> None:
    def table() -> list[tuple[object, ...]]:
        conn = open_library(library).conn
        return sorted(conn.execute("SELECT id, title, subdistrict, kind, count FROM lists"))

    def record() -> list[tuple[object, ...]]:
        lib = open_library(library)
        return sorted((r.id, r.title, r.subdistrict, r.kind, r.items) for r in lib.lists)

    assert record() == table()
    (library / "青山路街道" / "收回.yaml").unlink()
    shutil.copy(DATA, library / "real.yaml")
    changed = library / "富强路街道" / "配合.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("- id: 17\n", "- id: 99\n"))
    after = record()
    assert after == table() and len(after) == 4
    assert "上级部门收回事项" not in {kind for _, _, _, kind, _ in after}


def test_search_ranked_in_sql_equals_search_ranked_in_python(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutycli.query.search import search
    from dutycli.store.library import Library

    shutil.copy(DATA, library / "real.yaml")
    lib = open_library(library)
    texts = [t for (t,) in lib.conn.execute("SELECT text FROM lines WHERE text != ''")]
    # Every one-, two- and three-character piece of a sample of the texts.
    words = sorted({t[i : i + n] for t in texts[::7] for n in (1, 2, 3) for i in range(len(t))})
    words = [w for w in words if w.strip() == w and w]
    narrowed = 0
    for word in words[:: max(1, len(words) // 400)]:
        for limit, fields in ((1, None), (5, None), (20, None), (3, {0}), (3, {1, 3})):
            fast = search(lib, [word], fields, limit)
            narrowed += lib.exact_candidates(word, fields, limit) is not None
            with monkeypatch.context() as m:
                m.setattr(Library, "exact_candidates", lambda *_: None)
                slow = search(lib, [word], fields, limit)
            assert fast == slow, (word, limit, fields)
    assert narrowed > 1000  # the SQL ranking was used, not skipped
