"""Scoring a stream of rows chunk by chunk: the engine of ``alliancekit score``.

A chunk (see ``_csv``) is scored either by the NumPy kernel (cells read to floats,
then :func:`~alliancekit.scoring.score_float_table`) or row by row in pure Python (each row
checked by :meth:`ScoringPlan.validate` with ``coerce`` and scored by the exact engine). Both
give the same values and, for a bad row, the same issues: a row the kernel rejects is checked
again, from its original cells, by the row-by-row check.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.files._csv import Chunk
from alliancekit.scoring import parse_text

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = [
    "ChunkScorer",
    "ChunkScores",
    "Engine",
    "format_values",
    "numpy_available",
    "read_cell",
]

# Every value of a chunk goes through these two caches: cell text -> float, and float -> output
# text. A chunk of a 12-item scale has a million cells but a handful of distinct texts.

Engine = Literal["auto", "numpy", "python"]
_CACHE_LIMIT = 100_000


def numpy_available() -> bool:
    """Whether NumPy (the ``fast`` extra) can be imported."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


class _TextValues(dict[str, float]):
    """Cell text -> the float the kernel scores: NaN when missing, infinity (never valid) when
    not a number, so that the row is rejected and checked again from its text."""

    def __missing__(self, text: str) -> float:
        parsed = parse_text(text)
        value = math.inf if isinstance(parsed, str) else _as_float(parsed)
        if len(self) < _CACHE_LIMIT:
            self[text] = value
        return value


def _as_float(value: object) -> float:
    """A parsed or JSON answer as the float the kernel scores (NaN: missing; infinity: an
    answer that can never be valid, so the row is checked again from its original cell)."""
    if value is None:
        return math.nan
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return math.inf
    if type(value) is float:
        # A NaN given as a number is an error (infinity); -0.0 is 0.0 (scores are the same).
        return math.inf if math.isnan(value) else value + 0.0
    if type(value) is str:
        return _TEXT_VALUES[value]
    return math.inf  # booleans, lists, objects: never valid


_TEXT_VALUES = _TextValues()


def read_cell(text: str) -> float:
    """A cell's text as the float the kernel scores: NaN for a missing answer (see
    :func:`~alliancekit.scoring.parse_text`), infinity for text that is no number (never
    valid, so the row is checked again from its text)."""
    return _TEXT_VALUES[text]


class _Formatted(dict[float, str]):
    """A score value -> its text in an output file (shortest exact ``repr``; NaN is empty)."""

    def __missing__(self, value: float) -> str:
        if value != value:
            return ""
        text = repr(value)
        if len(self) < _CACHE_LIMIT:
            self[value] = text
        return text


_FORMATTED = _Formatted()


def format_values(values: Sequence[float]) -> list[str]:
    """Score values as output text: the shortest text that reads back as the same float, and
    the empty string for NaN (no value)."""
    return list(map(_FORMATTED.__getitem__, values))


@dataclass
class ChunkScores:
    """The scores of a chunk.

    :ivar values: per score (in the scale's order), the rows' values (NaN: no value, or a bad
        row).
    :ivar errors: row offset in the chunk -> the issues that stopped the row being scored.
    """

    values: list[Sequence[float]]
    errors: dict[int, list[ResponseIssue]]
    #: row offset -> its ScoreResult, when rows were scored one by one
    results: dict[int, Any] | None = None


