"""Invariants of the engine, searched with Hypothesis over every built-in scale and the invented
ones (weights, transforms, prorating, scores of scores, negative options, reversed marks)."""

from __future__ import annotations

import copy
import math
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scoring_documents import all_scales
from scoring_strategies import answers, bad_value, valid_value

import alliancekit as ak
from alliancekit.document import Scale
from alliancekit.files import Chunk, ChunkScorer
from alliancekit.scoring import exact, score_columns
from alliancekit.scoring._tables import score_rows

SCALES = all_scales()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def scale_ids() -> list[Any]:
    """One parameter per scale, named by its id."""
    return [pytest.param(scale, id=scale.id) for scale in SCALES]


def _direction(scale: Scale, score_id: str) -> int | None:
    """+1 if the score never decreases when a keyed item value rises, -1 if it never increases,
    None when neither holds (negative weights)."""
    definition = scale.score_definition(score_id)
    if definition.weights is not None and min(definition.weights.values()) < 0:
        return None
    sign = 1
    if definition.transform is not None and definition.transform.to[0] > definition.transform.to[1]:
        sign = -1
    for component in definition.scores:
        inner = _direction(scale, component)
        if inner is None:
            return None
        sign *= inner
    return sign


@pytest.mark.parametrize("scale", scale_ids())
@SETTINGS
@given(data=st.data())
def test_every_score_within_its_range(scale: Scale, data: st.DataObject) -> None:
    """Every value (prorated, rounded, transformed or not) lies in its score's derived range."""
    result = scale.score(data.draw(answers(scale)))
    for score in result.scores.values():
        if score.value is not None:
            low, high = score.range
            assert low <= score.value <= high, score


@pytest.mark.parametrize(
    "scale", [s for s in SCALES if any(i.reverse for i in s.items)], ids=lambda s: s.id
)
@SETTINGS
@given(data=st.data())
def test_reverse_keying_is_an_involution(scale: Scale, data: st.DataObject) -> None:
    """Flipping an item's ``reverse`` flag and answering min + max - x instead of x leaves every
    score unchanged: reversing twice is doing nothing."""
    given_answers = data.draw(answers(scale))
    document = copy.deepcopy(scale.to_dict())
    mirrored = dict(given_answers)
    for spec, item in zip(document["items"], scale.items, strict=True):
        if item.reverse:
            spec["reverse"] = False
            value = given_answers.get(item.id)
            if value is not None:
                rs = item.response_set
                assert rs.min is not None and rs.max is not None
                ends = exact(rs.min) + exact(rs.max)  # decimal arithmetic, as the engine's
                once = ends - exact(value)
                assert ends - once == exact(value)  # keying twice gives the answer back
                mirrored[item.id] = int(once) if rs.kind == "ordinal" else float(once)
    document["id"] = document["id"] + "-mirrored"
    plain = ak.load_scale(document)
    assert plain.score(mirrored).values() == scale.score(given_answers).values()


@pytest.mark.parametrize("scale", scale_ids())
@SETTINGS
@given(data=st.data())
def test_raising_an_answer_moves_scores_one_way(scale: Scale, data: st.DataObject) -> None:
    """Raising a positively keyed answer never lowers a score that grows with its items (and a
    reversed one never raises it); scores with a falling transform move the other way."""
    before_answers = data.draw(answers(scale, missing=True))
    answered = [
        item
        for item in scale.items
        if before_answers.get(item.id) is not None
        and before_answers[item.id] < item.response_set.max  # type: ignore[operator]
    ]
    if not answered:
        return
    item = data.draw(st.sampled_from(answered))
    old = before_answers[item.id]
    higher = data.draw(valid_value(item.response_set).filter(lambda v: v > old))
    after = scale.score({**before_answers, item.id: higher}).values()
    before = scale.score(before_answers).values()
    for score_id, value in before.items():
        direction = _direction(scale, score_id)
        if direction is None or value is None:
            continue
        change = (after[score_id] - value) * direction * (-1 if item.reverse else 1)  # type: ignore[operator]
        assert change >= 0, (score_id, item.id, old, higher, value, after[score_id])


