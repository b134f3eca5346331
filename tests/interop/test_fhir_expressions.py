"""Every calculatedExpression, evaluated by a FHIRPath engine (fhirpathpy) against generated
QuestionnaireResponses, gives what ``Scale.score`` gives: reverse keys, weights, means,
transforms, prorating with rounding, scores of scores and missing-data rules included."""

from __future__ import annotations

from typing import Any

import pytest
from fhir_checks import calculated, evaluate, expressions, same_score
from hypothesis import HealthCheck, given, settings, strategies as st
from scoring_documents import all_scales, invented
from scoring_strategies import answers

import alliancekit as ak
from alliancekit import fhir

SCALES = all_scales()
IDS = [scale.id for scale in SCALES]


def _check(scale: ak.Scale, questionnaire: dict[str, Any], given_answers: dict[str, Any]) -> None:
    response = fhir.to_questionnaire_response(scale, given_answers)
    expected = scale.score(given_answers, notify=False)
    got = calculated(questionnaire, response)
    link_ids = fhir.score_link_ids(scale)
    exact = fhir.score_expressions(scale)
    for score_id, score in expected.scores.items():
        value = got[link_ids[score_id]]
        assert same_score(score.value, value, exact[score_id].exact), (
            score_id,
            given_answers,
            score.value,
            value,
        )


@pytest.mark.parametrize("scale", SCALES, ids=IDS)
def test_expressions_score_as_score_does(scale: ak.Scale) -> None:
    """For every built-in and invented scale, random answer sets (items missing, marks with up to
    three decimals) give, per score, the value score() gives, or no value where it gives None."""
    questionnaire = fhir.to_questionnaire(scale)
    assert set(expressions(questionnaire)) == set(fhir.score_link_ids(scale).values())

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers(scale))
    def check(given_answers: dict[str, Any]) -> None:
        _check(scale, questionnaire, given_answers)

    check()


@pytest.mark.parametrize(
    ("scale_id", "given_answers", "expected"),
    [
        # 2 + 3 + 4 + 5 = 14 over 4 answered of 5 -> 17.5: halves round away from zero to 18,
        # and to one decimal 17.5; the exact prorated value is 17.5.
        (
            "prorated",
            {"q1": 2, "q2": 3, "q3": 4, "q4": 5},
            {"rounded": 18.0, "tenths": 17.5, "exact": 17.5, "mean": 3.5},
        ),
        # 1 + 1 + 1 = 3 over 3 of 5 -> 5.0 (tenths), two missing is too many for 'rounded'.
        (
            "prorated",
            {"q1": 1, "q2": 1, "q3": 1},
            {"rounded": None, "tenths": 5.0, "exact": None, "mean": 1.0},
        ),
        # A complete set is never rounded: 1 + 2 + 3 + 4 + 5 = 15.
        (
            "prorated",
            {f"q{n}": n for n in range(1, 6)},
            {"rounded": 15.0, "tenths": 15.0, "exact": 15.0, "mean": 3.0},
        ),
        # Centred options, q2 reversed: 2 + (0 - (-1)) + 2 + 2 = 7 over 4 of 5 -> 8.75 -> 9.
        ("centred", {"q1": 2, "q2": -1, "q3": 2, "q4": 2}, {"rounded": 9.0}),
        # Negative: -2 + (0 - 1) - 2 - 2 = -7 -> -8.75 -> -9 (away from zero, not -8).
        ("centred", {"q1": -2, "q2": 1, "q3": -2, "q4": -2}, {"rounded": -9.0}),
        # -1 - 2 ... : -1 + (0 - 2) + 0 + 0 = -3 over 4 -> -3.75 -> -4; and -2.5 cases below.
        ("centred", {"q1": -1, "q2": 2, "q3": 0, "q4": 0}, {"rounded": -4.0}),
        # weights 2, 0.5, 1.5; q3 reversed (6 - x): 2*5 + 0.5*4 + 1.5*(6-2) = 18.
        ("weighted", {"q1": 5, "q2": 4, "q3": 2}, {"weighted": 18.0, "prorated": 18.0}),
        # q2 missing: 2*3 + 1.5*(6-5) = 7.5, prorated by 4/3.5 -> 8.571… -> 8.6.
        ("weighted", {"q1": 3, "q3": 5}, {"weighted": None, "prorated": 8.6}),
        # 4 items 1–5, raw 4–20: 12 -> (12 - 4) * 100 / 16 = 50; inverted 100 - 50 = 50.
        (
            "transformed",
            {"q1": 1, "q2": 2, "q3": 4, "q4": 5},
            {"percent": 50.0, "inverted": 50.0, "mean_percent": 50.0},
        ),
        (
            "transformed",
            {"q1": 5, "q2": 5, "q3": 5, "q4": 4},
            {"percent": 93.75, "inverted": 6.25, "mean_percent": 93.75},
        ),
        # a = 3 + 4 = 7; q4 reversed 6 - 1 = 5: b = mean(2, 5) = 3.5, c = 7; both = 10.5;
        # either = mean(7, 7) = 7; weighted = 0.25 * 7 + 3 * 3.5 = 12.25.
        (
            "composite",
            {"q1": 3, "q2": 4, "q3": 2, "q4": 1},
            {"a": 7.0, "b": 3.5, "c": 7.0, "both": 10.5, "either": 7.0, "weighted": 12.25},
        ),
        # q2 missing: a = None, both = None, either = mean(c) = 7 (one missing allowed).
        (
            "composite",
            {"q1": 3, "q3": 2, "q4": 1},
            {"a": None, "b": 3.5, "c": 7.0, "both": None, "either": 7.0, "weighted": None},
        ),
        # marks 0.5–9.5, m2 reversed: 1.25 + (10 - 9.5) = 1.75; g1 in 0, 2, 4 reversed 4 - 0 = 4;
        # 'all' is the mean (23/12) rescaled from its range 1/3–23/3 onto 0–10: 95/44.
        (
            "marks",
            {"m1": 1.25, "m2": 9.5, "g1": 0},
            {"marks": 1.75, "marks_mean": 0.875, "all": 95 / 44},
        ),
        ("marks", {"m1": 1.25, "g1": 0}, {"marks": None, "marks_mean": 1.25, "all": None}),
    ],
)
def test_expressions_on_worked_examples(
    scale_id: str, given_answers: dict[str, Any], expected: dict[str, float | None]
) -> None:
    """Hand-computed values (see the comments) for prorating with halves rounded away from zero,
    negative options, weights, transforms, scores of scores and reversed marks."""
    scale = invented(scale_id)
    questionnaire = fhir.to_questionnaire(scale)
    response = fhir.to_questionnaire_response(scale, given_answers)
    got = calculated(questionnaire, response)
    for score_id, value in expected.items():
        assert scale.score(given_answers).scores[score_id].value == pytest.approx(value)
        assert got[score_id] == pytest.approx(value)


