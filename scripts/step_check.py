"""How the department's-step rule (check_step) does on the fit and decided files.

    python scripts/step_check.py [-v]   # per file: the rule on on-list, off-list, deptstep tasks
    python scripts/step_check.py --cv   # the deptstep tasks' verdicts in cross-validation
    python scripts/step_check.py --list-words  # the powers' words cut to the list's and the issue's

The rule (``Matcher.step``) answers 清单外 whatever the model says, so what it catches
and what it wrongly sends off the list is measured here apart from the model:

- deptstep: the fit-voices tasks whose voice is ``deptstep:<voice>`` (the subdistrict
  asked for the department's step), caught when the rule fires;
- on-list: the tasks labelled 清单内 or 相近, wrongly sent 清单外 when it fires;
- off-list: the other 清单外 tasks (the decided-train4e file is the departments' pushed
  tasks), where firing is never wrong.

With ``--cv``: the verdicts of the five-fold cross-validation scripts/fit_check.py chooses
its thresholds by (each fold's model fitted without the task, its own file's decided tasks
left out), for the deptstep tasks: how many are answered 清单外, by the rule or the model.

With ``--list-words``: the rule with each power's words cut to those the shipped list's
department columns use and those issue 18 names (``ISSUE_WORDS``), none taken from a task:
how the rule does on vocabulary not derived from the task files.

Fit and decided files only; the held-out files are never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_check import (  # noqa: E402
    FOLDS,
    LABELLED,
    PRECEDENTS_ONLY,
    TOP_ON_LIST,
    TRAINING,
    cases,
    choose,
    fit,
    judge,
    matcher,
    plain,
)

from dutycli.query.check import OFF_LIST, lead  # noqa: E402
from dutycli.query.evaluate import check_cases  # noqa: E402

# The department's steps and their everyday words as issue 18 and its brief name them.
ISSUE_WORDS = frozenset(
    [
        "审批",
        "审核确认",
        "核发",
        "认定",
        "组织考试",
        "考试",
        "定兵",
        "处罚",
        "查封",
        "直接发放",
        "出具",
        "结论",
        "评估",
        "验收",
        "制定",
        "发布",
        "批准",
        "发证",
        "颁发",
        "罚款",
        "罚",
        "笔试",
        "面试",
        "鉴定",
        "评定",
        "代发",
        "发钱",
        "出结论",
        "下结论",
    ]
)


def list_words() -> None:
    """Cut check_step's powers to the words of the shipped list's department columns and
    ISSUE_WORDS."""
    from dutycli.lists.load import load
    from dutycli.query import check_step

    upper = "\n".join(
        step
        for item in load(ROOT / "data" / "items.yaml").items
        for block in item.upper_duties
        for step in block.steps
    )
    kept = tuple(
        p._replace(words=tuple(w for w in p.words if w in upper or w in ISSUE_WORDS))
        for p in check_step.POWERS
    )
    check_step.POWERS = kept
    check_step._POWER_OF = {w: p for p in kept for w in p.words}
    check_step._WORDS = sorted(check_step._POWER_OF, key=len, reverse=True)
    dropped = sorted(set(check_step.AUTHORITY) - set(check_step._WORDS))
    print("words left out:", " ".join(dropped))


def cross_validated() -> int:
    rows, _ = cases(*matcher(), LABELLED)
    for name, these in (("MODEL", rows), ("PLAIN", plain(rows))):
        thresholds, _ = choose(these, TOP_ON_LIST[name])
        folds = [
            fit([c for i, c in enumerate(these) if i % FOLDS != k], thresholds, TOP_ON_LIST[name])
            for k in range(FOLDS)
        ]
        dept = [
            (c, judge(c, folds[i % FOLDS]))
            for i, c in enumerate(these)
            if c.case.style.startswith("deptstep")
        ]
        off = sum(v.verdict == OFF_LIST for _, v in dept)
        ruled = sum(c.ruled for c, _ in dept)
        print(
            f"{name}: deptstep answered 清单外 {off}/{len(dept)} ({off / len(dept):.1%}), "
            f"{ruled} by the rule"
        )
    return 0


def main(argv: list[str]) -> int:
    if "--list-words" in argv:
        list_words()
    if "--cv" in argv:
        return cross_validated()
    verbose = "-v" in argv
    m, _ = matcher()
    m.precedents = None
    totals = [0] * 6
    print("file\ton-list\truled\toff-list\truled\tdeptstep\truled")
    for name in TRAINING + PRECEDENTS_ONLY:
        row = [0] * 6
        for case in check_cases(LABELLED / name):
            task = m.core(case.task)
            ranked = m.rank(task)
            qualified = m.qualifiers(ranked, m.weighted(task)) if ranked else None
            step = m.step(task, ranked, qualified)
            if case.style.startswith("deptstep"):
                col = 4
            elif case.label == OFF_LIST:
                col = 2
            else:
                col = 0
            row[col] += 1
            row[col + 1] += step is not None
            first = lead(ranked, qualified)[0].item.id if ranked else None
            if verbose and (col == 0) == (step is not None):
                what = f"{step.item} {step.words} | {step.step}" if step else f"lead {first}"
                print(f"  {name} {case.label} {case.items} {case.style}: {case.task}  -> {what}")
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(name, *row, sep="\t")
    print("all", *totals, sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
