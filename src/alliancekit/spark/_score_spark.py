"""``score_spark``: score a Spark DataFrame on the executors with ``mapInArrow``; Arrow batches
are gathered into chunks of ``batch_rows`` rows, each scored by
:func:`~alliancekit.frames.score_frame` with the scale re-loaded from its canonical JSON and
checked against its sha256."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from pyspark import TaskContext
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema
from pyspark.sql.types import StructType

from alliancekit.frames import OnError, ShippedScale, output_columns, score_frame, score_part

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from alliancekit.document import Scale

__all__ = ["score_spark"]

#: Rows an executor scores at once. Spark hands ``mapInArrow`` batches of 10,000 rows by default
#: (``spark.sql.execution.arrow.maxRecordsPerBatch``); ``score_frame`` spends about 1 ms per
#: call before it scores a row (about 40 % of a 10,000-row batch), so gathering 100,000 rows
#: makes that a tenth, for about 10 MiB of executor memory per running task (12 items).
BATCH_ROWS = 100_000


def score_spark(
    scale: Scale,
    frame: DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    prefix: str = "",
    details: bool = False,
    on_error: OnError = "raise",
    batch_rows: int = BATCH_ROWS,
) -> DataFrame:
    """Score every row of a Spark DataFrame on the executors; lazily, like any Spark
    transformation.

    The scale travels to the executors as its canonical JSON and sha256, and is loaded and
    checked there (a plugin's scale needs the plugin installed on every executor).

    :param columns, prefix, details, on_error: as for :func:`alliancekit.frames.score_frame`;
        a bad cell is named by its Spark partition and its row within it (from 0).
    :param batch_rows: gather Spark's Arrow batches into chunks of at least this many rows (or
        a partition's remainder) and score each chunk at once: fewer, larger chunks cost less
        per row and more executor memory.
    :returns: the DataFrame with the columns ``score_frame`` adds, with the same values.
    :raises ResponseError, ValueError: as ``score_frame`` does for the columns and their types
        (and ``ValueError`` for ``batch_rows`` below 1), at once; a bad cell fails the Spark
        job when an action runs (unless ``on_error="null"``), with the ``ResponseError``
        message in Spark's error.
    """
    if type(batch_rows) is not int or batch_rows < 1:
        raise ValueError(f"batch_rows must be a positive int (got {batch_rows!r})")
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
    score = partial(_score_batches, ShippedScale.of(scale), options, batch_rows)
    return frame.mapInArrow(score, schema)


def _score_batches(
    shipped: ShippedScale,
    options: dict[str, Any],
    batch_rows: int,
    batches: Iterator[pa.RecordBatch],
) -> Iterator[pa.RecordBatch]:
    """Score the batches of one Spark partition in chunks of ``batch_rows`` rows or more (runs
    on an executor)."""
    scale = shipped.load()
    context = TaskContext.get()
    part = "Spark partition" + ("" if context is None else f" {context.partitionId()}")
    done = 0  # rows of this partition scored before the chunk

    def score(chunk: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
        table = pa.Table.from_batches(chunk)
        return list(score_part(scale, table, part=part, first_row=done, **options).to_batches())

    chunk: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        chunk.append(batch)
        rows += batch.num_rows
        if rows >= batch_rows:
            yield from score(chunk)
            done += rows
            chunk, rows = [], 0
    if chunk:
        yield from score(chunk)
