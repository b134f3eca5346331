"""Exact arithmetic of every method and rule, on invented scales (see scoring_documents.py).

Expected values are worked out in each row's comment; ``F(a, b)`` is the fraction a/b, expected
as the float nearest to it (one correct rounding, as the engine promises).
"""

from __future__ import annotations

import math
from fractions import Fraction as F
from typing import Any

import pytest
from scoring_documents import invented

import alliancekit as ak
from alliancekit.scoring._exact import round_half_away

N = None


def _values(scale_id: str, answers: list[Any]) -> dict[str, float | None]:
    scale = invented(scale_id)
    ids = [item.id for item in scale.items]
    return scale.score(dict(zip(ids, answers, strict=True))).values()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # complete: 1+2+3+4+5 = 15 everywhere; mean 15/5 = 3
        ([1, 2, 3, 4, 5], {"rounded": 15, "tenths": 15, "exact": 15, "mean": 3}),
        # 4 answered, sum 6: prorated 6 * 5/4 = 7.5; rounded half away -> 8; mean 6/4 = 1.5
        ([1, 1, 2, 2, N], {"rounded": 8, "tenths": 7.5, "exact": 7.5, "mean": 1.5}),
        # sum 10: 10 * 5/4 = 12.5 -> 13; mean 10/4 = 2.5
        ([2, 2, 3, 3, N], {"rounded": 13, "tenths": 12.5, "exact": 12.5, "mean": 2.5}),
        # sum 5: 5 * 5/4 = 6.25 -> 6 (round 0), 6.3 (round 1: 62.5 -> 63 tenths); mean 5/4
        ([1, 1, 1, 2, N], {"rounded": 6, "tenths": 6.3, "exact": 6.25, "mean": 1.25}),
        # 3 answered, sum 7: only 'tenths' (max 2 missing) prorates: 7 * 5/3 = 35/3 = 11.67 ->
        # 11.7; 'mean' needs ceil(0.6 * 5) = 3 answered: 7/3
        ([1, N, 2, N, 4], {"rounded": N, "tenths": 11.7, "exact": N, "mean": F(7, 3)}),
        # sum 4 of 3: 4 * 5/3 = 20/3 = 6.67 -> 6.7; sum 5: 25/3 = 8.33 -> 8.3
        ([1, 1, 2, N, N], {"rounded": N, "tenths": 6.7, "exact": N, "mean": F(4, 3)}),
        ([1, 2, 2, N, N], {"rounded": N, "tenths": 8.3, "exact": N, "mean": F(5, 3)}),
        # 2 answered: nothing prorates, and the mean needs 3
        ([5, 5, N, N, N], {"rounded": N, "tenths": N, "exact": N, "mean": N}),
    ],
)
def test_prorating(answers: list[Any], expected: dict[str, Any]) -> None:
    """Prorated sums are the mean of the answered items times the number of items, rounded half
    away from zero when the rule says so, and only within the rule's missing count."""
    got = _values("prorated", answers)
    assert got == {k: None if v is None else float(v) for k, v in expected.items()}


