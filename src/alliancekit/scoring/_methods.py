"""Scoring methods by name: the built-in ``sum``, ``mean`` and ``weighted_sum``, and the shape of a
method that a plugin registers.

Scale documents name their methods; nothing is ever evaluated from a document. Built-in methods
compute with exact arithmetic (integers and fractions), so a total of real-valued marks such as
``8.7 + 9.1 + 9.5 + 8.7`` is exactly ``36.0``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Literal

import attrs

from alliancekit.model import ScoreDefinition
from alliancekit.scoring._exact import Exact, exact_total

__all__ = [
    "BUILTIN_METHODS",
    "Bounds",
    "BuiltinKind",
    "ScoringMethod",
    "builtin_kind",
]

Bounds = tuple[Fraction, Fraction]
BuiltinKind = Literal["sum", "mean", "weighted_sum"]
#: ``function(values, score)``: the keyed member values of the score in order (``None`` = missing).
MethodFunction = Callable[[tuple[float | None, ...], ScoreDefinition], float]
#: ``range(bounds, score)``: the score's raw (lowest, highest) from its components' bounds.
RangeFunction = Callable[[Sequence[tuple[float, float]], ScoreDefinition], tuple[float, float]]
ExactKernel = Callable[[Sequence[Exact], Sequence[Exact] | None], Exact]


@attrs.frozen(kw_only=True)
class ScoringMethod:
    """A named way of combining member values into a score.

    :ivar function: for plugin methods, called with the keyed (reverse-applied) values of the
        score's members, ``None`` for a missing one, and the score definition; returns a float
        within the score's raw range. A plugin method whose document rule allows missing members
        gets ``None`` for them and must handle them itself (the engine marks the score
        ``imputed`` when the rule says ``prorate``).
    :ivar range: derives the score's (lowest, highest) from the members' bounds; when ``None``
        the function must be non-decreasing in every value and the range is the function applied
        to all lowest and to all highest values.
    :ivar exact: set for built-in methods instead of ``function``: the exact kernel, which gets
        the answered values only (``exact(values, weights)``); the engine applies missing-data
        rules, prorating and transforms around it.
    :ivar prorates: whether a missing-data rule may prorate this method's result.
    """

    name: str
    function: MethodFunction | None = None
    range: RangeFunction | None = None
    exact: ExactKernel | None = None
    prorates: bool = False
    origin: str = "alliancekit"

    def __attrs_post_init__(self) -> None:
        if (self.function is None) == (self.exact is None):
            raise ValueError(f"scoring method {self.name!r} needs a function (or, built in, exact)")


def _exact_sum(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    return exact_total(values)


def _exact_mean(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    return Fraction(exact_total(values), len(values))


def _exact_weighted_sum(values: Sequence[Exact], weights: Sequence[Exact] | None) -> Exact:
    assert weights is not None  # the loader requires a weight for every member
    return exact_total([w * v for w, v in zip(weights, values, strict=True)])


_KINDS: dict[ExactKernel, BuiltinKind] = {
    _exact_sum: "sum",
    _exact_mean: "mean",
    _exact_weighted_sum: "weighted_sum",
}


def builtin_kind(method: ScoringMethod) -> BuiltinKind | None:
    """Which built-in method ``method`` is (by its exact kernel), or ``None`` for a plugin's."""
    return _KINDS.get(method.exact) if method.exact is not None else None


BUILTIN_METHODS: dict[str, ScoringMethod] = {
    "sum": ScoringMethod(name="sum", exact=_exact_sum, prorates=True),
    "mean": ScoringMethod(name="mean", exact=_exact_mean),
    "weighted_sum": ScoringMethod(name="weighted_sum", exact=_exact_weighted_sum, prorates=True),
}
