"""open_store(): URL schemes, SQLite URLs, bare paths and the default location."""

from __future__ import annotations

from pathlib import Path

import pytest

import alliancekit
from alliancekit import StorageError, open_store
from alliancekit.storage import Store, default_store_url, sqlite_url
from alliancekit.storage._sqlite import DEFAULT_TIMEOUT, sqlite_location
from alliancekit.testing.storage_conformance import srs


@pytest.mark.parametrize(
    ("url", "path", "timeout"),
    [
        ("sqlite:////var/lib/a.db", "/var/lib/a.db", DEFAULT_TIMEOUT),
        ("sqlite:///alliance.db", "alliance.db", DEFAULT_TIMEOUT),
        ("sqlite:///data/a.db", "data/a.db", DEFAULT_TIMEOUT),
        ("sqlite:/var/lib/a.db", "/var/lib/a.db", DEFAULT_TIMEOUT),
        ("sqlite:data/a.db", "data/a.db", DEFAULT_TIMEOUT),
        ("sqlite:////tmp/with%20space.db", "/tmp/with space.db", DEFAULT_TIMEOUT),
        ("sqlite::memory:", ":memory:", DEFAULT_TIMEOUT),
        ("sqlite:////tmp/a.db?timeout=2.5", "/tmp/a.db", 2.5),
        ("sqlite:///C:/data/a.db", "C:/data/a.db", DEFAULT_TIMEOUT),
    ],
)
def test_sqlite_urls(url: str, path: str, timeout: float) -> None:
    """sqlite: URLs give a percent-decoded path and the busy timeout in seconds; as in
    SQLAlchemy, three slashes start a relative path and four an absolute one."""
    assert sqlite_location(url) == (path, timeout)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://host/a.db", "no host"),
        ("sqlite:", "needs a file path"),
        ("sqlite:///", "needs a file path"),
        ("sqlite:///a.db?mode=ro", "unknown sqlite: URL option"),
        ("sqlite:///a.db?timeout=0", "timeout"),
        ("sqlite:///a.db?timeout=soon", "timeout"),
    ],
)
def test_bad_sqlite_urls(url: str, message: str) -> None:
    """Malformed sqlite: URLs are refused with a message saying what is wrong."""
    with pytest.raises(StorageError, match=message):
        sqlite_location(url)


@pytest.mark.parametrize("name", ["a.db", "dir with space/a%b.db"])
def test_sqlite_url_round_trips_a_path(tmp_path: Path, name: str) -> None:
    """sqlite_url() of a path is a URL that sqlite_location() reads back as that path."""
    path = tmp_path / name
    assert sqlite_location(sqlite_url(path))[0] == str(path)


def test_bare_path_opens_a_sqlite_store(tmp_path: Path) -> None:
    """A path without a scheme is a SQLite file."""
    path = tmp_path / "plain.db"
    with open_store(str(path)) as store:
        assert isinstance(store, Store)
        store.save(srs(1, 1, 1, 1), respondent="a", occasion=1)
    assert path.stat().st_size > 0


def test_unknown_scheme_lists_the_known_ones() -> None:
    """An unregistered scheme is a StorageError naming the registered ones."""
    with pytest.raises(StorageError, match=r"'mysql' \(known: .*postgresql.*sqlite"):
        open_store("mysql://localhost/db")


def test_scheme_is_case_insensitive(tmp_path: Path) -> None:
    """SQLITE:... opens the sqlite backend like sqlite:..."""
    with open_store(f"SQLITE:///{tmp_path}/upper.db") as store:
        assert store.history("a", "srs") == []


def test_environment_names_the_default_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """$ALLIANCEKIT_STORE is the store opened without a URL."""
    url = sqlite_url(tmp_path / "env.db")
    monkeypatch.setenv("ALLIANCEKIT_STORE", url)
    assert default_store_url() == url
    open_store().close()
    assert (tmp_path / "env.db").exists()


def test_default_store_is_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without $ALLIANCEKIT_STORE the default is $XDG_DATA_HOME/alliancekit/alliancekit.db; its
    directory is created, private to the user."""
    monkeypatch.delenv("ALLIANCEKIT_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr("sys.platform", "linux")
    expected = tmp_path / "data" / "alliancekit" / "alliancekit.db"
    assert default_store_url() == f"sqlite:///{expected}"
    open_store().close()
    assert expected.exists()
    assert expected.parent.stat().st_mode & 0o777 == 0o700


def test_open_store_is_public_api() -> None:
    """open_store, Store, StoredRecord and Administration are importable from alliancekit."""
    assert {"open_store", "Store", "StoredRecord", "Administration"} <= set(alliancekit.__all__)


def test_closed_store_refuses_use(tmp_path: Path) -> None:
    """After close() (again a no-op) every operation raises StorageError."""
    store = open_store(sqlite_url(tmp_path / "closed.db"))
    store.close()
    store.close()
    with pytest.raises(StorageError, match="closed"):
        store.history("a", "srs")
