"""The PostgreSQL store (psycopg 3, the ``postgres`` extra): ``postgresql://user@host/db``.

The URL is handed to libpq unchanged, so every libpq parameter works (``?sslmode=require``,
``?host=/run/postgresql`` …). Tables live in the database schema ``alliancekit``, created on first
use. Every write is one transaction; concurrent writers are safe under the default ``READ
COMMITTED`` isolation because records are only ever inserted and uniqueness is enforced by
indexes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from alliancekit.errors import StorageError
from alliancekit.storage._postgresql_schema import DB_SCHEMA, migrate
from alliancekit.storage._records import RECORD_COLUMNS
from alliancekit.storage._sql_queries import Conflict, Cursor, insert_sql
from alliancekit.storage._sql_store import CONFLICT_MESSAGES, SQLStore

__all__ = ["PostgresStore", "open_postgres_store"]

# ON CONFLICT DO NOTHING: a repeated occasion (or a second amendment) inserts no row instead of
# raising a unique violation, whose server-log DETAIL line would quote the respondent key.
_INSERT_RECORD = (
    insert_sql("records", RECORD_COLUMNS).replace("?", "%s")
    + " ON CONFLICT DO NOTHING RETURNING id"
)
_AMENDS = RECORD_COLUMNS.index("amends")


def open_postgres_store(url: str) -> PostgresStore:
    """Open (creating and migrating when needed) the store in the PostgreSQL database at ``url``.

    :raises StorageError: when psycopg is not installed, the server cannot be reached, or the
        database's store schema is newer than this alliancekit.
    """
    try:
        import psycopg
    except ImportError:
        raise StorageError(
            "the PostgreSQL store needs psycopg 3: pip install 'alliancekit[postgres]'"
        ) from None
    try:
        connection = psycopg.connect(url, autocommit=True)
    except psycopg.Error as error:
        # The message names host, port and user but never the password.
        raise StorageError(f"cannot connect to PostgreSQL: {_first_line(error)}") from None
    try:
        connection.execute(f"SET search_path TO {DB_SCHEMA}")
        migrate(connection)
        row = connection.execute(
            "SELECT value FROM store_meta WHERE key = 'respondent-key-secret'"
        ).fetchone()
        if row is None:
            raise StorageError("the PostgreSQL store has no respondent-key secret; it is damaged")
        secret = bytes.fromhex(row[0])
    except psycopg.Error as error:
        connection.close()
        raise StorageError(f"cannot open the PostgreSQL store: {_first_line(error)}") from error
    except BaseException:
        connection.close()
        raise
    return PostgresStore(connection, secret)


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database; build it with :func:`open_postgres_store`."""

    backend = "PostgreSQL"

    def __init__(self, connection: Any, secret: bytes) -> None:
        super().__init__()
        import psycopg

        self._psycopg = psycopg
        self._connection = connection
        self._secret = secret

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s")

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        with self._connection.cursor() as cursor:
            yield cursor

    @contextlib.contextmanager
    def _write(self) -> Iterator[Cursor]:
        with self._connection.transaction(), self._connection.cursor() as cursor:
            yield cursor

    def _insert_records(self, cursor: Cursor, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        if len(rows) == 1:
            cursor.execute(_INSERT_RECORD, rows[0])
            return [_inserted_id(cursor.fetchone(), rows[0])]
        # executemany(returning=True) pipelines the statements: one round trip for the batch.
        cursor.executemany(_INSERT_RECORD, rows, returning=True)  # type: ignore[call-arg]
        ids = []
        for row in rows:
            ids.append(_inserted_id(cursor.fetchone(), row))
            if not cursor.nextset():  # type: ignore[attr-defined]
                return ids
        return ids

    def _database_errors(self) -> tuple[type[Exception], ...]:
        return (self._psycopg.Error,)

    def _conflict(self, error: Exception) -> Conflict | None:
        if not isinstance(error, self._psycopg.errors.UniqueViolation):
            return None
        constraint = error.diag.constraint_name
        if constraint == "one_amendment_per_record":
            return "amendment"
        if constraint == "one_original_per_occasion":
            return "occasion"
        return None

    def _describe(self, error: Exception) -> str:
        # The primary message only: DETAIL lines quote key values.
        diag = getattr(error, "diag", None)
        primary = getattr(diag, "message_primary", None)
        return str(primary) if primary else _first_line(error)

    def _after_erase(self) -> None:
        # Remove the dead row versions now rather than whenever autovacuum runs, and re-sample the
        # planner statistics (pg_statistic keeps sampled respondent keys, erased ones included).
        self._connection.execute("VACUUM (ANALYZE) records, scores")

    def _close(self) -> None:
        self._connection.close()


def _inserted_id(returned: Any, row: tuple[Any, ...]) -> int:
    """The id of an inserted record; no row returned means a uniqueness rule held it back (the
    transaction is then rolled back)."""
    if returned is not None:
        return int(returned[0])
    if row[_AMENDS] is not None:
        raise StorageError(CONFLICT_MESSAGES["amendment"])
    raise StorageError(CONFLICT_MESSAGES["occasion"])


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
