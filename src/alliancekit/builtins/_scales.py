"""The built-in scales (the documents in ``scales/``) as a default plugin.

The documents are parsed once per process, on first use; a registry rebuilt after a plugin is
registered or unregistered gets the same :class:`~alliancekit.Scale` objects again.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from alliancekit.document import Scale
from alliancekit.plugins import RegisterScale, hookimpl, load_registered_scale

__all__ = ["alliancekit_register_scales", "builtin_scale_paths", "builtin_scales"]


def _builtin_dir() -> Path:
    packaged = Path(str(resources.files("alliancekit"))) / "scales"
    if packaged.is_dir():
        return packaged
    # An editable install or a source checkout: the repository's top-level scales/ folder.
    return Path(__file__).resolve().parents[3] / "scales"


def builtin_scale_paths() -> list[Path]:
    """Paths of the built-in scale documents, sorted by file name."""
    return sorted(_builtin_dir().glob("*.json"))


@functools.cache
def builtin_scales() -> tuple[Scale, ...]:
    """The built-in scales, loaded from ``scales/*.json`` (each file named after its scale id).

    :raises ScaleDefinitionError: if a built-in document is invalid (a bug in alliancekit).
    """
    return tuple(load_registered_scale(path) for path in builtin_scale_paths())


@hookimpl
def alliancekit_register_scales(register: RegisterScale) -> None:
    """Register every built-in scale."""
    for scale in builtin_scales():
        register(scale)
