"""Scoring a whole table of responses at once: :func:`score_table`.

A table has one row per response and one column per item, in item order; a missing answer is NaN
(or ``None`` without NumPy). With NumPy (the ``fast`` extra) the table is scored by the exact
vectorised kernel of ``_kernel``; without it, or where the kernel cannot
prove exactness (a plugin scoring method, bounds beyond 2**53, a mark with more than nine
decimals), row by row by the same engine as :meth:`Scale.score`. Both give exactly the values of
:meth:`Scale.score`.

Table cells follow the rules of ``Scale.score(..., coerce=True)`` for numbers: a whole float such
as ``4.0`` is a valid option of an ordinal item; NaN is missing; a boolean, infinity, a value that
is no option or out of range is an error. Text is never read here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring._answers import AnswerValue, ItemCheck, check_value

if TYPE_CHECKING:
    from alliancekit.scoring._plan import ScoringPlan

__all__ = [
    "COLUMN_CHUNK_ROWS",
    "MAX_LISTED_ISSUES",
    "Column",
    "ColumnScores",
    "add_issues",
    "check_cell",
    "raise_bad_rows",
    "raise_issues",
    "row_values",
    "score_columns",
    "score_float_table",
    "score_rows",
    "score_table",
]

#: A table's ResponseError lists at most this many bad cells, then one ``more-problems`` issue.
MAX_LISTED_ISSUES = 1000


def check_cell(check: ItemCheck, value: object) -> AnswerValue | ResponseIssue:
    """Check one table cell: ``None`` and NaN are missing, text is a ``wrong-type`` error, and
    numbers follow :func:`~alliancekit.scoring.check_value` with ``coerce``."""
    if value is None or (type(value) is float and math.isnan(value)):
        return None
    if isinstance(value, (str, bytes)):
        return ResponseIssue(
            item_id=check.id,
            code="wrong-type",
            message=f"{check.id!r} must be a number (got {type(value).__name__})",
        )
    if not isinstance(value, (int, float)) and _is_nan(value):
        return None
    return check_value(check, value, True)


def _is_nan(value: object) -> bool:
    try:
        return value != value  # NaN of numpy and other number types
    except Exception:  # a value whose comparison fails is not NaN
        return False


def _where(row: int, column: int, issue: ResponseIssue) -> ResponseIssue:
    return ResponseIssue(
        item_id=issue.item_id, code=issue.code, message=f"table[{row}, {column}]: {issue.message}"
    )


def row_values(
    plan: ScoringPlan, row: Sequence[object], index: int, issues: list[ResponseIssue]
) -> list[AnswerValue] | None:
    """The checked answers of one table row, or ``None`` after adding its issues to ``issues``
    (located as ``table[row, column]``)."""
    values: list[AnswerValue] = []
    ok = True
    for column, (check, cell) in enumerate(zip(plan.item_checks, row, strict=True)):
        checked = check_cell(check, cell)
        if isinstance(checked, ResponseIssue):
            issues.append(_where(index, column, checked))
            ok = False
            values.append(None)
        else:
            values.append(checked)
    return values if ok else None


def score_rows(plan: ScoringPlan, rows: Sequence[Sequence[object]]) -> dict[str, list[float]]:
    """The pure-Python :func:`score_table`: rows are sequences of numbers (``None`` or NaN for
    missing), one per item in item order.

    :returns: score id -> list of floats, NaN where the missing-data rule fails.
    :raises ResponseError: listing every bad cell (at most :data:`MAX_LISTED_ISSUES`).
    """
    width = len(plan.item_ids)
    columns: list[list[float]] = [[] for _ in plan.scores]
    issues: list[ResponseIssue] = []
    unlisted = 0
    for index, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != width:
            found = [_shape_issue(index, row, width)]
        else:
            found = []
            values = row_values(plan, row, index, found)
            if values is not None:
                for column, value in zip(columns, plan.raw_values(values), strict=True):
                    column.append(math.nan if value is None else value)
                continue
        unlisted += add_issues(issues, found)
    if issues:
        raise_issues(plan, issues, unlisted)
    return dict(zip(plan.score_ids, columns, strict=True))


def add_issues(issues: list[ResponseIssue], found: list[ResponseIssue]) -> int:
    """Add one bad row's issues while fewer than :data:`MAX_LISTED_ISSUES` are listed; returns
    1 when the row was left unlisted, else 0."""
    if len(issues) >= MAX_LISTED_ISSUES:
        return 1
    issues.extend(found)
    return 0


def raise_issues(plan: ScoringPlan, issues: list[ResponseIssue], unlisted: int) -> None:
    """Raise the table's ResponseError (with a ``more-problems`` issue for unlisted rows)."""
    if unlisted:
        issues.append(
            ResponseIssue(
                item_id="*",
                code="more-problems",
                message=f"{unlisted} more bad row{'s' if unlisted != 1 else ''} not listed",
            )
        )
    raise ResponseError(issues, scale_id=plan.scale.id)


