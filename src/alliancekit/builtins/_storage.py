"""The built-in storage backends as a default plugin: ``sqlite`` (stdlib) and ``postgresql`` /
``postgres`` (psycopg 3, the ``postgres`` extra). Their modules are imported only when a store is
opened, so a missing optional driver costs nothing until it is needed."""

from __future__ import annotations

from alliancekit.plugins import RegisterStorage, hookimpl
from alliancekit.storage import open_postgres_store, open_sqlite_store

__all__ = ["alliancekit_register_storage"]


@hookimpl
def alliancekit_register_storage(register: RegisterStorage) -> None:
    """Register the ``sqlite``, ``postgresql`` and ``postgres`` URL schemes."""
    register("sqlite", open_sqlite_store)
    register("postgresql", open_postgres_store)
    register("postgres", open_postgres_store)
