"""The list as plain data (the JSON contract) and as YAML text in the data file's schema.

``from_dict`` trusts its input: it serves the compiled cache, which only ever
holds what the validating loader produced.
"""

from __future__ import annotations

from typing import Any

from dutycli.model import COOP, Block, Department, DutyList, Item, ListInfo, Section

SCHEMA2_INFO_KEYS = ("district", "city", "province", "version")


def needs_schema_2(dl: DutyList) -> bool:
    """Whether ``dl`` uses anything schema 1 cannot say (then it is written as schema 2)."""
    return (
        dl.info.kind != COOP
        or any(getattr(dl.info, key) is not None for key in SCHEMA2_INFO_KEYS)
        or any(i.basis is not None or i.method is not None for i in dl.items)
    )


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
    # Schema 2 fields only where set, so a schema 1 list is written as before.
    if item.basis is not None:
        out["basis"] = item.basis
    if item.method is not None:
        out["method"] = item.method
    return out


def to_dict(dl: DutyList) -> dict[str, Any]:
    info: dict[str, Any] = {
        "title": dl.info.title,
        "subdistrict": dl.info.subdistrict,
        "kind": dl.info.kind,
        "note": dl.info.note,
    }
    for key in SCHEMA2_INFO_KEYS:
        if getattr(dl.info, key) is not None:
            info[key] = getattr(dl.info, key)
    return {
        "schema": dl.schema,
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
    )


def from_dict(d: dict[str, Any], path: str = "") -> DutyList:
    info = d["list"]
    return DutyList(
        info=ListInfo(
            info["title"],
            info["subdistrict"],
            info["kind"],
            info.get("note"),
            *(info.get(key) for key in SCHEMA2_INFO_KEYS),
        ),
        categories=tuple(d["categories"]),
        departments=tuple(
            Department(x["name"], tuple(x.get("aliases") or ())) for x in d["departments"]
        ),
        items=tuple(item_from_dict(i) for i in d["items"]),
        schema=d["schema"],
        path=path,
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

    class _Dumper(yaml.SafeDumper):
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
    return header + body
