"""Scoring one set of answers: strict checks, reverse keys, missing-data rules, exact arithmetic.

A :class:`ScoringPlan` is compiled once per scale by the loader; :meth:`Scale.score` calls it.
Answers are checked here, at the edge (see :mod:`alliancekit.answers`), and everything after that
trusts them. Arithmetic is exact: integers stay integers, a real-valued mark is taken at its
decimal value (``8.7`` is 87/10), and a value becomes a float only once, at the end, correctly
rounded.

The common case (every item answered with an ``int``) takes a fast path that computes each
``sum``/``mean`` score from the integer sum of its items and reuses the (immutable)
:class:`~alliancekit.results.Score` already built for that sum; it gives exactly what the general
path gives.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from fractions import Fraction
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from alliancekit import plugins as _plugins
from alliancekit.answers import AnswerValue, ItemCheck, check_value, key_label
from alliancekit.errors import ResponseError, ResponseIssue, ScoringError
from alliancekit.methods import ScoringMethod, builtin_kind
from alliancekit.results import Score, ScoreResult, build_result, build_score
from alliancekit.semantics import exact

if TYPE_CHECKING:
    from alliancekit.model import Scale, ScoreDefinition

__all__ = ["Answers", "CompiledScore", "ScoringPlan"]

Answers = Mapping[str, Any]
Exact = int | Fraction

#: How many distinct sums each score keeps a ready-made Score for (the fast path's memory bound).
_CACHE_LIMIT = 4096
_INT_ONLY = frozenset({int})


def _members_getter(positions: tuple[int, ...]) -> Callable[[list[Any]], tuple[Any, ...]]:
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
        self.get = _members_getter(positions)
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


class ScoringPlan:
    """The compiled scoring rules of a scale. Built by the loader; use :meth:`Scale.score`."""

    def __init__(self, scale: Scale, methods: Mapping[str, ScoringMethod]) -> None:
        self.scale = scale
        self.item_ids = tuple(item.id for item in scale.items)
        self.checks = {item.id: ItemCheck(i, item) for i, item in enumerate(scale.items)}
        self.item_checks = tuple(self.checks.values())
        self.warnings: tuple[str, ...] = (
            tuple(f"provisional scale {scale.id!r}: {q}" for q in scale.verification.open_questions)
            if scale.status == "provisional"
            else ()
        )
        positions = {item_id: i for i, item_id in enumerate(self.item_ids)}
        score_index: dict[str, int] = {}
        self.scores: list[CompiledScore] = []
        for definition in scale.scores:
            members = (
                tuple(positions[i] for i in definition.items)
                if definition.items
                else tuple(score_index[s] for s in definition.scores)
            )
            score_index[definition.id] = len(self.scores)
            self.scores.append(CompiledScore(definition, methods[definition.method], members))
        self.score_ids = tuple(s.id for s in self.scores)
        self.reversed = tuple(
            (c.index, c.reverse_sum) for c in self.item_checks if c.reverse_sum is not None
        )
        # The fast path needs every item ordinal with one shared option set (values are then
        # ints), and reverse keys that stay ints.
        option_sets = {c.allowed for c in self.item_checks}
        uniform = len(option_sets) == 1 and all(c.ordinal for c in self.item_checks)
        self.uniform_options: frozenset[int] | None = option_sets.pop() if uniform else None
        self.sum_scores: tuple[tuple[str, int, dict[int, Score], CompiledScore], ...] | None = None
        self.sum_steps: tuple[tuple[bool, Any], ...] = ()
        if all(s.by_items and s.kind in {"sum", "mean"} for s in self.scores):
            steps, step_of = _sum_steps([s.positions for s in self.scores])
            self.sum_steps = steps
            self.sum_scores = tuple(
                (s.id, step_of[i], s.cache, s) for i, s in enumerate(self.scores)
            )
        self._context = {"scale": scale}
        #: the NumPy kernel of score_table, built on first use (False: it cannot be exact)
        self.kernel: Any = None

    # -- validation -------------------------------------------------------------------------

    def validate(self, answers: Answers, *, coerce: bool = False) -> list[AnswerValue]:
        """Check answers and return them as a list in item order (``None`` = missing).

        :raises ResponseError: listing every problem, each with the item id and a stable code.
        """
        if not isinstance(answers, Mapping):
            raise ResponseError(
                [
                    ResponseIssue(
                        item_id="*",
                        code="not-a-mapping",
                        message="answers must map item ids to values, "
                        f"not {type(answers).__name__}",
                    )
                ],
                scale_id=self.scale.id,
            )
        values: list[AnswerValue] = [None] * len(self.item_ids)
        issues: list[ResponseIssue] = []
        checks = self.checks
        for key, value in answers.items():
            check = checks.get(key)
            if check is None:
                issues.append(
                    ResponseIssue(
                        item_id=key_label(key),
                        code="unknown-item",
                        message=f"not an item of scale {self.scale.id!r}",
                    )
                )
            elif type(value) is int and value in check.allowed:
                values[check.index] = value
            else:
                checked = check_value(check, value, coerce)
                if isinstance(checked, ResponseIssue):
                    issues.append(checked)
                else:
                    values[check.index] = checked
        if issues:
            raise ResponseError(issues, scale_id=self.scale.id)
        return values

    def _complete_ints(self, answers: dict[str, Any]) -> tuple[list[int], dict[str, int]] | None:
        """For a dict with as many keys as there are items, in another order: the answers in
        item order and a copy of the dict in item order when every item has a valid ``int``
        option; ``None`` otherwise (the general path then decides)."""
        allowed = self.uniform_options
        assert allowed is not None
        try:
            values = list(map(answers.__getitem__, self.item_ids))
        except KeyError:
            return None
        if _INT_ONLY.issuperset(map(type, values)) and allowed.issuperset(values):
            return values, dict(zip(self.item_ids, values, strict=True))
        return None

    # -- scoring ---------------------------------------------------------------------------

    def score(self, answers: Answers, *, coerce: bool = False) -> ScoreResult:
        """Validate and score one set of answers, then fire ``alliancekit_result_scored``;
        see :meth:`Scale.score`."""
        allowed = self.uniform_options
        complete = None
        if allowed is not None and type(answers) is dict:
            if tuple(answers) == self.item_ids:
                # The fast path: a dict in item order whose every value is an int option. A bool,
                # a float or a numpy number can equal an option, hence the type check.
                values = list(answers.values())
                if _INT_ONLY.issuperset(map(type, values)) and allowed.issuperset(values):
                    result = self._score_complete_ints(values, answers.copy())
                    _plugins.notify_result_scored(result, self._context)
                    return result
            elif len(answers) == len(self.item_ids):
                complete = self._complete_ints(answers)
        if complete is None:
            result = self.score_values(self.validate(answers, coerce=coerce))
        else:
            result = self._score_complete_ints(*complete)
        _plugins.notify_result_scored(result, self._context)
        return result

    def _score_complete_ints(self, values: list[int], answers: dict[str, int]) -> ScoreResult:
        keyed: list[Any] = values
        if self.reversed:
            keyed = cast("list[Any]", values.copy())
            for index, reverse_sum in self.reversed:
                keyed[index] = reverse_sum - keyed[index]
        scores: dict[str, Score] = {}
        if self.sum_scores is not None:
            # Every score is a sum or mean of items: its Score depends on the integer sum only,
            # and a Score is immutable, so the one built for that sum is reused.
            sums: list[int] = []
            for of_sums, get in self.sum_steps:
                sums.append(sum(get(sums if of_sums else keyed)))
            for score_id, step, cache, compiled in self.sum_scores:
                key = sums[step]
                score = cache.get(key)
                if score is None:
                    score = self._score_one(compiled, list(compiled.get(keyed)))[1]
                    if len(cache) < _CACHE_LIMIT:
                        cache[key] = score
                scores[score_id] = score
        else:
            raws: list[Exact | None] = []
            for compiled in self.scores:
                raw, score = self._score_one(
                    compiled, list(compiled.get(keyed if compiled.by_items else raws))
                )
                raws.append(raw)
                scores[compiled.id] = score
        scale = self.scale
        return build_result(
            scale.id, scale.version, scale.sha256, scale.status, answers, scores, self.warnings
        )

    def score_values(self, values: list[AnswerValue]) -> ScoreResult:
        """Score answers already checked by :meth:`validate` (a list in item order); fires no
        event."""
        keyed: list[Exact | None] = [
            value if value is None or type(value) is int else _exact_float(value)
            for value in values
        ]
        for index, reverse_sum in self.reversed:
            number = keyed[index]
            if number is not None:
                keyed[index] = reverse_sum - number
        raws: list[Exact | None] = []
        scores: dict[str, Score] = {}
        for compiled in self.scores:
            members = list(compiled.get(keyed if compiled.by_items else raws))
            raw, score = self._score_one(compiled, members)
            raws.append(raw)
            scores[compiled.id] = score
        scale = self.scale
        return build_result(
            scale.id,
            scale.version,
            scale.sha256,
            scale.status,
            dict(zip(self.item_ids, values, strict=True)),
            scores,
            self.warnings,
        )

    def raw_values(self, values: list[AnswerValue]) -> list[float | None]:
        """The float value of every score (in plan order) for checked answers, building no
        result; the reference the table and file paths are tested against."""
        result = self.score_values(values)
        return [result.scores[score_id].value for score_id in self.score_ids]

    def _score_one(
        self, compiled: CompiledScore, members: list[Exact | None]
    ) -> tuple[Exact | None, Score]:
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
_EXACT_FLOATS: dict[float, Exact] = {}


def _exact_float(value: float) -> Exact:
    """The exact decimal value of a checked float answer (``8.7`` is 87/10), remembered for the
    few thousand distinct marks a visual-analogue scale produces."""
    number = _EXACT_FLOATS.get(value)
    if number is None:
        number = exact(value)
        if len(_EXACT_FLOATS) < _CACHE_LIMIT:
            _EXACT_FLOATS[value] = number
    return number


def _sum_steps(
    member_lists: list[tuple[int, ...]],
) -> tuple[tuple[tuple[bool, Any], ...], list[int]]:
    """Plan the integer sums of several item sets, each distinct set once, and a set that is the
    disjoint union of sets already summed as the sum of their sums (WAI-SR: total = task + goal
    + bond). Integer addition is exact, so the order does not matter.

    :returns: the steps ``(of_sums, getter)`` (the getter picks items, or earlier sums when
        ``of_sums``) and, per item set, the index of the step giving its sum.
    """
    steps: list[tuple[bool, Any]] = []
    done: dict[frozenset[int], int] = {}
    step_of: list[int] = []
    for members in member_lists:
        wanted = frozenset(members)
        if wanted in done:
            step_of.append(done[wanted])
            continue
        parts: list[int] = []
        covered: set[int] = set()
        for items, step in done.items():
            if items <= wanted and not items & covered:
                parts.append(step)
                covered |= items
        if len(parts) > 1 and covered == wanted:
            steps.append((True, _members_getter(tuple(parts))))
        else:
            steps.append((False, _members_getter(members)))
        done[wanted] = len(steps) - 1
        step_of.append(len(steps) - 1)
    return tuple(steps), step_of


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


def round_half_away(value: Fraction, digits: int) -> Fraction:
    """``value`` rounded to ``digits`` decimals, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    scale = 10**digits
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)
