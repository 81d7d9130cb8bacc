"""What ``Matcher.rank`` measures of an item's two columns, step by step, for the verdict
model (``check_verdict.features``): generated from the list, every item and every step."""

from __future__ import annotations

import pytest

from dutycli.query.check import Matcher, subdistrict_matcher
from dutycli.query.check_model import FEATURES
from dutycli.query.check_terms import siblings
from dutycli.query.check_verdict import features
from dutycli.store import open_library

from .conftest import DATA

ONLY_BEST = FEATURES.index("share of the task only the best item holds, not the runner-up")
UPPER_OVER_STREET = FEATURES.index(
    "best department's step's share of the task minus the best street step's"
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return subdistrict_matcher(open_library(DATA)).matcher


def test_a_street_step_as_the_task_is_held_by_the_street_column(matcher: Matcher) -> None:
    """Every street step of every item, as a task: that item's best street step holds some
    of it, and no step of the departments' column holds more of it."""
    more = []
    for item in matcher.items:
        for section in item.street_duties:
            for step in section.steps:
                scored = next(s for s in matcher.rank(step) if s.item.id == item.id)
                if not 0 < scored.step <= scored.coverage + 1e-9 or scored.upper > scored.step:
                    more.append((item.id, step, scored.step, scored.upper))
    assert more == []


def test_a_departments_step_as_the_task_is_told_apart_from_the_street_column(
    matcher: Matcher,
) -> None:
    """A department's step that the street column does not share (审核确认 …): the feature
    that says the departments' column holds more of the task than any street step is up."""
    seen = 0
    for item in matcher.items:
        street = "".join(st for s in item.street_duties for st in s.steps)
        for block in item.upper_duties:
            for step in block.steps:
                grams = matcher.grams(step)
                if not grams or any(g in street for g in grams):
                    continue  # the street column shares some of its words
                ranked = matcher.rank(step)
                scored = next(s for s in ranked if s.item.id == item.id)
                assert scored.upper > scored.step, (item.id, step)
                if ranked[0] is scored:
                    values = features(ranked, matcher.evidence(step), None)
                    assert values[UPPER_OVER_STREET] > 0, (item.id, step)
                seen += 1
    assert seen >= 5


def test_items_that_differ_only_in_a_qualifier_hold_no_word_the_other_does_not(
    matcher: Matcher,
) -> None:
    """Siblings share their street steps word for word: a shared step as the task, with two
    siblings ranked first and second, leaves nothing only the first holds."""
    family = siblings(matcher.items)
    seen = 0
    for index in family:
        for section in matcher.items[index].street_duties:
            for step in section.steps:
                ranked = matcher.rank(step)
                pair = {matcher.index[id(s.item)] for s in ranked[:2]}
                if len(pair) == 2 and pair <= set(family) and index in pair:
                    values = features(ranked, matcher.evidence(step), None)
                    assert values[ONLY_BEST] == 0.0, step
                    seen += 1
    assert seen >= 2


def test_a_close_candidate_whose_street_column_holds_more_of_the_task_goes_first(
    matcher: Matcher,
) -> None:
    """duty_first: among close candidates, the item whose name and street duties hold clearly
    more of the task leads; a far one, or one only a little ahead, does not."""
    from dutycli.query.check_verdict import DUTY_MARGIN, DUTY_SCORE, Scored, duty_first

    a, b, c = matcher.items[:3]
    lead = Scored(a, 10.0, 0.8, duty=0.4)
    for other, moves in (
        (Scored(b, 10.0 * DUTY_SCORE, 0.8, duty=0.4 + DUTY_MARGIN + 0.05), True),
        (Scored(b, 10.0 * DUTY_SCORE - 0.1, 0.8, duty=0.9), False),  # not close
        (Scored(b, 9.0, 0.8, duty=0.4 + DUTY_MARGIN - 0.05), False),  # not clearly more
    ):
        ranked = [lead, other, Scored(c, 1.0, 0.1)]
        got = duty_first(ranked)
        assert sorted(id(s) for s in got) == sorted(id(s) for s in ranked)
        assert got[0] is (other if moves else lead), other
    # On the list: 冒领 and 退 are item 19's street work (催缴追缴), 养老 only item 20's topic;
    # the ranking by score (what the model reads) keeps 20 first, the candidates shown do not.
    task = "有人冒领养老金被查出来了，让家属按单子去退"
    assert [s.item.id for s in matcher.rank(matcher.core(task))[:2]] == [20, 19]
    verdict = matcher.check(task)
    assert verdict.verdict == "相近" and [s.item.id for s in verdict.matches[:2]] == [19, 20]
