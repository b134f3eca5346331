"""One scored result fires ``alliancekit_result_scored`` exactly once, on every path a caller
uses; verification inside a store fires nothing; ``notify=False`` and ``--no-events`` opt out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import alliancekit as ak
from alliancekit.cli import main

Register = Callable[[object, str], object]

SRS_ROWS = (
    "client,session,q1,q2,q3,q4\na,1,8.7,9.1,9.5,8.7\na,2,7,7,7,7\nb,1,1,2,3,x\nb,2,5,5,5,5\n"
)
GOOD_ROWS = 3  # the third data row has a text answer


class Counter:
    """Counts every result announced to it, with the context it came with."""

    def __init__(self) -> None:
        self.events: list[tuple[ak.ScoreResult, dict[str, Any]]] = []

    @ak.hookimpl
    def alliancekit_result_scored(self, result: ak.ScoreResult, context: Any) -> None:
        """Keep the result and a copy of its context."""
        self.events.append((result, dict(context)))


@pytest.fixture
def counter(register_plugin: Register) -> Counter:
    """A registered :class:`Counter`."""
    return register_plugin(Counter(), "counter")  # type: ignore[return-value]


@pytest.fixture
def answers_file(tmp_path: Path) -> str:
    """An SRS file of four rows, one of them bad."""
    path = tmp_path / "srs.csv"
    path.write_text(SRS_ROWS, encoding="utf-8")
    return str(path)


def test_scale_score_fires_once_with_the_callers_context(counter: Counter) -> None:
    """Scale.score announces its result once, with the caller's context and the scale."""
    scale = ak.get_scale("srs")
    result = scale.score({"q1": 1, "q2": 2, "q3": 3, "q4": 4}, context={"occasion": 3})
    assert [event[0] for event in counter.events] == [result]
    assert counter.events[0][1] == {"occasion": 3, "scale": scale}


def test_notify_false_fires_nothing(counter: Counter) -> None:
    """notify=False scores without an event."""
    ak.get_scale("srs").score({"q1": 1, "q2": 2, "q3": 3, "q4": 4}, notify=False)
    assert counter.events == []


def test_score_many_fires_once_per_good_row(counter: Counter) -> None:
    """score_many: one event per scored row, none for a refused row."""
    rows = [{"q1": 1, "q2": 1, "q3": 1, "q4": 1}, {"q1": "x"}, {"q1": 2, "q2": 2, "q3": 2, "q4": 2}]
    out = list(ak.score_many(ak.get_scale("srs"), rows))
    assert [event[0] for event in counter.events] == [out[0], out[2]]


def test_saving_amending_and_rescoring_fire_nothing(counter: Counter, tmp_path: Path) -> None:
    """A store re-scores each result to verify it, without announcing it again."""
    scale = ak.get_scale("srs")
    first = scale.score({"q1": 1, "q2": 2, "q3": 3, "q4": 4})
    second = scale.score({"q1": 2, "q2": 2, "q3": 3, "q4": 4})
    assert len(counter.events) == 2
    with ak.open_store(f"sqlite:///{tmp_path / 'events.db'}") as store:
        record = store.save(first, respondent="client-a", occasion=1)
        store.amend(record, second, reason="typo")
        store.rescore(record)
        store.save_many([ak.Administration(result=first, respondent="client-b", occasion=1)])
    assert len(counter.events) == 2


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_cli_score_fires_once_per_scored_row(
    counter: Counter, answers_file: str, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``alliancekit score`` without --store: one event per scored row, whatever the engine,
    each with its row number."""
    assert main(["score", "srs", answers_file, "--engine", engine]) == 1  # one bad row
    capsys.readouterr()
    assert [context["row"] for _, context in counter.events] == [1, 2, 4]


def test_cli_score_with_store_fires_once_per_stored_row(
    counter: Counter, answers_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --store each stored row is announced once (not again by the store's verification),
    with the respondent's pseudonymous key, never the identifier."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    code = main(
        ["score", "srs", answers_file, "--store", url, "--respondent-column", "client"]
        + ["--occasion-column", "session"]
    )
    capsys.readouterr()
    assert code == 1
    assert [(c["row"], c["occasion"]) for _, c in counter.events] == [(1, 1), (2, 2), (4, 2)]
    with ak.open_store(url) as store:
        assert counter.events[0][1]["respondent_key"] == store.respondent_key("a")
    assert all(value != "a" and value != "b" for _, c in counter.events for value in c.values())
    assert len(counter.events) == GOOD_ROWS


@pytest.mark.parametrize("store", [False, True])
def test_cli_no_events_fires_nothing(
    counter: Counter,
    answers_file: str,
    tmp_path: Path,
    store: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--no-events`` scores (and stores) without announcing anything."""
    extra = ["--store", f"sqlite:///{tmp_path / 'quiet.db'}", "--respondent-column", "client"]
    extra += ["--occasion-column", "session"]
    assert main(["score", "srs", answers_file, "--no-events", *(extra if store else [])]) == 1
    capsys.readouterr()
    assert counter.events == []
