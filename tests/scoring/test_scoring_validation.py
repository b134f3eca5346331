"""Strict answer checking: what Scale.score accepts, what it rejects, and how it says so."""

from __future__ import annotations

import enum
import math
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest

import alliancekit as ak

WAI_SR = ak.get_scale("wai-sr")
SRS = ak.get_scale("srs")
COMPLETE = {f"q{n}": 3 for n in range(1, 13)}  # WAI-SR, every item "Fairly often"


class Answer(enum.IntEnum):
    """An int subclass, as some form libraries give."""

    OFTEN = 4


def _issues(scale: ak.Scale, answers: Any, *, coerce: bool = False) -> list[tuple[str, str]]:
    with pytest.raises(ak.ResponseError) as caught:
        scale.score(answers, coerce=coerce)
    return [(issue.item_id, issue.code) for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "value-not-an-option"),
        (6, "value-not-an-option"),
        (-1, "value-not-an-option"),
        (10**30, "value-not-an-option"),
        (True, "boolean-not-allowed"),
        (False, "boolean-not-allowed"),
        (np.bool_(True), "boolean-not-allowed"),
        (2.0, "wrong-type"),
        (2.5, "wrong-type"),
        ("2", "wrong-type"),
        (b"2", "wrong-type"),
        ([2], "wrong-type"),
        (Decimal("2"), "wrong-type"),
        (Fraction(2), "wrong-type"),
        (2 + 0j, "wrong-type"),
        (math.nan, "not-finite"),
        (math.inf, "not-finite"),
        (-math.inf, "not-finite"),
    ],
)
def test_ordinal_rejects(value: object, code: str) -> None:
    """An ordinal answer must be an int option: anything else is one issue with its code."""
    assert _issues(WAI_SR, {**COMPLETE, "q5": value}) == [("q5", code)]


@pytest.mark.parametrize("value", [3, np.int64(3), np.int8(3), Answer.OFTEN])
def test_ordinal_accepts_integers(value: object) -> None:
    """Python ints, NumPy integers and int subclasses are ordinal answers (stored as int)."""
    result = WAI_SR.score({**COMPLETE, "q5": value})
    assert type(result.answers["q5"]) is int
    assert result.answers["q5"] == int(value)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (10.0000001, "out-of-range"),
        (-0.1, "out-of-range"),
        (11, "out-of-range"),
        (1e308, "out-of-range"),
        (math.inf, "not-finite"),
        (math.nan, "not-finite"),
        (True, "boolean-not-allowed"),
        ("9", "wrong-type"),
        (Decimal("9"), "wrong-type"),
    ],
)
def test_continuous_rejects(value: object, code: str) -> None:
    """A mark must be a finite real number between the ends of its line."""
    assert _issues(SRS, {"q1": 5, "q2": 5, "q3": 5, "q4": value}) == [("q4", code)]


@pytest.mark.parametrize(
    ("value", "stored"),
    [(0, 0), (10, 10), (-0.0, 0.0), (np.float32(8.5), 8.5), (Fraction(17, 2), 8.5), (9.95, 9.95)],
)
def test_continuous_accepts_reals(value: object, stored: float) -> None:
    """Ints, floats, NumPy floats and fractions within [0, 10] are marks."""
    result = SRS.score({"q1": 5, "q2": 5, "q3": 5, "q4": value})
    assert result.answers["q4"] == stored


def test_every_problem_is_reported_at_once() -> None:
    """Five bad answers give one ResponseError with five issues, in the order given."""
    answers = {"q1": 0, "q2": "x", "q3": True, "zz": 1, "q4": math.nan, "q5": 3}
    assert _issues(WAI_SR, answers) == [
        ("q1", "value-not-an-option"),
        ("q2", "wrong-type"),
        ("q3", "boolean-not-allowed"),
        ("zz", "unknown-item"),
        ("q4", "not-finite"),
    ]


@pytest.mark.parametrize(
    ("key", "label"),
    [("Q1", "Q1"), (1, "1"), (("q1",), "<tuple>"), ("x" * 60, "x" * 39 + "…")],
)
def test_unknown_item_ids(key: object, label: str) -> None:
    """An id that is not an item is an ``unknown-item`` issue labelled by the key (shortened),
    or by its type when it is neither text nor a number (its repr could hold text or nest
    without limit)."""
    assert _issues(WAI_SR, {**COMPLETE, key: 3}) == [(label, "unknown-item")]


@pytest.mark.parametrize("answers", [[("q1", 3)], "q1=3", None, 42])
def test_answers_must_be_a_mapping(answers: object) -> None:
    """Anything but a mapping is one ``not-a-mapping`` issue."""
    assert _issues(WAI_SR, answers) == [("*", "not-a-mapping")]


def test_any_mapping_is_accepted() -> None:
    """A read-only mapping scores like the dict it views."""
    assert WAI_SR.score(MappingProxyType(COMPLETE)) == WAI_SR.score(dict(COMPLETE))


