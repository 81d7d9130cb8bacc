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
# 4003 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 55.7%), on-list 清单外 1.9% (bare 1.7%),
# wrong 清单内 10 (of which 相近 tasks 清单内 with one of their items 9), off-list 清单外 94.7%.
MODEL = VerdictModel(
    mean=(
        3.977978,
        0.988385,
        0.560864,
        0.30841,
        0.778725,
        0.261892,
        3.54628,
        0.094329,
        0.241008,
        0.745619,
        0.026078,
        0.307276,
        0.187642,
        -0.096074,
        0.285859,
        0.409945,
        -0.124086,
    ),
    scale=(
        0.912096,
        0.741416,
        0.306766,
        0.25424,
        0.230223,
        0.254614,
        0.622859,
        0.292287,
        0.193041,
        0.246374,
        0.106624,
        0.262357,
        0.250516,
        0.234128,
        0.186754,
        0.247362,
        0.353326,
    ),
    off=Logistic(
        (
            -0.700761,
            0.034198,
            -0.689773,
            -0.214337,
            0.573149,
            0.094619,
            -0.040175,
            0.069462,
            -0.033387,
            -0.490271,
            -0.104078,
            0.57894,
            0.092328,
            0.451281,
            2.115627,
            -1.951898,
            2.484751,
        ),
        -3.03528,
    ),
    top=Logistic(
        (
            0.169616,
            1.480082,
            0.983456,
            0.058664,
            -0.098534,
            0.155581,
            0.563215,
            0.0,
            -0.769706,
            0.62702,
            0.0,
            0.561909,
            0.293222,
            0.302418,
            0.206611,
            0.486661,
            -0.231503,
        ),
        2.69393,
    ),
    off_at=0.425,
    top_at=0.93,
    sure_at=0.005,
    named_at=0.01,
)
# For any other list.
# 4003 training cases; five-fold cross-validation: on-list useful 95.3%
# (清单内 with the item 23.4%), on-list 清单外 1.9% (bare 1.7%),
# wrong 清单内 3 (of which 相近 tasks 清单内 with one of their items 2), off-list 清单外 74.2%.
PLAIN = VerdictModel(
    mean=(
        3.977978,
        0.988385,
        0.560864,
        0.30841,
        0.778725,
        0.261892,
        3.54628,
        0.094329,
        0.241008,
        0.745619,
        0.026078,
        0.307276,
        0.187642,
        -0.096074,
    ),
    scale=(
        0.912096,
        0.741416,
        0.306766,
        0.25424,
        0.230223,
        0.254614,
        0.622859,
        0.292287,
        0.193041,
        0.246374,
        0.106624,
        0.262357,
        0.250516,
        0.234128,
    ),
    off=Logistic(
        (
            -1.306619,
            0.166638,
            -1.636777,
            -0.256636,
            0.953255,
            -0.217669,
            -0.48922,
            -0.23033,
            -0.081408,
            -1.240363,
            0.016829,
            0.734642,
            -0.206557,
            0.343475,
        ),
        -1.819952,
    ),
    top=Logistic(
        (
            0.858911,
            0.298939,
            1.873411,
            0.316693,
            -1.403046,
            0.20935,
            0.628709,
            0.0,
            -0.799058,
            1.821636,
            0.0,
            -0.562419,
            0.539343,
            -0.057451,
        ),
        0.822338,
    ),
    off_at=0.625,
    top_at=0.985,
    sure_at=0.3,
    named_at=0.01,
)
