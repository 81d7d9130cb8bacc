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
# 1767 training cases; five-fold cross-validation: on-list useful 96.1%
# (清单内 with the item 52.5%), on-list 清单外 1.7%,
# wrong 清单内 0, off-list 清单外 89.9%.
MODEL = VerdictModel(
    mean=(
        3.857482,
        0.948111,
        0.587906,
        0.284,
        0.796353,
        0.245668,
        3.392862,
        0.093294,
        0.260964,
        0.76801,
        0.023477,
        0.261755,
        0.375921,
        -0.114166,
    ),
    scale=(
        0.929151,
        0.749451,
        0.325781,
        0.253935,
        0.242036,
        0.26691,
        0.615374,
        0.290845,
        0.207756,
        0.255795,
        0.103818,
        0.192867,
        0.252366,
        0.363485,
    ),
    off=Logistic(
        (
            -0.689096,
            0.356547,
            -0.619742,
            -0.302237,
            0.350298,
            -0.21812,
            0.186478,
            0.017986,
            0.036775,
            -0.603536,
            0.127907,
            1.860663,
            -1.581367,
            2.085213,
        ),
        -2.315211,
    ),
    top=Logistic(
        (
            0.464178,
            0.729141,
            1.701258,
            0.556528,
            -0.443094,
            0.558149,
            0.402624,
            0.0,
            -1.090682,
            0.857711,
            0.0,
            -1.264973,
            0.478595,
            -1.003487,
        ),
        0.755143,
    ),
    off_at=0.5,
    top_at=0.975,
    sure_at=0.5,
    named_at=0.05,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 30.1%), on-list 清单外 1.9%,
# wrong 清单内 0, off-list 清单外 58.3%.
PLAIN = VerdictModel(
    mean=(
        3.857482,
        0.948111,
        0.587906,
        0.284,
        0.796353,
        0.245668,
        3.392862,
        0.093294,
        0.260964,
        0.76801,
        0.023477,
    ),
    scale=(
        0.929151,
        0.749451,
        0.325781,
        0.253935,
        0.242036,
        0.26691,
        0.615374,
        0.290845,
        0.207756,
        0.255795,
        0.103818,
    ),
    off=Logistic(
        (
            -1.461241,
            0.406288,
            -1.490896,
            -0.48114,
            0.403442,
            -0.355446,
            -0.056992,
            0.060148,
            0.186922,
            -0.817455,
            0.047721,
        ),
        -1.810085,
    ),
    top=Logistic(
        (
            0.866786,
            0.317593,
            2.081241,
            0.61633,
            -0.596546,
            0.473994,
            0.477254,
            0.0,
            -0.933909,
            1.051811,
            0.0,
        ),
        1.139807,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.05,
)
