"""The fast builders of ``_results`` build the same objects as the constructors."""

from __future__ import annotations

from typing import Any

import pytest

from alliancekit.scoring._results import Score, ScoreResult, build_result, build_score, slot_setters


def test_build_score_equals_the_constructor() -> None:
    """``build_score`` fills every field, in order, as ``Score(...)`` does (attrs equality
    compares all seven fields)."""
    fields: dict[str, Any] = {
        "id": "total",
        "value": 12.5,
        "n_answered": 3,
        "n_missing": 1,
        "imputed": True,
        "reason": None,
        "range": (4.0, 20.0),
    }
    assert build_score(**fields) == Score(**fields)


def test_build_result_equals_the_constructor() -> None:
    """``build_result`` fills every field, in order, as ``ScoreResult(...)`` does."""
    score = Score(
        id="total", value=None, n_answered=0, n_missing=2, imputed=False, reason="r", range=(2, 10)
    )
    fields: dict[str, Any] = {
        "scale_id": "demo",
        "scale_version": "1.0.0",
        "scale_sha256": "ab" * 32,
        "status": "provisional",
        "answers": {"q1": None, "q2": None},
        "scores": {"total": score},
        "warnings": ("provisional scale 'demo': open",),
    }
    header = (fields["scale_id"], fields["scale_version"], fields["scale_sha256"], "provisional")
    built = build_result(header, fields["answers"], fields["scores"], fields["warnings"])
    assert built == ScoreResult(**fields)


def test_slot_setters_refuse_fields_that_are_not_the_class_s() -> None:
    """``slot_setters`` fails when the names are not exactly the class's fields in order, so a
    builder cannot silently leave a new field unset."""
    names = ("id", "value", "n_answered", "n_missing", "imputed", "reason", "range")
    assert len(slot_setters(Score, names)) == len(names)
    for wrong in (names[:-1], (*names[1:], names[0]), (*names, "extra")):
        with pytest.raises(TypeError, match="no longer matches its fields"):
            slot_setters(Score, wrong)
