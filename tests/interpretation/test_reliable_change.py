"""`reliable_change`: the Jacobson & Truax reliable change index, worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

import alliancekit as ak


def test_worked_example_threshold_is_9_30_points() -> None:
    """sd 7.5, r .80: threshold = 1.96·√2·7.5·√0.2 = 1.96·7.5·√0.4 = 1.96·4.7434165 = 9.2970963
    points, 9.30 to two decimals (Jacobson & Truax 1991 via CECPfuns getRCIfromSDandAlpha)."""
    rc = ak.reliable_change(20, 20, sd=7.5, reliability=0.80)
    assert rc.threshold == pytest.approx(9.2970963, abs=1e-7)
    assert round(rc.threshold, 2) == 9.30


def test_hand_worked_reliable_improvement() -> None:
    """sd 5, r .75: SE = 5·√0.25 = 2.5; S_diff = √2·2.5 = 3.5355339; 20 → 28 is a difference
    of 8, RCI = 8/3.5355339 = 2.2627417 > 1.96: reliable, and improved (higher is better)."""
    rc = ak.reliable_change(20, 28, sd=5, reliability=0.75)
    assert rc.se == pytest.approx(2.5, abs=1e-12)
    assert rc.s_diff == pytest.approx(3.5355339, abs=1e-7)
    assert rc.difference == 8
    assert rc.rci == pytest.approx(2.2627417, abs=1e-7)
    assert rc.threshold == pytest.approx(6.9296465, abs=1e-7)  # 1.96·3.5355339
    assert (rc.reliable, rc.direction) == (True, "improved")


def test_same_change_on_a_higher_is_worse_score_is_deterioration() -> None:
    """The same 20 → 28 (RCI +2.26) on a higher-is-worse score is a reliable deterioration."""
    rc = ak.reliable_change(20, 28, sd=5, reliability=0.75, direction="higher-is-worse")
    assert rc.rci == pytest.approx(2.2627417, abs=1e-7)
    assert (rc.reliable, rc.direction, rc.score_direction) == (
        True,
        "deteriorated",
        "higher-is-worse",
    )


def test_falling_higher_is_worse_score_is_improvement() -> None:
    """28 → 20 on a higher-is-worse score: RCI −2.26, a reliable improvement."""
    rc = ak.reliable_change(28, 20, sd=5, reliability=0.75, direction="higher-is-worse")
    assert rc.rci == pytest.approx(-2.2627417, abs=1e-7)
    assert rc.direction == "improved"


def test_small_change_is_unchanged() -> None:
    """sd 10, r .91: SE = 10·√0.09 = 3; S_diff = 4.2426407; 30 → 25 gives RCI = −5/4.2426407
    = −1.1785113, |RCI| ≤ 1.96: not reliable, unchanged."""
    rc = ak.reliable_change(30, 25, sd=10, reliability=0.91)
    assert rc.se == pytest.approx(3.0, abs=1e-12)
    assert rc.rci == pytest.approx(-1.1785113, abs=1e-7)
    assert (rc.reliable, rc.direction) == (False, "unchanged")


def test_zero_reliability_uses_the_sd_as_se() -> None:
    """r = 0: SE = sd = 4, S_diff = 4√2 = 5.6568542, threshold = 1.96·5.6568542 = 11.0874343."""
    rc = ak.reliable_change(0, 12, sd=4, reliability=0)
    assert rc.threshold == pytest.approx(11.0874343, abs=1e-7)
    assert rc.reliable


@pytest.mark.parametrize(
    ("before", "after", "reliable"),
    [
        # sd 5, r .5: threshold = 1.96·√2·5·√0.5 = 1.96·5 = 9.8 points exactly.
        (22.4, 32.2, False),  # 32.2 − 22.4 = 9.8 exactly: |RCI| = 1.96, not > 1.96
        (22.4, 32.21, True),  # 9.81 > 9.8
        (32.2, 22.4, False),  # −9.8: on the threshold the other way
        (32.21, 22.4, True),
        (20, 29.8, False),
    ],
)
def test_change_exactly_on_the_threshold_is_not_reliable(
    before: float, after: float, reliable: bool
) -> None:
    """Reliable means |RCI| > 1.96 strictly, decided in exact decimals: in floats 32.2 − 22.4 is
    9.800000000000004 and its RCI 1.9600000000000004, which would wrongly count as reliable."""
    assert abs((32.2 - 22.4) / (math.sqrt(2) * 5 * math.sqrt(0.5))) > 1.96  # the float trap
    assert ak.reliable_change(before, after, sd=5, reliability=0.5).reliable is reliable


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sd": 0, "reliability": 0.8}, "sd must be greater than 0"),
        ({"sd": -1, "reliability": 0.8}, "sd must be greater than 0"),
        ({"sd": math.nan, "reliability": 0.8}, "sd must be a finite number"),
        ({"sd": math.inf, "reliability": 0.8}, "sd must be a finite number"),
        ({"sd": "7.5", "reliability": 0.8}, "sd must be a number"),
        ({"sd": True, "reliability": 0.8}, "sd must be a number"),
        ({"sd": 7.5, "reliability": 1}, "reliability must be at least 0 and below 1"),
        ({"sd": 7.5, "reliability": -0.1}, "reliability must be at least 0 and below 1"),
        ({"sd": 7.5, "reliability": math.nan}, "reliability must be a finite number"),
        ({"sd": 7.5, "reliability": 0.8, "direction": "up"}, "direction must be"),
    ],
)
def test_invalid_statistics_raise_value_error(kwargs: dict, message: str) -> None:
    """Bad sd, reliability or direction raise ValueError saying what is wrong."""
    with pytest.raises(ak.InterpretationError, match=message):
        ak.reliable_change(10, 20, **kwargs)


@pytest.mark.parametrize("bad", [math.nan, math.inf, None, "3"])
def test_invalid_scores_raise_value_error(bad: object) -> None:
    """A before or after that is not a finite number raises ValueError."""
    with pytest.raises(ak.InterpretationError, match="before must be"):
        ak.reliable_change(bad, 20, sd=5, reliability=0.8)  # type: ignore[arg-type]
    with pytest.raises(ak.InterpretationError, match="after must be"):
        ak.reliable_change(20, bad, sd=5, reliability=0.8)  # type: ignore[arg-type]


scores = st.decimals(min_value=-1000, max_value=1000, places=2).map(float)


@settings(max_examples=200, deadline=None)
@given(
    a=scores,
    b=scores,
    sd=st.floats(min_value=0.1, max_value=100),
    r=st.floats(min_value=0, max_value=0.99),
    direction=st.sampled_from(["higher-is-better", "higher-is-worse"]),
)
def test_rci_is_antisymmetric(a: float, b: float, sd: float, r: float, direction: str) -> None:
    """rci(a, b) == −rci(b, a); reliability agrees; improvement one way is deterioration back."""
    forward = ak.reliable_change(a, b, sd=sd, reliability=r, direction=direction)
    backward = ak.reliable_change(b, a, sd=sd, reliability=r, direction=direction)
    assert forward.rci == -backward.rci
    assert forward.reliable == backward.reliable
    swapped = {"improved": "deteriorated", "deteriorated": "improved", "unchanged": "unchanged"}
    assert backward.direction == swapped[forward.direction]
