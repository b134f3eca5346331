"""What a backend's test class provides: the ``store_url`` fixture and optional hooks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from alliancekit.storage import Store, open_store
from alliancekit.testing.storage_conformance.data import PreviousStoreContent

__all__ = ["BackendHooks"]


class BackendHooks:
    """The fixtures and hooks the conformance tests use; a backend overrides ``store_url``."""

    @pytest.fixture
    def store_url(self) -> str:
        """The URL of a fresh, empty store; every backend's test class overrides this fixture."""
        raise NotImplementedError("override the store_url fixture")

    def raw_files(self, url: str) -> list[Path]:
        """Every file the store at ``url`` keeps data in (used by FileErasureConformance)."""
        raise NotImplementedError("override raw_files to run FileErasureConformance")

    def check_integrity(self, url: str) -> None:
        """Fail if the store's files are damaged (run after a writer was killed)."""

    def build_previous_schema(self, url: str, content: PreviousStoreContent) -> None:
        """Write ``content`` at ``url`` in the backend's previous schema, by hand."""
        pytest.skip("this backend provides no previous-schema store")

    @pytest.fixture
    def store(self, store_url: str) -> Iterator[Store]:
        """The store at ``store_url``, closed after the test."""
        with open_store(store_url) as store:
            yield store
