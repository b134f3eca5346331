"""The answer strategies: ``answers`` draws only valid answers (continuous marks included, missing
items on request) and ``invalid_answers`` draws defects whose ResponseError codes it predicts."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from toolkit_helpers import sample

import alliancekit as ak
from alliancekit.errors import ResponseError
from alliancekit.testing.strategies import (
    DEFECT_CODES,
    answer_values,
    answers,
    invalid_answers,
)

BUILTIN = [info.id for info in ak.list_scales()]

#: Ordinal and continuous items, a decimal range, a reversed item and a missing-data rule.
MIXED = ak.load_scale(
    {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": "mixed",
        "version": "1.0.0",
        "title": "Ordinal and continuous items",
        "citations": [{"text": "Invented for the alliancekit strategy tests."}],
        "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
        "verification": {"status": "provisional", "sources": [], "open_questions": ["invented"]},
        "response_sets": {
            "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]},
            "vas10": {"kind": "continuous", "min": 0, "max": 10},
            "half": {"kind": "continuous", "min": 0.5, "max": 9.5},
        },
        "items": [
            {"id": "q1", "number": 1, "response_set": "likert5"},
            {"id": "q2", "number": 2, "response_set": "likert5", "reverse": True},
            {"id": "q3", "number": 3, "response_set": "vas10"},
            {"id": "q4", "number": 4, "response_set": "half"},
        ],
        "scores": [
            {
                "id": "likert",
                "items": ["q1", "q2"],
                "method": "sum",
                "missing": {"max_missing": 1, "impute": "prorate"},
            },
            {"id": "marks", "items": ["q3", "q4"], "method": "mean"},
        ],
    }
)
VAS = MIXED.item("q3").response_set
HALF = MIXED.item("q4").response_set


@pytest.mark.parametrize("scale_id", [*BUILTIN, "mixed"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_answers_are_complete_valid_and_score_without_error(scale_id: str, data: Any) -> None:
    """Every drawn mapping answers every item with a value of its response set, and scoring it
    raises nothing and gives every score a value."""
    scale = MIXED if scale_id == "mixed" else ak.get_scale(scale_id)
    drawn = data.draw(answers(scale))
    assert list(drawn) == [item.id for item in scale.items]
    for item in scale.items:
        rs, value = item.response_set, drawn[item.id]
        assert not isinstance(value, bool)
        if rs.kind == "ordinal":
            assert type(value) is int and value in rs.values
        else:
            assert rs.min <= value <= rs.max and math.isfinite(value)
    assert all(v is not None for v in scale.score(drawn).values().values())


@pytest.mark.parametrize(
    ("response_set", "wanted", "description"),
    [
        (VAS, 0, "the exact minimum, as the document's int"),
        (VAS, 10, "the exact maximum"),
        (VAS, 8.7, "a typed mark with one decimal"),
        (HALF, 0.5, "a decimal minimum"),
        (HALF, 9.5, "a decimal maximum"),
    ],
)
def test_continuous_values_include_marks_and_exact_ends(
    response_set: Any, wanted: float, description: str
) -> None:
    """Continuous sets yield real-valued marks such as 8.7 and the exact ends of the range."""
    drawn = sample(answer_values(response_set), 300)
    assert any(v == wanted and type(v) is type(wanted) for v in drawn)


def test_continuous_values_include_non_decimal_floats() -> None:
    """Besides typed marks, any float in the range can be drawn (e.g. one with many digits)."""
    drawn = sample(answer_values(VAS), 300)
    assert any(isinstance(v, float) and len(repr(v)) > 5 for v in drawn)
    assert all(0 <= v <= 10 for v in drawn)


def test_answers_with_missing_may_be_none_or_absent() -> None:
    """With ``missing=True`` an item can be ``None`` and an item can be left out entirely."""
    drawn = sample(answers(MIXED, missing=True), 100)
    assert any(None in a.values() for a in drawn)
    assert any(set(a) < {"q1", "q2", "q3", "q4"} for a in drawn)


@settings(max_examples=150, deadline=None)
@given(answers(MIXED, missing=True))
def test_answers_with_missing_never_raise(drawn: dict[str, Any]) -> None:
    """Answers with missing items are still valid: scoring never raises, and a score without a
    value says why."""
    result = MIXED.score(drawn)
    for score in result.scores.values():
        assert (score.value is None) == (score.reason is not None)


@pytest.mark.parametrize("scale_id", [*BUILTIN, "mixed"])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_invalid_answers_raise_exactly_the_expected_issues(scale_id: str, data: Any) -> None:
    """Scoring a drawn defective mapping raises a ResponseError listing exactly the predicted
    (item id, code) pairs: every defect reported, nothing else."""
    scale = MIXED if scale_id == "mixed" else ak.get_scale(scale_id)
    case = data.draw(invalid_answers(scale))
    assert 1 <= len(case.expected) <= 3
    with pytest.raises(ResponseError) as caught:
        scale.score(case.answers)
    assert {(i.item_id, i.code) for i in caught.value.issues} == case.expected


def test_every_defect_code_is_produced() -> None:
    """Each defect kind of DEFECT_CODES is drawn (for a scale with both kinds of item)."""
    drawn = sample(invalid_answers(MIXED), 120)
    assert set().union(*(case.codes for case in drawn)) == set(DEFECT_CODES)


@pytest.mark.parametrize("code", ["out-of-range", "wrong-type", "unknown-item"])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_invalid_answers_can_be_limited_to_some_codes(code: str, data: Any) -> None:
    """``codes=`` restricts the defects drawn to the kinds named."""
    case = data.draw(invalid_answers(MIXED, codes=[code]))
    assert case.codes == {code}


@pytest.mark.parametrize(
    ("scale", "codes", "message"),
    [
        (MIXED, ["no-such-code"], "unknown defect codes"),
        (ak.get_scale("wai-sr"), ["out-of-range"], "no item of scale 'wai-sr'"),
        (ak.get_scale("srs"), ["value-not-an-option"], "no item of scale 'srs'"),
    ],
)
def test_impossible_defect_requests_are_refused(scale: Any, codes: list[str], message: str) -> None:
    """An unknown code, or a defect no item can carry (out-of-range needs a continuous item,
    value-not-an-option an ordinal one), is a ValueError."""
    with pytest.raises(ValueError, match=message):
        invalid_answers(scale, codes=codes)
