"""Arbitrary and hostile input to the loader gives ScaleDefinitionError, never another exception."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import alliancekit as ak
from alliancekit.builtins._scales import builtin_scale_paths

BUILTIN_DOCS = [json.loads(p.read_text("utf-8")) for p in builtin_scale_paths()]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)


def _assert_only_definition_errors(document: Any) -> None:
    try:
        ak.load_scale(document)
    except ak.ScaleDefinitionError as error:
        assert error.errors
        assert all(issue.json_path.startswith("$") and issue.code for issue in error.errors)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_json_values_raise_only_definition_errors(value: Any) -> None:
    """Any JSON value given as a document (a string is taken as a path) is valid or raises a
    ScaleDefinitionError with issues."""
    _assert_only_definition_errors(value)


@st.composite
def mutated_builtin(draw: st.DrawFn) -> dict[str, Any]:
    """A built-in document with a few values replaced at random places."""
    doc = copy.deepcopy(draw(st.sampled_from(BUILTIN_DOCS)))
    for _ in range(draw(st.integers(1, 3))):
        target: Any = doc
        for _ in range(draw(st.integers(0, 4))):
            if isinstance(target, dict) and target:
                key = draw(st.sampled_from(sorted(target)))
                if not isinstance(target[key], (dict, list)):
                    break
                target = target[key]
            elif isinstance(target, list) and target:
                index = draw(st.integers(0, len(target) - 1))
                if not isinstance(target[index], (dict, list)):
                    break
                target = target[index]
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            if draw(st.booleans()):
                target[key] = draw(json_values)
            else:
                del target[key]
        elif isinstance(target, list) and target:
            target[draw(st.integers(0, len(target) - 1))] = draw(json_values)
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_builtin())
def test_mutated_builtin_documents_raise_only_definition_errors(doc: dict[str, Any]) -> None:
    """Randomly damaged built-in documents load or fail with ScaleDefinitionError only."""
    _assert_only_definition_errors(doc)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(BUILTIN_DOCS))
def test_load_dump_round_trip(doc: dict[str, Any]) -> None:
    """load(doc).to_dict() == doc, and loading that again gives an equal scale."""
    scale = ak.load_scale(doc)
    assert scale.to_dict() == doc
    assert ak.load_scale(scale.to_dict()) == scale


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * 100_000 + "]" * 100_000, "document-too-deep"),
        ('{"a":' * 40 + "1" + "}" * 40, "document-too-deep"),
        ('{"id": 1e999}', "number-too-large"),
        ('{"id": NaN}', "invalid-json"),
        ('{"id": Infinity}', "invalid-json"),
        ('{"id": ' + "9" * 5000 + "}", "number-too-large"),
        ('{"id": 12345678901234567890}', "number-too-large"),
        ("{not json", "invalid-json"),
        ("", "invalid-json"),
    ],
    ids=[
        "deep-array",
        "deep-object",
        "float-overflow",
        "nan",
        "infinity",
        "huge-int",
        "big-int",
        "syntax",
        "empty",
    ],
)
def test_hostile_json_text_is_refused(tmp_path: Path, text: str, code: str) -> None:
    """Deep nesting, non-finite and oversized numbers are refused with a clear code."""
    path = tmp_path / "hostile.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(path)
    assert code in {issue.code for issue in caught.value.errors}


def test_ten_megabyte_string_in_a_file_is_refused(tmp_path: Path) -> None:
    """A 10 MB file is refused by size before it is parsed."""
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"title": "x" * 10_000_000}), "utf-8")
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(path)
    assert [i.code for i in caught.value.errors] == ["document-too-large"]


def test_ten_megabyte_string_in_a_mapping_is_refused(document: dict[str, Any]) -> None:
    """A 10 MB string inside a mapping is refused with its path, and the message stays short."""
    document["scores"][0]["parameters"] = {"blob": "x" * 10_000_000}
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(document)
    assert [(i.json_path, i.code) for i in caught.value.errors] == [
        ("$.scores[0].parameters.blob", "string-too-long")
    ]
    assert len(str(caught.value)) < 1000


def test_long_title_message_is_truncated(document: dict[str, Any]) -> None:
    """A schema message that would echo a long value is cut short."""
    document["title"] = "y" * 50_000
    issues = ak.validate_scale(document)
    assert [(i.json_path, i.code) for i in issues] == [("$.title", "schema-max-length")]
    assert len(issues[0].message) <= 300


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), object(), b"bytes", {1: "non-string key"}]
)
def test_non_json_values_in_a_mapping_are_refused(document: dict[str, Any], value: Any) -> None:
    """NaN, infinity and Python objects that JSON cannot hold are refused."""
    document["description"] = value
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(document)
    assert {i.code for i in caught.value.errors} & {"not-finite", "not-json"}


@pytest.mark.parametrize("bad", [b"\xff\xfe{}", b'{"id": "\xc3"}'])
def test_bytes_that_are_not_utf8_are_refused(tmp_path: Path, bad: bytes) -> None:
    """A file that is not UTF-8 gives a not-utf-8 issue."""
    path = tmp_path / "latin.json"
    path.write_bytes(bad)
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(path)
    assert [i.code for i in caught.value.errors] == ["not-utf-8"]


def test_missing_file_is_a_definition_error(tmp_path: Path) -> None:
    """A path that does not exist is reported as unreadable-file."""
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(tmp_path / "absent.json")
    assert [i.code for i in caught.value.errors] == ["unreadable-file"]


def test_wrong_source_type_is_a_definition_error() -> None:
    """Something that is neither a path nor a mapping is refused clearly."""
    with pytest.raises(ak.ScaleDefinitionError) as caught:
        ak.load_scale(42)  # type: ignore[arg-type]
    assert [i.code for i in caught.value.errors] == ["not-a-document"]
