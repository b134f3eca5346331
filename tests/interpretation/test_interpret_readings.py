"""`interpret`: bands (half-open, on their edges), norms (z, T, percentile, SEM), missing values,
warnings, and which document a result is read against."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st
from interpretation_builders import answers_for, band, document, norm

import alliancekit as ak

SRS = ak.get_scale("srs")
ORS = ak.get_scale("ors")
CORS = ak.get_scale("cors")


@pytest.mark.parametrize(
    ("total", "flag"),
    [
        (0, "alert"),  # the bottom of the range
        (35.9, "alert"),  # just below 36: inside [0, 36)
        (36, "none"),  # exactly on the boundary: [36, 40], not flagged
        (36.1, "none"),
        (40, "none"),  # the top band is closed at the maximum
    ],
)
def test_srs_cutoff_is_below_36(total: float, flag: str) -> None:
    """The SRS total is flagged ``alert`` below 36 and a total of exactly 36 is not."""
    reading = ak.interpret(SRS.score(answers_for(total)))["total"]
    assert reading.flag == flag


def test_srs_band_carries_its_source() -> None:
    """A band reading names the band's label and cites its source."""
    reading = ak.interpret(SRS.score(answers_for(35.9)))["total"]
    assert reading.band is not None and reading.band.startswith("below cut-off")
    assert reading.source is not None and "OpenFIT" in reading.source


@pytest.mark.parametrize(
    ("total", "norm_id", "flag"),
    [
        (24.9, None, "watch"),  # adult is the default norm: [0, 25) is the clinical range
        (25, None, "none"),  # exactly on the adult cut-off: [25, 40]
        (25, "adult", "none"),
    ],
)
def test_ors_cutoff_is_the_adult_one(total: float, norm_id: str | None, flag: str) -> None:
    """The ORS has one norm, adults, with cut-off 25; a total of exactly 25 is not flagged."""
    reading = ak.interpret(ORS.score(answers_for(total)), norm_id)["total"]
    assert reading.flag == flag
    assert reading.norm == "adult"
    assert reading.population is not None and "18" in reading.population


@pytest.mark.parametrize(
    ("total", "flag"),
    [
        (25, "watch"),  # the children's cut-off is 32, so 25 is in [0, 32)
        (31.9, "watch"),
        (32, "none"),  # exactly on the children's cut-off: [32, 40]
        (40, "none"),
    ],
)
def test_cors_cutoff_is_32(total: float, flag: str) -> None:
    """The CORS (children 6-12) is its own document, read against its cut-off of 32."""
    reading = ak.interpret(CORS.score(answers_for(total)))["total"]
    assert (reading.flag, reading.norm) == (flag, "child")


def test_ors_reading_carries_provisional_warnings() -> None:
    """A reading carries the result's warnings about the score, then one about the provisional
    norm and one about the provisional band it was read against."""
    result = ORS.score(answers_for(30))
    assert result.warnings
    assert ak.interpret(result)["total"].warnings == (
        *result.warnings,
        "provisional: norm 'adult' of 'total' (OpenFIT KA-01031, vendor)",
        "provisional: band [25, 40] of 'total', norm 'adult' (cut-off 25) "
        "(OpenFIT KA-01031, vendor)",
    )


def test_subscale_reading_warns_only_about_its_own_facts() -> None:
    """The WAI-SR is provisional (vendor sources only): a reading of the task subscale names the
    facts the task score rests on, not the goal's or bond's membership."""
    wai_sr = ak.get_scale("wai-sr")
    assert wai_sr.status == "provisional"
    result = wai_sr.score({item.id: 3 for item in wai_sr.items})
    warnings = ak.interpret(result)["task"].warnings
    assert any("score 'task'" in w for w in warnings)
    assert not any("score 'goal'" in w or "score 'bond'" in w for w in warnings)
    assert set(warnings) < set(result.warnings)


def test_missing_value_has_no_band() -> None:
    """A score without a value is read as such: no band, flag none, the reason given."""
    result = SRS.score(answers_for(None))
    reading = ak.interpret(result)["total"]
    assert (reading.value, reading.band, reading.flag, reading.z) == (None, None, "none", None)
    assert reading.reason == result.scores["total"].reason


def test_score_without_bands_is_not_flagged() -> None:
    """WAI-SR scores have no published cut-off: no band, flag none."""
    scale = ak.get_scale("wai-sr")
    reading = ak.interpret(scale.score({f"q{n}": 3 for n in range(1, 13)}))
    assert reading["total"].value == 36  # 12 items × 3
    assert (reading["total"].band, reading["total"].flag) == (None, "none")
    assert set(reading) == {"task", "goal", "bond", "total", "total_mean"}


@pytest.mark.parametrize(
    ("total", "z", "t", "percentile"),
    [
        # mean 30, sd 5: z = (35 − 30)/5 = 1; T = 50 + 10·1 = 60; 100·Φ(1) = 84.1344746…
        (35, 1.0, 60.0, 84.13447460685429),
        # z = (22.5 − 30)/5 = −1.5; T = 50 − 15 = 35; 100·Φ(−1.5) = 6.6807201…
        (22.5, -1.5, 35.0, 6.680720126885807),
        # z = 0; T = 50; percentile 50
        (30, 0.0, 50.0, 50.0),
    ],
)
def test_norm_gives_z_t_and_percentile(
    make_scale, total: float, z: float, t: float, percentile: float
) -> None:
    """Against a norm with mean 30 and sd 5: z, T = 50 + 10z and the normal percentile."""
    scale = make_scale({"norms": [norm("ref", mean=30, sd=5)]})
    reading = ak.interpret(scale.score(answers_for(total)), scale=scale)["total"]
    assert reading.z == pytest.approx(z, abs=1e-12)
    assert reading.t == pytest.approx(t, abs=1e-12)
    assert reading.percentile == pytest.approx(percentile, abs=1e-9)


