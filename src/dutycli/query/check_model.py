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
# 1767 training cases; five-fold cross-validation: on-list useful 95.9%
# (清单内 with the item 67.8%), on-list 清单外 1.7% (bare 1.7%),
# wrong 清单内 0, off-list 清单外 93.4%.
MODEL = VerdictModel(
    mean=(
        3.856445,
        0.95368,
        0.591025,
        0.284032,
        0.803389,
        0.249221,
        3.383103,
        0.094097,
        0.262123,
        0.776769,
        0.022774,
        0.263188,
        0.378091,
        -0.114903,
    ),
    scale=(
        0.932693,
        0.753262,
        0.325233,
        0.254004,
        0.234867,
        0.270108,
        0.605032,
        0.291964,
        0.20837,
        0.247469,
        0.099491,
        0.193072,
        0.252255,
        0.364816,
    ),
    off=Logistic(
        (
            -0.717401,
            0.401777,
            -0.670456,
            -0.353027,
            0.034871,
            -0.333693,
            0.291005,
            -0.013855,
            0.026158,
            -0.366082,
            0.240512,
            1.90245,
            -1.603809,
            2.115802,
        ),
        -2.371754,
    ),
    top=Logistic(
        (
            -0.007587,
            2.29589,
            1.414239,
            0.601023,
            -0.057651,
            0.512254,
            0.59739,
            0.0,
            -0.995159,
            0.489133,
            0.0,
            0.208766,
            0.314082,
            -0.106689,
        ),
        3.410626,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.05,
    named_at=0.1,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 30.7%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 58.5%.
PLAIN = VerdictModel(
    mean=(
        3.856445,
        0.95368,
        0.591025,
        0.284032,
        0.803389,
        0.249221,
        3.383103,
        0.094097,
        0.262123,
        0.776769,
        0.022774,
    ),
    scale=(
        0.932693,
        0.753262,
        0.325233,
        0.254004,
        0.234867,
        0.270108,
        0.605032,
        0.291964,
        0.20837,
        0.247469,
        0.099491,
    ),
    off=Logistic(
        (
            -1.520311,
            0.45305,
            -1.487813,
            -0.524677,
            0.233442,
            -0.452166,
            0.036878,
            -0.011935,
            0.16673,
            -0.738873,
            0.155551,
        ),
        -1.840326,
    ),
    top=Logistic(
        (
            0.915577,
            0.252441,
            2.098303,
            0.662775,
            -0.44952,
            0.566521,
            0.3934,
            0.0,
            -0.930171,
            0.952844,
            0.0,
        ),
        1.145502,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.15,
    named_at=0.05,
)