class ChunkScorer:
    """Scores chunks of rows for one scale.

    :param columns: item id -> the input column holding its answers (a column a chunk lacks
        means every answer of that item is missing).
    :param engine: ``numpy``, ``python`` or ``auto`` (NumPy when it is installed).
    :raises ValueError: for ``engine="numpy"`` without NumPy.
    """

    def __init__(self, scale: Scale, columns: Mapping[str, str], engine: Engine = "auto") -> None:
        self.scale = scale
        self.plan = scale.plan
        self.columns = [columns[item_id] for item_id in self.plan.item_ids]
        if engine == "auto":
            engine = "numpy" if numpy_available() else "python"
        if engine == "numpy" and not numpy_available():
            raise ValueError("the numpy engine needs NumPy (pip install 'alliancekit[fast]')")
        self.engine = engine

    def cells(self, chunk: Chunk) -> list[Sequence[Any]]:
        """The chunk's answer cells, one sequence per item (in item order)."""
        none = [None] * chunk.size
        return [chunk.columns.get(column, none) for column in self.columns]

    def row(self, cells: list[Sequence[Any]], offset: int) -> dict[str, Any]:
        """One row's answers (item id -> cell) from :meth:`cells`."""
        return {
            item_id: column[offset]
            for item_id, column in zip(self.plan.item_ids, cells, strict=True)
        }

    def score(self, chunk: Chunk) -> ChunkScores:
        """Score every row of ``chunk``; bad and malformed rows are reported, not raised."""
        if self.engine == "numpy":
            return self._score_numpy(chunk)
        return self._score_python(chunk)

    def malformed(self, chunk: Chunk) -> dict[int, list[ResponseIssue]]:
        """The chunk's malformed rows as row errors (code ``malformed-row``), and the rows its
        reader refused with their own issues."""
        errors = {
            offset: [ResponseIssue(item_id="*", code="malformed-row", message=f"the row {why}")]
            for offset, why in chunk.problems.items()
        }
        errors.update(chunk.refused)
        return errors

    def score_grid(self, chunk: Chunk) -> tuple[Any, dict[int, list[ResponseIssue]]]:
        """Score a chunk held as a ``Grid`` (NumPy engine).

        :returns: the values (scores x rows, NaN: no value or a bad row) and the bad rows'
            issues.
        """
        from alliancekit.scoring import score_float_table

        grid = chunk.grid
        table = grid.floats(self.grid_columns)
        scored, bad = score_float_table(self.plan, table)
        errors: dict[int, list[ResponseIssue]] = {}

        def answers(offset: int) -> dict[str, str]:
            columns = zip(self.plan.item_ids, self.grid_columns, strict=True)
            return {item_id: grid.text(offset, column) for item_id, column in columns}

        self._explain(scored, [offset for offset, _ in bad], answers, errors)
        return scored, errors

    def _explain(
        self,
        scored: Any,
        offsets: Sequence[int],
        answers: Callable[[int], Mapping[str, object]],
        errors: dict[int, list[ResponseIssue]],
    ) -> None:
        """Check the rows the kernel refused one by one, to name every problem (into
        ``errors``), and blank their values in ``scored`` (scores x rows)."""
        for offset in offsets:
            try:
                checked = self.plan.validate(answers(offset), coerce=True)
            except ResponseError as error:
                errors[offset] = error.issues
            else:  # pragma: no cover - cannot happen: the kernel rejects what the check rejects
                scored[:, offset] = [
                    math.nan if v is None else v for v in self.plan.raw_values(checked)
                ]
        if errors:
            scored[:, list(errors)] = math.nan

    def use_header(self, header: Sequence[str]) -> None:
        """Locate the item columns in a CSV header (for :meth:`score_grid`)."""
        self.grid_columns = [header.index(column) for column in self.columns]

    def _score_python(self, chunk: Chunk) -> ChunkScores:
        cells = self.cells(chunk)
        errors = self.malformed(chunk)
        values: list[list[float]] = [[] for _ in self.plan.scores]
        empty = [math.nan] * len(self.plan.scores)
        for offset in range(chunk.size):
            row: Sequence[float] = empty
            if offset not in errors:
                try:
                    checked = self.plan.validate(self.row(cells, offset), coerce=True)
                except ResponseError as error:
                    errors[offset] = error.issues
                else:
                    row = [math.nan if v is None else v for v in self.plan.raw_values(checked)]
            for column, value in zip(values, row, strict=True):
                column.append(value)
        return ChunkScores(values=list(values), errors=errors)

    def _score_numpy(self, chunk: Chunk) -> ChunkScores:
        import numpy as np

        from alliancekit.scoring import score_float_table

        cells = self.cells(chunk)
        table = np.empty((chunk.size, len(cells)))
        read = _TEXT_VALUES.__getitem__ if chunk.text else _as_float
        for j, column in enumerate(cells):
            table[:, j] = np.fromiter(map(read, column), np.float64, chunk.size)
        errors = self.malformed(chunk)
        for offset in errors:
            table[offset] = math.nan
        scored, bad = score_float_table(self.plan, table)
        self._explain(scored, [offset for offset, _ in bad], lambda o: self.row(cells, o), errors)
        return ChunkScores(values=scored.tolist(), errors=errors)
