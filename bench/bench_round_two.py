"""Issue 15, side by side: every row of the table measured against its baseline in one process.

Each row times alliancekit and a hand-written baseline on the same data, interleaved (one round
runs both), and prints the medians of ``--rounds`` rounds (at least 7) and their ratio:

- ``single``: ``Scale.score`` of one complete response (12 items 1..5, two reversed, three
  prorated subscales, a total and a mean) against a Python loop that type-checks, range-checks,
  reverse-keys and sums;
- ``missing``: the same with one answer missing, against the same loop skipping ``None``;
- ``int8``, ``float64``, ``nan``, ``small``: ``score_table`` on 1,000,000 x 12 int8 answers,
  float64 answers, float64 with 3 % NaN, and 10,000 int8 rows, against ``x @ W`` (int8 cast to
  float32 first) and, with missing answers, an int8 peer where 0 is missing and a score is the
  mean of the answered items;
- ``reliability``: pairwise reliability of 1,000,000 x 12 answers with 3 % missing against NumPy
  pairwise alpha (three X'X-type products);
- ``history``, ``save_many``: SQLite ``Store.history()`` among 1,000,000 records against an
  indexed ``SELECT``, and ``save_many`` of 100,000 administrations against ``executemany`` of the
  same rows (see ``bench_storage.py``);
- ``csv``: ``alliancekit score`` on a 1,000,000-row CSV against the same job written with Polars,
  both whole processes (wall time and peak RSS). Polars is for this bench only: ``pip install
  polars``.

Run: ``python bench/bench_round_two.py [ROW ...] [--rounds N]`` (no ROW: all of them).
OPENBLAS_NUM_THREADS is set to 1 here, before NumPy is imported, for every contender.
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np

import alliancekit as ak
from alliancekit.analysis import reliability

sys.path.insert(0, str(Path(__file__).resolve().parent))

ITEMS = 12
REVERSED = (2, 6)  # q3, q7
TASK, GOAL, BOND = (0, 1, 9, 11), (3, 5, 7, 10), (2, 4, 6, 8)
DOCUMENT: dict[str, Any] = {
    "$schema": "urn:alliancekit:schema:scale:1",
    "id": "bench-alliance",
    "version": "1.0.0",
    "title": "Benchmark alliance scale",
    "citations": [{"text": "Made up for the benchmark."}],
    "license": {"holder": "none", "terms": "public domain", "item_text": "not-included"},
    "verification": {"status": "verified", "sources": ["made up"], "open_questions": []},
    "response_sets": {
        "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]}
    },
    "items": [
        {"id": f"q{i + 1}", "number": i + 1, "response_set": "likert5", "reverse": i in REVERSED}
        for i in range(ITEMS)
    ],
    "scores": [
        *(
            {
                "id": name,
                "method": "sum",
                "items": [f"q{i + 1}" for i in members],
                "missing": {"max_missing": 1, "impute": "prorate"},
            }
            for name, members in (("task", TASK), ("goal", GOAL), ("bond", BOND))
        ),
        {
            "id": "total",
            "method": "sum",
            "items": "all",
            "missing": {"max_missing": 2, "impute": "prorate"},
        },
        {"id": "mean", "method": "mean", "items": "all", "missing": {"max_missing": 2}},
    ],
}
SCALE = ak.load_scale(DOCUMENT)


def interleaved(
    contenders: dict[str, Callable[[], object]], rounds: int, number: int = 1
) -> dict[str, float]:
    """Median seconds per call of each contender over ``rounds`` rounds, each round running
    every contender ``number`` times in turn."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    # Warm up with one untimed round (caches, buffers, page faults, the CPU's clock): a single
    # call left the first row of a process about 1.5x slower for both contenders.
    for function in contenders.values():
        for _ in range(number):
            function()
    for _ in range(rounds):
        for name, function in contenders.items():
            start = time.perf_counter()
            for _ in range(number):
                function()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(values) for name, values in times.items()}


def report(row: str, ours: float, base: float, unit: str, target: str) -> None:
    factor = {"s": 1.0, "ms": 1e3, "µs": 1e6}[unit]
    print(
        f"{row:<44} {ours * factor:10.3f} {unit:<2} {base * factor:10.3f} {unit:<2} "
        f"{ours / base:6.2f}x  (target {target})",
        flush=True,
    )


# -- one response -------------------------------------------------------------------------------

