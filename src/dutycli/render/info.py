"""Short fixed texts for people: ``duty info``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dutycli.store.library import Compiled


def info_text(c: Compiled) -> str:
    categories = "、".join(f"{name} {c.category_counts.get(name, 0)}" for name in c.categories)
    lines = [
        f"数据文件：{c.path}",
        f"清单：{c.info.title}",
        f"街道：{c.info.subdistrict}",
        f"类型：{c.info.kind}",
    ]
    place = [x for x in (c.info.province, c.info.city, c.info.district) if x]
    if place:
        lines.append(f"地区：{''.join(place)}")
    if c.info.version:
        lines.append(f"版本：{c.info.version}")
    if c.info.note:
        lines.append(f"说明：{c.info.note}")
    lines += [
        f"事项：{c.count} 项",
        f"类别：{len(c.categories)} 个（{categories}）",
        f"部门：{len(c.departments)} 个",
    ]
    return "\n".join(lines)
