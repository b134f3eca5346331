"""What plugins registered, and who registered it: the ``register`` callbacks of the
registration hooks with their checks, the registries (a key registered twice is an error naming
both plugins), and the ``alliancekit_result_scored`` event.

Built-in scales, scoring methods and storage backends are default plugins registered first,
through the same hooks as anyone else's. Each plugin's implementation of a hook is called on its
own (through ``pm.hook``, see :meth:`AllianceKitPluginManager.calls`): what it registered is kept
only if it returns normally, so one plugin's failure neither voids another's registrations nor
stops another's event handler. Registering or unregistering a plugin clears the registries, so
the next :func:`~alliancekit.list_scales` sees it; :func:`reload` loads the entry points again.

Environment: ``ALLIANCEKIT_DISABLE_PLUGIN_AUTOLOAD=1`` loads no entry point;
``ALLIANCEKIT_LOAD_PLUGINS=a,b`` loads only those (entry-point or distribution names, even when
autoload is disabled; empty = none); ``ALLIANCEKIT_TRACE_PLUGINS=1`` traces loading and hook
calls on stderr; ``ALLIANCEKIT_STRICT_PLUGINS=1`` raises instead of warning.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import attrs

from alliancekit import document
from alliancekit.document import Scale
from alliancekit.errors import DuplicateRegistrationError, PluginLoadWarning
from alliancekit.plugins._manager import (
    ON_FORGET,
    PluginCall,
    PluginFailure,
    PluginSource,
    current_plugin_manager,
    describe_error,
    forget_entry_points,
    get_plugin_manager,
)
from alliancekit.scoring import ScoringMethod, set_result_listener

if TYPE_CHECKING:
    from alliancekit.plugins._item_text import ItemTextPack

__all__ = [
    "PluginRecord",
    "PluginReport",
    "Registration",
    "item_text_packs",
    "load_registered_scale",
    "notify_result_scored",
    "plugin_report",
    "registered_scales",
    "reload",
    "scoring_methods",
    "storage_factories",
]

SCALE = "scale"
ITEM_TEXT = "item text"
SCORING_METHOD = "scoring method"
STORAGE_SCHEME = "storage scheme"
RESULT_SCORED = "alliancekit_result_scored"
_HANDLERS = "result handlers"

_METHOD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{0,31}$")


@attrs.frozen(kw_only=True)
class Registration:
    """One thing a plugin registered: its kind, key (id, name or scheme), value and source."""

    kind: str
    key: str
    value: Any
    source: PluginSource


class Sink:
    """Collects what one hook call registers; closed once the hook returns."""

    def __init__(self, source: PluginSource) -> None:
        self.source = source
        self.found: list[tuple[str, Any]] = []
        self.open = True

    def add(self, key: str, value: Any) -> None:
        """Keep one registration.

        :raises RuntimeError: when the hook has already returned.
        """
        if not self.open:
            raise RuntimeError(
                f"{self.source} called register() after its hook returned; call it inside the hook"
            )
        self.found.append((key, value))


class Registry:
    """Registrations of one kind by key, in registration order; a repeated key is an error."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.entries: dict[str, Registration] = {}

    def add_all(self, sink: Sink) -> None:
        """Add everything a hook call registered.

        :raises DuplicateRegistrationError: for a key already registered (by anyone).
        """
        for key, value in sink.found:
            first = self.entries.get(key)
            if first is not None:
                raise DuplicateRegistrationError(
                    self.kind, key, str(first.source), str(sink.source)
                )
            self.entries[key] = Registration(
                kind=self.kind, key=key, value=value, source=sink.source
            )


def load_registered_scale(source: object) -> Scale:
    """Turn what a plugin passed to ``register`` into a :class:`Scale`.

    :param source: a :class:`Scale`, a document mapping, or a path to a ``.json`` document whose
        file name (without ``.json``) is the scale id.
    :raises ScaleDefinitionError: for an invalid document.
    :raises ValueError: for a path whose file name is not the scale id.
    :raises TypeError: for anything else.
    """
    if isinstance(source, Scale):
        return source
    if isinstance(source, Mapping):
        return document.load_scale(source, methods=scoring_methods())
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        scale = document.load_scale(path, methods=scoring_methods())
        if path.name != f"{scale.id}.json":
            raise ValueError(
                f"the file of scale {scale.id!r} must be named {scale.id}.json (got {path.name})"
            )
        return scale
    raise TypeError(
        f"register() takes a Scale, a document mapping or a path, not {type(source).__name__}"
    )


