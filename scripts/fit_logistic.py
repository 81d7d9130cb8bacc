"""The two logistic regressions of ``scripts/fit_check.py``: Newton's method on the
L2-penalised log-likelihood over standardised features, in plain Python (the fit runs a
few hundred of them over ~4,000 rows of 17 features; no numerical library is needed at run
time, and none is added to fit)."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from operator import mul
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from dutycli.query.check_model import Logistic

PENALTY = 3.0  # L2 on standardised weights (sklearn's C = 1/3)


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def logistic(xs: Sequence[list[float]], ys: Sequence[bool]) -> Logistic:
    """Newton's method on the penalised log-likelihood (the bias is not penalised).

    The sums run by column through ``map(mul, ...)`` (C loops, ~10x faster than a Python
    loop per row), each in row order with the factors associated as before, so that every
    sum and the fitted weights are bit for bit those of the row-by-row loop."""
    d = len(xs[0])
    rows = [[*x, 1.0] for x in xs]
    columns = [list(col) for col in zip(*rows, strict=True)]
    truth = [float(y) for y in ys]
    w = [0.0] * (d + 1)  # bias last
    for _ in range(50):
        ps = [1.0 / (1.0 + math.exp(-max(min(sum(map(mul, w, row)), 50.0), -50.0))) for row in rows]
        residual = [p - y for p, y in zip(ps, truth, strict=True)]
        spread = [p * (1 - p) for p in ps]
        grad = [sum(map(mul, residual, col)) for col in columns]
        hess = []
        for col_i in columns:
            weighted = list(map(mul, spread, col_i))  # p(1-p)·x_i, then ·x_j as before
            hess.append([sum(map(mul, weighted, col_j)) for col_j in columns])
        for i in range(d):
            grad[i] += PENALTY * w[i]
            hess[i][i] += PENALTY
        step = solve(hess, grad)
        w = [a - b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    # + 0.0: a weight that rounds to zero is written 0.0, whatever its sign.
    return Logistic(tuple(round(v, 6) + 0.0 for v in w[:d]), round(w[d], 6) + 0.0)


def standardiser(rows: Sequence[list[float]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    n = len(rows)
    mean = [sum(r[i] for r in rows) / n for i in range(len(rows[0]))]
    scale = [
        math.sqrt(sum((r[i] - mean[i]) ** 2 for r in rows) / n) or 1.0 for i in range(len(mean))
    ]
    return tuple(round(v, 6) for v in mean), tuple(round(v, 6) for v in scale)
