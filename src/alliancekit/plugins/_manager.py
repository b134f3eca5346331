"""The plugin manager: alliancekit's hooks, the default plugins first, then the entry points of
other distributions, loaded lazily and one at a time, each failure reported on its own.

A plugin that fails to import, is rejected by the plugin manager (an unknown hook name, a hook
wrapper, wrong arguments) or raises in a registration hook becomes a
:class:`~alliancekit.errors.PluginLoadWarning` naming its distribution, entry point and error; with
``ALLIANCEKIT_STRICT_PLUGINS=1`` it raises :class:`~alliancekit.errors.PluginLoadError` instead.

The manager owns everything the plugin system remembers (where each plugin came from, what
failed, the registries built from the hooks); registering or unregistering a plugin clears the
registries. Hooks are called through ``pm.hook`` (one plugin at a time, with pluggy's
:meth:`~pluggy.PluginManager.subset_hook_caller`), so pluggy's hook-call monitoring sees every
call: ``ALLIANCEKIT_TRACE_PLUGINS=1`` is built on it.
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
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pluggy

from alliancekit.errors import PluginLoadError, PluginLoadWarning
from alliancekit.plugins import _hookspecs

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "AllianceKitPluginManager",
    "PluginFailure",
    "PluginSource",
    "current_plugin_manager",
    "describe_error",
    "flag",
    "forget_entry_points",
    "get_plugin_manager",
]

ENTRY_POINT_GROUP = _hookspecs.PROJECT_NAME
ENV_DISABLE_AUTOLOAD = "ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD"
ENV_LOAD_PLUGINS = "ALLIANCEKIT_LOAD_PLUGINS"
ENV_STRICT = "ALLIANCEKIT_STRICT_PLUGINS"
ENV_TRACE = "ALLIANCEKIT_TRACE_PLUGINS"
_MAX_ERROR_CHARS = 500
#: A plugin still importing after this long is named on stderr (it may hang).
SLOW_IMPORT_SECONDS = 5.0
_AUTOLOAD_HINT = (
    f"set {ENV_DISABLE_AUTOLOAD}=1 to run without installed plugins "
    f"(or {ENV_LOAD_PLUGINS}=name,... to choose them)"
)

#: alliancekit's own features, registered first, as plugins of its own hooks: ``(plugin name,
#: module)``. They live in the ``builtins`` layer above this one, so they are named here and
#: imported by name, as pytest names its default plugins.
DEFAULT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("alliancekit.scoring_methods", "alliancekit.builtins._methods"),
    ("alliancekit.scales", "alliancekit.builtins._scales"),
    ("alliancekit.storage", "alliancekit.builtins._storage"),
)


@attrs.frozen(kw_only=True)
class PluginSource:
    """Where a plugin comes from.

    :ivar plugin: the plugin's name in the plugin manager.
    :ivar distribution: the installed distribution that provides it (``None`` for a plugin
        registered at runtime).
    :ivar version: the distribution's version.
    :ivar entry_point: ``name = module:attribute`` for a plugin loaded from an entry point.
    :ivar builtin: whether it is one of alliancekit's default plugins.
    """

    plugin: str
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None
    builtin: bool = False

    @property
    def origin(self) -> str:
        """The short name shown as a registration's origin: the distribution, else the plugin."""
        return self.distribution or self.plugin

    def __str__(self) -> str:
        if self.builtin:
            return f"built-in plugin {self.plugin!r}"
        if self.entry_point is not None:
            return (
                f"plugin {self.plugin!r} from distribution {self.distribution} {self.version} "
                f"(entry point {self.entry_point})"
            )
        return f"plugin {self.plugin!r} (registered at runtime)"


