"""A vendor's storage backend plugs in through ``alliancekit_register_storage`` and is opened by
``open_store`` like the built-in ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliancekit import StorageError, hookimpl, open_store, plugins
from alliancekit.storage._sqlite import SQLiteStore
from alliancekit.testing.storage_conformance import srs


class VendorStore(SQLiteStore):
    """A vendor backend: here a SQLite store reached through its own URL scheme."""


class VendorPlugin:
    """Registers ``vendorlite:PATH`` and ``broken:``, whose factory returns no store."""

    @hookimpl
    def alliancekit_register_storage(self, register: Any) -> None:
        """Register the two schemes."""
        register("vendorlite", lambda url: VendorStore(url.removeprefix("vendorlite:")))
        register("broken", lambda url: object())


@pytest.fixture
def vendor_plugin() -> Iterator[None]:
    """The vendor plugin, registered for one test."""
    manager = plugins.get_plugin_manager()
    manager.register(VendorPlugin(), name="vendor-storage-test")
    try:
        yield
    finally:
        manager.unregister(name="vendor-storage-test")


@pytest.mark.usefixtures("vendor_plugin")
def test_registered_scheme_opens_the_vendor_store(tmp_path: Path) -> None:
    """open_store('vendorlite:…') calls the vendor's factory, and the store works."""
    with open_store(f"vendorlite:{tmp_path / 'vendor.db'}") as store:
        assert isinstance(store, VendorStore)
        store.save(srs(1, 2, 3, 4), respondent="a", occasion=1)
        assert [r.values() for r in store.history("a", "srs")] == [{"total": 10.0}]


@pytest.mark.usefixtures("vendor_plugin")
def test_factory_that_returns_no_store_is_refused() -> None:
    """A factory whose result lacks the Store methods is a StorageError naming the scheme."""
    with pytest.raises(StorageError, match="'broken' storage backend"):
        open_store("broken://anything")


def test_scheme_disappears_with_its_plugin() -> None:
    """Without the plugin, its scheme is unknown again."""
    with pytest.raises(StorageError, match="no storage backend for scheme 'vendorlite'"):
        open_store("vendorlite:/tmp/x.db")
