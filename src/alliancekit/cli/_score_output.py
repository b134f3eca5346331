"""What ``alliancekit score`` writes: the scored rows, the bad rows' report and a progress line."""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from alliancekit.cli import UsageError
from alliancekit.cli._common import say
from alliancekit.document import Scale
from alliancekit.errors import ResponseIssue
from alliancekit.files import (
    Chunk,
    ChunkScores,
    CsvWriter,
    JsonLinesWriter,
    ParquetWriter,
    format_values,
    quote_field,
)

__all__ = ["Output", "Progress", "RowReport"]

#: Bad rows listed on stderr before the rest are only counted.
_LISTED_ROWS = 50
_ERROR_COLUMN = "error"


def _describe(issues: Sequence[ResponseIssue]) -> str:
    return "; ".join(str(issue) for issue in issues)


class RowReport:
    """Collects the bad rows, lists them on stderr and gives the exit code."""

    def __init__(self, *, fail: bool) -> None:
        self.fail = fail
        self.rows = 0
        self.bad = 0

    def add(self, chunk: Chunk, errors: dict[int, list[ResponseIssue]]) -> int | None:
        """Count a chunk's rows and list its bad ones.

        :returns: with ``fail``, the offset of the first bad row (where to stop), else ``None``.
        """
        for offset in sorted(errors):
            self.bad += 1
            if self.bad <= _LISTED_ROWS or self.fail:
                say(
                    f"alliancekit score: row {chunk.start + offset}: {_describe(errors[offset])}",
                    file=sys.stderr,
                )
            if self.fail:
                self.rows += offset
                return offset
        self.rows += chunk.size
        return None

    def finish(self) -> int:
        """Print the summary; returns 1 when any row was bad, else 0."""
        if self.fail and self.bad:
            say(
                f"alliancekit score: stopped at the first bad row ({self.rows} rows written)",
                file=sys.stderr,
            )
            return 1
        if self.bad > _LISTED_ROWS:
            more = self.bad - _LISTED_ROWS
            say(
                f"alliancekit score: ... and {more} more bad rows (see the "
                f"{_ERROR_COLUMN!r} column)",
                file=sys.stderr,
            )
        if self.bad:
            say(
                f"alliancekit score: {self.bad:,} of {self.rows:,} rows failed",
                file=sys.stderr,
            )
            return 1
        return 0


