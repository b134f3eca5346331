"""The hooks a plugin can implement: the public contract between alliancekit and its plugins.

Mark an implementation with :data:`hookimpl` (also importable as ``alliancekit.hookimpl``) and name
it exactly like the hook. Registration hooks receive a ``register`` callback and return nothing;
each call of ``register`` adds one thing, and alliancekit records which plugin added it. Built-in
scales, scoring methods and storage backends are registered through these same hooks by the
default plugins in :mod:`alliancekit.builtins`.

Every hook is documented with its exact signature in ``docs/plugins.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, overload

import pluggy

if TYPE_CHECKING:
    from alliancekit.document import Scale, ScaleSource
    from alliancekit.scoring import MethodFunction, RangeFunction, ScoreResult, ScoringMethod

__all__ = [
    "PROJECT_NAME",
    "RegisterItemText",
    "RegisterScale",
    "RegisterScoringMethod",
    "RegisterStorage",
    "hookimpl",
    "hookspec",
]

#: The pluggy project name, the marker name and the entry-point group.
PROJECT_NAME = "alliancekit"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Decorator that marks a function or method as the implementation of an alliancekit hook.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class RegisterScale(Protocol):
    """The ``register`` callback of :func:`alliancekit_register_scales`."""

    def __call__(self, scale: Scale | ScaleSource, /) -> None:
        """Register one scale: a :class:`~alliancekit.Scale`, a document mapping or a path
        to a ``.json`` document (whose file name must be the scale id)."""


class RegisterItemText(Protocol):
    """The ``register`` callback of :func:`alliancekit_register_item_text`."""

    def __call__(
        self, scale_id: str, language: str, texts: Mapping[str, str], /, *, license_note: str
    ) -> None:
        """Register the item text of one scale in one language (item id -> text)."""


class RegisterScoringMethod(Protocol):
    """The ``register`` callback of :func:`alliancekit_register_scoring_methods`: either
    ``register(name, function, *, range=None)`` or ``register(method)`` with a ready
    :class:`~alliancekit.ScoringMethod` (as the built-ins do, to keep exact arithmetic)."""

    @overload
    def __call__(
        self, name: str, function: MethodFunction, /, *, range: RangeFunction | None = None
    ) -> None: ...

    @overload
    def __call__(self, method: ScoringMethod, /) -> None: ...


class RegisterStorage(Protocol):
    """The ``register`` callback of :func:`alliancekit_register_storage`."""

    def __call__(self, url_scheme: str, factory: Callable[[str], Any], /) -> None:
        """Register the factory that opens a store for URLs of this scheme."""


@hookspec
def alliancekit_register_scales(register: RegisterScale) -> None:
    """Register scales: call ``register(scale)`` once per scale.

    ``scale`` is a :class:`~alliancekit.Scale`, a scale document (a mapping) or the path of a
    ``.json`` document whose file name is the scale id. Documents are validated like
    :func:`alliancekit.load_scale` does; an invalid one makes the plugin's registrations in this
    hook void and is reported as a :class:`~alliancekit.errors.PluginLoadWarning`.

    A scale id registered by two plugins raises
    :class:`~alliancekit.errors.DuplicateRegistrationError` naming both.

    :param register: the callback; it returns nothing.
    :returns: nothing.
    """


@hookspec
def alliancekit_register_item_text(register: RegisterItemText) -> None:
    """Register item text (a "text pack"): call ``register(scale_id, language, texts, *,
    license_note)`` once per scale and language.

    Text is shown by ``alliancekit show --lang``, exports and user interfaces; it never changes a
    score or a scale's sha256. ``texts`` maps item ids of the scale to their wording; an unknown
    scale or item id is an error of the plugin. A second pack for the same scale and language
    (or a pack for a language whose text the scale document already carries) raises
    :class:`~alliancekit.errors.DuplicateRegistrationError`.

    :param register: the callback; ``license_note`` says under which licence the text is used.
    :returns: nothing.
    """


@hookspec
def alliancekit_register_scoring_methods(register: RegisterScoringMethod) -> None:
    """Register scoring methods that scale documents can name: call ``register(name, function,
    *, range=None)`` once per method.

    ``function(values, score)`` gets the keyed (reverse-applied) values of the score's members in
    order, ``None`` for a missing one, and the :class:`~alliancekit.model.ScoreDefinition` (its
    ``parameters`` hold the document's extra data); it returns a finite float within the score's
    range. ``range(bounds, score)`` returns the score's (lowest, highest) from the members'
    (lowest, highest) bounds; without it the function must be non-decreasing in every value and
    the range is ``function(all lowest)``, ``function(all highest)``. A name registered twice
    (including a built-in name such as ``sum``) raises
    :class:`~alliancekit.errors.DuplicateRegistrationError`.

    :param register: the callback; it returns nothing.
    :returns: nothing.
    """


@hookspec
def alliancekit_register_storage(register: RegisterStorage) -> None:
    """Register storage backends: call ``register(url_scheme, factory)`` once per URL scheme.

    ``factory(url)`` opens and returns a store for a URL such as ``myscheme://…``. A scheme
    registered twice raises :class:`~alliancekit.errors.DuplicateRegistrationError`.

    :param register: the callback; it returns nothing.
    :returns: nothing.
    """


@hookspec
def alliancekit_result_scored(result: ScoreResult, context: Mapping[str, Any]) -> None:
    """Called after every score, with the result (e.g. to raise a vendor alert on a rupture).

    Handlers must not change the result (it is frozen). An exception in one handler is reported as
    a :class:`~alliancekit.errors.PluginLoadWarning` once every handler has run; it neither loses
    the result nor stops the other handlers.

    :param result: the :class:`~alliancekit.ScoreResult` just computed.
    :param context: what the caller knows about the administration; always holds ``"scale"``
        (the :class:`~alliancekit.Scale`); callers may add keys such as an opaque
        ``"respondent_key"`` or an ``"occasion"``. Never log a respondent key.
    :returns: nothing.
    """
