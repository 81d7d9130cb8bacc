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
# 1767 training cases; five-fold cross-validation: on-list useful 95.9%
# (清单内 with the item 68.3%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 93.4%.
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
        0.327051,
        0.198414,
        -0.106866,
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
        0.27692,
        0.262742,
        0.258206,
        0.193069,
        0.252084,
        0.364661,
    ),
    off=Logistic(
        (
            -0.690815,
            0.332616,
            -0.702409,
            -0.368708,
            0.08651,
            -0.171602,
            0.235954,
            -0.098313,
            0.228837,
            -0.386858,
            0.25215,
            0.377341,
            0.02865,
            0.440084,
            1.730455,
            -1.711122,
            2.099055,
        ),
        -2.438197,
    ),
    top=Logistic(
        (
            -0.030364,
            2.208968,
            1.374008,
            0.570994,
            -0.12846,
            0.50572,
            0.644404,
            0.0,
            -0.906574,
            0.562393,
            0.0,
            -0.009821,
            0.321136,
            0.2838,
            0.144095,
            0.309523,
            -0.137677,
        ),
        3.365215,
    ),
    off_at=0.4,
    top_at=0.95,
    sure_at=0.05,
    named_at=0.05,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 38.3%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 59.1%.
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
        0.327051,
        0.198414,
        -0.106866,
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
        0.27692,
        0.262742,
        0.258206,
    ),
    off=Logistic(
        (
            -1.486621,
            0.433338,
            -1.489297,
            -0.593493,
            0.029749,
            -0.394739,
            0.058794,
            -0.085705,
            0.259289,
            -0.459835,
            0.130963,
            0.411575,
            -0.447039,
            0.333275,
        ),
        -1.900642,
    ),
    top=Logistic(
        (
            0.844578,
            0.185913,
            2.058876,
            0.731311,
            -0.416799,
            0.48071,
            0.45498,
            0.0,
            -0.981471,
            0.881083,
            0.0,
            -0.508827,
            0.833814,
            0.089111,
        ),
        1.16635,
    ),
    off_at=0.8,
    top_at=0.985,
    sure_at=0.15,
    named_at=0.05,
)
