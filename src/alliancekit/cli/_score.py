"""``alliancekit score SCALE FILE``: score every row of a CSV or JSON Lines file.

The file is read and written a chunk of rows at a time, so memory stays bounded whatever its
length. Columns that are not items (a respondent id, a session number) are copied to the output
untouched, followed by one column per score. Rows are numbered from 1, counting data rows only
(the CSV header is not row 1). Respondent identifiers are never printed: a problem is reported by
row number.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, TypeVar

from alliancekit.cli import UsageError, add_command
from alliancekit.cli._common import resolve_scale, say
from alliancekit.cli._score_output import Output, Progress, RowReport
from alliancekit.document import Scale
from alliancekit.errors import ResponseError, ResponseIssue, StorageError
from alliancekit.files import (
    Chunk,
    ChunkScorer,
    ChunkScores,
    CsvReader,
    InputError,
    JsonLinesReader,
    ParquetReader,
    text_stream,
)
from alliancekit.scoring import ScoreResult, has_listeners, read_json
from alliancekit.storage import Store, open_store

__all__ = ["register"]

#: What reads the input: CSV, JSON Lines, or (FHIR) alliancekit.fhir.ResponseReader.
Reader = Any

_CHUNK_ROWS = 32768
_T = TypeVar("_T")
_R = TypeVar("_R")
_JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}


def register(subparsers: Any) -> None:
    """Add the ``score`` subcommand."""
    p = add_command(
        subparsers,
        "score",
        "Score every row of a CSV (with a header row) or JSON Lines file of answers. "
        "Columns named like the scale's items (q1, q2, ...) are answers; map other names with "
        "--column or --columns. Every other column is copied to the output untouched, followed "
        "by one column per score (empty when the score's missing-data rule fails). Rows are "
        "numbered from 1, counting data rows only.",
    )
    p.add_argument("scale", help="a scale id or a path to a scale document")
    p.add_argument("file", help="the answers: a CSV or JSON Lines file, or - for stdin")
    p.add_argument(
        "--format",
        choices=("csv", "jsonl", "parquet", "fhir"),
        default="csv",
        help="output format; parquet needs the arrow extra and -o FILE (or a pipe); fhir: one "
        "FHIR R4 Observation per score of each row, as NDJSON",
    )
    p.add_argument(
        "--input-format",
        choices=("csv", "jsonl", "parquet", "fhir"),
        help="input format (default: jsonl for a .jsonl or .ndjson file, parquet for a "
        ".parquet file, else csv); parquet needs the arrow extra; fhir: "
        "QuestionnaireResponses to the scale's Questionnaire, as NDJSON (one per line, as FHIR "
        "bulk export writes them) or one Bundle",
    )
    p.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ITEM=COLUMN",
        help="read item ITEM from input column COLUMN (repeatable), e.g. --column q1=WAI_01",
    )
    p.add_argument(
        "--columns",
        metavar="MAP.json",
        help='a JSON object mapping item ids to input columns, e.g. {"q1": "WAI_01"}',
    )
    p.add_argument(
        "--on-error",
        choices=("report", "fail"),
        default="report",
        help="report: score every good row, give bad rows an 'error' column and list them on "
        "stderr (exit 1 if any); fail: stop at the first bad row (exit 1)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--prefix", default="", help="prefix for the score columns' names")
    p.add_argument(
        "--store",
        nargs="?",
        const="",
        metavar="URL",
        help="also save every scored row as an administration in this store (no URL: "
        "$ALLIANCEKIT_STORE, else the user's data directory; see docs/storage.md)",
    )
    p.add_argument("--respondent-column", metavar="COLUMN", help="with --store: respondent ids")
    p.add_argument("--respondent", help="with --store: one respondent id for every row")
    p.add_argument("--occasion-column", metavar="COLUMN", help="with --store: occasion numbers")
    p.add_argument("--occasion", type=int, help="with --store: one occasion for every row")
    p.add_argument(
        "--engine",
        choices=("auto", "numpy", "python"),
        default="auto",
        help="auto: NumPy when installed; both engines give the same results",
    )
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="with --store: skip (and count) a row whose respondent, occasion and answers are "
        "already stored for this scale, so that importing the same file again is harmless; a "
        "row for a stored occasion with other answers is still an error",
    )
    p.add_argument(
        "--digits",
        type=int,
        metavar="N",
        help="round scores to N decimals in the output (halves away from zero, on the decimal "
        "value); by default a score is written exactly (the shortest text of its float)",
    )
    p.add_argument(
        "--details",
        action="store_true",
        help="add SCORE_n_answered and SCORE_reason columns (why a score is empty)",
    )
    p.add_argument(
        "--safe-csv",
        action="store_true",
        help="neutralise cells and headers a spreadsheet would run as a formula (=, +, -, @, tab, "
        "CR at the start) with a leading ' (OWASP); off by default so that data round-trip "
        "exactly: use it for files that will be opened in a spreadsheet",
    )
    p.add_argument(
        "--no-events",
        action="store_true",
        help="score without announcing each result to alliancekit_result_scored plugins "
        "(by default each scored row is announced once, with or without --store)",
    )
    p.add_argument("--chunk-rows", type=int, default=_CHUNK_ROWS, help=argparse.SUPPRESS)
    p.set_defaults(handler=_score)


def _item_columns(scale: Scale, args: argparse.Namespace) -> dict[str, str]:
    """Item id -> input column, from the item ids themselves, ``--columns`` and ``--column``."""
    mapping = {item.id: item.id for item in scale.items}
    given: dict[str, Any] = {}
    if args.columns:
        try:
            given = read_json(Path(args.columns).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read the column map {args.columns}: {error}") from None
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise UsageError("the column map must be a JSON object of item id -> column name")
    for pair in args.column:
        item_id, equals, column = pair.partition("=")
        if not equals or not item_id or not column:
            raise UsageError(f"--column takes ITEM=COLUMN (got {pair!r})")
        given[item_id] = column
    unknown = sorted(set(given) - set(mapping))
    if unknown:
        raise UsageError(f"{', '.join(unknown)}: not an item of scale {scale.id!r}")
    mapping.update(given)
    columns = list(mapping.values())
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise UsageError(f"column {repeated[0]!r} is mapped to more than one item")
    return mapping


def _open_input(name: str) -> tuple[IO[bytes], int | None]:
    if name == "-":
        return sys.stdin.buffer, None
    try:
        binary = open(name, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
    try:
        size = Path(name).stat().st_size if Path(name).is_file() else None
    except OSError:
        size = None
    return binary, size


def _score(args: argparse.Namespace) -> int:
    scale = resolve_scale(args.scale)
    if args.chunk_rows < 1:
        raise UsageError("--chunk-rows must be at least 1")
    if args.digits is not None and not 0 <= args.digits <= 15:
        raise UsageError("--digits takes 0 to 15")
    if args.skip_existing and args.store is None:
        raise UsageError("--skip-existing goes with --store")
    suffix = Path(args.file).suffix.lower()
    fmt = args.input_format or (
        "jsonl" if suffix in _JSON_LINES_SUFFIXES else "parquet" if suffix == ".parquet" else "csv"
    )
    if fmt == "parquet" and args.file == "-":
        raise UsageError("Parquet is read from a file (it needs to seek), not from stdin")
    if fmt == "fhir" and (args.column or args.columns):
        raise UsageError("FHIR answers are matched by linkId; --column does not apply")
    items = _item_columns(scale, args)
    binary, size = _open_input(args.file)
    try:
        return _run(scale, args, items, fmt, binary, size)
    except InputError as error:
        say(f"alliancekit score: {args.file}: {error}", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        say(f"alliancekit score: {args.file}: not UTF-8 text", file=sys.stderr)
        return 1
    finally:
        if binary is not sys.stdin.buffer:
            binary.close()


def _run(
    scale: Scale,
    args: argparse.Namespace,
    items: dict[str, str],
    fmt: str,
    binary: IO[bytes],
    size: int | None,
) -> int:
    # Rows are scored one by one with Scale.score (which announces each result once) when they
    # are stored or someone listens for results; otherwise the table kernel scores whole chunks.
    by_row = (
        args.store is not None
        or args.format == "fhir"
        or args.details
        or (not args.no_events and has_listeners())
    )
    try:
        scorer = ChunkScorer(scale, items, "python" if by_row else args.engine)
    except ValueError as error:
        raise UsageError(str(error)) from None
    grids = (
        fmt == "csv"
        and args.format == "csv"
        and scorer.engine == "numpy"
        and not (args.safe_csv or args.digits is not None or args.details)
    )
    if fmt in ("jsonl", "fhir"):
        text = text_stream(binary)
        try:
            if fmt == "fhir":
                from alliancekit.fhir import ResponseReader

                reader: Reader = ResponseReader(text, args.chunk_rows, scale)
            else:
                reader = JsonLinesReader(text, args.chunk_rows)
            return _score_rows(scale, args, items, reader, scorer, binary, size)
        finally:
            text.detach()  # the caller closes the file (or leaves stdin open)
    if fmt == "parquet":
        return _score_rows(
            scale, args, items, ParquetReader(binary, args.chunk_rows), scorer, binary, size
        )
    reader = CsvReader(binary, args.chunk_rows, grids=grids)
    return _score_rows(scale, args, items, reader, scorer, binary, size)


def _score_rows(
    scale: Scale,
    args: argparse.Namespace,
    items: dict[str, str],
    reader: Reader,
    scorer: ChunkScorer,
    binary: IO[bytes],
    size: int | None,
) -> int:
    fmt = "jsonl" if isinstance(reader, JsonLinesReader) else "csv"  # csv: a known header
    grids = isinstance(reader, CsvReader) and reader.grids
    if fmt == "csv":
        absent = [f"{i} ({c})" if i != c else i for i, c in items.items() if c not in reader.header]
        if absent:
            raise UsageError(
                f"no column for item{'s' if len(absent) > 1 else ''} {', '.join(absent)}; "
                "map columns with --column ITEM=COLUMN"
            )
    if grids:
        scorer.use_header(reader.header)
    rows = _Rows.from_args(args, reader.header, fmt) if scorer.engine == "python" else None
    try:
        return _write_rows(scale, args, items, reader, scorer, rows, binary, size)
    finally:
        if rows is not None:
            rows.close()


def _write_rows(
    scale: Scale,
    args: argparse.Namespace,
    items: dict[str, str],
    reader: Reader,
    scorer: ChunkScorer,
    rows: _Rows | None,
    binary: IO[bytes],
    size: int | None,
) -> int:
    item_columns = set(items.values())
    passthrough = [c for c in reader.header if c not in item_columns]
    report = RowReport(fail=args.on_error == "fail")
    written = 0
    # Without rows (no store, no listener: the NumPy engine) scoring is pure computation, done
    # for a few chunks at once in threads; the chunks are still written in order, here.
    workers = 1 if rows is not None else min(2, _usable_cpus())
    try:
        with Output.open(args, scale, passthrough, list(items.values()), reader.header) as output:

            def work(chunk: Chunk) -> tuple[Any, dict[int, list[ResponseIssue]], bytes | None]:
                """A chunk's scores, its bad rows' issues, and a grid chunk's output bytes."""
                if chunk.grid is not None:
                    values, errors = scorer.score_grid(chunk)
                    return values, errors, output.grid_bytes(chunk, values, errors, None)
                scores = rows.score(scale, scorer, chunk) if rows else scorer.score(chunk)
                return scores, scores.errors, None

            progress = Progress(binary, size)
            for chunk, (scores, errors, data) in _in_order(reader.chunks(), work, workers):
                stop = report.add(chunk, errors)
                if data is None:
                    output.write(chunk, scores, stop)
                else:
                    if stop is not None:  # (rare: a bad row with --on-error fail)
                        data = output.grid_bytes(chunk, scores, errors, stop)
                    output.write_bytes(data)
                written += chunk.size if stop is None else stop
                progress.update(chunk.start + chunk.size - 1)
                if stop is not None:
                    break
            progress.done()
    except KeyboardInterrupt:
        stored = f", {rows.stored:,} stored" if rows is not None and rows.store else ""
        say(f"alliancekit score: interrupted: {written:,} rows written{stored}", file=sys.stderr)
        raise
    if rows is not None and rows.skipped:
        say(
            f"alliancekit score: {rows.skipped:,} rows already stored were skipped",
            file=sys.stderr,
        )
    code = report.finish()
    if written:
        _say_provisional(scale)
    return code


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_order(
    items: Iterator[_T], work: Callable[[_T], _R], workers: int
) -> Generator[tuple[_T, _R], None, None]:
    """``(item, work(item))`` for each of ``items``, in order. With more than one worker the
    work runs in that many threads, at most one item per worker ahead of the one yielded; when
    the caller stops early, the work not yet started is dropped and the running work is waited
    for (``items`` is only ever read here, in the caller's thread). When reading ``items``
    fails, the items read before are still yielded first, as with one worker."""
    if workers <= 1:
        for item in items:
            yield item, work(item)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="alliancekit-score") as pool:
        pending: deque[tuple[_T, Future[_R]]] = deque()
        failure: Exception | None = None
        try:
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as error:  # (raised once the items before it are yielded)
                    failure = error
                    break
                pending.append((item, pool.submit(work, item)))
                if len(pending) > workers:
                    first, future = pending.popleft()
                    yield first, future.result()
            while pending:
                first, future = pending.popleft()
                yield first, future.result()
            if failure is not None:
                raise failure
        finally:
            for _, future in pending:
                future.cancel()


