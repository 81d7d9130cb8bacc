"""How the department's-step rule (check_step) does on the fit and decided files.

    python scripts/step_check.py [-v]   # per file: the rule on on-list, off-list, deptstep tasks

The rule (``Matcher.step``) answers 清单外 whatever the model says, so what it catches
and what it wrongly sends off the list is measured here apart from the model:

- deptstep: the fit-voices tasks whose voice is ``deptstep:<voice>`` (the subdistrict
  asked for the department's step), caught when the rule fires;
- on-list: the tasks labelled 清单内 or 相近, wrongly sent 清单外 when it fires;
- off-list: the other 清单外 tasks (the decided-train4e file is the departments' pushed
  tasks), where firing is never wrong.

Fit and decided files only; the held-out files are never read.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from fit_check import LABELLED, PRECEDENTS_ONLY, TRAINING, matcher  # noqa: E402

from dutycli.query.check import OFF_LIST, lead  # noqa: E402
from dutycli.query.check_terms import unframe  # noqa: E402
from dutycli.query.evaluate import check_cases  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    m, _ = matcher()
    m.precedents = None
    totals = [0] * 6
    print("file\ton-list\truled\toff-list\truled\tdeptstep\truled")
    for name in TRAINING + PRECEDENTS_ONLY:
        row = [0] * 6
        for case in check_cases(LABELLED / name):
            task = unframe(case.task)
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
