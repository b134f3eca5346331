"""The plugin registry: what the default plugins and the plugins of other distributions
registered, and the ``alliancekit_result_scored`` event.

Built-in scales, scoring methods and storage backends are default plugins registered first, through
the same hooks as anyone else's (:mod:`alliancekit.builtins`). Entry points of group
``alliancekit`` load lazily, on the first use of the registry, one at a time; a broken plugin is
reported as a :class:`~alliancekit.errors.PluginLoadWarning` and skipped (see
:mod:`alliancekit.plugins._manager`). A key registered twice is never isolated: it raises
:class:`~alliancekit.errors.DuplicateRegistrationError` naming both plugins.

Every hook implementation is called on its own, so one plugin's failure neither voids another's
registrations nor stops another's event handler. Registering or unregistering a plugin through
:func:`get_plugin_manager` clears the caches, so the next :func:`~alliancekit.list_scales` sees it;
:func:`reload` loads the entry points again.

Environment: ``ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD=1`` loads no entry point;
``ALLIANCEKIT_LOAD_PLUGINS=a,b`` loads only those (entry-point or distribution names, even when
autoload is disabled; empty = none); ``ALLIANCEKIT_TRACE_PLUGINS=1`` traces loading and hook
calls on stderr; ``ALLIANCEKIT_STRICT_PLUGINS=1`` raises instead of warning.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from alliancekit.errors import PluginLoadWarning
from alliancekit.plugins._manager import (
    ENTRY_POINT_GROUP,
    ENV_TRACE,
    AllianceKitPluginManager,
    Handler,
    describe_error,
    flag,
    forget_entry_points,
    get_plugin_manager,
    ordered_impls,
    report_failure,
    source_of,
    state,
    trace,
)
from alliancekit.plugins._registrations import (
    ITEM_TEXT,
    SCALE,
    SCORING_METHOD,
    STORAGE_SCHEME,
    PluginFailure,
    PluginSource,
    Registration,
    Registry,
    Sink,
    item_text_callback,
    scale_callback,
    scoring_method_callback,
    storage_callback,
)
from alliancekit.scoring import ScoringMethod, set_result_listener

if TYPE_CHECKING:
    from alliancekit.plugins._item_text import ItemTextPack

__all__ = [
    "ENTRY_POINT_GROUP",
    "AllianceKitPluginManager",
    "PluginFailure",
    "PluginRecord",
    "PluginReport",
    "get_plugin_manager",
    "item_text_packs",
    "notify_result_scored",
    "plugin_report",
    "registered_scales",
    "reload",
    "scoring_methods",
    "storage_factories",
]

RESULT_SCORED = "alliancekit_result_scored"


def _collect(
    hook_name: str,
    kind: str,
    make_callback: Callable[[Sink], Callable[..., None]],
    seed: Iterable[Sink] = (),
) -> dict[str, Registration]:
    """Call every implementation of a registration hook on its own and gather what it registered.

    :raises DuplicateRegistrationError: for a key registered twice.
    :raises PluginLoadError: in strict mode, for a hook that raises.
    """
    cached = state.registries.get(kind)
    if cached is not None and state.autoloaded:
        return cached  # the common case, without taking the lock
    with state.lock:
        pm = get_plugin_manager()
        cached = state.registries.get(kind)
        if cached is not None:
            return cached
        if kind in state.collecting:
            raise RuntimeError(f"a plugin asked for the registry while registering a {kind}")
        generation = state.generation
        state.collecting.add(kind)
        state.hook_failures[hook_name] = []
        try:
            registry = Registry(kind)
            for sink in seed:
                registry.add_all(sink)
            for impl in ordered_impls(pm, hook_name):
                sink = Sink(source_of(impl.plugin_name))
                trace(f"calling {hook_name} of {sink.source}")
                arguments = {"register": make_callback(sink)}
                try:
                    impl.function(*[arguments[name] for name in impl.argnames])
                except Exception as error:
                    stage = PluginFailure(
                        source=sink.source, stage=hook_name, error=describe_error(error)
                    )
                    report_failure(stage, error, hook=hook_name)
                    continue
                finally:
                    sink.open = False
                registry.add_all(sink)
                trace(f"{sink.source} registered {[key for key, _ in sink.found]}")
        finally:
            state.collecting.discard(kind)
        if generation == state.generation:
            state.registries[kind] = registry.entries
        return registry.entries


def scoring_methods() -> dict[str, ScoringMethod]:
    """Every scoring method by name: the built-ins and those plugins registered.

    :raises DuplicateRegistrationError: when two plugins registered the same name.
    """
    found = _collect(
        "alliancekit_register_scoring_methods", SCORING_METHOD, scoring_method_callback
    )
    return {name: registration.value for name, registration in found.items()}


def storage_factories() -> dict[str, Callable[[str], Any]]:
    """URL scheme -> the factory that opens a store for such a URL (built-ins and plugins).

    :raises DuplicateRegistrationError: when two plugins registered the same scheme.
    """
    found = _collect("alliancekit_register_storage", STORAGE_SCHEME, storage_callback)
    return {scheme: registration.value for scheme, registration in found.items()}


def registered_scales() -> Mapping[str, Registration]:
    """Scale id -> its registration (``.value`` the :class:`~alliancekit.Scale`,
    ``.source`` the plugin). Cached until a plugin is registered or unregistered.

    :raises DuplicateRegistrationError: when two plugins registered the same scale id.
    """
    return MappingProxyType(_collect("alliancekit_register_scales", SCALE, scale_callback))


def item_text_packs() -> Mapping[str, ItemTextPack]:
    """``"scale_id:language"`` -> item text, from scale documents and from plugins' text packs.

    :raises DuplicateRegistrationError: for two packs of one scale and language, or a pack for a
        language whose text the scale document carries.
    """
    found = _item_text_registrations()
    return MappingProxyType({key: registration.value for key, registration in found.items()})


def _item_text_registrations() -> dict[str, Registration]:
    from alliancekit.plugins._item_text import document_packs, pack_key

    with state.lock:
        get_plugin_manager()
        cached = state.registries.get(ITEM_TEXT)
        if cached is not None:
            return cached
        scales = registered_scales()
        seeds = []
        for registration in scales.values():
            sink = Sink(registration.source)
            for pack in document_packs(registration.value, origin=registration.source.origin):
                sink.add(pack_key(pack.scale_id, pack.language), pack)
            seeds.append(sink)
        return _collect(
            "alliancekit_register_item_text",
            ITEM_TEXT,
            lambda sink: item_text_callback(sink, scales),
            seeds,
        )


def _load_result_handlers() -> tuple[Handler, ...]:
    with state.lock:
        pm = get_plugin_manager()
        generation = state.generation
        handlers = tuple(
            Handler(
                source=source_of(impl.plugin_name),
                function=impl.function,
                argnames=tuple(impl.argnames),
            )
            for impl in ordered_impls(pm, RESULT_SCORED)
        )
        if generation == state.generation:
            state.tracing = flag(ENV_TRACE)
            state.result_handlers = handlers
        return handlers


def notify_result_scored(result: object, context: Mapping[str, Any]) -> None:
    """Call every ``alliancekit_result_scored`` handler with this result (after every score).

    Each handler runs even if another raises; each failure then becomes a
    :class:`~alliancekit.errors.PluginLoadWarning` naming the plugin (never raised, even in strict
    mode, so the result is not lost). Costs a few attribute reads when no handler is registered.
    """
    handlers = state.result_handlers
    if handlers is None:
        handlers = _load_result_handlers()
    if handlers:
        _run_result_handlers(handlers, result, context)


def _run_result_handlers(
    handlers: Sequence[Handler], result: object, context: Mapping[str, Any]
) -> None:
    arguments = {"result": result, "context": MappingProxyType(dict(context))}
    failures = []
    tracing = state.tracing
    for handler in handlers:
        if tracing:
            trace(f"calling {RESULT_SCORED} of {handler.source}")
        try:
            handler.function(*[arguments[name] for name in handler.argnames])
        except Exception as error:
            failures.append(
                PluginFailure(
                    source=handler.source,
                    stage=RESULT_SCORED,
                    error=_redact(describe_error(error), context),
                )
            )
    for failure in failures:
        warnings.warn(str(failure), PluginLoadWarning, stacklevel=4)


def _redact(text: str, context: Mapping[str, Any]) -> str:
    # A handler's message may quote what it was given, e.g. a respondent key: keep it out.
    for value in context.values():
        if isinstance(value, str) and value:
            text = text.replace(value, "<redacted>")
    return text


@attrs.frozen(kw_only=True)
class PluginRecord:
    """One registered plugin.

    :ivar source: the plugin's name, distribution, version and entry point.
    :ivar hooks: the hooks it implements.
    :ivar registered: kind (``scale``, ``item text``, ``scoring method``, ``storage scheme``) ->
        the keys it registered, sorted.
    """

    source: PluginSource
    hooks: tuple[str, ...]
    registered: Mapping[str, tuple[str, ...]]


@attrs.frozen(kw_only=True)
class PluginReport:
    """The loaded plugins (built-ins first) and the ones that failed, with why."""

    plugins: tuple[PluginRecord, ...]
    failures: tuple[PluginFailure, ...]


def plugin_report() -> PluginReport:
    """Load everything and report which plugin registered what, and which failed.

    :raises DuplicateRegistrationError: when two plugins registered the same key.
    """
    with state.lock:
        pm = get_plugin_manager()
        registries = {
            SCALE: dict(registered_scales()),
            SCORING_METHOD: _collect(
                "alliancekit_register_scoring_methods", SCORING_METHOD, scoring_method_callback
            ),
            STORAGE_SCHEME: _collect(
                "alliancekit_register_storage", STORAGE_SCHEME, storage_callback
            ),
            ITEM_TEXT: _item_text_registrations(),
        }
        records = []
        for name, plugin in pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or []))
            registered = {
                kind: keys
                for kind, entries in registries.items()
                if (keys := tuple(sorted(k for k, r in entries.items() if r.source.plugin == name)))
            }
            records.append(PluginRecord(source=source_of(name), hooks=hooks, registered=registered))
        failures = list(state.load_failures)
        for hook_failures in state.hook_failures.values():
            failures.extend(hook_failures)
        return PluginReport(plugins=tuple(records), failures=tuple(failures))


def reload() -> None:
    """Forget the entry-point plugins, read the environment switches again, load the entry
    points again and rebuild every registry now (plugins registered at runtime stay).

    :raises DuplicateRegistrationError: when two plugins registered the same key.
    :raises PluginLoadError: in strict mode, for a plugin that fails to load.
    """
    with state.lock:
        forget_entry_points()
        scoring_methods()
        storage_factories()
        registered_scales()
        item_text_packs()
        _load_result_handlers()


def _has_result_handlers() -> bool:
    handlers = state.result_handlers
    if handlers is None:
        handlers = _load_result_handlers()
    return bool(handlers)


# The scoring layer announces each result through this seam (see Scale.score).
set_result_listener(notify_result_scored, _has_result_handlers)
