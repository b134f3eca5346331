"""Storage of administrations: :func:`open_store` and the :class:`Store` protocol.

Backends are found by URL scheme through the plugin registry (``alliancekit_register_storage``):
``sqlite`` (built in, stdlib), ``postgresql``/``postgres`` (built in, the ``postgres`` extra) and
whatever plugins add. See ``docs/storage.md``.
"""

from alliancekit.storage._open import (
    default_store_url,
    open_postgres_store,
    open_sqlite_store,
    open_store,
    sqlite_url,
)
from alliancekit.storage._protocol import (
    Administration,
    RecordId,
    Store,
    StoredRecord,
    StoreFactory,
)

__all__ = [
    "Administration",
    "RecordId",
    "Store",
    "StoreFactory",
    "StoredRecord",
    "default_store_url",
    "open_postgres_store",
    "open_sqlite_store",
    "open_store",
    "sqlite_url",
]
