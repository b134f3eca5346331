"""``score_spark``: score a Spark DataFrame on the executors with ``mapInArrow``; each Arrow
batch is scored by :func:`~alliancekit.frames.score_frame` with the scale re-loaded from its
canonical JSON and checked against its sha256."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
from pyspark.sql.types import StructType

from alliancekit.frames import OnError, ShippedScale, output_columns, score_frame

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from alliancekit.document import Scale

__all__ = ["score_spark"]


def score_spark(
    scale: Scale,
    frame: DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    prefix: str = "",
    details: bool = False,
    on_error: OnError = "raise",
) -> DataFrame:
    """Score every row of a Spark DataFrame on the executors; lazily, like any Spark
    transformation.

    The scale travels to the executors as its canonical JSON and sha256, and is loaded and
    checked there (a plugin's scale needs the plugin installed on every executor).

    :param columns, prefix, details, on_error: as for :func:`alliancekit.frames.score_frame`;
        rows in error messages are numbered within each Arrow batch.
    :returns: the DataFrame with the columns ``score_frame`` adds, with the same values.
    :raises ResponseError, ValueError: as ``score_frame`` does for the columns and their types,
        at once; a bad cell fails the Spark job when an action runs (unless
        ``on_error="null"``), with the ``ResponseError`` message in Spark's error.
    """
    options: dict[str, Any] = {
        "columns": columns,
        "prefix": prefix,
        "details": details,
        "on_error": on_error,
    }
    # Scoring an empty table with the frame's schema checks the columns and types here, on the
    # driver, and gives the Arrow types of the added columns.
    empty = to_arrow_schema(frame.schema).empty_table()
    added = output_columns(scale, prefix=prefix, details=details, on_error=on_error)
    scored = score_frame(scale, empty, **options)
    schema = StructType(
        [*frame.schema.fields, *from_arrow_schema(scored.select(added).schema).fields]
    )
    score = partial(_score_batches, ShippedScale.of(scale), options)
    return frame.mapInArrow(score, schema)


def _score_batches(
    shipped: ShippedScale, options: dict[str, Any], batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Score the batches of one Spark partition (runs on an executor)."""
    scale = shipped.load()
    for batch in batches:
        table = score_frame(scale, pa.Table.from_batches([batch]), **options)
        yield from table.to_batches()
