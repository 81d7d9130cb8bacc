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
# (清单内 with the item 63.1%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 93.2%.
MODEL = VerdictModel(
    mean=(
        3.854722,
        0.951176,
        0.591338,
        0.283807,
        0.804118,
        0.24989,
        3.380563,
        0.093878,
        0.262584,
        0.776213,
        0.022721,
        0.263251,
        0.377778,
        -0.114527,
    ),
    scale=(
        0.932869,
        0.752008,
        0.325015,
        0.254111,
        0.234608,
        0.270128,
        0.60616,
        0.291658,
        0.208363,
        0.248007,
        0.099381,
        0.193069,
        0.252084,
        0.364661,
    ),
    off=Logistic(
        (
            -0.678872,
            0.351514,
            -0.537771,
            -0.323487,
            0.266273,
            -0.235459,
            0.233412,
            -0.03747,
            0.018259,
            -0.61521,
            0.242345,
            1.830309,
            -1.616778,
            2.086705,
        ),
        -2.322231,
    ),
    top=Logistic(
        (
            -0.006525,
            2.304611,
            1.401277,
            0.58696,
            -0.058699,
            0.498776,
            0.609571,
            0.0,
            -0.996492,
            0.505117,
            0.0,
            0.200425,
            0.317544,
            -0.113398,
        ),
        3.385389,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.03,
    named_at=0.05,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 30.6%), on-list 清单外 1.7% (bare 1.7%),
# wrong 清单内 0, off-list 清单外 58.3%.
PLAIN = VerdictModel(
    mean=(
        3.854722,
        0.951176,
        0.591338,
        0.283807,
        0.804118,
        0.24989,
        3.380563,
        0.093878,
        0.262584,
        0.776213,
        0.022721,
    ),
    scale=(
        0.932869,
        0.752008,
        0.325015,
        0.254111,
        0.234608,
        0.270128,
        0.60616,
        0.291658,
        0.208363,
        0.248007,
        0.099381,
    ),
    off=Logistic(
        (
            -1.484864,
            0.394018,
            -1.411991,
            -0.469559,
            0.304521,
            -0.379072,
            0.005374,
            -0.03193,
            0.162167,
            -0.830181,
            0.14782,
        ),
        -1.800489,
    ),
    top=Logistic(
        (
            0.889402,
            0.312924,
            2.015644,
            0.615589,
            -0.519339,
            0.475685,
            0.438491,
            0.0,
            -0.929393,
            1.06117,
            0.0,
        ),
        1.119433,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.05,
)