def _shape_issue(index: int, row: object, width: int) -> ResponseIssue:
    size = len(row) if isinstance(row, Sequence) and not isinstance(row, (str, bytes)) else None
    got = f"{size} cells" if size is not None else type(row).__name__
    return ResponseIssue(
        item_id="*",
        code="wrong-shape",
        message=f"table[{index}]: a row must have one cell per item ({width}), got {got}",
    )


def score_table(plan: ScoringPlan, table: Any) -> dict[str, Any]:
    """Score every row of a table; see :meth:`Scale.score_table`.

    :param table: with NumPy, a 2-D numeric array (or anything :func:`numpy.asarray` makes one
        of) of shape (rows, items), NaN for missing; without NumPy, a sequence of rows.
    :returns: score id -> 1-D float64 array (with NumPy) or list of floats (without), one value
        per row, NaN where the score's missing-data rule fails.
    :raises ResponseError: listing every bad cell as ``table[row, column]`` with the item id
        (at most :data:`MAX_LISTED_ISSUES` cells, then a ``more-problems`` issue), or the
        table's shape or type when it is not a numeric 2-D table.
    """
    try:
        import numpy  # noqa: F401
    except ImportError:
        return score_rows(plan, table)
    from alliancekit.scoring._vector._table import score_array

    return score_array(plan, table)


def score_float_table(
    plan: ScoringPlan, array: Any
) -> tuple[Any, list[tuple[int, list[ResponseIssue]]]]:
    """Score a 2-D float64 NumPy array with the vector kernel, reporting bad rows instead of
    raising (needs NumPy).

    :returns: the values (one row per score in plan order, one column per table row; NaN for no
        value, and for bad rows) and ``(row index, issues)`` of every bad row.
    """
    from alliancekit.scoring._vector._table import score_float_table as kernel_table

    return kernel_table(plan, array)


#: A column of :func:`score_columns`: its values (a 1-D numeric NumPy array, NaN = missing) and a
#: boolean array of further missing cells (whatever their value), or ``None``.
Column = tuple[Any, Any]

#: Rows copied from the columns into one row-major block: a block of 12 items is 6 MiB, so a
#: whole frame is never copied at once.
COLUMN_CHUNK_ROWS = 65536


@dataclass(frozen=True)
class ColumnScores:
    """The scores of a list of columns (NumPy arrays).

    :ivar values: score id -> float64 values, NaN where the missing-data rule fails and on bad
        rows.
    :ivar answered: score id -> members with a value (:attr:`Score.n_answered`; 0 on bad
        rows), or ``None`` without ``details``.
    :ivar reasons: score id -> why the value is missing (:attr:`Score.reason`; ``None`` where
        there is a value and on bad rows), or ``None`` without ``details``.
    :ivar bad: ``(row, [(column, issue), ...])`` for every row with a bad cell, rows ascending;
        the issues are :meth:`Scale.score`'s, not located (the caller names row and column).
    """

    values: dict[str, Any]
    answered: dict[str, Any] | None
    reasons: dict[str, Any] | None
    bad: list[tuple[int, list[tuple[int, ResponseIssue]]]]


def score_columns(plan: ScoringPlan, columns: Sequence[Column], *, details: bool) -> ColumnScores:
    """Score one column per item (item order, equal lengths) with the vector kernel, exactly as
    :meth:`Scale.score` scores each row; bad rows are reported, not raised (needs NumPy).

    :param details: also give each score's ``n_answered`` and ``reason``.
    :raises ScoringError: as :meth:`Scale.score` does (an inconsistent scale or a plugin bug).
    """
    from alliancekit.scoring._vector._columns import score_columns as kernel_columns

    return kernel_columns(plan, columns, details=details)


def raise_bad_rows(plan: ScoringPlan, rows: Sequence[list[ResponseIssue]]) -> NoReturn:
    """Raise one :class:`ResponseError` for bad rows' issues (already located by the caller),
    listing at most :data:`MAX_LISTED_ISSUES` cells, then ``more-problems``."""
    issues: list[ResponseIssue] = []
    unlisted = 0
    for found in rows:
        unlisted += add_issues(issues, found)
    raise_issues(plan, issues, unlisted)
    raise AssertionError("raise_issues returned")  # pragma: no cover
