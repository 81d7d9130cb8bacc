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
    "share of the task one step of the best item's street column holds",
    "the same, best minus runner-up",
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
# 1767 training cases; five-fold cross-validation: on-list useful 96.1%
# (清单内 with the item 68.3%), on-list 清单外 1.7% (bare 1.7%),
# wrong 清单内 0, off-list 清单外 93.6%.
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
        0.443152,
        0.239417,
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
        0.344332,
        0.307255,
        0.193069,
        0.252084,
        0.364661,
    ),
    off=Logistic(
        (
            -0.176022,
            0.25617,
            -0.432679,
            -0.437489,
            0.23252,
            -0.143685,
            -0.209474,
            -0.103296,
            0.175312,
            -0.521097,
            0.255302,
            -1.29102,
            0.556798,
            1.845799,
            -1.631145,
            2.104838,
        ),
        -2.469887,
    ),
    top=Logistic(
        (
            0.176872,
            2.331422,
            1.464912,
            0.561551,
            -0.106412,
            0.477101,
            0.435143,
            0.0,
            -0.968964,
            0.595441,
            0.0,
            -0.501921,
            0.097848,
            0.195002,
            0.343894,
            -0.134485,
        ),
        3.409504,
    ),
    off_at=0.4,
    top_at=0.95,
    sure_at=0.05,
    named_at=0.1,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 37.3%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 66.6%.
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
        0.443152,
        0.239417,
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
        0.344332,
        0.307255,
    ),
    off=Logistic(
        (
            -0.76073,
            0.350562,
            -1.205735,
            -0.702278,
            0.155577,
            -0.337813,
            -0.597926,
            -0.067497,
            0.323464,
            -0.639877,
            0.102536,
            -1.938112,
            0.702407,
        ),
        -2.105419,
    ),
    top=Logistic(
        (
            0.775871,
            0.20739,
            1.924793,
            0.687701,
            -0.465133,
            0.505417,
            0.529558,
            0.0,
            -0.873121,
            1.002645,
            0.0,
            0.069359,
            0.300559,
        ),
        1.127466,
    ),
    off_at=0.75,
    top_at=0.985,
    sure_at=0.15,
    named_at=0.05,
)
