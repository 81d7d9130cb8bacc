"""Freshness without reading the lists: every change a warm query must notice, and what it reads.

A warm query stats the library's directories and the files it answers from
(every file, or with --street only that street's); these tests change files
in the ways that stat alone can betray and check that the next query that
reads the list sees the change.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dutycli.lists.source import list_tree
from dutycli.store import Library, freshness, open_library

from .conftest import DATA, EXAMPLES, Duty

LIBRARY = EXAMPLES / "lists" / "library"
FUQIANG = Path("富强路街道") / "配合.yaml"


# These tests look at the store's files: each gets a cache of its own.
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "library"
    shutil.copytree(LIBRARY, target)
    # Directories are trusted as soon as they are listed, as a library that has
    # not changed for a while is: the stat comparison alone must catch each change.
    monkeypatch.setattr(freshness, "RACY_NS", 0)
    return target


def names(duty: Duty, *argv: str) -> list[tuple[str, int, str]]:
    result = duty(*argv, "-o", "json")
    assert result.exit_code in (0, 1), result.output
    records = json.loads(result.stdout or "[]")
    return [(r.get("list", {}).get("subdistrict", ""), r["id"], r["name"]) for r in records]


def edit_keeping_stat(path: Path, old: str, new: str) -> None:
    """Rewrite ``path`` in place, same size, and set its mtime back: only ctime tells."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with open(path, "r+b") as f:  # in place: same inode
        f.write(text.replace(old, new).encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def test_an_edit_with_size_and_mtime_kept_is_noticed(library: Path, duty: Duty) -> None:
    data = ["--data", str(library)]
    assert ("富强路街道", 1, "低保家庭的入户核查工作") in names(duty, *data, "search", "低保")
    edit_keeping_stat(library / FUQIANG, "低保家庭的入户核查工作", "低保家庭的入户复查工作")
    found = names(duty, *data, "search", "低保")
    assert ("富强路街道", 1, "低保家庭的入户复查工作") in found
    assert ("富强路街道", 1, "低保家庭的入户核查工作") not in found


def test_an_edit_of_a_single_file_with_size_and_mtime_kept_is_noticed(
    tmp_path: Path, duty: Duty
) -> None:
    data = tmp_path / "items.yaml"
    shutil.copy(DATA, data)
    [before] = names(duty, "--data", str(data), "show", "17")
    edit_keeping_stat(data, "流浪乞讨人员救助管理工作", "流浪乞讨人员救助服务工作")
    assert duty("--data", str(data), "show", "17").stdout.startswith(
        "第17项：流浪乞讨人员救助服务工作"
    )
    assert before[2] == "流浪乞讨人员救助管理工作"


def test_a_file_added_to_a_subdirectory_is_seen(library: Path, duty: Duty) -> None:
    data = ["--data", str(library)]
    assert duty(*data, "show", "17", "-s", "富强路").exit_code == 0
    assert duty(*data, "lists").exit_code == 0
    folder = library / "富强路街道"
    text = (folder / "配合.yaml").read_text(encoding="utf-8")
    basic = text.replace("kind: 配合履职事项", "kind: 基本履职事项").replace(
        "title: 富强路街道配合履职事项清单", "title: 富强路街道基本履职事项清单"
    )
    (folder / "基本.yaml").write_text(basic, encoding="utf-8")
    # Seen by a query scoped to that street (its directory changed)...
    result = duty(*data, "show", "17", "-s", "富强路")
    assert result.exit_code == 2 and "2 份清单" in result.stderr
    # ...and by the whole library.
    kinds = [r["kind"] for r in json.loads(duty(*data, "lists", "-o", "json").stdout)]
    assert sorted(kinds) == ["基本", "基本", "收回", "配合", "配合"]


def test_a_new_subdistrict_in_a_new_directory_is_seen_by_a_scoped_query(
    library: Path, duty: Duty
) -> None:
    data = ["--data", str(library)]
    assert duty(*data, "lists").exit_code == 0
    folder = library / "new" / "deeper"
    folder.mkdir(parents=True)
    text = (library / FUQIANG).read_text(encoding="utf-8").replace("富强路街道", "幸福路街道")
    (folder / "配合.yaml").write_text(text, encoding="utf-8")
    # (one list selected: its records carry no list field)
    assert names(duty, *data, "show", "1", "-s", "幸福路") == [("", 1, "低保家庭的入户核查工作")]
    assert "幸福路街道" in {s for s, _, _ in names(duty, *data, "search", "入户核查")}


def test_a_removed_file_is_gone(library: Path, duty: Duty) -> None:
    data = ["--data", str(library)]
    assert {s for s, _, _ in names(duty, *data, "search", "低保")} == {"青山路街道", "富强路街道"}
    (library / FUQIANG).unlink()
    assert {s for s, _, _ in names(duty, *data, "search", "低保")} == {"青山路街道"}
    result = duty(*data, "show", "1", "-s", "富强路")
    assert result.exit_code == 2 and "没有街道“富强路”" in result.stderr


def test_a_scoped_query_after_another_streets_file_was_edited(library: Path, duty: Duty) -> None:
    data = ["--data", str(library)]
    assert names(duty, *data, "show", "1", "-s", "富强路")[0][2] == "低保家庭的入户核查工作"
    edit_keeping_stat(library / FUQIANG, "低保家庭的入户核查工作", "低保家庭的入户复查工作")
    # A query about the other street answers from its own, unchanged lists...
    other = names(duty, *data, "search", "低保", "-s", "青山路")
    assert other and {s for s, _, _ in other} == {"青山路街道"}
    # ...and every query that reads the edited list sees the edit.
    assert names(duty, *data, "show", "1", "-s", "富强路")[0][2] == "低保家庭的入户复查工作"
    edit_keeping_stat(library / FUQIANG, "低保家庭的入户复查工作", "低保家庭的入户抽查工作")
    assert names(duty, *data, "show", "6", "-s", "青山路", "--kind", "配合")
    found = names(duty, *data, "search", "低保")
    assert ("富强路街道", 1, "低保家庭的入户抽查工作") in found


def test_a_scoped_query_notices_an_edit_of_its_own_street(library: Path, duty: Duty) -> None:
    data = ["--data", str(library)]
    check = ["check", "-s", "富强路", "低保家庭的入户核查工作"]
    assert duty(*data, *check).exit_code == 0
    edit_keeping_stat(library / FUQIANG, "低保家庭的入户核查工作", "困难家庭的入户核查工作")
    verdict = json.loads(duty(*data, *check, "-o", "json").stdout)
    assert verdict["matches"] and "低保家庭的入户核查工作" not in {
        m["name"] for m in verdict["matches"]
    }


def test_a_replaced_file_is_noticed(library: Path, duty: Duty) -> None:
    """Saved the way editors do (a new file renamed over the old): new inode, directory changed."""
    data = ["--data", str(library)]
    assert names(duty, *data, "show", "1", "-s", "富强路")[0][2] == "低保家庭的入户核查工作"
    path = library / FUQIANG
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("入户核查", "入户复查")
    tmp = path.with_name(".配合.yaml.swp")
    tmp.write_text(text, encoding="utf-8")
    os.utime(tmp, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(tmp, path)
    assert names(duty, *data, "show", "1", "-s", "富强路")[0][2] == "低保家庭的入户复查工作"


def test_a_directory_changed_just_before_it_was_listed_is_listed_again(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within one tick of the clock a second change leaves mtime and ctime as they were."""
    monkeypatch.setattr(freshness, "RACY_NS", 2_000_000_000)
    files, dirs = list_tree(library)
    changed = [max(d.mtime_ns, d.ctime_ns) for d in dirs]
    settled = freshness.tree_record(files, dirs, max(changed) + freshness.RACY_NS)
    assert _stamps(settled) == [(d.mtime_ns, d.ctime_ns, d.inode) for d in dirs]
    listed_at = max(changed) + 1  # listed just after the last change
    racy = _stamps(freshness.tree_record(files, dirs, listed_at))
    for d, when, stamp in zip(dirs, changed, racy, strict=True):
        if listed_at - when < freshness.RACY_NS:
            assert stamp == (-1, -1, -1)  # never matches: listed again by the next query
        else:
            assert stamp == (d.mtime_ns, d.ctime_ns, d.inode)
    assert (-1, -1, -1) in racy


def _stamps(record: bytes) -> list[tuple[int, int, int]]:
    import marshal

    kind, entries = marshal.loads(record)
    assert kind == "dir"
    return [stamp for _, stamp, _, _ in entries]


def test_a_warm_scoped_query_stats_only_its_streets_files(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_library(library)
    statted: list[str] = []
    real = os.stat

    def spy(path: object, *args: object, **kwargs: object) -> os.stat_result:
        statted.append(os.fsdecode(path) if isinstance(path, (str, bytes)) else str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", spy)
    lib = open_library(library, "富强路")
    lib.select("富强路")
    assert [ref.subdistrict for ref in lib.selected] == ["富强路街道"]
    listed = [p for p in statted if p.endswith(".yaml")]
    assert listed == [str(library / FUQIANG)]


def test_a_list_rebuilt_with_its_names_unchanged_needs_no_pinyin_conversion(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dutycli.store import build

    def pinyin_of(lib: Library) -> list[tuple[str, str]]:
        return sorted(lib.conn.execute("SELECT name, syllables FROM items"))

    open_library(library)
    converted: list[str] = []
    real = build.Pinyin._convert

    def spy(self: build.Pinyin, text: str) -> list[str]:
        converted.append(text)
        return real(self, text)

    monkeypatch.setattr(build.Pinyin, "_convert", spy)
    path = library / FUQIANG
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "对申请低保的家庭入户核查。", "对申请家庭入户核查。"
        ),
        encoding="utf-8",
    )
    rebuilt = pinyin_of(open_library(library))
    assert converted == []
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "低保家庭的入户核查工作", "重点家庭的入户核查工作"
        ),
        encoding="utf-8",
    )
    renamed = pinyin_of(open_library(library))
    assert converted == ["重点家庭的入户核查工作"]
    # The same syllables as a build from nothing.
    monkeypatch.setenv("DUTY_CACHE_DIR", str(tmp_path / "fresh"))
    assert renamed == pinyin_of(open_library(library))
    assert (
        "重点家庭的入户核查工作",
        "\t".join(["zhong", "dian", "jia", "ting", "de", "ru", "hu", "he", "cha", "gong", "zuo"]),
    ) in renamed
    assert len(rebuilt) == len(renamed)
