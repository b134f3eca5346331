"""Scale documents are read strictly: no repeated member names, no lone surrogates, no integer
too long for Python, no identifier with a trailing line break (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak


def _codes(source: Any) -> list[tuple[str, str]]:
    return [(issue.json_path, issue.code) for issue in ak.validate_scale(source)]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"id": "mini",', '"id": "mini", "id": "other",', ("$.id", "duplicate-key")),
        ('"max": 10}', '"max": 10, "max": 20}', ("$.response_sets.vas.max", "duplicate-key")),
        (
            '{"id": "q1", ',
            '{"id": "q1", "id": "q1", ',
            ("$.items[0].id", "duplicate-key"),
        ),
    ],
)
def test_a_repeated_member_name_is_refused_at_its_path(
    document: dict[str, Any], tmp_path: Path, old: str, new: str, expected: tuple[str, str]
) -> None:
    """Two members with one name in an object are refused with ``duplicate-key`` at the
    member's path (Python's JSON reader would silently keep the last)."""
    text = json.dumps(document)
    assert old in text
    path = tmp_path / "doc.json"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _codes(path) == [expected]


@pytest.mark.parametrize("where", ["title", "key"])
def test_a_lone_surrogate_in_a_mapping_is_an_issue_not_a_crash(
    document: dict[str, Any], where: str
) -> None:
    """A lone surrogate in a document given as a mapping (a value or a member name) is reported
    as ``lone-surrogate``; validate_scale never raises."""
    if where == "title":
        document["title"] = "ok \ud800"
    else:
        document["citations"][0]["\udfff"] = "x"
    assert [code for _, code in _codes(document)] == ["lone-surrogate"]


def test_a_lone_surrogate_escape_in_a_file_is_refused(
    document: dict[str, Any], tmp_path: Path
) -> None:
    """``"\\ud800"`` written as an escape in a file is refused with ``lone-surrogate``."""
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document).replace('"mini"', '"mini\\ud800"', 1), encoding="utf-8")
    assert _codes(path) == [("$", "lone-surrogate")]


def test_an_integer_beyond_pythons_digit_limit_is_number_too_large(
    document: dict[str, Any], tmp_path: Path
) -> None:
    """An integer of 5,000 digits is ``number-too-large`` with its line and column, not
    ``invalid-json`` with a hint about ``sys.set_int_max_str_digits``."""
    path = tmp_path / "doc.json"
    text = json.dumps(document).replace('"number": 1,', '"number": ' + "9" * 5000 + ",", 1)
    path.write_text(text, encoding="utf-8")
    issues = ak.validate_scale(path)
    assert [issue.code for issue in issues] == ["number-too-large"]
    assert "set_int_max_str_digits" not in issues[0].message
    assert "line 1 column" in issues[0].message


@pytest.mark.parametrize(
    ("place", "value"),
    [
        (("id",), "mini\n"),
        (("version",), "1.0.0\n"),
        (("items", 0, "id"), "q1\n"),
        (("scores", 0, "id"), "likert\n"),
        (("citations", 0, "id"), "c1\n"),
    ],
)
def test_an_identifier_with_a_trailing_line_break_is_refused(
    document: dict[str, Any], place: tuple[str | int, ...], value: str
) -> None:
    """Identifiers and versions must match their pattern in full: a trailing ``\\n`` (which a
    regular expression's ``$`` accepts) is a ``schema-pattern`` issue."""
    target: Any = document
    for part in place[:-1]:
        target = target[part]
    target[place[-1]] = value
    assert "schema-pattern" in [code for _, code in _codes(document)]


def test_a_language_tag_with_a_trailing_line_break_is_refused(document: dict[str, Any]) -> None:
    """A label's language tag must match in full too (``"en\\n"`` is not a tag)."""
    document["response_sets"]["likert5"]["options"][0]["label"] = {"en\n": "Never"}
    assert "schema-pattern" in [code for _, code in _codes(document)]


def test_a_pattern_message_shows_the_plain_pattern(document: dict[str, Any]) -> None:
    """The message of a ``schema-pattern`` issue shows the pattern as a reader expects it,
    ending in ``$``, not the end-of-text lookahead the meta-schema uses."""
    document["id"] = "mini\n"
    [issue] = ak.validate_scale(document)
    assert issue.message.endswith("does not match '^[A-Za-z0-9_-]+$'")