@attrs.frozen(kw_only=True)
class PluginFailure:
    """A plugin that was reported and skipped.

    :ivar source: the plugin.
    :ivar stage: ``"import"``, ``"register"`` (rejected by the plugin manager) or the hook name.
    :ivar error: the exception's type and message.
    """

    source: PluginSource
    stage: str
    error: str

    def __str__(self) -> str:
        if self.stage == "import":
            what = "failed to import"
        elif self.stage == "register":
            what = "could not be registered"
        else:
            what = f"raised in {self.stage}"
        return f"{self.source} {what}: {self.error}"


def flag(name: str) -> bool:
    """Whether the environment variable ``name`` is set to 1, true, yes or on."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def describe_error(error: BaseException) -> str:
    """``Type: message`` of an exception, shortened to a readable length."""
    text = f"{type(error).__name__}: {error}"
    return text if len(text) <= _MAX_ERROR_CHARS else text[: _MAX_ERROR_CHARS - 1] + "…"


#: One plugin's implementation of a hook, callable through ``pm.hook``: ``(source, caller)``.
PluginCall = tuple[PluginSource, Callable[..., Any]]


class AllianceKitPluginManager(pluggy.PluginManager):
    """A :class:`pluggy.PluginManager` for the ``alliancekit`` hooks.

    It checks every plugin on registration (:meth:`check_pending`, so a misspelled hook name
    fails; hook wrappers are refused), remembers where each plugin came from and what failed, and
    keeps the registries built from the hooks in :attr:`cache`, cleared whenever a plugin is
    registered or unregistered.

    :ivar lock: held while plugins load and registries are built.
    :ivar cache: registry kind -> what was registered (and ``"result handlers"``).
    :ivar failures: plugins that failed to load.
    :ivar hook_failures: hook name -> plugins that raised in it when the registry was built.
    """

    def __init__(self) -> None:
        super().__init__(_hookspecs.PROJECT_NAME)
        self.add_hookspecs(_hookspecs)
        self.lock = threading.RLock()
        self.cache: dict[str, Any] = {}
        self.failures: list[PluginFailure] = []
        self.hook_failures: dict[str, list[PluginFailure]] = {}
        self.generation = 0
        self.collecting: set[str] = set()
        self.autoloaded = False
        self._loading = False
        self._sources: dict[str, PluginSource] = {}
        self._entry_points: dict[tuple[str | None, str], str] = {}
        self._untrace: Callable[[], None] | None = None

    # -- registering -----------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register a plugin; returns its name (``None`` when the name is blocked).

        :raises pluggy.PluginValidationError: for an unknown hook name (the plugin is not kept),
            a hook wrapper, or arguments that do not match the hook's.
        :raises ValueError: when the plugin or its name is already registered.
        """
        with self.lock:
            registered = super().register(plugin, name)
            if registered is not None:
                try:
                    self.check_pending()
                    self._refuse_wrappers(plugin)
                except pluggy.PluginValidationError:
                    super().unregister(plugin)
                    raise
                self.forget()
            return registered

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any | None:
        """Unregister a plugin by object or name; returns it, or ``None`` if it was not found."""
        with self.lock:
            removed = super().unregister(plugin, name)
            self.forget()
            return removed

    def _refuse_wrappers(self, plugin: object) -> None:
        for caller in self.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is plugin and (impl.hookwrapper or impl.wrapper):
                    raise pluggy.PluginValidationError(
                        plugin,
                        f"{caller.name}: alliancekit hooks cannot be implemented by wrappers",
                    )

    def forget(self) -> None:
        """Forget every registry and handler list (a plugin was registered or unregistered)."""
        with self.lock:
            self.generation += 1
            self.cache.clear()
            self.hook_failures.clear()
            for forgotten in ON_FORGET:
                forgotten()

    def source_of(self, plugin_name: str) -> PluginSource:
        """Where the plugin of this name comes from (a runtime plugin when not known)."""
        return self._sources.get(plugin_name) or PluginSource(plugin=plugin_name)

    # -- calling hooks -----------------------------------------------------------------------

    def calls(self, hook_name: str) -> list[PluginCall]:
        """Each plugin's implementation of a hook, as a caller through ``pm.hook`` that calls
        that plugin alone, in the order alliancekit calls them: registration order (built-ins
        first), ``tryfirst`` and ``trylast`` honoured."""
        impls = getattr(self.hook, hook_name).get_hookimpls()
        impls.sort(key=lambda impl: 0 if impl.tryfirst else 2 if impl.trylast else 1)
        everyone = [impl.plugin for impl in impls]
        return [
            (
                self.source_of(impl.plugin_name),
                self.subset_hook_caller(hook_name, [p for p in everyone if p is not impl.plugin]),
            )
            for impl in impls
        ]

    def report(
        self, failure: PluginFailure, error: BaseException, *, hook: str | None = None
    ) -> None:
        """Record a broken plugin and warn (a load failure, or a failure in registration ``hook``).

        :raises PluginLoadError: instead, in strict mode.
        """
        message = str(failure)
        if self._untrace is not None:
            self.trace_line(message)
            sys.stderr.write("".join(traceback.format_exception(error)))
        if flag(ENV_STRICT):
            raise PluginLoadError(message) from error
        if hook is None:
            self.failures.append(failure)
        else:
            self.hook_failures.setdefault(hook, []).append(failure)
        warnings.warn(message, PluginLoadWarning, stacklevel=4)

    # -- tracing -----------------------------------------------------------------------------

    def trace_line(self, message: str) -> None:
        """Write a line to stderr when ``ALLIANCEKIT_TRACE_PLUGINS`` is set."""
        if self._untrace is not None:
            sys.stderr.write(f"alliancekit plugins: {message}\n")

    def follow_trace_setting(self) -> None:
        """Trace hook calls (pluggy's hook-call monitoring) while ``ALLIANCEKIT_TRACE_PLUGINS``
        is set; read when the manager is built and on :func:`reload`."""
        wanted = flag(ENV_TRACE)
        if wanted and self._untrace is None:

            def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Any) -> None:
                for impl in impls:
                    self.trace_line(f"calling {hook_name} of {self.source_of(impl.plugin_name)}")

            def after(outcome: Any, hook_name: str, impls: Any, kwargs: Any) -> None:
                return None

            self._untrace = self.add_hookcall_monitoring(before, after)
        elif not wanted and self._untrace is not None:
            self._untrace()
            self._untrace = None

    # -- loading -----------------------------------------------------------------------------

    def register_defaults(self, version: str) -> None:
        """Register alliancekit's default plugins (:data:`DEFAULT_PLUGINS`)."""
        for name, module_name in DEFAULT_PLUGINS:
            self._sources[name] = PluginSource(
                plugin=name, distribution="alliancekit", version=version, builtin=True
            )
            self.register(importlib.import_module(module_name), name=name)

    def load_entry_points(self) -> None:
        """Load the entry points of group ``alliancekit`` once (as the environment switches
        select them), each on its own.

        :raises PluginLoadError: in strict mode, for a plugin that fails to load.
        """
        with self.lock:
            if self.autoloaded or self._loading:
                return
            self._loading = True
            try:
                for entry_point in _selected_entry_points(self):
                    self._load_entry_point(entry_point)
                self.autoloaded = True
            finally:
                self._loading = False

    def _load_entry_point(self, entry_point: Any) -> None:
        dist = getattr(entry_point, "dist", None)
        key = (dist.name if dist is not None else None, entry_point.name)
        if key in self._entry_points:
            return
        name = entry_point.name
        if self.is_blocked(name):
            self.trace_line(f"entry point {name!r} is blocked")
            return
        if self.has_plugin(name):
            name = f"{key[0]}:{name}"
        source = PluginSource(
            plugin=name,
            distribution=key[0],
            version=dist.version if dist is not None else None,
            entry_point=f"{entry_point.name} = {entry_point.value}",
        )
        self.trace_line(f"loading {source}")
        watchdog = threading.Timer(
            SLOW_IMPORT_SECONDS,
            lambda: sys.stderr.write(
                f"alliancekit: still importing {source} after {SLOW_IMPORT_SECONDS:g} s; "
                f"{_AUTOLOAD_HINT}\n"
            ),
        )
        watchdog.daemon = True
        watchdog.start()
        try:
            plugin = entry_point.load()
        except SystemExit as error:
            raise PluginLoadError(
                f"{source} called sys.exit({error.code!r:.40}) while being imported; "
                f"{_AUTOLOAD_HINT}"
            ) from None
        except KeyboardInterrupt:
            sys.stderr.write(
                f"alliancekit: interrupted while importing {source}; {_AUTOLOAD_HINT}\n"
            )
            raise
        except Exception as error:
            failure = PluginFailure(source=source, stage="import", error=describe_error(error))
            self.report(failure, error)
            return
        finally:
            watchdog.cancel()
        self._sources[name] = source
        try:
            self.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as error:
            del self._sources[name]
            failure = PluginFailure(source=source, stage="register", error=describe_error(error))
            self.report(failure, error)
            return
        self._entry_points[key] = name

    def forget_entry_points(self) -> None:
        """Unregister every plugin loaded from an entry point so that the next use loads them
        again (with the environment switches read again)."""
        with self.lock:
            for name in self._entry_points.values():
                if self.has_plugin(name):
                    self.unregister(name=name)
                self._sources.pop(name, None)
            self._entry_points.clear()
            self.failures.clear()
            self.autoloaded = False
            self.forget()


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).strip().lower()


