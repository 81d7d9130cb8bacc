"""Search: each way of matching, ranking, options; expectations derived from the data."""

from __future__ import annotations

import json
import re

import pytest

from dutycli.lists.load import load

from .conftest import DATA, Duty

LIST = load(DATA)


def texts(item_id: int) -> list[str]:
    item = LIST.by_id[item_id]
    out = [item.name]
    for b in item.upper_duties:
        out += [b.heading or "", *b.steps]
    out += list(item.guarantees)
    for s in item.street_duties:
        out += [s.heading or "", *s.steps]
    return out


def ids(result_stdout: str) -> list[int]:
    return [int(line.split("\t")[0]) for line in result_stdout.splitlines()]


def found(duty: Duty, *argv: str) -> list[dict]:  # type: ignore[type-arg]
    result = duty("search", *argv, "--limit", "0", "-o", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def by_words(results: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """The results some word matched (the items most like the first follow, unmatched)."""
    return [r for r in results if r["matched"]]


def test_dibao_ranks_the_item_named_for_it_first(duty: Duty) -> None:
    result = duty("search", "低保")
    assert result.exit_code == 0
    got = ids(result.stdout)
    named = [i.id for i in LIST.items if "低保" in i.name]
    mentioned = [i.id for i in LIST.items if any("低保" in t for t in texts(i.id))]
    assert named and got[: len(named)] == named
    assert sorted(got[: len(mentioned)]) == sorted(mentioned)
    assert sorted(r["id"] for r in by_words(found(duty, "低保"))) == sorted(mentioned)


def test_substring_and_case_insensitive_latin(duty: Duty) -> None:
    expected = sorted(i.id for i in LIST.items if any("c级" in t.casefold() for t in texts(i.id)))
    assert expected
    for query in ("c级", "C级"):
        assert sorted(r["id"] for r in by_words(found(duty, query))) == expected


def test_every_word_must_match_and_same_sentence_ranks_higher(duty: Duty) -> None:
    results = found(duty, "消防", "检查")
    expected = sorted(
        i.id
        for i in LIST.items
        if any("消防" in t for t in texts(i.id)) and any("检查" in t for t in texts(i.id))
    )
    assert sorted(r["id"] for r in results) == expected
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    # Items named for both words come before items that only mention them.
    named = {i.id for i in LIST.items if "消防" in i.name and "检查" in i.name}
    assert {r["id"] for r in results[: len(named)]} == named


@pytest.mark.parametrize("query", ["canji", "canjiren", "cjr", "CJR"])
def test_pinyin_full_and_initials(duty: Duty, query: str) -> None:
    results = found(duty, query)
    expected = {i.id for i in LIST.items if "残疾" in i.name}
    assert {r["id"] for r in results} >= expected
    for r in results:
        assert any(m["via"] == "pinyin" for m in r["matched"])
        name_hits = [m for m in r["matched"] if m["field"] == "name"]
        for m in name_hits:
            assert m["text"][m["start"] : m["end"]].startswith("残")


def test_pinyin_of_a_department(duty: Duty) -> None:
    results = found(duty, "minzhengju")
    expected = {i.id for i in LIST.items if "青山区民政局" in i.departments}
    assert {r["id"] for r in results} == expected
    assert all(m["field"] == "departments" for r in results for m in r["matched"])


def test_homophone_slip(duty: Duty) -> None:
    results = found(duty, "残急人")
    expected = {i.id for i in LIST.items if any("残疾人" in t for t in texts(i.id))}
    assert {r["id"] for r in results} == expected
    for r in results:
        for m in r["matched"]:
            assert m["via"] == "homophone"
            assert m["text"][m["start"] : m["end"]] == "残疾人"


def test_homophones_that_share_no_character_are_not_matches(duty: Duty) -> None:
    result = duty("search", "火箭")
    assert result.exit_code == 1 and result.stdout == ""


def test_small_typo_through_fuzzy_matching(duty: Duty) -> None:
    # 残疾 is a word and 个证 is not: the word is looked up whole, with a typo.
    results = found(duty, "残疾个证")
    assert results[0]["id"] == next(i.id for i in LIST.items if "残疾人证" in i.name)
    assert all(m["via"] == "fuzzy" for r in results for m in r["matched"])


@pytest.mark.parametrize("noise", ["股票交易", "足球比赛", "论文答辩"])
def test_fuzzy_cut_off_keeps_noise_out(duty: Duty, noise: str) -> None:
    result = duty("search", noise)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert noise in result.stderr


def test_a_word_of_noise_beside_a_listed_word_is_named_not_fuzzed(duty: Duty) -> None:
    """手机维修: 维修 is on the list, 手机 nowhere. The items holding 维修 come back (exit 0),
    found as written, with a note naming 手机; no typo match stands in for 手机."""
    result = duty("search", "手机维修", "-o", "json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body and all(m["word"] == "维修" for r in body for m in r["matched"])
    assert all(m["via"] != "fuzzy" for r in body for m in r["matched"])
    assert "没有匹配任何事项的词：手机" in result.stderr


@pytest.mark.parametrize(
    ("query", "item"),
    [("燃气泄漏找谁", 36), ("残疾人有啥补贴", 11), ("噪音扰民咋办", 64), ("低保归谁管", 6)],
)
def test_question_words_are_not_concepts(duty: Duty, query: str, item: int) -> None:
    result = duty("search", query, "-o", "json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert item in ids[:5]
    for word in ("找谁", "有啥", "咋办", "归谁管"):
        assert all(m["word"] != word for r in json.loads(result.stdout) for m in r["matched"])


def test_a_partial_answer_ranks_by_words_matched_and_says_which_matched_nothing(
    duty: Duty,
) -> None:
    result = duty("search", "征兵", "火箭", "-o", "json")
    assert result.exit_code == 0
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert ids[0] == next(i.id for i in LIST.items if "征兵" in i.name)
    assert "没有匹配任何事项的词：火箭" in result.stderr
    # A query with both words matched somewhere gets no such note.
    assert "没有匹配" not in duty("search", "征兵", "宣传").stderr


@pytest.mark.parametrize(
    ("query", "word"), [("canjizheng", "残疾人证"), ("gongzufang", "公共租赁住房")]
)
def test_full_pinyin_of_a_multi_syllable_word(duty: Duty, query: str, word: str) -> None:
    results = found(duty, query)
    assert results and word in results[0]["name"]
    assert all(m["via"] == "pinyin" for r in results for m in r["matched"])


def test_exact_matches_are_never_mixed_with_fuzzy_ones(duty: Duty) -> None:
    results = found(duty, "低保")
    assert {m["via"] for r in results for m in r["matched"]} == {"exact"}


def test_matched_spans_point_at_the_hit(duty: Duty) -> None:
    for r in found(duty, "救助"):
        assert r["matched"]
        for m in r["matched"]:
            assert m["text"][m["start"] : m["end"]] == "救助"
            assert m["column"] in {"事项名称", "上级部门职责", "履职保障", "街道配合职责"}
            if m["field"] == "upper":
                assert m["department"]


def test_in_restricts_columns(duty: Duty) -> None:
    assert [r["id"] for r in found(duty, "低保", "--in", "name")] == [
        i.id for i in LIST.items if "低保" in i.name
    ]
    street = found(duty, "低保", "--in", "street")
    assert {m["field"] for r in street for m in r["matched"]} == {"street"}
    both = found(duty, "培训", "--in", "guarantees", "--in", "upper")
    assert {m["field"] for r in both for m in r["matched"]} <= {"guarantees", "upper"}
    bad = duty("search", "低保", "--in", "title")
    assert bad.exit_code == 2 and "name、upper、guarantees、street" in bad.stderr


def test_limit(duty: Duty) -> None:
    assert len(ids(duty("search", "工作", "--limit", "3").stdout)) == 3
    everything = len(ids(duty("search", "工作", "--limit", "0").stdout))
    assert everything == sum(1 for i in LIST.items if any("工作" in t for t in texts(i.id)))
    assert len(ids(duty("search", "工作").stdout)) == min(20, everything)


def test_search_table_highlights_the_column(duty: Duty) -> None:
    result = duty("search", "低保", "-o", "table", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "〔事项名称〕" in result.stdout and "〔街道配合职责·第3条〕" in result.stdout
    assert re.search(r"│ 6\s+│", result.stdout)


def test_equal_scores_keep_one_order_whatever_was_rebuilt(duty: Duty, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Ties rank by (list path, item id), not by the store's rowids (issue 22, item 10):
    two lists with the same items, the first rebuilt after the second, give the same order;
    a cached answer with -n equals a fresh one."""
    text = DATA.read_text(encoding="utf-8")
    library = tmp_path / "lists"
    library.mkdir()
    first, second = library / "a.yaml", library / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("青山路街道", "绿水路街道"), encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}

    def answer(*argv: str) -> list[tuple[str, int, float]]:
        result = duty("--data", str(library), "search", *argv, "-o", "json", env=env)
        assert result.exit_code == 0, result.stderr
        rows = json.loads(result.stdout)
        return [(r["list"]["subdistrict"], r["id"], r["score"]) for r in rows]

    before = answer("低保", "-n", "0")
    # Every item is there twice with the same score: the first list's copy comes first.
    assert len(before) % 2 == 0 and before[0][2] == before[1][2]
    assert [s for s, _, _ in before[:2]] == ["青山路街道", "绿水路街道"]
    pairs = list(zip(before[::2], before[1::2], strict=True))
    assert all(a[1:] == b[1:] for a, b in pairs)
    # Rebuild the first list only (its rowids now come after the second's).
    first.write_text(
        text.replace("根据清单工作整体部署", "根据清单工作的整体部署"), encoding="utf-8"
    )
    after = answer("低保", "-n", "0")
    assert after == before
    assert answer("低保", "-n", "3") == before[:3]
    assert answer("残疾人", "-n", "5") == answer("残疾人", "-n", "0")[:5]


# -- a short answer is filled with the items most like its first (search_related) --------

LIBRARY = DATA.parent.parent / "tests" / "data" / "lists" / "library"


def _only_holder(words: list[str]) -> tuple[str, int] | None:
    """The first of ``words`` that exactly one item of the shipped list holds, with that item."""
    for word in words:
        holders = [i.id for i in LIST.items if any(word in t for t in texts(i.id))]
        if len(holders) == 1:
            return word, holders[0]
    return None


def test_a_short_answer_is_followed_by_the_items_of_its_family(duty: Duty) -> None:
    """The fire-safety checks of the list are one template for several kinds of place: a word
    only one of them holds finds it, then the others follow, unmatched, named on stderr."""
    suffix = "开展消防安全检查"
    family = [i for i in LIST.items if i.name.endswith(suffix)]
    assert len(family) >= 5
    places = [i.name.removeprefix("对辖区内").removesuffix(suffix) for i in family]
    found_one = _only_holder([p for p in places if len(p) >= 3])
    assert found_one is not None
    word, item = found_one
    result = duty("search", word, "-o", "json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body[0]["id"] == item and body[0]["matched"]
    rest = body[1:]
    assert len(rest) == 4  # filled up to five
    assert all(not r["matched"] for r in rest)
    assert {r["id"] for r in rest} <= {i.id for i in family}
    assert "".join(f"第{r['id']}项" for r in rest[:1]) in result.stderr
    assert "最相近的事项" in result.stderr and f"第{item}项" in result.stderr
    # Scores stay in order: the added items come after every matched one.
    scores = [r["score"] for r in body]
    assert scores == sorted(scores, reverse=True)


def test_the_items_added_share_a_department_with_the_first_on_another_list(duty: Duty) -> None:
    """On a library of other subdistricts' lists: the items added to a one-item answer are
    of the first item's department, carry no matched words, and the note says so."""
    result = duty("--data", str(LIBRARY), "search", "流浪乞讨", "-o", "json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    first, rest = body[0], body[1:]
    assert "流浪乞讨" in first["name"] and first["matched"]
    assert rest and all(not r["matched"] for r in rest)
    assert all(set(r["departments"]) & set(first["departments"]) for r in rest)
    assert "不含所查的词" in result.stderr


def test_no_items_are_added_when_columns_are_chosen_or_enough_were_found(duty: Duty) -> None:
    word, item = _only_holder(["小旅店", "孕产妇", "流浪乞讨"]) or ("", 0)
    assert word
    assert [r["id"] for r in found(duty, word, "--in", "name")] == [item]
    many = found(duty, "消防")
    assert len(many) >= 5 and all(r["matched"] for r in many)


# -- full pinyin: tones, spaces, several words in one run -------------------------------


@pytest.mark.parametrize(
    "query", [["cánjízhèng"], ["can2ji2zheng4"], ["can", "ji", "zheng"], ["CÁN", "JÍ", "ZHÈNG"]]
)
def test_pinyin_with_tones_or_spaces_finds_what_plain_pinyin_finds(
    duty: Duty, query: list[str]
) -> None:
    plain = [r["id"] for r in found(duty, "canjizheng")]
    assert plain and "残疾人证" in LIST.by_id[plain[0]].name
    assert [r["id"] for r in found(duty, *query)] == plain


@pytest.mark.parametrize(
    ("data", "run", "words"),
    [(None, "dibaoshenqing", ["低保", "申请"]), (LIBRARY, "dibaohecha", ["低保", "核查"])],
)
def test_a_run_of_pinyin_of_several_words_is_each_of_them(
    duty: Duty, data: object, run: str, words: list[str]
) -> None:
    """dibaoshenqing is 低保 and 申请 (no known word reads as all of it): it finds what the
    two words typed apart in pinyin find, and the first item holds 低保."""
    head = ["--data", str(data)] if data else []

    def ids_of(*query: str) -> list[object]:
        result = duty(*head, "search", *query, "--limit", "0", "-o", "json")
        assert result.exit_code == 0, result.stderr
        return [(r["list"]["file"] if data else "", r["id"]) for r in json.loads(result.stdout)]

    split = run.index("shenqing") if "shenqing" in run else run.index("hecha")
    together = ids_of(run)
    assert together == ids_of(run[:split], run[split:])
    result = duty(*head, "search", run, "-o", "json")
    body = json.loads(result.stdout)
    assert words[0] in json.dumps(body[0], ensure_ascii=False)
    assert {m["word"] for r in body for m in r["matched"]} <= {run[:split], run[split:]}


def test_pinyin_is_matched_as_typed_and_other_latin_words_stay_as_typed(duty: Duty) -> None:
    """The word a match names is the word typed (tone marks kept); a Latin word with digits
    that spells nothing (B2) is neither read as pinyin nor changed."""
    body = found(duty, "cánjízhèng")
    assert body and {m["word"] for r in body for m in r["matched"]} == {"cánjízhèng"}
    result = duty("search", "B2", "低保", "-o", "json")
    assert result.exit_code == 0
    assert "没有匹配任何事项的词：B2" in result.stderr


def test_a_character_the_table_knows_is_cut_out_of_a_run_nobody_knows() -> None:
    """天天吵到半夜: no word of the vocabulary covers it, so segmentation leaves one piece;
    吵, a word of the office's table, is cut out of it and stands for what the table says."""
    from dutycli.text.concepts import understand
    from dutycli.text.layer import SoundIndex
    from dutycli.text.segment import Vocabulary
    from dutycli.text.thesaurus import Thesaurus

    table = Thesaurus.from_entries({"吵": (("噪声扰民", 0.8, "domain"),)})

    def no_sounds() -> SoundIndex:
        return SoundIndex({})

    def read(thesaurus: Thesaurus, lone: bool) -> list[str]:
        concepts = understand(
            "天天吵到半夜",
            Vocabulary({}),
            thesaurus,
            {},
            lambda w: False,
            no_sounds,
            lambda ch: [],
            lone=lone,
        )
        return [c.word for c in concepts]

    assert read(table, True) == ["天天", "吵", "到半夜"]
    concepts = understand(
        "天天吵到半夜",
        Vocabulary({}),
        table,
        {},
        lambda w: False,
        no_sounds,
        lambda c: [],
        lone=True,
    )
    assert "噪声扰民" in [t.text for t in concepts[1].terms]
    # Without the table, or for check (which weighs the words of a run otherwise), the run
    # stays whole, as typed.
    assert read(Thesaurus(), True) == read(table, False) == ["天天吵到半夜"]


def test_every_one_character_word_of_the_table_is_found_inside_a_sentence(duty: Duty) -> None:
    """Each one-character word of the shipped table (吵, 锅, …) inside a run of words the
    list does not know still finds an item holding what the table says it means (exit 0)."""
    from dutycli.text.layer import table_path
    from dutycli.text.thesaurus import read_table

    path = table_path()
    assert path is not None
    table = read_table(path)
    lone = {w: [t for t, ws in table.items() if w in ws] for ws in table.values() for w in ws}
    lone = {w: targets for w, targets in lone.items() if len(w) == 1}
    assert lone
    for word, targets in lone.items():
        query = f"楼上天天{word}到半夜"
        result = duty("search", query, "-o", "json")
        assert result.exit_code == 0, query
        first = json.loads(result.stdout)[0]
        assert any(t in text for t in targets for text in texts(first["id"])), query


def test_a_word_the_table_explains_outranks_a_word_the_list_merely_holds(duty: Duty) -> None:
    """孩子 没爹没妈: no item holds both. 孩子 is in one item's name as written (入托孩子…);
    没爹没妈 is what the office's table says 孤儿 means, in one item's name too. The item the
    table points at comes first."""
    orphan = next(i.id for i in LIST.items if "孤儿" in i.name)
    child = next(i.id for i in LIST.items if "孩子" in i.name)
    result = duty("search", "孩子", "没爹没妈", "-o", "json")
    assert result.exit_code == 0
    ranked = [r["id"] for r in json.loads(result.stdout)]
    assert ranked[0] == orphan and child in ranked[:5]


LIBRARY = DATA.parent.parent / "tests" / "data" / "lists" / "library"


@pytest.mark.parametrize(
    "path",
    [DATA, LIBRARY / "富强路街道" / "配合.yaml", LIBRARY / "青山路街道" / "基本.yaml"],
    ids=["shipped", "library-富强路", "library-基本"],
)
def test_a_department_finds_the_items_it_leads_first(duty: Duty, path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Every spelling of every department, on lists of other subdistricts and kinds: among
    # the items found by the department alone, the ones it leads (named first in 对应上级部门)
    # come before those it only joins, place by place (search_stages.lead).
    from dutycli.query.search_stages import lead

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "list.yaml").write_bytes(path.read_bytes())
    dl = load(path)
    checked = 0
    for department in dl.departments:
        for spelling in dict.fromkeys((department.name, *department.aliases)):
            places = [
                list(dict.fromkeys(r["departments"])).index(department.name)
                for r in found(duty, "--data", str(folder), spelling)
                if r["matched"] and all(m["via"] == "department" for m in r["matched"])
            ]
            weights = [lead(p) for p in places]
            assert weights == sorted(weights, reverse=True), (spelling, places)
            checked += len(places) > 1 and len(set(places)) > 1
    if path == DATA:
        assert checked >= 10  # departments that lead some items and join others


def test_the_initials_of_a_long_known_word(duty: Duty) -> None:
    # A known word of seven or eight characters (the table's 城乡居民养老保险 for the list's
    # 城乡居民基本养老保险) is found by its initials too, one letter a syllable.
    from dutycli.text.thesaurus import read_table

    table = read_table(DATA.parent / "thesaurus.yaml")
    long_words = [w for ws in table.values() for w in ws if len(w) in (7, 8)]
    assert "城乡居民养老保险" in long_words
    term = next(t for t, words in table.items() if "城乡居民养老保险" in words)
    result = duty("search", "cxjmylbx", "-o", "json")
    assert result.exit_code == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert term in first["name"], (term, first["name"])
