"""Fixtures for the plugin tests: a clean registry per test, runtime plugins, fake installed
distributions with ``alliancekit`` entry points, small scale documents, and the example plugin."""

from __future__ import annotations

import copy
import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from alliancekit import plugins

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "alliancekit-example-plugin"
ENVIRONMENT = (
    "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD",
    "ALLIANCEKIT_LOAD_PLUGINS",
    "ALLIANCEKIT_STRICT_PLUGINS",
    "ALLIANCEKIT_TRACE_PLUGINS",
)

TINY: dict[str, Any] = {
    "$schema": "urn:alliancekit:schema:scale:1",
    "id": "tiny",
    "version": "1.0.0",
    "title": "A tiny test scale",
    "citations": [{"text": "Invented for the alliancekit plugin tests."}],
    "license": {"holder": "nobody", "terms": "test data", "item_text": "not-included"},
    "verification": {"status": "verified", "sources": ["invented"], "open_questions": []},
    "response_sets": {
        "likert5": {"kind": "ordinal", "options": [{"value": v} for v in range(1, 6)]}
    },
    "items": [
        {"id": "q1", "number": 1, "response_set": "likert5"},
        {"id": "q2", "number": 2, "response_set": "likert5"},
        {"id": "q3", "number": 3, "response_set": "likert5"},
    ],
    "scores": [{"id": "total", "items": "all", "method": "sum"}],
}


def tiny_document(scale_id: str = "tiny", **changes: Any) -> dict[str, Any]:
    """A valid three-item (1–5) scale document with this id; ``changes`` replace top-level keys."""
    document = copy.deepcopy(TINY)
    document["id"] = scale_id
    document.update(changes)
    return document


@pytest.fixture
def tiny() -> Callable[..., dict[str, Any]]:
    """Build a tiny scale document: ``tiny("my-id", scores=[...])``."""
    return tiny_document


@pytest.fixture(autouse=True)
def _clean_plugin_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no plugin environment switch set and leaves the registry as it found
    it: runtime plugins unregistered, blocks lifted, entry points reloaded."""
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    pm = plugins.get_plugin_manager()
    before = {name for name, plugin in pm.list_name_plugin() if plugin is not None}
    yield
    monkeypatch.undo()
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            pm.unblock(name)
        elif name not in before:
            pm.unregister(name=name)
    plugins.reload()


@pytest.fixture
def register_plugin() -> Callable[[object, str], object]:
    """Register a plugin object at runtime under a name (unregistered after the test)."""
    pm = plugins.get_plugin_manager()

    def register(plugin: object, name: str) -> object:
        pm.register(plugin, name=name)
        return plugin

    return register


class FakeSite:
    """A directory on ``sys.path`` holding fake installed distributions: a module plus a
    ``.dist-info`` folder whose ``entry_points.txt`` declares an ``alliancekit`` entry point —
    what ``pip install`` of a plugin leaves behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.modules: list[str] = []

    def add(
        self,
        distribution: str,
        source: str,
        *,
        version: str = "1.0",
        entry_point: str | None = None,
    ) -> str:
        """Install ``distribution`` whose module (named after it) has this source code; returns
        the module name. The entry point is named ``entry_point`` (default: the module name)."""
        module = distribution.replace("-", "_")
        (self.path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = self.path / f"{module}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[alliancekit]\n{entry_point or module} = {module}\n", encoding="utf-8"
        )
        self.modules.append(module)
        importlib.invalidate_caches()
        return module


@pytest.fixture
def fake_site(tmp_path: Path) -> Iterator[FakeSite]:
    """A fresh :class:`FakeSite` on ``sys.path``; call ``plugins.reload()`` after adding to it."""
    site = FakeSite(tmp_path / "site-packages")
    site.path.mkdir()
    sys.path.insert(0, str(site.path))
    importlib.invalidate_caches()
    try:
        yield site
    finally:
        sys.path.remove(str(site.path))
        for module in site.modules:
            sys.modules.pop(module, None)
        importlib.invalidate_caches()


@pytest.fixture
def example_plugin(register_plugin: Callable[[object, str], object]) -> Iterator[Any]:
    """The example plugin package, imported from ``examples/`` and registered at runtime."""
    source = str(EXAMPLE / "src")
    sys.path.insert(0, source)
    try:
        module = importlib.import_module("alliancekit_example_plugin")
        module.MONITOR.clear()
        register_plugin(module, "example")
        yield module
        module.MONITOR.clear()
    finally:
        sys.path.remove(source)
