"""Benchmark :func:`alliancekit.analysis.reliability` on 1,000,000 respondents x 12 items.

A script, not a test: ``python bench/bench_reliability.py [--rows N] [--repeat R]``.
It times, on the same complete data,

- ``reliability`` (every statistic: alpha, standardized alpha, item-rest r, alpha if deleted,
  omega with its one-factor fit, SEM, Feldt interval; input checks included),
- a hand-written NumPy alpha (``np.cov`` and the formula, nothing else),
- ``pingouin.cronbach_alpha`` (skipped, with a note, when pingouin is not installed),

and, for information, ``reliability`` on the same data with 5 % of the answers missing
(pairwise path). It prints the best of ``--repeat`` runs of each and its ratio to the NumPy alpha.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import alliancekit
from alliancekit.analysis import reliability

ITEMS = 12


def bench_scale() -> alliancekit.Scale:
    """A 12-item 1..5 scale with two reverse-keyed items (q3, q7) and a ``total`` score."""
    return alliancekit.load_scale(
        {
            "$schema": "urn:alliancekit:schema:scale:1",
            "id": "bench-12",
            "version": "1.0.0",
            "title": "Benchmark scale",
            "citations": [{"text": "Made up for the benchmark."}],
            "license": {"holder": "none", "terms": "public domain", "item_text": "not-included"},
            "verification": {"status": "verified", "sources": ["made up"], "open_questions": []},
            "response_sets": {
                "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]}
            },
            "items": [
                {"id": f"q{i}", "number": i, "response_set": "likert5", "reverse": i in (3, 7)}
                for i in range(1, ITEMS + 1)
            ],
            "scores": [{"id": "total", "method": "sum", "items": "all"}],
        }
    )


def one_factor_table(rows: int, seed: int = 1) -> np.ndarray:
    """Answers 1..5 (as float64) from one normal factor with loadings of .6 to .75."""
    rng = np.random.default_rng(seed)
    loadings = np.linspace(0.6, 0.75, ITEMS)
    latent = rng.standard_normal((rows, 1)) * loadings + rng.standard_normal(
        (rows, ITEMS)
    ) * np.sqrt(1 - loadings**2)
    return (1 + np.searchsorted([-1.5, -0.5, 0.5, 1.5], latent)).astype(np.float64)


def numpy_alpha(table: np.ndarray) -> float:
    """Cronbach's alpha the short way: one covariance matrix and the formula."""
    cov = np.cov(table, rowvar=False)
    k = cov.shape[0]
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def best_time(function: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Run the benchmark and print one line per contender."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    scale = bench_scale()
    table = one_factor_table(args.rows)
    unkeyed = table.copy()
    for j in (2, 6):  # reliability recodes q3 and q7 itself; the others get pre-recoded data
        unkeyed[:, j] = 6 - unkeyed[:, j]
    holes = table.copy()
    holes[np.random.default_rng(2).random(holes.shape) < 0.05] = np.nan

    result = reliability(scale, table)
    reference = numpy_alpha(unkeyed)
    print(f"{args.rows:,} respondents x {ITEMS} items, best of {args.repeat} runs")
    print(f"alpha: reliability {result.alpha:.15f}, numpy {reference:.15f}")

    baseline = best_time(lambda: numpy_alpha(unkeyed), args.repeat)
    rows = [
        ("hand-written NumPy alpha (np.cov)", baseline),
        (
            "alliancekit reliability, complete data",
            best_time(lambda: reliability(scale, table), args.repeat),
        ),
        (
            "alliancekit reliability, 5% missing, pairwise",
            best_time(lambda: reliability(scale, holes), args.repeat),
        ),
        (
            "alliancekit reliability, 5% missing, listwise",
            best_time(lambda: reliability(scale, holes, missing="listwise"), args.repeat),
        ),
    ]
    try:
        import pandas as pd
        import pingouin
    except ImportError:
        print("pingouin not installed: skipping pingouin.cronbach_alpha")
    else:
        frame = pd.DataFrame(unkeyed, columns=[f"q{i}" for i in range(1, ITEMS + 1)])
        value = pingouin.cronbach_alpha(frame)[0]
        print(f"alpha: pingouin {value:.15f}")
        rows.append(
            (
                "pingouin.cronbach_alpha",
                best_time(lambda: pingouin.cronbach_alpha(frame), args.repeat),
            )
        )

    print(f"{'contender':<48} {'seconds':>9} {'x numpy':>8}")
    for name, seconds in rows:
        print(f"{name:<48} {seconds:>9.4f} {seconds / baseline:>8.2f}")


if __name__ == "__main__":
    main()
