"""score_frame: pandas, Polars and PyArrow tables scored exactly as Scale.score scores each row."""

from __future__ import annotations

import math
from typing import Any

import pytest
from frame_documents import ITEMS, TYPES, answer_sets, as_columns, clinic, reference
from frame_kinds import FrameKind

import alliancekit as ak
from alliancekit.frames import output_columns, score_frame
from alliancekit.scoring import COLUMN_CHUNK_ROWS as CHUNK_ROWS

WAI_SR = ak.get_scale("wai-sr")
CLINIC = clinic()
WAI_ITEMS = [item.id for item in WAI_SR.items]


def wai_columns(*rows: list[Any]) -> dict[str, list[Any]]:
    """WAI-SR answer rows (q1..q12 in item order) as columns."""
    return {item: [row[i] for row in rows] for i, item in enumerate(WAI_ITEMS)}


def test_hand_scored_rows(kind: FrameKind) -> None:
    """Scores worked out by hand: all 3s give task 12, total 36, mean 3; 1..5 cycling gives
    task q1+q2+q10+q12 = 1+2+5+2 = 10 and total 34; a missing item leaves every score null
    that needs it (WAI-SR has no missing-data rule)."""
    cycling = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2]
    gap = [3] * 11 + [None]
    frame = score_frame(WAI_SR, kind.make(wai_columns([3] * 12, cycling, gap)))
    assert kind.values(frame, "task") == [12.0, 10.0, None]
    assert kind.values(frame, "bond") == [12.0, 3 + 5 + 2 + 4, 12.0]
    assert kind.values(frame, "total") == [36.0, 33.0, None]
    assert kind.values(frame, "total_mean") == [3.0, 33 / 12, None]


def test_invented_scale_by_hand(kind: FrameKind) -> None:
    """q1..q5 = 1..5 with q3 reversed (3 -> 3) and q6 missing: 15 prorated to 18; mean 3;
    weighted 2·1 + 0.5·2 + 1.5·3 = 7.5; marks 2.5 + (10 - 7.5) = 5, mean 2.5 -> 25 %;
    composite 18 + 5 = 23."""
    answers = {"q1": 1, "q2": 2, "q3": 3, "q4": 4, "q5": 5, "q6": None, "m1": 2.5, "m2": 7.5}
    frame = score_frame(CLINIC, kind.make(as_columns([answers]), TYPES))
    got = {score.id: kind.values(frame, score.id) for score in CLINIC.scores}
    assert got == {
        "prorated": [18.0],
        "mean": [3.0],
        "weighted": [7.5],
        "marks": [5.0],
        "marks_percent": [25.0],
        "composite": [23.0],
    }


def test_rows_equal_scale_score(kind: FrameKind) -> None:
    """2,000 answer sets with a fifth of the cells missing score as Scale.score scores them."""
    sets = answer_sets(2000, seed=1)
    frame = score_frame(CLINIC, kind.make(as_columns(sets), TYPES))
    expected = reference(CLINIC, sets)
    assert {score_id: kind.values(frame, score_id) for score_id in expected} == expected


def test_same_kind_input_columns_first(kind: FrameKind) -> None:
    """The result is a frame of the input's kind: the input columns, then one column per score
    in the scale's order."""
    native = kind.make({"client": ["a"], **wai_columns([2] * 12), "note": ["x"]})
    frame = score_frame(WAI_SR, native)
    assert kind.is_kind(frame)
    scores = [score.id for score in WAI_SR.scores]
    assert kind.columns(frame) == ["client", *WAI_ITEMS, "note", *scores]
    assert kind.values(frame, "client") == ["a"]


def test_mapped_columns(kind: FrameKind) -> None:
    """``columns`` maps item ids to other column names; unmapped items use their id."""
    native = kind.make({"WAI_01": [5], **{i: [1] for i in WAI_ITEMS if i != "q1"}})
    frame = score_frame(WAI_SR, native, columns={"q1": "WAI_01"})
    assert kind.values(frame, "task") == [5.0 + 1 + 1 + 1]


