"""What scoring returns: a :class:`ScoreResult` per set of answers, a :class:`Score` per score."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = [
    "AnswerValue",
    "Score",
    "ScoreResult",
    "build_result",
    "build_score",
    "slot_setters",
]

AnswerValue = int | float | None


@attrs.frozen(kw_only=True)
class Score:
    """One score of a result.

    :ivar value: the score, or ``None`` when its missing-data rule fails (see ``reason``).
    :ivar n_answered: members (items, or component scores) that had a value.
    :ivar n_missing: members without one.
    :ivar imputed: whether the value was prorated from fewer members than the score has.
    :ivar reason: why ``value`` is ``None``; ``None`` otherwise.
    :ivar range: the score's (lowest, highest) possible value, derived from the scale.
    """

    id: str
    value: float | None
    n_answered: int
    n_missing: int
    imputed: bool
    reason: str | None
    range: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this score."""
        return {
            "value": self.value,
            "n_answered": self.n_answered,
            "n_missing": self.n_missing,
            "imputed": self.imputed,
            "reason": self.reason,
            "range": list(self.range),
        }


@attrs.frozen(kw_only=True)
class ScoreResult:
    """The scores of one set of answers, with what is needed to re-derive and audit them.

    :ivar scale_id: id of the scale that scored the answers.
    :ivar scale_version: its version.
    :ivar scale_sha256: sha256 (lowercase hex) of its canonical document.
    :ivar status: ``verified`` or ``provisional``.
    :ivar answers: every item id in item order -> the validated answer (``None`` = missing).
    :ivar scores: score id -> :class:`Score`, in the scale's order.
    :ivar warnings: e.g. one ``provisional scale: …`` line per unconfirmed fact.
    """

    scale_id: str
    scale_version: str
    scale_sha256: str
    status: Literal["verified", "provisional"]
    answers: Mapping[str, AnswerValue]
    scores: Mapping[str, Score]
    warnings: tuple[str, ...] = ()

    def values(self) -> dict[str, float | None]:
        """Score id -> value (``None`` where the missing-data rule failed)."""
        return {score_id: score.value for score_id, score in self.scores.items()}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of this result."""
        return {
            "scale_id": self.scale_id,
            "scale_version": self.scale_version,
            "scale_sha256": self.scale_sha256,
            "status": self.status,
            "answers": dict(self.answers),
            "scores": {score_id: s.to_dict() for score_id, s in self.scores.items()},
            "warnings": list(self.warnings),
        }


def slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...]:
    """The slot descriptors' setters of a frozen, slotted attrs class whose fields are exactly
    ``names`` (in order), for a builder that skips the generated ``__init__`` (about half the
    cost of building such an object) on a path that has checked every value already.

    :raises TypeError: at import, when the class has other fields or no slots (update the
        builder with the class).
    """
    descriptors = [cls.__dict__.get(name) for name in names]
    if tuple(f.name for f in attrs.fields(cls)) != names or not all(
        type(d).__name__ == "member_descriptor" for d in descriptors
    ):
        raise TypeError(f"the builder of {cls.__name__} no longer matches its fields")
    return tuple(d.__set__ for d in descriptors)  # type: ignore[union-attr]


# Built for every response (a few µs each), so built slot by slot. A field added to either
# class fails at import until the builders below are updated.
_SCORE_SETTERS = slot_setters(
    Score, ("id", "value", "n_answered", "n_missing", "imputed", "reason", "range")
)
_RESULT_SETTERS = slot_setters(
    ScoreResult,
    ("scale_id", "scale_version", "scale_sha256", "status", "answers", "scores", "warnings"),
)


def build_score(
    id: str,
    value: float | None,
    n_answered: int,
    n_missing: int,
    imputed: bool,
    reason: str | None,
    range: tuple[float, float],
) -> Score:
    """Build a :class:`Score` from values the scoring plan has already checked; equal to
    ``Score(...)`` with the same fields, only faster."""
    score = object.__new__(Score)
    set_id, set_value, set_answered, set_missing, set_imputed, set_reason, set_range = (
        _SCORE_SETTERS
    )
    set_id(score, id)
    set_value(score, value)
    set_answered(score, n_answered)
    set_missing(score, n_missing)
    set_imputed(score, imputed)
    set_reason(score, reason)
    set_range(score, range)
    return score


def build_result(
    header: tuple[str, str, str, Literal["verified", "provisional"]],
    answers: Mapping[str, AnswerValue],
    scores: Mapping[str, Score],
    warnings: tuple[str, ...],
) -> ScoreResult:
    """Build a :class:`ScoreResult` from values the scoring plan has already checked; equal to
    ``ScoreResult(...)`` with the same fields, only faster.

    :param header: the scale's id, version, sha256 and status (a plan's ``header``).
    """
    result = object.__new__(ScoreResult)
    set_id, set_version, set_sha, set_status, set_answers, set_scores, set_warnings = (
        _RESULT_SETTERS
    )
    scale_id, scale_version, scale_sha256, status = header
    set_id(result, scale_id)
    set_version(result, scale_version)
    set_sha(result, scale_sha256)
    set_status(result, status)
    set_answers(result, answers)
    set_scores(result, scores)
    set_warnings(result, warnings)
    return result
