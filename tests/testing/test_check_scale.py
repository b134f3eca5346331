"""``check_scale``: the property suite passes the built-in scales, finds defects in Scale objects
built by hand (without the loader's help), and reports loader problems with their JSON paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from toolkit_helpers import broken

import alliancekit as ak
from alliancekit import hookimpl, plugins
from alliancekit.document import Scale
from alliancekit.model import AlertRule, Band, Norm, ScoreInterpretation
from alliancekit.testing import PROPERTIES, check_scale

BUILTIN = [info.id for info in ak.list_scales()]
SRS = ak.get_scale("srs")  # four 0-10 items, total = sum, range 0-40
ORS = ak.get_scale("ors")  # the same shape, with bands on its one norm (adult)


def band(lower: float, upper: float) -> Band:
    """A band with filler label, flag and source."""
    return Band(lower=lower, upper=upper, label=f"[{lower}, {upper})", flag="none", source="test")


def srs_with(**reading: Any) -> Scale:
    """SRS with its ``total`` interpretation replaced, bypassing the loader (attrs.evolve)."""
    return attrs.evolve(SRS, interpretation={"total": ScoreInterpretation(**reading)})


@pytest.mark.parametrize("scale_id", BUILTIN)
def test_every_builtin_scale_passes(scale_id: str) -> None:
    """Every built-in scale passes every check that applies to it."""
    report = check_scale(ak.get_scale(scale_id), max_examples=25)
    assert report.passed, report.format(failures_only=True)
    assert [r.name for r in report.results] == list(PROPERTIES)


@pytest.mark.parametrize(
    ("bands", "value", "holders"),
    [
        # [0, 30) stops before 30 and [32, 40] starts after it: 30 is in no band
        ((band(0, 30), band(32, 40)), 30.0, []),
        # 30 is in [0, 36) and in [30, 40]
        ((band(0, 36), band(30, 40)), 30.0, [0, 1]),
        # [36, 39) does not reach the maximum 40 and is open at 39: 39 is in no band
        ((band(0, 36), band(36, 39)), 39.0, []),
        # nothing starts at the minimum 0
        ((band(5, 36), band(36, 40)), 0.0, []),
        # listed out of order: [36, 40] then [0, 35) leave 35 uncovered
        ((band(36, 40), band(0, 35)), 35.0, []),
    ],
)
def test_bands_that_do_not_tile_the_range_are_caught_without_the_loader(
    bands: tuple[Band, ...], value: float, holders: list[int]
) -> None:
    """A gap, an overlap or a short band is found on a Scale object the loader never saw; the
    counterexample is the first value of the range in no band or in two."""
    result = check_scale(srs_with(bands=bands), max_examples=5).result("bands-tile-range")
    assert result.status == "failed"
    assert result.counterexample == {
        "score": "total",
        "json_path": "$.interpretation.total.bands",
        "value": value,
        "bands": holders,
    }


def test_an_empty_band_is_caught() -> None:
    """A band whose lower end is not below its upper end holds nothing and is reported."""
    bands = (band(0, 36), band(36, 36), band(36, 40))
    result = check_scale(srs_with(bands=bands), max_examples=5).result("bands-tile-range")
    assert result.status == "failed"
    assert result.counterexample == {
        "score": "total",
        "json_path": "$.interpretation.total.bands[1]",
    }


def test_bands_of_a_norm_are_checked_too() -> None:
    """Each norm's own bands must tile the range: a second ORS norm, built by hand, whose
    bands leave a gap at [30, 32)."""
    (adult,) = ORS.interpretation["total"].norms
    second = attrs.evolve(adult, id="second", default=False, bands=(band(0, 30), band(32, 40)))
    reading = attrs.evolve(ORS.interpretation["total"], norms=(adult, second))
    scale = attrs.evolve(ORS, interpretation={"total": reading})
    result = check_scale(scale, max_examples=5).result("bands-tile-range")
    assert result.counterexample is not None
    assert result.counterexample["json_path"] == "$.interpretation.total.norms[1].bands"
    assert result.counterexample["value"] == 30.0


@pytest.mark.parametrize(
    ("reading", "json_path", "value"),
    [
        ({"bands": (band(0, 36), band(36, 45))}, "$.interpretation.total.bands[1].upper", 45),
        ({"bands": (band(-5, 36), band(36, 40))}, "$.interpretation.total.bands[0].lower", -5),
        (
            {"norms": (Norm(id="n", population="p", source="s", mean=41.0, sd=5.0),)},
            "$.interpretation.total.norms[0].mean",
            41.0,
        ),
        (
            {"alerts": (AlertRule(kind="drop", min_drop=41.0, source="s"),)},
            "$.interpretation.total.alerts[0].min_drop",
            41.0,
        ),
    ],
)
def test_cutoffs_and_norms_outside_the_range_are_caught(
    reading: dict[str, Any], json_path: str, value: float
) -> None:
    """A band boundary or norm mean outside 0-40, or a drop alert of more than the range's
    width of 40, fails ``cutoffs-in-range`` at the JSON path of the number."""
    result = check_scale(srs_with(**reading), max_examples=5).result("cutoffs-in-range")
    assert result.status == "failed"
    assert result.counterexample is not None
    assert result.counterexample["json_path"] == json_path
    assert result.counterexample["value"] == value


def test_a_drop_as_wide_as_the_range_can_fire() -> None:
    """A drop of exactly 40 on a 0-40 score can happen (from 40 to 0): it passes."""
    alert = AlertRule(kind="drop", min_drop=40.0, source="s")
    result = check_scale(srs_with(alerts=(alert,)), max_examples=5).result("cutoffs-in-range")
    assert result.status == "passed"


def test_round_trip_catches_a_scale_that_differs_from_its_document() -> None:
    """A Scale changed after loading no longer matches its own document: round-trip names the
    field that differs."""
    result = check_scale(srs_with(bands=(band(0, 40),)), max_examples=5).result("round-trip")
    assert result.status == "failed"
    assert result.counterexample == {"fields": ["interpretation"]}


def test_a_document_that_does_not_load_reports_every_loader_issue() -> None:
    """For a path that fails to load, ``document`` lists exactly what validate_scale lists (JSON
    path, code, message) and every other check is skipped for want of a scale."""
    path = broken("gap-between-bands.json")
    report = check_scale(path)
    document = report.result("document")
    assert document.status == "failed"
    assert list(document.issues) == ak.validate_scale(path)
    assert [(i.json_path, i.code) for i in document.issues] == [
        ("$.interpretation.total.bands[1]", "gap-between-bands")
    ]
    assert all(
        r.status == "skipped" and r.message == "the document did not load"
        for r in report.results[1:]
    )
    assert report.source == str(path)


@pytest.mark.parametrize(
    ("source", "label", "code"),
    [
        ({"id": "half-a-scale"}, "half-a-scale", "schema-required"),
        ({}, "<mapping>", "schema-required"),
        (42, "<not a document>", "not-a-document"),
    ],
)
def test_sources_that_are_not_scales_fail_the_document_check(
    source: Any, label: str, code: str
) -> None:
    """A mapping is labelled by its id (if it has one); anything else fails ``document`` with
    the loader's code rather than raising."""
    report = check_scale(source)
    assert report.source == label
    assert code in {issue.code for issue in report.result("document").issues}
    assert not report.passed


