"""``alliancekit score`` scores chunks in worker threads when nothing needs the rows one by one:
the output is the same, in order, and a failure or an early stop leaves nothing running."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliancekit.cli import _score, main

Capture = pytest.CaptureFixture[str]


def test_work_is_yielded_in_order_when_later_items_finish_first() -> None:
    """Each item comes back with its own result, in input order, even when the work on the
    first item is the slowest."""

    def work(item: int) -> int:
        time.sleep(0.002 * (5 - item))
        return item * item

    assert list(_score._in_order(iter(range(5)), work, 2)) == [(i, i * i) for i in range(5)]


def test_a_failing_item_raises_in_its_turn() -> None:
    """The results before a failing item are yielded, then its exception is raised."""

    def work(item: int) -> int:
        if item == 2:
            raise ValueError("item 2 is bad")
        return item

    seen = []
    with pytest.raises(ValueError, match="item 2 is bad"):
        for item, result in _score._in_order(iter(range(6)), work, 2):
            seen.append((item, result))
    assert seen == [(0, 0), (1, 1)]


def test_stopping_early_reads_no_further_and_waits_for_running_work() -> None:
    """When the caller stops, the items are read at most one per worker ahead, and no work is
    still running once the generator is closed (the input file can then be closed)."""
    read: list[int] = []
    running = threading.Semaphore(0)
    finished: list[int] = []

    def items() -> Iterator[int]:
        for i in range(100):
            read.append(i)
            yield i

    def work(item: int) -> int:
        running.release()
        time.sleep(0.01)
        finished.append(item)
        return item

    ahead = _score._in_order(items(), work, 2)
    assert next(ahead) == (0, 0)
    ahead.close()
    assert read == [0, 1, 2]  # the one yielded and one ahead per worker
    started = 0
    while running.acquire(blocking=False):
        started += 1
    assert sorted(finished) == list(range(started))  # whatever started has finished


def test_one_worker_runs_in_the_callers_thread() -> None:
    """With one worker no thread is started: the work runs where the caller is."""
    threads = []

    def work(item: int) -> int:
        threads.append(threading.current_thread())
        return item

    assert [r for _, r in _score._in_order(iter(range(3)), work, 1)] == [0, 1, 2]
    assert threads == [threading.current_thread()] * 3


def test_threaded_chunks_write_the_same_file_as_one_chunk(tmp_path: Path, capsys: Capture) -> None:
    """A file scored in chunks of 7 rows (several in flight at once, with a bad row and
    missing answers among them, quote-free rows assembled as bytes before quoted ones written
    through the csv module) is byte for byte the file scored as one chunk."""
    lines = ["id,q1,q2,q3,q4"]
    for i in range(60):
        cells = [str((i + j) % 11) for j in range(4)]
        if i % 9 == 4:
            cells[1] = ""
        if i == 33:
            cells[2] = "11"  # out of range: reported in the error column
        name = f'"r,{i}"' if i == 50 else f"r{i}"  # from here on the csv module reads
        lines.append(f"{name}," + ",".join(cells))
    source = tmp_path / "in.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for chunk_rows in ("7", "1000"):
        out = tmp_path / f"out-{chunk_rows}.csv"
        code = main(["score", "srs", str(source), "--chunk-rows", chunk_rows, "-o", str(out)])
        assert code == 1  # the bad row
        outputs.append(out.read_bytes())
    capsys.readouterr()
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 61 and b'\n"r,50",' in outputs[0]
    assert b"r33," in outputs[0] and b"out-of-range" in outputs[0].split(b"r33,")[1]


@pytest.mark.parametrize(
    ("options", "threads"),
    [([], 2), (["--engine", "python"], 1), (["--details"], 1), (["--format", "fhir"], 1)],
)
def test_only_the_numpy_engine_scores_in_threads(
    tmp_path: Path,
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
    options: list[str],
    threads: int,
) -> None:
    """Chunks go to worker threads only on the NumPy engine's path (nothing listening, no
    store); rows scored one by one with Scale.score, and so announced, stay in the caller's
    thread. Two CPUs are pretended, so the test says the same on any machine."""
    monkeypatch.setattr(_score, "_usable_cpus", lambda: 2)
    used: list[int] = []
    original = _score._in_order

    def spy(items: Any, work: Any, workers: int) -> Any:
        used.append(workers)
        return original(items, work, workers)

    monkeypatch.setattr(_score, "_in_order", spy)
    source = tmp_path / "in.csv"
    source.write_text("id,q1,q2,q3,q4\nr1,1,2,3,4\nr2,5,6,7,8\n", encoding="utf-8")
    assert main(["score", "srs", str(source), *options]) == 0
    capsys.readouterr()
    assert used == [threads]


def test_items_read_before_a_failed_read_still_come_out() -> None:
    """When reading the next item fails, the items read before it are yielded first, then the
    error is raised, as one worker would do."""

    def items() -> Iterator[int]:
        yield from range(3)
        raise ValueError("the input broke")

    seen = []
    with pytest.raises(ValueError, match="the input broke"):
        for item, result in _score._in_order(items(), lambda i: i * 10, 2):
            seen.append((item, result))
    assert seen == [(0, 0), (1, 10), (2, 20)]


def test_rows_before_a_bad_byte_are_written_by_both_engines(
    tmp_path: Path, capsys: Capture
) -> None:
    """A file that stops being UTF-8 at row 40 is refused with exit 1 by both engines, and both
    have written the same rows before the block that holds the bad byte."""
    lines = [b"id,q1,q2,q3,q4"] + [f"r{i},1,2,3,4".encode() for i in range(60)]
    lines[41] = b"r\xff40,1,2,3,4"
    source = tmp_path / "in.csv"
    source.write_bytes(b"\n".join(lines) + b"\n")
    outputs = []
    for engine in ("python", "numpy"):
        out = tmp_path / f"out-{engine}.csv"
        args = ["score", "srs", str(source), "--engine", engine, "--chunk-rows", "7"]
        assert main([*args, "-o", str(out)]) == 1
        assert "not UTF-8" in capsys.readouterr().err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") > 10  # the rows of the blocks before the bad one
