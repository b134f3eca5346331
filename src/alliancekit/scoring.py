"""Scoring one set of answers: strict validation, reverse keys, missing-data rules, exact arithmetic.

A :class:`ScoringPlan` is compiled once per scale by the loader; :meth:`Scale.score` calls it.
Answers are checked here, at the edge, and everything after that trusts them. Arithmetic is exact:
integers stay integers, a real-valued mark is taken at its decimal value (``8.7`` is 87/10), and a
value becomes a float only once, at the end.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.methods import ScoringMethod
from alliancekit.results import AnswerValue, Score, ScoreResult
from alliancekit.semantics import exact

if TYPE_CHECKING:
    from alliancekit.model import Scale, ScoreDefinition

__all__ = ["Answers", "ScoringPlan"]

Answers = Mapping[str, Any]
Exact = int | Fraction

_INTEGER_TEXT = re.compile(r"^[+-]?[0-9]+$")
_NUMBER_TEXT = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_MISSING_TEXT = frozenset({"", "NA", "NaN", "nan", "null", "None"})
_KEY_CHARS = 40


def _key_label(key: object) -> str:
    text = key if isinstance(key, str) else repr(key)
    return text if len(text) <= _KEY_CHARS else text[: _KEY_CHARS - 1] + "…"


class _ItemCheck:
    """How one item's answers are checked and keyed."""

    __slots__ = ("allowed", "high", "id", "index", "low", "ordinal", "reverse_sum")

    def __init__(self, index: int, scale: Scale, item_id: str) -> None:
        item = scale.item(item_id)
        rs = item.response_set
        self.index = index
        self.id = item_id
        self.ordinal = rs.kind == "ordinal"
        self.allowed = rs.values
        self.low = rs.min
        self.high = rs.max
        self.reverse_sum: Exact | None = None
        if item.reverse:
            assert rs.min is not None and rs.max is not None  # guaranteed by the loader
            self.reverse_sum = exact(rs.min) + exact(rs.max)


class _CompiledScore:
    __slots__ = (
        "definition",
        "exact",
        "members",
        "method",
        "raw_high",
        "raw_low",
        "rule_text",
        "weights",
    )

    def __init__(
        self, definition: ScoreDefinition, method: ScoringMethod, members: tuple[Any, ...]
    ) -> None:
        self.definition = definition
        self.method = method
        self.exact = method.exact
        self.members = members
        self.weights = (
            tuple(exact(definition.weights[m]) for m in (definition.items or definition.scores))
            if definition.weights is not None
            else None
        )
        self.raw_low, self.raw_high = definition.raw_range
        rule = definition.missing
        if rule.max_missing is not None:
            self.rule_text = f"at most {rule.max_missing} may be missing"
        elif rule.min_answered is not None:
            self.rule_text = f"at least {rule.min_answered:.0%} must be answered"
        else:
            self.rule_text = "every member must be answered (no missing-data rule is set)"


