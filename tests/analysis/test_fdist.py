"""Specification of the F quantile behind Feldt's interval (``alliancekit.analysis._fdist``).

R's ``qf`` is covered through the psych reference intervals; here SciPy is the independent
implementation (skipped when SciPy is not installed), plus properties true of any F distribution.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from alliancekit.analysis._fdist import f_quantile

PROBABILITIES = (1e-9, 0.005, 0.025, 0.1, 0.5, 0.9, 0.975, 0.995, 1 - 1e-9)
DEGREES = ((1, 1), (1, 11), (2, 3), (4, 1), (19, 209), (151, 1661), (299, 3289), (9999, 109989))


@pytest.mark.parametrize("df", DEGREES, ids=str)
@pytest.mark.parametrize("p", PROBABILITIES)
def test_matches_scipy(p: float, df: tuple[int, int]) -> None:
    """Quantiles agree with SciPy's ``f.ppf`` to a relative 1e-11."""
    stats = pytest.importorskip("scipy.stats")
    assert f_quantile(p, *df) == pytest.approx(stats.f.ppf(p, *df), rel=1e-11)


@settings(max_examples=50, deadline=None)
@given(df=st.integers(1, 5000))
def test_median_of_f_with_equal_degrees_is_one(df: int) -> None:
    """F(d, d) and 1/F(d, d) have the same distribution, so the median is exactly 1."""
    assert f_quantile(0.5, df, df) == pytest.approx(1.0, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    p=st.floats(1e-6, 1 - 1e-6),
    df1=st.integers(1, 3000),
    df2=st.integers(1, 30000),
)
def test_reciprocal_is_the_other_tail_with_swapped_degrees(p: float, df1: int, df2: int) -> None:
    """If X ~ F(a, b) then 1/X ~ F(b, a): the p quantile of one is 1 / the 1 - p of the other."""
    assert f_quantile(p, df1, df2) == pytest.approx(1.0 / f_quantile(1 - p, df2, df1), rel=1e-9)


@pytest.mark.parametrize(
    ("p", "df1", "df2"), [(0.0, 2, 3), (1.0, 2, 3), (math.nan, 2, 3), (0.5, 0, 3), (0.5, 2, -1)]
)
def test_bad_arguments_are_refused(p: float, df1: float, df2: float) -> None:
    """A probability outside (0, 1) or a degree of freedom that is not positive is refused."""
    with pytest.raises(ValueError):
        f_quantile(p, df1, df2)