_KEYS = tuple(f"q{i + 1}" for i in range(ITEMS))


def plain_loop(answers: dict[str, Any]) -> dict[str, float | None]:
    """Check each answer is an int option 1..5 (``None`` = missing), reverse-key, and score the
    subscales (prorated, one missing allowed), total and mean of the answered items."""
    values: list[int | None] = []
    for key in _KEYS:
        value = answers[key]
        if value is None:
            values.append(None)
            continue
        if type(value) is not int or not 1 <= value <= 5:
            raise ValueError(key)
        values.append(value)
    for i in REVERSED:
        v = values[i]
        if v is not None:
            values[i] = 6 - v
    scores: dict[str, float | None] = {}
    total = answered = 0
    for name, members in (("task", TASK), ("goal", GOAL), ("bond", BOND)):
        s = n = 0
        for i in members:
            v = values[i]
            if v is not None:
                s += v
                n += 1
        scores[name] = s * 4 / n if n >= 3 else None
        total += s
        answered += n
    scores["total"] = total * 12 / answered if answered >= 10 else None
    scores["mean"] = total / answered if answered >= 10 else None
    return scores


def bench_single(rounds: int, missing: bool) -> None:
    answers: dict[str, int | None] = {k: (i * 7) % 5 + 1 for i, k in enumerate(_KEYS)}
    if missing:
        answers["q5"] = None
    assert SCALE.score(answers).values() == plain_loop(answers), (
        SCALE.score(answers).values(),
        plain_loop(answers),
    )
    medians = interleaved(
        {"ours": lambda: SCALE.score(answers), "base": lambda: plain_loop(answers)},
        rounds,
        number=20_000,
    )
    name = "one response, one answer missing" if missing else "one complete response"
    report(name, medians["ours"], medians["base"], "µs", "<= 2x" if missing else "<= 1.2x")


# -- tables -------------------------------------------------------------------------------------


