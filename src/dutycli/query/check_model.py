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
# 3361 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 36.7%), on-list 清单外 1.8% (bare 1.3%),
# wrong 清单内 1, off-list 清单外 94.2%.
MODEL = VerdictModel(
    mean=(
        3.940773,
        0.974843,
        0.556495,
        0.295878,
        0.783308,
        0.267429,
        3.517963,
        0.092823,
        0.244588,
        0.75095,
        0.025243,
        0.306125,
        0.188408,
        -0.099042,
        0.278024,
        0.398912,
        -0.120888,
    ),
    scale=(
        0.90597,
        0.742571,
        0.311108,
        0.250775,
        0.231165,
        0.259645,
        0.611293,
        0.290184,
        0.198348,
        0.246982,
        0.104054,
        0.263363,
        0.252271,
        0.237268,
        0.184703,
        0.248837,
        0.353446,
    ),
    off=Logistic(
        (
            -0.782239,
            0.135959,
            -0.614997,
            -0.208613,
            0.321137,
            0.121567,
            0.128229,
            0.038352,
            0.074185,
            -0.323495,
            0.101298,
            0.5973,
            -0.020276,
            0.355884,
            2.158581,
            -1.964862,
            2.51135,
        ),
        -3.018992,
    ),
    top=Logistic(
        (
            -0.039072,
            1.607708,
            1.279467,
            0.062491,
            -0.060826,
            0.005846,
            0.693553,
            0.0,
            -1.041741,
            0.639239,
            0.0,
            0.160947,
            0.350162,
            0.334917,
            0.260628,
            0.424768,
            -0.162852,
        ),
        2.91921,
    ),
    off_at=0.475,
    top_at=0.995,
    sure_at=0.005,
    named_at=0.005,
)
# For any other list.
# 3361 training cases; five-fold cross-validation: on-list useful 95.4%
# (清单内 with the item 20.2%), on-list 清单外 1.9% (bare 1.4%),
# wrong 清单内 0, off-list 清单外 67.9%.
PLAIN = VerdictModel(
    mean=(
        3.940773,
        0.974843,
        0.556495,
        0.295878,
        0.783308,
        0.267429,
        3.517963,
        0.092823,
        0.244588,
        0.75095,
        0.025243,
        0.306125,
        0.188408,
        -0.099042,
    ),
    scale=(
        0.90597,
        0.742571,
        0.311108,
        0.250775,
        0.231165,
        0.259645,
        0.611293,
        0.290184,
        0.198348,
        0.246982,
        0.104054,
        0.263363,
        0.252271,
        0.237268,
    ),
    off=Logistic(
        (
            -1.421061,
            0.243571,
            -1.629828,
            -0.244722,
            0.823012,
            -0.231764,
            -0.285338,
            -0.205766,
            -0.000408,
            -1.12521,
            0.067238,
            0.63208,
            -0.155518,
            0.377354,
        ),
        -1.829529,
    ),
    top=Logistic(
        (
            0.810125,
            0.269495,
            2.162686,
            0.322353,
            -1.306974,
            0.190648,
            0.579334,
            0.0,
            -1.022213,
            1.710635,
            0.0,
            -0.681914,
            0.584868,
            -0.000791,
        ),
        0.945396,
    ),
    off_at=0.725,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.01,
)
