"""Quality on the labelled sets, held at the level measured when the policy was fitted.

The labelled files under data/labelled (data/labelled/MANIFEST.tsv names each file's
author, voices and role) were written from the published list only, by people who did
not write the code. The verdict model is fitted on the fit files named in
scripts/fit_check.py; the held-out files are scored once per change, never fitted on.
Re-measure with ``python -m dutycli.query.evaluate check|search FILE -v [--voices]``.
Each level below is what was measured; a change that lowers any of them is a regression.
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

Levels = dict[str, tuple[str, float]]


def holds(figures: dict[str, float], levels: Levels) -> list[str]:
    out = []
    for key, (op, level) in levels.items():
        value = figures[key]
        if (op == ">=" and value < level) or (op == "<=" and value > level):
            out.append(f"{key}: {value} (held at {op} {level})")
    return out


def check_levels(useful: float, exact: float, bare: float, wrong: int, off: float) -> Levels:
    return {
        "on_list_useful_pct": (">=", useful),
        "on_list_exact_pct": (">=", exact),
        "on_list_bare_off_pct": ("<=", bare),
        "wrong_item_on_list": ("<=", wrong),
        "off_list_off_pct": (">=", off),
    }


def search_levels(recall5: float, best1: float, empty: int) -> Levels:
    return {
        "recall_at_5_pct": (">=", recall5),
        "best_at_1_pct": (">=", best1),
        "empty": ("<=", empty),
    }


# Fit files: the tasks are also decided tasks (data/check_examples.tsv), so these are
# in-sample figures; scripts/fit_check.py reports cross-validated and leave-items-out ones.
# Held-out files: heldout-heldout3 and search/heldout-heldout were scored many times over
# the project's rounds, heldout-voices three times and as a pass/fail gate (worn, see the
# manifest); heldout-round5 is issue 18's acceptance set (docs/DEVELOPING.md).
# (on-list useful %, 清单内 with the item %, bare 清单外 %, wrong items, off-list 清单外 %)
CHECK_FIT_TRAIN = (97.8, 87.2, 0.0, 0, 100.0)
# fit-voices, in-sample, after the third issue-18 round (whose-step rule from the list's columns,
# the step and only-the-best features, thresholds off the edge of the last wrong item):
# 清单内 with its item 87.4 -> 86.4 % in-sample (cross-validated 63.1 -> 64.0 %).
CHECK_FIT_VOICES = (97.0, 86.4, 1.0, 2, 100.0)
CHECK_HELDOUT3 = (96.5, 72.9, 0.6, 0, 96.7)
# Issue 18's held-out set, scored twice (README): below the issue's targets but for
# off-list 清单外 (95.5 %); these levels keep it from getting worse.
CHECK_HELDOUT_VOICES = (93.8, 54.5, 3.4, 2, 95.5)
# The fresh held-out set of the second issue-18 round (heldout-round5), written by a helper
# from the published list only; scored twice (before and after that round's changes, see
# docs/DEVELOPING.md). These are the second score's figures, below the targets.
# Third round: one more of its on-list tasks is a bare 清单外 (7.5 -> 8.1 %) after the whose-step
# rule and the new features (pass/fail only; the fresh sets below measured the round).
CHECK_HELDOUT_ROUND5 = (90.9, 57.0, 8.1, 1, 94.4)
# A third independent set (heldout-round6), scored before and after the session's last change.
CHECK_HELDOUT_ROUND6 = (93.1, 59.0, 4.8, 3, 92.4)
# The two fresh sets of the third round (heldout-round7, heldout-round8), written from the
# published list only; scored three times (their READMEs), these are the third score's figures.
CHECK_HELDOUT_ROUND7 = (89.3, 43.9, 7.7, 4, 93.8)
CHECK_HELDOUT_ROUND8 = (88.1, 45.4, 8.2, 1, 97.2)
# (every expected item in the top 5 %, best first %, empty answers)
SEARCH_FIT_TRAIN = (96.5, 99.3, 0)
SEARCH_FIT_VOICES = (86.7, 89.3, 5)
SEARCH_HELDOUT = (96.2, 97.1, 0)
SEARCH_HELDOUT_VOICES = (91.0, 88.9, 2)
SEARCH_HELDOUT_ROUND5 = (93.1, 91.9, 2)
SEARCH_HELDOUT_ROUND6 = (91.2, 88.8, 4)
SEARCH_HELDOUT_ROUND7 = (90.6, 88.1, 3)
SEARCH_HELDOUT_ROUND8 = (85.0, 80.0, 7)
CHECK = {
    "fit-train.tsv": check_levels(*CHECK_FIT_TRAIN),
    "fit-voices.tsv": check_levels(*CHECK_FIT_VOICES),
    "heldout-heldout3.tsv": check_levels(*CHECK_HELDOUT3),
    "heldout-voices.tsv": check_levels(*CHECK_HELDOUT_VOICES),
    "heldout-round5.tsv": check_levels(*CHECK_HELDOUT_ROUND5),
    "heldout-round6.tsv": check_levels(*CHECK_HELDOUT_ROUND6),
    "heldout-round7.tsv": check_levels(*CHECK_HELDOUT_ROUND7),
    "heldout-round8.tsv": check_levels(*CHECK_HELDOUT_ROUND8),
}
SEARCH = {
    "fit-train.tsv": search_levels(*SEARCH_FIT_TRAIN),
    "fit-voices.tsv": search_levels(*SEARCH_FIT_VOICES),
    "heldout-heldout.tsv": search_levels(*SEARCH_HELDOUT),
    "heldout-voices.tsv": search_levels(*SEARCH_HELDOUT_VOICES),
    "heldout-round5.tsv": search_levels(*SEARCH_HELDOUT_ROUND5),
    "heldout-round6.tsv": search_levels(*SEARCH_HELDOUT_ROUND6),
    "heldout-round7.tsv": search_levels(*SEARCH_HELDOUT_ROUND7),
    "heldout-round8.tsv": search_levels(*SEARCH_HELDOUT_ROUND8),
}


@pytest.fixture(scope="module")
def library() -> Library:
    return open_library(None)


@pytest.mark.parametrize("name", sorted(CHECK))
def test_check_on_a_labelled_set(library: Library, name: str) -> None:
    cases = check_cases(LABELLED / "check" / name)
    assert len(cases) >= 200 and {case.label for case in cases} == {"清单内", "相近", "清单外"}
    score = score_check(cases, judge_all(library, cases))
    mistakes = [(case.task, v.verdict) for case, v in score.mistakes]
    assert holds(score.figures(), CHECK[name]) == [], mistakes


@pytest.mark.parametrize("name", sorted(SEARCH))
def test_search_on_a_labelled_set(library: Library, name: str) -> None:
    cases = search_cases(LABELLED / "search" / name)
    assert len(cases) >= 100
    score = score_search(cases, top_five(library))
    assert holds(score.figures(), SEARCH[name]) == [], score.mistakes


def test_every_labelled_file_is_in_the_manifest_with_its_role() -> None:
    rows = [
        line.split("\t")
        for line in (LABELLED / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "file\t"))
    ]
    listed = {r[0]: r for r in rows}
    files = {
        str(p.relative_to(LABELLED)) for p in LABELLED.rglob("*.tsv") if p.name != "MANIFEST.tsv"
    }
    assert set(listed) == files
    for name, row in listed.items():
        role = row[3].split("（")[0]
        assert role in ("fit", "decided-only", "held-out"), name
        # Files are named by role.
        assert name.split("/")[1].startswith(
            {"fit": "fit-", "decided-only": "decided-", "held-out": "heldout-"}[role]
        )
        rows_in_file = len(
            check_cases(LABELLED / name)
            if name.startswith("check/")
            else search_cases(LABELLED / name)
        )
        assert rows_in_file == int(row[4]), name


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
    assert not any(name.startswith("heldout-") for name in used)
    module, examples = fit_check.fitted()
    assert module == (repo / "src" / "dutycli" / "query" / "check_model.py").read_text("utf-8")
    assert examples == (repo / "data" / "check_examples.tsv").read_text("utf-8")
