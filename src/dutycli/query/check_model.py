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
# What ``check --explain`` calls them, in the order above (-o json keeps the names as keys).
FEATURE_WORDS = dict(
    zip(
        FEATURES + RECALL_FEATURES,
        (
            "第一项的得分（取对数）",
            "第一项比第二项高出的得分（对数之差）",
            "第一项覆盖任务的比例",
            "第一项的名称覆盖任务的比例",
            "任务里清单用过的词，第一项覆盖的比例",
            "任务里清单从不用、也没有说法解释的部分",
            "任务说了多少（取对数）",
            "第一项属于按对象细分的一组（如九小场所）",
            "第二项覆盖任务的比例",
            "第一项的名称和街道配合职责覆盖任务的比例",
            "按对象细分的一组：这组职责没覆盖的部分",
            "只有第一项有、第二项没有的部分",
            "第一项最接近的街道职责条目的覆盖，减去第二项的",
            "上级部门职责条目的覆盖，减去街道职责条目的",
            "最像的已定清单外任务的相似度",
            "第一项上最像的已定任务的相似度",
            "前两者之差",
        ),
        strict=True,
    )
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
# 4003 training cases; five-fold cross-validation: on-list useful 96.0%
# (清单内 with the item 55.9%), on-list 清单外 2.0% (bare 1.7%),
# wrong 清单内 9 (of which 相近 tasks 清单内 with one of their items 8), off-list 清单外 95.3%.
MODEL = VerdictModel(
    mean=(
        3.972967,
        0.98966,
        0.563987,
        0.30648,
        0.782555,
        0.261836,
        3.534928,
        0.091911,
        0.241187,
        0.750185,
        0.023255,
        0.308418,
        0.189293,
        -0.098182,
        0.286134,
        0.410902,
        -0.124768,
    ),
    scale=(
        0.912338,
        0.742368,
        0.307498,
        0.252886,
        0.229368,
        0.254985,
        0.611508,
        0.2889,
        0.193355,
        0.243976,
        0.095135,
        0.263296,
        0.251352,
        0.234276,
        0.18747,
        0.247694,
        0.354351,
    ),
    off=Logistic(
        (
            -0.715969,
            0.023462,
            -0.657179,
            -0.212451,
            0.608809,
            0.105808,
            -0.071021,
            0.072394,
            -0.074124,
            -0.506029,
            -0.098696,
            0.544688,
            0.064867,
            0.434611,
            2.15108,
            -1.945793,
            2.498157,
        ),
        -3.049861,
    ),
    top=Logistic(
        (
            0.136697,
            1.479936,
            0.993978,
            0.070199,
            -0.111544,
            0.123513,
            0.56111,
            0.0,
            -0.793784,
            0.638818,
            0.0,
            0.501039,
            0.311143,
            0.297183,
            0.213769,
            0.48151,
            -0.223484,
        ),
        2.695701,
    ),
    off_at=0.4,
    top_at=0.93,
    sure_at=0.005,
    named_at=0.01,
)
# For any other list.
# 4003 training cases; five-fold cross-validation: on-list useful 95.7%
# (清单内 with the item 23.5%), on-list 清单外 2.0% (bare 1.7%),
# wrong 清单内 3 (of which 相近 tasks 清单内 with one of their items 2), off-list 清单外 74.4%.
PLAIN = VerdictModel(
    mean=(
        3.972967,
        0.98966,
        0.563987,
        0.30648,
        0.782555,
        0.261836,
        3.534928,
        0.091911,
        0.241187,
        0.750185,
        0.023255,
        0.308418,
        0.189293,
        -0.098182,
    ),
    scale=(
        0.912338,
        0.742368,
        0.307498,
        0.252886,
        0.229368,
        0.254985,
        0.611508,
        0.2889,
        0.193355,
        0.243976,
        0.095135,
        0.263296,
        0.251352,
        0.234276,
    ),
    off=Logistic(
        (
            -1.310441,
            0.159304,
            -1.629634,
            -0.246137,
            0.961179,
            -0.216479,
            -0.508904,
            -0.21441,
            -0.110175,
            -1.228469,
            -0.002322,
            0.729279,
            -0.221901,
            0.335174,
        ),
        -1.830461,
    ),
    top=Logistic(
        (
            0.852529,
            0.297067,
            1.890203,
            0.317977,
            -1.408033,
            0.199995,
            0.623376,
            0.0,
            -0.810413,
            1.81516,
            0.0,
            -0.595803,
            0.552791,
            -0.054213,
        ),
        0.827152,
    ),
    off_at=0.625,
    top_at=0.985,
    sure_at=0.3,
    named_at=0.01,
)