def test_prorated_scores_say_they_are_imputed() -> None:
    """A prorated score is marked imputed with its counts; a complete one is not."""
    scale = invented("prorated")
    partial = scale.score({"q1": 1, "q2": 1, "q3": 2, "q4": 2}).scores["rounded"]
    assert (partial.imputed, partial.n_answered, partial.n_missing) == (True, 4, 1)
    complete = scale.score({f"q{n}": 3 for n in range(1, 6)}).scores["rounded"]
    assert (complete.imputed, complete.n_answered, complete.n_missing) == (False, 5, 0)
    mean = scale.score({"q1": 1, "q2": 1, "q3": 2, "q4": 2}).scores["mean"]
    assert not mean.imputed  # a mean of the answered items imputes nothing


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # q2 reversed on -2..2 is -2 + 2 - x = -x: -1 + (-1) + -2 + -2 = -6; * 5/4 = -7.5 -> -8
        ([-1, 1, -2, -2, N], -8.0),
        # the mirror image: 1 + 1 + 2 + 2 = 6 -> 7.5 -> 8
        ([1, -1, 2, 2, N], 8.0),
        # -1 + 0 + 0 + 0 = -1 -> -1.25 -> -1 (a quarter rounds towards zero)
        ([-1, 0, 0, 0, N], -1.0),
        # every answer 0 (q2 keyed -0 = 0): 0, never -0.0
        ([0, 0, 0, 0, 0], 0.0),
        # the bottom: -2 * 4 + keyed q2 (-2) = -10
        ([-2, 2, -2, -2, -2], -10.0),
    ],
)
def test_rounding_is_half_away_from_zero(answers: list[Any], expected: float) -> None:
    """Negative prorated sums round half away from zero, and zero has no sign."""
    value = _values("centred", answers)["rounded"]
    assert value == expected
    assert math.copysign(1.0, value) == math.copysign(1.0, expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (F(5, 2), 0, F(3)),
        (F(-5, 2), 0, F(-3)),
        (F(7, 3), 0, F(2)),
        (F(1, 20), 1, F(1, 10)),
        (F(-1, 20), 1, F(-1, 10)),
        (F(149, 100), 1, F(15, 10)),
        (F(0), 2, F(0)),
    ],
)
def test_round_half_away(value: F, digits: int, expected: F) -> None:
    """2.5 -> 3, -2.5 -> -3, 7/3 -> 2, 0.05 -> 0.1, -0.05 -> -0.1, 1.49 -> 1.5 (1 digit)."""
    assert round_half_away(value, digits) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # q3 reversed 1 + 5 - 5 = 1: 2*3 + 0.5*4 + 1.5*1 = 6 + 2 + 1.5 = 9.5
        ([3, 4, 5], {"weighted": 9.5, "prorated": 9.5}),
        # top: 2*5 + 0.5*5 + 1.5*(6-1) = 10 + 2.5 + 7.5 = 20
        ([5, 5, 1], {"weighted": 20, "prorated": 20}),
        # bottom: 2*1 + 0.5*1 + 1.5*(6-5) = 4
        ([1, 1, 5], {"weighted": 4, "prorated": 4}),
        # q2 missing: 2*3 + 1.5*1 = 7.5 over the answered weight 3.5 of 4: 7.5 * 4/3.5 = 60/7 =
        # 8.571 -> 8.6
        ([3, N, 5], {"weighted": N, "prorated": 8.6}),
        # q1 missing: 0.5*4 + 1.5*1 = 3.5 over weight 2 of 4: 3.5 * 2 = 7
        ([N, 4, 5], {"weighted": N, "prorated": 7}),
    ],
)
def test_weighted_sum(answers: list[Any], expected: dict[str, Any]) -> None:
    """Weights multiply keyed answers exactly; prorating scales by all weights over answered."""
    got = _values("weighted", answers)
    assert got == {k: None if v is None else float(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # raw sum 12 of 4..20: (12 - 4)/16 * 100 = 50; inverted 100 - 50 = 50; mean 3 -> 50
        ([3, 3, 3, 3], {"percent": 50, "inverted": 50, "mean_percent": 50}),
        # raw 5: 1/16 * 100 = 6.25; inverted 93.75; mean 5/4: (5/4 - 1)/4 * 100 = 6.25
        ([1, 1, 1, 2], {"percent": 6.25, "inverted": 93.75, "mean_percent": 6.25}),
        # raw 4 and 20: the ends
        ([1, 1, 1, 1], {"percent": 0, "inverted": 100, "mean_percent": 0}),
        ([5, 5, 5, 5], {"percent": 100, "inverted": 0, "mean_percent": 100}),
        # q3 missing: sums have no value; mean 5/3: (5/3 - 1)/4 * 100 = 50/3
        ([1, 2, N, 2], {"percent": N, "inverted": N, "mean_percent": F(50, 3)}),
    ],
)
def test_linear_transform(answers: list[Any], expected: dict[str, Any]) -> None:
    """A transform maps the raw range linearly onto ``to`` (either direction), exactly."""
    got = _values("transformed", answers)
    assert got == {k: None if v is None else float(v) for k, v in expected.items()}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # q4 reversed 6 - 4 = 2: a = 1+2 = 3; b = (3+2)/2 = 2.5; c = 3+2 = 5; both = 3 + 2.5 =
        # 5.5; either = (3+5)/2 = 4; weighted = 0.25*3 + 3*2.5 = 0.75 + 7.5 = 8.25
        ([1, 2, 3, 4], {"a": 3, "b": 2.5, "c": 5, "both": 5.5, "either": 4, "weighted": 8.25}),
        # q4 missing: b = 3 (one of two answered is allowed), c has none; both = 3 + 3 = 6;
        # either = mean of a alone = 3; weighted = 0.75 + 9 = 9.75
        ([1, 2, 3, N], {"a": 3, "b": 3, "c": N, "both": 6, "either": 3, "weighted": 9.75}),
        # q1 missing: a has none, so both and weighted have none; either = c = 3 + (6-4) = 5
        ([N, 2, 3, 4], {"a": N, "b": 2.5, "c": 5, "both": N, "either": 5, "weighted": N}),
        # q3 and q4 missing: b and c have none; either = a = 10
        ([5, 5, N, N], {"a": 10, "b": N, "c": N, "both": N, "either": 10, "weighted": N}),
    ],
)
def test_scores_of_scores(answers: list[Any], expected: dict[str, Any]) -> None:
    """A score of scores combines its components' exact values under its own missing rule."""
    got = _values("composite", answers)
    assert got == {k: None if v is None else float(v) for k, v in expected.items()}


