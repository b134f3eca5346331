"""The NumPy side of :func:`~alliancekit.scoring.score_table`: checking the array, scoring it block
by block with the exact kernel, and locating bad cells. Imported only when NumPy is installed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring._tables import add_issues, raise_issues, row_values
from alliancekit.scoring._vector._kernel import BLOCK_ROWS, Kernel, NotExact

if TYPE_CHECKING:
    from alliancekit.scoring._plan import ScoringPlan

__all__ = ["as_table", "kernel_for", "score_array", "score_float_table"]

FloatArray = npt.NDArray[np.float64]


def kernel_for(plan: ScoringPlan) -> Kernel | None:
    """The plan's vectorised kernel (built once), or ``None`` when it cannot be exact."""
    if plan.kernel is None:
        try:
            plan.kernel = Kernel(plan)
        except NotExact:
            plan.kernel = False
    return plan.kernel or None


def _table_error(plan: ScoringPlan, code: str, message: str) -> ResponseError:
    issue = ResponseIssue(item_id="*", code=code, message=message)
    return ResponseError([issue], scale_id=plan.scale.id)


def as_table(plan: ScoringPlan, table: Any) -> Any:
    """The table as a 2-D array of the scale's width: integers as they are (the kernel reads
    them without a float64 copy), anything else as float64.

    :raises ResponseError: for a boolean or non-numeric array, or the wrong shape.
    """
    array = table if isinstance(table, np.ndarray) else np.asarray(table)
    if array.dtype.kind == "b":
        raise _table_error(plan, "boolean-not-allowed", "the table is boolean; True is not 1")
    if array.dtype.kind not in "iuf":
        raise _table_error(
            plan,
            "wrong-type",
            f"the table must be numeric, NaN for missing (got dtype {array.dtype})",
        )
    width = len(plan.item_ids)
    if array.ndim != 2 or array.shape[1] != width:
        if array.ndim == 1 and array.shape[0] == 0:
            return np.empty((0, width))
        raise _table_error(
            plan,
            "wrong-shape",
            f"the table must have shape (rows, {width}), one column per item in item order "
            f"(got {array.shape})",
        )
    if array.dtype.kind in "iu":
        return np.ascontiguousarray(array)
    return np.asarray(array, dtype=np.float64)


def score_array(plan: ScoringPlan, table: Any) -> dict[str, FloatArray]:
    """:func:`~alliancekit.scoring.score_table` with NumPy.

    :raises ResponseError: listing every bad cell (see ``score_table``).
    """
    values, bad = score_float_table(plan, as_table(plan, table))
    if bad:
        issues: list[ResponseIssue] = []
        unlisted = 0
        for _, found in bad:
            unlisted += add_issues(issues, found)
        raise_issues(plan, issues, unlisted)
    return dict(zip(plan.score_ids, values, strict=True))


def score_float_table(
    plan: ScoringPlan, array: Any
) -> tuple[FloatArray, list[tuple[int, list[ResponseIssue]]]]:
    """Score a float64 table (or a C-contiguous integer one, read as float64 would be); bad
    rows are reported, not raised.

    :returns: the values (one row per score in plan order, one column per table row; NaN for
        no value, and for bad rows) and ``(row index, issues)`` of every bad row.
    """
    n = array.shape[0]
    values = np.empty((len(plan.scores), n))
    bad: list[tuple[int, list[ResponseIssue]]] = []
    kernel = kernel_for(plan)
    by_row = np.ones(n, dtype=np.bool_) if kernel is None else None  # rows scored one by one
    if kernel is not None:
        # An integer block is a quarter (or less) of a float64 one: twice the rows still fit
        # in cache, and a small table is one block.
        step = BLOCK_ROWS if array.dtype == np.float64 else 2 * BLOCK_ROWS
        scratch = kernel.scratch(min(n, step))
        try:
            for start in range(0, n, step):
                block = np.ascontiguousarray(array[start : start + step])
                out = values[:, start : start + block.shape[0]]
                result = None
                if block.dtype != np.float64:
                    result = kernel.int_block(block, out, scratch)
                    if result is None:
                        block = block.astype(np.float64)
                if result is None:
                    result = kernel.block(block, out, scratch)
                for rows in (result.bad, result.inexact):
                    if rows is not None:
                        if by_row is None:
                            by_row = np.zeros(n, dtype=np.bool_)
                        by_row[start : start + block.shape[0]] |= rows
        except NotExact:
            by_row = np.ones(n, dtype=np.bool_)
    for index in () if by_row is None else np.flatnonzero(by_row).tolist():
        found: list[ResponseIssue] = []
        row = array[index].astype(np.float64, copy=False)  # as float64 tables always were
        checked = row_values(plan, row.tolist(), index, found)
        if checked is None:
            values[:, index] = np.nan
            bad.append((index, found))
        else:
            values[:, index] = [np.nan if v is None else v for v in plan.raw_values(checked)]
    return values, bad