def answers_table(rows: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(1, 6, size=(rows, ITEMS), dtype=np.int8)


def weights(dtype: Any) -> np.ndarray:
    w = np.zeros((ITEMS, 5), dtype=dtype)
    for j, members in enumerate((TASK, GOAL, BOND)):
        w[list(members), j] = 1
    w[:, 3] = 1
    w[:, 4] = 1 / ITEMS
    return w


def bench_table(rounds: int, kind: str) -> None:
    rows = 10_000 if kind == "small" else 1_000_000
    int8 = answers_table(rows)
    if kind in {"int8", "small"}:
        w32 = weights(np.float32)
        table: np.ndarray = int8
        base: Callable[[], object] = lambda: int8.astype(np.float32) @ w32  # noqa: E731
        target = "<= 1.5x" if kind == "small" else "<= 1.25x"
    elif kind == "float64":
        table = int8.astype(np.float64)
        w64 = weights(np.float64)
        base = lambda: table @ w64  # noqa: E731
        target = "<= 1.1x"
    else:
        holes = np.random.default_rng(2).random(int8.shape) < 0.03
        table = np.where(holes, np.nan, int8.astype(np.float64))
        peer = np.where(holes, 0, int8).astype(np.int8)
        w32 = weights(np.float32)
        ones = (w32 != 0).astype(np.float32)

        def base() -> object:
            sums = peer.astype(np.float32) @ w32
            counts = (peer != 0).astype(np.float32) @ ones
            return sums / counts  # mean of the answered items

        target = "<= 1.2x"
    ours = lambda: SCALE.score_table(table)  # noqa: E731
    medians = interleaved(
        {"ours": ours, "base": base}, rounds, number=100 if kind == "small" else 1
    )
    name = {
        "int8": "score_table 1M x 12, int8",
        "float64": "score_table 1M x 12, float64",
        "nan": "score_table 1M x 12, 3% NaN (float64)",
        "small": "score_table 10k x 12, int8",
    }[kind]
    unit = "µs" if kind == "small" else "ms"
    report(name, medians["ours"], medians["base"], unit, target)


# -- reliability --------------------------------------------------------------------------------


def numpy_pairwise_alpha(table: np.ndarray) -> float:
    """Cronbach's alpha from the pairwise-complete covariance matrix: three X'X products."""
    missing = np.isnan(table)
    values = np.where(missing, 0.0, table - np.nanmean(table[:8192], axis=0))
    answered = (~missing).astype(np.float64)
    products = values.T @ values
    sums = values.T @ answered
    count = answered.T @ answered
    cov = (products - sums * sums.T / count) / (count - 1)
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def bench_reliability(rounds: int) -> None:
    table = answers_table(1_000_000).astype(np.float64)
    table[np.random.default_rng(2).random(table.shape) < 0.03] = np.nan
    unkeyed = table.copy()
    for j in REVERSED:
        unkeyed[:, j] = 6 - unkeyed[:, j]
    ours = reliability(SCALE, table).alpha
    assert math.isclose(ours, numpy_pairwise_alpha(unkeyed), rel_tol=1e-9)
    medians = interleaved(
        {
            "ours": lambda: reliability(SCALE, table),
            "base": lambda: numpy_pairwise_alpha(unkeyed),
        },
        rounds,
    )
    report(
        "reliability, pairwise, 1M, 3% missing", medians["ours"], medians["base"], "ms", "<= 1.1x"
    )


# -- SQLite -------------------------------------------------------------------------------------


def bench_history(rounds: int, records: int) -> None:
    from bench_storage import SQLiteBackend  # type: ignore[import-not-found]

    from alliancekit.storage import Administration

    srs = ak.get_scale("srs")
    occasions = 10
    with tempfile.TemporaryDirectory() as folder:
        backend = SQLiteBackend(Path(folder))
        url = backend.new_url()
        with ak.open_store(url) as store:
            for start in range(0, records, 10_000):
                store.save_many(
                    [
                        Administration(
                            result=srs.score({f"q{j}": (i + j) % 11 for j in range(1, 5)}),
                            respondent=f"resp-{i // occasions}",
                            occasion=i % occasions,
                        )
                        for i in range(start, min(records, start + 10_000))
                    ]
                )
            rng = np.random.default_rng(3)
            picks = [f"resp-{p}" for p in rng.integers(0, records // occasions, 200)]
            keys = [store.respondent_key(p) for p in picks]
            query = (
                "SELECT * FROM records r JOIN scores s ON s.record_id = r.id "
                "WHERE r.respondent_key = ? AND r.scale_id = ? ORDER BY r.occasion"
            )
            with closing(backend.raw(url)) as connection:
                assert len(store.history(picks[0], "srs")) == occasions
                assert len(connection.execute(query, (keys[0], "srs")).fetchall()) >= occasions
                state = {"i": 0}

                def ours() -> object:
                    state["i"] = (state["i"] + 1) % len(picks)
                    return store.history(picks[state["i"]], "srs")

                def base() -> object:
                    state["i"] = (state["i"] + 1) % len(keys)
                    return connection.execute(query, (keys[state["i"]], "srs")).fetchall()

                medians = interleaved({"ours": ours, "base": base}, rounds, number=len(picks))
    report(
        f"SQLite history() among {records:,} records",
        medians["ours"],
        medians["base"],
        "ms",
        "<= 1.5x",
    )


def bench_save_many(rounds: int, records: int) -> None:
    from bench_storage import BATCH, SQLiteBackend, administrations, chunks, insert_raw

    scale = ak.get_scale("wai-sr")
    batches = list(chunks(administrations(records, scale, occasions=10), BATCH))
    with tempfile.TemporaryDirectory() as folder:
        backend = SQLiteBackend(Path(folder))
        ours_times, base_times = [], []
        for _ in range(rounds):
            with ak.open_store(backend.new_url()) as store:
                start = time.perf_counter()
                for batch in batches:
                    store.save_many(batch)
                ours_times.append(time.perf_counter() - start)
                key = store.respondent_key
            raw_url = backend.new_url()
            ak.open_store(raw_url).close()
            base_times.append(insert_raw(backend, raw_url, batches, key))
            for path in Path(folder).iterdir():
                path.unlink()
    report(
        f"SQLite save_many {records:,}",
        statistics.median(ours_times),
        statistics.median(base_times),
        "s",
        "<= 1.2x",
    )


# -- a CSV file, whole processes ----------------------------------------------------------------

_PEAK = """
def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

_ALLIANCEKIT = (
    _PEAK
    + """
import json, sys
from alliancekit.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "rss": peak_kb()}), file=sys.stderr)
"""
)

# The same job by hand: read, check every answer is an option 1..5 or blank, reverse-key q3 and
# q7, prorated subscales (one missing allowed), prorated total and mean (two missing), write.
_POLARS = (
    _PEAK
    + """
