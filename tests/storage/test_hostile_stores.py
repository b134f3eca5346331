"""Hostile input to stores (issue 12): clear StorageErrors, no store created or changed by
mistake, no respondent identifier in a message."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.cli import main
from alliancekit.storage import open_store, sqlite_url

RESPONDENT = "MRN-555-Jane-Roe"


@pytest.fixture
def store(tmp_path: Path) -> ak.Store:
    """A new SQLite store in a temporary directory."""
    return open_store(sqlite_url(tmp_path / "s.db"))


def _result() -> ak.ScoreResult:
    return ak.get_scale("srs").score({"q1": 1, "q2": 2, "q3": 3, "q4": 4})


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda s: s.save(_result(), respondent="\ud800", occasion=1), "respondent"),
        (
            lambda s: s.save(_result(), respondent="a", occasion=1, administered_by="x\udc00"),
            "administered_by",
        ),
        (lambda s: s.history("\ud800", "srs"), "respondent"),
        (lambda s: s.history("a", "srs\ud800"), "scale_id"),
        (lambda s: s.respondent_key("\udfff"), "respondent"),
        (lambda s: s.erase_respondent("\ud800"), "respondent"),
        (
            lambda s: s.amend(s.save(_result(), respondent="a", occasion=1), _result(), "\ud800"),
            "reason",
        ),
    ],
)
def test_a_lone_surrogate_is_a_storage_error(
    store: ak.Store, call: Callable[[ak.Store], object], name: str
) -> None:
    """Text holding a lone surrogate is refused with a StorageError naming the argument (never
    a UnicodeEncodeError from the driver)."""
    with store, pytest.raises(ak.StorageError, match=f"{name} must be valid Unicode"):
        call(store)


@pytest.mark.parametrize(
    "record_id",
    [2**63, 2**70, -(2**70), 0, 10**5000],
    ids=["2**63", "2**70", "-2**70", "0", "huge"],
)
def test_get_of_an_id_out_of_range_is_no_record(store: ak.Store, record_id: int) -> None:
    """``get`` of an id beyond 64 bits (or not positive) is "no record", not an
    OverflowError."""
    with store, pytest.raises(ak.StorageError, match="no record with"):
        store.get(record_id)


def test_an_occasion_of_thousands_of_digits_is_refused(store: ak.Store) -> None:
    """An over-long occasion is refused without writing its digits."""
    with store, pytest.raises(ak.StorageError, match="too large"):
        store.save(_result(), respondent="a", occasion=10**5000)


@pytest.mark.parametrize(
    "script",
    [
        "CREATE TABLE foo (x)",
        "CREATE VIEW v AS SELECT 1",
        "CREATE TABLE records (x); PRAGMA user_version = 1",
        "CREATE TABLE foo (x); PRAGMA user_version = 2",
        "CREATE TABLE foo (x); PRAGMA user_version = 7",
    ],
)
def test_a_foreign_sqlite_database_is_refused_and_left_unchanged(
    tmp_path: Path, script: str
) -> None:
    """A SQLite database with tables of its own (another application's, with or without its own
    ``user_version``) is "not an alliancekit store" and its file is not changed (not migrated,
    not switched to WAL)."""
    path = tmp_path / "foreign.db"
    connection = sqlite3.connect(path)
    connection.executescript(script)
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(ak.StorageError, match="not an alliancekit store"):
        open_store(sqlite_url(path))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["foreign.db"]


def test_an_empty_sqlite_file_becomes_a_store(tmp_path: Path) -> None:
    """An empty file (no tables) is still made into a store."""
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with open_store(sqlite_url(path)) as store:
        assert store.history("a", "srs") == []


@pytest.mark.parametrize("damage", ["DELETE FROM store_meta", "UPDATE store_meta SET value = 'zz'"])
def test_a_store_without_its_secret_says_it_is_damaged(tmp_path: Path, damage: str) -> None:
    """A store whose respondent-key secret row is gone or unreadable is refused as damaged,
    not with "'NoneType' object is not subscriptable"."""
    url = sqlite_url(tmp_path / "s.db")
    open_store(url).close()
    connection = sqlite3.connect(tmp_path / "s.db")
    connection.execute(damage)
    connection.commit()
    connection.close()
    with pytest.raises(ak.StorageError, match="damaged") as caught:
        open_store(url)
    assert "NoneType" not in str(caught.value)


def test_a_read_only_location_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When SQLite cannot open the file and the location is not writable, the message says it
    is read-only rather than only "unable to open database file"."""
    folder = tmp_path / "ro.db"
    folder.mkdir()  # SQLite cannot open a directory: "unable to open database file"
    monkeypatch.setattr("os.access", lambda path, mode: False)
    with pytest.raises(ak.StorageError, match="read-only"):
        open_store(sqlite_url(folder))


def test_open_store_without_create_never_creates(tmp_path: Path) -> None:
    """``open_store(url, create=False)`` on a missing (or empty) SQLite file raises "no store
    at …" and creates or changes nothing."""
    with pytest.raises(ak.StorageError, match="no store at"):
        open_store(sqlite_url(tmp_path / "typo.db"), create=False)
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(ak.StorageError, match="no store at"):
        open_store(sqlite_url(tmp_path / "empty.db"), create=False)
    assert (tmp_path / "empty.db").read_bytes() == b""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "sqlite:///{tmp}/typo.db"], "no store at"),
        (["--store", "sqlite:///{tmp}/s.db", "--scale-override", "srsx"], "unknown scale"),
        (["--store", "sqlite:///{tmp}/foreign.db"], "not an alliancekit store"),
    ],
)
def test_history_exits_2_for_a_missing_store_an_unknown_scale_or_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """``alliancekit history`` creates no store for a mistyped ``--store`` and refuses an unknown
    scale id and a foreign database, each with exit code 2 and without the respondent."""
    open_store(sqlite_url(tmp_path / "s.db")).close()
    connection = sqlite3.connect(tmp_path / "foreign.db")
    connection.execute("CREATE TABLE foo (x)")
    connection.commit()
    connection.close()
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    scale = "srs"
    if "--scale-override" in argv:
        scale = argv.pop()
        argv.pop()
    code = main(["history", RESPONDENT, "--scale", scale, *argv])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert message in err and RESPONDENT not in err
    assert not (tmp_path / "typo.db").exists()


def test_a_write_to_a_read_only_store_says_read_only(tmp_path: Path) -> None:
    """A save that SQLite refuses as "attempt to write a readonly database" says the store is
    read-only."""
    path = tmp_path / "s.db"
    store = open_store(sqlite_url(path))
    store._connection.close()  # type: ignore[attr-defined]
    read_only = sqlite3.connect(
        f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    store._connection = read_only  # type: ignore[attr-defined]
    with pytest.raises(ak.StorageError, match="read-only"):
        store.save(_result(), respondent="a", occasion=1)
    store.close()
