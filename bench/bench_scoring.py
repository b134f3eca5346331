"""Benchmarks of the scoring engine (a script, not a test), each printing its ratios side by side:

- ``single``: one validated 12-item WAI-SR score (``Scale.score``, the result-scored event
  included) in µs, against a plain Python loop that checks and sums the same answers;
- ``table``: ``Scale.score_table`` on 1,000,000 x 12 answers (complete, and with 1 % missing)
  against hand-written NumPy kernels doing the same sums (fancy-index sums, column adds, one
  matrix product, a blocked matrix product);
- ``csv``: ``alliancekit score wai-sr FILE`` on a 1,000,000-row CSV, end to end in a fresh
  process (start-up included), against pandas ``read_csv`` plus the same arithmetic (and plus
  ``to_csv`` of the same output), each with its peak RSS. pandas is not a dependency: ``pip
  install pandas`` to run this part.

Run: ``python bench/bench_scoring.py [single|table|csv|all] [--rows N] [--repeat R]``.
Timings are the best of ``--repeat`` runs; on a shared machine run it twice and compare.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import alliancekit as ak

WAI_SR = ak.get_scale("wai-sr")
TASK, GOAL, BOND = [0, 1, 9, 11], [3, 5, 7, 10], [2, 4, 6, 8]


def _micro(function: Callable[[], object], number: int = 200, repeat: int = 1000) -> float:
    """Best time of one call in µs (many short runs, so other processes rarely intrude)."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number * 1e6


def _plain_loop(answers: dict[str, Any]) -> dict[str, float]:
    """The reference: check each answer is an int option 1..5 and sum, by hand."""
    values = []
    for key in ("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12"):
        value = answers[key]
        if type(value) is not int or not 1 <= value <= 5:
            raise ValueError(key)
        values.append(value)
    task = values[0] + values[1] + values[9] + values[11]
    goal = values[3] + values[5] + values[7] + values[10]
    bond = values[2] + values[4] + values[6] + values[8]
    total = task + goal + bond
    return {"task": task, "goal": goal, "bond": bond, "total": total, "total_mean": total / 12}


def bench_single(repeat: int) -> None:
    """Print µs per validated score for a few kinds of answers, and the ratio to the loop."""
    answers = {f"q{n}": n % 5 + 1 for n in range(1, 13)}
    shuffled = dict(reversed(list(answers.items())))
    missing = {**answers, "q3": None}
    srs = ak.get_scale("srs")
    marks = {"q1": 8.6, "q2": 9.7, "q3": 9.9, "q4": 7.8}
    runs = max(200, repeat * 200)
    loop = _micro(lambda: _plain_loop(answers), repeat=runs)
    rows = [
        ("plain Python loop: check + sums (reference)", loop),
        (
            "WAI-SR Scale.score, dict in item order",
            _micro(lambda: WAI_SR.score(answers), repeat=runs),
        ),
        (
            "WAI-SR Scale.score, dict in another order",
            _micro(lambda: WAI_SR.score(shuffled), repeat=runs),
        ),
        (
            "WAI-SR Scale.score, one answer missing",
            _micro(lambda: WAI_SR.score(missing), repeat=runs),
        ),
        ("SRS Scale.score, four exact marks", _micro(lambda: srs.score(marks), repeat=runs)),
    ]
    print("\n(a) one validated score (target: WAI-SR <= 5 us)")
    for name, micros in rows:
        print(f"  {name:46s} {micros:7.2f} us   x{micros / loop:4.2f} of the loop")


def _hand_kernels() -> dict[str, Callable[[np.ndarray], object]]:
    weights = np.zeros((12, 4))
    for j, columns in enumerate([TASK, GOAL, BOND, list(range(12))]):
        weights[columns, j] = 1

    def fancy(x: np.ndarray) -> object:
        total = x.sum(axis=1)
        return x[:, TASK].sum(1), x[:, GOAL].sum(1), x[:, BOND].sum(1), total, total / 12

    def columns(x: np.ndarray) -> object:
        c = [x[:, j] for j in range(12)]
        task, goal = c[0] + c[1] + c[9] + c[11], c[3] + c[5] + c[7] + c[10]
        bond = c[2] + c[4] + c[6] + c[8]
        total = task + goal + bond
        return task, goal, bond, total, total / 12

    def matmul(x: np.ndarray) -> object:
        sums = x @ weights
        return sums, sums[:, 3] / 12

    def blocked(x: np.ndarray) -> object:
        sums = np.empty((x.shape[0], 4))
        for start in range(0, x.shape[0], 8192):
            np.matmul(x[start : start + 8192], weights, out=sums[start : start + 8192])
        return sums, sums[:, 3] / 12

    return {
        "hand: fancy-index sums": fancy,
        "hand: column adds": columns,
        "hand: one matrix product": matmul,
        "hand: blocked matrix product": blocked,
    }


