"""alliancekit's own features as plugins of its own hooks, registered before any other plugin.

Each entry is ``(plugin name, module)``; the module's hook implementations register the built-in
scales (``scales/*.json``), the built-in scoring methods and the built-in storage backends.
"""

from __future__ import annotations

__all__ = ["DEFAULT_PLUGINS"]

DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("alliancekit.scoring_methods", "alliancekit.default_plugins.scoring_methods"),
    ("alliancekit.scales", "alliancekit.default_plugins.scales"),
    ("alliancekit.storage", "alliancekit.default_plugins.storage"),
)
