"""The verdict model of ``duty check``: two logistic regressions over measured quantities.

``scripts/fit_check.py`` writes the constants below from the training files
(tests/data/check/train.tsv, train2.tsv, cases.tsv, holdout.tsv); never edit
them by hand, and never fit on tests/data/check/heldout.tsv. ``off`` gives the
probability that a task is on none of the items (清单外); ``top`` the
probability that the best-ranked item is the task's item (清单内), fitted on
the tasks whose best items are not a qualifier family. The
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
# 999 training cases; five-fold cross-validation: on-list useful 95.1%
# (清单内 with the item 66.9%), on-list 清单外 2.8%,
# wrong 清单内 0, off-list 清单外 85.1%.
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
