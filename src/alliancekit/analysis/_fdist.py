"""Quantiles of the F distribution, for Feldt's confidence interval of alpha.

Pure Python, so the analysis needs no SciPy: the regularized incomplete beta function by its
continued fraction (modified Lentz), inverted by Newton's method inside a shrinking bracket.
Accurate to a few units in the last place for the degrees of freedom reliability analysis meets
(checked against R's ``qf`` through the psych reference values, and against SciPy in the tests).
"""

from __future__ import annotations

import math

__all__ = ["f_quantile"]

_TINY = 1e-300
_EPS = 1e-16


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _continued_fraction(a: float, b: float, x: float) -> float:
    # Numerical Recipes' betacf; it needs O(sqrt(max(a, b))) terms near the mean.
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    max_terms = 1000 + 20 * int(math.sqrt(max(a, b)))
    for m in range(1, max_terms):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge (a={a}, b={b}, x={x})")


def _beta_tail(x: float, a: float, b: float, log_beta: float, upper: bool) -> float:
    # The lower (or upper) tail probability of Beta(a, b) at x, each tail computed directly
    # where it is the small one, so a tail near 0 keeps its relative precision.
    if x <= 0.0:
        return 1.0 if upper else 0.0
    if x >= 1.0:
        return 0.0 if upper else 1.0
    front = math.exp(a * math.log(x) + b * math.log1p(-x) - log_beta)
    if x < (a + 1.0) / (a + b + 2.0):
        lower = front * _continued_fraction(a, b, x) / a
        return 1.0 - lower if upper else lower
    upper_tail = front * _continued_fraction(b, a, 1.0 - x) / b
    return upper_tail if upper else 1.0 - upper_tail


def _beta_quantile(q: float, a: float, b: float, upper: bool) -> float:
    """The x with P(X <= x) = q (or P(X > x) = q when ``upper``) for X ~ Beta(a, b)."""
    log_beta = _log_beta(a, b)
    p = 1.0 - q if upper else q
    # A normal-approximation start (Abramowitz & Stegun 26.5.22), then safeguarded Newton.
    t = math.sqrt(-2.0 * math.log(q if q < 0.5 else 1.0 - q))
    z = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
    if p >= 0.5:
        z = -z
    if a > 1.0 and b > 1.0:
        al = (z * z - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = z * math.sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        x = a / (a + b * math.exp(2.0 * w))
    else:
        x = a / (a + b)
    low, high = 0.0, 1.0
    for _ in range(300):
        if not low < x < high:
            x = 0.5 * (low + high)
        # error > 0 means x is too far right, whichever tail is being matched
        error = _beta_tail(x, a, b, log_beta, upper) - q
        if upper:
            error = -error
        if error == 0.0:
            return x
        if error < 0.0:
            low = x
        else:
            high = x
        density = math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta)
        new = x - error / density if density > 0.0 else math.nan
        if not low < new < high:
            new = 0.5 * (low + high)
        if abs(new - x) <= 4e-16 * x or high - low <= 4e-16 * high:
            return new
        x = new
    return x


def f_quantile(p: float, df1: float, df2: float) -> float:
    """Return the ``p`` quantile of the F distribution with ``df1`` and ``df2`` degrees of freedom.

    :raises ValueError: unless ``0 < p < 1`` and both degrees of freedom are positive.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1 (got {p})")
    if not (df1 > 0 and df2 > 0):
        raise ValueError(f"degrees of freedom must be positive (got {df1}, {df2})")
    a, b = df1 / 2.0, df2 / 2.0
    # F = df2 * y / (df1 * (1 - y)) for y ~ Beta(a, b). Solve for whichever of y and 1 - y is the
    # smaller (1 - y ~ Beta(b, a)), matching whichever tail probability is the smaller, so that
    # neither the answer nor the target loses digits to a subtraction from 1.
    tail = min(p, 1.0 - p)
    if p <= _beta_tail(0.5, a, b, _log_beta(a, b), upper=False):
        y = _beta_quantile(tail, a, b, upper=p > 0.5)
        return (df2 * y) / (df1 * (1.0 - y))
    rest = _beta_quantile(tail, b, a, upper=p <= 0.5)
    return (df2 * (1.0 - rest)) / (df1 * rest)
