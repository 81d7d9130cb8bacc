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
# 1399 training cases; five-fold cross-validation: on-list useful 95.5%
# (清单内 with the item 69.8%), on-list 清单外 2.6%,
# wrong 清单内 0, off-list 清单外 95.7%.
MODEL = VerdictModel(
    mean=(
        3.817321,
        0.938691,
        0.60982,
        0.279264,
        0.812593,
        0.239189,
        3.316521,
        0.096497,
        0.273119,
        0.754609,
        0.026171,
        0.266178,
        0.382023,
        -0.115845,
    ),
    scale=(
        0.947699,
        0.757251,
        0.330923,
        0.253837,
        0.23279,
        0.276969,
        0.566098,
        0.295272,
        0.215522,
        0.260018,
        0.112753,
        0.204108,
        0.257474,
        0.383666,
    ),
    off=Logistic(
        (
            -0.704779,
            0.445992,
            -0.800684,
            -0.475713,
            -0.058588,
            -0.169036,
            0.08355,
            -0.100614,
            0.018723,
            -0.625021,
            0.464093,
            1.909116,
            -1.372739,
            1.936868,
        ),
        -2.613546,
    ),
    top=Logistic(
        (
            0.438898,
            0.907959,
            1.454045,
            0.80512,
            -0.005675,
            0.122801,
            0.618147,
            0.0,
            -1.149574,
            0.702405,
            0.0,
            -1.230697,
            0.291829,
            -0.850566,
        ),
        1.123994,
    ),
    off_at=0.325,
    top_at=0.95,
    sure_at=0.1,
    named_at=0.3,
)
# For any other list.
# 1399 training cases; five-fold cross-validation: on-list useful 95.2%
# (清单内 with the item 45.2%), on-list 清单外 2.7%,
# wrong 清单内 0, off-list 清单外 75.9%.
PLAIN = VerdictModel(
    mean=(
        3.817321,
        0.938691,
        0.60982,
        0.279264,
        0.812593,
        0.239189,
        3.316521,
        0.096497,
        0.273119,
        0.754609,
        0.026171,
    ),
    scale=(
        0.947699,
        0.757251,
        0.330923,
        0.253837,
        0.23279,
        0.276969,
        0.566098,
        0.295272,
        0.215522,
        0.260018,
        0.112753,
    ),
    off=Logistic(
        (
            -1.418227,
            0.474264,
            -1.666259,
            -0.683038,
            0.260962,
            -0.238724,
            -0.30414,
            -0.126785,
            0.096385,
            -1.159755,
            0.475585,
        ),
        -2.314316,
    ),
    top=Logistic(
        (
            0.793315,
            0.432707,
            1.904467,
            0.900276,
            -0.214529,
            0.07692,
            0.787444,
            0.0,
            -1.027476,
            1.127845,
            0.0,
        ),
        1.556691,
    ),
    off_at=0.625,
    top_at=0.99,
    sure_at=0.02,
    named_at=0.1,
)
