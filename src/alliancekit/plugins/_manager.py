"""The plugin manager and plugin loading: default plugins first, then entry points, lazily and
one at a time, each failure reported on its own.

A plugin that fails to import, is rejected by the plugin manager (an unknown hook name, a hook
wrapper, wrong arguments) or raises in a registration hook becomes a
:class:`~alliancekit.errors.PluginLoadWarning` naming its distribution, entry point and error; with
``ALLIANCEKIT_STRICT_PLUGINS=1`` it raises :class:`~alliancekit.errors.PluginLoadError` instead.
Use :mod:`alliancekit.plugins._registry`; this module holds its machinery.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import pluggy

from alliancekit.errors import PluginLoadError, PluginLoadWarning
from alliancekit.plugins import _hookspecs as hookspecs
from alliancekit.plugins._registrations import PluginFailure, PluginSource, Registration

__all__ = [
    "ENTRY_POINT_GROUP",
    "AllianceKitPluginManager",
    "Handler",
    "describe_error",
    "flag",
    "forget_entry_points",
    "get_plugin_manager",
    "invalidate",
    "ordered_impls",
    "report_failure",
    "source_of",
    "state",
    "trace",
]

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
ENV_DISABLE_AUTOLOAD = "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD"
ENV_LOAD_PLUGINS = "ALLIANCEKIT_LOAD_PLUGINS"
ENV_STRICT = "ALLIANCEKIT_STRICT_PLUGINS"
ENV_TRACE = "ALLIANCEKIT_TRACE_PLUGINS"

#: alliancekit's own features, registered first, as plugins of its own hooks: ``(plugin name,
#: module)``. They live in the ``builtins`` layer above this one, so they are named here and
#: imported by name, as pytest names its default plugins.
DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("alliancekit.scoring_methods", "alliancekit.builtins._methods"),
    ("alliancekit.scales", "alliancekit.builtins._scales"),
    ("alliancekit.storage", "alliancekit.builtins._storage"),
)
_MAX_ERROR_CHARS = 500


class AllianceKitPluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` for the ``alliancekit`` hooks that checks every plugin on
    registration (:meth:`check_pending`, so a misspelled hook name fails) and clears alliancekit's
    registry caches whenever a plugin is registered or unregistered."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.add_hookspecs(hookspecs)

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register a plugin; returns its name (``None`` when the name is blocked).

        :raises pluggy.PluginValidationError: for an unknown hook name (the plugin is not kept),
            a hook wrapper, or arguments that do not match the hook's.
        :raises ValueError: when the plugin or its name is already registered.
        """
        registered = super().register(plugin, name)
        if registered is not None:
            try:
                self.check_pending()
                _refuse_wrappers(self, plugin)
            except pluggy.PluginValidationError:
                super().unregister(plugin)
                raise
            invalidate()
        return registered

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any | None:
        """Unregister a plugin by object or name; returns it, or ``None`` if it was not found."""
        removed = super().unregister(plugin, name)
        invalidate()
        return removed


def _refuse_wrappers(pm: pluggy.PluginManager, plugin: object) -> None:
    for caller in pm.get_hookcallers(plugin) or []:
        for impl in caller.get_hookimpls():
            if impl.plugin is plugin and (impl.hookwrapper or getattr(impl, "wrapper", False)):
                raise pluggy.PluginValidationError(
                    plugin, f"{caller.name}: alliancekit hooks cannot be implemented by wrappers"
                )


@attrs.frozen(kw_only=True)
class Handler:
    """An ``alliancekit_result_scored`` implementation, ready to call."""

    source: PluginSource
    function: Callable[..., object]
    argnames: tuple[str, ...]


class _State:
    """Everything the plugin system remembers in this process."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.manager: AllianceKitPluginManager | None = None
        self.autoloaded = False
        self.loading = False
        self.sources: dict[str, PluginSource] = {}
        self.entry_points: dict[tuple[str | None, str], str] = {}
        self.load_failures: list[PluginFailure] = []
        self.hook_failures: dict[str, list[PluginFailure]] = {}
        self.registries: dict[str, dict[str, Registration]] = {}
        self.collecting: set[str] = set()
        self.generation = 0
        #: the ``alliancekit_result_scored`` handlers; ``None`` until computed (hot path)
        self.result_handlers: tuple[Handler, ...] | None = None
        #: whether to trace handler calls (read with the handlers, not on every score)
        self.tracing = False


#: The one state of this process.
state = _State()


def invalidate() -> None:
    """Forget every registry and handler list (a plugin was registered or unregistered)."""
    with state.lock:
        state.generation += 1
        state.registries.clear()
        state.hook_failures.clear()
        state.result_handlers = None


def flag(name: str) -> bool:
    """Whether the environment variable ``name`` is set to 1, true, yes or on."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def trace(message: str) -> None:
    """Write a line to stderr when ``ALLIANCEKIT_TRACE_PLUGINS`` is set."""
    if flag(ENV_TRACE):
        sys.stderr.write(f"alliancekit plugins: {message}\n")


