"""Write the deterministic data sets that ``reference.R`` analyses with R's psych package.

Run from anywhere: ``python tests/data/psych/make_data.py``. The output is byte-for-byte the same
on every run (NumPy's default_rng with a fixed seed), so the CSV files and ``reference.json`` are
committed and this script only documents how they were made.

Every set has 12 items ``q1``..``q12`` answered on 1..5, generated from one normal factor with
loadings between .55 and .75 and item-specific thresholds, so a one-factor model fits well.

- ``complete.csv``: 300 respondents, no missing answers.
- ``missing.csv``: 300 respondents, about 5 % of answers blanked at random (an empty cell);
  every respondent keeps at least one answer.
- ``reversed.csv``: 300 respondents; ``q3`` and ``q7`` are reverse-worded, so their raw answers
  run against the factor and must be recoded 6 - x (the scale keys them ``reverse``).
- ``small.csv``: 20 respondents, no missing answers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SEED = 20240611
N_ITEMS = 12
LOADINGS = np.array([0.75, 0.70, 0.65, 0.72, 0.60, 0.68, 0.55, 0.70, 0.62, 0.66, 0.58, 0.71])
BASE_THRESHOLDS = np.array([-1.6, -0.6, 0.3, 1.2])
REVERSED = ("q3", "q7")
HERE = Path(__file__).resolve().parent


def one_factor_answers(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return an ``n`` x 12 integer array of answers 1..5 with a one-factor structure."""
    factor = rng.standard_normal(n)
    noise = rng.standard_normal((n, N_ITEMS))
    latent = factor[:, None] * LOADINGS + noise * np.sqrt(1.0 - LOADINGS**2)
    shifts = rng.uniform(-0.4, 0.4, N_ITEMS)
    answers = np.ones((n, N_ITEMS), dtype=np.int64)
    for j in range(N_ITEMS):
        answers[:, j] += np.searchsorted(BASE_THRESHOLDS + shifts[j], latent[:, j])
    return answers


def write_csv(path: Path, answers: np.ndarray, missing: np.ndarray | None = None) -> None:
    """Write answers with a header ``q1..q12``; a ``True`` in ``missing`` is an empty cell."""
    header = ",".join(f"q{j + 1}" for j in range(answers.shape[1]))
    lines = [header]
    for i, row in enumerate(answers):
        cells = [
            "" if missing is not None and missing[i, j] else str(int(v)) for j, v in enumerate(row)
        ]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    """Generate every data set into this folder."""
    rng = np.random.default_rng(SEED)

    write_csv(HERE / "complete.csv", one_factor_answers(rng, 300))

    answers = one_factor_answers(rng, 300)
    missing = rng.random(answers.shape) < 0.05
    missing[missing.all(axis=1), 0] = False
    write_csv(HERE / "missing.csv", answers, missing)

    answers = one_factor_answers(rng, 300)
    for item in REVERSED:
        j = int(item[1:]) - 1
        answers[:, j] = 6 - answers[:, j]
    write_csv(HERE / "reversed.csv", answers)

    write_csv(HERE / "small.csv", one_factor_answers(rng, 20))


if __name__ == "__main__":
    main()
