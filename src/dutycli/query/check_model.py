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
# 3361 training cases; five-fold cross-validation: on-list useful 95.1%
# (清单内 with the item 40.5%), on-list 清单外 1.8% (bare 1.3%),
# wrong 清单内 1, off-list 清单外 91.5%.
MODEL = VerdictModel(
    mean=(
        3.892238,
        0.950612,
        0.538611,
        0.284699,
        0.777626,
        0.291998,
        3.536924,
        0.0903,
        0.236841,
        0.74477,
        0.024472,
        0.304106,
        0.187367,
        -0.099607,
        0.2802,
        0.393614,
        -0.113414,
    ),
    scale=(
        0.913671,
        0.731395,
        0.32077,
        0.248589,
        0.239707,
        0.272985,
        0.658911,
        0.286611,
        0.199407,
        0.255756,
        0.105105,
        0.264001,
        0.250341,
        0.242764,
        0.182682,
        0.247252,
        0.34772,
    ),
    off=Logistic(
        (
            -0.427978,
            0.103501,
            -0.996928,
            -0.256143,
            0.479276,
            -0.200204,
            -0.300606,
            0.029469,
            -0.005991,
            -0.382665,
            0.116446,
            0.613181,
            0.040082,
            0.39846,
            1.914238,
            -2.004122,
            2.430748,
        ),
        -3.039166,
    ),
    top=Logistic(
        (
            0.312418,
            1.610066,
            1.208201,
            0.044178,
            -0.144914,
            0.041987,
            0.480991,
            0.0,
            -1.027476,
            0.683389,
            0.0,
            0.195331,
            0.444427,
            0.374978,
            -0.015797,
            0.427483,
            -0.312268,
        ),
        2.701306,
    ),
    off_at=0.575,
    top_at=0.99,
    sure_at=0.005,
    named_at=0.005,
)
# For any other list.
# 3361 training cases; five-fold cross-validation: on-list useful 94.9%
# (清单内 with the item 25.1%), on-list 清单外 1.9% (bare 1.4%),
# wrong 清单内 0, off-list 清单外 64.6%.
PLAIN = VerdictModel(
    mean=(
        3.892238,
        0.950612,
        0.538611,
        0.284699,
        0.777626,
        0.291998,
        3.536924,
        0.0903,
        0.236841,
        0.74477,
        0.024472,
        0.304106,
        0.187367,
        -0.099607,
    ),
    scale=(
        0.913671,
        0.731395,
        0.32077,
        0.248589,
        0.239707,
        0.272985,
        0.658911,
        0.286611,
        0.199407,
        0.255756,
        0.105105,
        0.264001,
        0.250341,
        0.242764,
    ),
    off=Logistic(
        (
            -1.249449,
            0.219799,
            -1.906865,
            -0.285775,
            0.908245,
            -0.618532,
            -0.396335,
            -0.279092,
            -0.004053,
            -1.080605,
            0.146672,
            0.501638,
            -0.197001,
            0.334177,
        ),
        -1.802734,
    ),
    top=Logistic(
        (
            0.907517,
            0.306167,
            2.246284,
            0.309413,
            -1.281085,
            0.442567,
            0.540239,
            0.0,
            -0.986487,
            1.61621,
            0.0,
            -0.576984,
            0.600751,
            -0.015471,
        ),
        0.939415,
    ),
    off_at=0.725,
    top_at=0.985,
    sure_at=0.725,
    named_at=0.01,
)