def describe_error(error: BaseException) -> str:
    """``Type: message`` of an exception, shortened to a readable length."""
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


def report_failure(
    failure: PluginFailure, error: BaseException, *, hook: str | None = None
) -> None:
    """Record a broken plugin and warn (a load failure, or a failure in registration ``hook``).

    :raises PluginLoadError: instead, in strict mode.
    """
    message = str(failure)
    if flag(ENV_TRACE):
        trace(message)
        sys.stderr.write("".join(traceback.format_exception(error)))
    if flag(ENV_STRICT):
        raise PluginLoadError(message) from error
    if hook is None:
        state.load_failures.append(failure)
    else:
        state.hook_failures.setdefault(hook, []).append(failure)
    warnings.warn(message, PluginLoadWarning, stacklevel=3)


def _manager() -> AllianceKitPluginManager:
    if state.manager is None:
        from alliancekit import __version__

        pm = AllianceKitPluginManager()
        state.manager = pm
        for name, module_name in DEFAULT_PLUGINS:
            state.sources[name] = PluginSource(
                plugin=name, distribution="alliancekit", version=__version__, builtin=True
            )
            pm.register(importlib.import_module(module_name), name=name)
    return state.manager


def get_plugin_manager() -> AllianceKitPluginManager:
    """The process-wide plugin manager, with the default plugins and (on first use) the entry
    points loaded.

    :raises PluginLoadError: in strict mode, for a plugin that fails to load.
    """
    with state.lock:
        pm = _manager()
        if not state.autoloaded and not state.loading:
            state.loading = True
            try:
                for entry_point in _selected_entry_points():
                    _load_entry_point(pm, entry_point)
                state.autoloaded = True
            finally:
                state.loading = False
        return pm


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).strip().lower()


def _distribution_name(entry_point: importlib.metadata.EntryPoint) -> str | None:
    dist = getattr(entry_point, "dist", None)
    return dist.name if dist is not None else None


def _selected_entry_points() -> list[importlib.metadata.EntryPoint]:
    found = sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
        key=lambda ep: (_distribution_name(ep) or "", ep.name),
    )
    allowed = os.environ.get(ENV_LOAD_PLUGINS)
    if allowed is None:
        if flag(ENV_DISABLE_AUTOLOAD):
            trace(f"{ENV_DISABLE_AUTOLOAD} is set: no entry point is loaded")
            return []
        return found
    wanted = {_normalize(name) for name in allowed.split(",") if name.strip()}
    selected = [
        ep
        for ep in found
        if _normalize(ep.name) in wanted or _normalize(_distribution_name(ep) or "") in wanted
    ]
    provided = {_normalize(ep.name) for ep in selected}
    provided |= {_normalize(_distribution_name(ep) or "") for ep in selected}
    for name in sorted(wanted - provided):
        message = f"{ENV_LOAD_PLUGINS} names {name!r}, which no installed plugin provides"
        if flag(ENV_STRICT):
            raise PluginLoadError(message)
        warnings.warn(message, PluginLoadWarning, stacklevel=4)
    return selected


def _load_entry_point(pm: AllianceKitPluginManager, entry_point: Any) -> None:
    dist = getattr(entry_point, "dist", None)
    key = (dist.name if dist is not None else None, entry_point.name)
    if key in state.entry_points:
        return
    name = entry_point.name
    if pm.is_blocked(name):
        trace(f"entry point {name!r} is blocked")
        return
    if pm.has_plugin(name):
        name = f"{key[0]}:{name}"
    source = PluginSource(
        plugin=name,
        distribution=key[0],
        version=dist.version if dist is not None else None,
        entry_point=f"{entry_point.name} = {entry_point.value}",
    )
    trace(f"loading {source}")
    try:
        plugin = entry_point.load()
    except Exception as error:
        failure = PluginFailure(source=source, stage="import", error=describe_error(error))
        report_failure(failure, error)
        return
    state.sources[name] = source
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as error:
        del state.sources[name]
        failure = PluginFailure(source=source, stage="register", error=describe_error(error))
        report_failure(failure, error)
        return
    state.entry_points[key] = name


def forget_entry_points() -> None:
    """Unregister every plugin loaded from an entry point so that the next use loads them again
    (with the environment switches read again)."""
    with state.lock:
        pm = _manager()
        for name in state.entry_points.values():
            if pm.has_plugin(name):
                pm.unregister(name=name)
            state.sources.pop(name, None)
        state.entry_points.clear()
        state.load_failures.clear()
        state.autoloaded = False
        invalidate()


def source_of(plugin_name: str) -> PluginSource:
    """Where the plugin of this name comes from (a runtime plugin when not known)."""
    return state.sources.get(plugin_name) or PluginSource(plugin=plugin_name)


def ordered_impls(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl]:
    """The implementations of a hook in the order alliancekit calls them."""
    # Registration order (built-ins first), with tryfirst/trylast honoured.
    impls = getattr(pm.hook, hook_name).get_hookimpls()
    return sorted(impls, key=lambda impl: 0 if impl.tryfirst else 2 if impl.trylast else 1)
