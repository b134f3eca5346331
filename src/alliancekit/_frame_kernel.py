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
from alliancekit.tables import add_issues, check_cell, raise_issues, row_values

if TYPE_CHECKING:
    from alliancekit.model import Scale

__all__ = [
    "CHUNK_ROWS",
    "ColumnScores",
    "missing_reasons",
    "raise_bad_rows",
    "score_columns",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Rows copied from the columns into one row-major chunk: a chunk of 12 items is 6 MiB, so the
#: whole frame is never copied at once.
CHUNK_ROWS = 65536


@dataclass(frozen=True)
class ColumnScores:
    """The scores of a list of columns.

    :ivar values: score id -> float64 values, NaN where the missing-data rule fails and on bad
        rows.
    :ivar answered: score id -> members with a value (``n_answered`` of :class:`Score`; 0 on
        bad rows), or ``None`` when not asked for.
    :ivar bad: ``(row, [(column, issue), ...])`` for every row with a bad cell, rows ascending;
        the issues are :meth:`Scale.score`'s, not located (the caller names row and column).
    """

    values: dict[str, FloatArray]
    answered: dict[str, IntArray] | None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]]


def score_columns(scale: Scale, columns: Sequence[Any], *, answered: bool) -> ColumnScores:
    """Score one 1-D numeric NumPy array per item (item order, equal lengths, NaN = missing),
    exactly as :meth:`Scale.score` scores each row.

    :param answered: also count each score's answered members.
    :raises ScoringError: as :meth:`Scale.score` does (an inconsistent scale or a plugin bug).
    """
    plan = scale._plan
    n = len(columns[0]) if columns else 0
    values = np.empty((len(plan.scores), n))
    counts = np.zeros((len(plan.scores), n), dtype=np.int64) if answered else None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]] = []
    chunk = np.empty((min(n, CHUNK_ROWS), len(columns)))
    for start in range(0, n, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n)
        block = chunk[: stop - start]
        for j, column in enumerate(columns):
            block[:, j] = column[start:stop]
        block_values, block_bad = score_float_table(scale, block)
        values[:, start:stop] = block_values
        for row, _ in block_bad:
            bad.append((start + row, _cell_issues(scale, block[row])))
        if counts is not None:
            _count_answered(scale, block, block_values, counts[:, start:stop])
    if counts is not None:
        for row, _ in bad:
            counts[:, row] = 0
    return ColumnScores(
        values=dict(zip(plan.score_ids, values, strict=True)),
        answered=None if counts is None else dict(zip(plan.score_ids, counts, strict=True)),
        bad=bad,
    )


def _cell_issues(scale: Scale, row: FloatArray) -> list[tuple[int, ResponseIssue]]:
    found = []
    for column, (check, cell) in enumerate(zip(scale._plan.item_checks, row.tolist())):
        issue = check_cell(check, cell)
        if isinstance(issue, ResponseIssue):
            found.append((column, issue))
    return found


def _count_answered(scale: Scale, block: FloatArray, values: FloatArray, out: Any) -> None:
    given = ~np.isnan(block)
    for i, compiled in enumerate(scale._plan.scores):
        members = given if compiled.by_items else ~np.isnan(values).T
        out[i] = members[:, list(compiled.positions)].sum(axis=1)


def missing_reasons(
    scale: Scale, columns: Sequence[Any], scores: ColumnScores
) -> dict[str, npt.NDArray[np.object_]]:
    """Score id -> why each row's value is missing (:attr:`Score.reason`), ``None`` where it has
    a value and on bad rows. ``scores`` must come from :func:`score_columns` with ``answered``.
    """
    assert scores.answered is not None
    plan = scale._plan
    bad_rows = np.zeros(len(columns[0]) if columns else 0, dtype=np.bool_)
    bad_rows[[row for row, _ in scores.bad]] = True
    reasons: dict[str, npt.NDArray[np.object_]] = {}
    for compiled in plan.scores:
        reason = np.full(bad_rows.shape, None, dtype=object)
        failed = np.isnan(scores.values[compiled.id]) & ~bad_rows
        answered = scores.answered[compiled.id]
        too_few = failed & (answered < compiled.need)
        for count in np.unique(answered[too_few]).tolist():
            reason[too_few & (answered == count)] = compiled.reason(count)
        # Enough members but no value (prorating over weights that sum to zero): rare, so the
        # row is scored again by the engine that states the reason.
        for row in np.flatnonzero(failed & ~too_few).tolist():
            checked = row_values(plan, [column[row].item() for column in columns], row, [])
            assert checked is not None
            reason[row] = plan.score_values(checked).scores[compiled.id].reason
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
