"""Scoring many responses one after another: :func:`score_many`.

Every row is scored exactly as :meth:`Scale.score` scores it (it is the same call), so a bad row
does not stop the others: it comes out as a :class:`RowError` carrying its position and the
:class:`~alliancekit.errors.ResponseError` that lists its problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from alliancekit.errors import ResponseError, ResponseIssue
from alliancekit.scoring import ScoreResult

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = ["RowError", "score_many"]


@attrs.frozen(kw_only=True)
class RowError:
    """A row of a batch that could not be scored.

    :ivar index: the row's position in the batch, counting from 0 (as Python indexes the rows);
        :attr:`row` counts from 1, as ``alliancekit score`` numbers rows and people count.
    :ivar error: the :class:`~alliancekit.errors.ResponseError` listing every problem of the row.
    """

    index: int
    error: ResponseError

    @property
    def row(self) -> int:
        """The row's number counting from 1: ``index + 1``."""
        return self.index + 1

    @property
    def issues(self) -> list[ResponseIssue]:
        """The row's issues (item id, stable code, message)."""
        return self.error.issues

    def __str__(self) -> str:
        problems = "; ".join(str(issue) for issue in self.error.issues)
        return f"row {self.row}: {problems}"


def score_many(
    scale: Scale, rows: Iterable[Mapping[str, Any]], *, coerce: bool = False
) -> Iterator[ScoreResult | RowError]:
    """Score each mapping of ``rows`` (item id -> value, ``None`` for missing), lazily, in order.

    Each row is scored by :meth:`Scale.score` (so each result fires the
    ``alliancekit_result_scored`` event); the iterator holds one row at a time, so a stream of
    any length runs in constant memory.

    :param coerce: as for :meth:`Scale.score`: read text such as ``"4"`` (e.g. from CSV).
    :returns: an iterator giving, per row, its :class:`~alliancekit.ScoreResult`, or a
        :class:`RowError` (``index`` counts from 0) when its answers are bad.
    :raises ScoringError: when a score cannot be computed for a reason other than the answers
        (e.g. a broken plugin method); the iterator stops there.
    """
    score = scale.score
    for index, row in enumerate(rows):
        try:
            yield score(row, coerce=coerce)
        except ResponseError as error:
            yield RowError(index=index, error=error)
