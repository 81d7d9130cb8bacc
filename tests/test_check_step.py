"""Whose step is it: properties generated from the list's own two columns.

For every item of a list and every power its department column words (审批, 核发, 处罚,
验收 …, ``check_step.POWERS``) that its street column does not give the subdistrict, a
task asking the subdistrict to do it is the department's step: 清单外, with the note naming
the item's department and a step of its column. For every step of the street column, a
task asking for it is not. Run on the shipped list, on the other lists of the test library
and on a list written here in another district's words.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dutycli.lists.load import load
from dutycli.lists.model import Item
from dutycli.query.check import OFF_LIST, Matcher
from dutycli.query.check_step import POWERS, department_step, powers

from .conftest import DATA, Duty

LIBRARY = Path(__file__).parent / "data" / "lists" / "library"

# Another district's list, in its own words: 核准, 颁发, 吊销, 拨付, 验收 … for the
# department; 初审, 上报, 协助, 宣传 for the subdistrict; and one item whose street
# column itself says 审批 (the subdistrict's own approval, as 临时救助 on the shipped list).
OTHER = """\
schema: 2
list:
  title: 长青街道配合履职事项清单
  subdistrict: 长青街道
  kind: 配合履职事项
categories: [综合]
departments:
- name: 长青区市场监督管理局
  aliases: [区市场监管局]
- name: 长青区文化和旅游局
  aliases: [区文旅局]
- name: 长青区民政局
  aliases: [区民政局]
items:
- id: 1
  name: 小餐饮店登记管理
  category: 综合
  departments: [长青区市场监督管理局]
  upper_duties:
  - departments: [长青区市场监督管理局]
    heading: 长青区市场监督管理局职责：
    steps:
    - 对小餐饮店登记申请进行核准，颁发小餐饮店登记证。
    - 对违法经营的依法吊销登记证并处以罚款。
  street_duties:
  - heading: null
    steps: [摸排辖区小餐饮店底数，宣传登记政策。, 收集登记申请材料并初审，上报区市场监管局。]
- id: 2
  name: 文物保护单位修缮
  category: 综合
  departments: [长青区文化和旅游局]
  upper_duties:
  - departments: [长青区文化和旅游局]
    heading: 长青区文化和旅游局职责：
    steps: [编制修缮方案，拨付修缮资金。, 组织专家对修缮工程进行验收。]
  street_duties:
  - heading: null
    steps: [协助区文旅局开展文物巡查。, 发现文物损坏及时上报区文旅局。]
- id: 3
  name: 临时生活困难救助
  category: 综合
  departments: [长青区民政局]
  upper_duties:
  - departments: [长青区民政局]
    heading: 长青区民政局职责：
    steps: [对大额救助申请进行审批，拨付救助资金。]
  street_duties:
  - heading: null
    steps:
    - 受理小额救助申请，负责审批并发放救助金。
    - 对大额救助申请入户调查，提出初审意见上报区民政局。
"""


def _lists(tmp: Path) -> dict[str, list[Item]]:
    other = tmp / "长青街道配合.yaml"
    other.write_text(OTHER, encoding="utf-8")
    return {
        "shipped": list(load(DATA).items),
        "library-富强路": list(load(LIBRARY / "富强路街道" / "配合.yaml").items),
        "library-青山路": list(load(LIBRARY / "青山路街道" / "配合.yaml").items),
        "other-district": list(load(other).items),
    }


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Item]]:
    return _lists(tmp_path_factory.mktemp("lists"))


def _theirs(item: Item) -> list[tuple[str, str]]:
    """(power word, department) for every power the item's department column words in
    that very word and its street column does not give the subdistrict."""
    held = powers(item)
    out = []
    for block in item.upper_duties:
        text = "".join(block.steps)
        for power in POWERS:
            if power.name in held.given:
                continue
            for word in power.words:
                if len(word) >= 2 and word in text and word not in item.name:
                    out.append((word, "、".join(block.departments)))
    return out


# How notices, minutes, the hotline, voice messages, letters and questions ask the
# subdistrict for a step ({t}: the item's name or nothing; {w}: the step).
VOICES = (
    "关于{t}，请各街道负责{w}。",
    "{t}，{w}",
    "会议议定：{t}，由街道{w}。",
    "市民反映{t}问题，请属地街道{w}。",
    "{t}，是不是街道来{w}",
    "区里说{t}，让咱们街道{w}",
    "长青街道：根据《条例》第十条，{t}，请你街道{w}。",
)


def _asks(item: Item, word: str) -> list[str]:
    """Tasks asking the subdistrict to do ``word`` on the item's topic, in every voice."""
    return [voice.format(t=item.name, w=word) for voice in VOICES]