def test_missing_component_reason() -> None:
    """A score of scores without a value says how many components are missing."""
    score = invented("composite").score({"q2": 2, "q3": 3, "q4": 4}).scores["both"]
    assert score.reason is not None
    assert score.reason.startswith("1 of 2 component scores missing")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # m2 reversed on [0.5, 9.5]: 10 - 0.8 = 9.2; g1 reversed on {0, 2, 4}: 4 - 0 = 4.
        # marks = 8.7 + 9.2 = 17.9; marks_mean = 8.95; all = mean (8.7 + 9.2 + 4)/3 = 7.3 over
        # the raw range [1/3, 23/3] to [0, 10]: (7.3 - 1/3) / (22/3) * 10 = 20.9/22 * 10 = 9.5
        ([8.7, 0.8, 0], {"marks": 17.9, "marks_mean": 8.95, "all": 9.5}),
        # m2 = 9.5 keys to 0.5: marks = 1 + 0.5 = 1.5; all = (1 + 0.5 + 0)/3 = 0.5 ->
        # (0.5 - 1/3)/(22/3) * 10 = (1/6)/(22/3) * 10 = 10/44 = 5/22
        ([1, 9.5, 4], {"marks": 1.5, "marks_mean": 0.75, "all": F(5, 22)}),
        # m2 missing: marks_mean allows one missing: 8.7
        ([8.7, N, 2], {"marks": N, "marks_mean": 8.7, "all": N}),
    ],
)
def test_reversed_marks_and_gapped_options(answers: list[Any], expected: dict[str, Any]) -> None:
    """Real-valued marks reverse exactly (min + max - x with decimal ends)."""
    got = _values("marks", answers)
    assert got == {k: None if v is None else float(v) for k, v in expected.items()}


@pytest.mark.parametrize("value", [1, 3])
def test_gapped_options_are_checked(value: int) -> None:
    """1 and 3 lie between the options 0, 2, 4 and are not options."""
    with pytest.raises(ak.ResponseError) as caught:
        invented("marks").score({"g1": value})
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("g1", "value-not-an-option")]


def test_reason_texts_name_the_rule() -> None:
    """The reason of a score without a value counts the missing members and states the rule."""
    reasons = {
        s.id: s.reason for s in invented("prorated").score({"q1": 5, "q2": 5}).scores.values()
    }
    assert reasons == {
        "rounded": "3 of 5 items missing; at most 1 of the 5 items may be missing",
        "tenths": "3 of 5 items missing; at most 2 of the 5 items may be missing",
        "exact": "3 of 5 items missing; at most 1 of the 5 items may be missing",
        "mean": "3 of 5 items missing; at least 3 of the 5 items must be answered "
        "(min_answered 0.6)",
    }
    wai = ak.get_scale("wai-sr").score({}).scores["task"].reason
    assert (
        wai == "4 of 4 items missing; no missing-data rule is set, so all 4 items must be answered"
    )


def test_scores_are_floats_even_when_whole() -> None:
    """Every value is a float (36.0, not 36), as documented."""
    result = ak.get_scale("srs").score({"q1": 9, "q2": 9, "q3": 9, "q4": 9})
    assert type(result.scores["total"].value) is float
