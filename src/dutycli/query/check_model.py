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
# 1767 training cases; five-fold cross-validation: on-list useful 95.9%
# (清单内 with the item 64.0%), on-list 清单外 1.7% (bare 1.7%),
# wrong 清单内 0, off-list 清单外 93.6%.
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
        0.326807,
        0.198758,
        -0.108371,
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
        0.276934,
        0.262648,
        0.256101,
        0.19312,
        0.25227,
        0.364865,
    ),
    off=Logistic(
        (
            -0.724793,
            0.376636,
            -0.796015,
            -0.39165,
            -0.108195,
            -0.239217,
            0.270568,
            -0.06375,
            0.202903,
            -0.17843,
            0.244541,
            0.394848,
            -0.065467,
            0.315116,
            1.795751,
            -1.687787,
            2.117423,
        ),
        -2.463641,
    ),
    top=Logistic(
        (
            -0.030282,
            2.21041,
            1.374064,
            0.570843,
            -0.129029,
            0.505355,
            0.644289,
            0.0,
            -0.906873,
            0.562148,
            0.0,
            -0.009284,
            0.321631,
            0.282314,
            0.143885,
            0.309538,
            -0.13786,
        ),
        3.368853,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.03,
    named_at=0.05,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 34.0%), on-list 清单外 1.9% (bare 1.9%),
# wrong 清单内 0, off-list 清单外 59.3%.
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
        0.326807,
        0.198758,
        -0.108371,
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
        0.276934,
        0.262648,
        0.256101,
    ),
    off=Logistic(
        (
            -1.505022,
            0.476802,
            -1.56589,
            -0.641416,
            -0.039681,
            -0.448081,
            0.072821,
            -0.059751,
            0.254373,
            -0.375873,
            0.13879,
            0.446544,
            -0.504701,
            0.266565,
        ),
        -1.936606,
    ),
    top=Logistic(
        (
            0.85675,
            0.140168,
            2.145847,
            0.757832,
            -0.346683,
            0.536298,
            0.440064,
            0.0,
            -0.980142,
            0.794185,
            0.0,
            -0.520051,
            0.892169,
            0.192285,
        ),
        1.203372,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.15,
    named_at=0.05,
)