def _round(value: float, digits: int) -> float:
    """``value`` rounded to ``digits`` decimals, halves away from zero, on its decimal value
    (2.675 is 2.68, though the float 2.675 lies below it); NaN stays NaN."""
    if math.isnan(value):
        return value
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutral(cell: str) -> str:
    """A cell a spreadsheet will not run: one that starts like a formula gets a leading ``'``
    (OWASP's neutralisation), anything else is as it was."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _as_text(cell: object) -> str:
    if isinstance(cell, str):
        return cell
    return "" if cell is None else json.dumps(cell, ensure_ascii=False)


class Output:
    """The output stream and its writer; see :meth:`open`."""

    def __init__(
        self,
        stream: IO[str],
        args: argparse.Namespace,
        scale: Scale,
        passthrough: list[str],
        item_columns: Sequence[str],
        header: Sequence[str],
    ) -> None:
        self.stream = stream
        #: the binary stream under ``stream`` when that writes UTF-8 as it is (no newline
        #: translation): assembled CSV goes there as bytes
        self.utf8_buffer: IO[bytes] | None = None
        self.passthrough = passthrough
        self.item_columns = frozenset(item_columns)
        # Pass-through columns side by side in the input are copied as one range of bytes.
        self.passthrough_runs: list[tuple[int, int]] = []
        for index in (header.index(name) for name in passthrough):
            if self.passthrough_runs and self.passthrough_runs[-1][1] == index - 1:
                self.passthrough_runs[-1] = (self.passthrough_runs[-1][0], index)
            else:
                self.passthrough_runs.append((index, index))
        self._local = threading.local()  # each thread's Formatter
        self.score_ids = [score.id for score in scale.scores]
        self.names = [args.prefix + score_id for score_id in self.score_ids]
        self.safe: bool = args.safe_csv
        self.digits: int | None = args.digits
        self.details = (
            [
                f"{args.prefix}{score.id}_{what}"
                for score in scale.scores
                for what in ("n_answered", "reason")
            ]
            if args.details
            else []
        )
        self.report_errors = args.on_error == "report"
        clash = sorted(set(self.names + self.details) & set(passthrough))
        if clash:
            raise UsageError(
                f"the input already has a column {clash[0]!r}; name the score columns with --prefix"
            )
        if self.report_errors and _ERROR_COLUMN in set(passthrough) | set(self.names):
            raise UsageError(f"the input already has a column {_ERROR_COLUMN!r}")
        self.jsonl = args.format in ("jsonl", "fhir")
        self.fhir = args.format == "fhir"
        self.parquet: ParquetWriter | None = None
        if args.format == "parquet":
            self.parquet = ParquetWriter(
                stream,  # type: ignore[arg-type]
                passthrough,
                self.names,
                self.details,
            )
        elif self.jsonl:
            self.json_writer = JsonLinesWriter(stream)
        else:
            header = passthrough + self.names + self.details
            header += [_ERROR_COLUMN] if self.report_errors else []
            self.csv_writer = CsvWriter(
                stream, [_neutral(h) for h in header] if self.safe else header
            )

    @classmethod
    @contextmanager
    def open(
        cls,
        args: argparse.Namespace,
        scale: Scale,
        passthrough: list[str],
        item_columns: Sequence[str],
        header: Sequence[str],
    ) -> Iterator[Output]:
        """Open ``--output`` (or use stdout) with a writer for ``--format``.

        :raises UsageError: when the file cannot be written or a column name clashes.
        """
        binary = args.format == "parquet"
        if args.output is None:
            stdout: Any = sys.stdout.buffer if binary else sys.stdout
            output = cls(stdout, args, scale, passthrough, item_columns, header)
            yield output
            output.finish()
            stdout.flush()
            return
        try:
            stream: Any = (
                open(args.output, "wb")  # noqa: SIM115
                if binary
                else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
            )
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
        with stream:
            output = cls(stream, args, scale, passthrough, item_columns, header)
            if not binary:
                output.utf8_buffer = stream.buffer  # opened as UTF-8 with newline=""
            yield output
            output.finish()

    def finish(self) -> None:
        """Complete the output (a Parquet file's footer)."""
        if self.parquet is not None:
            self.parquet.close(errors=self.report_errors)

    def write(self, chunk: Chunk, scores: ChunkScores, stop: int | None) -> None:
        """Write a chunk's rows (only those before ``stop`` when given)."""
        size = chunk.size if stop is None else stop
        if self.parquet is not None:
            self._write_parquet(chunk, scores, size)
            return
        if self.fhir:
            self._write_observations(chunk, scores, size)
            return
        if self.jsonl:
            self._write_jsonl(chunk, scores, size)
            return
        none = [None] * chunk.size
        texts: list[Sequence[str]] = []  # cells that may hold anything: neutralised if asked
        for name in self.passthrough:
            cells = chunk.columns.get(name, none)
            texts.append(cells[:size] if chunk.text else [_as_text(c) for c in cells[:size]])
        numbers = [format_values(values) for values in self._values(scores, size)]
        details = [
            ["" if cell is None else str(cell) for cell in column]
            for column in self._details(scores, size)
        ]
        errors = [""] * size
        for offset, issues in scores.errors.items():
            if offset < size:
                errors[offset] = _describe(issues)
        if self.safe:
            texts = [[_neutral(cell) for cell in column] for column in texts]
            details = [[_neutral(cell) for cell in column] for column in details]
            errors = [_neutral(cell) for cell in errors]
        self.csv_writer.write(
            [*texts, *numbers, *details, *([errors] if self.report_errors else [])]
        )

    def _values(self, scores: ChunkScores, size: int) -> list[Sequence[float]]:
        """The rows' score values, rounded to ``--digits`` when given."""
        if self.digits is None:
            return [column[:size] for column in scores.values]
        return [[_round(value, self.digits) for value in column[:size]] for column in scores.values]

    def _details(self, scores: ChunkScores, size: int) -> list[list[Any]]:
        """With ``--details``: per score, its ``n_answered`` and ``reason`` columns (empty on a
        bad row)."""
        if not self.details:
            return []
        results = scores.results or {}
        columns: list[list[Any]] = []
        for score_id in self.score_ids:
            answered: list[Any] = []
            reasons: list[Any] = []
            for offset in range(size):
                result = results.get(offset)
                score = None if result is None else result.scores[score_id]
                answered.append(None if score is None else score.n_answered)
                reasons.append(None if score is None else score.reason)
            columns += [answered, reasons]
        return columns

    def grid_bytes(
        self, chunk: Chunk, values: Any, errors: dict[int, list[ResponseIssue]], stop: int | None
    ) -> bytes:
        """A grid chunk's output rows (CSV only; those before ``stop`` when given) assembled
        as bytes: the input's own fields, the scores' texts, the errors' texts. Threads may
        call this at once (each formats with its own :class:`~alliancekit.files.Formatter`)."""
        import numpy as np

        from alliancekit.files import Fields, Formatter, Texts, assemble, text_table

        grid = chunk.grid
        size = grid.rows if stop is None else stop
        if size == 0:
            return b""
        grid = grid.part(0, size)
        columns: list[Fields | Texts] = []
        for first, last in self.passthrough_runs:
            columns.append(Fields(grid, grid.starts[:, first], grid.ends[:, last]))
        formatter = getattr(self._local, "formatter", None)
        if formatter is None:
            formatter = self._local.formatter = Formatter()
        codes = formatter.codes(values[:, :size])
        if not self.passthrough_runs and len(codes) == 1 and not self.report_errors:
            # a lone empty field would be a blank line
            table = text_table([*formatter.texts[:-1], b'""'])
        else:
            table = formatter.table()
        columns.extend(Texts(table, row) for row in codes)
        if self.report_errors:
            bad = sorted(offset for offset in errors if offset < size)
            texts = [b""] + [quote_field(_describe(errors[offset])).encode() for offset in bad]
            which = np.zeros(size, dtype=np.int64)
            which[bad] = np.arange(1, len(bad) + 1)
            columns.append(Texts(text_table(texts), which))
        return assemble(columns, size)

    def write_bytes(self, data: bytes) -> None:
        """Write rows from :meth:`grid_bytes` (UTF-8: the input's fields, checked when read
        and cut at commas, and ours)."""
        if self.utf8_buffer is None:
            self.stream.write(data.decode("utf-8"))
        else:
            self.stream.flush()
            self.utf8_buffer.write(data)

    def _write_jsonl(self, chunk: Chunk, scores: ChunkScores, size: int) -> None:
        rounded = self._values(scores, size)
        details = self._details(scores, size)
        rows: list[dict[str, Any]] = []
        for offset in range(size):
            if chunk.records is not None:
                record = chunk.records[offset] or {}
                row = {k: v for k, v in record.items() if k not in self.item_columns}
            else:
                row = {name: chunk.columns[name][offset] for name in self.passthrough}
            for name, values in zip(self.names, rounded, strict=True):
                value = float(values[offset])
                row[name] = None if math.isnan(value) else value
            for name, column in zip(self.details, details, strict=True):
                row[name] = column[offset]
            issues = scores.errors.get(offset)
            if issues is not None:
                row[_ERROR_COLUMN] = [
                    {"item": i.item_id, "code": i.code, "message": i.message} for i in issues
                ]
            rows.append(row)
        self.json_writer.write(rows)

    def _write_parquet(self, chunk: Chunk, scores: ChunkScores, size: int) -> None:
        assert self.parquet is not None
        none = [None] * chunk.size
        passthrough = [chunk.columns.get(name, none)[:size] for name in self.passthrough]
        values = self._values(scores, size)
        errors = None
        if self.report_errors:
            errors = [
                _describe(scores.errors[offset]) if offset in scores.errors else None
                for offset in range(size)
            ]
        self.parquet.write(passthrough, values, errors, self._details(scores, size))

    def _write_observations(self, chunk: Chunk, scores: ChunkScores, size: int) -> None:
        """One FHIR Observation per score of each scored row (NDJSON); a bad row has none (it is
        reported on stderr). The row's ``subject``, ``id`` (its QuestionnaireResponse) and
        ``authored`` columns, where present, give the Observations' subject, derivedFrom and
        effective time."""
        from alliancekit.fhir import to_observations

        assert scores.results is not None  # --format fhir scores row by row
        none = [None] * chunk.size
        subjects, ids, times = (
            chunk.columns.get(name, none) for name in ("subject", "id", "authored")
        )
        rows: list[dict[str, Any]] = []
        for offset in range(size):
            result = scores.results.get(offset)
            if result is None:
                continue
            response = ids[offset]
            rows.extend(
                to_observations(
                    result,
                    subject=subjects[offset] if isinstance(subjects[offset], str) else None,
                    questionnaire_response=(
                        {"reference": f"QuestionnaireResponse/{response}"}
                        if isinstance(response, str)
                        else None
                    ),
                    effective=times[offset] if isinstance(times[offset], str) else None,
                )
            )
        self.json_writer.write(rows)


class Progress:
    """A progress line on stderr, only when stderr is a terminal."""

    #: the clock that spaces the updates (5 a second at most)
    clock = staticmethod(time.monotonic)

    def __init__(self, binary: IO[bytes], size: int | None) -> None:
        self.binary = binary
        self.size = size
        self.shown = sys.stderr.isatty()
        self.last = -math.inf

    def update(self, rows: int) -> None:
        """Show how many rows are done (and how much of the file, when its size is known)."""
        now = self.clock()
        if not self.shown or now - self.last < 0.2:
            return
        self.last = now
        share = ""
        if self.size:
            try:
                share = f" ({min(100, 100 * self.binary.tell() // self.size)}%)"
            except (OSError, ValueError):
                share = ""
        sys.stderr.write(f"\rscored {rows:,} rows{share}")
        sys.stderr.flush()

    def done(self) -> None:
        """Clear the progress line."""
        if self.shown and self.last > -math.inf:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
