"""Turn the data given to :func:`~alliancekit.analysis.reliability` into a checked answer table.

Two shapes are accepted: an iterable of answer mappings (item id -> number or ``None``), checked
answer by answer like :meth:`Scale.score` checks one mapping, or a 2-D array-like in the score's
item order (NaN or ``None`` = missing), checked column by column with NumPy. Either way the result
is an ``n x k`` float64 array of raw (not yet reverse-keyed) answers with NaN for missing.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring import key_label

if TYPE_CHECKING:
    from alliancekit.document import Scale
    from alliancekit.model import Item

__all__ = ["answer_table"]

#: stop collecting problems after this many; a table with more is reported by its first ones
MAX_ISSUES = 20


Table = npt.NDArray[np.float64]


def answer_table(scale: Scale, items: Sequence[Item], data: object) -> tuple[Table, bool]:
    """Return the answers to ``items`` as an ``n x k`` float64 array, NaN where missing, and
    whether any answer is missing.

    :raises ResponseError: for unknown item ids, booleans, non-numbers, non-finite or
        out-of-range answers (at most :data:`MAX_ISSUES` problems are listed).
    :raises ValueError: for data that is neither answer mappings nor a 2-D table of ``k`` columns.
    """
    if isinstance(data, (str, bytes, Mapping)):
        raise ValueError(
            "data must be an iterable of answer mappings or a 2-D table, "
            f"not a single {type(data).__name__}"
        )
    if isinstance(data, np.ndarray) or hasattr(data, "__array__"):
        return _from_array(scale, items, data, scan=False)
    if not isinstance(data, Iterable):
        raise ValueError(f"data must be iterable (got {type(data).__name__})")
    rows = list(data)
    if not rows:
        raise ValueError("data has no respondents")
    kinds = {isinstance(row, Mapping) for row in rows}
    if kinds == {True}:
        return _from_mappings(scale, items, rows)
    if kinds == {True, False}:
        raise ValueError("data mixes answer mappings with other rows")
    return _from_array(scale, items, rows, scan=True)


def _issue(item_id: str, code: str, message: str) -> ResponseIssue:
    return ResponseIssue(item_id=item_id, code=code, message=message)


def _bounds(item: Item) -> tuple[float, float]:
    low, high = item.response_set.min, item.response_set.max
    assert low is not None and high is not None  # guaranteed by the loader
    return float(low), float(high)


def _check_answer(item: Item, value: object, where: str) -> float | ResponseIssue:
    if value is None:
        return math.nan
    low, high = _bounds(item)
    if isinstance(value, (bool, np.bool_)):
        return _issue(item.id, "boolean-not-allowed", f"{where}: a boolean is not a number")
    if not isinstance(value, numbers.Real):
        return _issue(
            item.id, "wrong-type", f"{where}: must be a number (got {type(value).__name__})"
        )
    try:
        number = float(value)
    except OverflowError:
        return _issue(
            item.id,
            "number-too-large",
            f"{where}: must be between {low:g} and {high:g} (got a number too large to read)",
        )
    if not math.isfinite(number):
        return _issue(item.id, "not-finite", f"{where}: must be a finite number (got {number})")
    if not low <= number <= high:
        return _issue(
            item.id,
            "out-of-range",
            f"{where}: must be between {low:g} and {high:g} (got {number:g})",
        )
    return number


def _from_mappings(
    scale: Scale, items: Sequence[Item], rows: list[Mapping[Any, Any]]
) -> tuple[Table, bool]:
    by_id = {item.id: item for item in scale.items}
    column = {item.id: j for j, item in enumerate(items)}
    table = np.full((len(rows), len(items)), np.nan)
    issues: list[ResponseIssue] = []
    for r, answers in enumerate(rows):
        for key, value in answers.items():
            item = by_id.get(key) if isinstance(key, str) else None
            if item is None:
                label = key_label(key)
                issues.append(
                    _issue(
                        label[:40],
                        "unknown-item",
                        f"respondent {r + 1}: not an item of scale {scale.id!r}",
                    )
                )
            else:
                checked = _check_answer(item, value, f"respondent {r + 1}")
                if isinstance(checked, ResponseIssue):
                    issues.append(checked)
                elif key in column:
                    table[r, column[key]] = checked
            if len(issues) >= MAX_ISSUES:
                raise ResponseError(issues, scale_id=scale.id)
    if issues:
        raise ResponseError(issues, scale_id=scale.id)
    return table, bool(np.isnan(table).any())


def _from_array(
    scale: Scale, items: Sequence[Item], data: Any, *, scan: bool
) -> tuple[Table, bool]:
    raw = np.asarray(data) if not scan else None
    if raw is not None and raw.dtype.kind == "b":
        raise ResponseError(
            [_issue("*", "boolean-not-allowed", "a table of booleans is not a table of numbers")],
            scale_id=scale.id,
        )
    if raw is not None and raw.dtype.kind not in "iuf":
        scan = True
    if scan:
        _scan_cells(scale, items, data if raw is None else raw)
    try:
        table = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"data is not a rectangular table of numbers: {error}") from None
    k = len(items)
    if table.ndim != 2 or table.shape[1] != k:
        names = ", ".join(item.id for item in items)
        raise ValueError(
            f"a table needs one row per respondent and {k} columns ({names}), "
            f"got shape {table.shape}"
        )
    return table, _check_columns(scale, items, table)


def _scan_cells(scale: Scale, items: Sequence[Item], rows: Iterable[Any]) -> None:
    """Check cell types of a table given as Python rows (NumPy would take ``True`` for 1)."""
    issues: list[ResponseIssue] = []
    for r, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
            raise ValueError(f"row {r + 1} of the table is not a sequence of answers")
        values = list(row)
        if len(values) != len(items):
            raise ValueError(
                f"row {r + 1} of the table has {len(values)} values; "
                f"the score has {len(items)} items"
            )
        for item, value in zip(items, values, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            checked = _check_answer(item, value, f"row {r + 1}")
            if isinstance(checked, ResponseIssue):
                issues.append(checked)
                if len(issues) >= MAX_ISSUES:
                    raise ResponseError(issues, scale_id=scale.id)
    if issues:
        raise ResponseError(issues, scale_id=scale.id)


def _check_columns(scale: Scale, items: Sequence[Item], table: Table) -> bool:
    """Check every column against its item's range; return whether any answer is missing (NaN).

    Two fast whole-table reductions settle the usual case, where every value lies within every
    item's range; only otherwise is each column examined.
    """
    if table.size == 0:
        return False
    lowest, highest = table.min(), table.max()  # NaN as soon as one answer is missing
    has_missing = bool(np.isnan(lowest))
    if has_missing:
        lowest, highest = np.fmin.reduce(table, axis=None), np.fmax.reduce(table, axis=None)
    bounds = [_bounds(item) for item in items]
    if np.isnan(lowest) or (
        lowest >= max(low for low, _ in bounds) and highest <= min(high for _, high in bounds)
    ):
        return has_missing
    issues: list[ResponseIssue] = []
    for j, (item, (low, high)) in enumerate(zip(items, bounds, strict=True)):
        column = table[:, j]
        with np.errstate(invalid="ignore"):
            bad = ~np.isnan(column) & ~((column >= low) & (column <= high))
        rows = np.flatnonzero(bad)
        if not len(rows):
            continue
        first = int(rows[0])
        value = column[first]
        code = "out-of-range" if math.isfinite(value) else "not-finite"
        more = f" and {len(rows) - 1} more rows" if len(rows) > 1 else ""
        issues.append(
            _issue(
                item.id,
                code,
                f"row {first + 1}{more}: must be between {low:g} and {high:g} (got {value:g})",
            )
        )
    if issues:
        raise ResponseError(issues, scale_id=scale.id)
    return has_missing
