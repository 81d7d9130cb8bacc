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
# 1767 training cases; five-fold cross-validation: on-list useful 95.9%
# (清单内 with the item 67.7%), on-list 清单外 1.7% (bare 1.7%),
# wrong 清单内 0, off-list 清单外 93.4%.
MODEL = VerdictModel(
    mean=(
        3.856292,
        0.952686,
        0.591054,
        0.283973,
        0.803383,
        0.2492,
        3.382839,
        0.093987,
        0.262307,
        0.776711,
        0.022748,
        0.263367,
        0.377931,
        -0.114563,
    ),
    scale=(
        0.932315,
        0.753386,
        0.32531,
        0.25388,
        0.234832,
        0.270067,
        0.605793,
        0.291811,
        0.208434,
        0.247371,
        0.099436,
        0.193101,
        0.252186,
        0.364857,
    ),
    off=Logistic(
        (
            -0.716531,
            0.402591,
            -0.672363,
            -0.353233,
            0.033364,
            -0.334664,
            0.292454,
            -0.013291,
            0.025781,
            -0.364424,
            0.240235,
            1.903511,
            -1.605014,
            2.116807,
        ),
        -2.369717,
    ),
    top=Logistic(
        (
            -0.000736,
            2.304578,
            1.404006,
            0.598591,
            -0.068901,
            0.510119,
            0.603405,
            0.0,
            -0.995472,
            0.50229,
            0.0,
            0.195403,
            0.317187,
            -0.11582,
        ),
        3.394891,
    ),
    off_at=0.425,
    top_at=0.96,
    sure_at=0.05,
    named_at=0.1,
)
# For any other list.
# 1767 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 30.6%), on-list 清单外 1.8% (bare 1.8%),
# wrong 清单内 0, off-list 清单外 58.3%.
PLAIN = VerdictModel(
    mean=(
        3.856292,
        0.952686,
        0.591054,
        0.283973,
        0.803383,
        0.2492,
        3.382839,
        0.093987,
        0.262307,
        0.776711,
        0.022748,
    ),
    scale=(
        0.932315,
        0.753386,
        0.32531,
        0.25388,
        0.234832,
        0.270067,
        0.605793,
        0.291811,
        0.208434,
        0.247371,
        0.099436,
    ),
    off=Logistic(
        (
            -1.509317,
            0.440396,
            -1.491144,
            -0.516589,
            0.231096,
            -0.451339,
            0.040227,
            -0.017475,
            0.163772,
            -0.735697,
            0.15656,
        ),
        -1.833487,
    ),
    top=Logistic(
        (
            0.912243,
            0.262474,
            2.095116,
            0.657631,
            -0.454406,
            0.563079,
            0.396721,
            0.0,
            -0.929748,
            0.960017,
            0.0,
        ),
        1.136985,
    ),
    off_at=0.8,
    top_at=0.99,
    sure_at=0.15,
    named_at=0.05,
)