@pytest.mark.parametrize("scale", scale_ids())
@SETTINGS
@given(data=st.data())
def test_every_path_gives_single_scores(scale: Scale, data: st.DataObject) -> None:
    """Every way of scoring many rows gives each row exactly the values Scale.score gives, down
    to the last bit (and no negative zero): score_many, score_table (the NumPy kernel), the
    pure-Python table path, the file stream with either engine, and the column kernel of the
    data-frame bridges."""
    rows = data.draw(st.lists(answers(scale), min_size=1, max_size=8))
    singles = [scale.score(row).values() for row in rows]
    many = [r.values() for r in ak.score_many(scale, rows)]  # type: ignore[union-attr]
    assert many == singles
    cells = [[row.get(item.id) for item in scale.items] for row in rows]
    array = np.array([[math.nan if c is None else c for c in r] for r in cells])
    table = scale.score_table(array)
    pure = score_rows(scale.plan, cells)
    columns = score_columns(
        scale.plan, [(array[:, j], None) for j in range(len(cells[0]))], details=False
    )
    item_ids = [item.id for item in scale.items]
    chunk = Chunk(
        start=1, size=len(rows), columns={i: [r.get(i) for r in rows] for i in item_ids}, text=False
    )
    streams = [
        ChunkScorer(scale, {i: i for i in item_ids}, engine).score(chunk).values
        for engine in ("numpy", "python")
    ]
    score_ids = [score.id for score in scale.scores]
    for index, single in enumerate(singles):
        for score_id, value in single.items():
            position = score_ids.index(score_id)
            paths = [float(table[score_id][index]), pure[score_id][index]]
            paths += [float(columns.values[score_id][index])]
            paths += [float(stream[position][index]) for stream in streams]
            for got in paths:
                if value is None:
                    assert math.isnan(got)
                else:
                    assert repr(got) == repr(value), (score_id, got, value)


@pytest.mark.parametrize("scale", scale_ids())
@SETTINGS
@given(data=st.data())
def test_one_bad_value_among_many_is_reported(scale: Scale, data: st.DataObject) -> None:
    """One bad answer among valid ones gives exactly one issue, on that item, with its code."""
    good = data.draw(answers(scale, missing=False))
    item = data.draw(st.sampled_from(scale.items))
    value, code = data.draw(bad_value(item.response_set))
    with pytest.raises(ak.ResponseError) as caught:
        scale.score({**good, item.id: value})
    assert [(i.item_id, i.code) for i in caught.value.issues] == [(item.id, code)]


@pytest.mark.parametrize("scale", scale_ids())
@SETTINGS
@given(data=st.data())
def test_one_bad_cell_among_many_is_reported_in_tables(scale: Scale, data: st.DataObject) -> None:
    """One bad number in a table is one issue located at its row and column."""
    rows = data.draw(st.lists(answers(scale, missing=False), min_size=1, max_size=5))
    table = np.array([[row[item.id] for item in scale.items] for row in rows], dtype=float)
    row = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.integers(0, len(scale.items) - 1))
    rs = scale.items[column].response_set
    bad = data.draw(
        st.sampled_from([math.inf, -math.inf])
        | (
            st.floats(min_value=rs.max, exclude_min=True, allow_infinity=False)  # type: ignore[arg-type]
            if rs.kind == "continuous"
            else st.integers(-50, 50).filter(lambda v: v not in rs.values).map(float)
        )
    )
    table[row, column] = bad
    with pytest.raises(ak.ResponseError) as caught:
        scale.score_table(table)
    (issue,) = caught.value.issues
    assert issue.item_id == scale.items[column].id
    assert issue.message.startswith(f"table[{row}, {column}]:")


@pytest.mark.parametrize(
    "scale", [s for s in SCALES if s.items[0].response_set.kind == "ordinal"], ids=lambda s: s.id
)
@SETTINGS
@given(data=st.data())
def test_fast_path_equals_general_path(scale: Scale, data: st.DataObject) -> None:
    """A complete dict of int options (the fast path, with its reused Scores) scores exactly as
    the same answers through the general path (a read-only mapping)."""
    given_answers = data.draw(answers(scale, missing=False))
    assert scale.score(given_answers) == scale.score(MappingProxyType(given_answers))