def test_checks_can_be_skipped() -> None:
    """A check named in ``skip`` is reported as skipped on request and not run."""
    report = check_scale(SRS, max_examples=5, skip=["monotone", "round-trip"])
    assert report.result("monotone").status == "skipped"
    assert report.result("round-trip").message == "skipped on request"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"skip": ["no-such-check"]}, "unknown checks"),
        ({"skip": ["document"]}, "cannot be skipped"),
        ({"max_examples": 0}, "at least 1"),
    ],
)
def test_bad_options_are_value_errors(options: dict[str, Any], message: str) -> None:
    """Unknown check names, skipping ``document`` and a zero budget are refused."""
    with pytest.raises(ValueError, match=message):
        check_scale(SRS, **options)


def test_reports_are_deterministic_and_json_ready() -> None:
    """The same scale and budget give the same report, counterexample included, and the report
    serialises to JSON and formats with the failing check and its counterexample."""
    path = broken("reversed-item-wrong-range.json")
    first, second = check_scale(path, max_examples=20), check_scale(path, max_examples=20)
    assert first.to_dict() == second.to_dict()
    assert json.loads(json.dumps(first.to_dict(), allow_nan=False)) == first.to_dict()
    text = first.format(failures_only=True)
    assert "FAILED  reverse-key-range" in text and "counterexample: " in text
    assert "ok      document" not in text


def test_result_lookup_of_an_unknown_check_is_a_key_error() -> None:
    """``report.result(name)`` raises KeyError for a name that is not a check."""
    with pytest.raises(KeyError):
        check_scale(SRS, max_examples=5).result("no-such-check")


class _Recorder:
    """A plugin that counts alliancekit_result_scored events."""

    def __init__(self) -> None:
        self.calls = 0

    @hookimpl
    def alliancekit_result_scored(self, result: Any, context: Any) -> None:
        """Count one scored result."""
        self.calls += 1


@pytest.fixture
def recorder() -> Iterator[_Recorder]:
    """A registered :class:`_Recorder` (unregistered after the test)."""
    pm = plugins.get_plugin_manager()
    plugin = _Recorder()
    pm.register(plugin, name="test-result-recorder")
    try:
        yield plugin
    finally:
        pm.unregister(name="test-result-recorder")


def test_synthetic_answers_fire_no_result_scored_event(recorder: _Recorder) -> None:
    """check_scale scores hundreds of invented answer sets without telling any plugin, so no
    store saves them and no alert goes out; a real score still does."""
    check_scale(SRS, max_examples=10)
    assert recorder.calls == 0
    SRS.score({"q1": 1, "q2": 2, "q3": 3, "q4": 4})
    assert recorder.calls == 1