def test_prefix(kind: FrameKind) -> None:
    """``prefix`` goes before every added column's name."""
    frame = score_frame(WAI_SR, kind.make(wai_columns([1] * 12)), prefix="wai_")
    assert kind.columns(frame)[12:] == [f"wai_{score.id}" for score in WAI_SR.scores]
    assert kind.values(frame, "wai_total") == [12.0]


def test_unknown_mapped_items_are_listed(kind: FrameKind) -> None:
    """Mapping ids that are not items fails, naming every one of them."""
    with pytest.raises(ValueError, match=r"columns maps 'q13', 'x1', not items of scale 'wai-sr'"):
        score_frame(
            WAI_SR, kind.make(wai_columns([1] * 12)), columns={"x1": "a", "q13": "b", "q1": "q1"}
        )


def test_absent_columns_are_listed(kind: FrameKind) -> None:
    """Items without their column fail, naming each item and the column looked for."""
    columns = wai_columns([1] * 12)
    del columns["q2"], columns["q7"]
    with pytest.raises(ValueError, match=r"no column for items 'q1' \(column 'W1'\), 'q2', 'q7'"):
        score_frame(WAI_SR, kind.make(columns), columns={"q1": "W1"})


def test_one_column_for_two_items(kind: FrameKind) -> None:
    """Two items read from one column is refused."""
    with pytest.raises(ValueError, match=r"read by several items: 'q2'"):
        score_frame(WAI_SR, kind.make(wai_columns([1] * 12)), columns={"q1": "q2"})


@pytest.mark.parametrize(("prefix", "taken"), [("", "total"), ("s_", "s_task")])
def test_added_column_name_taken(kind: FrameKind, prefix: str, taken: str) -> None:
    """A score column whose name the frame already has is refused, not overwritten."""
    native = kind.make({**wai_columns([1] * 12), taken: [0.0]})
    with pytest.raises(ValueError, match=f"already has column '{taken}'; choose another prefix"):
        score_frame(WAI_SR, native, prefix=prefix)


def test_prefix_avoids_a_taken_name(kind: FrameKind) -> None:
    """With a prefix, a frame that has a ``total`` column keeps it and gets ``wai_total``."""
    frame = score_frame(
        WAI_SR, kind.make({**wai_columns([1] * 12), "total": [-1.0]}), prefix="wai_"
    )
    assert kind.values(frame, "total") == [-1.0]
    assert kind.values(frame, "wai_total") == [12.0]


@pytest.mark.parametrize(
    ("dtype", "values", "code"),
    [("bool", [True], "boolean-not-allowed"), ("str", ["4"], "wrong-type")],
)
def test_column_types_are_checked(
    kind: FrameKind, dtype: str, values: list[Any], code: str
) -> None:
    """A boolean item column (True is not a Likert answer) or a text one is refused, naming the
    column, before any cell is read."""
    columns = wai_columns([1] * 12)
    columns["q5"] = values
    with pytest.raises(ak.ResponseError) as caught:
        score_frame(WAI_SR, kind.make(columns, {"q5": dtype}))
    assert [(i.item_id, i.code) for i in caught.value.issues] == [("q5", code)]
    assert "column 'q5'" in str(caught.value)


def test_bad_cells_name_row_and_column(kind: FrameKind) -> None:
    """Bad cells raise one ResponseError listing each with its row and column, and the item."""
    rows = [[1] * 12, [1] * 12, [1] * 12]
    rows[1][2] = 9  # q3
    rows[2][0] = 4.5  # q1, not an option
    with pytest.raises(ak.ResponseError) as caught:
        score_frame(WAI_SR, kind.make(wai_columns(*rows), {"q1": "float64"}), columns={"q1": "q1"})
    issues = caught.value.issues
    assert [(i.item_id, i.code) for i in issues] == [
        ("q3", "value-not-an-option"),
        ("q1", "value-not-an-option"),
    ]
    assert issues[0].message.startswith("row 1, column 'q3': ")
    assert issues[1].message.startswith("row 2, column 'q1': ")


