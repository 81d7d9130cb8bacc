"""The verdict model of ``duty check``: two logistic regressions over measured quantities.

``scripts/fit_check.py`` writes the constants below from the training files it
names (under tests/data/check); never edit them by hand, and never fit on the
held-out file (tests/data/check/heldout3.tsv). ``MODEL`` serves a list that has
decided tasks (data/check_examples.tsv, dutycli.query.precedents), ``PLAIN`` any
other. ``off`` gives the probability that a task is on none of the items
(清单外); ``top`` the probability that the best-ranked item is the task's item
(清单内), fitted on the tasks whose best items are not a qualifier family. The
thresholds were chosen by five-fold cross-validation on the training files.
"""

from __future__ import annotations

import math
from typing import NamedTuple

# What ``dutycli.query.check.features`` returns, in this order.
FEATURES = (
    "log1p(best score)",
    "log1p(best score) - log1p(runner-up score)",
    "best coverage",
    "best name coverage",
    "best coverage of the words the list knows",
    "share of the task the list never uses and nothing explains",
    "log1p(what the task says)",
    "best item in a qualifier family",
    "runner-up coverage",
    "best coverage by the item's name and the subdistrict's duties",
    "in a qualifier family: what the family's duties leave uncovered",
)
# Where the list has decided tasks (dutycli.query.precedents), these follow.
RECALL_FEATURES = (
    "similarity of the closest decided off-list task",
    "similarity of the closest decided task on the best item",
    "the first minus the second",
)


class Logistic(NamedTuple):
    weights: tuple[float, ...]  # on standardised features
    bias: float

    def probability(self, standard: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, standard, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


class VerdictModel(NamedTuple):
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    off: Logistic  # P(the task is on none of the items)
    top: Logistic  # P(the best-ranked item is the task's item)
    off_at: float  # 清单外 above this
    top_at: float  # 清单内 above this (else 相近) ...
    sure_at: float  # ... while ``off`` is at most this
    named_at: float  # the item whose qualifier the task names: 清单内 while ``off`` is at most this

    def standard(self, values: list[float]) -> list[float]:
        return [(v - m) / s for v, m, s in zip(values, self.mean, self.scale, strict=True)]


# --- written by scripts/fit_check.py ---
# For a list with decided tasks (data/check_examples.tsv).
# 1767 training cases; five-fold cross-validation: on-list useful 95.2%
# (清单内 with the item 53.6%), on-list 清单外 2.8%,
# wrong 清单内 0, off-list 清单外 94.3%.
MODEL = VerdictModel(
    mean=(
        3.857482,
        0.948111,
        0.587906,
        0.284,
        0.796353,
        0.245668,
        3.392862,
        0.093294,
        0.260964,
        0.736956,
        0.026362,
        0.261755,
        0.375921,
        -0.114166,
    ),
    scale=(
        0.929151,
        0.749451,
        0.325781,
        0.253935,
        0.242036,
        0.26691,
        0.615374,
        0.290845,
        0.207756,
        0.267052,
        0.116009,
        0.192867,
        0.252366,
        0.363485,
    ),
    off=Logistic(
        (
            -0.608633,
            0.332339,
            -0.695283,
            -0.262756,
            0.425892,
            -0.158974,
            -0.010701,
            -0.122723,
            -0.067679,
            -0.763823,
            0.245136,
            1.853227,
            -1.528669,
            2.04468,
        ),
        -2.335156,
    ),
    top=Logistic(
        (
            0.407695,
            0.762108,
            1.751617,
            0.511074,
            -0.259865,
            0.515059,
            0.563259,
            0.0,
            -1.028406,
            0.735228,
            0.0,
            -1.214317,
            0.465184,
            -0.967298,
        ),
        0.779809,
    ),
    off_at=0.375,
    top_at=0.975,
    sure_at=0.375,
    named_at=0.2,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.2%
# (清单内 with the item 33.6%), on-list 清单外 2.8%,
# wrong 清单内 1, off-list 清单外 71.0%.
PLAIN = VerdictModel(
    mean=(
        3.857482,
        0.948111,
        0.587906,
        0.284,
        0.796353,
        0.245668,
        3.392862,
        0.093294,
        0.260964,
        0.736956,
        0.026362,
    ),
    scale=(
        0.929151,
        0.749451,
        0.325781,
        0.253935,
        0.242036,
        0.26691,
        0.615374,
        0.290845,
        0.207756,
        0.267052,
        0.116009,
    ),
    off=Logistic(
        (
            -1.299925,
            0.366914,
            -1.611236,
            -0.331841,
            0.74288,
            -0.230464,
            -0.438388,
            -0.131242,
            0.011174,
            -1.377236,
            0.195233,
        ),
        -1.933778,
    ),
    top=Logistic(
        (
            0.747806,
            0.391732,
            2.144185,
            0.527469,
            -0.615795,
            0.380372,
            0.801419,
            0.0,
            -0.828376,
            1.257026,
            0.0,
        ),
        1.167145,
    ),
    off_at=0.675,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.05,
)
