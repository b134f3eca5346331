"""The catalogue of scales: the built-in documents in ``scales/`` (shipped inside the wheel) and
the scales plugins register, all through the plugin registry (``_registry``)."""

from __future__ import annotations

import json
from typing import Literal

import attrs

from alliancekit import document
from alliancekit.document import Scale, ScaleSource, checked_restore, set_scale_restorer
from alliancekit.errors import DefinitionIssue, UnknownScaleError
from alliancekit.plugins._registry import registered_scales, scoring_methods

__all__ = [
    "ScaleInfo",
    "get_scale",
    "list_scales",
    "load_scale",
    "validate_scale",
]


@attrs.frozen(kw_only=True)
class ScaleInfo:
    """One catalogue entry.

    :ivar origin: who registered the scale: ``alliancekit`` for a built-in one, else the plugin's
        distribution name (or plugin name, for a plugin registered at runtime).
    """

    id: str
    version: str
    title: str
    status: Literal["verified", "provisional"]
    origin: str = "alliancekit"


def list_scales() -> list[ScaleInfo]:
    """Every available scale (built in or registered by a plugin), sorted by id.

    :raises DuplicateRegistrationError: when two plugins registered the same scale id.
    """
    infos = []
    for _, registration in sorted(registered_scales().items()):
        scale: Scale = registration.value
        infos.append(
            ScaleInfo(
                id=scale.id,
                version=scale.version,
                title=scale.title,
                status=scale.status,
                origin=registration.source.origin,
            )
        )
    return infos


def get_scale(scale_id: str) -> Scale:
    """Return the scale with this id, built in or registered by a plugin.

    :raises UnknownScaleError: when no scale has this id.
    :raises DuplicateRegistrationError: when two plugins registered the same scale id.
    """
    scales = registered_scales()
    registration = scales.get(scale_id)
    if registration is None:
        raise UnknownScaleError(scale_id, scales)
    scale: Scale = registration.value
    return scale


def load_scale(source: ScaleSource) -> Scale:
    """Load and validate a scale document from a path or a mapping; it may name any scoring
    method the built-ins or plugins registered.

    :returns: the :class:`~alliancekit.Scale`.
    :raises ScaleDefinitionError: with every problem found (JSON path, code, message).
    """
    return document.load_scale(source, methods=scoring_methods())


def validate_scale(source: ScaleSource) -> list[DefinitionIssue]:
    """Check a scale document from a path or a mapping (see :func:`load_scale`).

    :returns: every problem found, each with a JSON path, a stable code and a message; an empty
        list when the document is valid.
    """
    return document.validate_scale(source, methods=scoring_methods())


def restore_scale(document: bytes, sha256: str) -> Scale:
    """The scale of a pickled canonical document, which may name any registered scoring method.

    :raises ScaleDefinitionError: when the document is invalid or its sha256 is not ``sha256``.
    """
    return checked_restore(load_scale(json.loads(document)), sha256)


# Scales pickled from here on unpickle through this module, which knows the plugins' methods.
set_scale_restorer(restore_scale)
