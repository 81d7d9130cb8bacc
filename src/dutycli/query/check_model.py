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
# 3361 training cases; five-fold cross-validation: on-list useful 95.4%
# (清单内 with the item 59.6%), on-list 清单外 1.9% (bare 1.7%),
# wrong 清单内 4 (of which 相近 tasks 清单内 with one of their items 4), off-list 清单外 92.9%.
MODEL = VerdictModel(
    mean=(
        3.893392,
        0.950535,
        0.538419,
        0.28494,
        0.777492,
        0.292015,
        3.53822,
        0.090735,
        0.23682,
        0.744698,
        0.024594,
        0.303796,
        0.187211,
        -0.099532,
        0.280003,
        0.393537,
        -0.113534,
    ),
    scale=(
        0.913387,
        0.731149,
        0.320552,
        0.248591,
        0.239646,
        0.272784,
        0.658824,
        0.287233,
        0.19925,
        0.255653,
        0.105187,
        0.263808,
        0.250128,
        0.242534,
        0.182585,
        0.24709,
        0.347483,
    ),
    off=Logistic(
        (
            -0.429355,
            0.104107,
            -0.99633,
            -0.255966,
            0.478695,
            -0.200122,
            -0.301293,
            0.030341,
            -0.006242,
            -0.383178,
            0.11595,
            0.614888,
            0.039196,
            0.398143,
            1.913653,
            -2.004596,
            2.430967,
        ),
        -3.045404,
    ),
    top=Logistic(
        (
            0.315779,
            1.610469,
            1.208817,
            0.042742,
            -0.144279,
            0.042705,
            0.482326,
            0.0,
            -1.027052,
            0.684767,
            0.0,
            0.191489,
            0.447551,
            0.376367,
            -0.01534,
            0.426808,
            -0.311557,
        ),
        2.703688,
    ),
    off_at=0.5,
    top_at=0.96,
    sure_at=0.02,
    named_at=0.01,
)
# For any other list.
# 3361 training cases; five-fold cross-validation: on-list useful 95.0%
# (清单内 with the item 25.2%), on-list 清单外 1.9% (bare 1.7%),
# wrong 清单内 0 (of which 相近 tasks 清单内 with one of their items 0), off-list 清单外 66.7%.
PLAIN = VerdictModel(
    mean=(
        3.893392,
        0.950535,
        0.538419,
        0.28494,
        0.777492,
        0.292015,
        3.53822,
        0.090735,
        0.23682,
        0.744698,
        0.024594,
        0.303796,
        0.187211,
        -0.099532,
    ),
    scale=(
        0.913387,
        0.731149,
        0.320552,
        0.248591,
        0.239646,
        0.272784,
        0.658824,
        0.287233,
        0.19925,
        0.255653,
        0.105187,
        0.263808,
        0.250128,
        0.242534,
    ),
    off=Logistic(
        (
            -1.250319,
            0.219035,
            -1.908313,
            -0.285906,
            0.908276,
            -0.619429,
            -0.397135,
            -0.279821,
            -0.00456,
            -1.081055,
            0.146533,
            0.502476,
            -0.196147,
            0.334551,
        ),
        -1.806387,
    ),
    top=Logistic(
        (
            0.909597,
            0.306924,
            2.247079,
            0.30883,
            -1.2816,
            0.443447,
            0.541523,
            0.0,
            -0.985849,
            1.617411,
            0.0,
            -0.579073,
            0.601942,
            -0.015102,
        ),
        0.942277,
    ),
    off_at=0.7,
    top_at=0.985,
    sure_at=0.7,
    named_at=0.01,
)