class ScoringPlan:
    """The compiled form of a scale's scoring rules. Built by the loader; use :meth:`Scale.score`."""

    def __init__(self, scale: Scale, methods: Mapping[str, ScoringMethod]) -> None:
        self.scale = scale
        self.item_ids = tuple(item.id for item in scale.items)
        self.checks = {
            item_id: _ItemCheck(i, scale, item_id) for i, item_id in enumerate(self.item_ids)
        }
        self.warnings = tuple(
            f"provisional scale {scale.id!r}: {question}"
            for question in scale.verification.open_questions
        ) if scale.status == "provisional" else ()
        positions = {item_id: i for i, item_id in enumerate(self.item_ids)}
        self.scores: list[_CompiledScore] = []
        for definition in scale.scores:
            members = (
                tuple(positions[i] for i in definition.items)
                if definition.items
                else definition.scores
            )
            self.scores.append(
                _CompiledScore(definition, methods[definition.method], members)
            )

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
                        message=f"answers must map item ids to values, "
                        f"not {type(answers).__name__}",
                    )
                ],
                scale_id=self.scale.id,
            )
        values: list[AnswerValue] = [None] * len(self.item_ids)
        issues: list[ResponseIssue] | None = None
        checks = self.checks
        for key, value in answers.items():
            check = checks.get(key)
            if check is None:
                issue = ResponseIssue(
                    item_id=_key_label(key),
                    code="unknown-item",
                    message=f"not an item of scale {self.scale.id!r}",
                )
            elif value is None:
                continue
            elif check.ordinal and type(value) is int and value in check.allowed:
                values[check.index] = value
                continue
            else:
                checked = self._check_value(check, value, coerce)
                if not isinstance(checked, ResponseIssue):
                    values[check.index] = checked
                    continue
                issue = checked
            if issues is None:
                issues = []
            issues.append(issue)
        if issues:
            raise ResponseError(issues, scale_id=self.scale.id)
        return values

    def _check_value(
        self, check: _ItemCheck, value: object, coerce: bool
    ) -> AnswerValue | ResponseIssue:
        def problem(code: str, message: str) -> ResponseIssue:
            return ResponseIssue(item_id=check.id, code=code, message=message)

        if coerce and isinstance(value, str):
            text = value.strip()
            if text in _MISSING_TEXT:
                return None
            pattern = _INTEGER_TEXT if check.ordinal else _NUMBER_TEXT
            if not pattern.match(text):
                return problem("not-a-number", f"{check.id!r} must be a number (got {value!r:.40})")
            value = int(text) if check.ordinal else float(text)
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            return problem(
                "boolean-not-allowed", f"{check.id!r} must be a number, not a boolean ({value!r})"
            )
        if not isinstance(value, numbers.Real):
            return problem(
                "wrong-type",
                f"{check.id!r} must be a number (got {type(value).__name__} {value!r:.40})",
            )
        if not math.isfinite(value):
            return problem("not-finite", f"{check.id!r} must be a finite number (got {value!r})")
        if check.ordinal:
            if not isinstance(value, numbers.Integral):
                return problem(
                    "wrong-type", f"{check.id!r} must be a whole number option (got {value!r})"
                )
            number = int(value)
            if number not in check.allowed:
                options = ", ".join(str(v) for v in sorted(check.allowed))
                return problem(
                    "value-not-an-option",
                    f"{check.id!r} must be one of ({options}) (got {number})",
                )
            return number
        number_f = int(value) if isinstance(value, numbers.Integral) else float(value)
        assert check.low is not None and check.high is not None
        if not check.low <= number_f <= check.high:
            return problem(
                "out-of-range",
                f"{check.id!r} must be between {check.low} and {check.high} (got {number_f})",
            )
        return number_f

    # -- scoring ---------------------------------------------------------------------------

    def score(self, answers: Answers, *, coerce: bool = False) -> ScoreResult:
        """Validate and score one set of answers; see :meth:`Scale.score`."""
        values = self.validate(answers, coerce=coerce)
        result = self.score_values(values)
        from alliancekit.plugins import notify_result_scored

        notify_result_scored(result, {"scale": self.scale})
        return result

    def score_values(self, values: list[AnswerValue]) -> ScoreResult:
        """Score answers already checked by :meth:`validate` (a list in item order)."""
        keyed: list[Exact | None] = []
        for check, value in zip(self.checks.values(), values):
            if value is None:
                keyed.append(None)
                continue
            number = value if type(value) is int else exact(value)
            if check.reverse_sum is not None:
                number = check.reverse_sum - number
            keyed.append(number)
        raws: dict[str, Exact | None] = {}
        scores: dict[str, Score] = {}
        for compiled in self.scores:
            score_id = compiled.definition.id
            if compiled.definition.items:
                members = [keyed[i] for i in compiled.members]
            else:
                members = [raws[s] for s in compiled.members]
            raw, score = self._score_one(compiled, members, values)
            raws[score_id] = raw
            scores[score_id] = score
        return ScoreResult(
            scale_id=self.scale.id,
            scale_version=self.scale.version,
            scale_sha256=self.scale.sha256,
            status=self.scale.status,
            answers=dict(zip(self.item_ids, values)),
            scores=scores,
            warnings=self.warnings,
        )

    def _score_one(
        self,
        compiled: _CompiledScore,
        members: list[Exact | None],
        values: list[AnswerValue],
    ) -> tuple[Exact | None, Score]:
        definition = compiled.definition
        total = len(members)
        present = [m for m in members if m is not None]
        answered = len(present)
        missing = total - answered

        def fail(reason: str) -> tuple[None, Score]:
            return None, Score(
                id=definition.id,
                value=None,
                n_answered=answered,
                n_missing=missing,
                imputed=False,
                reason=reason,
                range=definition.range,
            )

        kind = "items" if definition.items else "component scores"
        if missing and not _rule_allows(definition, answered, total):
            return fail(f"{missing} of {total} {kind} missing; {compiled.rule_text}")
        raw: Exact
        if compiled.exact is not None:
            weights = compiled.weights
            if weights is not None and missing:
                weights = tuple(w for w, m in zip(weights, members) if m is not None)
            raw = compiled.exact(present, weights)
            if missing and definition.missing.impute == "prorate":
                raw = self._prorate(compiled, raw, members)
        else:
            raw = self._plugin_value(compiled, members)
        if compiled.definition.transform is not None:
            to_low, to_high = (exact(t) for t in compiled.definition.transform.to)
            span = compiled.raw_high - compiled.raw_low
            raw = to_low + Fraction(raw - compiled.raw_low) * (to_high - to_low) / span
        value = float(raw)
        return raw, Score(
            id=definition.id,
            value=value,
            n_answered=answered,
            n_missing=missing,
            imputed=bool(missing) and definition.missing.impute == "prorate",
            reason=None,
            range=definition.range,
        )

    @staticmethod
    def _prorate(compiled: _CompiledScore, raw: Exact, members: list[Exact | None]) -> Exact:
        rule = compiled.definition.missing
        if compiled.weights is None:
            factor = Fraction(len(members), sum(1 for m in members if m is not None))
        else:
            answered_weight = sum(w for w, m in zip(compiled.weights, members) if m is not None)
            factor = Fraction(sum(compiled.weights)) / answered_weight
        prorated = raw * factor
        if rule.round is not None:
            prorated = _round_half_away(Fraction(prorated), rule.round)
        return prorated

    def _plugin_value(self, compiled: _CompiledScore, members: list[Exact | None]) -> Exact:
        from alliancekit.errors import ScoringError

        floats = tuple(None if m is None else float(m) for m in members)
        try:
            result = compiled.method.function(floats, compiled.definition)
        except Exception as error:  # a plugin's bug must not pass as a score
            raise ScoringError(
                f"scoring method {compiled.method.name!r} ({compiled.method.origin}) failed "
                f"on score {compiled.definition.id!r}: {type(error).__name__}: {error}"
            ) from error
        low, high = compiled.definition.range
        if (
            isinstance(result, bool)
            or not isinstance(result, numbers.Real)
            or not math.isfinite(result)
            or not low <= result <= high
        ):
            raise ScoringError(
                f"scoring method {compiled.method.name!r} ({compiled.method.origin}) returned "
                f"{result!r:.40} for score {compiled.definition.id!r}, outside [{low}, {high}]"
            )
        return exact(float(result))


def _rule_allows(definition: ScoreDefinition, answered: int, total: int) -> bool:
    rule = definition.missing
    if rule.max_missing is not None:
        return total - answered <= rule.max_missing and answered > 0
    if rule.min_answered is not None:
        return answered > 0 and Fraction(answered, total) >= exact(rule.min_answered)
    return False


def _round_half_away(value: Fraction, digits: int) -> Fraction:
    scale = 10**digits
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)
