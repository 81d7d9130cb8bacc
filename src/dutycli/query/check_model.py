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
# 1767 training cases; five-fold cross-validation: on-list useful 95.8%
# (清单内 with the item 63.1%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 93.2%.
MODEL = VerdictModel(
    mean=(
        3.854722,
        0.950674,
        0.591564,
        0.283807,
        0.804067,
        0.249529,
        3.380456,
        0.093878,
        0.262644,
        0.776162,
        0.022721,
        0.263251,
        0.377778,
        -0.114527,
    ),
    scale=(
        0.932869,
        0.752054,
        0.325065,
        0.254111,
        0.234577,
        0.269978,
        0.606059,
        0.291658,
        0.208309,
        0.247972,
        0.099381,
        0.193069,
        0.252084,
        0.364661,
    ),
    off=Logistic(
        (
            -0.676908,
            0.352684,
            -0.540048,
            -0.322828,
            0.266623,
            -0.231143,
            0.230891,
            -0.037577,
            0.019997,
            -0.615412,
            0.242345,
            1.830635,
            -1.615485,
            2.085983,
        ),
        -2.322521,
    ),
    top=Logistic(
        (
            -0.000817,
            2.30258,
            1.403571,
            0.59874,
            -0.068544,
            0.51052,
            0.603702,
            0.0,
            -0.994792,
            0.502725,
            0.0,
            0.195476,
            0.317203,
            -0.115783,
        ),
        3.386966,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.03,
    named_at=0.05,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 30.6%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 58.7%.
PLAIN = VerdictModel(
    mean=(
        3.854722,
        0.950674,
        0.591564,
        0.283807,
        0.804067,
        0.249529,
        3.380456,
        0.093878,
        0.262644,
        0.776162,
        0.022721,
    ),
    scale=(
        0.932869,
        0.752054,
        0.325065,
        0.254111,
        0.234577,
        0.269978,
        0.606059,
        0.291658,
        0.208309,
        0.247972,
        0.099381,
    ),
    off=Logistic(
        (
            -1.485288,
            0.398454,
            -1.40773,
            -0.469815,
            0.302239,
            -0.372981,
            0.005179,
            -0.031154,
            0.163396,
            -0.831029,
            0.147587,
        ),
        -1.800483,
    ),
    top=Logistic(
        (
            0.893527,
            0.304477,
            2.011822,
            0.621935,
            -0.521669,
            0.475808,
            0.434383,
            0.0,
            -0.930309,
            1.060833,
            0.0,
        ),
        1.121398,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.2,
    named_at=0.05,
)