def test_the_generated_properties_are_not_empty(lists: dict[str, list[Item]]) -> None:
    # Every list with department powers yields department-step tasks, and the other
    # district's list yields one for each of its department's powers.
    other = {word for item in lists["other-district"] for word, _ in _theirs(item)}
    assert {"核准", "颁发", "吊销", "处以", "罚款", "拨付", "验收", "编制"} <= other
    assert sum(len(_theirs(item)) for item in lists["shipped"]) > 50


@pytest.mark.parametrize("name", ["shipped", "library-富强路", "library-青山路", "other-district"])
def test_every_department_power_asked_of_the_subdistrict_is_the_departments_step(
    lists: dict[str, list[Item]], name: str
) -> None:
    missed = []
    for item in lists[name]:
        for (word, department), task in (
            (theirs, task) for theirs in _theirs(item) for task in _asks(item, theirs[0])
        ):
            split = department_step(item, task)
            departments = {"、".join(b.departments) for b in item.upper_duties}
            steps = {s for b in item.upper_duties for s in b.steps}
            if (
                split is None
                or split.item != item.id
                or split.department not in departments
                or split.step not in steps
                or word not in split.words
            ):
                missed.append((item.id, task, department, split))
    assert missed == []


@pytest.mark.parametrize("name", ["shipped", "library-富强路", "library-青山路", "other-district"])
def test_every_name_and_street_step_asked_of_the_subdistrict_is_its_own(
    lists: dict[str, list[Item]], name: str
) -> None:
    ruled = []
    for item in lists[name]:
        for task in (item.name, *(v.format(t=item.name, w="") for v in VOICES)):
            split = department_step(item, task)
            if split is not None:
                ruled.append((item.id, task, split.words))
        for section in item.street_duties:
            for step in section.steps:
                for task in (step, *(v.format(t="", w=step) for v in VOICES)):
                    split = department_step(item, task)
                    if split is not None:
                        ruled.append((item.id, task, split.words))
    assert ruled == []


def test_the_street_columns_own_approval_stays_the_subdistricts(
    lists: dict[str, list[Item]],
) -> None:
    # Item 3 of the other list: the street column says 审批 (small grants), so approving is
    # the subdistrict's there, in any word of approving; paying out directly is not asked
    # of it by the department's column alone, since the street column pays out too.
    item = next(i for i in lists["other-district"] if i.id == 3)
    assert "审批" in powers(item).given
    for task in (
        "小额临时救助申请由街道审批",
        "临时生活困难救助，街道直接批了吧",
        "街道审批发放救助金",
    ):
        assert department_step(item, task) is None, task
    # Its 拨付 is the department's: the street column pays out (发放) but never 拨付 …
    # yet 给付 is one power, so paying out in any word is the subdistrict's here.
    assert department_step(item, "请街道拨付救助资金") is None
    # Where the street column does not pay out, it is the department's.
    relic = next(i for i in lists["other-district"] if i.id == 2)
    split = department_step(relic, "请各街道拨付文物修缮资金")
    assert split is not None and split.department == "长青区文化和旅游局"
    assert split.step == "编制修缮方案，拨付修缮资金。"


def test_a_step_handed_on_or_already_done_is_not_asked(lists: dict[str, list[Item]]) -> None:
    item = next(i for i in lists["other-district"] if i.id == 1)
    assert department_step(item, "请各街道吊销违法小餐饮店的登记证") is not None
    for task in (
        "小餐饮店登记申请初审后上报区市场监管局核准",  # handed on
        "区市场监管局已颁发小餐饮店登记证，请街道通知店主领取",  # done already
        "小餐饮店登记证核准结果请街道告知店主",  # done already
    ):
        assert department_step(item, task) is None, task


