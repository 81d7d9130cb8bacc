"""Is a task that a department pushes down on the list, and which item is it?

The parts, each in its own module:

- ``check_match``: the task's terms and the items ranked by them (BM25 over
  character bigrams, read through the query-understanding layer ``dutycli.text``);
- ``check_terms``: the words that say nothing, the items' fields, the hotline's and
  the minutes' wrapper (``unframe``), the qualifier families;
- ``check_step``: whose step the task asks for, the subdistrict's or the
  department's (the department's step pushed down is 清单外);
- ``check_verdict``: the verdict, a pure function of the ranking (rules, then the
  fitted model ``check_model``), with its explanation;
- ``precedents``: decided tasks, attached to items' content.

The model is fitted by scripts/fit_check.py on the fit files under
data/labelled/check (data/labelled/MANIFEST.tsv names each file's role), its
thresholds by cross-validation there; the held-out files are scored, never fitted
on. Verdicts depend on the items only, never on a list's or subdistrict's name.

Across kinds (``check_tasks``): a task is checked against one subdistrict's
lists (基本, 配合, 收回) together, with that subdistrict's items only, so the
verdict does not drift with how many other lists are loaded. A 清单内 match on
the 基本 list is the subdistrict's own duty; on the 收回 list it is a duty a
department took back (``TAKEN``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from dutycli.lists.model import TAKEN_BACK, kind_of
from dutycli.query.check_match import Matcher
from dutycli.query.check_step import Split, StreetStep, bigrams, department_step, split_step
from dutycli.query.check_verdict import (
    OFF_LIST,
    ON_LIST,
    SIMILAR,
    TAKEN,
    Evidence,
    Explanation,
    Qualified,
    Scored,
    Verdict,
    decide,
    features,
    lead,
)

if TYPE_CHECKING:
    from dutycli.query.precedents import Index
    from dutycli.store.library import Library

__all__ = [
    "OFF_LIST",
    "ON_LIST",
    "SIMILAR",
    "TAKEN",
    "Evidence",
    "Explanation",
    "Matcher",
    "Qualified",
    "Scored",
    "Split",
    "StreetStep",
    "Subdistrict",
    "Verdict",
    "bigrams",
    "check_tasks",
    "decide",
    "department_step",
    "features",
    "lead",
    "split_step",
    "subdistrict_matcher",
]


class Subdistrict(NamedTuple):
    """One subdistrict's lists, ready to check tasks against (``subdistrict_matcher``)."""

    matcher: Matcher  # all of the subdistrict's items, with the lists' layer and decided tasks
    refs: list[Any]  # the store's ListRef of each of its lists
    of_item: dict[int, Any]  # id(item) -> the ListRef of its list
    wanted: set[int]  # id(item) of the items of the selected lists (--kind)


def subdistrict_matcher(lib: Library) -> Subdistrict:
    """The matcher of the one selected subdistrict, from the store.

    It holds all of the subdistrict's items (its statistics are the subdistrict's,
    whatever else is loaded), the layer of its lists and, where they are its list's
    alone, the shipped decided tasks (dutycli.query.precedents).
    """
    from dutycli.query.layers import LayerSource
    from dutycli.query.precedents import Precedents, for_items

    everything, chosen, departments = lib.check_material(lib.one_subdistrict())
    refs = list(dict.fromkeys(ref for _, ref, _ in everything))
    items = [item for _, _, item in everything]
    source = LayerSource(lib, refs, lambda: items, lambda: departments)
    matcher = Matcher(items, departments, source.layer(), lib.readings, source.sounds)
    raw = for_items(item.name for item in items)
    if raw is not None:

        def compile_them() -> Index | None:
            found = Precedents.parse(raw.decode("utf-8", "replace"))
            return found.compile(matcher.grams, matcher.weight) if found else None

        matcher.precedents = source.precedents(raw, compile_them)
    of_item = {id(item): ref for _, ref, item in everything}
    wanted = {id(item) for _, _, item in chosen}
    return Subdistrict(matcher, refs, of_item, wanted)


def check_tasks(lib: Library, tasks: list[str], candidates: int = 5) -> list[Verdict]:
    """Verdicts on tasks against the one selected subdistrict's lists, from the store;
    matches are kept to the selected lists (``--kind``)."""
    matcher, _, of_item, wanted = subdistrict_matcher(lib)
    ids = Counter(item.id for item in matcher.items)
    out = []
    for task in tasks:
        verdict = matcher.check(task, candidates)
        matches = [
            m._replace(source=of_item[id(m.item)]) for m in verdict.matches if id(m.item) in wanted
        ]
        nearest = tuple(  # as the note below: an item number that names one list here
            n._replace(match=n.match._replace(source=of_item[id(n.match.item)]))
            for n in verdict.nearest
            if id(n.match.item) in wanted and ids[n.match.item.id] == 1
        )
        if not matches and verdict.verdict != OFF_LIST:
            verdict = Verdict(task, OFF_LIST, [])
        else:
            verdict = verdict._replace(matches=matches, nearest=nearest)
        if verdict.verdict == OFF_LIST and verdict.split and ids[verdict.split.item] > 1:
            # An item number alone names no list here (another of the subdistrict's lists
            # has an item of that number); where it is the only one, the note stays.
            verdict = verdict._replace(split=None)
        if verdict.verdict == ON_LIST and matches:
            kind = kind_of(matches[0].source.kind)
            verdict = verdict._replace(verdict=TAKEN if kind == TAKEN_BACK else ON_LIST, kind=kind)
        out.append(verdict)
    return out
