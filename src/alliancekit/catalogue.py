"""The catalogue of scales: built-in documents in ``scales/`` (shipped inside the wheel)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Literal

import attrs

from alliancekit.errors import UnknownScaleError
from alliancekit.loading import load_scale
from alliancekit.model import Scale

__all__ = ["ScaleInfo", "builtin_scale_paths", "get_scale", "list_scales"]


@attrs.frozen(kw_only=True)
class ScaleInfo:
    """One catalogue entry."""

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


@functools.cache
def _scales() -> dict[str, Scale]:
    return {scale.id: scale for scale in map(load_scale, builtin_scale_paths())}


def list_scales() -> list[ScaleInfo]:
    """Every available scale, sorted by id."""
    return [
        ScaleInfo(id=s.id, version=s.version, title=s.title, status=s.status)
        for _, s in sorted(_scales().items())
    ]


def get_scale(scale_id: str) -> Scale:
    """Return the scale with this id.

    :raises UnknownScaleError: when no scale has this id.
    """
    scales = _scales()
    try:
        return scales[scale_id]
    except KeyError:
        raise UnknownScaleError(scale_id, scales) from None
