"""What :mod:`alliancekit.frames` needs from the scoring kernel and the public ``score_table``
does not give: scoring a list of column buffers (no 2-D copy of the whole frame), bad rows
reported rather than raised (for ``on_error="null"``), and each score's ``n_answered`` and
``reason`` (for ``details=True``).

The only module of the frames work that reads scoring internals (``Scale._plan``,
:func:`~alliancekit.table_numpy.score_float_table`, :func:`~alliancekit.tables.check_cell`,
:meth:`CompiledScore.reason`); it belongs in the scoring layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np
import numpy.typing as npt

from alliancekit.errors import ResponseIssue
from alliancekit.table_numpy import score_float_table
from alliancekit.tables import add_issues, check_cell, raise_issues

if TYPE_CHECKING:
    from alliancekit.model import Scale

__all__ = [
    "CHUNK_ROWS",
    "Column",
    "ColumnScores",
    "raise_bad_rows",
    "score_columns",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]
#: a column's values and its missing cells beyond NaN (see :func:`score_columns`)
Column = tuple[Any, BoolArray | None]

#: Rows copied from the columns into one row-major chunk: a chunk of 12 items is 6 MiB, so the
#: whole frame is never copied at once.
CHUNK_ROWS = 65536


@dataclass(frozen=True)
class ColumnScores:
    """The scores of a list of columns.

    :ivar values: score id -> float64 values, NaN where the missing-data rule fails and on bad
        rows.
    :ivar answered: score id -> members with a value (:attr:`Score.n_answered`; 0 on bad
        rows), or ``None`` without ``details``.
    :ivar reasons: score id -> why the value is missing (:attr:`Score.reason`; ``None`` where
        there is a value and on bad rows), or ``None`` without ``details``.
    :ivar bad: ``(row, [(column, issue), ...])`` for every row with a bad cell, rows ascending;
        the issues are :meth:`Scale.score`'s, not located (the caller names row and column).
    """

    values: dict[str, FloatArray]
    answered: dict[str, IntArray] | None
    reasons: dict[str, ObjectArray] | None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]]


def score_columns(scale: Scale, columns: Sequence[Column], *, details: bool) -> ColumnScores:
    """Score one column per item (item order, equal lengths), exactly as :meth:`Scale.score`
    scores each row. A column is a 1-D numeric NumPy array (NaN = missing) and a boolean array
    of further missing cells (whatever their value), or ``None``.

    :param details: also give each score's ``n_answered`` and ``reason``.
    :raises ScoringError: as :meth:`Scale.score` does (an inconsistent scale or a plugin bug).
    """
    plan = scale._plan
    n = len(columns[0][0]) if columns else 0
    values = np.empty((len(plan.scores), n))
    counts = np.zeros((len(plan.scores), n), dtype=np.int64) if details else None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]] = []
    chunk = np.empty((min(n, CHUNK_ROWS), len(columns)))
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        block = chunk[: stop - start]
        for j, (column, missing) in enumerate(columns):
            cells = block[:, j]
            cells[...] = column[start:stop]
            if missing is not None:
                np.copyto(cells, np.nan, where=missing[start:stop])
        block_values, block_bad = score_float_table(scale, block)
        values[:, start:stop] = block_values
        for row, _ in block_bad:
            bad.append((start + row, _cell_issues(scale, block[row])))
        if counts is not None:
            _count_answered(scale, block, block_values, counts[:, start:stop])
    by_score = dict(zip(plan.score_ids, values, strict=True))
    if counts is None:
        return ColumnScores(values=by_score, answered=None, reasons=None, bad=bad)
    bad_rows = np.zeros(n, dtype=np.bool_)
    bad_rows[[row for row, _ in bad]] = True
    counts[:, bad_rows] = 0
    answered = dict(zip(plan.score_ids, counts, strict=True))
    reasons = _missing_reasons(scale, by_score, answered, bad_rows)
    return ColumnScores(values=by_score, answered=answered, reasons=reasons, bad=bad)


def _cell_issues(scale: Scale, row: FloatArray) -> list[tuple[int, ResponseIssue]]:
    found = []
    for column, (check, cell) in enumerate(zip(scale._plan.item_checks, row.tolist(), strict=True)):
        issue = check_cell(check, cell)
        if isinstance(issue, ResponseIssue):
            found.append((column, issue))
    return found


def _count_answered(scale: Scale, block: FloatArray, values: FloatArray, out: Any) -> None:
    given = ~np.isnan(block)
    for i, compiled in enumerate(scale._plan.scores):
        members = given if compiled.by_items else ~np.isnan(values).T
        out[i] = members[:, list(compiled.positions)].sum(axis=1)


def _missing_reasons(
    scale: Scale, values: dict[str, FloatArray], answered: dict[str, IntArray], bad_rows: BoolArray
) -> dict[str, ObjectArray]:
    reasons: dict[str, ObjectArray] = {}
    for compiled in scale._plan.scores:
        reason = np.full(bad_rows.shape, None, dtype=object)
        # A value is missing only when too few members have one: the loader refuses the weights
        # that could make a prorated weighted sum fail otherwise (they must be positive).
        failed = np.isnan(values[compiled.id]) & ~bad_rows
        counts = answered[compiled.id]
        for count in np.unique(counts[failed]).tolist():
            reason[failed & (counts == count)] = compiled.reason(count)
        reasons[compiled.id] = reason
    return reasons


def raise_bad_rows(scale: Scale, rows: Sequence[list[ResponseIssue]]) -> NoReturn:
    """Raise one :class:`ResponseError` for bad rows' issues (already located by the caller),
    listing at most as many cells as :meth:`Scale.score_table` does, then ``more-problems``.
    """
    issues: list[ResponseIssue] = []
    unlisted = 0
    for found in rows:
        unlisted += add_issues(issues, found)
    raise_issues(scale, issues, unlisted)
    raise AssertionError("raise_issues returned")  # pragma: no cover
