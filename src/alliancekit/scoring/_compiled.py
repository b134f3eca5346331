"""One compiled score: its members, method, missing-data rule and transform, made exact, and the
exact arithmetic that turns its members' keyed values into a :class:`~alliancekit.Score`.

Values are integers and fractions until the end: a real-valued mark is its decimal value (``8.7``
is 87/10), and the float of a score is one correctly rounded conversion.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from alliancekit.errors import ScoringError
from alliancekit.scoring._exact import Exact, exact, round_half_away
from alliancekit.scoring._methods import ScoringMethod, builtin_kind
from alliancekit.scoring._results import Score, build_score

if TYPE_CHECKING:
    from alliancekit.model import ScoreDefinition

__all__ = ["CompiledScore", "members_getter", "score_members"]


def members_getter(positions: tuple[int, ...]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """A function picking the values at ``positions`` from a list, as a tuple."""
    if len(positions) == 1:
        (only,) = positions
        return lambda values: (values[only],)
    return itemgetter(*positions)


class CompiledScore:
    """One score of a plan: its members, method, missing-data rule and transform, made exact.

    :ivar kind: ``sum``, ``mean`` or ``weighted_sum`` for a built-in method, ``None`` for a
        plugin method.
    :ivar positions: item positions (a score of items) or earlier score indices (a score of
        scores).
    :ivar need: the fewest members that must be answered for the score to have a value.
    """

    __slots__ = (
        "by_items",
        "cache",
        "definition",
        "failures",
        "get",
        "high",
        "id",
        "kind",
        "low",
        "method",
        "need",
        "partial",
        "positions",
        "prorate",
        "raw_high",
        "raw_low",
        "round",
        "rule_text",
        "size",
        "transform",
        "weights",
    )

    def __init__(
        self, definition: ScoreDefinition, method: ScoringMethod, positions: tuple[int, ...]
    ) -> None:
        self.definition = definition
        self.id = definition.id
        self.method = method
        self.kind = builtin_kind(method)
        self.by_items = bool(definition.items)
        self.positions = positions
        self.size = len(positions)
        self.get = members_getter(positions)
        members = definition.items or definition.scores
        self.weights: tuple[Exact, ...] | None = (
            tuple(exact(definition.weights[m]) for m in members)
            if definition.weights is not None
            else None
        )
        self.raw_low, self.raw_high = definition.raw_range
        self.low, self.high = definition.range
        rule = definition.missing
        self.prorate = rule.impute == "prorate"
        self.round = rule.round if self.prorate else None
        noun = "items" if self.by_items else "component scores"
        if rule.max_missing is not None:
            self.need = max(self.size - rule.max_missing, 1)
            self.rule_text = f"at most {rule.max_missing} of the {self.size} {noun} may be missing"
        elif rule.min_answered is not None:
            wanted = Fraction(exact(rule.min_answered)) * self.size
            self.need = max(math.ceil(wanted), 1)
            self.rule_text = (
                f"at least {self.need} of the {self.size} {noun} must be answered "
                f"(min_answered {rule.min_answered:g})"
            )
        else:
            self.need = self.size
            self.rule_text = (
                f"no missing-data rule is set, so all {self.size} {noun} must be answered"
            )
        self.transform: tuple[Exact, Fraction] | None = None
        if definition.transform is not None:
            to_low, to_high = (exact(t) for t in definition.transform.to)
            factor = Fraction(to_high - to_low) / (self.raw_high - self.raw_low)
            self.transform = (to_low, factor)
        #: integer sum -> its Score, for the fast path (see ScoringPlan._score_complete_ints)
        self.cache: dict[int, Score] = {}
        #: (answered, integer sum of the answered) -> its Score, for rows with a missing item
        self.partial: dict[tuple[int, int], Score] = {}
        self.failures: dict[tuple[int, str | None], Score] = {}

    def reason(self, answered: int) -> str:
        """Why the score has no value when only ``answered`` members have one."""
        noun = "items" if self.by_items else "component scores"
        return f"{self.size - answered} of {self.size} {noun} missing; {self.rule_text}"

    def failure(self, answered: int, reason: str | None = None) -> Score:
        """The value-less Score for ``answered`` members (one per count and reason, reused)."""
        key = (answered, reason)
        score = self.failures.get(key)
        if score is None:
            score = build_score(
                self.id,
                None,
                answered,
                self.size - answered,
                False,
                reason or self.reason(answered),
                self.definition.range,
            )
            self.failures[key] = score
        return score


def score_members(
    compiled: CompiledScore, members: list[Exact | None]
) -> tuple[Exact | None, Score]:
    """Score one score from its members' exact keyed values (``None`` = missing).

    :returns: the exact raw value (``None`` without a value) and the :class:`Score`.
    :raises ScoringError: when the value leaves the score's range, or a plugin method fails.
    """
    present = [m for m in members if m is not None]
    answered = len(present)
    if answered < compiled.need:
        return None, compiled.failure(answered)
    missing = compiled.size - answered
    imputed = bool(missing) and compiled.prorate
    method = compiled.method
    raw: Exact
    if method.exact is not None:
        weights = compiled.weights
        if weights is not None and missing:
            weights = tuple(w for w, m in zip(weights, members, strict=True) if m is not None)
        raw = method.exact(present, weights)
        if imputed:
            prorated = _prorate(compiled, raw, members)
            if prorated is None:
                return None, compiled.failure(answered, _ZERO_WEIGHT)
            raw = prorated
    else:
        raw = _plugin_value(compiled, members)
    if compiled.transform is not None:
        to_low, factor = compiled.transform
        raw = to_low + (raw - compiled.raw_low) * factor
    value = float(raw)
    if not compiled.low <= value <= compiled.high:
        raise ScoringError(
            f"score {compiled.id!r} came out as {value!r}, outside its range "
            f"[{compiled.low:g}, {compiled.high:g}]; the scale's scoring rules are inconsistent"
        )
    return raw, build_score(
        compiled.id, value, answered, missing, imputed, None, compiled.definition.range
    )


_ZERO_WEIGHT = "the weights of the answered items sum to zero, so the score cannot be prorated"


def _prorate(compiled: CompiledScore, raw: Exact, members: list[Exact | None]) -> Exact | None:
    """Scale a partial sum up to all members: ``raw * n / answered`` (weighted: by the weights
    of all members over those of the answered ones), rounded when the rule says so."""
    if compiled.weights is None:
        factor = Fraction(len(members), sum(1 for m in members if m is not None))
    else:
        answered_weight = sum(
            w for w, m in zip(compiled.weights, members, strict=True) if m is not None
        )
        if answered_weight == 0:
            return None
        factor = Fraction(sum(compiled.weights)) / answered_weight
    prorated: Exact = raw * factor
    if compiled.round is not None:
        prorated = round_half_away(Fraction(prorated), compiled.round)
    return prorated


def _plugin_value(compiled: CompiledScore, members: list[Exact | None]) -> Exact:
    floats = tuple(None if m is None else float(m) for m in members)
    method = compiled.method
    assert method.function is not None  # only methods without an exact kernel come here
    try:
        result: object = method.function(floats, compiled.definition)
    except Exception as error:  # a plugin's bug must not pass as a score
        raise ScoringError(
            f"scoring method {method.name!r} ({method.origin}) failed on score "
            f"{compiled.id!r}: {type(error).__name__}: {error}"
        ) from error
    if (
        isinstance(result, bool)
        or not isinstance(result, numbers.Real)
        or not math.isfinite(result)
        or not compiled.raw_low <= result <= compiled.raw_high
    ):
        raise ScoringError(
            f"scoring method {method.name!r} ({method.origin}) returned {result!r:.40} for "
            f"score {compiled.id!r}, outside [{float(compiled.raw_low):g}, "
            f"{float(compiled.raw_high):g}]"
        )
    return exact(float(result))
