"""Reading and writing rows of answers as CSV or JSON Lines, a chunk of rows at a time.

Memory stays bounded by the chunk size whatever the length of the stream. Rows are numbered from
1, counting data rows only (a CSV header and blank lines are not counted).

CSV is read with the rules of Python's :mod:`csv` module (RFC 4180 quoting, a header row). A chunk
without any quote character is split with ``str.split``, which for such text gives exactly what
the :mod:`csv` module gives, only faster; once a quote appears, the rest of the stream is read by
the :mod:`csv` module (a quoted field may span lines). A row whose number of fields differs from
the header's is reported as malformed, not guessed at.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice, repeat
from typing import IO, Any

from alliancekit.errors import ResponseIssue
from alliancekit.scoring import JsonTextError, read_json

__all__ = [
    "Chunk",
    "CsvReader",
    "CsvWriter",
    "InputError",
    "JsonLinesReader",
    "JsonLinesWriter",
    "quote_field",
    "text_stream",
]


class InputError(Exception):
    """The stream cannot be read at all (no header, a duplicate column, bad encoding)."""


@dataclass
class Chunk:
    """Consecutive rows of a stream.

    :ivar start: the number of the chunk's first row (rows count from 1).
    :ivar size: how many rows.
    :ivar columns: column name -> the rows' cells (text for CSV, JSON values for JSON Lines);
        a cell a row lacks is ``None``.
    :ivar problems: row offset in the chunk -> why that row is malformed (its cells are then
        unreliable and it is not scored).
    :ivar records: for JSON Lines, each row's object (``None`` for a malformed row).
    :ivar text: whether every cell is text (CSV).
    :ivar grid: a ``Grid`` holding the rows instead of ``columns``.
    :ivar refused: row offset -> the issues of a row a reader already refused (e.g. a FHIR
        response that does not fit the scale); such a row is not scored.
    """

    start: int
    size: int
    columns: Mapping[str, Sequence[Any]]
    problems: dict[int, str] = field(default_factory=dict)
    records: list[dict[str, Any] | None] | None = None
    text: bool = True
    grid: Any = None
    refused: dict[int, list[ResponseIssue]] = field(default_factory=dict)


class CsvReader:
    """Read a CSV byte stream (UTF-8, a header row) in chunks of at most ``chunk_rows`` rows.

    :param grids: give quote-free chunks as ``Grid`` (in
        :attr:`Chunk.grid`, with no ``columns``) for the vectorised path (needs NumPy).
    :raises InputError: for an empty stream or a header with an empty or repeated name.
    :raises UnicodeDecodeError: (while reading) for bytes that are not UTF-8.
    """

    def __init__(self, binary: IO[bytes], chunk_rows: int, *, grids: bool = False) -> None:
        self.binary = binary
        self.chunk_rows = chunk_rows
        self.grids = grids
        self._rest: Iterator[list[str]] | None = None
        first = binary.readline()
        while first and not first.strip(b"\r\n"):
            first = binary.readline()
        if not first:
            raise InputError("the input is empty: a CSV file needs a header row")
        first = first.removeprefix(b"\xef\xbb\xbf")
        # A quoted header name that spans lines, or lines ended by a bare carriage return (old
        # Mac files: the first "line" is then the whole file): the csv module reads on.
        if first.count(b'"') % 2 or b"\r" in first.rstrip(b"\r\n"):
            self._rest = csv.reader(text_stream(_Joined(first, binary)))
            try:
                header = next(self._rest)
            except csv.Error as error:
                raise InputError(f"CSV error in the header: {error}") from None
        else:
            header = next(csv.reader([first.decode("utf-8")]))
        names = [name.strip() for name in header]
        empty = [i + 1 for i, name in enumerate(names) if not name]
        if empty:
            raise InputError(f"header column {empty[0]} has no name")
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise InputError(
                f"[duplicate-column] the header repeats the column name {repeated[0]!r}"
            )
        self.header = names
        self._next_row = 1

    def chunks(self) -> Iterator[Chunk]:
        """The rows, chunk by chunk."""
        width = len(self.header)
        leftover = b""
        size = max(self.chunk_rows * 64, 256)
        while self._rest is None:
            block = self.binary.read(size)
            data = leftover + block
            if not block:
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                leftover = b""
            else:
                cut = data.rfind(b"\n") + 1
                data, leftover = data[:cut], data[cut:]
                if not data:
                    continue
            if not data:
                return
            original = data
            if b"\r" in data:
                data = data.replace(b"\r\n", b"\n")
            if b'"' in data or b"\r" in data:
                self._rest = csv.reader(text_stream(_Joined(original + leftover, self.binary)))
                break
            yield from self._plain(data, width)
            if not block:
                return
        yield from self._parsed(self._rest, width)

    def _plain(self, data: bytes, width: int) -> Iterator[Chunk]:
        """Rows of quote-free text: a grid, or split by ``str.split``."""
        if self.grids:
            from alliancekit.files._csv_fast import make_grid

            grid = make_grid(data, width)
            if grid is not None:
                data.decode("utf-8")  # reject bytes that are not UTF-8, as the text path does
                for first in range(0, grid.rows, self.chunk_rows):
                    part = grid.part(first, first + self.chunk_rows)
                    yield Chunk(start=self._next_row, size=part.rows, columns={}, grid=part)
                    self._next_row += part.rows
                return
        records = list(filter(None, data.decode("utf-8").split("\n")))
        if set(map(str.count, records, repeat(","))) <= {width - 1}:
            yield from self._split(records, width)
        else:
            yield from self._parsed(csv.reader(records), width)

    def _split(self, records: list[str], width: int) -> Iterator[Chunk]:
        for start in range(0, len(records), self.chunk_rows):
            part = records[start : start + self.chunk_rows]
            flat = ",".join(part).split(",")
            columns = {name: flat[j::width] for j, name in enumerate(self.header)}
            yield Chunk(start=self._next_row, size=len(part), columns=columns)
            self._next_row += len(part)

    def _parsed(self, rows: Iterator[list[str]], width: int) -> Iterator[Chunk]:
        try:
            yield from self._parsed_rows(rows, width)
        except csv.Error as error:
            raise InputError(f"CSV error after row {self._next_row - 1}: {error}") from None

    def _parsed_rows(self, rows: Iterator[list[str]], width: int) -> Iterator[Chunk]:
        rows = filter(None, rows)  # blank rows are not rows
        while True:
            part = list(islice(rows, self.chunk_rows))
            if not part:
                return
            problems = {}
            for offset, row in enumerate(part):
                if len(row) != width:
                    problems[offset] = f"has {len(row)} fields but the header has {width}"
                    part[offset] = (row + [""] * width)[:width]
            columns = {name: [row[j] for row in part] for j, name in enumerate(self.header)}
            yield Chunk(start=self._next_row, size=len(part), columns=columns, problems=problems)
            self._next_row += len(part)


class JsonLinesReader:
    """Read JSON Lines (one JSON object per line; blank lines skipped) in chunks.

    A field a record lacks is a missing answer. ``header`` lists the fields of the first valid
    record among the first ``chunk_rows`` lines (the columns a CSV output carries).
    """

    def __init__(self, stream: IO[str], chunk_rows: int) -> None:
        self.stream = stream
        self.chunk_rows = chunk_rows
        self._pending: list[str] = []
        self.header: list[str] = []
        for line in stream:
            if line.strip():
                self._pending.append(line)
                first, _ = _record(line)
                if first is not None:
                    self.header = list(first)
                    break
                if len(self._pending) >= chunk_rows:
                    break
        self._next_row = 1

    def chunks(self) -> Iterator[Chunk]:
        """The records, chunk by chunk."""
        lines = filter(str.strip, chain(self._pending, self.stream))  # blank lines are skipped
        while True:
            part = list(islice(lines, self.chunk_rows))
            if not part:
                return
            records: list[dict[str, Any] | None] = []
            problems = {}
            for offset, line in enumerate(part):
                record, problem = _record(line)
                if problem is not None:
                    problems[offset] = problem
                records.append(record)
            names = dict.fromkeys(chain(self.header, *(r for r in records if r)))
            columns = {
                name: [None if r is None else r.get(name) for r in records] for name in names
            }
            yield Chunk(
                start=self._next_row,
                size=len(part),
                columns=columns,
                problems=problems,
                records=records,
                text=False,
            )
            self._next_row += len(part)


def _record(line: str) -> tuple[dict[str, Any] | None, str | None]:
    """A JSON Lines row as an object, or why it is malformed (a line that is not JSON, holds a
    repeated member name, a lone surrogate, an over-long number, or is no object: ``null`` is
    not a row of missing answers)."""
    try:
        record = read_json(line)
    except JsonTextError as error:
        if error.code == "duplicate-key":
            return None, f"repeats a member name ({error.reason})"
        return None, _JSON_PROBLEMS.get(error.code, "is not valid JSON") + f" ({error.reason})"
    if not isinstance(record, dict):
        kind = "null" if record is None else type(record).__name__
        return None, f"is a JSON {kind}, not an object"
    return record, None


_JSON_PROBLEMS = {
    "lone-surrogate": "is not valid Unicode",
    "number-too-large": "holds a number too large to read",
    "not-finite": "is not valid JSON",
    "too-deep": "is nested too deeply",
}


def quote_field(text: str) -> str:
    """A CSV field as written: quoted (with quotes doubled) when it holds a comma, a quote or a
    line break of either kind, so that any CSV reader reads it back whole."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class CsvWriter:
    """Write rows as CSV (``\\n`` line ends, quoting only where needed; see
    :func:`quote_field`)."""

    def __init__(self, stream: IO[str], header: Sequence[str]) -> None:
        self.stream = stream
        self.write([[name] for name in header])

    def write(self, columns: Sequence[Sequence[str]]) -> None:
        """Write rows given column by column (every cell is text)."""
        if not columns or not columns[0]:
            return
        if any(_needs_quotes(column) for column in columns):
            columns = [[quote_field(cell) for cell in column] for column in columns]
        if len(columns) == 1:
            # An empty field alone would be a blank line, which readers skip.
            columns = [[cell or '""' for cell in columns[0]]]
        lines = map(",".join, zip(*columns, strict=True))
        self.stream.write("\n".join(lines) + "\n")


def _needs_quotes(column: Sequence[str]) -> bool:
    text = "".join(column)
    return "," in text or '"' in text or "\n" in text or "\r" in text


class JsonLinesWriter:
    """Write rows as JSON Lines (one object per line, UTF-8 text as is)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, records: Sequence[dict[str, Any]]) -> None:
        """Write one line per record."""
        dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        if records:
            self.stream.write("\n".join(map(dumps, records)) + "\n")


class _Joined(io.RawIOBase):
    """Bytes already read, then the rest of a stream."""

    def __init__(self, head: bytes, tail: IO[bytes]) -> None:
        self.head = head
        self.tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self.head:
            self.head = self.tail.read(len(buffer))
            if not self.head:
                return 0
        size = min(len(buffer), len(self.head))
        buffer[:size] = self.head[:size]
        self.head = self.head[size:]
        return size


def text_stream(binary: IO[bytes] | io.RawIOBase) -> io.TextIOWrapper:
    """Decode a byte stream as UTF-8 (a leading byte-order mark is dropped), keeping line ends
    as they are, as the :mod:`csv` module wants."""
    raw = io.BufferedReader(binary) if isinstance(binary, io.RawIOBase) else binary
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
