"""A scale on its way to another process: its canonical JSON and sha256, re-loaded and checked
where it is used (a Spark executor, a Dask worker), so that a plugin's scale scores wherever
the plugin is installed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import attrs

from alliancekit.plugins import load_scale

if TYPE_CHECKING:
    from alliancekit.document import Scale

__all__ = ["ShippedScale"]

# Each worker process loads a scale once, however many batches or partitions it scores.
_LOADED: dict[str, Scale] = {}


@attrs.frozen(kw_only=True)
class ShippedScale:
    """A scale as its canonical JSON document and the sha256 that must match it.

    :ivar document: the scale's canonical JSON (:meth:`Scale.canonical_json`).
    :ivar sha256: the scale's :attr:`Scale.sha256`.
    """

    document: bytes
    sha256: str

    @classmethod
    def of(cls, scale: Scale) -> ShippedScale:
        """Ship ``scale``."""
        return cls(document=scale.canonical_json(), sha256=scale.sha256)

    def load(self) -> Scale:
        """The scale, loaded once per process.

        :raises ValueError: when the loaded document's sha256 is not the shipped one (e.g. a
            plugin's scoring method or the loader differs on this worker).
        :raises ScaleDefinitionError: when the document does not load here (e.g. a plugin's
            scoring method is not installed).
        """
        scale = _LOADED.get(self.sha256)
        if scale is None:
            scale = load_scale(json.loads(self.document))
            if scale.sha256 != self.sha256:
                raise ValueError(
                    f"scale {scale.id!r} loaded with sha256 {scale.sha256} on this worker, "
                    f"not the shipped {self.sha256}: the worker's alliancekit or plugins differ"
                )
            _LOADED[self.sha256] = scale
        return scale
