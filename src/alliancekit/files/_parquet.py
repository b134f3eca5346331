"""Parquet in and out for ``alliancekit score`` (the ``arrow`` extra): record batches read one
chunk at a time and written one chunk at a time, so memory stays bounded by a chunk (and the
input's row-group size), whatever the file's length."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

from alliancekit.files._csv import Chunk, InputError

__all__ = ["ParquetReader", "ParquetWriter"]


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet needs pyarrow: pip install 'alliancekit[arrow]'") from None
    return pa, pq


class ParquetReader:
    """Read a Parquet file in chunks of at most ``chunk_rows`` rows (cells as Python values:
    ``None`` for null, which is a missing answer).

    :raises InputError: when pyarrow is missing, the file is not Parquet, or a column name
        repeats.
    """

    def __init__(self, binary: IO[bytes], chunk_rows: int) -> None:
        pa, pq = _arrow()
        try:
            self.file = pq.ParquetFile(binary)
        except (pa.ArrowException, OSError, ValueError) as error:
            raise InputError(f"not a Parquet file ({str(error)[:120]})") from None
        self.header: list[str] = list(self.file.schema_arrow.names)
        repeated = sorted({name for name in self.header if self.header.count(name) > 1})
        if repeated:
            raise InputError(f"the column {repeated[0]!r} appears more than once")
        self.chunk_rows = chunk_rows

    def chunks(self) -> Iterator[Chunk]:
        """The rows, a record batch at a time (rows count from 1)."""
        start = 1
        for batch in self.file.iter_batches(batch_size=self.chunk_rows):
            columns = {
                name: batch.column(index).to_pylist()
                for index, name in enumerate(batch.schema.names)
            }
            yield Chunk(start=start, size=batch.num_rows, columns=columns, text=False, grid=None)
            start += batch.num_rows


class ParquetWriter:
    """Write rows to a Parquet stream, chunk by chunk: the pass-through columns (typed as they
    came: text from CSV, JSON values as text from JSON Lines, Arrow types from Parquet), one
    float64 column per score (null without a value) and an optional text ``error`` column."""

    def __init__(
        self,
        binary: IO[bytes],
        passthrough: Sequence[str],
        scores: Sequence[str],
        details: Sequence[str] = (),
    ) -> None:
        self.pa, self.pq = _arrow()
        self.binary = binary
        self.passthrough = list(passthrough)
        self.scores = list(scores)
        self.details = list(details)
        self.writer: Any = None

    def write(
        self,
        passthrough: Sequence[Sequence[Any]],
        values: Sequence[Any],
        errors: Sequence[str | None] | None,
        details: Sequence[Sequence[Any]] = (),
    ) -> None:
        """Write one chunk: the pass-through cells and score values column by column, the
        details columns (``n_answered``, ``reason``) when asked for, and the error text of each
        row (``None`` for a good row) when errors are reported."""
        import numpy as np

        pa = self.pa
        arrays = [_column(pa, cells) for cells in passthrough]
        for column in values:
            numbers = np.asarray(column, dtype=np.float64)
            arrays.append(pa.array(numbers, type=pa.float64(), mask=np.isnan(numbers)))
        for column, name in zip(details, self.details, strict=True):
            kind = pa.int64() if name.endswith("_n_answered") else pa.string()
            arrays.append(pa.array(list(column), type=kind))
        names = self.passthrough + self.scores + self.details
        if errors is not None:
            arrays.append(pa.array(list(errors), type=pa.string()))
            names = [*names, "error"]
        table = pa.Table.from_arrays(arrays, names=names)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.binary, table.schema)
        else:
            table = table.cast(self.writer.schema)
        self.writer.write_table(table)

    def close(self, *, errors: bool) -> None:
        """Finish the file (with no rows: the pass-through columns as text, the scores and,
        with ``errors``, the error column)."""
        pa = self.pa
        if self.writer is None:
            fields = [pa.field(name, pa.string()) for name in self.passthrough]
            fields += [pa.field(name, pa.float64()) for name in self.scores]
            fields += [
                pa.field(name, pa.int64() if name.endswith("_n_answered") else pa.string())
                for name in self.details
            ]
            fields += [pa.field("error", pa.string())] if errors else []
            self.writer = self.pq.ParquetWriter(self.binary, pa.schema(fields))
        self.writer.close()


def _column(pa: Any, cells: Sequence[Any]) -> Any:
    """A pass-through column: as Arrow infers it, else as text (mixed JSON values)."""
    try:
        return pa.array(list(cells))
    except (pa.ArrowException, TypeError, ValueError):
        import json

        return pa.array(
            [None if c is None else c if isinstance(c, str) else json.dumps(c) for c in cells],
            type=pa.string(),
        )
