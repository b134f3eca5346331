"""`Series`: baseline, trend, changes and the alerts a scale document's rules raise, on
constructed session sequences."""

from __future__ import annotations

import pytest
from interpretation_builders import SOURCE, answers_for, band, norm

import alliancekit as ak

SRS = ak.get_scale("srs")  # rules: below-cutoff (total < 36) and drop (≥ 1 point)


def srs_series(*totals: float | None) -> ak.Series:
    """A series of SRS results with these totals (``None`` = no total)."""
    return ak.Series([SRS.score(answers_for(total)) for total in totals])


def kinds(series: ak.Series) -> list[tuple[int, str]]:
    """(index, kind) of every alert."""
    return [(alert.index, alert.kind) for alert in series.alerts()]


def test_one_drop_without_crossing_the_cutoff() -> None:
    """38, 38, 36.5, 37: never below 36; 38 → 36.5 is a drop of 1.5 ≥ 1, so only index 2 alerts."""
    assert kinds(srs_series(38, 38, 36.5, 37)) == [(2, "drop")]


def test_steady_high_series_has_no_alert() -> None:
    """38, 38.5, 38, 39: no total below 36 and no step down of 1 or more (38.5 → 38 is 0.5)."""
    assert kinds(srs_series(38, 38.5, 38, 39)) == []


def test_drop_of_exactly_the_minimum_alerts() -> None:
    """38 → 37 is a drop of exactly 1 (alert: ≥ 1); 37 → 36.5 is 0.5 (none); 36.5 → 35.5 is 1
    (drop) and 35.5 < 36 (below-cutoff)."""
    assert kinds(srs_series(38, 37, 36.5, 35.5)) == [
        (1, "drop"),
        (3, "below-cutoff"),
        (3, "drop"),
    ]


def test_drop_is_computed_in_exact_decimals() -> None:
    """32.3 → 31.3 is a drop of exactly 1 point, though 32.3 − 31.3 is 0.9999999999999964 in
    floats; it alerts (and both totals are below 36)."""
    assert 32.3 - 31.3 < 1  # the float trap this test guards against
    series = srs_series(32.3, 31.3)
    assert kinds(series) == [(0, "below-cutoff"), (1, "below-cutoff"), (1, "drop")]
    assert "fell 1 point since the previous session (32.3 to 31.3)" in series.alerts()[2].message


def test_alert_carries_source_score_and_value() -> None:
    """Each alert names its score and value and cites the rule's source."""
    below, drop = srs_series(37, 30).alerts()
    assert (below.kind, below.score, below.value, below.index) == ("below-cutoff", "total", 30, 1)
    assert "KA-01028" in below.source
    assert "dashboard-alerts" in drop.source
    assert drop.compared_with == (0,)
    assert "30 is in the band [0, 36)" in below.message


def test_session_without_a_value_is_skipped() -> None:
    """36, None, 35: the missing session raises nothing, and 35 is compared with 36 (a drop of 1,
    alert) at index 2."""
    series = srs_series(36, None, 35)
    assert kinds(series) == [(2, "below-cutoff"), (2, "drop")]
    assert series.alerts()[1].compared_with == (0,)


def test_only_missing_values_raise_nothing() -> None:
    """A series whose totals are all missing raises no alert and has no trend."""
    series = srs_series(None, None)
    assert series.alerts() == [] and series.trend() is None


def test_drop_on_a_higher_is_worse_score_is_a_rise(make_scale, results) -> None:
    """Higher is worse, min_drop 2: 10 → 12 is 2 points worse (alert); 12 → 11 is better."""
    scale = make_scale(
        {
            "direction": "higher-is-worse",
            "alerts": [{"kind": "drop", "min_drop": 2, "source": SOURCE}],
        }
    )
    series = ak.Series(results(scale, 10, 12, 11), scale=scale)
    assert kinds(series) == [(1, "drop")]
    assert "rose 2 points" in series.alerts()[0].message


def test_below_cutoff_uses_the_rules_norm_bands(make_scale, results) -> None:
    """A below-cutoff rule with a norm uses that norm's bands, and a rule without one uses the
    bands interpret() reads by default — here the only norm's — so the FLAG and the alert agree:
    25 is in the norm's [0, 30) alert band, though the score's own bands flag only [0, 20)."""
    scale = make_scale(
        {
            "bands": [band(0, 20, "alert"), band(20, 40, "none")],
            "norms": [norm("strict", bands=[band(0, 30, "alert"), band(30, 40, "none")])],
            "alerts": [
                {"kind": "below-cutoff", "norm": "strict", "source": "norm rule"},
                {"kind": "below-cutoff", "source": "default rule"},
            ],
        }
    )
    series = ak.Series(results(scale, 25, 15), scale=scale)
    assert [(a.index, a.source) for a in series.alerts()] == [
        (0, "norm rule"),
        (0, "default rule"),
        (1, "norm rule"),
        (1, "default rule"),
    ]
    assert ak.interpret(series.results[0], scale=scale)["total"].flag == "alert"