import json, sys
import polars as pl
items = [f"q{i}" for i in range(1, 13)]
frame = pl.read_csv(sys.argv[1], schema_overrides={q: pl.Int64 for q in items})
bad = frame.select(pl.any_horizontal([(pl.col(q) < 1) | (pl.col(q) > 5) for q in items]).any())
if bad.item():
    raise SystemExit("bad answer")
keyed = [6 - pl.col(q) if q in ("q3", "q7") else pl.col(q) for q in items]
def score(members, allowed):
    cols = [keyed[i] for i in members]
    n = pl.sum_horizontal([c.is_not_null() for c in cols])
    s = pl.sum_horizontal(cols)
    return s, n, allowed
out = []
for name, members, allowed in (("task", (0, 1, 9, 11), 1), ("goal", (3, 5, 7, 10), 1),
                               ("bond", (2, 4, 6, 8), 1), ("total", range(12), 2)):
    s, n, _ = score(members, allowed)
    size = len(members)
    out.append(pl.when(n >= size - allowed).then(s * size / n).alias(name))
s, n, _ = score(range(12), 2)
out.append(pl.when(n >= 10).then(s / n).alias("mean"))
frame.select(pl.all(), *out).write_csv(sys.argv[2])
print(json.dumps({"code": 0, "rss": peak_kb()}), file=sys.stderr)
"""
)


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """respondent, session, q1..q12 (1..5), about 1 % of answers blank."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("respondent,session," + ",".join(_KEYS) + "\n")
        for start in range(0, rows, 100_000):
            size = min(100_000, rows - start)
            answers = rng.integers(1, 6, size=(size, ITEMS)).astype(str).astype(object)
            answers[rng.random(answers.shape) < 0.01] = ""
            lines = [
                f"R{(start + r) // 10:07d},{(start + r) % 10 + 1}," + ",".join(answers[r])
                for r in range(size)
            ]
            out.write("\n".join(lines) + "\n")


def _child(code: str, args: Sequence[str]) -> tuple[float, float]:
    """Run a fresh Python process; return (wall seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"the child failed: {done.stderr[-2000:]}")
    return seconds, report["rss"] / 1024


def bench_csv(rounds: int, rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.csv"
        document = Path(folder) / "scale.json"
        document.write_text(json.dumps(DOCUMENT))
        write_csv(source, rows)
        ours_args = ["score", str(document), str(source), "-o", str(Path(folder) / "ours.csv")]
        base_args = [str(source), str(Path(folder) / "polars.csv")]
        times: dict[str, list[float]] = {"ours": [], "base": []}
        rss: dict[str, float] = {"ours": 0.0, "base": 0.0}
        for _ in range(rounds):
            for name, code, args in (
                ("ours", _ALLIANCEKIT, ours_args),
                ("base", _POLARS, base_args),
            ):
                seconds, peak = _child(code, args)
                times[name].append(seconds)
                rss[name] = max(rss[name], peak)
    ours, base = statistics.median(times["ours"]), statistics.median(times["base"])
    report(f"alliancekit score, {rows:,}-row CSV (wall)", ours, base, "s", "<= 1.0x")
    print(
        f"{'  peak RSS':<44} {rss['ours']:10.0f} MiB {rss['base']:7.0f} MiB (target: below Polars)",
        flush=True,
    )


ROWS = (
    "single",
    "missing",
    "int8",
    "float64",
    "nan",
    "small",
    "reliability",
    "history",
    "save_many",
    "csv",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rows", nargs="*", choices=[*ROWS, []], metavar="ROW")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--history-records", type=int, default=1_000_000)
    parser.add_argument("--save-records", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    rounds = max(args.rounds, 7)
    print(f"{'case':<44} {'alliancekit':>13} {'baseline':>13} {'ratio':>7}")
    for row in args.rows or ROWS:
        if row in {"single", "missing"}:
            bench_single(rounds, row == "missing")
        elif row in {"int8", "float64", "nan", "small"}:
            bench_table(rounds, row)
        elif row == "reliability":
            bench_reliability(rounds)
        elif row == "history":
            bench_history(rounds, args.history_records)
        elif row == "save_many":
            bench_save_many(rounds, args.save_records)
        else:
            bench_csv(rounds, args.csv_rows)


if __name__ == "__main__":
    main()
