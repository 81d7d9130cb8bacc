"""duty diff on revisions built from the real list."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from dutycli.lists.load import load
from dutycli.lists.model import DutyList, replace
from dutycli.lists.serialize import dump_yaml
from dutycli.query.diff import StepChange, Work, diff_lists

from .conftest import DATA, Duty

LIST = load(DATA)


def write(tmp_path: Path, name: str, dl: DutyList) -> str:
    path = tmp_path / name
    path.write_text(dump_yaml(dl), encoding="utf-8")
    return str(path)


def revised(**changes: object) -> DutyList:
    return replace(LIST, **changes)  # type: ignore[arg-type]


def run(duty: Duty, tmp_path: Path, new: DutyList) -> dict:  # type: ignore[type-arg]
    old_path = write(tmp_path, "old.yaml", LIST)
    new_path = write(tmp_path, "new.yaml", new)
    result = duty("diff", old_path, new_path, "-o", "json")
    assert result.exit_code == 1, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_same_lists_exit_0(duty: Duty, tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", LIST)
    result = duty("diff", str(DATA), path)
    assert result.exit_code == 0
    assert "两份清单内容相同" in result.stdout


def test_added_and_removed(duty: Duty, tmp_path: Path) -> None:
    extra = replace(LIST.by_id[67], id=68, name="开展全民阅读推广活动")
    items = (*tuple(i for i in LIST.items if i.id != 3), extra)
    body = run(duty, tmp_path, revised(items=items))
    assert body["added"] == [{"id": 68, "name": "开展全民阅读推广活动"}]
    assert body["removed"] == [{"id": 3, "name": LIST.by_id[3].name}]
    assert body["changed"] == [] and body["renumbered"] == []


def test_renumbered_items_are_matched_by_name(duty: Duty, tmp_path: Path) -> None:
    # A new item 1 is inserted; every other item moves down one.
    new_first = replace(LIST.by_id[2], id=1, name="开展党员教育培训")
    items = (new_first, *(replace(i, id=i.id + 1) for i in LIST.items))
    body = run(duty, tmp_path, revised(items=items))
    assert body["added"] == [{"id": 1, "name": "开展党员教育培训"}]
    assert body["removed"] == []
    assert len(body["renumbered"]) == 67
    assert body["renumbered"][16] == {"old_id": 17, "new_id": 18, "name": LIST.by_id[17].name}


def test_reworded_step_marks_the_words(
    duty: Duty,
    tmp_path: Path,
) -> None:
    item = LIST.by_id[59]
    section = item.street_duties[0]
    steps = list(section.steps)
    steps[1] = steps[1].replace("审核、盖章", "审核、汇总、盖章")
    new_item = replace(item, street_duties=(replace(section, steps=tuple(steps)),))
    items = tuple(new_item if i.id == 59 else i for i in LIST.items)
    body = run(duty, tmp_path, revised(items=items))
    [change] = body["changed"]
    assert change["old_id"] == change["new_id"] == 59
    [step] = change["steps"]
    assert step["kind"] == "reworded" and step["where"] == "街道配合职责"
    added = [t for op, t in step["diff"] if op == "+"]
    assert len(added) == 1 and "汇总" in added[0] and len(added[0]) == 3
    assert not [t for op, t in step["diff"] if op == "-"]
    assert "".join(t for op, t in step["diff"] if op != "+") == step["old"] == section.steps[1]
    assert "".join(t for op, t in step["diff"] if op != "-") == step["new"] == steps[1]
    old, new = str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")
    plain = duty("diff", old, new).stdout
    assert f"{{+{added[0]}+}}" in plain and "改动事项：第59项" in plain
    md = duty("diff", old, new, "-o", "markdown").stdout
    assert f"**{added[0]}**" in md and "### 改动事项：第59项" in md


def test_added_and_removed_steps(duty: Duty, tmp_path: Path) -> None:
    item = LIST.by_id[62]
    block = item.upper_duties[0]
    new_block = replace(block, steps=(block.steps[0], "定期通报各街道垃圾分类工作成效。"))
    new_item = replace(item, upper_duties=(new_block,))
    items = tuple(new_item if i.id == 62 else i for i in LIST.items)
    [change] = run(duty, tmp_path, revised(items=items))["changed"]
    kinds = sorted((s["kind"], s["old"], s["new"]) for s in change["steps"])
    assert kinds == [
        ("added", None, "定期通报各街道垃圾分类工作成效。"),
        ("removed", block.steps[1], None),
    ]


def test_changed_department(duty: Duty, tmp_path: Path) -> None:
    item = LIST.by_id[34]
    old_name, new_name = "包头市公安局青山分局", "青山区司法局"
    block = replace(item.upper_duties[0], departments=(new_name,), heading=f"{new_name}职责：")
    new_item = replace(item, departments=(new_name,), upper_duties=(block,))
    items = tuple(new_item if i.id == 34 else i for i in LIST.items)
    [change] = run(duty, tmp_path, revised(items=items))["changed"]
    assert change["changes"]["departments"] == {"old": [old_name], "new": [new_name]}
    wheres = {s["where"] for s in change["steps"]}
    assert f"上级部门职责·{old_name}" in wheres and f"上级部门职责·{new_name}" in wheres


def test_renamed_item_keeps_its_id(duty: Duty, tmp_path: Path) -> None:
    items = tuple(replace(i, name="物业服务综合考评工作") if i.id == 59 else i for i in LIST.items)
    [change] = run(duty, tmp_path, revised(items=items))["changed"]
    assert change["changes"] == {"name": {"old": "物业综合考评工作", "new": "物业服务综合考评工作"}}


def test_bad_file_exits_2(duty: Duty, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: [", encoding="utf-8")
    result = duty("diff", str(DATA), str(bad))
    assert result.exit_code == 2 and "YAML 语法错误" in result.stderr


def _reworded_everywhere(dl: DutyList, change: Callable[[str], str]) -> DutyList:
    items = []
    for item in dl.items:
        upper = tuple(
            replace(b, steps=tuple(change(s) for s in b.steps)) for b in item.upper_duties
        )
        street = tuple(
            replace(sec, steps=tuple(change(s) for s in sec.steps)) for sec in item.street_duties
        )
        items.append(replace(item, upper_duties=upper, street_duties=street))
    return replace(dl, items=tuple(items))


def _spells_both(step: StepChange) -> bool:
    old = "".join(f.text for f in step.fragments if f.op in "=-")
    new = "".join(f.text for f in step.fragments if f.op in "=+")
    return old == step.old and new == step.new


def test_every_reworded_step_of_a_real_list_is_marked_by_character() -> None:
    """The budget that bounds hostile diffs is far above a real revision: the shipped
    list with every step reworded gets every step paired and marked character by character."""
    new = _reworded_everywhere(LIST, lambda s: s[:3] + "改" + s[4:] if len(s) > 5 else s)
    steps = [s for c in diff_lists(LIST, new).changed for s in c.steps]
    assert len(steps) > 500 and all(s.kind == "reworded" for s in steps)
    for step in steps:
        assert _spells_both(step)
        marked = [f.text for f in step.fragments if f.op != "="]
        assert marked in (["改"], [step.old[3], "改"]), step.fragments


def test_past_the_budget_the_fragments_still_spell_both_versions() -> None:
    """Steps of one character repeated (SequenceMatcher's worst case): the budget runs out,
    later steps are marked whole, and every step still reads exactly as published."""
    item = LIST.items[0]
    old_steps = tuple(ch * 1500 for ch in "啊哦呃咦呜吁嗯哈嘿呵嘻哟")
    new_steps = tuple(s[:700] + "改" + s[701:] for s in old_steps)
    block = item.upper_duties[0]
    old = replace(LIST, items=(replace(item, upper_duties=(replace(block, steps=old_steps),)),))
    new = replace(LIST, items=(replace(item, upper_duties=(replace(block, steps=new_steps),)),))
    [change] = diff_lists(old, new).changed
    assert [s.kind for s in change.steps] == ["reworded"] * 12
    assert all(_spells_both(s) for s in change.steps)
    assert any(len(s.fragments) == 2 for s in change.steps)  # marked whole: the budget ran out
    work = Work()
    assert not work.spend("啊" * 2000, "啊" * 2000) and work.left["mark"] == 0
    assert Work().spend("受理低保申请并入户调查。" * 10, "受理低保申请并入户调查。" * 10)
