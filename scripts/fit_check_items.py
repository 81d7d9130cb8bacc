"""Leave items out: how the verdict model of ``duty check`` holds on items it never saw.

    python scripts/fit_check.py --leave-items-out

The items are cut into GROUPS groups (by id); for each group the model and the decided
tasks are fitted without every task naming an item of the group (and without a fifth of
the off-list tasks), and those tasks are scored: what a new list gets, whose items have no
decided tasks. The helpers are scripts/fit_check.py's.
"""

from __future__ import annotations

from pathlib import Path

from fit_check import (
    FEATURES,
    LABELLED,
    RECALL_FEATURES,
    TOP_ON_LIST,
    TRAINING,
    Case,
    CheckCase,
    Figures,
    Verdict,
    figures,
    fit,
    judge,
    labelled,
    matcher,
    measured,
    plain,
)

GROUPS = 5


def leave_items_out(folder: Path = LABELLED) -> tuple[Figures, int]:
    """Figures on tasks whose items the model and the decided tasks never saw.

    Items fall into GROUPS groups by id (id modulo GROUPS); off-list tasks by position.
    For each group: the decided tasks and the fit leave out every task labelled with an
    item of the group, a 相近 task naming one among others included (so that no decided
    task knows the group's items), and the group's off-list tasks; the tasks of the fit
    files whose first labelled item is in the group are then scored (each task once).
    The thresholds are the full fit's (check_model.MODEL's and PLAIN's)."""
    from dutycli.query.check_model import MODEL

    m, of = matcher()
    rows = labelled(folder)

    def group(position: int, case: CheckCase) -> int:
        return min(case.items) % GROUPS if case.items else position % GROUPS

    def touches(position: int, case: CheckCase, g: int) -> bool:
        if not case.items:
            return position % GROUPS == g
        return any(i % GROUPS == g for i in case.items)

    from dutycli.query.check_model import PLAIN

    scored: list[Case] = []
    verdicts: list[Verdict] = []
    thresholds = (MODEL.off_at, MODEL.top_at, MODEL.sure_at, MODEL.named_at)
    plain_thresholds = (PLAIN.off_at, PLAIN.top_at, PLAIN.sure_at, PLAIN.named_at)
    width = len(FEATURES) + len(RECALL_FEATURES)
    for g in range(GROUPS):
        kept = [r for n, r in enumerate(rows) if not touches(n, r[1], g)]
        held = [r for n, r in enumerate(rows) if group(n, r[1]) == g and r[0] in TRAINING]
        train, _ = measured(m, of, kept, [r for r in kept if r[0] in TRAINING], True)
        # Tasks led by an item with no decided tasks are judged by the plain model.
        with_recall = fit([c for c in train if len(c.values) == width], thresholds)
        without = fit(plain(train), plain_thresholds, TOP_ON_LIST["PLAIN"])
        tested, _ = measured(m, of, kept, held, False)
        scored += tested
        verdicts += [judge(c, without if c.recall is None else with_recall) for c in tested]
    return figures(scored, verdicts), len(scored)


def report() -> int:
    f, n = leave_items_out()
    print(
        f"leave items out ({GROUPS} groups, {n} tasks of the fit files): "
        f"on-list useful {f.on_useful:.1%}, 清单内 with the item {f.on_exact:.1%}, "
        f"on-list 清单外 {f.on_off:.1%} (bare {f.on_bare:.1%}), wrong 清单内 {f.wrong} "
        f"(of which 相近 tasks 清单内 with one of their items {f.over}), "
        f"off-list 清单外 {f.off_off:.1%}"
    )
    return 0
