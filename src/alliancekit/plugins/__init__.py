"""Plugins: the hooks (:mod:`pluggy`), the plugin manager with lazy entry-point loading, the
registries of what plugins registered, the catalogue of scales and item text.

Built-in scales, scoring methods and storage backends are default plugins of these same hooks
(the ``builtins`` package). See ``docs/plugins.md``.
"""

from alliancekit.plugins._catalogue import (
    ScaleInfo,
    get_scale,
    list_scales,
    load_scale,
    validate_scale,
)
from alliancekit.plugins._hookspecs import (
    PROJECT_NAME,
    RegisterItemText,
    RegisterScale,
    RegisterScoringMethod,
    RegisterStorage,
    hookimpl,
    hookspec,
)
from alliancekit.plugins._item_text import (
    ItemTextPack,
    item_text_languages,
    item_texts,
    text_pack,
    texts_for_scale,
)
from alliancekit.plugins._manager import (
    ENTRY_POINT_GROUP,
    AllianceKitPluginManager,
    PluginFailure,
    PluginSource,
    get_plugin_manager,
)
from alliancekit.plugins._registry import (
    PluginRecord,
    PluginReport,
    Registration,
    item_text_packs,
    load_registered_scale,
    notify_result_scored,
    plugin_report,
    registered_scales,
    reload,
    scoring_methods,
    storage_factories,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "AllianceKitPluginManager",
    "ItemTextPack",
    "PluginFailure",
    "PluginRecord",
    "PluginReport",
    "PluginSource",
    "RegisterItemText",
    "RegisterScale",
    "RegisterScoringMethod",
    "RegisterStorage",
    "Registration",
    "ScaleInfo",
    "get_plugin_manager",
    "get_scale",
    "hookimpl",
    "hookspec",
    "item_text_languages",
    "item_text_packs",
    "item_texts",
    "list_scales",
    "load_registered_scale",
    "load_scale",
    "notify_result_scored",
    "plugin_report",
    "registered_scales",
    "reload",
    "scoring_methods",
    "storage_factories",
    "text_pack",
    "texts_for_scale",
    "validate_scale",
]
