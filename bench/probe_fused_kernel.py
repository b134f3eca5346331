"""Issue 15, a probe: what a fused compiled loop (numba) does on the float64 and 3 % NaN rows.

alliancekit does not use numba; this script is the evidence for that decision. One pass checks
every answer (an integer option 1..5; NaN = missing in the second loop), and a second computes
each row's keyed item-set sums (and answered counts), on the data and against the baselines of
the float64 and NaN rows of ``bench_round_two.py``. Sums and counts are checked against NumPy's.
Turning them into score values (a division or a table look-up per score) is not timed here,
so the loops are a lower bound of a compiled kernel's time.
It stands alone (numba is in no extra): ``pip install numba``, then
``python bench/probe_fused_kernel.py [--rounds N]``.
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numba
import numpy as np

SETS = ((0, 1, 9, 11), (3, 5, 7, 10), (2, 4, 6, 8), tuple(range(12)))  # task, goal, bond, all
REVERSED = (2, 6)
LOW, HIGH = 1.0, 5.0


@numba.njit(nogil=True, boundscheck=False)
def fused_complete(table: Any, member: Any, reverse: Any, sums: Any) -> bool:
    """Check that every answer is given and an option, then write each row's keyed sum of
    every item set; ``False`` otherwise (a block with a missing answer goes to ``fused``)."""
    flat = table.reshape(-1)
    valid = True
    for t in range(flat.shape[0]):  # one branch-free pass: vectorised (NaN fails every test)
        v = flat[t]
        valid &= (v >= LOW) & (v <= HIGH) & (v == np.floor(v))
    if not valid:
        return False
    for i in range(table.shape[0]):
        s0 = s1 = s2 = s3 = 0.0
        for j in range(table.shape[1]):
            v = table[i, j]
            keyed = reverse[j] - v if reverse[j] != 0.0 else v
            s0 += keyed * member[j, 0]
            s1 += keyed * member[j, 1]
            s2 += keyed * member[j, 2]
            s3 += keyed * member[j, 3]
        sums[0, i], sums[1, i], sums[2, i], sums[3, i] = s0, s1, s2, s3
    return True


@numba.njit(nogil=True, boundscheck=False)
def fused(table: Any, member: Any, reverse: Any, sums: Any, counts: Any) -> bool:
    """Check every answer (NaN = missing), then write each row's keyed sum and answered count
    of every item set; ``False`` when an answer is not an option."""
    flat = table.reshape(-1)
    valid = True
    for t in range(flat.shape[0]):  # one branch-free pass: vectorised
        v = flat[t]
        valid &= (v != v) | ((v >= LOW) & (v <= HIGH) & (v == np.floor(v)))
    if not valid:
        return False
    for i in range(table.shape[0]):
        s0 = s1 = s2 = s3 = 0.0
        c0 = c1 = c2 = c3 = 0.0
        for j in range(table.shape[1]):
            v = table[i, j]
            present = 1.0 if v == v else 0.0
            keyed = (reverse[j] - v if reverse[j] != 0.0 else v) if v == v else 0.0
            s0 += keyed * member[j, 0]
            s1 += keyed * member[j, 1]
            s2 += keyed * member[j, 2]
            s3 += keyed * member[j, 3]
            c0 += present * member[j, 0]
            c1 += present * member[j, 1]
            c2 += present * member[j, 2]
            c3 += present * member[j, 3]
        sums[0, i], sums[1, i], sums[2, i], sums[3, i] = s0, s1, s2, s3
        counts[0, i], counts[1, i], counts[2, i], counts[3, i] = c0, c1, c2, c3
    return True


def elapsed_ms(function: Callable[[Any], object], table: Any) -> float:
    start = time.perf_counter()
    function(table)
    return (time.perf_counter() - start) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    rounds = max(7, parser.parse_args().rounds)
    int8 = np.random.default_rng(1).integers(1, 6, size=(1_000_000, 12), dtype=np.int8)
    holes = np.random.default_rng(2).random(int8.shape) < 0.03
    member = np.zeros((12, 4))
    for k, items in enumerate(SETS):
        member[list(items), k] = 1.0
    reverse = np.zeros(12)
    reverse[list(REVERSED)] = LOW + HIGH
    weights = np.hstack([member, np.full((12, 1), 1 / 12)])
    sums, counts = np.empty((4, len(int8))), np.empty((4, len(int8)))
    start = time.perf_counter()
    fused(int8[:1].astype(np.float64), member, reverse, sums, counts)
    fused_complete(int8[:1].astype(np.float64), member, reverse, sums)
    print(f"compiling the two loops took {time.perf_counter() - start:.2f} s")

    w32 = weights.astype(np.float32)
    ones = (w32 != 0).astype(np.float32)
    peer = np.where(holes, 0, int8).astype(np.int8)
    complete_table = int8.astype(np.float64)
    # A missing answer sends a block to the other loop.
    assert not fused_complete(np.where(holes, np.nan, complete_table), member, reverse, sums)
    cases = {
        "1M x 12, float64": (
            complete_table,
            lambda t: fused_complete(t, member, reverse, sums),
            lambda t: t @ weights,
        ),
        "1M x 12, 3% NaN (float64)": (
            np.where(holes, np.nan, complete_table),
            lambda t: fused(t, member, reverse, sums, counts),
            lambda _: (peer.astype(np.float32) @ w32) / ((peer != 0).astype(np.float32) @ ones),
        ),
    }
    for name, (table, loop, baseline) in cases.items():
        counts[:] = member.sum(axis=0)[:, None]  # a complete block's: its sets' sizes
        assert loop(table)
        keyed = np.where(np.isnan(table), 0.0, table)
        keyed[:, list(REVERSED)] = np.where(
            np.isnan(table[:, list(REVERSED)]), 0.0, LOW + HIGH - table[:, list(REVERSED)]
        )
        assert np.array_equal(sums, (keyed @ member).T)
        assert np.array_equal(counts, ((~np.isnan(table)) @ member).T)
        ours, base = [], []
        for _ in range(rounds):  # interleaved
            ours.append(elapsed_ms(loop, table))
            base.append(elapsed_ms(baseline, table))
        o, b = statistics.median(ours), statistics.median(base)
        print(f"{name:<28} fused {o:8.2f} ms   baseline {b:8.2f} ms   {o / b:5.2f}x")


if __name__ == "__main__":
    main()
