"""The storage conformance suite: what every backend, built-in or a plugin's, must pass.

A backend's test module subclasses :class:`StoreConformance` and provides ``store_url``, a fixture
returning the URL of a fresh, empty store for each test (its scheme must be registered through
``alliancekit_register_storage``, so that worker processes can open it too)::

    import pytest
    from alliancekit.testing.storage_conformance import StoreConformance

    class TestMyBackend(StoreConformance):
        @pytest.fixture
        def store_url(self, tmp_path):
            return f"mystore://{tmp_path}/store"

Two optional hooks make tests that are skipped without them run:
:meth:`~StoreConformance.check_integrity` (after a writer was killed) and
:meth:`~StoreConformance.build_previous_schema` (a store in the backend's previous schema, to test
the migration). A backend that keeps its data in files also subclasses
:class:`FileErasureConformance` and names them in :meth:`~BackendHooks.raw_files`, so that the
suite checks erased data is gone from the bytes on disk.
"""

from __future__ import annotations

from alliancekit.testing.storage_conformance.backend import BackendHooks
from alliancekit.testing.storage_conformance.data import (
    PreviousRecord,
    PreviousStoreContent,
    old_srs,
    previous_store_content,
    srs,
)
from alliancekit.testing.storage_conformance.lifecycle_tests import (
    FileErasureConformance,
    LifecycleConformance,
)
from alliancekit.testing.storage_conformance.record_tests import RecordConformance

__all__ = [
    "BackendHooks",
    "FileErasureConformance",
    "PreviousRecord",
    "PreviousStoreContent",
    "StoreConformance",
    "old_srs",
    "previous_store_content",
    "srs",
]


class StoreConformance(RecordConformance, LifecycleConformance):
    """The whole conformance suite; subclass it in a test module and provide ``store_url``."""
