"""Answer files: CSV and JSON Lines rows read in chunks and scored in a stream, with bounded
memory, for ``alliancekit score``."""

from alliancekit.files._csv import (
    Chunk,
    CsvReader,
    CsvWriter,
    InputError,
    JsonLinesReader,
    JsonLinesWriter,
    quote_field,
    text_stream,
)
from alliancekit.files._csv_fast import Fields, Formatter, Texts, assemble, text_table
from alliancekit.files._parquet import ParquetReader, ParquetWriter
from alliancekit.files._streaming import ChunkScorer, ChunkScores, format_values

__all__ = [
    "Chunk",
    "ChunkScorer",
    "ChunkScores",
    "CsvReader",
    "CsvWriter",
    "Fields",
    "Formatter",
    "InputError",
    "JsonLinesReader",
    "JsonLinesWriter",
    "ParquetReader",
    "ParquetWriter",
    "Texts",
    "assemble",
    "format_values",
    "quote_field",
    "text_stream",
    "text_table",
]
