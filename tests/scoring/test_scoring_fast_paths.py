"""The fast paths of the engine give exactly what its general path gives: one response with or
without missing answers, integer tables, tables with missing answers in blocks, and tables
scored from several threads at once (each thread has its own work arrays)."""

from __future__ import annotations

import random
import threading
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from scoring_documents import all_scales, invented
from scoring_strategies import answers

import alliancekit as ak
from alliancekit.document import Scale
from alliancekit.scoring._tables import score_rows
from alliancekit.scoring._vector._kernel import BLOCK_ROWS

SCALES = all_scales()
ORDINAL = [s for s in SCALES if all(i.response_set.kind == "ordinal" for i in s.items)]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _general(scale: Scale, given_answers: Any) -> ak.ScoreResult:
    """The reference: checked answers scored by the general path (no fast path)."""
    return scale.plan.score_general(scale.plan.validate(given_answers))


@pytest.mark.parametrize("scale", SCALES, ids=lambda s: s.id)
@SETTINGS
@given(data=st.data())
def test_one_response_equals_the_general_path(scale: Scale, data: st.DataObject) -> None:
    """Scale.score, given answers in item order, in another order or as a read-only mapping,
    with answers missing or not, gives exactly the general path's result (every field of every
    Score, and the answers)."""
    given_answers = data.draw(answers(scale))
    expected = _general(scale, given_answers)
    shuffled = dict(reversed(list(given_answers.items())))
    for variant in (given_answers, shuffled, MappingProxyType(given_answers)):
        for _ in range(2):  # the second time from the remembered Scores
            assert scale.score(variant) == expected


@pytest.mark.parametrize("scale", ORDINAL, ids=lambda s: s.id)
@SETTINGS
@given(data=st.data(), dtype=st.sampled_from([np.int8, np.int16, np.int64, np.uint8]))
def test_integer_tables_equal_float_tables(scale: Scale, data: st.DataObject, dtype: Any) -> None:
    """An integer table scores exactly as the same table in float64 (no NaN can be missing in
    it), and a bad cell is reported the same way, at the same place."""
    rows = data.draw(st.lists(answers(scale, missing=False), min_size=1, max_size=6))
    floats = np.array([[row[item.id] for item in scale.items] for row in rows], dtype=float)
    info = np.iinfo(dtype)
    if floats.min() < info.min:
        return
    integers = floats.astype(dtype)
    expected = scale.score_table(floats)
    got = scale.score_table(integers)
    for score_id, column in expected.items():
        assert got[score_id].dtype == np.float64
        assert [repr(v) for v in got[score_id].tolist()] == [repr(v) for v in column.tolist()]
    bad = data.draw(st.integers(max(info.min, -100), min(info.max, 100)))
    if bad in scale.items[0].response_set.values:
        return
    integers[0, 0], floats[0, 0] = bad, bad
    errors = []
    for table in (floats, integers):
        with pytest.raises(ak.ResponseError) as caught:
            scale.score_table(table)
        errors.append([(i.item_id, i.code, i.message) for i in caught.value.issues])
    assert errors[0] == errors[1]


@pytest.mark.parametrize(
    "scale_id", ["prorated", "centred", "weighted", "composite", "subscales", "wai-sr"]
)
def test_blocks_with_missing_answers_equal_rows(scale_id: str) -> None:
    """A table of several blocks, with missing answers in every block, blocks without any, and
    rows where too few answers are given, scores exactly as the pure-Python rows do."""
    scale = ak.get_scale(scale_id) if scale_id == "wai-sr" else invented(scale_id)
    options = sorted(scale.items[0].response_set.values)
    rng = np.random.default_rng(11)
    rows = rng.choice(options, size=(2 * BLOCK_ROWS + 77, len(scale.items))).astype(float)
    holes = rng.random(rows.shape) < 0.2
    holes[BLOCK_ROWS : 2 * BLOCK_ROWS] = False  # a complete block between two with holes
    rows[holes] = np.nan
    table = scale.score_table(rows)
    pure = score_rows(scale.plan, rows.tolist())
    for score_id, column in table.items():
        assert [repr(v) for v in column.tolist()] == [repr(v) for v in pure[score_id]], score_id


def test_threads_keep_their_own_work_arrays() -> None:
    """Tables scored by several threads at once (the kernel's work arrays are per thread) get
    the values each gets alone."""
    scale = invented("prorated")
    options = sorted(scale.items[0].response_set.values)
    rng = np.random.default_rng(5)
    tables = []
    for _ in range(4):
        rows = rng.choice(options, size=(3 * BLOCK_ROWS, len(scale.items))).astype(float)
        rows[rng.random(rows.shape) < 0.1] = np.nan
        tables.append(rows)
    expected = [scale.score_table(t) for t in tables]
    failures: list[str] = []

    def work(index: int) -> None:
        for _ in range(5):
            got = scale.score_table(tables[index])
            for score_id, column in expected[index].items():
                if not np.array_equal(got[score_id], column, equal_nan=True):
                    failures.append(f"table {index}, score {score_id}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_remembered_scores_of_missing_answers_stay_right() -> None:
    """Many different responses with missing answers, scored one after another (so most
    Scores come from memory), each equal the general path's result."""
    scale = invented("prorated")
    options = sorted(scale.items[0].response_set.values)
    chooser = random.Random(3)
    for _ in range(300):
        given_answers: dict[str, Any] = {
            item.id: chooser.choice([*options, None]) for item in scale.items
        }
        assert scale.score(given_answers) == _general(scale, given_answers)


def test_an_item_in_no_score_takes_the_fast_path() -> None:
    """An item that no score uses (a filler item) is still checked, and scoring answers with it
    present or missing gives what the general path gives (the packed key once lacked its
    options and raised KeyError)."""
    document = ak.get_scale("wai-sr").to_dict()
    document["id"] = "with-filler"
    document["items"].append(
        {"id": "q13", "number": 13, "response_set": "freq5", "construct": "filler"}
    )
    # "all" would now include q13: keep only the subscales, which list their items
    document["scores"] = [s for s in document["scores"] if s["items"] != "all"]
    document.pop("interpretation", None)
    scale = ak.load_scale(document)
    full = {f"q{n}": 3 for n in range(1, 14)}
    for case in (full, {**full, "q13": None}, {**full, "q1": None}):
        values = [case.get(item.id) for item in scale.items]
        assert scale.score(case, notify=False).values() == scale.plan.score_general(values).values()
    with pytest.raises(ak.ResponseError):
        scale.score({**full, "q13": 9}, notify=False)
