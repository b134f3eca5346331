"""Scale.score_table: whole tables at once, with NumPy and without, exactly as Scale.score."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
import pytest
from scoring_documents import invented

import alliancekit as ak
from alliancekit.scoring._tables import MAX_LISTED_ISSUES, score_rows

WAI_SR = ak.get_scale("wai-sr")
SRS = ak.get_scale("srs")


def _single(scale: ak.Scale, row: list[Any]) -> list[float | None]:
    answers = {
        item.id: None if v is None or (isinstance(v, float) and math.isnan(v)) else v
        for item, v in zip(scale.items, row, strict=True)
    }
    if scale.items[0].response_set.kind == "ordinal":
        answers = {k: v if v is None else int(v) for k, v in answers.items()}
    return list(scale.score(answers).values().values())


def _same(got: float, expected: float | None) -> bool:
    return math.isnan(got) if expected is None else got == expected


def test_table_scores_equal_single_scores() -> None:
    """Each row of a table scores as Scale.score scores it; NaN where a rule fails."""
    rows = [
        [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2],
        [5] * 12,
        [3, 3, math.nan, 3, 3, 3, 3, 3, 3, 3, 3, 3],
        [math.nan] * 12,
    ]
    table = WAI_SR.score_table(np.array(rows))
    assert list(table) == ["task", "goal", "bond", "total", "total_mean"]
    for index, row in enumerate(rows):
        expected = _single(WAI_SR, row)
        got = [float(column[index]) for column in table.values()]
        assert all(_same(g, e) for g, e in zip(got, expected, strict=True)), index


def test_marks_are_exact_in_tables() -> None:
    """8.6 + 9.7 + 9.9 + 7.8 is 360 tenths: 36.0 in a table too, not 35.99999999999999."""
    total = SRS.score_table(np.array([[8.6, 9.7, 9.9, 7.8], [8.7, 9.1, 9.5, 8.7]]))["total"]
    assert total.tolist() == [36.0, 36.0]


def test_results_are_float64_arrays() -> None:
    """Each score is a 1-D float64 array with one value per row."""
    table = WAI_SR.score_table(np.full((7, 12), 2))
    assert all(v.dtype == np.float64 and v.shape == (7,) for v in table.values())
    assert table["total"].tolist() == [24.0] * 7  # 12 x 2


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8, np.float32, np.float64])
def test_numeric_dtypes(dtype: type) -> None:
    """Integer and float tables score alike (all 4: task 16, total 48, mean 4)."""
    table = WAI_SR.score_table(np.full((2, 12), 4, dtype=dtype))
    assert table["task"].tolist() == [16.0, 16.0]
    assert table["total_mean"].tolist() == [4.0, 4.0]


def test_lists_are_tables() -> None:
    """A list of rows is read as a table."""
    assert SRS.score_table([[1, 2, 3, 4]])["total"].tolist() == [10.0]


def test_empty_table() -> None:
    """A table without rows gives empty arrays."""
    table = WAI_SR.score_table(np.empty((0, 12)))
    assert all(v.shape == (0,) for v in table.values())


@pytest.mark.parametrize(
    ("table", "code"),
    [
        (np.ones((2, 12), dtype=bool), "boolean-not-allowed"),
        (np.array([["1"] * 12]), "wrong-type"),
        (np.array([[1] * 12], dtype=object), "wrong-type"),
        (np.ones((2, 11)), "wrong-shape"),
        (np.ones(12), "wrong-shape"),
        (np.ones((2, 12, 1)), "wrong-shape"),
    ],
)
def test_table_shape_and_type(table: Any, code: str) -> None:
    """A boolean, non-numeric or misshapen table is one issue about the table."""
    with pytest.raises(ak.ResponseError) as caught:
        WAI_SR.score_table(table)
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("*", code)]


def test_bad_cells_are_listed_by_row_and_column() -> None:
    """Every bad cell is an issue of its item, located as table[row, column]."""
    rows = np.full((5, 12), 3.0)
    rows[1, 4] = 7
    rows[3, 0] = 2.5
    rows[3, 11] = np.inf
    with pytest.raises(ak.ResponseError) as caught:
        WAI_SR.score_table(rows)
    found = [(i.item_id, i.code, i.message.split(":")[0]) for i in caught.value.issues]
    assert found == [
        ("q5", "value-not-an-option", "table[1, 4]"),
        ("q1", "value-not-an-option", "table[3, 0]"),
        ("q12", "not-finite", "table[3, 11]"),
    ]


def test_marks_out_of_range_in_tables() -> None:
    """A mark off the 0-10 line is out of range in a table too."""
    with pytest.raises(ak.ResponseError) as caught:
        SRS.score_table(np.array([[5, 5, 5, 5], [5, -0.5, 5, 10.5]]))
    assert [(i.item_id, i.code) for i in caught.value.issues] == [
        ("q2", "out-of-range"),
        ("q4", "out-of-range"),
    ]


def test_too_many_bad_cells_are_counted_not_listed() -> None:
    """Past MAX_LISTED_ISSUES issues, the remaining bad rows are counted in one issue."""
    rows = np.full((MAX_LISTED_ISSUES + 10, 12), 9.0)  # 12 bad cells per row
    with pytest.raises(ak.ResponseError) as caught:
        WAI_SR.score_table(rows)
    issues = caught.value.issues
    listed_rows = math.ceil(MAX_LISTED_ISSUES / 12)
    assert len(issues) == listed_rows * 12 + 1
    assert issues[-1].code == "more-problems"
    assert issues[-1].message.startswith(f"{MAX_LISTED_ISSUES + 10 - listed_rows} more bad rows")


@pytest.mark.parametrize(
    "scale_id", ["prorated", "centred", "weighted", "transformed", "composite"]
)
def test_every_rule_vectorised(scale_id: str) -> None:
    """Prorating, rounding, weights, transforms and scores of scores give in a table exactly
    the single-response values, for every combination of two option values and a gap."""
    scale = invented(scale_id)
    options = sorted(scale.items[0].response_set.values)
    rng = np.random.default_rng(7)
    rows = rng.choice(options, size=(400, len(scale.items))).astype(float)
    rows[rng.random(rows.shape) < 0.25] = np.nan
    table = scale.score_table(rows)
    for index, row in enumerate(rows.tolist()):
        expected = _single(scale, row)
        got = [float(column[index]) for column in table.values()]
        assert all(_same(g, e) for g, e in zip(got, expected, strict=True)), (index, row)


def test_marks_with_many_decimals_take_the_exact_path() -> None:
    """A mark with more decimals than the kernel holds exactly is scored row by row: the same
    value as Scale.score."""
    marks = [8.123456789012, 9.5, 0.1, 7.7]
    expected = SRS.score(dict(zip(["q1", "q2", "q3", "q4"], marks, strict=True))).values()
    assert SRS.score_table(np.array([marks, [1, 1, 1, 1]]))["total"].tolist() == [
        expected["total"],
        4.0,
    ]


class _Biggest:
    """A plugin registering the scoring method ``biggest`` (the largest answered value)."""

    @ak.hookimpl
    def alliancekit_register_scoring_methods(self, register: Any) -> None:
        """Register ``biggest``."""
        register("biggest", lambda values, score: max(v for v in values if v is not None))


def test_plugin_methods_take_the_exact_path() -> None:
    """A scale with a plugin method is scored row by row, by the engine that calls the plugin."""
    from alliancekit.plugins._registry import get_plugin_manager

    document = {
        "$schema": "urn:alliancekit:schema:scale:1",
        "id": "plugin-method",
        "version": "1.0.0",
        "title": "Invented",
        "citations": [{"text": "Invented."}],
        "license": {"holder": "nobody", "terms": "test", "item_text": "not-included"},
        "verification": {"status": "verified", "sources": [], "open_questions": []},
        "response_sets": {
            "l5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]}
        },
        "items": [{"id": f"q{n}", "number": n, "response_set": "l5"} for n in (1, 2, 3)],
        "scores": [{"id": "top", "items": "all", "method": "biggest"}],
    }
    manager = get_plugin_manager()
    plugin = _Biggest()
    manager.register(plugin, name="test-biggest")
    try:
        scale = ak.load_scale(document)
        table = scale.score_table(np.array([[1, 4, 2], [5, 1, 1]]))
    finally:
        manager.unregister(plugin)
    assert table["top"].tolist() == [4.0, 5.0]  # the biggest answer of each row


def test_without_numpy_rows_give_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without NumPy, score_table takes rows of numbers (None or NaN missing) and gives lists of
    floats, NaN where a rule fails."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    table = WAI_SR.score_table([[3] * 12, [3] * 11 + [None], [2.0] * 11 + [math.nan]])
    assert table["goal"] == [12.0, 12.0, 8.0]  # 4 x 3, 4 x 3, 4 x 2 (q12 is a task item)
    assert table["task"][:1] == [12.0]
    assert all(math.isnan(v) for v in table["task"][1:])


def test_pure_rows_report_bad_cells_and_shapes() -> None:
    """The pure-Python path reports bad cells as table[row, column] and bad rows by index."""
    with pytest.raises(ak.ResponseError) as caught:
        score_rows(SRS.plan, [[1, 2, 3, "4"], [1, 2, 3], "1234", [True, 1, 1, 1]])
    assert [(i.item_id, i.code, i.message.split(":")[0]) for i in caught.value.issues] == [
        ("q4", "wrong-type", "table[0, 3]"),
        ("*", "wrong-shape", "table[1]"),
        ("*", "wrong-shape", "table[2]"),
        ("q1", "boolean-not-allowed", "table[3, 0]"),
    ]
