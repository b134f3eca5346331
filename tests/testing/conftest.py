"""Fixtures for the researcher-toolkit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from toolkit_helpers import MisbehavingMethods

from alliancekit import plugins


@pytest.fixture
def misbehaving_methods() -> Iterator[None]:
    """Register :class:`MisbehavingMethods` for one test, then unregister it."""
    pm = plugins.get_plugin_manager()
    pm.register(MisbehavingMethods(), name="test-misbehaving-methods")
    try:
        yield
    finally:
        pm.unregister(name="test-misbehaving-methods")
