"""Hostile libraries and paths (issue 22, causes 6 and 11): located messages, never internal errors.

A library (``--data DIR``) with a file name that is not UTF-8, a symlink loop,
or 1,100 nested directories; ``validate`` of a path too long for the system.
Each run is a real process under kernel limits (tests/bounded.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from .bounded import assert_sound, run_bounded
from .conftest import EXAMPLES

MINIMAL = (EXAMPLES / "good" / "minimal.yaml").read_bytes()


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    (lib / "a").mkdir(parents=True)
    (lib / "a" / "配合.yaml").write_bytes(MINIMAL)
    return lib


def test_a_name_that_is_not_utf8_is_named_by_query_and_validate(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    bad = os.fsencode(lib) + b"/\xff\xfe"
    os.mkdir(bad)
    with open(bad + b"/x.yaml", "wb") as f:
        f.write(MINIMAL)
    for args in (["--data", str(lib), "list"], ["validate", str(lib)]):
        run = run_bounded(args, cache=tmp_path / "cache")
        assert_sound(run, {2})  # validate called this library valid while queries failed
        assert "lib/\\xff\\xfe: 文件名不是 UTF-8 编码" in run.stderr, run.stderr


def test_a_symlink_loop_is_named_with_how_to_leave_it_out(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    (lib / "loop.yaml").symlink_to("loop.yaml")
    run = run_bounded(["--data", str(lib), "list"], cache=tmp_path / "cache")
    assert_sound(run, {2})
    assert f"{lib}/loop.yaml: 无法读取" in run.stderr, run.stderr
    assert "改名为以“.”开头" in run.stderr


def test_1100_nested_directories(tmp_path: Path) -> None:
    # Outside pytest's tmp_path, and removed here whatever happens: pytest's own
    # clean-up (shutil.rmtree) recurses too deep for it and would fail every later run.
    top = Path(tempfile.mkdtemp(prefix="dutycli-deep-"))
    try:
        lib = _library(top)
        fd = os.open(lib, os.O_RDONLY)
        try:
            for _ in range(1100):  # os.makedirs itself recurses too deep for this
                os.mkdir("d", dir_fd=fd)
                inner = os.open("d", os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = inner
            with os.fdopen(os.open("深.yaml", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "wb") as f:
                f.write(MINIMAL.replace("测试街道".encode(), "深处街道".encode()))
        finally:
            os.close(fd)
        run = run_bounded(["--data", str(lib), "lists"], cache=tmp_path / "cache")
        assert_sound(run, {0})
        assert "深处街道" in run.stdout and "测试街道" in run.stdout, run.stdout
    finally:
        remove_tree(top)
    assert not top.exists()


def remove_tree(top: Path) -> None:
    """Remove a directory tree of any depth, without recursion (shutil.rmtree recurses)."""
    stack = [str(top)]
    while stack:
        below = None
        with os.scandir(stack[-1]) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    below = entry.path
                    break
                os.unlink(entry.path)
        if below is not None:
            stack.append(below)
        else:
            os.rmdir(stack.pop())


def test_remove_tree_removes_every_kind_of_entry(tmp_path: Path) -> None:
    top = tmp_path / "t"
    (top / "a" / "b").mkdir(parents=True)
    (top / "a" / "f").write_text("x")
    (top / "a" / "b" / "g").write_text("y")
    (top / "link").symlink_to(tmp_path)  # a link to a directory is removed, not followed
    (tmp_path / "kept").write_text("z")
    remove_tree(top)
    assert not top.exists() and (tmp_path / "kept").exists()


def test_validate_of_a_path_too_long(tmp_path: Path) -> None:
    path = "/tmp/" + "x" * 5000 + ".yaml"
    run = run_bounded(["validate", path], cache=tmp_path / "cache")
    assert_sound(run, {2})
    assert "无法读取" in run.stderr


def test_two_lists_of_one_street_and_kind_are_named_not_mixed(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    (lib / "b").mkdir()
    (lib / "b" / "配合.yaml").write_bytes(MINIMAL.replace("低保业务".encode(), "低保事务".encode()))
    for args in (
        ["show", "1"],
        ["info"],
        ["export"],
        ["show", "1", "-s", "测试", "--kind", "配合"],
        ["check", "受理低保申请并入户调查"],
    ):
        run = run_bounded(["--data", str(lib), *args], cache=tmp_path / "cache")
        assert_sound(run, {2})
        assert "同一个街道的同一类清单" in run.stderr, (args, run.stderr)
        assert "a/配合.yaml" in run.stderr and "b/配合.yaml" in run.stderr
    # Commands over every list still answer, each row naming its list.
    run = run_bounded(["--data", str(lib), "search", "低保"], cache=tmp_path / "cache")
    assert_sound(run, {0})
    assert "低保业务" in run.stdout and "低保事务" in run.stdout


def test_equal_scores_come_out_in_one_order_whatever_was_rebuilt(tmp_path: Path) -> None:
    """Two streets' lists with the same items: ties are broken by list and item, not by
    which list the store rebuilt last (a cached answer with -n differed from a fresh one)."""
    from .conftest import DATA

    shipped = DATA.read_text(encoding="utf-8")
    lib = tmp_path / "lib"
    for street in ("甲", "乙"):
        (lib / street).mkdir(parents=True)
        text = shipped.replace("青山路街道", f"{street}路街道")
        (lib / street / "配合.yaml").write_text(text, encoding="utf-8")
    query = ["--data", str(lib), "search", "低保", "-n", "3"]
    first = run_bounded(query, cache=tmp_path / "cache")
    assert_sound(first, {0})
    # The first street's list changes elsewhere (its last item): rebuilt, it now comes
    # after the other in the store.
    changed = (lib / "甲" / "配合.yaml").read_text(encoding="utf-8")
    last = changed.rindex("  name: ")
    changed = changed[:last] + "  name: 改" + changed[last + len("  name: ") :]
    (lib / "甲" / "配合.yaml").write_text(changed, encoding="utf-8")
    warm = run_bounded(query, cache=tmp_path / "cache")
    fresh = run_bounded(query, cache=tmp_path / "fresh-cache")
    assert_sound(warm, {0})
    assert_sound(fresh, {0})
    assert warm.stdout == fresh.stdout == first.stdout, (first.stdout, warm.stdout, fresh.stdout)
    assert "甲路街道" in first.stdout and "乙路街道" in first.stdout, first.stdout


def test_validate_of_a_path_through_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    run = run_bounded(["validate", str(tmp_path / "loop" / "x.yaml")], cache=tmp_path / "cache")
    assert_sound(run, {2})
    assert "无法读取" in run.stderr, run.stderr


_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
_AS_ROOT = "root reads and searches every directory: the permission cannot be taken away"


@pytest.mark.skipif(_ROOT, reason=_AS_ROOT)
def test_validate_of_a_path_under_an_unsearchable_directory(tmp_path: Path) -> None:
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "x.yaml").write_bytes(MINIMAL)
    closed.chmod(0o600)  # readable, not searchable
    try:
        for args in (["validate", str(closed / "x.yaml")], ["--data", str(closed), "list"]):
            run = run_bounded(args, cache=tmp_path / "cache")
            assert_sound(run, {2})
            assert "无法读取" in run.stderr, run.stderr
    finally:
        closed.chmod(0o700)


@pytest.mark.skipif(_ROOT, reason=_AS_ROOT)
def test_an_unreadable_list_in_a_library_is_named(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    (lib / "b.yaml").write_bytes(MINIMAL)
    (lib / "b.yaml").chmod(0)
    run = run_bounded(["--data", str(lib), "list"], cache=tmp_path / "cache")
    assert_sound(run, {2})
    assert f"{lib}/b.yaml" in run.stderr and "改名为以“.”开头" in run.stderr, run.stderr