def bench_table(rows: int, repeat: int) -> None:
    """Print score_table against the hand kernels, on complete data and with 1 % missing."""
    rng = np.random.default_rng(1)
    complete = rng.integers(1, 6, size=(rows, 12)).astype(np.float64)
    holes = complete.copy()
    holes[rng.random(holes.shape) < 0.01] = np.nan
    kernels: dict[str, Callable[[np.ndarray], object]] = {
        "alliancekit score_table (validated, exact)": WAI_SR.score_table,
        **_hand_kernels(),
    }
    print(f"\n(b) score_table on {rows:,} x 12 (target: within 1.5x of a hand-written kernel)")
    for label, data in (("complete", complete), ("1% missing", holes)):
        best = {name: math.inf for name in kernels}
        for _ in range(repeat):
            for name, kernel in kernels.items():
                start = time.perf_counter()
                kernel(data)
                best[name] = min(best[name], time.perf_counter() - start)
        ours = best["alliancekit score_table (validated, exact)"]
        fastest = min(v for k, v in best.items() if k.startswith("hand"))
        print(f"  {label}:")
        for name, seconds in best.items():
            print(f"    {name:44s} {seconds * 1e3:8.1f} ms   ours x{ours / seconds:5.2f}")
        print(f"    ratio to the fastest hand kernel: x{ours / fastest:.2f}")


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A WAI-SR file: respondent, session, q1..q12 (1..5), about 1 % of answers blank."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("respondent,session," + ",".join(f"q{n}" for n in range(1, 13)) + "\n")
        for start in range(0, rows, 100_000):
            size = min(100_000, rows - start)
            answers = rng.integers(1, 6, size=(size, 12)).astype(str).astype(object)
            answers[rng.random(answers.shape) < 0.01] = ""
            lines = [
                f"R{(start + r) // 10:07d},{(start + r) % 10 + 1}," + ",".join(answers[r])
                for r in range(size)
            ]
            out.write("\n".join(lines) + "\n")


# Peak RSS of this process's own memory: VmHWM (ru_maxrss would include the memory of the
# parent at fork time, which Linux carries across exec).
_PEAK = """
def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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

_PANDAS = (
    _PEAK
    + """
import json, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1])
x = frame[[f"q{n}" for n in range(1, 13)]].to_numpy(dtype=float)
scores = {"task": x[:, [0, 1, 9, 11]].sum(1), "goal": x[:, [3, 5, 7, 10]].sum(1),
          "bond": x[:, [2, 4, 6, 8]].sum(1), "total": x.sum(1)}
scores["total_mean"] = scores["total"] / 12
if sys.argv[2] == "write":
    out = pd.DataFrame({"respondent": frame.respondent, "session": frame.session, **scores})
    out.to_csv(sys.argv[3], index=False)
print(json.dumps({"code": 0, "rss": peak_kb()}), file=sys.stderr)
"""
)


def _child(code: str, *args: str) -> tuple[float, float]:
    """Run a fresh Python process; return (wall seconds, peak RSS in MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if report["code"] != 0:
        raise SystemExit(f"the child failed: {done.stderr[-2000:]}")
    return seconds, report["rss"] / 1024


def bench_csv(rows: int, repeat: int, python_engine: bool) -> None:
    """Print ``alliancekit score`` against pandas, end to end, with peak memory."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("\n(c) skipped: pandas is not installed (pip install pandas)")
        return
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "answers.csv", Path(folder) / "scores.csv"
        write_csv(source, rows)
        megabytes = source.stat().st_size / 2**20
        runs: dict[str, list[str]] = {
            "alliancekit score wai-sr (NumPy engine)": [
                _ALLIANCEKIT,
                "score",
                "wai-sr",
                str(source),
                "-o",
                str(target),
            ],
            "pandas read_csv + sums": [_PANDAS, str(source), "read", ""],
            "pandas read_csv + sums + to_csv": [_PANDAS, str(source), "write", str(target)],
        }
        if python_engine:
            runs["alliancekit score wai-sr (pure Python)"] = [
                _ALLIANCEKIT,
                "score",
                "wai-sr",
                str(source),
                "-o",
                str(target),
                "--engine",
                "python",
            ]
        best = {name: (math.inf, 0.0) for name in runs}
        for _ in range(repeat):
            for name, (code, *args) in runs.items():
                seconds, rss = _child(code, *args)
                if seconds < best[name][0]:
                    best[name] = (seconds, rss)
        print(
            f"\n(c) a {rows:,}-row CSV ({megabytes:.0f} MB), end to end in a fresh process "
            "(target: within 2x of pandas, peak RSS under 200 MB)"
        )
        ours = best["alliancekit score wai-sr (NumPy engine)"][0]
        for name, (seconds, rss) in best.items():
            ratio = ours / seconds
            print(f"  {name:42s} {seconds:6.2f} s  peak RSS {rss:6.0f} MB   ours x{ratio:4.2f}")


def main() -> None:
    """Parse the arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "which", nargs="?", default="all", choices=("single", "table", "csv", "all")
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python-engine", action="store_true", help="also time --engine python")
    args = parser.parse_args()
    print(
        f"alliancekit {ak.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    if args.which in ("single", "all"):
        bench_single(args.repeat)
    if args.which in ("table", "all"):
        bench_table(args.rows, args.repeat)
    if args.which in ("csv", "all"):
        bench_csv(args.rows, max(1, min(args.repeat, 3)), args.python_engine)


if __name__ == "__main__":
    main()