def test_below_cutoff_without_a_default_norm_uses_the_scores_bands(make_scale, results) -> None:
    """With two norms and no default, interpret() reads the score's own bands, and so does a
    rule without a norm: 25 is outside [0, 20) (no alert), 15 inside (alert)."""
    scale = make_scale(
        {
            "bands": [band(0, 20, "alert"), band(20, 40, "none")],
            "norms": [
                norm("strict", bands=[band(0, 30, "alert"), band(30, 40, "none")]),
                norm("lenient", bands=[band(0, 10, "alert"), band(10, 40, "none")]),
            ],
            "alerts": [{"kind": "below-cutoff", "source": "default rule"}],
        }
    )
    series = ak.Series(results(scale, 25, 15), scale=scale)
    assert [(a.index, a.source) for a in series.alerts()] == [(1, "default rule")]
    assert ak.interpret(series.results[0], scale=scale)["total"].flag == "none"


# sd 5, r .5: the reliable-change threshold is 1.96·√2·5·√0.5 = 9.8 points exactly.
RELIABLE = {
    "norms": [norm("clinic", mean=25, sd=5, reliability=0.5, clinical=True)],
    "alerts": [{"kind": "reliable-deterioration", "norm": "clinic", "source": "rc rule"}],
}


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        # 30 → 25 → 20 → 18: steps of 5 are not reliable, but 20 and 18 are 10 and 12 below the
        # baseline 30 (> 9.8): sustained deterioration, compared with the baseline (index 0).
        ((30, 25, 20, 18), [(2, (0,)), (3, (0,))]),
        # 30 → 35 → 24: 35 → 24 is −11 (reliable) against the previous session; −6 from baseline.
        ((30, 35, 24), [(2, (1,))]),
        # 30 → 20.2: −9.8 is exactly the threshold: not reliable.
        ((30, 20.2), []),
        # 30 → None → 19: −11 against the previous session with a value (= the baseline).
        ((30, None, 19), [(2, (0,))]),
        # 35 → 30 → 20: −10 from the previous session and −15 from the baseline: one alert.
        ((35, 30, 20), [(2, (1, 0))]),
        # improvement is never an alert: 20 → 35
        ((20, 35), []),
    ],
)
def test_reliable_deterioration(make_scale, results, totals, expected) -> None:
    """Reliable deterioration against the previous session and against the baseline."""
    scale = make_scale(RELIABLE)
    alerts = ak.Series(results(scale, *totals), scale=scale).alerts()
    assert all(a.kind == "reliable-deterioration" for a in alerts)
    assert [(a.index, a.compared_with) for a in alerts] == expected


def test_reliable_deterioration_message_gives_the_threshold(make_scale, results) -> None:
    """The message states the change, RCI and threshold: 30 → 19 is −11; RCI = −11/5 = −2.20
    (S_diff = √2·5·√0.5 = 5); threshold 9.80."""
    scale = make_scale(RELIABLE)
    (alert,) = ak.Series(results(scale, 30, 19), scale=scale).alerts()
    assert "change -11, RCI -2.20" in alert.message
    assert "needs 9.80 points" in alert.message


def test_trend_is_the_least_squares_slope() -> None:
    """Totals 30, 32, 37 at sessions 0, 1, 2: slope = Σ(x − 1)(y − 33)/Σ(x − 1)²
    = ((−1)(−3) + 0 + (1)(4))/2 = 7/2 = 3.5 points per session."""
    assert srs_series(30, 32, 37).trend() == 3.5


def test_trend_skips_missing_values() -> None:
    """30, None, 34: the points (0, 30) and (2, 34) give a slope of 4/2 = 2."""
    assert srs_series(30, None, 34).trend() == 2


def test_trend_needs_two_values() -> None:
    """One value has no slope."""
    assert srs_series(30).trend() is None


def test_changes_since_previous_and_baseline() -> None:
    """38, 32.3, None, 31.3: since previous 32.3 − 38 = −5.7, (none), 31.3 − 32.3 = −1 (exact;
    in floats −0.9999999999999964); since baseline −5.7, (none), 31.3 − 38 = −6.7."""
    changes = srs_series(38, 32.3, None, 31.3).changes()
    assert [c.since_previous for c in changes] == [None, -5.7, None, -1.0]
    assert [c.since_baseline for c in changes] == [None, -5.7, None, -6.7]
    assert [c.previous_index for c in changes] == [None, 0, None, 1]


def test_changes_carry_reliable_change_with_a_norm(make_scale, results) -> None:
    """With a norm with sd and reliability each change carries its reliable change:
    30 → 19 is −11 with S_diff 5, RCI −2.2."""
    scale = make_scale(RELIABLE)
    changes = ak.Series(results(scale, 30, 19), scale=scale).changes()
    rc = changes[1].reliable_since_previous
    assert rc is not None and rc.rci == pytest.approx(-2.2, abs=1e-12)
    assert rc.direction == "deteriorated"


def test_baseline_is_the_first_result() -> None:
    """The baseline is the first result of the series."""
    series = srs_series(31, 35)
    assert series.baseline is series.results[0]
    assert series.baseline.scores["total"].value == 31


def test_mixed_scales_are_refused() -> None:
    """Results of different scales cannot form one series."""
    ors = ak.get_scale("ors")
    with pytest.raises(ak.InterpretationError, match="one scale document"):
        ak.Series([SRS.score(answers_for(30)), ors.score(answers_for(30))])


def test_empty_series_is_refused() -> None:
    """A series needs at least one result."""
    with pytest.raises(ak.InterpretationError, match="at least one result"):
        ak.Series([])


def test_unknown_score_is_refused() -> None:
    """Asking for a score the scale does not have raises ValueError."""
    with pytest.raises(ak.InterpretationError, match="no score 'bond'"):
        srs_series(30, 31).trend("bond")
