"""score_many: a stream of answer mappings, scored one by one, bad rows reported in place."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

import alliancekit as ak
import alliancekit.plugins._registry

SRS = ak.get_scale("srs")


def test_results_and_errors_keep_their_places() -> None:
    """Good rows give results, bad rows RowErrors with their 0-based index, in input order."""
    rows = [
        {"q1": 1, "q2": 2, "q3": 3, "q4": 4},
        {"q1": 11, "q2": 2, "q3": 3, "q4": 4},
        {"q1": 10, "q2": 10, "q3": 10, "q4": 10},
        "not a mapping",
    ]
    out = list(ak.score_many(SRS, rows))  # type: ignore[arg-type]
    assert [type(o).__name__ for o in out] == ["ScoreResult", "RowError", "ScoreResult", "RowError"]
    assert out[0].values() == {"total": 10.0}  # type: ignore[union-attr]
    assert out[2].values() == {"total": 40.0}  # type: ignore[union-attr]
    assert (out[1].index, out[3].index) == (1, 3)  # type: ignore[union-attr]
    assert [(i.item_id, i.code) for i in out[1].issues] == [("q1", "out-of-range")]  # type: ignore[union-attr]
    assert [i.code for i in out[3].issues] == ["not-a-mapping"]  # type: ignore[union-attr]


def test_row_error_text_and_exception() -> None:
    """A RowError reads 'row N: issues', N counting from 1 as ``alliancekit score`` numbers
    rows (``index`` still counts from 0), and carries the ResponseError a caller can raise."""
    (error,) = ak.score_many(SRS, [{"q1": True}])
    assert isinstance(error, ak.RowError)
    assert (error.index, error.row) == (0, 1)
    assert (
        str(error) == "row 1: q1: [boolean-not-allowed] 'q1' must be a number, not a boolean (True)"
    )
    assert isinstance(error.error, ak.ResponseError)


def test_coerce_reads_text_rows() -> None:
    """With coerce, rows of text (as from a CSV reader) are read like Scale.score reads them."""
    (result,) = ak.score_many(
        SRS, [{"q1": "8.6", "q2": "9.7", "q3": "9.9", "q4": "7.8"}], coerce=True
    )
    assert isinstance(result, ak.ScoreResult)
    assert result.values() == {"total": 36.0}  # 86 + 97 + 99 + 78 = 360 tenths


def test_it_is_lazy() -> None:
    """Rows are read one at a time: an endless stream can be consumed piece by piece."""
    endless = ({"q1": n % 11, "q2": 0, "q3": 0, "q4": 0} for n in itertools.count())
    first = list(itertools.islice(ak.score_many(SRS, endless), 12))
    assert [r.values()["total"] for r in first] == [float(n % 11) for n in range(12)]  # type: ignore[union-attr]


def test_each_result_fires_the_event() -> None:
    """Every scored row fires alliancekit_result_scored once; a bad row fires nothing."""
    fired: list[Any] = []

    class Recorder:
        """Records every scored result."""

        @ak.hookimpl
        def alliancekit_result_scored(self, result: Any, context: Any) -> None:
            """Keep the result."""
            fired.append(result)

    manager = ak.plugins.get_plugin_manager()
    recorder = Recorder()
    manager.register(recorder, name="recorder")
    try:
        rows: Iterator[dict[str, Any]] = iter([{"q1": 1}, {"q1": -1}, {"q1": 2}])
        out = list(ak.score_many(SRS, rows))
    finally:
        manager.unregister(recorder)
    assert fired == [out[0], out[2]]


def test_a_broken_plugin_method_stops_the_batch() -> None:
    """A ScoringError is not a row's fault: it ends the iteration instead of being yielded."""

    class Broken:
        """A plugin whose method always fails."""

        @ak.hookimpl
        def alliancekit_register_scoring_methods(self, register: Any) -> None:
            """Register ``broken``."""

            def broken(values: Any, score: Any) -> float:
                raise RuntimeError("no")

            register("broken", broken, range=lambda bounds, score: (0.0, 1.0))

    from alliancekit.plugins._registry import get_plugin_manager

    document = SRS.to_dict()
    document["id"] = "broken-method"
    document.pop("interpretation")
    document["scores"] = [
        {
            "id": "x",
            "items": "all",
            "method": "broken",
            "status": "provisional",
            "missing": {"status": "provisional"},
        }
    ]
    manager = get_plugin_manager()
    plugin = Broken()
    manager.register(plugin, name="test-broken")
    try:
        scale = ak.load_scale(document)
        with pytest.raises(ak.ScoringError, match="broken"):
            list(ak.score_many(scale, [{"q1": 1, "q2": 1, "q3": 1, "q4": 1}]))
    finally:
        manager.unregister(plugin)