def test_sem_from_sd_and_reliability(make_scale) -> None:
    """SEM = sd·√(1 − r): sd 5, r .84 gives 5·√0.16 = 5·0.4 = 2."""
    scale = make_scale({"norms": [norm("ref", mean=30, sd=5, reliability=0.84)]})
    reading = ak.interpret(scale.score(answers_for(30)), scale=scale)["total"]
    assert reading.sem == pytest.approx(2.0, abs=1e-12)


def test_no_sem_without_reliability(make_scale) -> None:
    """Without a reliability there is no SEM (z and T still come from mean and sd)."""
    scale = make_scale({"norms": [norm("ref", mean=30, sd=5)]})
    reading = ak.interpret(scale.score(answers_for(30)), scale=scale)["total"]
    assert reading.sem is None and reading.t == 50


def test_higher_is_worse_keeps_raw_orientation(make_scale) -> None:
    """For a higher-is-worse score z and T are not flipped: 35 against mean 30, sd 5 is z = +1,
    T = 60 (above the mean, i.e. worse)."""
    scale = make_scale({"direction": "higher-is-worse", "norms": [norm("ref", mean=30, sd=5)]})
    reading = ak.interpret(scale.score(answers_for(35)), scale=scale)["total"]
    assert (reading.direction, reading.z, reading.t) == ("higher-is-worse", 1.0, 60.0)


def test_default_norm_is_chosen_among_several(make_scale) -> None:
    """With several norms the default one is used: mean 20, sd 10, x 30 gives z = 1."""
    scale = make_scale(
        {"norms": [norm("a", mean=30, sd=5), norm("b", mean=20, sd=10, default=True)]}
    )
    reading = ak.interpret(scale.score(answers_for(30)), scale=scale)["total"]
    assert (reading.norm, reading.z) == ("b", 1.0)


def test_no_norm_chosen_among_several_without_default(make_scale) -> None:
    """Several norms and no default: no norm statistics unless one is named."""
    scale = make_scale({"norms": [norm("a", mean=30, sd=5), norm("b", mean=20, sd=10)]})
    result = scale.score(answers_for(30))
    assert ak.interpret(result, scale=scale)["total"].z is None
    # named: (30 − 30)/5 = 0
    assert ak.interpret(result, "a", scale=scale)["total"].z == 0


def test_norm_bands_take_precedence_over_score_bands(make_scale) -> None:
    """A chosen norm's own bands are used instead of the score's bands."""
    scale = make_scale(
        {
            "bands": [band(0, 20, "alert"), band(20, 40, "none")],
            "norms": [norm("strict", bands=[band(0, 30, "watch"), band(30, 40, "none")])],
        }
    )
    result = scale.score(answers_for(25))
    assert ak.interpret(result, scale=scale)["total"].flag == "watch"  # the only norm


def test_unknown_norm_is_an_error() -> None:
    """Naming a norm no score has raises ValueError listing the known ones."""
    with pytest.raises(ak.InterpretationError, match=r"no norm 'teen' \(known: adult\)"):
        ak.interpret(ORS.score(answers_for(30)), "teen")


def test_result_of_another_document_is_refused(make_scale) -> None:
    """A result is never read against a different document (here: a changed band)."""
    first = make_scale({"bands": [band(0, 20, "alert"), band(20, 40, "none")]})
    second = make_scale({"bands": [band(0, 25, "alert"), band(25, 40, "none")]})
    result = first.score(answers_for(22))
    assert ak.interpret(result, scale=first)["total"].flag == "none"
    with pytest.raises(ak.InterpretationError, match="not with 'testscale'"):
        ak.interpret(result, scale=second)


def test_catalogue_refuses_a_result_of_an_older_document(make_scale) -> None:
    """A result whose sha256 differs from the catalogue's document must be given its own scale."""
    other = ak.load_scale(document({}, scale_id="srs"))
    with pytest.raises(ak.InterpretationError, match="pass scale="):
        ak.interpret(other.score(answers_for(30)))


def test_to_dict_is_json_ready() -> None:
    """``to_dict`` gives plain JSON types."""
    import json

    data = ak.interpret(SRS.score(answers_for(35.9)))["total"].to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["flag"] == "alert" and data["range"] == [0.0, 40.0]


@settings(max_examples=100, deadline=None)
@given(
    mean=st.integers(min_value=5, max_value=35),
    sd=st.sampled_from([0.5, 1, 2.5, 7.3]),
    totals=st.lists(
        st.decimals(min_value=0, max_value=40, places=1), min_size=2, max_size=2, unique=True
    ),
)
def test_t_is_monotone_in_the_raw_score(mean: int, sd: float, totals: list) -> None:
    """For a higher-is-better score a higher raw score never has a lower T."""
    scale = _scale_with_norm(mean, sd)
    low, high = sorted(float(t) for t in totals)
    t_low = ak.interpret(scale.score(answers_for(low)), scale=scale)["total"].t
    t_high = ak.interpret(scale.score(answers_for(high)), scale=scale)["total"].t
    assert t_low is not None and t_high is not None
    assert t_low <= t_high
    assert math.isfinite(t_high)


_SCALES: dict[tuple[int, float], ak.Scale] = {}


def _scale_with_norm(mean: int, sd: float) -> ak.Scale:
    key = (mean, sd)
    if key not in _SCALES:
        _SCALES[key] = ak.load_scale(
            document({"direction": "higher-is-better", "norms": [norm("n", mean=mean, sd=sd)]})
        )
    return _SCALES[key]