def scale_callback(sink: Sink) -> Callable[[object], None]:
    """The ``register(scale)`` callback of ``alliancekit_register_scales``."""

    def register(scale: object, /) -> None:
        loaded = load_registered_scale(scale)
        sink.add(loaded.id, loaded)

    return register


def scoring_method_callback(sink: Sink) -> Callable[..., None]:
    """The ``register(name, function, *, range=None)`` callback (or ``register(method)`` with a
    :class:`~alliancekit.ScoringMethod`) of ``alliancekit_register_scoring_methods``."""

    def register(
        name: str | ScoringMethod,
        function: Callable[..., float] | None = None,
        /,
        *,
        range: Callable[..., tuple[float, float]] | None = None,
    ) -> None:
        if isinstance(name, ScoringMethod):
            if function is not None or range is not None:
                raise TypeError("register(method) takes a ScoringMethod and nothing else")
            method = attrs.evolve(name, origin=sink.source.origin)
        else:
            if not isinstance(name, str) or not _METHOD_NAME.fullmatch(name):
                raise ValueError(
                    f"a scoring method name must match {_METHOD_NAME.pattern} (got {name!r:.70})"
                )
            if not callable(function):
                raise TypeError(f"the function of scoring method {name!r} is not callable")
            if range is not None and not callable(range):
                raise TypeError(f"the range of scoring method {name!r} is not callable")
            method = ScoringMethod(
                name=name, function=function, range=range, origin=sink.source.origin
            )
        if not _METHOD_NAME.fullmatch(method.name):
            raise ValueError(f"a scoring method name must match {_METHOD_NAME.pattern}")
        sink.add(method.name, method)

    return register


def storage_callback(sink: Sink) -> Callable[[str, Callable[[str], Any]], None]:
    """The ``register(url_scheme, factory)`` callback of ``alliancekit_register_storage``."""

    def register(url_scheme: str, factory: Callable[[str], Any], /) -> None:
        if not isinstance(url_scheme, str) or not _URL_SCHEME.fullmatch(url_scheme):
            raise ValueError(
                f"a URL scheme must be lowercase and match {_URL_SCHEME.pattern} "
                f"(got {url_scheme!r:.40})"
            )
        if not callable(factory):
            raise TypeError(f"the factory of storage scheme {url_scheme!r} is not callable")
        sink.add(url_scheme, factory)

    return register


def item_text_callback(sink: Sink, scales: Mapping[str, Registration]) -> Callable[..., None]:
    """The ``register(scale_id, language, texts, *, license_note)`` callback of
    ``alliancekit_register_item_text``; packs are checked against the registered ``scales``."""
    from alliancekit.plugins._item_text import make_pack, pack_key

    def register(
        scale_id: str, language: str, texts: Mapping[str, str], /, *, license_note: str
    ) -> None:
        registered = scales.get(scale_id) if isinstance(scale_id, str) else None
        if registered is None:
            raise LookupError(f"item text for unknown scale {scale_id!r:.70}")
        pack = make_pack(
            registered.value,
            language,
            texts,
            license_note=license_note,
            origin=sink.source.origin,
        )
        sink.add(pack_key(pack.scale_id, pack.language), pack)

    return register


