"""Score search and check on a labelled file, by class.

    python -m dutycli.query.evaluate check data/labelled/check/fit-train.tsv [-v] [--voices]
    python -m dutycli.query.evaluate search data/labelled/search/fit-train.tsv [-v]
    ... [--data DIR --street NAME]   # against one subdistrict of a library

Check files: ``class<TAB>items<TAB>task[<TAB>style]`` (class 清单内 with one
item id, 相近 with the ids of the family, 清单外 with ``-``). Search files:
``query<TAB>expected ids (comma-separated)<TAB>best id[<TAB>style]``. Lines
starting with ``#`` are comments.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dutycli.query.check import OFF_LIST, ON_LIST, SIMILAR, Verdict

if TYPE_CHECKING:
    from dutycli.store.library import Library


def _rows(path: Path) -> list[list[str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            row = line.split("\t")
            if row[0] in ("class", "query"):  # a heading row
                continue
            out.append(row)
    return out


def _ids(field: str) -> list[int]:
    return [int(x) for x in field.replace("，", ",").split(",") if x.strip().isdigit()]


class CheckCase(NamedTuple):
    label: str
    items: list[int]
    task: str
    style: str


def check_cases(path: Path) -> list[CheckCase]:
    return [CheckCase(r[0], _ids(r[1]), r[2], r[3] if len(r) > 3 else "") for r in _rows(path)]


class CheckScore(NamedTuple):
    on_list: int
    on_useful: int  # 清单内 with the right item, or 相近 with the right item first
    on_off: int  # on-list tasks answered 清单外
    wrong_item: int  # 清单内 verdicts naming an item the label does not
    similar: int
    similar_useful: (
        int  # 相近 (or 清单内 of one of the family ... not counted) with a family item first
    )
    off_list: int
    off_off: int  # off-list tasks answered 清单外
    mistakes: list[tuple[CheckCase, Verdict]]

    on_exact: int = 0  # 清单内 with the right item
    # On-list tasks answered 清单外 naming nothing: no department's step, no nearest item.
    on_bare: int = 0
    on_near_right: int = 0  # on-list tasks answered 清单外 whose nearest items hold the task's
    off_near: int = 0  # off-list tasks answered 清单外 that name nearest items all the same
    # Of wrong_item: 相近 tasks answered 清单内 with one of their items (too sure; the item
    # itself is one the label names). The rest of wrong_item name an item that is not the task's.
    similar_too_sure: int = 0

    def figures(self) -> dict[str, float]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 100.0

        return {
            "on_list_useful_pct": pct(self.on_useful, self.on_list),
            "on_list_exact_pct": pct(self.on_exact, self.on_list),
            "on_list_bare_off_pct": pct(self.on_bare, self.on_list),
            "on_list_off_pct": pct(self.on_off, self.on_list),
            "wrong_item_on_list": float(self.wrong_item),
            "similar_useful_pct": pct(self.similar_useful, self.similar),
            "off_list_off_pct": pct(self.off_off, self.off_list),
            "wrong_of_which_similar_too_sure": float(self.similar_too_sure),
            "on_list_off_nearest_right_pct": pct(self.on_near_right, self.on_list),
            "off_list_nearest_pct": pct(self.off_near, self.off_list),
        }


def score_check(cases: list[CheckCase], judge: Callable[[str], Verdict]) -> CheckScore:
    on = useful = on_off = wrong = sim = sim_useful = off = off_off = exact = bare = sure = 0
    near_right = off_near = 0
    mistakes: list[tuple[CheckCase, Verdict]] = []
    for case in cases:
        v = judge(case.task)
        first = v.matches[0].item.id if v.matches else None
        good = False
        if v.verdict == ON_LIST and first not in (case.items if case.label == ON_LIST else []):
            wrong += 1
        if case.label == ON_LIST:
            on += 1
            good = v.verdict in (ON_LIST, SIMILAR) and first in case.items
            useful += good
            on_off += v.verdict == OFF_LIST
            bare += v.verdict == OFF_LIST and v.split is None and not v.nearest
            near = {n.match.item.id for n in v.nearest}
            near_right += v.verdict == OFF_LIST and bool(near & set(case.items))
            exact += v.verdict == ON_LIST and first in case.items
        elif case.label == SIMILAR:
            sim += 1
            good = v.verdict == SIMILAR and first in case.items
            sure += v.verdict == ON_LIST and first in case.items
            sim_useful += good
        else:
            off += 1
            good = v.verdict == OFF_LIST
            off_off += good
            off_near += good and bool(v.nearest)
        if not good:
            mistakes.append((case, v))
    return CheckScore(
        on,
        useful,
        on_off,
        wrong,
        sim,
        sim_useful,
        off,
        off_off,
        mistakes,
        on_exact=exact,
        on_bare=bare,
        on_near_right=near_right,
        off_near=off_near,
        similar_too_sure=sure,
    )


def by_voice(cases: list[CheckCase], judge: Callable[[str], Verdict]) -> dict[str, CheckScore]:
    """The scores per voice (the fourth column; deptstep:<voice> counts with its voice and
    as ``deptstep``), and over all cases as ``all``."""
    groups: dict[str, list[CheckCase]] = {"all": list(cases)}
    for case in cases:
        voice = case.style or "-"
        if voice.startswith("deptstep:"):
            groups.setdefault("deptstep", []).append(case)
            voice = voice.split(":", 1)[1]
        groups.setdefault(voice, []).append(case)
    return {name: score_check(group, judge) for name, group in groups.items()}


class SearchCase(NamedTuple):
    query: str
    expected: list[int]
    best: int | None
    style: str


def search_cases(path: Path) -> list[SearchCase]:
    out = []
    for r in _rows(path):
        best = _ids(r[2]) if len(r) > 2 else []
        out.append(
            SearchCase(r[0], _ids(r[1]), best[0] if best else None, r[3] if len(r) > 3 else "")
        )
    return out


class SearchScore(NamedTuple):
    queries: int
    recall5: int  # every expected item in the top five
    best1: int  # the best item first
    empty: int  # queries that found nothing
    mistakes: list[tuple[SearchCase, list[int]]]

    def figures(self) -> dict[str, float]:
        n = self.queries or 1
        return {
            "recall_at_5_pct": round(100.0 * self.recall5 / n, 1),
            "best_at_1_pct": round(100.0 * self.best1 / n, 1),
            "empty": float(self.empty),
        }


def score_search(cases: list[SearchCase], run: Callable[[str], list[int]]) -> SearchScore:
    recall = best = empty = 0
    mistakes: list[tuple[SearchCase, list[int]]] = []
    for case in cases:
        got = run(case.query)
        top = got[:5]
        r = all(i in top for i in case.expected)
        b = case.best is None or (bool(got) and got[0] == case.best)
        recall += r
        best += b
        empty += not got
        if not (r and b):
            mistakes.append((case, got[:5]))
    return SearchScore(len(cases), recall, best, empty, mistakes)


def judge_all(lib: Library, cases: list[CheckCase]) -> Callable[[str], Verdict]:
    """``check`` on every case at once (one matcher), as a judge for ``score_check``."""
    from dutycli.query.check import check_tasks

    tasks = [case.task for case in cases]
    return dict(zip(tasks, check_tasks(lib, tasks), strict=True)).__getitem__


def top_five(lib: Library) -> Callable[[str], list[int]]:
    """``search`` as ``score_search`` runs it: the ids of the first five, none on an error."""
    from dutycli.errors import DutyError
    from dutycli.query.search import search

    def run(query: str) -> list[int]:
        try:
            return [f.item.id for f in search(lib, query.split(), None, 5)]
        except DutyError:
            return []

    return run


def main(argv: list[str]) -> int:
    from dutycli.store import open_library

    if len(argv) < 2 or argv[0] not in ("check", "search"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, path, verbose = argv[0], Path(argv[1]), "-v" in argv
    # --data DIR --street NAME: the same list under another name, beside other lists.
    data = argv[argv.index("--data") + 1] if "--data" in argv else None
    street = argv[argv.index("--street") + 1] if "--street" in argv else None
    lib = open_library(data, street)
    if street is not None:
        lib.select(street, None)
    if kind == "check":
        cases = check_cases(path)
        judge = judge_all(lib, cases)
        score = score_check(cases, judge)
        for key, value in score.figures().items():
            print(f"{key}\t{value}")
        if "--voices" in argv:
            for voice, part in by_voice(cases, judge).items():
                shown = part.figures()
                n = part.on_list + part.similar + part.off_list
                print(
                    voice,
                    f"n={n}",
                    *(f"{k}={v}" for k, v in shown.items()),
                    sep="\t",
                )
        if verbose:
            for case, v in score.mistakes:
                got = [(m.item.id, round(m.score), round(m.coverage, 2)) for m in v.matches[:3]]
                print(f"{case.label}\t{case.items}\t{case.task}\t→ {v.verdict} {got}")
        return 0
    s = score_search(search_cases(path), top_five(lib))
    for key, value in s.figures().items():
        print(f"{key}\t{value}")
    if verbose:
        for miss, top in s.mistakes:
            print(f"{miss.query}\t{miss.expected}\t{miss.best}\t→ {top}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
