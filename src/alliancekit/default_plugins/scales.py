"""The built-in scales (the documents in ``scales/``) as a default plugin.

The documents are parsed once per process, on first use; a registry rebuilt after a plugin is
registered or unregistered gets the same :class:`~alliancekit.model.Scale` objects again.
"""

from __future__ import annotations

import functools

from alliancekit.hookspecs import RegisterScale, hookimpl
from alliancekit.model import Scale

__all__ = ["alliancekit_register_scales", "builtin_scales"]


@functools.cache
def builtin_scales() -> tuple[Scale, ...]:
    """The built-in scales, loaded from ``scales/*.json`` (each file named after its scale id).

    :raises ScaleDefinitionError: if a built-in document is invalid (a bug in alliancekit).
    """
    from alliancekit.catalogue import builtin_scale_paths
    from alliancekit.plugin_registry import load_registered_scale

    return tuple(load_registered_scale(path) for path in builtin_scale_paths())


@hookimpl
def alliancekit_register_scales(register: RegisterScale) -> None:
    """Register every built-in scale."""
    for scale in builtin_scales():
        register(scale)
