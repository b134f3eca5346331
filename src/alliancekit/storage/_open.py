"""Opening a store by URL through the storage backends plugins registered."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

from alliancekit.errors import StorageError
from alliancekit.plugins import storage_factories
from alliancekit.storage._protocol import Store, StoreFactory

__all__ = [
    "default_store_url",
    "open_postgres_store",
    "open_sqlite_store",
    "open_store",
    "sqlite_url",
]

#: Environment variable naming the store used when no URL is given.
STORE_ENV = "ALLIANCEKIT_STORE"

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]+):")


def default_store_url() -> str:
    """The store used when none is named: ``$ALLIANCEKIT_STORE`` if set, otherwise the SQLite
    file ``alliancekit.db`` in the user's data directory (``$XDG_DATA_HOME/alliancekit`` or
    ``~/.local/share/alliancekit`` on Linux, ``~/Library/Application Support/alliancekit`` on
    macOS, ``%LOCALAPPDATA%\\alliancekit`` on Windows)."""
    return os.environ.get(STORE_ENV, "").strip() or sqlite_url(_data_dir() / "alliancekit.db")


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The ``sqlite:`` URL of a file path (``sqlite:////abs/path.db`` for an absolute path)."""
    text = os.fspath(path)
    quoted = quote(text, safe="/\\:")
    return f"sqlite:///{quoted}" if text.startswith("/") else f"sqlite:{quoted}"


def _data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "alliancekit"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "alliancekit"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "alliancekit"


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """Open the store at ``url`` (a URL whose scheme names the backend, or a bare file path,
    which is a SQLite file); ``None`` opens :func:`default_store_url`, creating its directory.

    :param create: whether a SQLite store that does not exist yet is created; with
        ``create=False`` (what reading commands use) a mistyped path is an error instead of a
        new, empty store.
    :returns: an open :class:`Store`; close it, or use it as a context manager.
    :raises StorageError: for an unknown scheme, a bad URL, a store that cannot be opened, or
        (with ``create=False``) no SQLite store at the path: "no store at PATH".
    """
    if url is None:
        url = default_store_url()
        if create and url == sqlite_url(_data_dir() / "alliancekit.db"):
            _data_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    if not isinstance(url, str) or not url.strip():
        raise StorageError("a store URL is a non-empty string")
    match = _SCHEME.match(url)
    if match is None:  # a bare path (a one-letter "scheme" is a Windows drive)
        url, scheme = sqlite_url(url), "sqlite"
    else:
        scheme = match.group(1).lower()
    if not create and scheme == "sqlite":
        _require_sqlite_file(url)
    factories: dict[str, StoreFactory] = storage_factories()
    factory = factories.get(scheme)
    if factory is None:
        known = ", ".join(sorted(factories))
        raise StorageError(f"no storage backend for scheme {scheme!r} (known: {known})")
    store = factory(url)
    if not isinstance(store, Store):
        raise StorageError(f"the {scheme!r} storage backend returned something that is not a Store")
    return store


def _require_sqlite_file(url: str) -> None:
    from alliancekit.storage._sqlite import sqlite_location

    path, _ = sqlite_location(url)
    if path != ":memory:" and (not os.path.isfile(path) or os.path.getsize(path) == 0):
        raise StorageError(f"no store at {path}")  # an empty file is not a store yet either


def open_sqlite_store(url: str) -> Store:
    """Open a SQLite store for a ``sqlite:///relative.db`` or ``sqlite:////absolute.db`` URL."""
    from alliancekit.storage._sqlite import open_sqlite_store as open_sqlite

    return open_sqlite(url)


def open_postgres_store(url: str) -> Store:
    """Open a PostgreSQL store for a ``postgresql://…`` URL (needs the ``postgres`` extra, whose
    driver is imported only here)."""
    from alliancekit.storage._postgresql import open_postgres_store as open_postgres

    return open_postgres(url)
