"""Golden cases: every built-in scale scored against values worked out by hand.

Each ``tests/cases/<scale-id>.json`` holds cases of answers with either the expected value of
every score (a number, a fraction ``"a/b"`` meaning the float nearest to a/b, or an object for a
score without a value) or the expected ``(item id, code)`` of every issue, and a ``why`` with the
arithmetic. The values come from the scale's published rules, never from the code's output.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
SCALES = ROOT / "scales"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _cases() -> list[Any]:
    found = []
    for path in sorted(CASES.glob("*.json")):
        data = _load(path)
        for case in data["cases"]:
            found.append(pytest.param(data["scale"], case, id=f"{path.stem}: {case['name']}"))
    return found


def _expected_value(expected: Any) -> float:
    if isinstance(expected, str):
        return float(Fraction(expected))
    return float(expected)


def test_every_builtin_scale_has_golden_cases() -> None:
    """Each document in scales/ has a tests/cases/<id>.json whose ``scale`` is that id."""
    scale_ids = sorted(path.stem for path in SCALES.glob("*.json"))
    case_files = {path.stem: _load(path)["scale"] for path in CASES.glob("*.json")}
    assert scale_ids, "no built-in scales found"
    assert [i for i in scale_ids if case_files.get(i) != i] == []


def test_every_case_explains_its_arithmetic() -> None:
    """Every case carries a non-empty ``why`` and either ``expect`` or ``error``."""
    for param in _cases():
        _, case = param.values
        assert case.get("why"), case["name"]
        assert ("expect" in case) != ("error" in case), case["name"]


@pytest.mark.parametrize(("scale_id", "case"), _cases())
def test_golden_case(scale_id: str, case: dict[str, Any]) -> None:
    """The case scores as worked out by hand (or is rejected with exactly the listed issues)."""
    scale = ak.get_scale(scale_id)
    coerce = bool(case.get("coerce"))
    if "error" in case:
        with pytest.raises(ak.ResponseError) as caught:
            scale.score(case["answers"], coerce=coerce)
        found = sorted((issue.item_id, issue.code) for issue in caught.value.issues)
        assert found == sorted(tuple(pair) for pair in case["error"])
        return
    result = scale.score(case["answers"], coerce=coerce)
    assert list(result.scores) == [s.id for s in scale.scores]
    for score_id, expected in case["expect"].items():
        score = result.scores[score_id]
        if isinstance(expected, dict):
            assert score.value is None
            assert score.reason is not None
            for key in ("n_answered", "n_missing"):
                if key in expected:
                    assert getattr(score, key) == expected[key], key
            assert expected.get("reason", "") in score.reason
        else:
            assert type(score.value) is float
            assert score.value == _expected_value(expected)
            assert score.reason is None
            low, high = score.range
            assert low <= score.value <= high
    assert len(result.warnings) == case.get("warnings", 0)
    # One line per provisional fact the scores rest on; scoring reads no band, so no cut-off.
    assert all(w.startswith("provisional: ") for w in result.warnings)
    assert not any("band" in w or "cut-off" in w for w in result.warnings)


@pytest.mark.parametrize(("scale_id", "case"), _cases())
def test_golden_case_through_batches(scale_id: str, case: dict[str, Any]) -> None:
    """score_many and score_table give each golden case the values Scale.score gives."""
    scale = ak.get_scale(scale_id)
    coerce = bool(case.get("coerce"))
    (outcome,) = ak.score_many(scale, [case["answers"]], coerce=coerce)
    if "error" in case:
        assert isinstance(outcome, ak.RowError)
        assert outcome.index == 0
        assert sorted((i.item_id, i.code) for i in outcome.issues) == sorted(
            tuple(pair) for pair in case["error"]
        )
        return
    assert isinstance(outcome, ak.ScoreResult)
    single = scale.score(case["answers"], coerce=coerce).values()
    assert outcome.values() == single
    if coerce:
        return
    row = [case["answers"].get(item.id) for item in scale.items]
    table = scale.score_table([[math.nan if v is None else v for v in row]])
    for score_id, value in single.items():
        got = float(table[score_id][0])
        assert (math.isnan(got) and value is None) or got == value


def test_the_float_trap_is_real() -> None:
    """The cases marked ``naive_float_sum_differs`` really would go wrong with binary floats:
    adding the marks left to right does not give the decimal total the engine gives."""
    marked = [
        (param.values[0], param.values[1])
        for param in _cases()
        if param.values[1].get("naive_float_sum_differs")
    ]
    assert len(marked) >= 2
    for scale_id, case in marked:
        naive = 0.0
        for item in ak.get_scale(scale_id).items:
            naive += case["answers"][item.id]
        assert naive != _expected_value(case["expect"]["total"])
