"""Hostile input to interpretation (issue 12): clear InterpretationErrors, never an
AttributeError or OverflowError; series in occasion order."""

from __future__ import annotations

from typing import Any

import pytest

import alliancekit as ak
from alliancekit.interpretation import Series
from alliancekit.storage import StoredRecord, open_store


def _result(value: int = 1) -> ak.ScoreResult:
    return ak.get_scale("srs").score({"q1": value, "q2": 1, "q3": 1, "q4": 1})


@pytest.mark.parametrize(
    ("before", "after", "sd"),
    [(1e308, -1e308, 1.0), (-1e308, 1e308, 1.0), (0.0, 1.0, 1e308), (1.0, 2.0, 1.7e308)],
)
def test_reliable_change_beyond_the_float_range_is_an_interpretation_error(
    before: float, after: float, sd: float
) -> None:
    """A reliable change whose difference, RCI or threshold overflows a float is an
    InterpretationError, not an OverflowError or an infinite number."""
    with pytest.raises(ak.InterpretationError, match="too large"):
        ak.reliable_change(before, after, sd=sd, reliability=0.5)


@pytest.mark.parametrize("name", ["before", "after", "sd"])
def test_an_integer_beyond_the_float_range_is_refused(name: str) -> None:
    """An int too large for a float is "not a finite number", without its digits."""
    arguments: dict[str, Any] = {"before": 1, "after": 2, "sd": 1}
    arguments[name] = 10**5000
    with pytest.raises(ak.InterpretationError, match="beyond the float range"):
        ak.reliable_change(
            arguments["before"], arguments["after"], sd=arguments["sd"], reliability=0.5
        )


def test_clinical_cutoffs_beyond_the_float_range_are_refused() -> None:
    """Cut-offs whose exact value overflows a float are an InterpretationError."""
    with pytest.raises(ak.InterpretationError, match="too large"):
        ak.clinical_cutoffs(
            clinical_mean=1.5e308, clinical_sd=1e308, functional_mean=1.7e308, functional_sd=1.0
        )


@pytest.mark.parametrize("value", [{"total": 3}, None, "total", 3])
def test_interpret_of_something_that_is_not_a_result_is_an_interpretation_error(
    value: object,
) -> None:
    """``interpret`` of a dict, ``None``, text or a number says what it takes."""
    with pytest.raises(ak.InterpretationError, match="takes a ScoreResult"):
        ak.interpret(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, {"total": 3}, "x"])
def test_a_series_with_something_that_is_not_a_result_is_refused(bad: object) -> None:
    """A series with ``None`` (or another non-result) in it names its position."""
    with pytest.raises(ak.InterpretationError, match="result 2 of the series is a"):
        Series([_result(), bad])  # type: ignore[list-item]


def _records(include_superseded: bool = False) -> list[StoredRecord]:
    with open_store("sqlite::memory:") as store:
        first = store.save(_result(1), respondent="x", occasion=1)
        store.save(_result(2), respondent="x", occasion=2)
        store.save(_result(3), respondent="x", occasion=3)
        store.amend(first, _result(4), "typo")
        return store.history("x", "srs", include_superseded=include_superseded)


def test_stored_records_in_occasion_order_make_a_series() -> None:
    """Stored records as ``history()`` returns them form a series, one session per occasion."""
    assert Series(_records()).values() == [7.0, 5.0, 6.0]


@pytest.mark.parametrize(
    ("arrange", "message"),
    [
        (lambda records: list(reversed(records)), "out of occasion order"),
        (lambda records: [records[1], records[0], records[2]], "out of occasion order"),
        (lambda records: [records[0], records[0]], "repeats occasion"),
    ],
)
def test_stored_records_out_of_order_or_repeated_are_refused(arrange: Any, message: str) -> None:
    """Records out of occasion order or repeating an occasion are refused, never read as
    sessions in the wrong order."""
    with pytest.raises(ak.InterpretationError, match=message):
        Series(arrange(_records()))


def test_superseded_records_are_refused_as_a_repeated_occasion() -> None:
    """``history(include_superseded=True)`` holds an amended record and its correction for one
    occasion: not a series."""
    with pytest.raises(ak.InterpretationError, match="repeats occasion 1"):
        Series(_records(include_superseded=True))


def test_alerts_and_changes_number_sessions_from_one() -> None:
    """``Alert.session`` and ``SessionChange.session`` count from 1; ``index`` still from 0."""
    series = Series([_result(1), _result(1)])
    alert = series.alerts()[0]
    change = series.changes()[1]
    assert (alert.index, alert.session) == (0, 1)
    assert (change.index, change.session) == (1, 2)


def test_stored_records_of_two_respondents_are_refused() -> None:
    """Records of two respondents are not one series, even in occasion order."""
    with open_store("sqlite::memory:") as store:
        store.save(_result(1), respondent="x", occasion=1)
        store.save(_result(2), respondent="y", occasion=2)
        records = store.history("x", "srs") + store.history("y", "srs")
    with pytest.raises(ak.InterpretationError, match="another respondent"):
        Series(records)
