"""The SQLite store: the conformance suite, plus what only SQLite has (files, locks, pragmas)."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from alliancekit import StorageError, get_scale
from alliancekit.storage import open_store, sqlite_url
from alliancekit.storage._sqlite import sqlite_location
from alliancekit.testing.storage_conformance import (
    FileErasureConformance,
    PreviousStoreContent,
    StoreConformance,
    previous_store_content,
    srs,
)

#: Schema version 1, written out by hand (not imported) so that the test pins the old format.
V1_SCHEMA = """
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scale_documents (sha256 TEXT PRIMARY KEY, scale_id TEXT NOT NULL,
    version TEXT NOT NULL, document TEXT NOT NULL);
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT, respondent_key TEXT NOT NULL, scale_id TEXT NOT NULL,
    occasion INTEGER NOT NULL, scale_version TEXT NOT NULL,
    scale_sha256 TEXT NOT NULL REFERENCES scale_documents (sha256), status TEXT NOT NULL,
    administered_at TEXT, administered_by TEXT, saved_at TEXT NOT NULL, answers TEXT NOT NULL,
    scores TEXT NOT NULL, warnings TEXT NOT NULL, amends INTEGER REFERENCES records (id),
    amend_reason TEXT);
CREATE INDEX records_by_respondent ON records (respondent_key, scale_id, occasion);
CREATE UNIQUE INDEX one_original_per_occasion ON records (respondent_key, scale_id, occasion)
    WHERE amends IS NULL;
