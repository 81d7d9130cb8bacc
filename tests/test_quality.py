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
# fit-heldvoices and fit-round5..10 were issue 18's held-out sets of its first four rounds
# (scored two or three times each, see their READMEs) and were folded into the fit later
# (round5..8 in the fourth round, round9 and round10 in the fifth). Held-out files:
# heldout-heldout3 and search/heldout-heldout were scored many times over the project's
# rounds (worn, see the manifest); heldout-round11 and heldout-round12 are the fifth round's
# fresh sets (docs/DEVELOPING.md).
# (on-list useful %, 清单内 with the item %, bare 清单外 %, wrong items, off-list 清单外 %); the
# wrong items of the fit files are 相近 tasks answered 清单内 with one of their items (the
# thresholds allow 3 % of those, scripts/fit_check.py OVER_SHARE) but one: fit-round10's
# 关于请各街道直接发放托育机构生均运营补贴资金的通知, a department's step answered 清单内 (28).
# The fifth round (fold, spoken words, OVER_SHARE 2 % -> 3 %) moved 清单内 with the item on
# every file (heldout-heldout3 72.4 -> 65.3) and the too-sure 相近 tasks with it. The sixth
# (a 相近's candidates in duty_first order, a letter's basis left out, refit: off_at 0.425 ->
# 0.40) raised on-list useful on seven of these files, lowered 清单内 with the item on three
# fit files by 0.5-0.6 points and added a too-sure 相近 task to fit-voices (in-sample;
# cross-validated 清单内 with the item rose 55.7 -> 55.9 % and the wrong items fell 10 -> 9).
CHECK_FIT = {
    "fit-train.tsv": (99.4, 91.1, 0.0, 0, 100.0),
    "fit-voices.tsv": (96.0, 89.4, 1.5, 6, 100.0),
    "fit-heldvoices.tsv": (96.0, 87.5, 0.6, 1, 99.1),
    "fit-round5.tsv": (95.7, 83.9, 1.6, 3, 99.1),
    "fit-round6.tsv": (96.3, 89.9, 1.6, 5, 100.0),
    "fit-round7.tsv": (94.9, 87.2, 1.5, 11, 100.0),
    "fit-round8.tsv": (96.4, 87.6, 1.5, 8, 100.0),
    "fit-round9.tsv": (97.8, 92.3, 1.1, 11, 100.0),
    "fit-round10.tsv": (94.2, 86.9, 1.6, 10, 96.2),
}
CHECK_HELDOUT3 = (97.6, 68.2, 0.6, 0, 96.7)
# (every expected item in the top 5 %, best first %, empty answers)
SEARCH_FIT = {
    "fit-train.tsv": (99.3, 99.3, 0),
    "fit-voices.tsv": (96.7, 94.0, 0),
    "fit-heldvoices.tsv": (97.2, 95.8, 0),
    "fit-round5.tsv": (98.1, 97.5, 0),
    "fit-round6.tsv": (98.1, 95.0, 0),
    "fit-round7.tsv": (95.6, 93.1, 1),
    "fit-round8.tsv": (94.4, 92.5, 0),
    "fit-round9.tsv": (94.4, 95.0, 0),
    "fit-round10.tsv": (94.4, 87.5, 0),
}
SEARCH_HELDOUT = (99.0, 98.1, 0)
# The fifth round's fresh sets, written from the published list only. round11 and round12
# before the round (scored on 4799fee, after its first step, and a third time after its
# second: these floors); round13 and round14 after its first step (scored before and after
# the second: these floors). The sixth round's changes moved them (these floors, measured on
# its final state: round11 and round12 a fourth time, round13 and round14 a third). round15
# and round16, written at the end of the fifth, were scored four times in the sixth (worn: the
# last are these floors). docs/DEVELOPING.md has every score.
# Held-out sets of the later rounds and the development set, by file (useful, exact, bare,
# wrong, off; the search floors below).
CHECK_LATER = {
    "heldout-round11.tsv": (94.4, 55.6, 3.5, 1, 96.2),
    "heldout-round12.tsv": (95.8, 44.7, 0.5, 1, 94.5),
    "heldout-round13.tsv": (95.3, 57.5, 2.1, 2, 95.5),
    "heldout-round14.tsv": (95.6, 50.2, 1.5, 3, 96.2),
    "heldout-round15.tsv": (93.8, 42.8, 3.1, 5, 96.1),
    "heldout-round16.tsv": (95.9, 50.8, 2.6, 1, 97.0),
    # The sixth round's fresh sets, scored before and after it (these are the after figures),
    # and the seventh's, scored before it (on 5c37806, these figures) and after a change that the
    # after figures had withdrawn (the final check is the code scored before; its search answers
    # are the same, see docs/PERFORMANCE.md). round19 has five empty answers.
    "heldout-round17.tsv": (95.8, 51.6, 3.2, 0, 96.3),
    "heldout-round18.tsv": (95.8, 57.9, 2.1, 2, 97.1),
    "heldout-round19.tsv": (96.8, 52.4, 2.1, 4, 96.4),
    "heldout-round20.tsv": (93.6, 50.2, 3.9, 5, 93.8),
    # The seventh round's later sets: round21 and round22 scored before it (af7b81d) and after a
    # first version of the nearest items; round23 and round24 before it and on its final check
    # (fba42eb). Nearest items change no verdict: these are the before figures, with the bare
    # 清单外 of the after scoring for round23 and round24 (naming nothing; the before figures
    # bound the others).
    "heldout-round21.tsv": (94.2, 48.2, 2.6, 2, 94.3),
    "heldout-round22.tsv": (92.9, 50.5, 1.5, 1, 94.3),
    "heldout-round23.tsv": (93.3, 46.1, 1.0, 2, 99.0),
    "heldout-round24.tsv": (94.5, 52.8, 0.5, 2, 94.4),
    # round25 and round26, scored on the final code (4fdc485) and after a thesaurus addition that
    # the figures and the floors above had withdrawn: the first figures. round26's search misses
    # its targets (83.1 % with every expected item in the top five).
    "heldout-round25.tsv": (90.7, 40.9, 1.6, 1, 93.2),
    "heldout-round26.tsv": (92.9, 44.7, 1.5, 2, 99.0),
    # The eighth round's fresh sets, scored before it (29c5053), on a first version of its change
    # (a step of the department told as background is no longer asked of the subdistrict; it also
    # moved one fit task and so the model) and on the final code (the same model as before): the
    # last two gave these figures. round27 came out the same all three times; round28 is the first
    # set with no wrong item.
    "heldout-round27.tsv": (95.0, 47.3, 1.0, 2, 90.3),  # 88.3 before 直接评 and 自己把钱发了
    "heldout-round28.tsv": (95.1, 49.3, 1.0, 0, 96.8),
    # The eighth round's later sets, scored before its second part (5752a8d) and after it (the lead
    # department first in search, 直接评 and 自己把钱发了 as the subdistrict's own decision): the
    # same figures both times.
    "heldout-round29.tsv": (93.9, 54.5, 0.5, 0, 96.1),
    "heldout-round30.tsv": (94.9, 43.4, 2.0, 0, 91.9),
    # The eighth round's last sets, scored before (76c4ed6) and after the names of areas, which
    # check does not read: the same check figures both times.
    "heldout-round31.tsv": (96.9, 51.0, 0.0, 3, 93.9),
    "heldout-round32.tsv": (92.9, 47.2, 0.5, 2, 93.9),
    # The eighth round's closing sets, scored once, on its final code (6b215b4).
    "heldout-round33.tsv": (94.6, 49.5, 0.5, 3, 93.9),
    "heldout-round34.tsv": (95.0, 51.3, 0.5, 2, 94.9),
    # The seventh round's development set: situations in the hotline's, residents' and voice
    # input's words (read item by item while tuning; neither fitted nor decided tasks). Its figures
    # are the weakest of all: the gap issue 18 still has. Bare 清单外 16.9 -> 5.5 % with the
    # nearest items beside a 清单外 the model is not all but sure of (on-list tasks answered 清单外
    # stay 17.9 %; for 7.0 % of the on-list tasks the nearest hold the task's item).
    "dev-situations.tsv": (70.1, 8.5, 5.5, 2, 91.7),
}
SEARCH_LATER = {
    "heldout-round11.tsv": (93.1, 91.2, 0),
    "heldout-round12.tsv": (98.1, 93.8, 0),
    "heldout-round13.tsv": (95.0, 92.5, 0),
    "heldout-round14.tsv": (93.8, 93.1, 1),
    "heldout-round15.tsv": (94.4, 91.9, 0),
    "heldout-round16.tsv": (98.1, 93.8, 0),
    "heldout-round17.tsv": (94.4, 91.2, 2),
    "heldout-round18.tsv": (95.0, 95.0, 0),
    "heldout-round19.tsv": (91.9, 86.9, 5),
    "heldout-round20.tsv": (95.6, 95.0, 0),
    "heldout-round21.tsv": (93.8, 91.2, 0),
    "heldout-round22.tsv": (95.6, 93.1, 0),
    "heldout-round23.tsv": (93.1, 92.5, 1),
    "heldout-round24.tsv": (95.0, 91.2, 0),
    "heldout-round25.tsv": (95.6, 91.2, 1),
    "heldout-round26.tsv": (83.1, 88.1, 2),
    # round27-30 after the lead department first and the names of areas (read item by item
    # before them: worn); round31 and round32 after the names of areas (scored once before).
    "heldout-round27.tsv": (93.1, 84.4, 1),
    "heldout-round28.tsv": (94.4, 90.6, 0),
    "heldout-round29.tsv": (96.9, 94.4, 0),
    "heldout-round30.tsv": (96.9, 90.6, 0),
    "heldout-round31.tsv": (95.0, 91.2, 1),
    "heldout-round32.tsv": (95.6, 93.8, 1),
    "heldout-round33.tsv": (91.9, 88.8, 2),
    "heldout-round34.tsv": (95.0, 91.2, 1),
    "dev-situations.tsv": (90.9, 89.6, 3),  # 4 empty before cxjmylbx
}
CHECK = {
    **{name: check_levels(*levels) for name, levels in CHECK_FIT.items()},
    "heldout-heldout3.tsv": check_levels(*CHECK_HELDOUT3),
    **{name: check_levels(*levels) for name, levels in CHECK_LATER.items()},
}
SEARCH = {
    **{name: search_levels(*levels) for name, levels in SEARCH_FIT.items()},
    "heldout-heldout.tsv": search_levels(*SEARCH_HELDOUT),
    **{name: search_levels(*levels) for name, levels in SEARCH_LATER.items()},
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
        assert role in ("fit", "decided-only", "dev", "held-out"), name
        # Files are named by role.
        assert name.split("/")[1].startswith(
            {"fit": "fit-", "decided-only": "decided-", "dev": "dev-", "held-out": "heldout-"}[role]
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