def test_a_step_told_as_background_is_not_asked(lists: dict[str, list[Item]]) -> None:
    # What a department did, or does, told as the background of the subdistrict's own task:
    # done (了), newly (新), by a third party (经专家), still going on (仍在), asked about (谁).
    food = next(i for i in lists["other-district"] if i.id == 1)
    relic = next(i for i in lists["other-district"] if i.id == 2)
    for item, task in (
        (food, "那家小餐饮店区里核准了，麻烦街道去宣传一下登记政策"),
        (food, "新颁发登记证的小餐饮店有三家，请街道摸排底数"),
        (relic, "修缮工程经专家组验收，请街道协助开展文物巡查"),
        (relic, "修缮资金仍在拨付，街道发现文物损坏及时上报"),
        (relic, "修缮完了谁来验收，街道要不要管"),
        # handing out leaflets or a certificate is no paying out
        (relic, "请街道拨付宣传资料，协助文物巡查"),
    ):
        assert department_step(item, task) is None, task
    # ... and the same words asked of the subdistrict stay the department's step.
    for item, task, word in (
        (food, "能不能让街道直接去核准了", "核准"),
        (food, "请街道把违法小餐饮店的登记证吊销了", "吊销"),
        (food, "登记证过期的，请街道重新颁发", "颁发"),
        (relic, "请街道组织验收修缮工程", "验收"),
        (relic, "请各街道拨付文物修缮资金", "拨付"),
        # a decision or the money handed to the subdistrict to take on its own, in speech
        (relic, "修缮工程的质量能不能让街道直接评一下", "评"),
        (relic, "区里说修缮资金让街道自己把钱发了", "钱发"),
    ):
        split = department_step(item, task)
        assert split is not None and word in split.words, task


def test_the_verdict_on_another_districts_list_names_its_department(
    lists: dict[str, list[Item]],
) -> None:
    items = lists["other-district"]
    matcher = Matcher(items)
    for task, item_id, department in (
        ("请各街道对小餐饮店登记申请进行核准并颁发登记证", 1, "长青区市场监督管理局"),
        ("请各街道组织专家对文物保护单位修缮工程进行验收", 2, "长青区文化和旅游局"),
        ("请各街道对大额临时生活困难救助申请入户调查，提出初审意见", None, None),
    ):
        v = matcher.check(task)
        if item_id is None:
            assert v.verdict != OFF_LIST and v.split is None, task
            assert v.matches[0].item.id == 3
            continue
        assert v.verdict == OFF_LIST and v.split is not None, task
        assert v.split.item == item_id and v.split.department == department


def test_a_step_of_another_items_department_is_named_as_that_departments(
    lists: dict[str, list[Item]],
) -> None:
    # The task is on item 3's topic first, but 吊销 is worded by item 1's department column
    # only: the note names item 1's department and step, not item 3's.
    matcher = Matcher(lists["other-district"])
    task = "大额临时生活困难救助申请人开有小餐饮店，请街道吊销"
    assert matcher.rank(task)[0].item.id == 3
    v = matcher.check(task)
    assert v.verdict == OFF_LIST and v.split is not None
    assert (v.split.item, v.split.department) == (1, "长青区市场监督管理局")
    assert v.split.step == "对违法经营的依法吊销登记证并处以罚款。"


def test_explain_names_the_department_column_and_its_step(duty: Duty) -> None:
    task = "请各街道对违规充装的燃气经营企业依法处以罚款"
    body = json.loads(duty("check", task, "-o", "json").stdout)
    assert body["verdict"] == OFF_LIST and body["explain"]["rule"] == "department-step"
    split = body["split"]
    text = duty("check", "--explain", task).stdout
    assert f"对上的职责：第{split['item']}项 上级部门职责（{split['department']}）" in text
    assert split["step"] in text


def test_the_note_stays_on_a_subdistrict_with_several_lists(duty: Duty) -> None:
    # 青山路街道 of the test library has a 基本, a 收回 and a 配合 list; item 59 is the 配合
    # list's only item of that number, so the note can name it.
    task = "请街道制定物业服务企业综合考评办法并组织开展考评"
    result = duty("--data", str(LIBRARY), "check", task, "-o", "json", "--street", "青山路街道")
    body = json.loads(result.stdout)
    assert body["verdict"] == OFF_LIST and body["explain"]["rule"] == "department-step"
    assert body["split"]["item"] == 59
    assert body["split"]["department"] == "青山区住房和城乡建设局"
    assert body["split"]["step"] == "制定物业服务企业综合考评办法，组织开展考评。"


