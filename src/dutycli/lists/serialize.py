"""The list as plain data (the JSON contract) and as YAML text in the data file's schema.

``item_from_dict`` trusts its input: it serves the compiled cache, which only
ever holds what the validating loader produced.
"""

from __future__ import annotations

from typing import Any

from dutycli.lists.model import COOP, KINDS, Block, DutyList, Item, Section

# Optional fields of schema 2, written only where they have a value.
LIST_EXTRA = ("district", "city", "province", "version")
ITEM_EXTRA = ("basis", "method")


def item_to_dict(item: Item) -> dict[str, Any]:
    out = {
        "id": item.id,
        "name": item.name,
        "category": item.category,
        "departments": list(item.departments),
        "upper_duties": [
            {"departments": list(b.departments), "heading": b.heading, "steps": list(b.steps)}
            for b in item.upper_duties
        ],
        "guarantees": list(item.guarantees),
        "street_duties": [
            {"heading": s.heading, "steps": list(s.steps)} for s in item.street_duties
        ],
    }
    for key in ITEM_EXTRA:
        value = getattr(item, key)
        if value is not None:
            out[key] = value
    if item.extras:
        out["extras"] = dict(item.extras)
    return out


def schema_needed(dl: DutyList) -> int:
    """1 unless the list uses something of schema 2 (so schema 1 files re-import byte for byte)."""
    info = dl.info
    if (
        (info.kind in KINDS and info.kind != COOP)
        or any(getattr(info, k) is not None for k in LIST_EXTRA)
        or any(i.basis is not None or i.method is not None or i.extras for i in dl.items)
        or (dl.items and not dl.categories)
    ):
        return 2
    return 1


def to_dict(dl: DutyList) -> dict[str, Any]:
    info: dict[str, Any] = {
        "title": dl.info.title,
        "subdistrict": dl.info.subdistrict,
        "kind": dl.info.kind,
        "note": dl.info.note,
    }
    for key in LIST_EXTRA:
        value = getattr(dl.info, key)
        if value is not None:
            info[key] = value
    return {
        "schema": max(dl.schema, schema_needed(dl)),
        "list": info,
        "categories": list(dl.categories),
        "departments": [{"name": d.name, "aliases": list(d.aliases)} for d in dl.departments],
        "items": [item_to_dict(i) for i in dl.items],
    }


def item_from_dict(d: dict[str, Any]) -> Item:
    return Item(
        id=d["id"],
        name=d["name"],
        category=d["category"],
        departments=tuple(d["departments"]),
        upper_duties=tuple(
            Block(tuple(b["departments"]), b.get("heading"), tuple(b["steps"]))
            for b in d["upper_duties"]
        ),
        guarantees=tuple(d.get("guarantees") or ()),
        street_duties=tuple(
            Section(s.get("heading"), tuple(s["steps"])) for s in d["street_duties"]
        ),
        basis=d.get("basis"),
        method=d.get("method"),
        extras=tuple(d["extras"].items()) if "extras" in d else (),
    )


def subset(dl: DutyList, items: list[Item]) -> DutyList:
    """A valid list holding just ``items`` and the departments and categories they use."""
    used_depts = {name for i in items for name in i.departments}
    used_cats = {i.category for i in items}
    return DutyList(
        info=dl.info,
        categories=tuple(c for c in dl.categories if c in used_cats),
        departments=tuple(d for d in dl.departments if d.name in used_depts),
        items=tuple(items),
        schema=dl.schema,
    )


YAML_HEADER = (
    "# 配合履职事项清单的数据文件（schema 1）。字段说明见 README。\n"
    "# 由 `duty import` 从公布的表格生成；检查：`duty validate 本文件`。\n"
)


def dump_yaml(dl: DutyList, header: str | None = None) -> str:
    import yaml  # only the yaml export and the importer need it

    class _Flow(list[str]):
        pass

    # libyaml's emitter when PyYAML has it: the same text (tests/test_published.py
    # checks the shipped list byte for byte) at a sixth of the time, which is
    # most of `duty import` (0.28 s -> 0.05 s for the 67 items here).
    class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        # Sub-steps live on their own lines; a literal block keeps them readable.
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    _Dumper.add_representer(str, _str)
    _Dumper.add_representer(_Flow, _flow)

    if header is None:
        header = YAML_HEADER
        if dl.schema != 1:
            header = header.replace("配合履职事项", dl.info.kind).replace(
                "schema 1", f"schema {dl.schema}"
            )
    data = to_dict(dl)
    data["categories"] = _Flow(data["categories"])
    for dept in data["departments"]:
        dept["aliases"] = _Flow(dept["aliases"])
    for item in data["items"]:
        if item["category"] == "":  # a list without categories (schema 2)
            del item["category"]
        item["departments"] = _Flow(item["departments"])
        for block in item["upper_duties"]:
            block["departments"] = _Flow(block["departments"])
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1 << 30,
        indent=2,
        default_flow_style=False,
    )
    if data["schema"] != 1:
        header = header.replace("（schema 1）", f"（schema {data['schema']}）")
        if dl.info.kind in KINDS:
            header = header.replace("配合履职事项清单", f"{dl.info.kind}清单", 1)
    return header + body