def test_bad_cell_names_the_mapped_column(kind: FrameKind) -> None:
    """The column named is the frame's, not the item id."""
    columns = {
        ("WAI_03" if item == "q3" else item): values
        for item, values in wai_columns([1] * 12).items()
    }
    columns["WAI_03"] = [0]
    with pytest.raises(ak.ResponseError, match=r"row 0, column 'WAI_03': 'q3' must be one of"):
        score_frame(WAI_SR, kind.make(columns), columns={"q3": "WAI_03"})


@pytest.mark.parametrize("value", [math.inf, -math.inf, 0.0, 6.0, 2.5])
def test_bad_floats(kind: FrameKind, value: float) -> None:
    """Infinity, a value out of range and a non-whole float in an ordinal item are bad cells."""
    columns = wai_columns([1.0] * 12)
    columns["q4"] = [value]
    with pytest.raises(ak.ResponseError, match=r"row 0, column 'q4'"):
        score_frame(WAI_SR, kind.make(columns))


def test_whole_floats_are_their_integers(kind: FrameKind) -> None:
    """4.0 is the option 4: a float table scores as the integer one."""
    as_floats = score_frame(WAI_SR, kind.make(wai_columns([4.0] * 12)))
    as_ints = score_frame(WAI_SR, kind.make(wai_columns([4] * 12)))
    assert kind.values(as_floats, "total") == kind.values(as_ints, "total") == [48.0]


def test_null_and_nan_are_missing(kind: FrameKind) -> None:
    """A null and a NaN cell are both a missing answer (WAI-SR then has no total)."""
    columns = wai_columns([2.0] * 12, [2.0] * 12)
    columns["q1"] = [None, math.nan]
    frame = score_frame(WAI_SR, kind.make(columns, {"q1": "float64"}))
    assert kind.values(frame, "total") == [None, None]
    assert kind.values(frame, "bond") == [8.0, 8.0]


def test_on_error_null(kind: FrameKind) -> None:
    """With ``on_error="null"`` a bad row gets null scores and its problems in ``error``; the
    good rows are scored and their ``error`` is null."""
    rows = [[1] * 12, [1] * 12]
    rows[1][2] = 9
    rows[1][3] = 0
    frame = score_frame(WAI_SR, kind.make(wai_columns(*rows)), on_error="null", prefix="w_")
    assert kind.values(frame, "w_total") == [12.0, None]
    assert kind.values(frame, "w_error") == [
        None,
        "row 1, column 'q3': 'q3' must be one of (1, 2, 3, 4, 5) (got 9); "
        "row 1, column 'q4': 'q4' must be one of (1, 2, 3, 4, 5) (got 0)",
    ]


def test_unknown_on_error(kind: FrameKind) -> None:
    """``on_error`` is ``"raise"`` or ``"null"``."""
    with pytest.raises(ValueError, match="on_error must be 'raise' or 'null'"):
        score_frame(WAI_SR, kind.make(wai_columns([1] * 12)), on_error="skip")  # type: ignore[arg-type]


def test_empty_frame(kind: FrameKind) -> None:
    """A frame without rows gets its score columns, empty."""
    native = kind.make({item: [] for item in WAI_ITEMS}, dict.fromkeys(WAI_ITEMS, "int64"))
    frame = score_frame(WAI_SR, native, details=True, on_error="null")
    assert kind.columns(frame) == WAI_ITEMS + output_columns(WAI_SR, details=True, on_error="null")
    assert kind.values(frame, "total") == []


def test_details_equal_scale_score(kind: FrameKind) -> None:
    """``details`` adds each score's n_answered and reason, as Scale.score gives them."""
    sets = answer_sets(500, seed=2, missing=0.35)
    frame = score_frame(CLINIC, kind.make(as_columns(sets), TYPES), details=True)
    results = [CLINIC.score(answers, notify=False) for answers in sets]
    for score in CLINIC.scores:
        expected_counts = [r.scores[score.id].n_answered for r in results]
        expected_reasons = [r.scores[score.id].reason for r in results]
        assert kind.values(frame, f"{score.id}_n_answered") == expected_counts, score.id
        assert kind.values(frame, f"{score.id}_reason") == expected_reasons, score.id
    assert any(r.scores["composite"].reason for r in results)  # component scores are covered


