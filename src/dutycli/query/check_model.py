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
# 3361 training cases; five-fold cross-validation: on-list useful 95.9%
# (清单内 with the item 57.6%), on-list 清单外 1.9% (bare 1.7%),
# wrong 清单内 3 (of which 相近 tasks 清单内 with one of their items 3), off-list 清单外 94.8%.
MODEL = VerdictModel(
    mean=(
        3.952186,
        0.979266,
        0.55752,
        0.301263,
        0.782968,
        0.265689,
        3.519628,
        0.093253,
        0.244885,
        0.750632,
        0.02536,
        0.305627,
        0.187551,
        -0.09861,
        0.277832,
        0.399003,
        -0.121172,
    ),
    scale=(
        0.905032,
        0.743633,
        0.310546,
        0.25317,
        0.231409,
        0.258771,
        0.610895,
        0.290786,
        0.197944,
        0.246972,
        0.104132,
        0.263351,
        0.251744,
        0.236898,
        0.184599,
        0.248686,
        0.353262,
    ),
    off=Logistic(
        (
            -0.759049,
            0.132364,
            -0.59816,
            -0.232589,
            0.289872,
            0.110602,
            0.125032,
            0.034625,
            0.049947,
            -0.296019,
            0.099965,
            0.582266,
            -0.03019,
            0.359032,
            2.141466,
            -1.960316,
            2.499039,
        ),
        -3.023712,
    ),
    top=Logistic(
        (
            0.028184,
            1.64754,
            1.324832,
            0.048223,
            -0.089021,
            0.081739,
            0.65988,
            0.0,
            -1.03085,
            0.664648,
            0.0,
            0.191448,
            0.332183,
            0.33625,
            0.256302,
            0.428756,
            -0.167899,
        ),
        2.94699,
    ),
    off_at=0.45,
    top_at=0.96,
    sure_at=0.01,
    named_at=0.01,
)
# For any other list.
# 3361 training cases; five-fold cross-validation: on-list useful 95.5%
# (清单内 with the item 20.6%), on-list 清单外 2.0% (bare 1.8%),
# wrong 清单内 0 (of which 相近 tasks 清单内 with one of their items 0), off-list 清单外 72.4%.
PLAIN = VerdictModel(
    mean=(
        3.952186,
        0.979266,
        0.55752,
        0.301263,
        0.782968,
        0.265689,
        3.519628,
        0.093253,
        0.244885,
        0.750632,
        0.02536,
        0.305627,
        0.187551,
        -0.09861,
    ),
    scale=(
        0.905032,
        0.743633,
        0.310546,
        0.25317,
        0.231409,
        0.258771,
        0.610895,
        0.290786,
        0.197944,
        0.246972,
        0.104132,
        0.263351,
        0.251744,
        0.236898,
    ),
    off=Logistic(
        (
            -1.418004,
            0.231778,
            -1.608986,
            -0.239919,
            0.805605,
            -0.258097,
            -0.286572,
            -0.222548,
            -0.039032,
            -1.114916,
            0.065127,
            0.577758,
            -0.157266,
            0.386513,
        ),
        -1.829392,
    ),
    top=Logistic(
        (
            0.840485,
            0.281237,
            2.134623,
            0.313836,
            -1.298924,
            0.212611,
            0.569398,
            0.0,
            -0.985869,
            1.717436,
            0.0,
            -0.63624,
            0.579874,
            -0.005074,
        ),
        0.944376,
    ),
    off_at=0.65,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.01,
)
