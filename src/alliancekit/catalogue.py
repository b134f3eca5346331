"""The catalogue of scales: the built-in documents in ``scales/`` (shipped inside the wheel) and
the scales plugins register, all through the plugin registry (:mod:`alliancekit.plugins`)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

import attrs

from alliancekit.errors import UnknownScaleError
from alliancekit.model import Scale
from alliancekit.plugins import registered_scales

__all__ = ["ScaleInfo", "builtin_scale_paths", "get_scale", "list_scales"]


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


def _builtin_dir() -> Path:
    packaged = Path(str(resources.files("alliancekit"))) / "scales"
    if packaged.is_dir():
        return packaged
    # An editable install or a source checkout: the repository's top-level scales/ folder.
    return Path(__file__).resolve().parents[2] / "scales"


def builtin_scale_paths() -> list[Path]:
    """Paths of the built-in scale documents, sorted by file name."""
    return sorted(_builtin_dir().glob("*.json"))


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
