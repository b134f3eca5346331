"""Exact arithmetic on columns of scores: each value an integer numerator over a denominator
(one for all rows, or one per row), both held exactly in float64, every bound proved below 2**53
before computing. Used by ``_kernel``; it mirrors, operation for operation,
what :func:`alliancekit.scoring._compiled.score_members` does with fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from alliancekit.errors import ScoringError

if TYPE_CHECKING:
    from alliancekit.scoring._compiled import CompiledScore
    from alliancekit.scoring._plan import ScoringPlan

__all__ = ["Exact", "NotExact", "check_ranges", "checked", "combine", "integer_weights"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
_EXACT = 2**53  # every integer below this is exact in float64


class NotExact(Exception):
    """This table (or scale) cannot be scored exactly by the kernel; use the per-row path."""


@dataclass
class Exact:
    """Score values as exact integer numerators over denominators (scalar or per row)."""

    num: FloatArray
    den: Any  # int, or a float array of exact integers
    den_lcm: int | None  # a multiple of every denominator (None: unknown)
    num_bound: int
    den_bound: int


def checked(*bounds: int) -> None:
    """:raises NotExact: when a bound reaches 2**53 (the end of float64's exact integers)."""
    if max(bounds) >= _EXACT:
        raise NotExact("a value of this scale may exceed the exact range of float64")


def integer_weights(compiled: CompiledScore) -> tuple[tuple[int, ...], int]:
    """The score's weights as integers ``c`` over one scale ``L`` (weight = c / L)."""
    if compiled.weights is None:
        return (1,) * compiled.size, 1
    weights = [Fraction(w) for w in compiled.weights]
    scale = math.lcm(*(w.denominator for w in weights))
    return tuple(int(w * scale) for w in weights), scale


def check_ranges(plan: ScoringPlan, scores: list[int], values: FloatArray) -> None:
    """Every value of these scores must lie in its range, as in the per-row path."""
    if values.shape[1] == 0:
        return
    for i in scores:
        compiled = plan.scores[i]
        low, high = np.fmin.reduce(values[i]), np.fmax.reduce(values[i])
        if low < compiled.low or high > compiled.high:
            raise ScoringError(
                f"score {compiled.id!r} came out outside its range [{compiled.low:g}, "
                f"{compiled.high:g}]; the scale's scoring rules are inconsistent"
            )


def combine(
    compiled: CompiledScore,
    sums: FloatArray,
    counts: FloatArray | None,
    weights: FloatArray | None,
    coefficients: tuple[int, ...],
    den: int,
    bound: int,
) -> Exact:
    """A score from the (weighted) sums of its answered members over ``den``: missing-data
    rule, method, prorating, rounding and transform, exactly as the per-row path does them."""
    n = compiled.size
    total_weight = sum(coefficients)
    num: FloatArray = sums
    denominator: Any = den
    den_lcm: int | None = den
    den_bound = den
    if compiled.kind == "mean":
        denominator = den * n if counts is None else den * counts
        den_lcm = den * math.lcm(*range(compiled.need, n + 1))
        den_bound = den * n
    if counts is not None:
        if compiled.prorate:
            imputed = counts < n
            if compiled.weights is None:
                num = np.where(imputed, sums * n, sums)
                denominator = np.where(imputed, den * counts, float(den))
                den_lcm = den * math.lcm(*range(compiled.need, n + 1))
                bound, den_bound = bound * n, den * n
            else:
                assert weights is not None
                # A denominator must be positive for rounding: move the sign of the answered
                # weight (negative weights) to the numerator.
                sign = np.where(weights < 0, -1.0, 1.0)
                num = np.where(imputed, sums * total_weight * sign, sums)
                denominator = np.where(imputed, den * weights * sign, float(den))
                den_lcm = None
                bound *= abs(total_weight)
                den_bound = den * sum(abs(c) for c in coefficients)
                num = np.where(imputed & (weights == 0), np.nan, num)
            if compiled.round is not None:
                num, denominator, den_lcm, bound, den_bound = _round(
                    compiled, num, denominator, imputed, den_lcm, bound, den_bound
                )
        num = np.where(counts < compiled.need, np.nan, num)
    checked(bound, den_bound)
    vector = Exact(num, denominator, den_lcm, bound, den_bound)
    if compiled.transform is not None:
        vector = _transform(compiled, vector)
    return vector


def _round(
    compiled: CompiledScore,
    num: FloatArray,
    den: Any,
    rows: BoolArray,
    den_lcm: int | None,
    bound: int,
    den_bound: int,
) -> tuple[FloatArray, Any, int | None, int, int]:
    """Round the prorated rows half away from zero to ``round`` decimals, in int64:
    ``sign(n) * floor((2|n| * 10**r + d) / (2d))`` over ``10**r``."""
    r = compiled.round
    assert r is not None
    scale = 10**r
    if 2 * bound * scale + den_bound >= 2**62:
        raise NotExact("rounding this score could overflow")
    picked = np.flatnonzero(rows & ~np.isnan(num))
    n64 = num[picked].astype(np.int64)
    d64 = np.broadcast_to(den, num.shape)[picked].astype(np.int64)
    magnitude = (2 * np.abs(n64) * scale + d64) // (2 * d64)
    num = num.copy()
    den = np.array(np.broadcast_to(den, num.shape), dtype=np.float64)
    num[picked] = np.where(n64 < 0, -magnitude, magnitude)
    den[picked] = float(scale)
    raw_bound = math.ceil(max(abs(compiled.raw_low), abs(compiled.raw_high)) * scale) + 1
    new_lcm = None if den_lcm is None else math.lcm(den_lcm, scale)
    return num, den, new_lcm, max(bound, raw_bound), max(den_bound, scale)


def _transform(compiled: CompiledScore, vector: Exact) -> Exact:
    """``to_low + (v - raw_low) * factor`` as ``(alpha * den + beta * num) / (gamma * den)``."""
    assert compiled.transform is not None
    to_low, factor = (Fraction(t) for t in compiled.transform)
    low = Fraction(compiled.raw_low)
    # v' = tp/tq + (N/D - lp/lq) * cp/cq
    tp, tq = to_low.numerator, to_low.denominator
    lp, lq = low.numerator, low.denominator
    cp, cq = factor.numerator, factor.denominator
    alpha, beta, gamma = tp * lq * cq - lp * cp * tq, lq * cp * tq, tq * lq * cq
    g = math.gcd(alpha, beta, gamma)
    alpha, beta, gamma = alpha // g, beta // g, gamma // g
    num_bound = abs(alpha) * vector.den_bound + abs(beta) * vector.num_bound
    den_bound = gamma * vector.den_bound
    checked(num_bound, den_bound, abs(alpha), abs(beta), gamma)
    num = alpha * np.asarray(vector.den, dtype=np.float64) + beta * vector.num
    den = gamma * vector.den
    den_lcm = None if vector.den_lcm is None else gamma * vector.den_lcm
    return Exact(num, den, den_lcm, num_bound, den_bound)