def test_details_of_bad_rows_are_null(kind: FrameKind) -> None:
    """With details and ``on_error="null"``, a bad row's counts and reasons are null."""
    rows = [[1] * 11 + [None], [1] * 12]
    rows[1][0] = 7
    frame = score_frame(WAI_SR, kind.make(wai_columns(*rows)), details=True, on_error="null")
    assert kind.values(frame, "total_n_answered") == [11, None]
    assert kind.values(frame, "task_reason")[1] is None
    assert (
        kind.values(frame, "task_reason")[0]
        == WAI_SR.score(dict.fromkeys(WAI_ITEMS[:11], 1)).scores["task"].reason
    )


def test_rows_past_a_chunk(kind: FrameKind) -> None:
    """A bad cell far down a long frame is reported at its own row (rows are read in chunks)."""
    n = CHUNK_ROWS + 5
    columns = {item: [3] * n for item in WAI_ITEMS}
    columns["q9"][n - 3] = 8
    with pytest.raises(ak.ResponseError, match=rf"row {n - 3}, column 'q9'"):
        score_frame(WAI_SR, kind.make(columns))


def test_not_a_frame() -> None:
    """Something that is not a data frame is a TypeError."""
    with pytest.raises(TypeError):
        score_frame(WAI_SR, [[1] * 12])


def test_listed_cells_are_capped(kind: FrameKind) -> None:
    """Like Scale.score_table, a ResponseError lists at most 1,000 bad cells, then says how many
    more rows were bad."""
    columns = {item: [1] * 1500 for item in WAI_ITEMS}
    columns["q1"] = [6] * 1500
    with pytest.raises(ak.ResponseError) as caught:
        score_frame(WAI_SR, kind.make(columns))
    issues = caught.value.issues
    assert len(issues) == 1001
    assert (issues[-1].code, issues[-1].message) == (
        "more-problems",
        "500 more bad rows not listed",
    )


def test_pandas_index_is_kept() -> None:
    """A pandas frame keeps its index, and each row its own scores."""
    kind = FrameKind("pandas")
    native = kind.make(wai_columns([1] * 12, [2] * 12)).set_axis([70, 3])
    frame = score_frame(WAI_SR, native)
    assert frame.index.tolist() == [70, 3]
    assert frame.loc[3, "total"] == 24.0


def test_pandas_nullable_integers() -> None:
    """pandas' nullable Int64 columns read ``<NA>`` as missing."""
    pd = FrameKind("pandas").module
    native = pd.DataFrame(wai_columns([5] * 12, [5] * 11 + [None])).astype("Int64")
    frame = score_frame(WAI_SR, native)
    assert frame["total"].tolist()[0] == 60.0
    assert math.isnan(frame["total"].tolist()[1])


def test_all_items_are_read() -> None:
    """Every item of the invented scale has a column in as_columns (the tests read them all)."""
    assert [item.id for item in CLINIC.items] == ITEMS


@pytest.mark.parametrize("name", ["polars", "arrow"])
def test_chunked_and_sliced_frames(name: str) -> None:
    """A frame of several chunks, sliced off its start (nulls at an offset), scores each row as
    Scale.score does."""
    kind = FrameKind(name)
    sets = answer_sets(900, seed=4)
    parts = [kind.make(as_columns(sets[i : i + 300]), TYPES) for i in (0, 300, 600)]
    if name == "polars":
        native = kind.module.concat(parts, rechunk=False).slice(150, 600)
    else:
        native = kind.module.concat_tables(parts).slice(150, 600)
    frame = score_frame(CLINIC, native)
    expected = reference(CLINIC, sets[150:750])
    assert {score_id: kind.values(frame, score_id) for score_id in expected} == expected
