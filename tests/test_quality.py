"""Quality on the labelled sets, held at the level measured when the policy was fitted.

The check files under tests/data/check were written from the published list only,
by people who did not write the code (as notices and staff word tasks). The verdict
model is fitted on the training files named in scripts/fit_check.py; heldout3.tsv
(and tests/data/search/heldout.tsv) is scored once per change, never fitted on.
Re-measure with ``python -m dutycli.query.evaluate check|search FILE -v``.
"""

from __future__ import annotations

import pytest

from dutycli.query.evaluate import (
    check_cases,
    judge_all,
    score_check,
    score_search,
    search_cases,
    top_five,
)
from dutycli.store import Library, open_library

from .conftest import LABELLED

# Measured on the training files (see the module docstring); a change that lowers
# any of them is a regression. Acceptance targets of issue 8, for comparison:
# on-list useful >= 90 %, on-list answered 清单外 <= 3 %, wrong-item 清单内 = 0,
# off-list 清单外 >= 95 %; search recall@5 >= 90 %, best@1 >= 85 %.
# The training tasks are also decided tasks (data/check_examples.tsv): check recalls
# them, so these are in-sample figures; scripts/fit_check.py reports cross-validated ones.
CHECK_TRAIN = {
    "on_list_useful_pct": (">=", 97.8),
    "on_list_off_pct": ("<=", 0.0),
    "wrong_item_on_list": ("<=", 1),
    "similar_useful_pct": (">=", 80.0),
    "off_list_off_pct": (">=", 100.0),
}
SEARCH_TRAIN = {
    "recall_at_5_pct": (">=", 96.5),
    "best_at_1_pct": (">=", 99.3),
    "empty": ("<=", 0),
}


def holds(figures: dict[str, float], levels: dict[str, tuple[str, float]]) -> list[str]:
    out = []
    for key, (op, level) in levels.items():
        value = figures[key]
        if (op == ">=" and value < level) or (op == "<=" and value > level):
            out.append(f"{key}: {value} (held at {op} {level})")
    return out


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library(None)


def test_check_on_the_training_set(library: Library) -> None:
    cases = check_cases(LABELLED / "check" / "fit-train.tsv")
    assert len(cases) >= 200 and {case.label for case in cases} == {"清单内", "相近", "清单外"}
    score = score_check(cases, judge_all(library, cases))
    mistakes = [(case.task, v.verdict) for case, v in score.mistakes]
    assert holds(score.figures(), CHECK_TRAIN) == [], mistakes


def test_search_on_the_training_set(library: Library) -> None:
    cases = search_cases(LABELLED / "search" / "fit-train.tsv")
    assert len(cases) >= 100
    score = score_search(cases, top_five(library))
    assert holds(score.figures(), SEARCH_TRAIN) == [], score.mistakes


# Held-out: tests/data/check/heldout3.tsv (249 tasks by two writers, reviewed by a
# third, from the published list only) and tests/data/search/heldout.tsv were written
# before the matching they measure and are never fitted on; they are scored once per
# change of the matching (README, 「说法不同也能找到」). These levels are what was
# measured; a change that lowers any of them is a regression. Issue 8's targets
# (check: useful >= 90 %, on-list 清单外 <= 3 %, wrong items 0, off-list >= 95 %) are
# met at these levels (the README says how often the set was scored).
CHECK_HELDOUT = {
    "on_list_useful_pct": (">=", 96.5),
    "on_list_off_pct": ("<=", 1.8),
    "wrong_item_on_list": ("<=", 0),
    "off_list_off_pct": (">=", 95.0),
}
SEARCH_HELDOUT = {
    "recall_at_5_pct": (">=", 95.2),
    "best_at_1_pct": (">=", 97.1),
    "empty": ("<=", 0),
}


def test_check_on_the_held_out_set(library: Library) -> None:
    cases = check_cases(LABELLED / "check" / "heldout-heldout3.tsv")
    assert len(cases) >= 240
    score = score_check(cases, judge_all(library, cases))
    assert holds(score.figures(), CHECK_HELDOUT) == []


def test_search_on_the_held_out_set(library: Library) -> None:
    cases = search_cases(LABELLED / "search" / "heldout-heldout.tsv")
    assert len(cases) >= 100
    score = score_search(cases, top_five(library))
    assert holds(score.figures(), SEARCH_HELDOUT) == []


def test_the_shipped_verdict_model_is_the_one_the_training_files_give() -> None:
    """check_model.py and data/check_examples.tsv are written by scripts/fit_check.py: a
    hand edit, a changed training file or a changed feature without refitting fails here."""
    import importlib.util

    repo = LABELLED.parent.parent
    spec = importlib.util.spec_from_file_location("fit_check", repo / "scripts" / "fit_check.py")
    assert spec is not None and spec.loader is not None
    fit_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit_check)
    used = fit_check.TRAINING + fit_check.PRECEDENTS_ONLY
    assert not any("heldout3" in name for name in used)
    module, examples = fit_check.fitted()
    assert module == (repo / "src" / "dutycli" / "query" / "check_model.py").read_text("utf-8")
    assert examples == (repo / "data" / "check_examples.tsv").read_text("utf-8")
