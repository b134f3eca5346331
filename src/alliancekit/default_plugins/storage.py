"""The built-in storage backends as a default plugin: ``sqlite`` (stdlib) and ``postgresql`` /
``postgres`` (psycopg 3, the ``postgres`` extra). Their modules are imported only when a store is
opened, so a missing optional driver costs nothing until it is needed."""

from __future__ import annotations

import importlib
from typing import Any

from alliancekit.hookspecs import RegisterStorage, hookimpl

__all__ = ["alliancekit_register_storage", "open_postgres", "open_sqlite"]


def open_sqlite(url: str) -> Any:
    """Open a SQLite store for a ``sqlite:///relative.db`` or ``sqlite:////absolute.db`` URL
    (see ``alliancekit.storage.sqlite``)."""
    module = importlib.import_module("alliancekit.storage.sqlite")
    return module.open_sqlite_store(url)


def open_postgres(url: str) -> Any:
    """Open a PostgreSQL store for a ``postgresql://…`` URL (see
    ``alliancekit.storage.postgresql``; needs the ``postgres`` extra)."""
    module = importlib.import_module("alliancekit.storage.postgresql")
    return module.open_postgres_store(url)


@hookimpl
def alliancekit_register_storage(register: RegisterStorage) -> None:
    """Register the ``sqlite``, ``postgresql`` and ``postgres`` URL schemes."""
    register("sqlite", open_sqlite)
    register("postgresql", open_postgres)
    register("postgres", open_postgres)