def _distribution_name(entry_point: importlib.metadata.EntryPoint) -> str | None:
    dist = getattr(entry_point, "dist", None)
    return dist.name if dist is not None else None


def _selected_entry_points(pm: AllianceKitPluginManager) -> list[importlib.metadata.EntryPoint]:
    found = sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP),
        key=lambda ep: (_distribution_name(ep) or "", ep.name),
    )
    allowed = os.environ.get(ENV_LOAD_PLUGINS)
    if allowed is None:
        if flag(ENV_DISABLE_AUTOLOAD):
            pm.trace_line(f"{ENV_DISABLE_AUTOLOAD} is set: no entry point is loaded")
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
        warnings.warn(message, PluginLoadWarning, stacklevel=5)
    return selected


#: Called whenever the manager forgets its registries (the registry module re-arms the result
#: event there).
ON_FORGET: list[Callable[[], None]] = []

_MANAGER: list[AllianceKitPluginManager] = []
_MANAGER_LOCK = threading.Lock()


def current_plugin_manager() -> AllianceKitPluginManager | None:
    """The process-wide plugin manager if it has been built (no loading; for hot paths)."""
    return _MANAGER[0] if _MANAGER else None


def _built() -> AllianceKitPluginManager:
    """The process-wide plugin manager with the default plugins (built on first use)."""
    with _MANAGER_LOCK:
        if not _MANAGER:
            from alliancekit import __version__

            pm = AllianceKitPluginManager()
            pm.follow_trace_setting()
            pm.register_defaults(__version__)
            _MANAGER.append(pm)
        return _MANAGER[0]


def get_plugin_manager() -> AllianceKitPluginManager:
    """The process-wide plugin manager, with the default plugins and (on first use) the entry
    points loaded.

    :raises PluginLoadError: in strict mode, for a plugin that fails to load.
    """
    if _MANAGER and _MANAGER[0].autoloaded:
        return _MANAGER[0]
    pm = _built()
    pm.load_entry_points()
    return pm


def forget_entry_points() -> None:
    """Unregister the entry-point plugins so that the next use loads them again, and read the
    tracing switch again."""
    pm = _built()
    pm.forget_entry_points()
    pm.follow_trace_setting()
