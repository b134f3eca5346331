"""Exact arithmetic, the one home of it: every score, cut-off side, drop and reliable change is
decided with integers and fractions, never floats.

A real number from a document or an answer stands for its shortest decimal (``8.7`` is 87/10,
not the binary float nearest to it), so ``8.7 + 9.1 + 9.5 + 8.7`` is exactly 36 and a 1-point
drop from 32.3 to 31.3 is exactly 1. A value becomes a float once, at the end, correctly rounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

__all__ = [
    "CACHE_LIMIT",
    "Exact",
    "exact",
    "exact_float",
    "exact_fraction",
    "exact_total",
    "round_half_away",
]

Exact = int | Fraction

#: How many distinct values each cache of the scoring engine keeps (its memory bound).
CACHE_LIMIT = 4096

_INT_ONLY = frozenset({int})
_EXACT_FLOATS: dict[float, Exact] = {}


def exact(number: float) -> Exact:
    """The exact decimal value a JSON number or a typed answer stands for (``8.7`` is 87/10).

    :raises ValueError: for NaN; :raises OverflowError: for an infinity.
    """
    if isinstance(number, int):
        return int(number)
    return Fraction(repr(float(number)))


def exact_fraction(number: float) -> Fraction:
    """:func:`exact` as a :class:`~fractions.Fraction` (so that dividing stays exact: two ints
    would give a float)."""
    return Fraction(exact(number))


def exact_float(value: float) -> Exact:
    """:func:`exact` of a checked float answer, remembered for the few thousand distinct marks a
    visual-analogue scale produces."""
    number = _EXACT_FLOATS.get(value)
    if number is None:
        number = exact(value)
        if len(_EXACT_FLOATS) < CACHE_LIMIT:
            _EXACT_FLOATS[value] = number
    return number


def exact_total(values: Sequence[Exact]) -> Exact:
    """The exact sum of integers and fractions: an ``int`` when every value is one, else a
    :class:`~fractions.Fraction` (built once over the common denominator, which is much faster
    than adding fractions one by one)."""
    if _INT_ONLY.issuperset(map(type, values)):
        return sum(values)
    total = 0
    fractions: list[Fraction] = []
    for value in values:
        if type(value) is int:
            total += value
        else:
            fractions.append(value)  # type: ignore[arg-type]
    if not fractions:
        return total
    common = math.lcm(*(f.denominator for f in fractions))
    numerator = total * common + sum(f.numerator * (common // f.denominator) for f in fractions)
    return Fraction(numerator, common)


def round_half_away(value: Fraction, digits: int) -> Fraction:
    """``value`` rounded to ``digits`` decimals, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    scale = 10**digits
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)
