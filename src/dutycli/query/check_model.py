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
# 1767 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 67.8%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 93.4%.
MODEL = VerdictModel(
    mean=(
        3.855405,
        0.951842,
        0.590745,
        0.283747,
        0.803314,
        0.24962,
        3.382993,
        0.093987,
        0.262266,
        0.776726,
        0.022748,
        0.263243,
        0.377783,
        -0.11454,
    ),
    scale=(
        0.932147,
        0.753169,
        0.325432,
        0.253961,
        0.234845,
        0.270237,
        0.605936,
        0.291811,
        0.208468,
        0.247365,
        0.099436,
        0.19312,
        0.25227,
        0.364865,
    ),
    off=Logistic(
        (
            -0.71687,
            0.388933,
            -0.663891,
            -0.357502,
            0.009567,
            -0.305816,
            0.285675,
            -0.013896,
            0.029344,
            -0.336299,
            0.241959,
            1.887139,
            -1.612688,
            2.11387,
        ),
        -2.38929,
    ),
    top=Logistic(
        (
            -0.00069,
            2.304312,
            1.403952,
            0.598657,
            -0.068777,
            0.510117,
            0.603481,
            0.0,
            -0.995533,
            0.50231,
            0.0,
            0.195425,
            0.317249,
            -0.115911,
        ),
        3.391455,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.05,
    named_at=0.1,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 31.4%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 58.5%.
PLAIN = VerdictModel(
    mean=(
        3.855405,
        0.951842,
        0.590745,
        0.283747,
        0.803314,
        0.24962,
        3.382993,
        0.093987,
        0.262266,
        0.776726,
        0.022748,
    ),
    scale=(
        0.932147,
        0.753169,
        0.325432,
        0.253961,
        0.234845,
        0.270237,
        0.605936,
        0.291811,
        0.208468,
        0.247365,
        0.099436,
    ),
    off=Logistic(
        (
            -1.51261,
            0.434798,
            -1.486583,
            -0.5244,
            0.212343,
            -0.43288,
            0.037313,
            -0.016163,
            0.17025,
            -0.720296,
            0.15934,
        ),
        -1.846329,
    ),
    top=Logistic(
        (
            0.914724,
            0.273102,
            2.090516,
            0.663253,
            -0.42793,
            0.538691,
            0.402899,
            0.0,
            -0.940322,
            0.938652,
            0.0,
        ),
        1.151079,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.05,
)
