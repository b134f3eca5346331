"""Scoring a list of column buffers with the vector kernel: one column per item, copied a chunk
of rows at a time into a row-major block (no 2-D copy of the whole frame), bad rows reported
rather than raised, and each score's ``n_answered`` and ``reason`` on request. Reached through
:func:`alliancekit.scoring.score_columns`; what the data-frame bridges score with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from alliancekit.errors import ResponseIssue
from alliancekit.scoring._tables import COLUMN_CHUNK_ROWS, Column, ColumnScores, check_cell
from alliancekit.scoring._vector._table import score_float_table

if TYPE_CHECKING:
    from alliancekit.scoring._plan import ScoringPlan

__all__ = ["score_columns"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]


def score_columns(plan: ScoringPlan, columns: Sequence[Column], *, details: bool) -> ColumnScores:
    """See :func:`alliancekit.scoring.score_columns`."""
    n = len(columns[0][0]) if columns else 0
    values = np.empty((len(plan.scores), n))
    counts = np.zeros((len(plan.scores), n), dtype=np.int64) if details else None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]] = []
    chunk = np.empty((min(n, COLUMN_CHUNK_ROWS), len(columns)))
    for start in range(0, n, COLUMN_CHUNK_ROWS):
        stop = min(start + COLUMN_CHUNK_ROWS, n)
        block = chunk[: stop - start]
        for j, (column, missing) in enumerate(columns):
            cells = block[:, j]
            cells[...] = column[start:stop]
            if missing is not None:
                np.copyto(cells, np.nan, where=missing[start:stop])
        block_values, block_bad = score_float_table(plan, block)
        values[:, start:stop] = block_values
        for row, _ in block_bad:
            bad.append((start + row, _cell_issues(plan, block[row])))
        if counts is not None:
            _count_answered(plan, block, block_values, counts[:, start:stop])
    by_score = dict(zip(plan.score_ids, values, strict=True))
    if counts is None:
        return ColumnScores(values=by_score, answered=None, reasons=None, bad=bad)
    bad_rows = np.zeros(n, dtype=np.bool_)
    bad_rows[[row for row, _ in bad]] = True
    counts[:, bad_rows] = 0
    answered = dict(zip(plan.score_ids, counts, strict=True))
    reasons = _missing_reasons(plan, by_score, answered, bad_rows)
    return ColumnScores(values=by_score, answered=answered, reasons=reasons, bad=bad)


def _cell_issues(plan: ScoringPlan, row: FloatArray) -> list[tuple[int, ResponseIssue]]:
    found = []
    for column, (check, cell) in enumerate(zip(plan.item_checks, row.tolist(), strict=True)):
        issue = check_cell(check, cell)
        if isinstance(issue, ResponseIssue):
            found.append((column, issue))
    return found


def _count_answered(plan: ScoringPlan, block: FloatArray, values: FloatArray, out: Any) -> None:
    given = ~np.isnan(block)
    for i, compiled in enumerate(plan.scores):
        members = given if compiled.by_items else ~np.isnan(values).T
        out[i] = members[:, list(compiled.positions)].sum(axis=1)


def _missing_reasons(
    plan: ScoringPlan,
    values: dict[str, FloatArray],
    answered: dict[str, IntArray],
    bad_rows: BoolArray,
) -> dict[str, ObjectArray]:
    reasons: dict[str, ObjectArray] = {}
    for compiled in plan.scores:
        reason = np.full(bad_rows.shape, None, dtype=object)
        # A value is missing only when too few members have one: the loader refuses the weights
        # that could make a prorated weighted sum fail otherwise (they must be positive).
        failed = np.isnan(values[compiled.id]) & ~bad_rows
        counts = answered[compiled.id]
        for count in np.unique(counts[failed]).tolist():
            reason[failed & (counts == count)] = compiled.reason(count)
        reasons[compiled.id] = reason
    return reasons