def _say_provisional(scale: Scale) -> None:
    """Say on stderr which provisional facts every score written rests on (the rows carry the
    scores only; a FHIR Observation carries them as notes too)."""
    warnings = scale.scoring_warnings
    if warnings:
        say(
            f"alliancekit score: the scores of {scale.id} {scale.version} rest on provisional "
            f"facts (`alliancekit show {scale.id}` gives their sources):",
            file=sys.stderr,
        )
        for warning in warnings:
            say(f"  {warning}", file=sys.stderr)


class _Rows:
    """Scores each row with :meth:`Scale.score`, which announces each result once (unless
    ``--no-events``), and with ``--store`` saves it for the row's respondent and occasion; the
    store re-scores it to verify it without announcing it again."""

    def __init__(
        self,
        notify: bool,
        store: Store | None = None,
        *,
        skip_existing: bool = False,
        **administration: Any,
    ) -> None:
        self.notify = notify
        self.store = store
        self.skip_existing = skip_existing
        #: rows saved, and rows skipped as already stored
        self.stored = 0
        self.skipped = 0
        self.respondent: str | None = administration.get("respondent")
        self.respondent_column: str | None = administration.get("respondent_column")
        self.occasion: int | None = administration.get("occasion")
        self.occasion_column: str | None = administration.get("occasion_column")

    @classmethod
    def from_args(cls, args: argparse.Namespace, header: Sequence[str], fmt: str) -> _Rows:
        """Check the store options against the input's columns, then open the store."""
        notify = not args.no_events
        if args.store is None:
            return cls(notify)
        if (args.respondent is None) == (args.respondent_column is None):
            raise UsageError("--store needs one of --respondent-column or --respondent")
        if (args.occasion is None) == (args.occasion_column is None):
            raise UsageError("--store needs one of --occasion-column or --occasion")
        for column in (args.respondent_column, args.occasion_column):
            if column is not None and fmt == "csv" and column not in header:
                raise UsageError(f"no column {column!r} in the input")
        try:
            store = open_store(args.store or None)
        except StorageError as error:
            raise UsageError(f"cannot open the store: {error}") from None
        return cls(
            notify,
            store,
            skip_existing=args.skip_existing,
            respondent=args.respondent,
            respondent_column=args.respondent_column,
            occasion=args.occasion,
            occasion_column=args.occasion_column,
        )

    def score(self, scale: Scale, scorer: ChunkScorer, chunk: Chunk) -> ChunkScores:
        """Score (and save) every row of a chunk; a row that cannot be scored or saved is an
        error of that row."""
        errors = scorer.malformed(chunk)
        values: list[list[float]] = [[] for _ in scale.scores]
        results: dict[int, ScoreResult] = {}
        for offset, answers in self._rows(scorer, chunk):
            row: Sequence[float] = [float("nan")] * len(values)
            if offset not in errors:
                try:
                    result = self._score_row(scale, chunk, offset, answers)
                except ResponseError as error:
                    errors[offset] = error.issues
                except (StorageError, _RowProblem) as error:
                    errors[offset] = [
                        ResponseIssue(item_id="*", code=_code(error), message=str(error))
                    ]
                else:
                    results[offset] = result
                    row = [float("nan") if v is None else v for v in result.values().values()]
            for column, value in zip(values, row, strict=True):
                column.append(value)
        return ChunkScores(values=list(values), errors=errors, results=results)

    @staticmethod
    def _rows(scorer: ChunkScorer, chunk: Chunk) -> Iterator[tuple[int, dict[str, Any]]]:
        cells = scorer.cells(chunk)
        for offset in range(chunk.size):
            yield offset, scorer.row(cells, offset)

    def _score_row(
        self, scale: Scale, chunk: Chunk, offset: int, answers: dict[str, Any]
    ) -> ScoreResult:
        """Score one row (announcing it, with its row number and, when stored, the respondent's
        pseudonymous key and the occasion) and save it when storing."""
        context: dict[str, Any] = {"row": chunk.start + offset}
        if self.store is None:
            return scale.score(answers, coerce=True, context=context, notify=self.notify)
        respondent, occasion = self._administration(chunk, offset)
        if self.skip_existing:
            checked = scale.plan.validate(answers, coerce=True)  # raises as Scale.score would
            if self._already_stored(scale, checked, respondent, occasion):
                self.skipped += 1
                return scale.plan.score_values(checked)
        context.update(respondent_key=self.store.respondent_key(respondent), occasion=occasion)
        result = scale.score(answers, coerce=True, context=context, notify=self.notify)
        self.store.save(result, respondent=respondent, occasion=occasion)
        self.stored += 1
        return result

    def _already_stored(
        self, scale: Scale, checked: list[Any], respondent: str, occasion: int
    ) -> bool:
        """Whether the store holds this respondent's administration of this occasion with the
        same scale document and (checked) answers: an idempotent re-import."""
        assert self.store is not None
        answers = dict(zip(scale.plan.item_ids, checked, strict=True))
        return any(
            record.occasion == occasion
            and record.scale_sha256 == scale.sha256
            and dict(record.answers) == answers
            for record in self.store.history(respondent, scale.id)
        )

    def _administration(self, chunk: Chunk, offset: int) -> tuple[str, int]:
        """The row's respondent and occasion (checked before the row is scored)."""
        respondent = self.respondent
        if self.respondent_column is not None:
            respondent = _text(
                chunk.columns.get(self.respondent_column, [None] * chunk.size)[offset]
            )
        if not respondent:
            raise _RowProblem("no-respondent", "the row has no respondent id")
        occasion = self.occasion
        if self.occasion_column is not None:
            cell = chunk.columns.get(self.occasion_column, [None] * chunk.size)[offset]
            try:
                occasion = int(_text(cell))
            except ValueError:
                raise _RowProblem("bad-occasion", "the occasion must be a whole number") from None
        assert occasion is not None
        return respondent, occasion

    def close(self) -> None:
        """Close the store, if any."""
        if self.store is not None:
            self.store.close()


class _RowProblem(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _code(error: Exception) -> str:
    return error.code if isinstance(error, _RowProblem) else "not-stored"


def _text(cell: object) -> str:
    if cell is None:
        return ""
    return cell.strip() if isinstance(cell, str) else json.dumps(cell)
