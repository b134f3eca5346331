"""The SQL text the SQL backends share, written once with ``?`` placeholders, and the cursor
interface they need."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

from alliancekit.storage._records import RECORD_SELECT

__all__ = [
    "CURRENT_ONLY",
    "INSERT_DOCUMENT",
    "Conflict",
    "Cursor",
    "insert_sql",
    "select_records",
]

#: Which uniqueness rule a failed insert broke.
Conflict = Literal["occasion", "amendment"]

# The amendment of a record (at most one: ``one_amendment_per_record``) is joined once, which
# gives ``superseded_by`` and lets CURRENT_ONLY test it without a second look-up per row.
_SELECT = (
    "SELECT "
    + ", ".join(f"r.{c}" for c in RECORD_SELECT[:-1])
    + ", a.id AS superseded_by, "
    + "s.score_id, s.value, s.n_answered, s.n_missing, s.imputed, s.reason, "
    + "s.range_low, s.range_high "
    + "FROM records r LEFT JOIN records a ON a.amends = r.id "
    + "JOIN scores s ON s.record_id = r.id "
)

#: Appended to a ``WHERE`` clause: leave out records that an amendment replaced.
CURRENT_ONLY = " AND a.id IS NULL"

#: Store a scale document unless one with its sha256 is stored already.
INSERT_DOCUMENT = (
    "INSERT INTO scale_documents (sha256, scale_id, version, document) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (sha256) DO NOTHING"
)


class Cursor(Protocol):
    """The part of a DB-API cursor the store uses."""

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement."""

    def execute(self, sql: str, params: Sequence[Any] = ..., /) -> Any:
        """Run one statement."""

    def executemany(self, sql: str, params: Iterable[Sequence[Any]], /) -> Any:
        """Run one statement for each parameter row."""

    def fetchone(self) -> Any:
        """The next row, or ``None``."""

    def fetchall(self) -> list[Any]:
        """The remaining rows."""


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """The ``INSERT`` statement of one row of ``columns``."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def select_records(where: str, order: str) -> str:
    """The query of whole records (one row per score) matching ``where``, in ``order``.

    ``where`` and ``order`` refer to ``records`` as ``r``;
    :func:`~alliancekit.storage._records.decode_records` decodes the rows.
    """
    return f"{_SELECT}{where} ORDER BY {order}, s.position"
