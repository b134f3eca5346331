"""What scoring returns: a :class:`ScoreResult` per set of answers, a :class:`Score` per score."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["AnswerValue", "Score", "ScoreResult"]

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