def _collect(
    hook_name: str,
    kind: str,
    make_callback: Callable[[Sink], Callable[..., None]],
    seed: Iterable[Sink] = (),
) -> dict[str, Registration]:
    """Call every plugin's implementation of a registration hook on its own and gather what it
    registered (cached by the plugin manager until a plugin is registered or unregistered).

    :raises DuplicateRegistrationError: for a key registered twice.
    :raises PluginLoadError: in strict mode, for a hook that raises.
    """
    pm = get_plugin_manager()
    with pm.lock:
        if kind in pm.cache:
            return cast("dict[str, Registration]", pm.cache[kind])
        if kind in pm.collecting:
            raise RuntimeError(f"a plugin asked for the registry while registering a {kind}")
        generation = pm.generation
        pm.collecting.add(kind)
        pm.hook_failures[hook_name] = []
        try:
            registry = Registry(kind)
            for sink in seed:
                registry.add_all(sink)
            for source, call in pm.calls(hook_name):
                sink = Sink(source)
                try:
                    call(register=make_callback(sink))
                except DuplicateRegistrationError:
                    raise  # never isolated: a duplicate anywhere is the user's to resolve
                except Exception as error:
                    stage = PluginFailure(
                        source=source, stage=hook_name, error=describe_error(error)
                    )
                    pm.report(stage, error, hook=hook_name)
                    continue
                finally:
                    sink.open = False
                registry.add_all(sink)
                pm.trace_line(f"{source} registered {[key for key, _ in sink.found]}")
        finally:
            pm.collecting.discard(kind)
        if generation == pm.generation:
            pm.cache[kind] = registry.entries
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
    """Scale id -> its registration (``.value`` the :class:`~alliancekit.Scale`, ``.source`` the
    plugin). Cached until a plugin is registered or unregistered.

    :raises DuplicateRegistrationError: when two plugins registered the same scale id, or the
        same scoring method name (scales are scored by those methods, so a clash there leaves
        no catalogue to trust).
    """
    scoring_methods()
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

    pm = get_plugin_manager()
    with pm.lock:
        cached: dict[str, Registration] | None = pm.cache.get(ITEM_TEXT)
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


def _result_handlers() -> tuple[PluginCall, ...]:
    """The ``alliancekit_result_scored`` implementations, each callable on its own (cached; with
    none, the scoring layer's seam is emptied until the plugins change)."""
    pm = get_plugin_manager()
    with pm.lock:
        generation = pm.generation
        handlers = tuple(pm.calls(RESULT_SCORED))
        if generation == pm.generation:
            pm.cache[_HANDLERS] = handlers
            if not handlers:
                set_result_listener(None)
        return handlers


def _known_handlers() -> tuple[PluginCall, ...] | None:
    pm = current_plugin_manager()
    return None if pm is None else pm.cache.get(_HANDLERS)


def notify_result_scored(result: object, context: Mapping[str, Any]) -> None:
    """Call every ``alliancekit_result_scored`` handler with this result.

    :meth:`Scale.score` calls this (through the scoring layer's seam) once per result. Each
    handler runs even if another raises; each failure then becomes a
    :class:`~alliancekit.errors.PluginLoadWarning` naming the plugin (never raised, even in strict
    mode, so the result is not lost). Once it is known that no handler is registered, the seam is
    emptied (scoring then costs one attribute read) until a plugin is registered or unregistered.
    """
    handlers = _known_handlers()
    if handlers is None:
        handlers = _result_handlers()
    if not handlers:
        return
    frozen = MappingProxyType(dict(context))
    failures = []
    for source, call in handlers:
        try:
            call(result=result, context=frozen)
        except Exception as error:
            failures.append(
                PluginFailure(
                    source=source,
                    stage=RESULT_SCORED,
                    error=_redact(describe_error(error), context),
                )
            )
    for failure in failures:
        warnings.warn(str(failure), PluginLoadWarning, stacklevel=4)


def _has_result_handlers() -> bool:
    handlers = _known_handlers()
    if handlers is None:
        handlers = _result_handlers()
    return bool(handlers)


def _arm_result_event() -> None:
    set_result_listener(notify_result_scored, _has_result_handlers)


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
    pm = get_plugin_manager()
    with pm.lock:
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
            records.append(
                PluginRecord(source=pm.source_of(name), hooks=hooks, registered=registered)
            )
        failures = list(pm.failures)
        for hook_failures in pm.hook_failures.values():
            failures.extend(hook_failures)
        return PluginReport(plugins=tuple(records), failures=tuple(failures))


def reload() -> None:
    """Forget the entry-point plugins, read the environment switches again, load the entry
    points again and rebuild every registry now (plugins registered at runtime stay).

    :raises DuplicateRegistrationError: when two plugins registered the same key.
    :raises PluginLoadError: in strict mode, for a plugin that fails to load.
    """
    forget_entry_points()
    pm = get_plugin_manager()
    with pm.lock:
        scoring_methods()
        storage_factories()
        registered_scales()
        item_text_packs()
        _result_handlers()


# The scoring layer announces each result through this seam (see Scale.score); it is re-armed
# whenever the plugins change.
ON_FORGET.append(_arm_result_event)
_arm_result_event()
