"""``score_frame``: score every row of a pandas, Polars or PyArrow table, through narwhals, with
the exact NumPy kernel on the item columns' buffers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import narwhals.stable.v2 as nw
import numpy as np
from narwhals.stable.v2.typing import IntoDataFrameT

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring import Column, raise_bad_rows, score_columns

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = ["OnError", "output_columns", "score_frame", "score_part"]

OnError = Literal["raise", "null"]


def score_frame(
    scale: Scale,
    frame: IntoDataFrameT,
    *,
    columns: Mapping[str, str] | None = None,
    prefix: str = "",
    details: bool = False,
    on_error: OnError = "raise",
) -> IntoDataFrameT:
    """Score every row of a data frame, exactly as :meth:`Scale.score` scores it.

    Each item is read from the column of its id, or of the name ``columns`` maps it to
    (``{"q1": "WAI_01"}``). Cells are numbers: a whole float is its integer, null and NaN are
    missing; a boolean column is refused (True is not a Likert answer).

    :param frame: a pandas DataFrame, Polars DataFrame or PyArrow Table (any eager frame that
        narwhals supports).
    :param columns: item id -> column name, for the items whose column is not named by the id.
    :param prefix: put before every added column's name.
    :param details: also add ``<score>_n_answered`` (members with a value) and
        ``<score>_reason`` (why the value is null) for every score.
    :param on_error: ``"raise"``: a bad cell raises; ``"null"``: a row with a bad cell gets
        null scores and its problems in an added ``error`` column (null on good rows).
    :returns: a frame of the same kind: the input columns, then one float column per score (in
        the scale's order; null where the missing-data rule fails), then the details and error
        columns. In pandas, null is NaN, and so are the counts of nulled rows.
    :raises ResponseError: for a bad cell, naming its row (0-based position) and column, and
        every bad cell up to a limit; or for an item column that is boolean or not numeric.
    :raises ValueError: for ``columns`` naming unknown items or absent columns, two items read
        from one column, an added column's name already taken, or an unknown ``on_error``.
    :raises TypeError: when ``frame`` is not a data frame narwhals knows.
    """
    return score_part(
        scale, frame, columns=columns, prefix=prefix, details=details, on_error=on_error
    )


def score_part(
    scale: Scale,
    frame: IntoDataFrameT,
    *,
    part: str | None = None,
    first_row: int = 0,
    columns: Mapping[str, str] | None = None,
    prefix: str = "",
    details: bool = False,
    on_error: OnError = "raise",
) -> IntoDataFrameT:
    """:func:`score_frame` of one part of a larger table (a Spark or Dask partition, or a chunk
    of one): a bad cell's row is named ``"<part>, row <first_row + position>"``, so that it
    can be found in the whole table."""
    if on_error not in ("raise", "null"):
        raise ValueError(f"on_error must be 'raise' or 'null' (got {on_error!r})")
    data = nw.from_native(frame, eager_only=True)
    names = item_columns(scale, data.columns, columns)
    added = output_columns(scale, prefix=prefix, details=details, on_error=on_error)
    taken = sorted(set(added) & set(data.columns))
    if taken:
        raise ValueError(
            f"the frame already has column{'s' if len(taken) != 1 else ''} "
            f"{_listed(taken)}; choose another prefix (got prefix={prefix!r})"
        )
    read = [_buffer(data, item.id, name) for item, name in zip(scale.items, names, strict=True)]
    wrong = [column for column in read if isinstance(column, ResponseIssue)]
    if wrong:
        raise ResponseError(wrong, scale_id=scale.id)
    scores = score_columns(scale.plan, cast("list[Column]", read), details=details)
    located = [
        [_located(part, first_row + row, names[column], issue) for column, issue in cells]
        for row, cells in scores.bad
    ]
    if located and on_error == "raise":
        raise_bad_rows(scale.plan, located)
    backend = data.implementation
    new = [
        nw.new_series(f"{prefix}{score_id}", values, nw.Float64, backend=backend).fill_nan(None)
        for score_id, values in scores.values.items()
    ]
    if details:
        assert scores.answered is not None and scores.reasons is not None
        for score_id, counts in scores.answered.items():
            new.append(_counts(f"{prefix}{score_id}_n_answered", counts, scores.bad, backend))
        for score_id, reason in scores.reasons.items():
            new.append(
                nw.new_series(
                    f"{prefix}{score_id}_reason", reason.tolist(), nw.String, backend=backend
                )
            )
    if on_error == "null":
        errors = np.full(len(data), None, dtype=object)
        for (row, _), issues in zip(scores.bad, located, strict=True):
            errors[row] = "; ".join(issue.message for issue in issues)
        new.append(nw.new_series(f"{prefix}error", errors.tolist(), nw.String, backend=backend))
    return data.with_columns(*new).to_native()


def item_columns(
    scale: Scale, available: Sequence[str], columns: Mapping[str, str] | None
) -> list[str]:
    """The column name of every item, in item order.

    :raises ValueError: as :func:`score_frame` does for ``columns`` and absent columns.
    """
    mapping = dict(columns or {})
    item_ids = [item.id for item in scale.items]
    unknown = sorted(set(mapping) - set(item_ids))
    if unknown:
        raise ValueError(
            f"columns maps {_listed(unknown)}, not item{'s' if len(unknown) != 1 else ''} of "
            f"scale {scale.id!r} (its items: {', '.join(item_ids)})"
        )
    names = [mapping.get(item_id, item_id) for item_id in item_ids]
    present = set(available)
    absent = [
        f"{item_id!r}" if name == item_id else f"{item_id!r} (column {name!r})"
        for item_id, name in zip(item_ids, names, strict=True)
        if name not in present
    ]
    if absent:
        raise ValueError(
            f"the frame has no column for item{'s' if len(absent) != 1 else ''} "
            f"{', '.join(absent)}; map items to columns with columns={{item_id: column}}"
        )
    shared = sorted({name for name in names if names.count(name) > 1})
    if shared:
        raise ValueError(
            f"each item needs its own column; read by several items: {_listed(shared)}"
        )
    return names


def output_columns(
    scale: Scale, *, prefix: str = "", details: bool = False, on_error: OnError = "raise"
) -> list[str]:
    """The names of the columns :func:`score_frame` adds, in order."""
    names = [f"{prefix}{score.id}" for score in scale.scores]
    if details:
        names += [f"{prefix}{score.id}_n_answered" for score in scale.scores]
        names += [f"{prefix}{score.id}_reason" for score in scale.scores]
    if on_error == "null":
        names.append(f"{prefix}error")
    return names


def _listed(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _located(part: str | None, row: int, column: str, issue: ResponseIssue) -> ResponseIssue:
    where = f"row {row}" if part is None else f"{part}, row {row}"
    return ResponseIssue(
        item_id=issue.item_id,
        code=issue.code,
        message=f"{where}, column {column!r}: {issue.message}",
    )


def _buffer(data: Any, item_id: str, name: str) -> Column | ResponseIssue:
    """The column as NumPy values and missing cells, or why it cannot be read."""
    series = data.get_column(name)
    dtype = series.dtype
    if dtype == nw.Boolean:
        problem = "is boolean; True is not an answer"
        return ResponseIssue(
            item_id=item_id, code="boolean-not-allowed", message=f"column {name!r} {problem}"
        )
    if not dtype.is_numeric():
        problem = f"must be numeric, null for missing (got {dtype})"
        return ResponseIssue(
            item_id=item_id, code="wrong-type", message=f"column {name!r} {problem}"
        )
    missing = None
    # pandas gives its columns without a copy, NaN for null; Polars and Arrow convert a column
    # with nulls much faster as values (nulls filled) and a null mask than as floats with NaN.
    if not data.implementation.is_pandas_like() and series.null_count():
        missing = series.is_null().to_numpy()
        series = series.fill_null(0)
    values = series.to_numpy()
    if values.dtype.kind not in "iuf":  # e.g. decimals
        values = series.cast(nw.Float64).to_numpy()
    return values, missing


def _counts(name: str, counts: Any, bad: list[Any], backend: Any) -> Any:
    """An integer column; null on bad rows (NaN in pandas, which has no integer null)."""
    if not bad:
        return nw.new_series(name, counts, nw.Int64, backend=backend)
    masked = counts.astype(np.float64)
    masked[[row for row, _ in bad]] = np.nan
    series = nw.new_series(name, masked, nw.Float64, backend=backend).fill_nan(None)
    return series if backend.is_pandas_like() else series.cast(nw.Int64)
