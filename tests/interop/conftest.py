"""Fixtures for the interop tests: the invented scoring documents of ``tests/scoring`` on the
path, and plugins registered at runtime."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The invented documents and answer strategies of the scoring tests are reused here.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scoring"))


@pytest.fixture
def register_plugin() -> Iterator[Callable[[object, str], object]]:
    """Register a plugin object at runtime under a name; unregistered (and the registry
    reloaded) after the test."""
    from alliancekit import plugins

    pm = plugins.get_plugin_manager()
    names: list[str] = []

    def register(plugin: object, name: str) -> object:
        pm.register(plugin, name=name)
        names.append(name)
        plugins.reload()
        return plugin

    yield register
    for name in names:
        pm.unregister(name=name)
    plugins.reload()
