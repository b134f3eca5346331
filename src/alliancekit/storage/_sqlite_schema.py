"""The SQLite schema and its migrations; ``PRAGMA user_version`` holds the schema version.

A new database runs every migration in order, so each step is exercised by every store and the
step from version 1 by the migration test as well.

- **1**: records with their scores as one JSON column.
- **2**: scores as rows of their own table (queryable from SQL), immutability triggers.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable

from alliancekit.errors import StorageError
from alliancekit.storage._records import v1_score_rows

__all__ = ["SCHEMA_VERSION", "migrate", "refuse_foreign"]

SCHEMA_VERSION = 2

_V1 = """
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scale_documents (
    sha256 TEXT PRIMARY KEY,
    scale_id TEXT NOT NULL,
    version TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    respondent_key TEXT NOT NULL,
    scale_id TEXT NOT NULL,
    occasion INTEGER NOT NULL,
    scale_version TEXT NOT NULL,
    scale_sha256 TEXT NOT NULL REFERENCES scale_documents (sha256),
    status TEXT NOT NULL,
    administered_at TEXT,
    administered_by TEXT,
    saved_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    scores TEXT NOT NULL,
    warnings TEXT NOT NULL,
    amends INTEGER REFERENCES records (id),
    amend_reason TEXT
);
CREATE INDEX records_by_respondent ON records (respondent_key, scale_id, occasion);
CREATE UNIQUE INDEX one_original_per_occasion ON records (respondent_key, scale_id, occasion)
    WHERE amends IS NULL;
CREATE UNIQUE INDEX one_amendment_per_record ON records (amends) WHERE amends IS NOT NULL;
"""

_V2_RECORDS = """
ALTER TABLE records RENAME TO records_v1;
DROP INDEX records_by_respondent;
DROP INDEX one_original_per_occasion;
DROP INDEX one_amendment_per_record;
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    respondent_key TEXT NOT NULL,
    scale_id TEXT NOT NULL,
    occasion INTEGER NOT NULL,
    scale_version TEXT NOT NULL,
    scale_sha256 TEXT NOT NULL REFERENCES scale_documents (sha256),
    status TEXT NOT NULL,
    administered_at TEXT,
    administered_by TEXT,
    saved_at TEXT NOT NULL,
    answers TEXT NOT NULL,
    warnings TEXT NOT NULL,
    amends INTEGER REFERENCES records (id),
    amend_reason TEXT
);
INSERT INTO records
    SELECT id, respondent_key, scale_id, occasion, scale_version, scale_sha256, status,
           administered_at, administered_by, saved_at, answers, warnings, amends, amend_reason
    FROM records_v1 ORDER BY id;
CREATE TABLE scores (
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    score_id TEXT NOT NULL,
    value REAL,
    n_answered INTEGER NOT NULL,
    n_missing INTEGER NOT NULL,
    imputed INTEGER NOT NULL,
    reason TEXT,
    range_low REAL NOT NULL,
    range_high REAL NOT NULL,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;
"""

_V2_FINISH = """
DROP TABLE records_v1;
CREATE INDEX records_by_respondent ON records (respondent_key, scale_id, occasion, id);
CREATE UNIQUE INDEX one_original_per_occasion ON records (respondent_key, scale_id, occasion)
    WHERE amends IS NULL;
CREATE UNIQUE INDEX one_amendment_per_record ON records (amends) WHERE amends IS NOT NULL;
CREATE TRIGGER records_are_immutable BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'stored records are immutable'); END;
CREATE TRIGGER scores_are_immutable BEFORE UPDATE ON scores
    BEGIN SELECT RAISE(ABORT, 'stored scores are immutable'); END;
"""


def _statements(script: str) -> list[str]:
    # Split on ";" at line ends: the scripts hold no string literal with a ";" at a line end,
    # and trigger bodies end in "END;" on the same line as their last statement.
    return [s.strip() for s in script.split(";\n") if s.strip().rstrip(";")]


def _run(connection: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction; run statement by statement.
    for statement in _statements(script):
        connection.execute(statement)


def _to_v1(connection: sqlite3.Connection) -> None:
    _run(connection, _V1)
    connection.execute(
        "INSERT INTO store_meta (key, value) VALUES ('respondent-key-secret', ?)",
        (secrets.token_hex(32),),
    )


def _to_v2(connection: sqlite3.Connection) -> None:
    _run(connection, _V2_RECORDS)
    rows = connection.execute("SELECT id, scores FROM records_v1 ORDER BY id").fetchall()
    connection.executemany(
        "INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [row for record_id, scores in rows for row in v1_score_rows(record_id, scores)],
    )
    # Ids are never reused, even those of erased records: carry the counter over.
    connection.execute("DELETE FROM sqlite_sequence WHERE name = 'records'")
    connection.execute(
        "INSERT INTO sqlite_sequence (name, seq) "
        "SELECT 'records', seq FROM sqlite_sequence WHERE name = 'records_v1'"
    )
    _run(connection, _V2_FINISH)


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_v1, 2: _to_v2}


def refuse_foreign(connection: sqlite3.Connection) -> None:
    """Refuse, before anything is written, a database that is not an alliancekit store: no
    schema version (``PRAGMA user_version`` 0) but tables of its own, or a schema version (set
    by another application) without the store's ``store_meta`` table.

    :raises StorageError: for such a database.
    """
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        _require_empty(connection)
    elif not connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'"
    ).fetchone():
        raise StorageError(
            f"the database is not an alliancekit store (it has schema version {version} but no "
            "alliancekit tables); it was left unchanged"
        )


def _require_empty(connection: sqlite3.Connection) -> None:
    found = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchone()[0]
    if found:
        raise StorageError(
            "the database is not an alliancekit store (it holds other tables and no alliancekit "
            "schema version); it was left unchanged"
        )


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the database to :data:`SCHEMA_VERSION` in one transaction.

    Safe when several processes open a new database at once: the first one migrates, the others
    wait for its write lock and then find nothing to do.

    :raises StorageError: when the database's schema is newer than this alliancekit, or the
        database is not an alliancekit store (it has no schema version but holds tables: another
        application's database is never changed into a store).
    """
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            _require_empty(connection)
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"the database has schema version {version}, newer than this alliancekit "
                f"supports ({SCHEMA_VERSION}); upgrade alliancekit"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            _MIGRATIONS[step](connection)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
