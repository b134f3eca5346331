"""`clinical_cutoffs`: Jacobson & Truax cut-offs a, b and c in both directions, worked by hand,
including the divergences found in public code (research notes §10.2)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import alliancekit as ak

#: Functional M0 = 10, s0 = 5; clinical M1 = 32, s1 = 10, on a higher-is-worse score.
WORSE_EXAMPLE: dict[str, Any] = {
    "clinical_mean": 32,
    "clinical_sd": 10,
    "functional_mean": 10,
    "functional_sd": 5,
    "direction": "higher-is-worse",
}


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        # M1 = 20, s1 = 6, M0 = 30, s0 = 4: a = 20 + 2·6 = 32; b = 30 − 2·4 = 22;
        # c = (4·20 + 6·30)/(4 + 6) = 260/10 = 26.
        pytest.param(
            {"clinical_mean": 20, "clinical_sd": 6, "functional_mean": 30, "functional_sd": 4},
            (32, 22, 26),
            id="higher-is-better",
        ),
        # a = 32 − 2·10 = 12; b = 10 + 2·5 = 20; c = (5·32 + 10·10)/(5 + 10) = 260/15 = 17.333…
        pytest.param(WORSE_EXAMPLE, (12, 20, 260 / 15), id="higher-is-worse"),
    ],
)
def test_cutoffs_worked_by_hand(population: dict[str, Any], expected: tuple[float, ...]) -> None:
    """a, b and c in both directions, worked by hand (arithmetic beside each case). c is computed
    exactly and rounded once, so it equals the correctly rounded float division."""
    cut = ak.clinical_cutoffs(**population)
    assert (cut.a, cut.b, cut.c) == expected


def test_c_is_not_the_swapped_form() -> None:
    """The swapped weights (s0·M0 + s1·M1)/(s0 + s1) = (50 + 320)/15 = 24.67 are wrong; c is
    equidistant in SD units: (17.333 − 10)/5 = 1.4667 = (32 − 17.333)/10."""
    cut = ak.clinical_cutoffs(**WORSE_EXAMPLE)
    assert cut.c != pytest.approx(24.6666667, abs=1e-3)
    assert (cut.c - 10) / 5 == pytest.approx((32 - cut.c) / 10, abs=1e-12)
    assert (cut.c - 10) / 5 == pytest.approx(1.4666667, abs=1e-7)


def test_b_uses_the_functional_sd() -> None:
    """b = M0 + 2·s0 = 10 + 2·5 = 20, not M0 + 2·s1 = 10 + 2·10 = 30 as the R package
    clinicalsignificance computes it with the clinical SD."""
    cut = ak.clinical_cutoffs(**WORSE_EXAMPLE)
    assert cut.b == 20 and cut.b != 30


def test_c_is_the_same_in_both_directions() -> None:
    """c depends only on means and SDs: mirroring the scores (x → 40 − x) mirrors c.
    Higher is better: M1 = 8, s1 = 10, M0 = 30, s0 = 5 → c = (5·8 + 10·30)/15 = 340/15 = 22.667;
    mirrored higher is worse: M1 = 32, M0 = 10 → c = 260/15 = 17.333 = 40 − 22.667."""
    better = ak.clinical_cutoffs(
        clinical_mean=8, clinical_sd=10, functional_mean=30, functional_sd=5
    )
    worse = ak.clinical_cutoffs(**WORSE_EXAMPLE)
    assert better.c == pytest.approx(22.6666667, abs=1e-7)
    assert better.c == pytest.approx(40 - worse.c, abs=1e-12)
    # and a, b mirror too: a = 8 + 20 = 28 = 40 − 12; b = 30 − 10 = 20 = 40 − 20
    assert (better.a, better.b) == (40 - worse.a, 40 - worse.b)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clinical_sd": 0}, "clinical_sd must be greater than 0"),
        ({"functional_sd": -2}, "functional_sd must be greater than 0"),
        ({"clinical_mean": math.nan}, "clinical_mean must be a finite number"),
        ({"functional_mean": math.inf}, "functional_mean must be a finite number"),
        ({"clinical_mean": "20"}, "clinical_mean must be a number"),
        ({"direction": "lower"}, "direction must be"),
        # clinical mean above the functional one on a higher-is-better score
        ({"clinical_mean": 35}, "clinical mean .* must lie below the functional mean"),
        ({"direction": "higher-is-worse"}, "must lie above the functional mean"),
    ],
)
def test_invalid_inputs_raise_value_error(kwargs: dict, message: str) -> None:
    """Bad SDs, means, or means in the wrong order for the direction raise ValueError."""
    arguments = {
        "clinical_mean": 20,
        "clinical_sd": 6,
        "functional_mean": 30,
        "functional_sd": 4,
        **kwargs,
    }
    with pytest.raises(ak.InterpretationError, match=message):
        ak.clinical_cutoffs(**arguments)


@settings(max_examples=150, deadline=None)
@given(
    m1=st.integers(min_value=0, max_value=100),
    gap=st.integers(min_value=1, max_value=100),
    s1=st.integers(min_value=1, max_value=30),
    s0=st.integers(min_value=1, max_value=30),
)
def test_c_lies_between_the_means_equidistant_in_sd_units(
    m1: int, gap: int, s1: int, s0: int
) -> None:
    """c lies between the two means, as many of its own SDs from each."""
    m0 = m1 + gap
    cut = ak.clinical_cutoffs(
        clinical_mean=m1, clinical_sd=s1, functional_mean=m0, functional_sd=s0
    )
    assert m1 <= cut.c <= m0
    assert (cut.c - m1) / s1 == pytest.approx((m0 - cut.c) / s0, rel=1e-9, abs=1e-9)