# The subdistrict's offices as minutes name them: 办 and 站 there are no verbs (由街道民政办
# 直接受理 is not 由街道…办).
OFFICES = ("民政办", "安全办", "城建办", "应急办", "党政办", "综治办", "社会事务办", "文化站")


@pytest.mark.parametrize("name", ["shipped", "library-富强路", "library-青山路", "other-district"])
def test_a_subdistrict_office_leading_its_own_step_is_no_department_step(
    lists: dict[str, list[Item]], name: str
) -> None:
    ruled = []
    for item in lists[name]:
        for office in OFFICES:
            for step in (s for section in item.street_duties for s in section.steps):
                for task in (
                    f"会议议定：由街道{office}牵头，{step}",
                    f"会议议定：{item.name}，{step.rstrip('。')}，由街道{office}负责。",
                ):
                    if department_step(item, task) is not None:
                        ruled.append((item.id, task))
    assert ruled == []


@pytest.mark.parametrize("name", ["shipped", "other-district"])
def test_an_office_does_not_hide_a_department_step_nor_does_helping_make_one(
    lists: dict[str, list[Item]], name: str
) -> None:
    missed, ruled = [], []
    for item in lists[name]:
        for word, department in _theirs(item):
            asked = f"会议议定：{item.name}，由街道安全办牵头{word}。"
            if department_step(item, asked) is None:
                missed.append((item.id, asked))
            # The subdistrict's people helping the department with its step are its own.
            helping = f"会议议定：由街道组织志愿者配合{department}{word}。"
            if department_step(item, helping) is not None:
                ruled.append((item.id, helping))
    assert missed == [] and ruled == []


@pytest.mark.parametrize("name", ["shipped", "library-富强路", "library-青山路", "other-district"])
def test_the_note_quotes_only_a_step_that_says_the_word(
    lists: dict[str, list[Item]], name: str
) -> None:
    """Every firm power (处罚, 审批 …) asked of the subdistrict on every item: the note quotes
    a step of the department's column only where that step says one of the task's words
    (else no step, and the item's departments); never a step that merely shares characters."""
    quoted = unquoted = 0
    wrong = []
    for item in lists[name]:
        departments = {d for b in item.upper_duties for d in b.departments}
        for power in (p for p in POWERS if p.firm):
            for task in _asks(item, power.words[0]):
                split = department_step(item, task)
                if split is None:
                    continue
                words = split.words.split("、")
                if split.step:
                    quoted += 1
                    if not any(w in split.step for w in words):
                        wrong.append((item.id, task, split.step))
                else:
                    unquoted += 1
                    if not set(split.department.split("、")) <= departments:
                        wrong.append((item.id, task, split.department))
    assert wrong == []
    assert quoted + unquoted > 0


def test_a_split_note_names_neither_the_addressee_nor_the_items_own_words() -> None:
    """The 清单内 note (split_step): 街道 (whom the task is addressed to) and a word the
    item's street column nearly says (城乡居民养老保险 for 城乡居民基本养老保险) are not a
    department's step, on every item of the shipped list asked in a formal letter's words."""
    from dutycli.query.check import subdistrict_matcher
    from dutycli.query.check_step import ADDRESSEES, split_step
    from dutycli.store import open_library

    m = subdistrict_matcher(open_library(DATA)).matcher
    named = []
    for item in m.items:
        task = f"请你街道做好{item.name}工作"
        split = split_step(item, m.pieces(task), m.idf)
        if split is not None and set(split.words.split("、")) & ADDRESSEES:
            named.append((item.id, split.words))
    assert named == []
    item = next(i for i in m.items if i.id == 20)
    task = "请你街道做好城乡居民养老保险参保登记工作"
    split = split_step(item, m.pieces(task), m.idf)
    assert split is None or "城乡居民养老保险" not in split.words.split("、")