CREATE UNIQUE INDEX one_amendment_per_record ON records (amends) WHERE amends IS NOT NULL;
"""


def write_v1_store(path: str, content: PreviousStoreContent, *, sequence: int) -> None:
    """Write ``content`` as a schema-1 SQLite file whose id counter stands at ``sequence``."""
    scale = content.scale
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(V1_SCHEMA)
        db.execute(
            "INSERT INTO store_meta VALUES ('respondent-key-secret', ?)", (content.secret.hex(),)
        )
        db.execute(
            "INSERT INTO scale_documents VALUES (?, ?, ?, ?)",
            (scale.sha256, scale.id, scale.version, scale.canonical_json().decode()),
        )
        for r in content.records:
            result = r.result
            db.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    r.id,
                    content.respondent_key(r.respondent),
                    result.scale_id,
                    r.occasion,
                    result.scale_version,
                    result.scale_sha256,
                    result.status,
                    r.administered_at.isoformat() if r.administered_at else None,
                    r.administered_by,
                    r.saved_at.isoformat(),
                    json.dumps(dict(result.answers)),
                    json.dumps({k: s.to_dict() for k, s in result.scores.items()}),
                    json.dumps(list(result.warnings)),
                    r.amends,
                    r.amend_reason,
                ),
            )
        db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'records'", (sequence,))
        db.execute("PRAGMA user_version = 1")


class TestSQLiteStore(StoreConformance, FileErasureConformance):
    """The conformance suite on a SQLite file."""

    @pytest.fixture
    def store_url(self, tmp_path: Path) -> str:
        """A new SQLite file in the test's temp dir."""
        return sqlite_url(tmp_path / "alliance.db")

    def raw_files(self, url: str) -> list[Path]:
        """The database file, its write-ahead log and its shared-memory index."""
        path = sqlite_location(url)[0]
        return [Path(path + suffix) for suffix in ("", "-wal", "-shm")]

    def check_integrity(self, url: str) -> None:
        """SQLite's own integrity and foreign-key checks pass."""
        with closing(sqlite3.connect(sqlite_location(url)[0])) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []

    def build_previous_schema(self, url: str, content: PreviousStoreContent) -> None:
        """A schema-1 file (``user_version`` 1) written with plain sqlite3."""
        write_v1_store(sqlite_location(url)[0], content, sequence=4)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the SQLite-only tests keep their store."""
    return tmp_path / "alliance.db"


def test_new_file_is_private_and_in_wal_mode(db_path: Path) -> None:
    """A new store file is readable by its owner only and stays in WAL mode."""
    open_store(sqlite_url(db_path)).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (2,)


@pytest.mark.parametrize("table", ["records", "scores"])
def test_stored_rows_cannot_be_updated(db_path: Path, table: str) -> None:
    """Triggers refuse UPDATE on records and scores, even from plain SQL."""
    with open_store(sqlite_url(db_path)) as store:
        store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
    with (
        closing(sqlite3.connect(db_path)) as db,
        pytest.raises(sqlite3.IntegrityError, match="immutable"),
    ):
        db.execute(
            f"UPDATE {table} SET record_id = record_id"
            if table == "scores"
            else "UPDATE records SET occasion = 9"
        )


def test_writer_waits_for_another_writers_lock(db_path: Path) -> None:
    """A save waits (busy timeout) while another connection holds the write lock for 0.3 s."""
    url = sqlite_url(db_path)
    with (
        open_store(url) as store,
        closing(sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)) as db,
    ):
        db.execute("BEGIN IMMEDIATE")
        releaser = threading.Timer(0.3, db.execute, args=("COMMIT",))
        releaser.start()
        started = time.monotonic()
        store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        releaser.join()
        assert time.monotonic() - started >= 0.25


def test_writer_gives_up_after_its_timeout(db_path: Path) -> None:
    """With ?timeout=0.2 and the lock held throughout, the save fails with StorageError."""
    url = sqlite_url(db_path) + "?timeout=0.2"
    with open_store(url) as store, closing(sqlite3.connect(db_path, isolation_level=None)) as db:
        db.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError, match="locked"):
            store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
        db.execute("ROLLBACK")
        assert store.history("a", "srs") == []


def test_erase_with_an_open_reader_says_so_and_can_be_repeated(db_path: Path) -> None:
    """A reader's open snapshot keeps the WAL from being cleared: erasure deletes the records
    but reports the incomplete wipe; once the reader is gone, erasing again wipes the files."""
    url = sqlite_url(db_path) + "?timeout=0.2"
    with open_store(url) as store:
        store.save(srs(3.14159, 1, 1, 1), respondent="victim", occasion=1)
        with closing(sqlite3.connect(db_path, isolation_level=None)) as reader:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM records").fetchone()
            with pytest.raises(StorageError, match="erase_respondent"):
                store.erase_respondent("victim")
            reader.execute("COMMIT")
        assert store.history("victim", "srs") == []
        assert store.erase_respondent("victim") == 0
        files = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm")]
        assert not any(p.exists() and b"3.14159" in p.read_bytes() for p in files)


def test_newer_schema_is_refused(db_path: Path) -> None:
    """A database from a newer alliancekit (user_version 99) is not touched."""
    with closing(sqlite3.connect(db_path)) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StorageError, match="newer"):
        open_store(sqlite_url(db_path))


def test_a_file_that_is_not_a_database_is_refused(db_path: Path) -> None:
    """Opening a text file as a store is a StorageError, not a crash."""
    db_path.write_text("not a database " * 100)
    with pytest.raises(StorageError, match="cannot open"):
        open_store(sqlite_url(db_path))


def test_ids_are_not_reused_across_the_migration(db_path: Path) -> None:
    """A schema-1 file whose counter stood at 6 (records 5 and 6 erased) gives the next record
    id 7, not 5."""
    write_v1_store(str(db_path), previous_store_content(), sequence=6)
    with open_store(sqlite_url(db_path)) as store:
        assert store.save(srs(1, 1, 1, 1), respondent="new", occasion=1) == 7


def test_migration_moves_scores_into_their_own_table(db_path: Path) -> None:
    """After migrating, the scores are rows of ``scores`` (4 records, one SRS total each) and
    ``records`` no longer has a ``scores`` column."""
    write_v1_store(str(db_path), previous_store_content(), sequence=4)
    open_store(sqlite_url(db_path)).close()
    with closing(sqlite3.connect(db_path)) as db:
        rows = db.execute("SELECT record_id, score_id, value FROM scores ORDER BY record_id")
        assert rows.fetchall() == [
            (1, "total", 30.75),
            (2, "total", 14.0),
            (3, "total", 31.0),
            (4, "total", 40.0),
        ]
        columns = [row[1] for row in db.execute("PRAGMA table_info(records)")]
        assert "scores" not in columns


def test_scale_document_is_stored_once(db_path: Path) -> None:
    """Three SRS saves and one WAI-SR save store two documents, each under its sha256."""
    with open_store(sqlite_url(db_path)) as store:
        for occasion in (1, 2, 3):
            store.save(srs(1, 1, 1, 1), respondent="a", occasion=occasion)
        store.save(
            get_scale("wai-sr").score({f"q{i}": 3 for i in range(1, 13)}),
            respondent="a",
            occasion=1,
        )
    with closing(sqlite3.connect(db_path)) as db:
        rows = db.execute("SELECT scale_id, sha256 FROM scale_documents ORDER BY scale_id")
        assert rows.fetchall() == [
            ("srs", get_scale("srs").sha256),
            ("wai-sr", get_scale("wai-sr").sha256),
        ]
