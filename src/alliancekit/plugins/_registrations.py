"""What plugins registered and who registered it: the ``register`` callbacks of the registration
hooks, their argument checks, and duplicate detection.

``_registry`` calls each plugin's hook implementation with a fresh callback from this
module; the things the callback collects are kept only if the hook returns normally, and are then
added to the registry, where a key registered twice raises
:class:`~alliancekit.errors.DuplicateRegistrationError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from alliancekit.document import Scale
from alliancekit.errors import DuplicateRegistrationError
from alliancekit.scoring import ScoringMethod

__all__ = [
    "ITEM_TEXT",
    "SCALE",
    "SCORING_METHOD",
    "STORAGE_SCHEME",
    "PluginFailure",
    "PluginSource",
    "Registration",
    "Registry",
    "Sink",
    "item_text_callback",
    "load_registered_scale",
    "scale_callback",
    "scoring_method_callback",
    "storage_callback",
]

SCALE = "scale"
ITEM_TEXT = "item text"
SCORING_METHOD = "scoring method"
STORAGE_SCHEME = "storage scheme"

_METHOD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{0,31}$")


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
    from alliancekit.plugins._catalogue import load_scale

    if isinstance(source, Scale):
        return source
    if isinstance(source, Mapping):
        return load_scale(source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        scale = load_scale(path)
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
            if not isinstance(name, str) or not _METHOD_NAME.match(name):
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
        if not _METHOD_NAME.match(method.name):
            raise ValueError(f"a scoring method name must match {_METHOD_NAME.pattern}")
        sink.add(method.name, method)

    return register


def storage_callback(sink: Sink) -> Callable[[str, Callable[[str], Any]], None]:
    """The ``register(url_scheme, factory)`` callback of ``alliancekit_register_storage``."""

    def register(url_scheme: str, factory: Callable[[str], Any], /) -> None:
        if not isinstance(url_scheme, str) or not _URL_SCHEME.match(url_scheme):
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