def test_marks_all_needs_every_item() -> None:
    """The 'all' mean of the marks scale allows no missing item: m1 = 1, m2 = 0.5 + 9.5 - 9 = 1,
    g1 = 4 - 2 = 2 give the mean 4/3, rescaled from 1/3–23/3 onto 0–10: 15/11; without g1 none."""
    scale = invented("marks")
    questionnaire = fhir.to_questionnaire(scale)
    full = {"m1": 1, "m2": 9, "g1": 2}
    got = calculated(questionnaire, fhir.to_questionnaire_response(scale, full))
    assert got["all"] == pytest.approx(15 / 11, rel=1e-12)
    partial = {"m1": 1, "m2": 9}
    assert calculated(questionnaire, fhir.to_questionnaire_response(scale, partial))["all"] is None


@settings(max_examples=25, deadline=None)
@given(st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2), st.integers(-2, 2))
def test_rounding_is_half_away_from_zero(a: int, b: int, c: int, d: int) -> None:
    """With one item missing, the prorated centred sum (×5/4) lands on quarters, so halves occur;
    FHIRPath gives exactly score()'s half-away-from-zero rounding, negative values included."""
    scale = invented("centred")
    given_answers = {"q1": a, "q2": b, "q3": c, "q5": d}
    questionnaire = fhir.to_questionnaire(scale)
    got = calculated(questionnaire, fhir.to_questionnaire_response(scale, given_answers))
    assert got["rounded"] == scale.score(given_answers).scores["rounded"].value


def test_a_calculated_answer_in_the_response_is_not_read() -> None:
    """Expressions read item answers only: a (wrong) value already in the response's score item
    does not change what the expression computes."""
    scale = ak.get_scale("wai-sr")
    questionnaire = fhir.to_questionnaire(scale)
    given_answers = {f"q{n}": 3 for n in range(1, 13)}
    response = fhir.to_questionnaire_response(scale, given_answers)
    response["item"].append({"linkId": "total", "answer": [{"valueDecimal": 99}]})
    (expression,) = [e for link, e in expressions(questionnaire).items() if link == "total"]
    assert evaluate(response, expression, questionnaire) == [36]
