"""A large selection (a province's lists at once): search ranks one word's hits from the index.

Past ``LARGE`` items, the candidates shown for a word are picked in the
index's order — items whose name holds the word first, shortest name first,
then the other items holding it, each in store order — and scored and sorted
by the per-list formula. The tests lower ``LARGE`` to run this on a small
library and check the pick against the documented rule, worked out here from
the decoded items.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dutycli.query.search import search
from dutycli.store import open_library, search_support
from dutycli.store.library import Library

from .conftest import DATA, EXAMPLES

LIBRARY = EXAMPLES / "lists" / "library"
WORDS = [
    "低保",
    "残疾人",
    "救助",
    "消防",
    "工作",
    "街道",
    "入户核查",
    "民政",
    "督促",
    "管理",
    "物业",
]


# These tests look at the store's files: each gets a cache of its own.
pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    target = tmp_path / "library"
    shutil.copytree(LIBRARY, target)
    shutil.copy(DATA, target / "real.yaml")
    return open_library(target)


def expected_pick(lib: Library, word: str, limit: int, fields: set[int] | None) -> list[int]:
    """The documented rule, from the items themselves rather than the index."""
    rowids = lib.rows()
    names, others = [], []
    for rowid, (item, _) in zip(rowids, lib.decode(rowids), strict=True):
        texts = [
            *(b.heading or "" for b in item.upper_duties),
            *(s for b in item.upper_duties for s in b.steps),
        ]
        by_field = {
            0: [item.name],
            1: texts,
            2: list(item.guarantees),
            3: [
                *(s.heading or "" for s in item.street_duties),
                *(s for sec in item.street_duties for s in sec.steps),
            ],
        }
        chosen = by_field if fields is None else {f: by_field[f] for f in fields}
        if word in item.name and 0 in chosen:
            names.append((len(item.name.encode("utf-8")), rowid))
        elif any(word in t for f, ts in chosen.items() if f != 0 for t in ts):
            others.append(rowid)
    return ([r for _, r in sorted(names)] + sorted(others))[:limit]


@pytest.mark.parametrize("limit", [1, 3, 20, 1000])
@pytest.mark.parametrize("fields", [None, {0}, {1, 3}])
def test_a_large_selection_shows_the_items_the_index_picks(
    lib: Library, monkeypatch: pytest.MonkeyPatch, limit: int, fields: set[int] | None
) -> None:
    monkeypatch.setattr(search_support, "LARGE", 0)
    assert lib.large()
    shown = 0
    for word in WORDS:
        found = search(lib, [word], fields, limit)
        pick = expected_pick(lib, word, limit, fields)
        got = [(f.source.path if f.source else "", f.item.id) for f in found]
        assert set(got) == {(ref.path, item.id) for item, ref in lib.decode(pick)}, word
        assert len(got) == len(pick)
        # Each shown item scores as in a search of every hit, and they come best first.
        full = {
            (f.source.path if f.source else "", f.item.id): f.score
            for f in search(lib, [word], fields, None)
        }
        assert [f.score for f in found] == [full[key] for key in got]
        assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)
        shown += len(found)
    assert shown > 0


def test_when_every_hit_fits_the_limit_the_order_is_the_formulas(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_support, "LARGE", 0)
    for word in WORDS:
        everything = search(lib, [word], None, None)
        assert everything, word
        assert search(lib, [word], None, len(everything)) == everything, word


def test_a_large_selection_gets_no_query_layer(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words are taken as typed: 电瓶车 is not read as 电动自行车 across a province."""
    small = search(lib, ["电瓶车"], None, 20)
    assert any(m.via == "synonym" for f in small for m in f.matched)
    monkeypatch.setattr(search_support, "LARGE", 0)
    lib.select()  # a new selection: its layer is looked up again
    large = search(lib, ["电瓶车"], None, 20)
    assert not any(m.via == "synonym" for f in large for m in f.matched)


def test_the_name_index_follows_a_rebuilt_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "library"
    shutil.copytree(LIBRARY, target)
    monkeypatch.setattr(search_support, "LARGE", 0)

    def found(word: str) -> set[tuple[str, int]]:
        lib = open_library(target)
        return {(f.item.name, f.item.id) for f in search(lib, [word], {0}, 20)}

    assert ("低保家庭的入户核查工作", 1) in found("入户核查")
    path = target / "富强路街道" / "配合.yaml"
    text = path.read_text(encoding="utf-8").replace("低保家庭的入户核查工作", "低保家庭入户复查")
    path.write_text(text, encoding="utf-8")
    assert ("低保家庭的入户核查工作", 1) not in found("入户核查")
    assert found("入户复查") == {("低保家庭入户复查", 1)}
    # Shorter now than the other names holding 低保: it comes first.
    lib = open_library(target)
    assert search(lib, ["低保"], {0}, 1)[0].item.name == "低保家庭入户复查"
