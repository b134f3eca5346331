"""Benchmark scoring WAI-SR in data frames: 10,000,000 rows x 12 items in Parquet.

A script, not a test: ``python bench/bench_frames.py [--rows N] [--rounds R] [--only NAME]``.
It writes the answers (1..5, 1 % of cells missing) to a Parquet file of 1,000,000-row row groups,
then times, each in a fresh Python process that reports its peak memory (with its children's),

in memory (the frame already read; scoring only):
  - a hand-written Polars expression and a hand-written pandas version (sums of the item
    columns; null where an item is missing; no answer checks), the baselines;
  - ``score_frame`` on the pandas, Polars and PyArrow frames (answer checks included);
  - for reference, the kernel alone: ``Scale.score_table`` on a ready 2-D float64 array;

Parquet to Parquet (read, score, write the scores):
  - ``score_frame`` on Polars, ``score_spark`` on ``local[2]`` and ``score_dask`` on a
    two-worker ``LocalCluster``;
  - for reference, Spark's own floor: the same Spark job with a ``mapInArrow`` that hands its
    batches back unchanged (no scoring), once with Spark's default 10,000-row Arrow batches and
    once with 100,000-row ones (the chunk ``score_spark`` scores at once).

Each time is the median of ``--rounds`` rounds. Targets: ``score_frame`` within 1.3x of the
hand-written Polars expression; Spark and Dask within 2x of ``score_frame``. Needs the
``frames``, ``spark`` and ``dask`` extras and Java.
"""

from __future__ import annotations

import os

# One BLAS thread: the kernel's matrix products are small, and threads would only contend.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import contextlib
import json
import operator
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import reduce
from pathlib import Path
from typing import Any

import alliancekit

SCALE = alliancekit.get_scale("wai-sr")
ITEMS = [item.id for item in SCALE.items]
#: WAI-SR's subscales, written out by hand for the baselines (scales/wai-sr.json has the key).
TASK, GOAL, BOND = ["q1", "q2", "q10", "q12"], ["q4", "q6", "q8", "q11"], ["q3", "q5", "q7", "q9"]
ROW_GROUP = 1_000_000


def write_answers(path: Path, rows: int, seed: int = 1) -> None:
    """Random WAI-SR answers (int64 1..5, 1 % null) as Parquet, one row group per million."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema([("client", pa.int64()), *((item, pa.int64()) for item in ITEMS)])
    with pq.ParquetWriter(path, schema) as writer:
        for start in range(0, rows, ROW_GROUP):
            n = min(ROW_GROUP, rows - start)
            columns = [pa.array(np.arange(start, start + n))]
            for _ in ITEMS:
                values = rng.integers(1, 6, n)
                columns.append(pa.array(values, mask=rng.random(n) < 0.01))
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))


# -- in memory -------------------------------------------------------------------------------


def polars_by_hand(frame: Any) -> Any:
    """WAI-SR by a hand-written Polars expression (no answer checks)."""
    import polars as pl

    def total(items: list[str]) -> Any:
        return reduce(operator.add, [pl.col(item).cast(pl.Float64) for item in items])

    return frame.with_columns(
        task=total(TASK),
        goal=total(GOAL),
        bond=total(BOND),
        total=total(ITEMS),
        total_mean=total(ITEMS) / 12,
    )


def pandas_by_hand(frame: Any) -> Any:
    """WAI-SR by hand in pandas (no answer checks)."""

    def total(items: list[str]) -> Any:
        return frame[items].sum(axis=1, min_count=len(items))

    return frame.assign(
        task=total(TASK),
        goal=total(GOAL),
        bond=total(BOND),
        total=total(ITEMS),
        total_mean=lambda f: f["total"] / 12,
    )


def in_memory(name: str, path: Path) -> Callable[[], Any]:
    """Read the Parquet file in the frame kind ``name`` needs; return the scoring to time."""
    import pandas as pd
    import polars as pl
    import pyarrow.parquet as pq

    from alliancekit.frames import score_frame

    if name == "polars-by-hand":
        frame = pl.read_parquet(path)
        return lambda: polars_by_hand(frame)
    if name == "pandas-by-hand":
        frame = pd.read_parquet(path)
        return lambda: pandas_by_hand(frame)
    if name == "score_table-array":
        array = pl.read_parquet(path).select(ITEMS).to_numpy()  # float64, NaN for null
        return lambda: SCALE.score_table(array)
    native = {
        "score_frame-pandas": lambda: pd.read_parquet(path),
        "score_frame-polars": lambda: pl.read_parquet(path),
        "score_frame-arrow": lambda: pq.read_table(path),
    }[name]()
    return lambda: score_frame(SCALE, native)


# -- Parquet to Parquet ------------------------------------------------------------------------


def _spark_session(arrow_batch: int) -> Any:
    """A local[2] Spark session whose Python workers are this interpreter, handing
    ``mapInArrow`` batches of ``arrow_batch`` rows (Spark's default is 10,000)."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "4g")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(arrow_batch))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def parquet_job(name: str, path: Path, out: Path) -> tuple[Callable[[], Any], Callable[[], None]]:
    """Set up the engine; return the job to time and what to close afterwards."""
    if name == "score_frame-parquet":
        import polars as pl

        from alliancekit.frames import score_frame

        def job() -> None:
            score_frame(SCALE, pl.read_parquet(path)).select(
                [score.id for score in SCALE.scores]
            ).write_parquet(out)

        return job, lambda: None
    if name == "score_spark":
        from alliancekit.spark import score_spark

        spark = _spark_session(arrow_batch=10_000)

        def spark_job() -> None:
            scored = score_spark(SCALE, spark.read.parquet(str(path)))
            scored.select("client", *[s.id for s in SCALE.scores]).write.mode("overwrite").parquet(
                str(out)
            )

        return spark_job, spark.stop
    if name.startswith("spark-identity"):
        spark = _spark_session(arrow_batch=100_000 if name.endswith("100k") else 10_000)

        def identity(batches: Any) -> Any:
            yield from batches

        def identity_job() -> None:
            frame = spark.read.parquet(str(path))
            unchanged = frame.mapInArrow(identity, frame.schema)
            unchanged.write.mode("overwrite").parquet(str(out))

        return identity_job, spark.stop
    if name == "score_dask":
        import dask.dataframe as dd
        from distributed import Client, LocalCluster

        from alliancekit.dask import score_dask

        cluster = LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        )
        client = Client(cluster)

        def dask_job() -> None:
            scored = score_dask(SCALE, dd.read_parquet(str(path)))
            scored[["client", *[s.id for s in SCALE.scores]]].to_parquet(str(out))

        def close() -> None:
            client.close()
            cluster.close()

        return dask_job, close
    raise ValueError(name)


