"""Schema 2: the three kinds of list, their fields, and schema 1 read as a 配合 list."""

from __future__ import annotations

from pathlib import Path

from dutycli.lists.load import load, parse
from dutycli.lists.model import BASIC, COOP, TAKEN_BACK, kind_of
from dutycli.lists.serialize import dump_yaml

from .conftest import DATA, EXAMPLES

LIBRARY = EXAMPLES / "lists" / "library"


def test_each_kind_loads_with_its_fields() -> None:
    basic = load(LIBRARY / "青山路街道" / "基本.yaml")
    assert basic.info.kind == BASIC and basic.schema == 2
    assert (basic.info.district, basic.info.city, basic.info.version) == (
        "青山区",
        "包头市",
        "2025-03",
    )
    first = basic.by_id[1]
    assert first.basis == "《中国共产党支部工作条例（试行）》"
    assert basic.by_id[2].departments == () and basic.by_id[2].upper_duties == ()
    taken = load(LIBRARY / "青山路街道" / "收回.yaml")
    assert taken.info.kind == TAKEN_BACK and taken.categories == ()
    item = taken.by_id[1]
    assert item.departments == ("青山区城市管理综合执法局",) and item.category == ""
    assert item.method and item.method.startswith("由区城市管理综合执法局")


def test_schema_1_is_a_coop_list_and_is_written_back_as_schema_1() -> None:
    dl = load(DATA)
    assert dl.schema == 1 and kind_of(dl.info.kind) == COOP
    assert dump_yaml(dl).splitlines()[2] == "schema: 1"


def test_schema_2_lists_round_trip(tmp_path: Path) -> None:
    for path in sorted(LIBRARY.rglob("*.yaml")):
        dl = load(path)
        text = dump_yaml(dl)
        again = parse(text, str(path))
        assert again == dl, path
        needs_2 = dl.info.kind != COOP or dl.info.district is not None
        assert ("schema: 2" in text) == needs_2
