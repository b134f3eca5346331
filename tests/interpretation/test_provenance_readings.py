"""Readings and alerts warn about the provisional facts they used: the band (and so its cut-off
and boundary), the norm, the alert rule — and nothing they did not use."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak
from alliancekit.document import SCHEMA_URIS

SRS = ak.get_scale("srs")
V1_SRS = ak.load_scale(Path(__file__).resolve().parents[1] / "data" / "v1" / "srs.json")
SOURCE = "Invented 2024, test: a source made up for the alliancekit test suite"
BAND_LOW = "provisional: band [0, 36) of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)"
BAND_HIGH = "provisional: band [36, 40] of 'total' (cut-off 36) (OpenFIT KA-01028, vendor)"


def marks(total: float) -> dict[str, float]:
    """Four SRS marks summing exactly to ``total`` (10, 10, 10 and the rest; total ≥ 30)."""
    return {"q1": 10, "q2": 10, "q3": 10, "q4": round(total - 30, 1)}


def vas_document(status: dict[str, str]) -> dict[str, Any]:
    """A v2 document (four 0–10 marks, total 0–40) whose facts are verified unless ``status``
    names them (keys: set, keying, score, missing, band, norm, below, drop, rci)."""

    def fact(name: str, **fields: Any) -> dict[str, Any]:
        return {"source": SOURCE, "status": status.get(name, "verified"), **fields}

    return {
        "$schema": SCHEMA_URIS[2],
        "id": "vas-test",
        "version": "1.0.0",
        "title": "Test scale",
        "citations": [{"text": SOURCE}],
        "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
        "verification": {"sources": [SOURCE], "open_questions": []},
        "keying": fact("keying"),
        "response_sets": {"vas": fact("set", kind="continuous", min=0, max=10)},
        "items": [{"id": f"q{n}", "number": n, "response_set": "vas"} for n in range(1, 5)],
        "scores": [
            fact("score", id="total", items="all", method="sum", missing=fact("missing")),
        ],
        "interpretation": {
            "total": {
                "norms": [
                    fact(
                        "norm",
                        id="clinic",
                        population="clinic",
                        mean=30,
                        sd=5,
                        reliability=0.8,
                        bands=[
                            fact("band", lower=0, upper=36, label="low", flag="alert"),
                            fact("band", lower=36, upper=40, label="high", flag="none"),
                        ],
                    )
                ],
                "alerts": [
                    fact("below", kind="below-cutoff"),
                    fact("drop", kind="drop", min_drop=1),
                    fact("rci", kind="reliable-deterioration", norm="clinic"),
                ],
            }
        },
    }


@pytest.mark.parametrize(("total", "band"), [(35, BAND_LOW), (35.9, BAND_LOW), (36, BAND_HIGH)])
def test_interpreting_the_srs_warns_about_the_cut_off_it_read(total: float, band: str) -> None:
    """Scoring the SRS carries no cut-off warning; reading it against the 36 cut-off adds one
    naming the band read, its cut-off and boundary (the bracket), and the vendor source."""
    result = SRS.score(marks(total), notify=False)
    assert not any("cut-off" in w for w in result.warnings)
    warnings = ak.interpret(result)["total"].warnings
    assert warnings == (*result.warnings, band)


def test_a_total_without_a_value_reads_no_band() -> None:
    """No value, no band: no warning about the cut-off."""
    result = SRS.score({"q1": 10, "q2": 10, "q3": 10}, notify=False)
    assert ak.interpret(result)["total"].warnings == result.warnings


def test_verified_facts_give_no_warnings() -> None:
    """A document whose facts are all verified reads and alerts without warnings."""
    scale = ak.load_scale(vas_document({}))
    results = [scale.score(marks(v), notify=False) for v in (39, 34, 30)]
    assert ak.interpret(results[1], scale=scale)["total"].warnings == ()
    alerts = ak.Series(results, scale=scale).alerts()
    assert {a.kind for a in alerts} == {"below-cutoff", "drop", "reliable-deterioration"}
    assert all(a.warnings == () and not a.provisional for a in alerts)


def test_a_provisional_norm_is_named_when_read() -> None:
    """A reading against a provisional norm says so; the band it read is verified here."""
    scale = ak.load_scale(vas_document({"norm": "provisional"}))
    reading = ak.interpret(scale.score(marks(38), notify=False), scale=scale)["total"]
    assert reading.warnings == ("provisional: norm 'clinic' of 'total' (Invented 2024, test)",)


def test_a_provisional_norm_band_names_its_norm() -> None:
    """A norm's band is named with its norm and cut-off."""
    scale = ak.load_scale(vas_document({"band": "provisional"}))
    reading = ak.interpret(scale.score(marks(35), notify=False), scale=scale)["total"]
    assert reading.warnings == (
        "provisional: band [0, 36) of 'total', norm 'clinic' (cut-off 36) (Invented 2024, test)",
    )


def test_srs_alerts_carry_warnings_about_their_provisional_rules() -> None:
    """The SRS's alert rules and cut-off are provisional (vendor): each alert names the facts
    that raised it — the rule, and for below-cutoff the band it fell in."""
    results = [SRS.score(marks(v), notify=False) for v in (38, 35)]
    alerts = {a.kind: a for a in ak.Series(results).alerts()}
    assert alerts["below-cutoff"].warnings == (
        "provisional: alert rule 'below-cutoff' of 'total' (OpenFIT KA-01028, vendor)",
        BAND_LOW,
    )
    assert alerts["drop"].warnings == (
        "provisional: alert rule 'drop' of 'total' (1 point or more) "
        "(OpenFIT dashboard alerts, vendor)",
    )
    assert all(a.provisional for a in alerts.values())


def test_reliable_deterioration_names_a_provisional_norm() -> None:
    """Reliable change rests on the norm's sd and reliability: a provisional norm is named."""
    scale = ak.load_scale(vas_document({"norm": "provisional"}))
    results = [scale.score(marks(v), notify=False) for v in (39, 30)]
    alerts = ak.Series(results, scale=scale).alerts()
    (alert,) = [a for a in alerts if a.kind == "reliable-deterioration"]
    assert alert.warnings == ("provisional: norm 'clinic' of 'total' (Invented 2024, test)",)


def test_v1_alerts_and_readings_warn_as_before() -> None:
    """A v1 document's alerts carry no warnings, and its readings carry the result's."""
    results = [V1_SRS.score(marks(v), notify=False) for v in (38, 35)]
    assert all(a.warnings == () for a in ak.Series(results, scale=V1_SRS).alerts())
    reading = ak.interpret(results[1], scale=V1_SRS)["total"]
    assert reading.warnings == results[1].warnings
    assert all(w.startswith("provisional scale 'srs': ") for w in reading.warnings)


def test_the_vas_document_is_valid() -> None:
    """The builder's document is valid as given (a guard for the tests above)."""
    assert ak.validate_scale(copy.deepcopy(vas_document({}))) == []


def test_change_names_the_provisional_facts_it_used() -> None:
    """Reliable change and cut-offs rest on the score's facts and the norms used."""
    document = vas_document({"norm": "provisional", "score": "provisional"})
    document["interpretation"]["total"]["norms"][0]["clinical"] = True
    scale = ak.load_scale(document)
    before, after = (scale.score(marks(v), notify=False) for v in (31, 39))
    assert ak.change(before, after, scale=scale).warnings == (
        "provisional: score 'total' (sum of all 4 items) (Invented 2024, test)",
        "provisional: norm 'clinic' of 'total' (Invented 2024, test)",
    )
