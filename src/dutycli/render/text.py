"""Short fixed texts for people: ``duty info``."""

from __future__ import annotations

from collections import Counter

from dutycli.model import DutyList


def info_text(dl: DutyList, path: str) -> str:
    per_category = Counter(item.category for item in dl.items)
    categories = "、".join(f"{c} {per_category[c]}" for c in dl.categories)
    lines = [
        f"数据文件：{path}",
        f"清单：{dl.info.title}",
        f"街道：{dl.info.subdistrict}",
        f"类型：{dl.info.kind}",
    ]
    if dl.info.note:
        lines.append(f"说明：{dl.info.note}")
    lines += [
        f"事项：{len(dl.items)} 项",
        f"类别：{len(dl.categories)} 个（{categories}）",
        f"部门：{len(dl.departments)} 个",
    ]
    return "\n".join(lines)