IN_MEMORY = [
    "polars-by-hand",
    "pandas-by-hand",
    "score_frame-pandas",
    "score_frame-polars",
    "score_frame-arrow",
    "score_table-array",
]
PARQUET = [
    "score_frame-parquet",
    "score_spark",
    "spark-identity-10k",
    "spark-identity-100k",
    "score_dask",
]


class PeakMemory:
    """The peak summed RSS of this process and its descendants (a Spark JVM and its Python
    workers, Dask's workers), sampled every 20 ms while the block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a process that ended meanwhile
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_one(name: str, path: Path, rounds: int) -> dict[str, Any]:
    """Time ``name`` (in this process) and report its median time and peak memory."""
    with PeakMemory() as memory:
        close: Callable[[], None] = lambda: None  # noqa: E731
        if name in IN_MEMORY:
            job = in_memory(name, path)
        else:
            job, close = parquet_job(name, path, path.with_name(f"out-{name}.parquet"))
        job()  # warm up: imports, the kernel, Spark's Python workers
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            job()
            times.append(time.perf_counter() - start)
        close()
    return {"name": name, "median": statistics.median(times), "peak": memory.peak}


def check_agreement(path: Path) -> None:
    """score_frame and the hand-written Polars expression agree on the first row group: the
    sums exactly; the mean is total / 12 correctly rounded (NumPy's division) in score_frame,
    while Polars divides by a literal through its reciprocal, one ulp off on some rows."""
    import numpy as np
    import polars as pl

    from alliancekit.frames import score_frame

    frame = pl.read_parquet(path, n_rows=ROW_GROUP)
    ours = score_frame(SCALE, frame)
    hand = polars_by_hand(frame)
    sums = ["task", "goal", "bond", "total"]
    if not ours.select(sums).equals(hand.select(sums), null_equal=True):
        raise SystemExit("score_frame and the hand-written Polars expression disagree")
    total = ours["total"].to_numpy()
    mean = ours["total_mean"].to_numpy()
    if not np.array_equal(mean, total / 12, equal_nan=True):
        raise SystemExit("score_frame's total_mean is not total / 12")
    off = int((hand["total_mean"].to_numpy() != mean).sum() - np.isnan(mean).sum())
    print(f"(the hand-written Polars total_mean is one ulp off on {off:,} of {len(frame):,} rows)")


def main() -> None:
    """Write the data, run every contender in its own process, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="run one contender in this process (used internally)")
    parser.add_argument("--data", type=Path, help="an answers file written before")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(run_one(args.only, args.data, args.rounds)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.parquet"
        write_answers(path, args.rows)
        check_agreement(path)
        mib = path.stat().st_size / 2**20
        print(f"{args.rows:,} rows x {len(ITEMS)} items, {mib:.0f} MiB of Parquet, ", end="")
        print(f"median of {args.rounds} rounds\n")
        results = {}
        for name in IN_MEMORY + PARQUET:
            command = [sys.executable, __file__, "--only", name, "--data", str(path)]
            command += ["--rounds", str(args.rounds)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{name} failed:\n{done.stderr[-2000:]}")
                continue
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        _print_table(results)


def _print_table(results: dict[str, dict[str, Any]]) -> None:
    base = {
        **dict.fromkeys(IN_MEMORY, "polars-by-hand"),
        **dict.fromkeys(PARQUET, "score_frame-parquet"),
    }
    print(f"| {'contender':<22} | {'median s':>8} | {'ratio':>9} | {'peak RSS MiB':>12} |")
    print(f"|{'-' * 24}|{'-' * 10}|{'-' * 11}|{'-' * 14}|")
    for name, result in results.items():
        reference = results.get(base[name])
        ratio = result["median"] / reference["median"] if reference else float("nan")
        peak = result["peak"] / 2**20
        mark = "*" if name == base[name] else " "
        print(
            f"| {name:<22} | {result['median']:>8.3f} | {ratio:>5.2f}x {mark:<2}| {peak:>12.0f} |"
        )
    print("\nratio: to the row marked * above it (polars-by-hand in memory, score_frame-parquet")
    print("Parquet to Parquet)")
    print("peak RSS: of the contender's process and its children, data loading included")


if __name__ == "__main__":
    main()
