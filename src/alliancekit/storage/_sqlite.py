"""The embedded SQLite store (stdlib :mod:`sqlite3`): ``sqlite:///alliance.db``.

Every connection runs in WAL mode with ``synchronous=FULL`` (a save that returned survives a crash
of the process or the machine), a busy timeout (concurrent writers wait instead of failing),
foreign keys on and ``secure_delete`` on (deleted rows are overwritten with zeros). Every write is
one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl, unquote

from alliancekit.errors import StorageError
from alliancekit.storage._records import RECORD_COLUMNS
from alliancekit.storage._sql_queries import Conflict, Cursor, insert_sql
from alliancekit.storage._sql_store import SQLStore
from alliancekit.storage._sqlite_schema import migrate, refuse_foreign

__all__ = ["DEFAULT_TIMEOUT", "MIN_SQLITE", "SQLiteStore", "open_sqlite_store", "sqlite_location"]

#: Seconds a writer waits for another writer's lock before giving up.
DEFAULT_TIMEOUT = 30.0

#: Oldest SQLite library supported (``ALTER TABLE … RENAME`` that keeps references, upserts).
MIN_SQLITE = (3, 26, 0)

_INSERT_RECORD = insert_sql("records", RECORD_COLUMNS)
_INSERT_NUMBERED_RECORD = insert_sql("records", ("id", *RECORD_COLUMNS))
# The id AUTOINCREMENT would give the next record: one more than the largest id ever used.
_LAST_ID = (
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'records'), 0), "
    "coalesce((SELECT max(id) FROM records), 0))"
)


def sqlite_location(url: str) -> tuple[str, float]:
    """The file path and busy timeout (seconds) of a ``sqlite:`` URL.

    As in SQLAlchemy, ``sqlite:///rel/path.db`` is a path relative to the working directory and
    ``sqlite:////abs/path.db`` (four slashes) an absolute one; ``sqlite:rel/path.db`` is relative
    too and ``sqlite::memory:`` an in-memory database. The path is percent-decoded. The one option
    is ``?timeout=SECONDS``.

    :raises StorageError: for a URL with a host, without a path, or with an unknown option.
    """
    if url[: len("sqlite:")].lower() != "sqlite:":
        raise StorageError("a SQLite store URL starts with 'sqlite:'")
    rest, _, query = url[len("sqlite:") :].partition("?")
    if rest.startswith("//"):
        host, _, path = rest[2:].partition("/")
        if host:
            raise StorageError(
                "a sqlite: URL has no host; write sqlite:///relative.db or sqlite:////absolute.db"
            )
    else:
        path = rest
    path = unquote(path)
    if path in ("", "/"):
        raise StorageError("a sqlite: URL needs a file path, e.g. sqlite:///alliance.db")
    timeout = DEFAULT_TIMEOUT
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name != "timeout":
            raise StorageError(f"unknown sqlite: URL option {name!r} (known: timeout)")
        try:
            timeout = float(value)
        except ValueError:
            timeout = -1.0
        if not 0 < timeout < 86400:
            raise StorageError(f"timeout must be a number of seconds above 0 (got {value!r})")
    return path, timeout


def open_sqlite_store(url: str) -> SQLiteStore:
    """Open (creating and migrating when needed) the SQLite store at a ``sqlite:`` URL.

    A new database file is created readable by its owner only.

    :raises StorageError: for a bad URL, a file that cannot be opened or is not an alliancekit
        store, or a schema newer than this alliancekit.
    """
    path, timeout = sqlite_location(url)
    return SQLiteStore(path, timeout=timeout)


class SQLiteStore(SQLStore):
    """A store in one SQLite file; build it with :func:`open_sqlite_store`."""

    backend = "SQLite"

    def __init__(self, path: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__()
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StorageError(
                f"SQLite {'.'.join(map(str, MIN_SQLITE))} or newer is needed "
                f"(this Python has {sqlite3.sqlite_version})"
            )
        self.path = path
        connection: sqlite3.Connection | None = None
        try:
            connection = _connect(path, timeout)
            migrate(connection)
            self._secret = _secret(connection)
        except (sqlite3.Error, TypeError, ValueError) as error:
            if connection is not None:
                connection.close()
            raise StorageError(
                f"cannot open the SQLite store {path}: {_explain(error, path)}"
            ) from error
        except StorageError as error:
            if connection is not None:
                connection.close()
            if str(error).startswith("cannot "):  # already says which store and why
                raise
            raise StorageError(f"cannot open the SQLite store {path}: {error}") from None
        except BaseException:
            if connection is not None:
                connection.close()
            raise
        self._connection = connection

    def _sql(self, text: str) -> str:
        return text

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Cursor]:
        cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[Cursor]:
        cursor = self._connection.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
                cursor.execute("COMMIT")
            except BaseException:
                if self._connection.in_transaction:
                    self._connection.execute("ROLLBACK")
                raise
        finally:
            cursor.close()

    def _insert_records(self, cursor: Cursor, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        if len(rows) == 1:
            cursor.execute(_INSERT_RECORD, rows[0])
            return [int(cursor.lastrowid)]  # type: ignore[attr-defined]
        # Inside the write transaction no one else inserts: number the records as AUTOINCREMENT
        # would, one by one, and insert them with one executemany (which updates the sequence).
        cursor.execute(_LAST_ID)
        first = int(cursor.fetchone()[0]) + 1
        ids = list(range(first, first + len(rows)))
        cursor.executemany(
            _INSERT_NUMBERED_RECORD, [(i, *row) for i, row in zip(ids, rows, strict=True)]
        )
        return ids

    def _database_errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def _conflict(self, error: Exception) -> Conflict | None:
        if not isinstance(error, sqlite3.IntegrityError) or "UNIQUE" not in str(error):
            return None
        if "records.amends" in str(error):
            return "amendment"
        if "records.occasion" in str(error):
            return "occasion"
        return None

    def _describe(self, error: Exception) -> str:
        return _explain(error, self.path)

    def _after_erase(self) -> None:
        if self.path == ":memory:":
            return
        # Old versions of the deleted pages stay in the write-ahead log until it is
        # checkpointed into the (zero-filled) database file and truncated.
        busy, _, _ = self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise StorageError(
                "the records were deleted, but other open connections kept the write-ahead log "
                "from being cleared, so deleted data may remain on disk; close them and call "
                "erase_respondent() again"
            )

    def _close(self) -> None:
        self._connection.close()


def _secret(connection: sqlite3.Connection) -> bytes:
    row = connection.execute(
        "SELECT value FROM store_meta WHERE key = 'respondent-key-secret'"
    ).fetchone()
    if row is not None and isinstance(row[0], str):
        try:
            secret = bytes.fromhex(row[0])
        except ValueError:
            secret = b""
        if len(secret) >= 16:
            return secret
    raise StorageError(
        "the store is damaged: its respondent-key secret (table store_meta) is missing or "
        "unreadable, so stored records cannot be matched to respondents; restore the file "
        "from a backup"
    )


def _explain(error: Exception, path: str) -> str:
    """A driver error when opening, with the likely cause when the file or its directory is
    read-only (SQLite's own words, "unable to open database file", do not say)."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if path == ":memory:":
        return text
    folder = os.path.dirname(os.path.abspath(path))
    read_only = "readonly" in text.replace("-", "").replace(" ", "")
    if (
        read_only
        or _read_only(folder)
        or not os.access(path, os.W_OK)
        or not os.access(folder, os.W_OK)
    ):
        return (
            f"{text} (the file or its directory is read-only: a store needs to write the "
            "database and its journal files next to it)"
        )
    return text


def _read_only(folder: str) -> bool:
    """Whether the file system holding ``folder`` is mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs on Windows
        return False


def _connect(path: str, timeout: float) -> sqlite3.Connection:
    if path != ":memory:":
        _create_private(path)
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    try:
        refuse_foreign(connection)  # before WAL mode, which would change the file
        _use_wal(connection, timeout)
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA secure_delete = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def _use_wal(connection: sqlite3.Connection, timeout: float) -> None:
    # Switching a new file to WAL needs a moment of exclusive access, which SQLite reports as
    # "locked" without waiting when several processes open the same new file at once.
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _create_private(path: str) -> None:
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as error:
        raise StorageError(f"cannot create the SQLite store {path}: {error.strerror}") from None
