"""The query-understanding layer (text/): segmentation, thesaurus, concepts, and how
search and check use it. Expectations come from the list's own data."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

import pytest

from dutycli.lists.load import load
from dutycli.query.check import OFF_LIST, ON_LIST, SIMILAR, Matcher
from dutycli.text.concepts import DEPARTMENT, SEGMENT, SYNONYM, understand
from dutycli.text.layer import TextLayer, build_layer, item_texts
from dutycli.text.segment import Vocabulary, segment
from dutycli.text.thesaurus import build_thesaurus, parse_table

from .conftest import DATA, REPO, Duty

LIST = load(DATA)
LAYER = build_layer(LIST.items, LIST.departments)
TEXT = "\n".join(t for item in LIST.items for t in item_texts(item))
MATCHER = Matcher(LIST.items, LIST.departments, LAYER)


def concepts(query: str) -> list[tuple[str, set[tuple[str, str]]]]:
    found = understand(query, LAYER.vocab, LAYER.thesaurus, LAYER.departments, TEXT.__contains__)
    return [(c.word, {(t.text, t.via) for t in c.terms}) for c in found]


def ids_named(word: str) -> list[int]:
    return [item.id for item in LIST.items if word in item.name]


# -- segmentation ----------------------------------------------------------------


def test_an_unspaced_query_splits_into_the_lists_words() -> None:
    assert "残疾人补贴" not in TEXT  # the literal string is not on the list ...
    assert segment("残疾人补贴", LAYER.vocab) == ["残疾人", "补贴"]  # ... its words are
    assert segment("对辖区小饭馆开展消防检查", LAYER.vocab)[:3] == ["对", "辖区", "小饭馆"]


def test_characters_that_form_no_word_stay_together() -> None:
    # A typo is looked up as typed, not as three loose characters.
    assert segment("残急人", LAYER.vocab) == ["残急人"]


def test_latin_and_digits_stay_whole_and_punctuation_drops() -> None:
    assert segment("2025年，KTV检查", LAYER.vocab)[0] == "2025"
    assert "KTV" in segment("2025年，KTV检查", LAYER.vocab)
    assert "，" not in "".join(segment("2025年，KTV检查", LAYER.vocab))


def test_the_vocabulary_is_small_and_survives_marshal() -> None:
    data = marshal.loads(marshal.dumps(LAYER.vocab.to_data()))
    vocab = Vocabulary.from_data(data)
    assert segment("残疾人补贴", vocab) == ["残疾人", "补贴"]
    # Cut down to the list and its thesaurus: far below jieba's 349,046 words.
    assert 1000 < len(vocab.costs) < 20000


def test_the_core_layer_survives_marshal() -> None:
    again = TextLayer.from_data(marshal.loads(marshal.dumps(LAYER.to_data())), LAYER.vocab)
    assert again.thesaurus.expand("电瓶车") == LAYER.thesaurus.expand("电瓶车")
    assert again.departments == LAYER.departments


# -- thesaurus -----------------------------------------------------------------


def test_the_shipped_table_moves_checks_synonyms_into_data() -> None:
    table = parse_table((REPO / "data" / "thesaurus.yaml").read_text("utf-8"), "thesaurus.yaml")
    assert "电瓶车" in table["电动自行车"] and "打分" in table["考评"]
    # Every list word the table points at is a word of the list (or a department).
    names = {s for d in LIST.departments for s in (d.name, *d.aliases)}
    missing = [term for term in table if term not in TEXT and term not in names]
    assert missing == []


def test_expansions_weigh_less_than_the_users_own_words() -> None:
    for word in ("电瓶车", "小饭馆", "理发店", "网吧网咖"):
        targets = LAYER.thesaurus.expand(word)
        assert targets and all(0 < weight < 1 for _, weight, _ in targets), word


def test_the_general_resources_are_installed_and_read() -> None:
    # Read as data at build time; a broken install must fail here, not degrade quietly.
    from dutycli.text.segment import general_dictionary
    from dutycli.text.thesaurus import cilin_groups

    assert general_dictionary() is not None
    groups = cilin_groups()
    assert len(groups) > 9000 and any({"饭店", "饭馆"} <= set(g) for g in groups)
    # 词林 alone (the office's table does not say it): 招兵 = 征兵, a word of the list.
    assert ("征兵", 0.5, "cilin") in LAYER.thesaurus.expand("招兵")


def test_cilin_points_words_the_list_lacks_at_words_it_has() -> None:
    groups = [["饭店", "饭馆", "餐馆"], ["旅馆", "宾馆", "旅店"]]
    t = build_thesaurus(lambda w: w in {"旅店"}, {}, groups)
    assert t.expand("宾馆") == (("旅店", 0.5, "cilin"),)
    assert t.expand("饭店") == ()  # no word of that group is on the list
    assert t.expand("旅店") == ()  # the list's own word is not rewritten


def test_a_thesaurus_entry_may_name_a_department_by_an_old_name() -> None:
    assert ("青山区应急管理局", DEPARTMENT) in concepts("安监局")[0][1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("synonyms:\n  电动自行车: 电瓶车\n", "应是列表"),
        ("synonyms:\n  电动自行车: [电瓶车, 电瓶车]\n", "重复"),
        ("synonyms:\n  考评: [打分]\n  考评: [考核]\n", "重复"),
        ("synonyms:\n  考评: [考评]\n", "相同"),
        ("words:\n  考评: [打分]\n", "未知的键"),
        ("synonyms: [a, b]\n", "应是映射"),
        ("synonyms:\n  考评: [打分]\nareas: [a, b]\n", "应是映射"),
        ("synonyms:\n  考评: [打分]\nareas:\n  低保: [兜底, 兜底]\n", "重复"),
        ("areas:\n  低保: [兜底]\n", "缺少 synonyms"),
    ],
)
def test_a_bad_table_names_file_line_and_column(
    duty: Duty, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "thesaurus.yaml"
    path.write_text(text, encoding="utf-8")
    result = duty("validate", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert f"{path}:" in result.stderr and result.stderr.split(f"{path}:")[1][0].isdigit()


def test_validate_accepts_the_shipped_table(duty: Duty) -> None:
    result = duty("validate", str(REPO / "data" / "thesaurus.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "有效" in result.stdout


def test_an_offices_own_table_is_used(duty: Duty, tmp_path: Path) -> None:
    table = tmp_path / "ours.yaml"
    table.write_text("synonyms:\n  征兵: [青鸟行动]\n", encoding="utf-8")
    plain = duty("search", "青鸟行动")
    assert ids_named("征兵")[0] not in [
        int(line.split("\t")[0]) for line in plain.stdout.splitlines()
    ]
    ours = duty("search", "青鸟行动", env={"DUTY_THESAURUS": str(table)})
    assert ours.exit_code == 0 and ids_named("征兵") == [int(ours.stdout.split("\t")[0])]


# -- concepts ---------------------------------------------------------------------


def test_concepts_of_a_wordy_task() -> None:
    got = dict(concepts("2025年征兵宣传"))
    assert list(got) == ["征兵", "宣传"]  # the year means nothing
    assert got["征兵"] == {("征兵", SEGMENT)}


def test_a_colloquial_word_means_the_lists_word() -> None:
    [(word, terms)] = concepts("电瓶车")
    assert word == "电瓶车" and ("电动自行车", SYNONYM) in terms


def test_a_department_alias_is_a_department() -> None:
    [(_, terms)] = concepts("卫健委")
    assert ("青山区卫生健康委员会", DEPARTMENT) in terms


# -- search -------------------------------------------------------------------------


def search_ids(duty: Duty, *query: str) -> list[int]:
    result = duty("search", *query, "--limit", "0")
    assert result.exit_code == 0, result.stderr
    return [int(line.split("\t")[0]) for line in result.stdout.splitlines()]


def test_an_unspaced_query_finds_items_with_both_words_first(duty: Duty) -> None:
    found = search_ids(duty, "残疾人补贴")
    both = [i.id for i in LIST.items if "残疾人" in i.name and "补贴" in i.name]
    assert both and found[: len(both)] == both
    assert set(found) >= set(search_ids(duty, "残疾人", "补贴"))


def test_search_uses_the_thesaurus_and_says_so(duty: Duty) -> None:
    body = json.loads(duty("search", "电瓶车", "-o", "json").stdout)
    assert body[0]["id"] == ids_named("电动自行车")[0]
    assert {m["via"] for m in body[0]["matched"]} == {"synonym"}
    assert all("电动自行车" in m["text"] for m in body[0]["matched"])


def test_a_department_name_finds_every_item_of_that_department(duty: Duty) -> None:
    wjw = [i.id for i in LIST.items if "青山区卫生健康委员会" in i.departments]
    assert sorted(search_ids(duty, "卫健委")) == sorted(wjw)
    assert set(search_ids(duty, "wjw")) >= set(wjw)


@pytest.mark.parametrize(
    ("query", "venue_item_word"),
    [("小饭馆", "餐饮"), ("理发店", "美容美发"), ("网咖", "网吧"), ("宾馆", "旅店")],
)
def test_colloquial_venue_names(duty: Duty, query: str, venue_item_word: str) -> None:
    assert search_ids(duty, query)[0] == ids_named(venue_item_word)[0]


def test_a_typo_read_by_its_sound(duty: Duty) -> None:
    assert search_ids(duty, "电东车")[0] == ids_named("电动自行车")[0]


def test_nothing_found_says_what_was_tried_and_what_is_close(duty: Duty) -> None:
    result = duty("search", "火箭", "导弹")
    assert result.exit_code == 1 and result.stdout == ""
    assert "试过：火箭；导弹" in result.stderr


def test_question_words_leave_the_concepts() -> None:
    from dutycli.text.concepts import strip_question

    assert strip_question("燃气泄漏找谁") == ("燃气泄漏", ["找谁"])
    assert strip_question("电动车充电归谁管")[0] == "电动车充电"
    # A word that is nothing but a question stays: there is nothing else to look for.
    assert strip_question("找谁") == ("找谁", [])


# -- check --------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["", "   ", "\t"])
def test_an_empty_task_is_a_usage_error(duty: Duty, task: str) -> None:
    result = duty("check", task)
    assert result.exit_code == 2 and result.stdout == ""
    assert "任务" in result.stderr


def test_an_items_own_name_is_on_the_list() -> None:
    for item in LIST.items:
        got = MATCHER.check(item.name)
        assert got.verdict == ON_LIST and got.matches[0].item.id == item.id, item.name


def test_explanation_does_not_cost_a_clear_winner() -> None:
    short = MATCHER.check("社区工作者招聘")
    long = MATCHER.check(
        "2026年社区工作者招聘公告已于5月10日在区政府网站发布，请各街道在社区公告栏张贴，"
        "做好政策解读和宣传动员，于5月20日前将报名人员资格初审意见报区委社会工作部"
    )
    assert short.verdict == long.verdict == ON_LIST
    assert short.matches[0].item.id == long.matches[0].item.id == ids_named("社区工作者招聘")[0]


def test_the_venue_decides_between_items_that_share_their_duties(duty: Duty) -> None:
    fire = [i.id for i in LIST.items if i.name.endswith("开展消防安全检查")]
    assert len(fire) == 8
    for task, word in [("检查辖区小饭馆的消防安全", "餐饮"), ("网吧消防检查", "网吧")]:
        # Without decided tasks (the plain model): the venue's item first, 清单内 or 相近.
        got = MATCHER.check(task)
        assert got.verdict in (ON_LIST, SIMILAR), task
        assert got.matches[0].item.id == ids_named(word)[0], task
        # The shipped list, with its decided tasks: 清单内.
        line = duty("check", task).stdout.split("\t")
        assert line[1:3] == [ON_LIST, str(ids_named(word)[0])], task
    unnamed = MATCHER.check("对辖区内各类场所开展消防安全检查")
    assert unnamed.verdict == SIMILAR
    assert {m.item.id for m in unnamed.matches} <= set(fire)


def test_a_department_step_asked_of_the_subdistrict_is_flagged(duty: Duty) -> None:
    got = MATCHER.check("为流浪乞讨人员办理户口")
    assert got.split is not None
    item = LIST.by_id[got.split.item]
    assert got.split.item == item.id == ids_named("流浪乞讨")[0]
    assert got.split.department == "包头市公安局青山分局" and "户口" in got.split.step
    assert not any("户口" in s for sec in item.street_duties for s in sec.steps)
    table = duty("check", "为流浪乞讨人员办理户口", "-o", "table").stdout
    assert "注意：" in table and "包头市公安局青山分局的职责" in table
    body = json.loads(duty("check", "为流浪乞讨人员办理户口", "-o", "json").stdout)
    assert body["split"]["department"] == "包头市公安局青山分局"


def test_an_off_list_task_is_flagged_only_when_it_is_mostly_a_department_step(duty: Duty) -> None:
    body = json.loads(duty("check", "为辖区美容美发场所核发卫生许可证", "-o", "json").stdout)
    assert body["verdict"] == OFF_LIST and body["matches"] == []
    assert body["split"]["department"] == "青山区卫生健康委员会"
    assert "核发" in body["split"]["words"] and body["split"]["item"] == ids_named("美容美发")[0]
    assert body["explain"]["rule"] == "department-step"
    # One shared word is not a step: no note on an unrelated off-list task.
    unrelated = [
        "国家反诈中心APP注册推广，每个社区完成500户",
        "组织辖区企业完成招商引资年度任务指标",
    ]
    for task in unrelated:
        got = json.loads(duty("check", task, "-o", "json").stdout)
        assert got["verdict"] == OFF_LIST and got.get("split") is None, task


def test_the_subdistricts_own_step_is_not_flagged() -> None:
    got = MATCHER.check("辖区内发现非本区户籍流浪乞讨人员及时上报区民政局")
    assert got.verdict == ON_LIST and got.split is None


# -- the same answer whatever the interpreter's hash seed --------------------------

_SEEDED = """
import json, sys
from itertools import product
from dutycli.text.concepts import QUESTION_WORDS, strip_question
words = sorted(QUESTION_WORDS | {"什么", "怎么"})
print(json.dumps([strip_question(p + a + b) for p, a, b in product(("", "低保"), words, words)]))
"""


def _under_seed(seed: int, code: str, *args: str) -> str:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_question_words_leave_a_query_the_same_way_under_any_hash_seed() -> None:
    # 有没有什么 lost 有没有 under one seed and 有什么 under another (equal lengths were in
    # a set's order), and with it a concept of check's and search's.
    answers = {_under_seed(seed, _SEEDED) for seed in range(6)}
    assert len(answers) == 1
    assert ["有没有", "什么"] in [dropped for _, dropped in json.loads(answers.pop())]


def test_a_verdict_and_its_features_are_the_same_under_any_hash_seed(tmp_path: Path) -> None:
    tasks = [
        "我家儿子大学毕业半年了还没找到工作，社区有没有什么招聘会啥的",
        "低保有没有什么新政策，归谁管",
        "市民反映楼道里有没有人管电动车充电的问题，请属地街道核实处置",
    ]
    code = (
        "import sys; from dutycli.cli.main import main; "
        "sys.argv = ['duty', 'check', '-o', 'json', *sys.argv[1:]]; main()"
    )
    answers = set()
    for seed in range(4):
        try:
            answers.add(_under_seed(seed, code, *tasks))
        except Exception as e:  # exit 1 (not all on the list) is an answer too
            answers.add(getattr(e, "stdout", ""))
    assert len(answers) == 1 and '"p_off"' in answers.pop()


# -- the names of policy areas (search only) ------------------------------------------

TABLE = parse_table((REPO / "data" / "thesaurus.yaml").read_text(encoding="utf-8"), "thesaurus")
AREAS: dict[str, set[str]] = {}
for _list_word, _names in TABLE.areas.items():
    for _name in _names:
        AREAS.setdefault(_name, set()).add(_list_word)


def test_the_shipped_table_has_areas_and_no_area_is_a_word_of_the_list() -> None:
    assert len(AREAS) >= 100
    assert all(TEXT.count(list_word) for words in AREAS.values() for list_word in words)
    # An area name the list itself says would be found as written: no name of that kind.
    assert [name for name in AREAS if name in TEXT] == []


def test_an_area_stands_for_its_list_words_in_search_only() -> None:
    # Search (areas=True) reads 社救 as the list words of its area, whole, even inside a longer
    # word; check's reading (areas=False) and the segmentation vocabulary are the same as with
    # the table without its areas.
    from dutycli.text.thesaurus import Table

    bare = build_layer(LIST.items, LIST.departments, Table(dict(TABLE), {}))
    assert bare.vocab.costs == LAYER.vocab.costs
    for name, list_words in AREAS.items():
        found = understand(
            "请问" + name + "有啥",
            LAYER.vocab,
            LAYER.thesaurus,
            LAYER.departments,
            TEXT.__contains__,
            areas=True,
        )
        concept = next(c for c in found if c.word == name)
        terms = {t.text for t in concept.terms if t.via in (SYNONYM, DEPARTMENT)}
        assert {LAYER.departments.get(w, w) for w in list_words} <= terms, name
        for task in (name, f"做好{name}工作"):
            ours = understand(
                task, LAYER.vocab, LAYER.thesaurus, LAYER.departments, TEXT.__contains__
            )
            theirs = understand(
                task, bare.vocab, bare.thesaurus, bare.departments, TEXT.__contains__
            )
            assert ours == theirs, task


def test_check_reads_no_area() -> None:
    # Every area name, bare and as a district's notice, gets the same verdict and candidates
    # from check with the shipped table as with the same table without its areas.
    from dutycli.text.thesaurus import Table

    bare = build_layer(LIST.items, LIST.departments, Table(dict(TABLE), {}))
    plain = Matcher(LIST.items, LIST.departments, bare)
    for name in AREAS:
        for task in (name, f"请各街道做好{name}相关工作，月底前报送"):
            ours, theirs = MATCHER.check(task), plain.check(task)
            assert (ours.verdict, [m.item.id for m in ours.matches]) == (
                theirs.verdict,
                [m.item.id for m in theirs.matches],
            ), task


def test_an_area_name_finds_the_items_of_its_area(duty: Duty) -> None:
    # Generated from the table: each area name, alone and as a question, answers with an item
    # holding one of the list words the area stands for first.
    from dutycli.query.search import search
    from dutycli.store import open_library

    lib = open_library(None)
    missed = []
    for name, list_words in AREAS.items():
        for query in (name, name + "归谁管"):
            found = search(lib, [query])
            first = found[0].item if found else None
            texts = item_texts(first) if first else []
            if not any(w in t for w in list_words for t in texts):
                missed.append((query, first.id if first else None))
    assert missed == []
