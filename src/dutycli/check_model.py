"""The verdict model of ``duty check``: two logistic regressions over measured quantities.

``scripts/fit_check.py`` writes the constants below from the training files it
names (under tests/data/check); never edit them by hand, and never fit on the
held-out file (tests/data/check/heldout3.tsv). ``MODEL`` serves a list that has
decided tasks (data/check_examples.tsv, dutycli.precedents), ``PLAIN`` any
other. ``off`` gives the probability that a task is on none of the items
(清单外); ``top`` the probability that the best-ranked item is the task's item
(清单内), fitted on the tasks whose best items are not a qualifier family. The
thresholds were chosen by five-fold cross-validation on the training files.
"""

from __future__ import annotations

import math
from typing import NamedTuple

# What ``dutycli.check.features`` returns, in this order.
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
# Where the list has decided tasks (dutycli.precedents), these follow.
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
# 999 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 74.4%), on-list 清单外 2.2%,
# wrong 清单内 1, off-list 清单外 94.4%.
MODEL = VerdictModel(
    mean=(
        3.902149,
        0.954323,
        0.625872,
        0.306868,
        0.815229,
        0.22255,
        3.354517,
        0.097097,
        0.277657,
        0.761168,
        0.02294,
        0.211642,
        0.357949,
        -0.146306,
    ),
    scale=(
        0.932838,
        0.748624,
        0.32964,
        0.258017,
        0.228543,
        0.268964,
        0.580428,
        0.29609,
        0.220607,
        0.25227,
        0.10464,
        0.187107,
        0.235685,
        0.347699,
    ),
    off=Logistic(
        (
            -1.024918,
            0.126292,
            -0.634777,
            -0.643993,
            -0.061098,
            -0.184889,
            0.266923,
            -0.089593,
            -0.082281,
            -0.562191,
            0.374575,
            1.201533,
            -1.064426,
            1.368092,
        ),
        -3.160546,
    ),
    top=Logistic(
        (
            0.488224,
            1.102844,
            1.259305,
            1.024651,
            0.104531,
            0.062,
            0.513091,
            0.0,
            -0.968024,
            0.483039,
            0.0,
            -0.900805,
            0.28043,
            -0.674837,
        ),
        1.847558,
    ),
    off_at=0.4,
    top_at=0.95,
    sure_at=0.15,
    named_at=0.1,
)
# For any other list.
# 999 training cases; five-fold cross-validation: on-list useful 95.1%
# (清单内 with the item 66.9%), on-list 清单外 2.8%,
# wrong 清单内 0, off-list 清单外 85.1%.
PLAIN = VerdictModel(
    mean=(
        3.902149,
        0.954323,
        0.625872,
        0.306868,
        0.815229,
        0.22255,
        3.354517,
        0.097097,
        0.277657,
        0.761168,
        0.02294,
    ),
    scale=(
        0.932838,
        0.748624,
        0.32964,
        0.258017,
        0.228543,
        0.268964,
        0.580428,
        0.29609,
        0.220607,
        0.25227,
        0.10464,
    ),
    off=Logistic(
        (
            -1.566893,
            0.360031,
            -1.427155,
            -0.691757,
            0.011809,
            -0.151236,
            -0.151343,
            -0.132778,
            0.01917,
            -0.892724,
            0.59753,
        ),
        -2.819671,
    ),
    top=Logistic(
        (
            0.73295,
            0.672758,
            1.587855,
            1.060718,
            0.069068,
            -0.078175,
            0.748724,
            0.0,
            -0.918369,
            0.803198,
            0.0,
        ),
        2.062478,
    ),
    off_at=0.475,
    top_at=0.85,
    sure_at=0.02,
    named_at=0.1,
)
