"""Scoring methods by name: the built-in ``sum``, ``mean`` and ``weighted_sum``, and the shape of a
method that a plugin registers.

Scale documents name their methods; nothing is ever evaluated from a document. Built-in methods
compute with exact arithmetic (integers and fractions), so a total of real-valued marks such as
``8.7 + 9.1 + 9.5 + 8.7`` is exactly ``36.0``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs

from alliancekit.model import ScoreDefinition

__all__ = ["BUILTIN_METHODS", "Bounds", "ScoringMethod"]

Exact = int | Fraction
Bounds = tuple[Fraction, Fraction]
#: ``function(values, score)``: the keyed item values of the score in order (``None`` = missing).
MethodFunction = Callable[[tuple[float | None, ...], ScoreDefinition], float]
#: ``range(bounds, score)``: the score's raw (lowest, highest) from its components' bounds.
RangeFunction = Callable[[Sequence[tuple[float, float]], ScoreDefinition], tuple[float, float]]


@attrs.frozen(kw_only=True)
class ScoringMethod:
    """A named way of combining item values into a score.

    :ivar function: for plugin methods, called with the keyed (reverse-applied) values of the
        score's items, ``None`` for a missing one, and the score definition; returns a float.
    :ivar range: derives the score's (lowest, highest) from the components' bounds; when ``None``
        the function must be non-decreasing in every value and the range is the function applied
        to all lowest and to all highest values.
    :ivar exact: set for built-in methods: the exact kernel the engine uses instead of
        ``function``. ``exact(values, weights)`` gets the answered values only.
    :ivar prorates: whether a missing-data rule may prorate this method's result.
    """

    name: str
    function: MethodFunction
    range: RangeFunction | None = None
    exact: Callable[[Sequence[Exact], Sequence[Exact] | None], Exact] | None = None
    prorates: bool = False
    origin: str = "alliancekit"


def _exact_sum(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    return sum(values)


def _exact_mean(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    return Fraction(sum(values), len(values))


def _exact_weighted_sum(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    assert weights is not None  # the loader requires a weight for every item
    return sum(w * v for w, v in zip(weights, values))


def _float_version(
    kernel: Callable[[Sequence[Exact], Sequence[Exact] | None], Exact],
) -> MethodFunction:
    def function(values: tuple[float | None, ...], score: ScoreDefinition) -> float:
        present = [Fraction(repr(v)) for v in values if v is not None]
        weights = None
        if score.weights is not None:
            ids = score.items or score.scores
            weights = [
                Fraction(repr(score.weights[i]))
                for i, v in zip(ids, values)
                if v is not None
            ]
        return float(kernel(present, weights))

    return function


BUILTIN_METHODS: dict[str, ScoringMethod] = {
    "sum": ScoringMethod(
        name="sum", function=_float_version(_exact_sum), exact=_exact_sum, prorates=True
    ),
    "mean": ScoringMethod(
        name="mean", function=_float_version(_exact_mean), exact=_exact_mean
    ),
    "weighted_sum": ScoringMethod(
        name="weighted_sum",
        function=_float_version(_exact_weighted_sum),
        exact=_exact_weighted_sum,
        prorates=True,
    ),
}