@pytest.mark.parametrize(
    ("text", "stored"),
    [("4", 4), (" 4 ", 4), ("4.0", 4), ("+4", 4), ("004", 4), ("", None), ("NA", None)],
)
def test_coerce_reads_ordinal_text(text: str, stored: int | None) -> None:
    """With coerce, whole numbers written as text are options; empty text and NA are missing."""
    result = WAI_SR.score({"q1": text}, coerce=True)
    assert result.answers["q1"] == stored


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "not-a-number"),
        ("4,5", "not-a-number"),
        ("1_000", "not-a-number"),
        ("inf", "not-a-number"),
        ("0x4", "not-a-number"),
        ("4.5", "value-not-an-option"),
        ("1e1", "value-not-an-option"),
        ("-0", "value-not-an-option"),
        ("1e400", "not-finite"),
    ],
)
def test_coerce_rejects_bad_text(text: str, code: str) -> None:
    """Text that is no number, or a number that is no option, is rejected even when coercing."""
    assert _issues(WAI_SR, {"q1": text}, coerce=True) == [("q1", code)]


@pytest.mark.parametrize(("text", "mark"), [("8.70", 8.7), ("1e1", 10.0), (".5", 0.5), ("0", 0)])
def test_coerce_reads_marks(text: str, mark: float) -> None:
    """With coerce, decimal text is a mark."""
    assert SRS.score({"q1": text}, coerce=True).answers["q1"] == mark


def test_coerce_keeps_typed_answers_strict() -> None:
    """Coercion reads text and whole floats; a boolean is still not a number."""
    assert WAI_SR.score({"q1": 4.0}, coerce=True).answers["q1"] == 4
    assert _issues(WAI_SR, {"q1": True}, coerce=True) == [("q1", "boolean-not-allowed")]


def test_issue_text_shows_item_code_and_message() -> None:
    """str(issue) reads 'id: [code] message', the message naming the options and the value."""
    with pytest.raises(ak.ResponseError) as caught:
        WAI_SR.score({"q3": 7})
    (issue,) = caught.value.issues
    assert str(issue) == "q3: [value-not-an-option] 'q3' must be one of (1, 2, 3, 4, 5) (got 7)"
    assert "1 problem in the answers for scale 'wai-sr'" in str(caught.value)


@pytest.mark.parametrize("text", ["Jane Doe", "MRN-0042-Smith", "jane@example.org"])
def test_free_text_is_never_repeated(text: str) -> None:
    """Text typed into an answer (it could be a name) does not appear in any message."""
    for coerce in (False, True):
        with pytest.raises(ak.ResponseError) as caught:
            WAI_SR.score({"q1": text}, coerce=coerce)
        assert text not in str(caught.value)
        assert text not in repr(caught.value.issues)


@pytest.mark.parametrize("text", ["555,1234", "8,7", "0612345678x", "1-800-555"])
def test_numeric_looking_text_is_never_repeated(text: str) -> None:
    """Text that looks like a number (it could be a phone number) is not repeated either: the
    message gives its length."""
    with pytest.raises(ak.ResponseError) as caught:
        SRS.score({"q1": text}, coerce=True)
    assert text not in str(caught.value)
    assert f"text of {len(text)} characters" in str(caught.value)


def test_a_decimal_comma_gets_a_hint() -> None:
    """A decimal comma is not read, but the message says to use a point (without the text)."""
    with pytest.raises(ak.ResponseError, match="use a point, not a comma"):
        SRS.score({"q1": "8,7"}, coerce=True)


def test_fast_path_result_equals_general_path() -> None:
    """A complete dict of int options (the fast path) scores exactly as a mapping that takes
    the general path."""
    answers = {f"q{n}": n % 5 + 1 for n in range(1, 13)}
    assert WAI_SR.score(answers) == WAI_SR.score(MappingProxyType(answers))
    reordered = dict(reversed(list(answers.items())))
    assert WAI_SR.score(reordered) == WAI_SR.score(answers)
    assert list(WAI_SR.score(reordered).answers) == [f"q{n}" for n in range(1, 13)]


def test_result_does_not_share_the_callers_dict() -> None:
    """Changing the answers after scoring leaves the result's answers as they were scored."""
    answers = dict(COMPLETE)
    result = WAI_SR.score(answers)
    answers["q1"] = 5
    assert result.answers["q1"] == 3


@pytest.mark.parametrize("text", ["2024-01-05", "555-1234", "07/12/1980"])
def test_dates_and_phone_numbers_are_not_repeated(text: str) -> None:
    """Text shaped like a date or a phone number (it could identify someone) is not quoted."""
    with pytest.raises(ak.ResponseError) as caught:
        SRS.score({"q1": text}, coerce=True)
    assert text not in str(caught.value)
