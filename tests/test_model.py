"""The list's records without dataclasses: equal by content, immutable, replaced field by field."""

from __future__ import annotations

import pickle

import pytest

from dutycli.lists.load import load
from dutycli.lists.model import DutyList, replace

from .conftest import DATA

LIST = load(DATA)


def test_a_list_is_equal_by_content_not_by_where_it_was_read() -> None:
    moved = replace(LIST, path="/elsewhere/items.yaml")
    assert moved.path == "/elsewhere/items.yaml" and LIST.path != moved.path
    assert moved == LIST and hash(moved) == hash(LIST)
    assert len({LIST, moved}) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"items": LIST.items[1:]},
        {"categories": LIST.categories[:-1]},
        {"departments": LIST.departments[1:]},
        {"schema": 2},
        {"info": replace(LIST.info, title="另一份清单")},
    ],
    ids=lambda c: next(iter(c)),
)
def test_any_field_but_the_path_makes_another_list(changes: dict[str, object]) -> None:
    other = replace(LIST, **changes)
    assert other != LIST
    assert all(getattr(other, k) == v for k, v in changes.items())


def test_a_list_cannot_be_changed_in_place() -> None:
    with pytest.raises(AttributeError):
        LIST.items = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del LIST.path
    with pytest.raises(TypeError, match="itmes"):
        replace(LIST, itmes=())
    assert LIST.items[0] == LIST.by_id[LIST.items[0].id]


def test_records_are_replaced_field_by_field_and_survive_pickling() -> None:
    item = LIST.items[0]
    renamed = replace(item, name="新名称")
    assert renamed.name == "新名称" and renamed.id == item.id and item.name != "新名称"
    back = pickle.loads(pickle.dumps(LIST))
    assert isinstance(back, DutyList) and back == LIST and back.path == LIST.path
