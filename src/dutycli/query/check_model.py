"""The verdict model of ``duty check``: two logistic regressions over measured quantities.

``scripts/fit_check.py`` writes the constants below from the fit files it names
(under data/labelled/check); never edit them by hand, and never fit on a held-out
file (data/labelled/check/heldout-*). ``MODEL`` serves a list that has decided
tasks (data/check_examples.tsv, dutycli.query.precedents), ``PLAIN`` any other.
``off`` gives the probability that a task is on none of the items (清单外); ``top``
the probability that the best-ranked item is the task's item (清单内), fitted on the
tasks whose best items are not a qualifier family (for ``MODEL``, on the on-list
tasks only: which item, not whether any; fit_check.TOP_ON_LIST). The thresholds
were chosen by five-fold cross-validation on the fit files.
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
    "share of the task only the best item holds, not the runner-up",
    "best street step's share of the task minus the runner-up's",
    "best department's step's share of the task minus the best street step's",
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
# 3361 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 43.0%), on-list 清单外 2.0% (bare 1.5%),
# wrong 清单内 1, off-list 清单外 92.5%.
MODEL = VerdictModel(
    mean=(
        3.918866,
        0.962366,
        0.541987,
        0.293376,
        0.777854,
        0.286718,
        3.537844,
        0.088385,
        0.237119,
        0.745297,
        0.023829,
        0.304127,
        0.186466,
        -0.099134,
        0.2802,
        0.39448,
        -0.114279,
    ),
    scale=(
        0.901684,
        0.734791,
        0.318938,
        0.251885,
        0.238061,
        0.269097,
        0.656726,
        0.283855,
        0.199284,
        0.253985,
        0.10379,
        0.264325,
        0.249924,
        0.242326,
        0.182682,
        0.246643,
        0.347689,
    ),
    off=Logistic(
        (
            -0.659435,
            0.134211,
            -0.90261,
            -0.239221,
            0.433439,
            -0.175243,
            -0.154189,
            0.067661,
            0.019037,
            -0.315788,
            0.074997,
            0.601808,
            0.086036,
            0.440606,
            1.887904,
            -2.015392,
            2.421614,
        ),
        -3.041233,
    ),
    top=Logistic(
        (
            0.181495,
            1.690632,
            1.134255,
            0.033668,
            -0.1715,
            -0.041825,
            0.57374,
            0.0,
            -0.973836,
            0.835281,
            0.0,
            0.238592,
            0.425035,
            0.43284,
            -0.112471,
            0.347735,
            -0.30577,
        ),
        2.72002,
    ),
    off_at=0.525,
    top_at=0.985,
    sure_at=0.005,
    named_at=0.005,
)
# For any other list.
# 3361 training cases; five-fold cross-validation: on-list useful 95.5%
# (清单内 with the item 20.7%), on-list 清单外 1.6% (bare 1.1%),
# wrong 清单内 0, off-list 清单外 66.5%.
PLAIN = VerdictModel(
    mean=(
        3.918866,
        0.962366,
        0.541987,
        0.293376,
        0.777854,
        0.286718,
        3.537844,
        0.088385,
        0.237119,
        0.745297,
        0.023829,
        0.304127,
        0.186466,
        -0.099134,
    ),
    scale=(
        0.901684,
        0.734791,
        0.318938,
        0.251885,
        0.238061,
        0.269097,
        0.656726,
        0.283855,
        0.199284,
        0.253985,
        0.10379,
        0.264325,
        0.249924,
        0.242326,
    ),
    off=Logistic(
        (
            -1.401594,
            0.241043,
            -1.815327,
            -0.247795,
            0.930398,
            -0.595362,
            -0.339948,
            -0.284901,
            -0.046251,
            -1.118435,
            0.118172,
            0.43168,
            -0.164545,
            0.367336,
        ),
        -1.815261,
    ),
    top=Logistic(
        (
            0.869623,
            0.315986,
            2.169362,
            0.308819,
            -1.348283,
            0.386363,
            0.606585,
            0.0,
            -0.917406,
            1.731453,
            0.0,
            -0.502956,
            0.595092,
            0.005164,
        ),
        0.950084,
    ),
    off_at=0.725,
    top_at=0.99,
    sure_at=0.725,
    named_at=0.01,
)
